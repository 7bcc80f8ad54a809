//! The notification centre (P4): what concerns the signed-in account, newest
//! first, and how they want each kind (policy:
//! `rapport_core::notification`). Rows are written by the store with the
//! change they tell of; this module only reads and marks them.

use super::ctx::{safe_next, Page};
use super::form::FormData;
use super::{see_other, WebPath, WebResult};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::Query;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use futures_util::StreamExt;
use minijinja::context;
use rapport_core::notification::{Delivery, Kind, UNREAD_SHOWN_MAX};
use rapport_core::Id;
use rapport_store::listening::NoticeKind;
use serde::Deserialize;
use serde_json::json;
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

/// Notifications per page of the centre.
const PAGE: i64 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/count", get(count))
        .route("/notifications/stream", get(stream))
        .route("/notifications/read", post(read_all))
        .route("/notifications/{id}/open", get(open))
        .route("/notifications/settings", get(settings).post(save_settings))
}

/// The signed-in account: API tokens have no notification centre.
fn account(page: &Page) -> Result<Id, AppError> {
    page.p.user.as_ref().map(|u| u.id).ok_or(AppError::Forbidden)
}

#[derive(Deserialize)]
struct After {
    after: Option<Id>,
}

async fn list(page: Page, Query(q): Query<After>) -> WebResult {
    let user = account(&page)?;
    let mut items = page.store().list_notifications(page.org(), user, q.after, PAGE + 1).await?;
    let next = (items.len() as i64 > PAGE).then(|| {
        items.truncate(PAGE as usize);
        items.last().map(|n| n.id)
    });
    page.render("notifications/list.html", context! { items, next => next.flatten() })
}

/// The top bar's count, for `assets/notifications.js`: the number, its
/// label ("99+" past the cap) and the link's accessible name.
async fn count(page: Page) -> Result<impl IntoResponse, AppError> {
    let user = account(&page)?;
    let unread = page.store().unread_notifications(page.org(), user, UNREAD_SHOWN_MAX + 1).await?;
    let label = if unread > UNREAD_SHOWN_MAX { format!("{UNREAD_SHOWN_MAX}+") } else { unread.to_string() };
    let aria = page.state.i18n.t(page.lang(), "notifications-aria", &[("count", unread.into())]);
    Ok(Json(json!({ "unread": unread, "label": label, "aria": aria })))
}

/// Says "changed" when something that may concern someone happened in the
/// organization (an announcement, a case, an idea), for the top bar to ask
/// for its count again. It reads nothing per notice: every signed-in page
/// holds one, so it must cost nothing while the organization ingests
/// thousands of responses a second (`/api/v1/stream` fetches each item).
async fn stream(page: Page) -> Result<impl IntoResponse, AppError> {
    account(&page)?;
    Ok(changes(&page, &[NoticeKind::Announcement, NoticeKind::Case, NoticeKind::Idea]))
}

/// An event stream saying "changed" (no data) whenever a notice of one of
/// `kinds` is published for the page's organization, or notices were
/// missed. Shared by the top bar and the case queue's live list.
pub(crate) fn changes(
    page: &Page,
    kinds: &'static [NoticeKind],
) -> Sse<impl futures_util::Stream<Item = Result<SseEvent, Infallible>>> {
    let org = page.org();
    let rx = page.state.store.subscribe();
    let subscriber = crate::ops::metrics::Subscriber::open();
    let changes = futures_util::stream::unfold(rx, move |mut rx| async move {
        loop {
            let wanted = match rx.recv().await {
                Ok(n) => n.org == org && kinds.contains(&n.kind),
                // Missed some: one of them may have been wanted.
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => return None,
            };
            if wanted {
                return Some((Ok::<_, Infallible>(SseEvent::default().event("changed").data("{}")), rx));
            }
        }
    });
    // The stream owns the subscriber: counted until the client goes.
    let changes = changes.map(move |e| {
        let _counted = &subscriber;
        e
    });
    Sse::new(changes).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
}

async fn read_all(page: Page) -> WebResult {
    let user = account(&page)?;
    page.store().mark_notifications_read(page.org(), user, None, Utc::now()).await?;
    see_other("/notifications?ok=saved")
}

/// Marks one read and goes where it points.
async fn open(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    let user = account(&page)?;
    page.store().mark_notifications_read(page.org(), user, Some(id), Utc::now()).await?;
    let item = page.store().list_notifications(page.org(), user, Some(id + 1), 1).await?;
    let link = item.first().filter(|n| n.id == id).map(|n| n.link.clone()).ok_or(AppError::NotFound)?;
    // Links are written by the store as paths; anything else goes nowhere.
    see_other(safe_next(Some(&link)))
}

async fn settings(page: Page) -> WebResult {
    let user = account(&page)?;
    let chosen = page.store().notification_settings(page.org(), user).await?;
    let rows: Vec<_> = chosen.iter().map(|(k, d)| context! { kind => k.as_str(), delivery => d.as_str() }).collect();
    let deliveries: Vec<&str> = Delivery::ALL.iter().map(|d| d.as_str()).collect();
    page.render("notifications/settings.html", context! { rows, deliveries })
}

async fn save_settings(page: Page, form: FormData) -> WebResult {
    let user = account(&page)?;
    let mut errors = rapport_core::validate::FieldErrors::new();
    let mut chosen = Vec::new();
    for kind in Kind::ALL {
        match form.get(kind.as_str()).map(Delivery::parse) {
            None => {}
            Some(Some(d)) => chosen.push((kind, d)),
            Some(None) => errors.add(kind.as_str(), "invalid", "is not a choice"),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors).into());
    }
    for (kind, delivery) in chosen {
        page.store().set_notification_setting(page.org(), user, kind, delivery).await?;
    }
    see_other("/notifications/settings?ok=saved")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{session_as, TestApp};
    use axum::http::StatusCode;
    use rapport_core::journey::TouchpointInput;
    use rapport_core::role::Role;

    #[tokio::test]
    async fn an_announcement_shows_in_the_bell_and_the_centre_then_is_read() {
        let t = TestApp::new().await;
        let ben = session_as(t.store.as_ref(), t.org.id, "ben@acme.test", Role::Owner, Some(t.ids.ben)).await;
        let home = t.get("/", &ben).await.body;
        assert!(home.contains("id=\"unread-count\" class=\"unread-count\" hidden>0<"), "none yet");
        let tp = TouchpointInput {
            name: "Returns desk".into(),
            description: None,
            stage_id: t.ids.stage,
            position: None,
            channel: Some("store".into()),
            department: None,
            owner_id: Some(t.ids.ben),
            importance: vec![],
        };
        t.store.create_touchpoint(t.org.id, &tp).await.unwrap();
        let home = t.get("/", &ben).await.body;
        assert!(home.contains("id=\"unread-count\" class=\"unread-count\">1<"), "one unread");
        let count = t.get("/notifications/count", &ben).await.body;
        assert!(count.contains("\"unread\":1") && count.contains("\"label\":\"1\""), "{count}");
        let centre = t.get("/notifications", &ben).await.body;
        assert!(centre.contains("Returns desk") && centre.contains("class=\"unread\""), "{centre}");
        let id = t.store.list_notifications(t.org.id, ben_user(&t).await, None, 1).await.unwrap()[0].id;
        let opened = t.get(&format!("/notifications/{id}/open"), &ben).await;
        assert!(opened.location.as_deref().is_some_and(|l| l.starts_with("/announcements/")), "{:?}", opened.location);
        assert!(t.get("/notifications/count", &ben).await.body.contains("\"unread\":0"));
        assert_eq!(
            t.get(&format!("/notifications/{id}/open"), &t.admin).await.status,
            StatusCode::NOT_FOUND,
            "not hers"
        );
    }

    async fn ben_user(t: &TestApp) -> i64 {
        let members = t.store.list_members(t.org.id).await.unwrap();
        members.iter().find(|m| m.user.email == "ben@acme.test").unwrap().user.id
    }

    /// The next SSE frame's text, or `None` within the wait.
    async fn next_frame(body: &mut axum::body::BodyDataStream, wait: std::time::Duration) -> Option<String> {
        use futures_util::StreamExt;
        match tokio::time::timeout(wait, body.next()).await {
            Ok(Some(Ok(bytes))) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            _ => None,
        }
    }

    #[tokio::test]
    async fn the_light_stream_says_changed_for_announcements_only() {
        use axum::body::Body;
        use axum::http::Request;
        use tower::ServiceExt;
        let t = TestApp::new().await;
        let req = Request::get("/notifications/stream").header("cookie", &t.admin).body(Body::empty()).unwrap();
        let resp = t.app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
        let mut body = resp.into_body().into_data_stream();
        // An event ingested: nothing (the bell does not care, and nothing is read).
        let item = serde_json::json!({"id": "s1", "type": "purchase", "customer": "c-1", "at": "2026-03-01T10:00:00Z"});
        let items = crate::ingest::parse_items(item.to_string().as_bytes(), false).unwrap();
        crate::ingest::events(t.store.as_ref(), t.org.id, items).await.unwrap();
        assert_eq!(next_frame(&mut body, std::time::Duration::from_millis(300)).await, None);
        // A touchpoint added is announced: "changed".
        let tp = TouchpointInput {
            name: "Gift wrap".into(),
            description: None,
            stage_id: t.ids.stage,
            position: None,
            channel: None,
            department: None,
            owner_id: Some(t.ids.ana),
            importance: vec![],
        };
        t.store.create_touchpoint(t.org.id, &tp).await.unwrap();
        let frame = next_frame(&mut body, std::time::Duration::from_secs(5)).await.expect("a frame");
        assert!(frame.contains("event: changed"), "{frame}");
        let anonymous = t.get("/notifications/stream", "").await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "signed out: to the sign-in page");
    }

    #[tokio::test]
    async fn choices_are_saved_and_a_made_up_one_is_refused() {
        let t = TestApp::new().await;
        let bad = t.post("/notifications/settings", &t.admin, &[("announcement", "weekly")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let ok =
            t.post("/notifications/settings", &t.admin, &[("announcement", "digest"), ("idea_comment", "off")]).await;
        assert_eq!(ok.location.as_deref(), Some("/notifications/settings?ok=saved"));
        let page = t.get("/notifications/settings", &t.admin).await.body;
        assert!(page.contains("<option value=\"digest\" selected>"), "{page}");
        assert!(page.contains("<option value=\"off\" selected>"));
    }
}
