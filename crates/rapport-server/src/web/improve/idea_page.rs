//! An idea's page: status and reason, votes, comments, and for reviewers
//! the status change, filing and merging; the cases it came from.

use super::ideas::IdeaRow;
use super::{acting, failed_parts, me, Failed, Names};
use crate::error::AppError;
use crate::web::form::{checked, FormData};
use crate::web::{see_other, Page, WebPath, WebResult};
use minijinja::context;
use rapport_core::improve::idea::CommentDraft;
use rapport_core::improve::IdeaStatus;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::IdeaFilter;

pub(super) async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render(&page, id, None).await
}

async fn render(page: &Page, id: Id, failed: Option<Failed>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let d = page.store().get_idea(page.org(), id).await?;
    let names = Names::load(page).await?;
    let idea = &d.idea;
    let voted = me(page).is_some_and(|p| d.voters.contains(&p));
    let comments: Vec<_> = d
        .comment_list
        .iter()
        .map(|c| context! { author => names.person(c.author_id), body => &c.body, at => c.created_at.to_rfc3339() })
        .collect();
    let others: Vec<(Id, String)> = page
        .store()
        .list_ideas(page.org(), &IdeaFilter::default())
        .await?
        .into_iter()
        .filter(|i| i.id != id && i.merged_into.is_none())
        .map(|i| (i.id, i.title))
        .collect();
    let merged_into = match idea.merged_into {
        Some(t) => page.store().get_idea(page.org(), t).await.ok().map(|t| (t.idea.id, t.idea.title)),
        None => None,
    };
    let (code, form, v, errors) = failed_parts(page, &failed);
    let refusal = failed
        .as_ref()
        .filter(|f| f.form == "status")
        .and_then(|f| f.errors.get("reason").map(|_| page.t("idea-reject-needs-reason")));
    page.render_status(
        code,
        "improve/idea.html",
        context! {
            idea => IdeaRow::of(idea, &names),
            body => &idea.body,
            reason => &idea.status_reason,
            source => format!("{:?}", idea.source).to_lowercase(),
            touchpoint_id => idea.touchpoint_id,
            experience_id => idea.experience_id,
            voters => d.voters.iter().map(|p| names.person(*p)).collect::<Vec<_>>(),
            voted => voted,
            comments => comments,
            case_ids => &d.case_ids,
            next => idea.status.next().iter().map(|s| s.key()).collect::<Vec<_>>(),
            merged_into => merged_into,
            closed => idea.status.is_closed() || idea.merged_into.is_some(),
            others => others,
            touchpoints => &names.touchpoints,
            experiences => &names.experiences,
            form => form,
            v => v,
            errors => errors,
            refusal => refusal,
            can_contribute => page.p.can(Permission::Contribute),
            linked => me(page).is_some(),
        },
    )
}

/// Back to the idea when stored; the page with the refused form otherwise.
async fn done<T>(page: &Page, id: Id, form: &'static str, sent: &FormData, r: Result<T, AppError>) -> WebResult {
    match Failed::of(form, sent, r)? {
        Ok(_) => see_other(&format!("/ideas/{id}?ok=saved")),
        Err(f) => render(page, id, Some(f)).await,
    }
}

pub(super) async fn vote(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let r = async {
        let person = acting(&page, "vote")?;
        Ok::<_, AppError>(page.store().vote_idea(page.org(), id, person).await?)
    };
    let r = r.await;
    done(&page, id, "vote", &form, r).await
}

pub(super) async fn unvote(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let r = async {
        let person = acting(&page, "vote")?;
        Ok::<_, AppError>(page.store().unvote_idea(page.org(), id, person).await?)
    };
    let r = r.await;
    done(&page, id, "vote", &form, r).await
}

pub(super) async fn comment(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let draft = CommentDraft { body: form.text("body") };
    let r = async {
        let body = checked(FieldErrors::new(), draft.validate())?;
        let person = acting(&page, "body")?;
        Ok::<_, AppError>(page.store().comment_idea(page.org(), id, person, &body).await?)
    };
    let r = r.await;
    done(&page, id, "comment", &form, r).await
}

pub(super) async fn status(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let r = async {
        let to = match form.filled("status") {
            None => return Err(AppError::Invalid(FieldErrors::single("status", "required", "is required"))),
            Some(v) => IdeaStatus::parse(v)
                .ok_or_else(|| AppError::Invalid(FieldErrors::single("status", "invalid", "is not a status")))?,
        };
        Ok(page.store().set_idea_status(page.org(), id, to, form.filled("reason"), &page.p.actor).await?)
    };
    let r = r.await;
    done(&page, id, "status", &form, r).await
}

pub(super) async fn file(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let (tp, ex) = (form.id("touchpoint_id", &mut parsed), form.id("experience_id", &mut parsed));
    let r = async {
        checked(parsed, rapport_core::improve::idea::check_filed(tp, ex))?;
        Ok::<_, AppError>(page.store().file_idea(page.org(), id, tp, ex).await?)
    };
    let r = r.await;
    done(&page, id, "filing", &form, r).await
}

pub(super) async fn merge(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let target = form.id("target_id", &mut parsed);
    let r = async {
        let Some(target) = target.filter(|_| parsed.is_empty()) else {
            if parsed.is_empty() {
                parsed.add("target_id", "required", "name the idea to merge into");
            }
            return Err(AppError::Invalid(parsed));
        };
        Ok(page.store().merge_idea(page.org(), id, target).await?)
    };
    match Failed::of("merge", &form, r.await)? {
        Ok(target) => see_other(&format!("/ideas/{}?ok=saved", target.id)),
        Err(f) => render(&page, id, Some(f)).await,
    }
}
