//! Daily digests (policy: `rapport_core::notification`). Every [`EVERY`],
//! each server asks for the accounts whose digest is due and sends each one
//! e-mail through the outbox listing what it carries, in the account's
//! language. The store marks the items carried in the transaction that
//! enqueues the e-mail, so servers sharing a database send it once.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use rapport_core::notification::DIGEST_EVERY;
use rapport_store::PendingDigest;
use serde_json::json;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(600);

/// Accounts per round, and items per digest (the rest wait for the next).
const ACCOUNTS: i64 = 200;
const ITEMS: i64 = 50;

pub async fn run(state: AppState) {
    loop {
        crate::ops::metrics::job("digest", tick(&state, Utc::now())).await;
        tokio::time::sleep(EVERY).await;
    }
}

/// One round as of `now` (tests pass a later clock); how many were sent.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> usize {
    let due = match state.store.pending_digests(now - DIGEST_EVERY, ACCOUNTS, ITEMS).await {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(error = %crate::error::chain(&e), "digest round failed");
            return 0;
        }
    };
    let mut sent = 0;
    for d in due {
        let Some(through) = d.items.last().map(|n| n.id) else { continue };
        match state.store.send_digest(d.org, d.user, through, &payload(state, &d)).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %crate::error::chain(&e), user = d.user, "digest not sent"),
        }
    }
    if sent > 0 {
        state.outbox_wake.notify_one();
    }
    sent
}

/// The e-mail: a title with the count, one line per item with its kind and
/// link, and the notification centre's link.
fn payload(state: &AppState, d: &PendingDigest) -> serde_json::Value {
    let lang = d.language.unwrap_or_default();
    let count = d.items.len() as i64;
    let title = state.i18n.t(lang, "notifications-digest-title", &[("count", count.into())]);
    let lines: Vec<String> = d
        .items
        .iter()
        .map(|n| {
            format!(
                "- {}: {} ({})",
                state.i18n.t(lang, &format!("notification-kind-{}", n.kind.as_str()), &[]),
                n.title,
                n.link
            )
        })
        .collect();
    json!({ "email_to": [d.email], "title": title, "summary": lines.join("\n"), "url": "/notifications" })
}

#[cfg(test)]
mod tests {
    use crate::state::AppState;
    use crate::web::test_support::{session_as, TestApp};
    use chrono::{Duration, Utc};
    use rapport_core::improve::{IdeaDraft, IdeaSource};
    use rapport_core::notification::{Delivery, Kind};
    use rapport_core::role::Role;

    #[tokio::test]
    async fn a_digest_goes_once_a_day_in_the_accounts_language() {
        let t = TestApp::new().await;
        let state = AppState::new(t.store.clone(), Default::default());
        let (org, s) = (t.org.id, t.store.as_ref());
        session_as(s, org, "ben@acme.test", Role::Member, Some(t.ids.ben)).await;
        let ben =
            s.list_members(org).await.unwrap().into_iter().find(|m| m.user.email == "ben@acme.test").unwrap().user;
        s.set_user_language(org, ben.id, Some(rapport_core::lang::Lang::Es)).await.unwrap();
        s.set_notification_setting(org, ben.id, Kind::IdeaComment, Delivery::Digest).await.unwrap();
        let draft = IdeaDraft {
            title: Some("Faster returns".into()),
            body: None,
            touchpoint_id: Some(t.ids.touchpoint),
            experience_id: None,
        };
        let idea = s.create_idea(org, t.ids.ben, &draft.validate(IdeaSource::Web).unwrap()).await.unwrap();
        s.comment_idea(org, idea.id, t.ids.ana, "Yes").await.unwrap();
        s.comment_idea(org, idea.id, t.ids.ana, "And labels").await.unwrap();

        assert_eq!(super::tick(&state, Utc::now()).await, 0, "not a day old yet");
        let later = Utc::now() + Duration::hours(25);
        assert_eq!(super::tick(&state, later).await, 1);
        assert_eq!(super::tick(&state, later).await, 0, "once");
        s.fan_out(later, 100).await.unwrap();
        let sent = s.claim_deliveries(later, later + Duration::minutes(5), 100).await.unwrap();
        let digest: Vec<_> = sent.iter().filter(|d| d.event == "notification.digest").collect();
        assert_eq!(digest.len(), 1);
        assert_eq!(digest[0].payload["email_to"][0], "ben@acme.test");
        assert_eq!(digest[0].payload["title"], "Su resumen de Rapport: 2 novedades");
        let summary = digest[0].payload["summary"].as_str().unwrap();
        assert_eq!(summary.matches("Comentario en su idea: Faster returns").count(), 2, "{summary}");
    }
}
