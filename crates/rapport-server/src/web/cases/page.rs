//! The case page: header, the RESOLVED checklist with the next step's form,
//! the conversation (the customer's words, the thread, reply and note forms:
//! `conversation`) and history; reassigning, closing and reopening.

use super::{actor, Names};
use crate::error::AppError;
use crate::web::form::{outcome, FormData};
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::http::StatusCode;
use chrono::Utc;
use minijinja::context;
use rapport_core::case::resolved::{next_step, Step, StepRecord};
use rapport_core::case::{Case, CaseStatus};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Serialize;
use std::collections::BTreeMap;

/// A form on the case page that was refused: which one, what was sent and why.
pub(super) struct Failed {
    pub form: &'static str,
    pub status: StatusCode,
    pub values: BTreeMap<String, String>,
    pub errors: FieldErrors,
}

#[derive(Serialize)]
struct StepView {
    key: &'static str,
    number: usize,
    done: bool,
    next: bool,
    by: Option<String>,
    at: Option<String>,
    note: Option<String>,
    proposal: Option<String>,
    agreed: Option<bool>,
    action: Option<String>,
    root_cause: Option<String>,
    root_cause_note: Option<String>,
}

/// The latest record of a step.
fn latest(records: &[StepRecord], step: Step) -> Option<&StepRecord> {
    records.iter().filter(|r| r.step == step).max_by_key(|r| r.done_at)
}

/// Who did something, for people: the viewer's own e-mail, "user #ID", the system.
pub(super) fn who(page: &Page, actor: &str) -> String {
    if actor == super::actor(page) {
        return page.p.actor.clone();
    }
    if actor == "system" {
        return page.t("case-actor-system");
    }
    if actor == "customer" {
        return page.t("case-actor-customer");
    }
    match actor.strip_prefix("user:") {
        Some(id) => page.state.i18n.t(page.lang(), "case-actor-user", &[("id", id.to_string().into())]),
        None => actor.to_string(),
    }
}

/// The key of the close refusal for these steps: what is still missing.
pub(super) fn refusal_key(records: &[StepRecord]) -> &'static str {
    let agreed = latest(records, Step::Verify).and_then(|r| r.agreed) == Some(true);
    let documented =
        latest(records, Step::Document).is_some_and(|r| r.root_cause_id.is_some() && r.root_cause_note.is_some());
    match (agreed, documented) {
        (false, false) => "case-close-refused-both",
        (false, true) => "case-close-refused-verify",
        _ => "case-close-refused-document",
    }
}

pub(super) async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render(&page, id, None).await
}

pub(super) async fn render(page: &Page, id: Id, failed: Option<Failed>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let case: Case = store.get_case(page.org(), id).await?;
    let names = Names::load(page).await?;
    let causes = store.list_root_causes(page.org()).await?;
    let people = store.list_people(page.org()).await?;
    let cause_name = |id: Option<Id>| id.and_then(|id| causes.iter().find(|c| c.id == id)).map(|c| c.name.clone());
    let open = case.status == CaseStatus::Open;
    let next = if open { next_step(&case.steps) } else { None };
    let steps: Vec<StepView> = Step::ALL
        .into_iter()
        .map(|s| {
            let r = latest(&case.steps, s);
            StepView {
                key: s.key(),
                number: s.number(),
                done: r.is_some(),
                next: next == Some(s),
                by: r.map(|r| who(page, &r.done_by)),
                at: r.map(|r| r.done_at.to_rfc3339()),
                note: r.and_then(|r| r.note.clone()),
                proposal: r.and_then(|r| r.proposal.clone()),
                agreed: r.and_then(|r| r.agreed),
                action: r.and_then(|r| r.action.clone()),
                root_cause: r.and_then(|r| cause_name(r.root_cause_id)),
                root_cause_note: r.and_then(|r| r.root_cause_note.clone()),
            }
        })
        .collect();
    let talk = super::conversation::view(page, &case).await?;
    let history = super::history::views(page, &case, &names);
    let mut active: Vec<(Id, String)> =
        people.iter().filter(|p| p.is_active()).map(|p| (p.id, p.name.clone())).collect();
    active.sort_by_key(|(_, n)| n.to_lowercase());
    let (status, form, values, errors, refusal) = match failed {
        Some(f) => {
            let refusal = (f.form == "close" && f.errors.get("status").is_some_and(|e| e.code == "not_resolved"))
                .then(|| page.t(refusal_key(&case.steps)));
            (f.status, Some(f.form), f.values, page.errors(&f.errors), refusal)
        }
        None => (StatusCode::OK, None, BTreeMap::new(), BTreeMap::new(), None),
    };
    let case_articles = crate::web::people::knowledge::case_articles(page, &case).await?;
    let now = Utc::now();
    page.render_status(
        status,
        "cases/show.html",
        context! {
            case => context! {
                id => case.id,
                title => &case.title,
                customer => &case.customer,
                touchpoint => names.touchpoint(case.touchpoint_id),
                status => case.status.key(),
                assignee => names.person(case.assignee_id),
                assignee_id => case.assignee_id,
                opened_at => case.opened_at.to_rfc3339(),
                first_response_due => case.first_response_due.to_rfc3339(),
                first_responded_at => case.first_responded_at.map(|t| t.to_rfc3339()),
                resolution_due => case.resolution_due.to_rfc3339(),
                closed_at => case.closed_at.map(|t| t.to_rfc3339()),
                overdue => open && case.is_overdue(now),
                escalated_at => case.escalated_at.map(|t| t.to_rfc3339()),
                escalated_to => names.person(case.escalated_to),
                root_cause => cause_name(case.root_cause_id),
            },
            steps => steps,
            next => next.map(|s| s.key()),
            causes => causes.iter().map(|c| (c.id, c.name.clone())).collect::<Vec<_>>(),
            people => active,
            talk => talk,
            conversation_js_version => crate::web::assets::conversation_js_version(),
            history => history,
            form => form,
            v => values,
            errors => errors,
            refusal => refusal,
            can_work => page.p.can(Permission::WorkCases),
            case_articles => case_articles,
            triage => super::triage::view(&case),
        },
    )
}

/// Renders the case again with a refused form, or lets other errors through.
pub(super) async fn refused(
    page: &Page,
    id: Id,
    form: &'static str,
    sent: &FormData,
    r: Result<(), AppError>,
) -> WebResult {
    match outcome(r)? {
        Ok(()) => see_other(&format!("/cases/{id}?ok=saved")),
        Err((status, errors)) => render(page, id, Some(Failed { form, status, values: sent.values(), errors })).await,
    }
}

pub(super) async fn assign(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::WorkCases)?;
    let mut parsed = FieldErrors::new();
    let assignee = form.id("assignee_id", &mut parsed);
    let r = async {
        let Some(assignee) = assignee.filter(|_| parsed.is_empty()) else {
            if parsed.is_empty() {
                parsed.add("assignee_id", "required", "choose someone");
            }
            return Err(AppError::Invalid(parsed));
        };
        page.store().assign_case(page.org(), id, assignee, &actor(&page), Utc::now()).await?;
        Ok(())
    };
    let r = r.await;
    refused(&page, id, "assign", &form, r).await
}

pub(super) async fn close(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::WorkCases)?;
    let r =
        page.store().close_case(page.org(), id, &actor(&page), Utc::now()).await.map(|_| ()).map_err(AppError::from);
    refused(&page, id, "close", &form, r).await
}

pub(super) async fn reopen(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::WorkCases)?;
    let reason = form.filled("reason");
    let r = page
        .store()
        .reopen_case(page.org(), id, reason, &actor(&page), Utc::now())
        .await
        .map(|_| ())
        .map_err(AppError::from);
    refused(&page, id, "reopen", &form, r).await
}
