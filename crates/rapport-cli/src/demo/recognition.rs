//! Demo data for recognition (E. People): a month of support cases worked
//! by five agents at known speeds, each followed by their customer's answer,
//! so that the performance view (last full month) flags Kevin (fastest,
//! detractors after his cases) and not Valeria (nearly as fast, promoters);
//! and kudos across departments, some with evidence (one of Valeria's cases
//! closed with the customer's agreement, a promoter's comment naming her).

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::CaseDraft;
use rapport_core::lang::Lang;
use rapport_core::people::recognition::{KudosDraft, Period};
use rapport_core::Id;
use rapport_store::recognition::Giver;
use rapport_store::{NewResponse, Store};
use serde_json::{json, Map};
use std::collections::HashMap;

/// (agent, hours to close, NPS their customers give after, comment on the first answer).
const AGENTS: [(&str, i64, i64, Option<&str>); 5] = [
    ("kevin.obrien@aurora.example", 1, 3, Some("Kevin closed my ticket before anything was fixed.")),
    ("valeria.soto@aurora.example", 2, 10, Some("Valeria fixed my delivery in minutes, thank you!")),
    ("rosa.jimenez@aurora.example", 30, 9, None),
    ("marta.ruiz@aurora.example", 20, 8, None),
    ("carlos.mendoza@aurora.example", 48, 6, None),
];

/// A demo kudos: giver, person (`Ok`) or team (`Err`), reason, evidence.
type DemoKudos<'a> = (&'a str, Result<&'a str, &'a str>, &'a str, Option<(&'a str, Id)>);

/// Cases per agent (at least the flag's minimum sample).
const CASES: usize = 6;

async fn cases_and_answers(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<Vec<Id>> {
    let tp = touchpoints["Support chat"];
    let survey = store.list_surveys(org).await?.into_iter().find(|s| s.touchpoint_id == tp).map(|s| s.id);
    let start = Period::containing(now, false).previous().start() + Duration::hours(9);
    // The chats are about late deliveries: the demo's leading root cause
    // stays the leading one.
    let causes = store.list_root_causes(org).await?;
    let cause = causes.iter().find(|c| c.name == "Late delivery").map(|c| c.id).context("a demo root cause")?;
    // Open every case first, then store the answers (each joins its
    // customer's open case rather than opening another), then work and
    // close the cases at their times.
    let mut planned = Vec::new();
    let mut answers = Vec::new();
    for (a, (email, hours, nps, comment)) in AGENTS.into_iter().enumerate() {
        let agent = people[email];
        for k in 0..CASES {
            let customer = format!("cust-{:04}", 301 + a * CASES + k);
            let opened = start + Duration::days(k as i64 * 4) + Duration::hours(a as i64);
            let closed = opened + Duration::hours(hours);
            let draft = CaseDraft {
                customer: Some(customer.clone()),
                touchpoint_id: Some(tp),
                title: Some(format!("Chat about order {}", 4100 + a * CASES + k)),
                assignee_id: Some(agent),
                note: Some("Opened from the support chat".into()),
            };
            let case = store.open_case(org, &draft.validate().context("demo case")?, "demo-seed", opened).await?;
            planned.push((case.id, opened, closed));
            let mut scores = Map::new();
            scores.insert("nps".into(), json!(nps));
            answers.push(NewResponse {
                key: Some(format!("demo-recognition-{a}-{k}")),
                survey_id: survey,
                touchpoint_id: tp,
                customer: Some(customer),
                at: closed + Duration::days(1 + (k as i64 % 3)),
                answers: if survey.is_some() { scores } else { Map::new() },
                comment: comment.filter(|_| k == 0).map(str::to_string),
                channel: Some("survey".into()),
                language: Some(Lang::En),
            });
        }
    }
    store.ingest_responses(org, &answers).await?;
    let mut ids = Vec::new();
    for (id, opened, closed) in planned {
        let span = (closed - opened) / 9;
        for (k, step) in Step::ALL.into_iter().enumerate() {
            let fields = match step {
                Step::Open => json!({"proposal": "Resend the order"}),
                Step::Verify => json!({"agreed": true}),
                Step::Eliminate => json!({"action": "Told the courier"}),
                Step::Document => json!({"root_cause_id": cause, "root_cause_note": "Courier missed the window"}),
                _ => json!({"note": "Done"}),
            };
            let input = serde_json::from_value::<StepDraft>(fields)?.validate(step).context("demo step")?;
            store.record_step(org, id, &input, "demo-seed", opened + span * (k as i32 + 1)).await?;
        }
        store.close_case(org, id, "demo-seed", closed).await?;
        ids.push(id);
    }
    Ok(ids)
}

pub async fn seed(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let cases = cases_and_answers(store, org, people, touchpoints, now).await?;
    let valeria_case = cases[CASES];
    let suggestions = store.kudos_suggestions(org, now).await?;
    let valeria = people["valeria.soto@aurora.example"];
    let named = suggestions.iter().find(|s| s.person_id == valeria).map(|s| s.response_id);
    let kudos: [DemoKudos<'_>; 7] = [
        (
            "lucia.fernandez@aurora.example",
            Ok("valeria.soto@aurora.example"),
            "Turned a lost delivery into a thank-you note: the customer agreed it was solved in one chat.",
            Some(("case", valeria_case)),
        ),
        (
            "rosa.jimenez@aurora.example",
            Ok("valeria.soto@aurora.example"),
            "A customer named you in a 10 out of 10: “fixed my delivery in minutes”.",
            named.map(|id| ("response", id)),
        ),
        (
            "sofia.castillo@aurora.example",
            Err("Roastery"),
            "Re-packed 300 bags in a day when the sealing machine broke, so no café ran out.",
            None,
        ),
        (
            "daniel.okafor@aurora.example",
            Ok("marta.ruiz@aurora.example"),
            "Rewrote the pause button copy; fewer customers now write in to ask how to pause.",
            None,
        ),
        ("ana.torres@aurora.example", Err("Logistics"), "Rerouted the Centro café's beans during the strike.", None),
        (
            "emily.chen@aurora.example",
            Ok("diego.herrera@aurora.example"),
            "Answered every review on the launch weekend, in both languages.",
            None,
        ),
        (
            "carlos.mendoza@aurora.example",
            Ok("jamal.price@aurora.example"),
            "Trained the new baristas on the brew guide customers kept asking about.",
            None,
        ),
    ];
    for (giver, to, reason, evidence) in kudos {
        let draft = KudosDraft {
            person_id: to.ok().map(|p| people[p]),
            department: to.err().map(str::to_string),
            reason: Some(reason.into()),
            evidence_kind: evidence.map(|e| e.0.to_string()),
            evidence_id: evidence.map(|e| e.1),
        };
        let input = draft.validate().context("demo kudos")?;
        store.give_kudos(org, Giver { person: Some(people[giver]), label: giver }, &input).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::AGENTS;
    use chrono::{TimeZone, Utc};
    use rapport_core::people::recognition::{FlagStatus, Period};
    use rapport_store::recognition::KudosFilter;

    /// The seeded demo: the last full month's view flags Kevin (fast,
    /// detractors) and not Valeria (fast, promoters); kudos have evidence.
    #[tokio::test]
    async fn the_demo_flags_the_fast_agent_with_poor_outcomes() {
        let dir = tempfile::tempdir().unwrap();
        let store = rapport_server::storage::open(None, dir.path()).await.unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap();
        super::super::seed_at(store.as_ref(), now).await.unwrap();
        let org = store.org_by_slug(super::super::ORG_SLUG).await.unwrap().unwrap().id;
        let people = store.list_people(org).await.unwrap();
        let id_of = |email: &str| people.iter().find(|p| p.email == email).unwrap().id;
        let rows = store.performance(org, Period::parse("2026-11").unwrap()).await.unwrap();
        let flagged: Vec<_> =
            rows.iter().filter(|r| r.status == FlagStatus::Flagged).map(|r| r.figures.person_id).collect();
        assert_eq!(flagged, vec![id_of(AGENTS[0].0)], "{rows:#?}");
        let valeria = rows.iter().find(|r| r.figures.person_id == id_of(AGENTS[1].0)).unwrap();
        assert!(valeria.fast && !valeria.poor_outcomes && valeria.status == FlagStatus::Clear, "{valeria:#?}");
        // Her customers' other answers of the year may fall in the window too.
        assert!(valeria.figures.outcome_responses >= super::CASES as u32);
        let kevin = &rows[0];
        // The support chat's routing gives him the demo's other chat cases too.
        assert!(kevin.figures.cases_closed >= super::CASES as u32);
        assert_eq!(kevin.figures.complaints, 1);
        let kudos = store.page_kudos(org, &KudosFilter::default()).await.unwrap();
        assert_eq!(kudos.len(), 7);
        assert_eq!(kudos.iter().filter(|k| k.evidence.is_some()).count(), 2, "a case and a response");
        assert!(!store.kudos_months(org, 12).await.unwrap().is_empty());
    }
}
