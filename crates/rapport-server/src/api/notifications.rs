//! The signed-in account's notifications and how it wants them (P4; policy:
//! `rapport_core::notification`). For accounts only: an API token has no
//! notification centre (403).

use super::extract::ApiJson;
use super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::notification::{Delivery, Kind, UNREAD_SHOWN_MAX};
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(unread))
        .routes(routes!(mark_read))
        .routes(routes!(get_settings, put_settings))
}

fn account(p: &Principal) -> Result<Id, AppError> {
    p.user.as_ref().map(|u| u.id).ok_or(AppError::Forbidden)
}

#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Id,
    pub kind: Kind,
    pub title: String,
    /// A path of the web UI.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<rapport_store::Notification> for NotificationView {
    fn from(n: rapport_store::Notification) -> Self {
        NotificationView {
            id: n.id,
            kind: n.kind,
            title: n.title,
            link: n.link,
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

/// The account's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", operation_id = "list_notifications",
    params(PageParams), responses((status = 200, body = [NotificationView])))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<NotificationView>, AppError> {
    let user = account(&p)?;
    let paging = paging?;
    let after = paging.after::<i64>("notifications")?;
    let items = s.store.list_notifications(p.org.id, user, after, paging.fetch()).await?;
    Ok(paging.page("notifications", items, |n| n.id).map(NotificationView::from))
}

#[derive(Serialize, ToSchema)]
pub struct Unread {
    /// Unread notifications, counted up to 100 (more shows as 100).
    pub unread: i64,
}

#[utoipa::path(get, path = "/api/v1/notifications/unread", tag = "notifications", operation_id = "count_unread_notifications",
    responses((status = 200, body = Unread)))]
async fn unread(State(s): State<AppState>, p: Principal) -> Result<Json<Unread>, AppError> {
    let user = account(&p)?;
    Ok(Json(Unread { unread: s.store.unread_notifications(p.org.id, user, UNREAD_SHOWN_MAX + 1).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct MarkRead {
    /// One notification; `null` marks them all. Required.
    #[serde(deserialize_with = "Option::deserialize")]
    #[schema(required = true)]
    pub id: Option<Id>,
}

/// Mark one notification (or all) read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", operation_id = "mark_notifications_read",
    request_body = MarkRead, responses((status = 204)))]
async fn mark_read(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(m): ApiJson<MarkRead>,
) -> Result<StatusCode, AppError> {
    let user = account(&p)?;
    s.store.mark_notifications_read(p.org.id, user, m.id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Each kind and how the account wants it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct NotificationSettings {
    /// Kind (`announcement`, `case_assigned`, `case_breached`,
    /// `idea_status`, `idea_comment`) → `in_app`, `email`, `digest` or `off`.
    /// A `PUT` may name some kinds only; the others stay.
    #[schema(value_type = BTreeMap<String, Delivery>)]
    pub deliveries: BTreeMap<String, Delivery>,
}

#[utoipa::path(get, path = "/api/v1/notifications/settings", tag = "notifications", operation_id = "get_notification_settings",
    responses((status = 200, body = NotificationSettings)))]
async fn get_settings(State(s): State<AppState>, p: Principal) -> Result<Json<NotificationSettings>, AppError> {
    let user = account(&p)?;
    let chosen = s.store.notification_settings(p.org.id, user).await?;
    Ok(Json(NotificationSettings {
        deliveries: chosen.into_iter().map(|(k, d)| (k.as_str().to_string(), d)).collect(),
    }))
}

#[utoipa::path(put, path = "/api/v1/notifications/settings", tag = "notifications", operation_id = "put_notification_settings",
    request_body = NotificationSettings, responses((status = 200, body = NotificationSettings)))]
async fn put_settings(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(body): ApiJson<NotificationSettings>,
) -> Result<Json<NotificationSettings>, AppError> {
    let user = account(&p)?;
    let mut errors = rapport_core::validate::FieldErrors::new();
    let mut chosen = Vec::new();
    for (name, delivery) in &body.deliveries {
        match Kind::parse(name) {
            Some(kind) => chosen.push((kind, *delivery)),
            None => errors.add(format!("deliveries.{name}"), "invalid", "is not a kind of notification"),
        }
    }
    errors.into_result(())?;
    for (kind, delivery) in chosen {
        s.store.set_notification_setting(p.org.id, user, kind, delivery).await?;
    }
    get_settings(State(s), p).await
}
