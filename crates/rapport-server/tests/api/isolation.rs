//! Organizations are isolated: with organization B's admin token, every
//! operation of the OpenAPI document (enumerated, not hand-picked) is tried
//! on organization A's objects. Paths naming A's objects answer 404; other
//! answers never show A's data; A's data is byte-identical afterwards.

use crate::helpers::{operations, plausible_body, seed, snapshot, Body, Program, TestApp};
use rapport_core::role::Role;
use serde_json::Value;
use std::collections::BTreeSet;

/// Marks every name of organization A, to look for in B's answers.
const MARKER: &str = "zq7alpha";

/// Fields of answers that refer to another object, and its kind.
const REFERENCES: [(&str, &str); 9] = [
    ("stage_id", "stage"),
    ("owner_id", "person"),
    ("leader_id", "person"),
    ("person_id", "person"),
    ("segment_id", "segment"),
    ("segment_ids", "segment"),
    ("touchpoint_id", "touchpoint"),
    ("survey_id", "survey"),
    ("governed_by", "person"),
];

/// Fails when `v` refers to one of `a`'s objects anywhere inside.
fn assert_no_reference(v: &Value, a: &Program, what: &str) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| assert_no_reference(i, a, what)),
        Value::Object(map) => {
            for (key, value) in map {
                if let Some((_, kind)) = REFERENCES.iter().find(|(k, _)| k == key) {
                    let ids: Vec<i64> = match value {
                        Value::Array(xs) => xs.iter().filter_map(Value::as_i64).collect(),
                        other => other.as_i64().into_iter().collect(),
                    };
                    assert!(!ids.iter().any(|i| a.has(kind, *i)), "{what}: refers to A's {kind} in {key}: {v}");
                }
                assert_no_reference(value, a, what);
            }
        }
        _ => {}
    }
}

pub async fn other_org_cannot_touch_anything(app: TestApp) {
    let org_a = app.org("alpha").await;
    let org_b = app.org("beta").await;
    let a = app.client(org_a.id, Role::Admin).await;
    let b = app.client(org_b.id, Role::Admin).await;
    let program_a = seed(&a, MARKER).await;
    let program_b = seed(&b, "beta").await;

    let ops = operations(&app).await;
    assert!(ops.len() >= 30, "the document lists only {} operations", ops.len());
    let before = snapshot(&a, &ops, &program_a).await;
    let before_b = snapshot(&b, &ops, &program_b).await;
    assert!(before_b.values().all(|t| !t.to_lowercase().contains(MARKER)), "B sees A before anything happened");

    let mut covered = BTreeSet::new();
    for op in &ops {
        let url = op.url(&program_a);
        let what = format!("{} {url} with B's token", op.method);
        let r = b.send(op.method.clone(), &url, Body::Json(plausible_body(&program_a))).await;
        assert!(!r.text.to_lowercase().contains(MARKER), "{what} shows A's data: {}", r.text);
        if op.names_objects() {
            assert_eq!(r.status, 404, "{what}: {}", r.text);
            r.expect_error(404, "not_found", None);
        } else if (200..300).contains(&r.status) {
            assert_no_reference(&r.json, &program_a, &what);
            if let (Some(kind), Value::Array(items)) = (op.list_kind(), &r.json) {
                for item in items {
                    let id = item["id"].as_i64().unwrap_or_else(|| panic!("{what}: item without id: {item}"));
                    assert!(!program_a.has(kind, id), "{what} lists A's {kind} {id}");
                }
            }
        } else {
            assert!((400..500).contains(&r.status), "{what}: {}", r.text);
        }
        covered.insert((op.method.to_string(), op.path.clone()));
    }
    assert_eq!(covered.len(), ops.len(), "every operation of the document was tried");
    eprintln!("isolation: tried {} operations with another organization's token", covered.len());

    assert_eq!(snapshot(&a, &ops, &program_a).await, before, "A's data changed");

    // Answers computed over many rows count only B's.
    let count = |v: Value| v.as_array().map(Vec::len).unwrap();
    let b_customers = count(b.get("/api/v1/customers").await.expect(200));
    let preview = b.post("/api/v1/segments/preview", serde_json::json!({})).await.expect(200);
    assert_eq!(preview["total"], b_customers, "{preview}");
    let coverage = b.get("/api/v1/coverage").await.expect(200);
    assert_eq!(coverage["experiences"]["total"], count(b.get("/api/v1/experiences").await.expect(200)));
    assert_eq!(coverage["touchpoints"]["total"], count(b.get("/api/v1/touchpoints").await.expect(200)));

    // Without credentials, every /api/v1 operation answers 401.
    let anonymous = app.anonymous();
    let mut unauthenticated = 0;
    for op in ops.iter().filter(|o| o.path.starts_with("/api/v1/")) {
        let r = anonymous.send(op.method.clone(), &op.url(&program_a), Body::Json(plausible_body(&program_a))).await;
        r.expect_error(401, "unauthorized", None);
        unauthenticated += 1;
    }
    assert_eq!(unauthenticated, ops.len(), "every operation is under /api/v1");
    // A wrong token is no better than none.
    let forged = crate::helpers::Client::with_token(&app, "rpt_forged");
    forged.get("/api/v1/people").await.expect_error(401, "unauthorized", None);
}
