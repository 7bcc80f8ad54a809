//! The one-page plan of an experience (A9): who the customer is, the goal,
//! the leader, the key interactions with their stage and owner, and the
//! intent criteria that concern it, and each key interaction's empathy map
//! in brief (its first pains and gains). Assembled here once for the JSON API and
//! the printable web page alike.

use crate::api::extract::ApiPath;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::experience::{Experience, Goal};
use rapport_core::intent::{Criterion, Scope};
use rapport_core::journey::{Stage, Touchpoint};
use rapport_core::person::Person;
use rapport_core::plan::empathy::Summary;
use rapport_core::role::Permission;
use rapport_core::segment::Segment;
use rapport_core::Id;
use rapport_store::Store;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_plan))
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Plan {
    pub experience: Experience,
    /// The experience's segments, by name.
    pub segments: Vec<Segment>,
    pub goal: Goal,
    /// The accountable leader; check `left_on` for a leader who has left.
    pub leader: Option<Person>,
    /// Current key interactions in designed-path order.
    pub interactions: Vec<PlanInteraction>,
    /// The current intent statement with only the criteria that concern this
    /// experience: organization-wide ones, its own, and its touchpoints'.
    pub intent: Option<PlanIntent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PlanInteraction {
    pub position: i64,
    pub added_at: DateTime<Utc>,
    pub touchpoint: Touchpoint,
    pub stage: Option<Stage>,
    pub owner: Option<Person>,
    /// The touchpoint's general empathy map in brief (A6), if it has one.
    pub empathy: Option<Summary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PlanIntent {
    pub version: i64,
    pub statement: String,
    pub criteria: Vec<Criterion>,
}

/// Assembles the plan of experience `id` of organization `org`; `NotFound`
/// when the experience is not the organization's.
pub async fn build_plan(store: &dyn Store, org: Id, id: Id) -> Result<Plan, AppError> {
    let experience = store.get_experience(org, id).await?;
    let tp_ids: Vec<Id> = experience.interactions.iter().map(|i| i.touchpoint_id).collect();
    let (segments, stages, touchpoints, people, intent, empathy) = tokio::try_join!(
        store.list_segments(org),
        store.list_stages(org),
        store.list_touchpoints(org),
        store.list_people(org),
        store.current_intent(org),
        store.empathy_summaries(org, &tp_ids),
    )?;
    let person = |pid: Option<Id>| pid.and_then(|pid| people.iter().find(|p| p.id == pid).cloned());
    let interactions = experience
        .interactions
        .iter()
        .filter_map(|i| {
            let touchpoint = touchpoints.iter().find(|t| t.id == i.touchpoint_id)?.clone();
            Some(PlanInteraction {
                position: i.position,
                added_at: i.added_at,
                stage: stages.iter().find(|s| s.id == touchpoint.stage_id).cloned(),
                owner: person(touchpoint.owner_id),
                empathy: empathy.iter().find(|e| e.touchpoint_id == touchpoint.id).cloned(),
                touchpoint,
            })
        })
        .collect();
    let concerns = |c: &Criterion| match c.scope {
        Scope::Organization => true,
        Scope::Experience(e) => e == experience.id,
        Scope::Touchpoint(t) => experience.interactions.iter().any(|i| i.touchpoint_id == t),
    };
    let intent = intent.map(|v| PlanIntent {
        version: v.version,
        criteria: v.criteria.into_iter().filter(concerns).collect(),
        statement: v.statement,
    });
    Ok(Plan {
        segments: segments.into_iter().filter(|s| experience.segment_ids.contains(&s.id)).collect(),
        goal: experience.goal.clone(),
        leader: person(experience.leader_id),
        interactions,
        intent,
        experience,
    })
}

/// The one-page plan of an experience.
#[utoipa::path(get, path = "/api/v1/experiences/{id}/plan", tag = "experiences", operation_id = "get_experience_plan", params(("id" = i64, Path)),
    responses((status = 200, body = Plan), (status = 404)))]
async fn get_plan(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Json<Plan>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(build_plan(s.reads(), p.org.id, id).await?))
}
