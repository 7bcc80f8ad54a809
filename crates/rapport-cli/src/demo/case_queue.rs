//! Demo data for the case queue (D2): Kevin, the support agent, is the
//! default queue owner, so a refund that names no touchpoint still lands
//! with someone (and the case page says why); the fresh detractor cases get
//! priorities and tags; one case moves from Tom to Emily, its history
//! naming both; two detractors are answered within the promise and one
//! late, so the dashboard's closed-loop section has figures.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::triage::Priority;
use rapport_core::case::CaseDraft;
use rapport_core::customer::CustomerUpsert;
use rapport_core::feedback::EventDraft;
use rapport_core::Id;
use rapport_store::{Audit, CaseFilter, CaseTriageChange, Store};
use serde_json::{json, Map};
use std::collections::HashMap;

const ACTOR: &str = "demo-seed";

pub async fn seed(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let kevin = people["kevin.obrien@aurora.example"];
    store.set_default_case_owner(org, Some(kevin), &Audit::new(ACTOR, "case_routing.default_owner", "person")).await?;

    // A refund with no touchpoint: routed to the default owner.
    let refund: EventDraft = serde_json::from_value(json!({
        "id": "demo-refund-no-touchpoint", "type": "refund", "customer": "cust-0150",
        "at": (now - Duration::hours(1)).to_rfc3339(), "amount": 24.5
    }))?;
    let refund = refund.validate().context("demo refund")?;
    store.ingest_events(org, &[refund]).await?;

    // Priorities and tags on the open detractor cases.
    let open = CaseFilter { status: Some(rapport_core::case::CaseStatus::Open), limit: 50, ..Default::default() };
    let cases = store.list_cases(org, &open).await?;
    let detractors: Vec<Id> = cases.iter().filter(|c| c.triage.detractor).map(|c| c.id).collect();
    let triage =
        [(Priority::Urgent, vec!["refund", "vip"]), (Priority::High, vec!["late-delivery"]), (Priority::Low, vec![])];
    for (id, (priority, tags)) in detractors.iter().zip(triage) {
        let change =
            CaseTriageChange { priority: Some(priority), tags: Some(tags.into_iter().map(str::to_string).collect()) };
        store.set_case_triage(org, *id, &change, ACTOR, now).await?;
    }

    // Two detractors answered within the promise, one late.
    let respond = serde_json::from_value::<StepDraft>(json!({"note": "Called the customer"}))?
        .validate(Step::Respond)
        .context("demo respond")?;
    for (i, id) in detractors.iter().take(3).enumerate() {
        let case = store.get_case(org, *id).await?;
        let at = match i {
            2 => case.first_response_due + Duration::hours(2),
            _ => case.opened_at + Duration::minutes(40 + 30 * i as i64),
        };
        store.record_step(org, *id, &respond, ACTOR, at.min(now + Duration::days(3))).await?;
    }

    // A case Tom started, handed to Emily.
    let customer = CustomerUpsert { external_id: "cust-0151".into(), email: None, name: None, attributes: Map::new() };
    store.upsert_customer(org, &customer).await?;
    let draft = CaseDraft {
        customer: Some("cust-0151".into()),
        touchpoint_id: Some(touchpoints["Online checkout"]),
        title: Some("Wrong grind in the subscription box".into()),
        assignee_id: Some(people["tom.becker@aurora.example"]),
        note: Some("Called the shop".into()),
    };
    let case = store.open_case(org, &draft.validate().context("demo case")?, ACTOR, now - Duration::hours(3)).await?;
    store.assign_case(org, case.id, people["emily.chen@aurora.example"], ACTOR, now - Duration::hours(2)).await?;
    let tag = CaseTriageChange { priority: Some(Priority::High), tags: Some(vec!["subscription".into()]) };
    store.set_case_triage(org, case.id, &tag, ACTOR, now - Duration::hours(2)).await?;
    Ok(())
}
