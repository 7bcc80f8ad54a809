//! Inviting people to sign in, for the administration page and the API
//! alike (policy: `rapport_core::invitation`).
//!
//! The link goes by e-mail through the outbox, in the language of the
//! person who invites (an invited account has not chosen one yet); only its
//! digest is stored. Accepting sets the password and signs the person in.

use crate::auth::{secret, Principal};
use crate::error::AppError;
use crate::state::AppState;
use chrono::Utc;
use rapport_core::invitation::valid_for;
use rapport_core::lang::Lang;
use rapport_core::role::Role;
use rapport_core::Id;
use rapport_store::{NewInvitation, User};
use serde_json::json;

/// Invites `person` with `role` and mails them the link.
pub async fn invite(state: &AppState, p: &Principal, person: Id, role: Role, lang: Lang) -> Result<User, AppError> {
    let token = secret::generate("");
    let now = Utc::now();
    let invitation =
        NewInvitation { person, role, token_hash: &secret::digest(&token), now, expires_at: now + valid_for() };
    let audit = p.audit("user.invite", format!("person:{person}"));
    let user = state.store.invite(p.org.id, &invitation, &audit).await?;
    let t = |key: &str| state.i18n.t(lang, key, &[("org", p.org.name.clone().into())]);
    let payload = json!({
        "email_to": [user.email],
        "title": t("invitation-mail-title"),
        "summary": t("invitation-mail-text"),
        "url": format!("/invitation?token={token}"),
    });
    state.store.enqueue_event(p.org.id, "account.invitation", &payload).await?;
    Ok(user)
}
