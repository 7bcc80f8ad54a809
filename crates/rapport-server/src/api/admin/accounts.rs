//! Accounts and invitations (P3). Admin only (`ManageAccounts`). Policy:
//! `rapport_core::invitation`; the web page is `web/admin/accounts.rs`.

use crate::api::extract::{ApiJson, ApiPath};
use crate::api::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::invite;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::lang::Lang;
use rapport_core::role::{Permission, Role};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::{Member, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(set_role))
        .routes(routes!(set_person))
        .routes(routes!(invite_one))
        .routes(routes!(withdraw))
}

/// A sign-in account.
#[derive(Serialize, ToSchema)]
pub struct Account {
    pub id: Id,
    pub email: String,
    pub role: Role,
    /// The person of the program this account is.
    pub person_id: Option<Id>,
    /// `en` or `es`, when the account chose one.
    pub language: Option<Lang>,
    /// Invited and not yet accepted (no password set).
    pub invited: bool,
    pub invitation_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Account {
    fn of(user: User, invited: bool, invitation_expires_at: Option<DateTime<Utc>>) -> Account {
        Account {
            id: user.id,
            email: user.email,
            role: user.role,
            person_id: user.person_id,
            language: user.language,
            invited,
            invitation_expires_at,
            created_at: user.created_at,
        }
    }
}

impl From<Member> for Account {
    fn from(m: Member) -> Self {
        Account::of(m.user, m.invited, m.invitation_expires_at)
    }
}

/// List accounts, by e-mail, a page at a time.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", operation_id = "list_accounts", params(PageParams),
    responses((status = 200, body = [Account])))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Account>, AppError> {
    p.require(Permission::ManageAccounts)?;
    let members = s.store.list_members(p.org.id).await?;
    let listed = paging?.slice("accounts", members, |m| (m.user.email.to_lowercase(), m.user.id))?;
    Ok(listed.map(Account::from))
}

#[derive(Deserialize, ToSchema)]
pub struct RoleChange {
    /// Required.
    pub role: Option<Role>,
}

/// A required field that is missing, named.
fn required(field: &str) -> AppError {
    AppError::Invalid(FieldErrors::single(field, "required", "is required"))
}

/// Change an account's role. The last administrator keeps theirs (409).
#[utoipa::path(put, path = "/api/v1/accounts/{id}/role", tag = "accounts", operation_id = "set_account_role",
    params(("id" = i64, Path)), request_body = RoleChange, responses((status = 200, body = Account), (status = 409)))]
async fn set_role(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(change): ApiJson<RoleChange>,
) -> Result<Json<Account>, AppError> {
    p.require(Permission::ManageAccounts)?;
    s.store.get_member(p.org.id, id).await?;
    let role = change.role.ok_or_else(|| required("role"))?;
    let audit = p.audit("user.role", format!("user:{id}->{role}"));
    let user = s.store.set_member_role(p.org.id, id, role, &audit).await?;
    Ok(Json(Account::of(user, false, None)))
}

#[derive(Deserialize, ToSchema)]
pub struct PersonLink {
    /// The person this account is; `null` unlinks it. Required.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Id>, required = true)]
    pub person_id: Option<Option<Id>>,
}

/// A field that may be `null` but must be there: missing is `None`, `null`
/// is `Some(None)`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<Id>>, D::Error> {
    Option::<Id>::deserialize(d).map(Some)
}

/// Link an account to a person of the program, or unlink it.
#[utoipa::path(put, path = "/api/v1/accounts/{id}/person", tag = "accounts", operation_id = "set_account_person",
    params(("id" = i64, Path)), request_body = PersonLink, responses((status = 200, body = Account), (status = 409)))]
async fn set_person(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(link): ApiJson<PersonLink>,
) -> Result<Json<Account>, AppError> {
    p.require(Permission::ManageAccounts)?;
    s.store.get_member(p.org.id, id).await?;
    let person = link.person_id.ok_or_else(|| required("person_id"))?;
    let to = person.map_or("none".to_string(), |p| format!("person:{p}"));
    let audit = p.audit("user.link", format!("user:{id}->{to}"));
    let user = s.store.link_member(p.org.id, id, person, &audit).await?;
    Ok(Json(Account::of(user, false, None)))
}

#[derive(Deserialize, ToSchema)]
pub struct InvitationDraft {
    /// An active person without an account. Required.
    pub person_id: Option<Id>,
    /// Required.
    pub role: Option<Role>,
    /// The language of the e-mail; the caller's, else English.
    pub language: Option<Lang>,
}

/// Invite a person: creates their account (no password yet) and e-mails
/// them a link, valid 7 days, to set one. Inviting again renews the link.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "accounts", operation_id = "create_invitation",
    request_body = InvitationDraft, responses((status = 201, body = Account), (status = 409)))]
async fn invite_one(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<InvitationDraft>,
) -> Result<(StatusCode, Json<Account>), AppError> {
    p.require(Permission::ManageAccounts)?;
    let mut errors = FieldErrors::new();
    for (field, missing) in [("person_id", draft.person_id.is_none()), ("role", draft.role.is_none())] {
        if missing {
            errors.add(field, "required", "is required");
        }
    }
    let (Some(person), Some(role)) = (draft.person_id, draft.role) else { return Err(AppError::Invalid(errors)) };
    let lang = draft.language.or(p.language()).unwrap_or_default();
    let user = invite::invite(&s, &p, person, role, lang).await?;
    let expires = Utc::now() + rapport_core::invitation::valid_for();
    Ok((StatusCode::CREATED, Json(Account::of(user, true, Some(expires)))))
}

/// Withdraw an invitation not yet accepted: its account goes.
#[utoipa::path(delete, path = "/api/v1/invitations/{id}", tag = "accounts", operation_id = "withdraw_invitation",
    params(("id" = i64, Path, description = "The invited account's id")), responses((status = 204), (status = 409)))]
async fn withdraw(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::ManageAccounts)?;
    let audit = p.audit("user.invitation_withdraw", format!("user:{id}"));
    s.store.withdraw_invitation(p.org.id, id, &audit).await?;
    Ok(StatusCode::NO_CONTENT)
}
