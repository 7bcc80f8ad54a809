//! Demo data for gap analysis (F3): the first experience's key
//! interactions that no survey hears get a short "quick pulse" survey and
//! three weeks of answers, so the gap analysis ranks at least three missed
//! targets (the intent's NPS ≥ 45 for the whole organization) beside the
//! stated importance the journey already gives each touchpoint. Touchpoints
//! the demo leaves unheard on purpose (listening gaps) stay unheard.

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use rapport_core::survey::{SurveyDraft, SurveyStatus};
use rapport_core::Id;
use rapport_store::{NewResponse, Store};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// NPS answers per touchpoint, repeated to 40 answers: NPS 0, 30 and 40,
/// all short of 45 by different amounts.
const PATTERNS: [[i64; 10]; 3] =
    [[10, 9, 8, 7, 3, 2, 6, 9, 10, 5], [10, 9, 9, 8, 7, 6, 10, 4, 9, 8], [10, 10, 9, 9, 8, 7, 6, 9, 10, 3]];
const ANSWERS: usize = 40;

pub async fn seed(
    store: &dyn Store,
    org: Id,
    _people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(exp) = store.list_experiences(org).await?.into_iter().next() else { return Ok(()) };
    let heard: HashSet<Id> = store.list_surveys(org).await?.iter().map(|s| s.touchpoint_id).collect();
    let unheard: HashSet<Id> = super::UNHEARD.iter().filter_map(|n| touchpoints.get(n).copied()).collect();
    let quiet: Vec<Id> =
        exp.touchpoint_ids().into_iter().filter(|t| !heard.contains(t) && !unheard.contains(t)).take(3).collect();
    let mut items = Vec::new();
    for (i, tp) in quiet.iter().enumerate() {
        let draft: SurveyDraft = serde_json::from_value(json!({
            "touchpoint_id": tp,
            "fatigue_days": 30,
            "title": {"en": "Quick pulse", "es": "Pulso rápido"},
            "questions": [
                {"key": "nps", "type": "nps", "required": true,
                 "text": {"en": "How likely are you to recommend us to a friend?", "es": "¿Con qué probabilidad nos recomendarías a un amigo?"}},
                {"key": "sat", "type": "csat", "text": {"en": "How satisfied were you with this step?", "es": "¿Qué tan satisfecho quedaste con este paso?"}},
                // Every demo survey asks why, like the others (demo/surveys.rs).
                {"key": "why", "type": "text", "text": {"en": "What is the main reason for your score?", "es": "¿Cuál es la razón principal de tu puntuación?"}},
            ],
        }))?;
        let input = draft.validate().map_err(|e| anyhow::anyhow!("pulse survey: {e:?}"))?;
        let survey = store.create_survey(org, &input, &format!("demo-pulse-{tp}")).await?;
        store.set_survey_status(org, survey.id, SurveyStatus::Published).await?;
        for n in 0..ANSWERS {
            let nps = PATTERNS[i % PATTERNS.len()][n % 10];
            let sat = match nps {
                9.. => 5,
                7..=8 => 4,
                _ => 2,
            };
            items.push(NewResponse {
                key: Some(format!("demo-pulse-{tp}-{n}")),
                survey_id: Some(survey.id),
                touchpoint_id: *tp,
                customer: Some(format!("cust-{:04}", 11 + (n + 40 * i) % 200)),
                at: now - Duration::hours(6 + 12 * n as i64),
                answers: serde_json::from_value(json!({"nps": nps, "sat": sat}))?,
                comment: None,
                channel: Some("web".into()),
                language: None,
            });
        }
    }
    store.ingest_responses(org, &items).await?;
    Ok(())
}
