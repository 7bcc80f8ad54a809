//! A survey's thank-you note after an answer.

use super::super::super::extract::{ApiJson, ApiPath};
use super::now;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use rapport_core::role::Permission;
use rapport_core::survey::distribution::template::{MailTemplate, THANKS_PLACEHOLDERS};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_thanks, set_thanks))
}

/// A survey's thank-you note: whether it is sent, and its template (the
/// default while there is none).
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationThanks {
    pub enabled: bool,
    pub template: MailTemplate,
}

/// `template`: the note to send after each answer with a known e-mail;
/// null: none.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct InvitationThanksBody {
    pub template: Option<MailTemplate>,
}

#[utoipa::path(get, path = "/api/v1/surveys/{survey_id}/thanks", tag = "distribution",
    operation_id = "get_survey_thanks", params(("survey_id" = i64, Path)),
    responses((status = 200, body = InvitationThanks), (status = 404)))]
async fn get_thanks(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(survey): ApiPath<Id>,
) -> Result<Json<InvitationThanks>, AppError> {
    p.require(Permission::ReadProgram)?;
    let t = s.store.get_thanks(p.org.id, survey).await?;
    Ok(Json(InvitationThanks { enabled: t.is_some(), template: t.unwrap_or_else(MailTemplate::thanks) }))
}

/// Set the thank-you note sent after each answer from a customer with an
/// e-mail (unsubscribed customers excepted), or remove it (`template: null`).
#[utoipa::path(put, path = "/api/v1/surveys/{survey_id}/thanks", tag = "distribution",
    operation_id = "set_survey_thanks", params(("survey_id" = i64, Path)), request_body = InvitationThanksBody,
    responses((status = 200, body = InvitationThanks), (status = 403), (status = 404),
        (status = 422, description = "a template field, named (`template.body_es`: unknown placeholder)")))]
async fn set_thanks(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(survey): ApiPath<Id>,
    ApiJson(b): ApiJson<InvitationThanksBody>,
) -> Result<Json<InvitationThanks>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_survey(p.org.id, survey).await?;
    if let Some(t) = &b.template {
        let mut e = FieldErrors::new();
        t.check(&mut e, "template", THANKS_PLACEHOLDERS);
        if !e.is_empty() {
            return Err(e.into());
        }
    }
    s.store.set_thanks(p.org.id, survey, b.template.as_ref(), now()).await?;
    Ok(Json(InvitationThanks {
        enabled: b.template.is_some(),
        template: b.template.unwrap_or_else(MailTemplate::thanks),
    }))
}
