//! `GET /feedback/{id}`: one response, its comment marked sentence by
//! sentence, the customer's cases at its touchpoint; `POST
//! /feedback/{id}/case` opens a case from it (given to someone, or routed).

use super::super::answers::answer_pairs;
use super::super::cases::{actor, customer_cases};
use super::super::form::{checked, outcome, FormData};
use super::super::{see_other, Page, WebPath, WebResult};
use crate::error::AppError;
use axum::http::StatusCode;
use chrono::Utc;
use minijinja::context;
use rapport_core::case::CaseDraft;
use rapport_core::feedback::{written_text, Response};
use rapport_core::role::Permission;
use rapport_core::text::{self, Analysis, FlagKind};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Serialize;
use std::collections::BTreeMap;

/// Characters of the comment used as the default case title.
const TITLE_FROM_COMMENT: usize = 80;

/// A stretch of the comment: a sentence with its label, or what lies
/// between sentences (`label` none).
#[derive(Serialize)]
struct Stretch<'a> {
    text: &'a str,
    label: Option<&'static str>,
    score: Option<f64>,
}

/// The comment cut into its sentences and the text between them, in order.
fn stretches<'a>(comment: &'a str, analysis: &Analysis) -> Vec<Stretch<'a>> {
    let mut out = Vec::new();
    let mut at = 0;
    for s in &analysis.sentences {
        let (Some(gap), Some(sentence)) = (comment.get(at..s.start), comment.get(s.start..s.end)) else { continue };
        if !gap.is_empty() {
            out.push(Stretch { text: gap, label: None, score: None });
        }
        out.push(Stretch { text: sentence, label: Some(s.label.key()), score: Some(s.score) });
        at = s.end;
    }
    if let Some(rest) = comment.get(at..).filter(|r| !r.is_empty()) {
        out.push(Stretch { text: rest, label: None, score: None });
    }
    out
}

/// The default title of a case opened from a response: its comment's start.
fn case_title(r: &Response) -> String {
    let comment = r.comment.as_deref().unwrap_or("").trim();
    let mut title: String = comment.chars().take(TITLE_FROM_COMMENT).collect();
    if comment.chars().count() > TITLE_FROM_COMMENT {
        title.push('…');
    }
    title
}

pub(super) async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render(&page, id, StatusCode::OK, BTreeMap::new(), FieldErrors::new()).await
}

async fn render(
    page: &Page,
    id: Id,
    status: StatusCode,
    mut values: BTreeMap<String, String>,
    errors: FieldErrors,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let r = store.get_response(page.org(), id).await?;
    values.entry("title".to_string()).or_insert_with(|| case_title(&r));
    let survey = match r.survey_id {
        Some(s) => store.get_survey(page.org(), s).await.ok(),
        None => None,
    };
    let touchpoint = store.get_touchpoint(page.org(), r.touchpoint_id).await.ok().map(|t| t.name);
    let asked = survey.as_ref().map_or(&[][..], |s| &s.questions[..]);
    let written = written_text(r.comment.as_deref(), asked, &r.answers);
    let analysis = written.as_deref().map(|w| text::analyze(w, r.language));
    let comment = match (written.as_deref(), &analysis) {
        (Some(w), Some(a)) => stretches(w, a),
        _ => vec![],
    };
    let cases = match r.customer.as_deref() {
        Some(c) => customer_cases(page, c).await?.into_iter().filter(|k| k.touchpoint == touchpoint).collect(),
        None => vec![],
    };
    let people: Vec<(Id, String)> =
        store.list_people(page.org()).await?.into_iter().filter(|p| p.is_active()).map(|p| (p.id, p.name)).collect();
    let found = store.response_themes(page.org(), id).await?;
    let theme_names: Vec<(Id, String)> =
        store.list_themes(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let named =
        |ids: &[Id]| -> Vec<(Id, String)> { theme_names.iter().filter(|(t, _)| ids.contains(t)).cloned().collect() };
    let reasons = |kind: FlagKind| {
        analysis.as_ref().and_then(|a| a.flags.iter().find(|f| f.kind == kind).map(|f| f.reason.clone()))
    };
    page.render_status(
        status,
        "feedback/show.html",
        context! {
            r => &r,
            at => r.at.to_rfc3339(),
            survey => survey.as_ref().map(|s| s.title.get(page.lang()).to_string()),
            touchpoint => touchpoint,
            answers => answer_pairs(survey.as_ref(), &r.answers, page.lang()),
            comment => comment,
            score => analysis.as_ref().map(|a| a.score),
            label => analysis.as_ref().map(|a| a.label.key()),
            wow => reasons(FlagKind::Wow),
            anger => reasons(FlagKind::Anger),
            detected => analysis.as_ref().is_some_and(|a| a.detected),
            language => r.language.map(|l| l.code()),
            cases => cases,
            people => people,
            can_work => page.p.can(Permission::WorkCases) && r.customer.is_some(),
            can_recognise => page.p.can(Permission::Contribute),
            matched_themes => named(&found.matched),
            tagged_themes => named(&found.tagged),
            themes => theme_names.iter().filter(|(t, _)| !found.tagged.contains(t)).cloned().collect::<Vec<_>>(),
            v => values,
            errors => page.errors(&errors),
        },
    )
}

/// Opens a case for the response's customer at its touchpoint, the comment
/// as its first note; a refused form comes back with its errors.
pub(super) async fn open_case(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::WorkCases)?;
    let r = page.store().get_response(page.org(), id).await?;
    let mut parsed = FieldErrors::new();
    let draft = CaseDraft {
        customer: r.customer.clone(),
        touchpoint_id: Some(r.touchpoint_id),
        title: form.text("title"),
        assignee_id: form.filled("assignee_id").and_then(|_| form.id("assignee_id", &mut parsed)),
        note: form.filled("note").map(str::to_string).or(r.comment.clone()),
    };
    let opened = async {
        let input = checked(parsed, draft.validate())?;
        Ok::<_, AppError>(page.store().open_case(page.org(), &input, &actor(&page), Utc::now()).await?)
    };
    match outcome(opened.await)? {
        Ok(case) => see_other(&format!("/cases/{}?ok=created", case.id)),
        Err((status, e)) => render(&page, id, status, form.values(), e).await,
    }
}

/// `POST /feedback/{id}/tags`: tags the response with a theme by hand
/// (`theme_id`), or takes the tag off (`remove` set).
pub(super) async fn tag(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let mut e = FieldErrors::new();
    let Some(theme) = form.id("theme_id", &mut e).filter(|_| e.is_empty()) else {
        e.add("theme_id", "required", "choose a theme");
        return Err(AppError::Invalid(e).into());
    };
    let on = form.get("remove").is_none();
    page.store().tag_response(page.org(), id, theme, on, &page.p.actor).await?;
    see_other(&format!("/feedback/{id}?ok=saved#feedback-themes"))
}
