//! Purging: expired sessions go and live ones stay; deliveries delivered or
//! given up before the cut-off go, then the events left with no delivery,
//! while pending deliveries, recent ones and events not yet fanned out stay.
//! Every call is bounded by its limit.

use super::{add_person, by, org, user};
use chrono::Duration;
use rapport_core::webhook::{WebhookFormat, WebhookInput};
use rapport_store::outbox::OutboxPurged;
use rapport_store::{DeliveryStatus, Store, Target};
use serde_json::json;

pub async fn purge_sessions_and_outbox(s: &dyn Store) {
    let now = rapport_store::rows::now();
    let a = org(s, "purge-a").await.id;
    let b = org(s, "purge-b").await.id;

    // Sessions, of two organizations.
    let ana = add_person(s, a, "Ana").await;
    let ua = s.create_user(a, &user("ana@example.com", Some(ana))).await.unwrap().id;
    let ub = s.create_user(b, &user("bo@example.com", None)).await.unwrap().id;
    s.create_session(a, ua, "live", now + Duration::hours(8)).await.unwrap();
    s.create_session(a, ua, "just-expired", now - Duration::seconds(1)).await.unwrap();
    s.create_session(a, ua, "long-expired", now - Duration::days(40)).await.unwrap();
    s.create_session(b, ub, "b-expired", now - Duration::hours(1)).await.unwrap();
    s.create_session(b, ub, "b-live", now + Duration::minutes(1)).await.unwrap();
    let mut purged = Vec::new();
    loop {
        let n = s.purge_sessions(now, 2).await.unwrap();
        assert!(n <= 2, "a call deletes at most its limit");
        purged.push(n);
        if n < 2 {
            break;
        }
    }
    assert_eq!(purged, [2, 1], "three expired sessions, two at a time");
    assert_eq!(s.purge_sessions(now, 100).await.unwrap(), 0, "nothing left to purge");
    assert!(s.session_user("live", now).await.unwrap().is_some());
    assert!(s.session_user("b-live", now).await.unwrap().is_some());
    // The purged rows are gone: their (unique) token hashes are free again.
    for (o, u, hash) in [(a, ua, "just-expired"), (a, ua, "long-expired"), (b, ub, "b-expired")] {
        s.create_session(o, u, hash, now + Duration::hours(1)).await.unwrap();
    }

    // The outbox. `old` is 40 days ago, the cut-off 30.
    let old = now - Duration::days(40);
    let cutoff = now - Duration::days(30);
    let hook = WebhookInput {
        name: "all".into(),
        url: "http://127.0.0.1:9/all".into(),
        format: WebhookFormat::Json,
        events: vec!["*".into()],
        active: true,
    };
    let h = s.create_webhook(a, &hook, "k", &by("webhook.create")).await.unwrap();
    // Delivered and given up long ago: both go, then their event.
    let done = s.enqueue_event(a, "case.opened", &json!({"email_to": ["x@example.com"]})).await.unwrap();
    // One delivered long ago (goes), one still being retried (stays, and so does the event).
    let retried = s.enqueue_event(a, "case.closed", &json!({"email_to": ["y@example.com"]})).await.unwrap();
    // No receiver at all, fanned out long ago: the event goes.
    let unheard = s.enqueue_event(b, "case.opened", &json!({})).await.unwrap();
    assert_eq!(s.fan_out(old, 10).await.unwrap(), 3);
    let claimed = s.claim_deliveries(old, old + Duration::seconds(60), 10).await.unwrap();
    assert_eq!(claimed.len(), 4);
    let mut kept = Vec::new();
    for d in &claimed {
        match (&d.target, d.event_id == done) {
            (Target::Webhook { .. }, _) => s.delivery_succeeded(d.id, old).await.unwrap(),
            (Target::Email { .. }, true) => s.delivery_failed(d.id, old, "SMTP is not configured", None).await.unwrap(),
            (Target::Email { .. }, false) => {
                s.delivery_failed(d.id, old, "try later", Some(old + Duration::seconds(5))).await.unwrap();
                kept.push(d.id);
            }
        }
    }
    // Delivered recently: stays.
    let recent = s.enqueue_event(a, "case.opened", &json!({})).await.unwrap();
    assert_eq!(s.fan_out(now, 10).await.unwrap(), 1);
    let fresh = s.list_deliveries(a, Some(h.id), 1).await.unwrap().remove(0);
    assert_eq!(fresh.event_id, recent);
    s.delivery_succeeded(fresh.id, now).await.unwrap();
    kept.push(fresh.id);
    // Enqueued long ago but not fanned out yet (say, every server was down): stays.
    let waiting = s.enqueue_event(a, "case.opened", &json!({})).await.unwrap();

    let mut total = OutboxPurged::default();
    loop {
        let p = s.purge_outbox(cutoff, 2).await.unwrap();
        assert!(p.deliveries <= 2 && p.events <= 2, "a call deletes at most its limit: {p:?}");
        total.deliveries += p.deliveries;
        total.events += p.events;
        if p.deliveries < 2 && p.events < 2 {
            break;
        }
    }
    assert_eq!(total, OutboxPurged { deliveries: 3, events: 2 }, "done's two, retried's delivered one; done, unheard");
    assert_eq!(s.purge_outbox(cutoff, 100).await.unwrap(), OutboxPurged::default(), "nothing left to purge");
    let left = s.list_deliveries(a, None, 100).await.unwrap();
    let mut ids: Vec<_> = left.iter().map(|d| d.id).collect();
    ids.sort();
    kept.sort();
    assert_eq!(ids, kept, "the pending and the recent deliveries stay");
    let pending = left.iter().find(|d| d.event_id == retried).expect("its event stays with it");
    assert_eq!((pending.status, pending.event.as_str()), (DeliveryStatus::Pending, "case.closed"));
    assert!(left.iter().all(|d| d.event_id != done && d.event_id != unheard));
    // The waiting event is still there to fan out, and the retry still due.
    assert_eq!(s.fan_out(now, 10).await.unwrap(), 1);
    let due = s.claim_deliveries(now, now + Duration::seconds(60), 10).await.unwrap();
    let mut due: Vec<_> = due.iter().map(|d| (d.event_id, d.event.as_str())).collect();
    due.sort();
    assert_eq!(due, [(retried, "case.closed"), (waiting, "case.opened")]);
    assert!(s.list_deliveries(b, None, 10).await.unwrap().is_empty());
}
