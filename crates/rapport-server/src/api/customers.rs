//! Customers, known by the integrator's external id, with the flat
//! attributes that segments match on.

use super::extract::ApiJson;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use rapport_core::customer::{Customer, CustomerUpsert};
use rapport_core::role::Permission;
use rapport_core::validate::{is_email, optional_text, required_text, FieldErrors};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, upsert))
}

pub const EXTERNAL_ID_MAX: usize = 200;
pub const MAX_ATTRIBUTES: usize = 100;
pub const ATTRIBUTE_KEY_MAX: usize = 60;

/// A customer to insert or update, as it arrives in JSON.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CustomerDraft {
    /// Your system's id for the customer; the key of the upsert.
    pub external_id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// A flat object: values are text, numbers, booleans or null. Replaces
    /// the stored attributes.
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<Value>,
}

impl CustomerDraft {
    pub fn validate(&self) -> Result<CustomerUpsert, FieldErrors> {
        let mut e = FieldErrors::new();
        let external_id = required_text(&mut e, "external_id", self.external_id.as_deref(), EXTERNAL_ID_MAX);
        let email = optional_text(&mut e, "email", self.email.as_deref(), 254).map(|m| m.to_lowercase());
        if email.as_deref().is_some_and(|m| !is_email(m)) {
            e.add("email", "invalid_email", "must be an e-mail address");
        }
        let name = optional_text(&mut e, "name", self.name.as_deref(), 200);
        let attributes = match &self.attributes {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => {
                if m.len() > MAX_ATTRIBUTES {
                    e.add("attributes", "too_many", format!("at most {MAX_ATTRIBUTES} attributes"));
                }
                for (k, v) in m {
                    if k.trim().is_empty() || k.chars().count() > ATTRIBUTE_KEY_MAX {
                        e.add("attributes", "invalid_key", format!("keys must be 1-{ATTRIBUTE_KEY_MAX} characters"));
                    }
                    if v.is_object() || v.is_array() {
                        e.add("attributes", "not_flat", format!("`{k}` must be text, a number, a boolean or null"));
                    }
                }
                m.clone()
            }
            Some(_) => {
                e.add("attributes", "invalid_type", "must be a JSON object");
                Map::new()
            }
        };
        e.into_result(CustomerUpsert { external_id, email, name, attributes })
    }
}

/// List customers by external id.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", operation_id = "list_customers", responses((status = 200, body = [Customer])))]
async fn list(State(s): State<AppState>, p: Principal) -> Result<Json<Vec<Customer>>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.list_customers(p.org.id).await?))
}

/// Insert a customer, or update the one with the same external id (its attributes are replaced).
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", operation_id = "upsert_customer", request_body = CustomerDraft,
    responses((status = 200, body = Customer, description = "inserted or updated"), (status = 422, description = "invalid fields")))]
async fn upsert(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<CustomerDraft>,
) -> Result<Json<Customer>, AppError> {
    p.require(Permission::EditPlan)?;
    let input = draft.validate()?;
    Ok(Json(s.store.upsert_customer(p.org.id, &input).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn draft(v: Value) -> CustomerDraft {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn attributes_must_be_a_flat_object() {
        let ok = draft(json!({"external_id": " c-1 ", "email": "A@B.co", "attributes": {"plan": "pro", "n": 3, "vip": true, "x": null}}))
            .validate()
            .unwrap();
        assert_eq!((ok.external_id.as_str(), ok.email.as_deref()), ("c-1", Some("a@b.co")));
        assert_eq!(ok.attributes.len(), 4);
        for bad in [json!([1]), json!("x"), json!({"a": {"b": 1}}), json!({"a": [1]}), json!({"": 1})] {
            let e = draft(json!({"external_id": "c", "attributes": bad})).validate().unwrap_err();
            assert!(e.get("attributes").is_some(), "{bad}");
        }
        let e = draft(json!({"external_id": "x".repeat(201), "email": "nope"})).validate().unwrap_err();
        assert_eq!(e.get("external_id").unwrap().code, "too_long");
        assert_eq!(e.get("email").unwrap().code, "invalid_email");
        assert_eq!(draft(json!({})).validate().unwrap_err().get("external_id").unwrap().code, "required");
    }
}
