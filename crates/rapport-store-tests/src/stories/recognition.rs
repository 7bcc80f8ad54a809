//! Stories of recognition (E. People), on both backends: the performance
//! flag over seeded agents with known speeds and outcomes (exactly the fast
//! one with poor outcomes is flagged, not the fast one with good ones),
//! kudos with evidence (another organization's refused), the recipient's
//! notification, the feed's filters and pages, and the monthly summary.

use super::listening::{at, obj, response, survey_input};
use super::{add_stage, add_touchpoint, invalid, org, user};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::root_cause::RootCauseInput;
use rapport_core::case::CaseInput;
use rapport_core::customer::CustomerUpsert;
use rapport_core::notification::Kind;
use rapport_core::people::recognition::{
    EvidenceKind, FlagStatus, KudosDraft, KudosMonth, Period, MIN_CASES, MIN_RESPONSES,
};
use rapport_core::person::PersonInput;
use rapport_core::Id;
use rapport_store::recognition::{Giver, KudosFilter};
use rapport_store::Store;
use serde_json::{json, Map};

async fn agent(s: &dyn Store, org: Id, name: &str, department: &str) -> Id {
    let p = PersonInput {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
        department: Some(department.into()),
        role: None,
        joined_on: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
    };
    s.create_person(org, &p).await.unwrap().id
}

/// Works a case through the eight RESOLVED steps (the customer agreeing)
/// and closes it at `now`.
async fn close_agreed(s: &dyn Store, org: Id, id: Id, cause: Id, now: DateTime<Utc>) {
    for st in Step::ALL {
        let v = match st {
            Step::Open => json!({"proposal": "p"}),
            Step::Verify => json!({"agreed": true}),
            Step::Eliminate => json!({"action": "a"}),
            Step::Document => json!({"root_cause_id": cause, "root_cause_note": "n"}),
            _ => json!({}),
        };
        let step = serde_json::from_value::<StepDraft>(v).unwrap().validate(st).unwrap();
        s.record_step(org, id, &step, "user:1", now).await.unwrap();
    }
    s.close_case(org, id, "user:1", now).await.unwrap();
}

fn kudos(person: Option<Id>, department: Option<&str>, reason: &str, evidence: Option<(&str, Id)>) -> KudosDraft {
    KudosDraft {
        person_id: person,
        department: department.map(Into::into),
        reason: Some(reason.into()),
        evidence_kind: evidence.map(|e| e.0.into()),
        evidence_id: evidence.map(|e| e.1),
    }
}

pub async fn recognition_story(s: &dyn Store) {
    let o = org(s, "recognition").await.id;
    let other = org(s, "recognition-other").await.id;
    let stage = add_stage(s, o, "Help", None).await;
    let tp = add_touchpoint(s, o, "Support desk", stage, None).await;
    let survey = s.create_survey(o, &survey_input(tp, "After support"), "recognition-survey").await.unwrap();
    let cause = s
        .create_root_cause(
            o,
            &RootCauseInput { name: "Billing".into(), description: Some("d".into()), preventable: true },
        )
        .await
        .unwrap()
        .id;

    // Eight agents: (name, hours to close, NPS their customers give after, cases).
    // Ana closes fastest with detractors after; Ben nearly as fast with
    // promoters; Dana is slow with detractors; Hana has too few cases.
    let plan: [(&str, i64, i64, usize); 8] = [
        ("Ana Fast", 1, 2, 6),
        ("Ben Quick", 2, 10, 6),
        ("Cruz Steady", 10, 9, 6),
        ("Dana Slow", 60, 3, 6),
        ("Eli Even", 20, 8, 6),
        ("Fay Fine", 30, 10, 6),
        ("Gus Mid", 40, 7, 6),
        ("Hana New", 1, 0, 3),
    ];
    let t0 = at("2026-11-02T09:00:00Z");
    let mut ids: Vec<Id> = Vec::new();
    let mut responses = Vec::new();
    let mut first_case: Vec<Id> = Vec::new();
    for (a, (name, hours, nps, n)) in plan.iter().enumerate() {
        let id = agent(s, o, name, "Support").await;
        ids.push(id);
        for k in 0..*n {
            let ext = format!("cust-{a}-{k}");
            let c = CustomerUpsert { external_id: ext.clone(), email: None, name: None, attributes: Map::new() };
            s.upsert_customer(o, &c).await.unwrap();
            let opened = t0 + Duration::days(k as i64 * 3) + Duration::hours(a as i64);
            let input = CaseInput {
                customer: ext.clone(),
                touchpoint_id: Some(tp),
                title: format!("Case {a}-{k}"),
                assignee_id: Some(id),
                note: None,
            };
            let case = s.open_case(o, &input, "user:1", opened).await.unwrap();
            if k == 0 {
                first_case.push(case.id);
            }
            let closed = opened + Duration::hours(*hours);
            close_agreed(s, o, case.id, cause, closed).await;
            if a == 0 && k == 0 {
                // Reopened an hour after the close, closed again an hour later.
                s.reopen_case(o, case.id, Some("not solved"), "user:1", closed + Duration::hours(1)).await.unwrap();
                s.close_case(o, case.id, "user:1", closed + Duration::hours(2)).await.unwrap();
            }
            // Their customer answers two days after the close.
            let mut r =
                response(Some(&format!("r-{a}-{k}")), Some(survey.id), tp, Some(&ext), closed + Duration::days(2));
            r.answers = obj(json!({ "nps": nps }));
            if a == 0 && k == 0 {
                r.comment = Some("Ana hung up on me, rude".into());
            }
            if a == 1 && k == 0 {
                r.comment = Some("Ben solved it in minutes, thank you".into());
            }
            responses.push(r);
            // Answers outside the window do not count: before the close, and
            // three weeks after it (a promoter for Ana, a detractor for Ben).
            if k == 1 && a < 2 {
                let mut before = response(Some(&format!("rb-{a}")), Some(survey.id), tp, Some(&ext), opened);
                before.answers = obj(json!({ "nps": if a == 0 { 10 } else { 0 } }));
                let mut late =
                    response(Some(&format!("rl-{a}")), Some(survey.id), tp, Some(&ext), closed + Duration::days(21));
                late.answers = obj(json!({ "nps": if a == 0 { 10 } else { 0 } }));
                responses.push(before);
                responses.push(late);
            }
        }
    }
    s.ingest_responses(o, &responses).await.unwrap();

    let november = Period::parse("2026-11").unwrap();
    let rows = s.performance(o, november).await.unwrap();
    assert_eq!(rows.len(), 8, "every agent with a closed case");
    let flagged: Vec<Id> =
        rows.iter().filter(|r| r.status == FlagStatus::Flagged).map(|r| r.figures.person_id).collect();
    assert_eq!(flagged, vec![ids[0]], "exactly Ana: fast with poor outcomes");
    let row = |i: usize| rows.iter().find(|r| r.figures.person_id == ids[i]).unwrap();
    let ana = row(0);
    assert!(ana.fast && ana.poor_outcomes);
    assert_eq!(ana.figures.cases_closed, 6);
    assert_eq!(ana.figures.median_hours_to_close, Some(1.0), "1, 1, 1, 1, 1 and 3 hours (the reopened one)");
    assert_eq!(ana.figures.outcome_responses, 6, "one per case: the answers before and three weeks after are out");
    assert_eq!((ana.figures.nps_n, ana.figures.nps), (6, Some(-100.0)));
    assert_eq!(ana.figures.outcome_score, Some(-100.0));
    assert_eq!(ana.figures.complaints, 1, "the detractor comment naming her");
    assert_eq!(ana.figures.reopened, 1);
    let ben = row(1);
    assert!(ben.fast && !ben.poor_outcomes, "fast with good outcomes");
    assert_eq!(ben.status, FlagStatus::Clear);
    assert_eq!((ben.figures.cases_closed, ben.figures.median_hours_to_close), (6, Some(2.0)));
    assert_eq!((ben.figures.outcome_responses, ben.figures.nps), (6, Some(100.0)));
    assert_eq!(ben.figures.complaints, 0);
    let dana = row(3);
    assert!(!dana.fast && dana.poor_outcomes);
    assert_eq!(dana.status, FlagStatus::Clear, "slow: not flagged");
    assert_eq!(row(7).status, FlagStatus::TooFewCases);
    assert!(row(7).figures.cases_closed < MIN_CASES);
    assert!(rows
        .iter()
        .filter(|r| r.status != FlagStatus::TooFewCases)
        .all(|r| r.figures.outcome_responses >= MIN_RESPONSES));
    // Another period, another organization: nothing.
    assert!(s.performance(o, Period::parse("2026-10").unwrap()).await.unwrap().is_empty());
    assert!(s.performance(other, november).await.unwrap().is_empty());
    // A quarter holds the month.
    let q4 = s.performance(o, Period::parse("2026-Q4").unwrap()).await.unwrap();
    assert_eq!(q4.iter().filter(|r| r.status == FlagStatus::Flagged).count(), 1);

    // ---- Kudos -------------------------------------------------------------
    let lola = agent(s, o, "Lola Lead", "Stores").await;
    let ben_user = s.create_user(o, &user("ben.quick@example.com", Some(ids[1]))).await.unwrap();
    let lola_giver = Giver { person: Some(lola), label: "lola.lead@example.com" };
    let ben_case = first_case[1];
    let k1 = kudos(Some(ids[1]), None, "Solved it in minutes", Some(("case", ben_case))).validate().unwrap();
    let k1 = s.give_kudos(o, lola_giver, &k1).await.unwrap();
    assert_eq!(k1.evidence.map(|e| (e.kind, e.id)), Some((EvidenceKind::Case, ben_case)));
    assert_eq!((k1.person_id, k1.department.as_deref(), k1.giver_id), (Some(ids[1]), Some("Support"), Some(lola)));
    let notes = s.list_notifications(o, ben_user.id, None, 10).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!((notes[0].kind, notes[0].title.as_str()), (Kind::Kudos, "Solved it in minutes"));
    assert_eq!(notes[0].link, format!("/recognition#kudos-{}", k1.id));

    // Evidence must be this organization's, and be what it claims.
    for (kind, id) in [("response", 999_999), ("case", 999_999), ("sprint", 999_999)] {
        let k = kudos(Some(ids[1]), None, "x", Some((kind, id))).validate().unwrap();
        invalid(s.give_kudos(o, lola_giver, &k).await, "evidence_id");
    }
    // The case exists, but in the other organization.
    let k = kudos(Some(ids[1]), None, "x", Some(("case", ben_case))).validate().unwrap();
    let their_person = agent(s, other, "Otto Other", "Support").await;
    let k_other = kudos(Some(their_person), None, "x", Some(("case", ben_case))).validate().unwrap();
    invalid(s.give_kudos(other, Giver { person: None, label: "x" }, &k_other).await, "evidence_id");
    // Our response named as evidence from the other organization, too.
    let our_response = s.kudos_suggestions(o, at("2026-12-01T00:00:00Z")).await.unwrap();
    assert_eq!(our_response.len(), 1, "Ben's promoter comment names him; Ana's is a detractor's");
    assert_eq!(our_response[0].person_id, ids[1]);
    assert!(s.kudos_suggestions(o, at("2027-06-01T00:00:00Z")).await.unwrap().is_empty(), "90 days back only");
    let k_resp =
        kudos(Some(their_person), None, "x", Some(("response", our_response[0].response_id))).validate().unwrap();
    invalid(s.give_kudos(other, Giver { person: None, label: "x" }, &k_resp).await, "evidence_id");
    // Not to oneself, not to someone unknown, not to an empty team.
    invalid(s.give_kudos(o, Giver { person: Some(ids[1]), label: "ben" }, &k).await, "person_id");
    invalid(
        s.give_kudos(o, lola_giver, &kudos(Some(their_person), None, "x", None).validate().unwrap()).await,
        "person_id",
    );
    invalid(
        s.give_kudos(o, lola_giver, &kudos(None, Some("Nobody"), "x", None).validate().unwrap()).await,
        "department",
    );

    // A team's kudos from Ben (his notification is not his own), and one from
    // an API token (no person) with a response as evidence.
    let k2 = kudos(None, Some("Support"), "Great month, team", None).validate().unwrap();
    let k2 = s.give_kudos(o, Giver { person: Some(ids[1]), label: "ben.quick@example.com" }, &k2).await.unwrap();
    assert_eq!((k2.person_id, k2.department.as_deref()), (None, Some("Support")));
    assert_eq!(s.list_notifications(o, ben_user.id, None, 10).await.unwrap().len(), 1, "not for his own");
    let k3 = kudos(Some(ids[0]), None, "Took the hardest calls", Some(("response", our_response[0].response_id)))
        .validate()
        .unwrap();
    let k3 = s.give_kudos(o, Giver { person: None, label: "token:ci" }, &k3).await.unwrap();

    // The feed: newest first, by person or department, a page at a time.
    let all = s.page_kudos(o, &KudosFilter::default()).await.unwrap();
    assert_eq!(all.iter().map(|k| k.id).collect::<Vec<_>>(), vec![k3.id, k2.id, k1.id]);
    let bens = s.page_kudos(o, &KudosFilter { person: Some(ids[1]), ..Default::default() }).await.unwrap();
    assert_eq!(bens.iter().map(|k| k.id).collect::<Vec<_>>(), vec![k1.id]);
    let support = KudosFilter { department: Some("Support".into()), limit: 2, ..Default::default() };
    let page1 = s.page_kudos(o, &support).await.unwrap();
    assert_eq!(page1.iter().map(|k| k.id).collect::<Vec<_>>(), vec![k3.id, k2.id]);
    let page2 = s.page_kudos(o, &KudosFilter { after: Some(k2.id), ..support }).await.unwrap();
    assert_eq!(page2.iter().map(|k| k.id).collect::<Vec<_>>(), vec![k1.id]);
    assert!(s.page_kudos(other, &KudosFilter::default()).await.unwrap().is_empty());

    // The monthly summary: received by the recipient's department, given by
    // the giver's (a token gives for nobody).
    let month = rapport_core::people::recognition::month_key(k1.created_at);
    let summary = s.kudos_months(o, 12).await.unwrap();
    assert_eq!(
        summary,
        vec![
            KudosMonth { month: month.clone(), department: "Stores".into(), received: 0, given: 1 },
            KudosMonth { month: month.clone(), department: "Support".into(), received: 3, given: 1 },
        ]
    );
    assert!(s.kudos_months(other, 12).await.unwrap().is_empty());
    assert_eq!(s.kudos_by_person(o).await.unwrap(), vec![(ids[0], 1), (ids[1], 1)]);

    // What could back a kudos: cases closed with agreement.
    let choices = s.evidence_choices(o).await.unwrap();
    assert!(!choices.is_empty() && choices.iter().all(|c| c.kind == EvidenceKind::Case));
    assert!(s.evidence_choices(other).await.unwrap().is_empty());
    assert!(s.sprint_leads(o).await.unwrap().is_empty());
}
