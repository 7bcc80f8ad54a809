//! Web sessions: a random id in an HttpOnly, SameSite=Lax cookie; only its
//! digest is stored, with an expiry.

use super::{password, secret};
use crate::error::AppError;
use crate::state::AppState;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::{Duration, Utc};
use rapport_core::org::Organization;
use rapport_store::User;

pub const COOKIE: &str = "rapport_session";
pub const LIFETIME_DAYS: i64 = 14;

/// Checks the credentials; `None` for an unknown organization, e-mail or a
/// wrong password (the caller must not say which).
pub async fn check_password(
    state: &AppState,
    org_slug: &str,
    email: &str,
    pass: &str,
) -> Result<Option<(Organization, User)>, AppError> {
    let email = email.trim().to_lowercase();
    let Some(org) = state.store.org_by_slug(org_slug.trim()).await? else {
        password::verify_dummy(pass);
        return Ok(None);
    };
    match state.store.user_for_sign_in(org.id, &email).await? {
        Some((user, hash)) if password::verify(pass, &hash) => Ok(Some((org, user))),
        Some(_) => Ok(None),
        None => {
            password::verify_dummy(pass);
            Ok(None)
        }
    }
}

/// Starts a session and returns the cookie to set.
pub async fn start(state: &AppState, org: &Organization, user: &User) -> Result<Cookie<'static>, AppError> {
    let id = secret::generate("");
    let expires = Utc::now() + Duration::days(LIFETIME_DAYS);
    state.store.create_session(org.id, user.id, &secret::digest(&id), expires).await?;
    Ok(Cookie::build((COOKIE, id))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .path("/")
        .max_age(time_days(LIFETIME_DAYS))
        .build())
}

/// Ends the session named by the cookie (if any) and returns a removal cookie.
pub async fn end(state: &AppState, cookie: Option<&Cookie<'_>>) -> Result<Cookie<'static>, AppError> {
    if let Some(c) = cookie {
        state.store.delete_session(&secret::digest(c.value())).await?;
    }
    Ok(Cookie::build((COOKIE, "")).path("/").max_age(time_days(0)).build())
}

fn time_days(days: i64) -> time::Duration {
    time::Duration::days(days)
}
