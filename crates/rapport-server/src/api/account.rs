//! Passwords through the API (P3), as on the web pages (`web/account.rs`):
//! a signed-in account changes its own (the current one checked, throttled
//! like signing in; its other sessions end); anyone asks for a reset link
//! (the same answer whether or not the account exists; see
//! [`crate::passwords`]) and uses one (once, before it expires; every
//! session of the account ends).

use super::extract::ApiJson;
use crate::auth::client::ClientIp;
use crate::auth::throttle::SignInThrottle;
use crate::auth::{password, secret, session, Principal};
use crate::error::AppError;
use crate::passwords;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use axum_extra::extract::CookieJar;
use chrono::Utc;
use rapport_core::lang::Lang;
use rapport_core::validate::FieldErrors;
use rapport_store::Audit;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Instant;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change))
        .routes(routes!(ask_reset))
        .routes(routes!(complete_reset))
        .layer(Extension(Arc::new(SignInThrottle::default())))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    /// The account's current password. Required.
    pub current: Option<String>,
    /// 10 to 1,024 characters. Required.
    pub new: Option<String>,
}

/// Change the signed-in account's password (not for API tokens: 403). The
/// account's other sessions end.
#[utoipa::path(post, path = "/api/v1/account/password", tag = "account", operation_id = "change_password",
    request_body = PasswordChange, responses((status = 204), (status = 429)))]
async fn change(
    State(s): State<AppState>,
    p: Principal,
    client: ClientIp,
    Extension(throttle): Extension<Arc<SignInThrottle>>,
    jar: CookieJar,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<StatusCode, AppError> {
    let user = p.user.clone().ok_or(AppError::Forbidden)?;
    let mut errors = FieldErrors::new();
    let current = body.current.unwrap_or_default();
    let new = body.new.unwrap_or_default();
    if current.is_empty() {
        errors.add("current", "required", "is required");
    }
    if let Err(e) = password::check_new("new", &new) {
        errors.0.extend(e.0);
    }
    errors.into_result(())?;
    let account = SignInThrottle::account_key(&p.org.slug, &user.email);
    if throttle.begin(account, client.limit_key(), Instant::now()).is_err() {
        return Err(AppError::Throttled);
    }
    let hash = s.store.password_hash(p.org.id, user.id).await?;
    if !password::verify_async(current, hash).await {
        return Err(AppError::Invalid(FieldErrors::single("current", "wrong", "is not the account's password")));
    }
    throttle.succeeded(account, client.limit_key(), Instant::now());
    let keep = jar.get(session::COOKIE).map(|c| secret::digest(c.value()));
    let audit = Audit::new(&p.actor, "user.password_change", format!("user:{}", user.id));
    let hash = password::hash_async(new).await;
    s.store.set_password(p.org.id, user.id, &hash, keep.as_deref(), &audit).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ResetRequest {
    /// The organization's short name. Required.
    pub org: Option<String>,
    /// The account's e-mail. Required.
    pub email: Option<String>,
    /// The e-mail's language when the account has not chosen one.
    pub language: Option<Lang>,
}

/// Ask for a password-reset link by e-mail. The answer is the same whether
/// or not the account exists. No credentials needed.
#[utoipa::path(post, path = "/api/v1/password-resets", tag = "account", operation_id = "ask_password_reset",
    request_body = ResetRequest, security(()), responses((status = 202), (status = 429)))]
async fn ask_reset(
    State(s): State<AppState>,
    client: ClientIp,
    Extension(throttle): Extension<Arc<SignInThrottle>>,
    ApiJson(body): ApiJson<ResetRequest>,
) -> Result<StatusCode, AppError> {
    let org = body.org.unwrap_or_default().trim().to_string();
    let email = body.email.unwrap_or_default().trim().to_lowercase();
    let mut errors = FieldErrors::new();
    for (field, value) in [("org", &org), ("email", &email)] {
        if value.is_empty() {
            errors.add(field, "required", "is required");
        }
    }
    errors.into_result(())?;
    // Every request spends the address's budget: asking is cheap, mail is not.
    let account = SignInThrottle::account_key(&org, &email);
    if throttle.begin(account, client.limit_key(), Instant::now()).is_err() {
        return Err(AppError::Throttled);
    }
    passwords::send_reset(&s, &org, &email, body.language.unwrap_or_default()).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
pub struct ResetCompletion {
    /// The token of the e-mailed link (`/reset-password?token=…`). Required.
    pub token: Option<String>,
    /// 10 to 1,024 characters. Required.
    pub new: Option<String>,
}

/// Set a new password with a reset link's token: once, before it expires
/// (410 otherwise). Every session of the account ends. No credentials needed.
#[utoipa::path(post, path = "/api/v1/password-resets/complete", tag = "account", operation_id = "complete_password_reset",
    request_body = ResetCompletion, security(()), responses((status = 204), (status = 410)))]
async fn complete_reset(
    State(s): State<AppState>,
    ApiJson(body): ApiJson<ResetCompletion>,
) -> Result<StatusCode, AppError> {
    let token = body.token.unwrap_or_default();
    let new = body.new.unwrap_or_default();
    let mut errors = FieldErrors::new();
    if token.is_empty() {
        errors.add("token", "required", "is required");
    }
    if let Err(e) = password::check_new("new", &new) {
        errors.0.extend(e.0);
    }
    errors.into_result(())?;
    let hash = password::hash_async(new).await;
    match s.store.complete_password_reset(&secret::digest(&token), Utc::now(), &hash).await? {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(AppError::Gone),
    }
}
