//! Demo data for survey distribution (B1/B2): a past invitation wave of
//! "Your first order" to forty customers, sent ten days ago with a reminder
//! after three days, some links opened and some answered (its rates show on
//! the wave page); a customer who unsubscribed through the link (skipped);
//! and a triggered survey: the support CSAT survey 48 hours after a
//! `delivery` event. The e-mails of the past wave are recorded without
//! being mailed (their outbox events name no recipient).

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use rapport_core::survey::distribution::{TriggerDraft, WaveDraft};
use rapport_core::Id;
use rapport_store::listening::NewResponse;
use rapport_store::Store;
use serde_json::{json, Map};
use std::collections::HashMap;

/// Who the past wave invited, and who of them opened and answered.
const INVITED: usize = 40;
const OPENED: usize = 22;
const ANSWERED: usize = 14;
/// The customer who unsubscribed.
const UNSUBSCRIBED: &str = "cust-0003";

/// Records every e-mail due at `at` as the distribution pass would, without
/// a recipient (the demo mails nobody).
async fn send_due(store: &dyn Store, org: Id, at: DateTime<Utc>) -> Result<()> {
    for m in store.due_mails(at, 1000).await?.into_iter().filter(|m| m.org == org) {
        let payload = json!({"invitation_id": m.invitation_id, "demo": true});
        store.send_mail(org, m.invitation_id, m.reminder, at, &payload).await?;
    }
    Ok(())
}

pub async fn seed(
    store: &dyn Store,
    org: Id,
    _people: &HashMap<&str, Id>,
    _touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let surveys = store.list_surveys(org).await?;
    let first_order = surveys.iter().find(|s| s.title.en == "Your first order").context("first-order survey")?;
    let support = surveys.iter().find(|s| s.title.en == "Your support conversation").context("support survey")?;

    store.set_unsubscribed(org, UNSUBSCRIBED, true, "link", now - Duration::days(20)).await?;
    let sent_at = now - Duration::days(10);
    let customers: Vec<String> = (1..=INVITED).map(|i| format!("cust-{i:04}")).collect();
    let wave = WaveDraft { customers: Some(customers.clone()), reminder_days: Some(3), ..WaveDraft::default() }
        .validate(None, sent_at)
        .map_err(|e| anyhow::anyhow!("demo wave: {e:?}"))?;
    store.create_wave(org, first_order.id, &wave, false, "demo", sent_at).await?;
    send_due(store, org, sent_at).await?;
    for (i, c) in customers.iter().enumerate().take(OPENED) {
        store.invitation_opened(org, first_order.id, c, sent_at + Duration::hours(2 + i as i64)).await?;
    }
    let answers: Vec<NewResponse> = customers
        .iter()
        .take(ANSWERED)
        .enumerate()
        .map(|(i, c)| {
            let mut a = Map::new();
            a.insert("nps".into(), json!([10, 9, 9, 8, 7, 10, 6, 9, 10, 4, 9, 8, 10, 9][i % 14]));
            NewResponse {
                key: Some(format!("demo-wave-{c}")),
                survey_id: Some(first_order.id),
                touchpoint_id: first_order.touchpoint_id,
                customer: Some(c.clone()),
                at: sent_at + Duration::hours(3 + i as i64),
                answers: a,
                comment: None,
                channel: Some("email".into()),
                language: None,
            }
        })
        .collect();
    store.ingest_responses(org, &answers).await?;
    // The reminder, three days later, to those who had not answered.
    send_due(store, org, sent_at + Duration::days(3) + Duration::hours(1)).await?;

    let csat = TriggerDraft { event_kind: Some("delivery".into()), delay_hours: Some(48), ..TriggerDraft::default() }
        .validate()
        .map_err(|e| anyhow::anyhow!("demo trigger: {e:?}"))?;
    store.create_trigger(org, support.id, &csat, "demo", now - Duration::days(30)).await?;
    Ok(())
}
