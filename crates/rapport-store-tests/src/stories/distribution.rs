//! Stories of distribution, on both backends: an invitation wave to a
//! segment (sends, skips with reasons, one reminder, opened and answered
//! counts kept on the wave), a triggered survey scheduled once, bounces and
//! unsubscribes, and isolation.

use super::listening::{event, response, setup};
use super::{add_segment, invalid, not_found, org};
use chrono::{DateTime, Duration, Utc};
use rapport_core::customer::CustomerUpsert;
use rapport_core::survey::distribution::template::MailTemplate;
use rapport_core::survey::distribution::{InvitationKind, InvitationStatus, SkipReason, TriggerDraft, WaveDraft};
use rapport_core::Id;
use rapport_store::distribution::{DueMail, SendOutcome};
use rapport_store::Store;
use serde_json::{json, Map};

fn customer(id: &str, email: Option<&str>, plan: &str) -> CustomerUpsert {
    let mut attributes = Map::new();
    attributes.insert("plan".into(), json!(plan));
    attributes.insert("language".into(), json!("es"));
    CustomerUpsert { external_id: id.into(), email: email.map(Into::into), name: Some(id.to_uppercase()), attributes }
}

/// Sends everything due at `now` as the distribution pass would; the
/// outcomes by customer.
async fn send_due(s: &dyn Store, now: DateTime<Utc>) -> Vec<(String, bool, SendOutcome)> {
    let due: Vec<DueMail> = s.due_mails(now, 100).await.unwrap();
    let mut out = Vec::new();
    for m in due {
        let payload = json!({"email_to": [m.email], "invitation_id": m.invitation_id,
                             "mail": {"subject": "s", "text": "t"}});
        let outcome = s.send_mail(m.org, m.invitation_id, m.reminder, now, &payload).await.unwrap();
        out.push((m.external_id, m.reminder, outcome));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

pub async fn distribution_story(s: &dyn Store) {
    let o = org(s, "dist").await.id;
    let (tp, survey) = setup(s, o, "tok-dist").await;
    let pro = add_segment(s, o, "Pro").await;
    for c in [
        customer("ana", Some("ana@example.com"), "pro"),
        customer("ben", Some("ben@example.com"), "pro"),
        customer("cai", Some("cai@example.com"), "pro"),
        customer("dan", Some("dan@example.com"), "pro"),
        customer("eve", None, "pro"),
        customer("fay", Some("fay@example.com"), "free"),
        customer("gus", Some("gus@example.com"), "free"),
    ] {
        s.upsert_customer(o, &c).await.unwrap();
    }
    let now = rapport_store::rows::now();
    // Ben unsubscribed; Cai answered the survey last week.
    s.set_unsubscribed(o, "ben", true, "link", now).await.unwrap();
    s.ingest_responses(o, &[response(None, Some(survey.id), tp, Some("cai"), now - Duration::days(7))]).await.unwrap();

    let w = WaveDraft { segment_id: Some(pro), reminder_days: Some(3), ..WaveDraft::default() }
        .validate(None, now)
        .unwrap();
    let created = s.create_wave(o, survey.id, &w, false, "ann@example.com", now).await.unwrap();
    let wave = created.wave;
    assert_eq!((wave.audience.as_str(), wave.counts.invited, wave.counts.sent), ("segment", 5, 0));
    assert_eq!(wave.template, MailTemplate::invitation());

    // The pass: one send per customer, the others skipped with reasons.
    let outcomes = send_due(s, now).await;
    let expect = |id: &str, o: SendOutcome| (id.to_string(), false, o);
    assert_eq!(
        outcomes,
        vec![
            expect("ana", SendOutcome::Sent),
            expect("ben", SendOutcome::Skipped(SkipReason::Unsubscribed)),
            expect("cai", SendOutcome::Skipped(SkipReason::RecentlyAnswered)),
            expect("dan", SendOutcome::Sent),
            expect("eve", SendOutcome::Skipped(SkipReason::NoEmail)),
        ]
    );
    assert!(send_due(s, now).await.is_empty(), "each invitation goes once");
    let rows = s.list_invitations(o, wave.id, None, None, 50).await.unwrap();
    let ben = rows.iter().find(|r| r.external_id == "ben").unwrap();
    assert_eq!((ben.status, ben.skip_reason), (InvitationStatus::Skipped, Some(SkipReason::Unsubscribed)));
    let sent = s.list_invitations(o, wave.id, Some(InvitationStatus::Sent), None, 50).await.unwrap();
    assert_eq!(sent.iter().map(|r| r.external_id.as_str()).collect::<Vec<_>>(), vec!["ana", "dan"]);
    let page = s.list_invitations(o, wave.id, None, Some(rows[1].id), 2).await.unwrap();
    assert_eq!(page.iter().map(|r| r.id).collect::<Vec<_>>(), vec![rows[2].id, rows[3].id]);
    // An e-mail a day (the outbox holds the payload).
    let due = s.due_mails(now + Duration::days(1), 100).await.unwrap();
    assert!(due.is_empty(), "no reminder before 3 days: {due:?}");

    // Ana opens her link and answers; Dan does not.
    s.invitation_opened(o, survey.id, "ana", now + Duration::hours(1)).await.unwrap();
    s.invitation_opened(o, survey.id, "ana", now + Duration::hours(2)).await.unwrap();
    s.invitation_opened(o, survey.id, "nobody", now).await.unwrap();
    s.ingest_responses(o, &[response(None, Some(survey.id), tp, Some("ana"), now + Duration::hours(1))]).await.unwrap();
    let counts = s.get_wave(o, wave.id).await.unwrap().counts;
    assert_eq!((counts.sent, counts.skipped, counts.opened, counts.answered), (2, 3, 1, 1));
    assert_eq!(counts.answered_rate(), Some(50.0));

    // Three days later, one reminder to Dan only, once.
    let later = now + Duration::days(3);
    assert_eq!(send_due(s, later).await, vec![("dan".to_string(), true, SendOutcome::Sent)]);
    assert!(send_due(s, later + Duration::days(5)).await.is_empty(), "one reminder");
    let dan = s.customer_invitations(o, "dan", 10).await.unwrap();
    assert_eq!(dan[0].reminded_at, Some(later));
    assert_eq!(s.get_wave(o, wave.id).await.unwrap().counts.reminded, 1);

    // A bounce is recorded on the invitation and on the customer, who is
    // skipped from then on.
    s.invitation_bounced(o, dan[0].id, "550 no such user", later).await.unwrap();
    let counts = s.get_wave(o, wave.id).await.unwrap().counts;
    assert_eq!((counts.sent, counts.bounced), (1, 1));
    assert_eq!(s.mail_status(o, "dan").await.unwrap().bounced_at, Some(later));

    // A list wave naming an unknown customer is refused, naming it; a CSV
    // wave reports it and invites the rest, throttled per hour.
    let list = WaveDraft { customers: Some(vec!["fay".into(), "zed".into()]), ..WaveDraft::default() };
    let w = list.validate(None, later).unwrap();
    invalid(s.create_wave(o, survey.id, &w, false, "x", later).await, "customers[1]");
    let parsed =
        rapport_core::survey::distribution::csv::parse("external_id,email\nfay,\nzed,z@example.com\nana,\ngus,\n");
    let w = WaveDraft { per_hour: Some(1), reminder_days: Some(0), ..WaveDraft::default() }
        .validate(Some(parsed.rows), later)
        .unwrap();
    let created = s.create_wave(o, survey.id, &w, true, "x", later).await.unwrap();
    assert_eq!(created.row_errors.len(), 1);
    assert_eq!((created.row_errors[0].line, created.row_errors[0].reason.as_str()), (3, "unknown_customer"));
    assert_eq!((created.wave.audience.as_str(), created.wave.counts.invited), ("csv", 3));
    // Ana answered within the fatigue window: skipped, whatever the throttle.
    let first = send_due(s, later).await;
    assert_eq!(
        first,
        vec![
            ("ana".to_string(), false, SendOutcome::Skipped(SkipReason::RecentlyAnswered)),
            ("fay".to_string(), false, SendOutcome::Sent),
            ("gus".to_string(), false, SendOutcome::Throttled),
        ]
    );
    assert!(send_due(s, later + Duration::minutes(30)).await.is_empty(), "the hour is full");
    let next = send_due(s, later + Duration::hours(1)).await;
    assert_eq!(next, vec![("gus".to_string(), false, SendOutcome::Sent)]);

    // A triggered survey: 48 hours after a delivery, once per event, and
    // once per customer within the survey's fatigue window (30 days).
    let t = TriggerDraft { event_kind: Some("delivery".into()), delay_hours: Some(48), ..TriggerDraft::default() }
        .validate()
        .unwrap();
    let rule = s.create_trigger(o, survey.id, &t, "x", now).await.unwrap();
    assert_eq!(rule.event_kind, "custom:delivery");
    let at = now.to_rfc3339();
    let delivery = event(Some("d-1"), "custom:delivery", "fay", &at, None);
    s.ingest_events(o, std::slice::from_ref(&delivery)).await.unwrap();
    s.ingest_events(o, &[delivery]).await.unwrap();
    let second = (now + Duration::days(2)).to_rfc3339();
    s.ingest_events(o, &[event(Some("d-2"), "custom:delivery", "fay", &second, None)]).await.unwrap();
    s.ingest_events(o, &[event(Some("p-1"), "purchase", "fay", &at, None)]).await.unwrap();
    let fay = s.customer_invitations(o, "fay", 10).await.unwrap();
    let triggered: Vec<_> = fay.iter().filter(|i| i.kind == InvitationKind::Trigger).collect();
    assert_eq!(triggered.len(), 1, "{fay:?}");
    assert_eq!((triggered[0].status, triggered[0].trigger_id), (InvitationStatus::Scheduled, Some(rule.id)));
    assert!(triggered[0].due_at > now + Duration::hours(47));
    assert!(send_due(s, now + Duration::hours(47)).await.iter().all(|x| x.0 != "fay"), "not before its time");
    assert_eq!(send_due(s, now + Duration::hours(49)).await, vec![("fay".to_string(), false, SendOutcome::Sent)]);
    // Unsubscribing is honoured by triggered surveys too.
    s.set_unsubscribed(o, "fay", true, "staff", now).await.unwrap();
    s.ingest_events(o, &[event(Some("d-3"), "custom:delivery", "fay", &(now + Duration::days(40)).to_rfc3339(), None)])
        .await
        .unwrap();
    let out = send_due(s, now + Duration::days(43)).await;
    assert_eq!(out, vec![("fay".to_string(), false, SendOutcome::Skipped(SkipReason::Unsubscribed))]);
    let status = s.set_unsubscribed(o, "fay", false, "staff", now).await.unwrap();
    assert_eq!(status.unsubscribed_at, None, "resubscribed by staff");

    // A thank-you note follows an answer from a customer with an address.
    s.set_thanks(o, survey.id, Some(&MailTemplate::thanks()), now).await.unwrap();
    assert_eq!(s.get_thanks(o, survey.id).await.unwrap(), Some(MailTemplate::thanks()));
    s.ingest_responses(o, &[response(None, Some(survey.id), tp, Some("fay"), now + Duration::days(44))]).await.unwrap();
    s.ingest_responses(o, &[response(None, Some(survey.id), tp, Some("eve"), now + Duration::days(44))]).await.unwrap();
    let due = s.due_mails(now + Duration::days(44), 10).await.unwrap();
    assert_eq!(
        due.iter().map(|d| (d.external_id.as_str(), d.kind)).collect::<Vec<_>>(),
        vec![("fay", InvitationKind::Thanks)]
    );
    assert_eq!(due[0].template, Some(MailTemplate::thanks()));

    // Another organization sees none of it.
    let other = org(s, "dist-other").await.id;
    not_found(s.get_wave(other, wave.id).await);
    not_found(s.list_invitations(other, wave.id, None, None, 10).await);
    not_found(s.get_trigger(other, rule.id).await);
    not_found(s.mail_status(other, "ana").await);
    assert!(s.list_waves(other, survey.id, None, 10).await.unwrap().is_empty());
    let waves: Vec<Id> = s.list_waves(o, survey.id, None, 10).await.unwrap().into_iter().map(|w| w.id).collect();
    assert_eq!(waves.len(), 2);
    assert!(waves[0] > waves[1], "newest first");
    not_found(s.create_wave(other, survey.id, &w, true, "x", now).await);
}
