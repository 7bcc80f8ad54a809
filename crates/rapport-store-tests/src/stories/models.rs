//! The models' storage (C5, C7, C8): a refit is queued once, claimed by one
//! runner under a lease and taken over when the lease lapses; a fit reads
//! customers a page at a time with their events, responses and cases;
//! scores page by value at risk; a finished run drops older scores; erasing
//! a customer removes their scores.

use super::listening::{at, event, obj, response, setup};
use super::{by, org};
use chrono::Duration;
use rapport_core::Id;
use rapport_store::{DriverResult, NewScore, RunStatus, Store};
use serde_json::json;

fn score(customer_id: Id, value_at_risk: f64) -> NewScore {
    NewScore {
        customer_id,
        churn_risk: Some(0.5),
        p_alive: Some(0.8),
        expected_purchases: Some(1.25),
        lifetime_value: Some(value_at_risk * 2.0),
        value_at_risk,
        reasons: json!([{"key": "days_since_purchase", "value": 90}]),
    }
}

pub async fn model_refits(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "globex").await.id;
    let t0 = at("2026-03-01T10:00:00Z");
    let first = s.request_refit(o, "user:1", t0).await.unwrap();
    assert_eq!((first.status, first.progress, first.requested_by.as_str()), (RunStatus::Queued, 0, "user:1"));
    // Asking again while one is queued answers the same run.
    assert_eq!(s.request_refit(o, "schedule", t0).await.unwrap().id, first.id);

    let lease = t0 + Duration::minutes(5);
    let claimed = s.claim_refit(t0, lease).await.unwrap().expect("a queued run is claimed");
    assert_eq!((claimed.id, claimed.status), (first.id, RunStatus::Running));
    assert!(s.claim_refit(t0, lease).await.unwrap().is_none(), "a leased run is nobody else's");
    let started = claimed.started_at.unwrap();
    assert!(s.refit_progress(o, first.id, "purchase", 40, started, lease).await.unwrap());
    assert!(!s.refit_progress(other, first.id, "purchase", 40, started, lease).await.unwrap());

    // The runner stops renewing; after the lease another server takes over
    // and the first runner's progress no longer counts.
    let later = lease + Duration::seconds(1);
    let taken = s.claim_refit(later, later + Duration::minutes(5)).await.unwrap().expect("a lapsed lease");
    assert_eq!(taken.id, first.id);
    assert!(!s.refit_progress(o, first.id, "churn", 60, started, later).await.unwrap());
    assert!(s.refit_progress(o, first.id, "churn", 60, taken.started_at.unwrap(), later).await.unwrap());
    s.finish_refit(o, first.id, Ok(json!({"customers": 3})), later).await.unwrap();
    let done = s.last_fit(o).await.unwrap().unwrap();
    assert_eq!((done.status, done.progress, done.summary), (RunStatus::Done, 100, Some(json!({"customers": 3}))));
    assert!(s.last_fit(other).await.unwrap().is_none());

    // A refused fit keeps its reason; the last good fit stays the last.
    let second = s.request_refit(o, "schedule", later).await.unwrap();
    assert_ne!(second.id, first.id);
    let c = s.claim_refit(later, later + Duration::minutes(5)).await.unwrap().unwrap();
    s.finish_refit(o, c.id, Err("too few customers".into()), later).await.unwrap();
    let runs = s.list_refits(o, 10).await.unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!((runs[0].status, runs[0].error.as_deref()), (RunStatus::Failed, Some("too few customers")));
    assert_eq!(s.last_fit(o).await.unwrap().unwrap().id, first.id);

    // The schedule: organizations with customers and no recent request.
    s.ingest_events(other, &[event(None, "purchase", "g-1", "2026-03-01T10:00:00Z", None)]).await.unwrap();
    s.ingest_events(o, &[event(None, "purchase", "a-1", "2026-03-01T10:00:00Z", None)]).await.unwrap();
    assert_eq!(s.orgs_due_refit(t0).await.unwrap(), vec![other]);
}

pub async fn model_scores(s: &dyn Store) {
    let o = org(s, "acme").await.id;
    let other = org(s, "globex").await.id;
    let (tp, survey) = setup(s, o, "tok-m").await;
    let mut events = Vec::new();
    for (i, c) in ["c-1", "c-2", "c-3", "c-4", "c-5"].iter().enumerate() {
        events.push(event(None, "purchase", c, &format!("2026-01-0{}T10:00:00Z", i + 1), Some(tp)));
        events.push(event(None, "touchpoint_visit", c, "2026-01-09T10:00:00Z", Some(tp)));
    }
    let mut cancelled = event(None, "cancellation", "c-2", "2026-02-01T10:00:00Z", None);
    cancelled.attributes = obj(json!({"reason": "too expensive"}));
    events.push(cancelled);
    s.ingest_events(o, &events).await.unwrap();
    s.ingest_events(other, &[event(None, "purchase", "x-1", "2026-01-01T10:00:00Z", None)]).await.unwrap();
    let mut said = response(None, Some(survey.id), tp, Some("c-2"), at("2026-01-20T10:00:00Z"));
    said.answers = obj(json!({"nps": 3}));
    s.ingest_responses(o, &[said]).await.unwrap();

    // Two pages of customers, each with its own rows only.
    let page = s.model_histories(o, 0, 3).await.unwrap();
    assert_eq!(page.len(), 3);
    let rest = s.model_histories(o, page[2].customer_id, 3).await.unwrap();
    assert_eq!(rest.len(), 2);
    let all: Vec<_> = page.into_iter().chain(rest).collect();
    let ids: Vec<Id> = all.iter().map(|h| h.customer_id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    for h in &all {
        assert!(h.events.iter().all(|e| e.kind != "touchpoint_visit"), "journey visits are not read");
    }
    let c2 = &all[1];
    assert_eq!(c2.events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["purchase", "cancellation"]);
    assert_eq!((c2.events[0].amount, c2.events[1].reason.as_deref()), (Some(12.5), Some("too expensive")));
    assert_eq!(c2.responses.len(), 1);
    let said = &c2.responses[0];
    assert_eq!((said.nps_band, said.survey_id, said.answers["nps"].as_i64()), (Some(1), Some(survey.id), Some(3)));
    assert_eq!((said.touchpoint_id, c2.events[0].touchpoint_id, c2.events[1].touchpoint_id), (tp, Some(tp), None));
    assert!(s.model_histories(o, ids[4], 3).await.unwrap().is_empty());

    let answers = s.driver_answers(o, &[tp], None, at("2026-01-01T00:00:00Z"), 0, 10).await.unwrap();
    assert_eq!(answers.len(), 1);
    let a = &answers[0];
    assert_eq!((a.customer_id, a.touchpoint_id, a.survey_id), (Some(ids[1]), tp, Some(survey.id)));
    assert_eq!(a.answers, obj(json!({"nps": 3})));
    assert!(s.driver_answers(o, &[tp], Some(999), at("2026-01-01T00:00:00Z"), 0, 10).await.unwrap().is_empty());
    assert!(s.driver_answers(o, &[tp], None, at("2026-02-01T00:00:00Z"), 0, 10).await.unwrap().is_empty());
    assert!(s.driver_answers(o, &[tp], None, at("2026-01-01T00:00:00Z"), a.id, 10).await.unwrap().is_empty());
    assert!(s.driver_answers(other, &[tp], None, at("2026-01-01T00:00:00Z"), 0, 10).await.unwrap().is_empty());
    assert!(s.driver_answers(o, &[], None, at("2026-01-01T00:00:00Z"), 0, 10).await.unwrap().is_empty());

    // Scores of run 1, then run 2 scores four of them: the fifth goes.
    let run1 = s.request_refit(o, "user:1", at("2026-03-01T10:00:00Z")).await.unwrap().id;
    let values = [40.0, 10.0, 40.0, 25.0, 5.0];
    let first: Vec<NewScore> = ids.iter().zip(values).map(|(&c, v)| score(c, v)).collect();
    s.save_scores(o, run1, &first, at("2026-03-01T10:00:00Z")).await.unwrap();
    // Another organization's customer is not scored through this one.
    let stranger = s.model_histories(other, 0, 1).await.unwrap()[0].customer_id;
    s.save_scores(o, run1, &[score(stranger, 99.0)], at("2026-03-01T10:00:00Z")).await.unwrap();
    assert!(s.customer_score(other, stranger).await.unwrap().is_none());

    let whole = s.at_risk(o, None, 10).await.unwrap();
    let order: Vec<(f64, Id)> = whole.iter().map(|x| (x.value_at_risk, x.customer_id)).collect();
    assert_eq!(order, vec![(40.0, ids[2]), (40.0, ids[0]), (25.0, ids[3]), (10.0, ids[1]), (5.0, ids[4])]);
    let mut walked = Vec::new();
    let mut after = None;
    loop {
        let got = s.at_risk(o, after, 2).await.unwrap();
        if got.is_empty() {
            break;
        }
        after = got.last().map(|x| (x.value_at_risk, x.customer_id));
        walked.extend(got.into_iter().map(|x| (x.value_at_risk, x.customer_id)));
    }
    assert_eq!(walked, order, "keyset pages give the whole list once");
    let one = s.customer_score(o, ids[1]).await.unwrap().unwrap();
    assert_eq!((one.external_id.as_str(), one.lifetime_value, one.run_id), ("c-2", Some(20.0), run1));
    assert_eq!(one.reasons[0]["key"], "days_since_purchase");

    let run2 = run1 + 1000;
    s.save_scores(o, run2, &first[..4], at("2026-03-02T10:00:00Z")).await.unwrap();
    let exp = s.create_experience(o, &super::experience("Buying", None, vec![])).await.unwrap().id;
    let result = |survey_id, segment_id| DriverResult {
        experience_id: exp,
        survey_id,
        segment_id,
        run_id: run2,
        result: json!({"r2": 0.4}),
    };
    let drivers = vec![result(-1, 0), result(0, 0), result(survey.id, 0), result(survey.id, 7)];
    s.complete_scores(o, run2, &drivers).await.unwrap();
    assert!(s.customer_score(o, ids[4]).await.unwrap().is_none(), "a customer the last run did not score");
    assert_eq!(s.at_risk(o, None, 10).await.unwrap().len(), 4);
    let stored = s.driver_results(o, exp).await.unwrap();
    assert_eq!(stored, drivers);
    // Another organization's survey is not stored under this one.
    let (_, foreign) = setup(s, other, "tok-x").await;
    s.complete_scores(o, run2, &[result(foreign.id, 0)]).await.unwrap();
    assert!(s.driver_results(o, exp).await.unwrap().is_empty());
    s.complete_scores(o, run2, &drivers).await.unwrap();
    assert!(s.driver_results(other, exp).await.unwrap().is_empty());

    // Erasing a customer erases their scores.
    s.erase_customer(o, "c-1", "ana@example.com").await.unwrap();
    assert!(s.customer_score(o, ids[0]).await.unwrap().is_none());
    assert_eq!(s.at_risk(o, None, 10).await.unwrap().len(), 3);

    // ROCE inputs, audited.
    assert!(s.finance_inputs(o).await.unwrap().is_none());
    let inputs = json!({"margin": 0.3, "acquisition_cost": 80.0});
    s.save_finance_inputs(o, &inputs, &by("roce.update")).await.unwrap();
    assert_eq!(s.finance_inputs(o).await.unwrap(), Some(inputs));
    assert!(s.finance_inputs(other).await.unwrap().is_none());
    assert_eq!(s.list_audit(o, 1).await.unwrap()[0].action, "roce.update");
}
