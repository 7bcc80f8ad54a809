//! The redesign sprints (`/sprints`) and the form to start one.

use super::{failed_parts, me, Failed, Names};
use crate::error::AppError;
use crate::web::form::FormData;
use crate::web::{see_other, Page, WebResult};
use chrono::Utc;
use minijinja::context;
use rapport_core::improve::{IdeaStatus, SprintDraft};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::IdeaFilter;

/// The ideas a sprint may take up: approved or planned.
pub(super) async fn ready_ideas(page: &Page) -> Result<Vec<(Id, String)>, crate::web::WebError> {
    let all = page.store().list_ideas(page.org(), &IdeaFilter::default()).await?;
    Ok(all
        .into_iter()
        .filter(|i| matches!(i.status, IdeaStatus::Approved | IdeaStatus::Planned))
        .map(|i| (i.id, i.title))
        .collect())
}

pub(super) async fn list(page: Page) -> WebResult {
    render(&page, None).await
}

async fn render(page: &Page, failed: Option<Failed>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let sprints = page.store().list_sprints(page.org()).await?;
    let names = Names::load(page).await?;
    let today = Utc::now().date_naive();
    let rows: Vec<_> = sprints
        .iter()
        .map(|s| {
            context! {
                id => s.id,
                name => &s.name,
                touchpoint => names.touchpoint(Some(s.touchpoint_id)),
                leader => names.person(s.leader_id),
                start => s.start.to_string(),
                end => s.end.to_string(),
                status => s.status(today).key(),
                ideas => s.idea_ids.len(),
            }
        })
        .collect();
    let (code, form, mut v, errors) = failed_parts(page, &failed);
    if form.is_none() {
        v.insert("start".into(), today.to_string());
        if let Some(me) = me(page) {
            v.insert("leader_id".into(), me.to_string());
        }
    }
    let chosen_team: Vec<String> = failed.as_ref().map(|f| team_of(&f.values)).unwrap_or_default();
    page.render_status(
        code,
        "improve/sprints.html",
        context! {
            sprints => rows,
            touchpoints => &names.touchpoints,
            people => &names.active,
            ideas => ready_ideas(page).await?,
            team => chosen_team,
            form => form,
            v => v,
            errors => errors,
            workdays => rapport_core::improve::SPRINT_WORKDAYS,
        },
    )
}

fn team_of(values: &std::collections::BTreeMap<String, String>) -> Vec<String> {
    values.get("team_ids").cloned().into_iter().collect()
}

pub(super) async fn create(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let draft = SprintDraft {
        touchpoint_id: form.id("touchpoint_id", &mut parsed),
        name: form.text("name"),
        start: form.date("start", &mut parsed),
        leader_id: form.id("leader_id", &mut parsed).or_else(|| me(&page)),
        team_ids: Some(form.ids("team_ids")),
        idea_ids: Some(form.ids("idea_ids")),
        brainstorm_end: None,
        propose_end: None,
    };
    let made = async {
        if !parsed.is_empty() {
            return Err(AppError::Invalid(parsed));
        }
        Ok(page.store().create_sprint(page.org(), &draft).await?)
    };
    match Failed::of("sprint", &form, made.await)? {
        Ok(s) => see_other(&format!("/sprints/{}?ok=created", s.id)),
        Err(f) => render(&page, Some(f)).await,
    }
}
