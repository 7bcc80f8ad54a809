//! A sprint's page: phases with their dates, the team, the ideas it takes
//! up (scope), the proposal and its approval, finishing, and the outcome.

use super::sprints::ready_ideas;
use super::{acting, failed_parts, me, Failed, Names};
use crate::error::AppError;
use crate::web::form::{checked, FormData};
use crate::web::{see_other, Page, WebPath, WebResult};
use chrono::Utc;
use minijinja::context;
use rapport_core::improve::sprint::{ProposalDraft, SprintUpdateDraft};
use rapport_core::role::Permission;
use rapport_core::Id;

pub(super) async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render(&page, id, None).await
}

async fn render(page: &Page, id: Id, failed: Option<Failed>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let s = page.store().get_sprint(page.org(), id).await?;
    let names = Names::load(page).await?;
    let today = Utc::now().date_naive();
    let status = s.status(today);
    let phases: Vec<_> = s
        .phases
        .iter()
        .map(|p| {
            context! {
                key => p.phase.key(),
                start => p.start.to_string(),
                end => p.end.to_string(),
                workdays => p.workdays,
                current => p.phase.key() == status.key(),
            }
        })
        .collect();
    let mut ideas = Vec::new();
    for i in &s.idea_ids {
        if let Ok(d) = page.store().get_idea(page.org(), *i).await {
            ideas.push((d.idea.id, d.idea.title));
        }
    }
    let addable: Vec<(Id, String)> =
        ready_ideas(page).await?.into_iter().filter(|(i, _)| !s.idea_ids.contains(i)).collect();
    let proposal = s.proposal.as_ref().map(|p| {
        context! {
            document => &p.document,
            by => names.person(p.submitted_by),
            at => p.submitted_at.to_rfc3339(),
            approved_by => p.approved_by.map(|a| names.person(a)),
            approved_at => p.approved_at.map(|t| t.to_rfc3339()),
        }
    });
    let outcome: Vec<_> = s
        .outcome
        .as_ref()
        .map(|o| {
            o.metrics
                .iter()
                .map(|m| {
                    let metric = serde_json::to_value(m.metric).ok().and_then(|v| v.as_str().map(str::to_string));
                    let verdict = serde_json::to_value(m.verdict).ok().and_then(|v| v.as_str().map(str::to_string));
                    context! {
                        metric => metric,
                        before => m.before, after => m.after,
                        delta => m.change.map(|c| c.delta),
                        p_value => m.change.map(|c| c.p_value),
                        verdict => verdict,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let (code, form, v, errors) = failed_parts(page, &failed);
    let is_leader = me(page) == Some(s.leader_id);
    page.render_status(
        code,
        "improve/sprint.html",
        context! {
            sprint => context! {
                id => s.id, name => &s.name, start => s.start.to_string(), end => s.end.to_string(),
                touchpoint => names.touchpoint(Some(s.touchpoint_id)),
                leader => names.person(s.leader_id),
                status => status.key(),
                baseline => s.baseline.as_ref().map(|b| context! { from => b.from.to_string(), to => b.to.to_string() }),
            },
            phases => phases,
            team => s.team_ids.iter().map(|p| names.person(*p)).collect::<Vec<_>>(),
            ideas => ideas,
            addable => addable,
            proposal => proposal,
            outcome => outcome,
            finished => s.outcome.is_some(),
            can_finish => today >= s.end && s.outcome.is_none(),
            running => today <= s.end,
            is_leader => is_leader,
            form => form,
            v => v,
            errors => errors,
            workdays => rapport_core::improve::SPRINT_WORKDAYS,
        },
    )
}

async fn done<T>(page: &Page, id: Id, form: &'static str, sent: &FormData, r: Result<T, AppError>) -> WebResult {
    match Failed::of(form, sent, r)? {
        Ok(_) => see_other(&format!("/sprints/{id}?ok=saved")),
        Err(f) => render(page, id, Some(f)).await,
    }
}

/// Adds or drops one idea: `add` or `remove` names it.
pub(super) async fn scope(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let r = async {
        let sprint = page.store().get_sprint(page.org(), id).await?;
        let mut ideas = sprint.idea_ids.clone();
        if let Some(add) = form.filled("add").and_then(|v| v.parse::<Id>().ok()) {
            ideas.push(add);
        }
        if let Some(rm) = form.filled("remove").and_then(|v| v.parse::<Id>().ok()) {
            ideas.retain(|i| *i != rm);
        }
        let update = SprintUpdateDraft { idea_ids: Some(ideas), ..Default::default() };
        Ok::<_, AppError>(page.store().update_sprint(page.org(), id, &update, Utc::now().date_naive()).await?)
    };
    let r = r.await;
    done(&page, id, "scope", &form, r).await
}

pub(super) async fn proposal(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let draft = ProposalDraft { document: form.text("document") };
    let r = async {
        let document = checked(Default::default(), draft.validate())?;
        let person = acting(&page, "document")?;
        Ok::<_, AppError>(page.store().submit_proposal(page.org(), id, person, &document).await?)
    };
    let r = r.await;
    done(&page, id, "proposal", &form, r).await
}

pub(super) async fn approve(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let r = async {
        let person = acting(&page, "approver")?;
        Ok::<_, AppError>(page.store().approve_proposal(page.org(), id, Some(person)).await?)
    };
    let r = r.await;
    done(&page, id, "approve", &form, r).await
}

pub(super) async fn finish(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let r = page.store().finish_sprint(page.org(), id, Utc::now().date_naive()).await.map_err(AppError::from);
    done(&page, id, "finish", &form, r).await
}
