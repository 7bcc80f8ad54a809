//! Outgoing webhooks (B6 alerts): register receivers of Rapport's events,
//! see their deliveries, send a test event. Admin only (`ManageAccounts`):
//! a webhook's URL may itself hold a credential (Slack's do).
//!
//! The signing secret is generated here (32 random bytes, hex), answered
//! once by the create call and never again. What receivers get is
//! documented in `crate::notify::webhook`.

use super::extract::{ApiJson, ApiPath};
use super::page::{name_key, Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::notify::sign::new_secret;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::role::Permission;
use rapport_core::webhook::{Webhook, WebhookDraft};
use rapport_core::Id;
use rapport_store::{DeliveryRow, DeliveryStatus};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update, delete))
        .routes(routes!(deliveries))
        .routes(routes!(test))
        .routes(routes!(redeliver))
}

/// A webhook just created, with its signing secret: shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// Hex; verify `X-Rapport-Signature` (HMAC-SHA256 of the body) with it.
    pub secret: String,
}

/// One event sent (or to be sent) to one receiver.
#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: Id,
    /// The event's id (`X-Rapport-Delivery`).
    pub event_id: Id,
    pub event: String,
    /// `webhook` or `email`.
    pub channel: String,
    pub webhook_id: Option<Id>,
    pub recipient: Option<String>,
    /// `pending`, `delivered` or `failed` (given up).
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub gave_up_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<DeliveryRow> for DeliveryView {
    fn from(d: DeliveryRow) -> Self {
        let status = match d.status {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        };
        DeliveryView {
            id: d.id,
            event_id: d.event_id,
            event: d.event,
            channel: d.channel,
            webhook_id: d.webhook_id,
            recipient: d.recipient,
            status: status.to_string(),
            attempts: d.attempts,
            last_error: d.last_error,
            next_attempt_at: d.next_attempt_at,
            delivered_at: d.delivered_at,
            gave_up_at: d.gave_up_at,
            created_at: d.created_at,
        }
    }
}

/// The test event's answer.
#[derive(Serialize, ToSchema)]
pub struct TestQueued {
    /// The id of the `webhook.test` event (`X-Rapport-Delivery`).
    pub event_id: Id,
}

/// List webhooks, by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks", operation_id = "list_webhooks", params(PageParams),
    responses((status = 200, body = [Webhook]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Webhook>, AppError> {
    p.require(Permission::ManageAccounts)?;
    paging?.slice("webhooks", s.store.list_webhooks(p.org.id).await?, |x| name_key(&x.name, x.id))
}

/// Register a webhook. The answer holds its signing secret, shown only here.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", operation_id = "create_webhook", request_body = WebhookDraft,
    responses((status = 201, body = CreatedWebhook), (status = 422)))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<WebhookDraft>,
) -> Result<(StatusCode, Json<CreatedWebhook>), AppError> {
    p.require(Permission::ManageAccounts)?;
    let input = draft.validate()?;
    let secret = new_secret();
    let audit = p.audit_created("webhook.create", "webhook:");
    let webhook = s.store.create_webhook(p.org.id, &input, &secret, &audit).await?;
    Ok((StatusCode::CREATED, Json(CreatedWebhook { webhook, secret })))
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks", operation_id = "get_webhook",
    params(("id" = i64, Path)), responses((status = 200, body = Webhook), (status = 404)))]
async fn get_one(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Json<Webhook>, AppError> {
    p.require(Permission::ManageAccounts)?;
    Ok(Json(s.store.get_webhook(p.org.id, id).await?))
}

/// Replace a webhook (its secret stays).
#[utoipa::path(put, path = "/api/v1/webhooks/{id}", tag = "webhooks", operation_id = "update_webhook",
    params(("id" = i64, Path)), request_body = WebhookDraft, responses((status = 200, body = Webhook), (status = 404), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<WebhookDraft>,
) -> Result<Json<Webhook>, AppError> {
    p.require(Permission::ManageAccounts)?;
    s.store.get_webhook(p.org.id, id).await?;
    let input = draft.validate()?;
    Ok(Json(s.store.update_webhook(p.org.id, id, &input).await?))
}

/// Delete a webhook; its pending deliveries are dropped.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", operation_id = "delete_webhook",
    params(("id" = i64, Path)), responses((status = 204), (status = 404)))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::ManageAccounts)?;
    s.store.delete_webhook(p.org.id, id, &p.audit("webhook.delete", format!("webhook:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The webhook's deliveries, newest first, a page at a time (keyset by id).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", operation_id = "list_webhook_deliveries",
    params(("id" = i64, Path), PageParams), responses((status = 200, body = [DeliveryView]), (status = 404), (status = 422, description = "`limit` or `after` is invalid")))]
async fn deliveries(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    ApiPath(id): ApiPath<Id>,
) -> Result<Listed<DeliveryView>, AppError> {
    p.require(Permission::ManageAccounts)?;
    let paging = paging?;
    s.store.get_webhook(p.org.id, id).await?;
    let after = paging.after::<Id>("deliveries")?;
    let rows = s.store.page_deliveries(p.org.id, Some(id), after, paging.fetch()).await?;
    Ok(paging.page("deliveries", rows, |d| d.id).map(Into::into))
}

/// Send a `webhook.test` event to this webhook only (also when inactive or
/// not subscribed to it). Its delivery shows in the deliveries list.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks", operation_id = "test_webhook",
    params(("id" = i64, Path)), responses((status = 202, body = TestQueued), (status = 404)))]
async fn test(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<(StatusCode, Json<TestQueued>), AppError> {
    p.require(Permission::ManageAccounts)?;
    let hook = s.store.get_webhook(p.org.id, id).await?;
    let payload = json!({
        "only_webhook": hook.id,
        "title": "Test from Rapport",
        "summary": format!("Webhook \"{}\" receives Rapport's events.", hook.name),
    });
    let event_id = s.store.enqueue_event(p.org.id, "webhook.test", &payload).await?;
    s.outbox_wake.notify_one();
    Ok((StatusCode::ACCEPTED, Json(TestQueued { event_id })))
}

/// Send one of this webhook's deliveries again: a new delivery of the same
/// event, due now (the first keeps its history).
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver", tag = "webhooks",
    operation_id = "redeliver_webhook_delivery", params(("id" = i64, Path), ("delivery" = i64, Path)),
    responses((status = 202, body = Redelivered), (status = 404)))]
async fn redeliver(
    State(s): State<AppState>,
    p: Principal,
    ApiPath((id, delivery)): ApiPath<(Id, Id)>,
) -> Result<(StatusCode, Json<Redelivered>), AppError> {
    p.require(Permission::ManageAccounts)?;
    s.store.get_webhook(p.org.id, id).await?;
    let delivery_id = s.store.redeliver(p.org.id, delivery, Utc::now()).await?;
    s.outbox_wake.notify_one();
    Ok((StatusCode::ACCEPTED, Json(Redelivered { delivery_id })))
}

/// A delivery sent again.
#[derive(Serialize, ToSchema)]
pub struct Redelivered {
    /// The new delivery's id.
    pub delivery_id: Id,
}
