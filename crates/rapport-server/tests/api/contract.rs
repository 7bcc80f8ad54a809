//! Bodies the OpenAPI document marks required: an empty body is a 422
//! naming what is missing, never a silent reset, and a wrongly typed value
//! in valid JSON is a 422 naming its field, never "malformed JSON".

use crate::helpers::{Body, TestApp};
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
