//! Customers, known by the integrator's external id, with free-form
//! attributes that segments match on.

use crate::lang::Lang;
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

/// The attributes that may say which language a customer reads, first
/// found wins (integrations name it differently).
pub const LANGUAGE_ATTRIBUTES: [&str; 3] = ["language", "lang", "locale"];

/// The language a customer's attributes give, when it is one Rapport
/// speaks (`es`, `es-MX`, `en-GB`, …).
pub fn language_attribute(attributes: &Map<String, Value>) -> Option<Lang> {
    LANGUAGE_ATTRIBUTES.iter().find_map(|k| attributes.get(*k).and_then(Value::as_str).and_then(Lang::parse))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attrs(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn the_language_attribute_under_any_of_its_names() {
        assert_eq!(language_attribute(&attrs(json!({"language": "es"}))), Some(Lang::Es));
        assert_eq!(language_attribute(&attrs(json!({"locale": "es-MX"}))), Some(Lang::Es));
        assert_eq!(language_attribute(&attrs(json!({"lang": "en"}))), Some(Lang::En));
        assert_eq!(language_attribute(&attrs(json!({"language": "de"}))), None);
        assert_eq!(language_attribute(&attrs(json!({"language": 3}))), None);
        assert_eq!(language_attribute(&attrs(json!({}))), None);
    }
}
