//! Listening posts (B6 inventory): where the company hears customers, who
//! governs the response and how fast, and the touchpoints nobody listens at.

use super::form::{checked, outcome, FormData};
use super::view::Program;
use super::{see_other, Page, WebPath, WebResult};
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use rapport_core::listening::{unheard_touchpoints, ListeningPostDraft};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Serialize;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/listening", get(list).post(save))
        .route("/listening/new", get(new))
        .route("/listening/{id}/edit", get(edit))
        .route("/listening/{id}", post(save))
        .route("/listening/{id}/delete", post(delete))
}

#[derive(Serialize)]
struct Row {
    id: Id,
    name: String,
    channel: String,
    touchpoint: Option<String>,
    priority: i64,
    governed_by: Option<String>,
    response_hours: Option<i64>,
    notes: Option<String>,
}

async fn list(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let program = Program::load(page.store(), page.org()).await?;
    let posts = page.store().list_listening_posts(page.org()).await?;
    let tp_name = |id: Id| program.touchpoints.iter().find(|t| t.id == id).map(|t| t.name.clone());
    let mut rows: Vec<Row> = posts
        .iter()
        .map(|p| Row {
            id: p.id,
            name: p.name.clone(),
            channel: p.channel.clone(),
            touchpoint: p.touchpoint_id.and_then(tp_name),
            priority: p.priority,
            governed_by: p.governed_by.and_then(|g| program.people.iter().find(|x| x.id == g)).map(|x| x.name.clone()),
            response_hours: p.response_hours,
            notes: p.notes.clone(),
        })
        .collect();
    rows.sort_by(|a, b| b.priority.cmp(&a.priority).then_with(|| a.name.cmp(&b.name)));
    let ids: Vec<Id> = program.touchpoints.iter().map(|t| t.id).collect();
    let unheard: Vec<(Id, String)> =
        unheard_touchpoints(&ids, &posts).into_iter().filter_map(|id| tp_name(id).map(|n| (id, n))).collect();
    page.render("listening/list.html", context! { posts => rows, unheard => unheard })
}

async fn new(page: Page) -> WebResult {
    page.require(Permission::EditPlan)?;
    let values = BTreeMap::from([("priority".to_string(), "3".to_string())]);
    form_page(&page, None, StatusCode::OK, values, FieldErrors::new()).await
}

async fn edit(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let p = page.store().get_listening_post(page.org(), id).await?;
    let opt = |v: Option<Id>| v.map(|x| x.to_string()).unwrap_or_default();
    let values = BTreeMap::from([
        ("name".to_string(), p.name),
        ("channel".into(), p.channel),
        ("touchpoint_id".into(), opt(p.touchpoint_id)),
        ("priority".into(), p.priority.to_string()),
        ("governed_by".into(), opt(p.governed_by)),
        ("response_hours".into(), p.response_hours.map(|h| h.to_string()).unwrap_or_default()),
        ("notes".into(), p.notes.unwrap_or_default()),
    ]);
    form_page(&page, Some(id), StatusCode::OK, values, FieldErrors::new()).await
}

async fn form_page(
    page: &Page,
    id: Option<Id>,
    status: StatusCode,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
) -> WebResult {
    let program = Program::load(page.store(), page.org()).await?;
    let current = values.get("governed_by").and_then(|v| v.parse().ok());
    let touchpoints: Vec<(Id, String)> = program.touchpoints.iter().map(|t| (t.id, t.name.clone())).collect();
    page.render_status(
        status,
        "listening/form.html",
        context! {
            id => id,
            v => values,
            errors => page.errors(&errors),
            people => program.person_options(current),
            touchpoints => touchpoints,
            channels => super::view::all_channel_keys(),
        },
    )
}

async fn save(page: Page, id: Option<WebPath<Id>>, form: FormData) -> WebResult {
    let id = id.map(|WebPath(id)| id);
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let draft = ListeningPostDraft {
        name: form.text("name"),
        channel: form.text("channel"),
        touchpoint_id: form.id("touchpoint_id", &mut parsed),
        priority: form.integer("priority", &mut parsed),
        governed_by: form.id("governed_by", &mut parsed),
        response_hours: form.integer("response_hours", &mut parsed),
        notes: form.filled("notes").map(str::to_string),
    };
    let saved = async {
        let input = checked(parsed, draft.validate())?;
        match id {
            Some(id) => page.store().update_listening_post(page.org(), id, &input).await?,
            None => page.store().create_listening_post(page.org(), &input).await?,
        };
        Ok::<_, AppError>(())
    };
    match outcome(saved.await)? {
        Ok(()) => see_other(&format!("/listening?ok={}", if id.is_some() { "saved" } else { "created" })),
        Err((status, e)) => form_page(&page, id, status, form.values(), e).await,
    }
}

async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let audit = page.p.audit("listening_post.delete", format!("listening_post:{id}"));
    page.store().delete_listening_post(page.org(), id, &audit).await?;
    see_other("/listening?ok=deleted")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{in_lang, TestApp};
    use axum::http::StatusCode;

    #[tokio::test]
    async fn inventory_create_edit_delete_and_gaps() {
        let t = TestApp::new().await;
        let tp = t.ids.touchpoint.to_string();
        let page = t.get("/listening", &in_lang(&t.admin, "es")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("id=\"unheard\""), "{}", page.body);
        assert!(page.body.contains(&format!("id=\"unheard-{tp}\"")));
        assert_eq!(t.get("/listening/new", &t.admin).await.status, StatusCode::OK);
        let r = t
            .post("/listening", &in_lang(&t.admin, "es"), &[("name", ""), ("channel", "email"), ("priority", "9")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Este campo es obligatorio."));
        let form = [
            ("name", "Store survey"),
            ("channel", "survey"),
            ("touchpoint_id", tp.as_str()),
            ("priority", "5"),
            ("response_hours", "24"),
        ];
        let r = t.post("/listening", &t.admin, &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = t.get("/listening", &t.viewer).await.body;
        assert!(page.contains("Store survey"));
        assert!(!page.contains(&format!("id=\"unheard-{tp}\"")));
        assert!(!page.contains("id=\"listening-new\""), "readers do not edit");
        let id = t.store.list_listening_posts(t.org.id).await.unwrap()[0].id;
        assert_eq!(t.get(&format!("/listening/{id}/edit"), &t.admin).await.status, StatusCode::OK);
        let r = t
            .post(
                &format!("/listening/{id}"),
                &t.admin,
                &[("name", "Renamed"), ("channel", "email"), ("priority", "2")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(t.store.get_listening_post(t.org.id, id).await.unwrap().name, "Renamed");
        assert_eq!(t.post(&format!("/listening/{id}/delete"), &t.viewer, &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(t.post(&format!("/listening/{id}/delete"), &t.admin, &[]).await.status, StatusCode::SEE_OTHER);
        assert!(t.store.list_listening_posts(t.org.id).await.unwrap().is_empty());
    }
}
