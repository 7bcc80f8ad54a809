//! The at-risk list (highest value at risk first, keyset-paged) and one
//! customer's scores.

use crate::api::extract::ApiPath;
use crate::api::page::{CursorKey, Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::CustomerScore;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(one))
}

/// A customer's scores from the last refit.
#[derive(Debug, Serialize, ToSchema)]
pub struct RiskScore {
    pub external_id: String,
    pub name: Option<String>,
    /// Probability of no purchase (or a cancellation) in the next 90 days,
    /// 0–1; null when no churn model could be fitted.
    pub churn_risk: Option<f64>,
    /// BG/NBD probability that the customer is still active, 0–1.
    pub p_alive: Option<f64>,
    /// BG/NBD expected purchases in the next 90 days.
    pub expected_purchases: Option<f64>,
    /// Expected spend over 12 months, discounted 1% a month (Gamma-Gamma).
    pub lifetime_value: Option<f64>,
    /// Lifetime value × churn risk.
    pub value_at_risk: f64,
    /// `history` (the customer's own purchases), `segment:ID` (the
    /// segment's mean, for customers without purchases) or `everyone`.
    pub value_basis: Option<String>,
    /// Up to three features that raise the risk most: `feature` (a stable
    /// key), the customer's `value`, its `effect` on the log-odds, and
    /// `direction` (`high` or `low`: the side of the usual that raises it).
    #[schema(value_type = Vec<Object>)]
    pub reasons: serde_json::Value,
    pub scored_at: DateTime<Utc>,
}

impl From<CustomerScore> for RiskScore {
    fn from(s: CustomerScore) -> Self {
        RiskScore {
            external_id: s.external_id,
            name: s.name,
            churn_risk: s.churn_risk,
            p_alive: s.p_alive,
            expected_purchases: s.expected_purchases,
            lifetime_value: s.lifetime_value,
            value_at_risk: s.value_at_risk,
            value_basis: s.reasons["value_basis"].as_str().map(str::to_owned),
            reasons: s.reasons.get("reasons").cloned().unwrap_or_else(|| serde_json::json!([])),
            scored_at: s.scored_at,
        }
    }
}

/// The at-risk list's sort key in a cursor.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct RiskKey {
    pub value: f64,
    pub id: Id,
}

impl CursorKey for RiskKey {
    fn storable(&self) -> bool {
        self.value.is_finite()
    }
}

/// Customers by value at risk, highest first.
#[utoipa::path(get, path = "/api/v1/models/at-risk", tag = "measure", operation_id = "at_risk", params(PageParams),
    responses((status = 200, body = [RiskScore]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<RiskScore>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let after = paging.after::<RiskKey>("at-risk")?.map(|k| (k.value, k.id));
    let rows = s.reads().at_risk(p.org.id, after, paging.fetch()).await?;
    let keyed: Vec<(RiskKey, CustomerScore)> =
        rows.into_iter().map(|r| (RiskKey { value: r.value_at_risk, id: r.customer_id }, r)).collect();
    Ok(paging.page("at-risk", keyed, |x| x.0).map(|(_, r)| RiskScore::from(r)))
}

/// A customer and their scores, if the last refit could score them.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerRisk {
    pub external_id: String,
    /// Null until a refit has scored the customer (one with some history).
    pub score: Option<RiskScore>,
}

/// A customer's churn risk with its reasons, P(alive) and lifetime value.
#[utoipa::path(get, path = "/api/v1/customers/{external_id}/risk", tag = "measure", operation_id = "customer_risk",
    params(("external_id" = String, Path)), responses((status = 200, body = CustomerRisk), (status = 404)))]
async fn one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(external_id): ApiPath<String>,
) -> Result<Json<CustomerRisk>, AppError> {
    p.require(Permission::ReadProgram)?;
    let customer = s.store.get_customer(p.org.id, &external_id).await?;
    let score = s.reads().customer_score(p.org.id, customer.id).await?.map(RiskScore::from);
    Ok(Json(CustomerRisk { external_id: customer.external_id, score }))
}
