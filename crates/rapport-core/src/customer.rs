//! Customers, known by the integrator's external id, with free-form
//! attributes that segments match on.

use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: Id,
    pub external_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    /// Flat attributes such as `{"plan": "pro", "region": "north", "tenure_months": 14}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub attributes: Map<String, Value>,
    pub created_at: DateTime<Utc>,
}

/// A customer to insert or update by external id.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CustomerUpsert {
    pub external_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub attributes: Map<String, Value>,
}
