//! Closing the loop in the demo: a root-cause taxonomy, case rules, a
//! routing rule that sends support cases to the demo agent, a few open cases
//! from fresh detractors (so every queue has work), and a season of closed
//! cases worked through RESOLVED (so the root-cause report has a ranking).
//! The year of seeded feedback predates the rules, so it opens no cases.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::root_cause::RootCauseDraft;
use rapport_core::case::routing::RoutingRuleDraft;
use rapport_core::case::trigger::CaseRuleDraft;
use rapport_core::case::CaseDraft;
use rapport_core::lang::Lang;
use rapport_core::Id;
use rapport_store::{NewResponse, Store};
use serde_json::{json, Map};
use std::collections::HashMap;

/// Name, description, preventable.
const ROOT_CAUSES: [(&str, &str, bool); 6] = [
    ("Late delivery", "The courier missed the promised delivery window.", true),
    ("Billing error", "A charge did not match the plan or the order.", true),
    ("Stale or damaged coffee", "The beans arrived past their best or the bag was damaged.", true),
    ("Unclear subscription page", "Customers could not find how to pause, skip or change.", true),
    ("Slow support reply", "The first answer came after the promised time.", true),
    ("Carrier strike", "A national carrier strike, outside our control.", false),
];

/// (root cause, touchpoint, days ago closed) of the closed cases.
const CLOSED: [(usize, &str, i64); 12] = [
    (0, "Delivery", 3),
    (0, "Delivery", 9),
    (0, "Delivery", 16),
    (0, "Delivery", 40),
    (3, "Subscription management page", 5),
    (3, "Subscription management page", 12),
    (3, "Subscription management page", 30),
    (1, "Online checkout", 20),
    (1, "Online checkout", 61),
    (4, "Support chat", 8),
    (2, "Unboxing and brew guide", 25),
    (5, "Delivery", 70),
];

pub async fn seed(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut causes = Vec::new();
    for (name, description, preventable) in ROOT_CAUSES {
        let draft = RootCauseDraft {
            name: Some(name.into()),
            description: Some(description.into()),
            preventable: Some(preventable),
        };
        causes.push(store.create_root_cause(org, &draft.validate().context("demo root cause")?).await?.id);
    }
    for rule in [
        json!({"name": "Detractors (NPS 0-6)", "kind": "score", "scale": "nps", "at_most": 6}),
        json!({"name": "Very dissatisfied (CSAT 1-2)", "kind": "score", "scale": "csat", "at_most": 2}),
        json!({"name": "Refunds and cancellations", "kind": "event", "event_types": ["refund", "cancellation"]}),
        json!({"name": "Asks for a refund", "kind": "comment", "words": ["refund", "reembolso", "devolución"]}),
    ] {
        let draft: CaseRuleDraft = serde_json::from_value(rule)?;
        store.create_case_rule(org, &draft.validate().context("demo case rule")?).await?;
    }
    let agent = people["kevin.obrien@aurora.example"];
    let routing = RoutingRuleDraft {
        name: Some("Support chat to the support agents".into()),
        touchpoint_id: Some(touchpoints["Support chat"]),
        assignee_id: Some(agent),
        first_response_hours: Some(4),
        resolution_hours: Some(16),
        ..Default::default()
    };
    store.create_routing_rule(org, &routing.validate().context("demo routing rule")?).await?;

    // Fresh detractors: their cases open now, routed by the rules above.
    let surveys = store.list_surveys(org).await?;
    let mut fresh = Vec::new();
    for (i, (touchpoint, nps, comment)) in [
        ("Support chat", 2, "Nobody answered my chat for two days."),
        ("Support chat", 4, "Quiero un reembolso, el pedido llegó abierto."),
        ("Online checkout", 3, "The discount code was not applied at checkout."),
        ("Subscription management page", 1, "I could not find how to pause my subscription."),
    ]
    .into_iter()
    .enumerate()
    {
        let tp = touchpoints[touchpoint];
        let survey = surveys.iter().find(|s| s.touchpoint_id == tp).map(|s| s.id);
        let mut answers = Map::new();
        answers.insert("nps".into(), json!(nps));
        fresh.push(NewResponse {
            key: Some(format!("demo-case-{i}")),
            survey_id: survey,
            touchpoint_id: tp,
            customer: Some(format!("cust-{:04}", 101 + i)),
            at: now - Duration::hours(2 + i as i64),
            answers: if survey.is_some() { answers } else { Map::new() },
            comment: Some(comment.into()),
            channel: Some("survey".into()),
            language: Some(if comment.starts_with("Quiero") { Lang::Es } else { Lang::En }),
        });
    }
    store.ingest_responses(org, &fresh).await?;

    // A season of cases worked to closure.
    for (n, (cause, touchpoint, days)) in CLOSED.into_iter().enumerate() {
        let opened = now - Duration::days(days) - Duration::hours(30);
        let draft = CaseDraft {
            customer: Some(format!("cust-{:04}", 201 + n)),
            touchpoint_id: Some(touchpoints[touchpoint]),
            title: Some(format!("{} at {touchpoint}", ROOT_CAUSES[cause].0)),
            assignee_id: None,
            note: Some("Opened from a phone call".into()),
        };
        let case = store.open_case(org, &draft.validate().context("demo case")?, "demo-seed", opened).await?;
        for (k, step) in Step::ALL.into_iter().enumerate() {
            let fields = match step {
                Step::Open => json!({"proposal": "A replacement bag and a note from the team"}),
                Step::Verify => json!({"agreed": true}),
                Step::Eliminate => json!({"action": "Fixed the cause and told the team"}),
                Step::Document => json!({"root_cause_id": causes[cause], "root_cause_note": ROOT_CAUSES[cause].1}),
                _ => json!({"note": "Done"}),
            };
            let input = serde_json::from_value::<StepDraft>(fields)?.validate(step).context("demo step")?;
            store.record_step(org, case.id, &input, "demo-seed", opened + Duration::hours(k as i64 + 1)).await?;
        }
        store.close_case(org, case.id, "demo-seed", opened + Duration::hours(10)).await?;
    }
    Ok(())
}
