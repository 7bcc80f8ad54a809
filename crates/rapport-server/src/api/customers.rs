//! Customers, known by the integrator's external id, with the flat
//! attributes that segments match on.

use super::extract::ApiPath;
use crate::auth::Principal;
use crate::error::AppError;
use crate::ingest::{BatchReport, CustomerDraft};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::State;
use axum::extract::{DefaultBodyLimit, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use rapport_core::customer::Customer;
use rapport_core::role::Permission;
use rapport_store::TimelineItem;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, upsert))
        .routes(routes!(get_one, erase))
        .routes(routes!(timeline))
        .layer(DefaultBodyLimit::max(super::feedback::BODY_LIMIT))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Only customers whose external id, name or e-mail contains this text (at most 100).
    pub q: Option<String>,
}

/// List customers by external id, or search them with `q`.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", operation_id = "list_customers", params(CustomerQuery),
    responses((status = 200, body = [Customer])))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    q: Result<Query<CustomerQuery>, QueryRejection>,
) -> Result<Json<Vec<Customer>>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(|e| AppError::BadRequest(format!("bad query string: {e}")))?;
    match q.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(text) => Ok(Json(s.store.search_customers(p.org.id, text, 100).await?)),
        None => Ok(Json(s.store.list_customers(p.org.id).await?)),
    }
}

/// Insert or update customers by external id (their attributes are
/// replaced): one JSON object (201), a JSON array, or NDJSON
/// (`Content-Type: application/x-ndjson`); the report names each item by its
/// 0-based index. Roles: admin, leader, owner, agent.
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", operation_id = "upsert_customers",
    request_body(content((CustomerDraft = "application/json"), (CustomerDraft = "application/x-ndjson"))),
    responses((status = 200, body = BatchReport, description = "a batch"), (status = 201, body = BatchReport, description = "a single customer, stored"),
        (status = 400, description = "malformed body"), (status = 422, description = "a single customer, rejected")))]
async fn upsert(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<BatchReport>), AppError> {
    super::feedback::ingest_body(&s, &p, &headers, &body, super::feedback::Items::Customers).await
}

#[utoipa::path(get, path = "/api/v1/customers/{external_id}", tag = "customers", operation_id = "get_customer",
    params(("external_id" = String, Path)), responses((status = 200, body = Customer), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(external_id): ApiPath<String>,
) -> Result<Json<Customer>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_customer(p.org.id, &external_id).await?))
}

/// The most timeline entries answered.
pub const TIMELINE_MAX: i64 = 500;

#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    pub customer: Customer,
    /// Responses (`"kind": "response"`) and events (`"kind": "event"`) across touchpoints, newest first (at most 500).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<TimelineItem>,
}

/// The customer's responses and events across touchpoints, newest first.
#[utoipa::path(get, path = "/api/v1/customers/{external_id}/timeline", tag = "customers", operation_id = "customer_timeline",
    params(("external_id" = String, Path)), responses((status = 200, body = Timeline), (status = 404)))]
async fn timeline(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(external_id): ApiPath<String>,
) -> Result<Json<Timeline>, AppError> {
    p.require(Permission::ReadProgram)?;
    let customer = s.store.get_customer(p.org.id, &external_id).await?;
    let items = s.store.timeline(p.org.id, &external_id, TIMELINE_MAX).await?;
    Ok(Json(Timeline { customer, items }))
}

/// Erase a customer (P7): their personal data, attributes and free text go
/// everywhere; scores and choices are kept anonymously; an audit entry is written.
#[utoipa::path(delete, path = "/api/v1/customers/{external_id}", tag = "customers", operation_id = "erase_customer",
    params(("external_id" = String, Path)), responses((status = 204), (status = 404)))]
async fn erase(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(external_id): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.erase_customer(p.org.id, &external_id, &p.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
