//! `GET /feedback`: the inbox list and its filters.

use super::super::answers::answer_pairs;
use super::super::view::Program;
use super::super::{Page, WebResult};
use crate::api::feedback::FeedbackQuery;
use axum::extract::Query;
use minijinja::context;
use rapport_core::feedback::Response;
use rapport_core::measure::band::Band;
use rapport_core::role::Permission;
use rapport_core::survey::Survey;
use rapport_core::text::{FlagKind, Sentiment};
use rapport_core::Id;
use rapport_store::TimeKey;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Responses per page.
const PAGE_SIZE: i64 = 25;

/// Characters of a comment shown in the list (the response page has it all).
const COMMENT_PREVIEW: usize = 400;

#[derive(Debug, Default, Deserialize)]
pub(super) struct InboxQuery {
    #[serde(flatten)]
    pub(super) filters: FeedbackQuery,
    /// The cursor of the page after the one shown.
    after: Option<String>,
}

/// One response as the list shows it.
#[derive(Serialize)]
pub(super) struct Item {
    id: Id,
    at: String,
    touchpoint: Option<String>,
    survey: Option<String>,
    customer: Option<String>,
    answers: Vec<(String, String)>,
    comment: Option<String>,
    truncated: bool,
    sentiment: Option<&'static str>,
    wow: bool,
    anger: bool,
    language: Option<&'static str>,
    channel: Option<String>,
}

pub(super) fn item(r: Response, surveys: &HashMap<Id, Survey>, touchpoints: &HashMap<Id, String>, page: &Page) -> Item {
    let survey = r.survey_id.and_then(|id| surveys.get(&id));
    let (comment, truncated) = match r.comment {
        Some(c) if c.chars().count() > COMMENT_PREVIEW => (Some(c.chars().take(COMMENT_PREVIEW).collect()), true),
        c => (c, false),
    };
    Item {
        id: r.id,
        at: r.at.to_rfc3339(),
        touchpoint: touchpoints.get(&r.touchpoint_id).cloned(),
        survey: survey.map(|s| s.title.get(page.lang()).to_string()),
        customer: r.customer,
        answers: answer_pairs(survey, &r.answers, page.lang()),
        comment,
        truncated,
        sentiment: r.text.map(|t| t.label.key()),
        wow: r.text.is_some_and(|t| t.wow),
        anger: r.text.is_some_and(|t| t.anger),
        language: r.language.map(|l| l.code()),
        channel: r.channel,
    }
}

/// The query string of the filters (without the cursor), for the next
/// page's link and the CSV export.
fn filter_query(q: &FeedbackQuery) -> String {
    let pairs = [
        ("experience", &q.experience),
        ("touchpoint", &q.touchpoint),
        ("survey", &q.survey),
        ("segment", &q.segment),
        ("sentiment", &q.sentiment),
        ("flag", &q.flag),
        ("band", &q.band),
        ("theme", &q.theme),
        ("language", &q.language),
        ("has_comment", &q.has_comment),
        ("channel", &q.channel),
        ("q", &q.q),
        ("customer", &q.customer),
        ("from", &q.from),
        ("to", &q.to),
    ];
    pairs
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.trim().is_empty()).map(|v| (k, v)))
        .map(|(k, v)| format!("{k}={}", crate::encode::query(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub(super) async fn list(page: Page, Query(q): Query<InboxQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let program = Program::load(store, page.org()).await?;
    let surveys: HashMap<Id, Survey> = store.list_surveys(page.org()).await?.into_iter().map(|s| (s.id, s)).collect();
    let touchpoints: HashMap<Id, String> = program.touchpoints.iter().map(|t| (t.id, t.name.clone())).collect();
    let (items, total, estimate, next, errors) = match q.filters.conditions(PAGE_SIZE + 1) {
        Err(e) => (vec![], 0, false, None, page.errors(&e)),
        Ok(mut f) => {
            f.after = q.after.as_deref().and_then(|c| crate::api::page::decode_key::<TimeKey>("feedback", c));
            let listed = store.list_responses(page.org(), &f).await?;
            let mut rows = listed.items;
            let more = rows.len() as i64 > PAGE_SIZE;
            rows.truncate(PAGE_SIZE as usize);
            let next = rows.last().filter(|_| more).map(|r| {
                let cursor = crate::api::page::encode("feedback", &TimeKey::of_response(r));
                let filters = filter_query(&q.filters);
                let sep = if filters.is_empty() { "" } else { "&" };
                format!("/feedback?{filters}{sep}after={cursor}")
            });
            let items: Vec<Item> = rows.into_iter().map(|r| item(r, &surveys, &touchpoints, &page)).collect();
            (items, listed.total, listed.total_is_estimate, next, Default::default())
        }
    };
    page.render(
        "feedback/list.html",
        context! {
            q => &q.filters,
            items => items,
            total => total,
            total_is_estimate => estimate,
            next => next,
            errors => errors,
            filtered => !filter_query(&q.filters).is_empty(),
            export => format!("/feedback/export.csv?{}", filter_query(&q.filters)),
            refresh => format!("/feedback?{}", filter_query(&q.filters)),
            js_version => super::super::assets::inbox_js_version(),
            experiences => program.experiences.iter().map(|e| (e.id, e.name.clone())).collect::<Vec<_>>(),
            touchpoints => program.touchpoints.iter().map(|t| (t.id, t.name.clone())).collect::<Vec<_>>(),
            segments => program.segments.iter().map(|s| (s.id, s.name.clone())).collect::<Vec<_>>(),
            surveys => survey_choices(&surveys, &page),
            sentiments => Sentiment::ALL.iter().map(|s| s.key()).collect::<Vec<_>>(),
            flags => FlagKind::ALL.iter().map(|f| f.key()).collect::<Vec<_>>(),
            bands => Band::ALL.iter().map(|b| b.key()).collect::<Vec<_>>(),
            themes => store.list_themes(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect::<Vec<_>>(),
        },
    )
}

/// The surveys as (id, title) choices, oldest first.
fn survey_choices(surveys: &HashMap<Id, Survey>, page: &Page) -> Vec<(Id, String)> {
    let mut choices: Vec<(Id, String)> =
        surveys.values().map(|s| (s.id, s.title.get(page.lang()).to_string())).collect();
    choices.sort();
    choices
}
