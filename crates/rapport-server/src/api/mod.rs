//! The JSON API under `/api/v1`, documented by an OpenAPI 3 document built
//! from the handlers themselves (`utoipa-axum`), so that no route can exist
//! without being documented.
//!
//! Policy: one file per resource; each handler names its permission first,
//! then validates with `rapport-core`, then calls the store. Writes answer
//! the stored object (201 on create); deletes answer 204. Deletes, handovers,
//! mission changes and intent versions leave a line in the audit trail,
//! written by the store in the change's transaction ([`Principal::audit`]).

mod account;
pub(crate) mod act;
mod admin;
pub mod announcements;
mod calendar;
pub(crate) mod case_queue;
mod case_rules;
pub mod cases;
mod comms;
pub mod coverage;
pub mod customers;
mod engagement;
mod experiences;
pub mod export;
pub mod extract;
pub(crate) mod feedback;
pub mod ideas;
mod inbound;
mod intent;
pub mod listen;
mod listening_posts;
pub mod measure;
pub mod metrics;
mod notifications;
mod org;
pub mod page;
pub(crate) mod people;
pub mod plan;
pub(crate) mod review;
pub mod root_causes;
mod segments;
mod sprints;
mod stages;
mod survey_answers;
pub(crate) mod survey_results;
pub(crate) mod surveys;
mod text;
pub(crate) mod themes;
mod touchpoints;
pub(crate) mod webhooks;

use crate::state::AppState;
use axum::Router;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Rapport API", description = "Customer experience management: plan, own, listen, measure, act, improve."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(ErrorResponse, ErrorBody, FieldErrorBody))
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

/// Every error answer: `{"error": {"code", "message", "fields"}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorResponse {
    pub error: ErrorBody,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine code: unauthorized, forbidden, not_found, bad_request, invalid, conflict, busy (503, with
    /// `Retry-After`), internal.
    pub code: String,
    pub message: String,
    /// For invalid input and conflicts: the problem of each field, keyed by
    /// its path in the input (e.g. `criteria[2].threshold`).
    pub fields: Option<BTreeMap<String, FieldErrorBody>>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldErrorBody {
    /// Stable machine code, e.g. required, too_long, out_of_range, unknown_id, invalid_type.
    pub code: String,
    pub message: String,
}

/// The API routes and their OpenAPI document.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(org::routes())
        .merge(people::routes())
        .merge(segments::routes())
        .merge(customers::routes())
        .merge(stages::routes())
        .merge(touchpoints::routes())
        .merge(experiences::routes())
        .merge(plan::routes())
        .merge(coverage::routes())
        .merge(intent::routes())
        .merge(surveys::routes())
        .merge(listen::routes())
        .merge(survey_answers::routes())
        .merge(survey_results::routes())
        .merge(listening_posts::routes())
        .merge(feedback::routes())
        .merge(text::routes())
        .merge(themes::routes())
        .merge(metrics::routes())
        .merge(measure::routes())
        .merge(review::routes())
        .merge(webhooks::routes())
        .merge(cases::routes())
        .merge(case_queue::routes())
        .merge(act::routes())
        .merge(case_rules::routes())
        .merge(root_causes::routes())
        .merge(calendar::routes())
        .merge(ideas::routes())
        .merge(sprints::routes())
        .merge(announcements::routes())
        .merge(comms::routes())
        .merge(engagement::routes())
        .merge(inbound::routes())
        .merge(admin::routes())
        .merge(notifications::routes())
        .merge(account::routes())
        .split_for_parts();
    document_answers(&mut doc);
    document_batches(&mut doc);
    page::document(&mut doc);
    (router, doc)
}

/// Completes what every operation can answer, once for all: 401 and 403
/// (every route authenticates and checks a permission); 404 where the path
/// names something (`ApiPath`: what does not parse names nothing); 400
/// (malformed body) and 422 (invalid fields, an empty body) where a body is
/// read; 422 where query parameters are read (`extract::bad_query`); a
/// description for each status, and the `ErrorResponse` body on every error
/// status.
pub(crate) fn document_answers(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{Content, Ref, RefOr, Response};
    for item in doc.paths.paths.values_mut() {
        let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in ops.into_iter().flatten() {
            let params = op.parameters.iter().flatten();
            let in_path = params.clone().any(|p| matches!(p.parameter_in, ParameterIn::Path));
            let in_query = params.clone().any(|p| matches!(p.parameter_in, ParameterIn::Query));
            let body = op.request_body.is_some();
            let mut codes = vec!["401", "403"];
            codes.extend(in_path.then_some("404"));
            codes.extend(body.then_some("400"));
            codes.extend((body || in_query).then_some("422"));
            let responses = &mut op.responses.responses;
            for code in codes {
                responses.entry(code.to_string()).or_insert_with(|| RefOr::T(Response::new("")));
            }
            for (code, response) in responses.iter_mut() {
                let RefOr::T(response) = response else { continue };
                if response.description.is_empty() {
                    response.description = describe(code).to_string();
                }
                if !code.starts_with('2') && response.content.is_empty() {
                    let body = Content::new(Some(Ref::from_schema_name("ErrorResponse")));
                    response.content.insert("application/json".to_string(), body);
                }
            }
        }
    }
}

/// The ingestion operations take one item or a JSON array of them; an array's
/// items are judged one by one, so any JSON value is a valid item of the
/// request (a wrong one is reported, by its index, in the 200 answer).
fn document_batches(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, SchemaType};
    use utoipa::openapi::{Ref, RefOr};
    let batches =
        [("ingest_responses", "ResponseDraft"), ("ingest_events", "EventDraft"), ("upsert_customers", "CustomerDraft")];
    for item in doc.paths.paths.values_mut() {
        let Some(op) = item.post.as_mut() else { continue };
        let Some((_, name)) = batches.iter().find(|(id, _)| op.operation_id.as_deref() == Some(*id)) else { continue };
        let Some(json) = op.request_body.as_mut().and_then(|b| b.content.get_mut("application/json")) else { continue };
        let any_item = ObjectBuilder::new().schema_type(SchemaType::AnyValue);
        let array = ArrayBuilder::new().items(any_item).description(Some(format!(
            "A batch: each item a `{name}`, judged on its own; a wrong item is reported by its index in the answer"
        )));
        let one_of = OneOfBuilder::new().item(Ref::from_schema_name(*name)).item(array);
        json.schema = Some(RefOr::T(Schema::OneOf(one_of.build())));
    }
}

fn describe(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted; done in the background",
        "204" => "Done; no content",
        "400" => "Malformed body: not JSON, or not the multipart form expected (`bad_request`)",
        "401" => "No or unknown credentials (`unauthorized`)",
        "403" => "The caller's role does not allow this (`forbidden`)",
        "404" => "Not found in the caller's organization (`not_found`)",
        "409" => "Conflicts with stored data (`conflict`), by field",
        "422" => "Invalid fields or query parameters, or a missing body (`invalid`), by field",
        "410" => "The link was used or has expired (`gone`)",
        "429" => "Too many attempts; try again later (`throttled`)",
        _ => "See the error code",
    }
}
