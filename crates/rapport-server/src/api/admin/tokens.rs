//! API tokens (P3). Admin only (`ManageAccounts`). A token's secret is
//! answered once, by the call that creates it; revoking is immediate (the
//! next request with it is a 401). The web page is `web/admin/tokens.rs`.

use crate::api::extract::{ApiJson, ApiPath};
use crate::api::page::{Listed, PageParams, Paging};
use crate::auth::{secret, Principal, Via};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::role::{Permission, Role, TOKEN_NAME_MAX};
use rapport_core::validate::{required_text, FieldErrors};
use rapport_core::Id;
use rapport_store::{StoreError, TokenInfo};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(revoke))
}

/// An API token, never its secret.
#[derive(Serialize, ToSchema)]
pub struct Token {
    pub id: Id,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// Who created it (an e-mail, or `token:NAME`); unknown for tokens made
    /// before this was kept, or on the command line.
    pub created_by: Option<String>,
    /// When it was last used, to the minute.
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<TokenInfo> for Token {
    fn from(t: TokenInfo) -> Self {
        Token {
            id: t.token.id,
            name: t.token.name,
            role: t.token.role,
            created_at: t.token.created_at,
            created_by: t.created_by,
            last_used_at: t.token.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// A token just created, with its secret: shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: Token,
    /// Send it as `Authorization: Bearer …`.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
pub struct TokenDraft {
    /// Who uses it, e.g. `crm-sync` (1–80 characters). Required.
    pub name: Option<String>,
    /// Required.
    pub role: Option<Role>,
}

/// List API tokens, newest first, revoked ones included.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", operation_id = "list_tokens", params(PageParams),
    responses((status = 200, body = [Token])))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Token>, AppError> {
    p.require(Permission::ManageAccounts)?;
    let tokens = s.store.list_tokens(p.org.id).await?;
    let listed = paging?.slice("tokens", tokens, |t| std::cmp::Reverse(t.token.id))?;
    Ok(listed.map(Token::from))
}

/// Create a token. The answer holds its secret, shown only here.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", operation_id = "create_token", request_body = TokenDraft,
    responses((status = 201, body = CreatedToken)))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<TokenDraft>,
) -> Result<(StatusCode, Json<CreatedToken>), AppError> {
    p.require(Permission::ManageAccounts)?;
    let mut errors = FieldErrors::new();
    let name = required_text(&mut errors, "name", draft.name.as_deref(), TOKEN_NAME_MAX);
    if draft.role.is_none() {
        errors.add("role", "required", "is required");
    }
    let Some(role) = draft.role.filter(|_| errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
    let secret = secret::generate("rpt_");
    let audit = p.audit_created("token.create", "token:");
    let token = s.store.issue_token(p.org.id, &name, role, &secret::digest(&secret), &audit).await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token: token.into(), secret })))
}

/// Revoke a token: refused from the next request on. Revoking again keeps
/// the first time. A token cannot revoke itself (409): the call would lock
/// its caller out halfway through its work; revoke it with another token or
/// on the administration page.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", operation_id = "revoke_token",
    params(("id" = i64, Path)), responses((status = 200, body = Token), (status = 409)))]
async fn revoke(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Json<Token>, AppError> {
    p.require(Permission::ManageAccounts)?;
    if p.via == Via::Token(id) {
        return Err(StoreError::conflict("id", "own_token", "is the token making this request").into());
    }
    let audit = p.audit("token.revoke", format!("token:{id}"));
    Ok(Json(s.store.revoke_token(p.org.id, id, Utc::now(), &audit).await?.into()))
}
