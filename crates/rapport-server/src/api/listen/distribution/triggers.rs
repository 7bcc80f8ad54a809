//! Triggered surveys: an invitation some hours after an event.

use super::super::super::extract::{ApiJson, ApiPath};
use super::super::super::page::{Listed, PageParams, Paging};
use super::now;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::role::Permission;
use rapport_core::survey::distribution::template::MailTemplate;
use rapport_core::survey::distribution::TriggerDraft;
use rapport_core::Id;
use rapport_store::distribution::Trigger;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_triggers, create_trigger)).routes(routes!(
        get_trigger,
        update_trigger,
        delete_trigger
    ))
}

/// A triggered survey: `delay_hours` after an event of `event_kind` (a
/// built-in type such as `purchase`, or a custom one such as `delivery`),
/// at `touchpoint_id` if set.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyTrigger {
    pub id: Id,
    pub survey_id: Id,
    pub event_kind: String,
    pub touchpoint_id: Option<Id>,
    pub delay_hours: i64,
    pub template: MailTemplate,
    pub created_at: DateTime<Utc>,
}

impl From<Trigger> for SurveyTrigger {
    fn from(t: Trigger) -> Self {
        SurveyTrigger {
            id: t.id,
            survey_id: t.survey_id,
            event_kind: t.event_kind,
            touchpoint_id: t.touchpoint_id,
            delay_hours: t.delay_hours,
            template: t.template,
            created_at: t.created_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SurveyTriggerBody {
    pub event_kind: Option<String>,
    pub touchpoint_id: Option<Id>,
    pub delay_hours: Option<i64>,
    pub template: Option<MailTemplate>,
}

impl SurveyTriggerBody {
    fn draft(self) -> TriggerDraft {
        TriggerDraft {
            event_kind: self.event_kind,
            touchpoint_id: self.touchpoint_id,
            delay_hours: self.delay_hours,
            template: self.template,
        }
    }
}

/// A survey's triggered-survey rules, by id (a short list, read whole).
#[utoipa::path(get, path = "/api/v1/surveys/{survey_id}/triggers", tag = "distribution",
    operation_id = "list_survey_triggers", params(("survey_id" = i64, Path), PageParams),
    responses((status = 200, body = [SurveyTrigger]), (status = 404), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_triggers(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(survey): ApiPath<Id>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<SurveyTrigger>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    s.store.get_survey(p.org.id, survey).await?;
    let items: Vec<SurveyTrigger> =
        s.store.list_triggers(p.org.id, survey).await?.into_iter().map(Into::into).collect();
    paging.slice("survey_triggers", items, |t| t.id)
}

/// Send the survey `delay_hours` after each event of `event_kind` (once per
/// event, at most once per customer and rule within the survey's fatigue
/// window; unsubscribes and the fatigue rule are checked when it goes).
#[utoipa::path(post, path = "/api/v1/surveys/{survey_id}/triggers", tag = "distribution",
    operation_id = "create_survey_trigger", params(("survey_id" = i64, Path)), request_body = SurveyTriggerBody,
    responses((status = 201, body = SurveyTrigger), (status = 403), (status = 404), (status = 422, description = "invalid fields, named")))]
async fn create_trigger(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(survey): ApiPath<Id>,
    ApiJson(b): ApiJson<SurveyTriggerBody>,
) -> Result<(StatusCode, Json<SurveyTrigger>), AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_survey(p.org.id, survey).await?;
    let input = b.draft().validate()?;
    let t = s.store.create_trigger(p.org.id, survey, &input, &p.actor, now()).await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

#[utoipa::path(get, path = "/api/v1/triggers/{id}", tag = "distribution", operation_id = "get_survey_trigger",
    params(("id" = i64, Path)), responses((status = 200, body = SurveyTrigger), (status = 404)))]
async fn get_trigger(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<SurveyTrigger>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_trigger(p.org.id, id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/triggers/{id}", tag = "distribution", operation_id = "update_survey_trigger",
    params(("id" = i64, Path)), request_body = SurveyTriggerBody,
    responses((status = 200, body = SurveyTrigger), (status = 403), (status = 404), (status = 422)))]
async fn update_trigger(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<SurveyTriggerBody>,
) -> Result<Json<SurveyTrigger>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_trigger(p.org.id, id).await?;
    let input = b.draft().validate()?;
    Ok(Json(s.store.update_trigger(p.org.id, id, &input).await?.into()))
}

/// Delete a rule; invitations it scheduled still go (with the default template).
#[utoipa::path(delete, path = "/api/v1/triggers/{id}", tag = "distribution", operation_id = "delete_survey_trigger",
    params(("id" = i64, Path)), responses((status = 204), (status = 403), (status = 404)))]
async fn delete_trigger(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_trigger(p.org.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
