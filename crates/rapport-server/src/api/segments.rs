//! Customer segments (A4): rules over customer attributes, with a preview of
//! how many customers a rule matches.

use super::extract::{ApiJson, ApiPath};
use super::page::{name_key, Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_core::role::Permission;
use rapport_core::segment::{Segment, SegmentDraft, SegmentRule};
use rapport_core::Id;
use rapport_store::{CustomerList, Store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update, delete))
        .routes(routes!(preview))
        .routes(routes!(preview_rule))
}

/// List segments by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/segments", tag = "segments", operation_id = "list_segments", params(PageParams),
    responses((status = 200, body = [Segment]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Segment>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("segments", s.store.list_segments(p.org.id).await?, |x| name_key(&x.name, x.id))
}

/// Define a segment.
#[utoipa::path(post, path = "/api/v1/segments", tag = "segments", operation_id = "create_segment", request_body = SegmentDraft,
    responses((status = 201, body = Segment), (status = 409, description = "name already used"), (status = 422, description = "invalid fields")))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<SegmentDraft>,
) -> Result<(StatusCode, Json<Segment>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = draft.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.create_segment(p.org.id, &input).await?)))
}

#[utoipa::path(get, path = "/api/v1/segments/{id}", tag = "segments", operation_id = "get_segment", params(("id" = i64, Path)), responses((status = 200, body = Segment), (status = 404)))]
async fn get_one(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Json<Segment>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_segment(p.org.id, id).await?))
}

/// Replace a segment's name, description and rule.
#[utoipa::path(put, path = "/api/v1/segments/{id}", tag = "segments", operation_id = "update_segment", params(("id" = i64, Path)), request_body = SegmentDraft,
    responses((status = 200, body = Segment), (status = 404), (status = 409), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<SegmentDraft>,
) -> Result<Json<Segment>, AppError> {
    p.require(Permission::EditPlan)?;
    let input = draft.validate()?;
    Ok(Json(s.store.update_segment(p.org.id, id, &input).await?))
}

/// Delete a segment; experiences and touchpoint importances drop it too.
#[utoipa::path(delete, path = "/api/v1/segments/{id}", tag = "segments", operation_id = "delete_segment", params(("id" = i64, Path)), responses((status = 204), (status = 404)))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_segment(p.org.id, id, &p.audit("segment.delete", format!("segment:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many of the organization's customers a rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Preview {
    pub matching: usize,
    pub total: usize,
}

/// Customers a rule preview reads at a time: memory stays bounded at any
/// number of customers (all of them at once took hundreds of megabytes at
/// a million).
const PREVIEW_PAGE: i64 = 5_000;

impl Preview {
    /// Runs the rule over every customer, a page at a time.
    pub async fn count(store: &dyn Store, org: Id, rule: &SegmentRule) -> Result<Preview, AppError> {
        let (mut matching, mut total) = (0, 0);
        let mut after = None;
        loop {
            let list = CustomerList { after: after.take(), limit: PREVIEW_PAGE, ..Default::default() };
            let page = store.page_customers(org, &list).await?;
            total += page.len();
            matching += page.iter().filter(|c| rule.matches(&c.attributes)).count();
            match page.last() {
                Some(last) if page.len() as i64 == PREVIEW_PAGE => after = Some(last.external_id.clone()),
                _ => return Ok(Preview { matching, total }),
            }
        }
    }
}

/// Count the customers a saved segment matches.
#[utoipa::path(get, path = "/api/v1/segments/{id}/preview", tag = "segments", operation_id = "preview_segment", params(("id" = i64, Path)),
    responses((status = 200, body = Preview), (status = 404)))]
async fn preview(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Json<Preview>, AppError> {
    p.require(Permission::ReadProgram)?;
    let segment = s.store.get_segment(p.org.id, id).await?;
    // A saved segment's members are kept at write time: no rule runs here.
    let (sizes, total) = tokio::try_join!(s.store.segment_sizes(p.org.id), s.store.customer_count(p.org.id))?;
    let matching = sizes.get(&segment.id).copied().unwrap_or(0);
    Ok(Json(Preview { matching: matching as usize, total: total as usize }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RuleBody {
    #[serde(default)]
    pub rule: SegmentRule,
}

/// Count the customers a rule would match, before saving it as a segment.
#[utoipa::path(post, path = "/api/v1/segments/preview", tag = "segments", operation_id = "preview_segment_rule", request_body = RuleBody,
    responses((status = 200, body = Preview), (status = 422, description = "invalid rule")))]
async fn preview_rule(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(body): ApiJson<RuleBody>,
) -> Result<Json<Preview>, AppError> {
    p.require(Permission::ReadProgram)?;
    // Validate the rule exactly as a segment's, so field paths read `rule.…`.
    let draft = SegmentDraft { name: Some("preview".into()), description: None, rule: body.rule };
    let input = draft.validate()?;
    Ok(Json(Preview::count(s.store.as_ref(), p.org.id, &input.rule).await?))
}
