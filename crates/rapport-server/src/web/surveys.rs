//! The survey builder (B1, B7): list, create and edit surveys in both
//! languages with their skip logic, publish or close them, make personal
//! links, and import Qualtrics / SurveyJS / LimeSurvey files.
//!
//! Questions are edited as rows of plain fields (no scripts): a blank row is
//! skipped, "add more rows" shows the form again with more blank rows.

use super::form::{checked, outcome, FormData};
use super::{see_other, Page, WebError, WebPath, WebResult};
use crate::auth::{link, secret};
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use minijinja::context;
use rapport_core::role::Permission;
use rapport_core::survey::{
    Choice, ConditionOp, Localized, Question, QuestionType, ShowIf, Survey, SurveyDraft, SurveyStatus,
};
use rapport_core::survey_import;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Blank question rows a new form starts with, and rows added per click.
const ROWS: usize = 3;
const MAX_ROWS: usize = 50;

/// Every question type, as the builder lists them.
pub(super) const TYPES: [QuestionType; 15] = QuestionType::ALL;
/// Every condition, as the builder lists them.
pub(super) const OPS: [ConditionOp; 9] = ConditionOp::ALL;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list).post(save))
        .route("/surveys/new", get(new))
        .route("/surveys/import", get(import_form).post(import))
        .route("/surveys/{id}/edit", get(edit))
        .route("/surveys/{id}", post(save))
        .route("/surveys/{id}/status", post(set_status))
        .route("/surveys/{id}/delete", post(delete))
        .route("/surveys/{id}/link", post(personal_link))
}

#[derive(Serialize)]
struct Row {
    id: Id,
    title: String,
    touchpoint: String,
    status: &'static str,
    url: String,
    responses: i64,
}

async fn list(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let touchpoints: BTreeMap<Id, String> =
        store.list_touchpoints(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let mut rows = Vec::new();
    for s in store.list_surveys(page.org()).await? {
        let filter = rapport_store::FeedbackFilter { survey: Some(s.id), limit: 1, ..Default::default() };
        let responses = store.list_responses(page.org(), &filter).await?.total;
        rows.push(Row {
            id: s.id,
            title: s.title.get(page.lang()).to_string(),
            touchpoint: touchpoints.get(&s.touchpoint_id).cloned().unwrap_or_default(),
            status: s.status.key(),
            url: format!("/s/{}", s.token),
            responses,
        });
    }
    page.render("surveys/list.html", context! { surveys => rows })
}

/// The form's values for a survey.
fn values_of(s: &Survey) -> BTreeMap<String, String> {
    let mut v = BTreeMap::from([
        ("touchpoint_id".to_string(), s.touchpoint_id.to_string()),
        ("title_en".into(), s.title.en.clone()),
        ("title_es".into(), s.title.es.clone()),
        ("intro_en".into(), s.intro.en.clone()),
        ("intro_es".into(), s.intro.es.clone()),
        ("fatigue_days".into(), s.fatigue_days.to_string()),
        ("rows".into(), (s.questions.len() + 1).to_string()),
    ]);
    for (i, q) in s.questions.iter().enumerate() {
        let mut set = |k: &str, val: String| {
            v.insert(format!("q{i}.{k}"), val);
        };
        set("key", q.key.clone());
        set("type", serde_json::to_value(q.kind).ok().and_then(|x| x.as_str().map(str::to_string)).unwrap_or_default());
        set("text_en", q.text.en.clone());
        set("text_es", q.text.es.clone());
        if q.required {
            set("required", "on".into());
        }
        let choices: Vec<String> =
            q.choices.iter().map(|c| format!("{}={}|{}", c.key, c.label.en, c.label.es)).collect();
        set("choices", choices.join("\n"));
        set("scale_max", q.scale_max.map(|m| m.to_string()).unwrap_or_default());
        if let Some(c) = &q.show_if {
            set("show_q", c.question.clone());
            set(
                "show_op",
                serde_json::to_value(c.op).ok().and_then(|x| x.as_str().map(str::to_string)).unwrap_or_default(),
            );
            set(
                "show_value",
                match &c.value {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    v => v.to_string(),
                },
            );
        }
    }
    v
}

async fn new(page: Page) -> WebResult {
    page.require(Permission::EditPlan)?;
    let values = BTreeMap::from([("fatigue_days".to_string(), "30".to_string()), ("rows".into(), ROWS.to_string())]);
    form_page(&page, None, StatusCode::OK, values, FieldErrors::new(), None).await
}

async fn edit(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let s = page.store().get_survey(page.org(), id).await?;
    form_page(&page, Some(id), StatusCode::OK, values_of(&s), FieldErrors::new(), None).await
}

async fn form_page(
    page: &Page,
    id: Option<Id>,
    status: StatusCode,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
    link_url: Option<String>,
) -> WebResult {
    let survey = match id {
        Some(id) => Some(page.store().get_survey(page.org(), id).await?),
        None => None,
    };
    let touchpoints: Vec<(Id, String)> =
        page.store().list_touchpoints(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let rows: usize = values.get("rows").and_then(|r| r.parse().ok()).unwrap_or(ROWS).clamp(1, MAX_ROWS);
    let messages = page.errors(&errors);
    // Each row's messages, "field: message".
    let row_errors: Vec<Vec<String>> = (0..rows)
        .map(|i| {
            let prefix = format!("questions[{i}]");
            messages
                .iter()
                .filter(|(k, _)| k.starts_with(&prefix))
                .map(|(k, m)| format!("{} — {m}", k.trim_start_matches(&prefix).trim_start_matches('.')))
                .collect()
        })
        .collect();
    page.render_status(
        status,
        "surveys/form.html",
        context! {
            id => id,
            survey => survey.as_ref().map(|s| context! { status => s.status.key(), url => format!("/s/{}", s.token) }),
            v => values,
            errors => messages,
            row_errors => row_errors,
            rows => rows,
            touchpoints => touchpoints,
            types => TYPES.map(QuestionType::key),
            ops => OPS.map(ConditionOp::key),
            link_url => link_url,
        },
    )
}

/// The rows of the form that hold a question, with their row numbers.
fn questions_of(form: &FormData, errors: &mut FieldErrors) -> (Vec<Question>, Vec<usize>) {
    let rows: usize = form.get("rows").and_then(|r| r.parse().ok()).unwrap_or(ROWS).min(MAX_ROWS);
    let mut out = Vec::new();
    let mut used = Vec::new();
    for i in 0..rows {
        let f = |k: &str| form.filled(&format!("q{i}.{k}")).map(str::to_string);
        let (key, text_en, text_es) = (f("key"), f("text_en"), f("text_es"));
        if key.is_none() && text_en.is_none() && text_es.is_none() {
            continue;
        }
        let kind = f("type")
            .and_then(|t| serde_json::from_value::<QuestionType>(Value::from(t)).ok())
            .unwrap_or(QuestionType::Text);
        let choices = f("choices")
            .map(|c| {
                c.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| {
                        let (key, labels) = l.split_once('=').unwrap_or((l, l));
                        let (en, es) = labels.split_once('|').unwrap_or((labels, ""));
                        Choice {
                            key: key.trim().to_string(),
                            label: Localized { en: en.trim().to_string(), es: es.trim().to_string() },
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let scale_max = form.integer(&format!("q{i}.scale_max"), errors);
        let show_if = f("show_q").map(|question| {
            let op = f("show_op")
                .and_then(|o| serde_json::from_value::<ConditionOp>(Value::from(o)).ok())
                .unwrap_or(ConditionOp::Answered);
            let value = match f("show_value") {
                None => Value::Null,
                Some(v) => v.parse::<i64>().map(Value::from).unwrap_or(Value::from(v)),
            };
            ShowIf::new(&question, op, value)
        });
        out.push(Question {
            key: key.unwrap_or_default(),
            kind,
            text: Localized { en: text_en.unwrap_or_default(), es: text_es.unwrap_or_default() },
            required: form.get(&format!("q{i}.required")).is_some(),
            choices,
            scale_max,
            show_if,
            ..Default::default()
        });
        used.push(i);
    }
    (out, used)
}

async fn save(page: Page, id: Option<WebPath<Id>>, form: FormData) -> WebResult {
    let id = id.map(|WebPath(id)| id);
    page.require(Permission::EditPlan)?;
    let mut values = form.values();
    if form.get("more").is_some() {
        let rows: usize = values.get("rows").and_then(|r| r.parse().ok()).unwrap_or(ROWS);
        values.insert("rows".into(), (rows + ROWS).min(MAX_ROWS).to_string());
        return form_page(&page, id, StatusCode::OK, values, FieldErrors::new(), None).await;
    }
    let mut parsed = FieldErrors::new();
    let (questions, used) = questions_of(&form, &mut parsed);
    let loc = |k: &str| Localized {
        en: form.get(&format!("{k}_en")).unwrap_or("").to_string(),
        es: form.get(&format!("{k}_es")).unwrap_or("").to_string(),
    };
    let draft = SurveyDraft {
        touchpoint_id: form.id("touchpoint_id", &mut parsed),
        title: Some(loc("title")),
        intro: Some(loc("intro")),
        questions,
        fatigue_days: form.integer("fatigue_days", &mut parsed),
    };
    let saved = async {
        let input = checked(parsed, draft.validate())?;
        let s = match id {
            Some(id) => {
                let audit = page.p.audit("survey.update", format!("survey:{id}"));
                page.store().update_survey(page.org(), id, &input, Some(&audit)).await?
            }
            None => {
                let audit = page.p.audit_created("survey.create", "survey:");
                page.store().create_survey_audited(page.org(), &input, &secret::generate("")[..24], &audit).await?
            }
        };
        Ok::<_, AppError>(s)
    };
    match outcome(saved.await)? {
        Ok(s) => see_other(&format!("/surveys/{}/edit?ok={}", s.id, if id.is_some() { "saved" } else { "created" })),
        Err((status, e)) => {
            let e = super::form::renumber(e, "questions", &used);
            form_page(&page, id, status, values, e, None).await
        }
    }
}

async fn set_status(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let status = form.get("status").and_then(SurveyStatus::parse).ok_or(WebError(AppError::NotFound))?;
    let action = format!("survey.{}", status.key());
    page.store()
        .set_survey_status_audited(page.org(), id, status, &page.p.audit(&action, format!("survey:{id}")))
        .await?;
    see_other(&format!("/surveys/{id}/edit?ok=saved"))
}

async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().delete_survey(page.org(), id, &page.p.audit("survey.delete", format!("survey:{id}"))).await?;
    see_other("/surveys?ok=deleted")
}

async fn personal_link(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let s = page.store().get_survey(page.org(), id).await?;
    let mut e = FieldErrors::new();
    let customer = form.filled("customer").map(str::to_string);
    if customer.is_none() {
        e.add("customer", "required", "is required");
    }
    let days = form.integer("expires_in_days", &mut e).unwrap_or(30);
    if !(1..=365).contains(&days) {
        e.add("expires_in_days", "out_of_range", "must be between 1 and 365");
    }
    let mut values = values_of(&s);
    values.extend(form.values());
    let Some(customer) = customer.filter(|_| e.is_empty()) else {
        return form_page(&page, Some(id), StatusCode::UNPROCESSABLE_ENTITY, values, e, None).await;
    };
    let key = link::installation_secret(page.store()).await?;
    let url = format!("/s/{}?{}", s.token, link::sign(&key, &s.token, &customer, link::expiry(Utc::now(), days)));
    form_page(&page, Some(id), StatusCode::OK, values, FieldErrors::new(), Some(url)).await
}

async fn import_form(page: Page) -> WebResult {
    page.require(Permission::EditPlan)?;
    import_page(&page, StatusCode::OK, BTreeMap::new(), FieldErrors::new(), None).await
}

async fn import_page(
    page: &Page,
    status: StatusCode,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
    done: Option<(Id, Vec<survey_import::Skipped>)>,
) -> WebResult {
    let touchpoints: Vec<(Id, String)> =
        page.store().list_touchpoints(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let (survey_id, report) = match done {
        Some((id, r)) => (Some(id), r),
        None => (None, vec![]),
    };
    page.render_status(
        status,
        "surveys/import.html",
        context! { v => values, errors => page.errors(&errors), touchpoints => touchpoints, survey_id => survey_id, report => report },
    )
}

async fn import(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut e = FieldErrors::new();
    let touchpoint = form.id("touchpoint_id", &mut e);
    if touchpoint.is_none() {
        e.add("touchpoint_id", "required", "is required");
    }
    let source = form.get("source").unwrap_or("");
    if source.trim().is_empty() {
        e.add("source", "required", "is required");
    }
    let imported = if e.is_empty() {
        match survey_import::import_any(source) {
            Ok((_, i)) => Some(i),
            Err(_) => {
                e.add("source", "unreadable", "the file could not be read");
                None
            }
        }
    } else {
        None
    };
    let (Some(imported), Some(tp)) = (imported, touchpoint) else {
        return import_page(&page, StatusCode::UNPROCESSABLE_ENTITY, form.values(), e, None).await;
    };
    let mut draft = imported.draft(tp);
    if let (Some(es), Some(title)) = (form.filled("title_es"), draft.title.as_mut()) {
        title.es = es.to_string();
    }
    fill_spanish(&mut draft);
    let created = async {
        let input = draft.validate()?;
        let audit = page.p.audit_created("survey.import", "survey:");
        Ok::<_, AppError>(
            page.store().create_survey_audited(page.org(), &input, &secret::generate("")[..24], &audit).await?,
        )
    };
    match outcome(created.await)? {
        Ok(s) => {
            import_page(&page, StatusCode::CREATED, BTreeMap::new(), FieldErrors::new(), Some((s.id, imported.report)))
                .await
        }
        Err((status, e)) => import_page(&page, status, form.values(), e, None).await,
    }
}

/// Spanish wording the file lacks starts as the English, to translate here.
fn fill_spanish(draft: &mut SurveyDraft) {
    fn fill(l: &mut Localized) {
        if l.es.trim().is_empty() {
            l.es = l.en.clone();
        }
    }
    draft.title.iter_mut().chain(draft.intro.iter_mut()).for_each(fill);
    for q in &mut draft.questions {
        fill(&mut q.text);
        q.choices.iter_mut().for_each(|c| fill(&mut c.label));
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{in_lang, TestApp};
    use axum::http::StatusCode;
    use rapport_core::survey::SurveyStatus;

    #[tokio::test]
    async fn builder_create_publish_link_and_delete() {
        let t = TestApp::new().await;
        let tp = t.ids.touchpoint.to_string();
        let page = t.get("/surveys/new", &in_lang(&t.admin, "es")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("id=\"nav-surveys\""));
        // More rows without saving.
        let r = t.post("/surveys", &t.admin, &[("rows", "3"), ("more", "1"), ("title_en", "Kept")]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("name=\"q5.key\""));
        assert!(r.body.contains("value=\"Kept\""));
        // Invalid: no questions, no Spanish title.
        let r = t
            .post("/surveys", &in_lang(&t.admin, "es"), &[("rows", "3"), ("title_en", "X"), ("touchpoint_id", &tp)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let form = [
            ("rows", "3"),
            ("touchpoint_id", tp.as_str()),
            ("title_en", "After the visit"),
            ("title_es", "Después de la visita"),
            ("fatigue_days", "30"),
            ("q0.key", "nps"),
            ("q0.type", "nps"),
            ("q0.text_en", "Recommend us?"),
            ("q0.text_es", "¿Nos recomendaría?"),
            ("q0.required", "on"),
            ("q2.key", "why"),
            ("q2.type", "single_choice"),
            ("q2.text_en", "Why?"),
            ("q2.text_es", "¿Por qué?"),
            ("q2.choices", "price=Price|Precio\nstaff=Staff|Personal"),
            ("q2.show_q", "nps"),
            ("q2.show_op", "lte"),
            ("q2.show_value", "6"),
        ];
        let r = t.post("/surveys", &t.admin, &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let s = t.store.list_surveys(t.org.id).await.unwrap().remove(0);
        assert_eq!(s.questions.len(), 2);
        assert_eq!(s.questions[1].choices[1].label.es, "Personal");
        assert_eq!(s.status, SurveyStatus::Draft);
        let edit = t.get(&format!("/surveys/{}/edit", s.id), &t.admin).await;
        assert!(edit.body.contains("staff=Staff|Personal"), "{}", edit.body);
        let r = t.post(&format!("/surveys/{}/status", s.id), &t.admin, &[("status", "published")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(t.store.get_survey(t.org.id, s.id).await.unwrap().status, SurveyStatus::Published);
        let list = t.get("/surveys", &t.viewer).await.body;
        assert!(list.contains(&s.token), "{list}");
        assert!(!list.contains("id=\"survey-new\""));
        let r = t
            .post(&format!("/surveys/{}/link", s.id), &t.admin, &[("customer", "cust-9"), ("expires_in_days", "7")])
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("id=\"personal-link\""));
        let url = r
            .body
            .split("id=\"personal-link\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .replace("&amp;", "&")
            .replace("&#x2f;", "/");
        assert_eq!(t.get(&url, "").await.status, StatusCode::OK, "{url}");
        assert_eq!(t.post(&format!("/surveys/{}/delete", s.id), &t.viewer, &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(t.post(&format!("/surveys/{}/delete", s.id), &t.admin, &[]).await.status, StatusCode::SEE_OTHER);
    }

    #[tokio::test]
    async fn import_reports_skipped_elements() {
        let t = TestApp::new().await;
        let tp = t.ids.touchpoint.to_string();
        let source = r#"{"title": "Shop", "pages": [{"name": "p1", "elements": [
            {"type": "rating", "name": "nps", "title": "Recommend?", "rateMin": 0, "rateMax": 10},
            {"type": "signaturepad", "name": "sig", "title": "Sign"}]}]}"#;
        let r = t
            .post("/surveys/import", &t.admin, &[("touchpoint_id", &tp), ("title_es", "Tienda"), ("source", source)])
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert!(r.body.contains("id=\"import-report\""));
        assert!(r.body.contains("signaturepad"));
        let r = t
            .post("/surveys/import", &in_lang(&t.admin, "es"), &[("touchpoint_id", &tp), ("source", "nonsense")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
