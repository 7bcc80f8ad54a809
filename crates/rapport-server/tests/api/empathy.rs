//! The API of empathy maps (A6), on both backends: a map saved and read
//! back with its cited comment, versions listed and read, a segment's map
//! apart from the general one, 422s naming the field (an entry's text, an
//! unknown quadrant, too many entries, another organization's evidence),
//! 404 for another organization's touchpoint, and permissions (a viewer
//! reads, cannot write).

use crate::helpers::{id, TestApp};
use rapport_core::role::Role;
use serde_json::{json, Value};

fn entries(n: usize) -> Value {
    Value::Array((0..n).map(|i| json!({"quadrant": "says", "text": format!("entry {i}")})).collect())
}

pub async fn empathy_api(app: TestApp) {
    let org = app.org("empathy").await;
    let other = app.org("empathy-other").await;
    let admin = app.client(org.id, Role::Admin).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let stranger = app.client(other.id, Role::Admin).await;

    let stage = id(&admin.post("/api/v1/stages", json!({"name": "Order"})).await.expect(201));
    let tp = id(&admin.post("/api/v1/touchpoints", json!({"name": "Counter", "stage_id": stage})).await.expect(201));
    let their_stage = id(&stranger.post("/api/v1/stages", json!({"name": "Order"})).await.expect(201));
    let their_tp =
        id(&stranger.post("/api/v1/touchpoints", json!({"name": "Theirs", "stage_id": their_stage})).await.expect(201));
    let segment = id(&admin
        .post("/api/v1/segments", json!({"name": "Regulars", "rule": {"combine": "all", "conditions": [{"op": "equals", "attribute": "plan", "value": "pro"}]}}))
        .await
        .expect(201));
    let items = json!([
        {"touchpoint": tp, "customer": "c1", "at": "2026-05-01T10:00:00Z", "comment": "The queue was so slow, terrible."},
        {"touchpoint": tp, "customer": "c2", "at": "2026-05-02T10:00:00Z", "comment": "Lovely barista, great coffee!"}
    ]);
    let report = admin.post("/api/v1/responses", items).await.expect(200);
    let ours: Vec<i64> = report["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    let theirs = stranger
        .post("/api/v1/responses", json!([{"touchpoint": their_tp, "at": "2026-05-01T10:00:00Z", "comment": "Secret"}]))
        .await
        .expect(200);
    let their_response = theirs["items"][0]["id"].as_i64().unwrap();
    let url = format!("/api/v1/touchpoints/{tp}/empathy");

    // Nothing saved yet: version 0, no entries.
    let r = viewer.get(&url).await.expect(200);
    assert_eq!((r["version"].as_i64(), r["entries"].as_array().map(Vec::len)), (Some(0), Some(0)), "{r}");

    // Round trip: a quoted comment and an entry of the team's own.
    let v1 = json!({"entries": [
        {"quadrant": "pains", "text": "", "evidence": {"kind": "response", "id": ours[0]}},
        {"quadrant": "does", "text": "Orders ahead on the app"}
    ]});
    let r = admin.put(&url, v1).await.expect(200);
    assert_eq!(
        (r["version"].as_i64(), r["entry_count"].as_i64(), r["with_evidence"].as_i64()),
        (Some(1), Some(2), Some(1))
    );
    let r = viewer.get(&url).await.expect(200);
    assert_eq!(r["entries"][0]["quote"], "The queue was so slow, terrible.", "{r}");
    assert_eq!(r["entries"][0]["evidence"], json!({"kind": "response", "id": ours[0]}));
    assert_eq!(r["entries"][1]["quadrant"], "does");
    assert!(r["author"].is_string() && r["created_at"].is_string(), "{r}");

    // Version 2; version 1 reads back unchanged.
    let v2 = json!({"entries": [{"quadrant": "gains", "text": "Knows us", "evidence": {"kind": "response", "id": ours[1]}}]});
    assert_eq!(admin.put(&url, v2).await.expect(200)["version"], 2);
    let versions = viewer.get(&format!("{url}/versions")).await.expect(200);
    let nums: Vec<i64> =
        versions["versions"].as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
    assert_eq!(nums, vec![2, 1]);
    let old = viewer.get(&format!("{url}/versions/1")).await.expect(200);
    assert_eq!((old["version"].as_i64(), old["entries"].as_array().unwrap().len()), (Some(1), 2));
    assert_eq!(old["entries"][1]["text"], "Orders ahead on the app");
    viewer.get(&format!("{url}/versions/3")).await.expect_error(404, "not_found", None);
    viewer.get(&format!("{url}/versions/0")).await.expect_error(404, "not_found", None);

    // A segment's map is its own.
    let seg_url = format!("{url}?segment_id={segment}");
    assert_eq!(viewer.get(&seg_url).await.expect(200)["version"], 0);
    let r = admin.put(&seg_url, json!({"entries": [{"quadrant": "feels", "text": "At home"}]})).await.expect(200);
    assert_eq!((r["version"].as_i64(), r["segment_id"].as_i64()), (Some(1), Some(segment)));
    assert_eq!(viewer.get(&url).await.expect(200)["version"], 2);
    viewer.get(&format!("{url}?segment_id=0")).await.expect_error(422, "invalid", Some("segment_id"));
    viewer.get(&format!("{url}?segment_id=abc")).await.expect_error(422, "invalid", Some("segment_id"));
    viewer.get(&format!("{url}?segment_id=999999")).await.expect_error(422, "invalid", Some("segment_id"));

    // 422s naming the field; nothing written.
    let mut four = entries(4);
    four[3]["text"] = json!("   ");
    admin.put(&url, json!({"entries": four})).await.expect_error(422, "invalid", Some("entries[3].text"));
    let mut long = entries(2);
    long[1]["text"] = json!("x".repeat(501));
    admin.put(&url, json!({"entries": long})).await.expect_error(422, "invalid", Some("entries[1].text"));
    let unknown = json!({"entries": [{"quadrant": "hears", "text": "x"}]});
    admin.put(&url, unknown).await.expect_error(422, "invalid", Some("entries[0].quadrant"));
    admin.put(&url, json!({"entries": entries(61)})).await.expect_error(422, "invalid", Some("entries"));
    admin.put(&url, json!({"entries": entries(60)})).await.expect(200);
    let foreign =
        json!({"entries": [{"quadrant": "says", "text": "x", "evidence": {"kind": "response", "id": their_response}}]});
    admin.put(&url, foreign).await.expect_error(422, "invalid", Some("entries[0].evidence"));
    let bad_kind = json!({"entries": [{"quadrant": "says", "text": "x", "evidence": {"kind": "tweet", "id": 1}}]});
    admin.put(&url, bad_kind).await.expect_error(422, "invalid", Some("entries[0].evidence.kind"));
    admin.put(&url, json!({})).await.expect_error(422, "invalid", Some("entries"));
    let nums = viewer.get(&format!("{url}/versions")).await.expect(200)["versions"].as_array().unwrap().len();
    assert_eq!(nums, 3, "only the 60-entry save was written");

    // Another organization's touchpoint is not found, for reading and writing.
    for path in [url.clone(), format!("{url}/versions"), format!("{url}/versions/1"), format!("{url}/suggestions")] {
        stranger.get(&path).await.expect_error(404, "not_found", None);
    }
    stranger.put(&url, json!({"entries": []})).await.expect_error(404, "not_found", None);
    stranger.put(&url, json!({"entries": "junk"})).await.expect_error(404, "not_found", None);

    // A viewer reads (suggestions too) but cannot write.
    let sug = viewer.get(&format!("{url}/suggestions")).await.expect(200);
    let tones: Vec<&str> =
        sug["suggestions"].as_array().unwrap().iter().map(|s| s["quadrant"].as_str().unwrap()).collect();
    assert_eq!(tones, vec!["gains", "pains"], "{sug}");
    viewer.put(&url, json!({"entries": []})).await.expect_error(403, "forbidden", None);
    assert_eq!(viewer.get(&url).await.expect(200)["version"], 3);
}
