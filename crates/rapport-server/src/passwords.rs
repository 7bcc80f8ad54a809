//! Password resets by e-mail, for the web pages (`web/account.rs`) and the
//! API (`api/account.rs`) alike.
//!
//! Policy: the answer to "send me a link" is the same whether or not the
//! account exists. A known account gets a link through the outbox, in its
//! language (else the asker's), valid for [`RESET_MINUTES`] and once; only
//! the token's digest is stored. At most [`RESETS_PER_HOUR`] links per
//! account per hour, counted in the database so that every server counts
//! them. Link e-mails never go to webhooks (`rapport_core::webhook::is_personal`).

use crate::auth::secret;
use crate::error::AppError;
use crate::state::AppState;
use chrono::{Duration, Utc};
use rapport_core::lang::Lang;
use serde_json::json;

/// How long a reset link works.
pub const RESET_MINUTES: i64 = 30;
/// Reset links an account may be sent per hour.
pub const RESETS_PER_HOUR: i64 = 3;

/// Mails a reset link to the account, if there is one and its hourly budget
/// allows, in the account's language (else the page's).
pub async fn send_reset(state: &AppState, org_slug: &str, email: &str, page_lang: Lang) -> Result<(), AppError> {
    let Some(org) = state.store.org_by_slug(org_slug).await? else { return Ok(()) };
    let Some((user, _)) = state.store.user_for_sign_in(org.id, email).await? else { return Ok(()) };
    let now = Utc::now();
    if state.store.password_resets_since(org.id, user.id, now - Duration::hours(1)).await? >= RESETS_PER_HOUR {
        return Ok(());
    }
    let token = secret::generate("");
    let expires = now + Duration::minutes(RESET_MINUTES);
    state.store.create_password_reset(org.id, user.id, &secret::digest(&token), now, expires).await?;
    let lang = user.language.unwrap_or(page_lang);
    let t = |key: &str| state.i18n.t(lang, key, &[]);
    let payload = json!({
        "email_to": [user.email],
        "title": t("password-reset-mail-title"),
        "summary": t("password-reset-mail-text"),
        "url": format!("/reset-password?token={token}"),
    });
    state.store.enqueue_event(org.id, "account.password_reset", &payload).await?;
    state.outbox_wake.notify_one();
    Ok(())
}
