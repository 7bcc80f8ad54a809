//! Case rules (which feedback opens a case) and routing rules (who gets it,
//! what is promised), and the default queue owner. Reading needs
//! `ReadProgram`, changing `EditPlan`.

use super::extract::{ApiJson, ApiPath};
use super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_core::case::routing::{RoutingRule, RoutingRuleDraft};
use rapport_core::case::trigger::{CaseRule, CaseRuleDraft};
use rapport_core::role::Permission;
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rules, create_rule))
        .routes(routes!(update_rule, delete_rule))
        .routes(routes!(list_routing, create_routing))
        .routes(routes!(update_routing, delete_routing))
        .routes(routes!(get_default_owner, set_default_owner))
}

/// The organization's default queue owner: who gets a case that no
/// routing rule, touchpoint owner or listening-post governor would take.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct CaseDefaultOwner {
    /// An active person; `null`: none (such cases then stay with nobody).
    pub person_id: Option<Id>,
}

#[utoipa::path(get, path = "/api/v1/case-routing/default-owner", tag = "cases", operation_id = "get_case_default_owner",
    responses((status = 200, body = CaseDefaultOwner), (status = 403)))]
async fn get_default_owner(State(s): State<AppState>, p: Principal) -> Result<Json<CaseDefaultOwner>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(CaseDefaultOwner { person_id: s.store.default_case_owner(p.org.id).await? }))
}

/// Set (or with `null` clear) the default queue owner.
#[utoipa::path(put, path = "/api/v1/case-routing/default-owner", tag = "cases", operation_id = "set_case_default_owner",
    request_body = CaseDefaultOwner, responses((status = 200, body = CaseDefaultOwner), (status = 403), (status = 422, description = "`person_id` is not an active person")))]
async fn set_default_owner(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(b): ApiJson<CaseDefaultOwner>,
) -> Result<Json<CaseDefaultOwner>, AppError> {
    p.require(Permission::EditPlan)?;
    let subject = format!("person:{}", b.person_id.map_or("none".to_string(), |id| id.to_string()));
    let audit = p.audit("case_routing.default_owner", subject);
    Ok(Json(CaseDefaultOwner { person_id: s.store.set_default_case_owner(p.org.id, b.person_id, &audit).await? }))
}

/// Case rules, in the order they are tried (by id), a page at a time.
#[utoipa::path(get, path = "/api/v1/case-rules", tag = "cases", operation_id = "list_case_rules", params(PageParams),
    responses((status = 200, body = [CaseRule]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_rules(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<CaseRule>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("case_rules", s.store.list_case_rules(p.org.id).await?, |x| x.id)
}

/// Add a rule: `kind` score (`scale`, `at_most`), comment (`words`) or
/// event (`event_types`), optionally for one touchpoint.
#[utoipa::path(post, path = "/api/v1/case-rules", tag = "cases", operation_id = "create_case_rule", request_body = CaseRuleDraft,
    responses((status = 201, body = CaseRule), (status = 422)))]
async fn create_rule(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<CaseRuleDraft>,
) -> Result<(StatusCode, Json<CaseRule>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = d.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.create_case_rule(p.org.id, &input).await?)))
}

#[utoipa::path(put, path = "/api/v1/case-rules/{id}", tag = "cases", operation_id = "update_case_rule",
    params(("id" = i64, Path)), request_body = CaseRuleDraft, responses((status = 200, body = CaseRule), (status = 404), (status = 422)))]
async fn update_rule(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(d): ApiJson<CaseRuleDraft>,
) -> Result<Json<CaseRule>, AppError> {
    p.require(Permission::EditPlan)?;
    if !s.store.list_case_rules(p.org.id).await?.iter().any(|r| r.id == id) {
        return Err(AppError::NotFound);
    }
    let input = d.validate()?;
    Ok(Json(s.store.update_case_rule(p.org.id, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/case-rules/{id}", tag = "cases", operation_id = "delete_case_rule",
    params(("id" = i64, Path)), responses((status = 204), (status = 404)))]
async fn delete_rule(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_case_rule(p.org.id, id, &p.audit("case_rule.delete", format!("case_rule:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Routing rules, in the order they are tried (by position, then id), a page at a time.
#[utoipa::path(get, path = "/api/v1/routing-rules", tag = "cases", operation_id = "list_routing_rules", params(PageParams),
    responses((status = 200, body = [RoutingRule]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_routing(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<RoutingRule>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("routing_rules", s.store.list_routing_rules(p.org.id).await?, |x| (x.position, x.id))
}

/// Add a routing rule: conditions (touchpoint, segment, channel, listening
/// post; empty ones always hold), an assignee and promises in working hours.
#[utoipa::path(post, path = "/api/v1/routing-rules", tag = "cases", operation_id = "create_routing_rule", request_body = RoutingRuleDraft,
    responses((status = 201, body = RoutingRule), (status = 422)))]
async fn create_routing(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<RoutingRuleDraft>,
) -> Result<(StatusCode, Json<RoutingRule>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = d.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.create_routing_rule(p.org.id, &input).await?)))
}

#[utoipa::path(put, path = "/api/v1/routing-rules/{id}", tag = "cases", operation_id = "update_routing_rule",
    params(("id" = i64, Path)), request_body = RoutingRuleDraft, responses((status = 200, body = RoutingRule), (status = 404), (status = 422)))]
async fn update_routing(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(d): ApiJson<RoutingRuleDraft>,
) -> Result<Json<RoutingRule>, AppError> {
    p.require(Permission::EditPlan)?;
    if !s.store.list_routing_rules(p.org.id).await?.iter().any(|r| r.id == id) {
        return Err(AppError::NotFound);
    }
    let input = d.validate()?;
    Ok(Json(s.store.update_routing_rule(p.org.id, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/routing-rules/{id}", tag = "cases", operation_id = "delete_routing_rule",
    params(("id" = i64, Path)), responses((status = 204), (status = 404)))]
async fn delete_routing(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_routing_rule(p.org.id, id, &p.audit("routing_rule.delete", format!("routing_rule:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}
