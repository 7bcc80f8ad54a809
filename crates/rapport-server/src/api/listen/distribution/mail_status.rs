//! Customers' e-mail status: unsubscribes (by staff, and the public
//! one-click link) and bounces.

use super::super::super::extract::{bad_query, ApiJson, ApiPath};
use super::now;
use crate::auth::{link, unsubscribe, Principal};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_store::distribution::MailStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_mail_status, set_mail_status)).routes(routes!(public_unsubscribe))
}

/// A customer's e-mail status.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationMailStatus {
    pub customer: String,
    pub unsubscribed: bool,
    pub unsubscribed_at: Option<DateTime<Utc>>,
    /// `link` (the customer's click) or who unsubscribed them.
    pub unsubscribed_by: Option<String>,
    pub bounced_at: Option<DateTime<Utc>>,
    pub bounce_reason: Option<String>,
}

fn mail_status(customer: String, m: MailStatus) -> InvitationMailStatus {
    InvitationMailStatus {
        customer,
        unsubscribed: m.unsubscribed_at.is_some(),
        unsubscribed_at: m.unsubscribed_at,
        unsubscribed_by: m.unsubscribed_by,
        bounced_at: m.bounced_at,
        bounce_reason: m.bounce_reason,
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct InvitationMailStatusBody {
    /// true: unsubscribe; false: resubscribe. Required.
    pub unsubscribed: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/customers/{external_id}/mail-status", tag = "distribution",
    operation_id = "get_customer_mail_status", params(("external_id" = String, Path)),
    responses((status = 200, body = InvitationMailStatus), (status = 404)))]
async fn get_mail_status(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(customer): ApiPath<String>,
) -> Result<Json<InvitationMailStatus>, AppError> {
    p.require(Permission::ReadProgram)?;
    let m = s.store.mail_status(p.org.id, &customer).await?;
    Ok(Json(mail_status(customer, m)))
}

/// Unsubscribe a customer from survey e-mails (or resubscribe them, e.g.
/// at their request by phone).
#[utoipa::path(put, path = "/api/v1/customers/{external_id}/mail-status", tag = "distribution",
    operation_id = "set_customer_mail_status", params(("external_id" = String, Path)),
    request_body = InvitationMailStatusBody,
    responses((status = 200, body = InvitationMailStatus), (status = 403), (status = 404), (status = 422)))]
async fn set_mail_status(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(customer): ApiPath<String>,
    ApiJson(b): ApiJson<InvitationMailStatusBody>,
) -> Result<Json<InvitationMailStatus>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.mail_status(p.org.id, &customer).await?;
    let unsubscribed =
        b.unsubscribed.ok_or_else(|| FieldErrors::single("unsubscribed", "required", "true or false"))?;
    let m = s.store.set_unsubscribed(p.org.id, &customer, unsubscribed, &p.actor, now()).await?;
    Ok(Json(mail_status(customer, m)))
}

/// The signed link of an unsubscribe (`o`, `c`, `sig`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvitationUnsubscribeParams {
    /// The organization's id.
    pub o: Option<i64>,
    /// The customer's external id.
    pub c: Option<String>,
    pub sig: Option<String>,
}

/// Unsubscribes the customer of a signed link (checked, then recorded).
pub async fn unsubscribe_signed(s: &AppState, q: &InvitationUnsubscribeParams) -> Result<(), AppError> {
    let (Some(org), Some(customer), Some(sig)) = (q.o, q.c.as_deref(), q.sig.as_deref()) else {
        return Err(AppError::BadRequest("an unsubscribe link needs o, c and sig".into()));
    };
    let secret = link::installation_secret(s.store.as_ref()).await?;
    if !unsubscribe::verify(&secret, org, customer, sig) {
        return Err(AppError::Forbidden);
    }
    s.store.set_unsubscribed(org, customer, true, "link", now()).await?;
    Ok(())
}

/// One-click unsubscribe (RFC 8058: the `List-Unsubscribe` header of every
/// invitation points here): no sign-in, the signature is the authority.
#[utoipa::path(post, path = "/api/v1/unsubscribe", tag = "distribution", operation_id = "unsubscribe_one_click",
    params(InvitationUnsubscribeParams), security(()),
    responses((status = 204, description = "unsubscribed (also when already)"), (status = 400, description = "parts missing"),
        (status = 403, description = "the signature does not match"), (status = 404)))]
async fn public_unsubscribe(
    State(s): State<AppState>,
    q: Result<Query<InvitationUnsubscribeParams>, QueryRejection>,
) -> Result<StatusCode, AppError> {
    let Query(q) = q.map_err(bad_query)?;
    unsubscribe_signed(&s, &q).await?;
    Ok(StatusCode::NO_CONTENT)
}
