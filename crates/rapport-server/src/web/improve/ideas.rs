//! The ideas list (`/ideas`) with its filters and the form to submit one.

use super::{acting, failed_parts, Failed, Names};
use crate::error::AppError;
use crate::web::form::{checked, FormData};
use crate::web::{see_other, Page, WebResult};
use axum::extract::Query;
use minijinja::context;
use rapport_core::improve::{Idea, IdeaDraft, IdeaSource, IdeaStatus};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::IdeaFilter;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
pub(super) struct ListQuery {
    status: Option<String>,
    touchpoint: Option<String>,
}

/// An idea as a row of a list.
#[derive(Serialize)]
pub(super) struct IdeaRow {
    pub id: Id,
    pub title: String,
    pub status: &'static str,
    pub votes: i64,
    pub comments: i64,
    pub author: String,
    pub touchpoint: Option<String>,
    pub experience: Option<String>,
    pub created_at: String,
}

impl IdeaRow {
    pub fn of(i: &Idea, names: &Names) -> IdeaRow {
        IdeaRow {
            id: i.id,
            title: i.title.clone(),
            status: i.status.key(),
            votes: i.votes,
            comments: i.comments,
            author: names.person(i.author_id),
            touchpoint: names.touchpoint(i.touchpoint_id),
            experience: names.experience(i.experience_id),
            created_at: i.created_at.to_rfc3339(),
        }
    }
}

pub(super) async fn list(page: Page, Query(q): Query<ListQuery>) -> WebResult {
    render(&page, &q, None).await
}

async fn render(page: &Page, q: &ListQuery, failed: Option<Failed>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let status = q.status.as_deref().and_then(IdeaStatus::parse);
    let touchpoint: Option<Id> = q.touchpoint.as_deref().and_then(|t| t.trim().parse().ok());
    let filter = IdeaFilter { status, touchpoint, ..Default::default() };
    let ideas = page.store().list_ideas(page.org(), &filter).await?;
    let names = Names::load(page).await?;
    let rows: Vec<IdeaRow> = ideas.iter().map(|i| IdeaRow::of(i, &names)).collect();
    let (code, form, v, errors) = failed_parts(page, &failed);
    page.render_status(
        code,
        "improve/ideas.html",
        context! {
            ideas => rows,
            statuses => IdeaStatus::ALL.map(|s| s.key()),
            status => status.map(|s| s.key()),
            touchpoint => touchpoint,
            touchpoints => &names.touchpoints,
            experiences => &names.experiences,
            form => form,
            v => v,
            errors => errors,
            can_contribute => page.p.can(Permission::Contribute),
            linked => super::me(page).is_some(),
        },
    )
}

pub(super) async fn create(page: Page, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let mut parsed = FieldErrors::new();
    let draft = IdeaDraft {
        title: form.text("title"),
        body: form.filled("body").map(str::to_string),
        touchpoint_id: form.id("touchpoint_id", &mut parsed),
        experience_id: form.id("experience_id", &mut parsed),
    };
    let made = async {
        let input = checked(parsed, draft.validate(IdeaSource::Web))?;
        let author = acting(&page, "title")?;
        Ok::<_, AppError>(page.store().create_idea(page.org(), author, &input).await?)
    };
    match Failed::of("idea", &form, made.await)? {
        Ok(idea) => see_other(&format!("/ideas/{}?ok=created", idea.id)),
        Err(f) => render(&page, &ListQuery::default(), Some(f)).await,
    }
}
