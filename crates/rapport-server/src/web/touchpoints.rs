//! Creating and editing touchpoints: where they sit on the map, who owns
//! them, and how much they matter to each segment (A4, A5).

use super::form::{checked, outcome, FormData};
use super::view::{channel_keys, Program};
use super::{see_other, Page, WebPath, WebResult};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use rapport_core::journey::{Importance, Touchpoint, TouchpointDraft};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/touchpoints", post(save))
        .route("/touchpoints/new", get(new))
        .route("/touchpoints/{id}/edit", get(edit).post(save))
        .route("/touchpoints/{id}/delete", post(delete))
}

#[derive(Deserialize)]
struct NewQuery {
    stage: Option<String>,
}

async fn new(page: Page, Query(q): Query<NewQuery>) -> WebResult {
    page.require(Permission::EditJourney)?;
    let values = BTreeMap::from([("stage_id".to_string(), q.stage.unwrap_or_default())]);
    form_page(&page, None, StatusCode::OK, values, FieldErrors::new()).await
}

async fn edit(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditJourney)?;
    let t = page.store().get_touchpoint(page.org(), id).await?;
    form_page(&page, Some(id), StatusCode::OK, values_of(&t), FieldErrors::new()).await
}

fn importance_field(segment: Id) -> String {
    format!("importance.{segment}")
}

fn values_of(t: &Touchpoint) -> BTreeMap<String, String> {
    let mut v = BTreeMap::from([
        ("name".to_string(), t.name.clone()),
        ("description".into(), t.description.clone().unwrap_or_default()),
        ("stage_id".into(), t.stage_id.to_string()),
        ("position".into(), t.position.to_string()),
        ("channel".into(), t.channel.clone().unwrap_or_default()),
        ("department".into(), t.department.clone().unwrap_or_default()),
        ("owner_id".into(), t.owner_id.map(|i| i.to_string()).unwrap_or_default()),
    ]);
    for i in &t.importance {
        v.insert(importance_field(i.segment_id), i.importance.to_string());
    }
    v
}

async fn form_page(
    page: &Page,
    id: Option<Id>,
    status: StatusCode,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
) -> WebResult {
    let program = Program::load(page.store(), page.org()).await?;
    let touchpoint = match id {
        Some(id) => Some(program.touchpoint(id).ok_or(AppError::NotFound)?.clone()),
        None => None,
    };
    let owner = values.get("owner_id").and_then(|v| v.parse().ok());
    let mut stages = program.stages.clone();
    stages.sort_by_key(|s| s.position);
    // A channel typed through the API stays choosable.
    let mut channels: Vec<String> = channel_keys().iter().map(|c| c.to_string()).collect();
    if let Some(c) = values.get("channel").filter(|c| !c.is_empty() && !channels.contains(c)) {
        channels.push(c.clone());
    }
    let segments: Vec<_> = program
        .segments
        .iter()
        .map(|s| context! { id => s.id, name => &s.name, field => importance_field(s.id) })
        .collect();
    page.render_status(
        status,
        "touchpoints/form.html",
        context! {
            touchpoint => touchpoint,
            v => values,
            stages => stages,
            owners => program.person_options(owner),
            channels => channels,
            known_channels => channel_keys(),
            departments => program.departments(),
            segments => segments,
            errors => page.errors(&errors),
        },
    )
}

/// Creates (on the collection) or updates (on `…/{id}…`).
async fn save(page: Page, id: Option<WebPath<Id>>, form: FormData) -> WebResult {
    let id = id.map(|WebPath(id)| id);
    page.require(Permission::EditJourney)?;
    let mut parsed = FieldErrors::new();
    let segments = page.store().list_segments(page.org()).await?;
    let mut importance = Vec::new();
    for s in &segments {
        if let Some(level) = form.integer(&importance_field(s.id), &mut parsed) {
            importance.push(Importance { segment_id: s.id, importance: level });
        }
    }
    let d = TouchpointDraft {
        name: form.text("name"),
        description: form.text("description"),
        stage_id: form.id("stage_id", &mut parsed),
        position: form.integer("position", &mut parsed),
        channel: form.text("channel"),
        department: form.text("department"),
        owner_id: form.id("owner_id", &mut parsed),
        importance: importance.clone(),
    };
    // The draft numbers importances from 0; the form names them by segment.
    let validated = d.validate().map_err(|e| {
        let mut out = FieldErrors::new();
        for (k, v) in e.0 {
            let by_segment = k
                .strip_prefix("importance[")
                .and_then(|r| r.split_once(']'))
                .and_then(|(i, _)| i.parse::<usize>().ok())
                .and_then(|i| importance.get(i))
                .map(|imp| importance_field(imp.segment_id));
            out.add(by_segment.unwrap_or(k), v.code, v.message);
        }
        out
    });
    let saved = async {
        let input = checked(parsed, validated)?;
        match id {
            Some(id) => page.store().update_touchpoint(page.org(), id, &input).await?,
            None => page.store().create_touchpoint(page.org(), &input).await?,
        };
        Ok::<_, AppError>(())
    };
    match outcome(saved.await)? {
        Ok(()) => see_other(if id.is_some() { "/journey?ok=saved" } else { "/journey?ok=created" }),
        Err((status, e)) => form_page(&page, id, status, form.values(), e).await,
    }
}

async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditJourney)?;
    page.store()
        .delete_touchpoint(page.org(), id, &page.p.audit("touchpoint.delete", format!("touchpoint:{id}")))
        .await?;
    see_other("/journey?ok=deleted")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{in_lang, TestApp};
    use axum::http::StatusCode;

    #[tokio::test]
    async fn touchpoints_are_placed_owned_and_weighted() {
        let t = TestApp::new().await;
        let stage = t.ids.stage.to_string();
        let ana = t.ids.ana.to_string();
        let importance = format!("importance.{}", t.ids.segment);
        let r = t
            .post("/touchpoints", &in_lang(&t.admin, "es"), &[("name", ""), ("stage_id", &stage), ("position", "x")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Este campo es obligatorio.") && r.body.contains("Introduzca un número."));

        let form = [
            ("name", "Order confirmation"),
            ("stage_id", stage.as_str()),
            ("position", "1"),
            ("channel", "email"),
            ("department", "E-commerce"),
            ("owner_id", ana.as_str()),
            (importance.as_str(), "4"),
        ];
        let r = t.post("/touchpoints", &t.admin, &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let tps = t.store.list_touchpoints(t.org.id).await.unwrap();
        assert_eq!(tps[0].name, "Order confirmation", "placed first in its stage");
        assert_eq!(tps[0].importance[0].importance, 4);
        let map = t.get("/journey?lang=es", &t.admin).await.body;
        assert!(map.contains("Order confirmation") && map.contains("Correo electrónico"));

        let r = t.post(&format!("/touchpoints/{}/delete", tps[0].id), &t.admin, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
}
