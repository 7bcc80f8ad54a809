//! Recording a RESOLVED step from the case page.

use super::actor;
use super::page::refused;
use crate::error::AppError;
use crate::web::form::{checked, FormData};
use crate::web::{Page, WebError, WebPath, WebResult};
use chrono::Utc;
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;

/// The fields a step's form sends, read into a draft: "yes"/"no" for
/// whether the customer agreed, a root cause chosen by id.
pub(super) fn draft(form: &FormData, parsed: &mut FieldErrors) -> StepDraft {
    StepDraft {
        note: form.filled("note").map(str::to_string),
        proposal: form.filled("proposal").map(str::to_string),
        agreed: match form.filled("agreed") {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        },
        action: form.filled("action").map(str::to_string),
        root_cause_id: form.id("root_cause_id", parsed),
        root_cause_note: form.filled("root_cause_note").map(str::to_string),
    }
}

pub(super) async fn record(page: Page, WebPath((id, step)): WebPath<(Id, String)>, form: FormData) -> WebResult {
    page.require(Permission::WorkCases)?;
    let step = Step::parse(&step).ok_or(WebError(AppError::NotFound))?;
    let mut parsed = FieldErrors::new();
    let d = draft(&form, &mut parsed);
    let r = async {
        let input = checked(parsed, d.validate(step))?;
        page.store().record_step(page.org(), id, &input, &actor(&page), Utc::now()).await?;
        Ok::<_, AppError>(())
    };
    let r = r.await;
    refused(&page, id, "step", &form, r).await
}
