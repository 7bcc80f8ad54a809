//! `/cases/reply-templates`: the reply template of each RESOLVED step in
//! English and Spanish, built in until the organization writes its own.
//! Reading needs `ReadProgram`; saving `EditPlan`. An unknown placeholder
//! is refused next to the field that holds it.

use crate::error::AppError;
use crate::web::form::{outcome, FormData};
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::http::StatusCode;
use chrono::Utc;
use minijinja::context;
use rapport_core::case::conversation::templates::{effective, CaseReplyTemplateDraft, PLACEHOLDERS};
use rapport_core::case::resolved::Step;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use std::collections::BTreeMap;

pub(super) async fn show(page: Page) -> WebResult {
    render(&page, StatusCode::OK, None, BTreeMap::new(), FieldErrors::new()).await
}

async fn render(
    page: &Page,
    status: StatusCode,
    failed: Option<Step>,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let templates = effective(&page.store().list_reply_templates(page.org()).await?);
    let placeholders: Vec<String> = PLACEHOLDERS.iter().map(|p| format!("{{{{{p}}}}}")).collect();
    page.render_status(
        status,
        "cases/reply_templates.html",
        context! {
            templates => templates.iter().map(|t| context! {
                step => t.step.key(),
                number => t.step.number(),
                custom => t.custom,
                v => if failed == Some(t.step) { values.clone() } else { BTreeMap::from([
                    ("subject_en".to_string(), t.subject_en.clone()),
                    ("body_en".to_string(), t.body_en.clone()),
                    ("subject_es".to_string(), t.subject_es.clone()),
                    ("body_es".to_string(), t.body_es.clone()),
                ]) },
                errors => if failed == Some(t.step) { page.errors(&errors) } else { BTreeMap::new() },
            }).collect::<Vec<_>>(),
            placeholders => placeholders.join(" "),
            can_edit => page.p.can(Permission::EditPlan),
        },
    )
}

pub(super) async fn save(page: Page, WebPath(step): WebPath<String>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let step = Step::parse(&step).ok_or(AppError::NotFound)?;
    let r = async {
        if form.filled("reset").is_some() {
            page.store().reset_reply_template(page.org(), step).await?;
            return Ok(());
        }
        let draft = CaseReplyTemplateDraft {
            subject_en: form.text("subject_en"),
            body_en: form.text("body_en"),
            subject_es: form.text("subject_es"),
            body_es: form.text("body_es"),
        };
        let t = draft.validate(step).map_err(AppError::Invalid)?;
        page.store().save_reply_template(page.org(), &t, Utc::now()).await?;
        Ok(())
    };
    match outcome(r.await)? {
        Ok(()) => see_other(&format!("/cases/reply-templates?ok=saved#template-{}", step.key())),
        Err((status, errors)) => render(&page, status, Some(step), form.values(), errors).await,
    }
}
