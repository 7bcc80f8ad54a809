//! Gap analysis (F3), on both backends: a coffee shop's "first visit"
//! experience with three key interactions, stated importance per segment,
//! and CSAT answers ingested so that the counter misses its criterion
//! (≥ 80), the pickup meets it and the app has too few answers. The gaps
//! are figured from the score rollups by the core and checked against an
//! independent count of the answers sent; a gap made into an idea or a
//! sprint twice makes one of each, and another organization finds nothing.

use super::{add_person, add_segment, add_stage, not_found, org};
use crate::say;
use chrono::{Duration, Utc};
use rapport_core::customer::CustomerUpsert;
use rapport_core::experience::{ExperienceInput, Goal, Period};
use rapport_core::improve::{IdeaDraft, IdeaSource, SprintDraft};
use rapport_core::intent::{Comparator, Criterion, IntentInput, Scope, Status};
use rapport_core::journey::{Importance, TouchpointInput};
use rapport_core::measure::{estimate, Scale};
use rapport_core::metric::Metric;
use rapport_core::review::gap::{self, GapInput, GapKey};
use rapport_core::survey::{SurveyDraft, SurveyStatus};
use rapport_core::Id;
use rapport_store::{IdeaFilter, NewResponse, ScoreFilter, Store};
use serde_json::json;
use std::collections::BTreeMap;

async fn touchpoint(s: &dyn Store, org: Id, name: &str, stage: Id, importance: Vec<Importance>) -> Id {
    let t = TouchpointInput {
        name: name.into(),
        description: None,
        stage_id: stage,
        position: None,
        channel: Some("store".into()),
        department: None,
        owner_id: None,
        importance,
    };
    s.create_touchpoint(org, &t).await.unwrap().id
}

async fn csat_survey(s: &dyn Store, org: Id, tp: Id) -> Id {
    let draft: SurveyDraft = serde_json::from_value(json!({"touchpoint_id": tp, "fatigue_days": 0,
        "title": {"en": format!("How was it {tp}"), "es": format!("Qué tal {tp}")},
        "questions": [{"key": "sat", "type": "csat", "text": {"en": "Satisfied?", "es": "¿Satisfecho?"}}]}))
    .unwrap();
    let survey = s.create_survey(org, &draft.validate().unwrap(), &format!("gaps-{org}-{tp}")).await.unwrap();
    s.set_survey_status(org, survey.id, SurveyStatus::Published).await.unwrap();
    survey.id
}

pub async fn gaps_story(s: &dyn Store) {
    let org = org(s, "gaps").await.id;
    let lead = add_person(s, org, "Lucia").await;
    let regulars = add_segment(s, org, "Regular").await;
    let newcomers = add_segment(s, org, "Newcomer").await;
    let stage = add_stage(s, org, "Visit", None).await;
    let imp = |seg: Id, importance: i64| Importance { segment_id: seg, importance };
    let counter = touchpoint(s, org, "Counter", stage, vec![imp(regulars, 5), imp(newcomers, 3)]).await;
    let pickup = touchpoint(s, org, "Pickup", stage, vec![imp(regulars, 2)]).await;
    let app = touchpoint(s, org, "App", stage, vec![]).await;
    let goal = Goal { metric: Metric::Nps, target: 30.0, period: Period::Quarter, behaviour_id: None };
    let input = ExperienceInput {
        name: "First visit".into(),
        customer_definition: None,
        segment_ids: vec![regulars],
        goal: goal.clone(),
        leader_id: Some(lead),
    };
    let exp = s.create_experience(org, &input).await.unwrap().id;
    for tp in [counter, pickup, app] {
        s.add_interaction(org, exp, tp, None).await.unwrap();
    }
    let csat = Criterion {
        metric: Metric::Csat,
        scope: Scope::Experience(exp),
        comparator: Comparator::AtLeast,
        threshold: 80.0,
        margin: 0.0,
        behaviour_id: None,
    };
    let intent = IntentInput { statement: "Every visit feels easy.".into(), criteria: vec![csat.clone()] };
    s.create_intent_version(org, &intent, None, None).await.unwrap();

    say("CSAT answers: the counter misses 80, the pickup meets it, the app has too few");
    let customers: Vec<CustomerUpsert> = (0..40)
        .map(|i| CustomerUpsert {
            external_id: format!("g{i}"),
            email: None,
            name: None,
            attributes: serde_json::from_value(json!({"plan": "regular"})).unwrap(),
        })
        .collect();
    s.upsert_customers(org, &customers).await.unwrap();
    let answers: BTreeMap<Id, Vec<i64>> = BTreeMap::from([
        (counter, (0..40).map(|i| [5, 4, 2, 5, 1][i % 5]).collect()),
        (pickup, (0..40).map(|i| if i % 10 == 0 { 3 } else { 5 }).collect()),
        (app, vec![2; 10]),
    ]);
    let now = Utc::now();
    let mut items = Vec::new();
    for (tp, values) in &answers {
        let survey = csat_survey(s, org, *tp).await;
        for (i, v) in values.iter().enumerate() {
            items.push(NewResponse {
                key: Some(format!("gap-{tp}-{i}")),
                survey_id: Some(survey),
                touchpoint_id: *tp,
                customer: Some(format!("g{i}")),
                at: now - Duration::hours(1 + i as i64),
                answers: serde_json::from_value(json!({"sat": v})).unwrap(),
                comment: None,
                channel: None,
                language: None,
            });
        }
    }
    s.ingest_responses(org, &items).await.unwrap();

    // Independently: CSAT is the share of 4s and 5s, in percent.
    let share = |tp: Id| {
        let v = &answers[&tp];
        100.0 * v.iter().filter(|x| **x >= 4).count() as f64 / v.len() as f64
    };
    assert_eq!((share(counter), share(pickup)), (60.0, 90.0));

    say("the gaps from the rollups, for everyone and for regulars");
    let today = now.date_naive();
    let exp_row = s.get_experience(org, exp).await.unwrap();
    let tps = s.list_touchpoints(org).await.unwrap();
    for segment in [None, Some(regulars)] {
        let filter = ScoreFilter {
            scale: Scale::Csat,
            segment,
            touchpoints: Some(exp_row.touchpoint_ids()),
            from: today - Duration::days(29),
            to: today,
        };
        let tallies: BTreeMap<Id, _> = s.score_touchpoints(org, &filter).await.unwrap().into_iter().collect();
        let mut gaps = Vec::new();
        for tp in exp_row.touchpoint_ids() {
            let e = tallies.get(&tp).map(|t| estimate(Metric::Csat, t));
            let targets = gap::targets_at(std::slice::from_ref(&csat), &exp_row.goal, exp, tp);
            let importance = &tps.iter().find(|t| t.id == tp).unwrap().importance;
            for target in gap::binding(&targets, |m| e.filter(|_| m == Metric::Csat).and_then(|e| e.value)) {
                let (value, n) = match (target.metric, e) {
                    (Metric::Csat, Some(e)) => (e.value, e.n),
                    _ => (None, 0),
                };
                gaps.push(gap::assess(&GapInput {
                    touchpoint_id: tp,
                    target,
                    value,
                    n,
                    stated: gap::stated_importance(importance, segment),
                    derived_share: None,
                    derived_relative: None,
                }));
            }
        }
        let r = gap::rank(gaps);
        let ranked: Vec<(Id, Metric, Status)> =
            r.ranked.iter().map(|g| (g.touchpoint_id, g.target.metric, g.status)).collect();
        assert_eq!(ranked, vec![(counter, Metric::Csat, Status::Missed), (pickup, Metric::Csat, Status::Met)]);
        // The counter: 20 points short of 80 on a 0–100 range; stated 5 for
        // regulars, the mean of 5 and 3 (4) for everyone, out of 5.
        let top = &r.ranked[0];
        // The regulars rate the counter 5 of 5; all customers, the mean of 5 and 3.
        let expected_weight = if segment.is_some() { 1.0 } else { 4.0 / 5.0 };
        let expected_gap = (80.0 - share(counter)) / 100.0 * 100.0;
        assert!((top.gap - expected_gap).abs() < 1e-9, "{top:?}");
        assert!((top.weighted_gap - expected_gap * expected_weight).abs() < 1e-9, "{top:?}");
        assert_eq!((top.n, top.value), (40, Some(share(counter))));
        assert_eq!((r.ranked[1].gap, r.ranked[1].weighted_gap), (0.0, 0.0), "met: gap 0, at the bottom");
        // The app's 10 answers, and NPS (the goal) nowhere answered: apart.
        let apart: Vec<(Id, Metric)> = r.insufficient.iter().map(|g| (g.touchpoint_id, g.target.metric)).collect();
        assert_eq!(apart, vec![(counter, Metric::Nps), (pickup, Metric::Nps), (app, Metric::Csat), (app, Metric::Nps)]);
    }

    say("a gap becomes one idea, however many times it is asked");
    let key = GapKey { touchpoint_id: counter, metric: Metric::Csat, segment_id: Some(regulars) };
    let idea = IdeaDraft {
        title: Some("Close the gap at Counter: CSAT 60 against at least 80".into()),
        body: Some("From the gap analysis".into()),
        touchpoint_id: Some(counter),
        experience_id: Some(exp),
    }
    .validate(IdeaSource::Web)
    .unwrap();
    let first = s.idea_from_gap(org, exp, &key, lead, &idea).await.unwrap();
    let again = s.idea_from_gap(org, exp, &key, lead, &idea).await.unwrap();
    assert!(first.created && !again.created);
    assert_eq!(first.id, again.id);
    let filter = IdeaFilter { touchpoint: Some(counter), ..Default::default() };
    let ideas = s.list_ideas(org, &filter).await.unwrap();
    assert_eq!(ideas.len(), 1, "{ideas:?}");
    assert_eq!(ideas[0].title, idea.title);
    // The same gap for everyone is another gap.
    let everyone = GapKey { segment_id: None, ..key };
    let other = s.idea_from_gap(org, exp, &everyone, lead, &idea).await.unwrap();
    assert!(other.created && other.id != first.id);

    say("and one sprint");
    let sprint = SprintDraft {
        touchpoint_id: Some(counter),
        name: Some("Counter: CSAT to at least 80".into()),
        start: Some(today),
        leader_id: Some(lead),
        ..Default::default()
    };
    let made = s.sprint_from_gap(org, exp, &key, &sprint).await.unwrap();
    let made_again = s.sprint_from_gap(org, exp, &key, &sprint).await.unwrap();
    assert!(made.created && !made_again.created && made.id == made_again.id);
    assert_eq!(s.list_sprints(org).await.unwrap().len(), 1);
    let links = s.gap_links(org, exp).await.unwrap();
    let got: Vec<(GapKey, Option<Id>, Option<Id>)> = links.iter().map(|l| (l.key, l.idea_id, l.sprint_id)).collect();
    assert_eq!(got.len(), 2);
    assert!(got.contains(&(key, Some(first.id), Some(made.id))), "{got:?}");
    assert!(got.contains(&(everyone, Some(other.id), None)), "{got:?}");

    say("another organization sees nothing and makes nothing");
    let elsewhere = super::org(s, "gaps-other").await.id;
    let someone = add_person(s, elsewhere, "Mara").await;
    not_found(s.idea_from_gap(elsewhere, exp, &key, someone, &idea).await);
    not_found(s.sprint_from_gap(elsewhere, exp, &key, &sprint).await);
    assert!(s.gap_links(elsewhere, exp).await.unwrap().is_empty());
    assert_eq!(s.list_ideas(org, &filter).await.unwrap().len(), 2, "one per gap: regulars and everyone");
}
