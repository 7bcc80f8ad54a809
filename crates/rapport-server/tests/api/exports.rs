//! `?format=csv` on the lists: the whole list, filtered, across pages, with
//! spreadsheet formulas neutralised.

use crate::helpers::{seed, TestApp};
use rapport_core::role::Role;
use serde_json::json;

/// The CSV's records (a small RFC 4180 reader: quoted fields may hold
/// commas, doubled quotes and line breaks).
fn records(text: &str) -> Vec<Vec<String>> {
    let (mut out, mut row, mut field, mut quoted, mut chars) =
        (vec![], vec![], String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    out
}

pub async fn lists_export_whole_as_csv(app: TestApp) {
    let org = app.org("exports").await;
    let admin = app.client(org.id, Role::Admin).await;
    let program = seed(&admin, "x").await;
    let tp = program.first("touchpoint");
    // 1,203 events over three pages of 500, two touchpoints, and a comment
    // that a spreadsheet would run.
    let lines: Vec<String> = (0..1_203)
        .map(|i| {
            let touchpoint = if i % 3 == 0 { json!(tp) } else { json!(null) };
            json!({"type": "purchase", "customer": format!("c-{i}"), "at": "2026-04-01T10:00:00Z", "amount": i, "touchpoint": touchpoint})
                .to_string()
        })
        .collect();
    admin.ndjson("/api/v1/events", lines.join("\n")).await.expect(200);
    let survey = program.first("survey");
    let evil = json!({"survey": survey, "customer": "mallory", "at": "2026-04-02T10:00:00Z",
        "comment": "=HYPERLINK(\"http://evil.example\",\"click\")", "answers": {"nps": 3}});
    admin.post("/api/v1/responses", evil).await.expect(201);

    let viewer = app.client(org.id, Role::Viewer).await;
    let all = viewer.get("/api/v1/events?format=csv&limit=7").await;
    assert_eq!(all.status, 200, "{}", all.text);
    let rows = records(&all.text);
    let header = &rows[0];
    let column = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"));
    assert_eq!(rows.len() - 1, 1_204, "every event (the seed's one too), not a page");
    let customers: std::collections::HashSet<&str> = rows[1..].iter().map(|r| r[column("customer")].as_str()).collect();
    assert_eq!(customers.len(), 1_204, "no row twice across the pages");
    // The filters apply; the Accept header asks for CSV too.
    let filtered = viewer.get_accepting(&format!("/api/v1/events?touchpoint={tp}"), "text/csv").await;
    assert_eq!(filtered.status, 200, "{}", filtered.text);
    let filtered = records(&filtered.text);
    assert_eq!(filtered.len() - 1, 401, "a third of the events are at that touchpoint");
    assert!(filtered[1..].iter().all(|r| r[column("touchpoint_id")] == tp.to_string()));

    // The formula comes out as text, and the answers as one JSON cell.
    let responses = records(&viewer.get("/api/v1/responses?format=csv&customer=mallory").await.text);
    let col = |name: &str| responses[0].iter().position(|h| h == name).unwrap();
    assert_eq!(responses.len(), 2, "{responses:?}");
    assert_eq!(responses[1][col("comment")], "'=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(responses[1][col("answers")], r#"{"nps":3}"#);

    // Refusals: an unknown format, CSV of what is not a list, a bad filter
    // (before any CSV), and no credentials.
    viewer.get("/api/v1/events?format=xlsx").await.expect_error(422, "invalid", Some("format"));
    viewer.get("/api/v1/coverage?format=csv").await.expect_error(422, "invalid", Some("format"));
    viewer.get("/api/v1/events?format=csv&touchpoint=abc").await.expect_error(422, "invalid", Some("touchpoint"));
    app.anonymous().get("/api/v1/events?format=csv").await.expect_error(401, "unauthorized", None);
    for bad in ["limit=0", "limit=abc", "limit=5&limit=6", "limit="] {
        viewer.get(&format!("/api/v1/events?format=csv&{bad}")).await.expect_error(422, "invalid", Some("limit"));
    }
    // `format=json` is the default page.
    let page = viewer.get("/api/v1/events?format=json&limit=5").await.expect(200);
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
}
