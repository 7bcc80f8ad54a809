//! Stories of the case queue, on both backends: every filter (status,
//! priority, touchpoint, assignee, unassigned, tag, breached, search),
//! combined and paged by keyset, returns exactly what an independent filter
//! of all the cases says; bulk changes are all or nothing; a refund without
//! a touchpoint goes to the default queue owner; a handover names both
//! people; the closed-loop figures match an independent count.

use super::listening::{event, obj, response, survey_input};
use super::{add_person, add_stage, add_touchpoint, by, invalid, org};
use chrono::{DateTime, Duration, Utc};
use rapport_core::case::closed_loop::{report, ClosedLoopCase, ClosedLoopCounts};
use rapport_core::case::history::HistoryLine;
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::root_cause::RootCauseInput;
use rapport_core::case::triage::{AssignmentReason, Priority};
use rapport_core::case::trigger::CaseRuleDraft;
use rapport_core::case::{Case, CaseInput, CaseStatus};
use rapport_core::customer::CustomerUpsert;
use rapport_core::Id;
use rapport_store::{CaseBulkChange, CaseFilter, CaseKey, CaseTriageChange, Store};
use serde_json::{json, Map};

fn rule(name: &str, v: serde_json::Value) -> rapport_core::case::trigger::CaseRuleInput {
    let mut draft: CaseRuleDraft = serde_json::from_value(v).unwrap();
    draft.name = Some(name.into());
    draft.validate().unwrap()
}

fn respond() -> rapport_core::case::resolved::StepInput {
    serde_json::from_value::<StepDraft>(json!({"note": "Called"})).unwrap().validate(Step::Respond).unwrap()
}

/// Works a case through RESOLVED and closes it.
async fn close(s: &dyn Store, o: Id, id: Id) {
    let cause = RootCauseInput { name: "Courier".into(), description: None, preventable: true };
    let cause = s.create_root_cause(o, &cause).await.unwrap();
    let work = [
        (Step::Respond, json!({})),
        (Step::Empathize, json!({})),
        (Step::Seek, json!({})),
        (Step::Open, json!({"proposal": "A refund"})),
        (Step::Listen, json!({})),
        (Step::Verify, json!({"agreed": true})),
        (Step::Eliminate, json!({"action": "Refunded"})),
        (Step::Document, json!({"root_cause_id": cause.id, "root_cause_note": "Missed slot"})),
    ];
    for (st, v) in work {
        let input = serde_json::from_value::<StepDraft>(v).unwrap().validate(st).unwrap();
        s.record_step(o, id, &input, "user:1", Utc::now()).await.unwrap();
    }
    s.close_case(o, id, "user:1", Utc::now()).await.unwrap();
}

/// Every page of the filter, `per` cases at a time, by keyset.
async fn paged(s: &dyn Store, o: Id, f: &CaseFilter, per: i64) -> Vec<Id> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = s.list_cases(o, &CaseFilter { limit: per, after, ..f.clone() }).await.unwrap();
        out.extend(page.iter().map(|c| c.id));
        if (page.len() as i64) < per {
            return out;
        }
        after = page.last().map(CaseKey::of);
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The filter, applied to cases in memory (what the SQL must agree with).
fn expected(all: &[Case], f: &CaseFilter) -> Vec<Id> {
    let mut hits: Vec<&Case> = all
        .iter()
        .filter(|c| f.status.is_none_or(|s| c.status == s))
        .filter(|c| f.assignee.is_none_or(|a| c.assignee_id == Some(a)))
        .filter(|c| !f.unassigned || c.assignee_id.is_none())
        .filter(|c| f.touchpoint.is_none_or(|t| c.touchpoint_id == Some(t)))
        .filter(|c| f.priority.is_none_or(|p| c.triage.priority == p))
        .filter(|c| f.tag.as_ref().is_none_or(|t| c.triage.tags.contains(t)))
        .filter(|c| f.breached_as_of.is_none_or(|now| c.status == CaseStatus::Open && c.next_due() < now))
        .filter(|c| {
            f.search.as_ref().is_none_or(|q| {
                let title = words(&c.title);
                let customer = words(c.customer.as_deref().unwrap_or(""));
                let all_in = |ws: &[String]| words(q).iter().all(|w| ws.iter().any(|t| t.starts_with(w.as_str())));
                all_in(&title) || all_in(&customer)
            })
        })
        .collect();
    hits.sort_by_key(|c| CaseKey::of(c));
    hits.into_iter().map(|c| c.id).collect()
}

pub async fn case_queue_story(s: &dyn Store) {
    let o = org(s, "queue").await.id;
    let other = org(s, "queue-other").await.id;
    let tom = add_person(s, o, "Tom").await;
    let emily = add_person(s, o, "Emily").await;
    let zoe = add_person(s, o, "Zoe").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let owned = add_touchpoint(s, o, "Checkout", stage, Some(tom)).await;
    let unowned = add_touchpoint(s, o, "Delivery", stage, None).await;
    let now = Utc::now();
    let titles = ["Late parcel", "Refund request", "Broken grinder", "Late refund", "Parcel lost"];
    let mut opened = Vec::new();
    for i in 0..15usize {
        let ext = format!("{}-{i:02}", ["ana", "bob", "eva"][i % 3]);
        let c = CustomerUpsert { external_id: ext.clone(), email: None, name: None, attributes: Map::new() };
        s.upsert_customer(o, &c).await.unwrap();
        let touchpoint = [Some(owned), Some(unowned), None][i % 3];
        let assignee = [None, Some(emily), None, Some(zoe)][i % 4];
        let input = CaseInput {
            customer: ext,
            touchpoint_id: touchpoint,
            title: titles[i % 5].into(),
            assignee_id: assignee,
            note: None,
        };
        // A third opened a month ago: their promises are broken.
        let at: DateTime<Utc> = if i % 3 == 0 { now - Duration::days(30) } else { now - Duration::minutes(i as i64) };
        opened.push(s.open_case(o, &input, "user:1", at).await.unwrap());
    }
    // Without a default owner, a case at the unowned touchpoint stays with nobody (and says so).
    let nobody = opened.iter().find(|c| c.touchpoint_id == Some(unowned) && c.assignee_id.is_none()).unwrap();
    assert_eq!(nobody.triage.assignment_reason, None);
    let by_owner =
        opened.iter().find(|c| c.touchpoint_id == Some(owned) && c.triage.assignment_reason.is_some()).unwrap();
    assert_eq!(
        (by_owner.assignee_id, by_owner.triage.assignment_reason),
        (Some(tom), Some(AssignmentReason::TouchpointOwner))
    );
    // Triage: priorities and tags, one history line per change.
    for (i, c) in opened.iter().enumerate() {
        let change = CaseTriageChange {
            priority: Some(Priority::ALL[i % 4]),
            tags: Some(match i % 3 {
                0 => vec!["vip".into(), "late-delivery".into()],
                1 => vec!["vip".into()],
                _ => vec![],
            }),
        };
        s.set_case_triage(o, c.id, &change, "user:1", now).await.unwrap();
    }
    let c0 = s.get_case(o, opened[1].id).await.unwrap();
    assert_eq!((c0.triage.priority, c0.triage.tags.clone()), (Priority::Normal, vec!["vip".to_string()]));
    assert!(c0.history.iter().any(|h| h.action == "tagged" && h.detail.as_deref() == Some("vip")));
    // Responded (the first response stops the clock), and one closed.
    s.record_step(o, opened[3].id, &respond(), "user:1", now).await.unwrap();
    close(s, o, opened[4].id).await;

    // Every filter, alone and combined, paged 2 at a time, against an independent filter.
    let all = s.list_cases(o, &CaseFilter::default()).await.unwrap();
    assert_eq!(all.len(), 15);
    let check_now = Utc::now();
    let filters = [
        CaseFilter::default(),
        CaseFilter { status: Some(CaseStatus::Open), ..Default::default() },
        CaseFilter { status: Some(CaseStatus::Closed), ..Default::default() },
        CaseFilter { priority: Some(Priority::High), ..Default::default() },
        CaseFilter { touchpoint: Some(unowned), ..Default::default() },
        CaseFilter { assignee: Some(emily), ..Default::default() },
        CaseFilter { unassigned: true, ..Default::default() },
        CaseFilter { tag: Some("vip".into()), ..Default::default() },
        CaseFilter { breached_as_of: Some(check_now), ..Default::default() },
        CaseFilter { search: Some("late".into()), ..Default::default() },
        CaseFilter { search: Some("LATE Parc".into()), ..Default::default() },
        CaseFilter { search: Some("ana".into()), ..Default::default() },
        CaseFilter { search: Some("zzz".into()), ..Default::default() },
        CaseFilter { tag: Some("vip".into()), breached_as_of: Some(check_now), ..Default::default() },
        CaseFilter {
            status: Some(CaseStatus::Open),
            tag: Some("late-delivery".into()),
            search: Some("late".into()),
            ..Default::default()
        },
        CaseFilter { priority: Some(Priority::Urgent), touchpoint: Some(owned), ..Default::default() },
        CaseFilter { unassigned: true, tag: Some("vip".into()), status: Some(CaseStatus::Open), ..Default::default() },
        CaseFilter { assignee: Some(zoe), search: Some("refund".into()), ..Default::default() },
    ];
    for f in &filters {
        let want = expected(&all, f);
        assert_eq!(paged(s, o, f, 2).await, want, "{f:?}");
        assert_eq!(s.count_cases(o, f, 100).await.unwrap(), want.len() as i64, "{f:?}");
    }
    let some = filters.iter().filter(|f| !expected(&all, f).is_empty()).count();
    assert!(some >= 15, "the filters are not all empty: {some}");
    assert_eq!(s.count_cases(o, &CaseFilter::default(), 4).await.unwrap(), 4, "counting stops at the cap");
    assert!(s.list_cases(other, &CaseFilter::default()).await.unwrap().is_empty());

    // Bulk: all or nothing.
    let ids: Vec<Id> = opened[5..9].iter().map(|c| c.id).collect();
    let before: Vec<Option<Id>> = ids.iter().map(|id| all.iter().find(|c| c.id == *id).unwrap().assignee_id).collect();
    let change =
        CaseBulkChange { assignee: Some(emily), priority: Some(Priority::Urgent), add_tags: vec!["bulk".into()] };
    let with_unknown = [ids.clone(), vec![999_999]].concat();
    invalid(s.bulk_update_cases(o, &with_unknown, &change, "user:1", now).await, "ids");
    let foreign = s.list_cases(other, &CaseFilter::default()).await.unwrap();
    assert!(foreign.is_empty());
    invalid(
        s.bulk_update_cases(o, &ids, &CaseBulkChange { assignee: Some(999_999), ..change.clone() }, "user:1", now)
            .await,
        "assignee_id",
    );
    for (id, was) in ids.iter().zip(&before) {
        let c = s.get_case(o, *id).await.unwrap();
        assert_eq!(c.assignee_id, *was, "nothing changed");
        assert!(!c.triage.tags.contains(&"bulk".to_string()));
    }
    let changed = s.bulk_update_cases(o, &ids, &change, "user:1", now).await.unwrap();
    assert_eq!(changed, ids);
    for id in &ids {
        let c = s.get_case(o, *id).await.unwrap();
        assert_eq!((c.assignee_id, c.triage.priority), (Some(emily), Priority::Urgent));
        assert!(c.triage.tags.contains(&"bulk".to_string()));
        assert_eq!(c.triage.assignment_reason, Some(AssignmentReason::Manual));
    }
    let tagged = paged(s, o, &CaseFilter { tag: Some("bulk".into()), ..Default::default() }, 3).await;
    assert_eq!(tagged.len(), 4);

    // A refund without a touchpoint goes to the default queue owner, and says why.
    invalid(s.set_default_case_owner(o, Some(999_999), &by("case_routing.default_owner")).await, "person_id");
    s.set_default_case_owner(o, Some(zoe), &by("case_routing.default_owner")).await.unwrap();
    assert_eq!(s.default_case_owner(o).await.unwrap(), Some(zoe));
    assert_eq!(s.default_case_owner(other).await.unwrap(), None);
    s.create_case_rule(
        o,
        &rule(
            "Refund",
            json!({"kind": "event", "event_types": ["refund"], "priority": "high", "tags": ["Money back"]}),
        ),
    )
    .await
    .unwrap();
    s.ingest_events(o, &[event(Some("refund-1"), "refund", "bob-01", &now.to_rfc3339(), None)]).await.unwrap();
    let refund = s
        .list_cases(o, &CaseFilter { customer: Some("bob-01".into()), touchpoint: None, ..Default::default() })
        .await
        .unwrap();
    let refund = refund.iter().find(|c| c.rule_id.is_some()).expect("the refund opened a case");
    assert_eq!(
        (refund.assignee_id, refund.triage.assignment_reason),
        (Some(zoe), Some(AssignmentReason::DefaultOwner))
    );
    assert_eq!((refund.triage.priority, refund.triage.tags.clone()), (Priority::High, vec!["money-back".to_string()]));
    let lines = s.get_case(o, refund.id).await.unwrap().history;
    assert!(lines.iter().any(|h| HistoryLine::parse(&h.action, h.detail.as_deref())
        == HistoryLine::Assigned { from: None, to: Some(zoe), reason: Some(AssignmentReason::DefaultOwner) }));

    // A handover moves Tom's open cases to Emily with a line naming both.
    let toms: Vec<Id> = s
        .list_cases(o, &CaseFilter { assignee: Some(tom), status: Some(CaseStatus::Open), ..Default::default() })
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert!(!toms.is_empty());
    let moved = s.handover(o, tom, emily, Some(&by("person.handover"))).await.unwrap();
    assert_eq!(moved.cases, toms.len() as u64);
    for id in &toms {
        let c = s.get_case(o, *id).await.unwrap();
        assert_eq!((c.assignee_id, c.triage.assignment_reason), (Some(emily), Some(AssignmentReason::Handover)));
        let last = c.history.last().unwrap();
        assert_eq!(
            (last.action.as_str(), last.detail.clone()),
            ("handover", Some(format!("person:{tom}->person:{emily}")))
        );
        assert_eq!(last.actor, "story@example.com");
    }

    closed_loop(s).await;
}

/// Detractor cases opened from NPS answers; some answered in time, one
/// late, one not yet; the figures against a count of the cases themselves.
async fn closed_loop(s: &dyn Store) {
    let o = org(s, "queue-loop").await.id;
    let agent = add_person(s, o, "Agent").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = add_touchpoint(s, o, "Checkout", stage, Some(agent)).await;
    let survey = s.create_survey(o, &survey_input(tp, "After checkout"), "loop-survey").await.unwrap();
    let detractors = s
        .create_case_rule(o, &rule("Detractors", json!({"kind": "score", "scale": "nps", "at_most": 6})))
        .await
        .unwrap();
    s.create_case_rule(o, &rule("Refund", json!({"kind": "event", "event_types": ["refund"]}))).await.unwrap();
    let now = Utc::now();
    let mut rows = Vec::new();
    for (i, nps) in [2, 5, 6, 9, 0, 3].into_iter().enumerate() {
        let mut r = response(Some(&format!("l{i}")), Some(survey.id), tp, Some(&format!("cust-{i}")), now);
        r.answers = obj(json!({"nps": nps}));
        rows.push(r);
    }
    s.ingest_responses(o, &rows).await.unwrap();
    s.ingest_events(o, &[event(Some("rf"), "refund", "cust-3", &now.to_rfc3339(), Some(tp))]).await.unwrap();
    let cases = s.list_cases(o, &CaseFilter::default()).await.unwrap();
    assert_eq!(cases.len(), 6, "five detractors and a refund");
    assert_eq!(cases.iter().filter(|c| c.triage.detractor).count(), 5);
    let by_customer = |ext: &str| cases.iter().find(|c| c.customer.as_deref() == Some(ext)).unwrap().clone();
    // In time, in time (the refund), late, and nothing yet for the rest.
    s.record_step(o, by_customer("cust-0").id, &respond(), "user:1", now + Duration::minutes(30)).await.unwrap();
    s.record_step(o, by_customer("cust-3").id, &respond(), "user:1", now + Duration::minutes(90)).await.unwrap();
    let late = by_customer("cust-1");
    s.record_step(o, late.id, &respond(), "user:1", late.first_response_due + Duration::hours(1)).await.unwrap();

    let all: Vec<Case> = s.list_cases(o, &CaseFilter::default()).await.unwrap();
    let (from, to) = (now - Duration::days(1), now + Duration::days(1));
    // The store's counts are the counts of its cases, read one by one, at
    // any time: before every promise, between, after every one.
    let as_read: Vec<ClosedLoopCase> = all
        .iter()
        .map(|c| ClosedLoopCase {
            touchpoint_id: c.touchpoint_id,
            assignee_id: c.assignee_id,
            detractor: c.triage.detractor,
            opened_at: c.opened_at,
            first_response_due: c.first_response_due,
            first_responded_at: c.first_responded_at,
        })
        .collect();
    for at in
        [now, now + Duration::minutes(45), late.first_response_due + Duration::minutes(1), now + Duration::days(60)]
    {
        let counted = s.closed_loop_counts(o, from, to, at).await.unwrap();
        assert_eq!(report(&counted), report(&ClosedLoopCounts::of(&as_read, at)), "at {at}");
    }
    let later = s.closed_loop_counts(o, now + Duration::days(1), now + Duration::days(2), now).await.unwrap();
    assert_eq!(later, ClosedLoopCounts::default(), "none opened then");
    // At a time past every promise: every promise is decided.
    let at = now + Duration::days(60);
    let figures = report(&s.closed_loop_counts(o, from, to, at).await.unwrap());
    let detractor_cases: Vec<&Case> = all.iter().filter(|c| c.rule_id == Some(detractors.id)).collect();
    let kept = |c: &&&Case| c.first_responded_at.is_some_and(|t| t <= c.first_response_due);
    assert_eq!(figures.overall.detractor_cases, detractor_cases.len() as i64);
    assert_eq!(figures.overall.detractors_in_time, detractor_cases.iter().filter(kept).count() as i64);
    assert_eq!((figures.overall.detractors_in_time, figures.overall.detractors_decided), (1, 5));
    assert_eq!(figures.overall.closed_loop_rate, Some(0.2));
    assert_eq!((figures.overall.in_time, figures.overall.decided, figures.overall.responded), (2, 6, 3));
    assert_eq!(figures.touchpoints.len(), 1);
    assert_eq!(figures.agents.iter().map(|g| g.id).collect::<Vec<_>>(), vec![Some(agent)]);
}
