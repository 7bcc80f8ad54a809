//! D2. A case's triage on its page (`cases/_triage.html`): its priority and
//! tags with the form that changes them, and why it is with its assignee.

use super::actor;
use super::page::refused;
use crate::error::AppError;
use crate::web::form::{comma_list, FormData};
use crate::web::{Page, WebPath, WebResult};
use chrono::Utc;
use minijinja::context;
use minijinja::Value;
use rapport_core::case::triage::{tags, Priority};
use rapport_core::case::Case;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::CaseTriageChange;

/// What `_triage.html` reads as `triage`.
pub(super) fn view(case: &Case) -> Value {
    context! {
        priority => case.triage.priority.key(),
        priorities => Priority::ALL.map(|p| p.key()),
        tags => &case.triage.tags,
        tags_text => case.triage.tags.join(", "),
        reason => case.triage.assignment_reason.map(|r| r.key()),
        detractor => case.triage.detractor,
    }
}

/// Sets the case's priority and tags from the page's form.
pub(super) async fn save(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::WorkCases)?;
    let r = async {
        let mut e = FieldErrors::new();
        let priority = Priority::field(&mut e, "priority", form.get("priority"));
        let tags = tags(&mut e, "tags", &comma_list(form.get("tags")).unwrap_or_default());
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let change = CaseTriageChange { priority, tags: Some(tags) };
        page.store().set_case_triage(page.org(), id, &change, &actor(&page), Utc::now()).await?;
        Ok(())
    };
    let r = r.await;
    refused(&page, id, "triage", &form, r).await
}
