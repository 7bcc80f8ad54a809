//! Web sessions: a random id in an HttpOnly, SameSite=Lax cookie; only its
//! digest is stored, with an expiry.

use super::client::ClientIp;
use super::throttle::SignInThrottle;
use super::{password, secret};
use crate::error::AppError;
use crate::state::AppState;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::{Duration, Utc};
use rapport_core::org::Organization;
use rapport_store::User;
use std::time::Instant;

pub const COOKIE: &str = "rapport_session";
pub const LIFETIME_DAYS: i64 = 14;

/// What became of a sign-in attempt.
#[derive(Debug)]
pub enum SignIn {
    Accepted(Organization, User),
    /// Unknown organization, e-mail or a wrong password (the caller must not
    /// say which).
    Refused,
    /// Too many failures for this account from this address, or from this
    /// address (see [`super::throttle`]): nothing was checked. Try again after
    /// the duration.
    Throttled(std::time::Duration),
}

/// A sign-in attempt from `client`, throttled as [`super::throttle`] says.
pub async fn sign_in(
    state: &AppState,
    throttle: &SignInThrottle,
    client: ClientIp,
    org_slug: &str,
    email: &str,
    pass: &str,
) -> Result<SignIn, AppError> {
    let account = SignInThrottle::account_key(org_slug, email);
    let address = client.limit_key();
    if let Err(wait) = throttle.begin(account, address, Instant::now()) {
        tracing::info!(client = ?client.0, "sign-in throttled");
        return Ok(SignIn::Throttled(wait));
    }
    Ok(match check_password(state, org_slug, email, pass).await? {
        Some((org, user)) => {
            throttle.succeeded(account, address, Instant::now());
            SignIn::Accepted(org, user)
        }
        None => SignIn::Refused,
    })
}

/// Checks the credentials; `None` for an unknown organization, e-mail or a
/// wrong password (the caller must not say which). Not throttled: see
/// [`sign_in`].
pub async fn check_password(
    state: &AppState,
    org_slug: &str,
    email: &str,
    pass: &str,
) -> Result<Option<(Organization, User)>, AppError> {
    let email = email.trim().to_lowercase();
    let Some(org) = state.store.org_by_slug(org_slug.trim()).await? else {
        password::verify_dummy_async(pass.to_string()).await;
        return Ok(None);
    };
    match state.store.user_for_sign_in(org.id, &email).await? {
        // An invited account has no password yet; it takes as long to refuse
        // as any other, so that timing does not tell who was invited.
        Some((user, hash)) if hash != rapport_core::invitation::NO_PASSWORD => {
            Ok(password::verify_async(pass.to_string(), hash).await.then_some((org, user)))
        }
        _ => {
            password::verify_dummy_async(pass.to_string()).await;
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
