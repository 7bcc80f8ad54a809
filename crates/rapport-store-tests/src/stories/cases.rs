//! Closing-the-loop stories: cases opened by rules during ingestion, routed
//! and promised, escalated when the (injected) clock passes the promise,
//! worked through RESOLVED, closed, reported by root cause, reopened.

use super::listening::{event, obj, response, survey_input};
use super::{add_person, add_stage, add_touchpoint, by, conflict, invalid, not_found, org};
use chrono::{Duration, NaiveDate, Utc};
use rapport_core::calendar::{Holiday, WorkCalendar};
use rapport_core::case::promise::Breach;
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::root_cause::{report, RootCauseInput};
use rapport_core::case::routing::RoutingRuleDraft;
use rapport_core::case::trigger::CaseRuleDraft;
use rapport_core::case::{CaseDraft, CaseStatus};
use rapport_core::customer::CustomerUpsert;
use rapport_core::measure::Interval;
use rapport_core::webhook::WebhookDraft;
use rapport_core::Id;
use rapport_store::{CaseFilter, Escalation, Notice, NoticeKind, Store};
use serde_json::{json, Map};

fn rule(name: &str, v: serde_json::Value) -> rapport_core::case::trigger::CaseRuleInput {
    let mut draft: CaseRuleDraft = serde_json::from_value(v).unwrap();
    draft.name = Some(name.into());
    draft.validate().unwrap()
}

fn step(s: Step, v: serde_json::Value) -> rapport_core::case::resolved::StepInput {
    serde_json::from_value::<StepDraft>(v).unwrap().validate(s).unwrap()
}

fn all() -> CaseFilter {
    CaseFilter { limit: 100, ..Default::default() }
}

async fn case_notices(rx: &mut tokio::sync::broadcast::Receiver<Notice>, org: Id) -> Vec<Id> {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        if n.org == org && n.kind == NoticeKind::Case {
            out.push(n.id);
            break;
        }
    }
    out
}

pub async fn case_lifecycle(s: &dyn Store) {
    let o = org(s, "cases").await.id;
    let other = org(s, "cases-other").await.id;
    let agent = add_person(s, o, "Agent").await;
    let leader = add_person(s, o, "Leader").await;
    let vip_agent = add_person(s, o, "Vip").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = add_touchpoint(s, o, "Checkout", stage, Some(agent)).await;
    let exp = s.create_experience(o, &super::experience("First purchase", Some(leader), vec![])).await.unwrap().id;
    s.add_interaction(o, exp, tp, None).await.unwrap();
    let survey = s.create_survey(o, &survey_input(tp, "After checkout"), "cases-survey").await.unwrap();
    for ext in ["c-1", "c-2"] {
        let c = CustomerUpsert { external_id: ext.into(), email: None, name: None, attributes: Map::new() };
        s.upsert_customer(o, &c).await.unwrap();
    }
    let late = s
        .create_root_cause(o, &RootCauseInput { name: "Late delivery".into(), description: None, preventable: true })
        .await
        .unwrap();
    conflict(
        s.create_root_cause(o, &RootCauseInput { name: "Late delivery".into(), description: None, preventable: false })
            .await,
        "name",
    );
    let detractors = s
        .create_case_rule(o, &rule("Detractor", json!({"kind": "score", "scale": "nps", "at_most": 6})))
        .await
        .unwrap();
    s.create_case_rule(o, &rule("Refund", json!({"kind": "event", "event_types": ["refund"]}))).await.unwrap();
    invalid(
        s.create_case_rule(o, &rule("Elsewhere", json!({"kind": "comment", "words": ["x"], "touchpoint_id": 999_999})))
            .await,
        "touchpoint_id",
    );
    let phone: RoutingRuleDraft = serde_json::from_value(json!({
        "name": "Phone", "channel": "phone", "assignee_id": vip_agent, "first_response_hours": 1, "resolution_hours": 4
    }))
    .unwrap();
    s.create_routing_rule(o, &phone.validate().unwrap()).await.unwrap();
    let hook =
        WebhookDraft { name: Some("Ops".into()), url: Some("http://127.0.0.1:9/hook".into()), ..Default::default() };
    s.create_webhook(o, &hook.validate().unwrap(), "secret", &by("webhook.create")).await.unwrap();
    let mut rx = s.subscribe();

    // A detractor opens a case for the touchpoint's owner, promised in working hours.
    let detractor = |key: &str, who: Option<&str>, nps: i64| {
        let mut r = response(Some(key), Some(survey.id), tp, who, Utc::now());
        r.answers = obj(json!({"nps": nps, "why": "slow"}));
        r
    };
    s.ingest_responses(o, &[detractor("r1", Some("c-1"), 3), detractor("r-anon", None, 0)]).await.unwrap();
    let open = s.list_cases(o, &all()).await.unwrap();
    assert_eq!(open.len(), 1, "the anonymous detractor opens no case: {open:?}");
    let case = s.get_case(o, open[0].id).await.unwrap();
    assert_eq!(case_notices(&mut rx, o).await, vec![case.id]);
    assert_eq!(
        (case.customer.as_deref(), case.touchpoint_id, case.rule_id),
        (Some("c-1"), Some(tp), Some(detractors.id))
    );
    assert_eq!((case.status, case.assignee_id), (CaseStatus::Open, Some(agent)));
    // Ingestion opens its cases in one go: each is indexed for search as one opened by hand.
    let search = CaseFilter { search: Some("detractor".into()), ..all() };
    assert_eq!(s.list_cases(o, &search).await.unwrap().iter().map(|k| k.id).collect::<Vec<_>>(), vec![case.id]);
    let cal = WorkCalendar::default();
    assert_eq!(case.first_response_due, cal.add_working_minutes(case.opened_at, 8 * 60));
    assert_eq!(case.resolution_due, cal.add_working_minutes(case.opened_at, 40 * 60));
    assert_eq!(case.items.len(), 1);

    // A promoter opens nothing; a second detractor answer and a refund join the same case.
    s.ingest_responses(o, &[detractor("r2", Some("c-1"), 9)]).await.unwrap();
    s.ingest_responses(o, &[detractor("r3", Some("c-1"), 5)]).await.unwrap();
    let mut refund = event(Some("e1"), "refund", "c-1", &Utc::now().to_rfc3339(), Some(tp));
    refund.amount = Some(40.0);
    s.ingest_events(o, &[refund]).await.unwrap();
    let listed = s.list_cases(o, &all()).await.unwrap();
    assert_eq!(listed.len(), 1, "one open case per customer and touchpoint");
    let case = s.get_case(o, case.id).await.unwrap();
    assert_eq!(case.items.iter().map(|i| i.kind.as_str()).collect::<Vec<_>>(), ["response", "response", "event"]);
    assert_eq!(case.history.iter().filter(|h| h.action == "joined").count(), 2);

    // Routing rules win over the owner: a phone detractor goes to the VIP agent with 1 h.
    let mut by_phone = detractor("r4", Some("c-2"), 1);
    by_phone.channel = Some("Phone".into());
    s.ingest_responses(o, &[by_phone]).await.unwrap();
    let theirs = s.list_cases(o, &CaseFilter { customer: Some("c-2".into()), ..all() }).await.unwrap();
    assert_eq!(theirs[0].assignee_id, Some(vip_agent));
    assert_eq!(theirs[0].first_response_due, cal.add_working_minutes(theirs[0].opened_at, 60));
    let mine = s.list_cases(o, &CaseFilter { assignee: Some(agent), ..all() }).await.unwrap();
    assert_eq!(mine.iter().map(|c| c.id).collect::<Vec<_>>(), [case.id]);

    // The clock passes the promises: escalated to the leader, each breach once.
    let later = case.resolution_due + Duration::minutes(1);
    let got = s.escalate_overdue(later).await.unwrap();
    let ours: Vec<&Escalation> = got.iter().filter(|e| e.case == case.id).collect();
    assert_eq!(
        ours.iter().map(|e| (e.breach, e.escalated_to)).collect::<Vec<_>>(),
        [(Breach::FirstResponse, Some(leader)), (Breach::Resolution, Some(leader))]
    );
    assert!(s.escalate_overdue(later).await.unwrap().is_empty(), "a breach is recorded once");
    let case = s.get_case(o, case.id).await.unwrap();
    assert_eq!((case.escalated_to, case.escalated_at), (Some(leader), Some(later)));
    assert!(case.is_overdue(later));
    assert!(case.history.iter().any(|h| h.action == "escalated"));
    s.assign_case(o, case.id, leader, "user:1", later).await.unwrap();
    invalid(s.assign_case(o, case.id, 999_999, "user:1", later).await, "assignee_id");

    // RESOLVED: in order; closing waits for agreement and a documented root cause.
    invalid(s.close_case(o, case.id, "user:1", later).await, "status");
    invalid(s.record_step(o, case.id, &step(Step::Seek, json!({})), "user:1", later).await, "step");
    let work = [
        (Step::Respond, json!({"note": "Called the customer"})),
        (Step::Empathize, json!({"note": "Apologized for the delay"})),
        (Step::Seek, json!({})),
        (Step::Open, json!({"proposal": "A refund of the shipping"})),
        (Step::Listen, json!({})),
        (Step::Verify, json!({"agreed": true})),
        (Step::Eliminate, json!({"action": "Refunded shipping"})),
    ];
    for (st, v) in work {
        s.record_step(o, case.id, &step(st, v), "user:1", later).await.unwrap();
    }
    invalid(s.close_case(o, case.id, "user:1", later).await, "status");
    invalid(
        s.record_step(
            o,
            case.id,
            &step(Step::Document, json!({"root_cause_id": 999_999, "root_cause_note": "x"})),
            "user:1",
            later,
        )
        .await,
        "root_cause_id",
    );
    let doc = json!({"root_cause_id": late.id, "root_cause_note": "Courier missed the slot"});
    s.record_step(o, case.id, &step(Step::Document, doc), "user:1", later).await.unwrap();
    let closed = s.close_case(o, case.id, "user:1", later).await.unwrap();
    assert_eq!(
        (closed.status, closed.root_cause_id, closed.first_responded_at),
        (CaseStatus::Closed, Some(late.id), Some(later))
    );
    assert_eq!(closed.steps.len(), 8);
    conflict(s.record_step(o, case.id, &step(Step::Listen, json!({})), "user:1", later).await, "status");
    conflict(s.delete_root_cause(o, late.id, &by("root_cause.delete")).await, "id");

    // The root-cause report counts it, with the refund's money.
    let day = later.date_naive();
    let from = (day - Duration::days(6)).and_hms_opt(0, 0, 0).unwrap().and_utc();
    let rows = s.closed_cases(o, from, later + Duration::days(1)).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].money, 40.0);
    let causes = s.list_root_causes(o).await.unwrap();
    let r = report(&causes, &rows, day - Duration::days(6), day, Interval::Day);
    assert_eq!((r[0].name.as_str(), r[0].cases, r[0].money), ("Late delivery", 1, 40.0));

    // New feedback after closing opens a new case; then the old one cannot reopen.
    s.ingest_responses(o, &[detractor("r5", Some("c-1"), 2)]).await.unwrap();
    conflict(s.reopen_case(o, case.id, Some("not solved"), "user:1", later).await, "status");
    let newer = s
        .list_cases(o, &CaseFilter { status: Some(CaseStatus::Open), customer: Some("c-1".into()), ..all() })
        .await
        .unwrap();
    assert_eq!(newer.len(), 1);
    assert_ne!(newer[0].id, case.id);
    let manual = CaseDraft {
        customer: Some("c-1".into()),
        touchpoint_id: Some(tp),
        title: Some("By hand".into()),
        ..Default::default()
    };
    conflict(s.open_case(o, &manual.validate().unwrap(), "user:1", later).await, "customer");
    let elsewhere = CaseDraft { customer: Some("c-1".into()), title: Some("Billing".into()), ..Default::default() };
    let opened = s.open_case(o, &elsewhere.validate().unwrap(), "user:1", later).await.unwrap();
    assert_eq!((opened.touchpoint_id, opened.assignee_id, opened.rule_id), (None, None, None));
    let nobody = CaseDraft { customer: Some("nobody".into()), title: Some("x".into()), ..Default::default() };
    invalid(s.open_case(o, &nobody.validate().unwrap(), "user:1", later).await, "customer");

    // Reopening once the newer case is closed gives a fresh resolution promise.
    close_fully(s, o, newer[0].id, late.id, later).await;
    let reopened = s.reopen_case(o, case.id, Some("Customer called back"), "user:1", later).await.unwrap();
    assert_eq!(reopened.status, CaseStatus::Open);
    assert_eq!(reopened.resolution_due, cal.add_working_minutes(later, 40 * 60));
    assert_eq!(reopened.history.last().map(|h| h.action.as_str()), Some("reopened"));

    // Each change went out through the outbox: to the webhook, and by e-mail
    // to the people it concerns.
    s.fan_out(Utc::now(), 1000).await.unwrap();
    let sent = s.list_deliveries(o, None, 1000).await.unwrap();
    let to_hook = |event: &str| sent.iter().filter(|d| d.channel == "webhook" && d.event == event).count();
    assert_eq!(to_hook("case.opened"), 4, "c-1 twice, c-2 by phone, the billing case by hand");
    assert!(to_hook("case.breached") >= 2 && to_hook("case.assigned") == 1 && to_hook("case.closed") == 2, "{sent:?}");
    let mailed = |event: &str, to: &str| sent.iter().any(|d| d.event == event && d.recipient.as_deref() == Some(to));
    assert!(mailed("case.opened", "agent@example.com") && mailed("case.breached", "leader@example.com"), "{sent:?}");

    // Isolation.
    not_found(s.get_case(other, case.id).await);
    not_found(s.close_case(other, case.id, "user:1", later).await);
    assert!(s.list_cases(other, &all()).await.unwrap().is_empty());
}

/// Works a case through all eight steps and closes it.
async fn close_fully(s: &dyn Store, org: Id, id: Id, cause: Id, now: chrono::DateTime<Utc>) {
    for st in Step::ALL {
        let v = match st {
            Step::Open => json!({"proposal": "p"}),
            Step::Verify => json!({"agreed": true}),
            Step::Eliminate => json!({"action": "a"}),
            Step::Document => json!({"root_cause_id": cause, "root_cause_note": "n"}),
            _ => json!({}),
        };
        s.record_step(org, id, &step(st, v), "user:1", now).await.unwrap();
    }
    s.close_case(org, id, "user:1", now).await.unwrap();
}

pub async fn work_calendar(s: &dyn Store) {
    let o = org(s, "calendar").await.id;
    assert_eq!(s.work_calendar(o).await.unwrap(), WorkCalendar::default());
    let day = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
    let cal = WorkCalendar {
        time_zone: "America/New_York".into(),
        day_start: 8 * 60,
        day_end: 16 * 60 + 30,
        workdays: [true, true, true, true, true, true, false],
        holidays: vec![Holiday { day, name: "Christmas".into() }],
    };
    assert_eq!(s.set_work_calendar(o, &cal, None).await.unwrap(), cal);
    assert_eq!(s.work_calendar(o).await.unwrap(), cal);
    let fewer = WorkCalendar { holidays: vec![], ..cal.clone() };
    assert_eq!(s.set_work_calendar(o, &fewer, None).await.unwrap(), fewer);
    // A fixed-offset zone (what an older utc_offset_minutes became).
    let fixed = WorkCalendar { time_zone: "UTC+05:30".into(), ..fewer.clone() };
    assert_eq!(s.set_work_calendar(o, &fixed, None).await.unwrap(), fixed);
    assert_eq!(s.work_calendar(o).await.unwrap().time_zone, "UTC+05:30");

    // Promises follow the zone's daylight-saving change: opened on Friday
    // 2026-03-27 at 10:00 in Madrid (CET), the 8 working hours of the first
    // response end on Monday at 10:00 CEST, 08:00 UTC (a fixed +01:00 would
    // say 09:00 UTC).
    let madrid = WorkCalendar { time_zone: "Europe/Madrid".into(), ..WorkCalendar::default() };
    s.set_work_calendar(o, &madrid, None).await.unwrap();
    let c = CustomerUpsert { external_id: "cal-1".into(), email: None, name: None, attributes: Map::new() };
    s.upsert_customer(o, &c).await.unwrap();
    let input = rapport_core::case::CaseInput {
        customer: "cal-1".into(),
        touchpoint_id: None,
        title: "Across the change".into(),
        assignee_id: None,
        note: None,
    };
    let opened = "2026-03-27T09:00:00Z".parse().unwrap();
    let case = s.open_case(o, &input, "user:1", opened).await.unwrap();
    assert_eq!(case.first_response_due, "2026-03-30T08:00:00Z".parse::<chrono::DateTime<Utc>>().unwrap());
    assert_eq!(case.resolution_due, madrid.add_working_minutes(opened, 40 * 60));
}
