//! Council members and their departments' coverage.

use crate::api::extract::{ApiJson, ApiPath};
use crate::api::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_core::person::Person;
use rapport_core::plan::council::{coverage, CouncilCoverage, CouncilMember, CouncilMemberDraft};
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::Store;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, add)).routes(routes!(update, remove)).routes(routes!(get_coverage))
}

/// A member with their name, e-mail and department.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CouncilMemberView {
    #[serde(flatten)]
    pub member: CouncilMember,
    pub name: String,
    pub email: String,
    pub department: Option<String>,
    pub active: bool,
}

pub(crate) fn member_view(m: CouncilMember, people: &[Person]) -> CouncilMemberView {
    let p = people.iter().find(|p| p.id == m.person_id);
    CouncilMemberView {
        name: p.map_or_else(|| format!("#{}", m.person_id), |p| p.name.clone()),
        email: p.map(|p| p.email.clone()).unwrap_or_default(),
        department: p.and_then(|p| p.department.clone()),
        active: p.is_some_and(|p| p.is_active()),
        member: m,
    }
}

pub(crate) async fn member_views(store: &dyn Store, org: Id) -> Result<Vec<CouncilMemberView>, AppError> {
    let (members, people) = tokio::try_join!(store.list_council_members(org), store.list_people(org))?;
    Ok(members.into_iter().map(|m| member_view(m, &people)).collect())
}

/// The members, oldest first.
#[utoipa::path(get, path = "/api/v1/council/members", tag = "council", operation_id = "council_list_members",
    params(PageParams),
    responses((status = 200, body = [CouncilMemberView]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<CouncilMemberView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    paging.slice("council_members", member_views(s.store.as_ref(), p.org.id).await?, |m| m.member.id)
}

/// Seats a person on the council (an active person of the organization, once).
#[utoipa::path(post, path = "/api/v1/council/members", tag = "council", operation_id = "council_add_member",
    request_body = CouncilMemberDraft,
    responses((status = 201, body = CouncilMemberView), (status = 400, description = "malformed JSON"),
        (status = 409, description = "the person already sits on the council"),
        (status = 422, description = "a field is missing or invalid, or the person is unknown")))]
async fn add(
    State(s): State<AppState>,
    p: Principal,
    d: Result<ApiJson<CouncilMemberDraft>, AppError>,
) -> Result<(StatusCode, Json<CouncilMemberView>), AppError> {
    p.require(Permission::EditPlan)?;
    let ApiJson(d) = d?;
    let input = d.validate(true)?;
    let m = s.store.add_council_member(p.org.id, &input).await?;
    let people = s.store.list_people(p.org.id).await?;
    Ok((StatusCode::CREATED, Json(member_view(m, &people))))
}

/// Changes a member's council role (`person_id` is ignored).
#[utoipa::path(put, path = "/api/v1/council/members/{council_member_id}", tag = "council",
    operation_id = "council_update_member", params(("council_member_id" = i64, Path)), request_body = CouncilMemberDraft,
    responses((status = 200, body = CouncilMemberView), (status = 400, description = "malformed JSON"),
        (status = 404, description = "no such member"), (status = 422, description = "the role is invalid")))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    d: Result<ApiJson<CouncilMemberDraft>, AppError>,
) -> Result<Json<CouncilMemberView>, AppError> {
    p.require(Permission::EditPlan)?;
    let ApiJson(d) = d?;
    let input = d.validate(false)?;
    let m = s.store.set_council_role(p.org.id, id, input.role).await?;
    let people = s.store.list_people(p.org.id).await?;
    Ok(Json(member_view(m, &people)))
}

#[utoipa::path(delete, path = "/api/v1/council/members/{council_member_id}", tag = "council",
    operation_id = "council_remove_member", params(("council_member_id" = i64, Path)),
    responses((status = 204, description = "removed"), (status = 404, description = "no such member")))]
async fn remove(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.remove_council_member(p.org.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn coverage_of(store: &dyn Store, org: Id) -> Result<CouncilCoverage, AppError> {
    let (members, people) = tokio::try_join!(store.list_council_members(org), store.list_people(org))?;
    Ok(coverage(&people, &members))
}

/// Which departments of the organization's active people have a member,
/// and which have none.
#[utoipa::path(get, path = "/api/v1/council/coverage", tag = "council", operation_id = "council_coverage",
    responses((status = 200, body = CouncilCoverage)))]
async fn get_coverage(State(s): State<AppState>, p: Principal) -> Result<Json<CouncilCoverage>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(coverage_of(s.store.as_ref(), p.org.id).await?))
}
