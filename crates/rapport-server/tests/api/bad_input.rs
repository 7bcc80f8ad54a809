//! Bad input answers 4xx, names the field, and writes nothing: malformed
//! JSON (every operation with a body), missing and over-long fields, wrong
//! types, and ids that are unknown or belong to another organization.

use crate::helpers::{operations, seed, snapshot, Body, TestApp};
use rapport_core::role::Role;
use reqwest::Method;
use serde_json::{json, Value};

const UNKNOWN: i64 = 987_654_321;

pub async fn bad_input_answers_4xx_and_writes_nothing(app: TestApp) {
    let org_a = app.org("alpha").await;
    let org_b = app.org("beta").await;
    let a = app.client(org_a.id, Role::Admin).await;
    let b = app.client(org_b.id, Role::Admin).await;
    let pa = seed(&a, "alpha").await;
    let pb = seed(&b, "beta").await;
    let ops = operations(&app).await;
    let before = snapshot(&a, &ops, &pa).await;

    // Malformed JSON, on every operation that takes a body.
    let doc = app.anonymous().get("/api/openapi.json").await.expect(200);
    let mut with_body = 0;
    for op in &ops {
        if doc["paths"][&op.path][op.method.as_str().to_lowercase()]["requestBody"].is_null() {
            continue;
        }
        let r = a.send(op.method.clone(), &op.url(&pa), Body::Raw(r#"{"name": "unfinished"#)).await;
        r.expect_error(400, "bad_request", None);
        with_body += 1;
    }
    assert!(with_body >= 15, "only {with_body} operations take a body");

    let long = |n: usize| "x".repeat(n);
    let (stage, person, segment, tp, exp) =
        (pa.first("stage"), pa.first("person"), pa.first("segment"), pa.first("touchpoint"), pa.first("experience"));
    let (b_stage, b_person, b_segment, b_tp, b_exp) =
        (pb.first("stage"), pb.first("person"), pb.first("segment"), pb.first("touchpoint"), pb.first("experience"));
    let tp_body = |extra: Value| {
        let mut v = json!({"name": "Checkout", "stage_id": stage});
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    let exp_body = |extra: Value| {
        let mut v = json!({"name": "Onboarding", "goal_metric": "nps", "goal_target": 20});
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    let exp_path = format!("/api/v1/experiences/{exp}");
    let tp_path = format!("/api/v1/touchpoints/{tp}");
    let interactions = format!("/api/v1/experiences/{exp}/interactions");
    let handover = format!("/api/v1/people/{person}/handover");
    let links = format!("/api/v1/surveys/{}/links", pa.first("survey"));
    let cases: Vec<(Method, &str, Value, &[&str])> = vec![
        // Missing required fields.
        (Method::POST, "/api/v1/people", json!({}), &["name", "email"]),
        (Method::POST, "/api/v1/segments", json!({}), &["name"]),
        (Method::POST, "/api/v1/stages", json!({}), &["name"]),
        (Method::POST, "/api/v1/touchpoints", json!({}), &["name", "stage_id"]),
        (Method::POST, "/api/v1/experiences", json!({}), &["name", "goal_metric", "goal_target"]),
        (Method::POST, "/api/v1/customers", json!({"attributes": {}}), &["external_id"]),
        (Method::POST, "/api/v1/intent/versions", json!({"criteria": []}), &["statement"]),
        (Method::POST, &interactions, json!({}), &["touchpoint_id"]),
        (Method::POST, &handover, json!({}), &["to"]),
        (Method::PUT, &exp_path, json!({"name": "No goal"}), &["goal_metric"]),
        (Method::POST, "/api/v1/surveys", json!({}), &["touchpoint_id", "title.en"]),
        (Method::POST, "/api/v1/listening-posts", json!({}), &["name", "channel"]),
        (Method::POST, "/api/v1/responses", json!({"touchpoint": tp}), &["at"]),
        (Method::POST, "/api/v1/events", json!({"type": "purchase", "at": "2026-01-01T00:00:00Z"}), &["customer"]),
        (Method::POST, "/api/v1/surveys/import", json!({"touchpoint_id": tp}), &["source"]),
        (Method::POST, &links, json!({}), &["customer"]),
        // Over-long fields.
        (Method::POST, "/api/v1/people", json!({"name": long(121), "email": "new@example.com"}), &["name"]),
        (Method::POST, "/api/v1/segments", json!({"name": long(81)}), &["name"]),
        (Method::POST, "/api/v1/stages", json!({"name": long(81)}), &["name"]),
        (Method::POST, "/api/v1/touchpoints", tp_body(json!({"description": long(2001)})), &["description"]),
        (Method::POST, "/api/v1/experiences", exp_body(json!({"name": long(121)})), &["name"]),
        (Method::POST, "/api/v1/customers", json!({"external_id": long(201)}), &["external_id"]),
        (Method::PUT, "/api/v1/mission", json!({"mission": long(2001)}), &["mission"]),
        (Method::POST, "/api/v1/intent/versions", json!({"statement": long(4001)}), &["statement"]),
        (Method::PUT, &tp_path, tp_body(json!({"name": long(121)})), &["name"]),
        // Wrong types and values.
        (Method::POST, "/api/v1/people", json!({"name": 5, "email": "new@example.com"}), &["name"]),
        (Method::POST, "/api/v1/touchpoints", tp_body(json!({"stage_id": "first"})), &["stage_id"]),
        (Method::POST, "/api/v1/experiences", exp_body(json!({"goal_target": "high"})), &["goal_target"]),
        (Method::POST, "/api/v1/experiences", exp_body(json!({"goal_metric": "revenue"})), &["goal_metric"]),
        (Method::POST, "/api/v1/experiences", exp_body(json!({"goal_target": 500})), &["goal_target"]),
        (Method::POST, "/api/v1/experiences", exp_body(json!({"segment_ids": "all"})), &["segment_ids"]),
        (Method::POST, "/api/v1/stages", json!({"name": "Later", "position": 0}), &["position"]),
        (Method::POST, "/api/v1/customers", json!({"external_id": "c9", "attributes": [1, 2]}), &["attributes"]),
        (
            Method::POST,
            "/api/v1/customers",
            json!({"external_id": "c9", "attributes": {"a": {"b": 1}}}),
            &["attributes.a"],
        ),
        (Method::PUT, "/api/v1/mission", json!({"mission": 5}), &["mission"]),
        (
            Method::POST,
            "/api/v1/events",
            json!({"type": "purchase", "customer": "c9", "at": "2026-01-01T00:00:00Z", "amount": -12.5}),
            &["amount"],
        ),
        (Method::POST, &interactions, json!({"touchpoint_id": tp, "position": 0}), &["position"]),
        (
            Method::POST,
            "/api/v1/segments",
            json!({"name": "Bad rule", "rule": {"conditions": [{"op": "equals", "attribute": "", "value": "x"}]}}),
            &["rule.conditions[0].attribute"],
        ),
        (
            Method::POST,
            "/api/v1/segments/preview",
            json!({"rule": {"conditions": [{"op": "range", "attribute": "tenure"}]}}),
            &["rule.conditions[0].min"],
        ),
        (
            Method::POST,
            "/api/v1/intent/versions",
            json!({"statement": "s", "criteria": [{"metric": "nps", "comparator": "at_least", "threshold": 500}]}),
            &["criteria[0].threshold"],
        ),
        (
            Method::POST,
            "/api/v1/touchpoints",
            tp_body(json!({"importance": [{"segment_id": segment, "importance": 9}]})),
            &["importance[0].importance"],
        ),
        (Method::POST, &links, json!({"customer": "c1", "expires_in_days": 366}), &["expires_in_days"]),
        (Method::POST, "/api/v1/surveys/import", json!({"touchpoint_id": tp, "source": "{not json"}), &["source"]),
        (
            Method::POST,
            "/api/v1/surveys/import",
            json!({"touchpoint_id": tp, "format": "docx", "source": "x"}),
            &["format"],
        ),
        (
            Method::POST,
            "/api/v1/listening-posts",
            json!({"name": "Chat", "channel": "chat", "priority": 9}),
            &["priority"],
        ),
        (Method::POST, "/api/v1/responses", json!({"touchpoint": tp, "at": "yesterday"}), &["at"]),
        // Unknown ids, and ids of another organization.
        (Method::POST, "/api/v1/responses", json!({"touchpoint": b_tp, "at": "2026-01-01T00:00:00Z"}), &["touchpoint"]),
        (Method::POST, "/api/v1/responses", json!({"survey": UNKNOWN, "at": "2026-01-01T00:00:00Z"}), &["survey"]),
        (
            Method::POST,
            "/api/v1/events",
            json!({"type": "purchase", "customer": "c1", "at": "2026-01-01T00:00:00Z", "touchpoint": b_tp}),
            &["touchpoint"],
        ),
        (
            Method::POST,
            "/api/v1/surveys",
            json!({"touchpoint_id": b_tp, "title": {"en": "T", "es": "T"}, "questions": [crate::helpers::nps_question()]}),
            &["touchpoint_id"],
        ),
        (
            Method::POST,
            "/api/v1/listening-posts",
            json!({"name": "Chat", "channel": "chat", "touchpoint_id": b_tp}),
            &["touchpoint_id"],
        ),
        (Method::POST, "/api/v1/touchpoints", tp_body(json!({"stage_id": UNKNOWN})), &["stage_id"]),
        (Method::POST, "/api/v1/touchpoints", tp_body(json!({"stage_id": b_stage})), &["stage_id"]),
        (Method::POST, "/api/v1/touchpoints", tp_body(json!({"owner_id": UNKNOWN})), &["owner_id"]),
        (Method::POST, "/api/v1/touchpoints", tp_body(json!({"owner_id": b_person})), &["owner_id"]),
        (
            Method::POST,
            "/api/v1/touchpoints",
            tp_body(json!({"importance": [{"segment_id": b_segment, "importance": 3}]})),
            &["importance[0].segment_id"],
        ),
        (Method::PUT, &tp_path, tp_body(json!({"owner_id": b_person})), &["owner_id"]),
        (Method::POST, "/api/v1/experiences", exp_body(json!({"leader_id": UNKNOWN})), &["leader_id"]),
        (Method::POST, "/api/v1/experiences", exp_body(json!({"leader_id": b_person})), &["leader_id"]),
        (Method::POST, "/api/v1/experiences", exp_body(json!({"segment_ids": [segment, b_segment]})), &["segment_ids"]),
        (Method::POST, "/api/v1/experiences", exp_body(json!({"segment_ids": [UNKNOWN]})), &["segment_ids"]),
        (Method::PUT, &exp_path, exp_body(json!({"leader_id": b_person})), &["leader_id"]),
        (Method::POST, &interactions, json!({"touchpoint_id": UNKNOWN}), &["touchpoint_id"]),
        (Method::POST, &interactions, json!({"touchpoint_id": b_tp}), &["touchpoint_id"]),
        (Method::POST, &handover, json!({"to": b_person}), &["to"]),
        (Method::POST, &handover, json!({"to": UNKNOWN}), &["to"]),
        (
            Method::POST,
            "/api/v1/intent/versions",
            json!({"statement": "s", "criteria": [{"metric": "nps", "scope": {"kind": "experience", "id": b_exp}, "comparator": "at_least", "threshold": 1}]}),
            &["criteria[0].scope"],
        ),
        (
            Method::POST,
            "/api/v1/intent/versions",
            json!({"statement": "s", "criteria": [{"metric": "nps", "scope": {"kind": "touchpoint", "id": UNKNOWN}, "comparator": "at_least", "threshold": 1}]}),
            &["criteria[0].scope"],
        ),
    ];
    for (method, path, body, fields) in cases {
        let r = a.send(method.clone(), path, Body::Json(body.clone())).await;
        let what = format!("{method} {path} {body}");
        assert_eq!(r.status, 422, "{what}: {}", r.text);
        assert_eq!(r.json["error"]["code"], "invalid", "{what}: {}", r.text);
        for f in fields {
            let e = &r.json["error"]["fields"][f];
            assert!(e["code"].is_string() && e["message"].is_string(), "{what}: field {f} not named: {}", r.text);
        }
    }

    // Bad filters of the feedback lists name the parameter.
    for (query, field) in [
        ("from=yesterday", "from"),
        ("to=2026-13-01", "to"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("offset=-1", "offset"),
        ("after=nonsense", "after"),
        ("touchpoint=first", "touchpoint"),
        ("survey=x", "survey"),
    ] {
        for list in ["responses", "events"] {
            a.get(&format!("/api/v1/{list}?{query}")).await.expect_error(422, "invalid", Some(field));
        }
    }

    assert_eq!(snapshot(&a, &ops, &pa).await, before, "bad input changed stored data");
}
