//! Customers, known by the integrator's external id, with the flat
//! attributes that segments match on.

use super::extract::ApiPath;
use super::page::{Listed, PageParams, Paging};
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
use rapport_core::validate::FieldErrors;
use rapport_store::{CustomerList, TimelineItem, TimelineKey};
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
    /// Only customers with, for each word of this text (at most 100
    /// characters), a word of their external id, name or e-mail that
    /// begins with it, ignoring case: `ana gar` finds "Ana García".
    pub q: Option<String>,
}

/// The longest search text.
pub const SEARCH_MAX: usize = 100;

/// The search text of `q`: trimmed, `None` when blank; 422 naming `q` when
/// too long or holding a NUL (which no stored text holds).
pub fn search_text(q: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(text) = q.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > SEARCH_MAX {
        return Err(AppError::Invalid(FieldErrors::single(
            "q",
            "too_long",
            format!("at most {SEARCH_MAX} characters"),
        )));
    }
    if text.contains('\0') {
        return Err(AppError::Invalid(FieldErrors::single("q", "invalid", "must not contain NUL characters")));
    }
    Ok(Some(text.to_string()))
}

/// List customers by external id (byte order; see README for PostgreSQL
/// collations), or search them with `q`, a page at a time: the `Link`
/// header names the next page; `X-Total-Count` is the organization's kept
/// count of customers (without `q` only).
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", operation_id = "list_customers", params(CustomerQuery, PageParams),
    responses((status = 200, body = [Customer]), (status = 422, description = "`q`, `limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    q: Result<Query<CustomerQuery>, QueryRejection>,
) -> Result<Listed<Customer>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let Query(q) = q.map_err(super::extract::bad_query)?;
    let text = search_text(q.q.as_deref())?;
    let list = CustomerList { after: paging.after::<String>("customers")?, limit: paging.fetch(), text, before: None };
    let customers = s.store.page_customers(p.org.id, &list).await?;
    let total = match list.text {
        None => Some(s.store.customer_count(p.org.id).await?),
        Some(_) => None,
    };
    Ok(paging.page("customers", customers, |c| c.external_id.clone()).with_total(total))
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

#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    pub customer: Customer,
    /// Responses (`"kind": "response"`) and events (`"kind": "event"`) across
    /// touchpoints, newest first (events before responses of the same instant).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<TimelineItem>,
    /// The cursor of the next page (pass it as `after`); null on the last page.
    pub next: Option<String>,
}

/// The customer's responses and events across touchpoints, newest first, a
/// page at a time (`after` is the previous page's `next`).
#[utoipa::path(get, path = "/api/v1/customers/{external_id}/timeline", tag = "customers", operation_id = "customer_timeline",
    params(("external_id" = String, Path), PageParams),
    responses((status = 200, body = Timeline), (status = 404), (status = 422, description = "`limit` or `after` is invalid")))]
async fn timeline(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    ApiPath(external_id): ApiPath<String>,
) -> Result<(HeaderMap, Json<Timeline>), AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let customer = s.store.get_customer(p.org.id, &external_id).await?;
    let after = paging.after::<TimelineKey>("timeline")?;
    let items = s.store.timeline_page(p.org.id, &external_id, after, paging.fetch()).await?;
    let listed = paging.page("timeline", items, TimelineItem::key);
    Ok((listed.headers(), Json(Timeline { customer, next: listed.next.clone(), items: listed.items })))
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
