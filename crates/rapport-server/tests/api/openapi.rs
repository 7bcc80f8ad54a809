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
        // Path parameters are ids, but for customers' external ids and the
        // RESOLVED step a case reply template is for (`respond`, …).
        for p in operation["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path") {
            let want = if p["name"] == "external_id" || p["name"] == "step" { "string" } else { "integer" };
            assert_eq!(p["schema"]["type"], want, "{what}: parameter {}", p["name"]);
        }
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["ErrorResponse"].is_object());
}

/// Every type deriving `ToSchema` in the workspace's sources, as the name it
/// takes in the document (`schema(as = X)`, else the type's name), and where.
fn schema_names() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).unwrap().flatten() {
        let src = krate.path().join("src");
        if src.is_dir() {
            walk(&src, &mut files);
        }
    }
    let mut names = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !(line.trim_start().starts_with("#[") && line.contains("ToSchema")) {
                continue;
            }
            // The attributes up to the item they decorate.
            let mut renamed = None;
            for next in &lines[i..lines.len().min(i + 12)] {
                let t = next.trim_start();
                if let Some(at) = t.find("schema(as = ") {
                    let rest = &t[at + "schema(as = ".len()..];
                    let name = rest.split([')', ',']).next().unwrap_or_default();
                    renamed = Some(name.rsplit("::").next().unwrap_or(name).trim().to_string());
                }
                let item = ["pub struct ", "pub enum ", "pub(crate) struct ", "pub(crate) enum ", "struct ", "enum "]
                    .iter()
                    .find_map(|k| t.strip_prefix(k));
                if let Some(item) = item {
                    let name = item.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default();
                    let at = format!("{}:{}", file.display(), i + 1);
                    names.push((renamed.unwrap_or_else(|| name.to_string()), at));
                    break;
                }
            }
        }
    }
    names
}

/// utoipa keeps one schema per name and silently drops the others, so two
/// Rust types of one name make the document describe one with the other's
/// fields (it happened three times: `Importance`, `ItemResult`, `Estimate`).
#[test]
fn no_two_types_share_a_schema_name() {
    let names = schema_names();
    assert!(names.len() > 200, "the scan found only {} schemas", names.len());
    let mut seen: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    let mut clashes = Vec::new();
    for (name, at) in &names {
        if let Some(first) = seen.insert(name, at) {
            clashes.push(format!("{name}: {first} and {at}"));
        }
    }
    assert!(clashes.is_empty(), "schema names used twice (rename one with `schema(as = …)`):\n{}", clashes.join("\n"));
}
