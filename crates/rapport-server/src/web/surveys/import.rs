//! Importing Qualtrics / SurveyJS / LimeSurvey files from the builder: what
//! can be kept becomes a draft survey, what cannot is listed in a report.

use super::super::form::{outcome, FormData};
use super::super::{Page, WebResult};
use crate::auth::secret;
use crate::error::AppError;
use axum::http::StatusCode;
use minijinja::context;
use rapport_core::role::Permission;
use rapport_core::survey::{Localized, SurveyDraft};
use rapport_core::survey_import;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::BTreeMap;

pub(super) async fn import_form(page: Page) -> WebResult {
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

pub(super) async fn import(page: Page, form: FormData) -> WebResult {
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
pub(super) fn fill_spanish(draft: &mut SurveyDraft) {
    fn fill(l: &mut Localized) {
        if l.es.trim().is_empty() {
            l.es = l.en.clone();
        }
    }
    draft.title.iter_mut().chain(draft.intro.iter_mut()).for_each(fill);
    for q in &mut draft.questions {
        fill(&mut q.text);
        // Matrix rows and scale labels need both languages too, or a matrix
        // from an English-only file would refuse the whole import.
        q.choices.iter_mut().chain(q.rows.iter_mut()).for_each(|c| fill(&mut c.label));
        q.low_label.iter_mut().chain(q.high_label.iter_mut()).for_each(fill);
    }
}
