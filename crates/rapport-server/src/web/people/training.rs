//! E1. Training modules, quizzes and assignments; and `/media/{id}`, the
//! images documents show.
//!
//! `/training` is the signed-in person's training: their assignments, due
//! dates and status. A module's page shows its body in the viewer's
//! language (the other one when it has none) and its quiz as a plain form
//! (radio buttons and check boxes, no JavaScript); the answer shows the
//! score, pass or fail and which questions were wrong. With
//! `WriteLearning`: the module list, the forms (the quiz written as text,
//! see `parse_quiz_text`), image upload and the progress report.

use crate::api::people::training::{assignment_views, progress_by, read_image, save_image};
use crate::error::AppError;
use crate::web::form::FormData;
use crate::web::{see_other, Page, WebError, WebPath, WebResult};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use minijinja::{context, Value};
use rapport_core::markdown::to_html;
use rapport_core::media::{is_image_type, MEDIA_MAX_BYTES};
use rapport_core::people::training::{
    parse_quiz_text, pick, quiz_text, Audience, Module, ModuleDraft, ModuleKind, QuizResult,
};
use rapport_core::role::{Permission, Role};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::training::ProgressBy;
use serde::Deserialize;
use std::collections::BTreeMap;

use crate::auth::Principal;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/training", get(mine))
        .route("/training/modules", get(modules).post(create))
        .route("/training/modules/new", get(new))
        .route("/training/modules/{id}/edit", get(edit).post(update))
        .route("/training/modules/{id}/delete", post(delete))
        .route("/training/progress", get(progress))
        .route("/training/{id}", get(show))
        .route("/training/{id}/attempt", post(attempt))
        .route("/training/{id}/acknowledge", post(acknowledge))
        .route("/training/media", post(upload).layer(DefaultBodyLimit::max(MEDIA_MAX_BYTES + 64 * 1024)))
        .route("/media/{id}", get(media))
}

/// The signed-in account's person, if linked.
fn me(page: &Page) -> Option<Id> {
    page.p.user.as_ref().and_then(|u| u.person_id)
}

fn module_view(page: &Page, m: &Module) -> Value {
    let lang = page.lang();
    context! {
        id => m.id,
        kind => m.kind.key(),
        title => m.title(lang),
        due_days => m.due_days,
        has_quiz => m.quiz.is_some(),
        questions => m.quiz.as_ref().map_or(0, |q| q.questions.len()),
        pass_mark => m.quiz.as_ref().map(|q| q.pass_mark),
        revision => m.revision,
        intent_version => m.intent_version,
        audience => audience_text(page, &m.audience),
    }
}

fn audience_text(page: &Page, a: &Audience) -> String {
    let mut parts = Vec::new();
    if a.everyone {
        parts.push(page.t("training-audience-everyone"));
    }
    for r in &a.roles {
        parts.push(page.t(&format!("role-{}", r.as_str())));
    }
    parts.extend(a.departments.iter().cloned());
    if !a.touchpoints.is_empty() {
        parts.push(format!("{} {}", a.touchpoints.len(), page.t("training-audience-touchpoints")));
    }
    parts.join(", ")
}

async fn mine(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let lang = page.lang();
    let items: Vec<Value> = match me(&page) {
        Some(person) => assignment_views(page.store(), page.org(), person)
            .await?
            .into_iter()
            .map(|v| {
                context! {
                    module_id => v.assignment.module_id,
                    title => pick(lang, &v.title_en, &v.title_es),
                    due_at => v.assignment.due_at.to_rfc3339(),
                    status => v.assignment.status.key(),
                    best_score => v.assignment.best_score,
                    attempts => v.assignment.attempts,
                    has_quiz => v.has_quiz,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    page.render(
        "people/training/mine.html",
        context! { items => items, linked => me(&page).is_some(), can_write => page.p.can(Permission::WriteLearning) },
    )
}

/// The module's page, with a quiz result (and the answers sent) when there
/// is one, or a refused form's errors.
async fn render_module(
    page: &Page,
    id: Id,
    result: Option<(&QuizResult, &BTreeMap<usize, Vec<usize>>)>,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let m = page.store().get_module(page.org(), id).await?;
    let lang = page.lang();
    let mine = match me(page) {
        Some(person) => page.store().assignment(page.org(), id, person, Utc::now()).await?,
        None => None,
    };
    let questions: Vec<Value> = m
        .quiz
        .iter()
        .flat_map(|q| q.questions.iter().enumerate())
        .map(|(i, q)| {
            let chosen = result.and_then(|(_, sent)| sent.get(&i)).cloned().unwrap_or_default();
            context! {
                index => i,
                text => pick(lang, &q.text_en, &q.text_es),
                multiple => q.multiple,
                wrong => result.is_some_and(|(r, _)| r.wrong.contains(&i)),
                right => result.is_some_and(|(r, _)| !r.wrong.contains(&i)),
                choices => q.choices.iter().enumerate().map(|(j, c)| context! {
                    index => j,
                    text => pick(lang, &c.text_en, &c.text_es),
                    checked => chosen.contains(&j),
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    page.render_status(
        status,
        "people/training/module.html",
        context! {
            m => module_view(page, &m),
            body => to_html(m.body(lang)),
            questions => questions,
            result => result.map(|(r, _)| context! {
                score => r.score, passed => r.passed, correct => r.correct, total => r.total,
                pass_mark => r.pass_mark, wrong => r.wrong.iter().map(|w| w + 1).collect::<Vec<_>>(),
            }),
            assignment => mine.map(|a| context! {
                status => a.status.key(), due_at => a.due_at.to_rfc3339(), best_score => a.best_score,
                last_score => a.last_score, attempts => a.attempts,
            }),
            errors => errors,
            can_take => page.p.can(Permission::Contribute) && me(page).is_some(),
            can_write => page.p.can(Permission::WriteLearning),
        },
    )
}

async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render_module(&page, id, None, BTreeMap::new(), StatusCode::OK).await
}

/// The answers of the quiz form: `q0`, `q1`, … each naming a choice index
/// (repeated for check boxes). Bounded by the quiz's own limits.
fn answers_of(form: &FormData, questions: usize) -> (Vec<Vec<usize>>, BTreeMap<usize, Vec<usize>>) {
    let mut sent = BTreeMap::new();
    let answers: Vec<Vec<usize>> = (0..questions)
        .map(|i| {
            let chosen: Vec<usize> = form
                .all(&format!("q{i}"))
                .into_iter()
                .take(rapport_core::people::training::CHOICES_MAX)
                .filter_map(|v| v.trim().parse().ok())
                .collect();
            sent.insert(i, chosen.clone());
            chosen
        })
        .collect();
    (answers, sent)
}

async fn attempt(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let m = page.store().get_module(page.org(), id).await?;
    let questions = m.quiz.as_ref().map_or(0, |q| q.questions.len());
    let (answers, sent) = answers_of(&form, questions);
    let r = async {
        let person = crate::api::ideas::acting_person(&page.p, None, "person_id")?;
        Ok::<_, AppError>(
            page.store().attempt_quiz(page.org(), id, person, &answers, rapport_store::rows::now()).await?,
        )
    };
    match crate::web::form::outcome(r.await)? {
        Ok((result, _)) => render_module(&page, id, Some((&result, &sent)), BTreeMap::new(), StatusCode::OK).await,
        Err((status, e)) => render_module(&page, id, None, page.errors(&e), status).await,
    }
}

async fn acknowledge(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::Contribute)?;
    let r = async {
        let person = crate::api::ideas::acting_person(&page.p, None, "person_id")?;
        Ok::<_, AppError>(page.store().acknowledge_module(page.org(), id, person, rapport_store::rows::now()).await?)
    };
    match crate::web::form::outcome(r.await)? {
        Ok(_) => see_other(&format!("/training/{id}?ok=saved")),
        Err((status, e)) => render_module(&page, id, None, page.errors(&e), status).await,
    }
}

#[derive(Deserialize)]
struct MediaQuery {
    media: Option<Id>,
}

async fn modules(page: Page, Query(q): Query<MediaQuery>) -> WebResult {
    modules_page(&page, q.media, BTreeMap::new(), StatusCode::OK).await
}

async fn modules_page(
    page: &Page,
    uploaded: Option<Id>,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> WebResult {
    page.require(Permission::WriteLearning)?;
    let list = page.store().list_modules(page.org(), None, 0).await?;
    let items: Vec<Value> = list.iter().map(|m| module_view(page, m)).collect();
    page.render_status(
        status,
        "people/training/modules.html",
        context! { modules => items, uploaded => uploaded, errors => errors },
    )
}

async fn upload(page: Page, form: Result<Multipart, MultipartRejection>) -> WebResult {
    page.require(Permission::WriteLearning)?;
    let r = async {
        let bytes = read_image(form).await?;
        save_image(page.store(), page.org(), &page.p.actor, &bytes).await
    };
    match crate::web::form::outcome(r.await)? {
        Ok(m) => see_other(&format!("/training/modules?media={}", m.id)),
        Err((status, e)) => modules_page(&page, None, page.errors(&e), status).await,
    }
}

/// The form's values for a module (the quiz as text).
fn form_values(m: &Module) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    v.insert("title_en".into(), m.title_en.clone());
    v.insert("title_es".into(), m.title_es.clone());
    v.insert("body_en".into(), m.body_en.clone());
    v.insert("body_es".into(), m.body_es.clone());
    v.insert("due_days".into(), m.due_days.to_string());
    v.insert("departments".into(), m.audience.departments.join(", "));
    if let Some(q) = &m.quiz {
        v.insert("quiz_text".into(), quiz_text(q));
        v.insert("pass_mark".into(), q.pass_mark.to_string());
    }
    v
}

async fn form_page(
    page: &Page,
    id: Option<Id>,
    values: BTreeMap<String, String>,
    audience: Audience,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> WebResult {
    page.require(Permission::WriteLearning)?;
    let tps = page.store().list_touchpoints(page.org()).await?;
    let touchpoints: Vec<Value> = tps
        .iter()
        .map(|t| context! { id => t.id, name => &t.name, checked => audience.touchpoints.contains(&t.id) })
        .collect();
    let roles: Vec<Value> =
        Role::ALL.iter().map(|r| context! { key => r.as_str(), checked => audience.roles.contains(r) }).collect();
    page.render_status(
        status,
        "people/training/form.html",
        context! {
            id => id, v => values, everyone => audience.everyone, roles => roles,
            touchpoints => touchpoints, errors => errors,
        },
    )
}

async fn new(page: Page) -> WebResult {
    let mut v = BTreeMap::new();
    v.insert("due_days".to_string(), "14".to_string());
    v.insert("pass_mark".to_string(), "80".to_string());
    form_page(&page, None, v, Audience::default(), BTreeMap::new(), StatusCode::OK).await
}

async fn edit(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::WriteLearning)?;
    let m = page.store().get_module(page.org(), id).await?;
    if m.kind == ModuleKind::Intent {
        return see_other(&format!("/training/{id}"));
    }
    form_page(&page, Some(id), form_values(&m), m.audience.clone(), BTreeMap::new(), StatusCode::OK).await
}

/// The form as a draft; parse errors (numbers, the quiz text) first.
fn draft_of(form: &FormData) -> (ModuleDraft, FieldErrors) {
    let mut e = FieldErrors::new();
    let due_days = form.integer("due_days", &mut e);
    let pass_mark = form.integer("pass_mark", &mut e);
    let quiz = match parse_quiz_text(form.get("quiz_text").unwrap_or(""), pass_mark, "quiz_text") {
        Ok(q) => q,
        Err(qe) => {
            e.0.extend(qe.0);
            None
        }
    };
    let audience = Audience {
        everyone: form.get("everyone") == Some("on"),
        roles: form.all("roles").into_iter().filter_map(Role::parse).collect(),
        departments: crate::web::form::comma_list(form.get("departments")).unwrap_or_default(),
        touchpoints: form.ids("touchpoints"),
    };
    let draft = ModuleDraft {
        title_en: form.text("title_en"),
        title_es: form.text("title_es"),
        body_en: form.text("body_en"),
        body_es: form.text("body_es"),
        audience,
        due_days,
        quiz,
    };
    (draft, e)
}

/// The form's errors under the form's names: a question's and the pass
/// mark's under the quiz text, the audience's parts under the audience.
fn form_errors(page: &Page, e: &FieldErrors) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (field, msg) in page.errors(e) {
        let name = if field.starts_with("quiz.pass_mark") {
            "pass_mark".to_string()
        } else if field.starts_with("quiz") {
            "quiz_text".to_string()
        } else if field.starts_with("audience") {
            "audience".to_string()
        } else {
            field
        };
        out.entry(name).or_insert(msg);
    }
    out
}

async fn save(page: Page, id: Option<Id>, form: FormData) -> WebResult {
    page.require(Permission::WriteLearning)?;
    let (draft, parsed) = draft_of(&form);
    let r = async {
        let input = crate::web::form::checked(parsed, draft.validate())?;
        let now = rapport_store::rows::now();
        Ok::<_, AppError>(match id {
            None => page.store().create_module(page.org(), &input, &page.p.actor, now).await?,
            Some(id) => page.store().update_module(page.org(), id, &input, now).await?,
        })
    };
    match crate::web::form::outcome(r.await)? {
        Ok(m) => see_other(&format!("/training/{}?ok=saved", m.id)),
        Err((status, e)) => {
            let errors = form_errors(&page, &e);
            form_page(&page, id, form.values(), draft.audience, errors, status).await
        }
    }
}

async fn create(page: Page, form: FormData) -> WebResult {
    save(page, None, form).await
}

async fn update(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    save(page, Some(id), form).await
}

async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::WriteLearning)?;
    page.store().delete_module(page.org(), id).await?;
    see_other("/training/modules?ok=deleted")
}

#[derive(Deserialize)]
struct ProgressQuery {
    by: Option<String>,
}

async fn progress(page: Page, Query(q): Query<ProgressQuery>) -> WebResult {
    // Scores are per person: for those who write and assign training.
    page.require(Permission::WriteLearning)?;
    let by = progress_by(q.by.as_deref()).unwrap_or(ProgressBy::Person);
    let key = match by {
        ProgressBy::Person => "person",
        ProgressBy::Department => "department",
        ProgressBy::Touchpoint => "touchpoint",
    };
    let now = Utc::now();
    let rows = page.store().training_progress(page.org(), by, now, None, 0).await?;
    let gaps = page.store().training_gaps(page.org(), now).await?;
    let lang = page.lang();
    let gaps: Vec<Value> = gaps
        .iter()
        .map(|g| {
            context! {
                touchpoint => &g.touchpoint, person => &g.person, module_id => g.module_id,
                module => pick(lang, &g.module_title_en, &g.module_title_es),
                status => g.status.map(|s| s.key()), due_at => g.due_at.map(|d| d.to_rfc3339()),
            }
        })
        .collect();
    page.render("people/training/progress.html", context! { by => key, rows => rows, gaps => gaps })
}

/// An image, to signed-in people of its organization (bearer tokens too):
/// its sniffed type, `nosniff`, a private cache for a day (an image never
/// changes: a new upload is a new id) and an ETag.
async fn media(State(state): State<AppState>, p: Principal, WebPath(id): WebPath<Id>, headers: HeaderMap) -> WebResult {
    p.require(Permission::ReadProgram)?;
    let m = state.store.get_media(p.org.id, id).await?;
    let etag = format!("\"{}\"", m.version);
    let common = [
        (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400")),
        (header::ETAG, HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(Box::new(e)))?),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    if !is_image_type(&m.content_type) {
        return Err(WebError(AppError::Internal(format!("stored media type {:?}", m.content_type).into())));
    }
    let content_type = HeaderValue::from_str(&m.content_type).map_err(|e| AppError::Internal(Box::new(e)))?;
    Ok((common, [(header::CONTENT_TYPE, content_type)], m.bytes).into_response())
}

#[cfg(test)]
mod tests;
