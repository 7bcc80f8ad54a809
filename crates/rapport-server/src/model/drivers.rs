//! Key drivers per experience (C5), computed by a refit and stored for the
//! pages. Two analyses per experience, for everyone and each of its
//! segments:
//! - per survey at its touchpoints, responses as observations: the survey's
//!   NPS question (else its CSAT) as the outcome, its other scored
//!   questions as drivers (what Qualtrics calls driver analysis);
//! - the experience's touchpoints as drivers, customers as observations:
//!   the customer's latest NPS as the outcome and, per touchpoint, their
//!   latest other score there on 0–100, beside the plan's stated importance.
//!   A touchpoint's NPS is left out of the drivers: it is the outcome.
//!
//! Each reads at most [`MAX_RESPONSES`] responses of the last year, oldest
//! first (the page says when the cap was reached).

use super::refit::Ctx;
use chrono::Duration;
use rapport_core::experience::Experience;
use rapport_core::journey::Touchpoint;
use rapport_core::measure::Scale as TallyScale;
use rapport_core::model::drivers::{
    analyze, DriverError, DriverInput, DriverOptions, DriverReport, ImportanceMethod, QuadrantChart, Scale,
    StatedVsDerived,
};
use rapport_core::survey::{item_value, scored_items, Localized, Question, ScoredItem, Survey};
use rapport_core::Id;
use rapport_store::perfect_behaviours::PerfectBehaviour;
use rapport_store::{DriverAnswers, DriverResult};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Responses read per analysis at most.
pub const MAX_RESPONSES: usize = 200_000;
const PAGE: i64 = 10_000;

/// A driver as the page names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DriverLabel {
    pub key: String,
    pub label: Localized,
    pub touchpoint_id: Option<Id>,
}

/// Why an analysis gave no figures: a stable code for the page's words and
/// the core's message in English.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Refusal {
    /// `too_few`, `constant_outcome`, `constant_driver`, `collinear`, `no_drivers`, `refused`.
    pub code: String,
    pub message: String,
    /// Observations complete and needed (`too_few`), or the driver named.
    pub n: Option<usize>,
    pub min: Option<usize>,
    pub driver: Option<String>,
}

/// One stored analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DriverAnalysis {
    /// `survey` or `touchpoints`.
    pub kind: String,
    pub title: Localized,
    pub outcome: Localized,
    pub drivers: Vec<DriverLabel>,
    pub responses_read: usize,
    pub capped: bool,
    pub report: Option<DriverReport>,
    pub refusal: Option<Refusal>,
    pub quadrants: Option<QuadrantChart>,
    /// Against the plan's touchpoint importance (touchpoint analyses whose
    /// touchpoints have one).
    pub stated_vs_derived: Option<Vec<StatedVsDerived>>,
}

fn refusal(e: DriverError) -> Refusal {
    let message = e.to_string();
    let (code, n, min, driver) = match e {
        DriverError::TooFewObservations { n, min, .. } => ("too_few", Some(n), Some(min), None),
        DriverError::ConstantOutcome { .. } => ("constant_outcome", None, None, None),
        DriverError::ConstantDriver { name, .. } => ("constant_driver", None, None, Some(name)),
        DriverError::Collinear(names) => ("collinear", None, None, Some(names.join(", "))),
        DriverError::NoDrivers => ("no_drivers", None, None, None),
        _ => ("refused", None, None, None),
    };
    Refusal { code: code.into(), message, n, min, driver }
}

fn scored(q: &Question) -> Option<(TallyScale, Scale)> {
    let scale = TallyScale::of_question(q.kind)?;
    let (lo, hi) = q.kind.bounds(q.scale_max)?;
    Some((scale, Scale { min: lo as f64, max: hi as f64 }))
}

fn value(answers: &serde_json::Map<String, serde_json::Value>, key: &str) -> f64 {
    answers.get(key).and_then(|v| v.as_f64()).unwrap_or(f64::NAN)
}

/// The figures of one analysis from its input.
fn analysis(
    kind: &str,
    title: Localized,
    outcome: Localized,
    labels: Vec<DriverLabel>,
    input: &DriverInput,
) -> DriverAnalysis {
    let options = DriverOptions::default();
    let (report, refusal) = match analyze(input, &options) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(refusal(e))),
    };
    let quadrants = report.as_ref().and_then(|r| r.quadrants(ImportanceMethod::Lmg, None).ok());
    DriverAnalysis {
        kind: kind.into(),
        title,
        outcome,
        drivers: labels,
        responses_read: 0,
        capped: false,
        report,
        refusal,
        quadrants,
        stated_vs_derived: None,
    }
}

/// Per survey: responses as observations. The drivers are every other
/// numeric item of the survey (`rapport_core::survey::scored_items`): its
/// scores, each row of a matrix ("rate each aspect of your visit"), sliders
/// and numbers, so a grid of aspects is analysed row by row.
fn survey_analysis(survey: &Survey, rows: &[&DriverAnswers]) -> Option<DriverAnalysis> {
    let scored: Vec<(&Question, TallyScale)> =
        survey.questions.iter().filter_map(|q| scored(q).map(|(t, _)| (q, t))).collect();
    let outcome = scored
        .iter()
        .find(|(_, t)| *t == TallyScale::Nps)
        .or_else(|| scored.iter().find(|(_, t)| *t == TallyScale::Csat))?
        .0;
    let drivers: Vec<ScoredItem> =
        scored_items(&survey.questions).into_iter().filter(|i| i.key != outcome.key).collect();
    if drivers.is_empty() {
        return None;
    }
    let input = DriverInput {
        names: drivers.iter().map(|i| i.key.clone()).collect(),
        outcome: rows.iter().map(|r| value(&r.answers, &outcome.key)).collect(),
        drivers: rows
            .iter()
            .map(|r| drivers.iter().map(|i| item_value(&r.answers, &i.key).unwrap_or(f64::NAN)).collect())
            .collect(),
        scales: drivers.iter().map(|i| i.min.zip(i.max).map(|(min, max)| Scale { min, max })).collect(),
    };
    let labels = drivers
        .iter()
        .map(|i| DriverLabel { key: i.key.clone(), label: i.label.clone(), touchpoint_id: Some(survey.touchpoint_id) })
        .collect();
    Some(analysis("survey", survey.title.clone(), outcome.text.clone(), labels, &input))
}

/// What the touchpoint analysis explains: what customers say (their latest
/// NPS) or what they do (whether they bought again: the customers of
/// `repeaters`), seed 001's "what the customer would say they want and
/// what you found they actually want".
#[derive(Clone, Copy)]
enum Outcome<'a> {
    Nps,
    RepeatPurchase(&'a HashSet<Id>),
    /// Whether the customer showed a perfect behaviour of the experience.
    Behaviour(&'a PerfectBehaviour, &'a HashSet<Id>),
}

/// A perfect behaviour and the customers who showed it in the year before
/// the fit (`plan::perfect_behaviour::state::shown_days`).
pub struct BehaviourOutcome {
    pub behaviour: PerfectBehaviour,
    pub shown: HashSet<Id>,
}

/// The experience's touchpoints as drivers: customers as observations.
fn touchpoint_analysis(
    exp: &Experience,
    touchpoints: &HashMap<Id, &Touchpoint>,
    surveys: &HashMap<Id, &Survey>,
    rows: &[DriverAnswers],
    segment: Id,
    wanted: Outcome<'_>,
) -> Option<DriverAnalysis> {
    // Per customer: latest NPS, and latest non-NPS score per touchpoint on 0–100.
    let mut outcome: HashMap<Id, f64> = HashMap::new();
    let mut scores: HashMap<(Id, Id), f64> = HashMap::new();
    for r in rows {
        let (Some(c), Some(survey)) = (r.customer_id, r.survey_id.and_then(|s| surveys.get(&s))) else { continue };
        let mut nps_seen = false;
        for q in &survey.questions {
            let Some((kind, scale)) = scored(q) else { continue };
            let v = value(&r.answers, &q.key);
            if !v.is_finite() {
                continue;
            }
            if kind == TallyScale::Nps && !nps_seen {
                nps_seen = true;
                outcome.insert(c, v);
            } else if kind != TallyScale::Nps {
                scores.insert((c, r.touchpoint_id), (v - scale.min) / (scale.max - scale.min) * 100.0);
                break;
            }
        }
    }
    if let Outcome::RepeatPurchase(shown) | Outcome::Behaviour(_, shown) = wanted {
        outcome = scores.keys().map(|(c, _)| (*c, f64::from(u8::from(shown.contains(c))))).collect();
    }
    let tps: Vec<Id> = exp.touchpoint_ids().into_iter().filter(|tp| scores.keys().any(|(_, t)| t == tp)).collect();
    if tps.is_empty() || outcome.is_empty() {
        return None;
    }
    let customers: Vec<Id> = {
        let mut c: Vec<Id> = outcome.keys().copied().collect();
        c.sort_unstable();
        c
    };
    let names: Vec<String> = tps.iter().map(|tp| format!("touchpoint:{tp}")).collect();
    let input = DriverInput {
        names: names.clone(),
        outcome: customers.iter().map(|c| outcome[c]).collect(),
        drivers: customers
            .iter()
            .map(|c| tps.iter().map(|tp| scores.get(&(*c, *tp)).copied().unwrap_or(f64::NAN)).collect())
            .collect(),
        scales: vec![Some(Scale { min: 0.0, max: 100.0 }); tps.len()],
    };
    let name = |tp: &Id| touchpoints.get(tp).map_or_else(|| format!("#{tp}"), |t| t.name.clone());
    let labels = tps
        .iter()
        .zip(&names)
        .map(|(tp, key)| DriverLabel {
            key: key.clone(),
            label: Localized { en: name(tp), es: name(tp) },
            touchpoint_id: Some(*tp),
        })
        .collect();
    let title = Localized { en: exp.name.clone(), es: exp.name.clone() };
    let outcome_label = match wanted {
        Outcome::Nps => Localized { en: "Likelihood to recommend".into(), es: "Probabilidad de recomendar".into() },
        Outcome::RepeatPurchase(_) => Localized {
            en: "Bought again (a behaviour, not a score)".into(),
            es: "Volvió a comprar (una conducta, no una puntuación)".into(),
        },
        Outcome::Behaviour(b, _) => Localized {
            en: format!("{} (a perfect behaviour, not a score)", b.name),
            es: format!("{} (una conducta ideal, no una puntuación)", b.name_es.as_deref().unwrap_or(&b.name)),
        },
    };
    let mut a = analysis("touchpoints", title, outcome_label, labels, &input);
    // Stated importance: the segment's, or the mean over the segments that
    // rated the touchpoint (everyone).
    let stated: Option<Vec<f64>> = tps
        .iter()
        .map(|tp| {
            let imp = &touchpoints.get(tp)?.importance;
            let picked: Vec<f64> =
                imp.iter().filter(|i| segment == 0 || i.segment_id == segment).map(|i| i.importance as f64).collect();
            (!picked.is_empty()).then(|| picked.iter().sum::<f64>() / picked.len() as f64)
        })
        .collect();
    if let (Some(stated), Some(report)) = (stated, a.report.as_ref()) {
        a.stated_vs_derived = report.stated_vs_derived(ImportanceMethod::Lmg, &stated).ok();
    }
    Some(a)
}

/// Every analysis of every experience, for everyone and each segment.
/// Stored with survey id 0 (NPS) and −1 (bought again).
pub const TOUCHPOINTS_NPS: Id = 0;
pub const TOUCHPOINTS_REPEAT: Id = -1;
/// A perfect behaviour's analysis is stored with survey id
/// `TOUCHPOINTS_BEHAVIOUR - behaviour id` (see [`behaviour_of`]).
pub const TOUCHPOINTS_BEHAVIOUR: Id = -1_000_000;

/// The perfect behaviour a stored analysis explains, if it is one.
pub fn behaviour_of(survey_id: Id) -> Option<Id> {
    (survey_id < TOUCHPOINTS_BEHAVIOUR).then(|| TOUCHPOINTS_BEHAVIOUR - survey_id)
}

pub async fn all(
    ctx: &Ctx<'_>,
    repeaters: Arc<HashSet<Id>>,
    behaviours: Arc<Vec<BehaviourOutcome>>,
) -> rapport_store::Result<Vec<DriverResult>> {
    let store = ctx.state.store.as_ref();
    let experiences = store.list_experiences(ctx.org).await?;
    let touchpoints = Arc::new(store.list_touchpoints(ctx.org).await?);
    let surveys = Arc::new(store.list_surveys(ctx.org).await?);
    let since = ctx.now - Duration::days(365);
    let mut out = Vec::new();
    for exp in experiences {
        for segment in std::iter::once(0).chain(exp.segment_ids.iter().copied()) {
            let (rows, capped) = read(ctx, &exp.touchpoint_ids(), (segment != 0).then_some(segment), since).await?;
            let (read_n, experience_id) = (rows.len(), exp.id);
            let (exp, touchpoints, surveys, repeaters, behaviours) =
                (exp.clone(), touchpoints.clone(), surveys.clone(), repeaters.clone(), behaviours.clone());
            // Fitting is CPU work: off the request threads.
            let analyses = tokio::task::spawn_blocking(move || {
                let outcomes = Outcomes { repeaters: &repeaters, behaviours: &behaviours };
                analyses(&exp, &touchpoints, &surveys, &rows, segment, outcomes)
            })
            .await
            .map_err(rapport_store::StoreError::internal)?;
            for (survey_id, mut a) in analyses {
                (a.responses_read, a.capped) = (read_n, capped);
                let result = serde_json::to_value(&a).map_err(rapport_store::StoreError::internal)?;
                out.push(DriverResult { experience_id, survey_id, segment_id: segment, run_id: ctx.run, result });
            }
        }
    }
    Ok(out)
}

/// The behaviours the experience's touchpoints are fitted against.
#[derive(Clone, Copy)]
struct Outcomes<'a> {
    repeaters: &'a HashSet<Id>,
    behaviours: &'a [BehaviourOutcome],
}

fn analyses(
    exp: &Experience,
    touchpoint_list: &[Touchpoint],
    survey_list: &[Survey],
    rows: &[DriverAnswers],
    segment: Id,
    outcomes: Outcomes<'_>,
) -> Vec<(Id, DriverAnalysis)> {
    let touchpoints: HashMap<Id, &Touchpoint> = touchpoint_list.iter().map(|t| (t.id, t)).collect();
    let surveys: HashMap<Id, &Survey> = survey_list.iter().map(|s| (s.id, s)).collect();
    let mut by_survey: BTreeMap<Id, Vec<&DriverAnswers>> = BTreeMap::new();
    for r in rows {
        if let Some(s) = r.survey_id {
            by_survey.entry(s).or_default().push(r);
        }
    }
    let mut v: Vec<(Id, DriverAnalysis)> =
        by_survey.iter().filter_map(|(id, rows)| survey_analysis(surveys.get(id)?, rows).map(|a| (*id, a))).collect();
    let mut wanted =
        vec![(TOUCHPOINTS_NPS, Outcome::Nps), (TOUCHPOINTS_REPEAT, Outcome::RepeatPurchase(outcomes.repeaters))];
    for b in outcomes.behaviours.iter().filter(|b| b.behaviour.experience_id == exp.id) {
        wanted.push((TOUCHPOINTS_BEHAVIOUR - b.behaviour.id, Outcome::Behaviour(&b.behaviour, &b.shown)));
    }
    for (id, wanted) in wanted {
        v.extend(touchpoint_analysis(exp, &touchpoints, &surveys, rows, segment, wanted).map(|a| (id, a)));
    }
    v
}

async fn read(
    ctx: &Ctx<'_>,
    touchpoints: &[Id],
    segment: Option<Id>,
    since: chrono::DateTime<chrono::Utc>,
) -> rapport_store::Result<(Vec<DriverAnswers>, bool)> {
    let mut rows: Vec<DriverAnswers> = Vec::new();
    let mut after = 0;
    loop {
        let page = ctx.state.store.driver_answers(ctx.org, touchpoints, segment, since, after, PAGE).await?;
        let done = (page.len() as i64) < PAGE;
        after = page.last().map_or(after, |r| r.id);
        rows.extend(page);
        if rows.len() >= MAX_RESPONSES {
            rows.truncate(MAX_RESPONSES);
            return Ok((rows, true));
        }
        if done {
            return Ok((rows, false));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_core::survey::{Choice, QuestionType, SurveyStatus};
    use serde_json::json;

    #[test]
    fn matrix_rows_and_sliders_are_drivers_of_a_survey() {
        let l = |s: &str| Localized { en: s.into(), es: s.into() };
        let mut grid = Question::new("aspects", QuestionType::Matrix, l("Rate"));
        grid.rows = ["staff", "price"].map(|k| Choice { key: k.into(), label: l(k) }).to_vec();
        let mut effort = Question::new("effort", QuestionType::Slider, l("Effort"));
        (effort.min, effort.max) = (Some(0.0), Some(10.0));
        let survey = Survey {
            id: 7,
            touchpoint_id: 3,
            title: l("Visit"),
            intro: l(""),
            questions: vec![Question::new("nps", QuestionType::Nps, l("NPS")), grid, effort],
            fatigue_days: 0,
            status: SurveyStatus::Published,
            token: "t".into(),
            created_at: chrono::Utc::now(),
        };
        // NPS follows staff closely, price a little, effort not at all.
        let rows: Vec<DriverAnswers> = (0..200)
            .map(|i: i64| {
                let (staff, price, effort) = (1 + i % 5, 1 + (i / 5) % 5, (i * 7) % 11);
                let nps = (2 * staff - 1 + (price - 1) / 3).min(10);
                let answers = json!({"nps": nps, "aspects": {"staff": staff, "price": price}, "effort": effort});
                DriverAnswers {
                    id: i,
                    customer_id: Some(i),
                    touchpoint_id: 3,
                    survey_id: Some(7),
                    answers: answers.as_object().unwrap().clone(),
                }
            })
            .collect();
        let refs: Vec<&DriverAnswers> = rows.iter().collect();
        let a = survey_analysis(&survey, &refs).expect("an analysis");
        let keys: Vec<&str> = a.drivers.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["aspects.staff", "aspects.price", "effort"]);
        assert_eq!(a.drivers[0].label.en, "Rate: staff");
        let report = a.report.expect("figures");
        assert_eq!(report.n, 200);
        let shares = report.shares(ImportanceMethod::Lmg);
        assert!(shares[0] > 0.8 && shares[0] > shares[1] && shares[1] > shares[2], "{shares:?}");
    }
}
