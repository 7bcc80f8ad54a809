//! The journey map (A5): stages as columns, touchpoints in designed-path
//! order with channel, department and owner; one experience's path can be
//! highlighted. Also where stages are added, renamed and removed.

use super::form::{checked, outcome, FormData};
use super::view::Program;
use super::{see_other, Page, WebPath, WebResult};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use rapport_core::journey::StageDraft;
use rapport_core::plan::empathy::Summary;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/journey", get(map))
        .route("/journey/stages", get(stages).post(save_stage))
        .route("/journey/stages/{id}", post(save_stage))
        .route("/journey/stages/{id}/delete", post(delete_stage))
}

#[derive(Deserialize)]
struct MapQuery {
    experience: Option<String>,
}

/// A text cut to `max` characters for a card (an ellipsis marks the cut).
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max - 1).collect::<String>() + "…"
    }
}

async fn map(page: Page, Query(q): Query<MapQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let program = Program::load(page.store(), page.org()).await?;
    let chosen =
        q.experience.and_then(|v| v.parse::<Id>().ok()).and_then(|id| program.experiences.iter().find(|e| e.id == id));
    // Step number of each touchpoint on the chosen experience's path.
    let steps: HashMap<Id, i64> =
        chosen.map(|e| e.interactions.iter().map(|i| (i.touchpoint_id, i.position)).collect()).unwrap_or_default();
    // Each touchpoint's empathy map in brief (A6): a count and its top pain.
    let tp_ids: Vec<Id> = program.touchpoints.iter().map(|t| t.id).collect();
    let empathy: HashMap<Id, Summary> =
        page.store().empathy_summaries(page.org(), &tp_ids).await?.into_iter().map(|e| (e.touchpoint_id, e)).collect();
    let mut stages = program.stages.clone();
    stages.sort_by_key(|s| s.position);
    let columns: Vec<_> = stages
        .iter()
        .map(|s| {
            let cards: Vec<_> = program
                .touchpoints
                .iter()
                .filter(|t| t.stage_id == s.id)
                .map(|t| {
                    let e = empathy.get(&t.id).map(|e| {
                        context! { entries => e.entries, pain => e.pains.first().map(|p| short(p, 60)) }
                    });
                    context! { tp => program.touchpoint_view(t), step => steps.get(&t.id), empathy => e }
                })
                .collect();
            context! { stage => s, cards => cards }
        })
        .collect();
    let path: Vec<_> = chosen
        .map(|e| {
            e.interactions
                .iter()
                .filter_map(|i| program.touchpoint(i.touchpoint_id))
                .map(|t| context! { id => t.id, name => &t.name, stage => program.stage_name(t.stage_id) })
                .collect()
        })
        .unwrap_or_default();
    let experiences: Vec<_> = program.experiences.iter().map(|e| context! { id => e.id, name => &e.name }).collect();
    page.render(
        "journey/map.html",
        context! {
            columns => columns,
            experiences => experiences,
            chosen => chosen.map(|e| context! { id => e.id, name => &e.name }),
            path => path,
            touchpoint_count => program.touchpoints.len(),
        },
    )
}

async fn stages(page: Page) -> WebResult {
    page.require(Permission::EditJourney)?;
    stages_page(&page, StatusCode::OK, None, FieldErrors::new(), BTreeMap::new()).await
}

/// The stage list; `failed` names the form ("new" or a stage id) whose
/// errors and input are shown again.
async fn stages_page(
    page: &Page,
    status: StatusCode,
    failed: Option<String>,
    errors: FieldErrors,
    values: BTreeMap<String, String>,
) -> WebResult {
    let (mut stages, touchpoints) =
        tokio::try_join!(page.store().list_stages(page.org()), page.store().list_touchpoints(page.org()))?;
    stages.sort_by_key(|s| s.position);
    let rows: Vec<_> = stages
        .iter()
        .map(|s| context! { stage => s, touchpoints => touchpoints.iter().filter(|t| t.stage_id == s.id).count() })
        .collect();
    page.render_status(
        status,
        "journey/stages.html",
        context! { stages => rows, failed => failed, errors => page.errors(&errors), v => values },
    )
}

/// Creates (on the collection) or updates (on `…/{id}…`).
async fn save_stage(page: Page, id: Option<WebPath<Id>>, form: FormData) -> WebResult {
    let id = id.map(|WebPath(id)| id);
    page.require(Permission::EditJourney)?;
    let mut parsed = FieldErrors::new();
    let d = StageDraft { name: form.text("name"), position: form.integer("position", &mut parsed) };
    let saved = async {
        let input = checked(parsed, d.validate())?;
        match id {
            Some(id) => page.store().update_stage(page.org(), id, &input).await?,
            None => page.store().create_stage(page.org(), &input).await?,
        };
        Ok::<_, AppError>(())
    };
    match outcome(saved.await)? {
        Ok(()) => see_other(if id.is_some() { "/journey/stages?ok=saved" } else { "/journey/stages?ok=created" }),
        Err((status, e)) => {
            let failed = id.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
            stages_page(&page, status, Some(failed), e, form.values()).await
        }
    }
}

async fn delete_stage(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditJourney)?;
    let audit = page.p.audit("stage.delete", format!("stage:{id}"));
    match outcome(page.store().delete_stage(page.org(), id, &audit).await.map_err(AppError::from))? {
        Ok(()) => see_other("/journey/stages?ok=deleted"),
        Err((status, e)) => stages_page(&page, status, Some(id.to_string()), e, BTreeMap::new()).await,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::TestApp;
    use axum::http::StatusCode;

    #[tokio::test]
    async fn stages_are_added_renamed_and_protected() {
        let t = TestApp::new().await;
        let r = t.post("/journey/stages", &t.admin, &[("name", "Discover"), ("position", "1")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let stages = t.store.list_stages(t.org.id).await.unwrap();
        let discover = stages.iter().find(|s| s.name == "Discover").unwrap();
        assert_eq!(discover.position, 1);
        let r = t
            .post(&format!("/journey/stages/{}", discover.id), &t.admin, &[("name", "Explore"), ("position", "2")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            t.store.list_stages(t.org.id).await.unwrap().iter().find(|s| s.id == discover.id).unwrap().name,
            "Explore"
        );
        // A stage with touchpoints cannot go.
        let r = t.post(&format!("/journey/stages/{}/delete", t.ids.stage), &t.admin, &[]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("Still in use"));
        let r = t.post(&format!("/journey/stages/{}/delete", discover.id), &t.admin, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = t.post("/journey/stages", &t.admin, &[("name", " ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[tokio::test]
    async fn the_map_highlights_the_designed_path() {
        let t = TestApp::new().await;
        let r = t.get(&format!("/journey?experience={}", t.ids.experience), &t.viewer).await;
        assert!(r.body.contains("map-highlight"));
        assert!(r.body.contains("tp-card on-path"));
        assert!(r.body.contains("id=\"designed-path\""));
        // An unknown experience just shows the map.
        let r = t.get("/journey?experience=abc", &t.viewer).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("map-highlight"));
    }
}
