//! The OpenAPI document is complete: every schema it refers to is defined,
//! and every operation has a unique id, documents a success answer and its
//! error answers with the error body.

use crate::helpers::{operations, TestApp};
use serde_json::Value;

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r);
            }
            map.values().for_each(|x| refs(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

pub async fn document_is_complete(app: TestApp) {
    let doc = app.anonymous().get("/api/openapi.json").await.expect(200);
    let mut found = vec![];
    refs(&doc, &mut found);
    assert!(found.len() > 20, "few schema references: {found:?}");
    for r in found {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(doc["components"]["schemas"][name].is_object(), "{r} is not defined");
    }
    let mut operation_ids = std::collections::BTreeSet::new();
    for op in operations(&app).await {
        let what = format!("{} {}", op.method, op.path);
        let operation = &doc["paths"][&op.path][op.method.as_str().to_lowercase()];
        let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{what} has no operationId"));
        assert!(operation_ids.insert(id.to_string()), "{what}: operationId {id} is used twice");
        let responses = operation["responses"].as_object().unwrap();
        assert!(responses.keys().any(|k| k.starts_with('2')), "{what} documents no success answer");
        for code in ["401", "403"] {
            assert!(responses.contains_key(code), "{what} does not document {code}");
        }
        for (code, r) in responses {
            assert!(!r["description"].as_str().unwrap_or("").is_empty(), "{what} {code} has no description");
            if !code.starts_with('2') {
                let schema = &r["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(schema, "#/components/schemas/ErrorResponse", "{what} {code}");
            }
        }
        // Path parameters are ids, but for customers' external ids.
        for p in operation["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path") {
            let want = if p["name"] == "external_id" { "string" } else { "integer" };
            assert_eq!(p["schema"]["type"], want, "{what}: parameter {}", p["name"]);
        }
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["ErrorResponse"].is_object());
}
