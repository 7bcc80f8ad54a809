//! The distribution pass (B1/B2). Every [`EVERY`], each server sends the
//! e-mails that are due: invitations of scheduled waves (throttled per
//! wave and hour), triggered surveys, thank-you notes, and each wave's one
//! reminder. The store decides each e-mail under the organization's lock
//! (`Distribution::send_mail`: still due? unsubscribed, bounced, no
//! address, recently answered? the wave's hour full?) and enqueues it in
//! the outbox in the same transaction, so servers sharing the database
//! send each once.
//!
//! An e-mail is written here: the template (the wave's, the rule's, the
//! survey's thank-you note, or the default) in the customer's language (the
//! CSV row's, else the customer's `language` attribute, else the
//! organization's default), with the organization's name as the sender's
//! name, the customer's personal signed survey link ([`LINK_DAYS`] days)
//! and a one-click unsubscribe link (page and RFC 8058 header).

use crate::auth::{link, unsubscribe};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use rapport_core::lang::Lang;
use rapport_core::survey::distribution::template::MailTemplate;
use rapport_core::survey::distribution::{customer_language, InvitationKind, LINK_DAYS};
use rapport_core::Id;
use rapport_store::distribution::{DueMail, SendOutcome};
use rapport_store::settings::Settings;
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(60);

/// E-mails looked at per round and kind (the rest wait for the next).
const BATCH: i64 = 500;

pub async fn run(state: AppState) {
    loop {
        crate::ops::metrics::job("distribution", tick(&state, Utc::now())).await;
        tokio::time::sleep(EVERY).await;
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub reminded: usize,
    pub skipped: usize,
    pub throttled: usize,
}

/// One round as of `now` (tests pass a later clock).
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> Round {
    let mut round = Round::default();
    let due = match state.store.due_mails(now, BATCH).await {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(error = %crate::error::chain(&e), "distribution pass failed");
            return round;
        }
    };
    if due.is_empty() {
        return round;
    }
    let secret = match link::installation_secret(state.store.as_ref()).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = ?e, "distribution pass: no signing secret");
            return round;
        }
    };
    let mut orgs: HashMap<Id, Settings> = HashMap::new();
    for m in due {
        if let std::collections::hash_map::Entry::Vacant(slot) = orgs.entry(m.org) {
            match state.store.org_settings(m.org).await {
                Ok(s) => {
                    slot.insert(s);
                }
                Err(e) => {
                    tracing::warn!(error = %crate::error::chain(&e), org = m.org, "no settings; e-mails wait");
                    continue;
                }
            }
        }
        let payload = payload(state, &secret, &orgs[&m.org], &m, now);
        match state.store.send_mail(m.org, m.invitation_id, m.reminder, now, &payload).await {
            Ok(SendOutcome::Sent) if m.reminder => round.reminded += 1,
            Ok(SendOutcome::Sent) => round.sent += 1,
            Ok(SendOutcome::Skipped(_)) => round.skipped += 1,
            Ok(SendOutcome::Throttled) => round.throttled += 1,
            Ok(SendOutcome::Gone) => {}
            Err(e) => {
                tracing::warn!(error = %crate::error::chain(&e), invitation = m.invitation_id, "invitation not sent")
            }
        }
    }
    if round.sent + round.reminded > 0 {
        state.outbox_wake.notify_one();
    }
    round
}

/// The absolute base of links in e-mails (empty without a public URL).
fn base(state: &AppState) -> &str {
    state.config.public_url.as_deref().unwrap_or("").trim_end_matches('/')
}

/// The customer's unsubscribe page and one-click URL.
pub fn unsubscribe_urls(state: &AppState, secret: &[u8], org: Id, customer: &str, lang: Lang) -> (String, String) {
    let q = unsubscribe::sign(secret, org, customer);
    let base = base(state);
    (format!("{base}/unsubscribe?{q}&lang={}", lang.code()), format!("{base}/api/v1/unsubscribe?{q}"))
}

/// The outbox payload of one e-mail.
fn payload(state: &AppState, secret: &[u8], org: &Settings, m: &DueMail, now: DateTime<Utc>) -> serde_json::Value {
    let lang = customer_language(m.language.map(Lang::code), m.customer_language.as_deref(), org.default_language);
    let template = m.template.clone().unwrap_or_else(|| match m.kind {
        InvitationKind::Thanks => MailTemplate::thanks(),
        _ => MailTemplate::invitation(),
    });
    let query = link::sign(secret, &m.survey_token, &m.external_id, link::expiry(now, LINK_DAYS));
    let survey_link = format!("{}/s/{}?{query}&lang={}", base(state), m.survey_token, lang.code());
    let (page, one_click) = unsubscribe_urls(state, secret, m.org, &m.external_id, lang);
    let name = m.name.clone().unwrap_or_else(|| state.i18n.t(lang, "distribution-mail-no-name", &[]));
    let title = match lang {
        Lang::En => &m.survey_title_en,
        Lang::Es => &m.survey_title_es,
    };
    let values = [
        ("name", name.as_str()),
        ("link", &survey_link),
        ("company", &org.name),
        ("survey", title),
        ("unsubscribe", &page),
    ];
    let (subject, text) = template.render(lang, &values, m.reminder);
    json!({
        "email_to": m.email.iter().collect::<Vec<_>>(),
        "invitation_id": m.invitation_id,
        "survey_id": m.survey_id,
        "title": subject,
        "mail": {"subject": subject, "text": text, "from_name": org.name, "unsubscribe": one_click},
    })
}

/// Records a bounce when the outbox gives up on (or the SMTP server
/// refuses) an invitation's e-mail: the payload names the invitation.
pub async fn record_bounce(state: &AppState, d: &rapport_store::Delivery, error: &str) {
    let Some(invitation) = d.payload.get("invitation_id").and_then(|v| v.as_i64()) else { return };
    if let Err(e) = state.store.invitation_bounced(d.org_id, invitation, error, rapport_store::rows::now()).await {
        tracing::warn!(error = %crate::error::chain(&e), invitation, "bounce not recorded");
    }
}
