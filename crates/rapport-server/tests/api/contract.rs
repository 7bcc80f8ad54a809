//! Bodies the OpenAPI document marks required: an empty body is a 422
//! naming what is missing, never a silent reset, and a wrongly typed value
//! in valid JSON is a 422 naming its field, never "malformed JSON".

use crate::helpers::{operations, Body, TestApp};
use rapport_core::role::Role;
use reqwest::Method;
use serde_json::json;

pub async fn required_bodies_and_typed_fields(app: TestApp) {
    let org = app.org("contract").await;
    let a = app.client(org.id, Role::Admin).await;
    a.put("/api/v1/mission", json!({"mission": "Gear that gets people outside."})).await.expect(200);
    let before = a.send(Method::GET, "/api/v1/calendar", Body::None).await.expect(200);
    a.put("/api/v1/calendar", json!({"day_start": "08:00", "day_end": "16:00"})).await.expect(200);

    // An empty body is not "clear the mission" or "reset the calendar".
    let r = a.send(Method::PUT, "/api/v1/mission", Body::Raw("")).await;
    r.expect_error(422, "invalid", Some("mission"));
    let r = a.send(Method::PUT, "/api/v1/mission", Body::Raw("{}")).await;
    r.expect_error(422, "invalid", Some("mission"));
    let kept = a.send(Method::GET, "/api/v1/mission", Body::None).await.expect(200);
    assert_eq!(kept["mission"], "Gear that gets people outside.");
    let r = a.send(Method::PUT, "/api/v1/calendar", Body::Raw("")).await;
    r.expect_error(422, "invalid", Some("body"));
    let cal = a.send(Method::GET, "/api/v1/calendar", Body::None).await.expect(200);
    assert_eq!((cal["day_start"].as_i64(), cal["day_end"].as_i64()), (Some(480), Some(960)), "{cal}");
    assert_ne!(cal, before);
    // Clearing is said explicitly.
    let cleared = a.put("/api/v1/mission", json!({"mission": null})).await.expect(200);
    assert!(cleared["mission"].is_null(), "{cleared}");

    // Valid JSON with a wrongly typed enum names the field.
    let r = a
        .send(
            Method::POST,
            "/api/v1/webhooks",
            Body::Json(json!({"name": "CRM", "url": "https://crm.example/hook", "format": 5})),
        )
        .await;
    r.expect_error(422, "invalid", Some("format"));
}

/// Every status the API answers is in the OpenAPI document (schemathesis
/// found 400s for out-of-range or repeated query parameters, malformed
/// bodies on operations documenting no 400, 422 on bodies documenting none),
/// and the document bounds what the server bounds.
pub async fn statuses_are_documented_and_bounds_said(app: TestApp) {
    let org = app.org("statuses").await;
    let a = app.client(org.id, Role::Admin).await;
    let doc = app.anonymous().get("/api/openapi.json").await.expect(200);

    // What each operation can answer, by what it reads.
    for op in operations(&app).await {
        let what = format!("{} {}", op.method, op.path);
        let operation = &doc["paths"][&op.path][op.method.as_str().to_lowercase()];
        let responses = operation["responses"].as_object().unwrap();
        let params = operation["parameters"].as_array().cloned().unwrap_or_default();
        let mut want = vec![];
        if params.iter().any(|p| p["in"] == "path") {
            want.push("404");
        }
        if !operation["requestBody"].is_null() {
            want.extend(["400", "422"]);
        }
        if params.iter().any(|p| p["in"] == "query") {
            want.push("422");
        }
        for code in want {
            assert!(responses.contains_key(code), "{what} does not document {code}");
        }
    }

    // Query parameters that do not read are a 422 naming them, not a 400.
    let bad_queries = [
        ("/api/v1/ideas?touchpoint_id=9223372036854775808", "touchpoint_id"),
        ("/api/v1/people?limit=1&limit=2", "limit"),
        ("/api/v1/people?limit=", "limit"),
        ("/api/v1/responses?limit=", "limit"),
        ("/api/v1/comms/calendar?year=2147483648", "year"),
        ("/api/v1/comms/calendar?month=13", "month"),
        ("/api/v1/comms/calendar?year=0&month=1", "year"),
        ("/api/v1/comms/calendar?month=1020", "month"),
    ];
    for (path, field) in bad_queries {
        a.get(path).await.expect_error(422, "invalid", Some(field));
    }
    a.get("/api/v1/comms/calendar?year=9999&month=12").await.expect(200);
    let month = doc["paths"]["/api/v1/comms/calendar"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "month")
        .unwrap()["schema"]
        .clone();
    assert_eq!((month["minimum"].as_i64(), month["maximum"].as_i64()), (Some(1), Some(12)), "{month}");

    // An empty body where one is required is a 422, never the defaults.
    let r = a.send(Method::POST, "/api/v1/segments/preview", Body::None).await;
    r.expect_error(422, "invalid", Some("body"));
    let r = a.send(Method::POST, "/api/v1/segments/preview", Body::Raw("  ")).await;
    r.expect_error(422, "invalid", Some("body"));
    a.post("/api/v1/segments/preview", json!({})).await.expect(200);
    let r = a.send(Method::POST, "/api/v1/segments/preview", Body::Raw("[]")).await;
    r.expect_error(422, "invalid", Some("body"));

    // An ingestion body is one item or an array of them: a lone value that
    // is not an object is one rejected item (422), not a batch of one.
    for path in ["/api/v1/responses", "/api/v1/events", "/api/v1/customers"] {
        a.send(Method::POST, path, Body::Raw("\"AAA\"")).await.expect_error(422, "invalid", Some("body"));
        let batch = a.send(Method::POST, path, Body::Raw("[null, 5]")).await.expect(200);
        assert_eq!(batch["rejected"], 2, "{path}: {batch}");
        let schema = &doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"];
        let one_of = schema["oneOf"].as_array().unwrap_or_else(|| panic!("{path}: {schema}"));
        assert_eq!(one_of.len(), 2, "{path}: {schema}");
        assert_eq!(one_of[1]["type"], "array", "{path}: {schema}");
    }
}
