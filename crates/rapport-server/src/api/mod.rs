//! The JSON API under `/api/v1`, documented by an OpenAPI 3 document built
//! from the handlers themselves (`utoipa-axum`), so that no route can exist
//! without being documented.
//!
//! Policy: one file per resource; each handler names its permission first,
//! then validates with `rapport-core`, then calls the store. Writes answer
//! the stored object (201 on create); deletes answer 204.

pub mod extract;
mod people;

use crate::state::AppState;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Rapport API", description = "Customer experience management: plan, own, listen, measure, act, improve."),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("rpt_…").build()),
        );
    }
}

/// The API routes and their OpenAPI document.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(people::routes()).split_for_parts()
}
