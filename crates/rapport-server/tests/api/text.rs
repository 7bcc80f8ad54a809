//! Text analytics through the API (C6): `POST /api/v1/text/analyze` and the
//! response list's text filters; bad input gets a 4xx, never a 500.

use crate::helpers::{id, Body, TestApp};
use crate::listening::survey_setup;
use rapport_core::role::Role;
use reqwest::Method;
use serde_json::{json, Value};

fn ids(page: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = page["items"].as_array().unwrap().iter().map(id).collect();
    ids.sort();
    ids
}

pub async fn analyze_and_filter(app: TestApp) {
    let org = app.org("text").await;
    let c = app.client(org.id, Role::Agent).await;
    let viewer = app.client(org.id, Role::Viewer).await;

    let a = viewer.post("/api/v1/text/analyze", json!({"text": "No me gustó nada. ¡Nunca más!"})).await.expect(200);
    assert_eq!((a["language"].as_str(), a["detected"].as_bool()), (Some("es"), Some(true)), "{a}");
    assert_eq!(a["label"], "negative", "{a}");
    assert_eq!(a["sentences"].as_array().unwrap().len(), 2, "{a}");
    let score = a["score"].as_f64().unwrap();
    assert!((-1.0..0.0).contains(&score), "{a}");
    let given = viewer.post("/api/v1/text/analyze", json!({"text": "ok", "language": "en"})).await.expect(200);
    assert_eq!((given["language"].as_str(), given["detected"].as_bool()), (Some("en"), Some(false)));
    let empty = viewer.post("/api/v1/text/analyze", json!({"text": ""})).await.expect(200);
    assert_eq!(empty["label"], "neutral", "an empty text is neutral: {empty}");

    // Bad input: a 4xx naming the field, never a panic or a 500.
    viewer.post("/api/v1/text/analyze", json!({})).await.expect_error(422, "invalid", Some("text"));
    viewer.post("/api/v1/text/analyze", json!({"text": 5})).await.expect_error(422, "invalid", Some("text"));
    viewer.post("/api/v1/text/analyze", json!({"text": "x", "language": "fr"})).await.expect_error(
        422,
        "invalid",
        Some("language"),
    );
    let huge = "á".repeat(100_001);
    viewer.post("/api/v1/text/analyze", json!({"text": huge})).await.expect_error(422, "invalid", Some("text"));
    viewer.post("/api/v1/text/analyze", json!({"text": "a\u{0}b"})).await.expect_error(422, "invalid", Some("text"));
    let mut bad_utf8 = br#"{"text": "caf"#.to_vec();
    bad_utf8.extend_from_slice(&[0xC3, 0x28]);
    bad_utf8.extend_from_slice(br#""}"#);
    let r = viewer.send(Method::POST, "/api/v1/text/analyze", Body::Bytes(bad_utf8)).await;
    assert!((400..500).contains(&r.status), "invalid UTF-8: {} {}", r.status, r.text);
    let long = "Great service but the delivery was very slow. ".repeat(2_000);
    let r = viewer.post("/api/v1/text/analyze", json!({"text": long})).await.expect(200);
    assert_eq!(r["sentences"].as_array().unwrap().len(), 2_000, "a 92 kB text is analysed whole");
    app.anonymous().post("/api/v1/text/analyze", json!({"text": "hi"})).await.expect_error(401, "unauthorized", None);

    // Comments posted through the API are filterable by what they say.
    let admin = app.client(org.id, Role::Admin).await;
    let (tp, survey) = survey_setup(&admin).await;
    let items = json!([
        {"survey": survey, "customer": "c1", "at": "2026-05-01T10:00:00Z", "answers": {"nps": 0},
         "comment": "Terrible. I was charged twice and nobody answers. I am cancelling, this is a SCAM!!!"},
        {"survey": survey, "customer": "c2", "at": "2026-05-02T10:00:00Z", "answers": {"nps": 10},
         "comment": "¡Increíble! Lucía nos atendió de maravilla, me encantó."},
        {"touchpoint": tp, "customer": "c3", "at": "2026-05-03T10:00:00Z", "channel": "phone"},
        {"survey": survey, "customer": "c4", "at": "2026-05-04T10:00:00Z", "answers": {"nps": 1,
         "why": "Worst support ever. I am cancelling, this is a SCAM!!!"}}
    ]);
    let report = c.post("/api/v1/responses", items).await.expect(200);
    let stored: Vec<i64> = report["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    let list = |q: &'static str| {
        let viewer = viewer.clone();
        async move { viewer.get(&format!("/api/v1/responses?{q}")).await.expect(200) }
    };
    assert_eq!(ids(&list("flag=anger").await), [stored[0], stored[3]], "a free-text answer is read as a comment");
    assert_eq!(ids(&list("flag=wow").await), [stored[1]]);
    assert_eq!(ids(&list("sentiment=negative").await), [stored[0], stored[3]]);
    assert_eq!(ids(&list("sentiment=positive&language=es").await), [stored[1]]);
    assert_eq!(ids(&list("has_comment=true").await), [stored[0], stored[1], stored[3]]);
    assert_eq!(ids(&list("channel=phone").await), [stored[2]]);
    assert_eq!(ids(&list("q=charges%20answer").await), [stored[0]], "words in any form");
    assert_eq!(ids(&list("q=encanto&sentiment=positive").await), [stored[1]], "accents aside");
    assert!(ids(&list("q=refund").await).is_empty());
    let page = list("sentiment=negative&channel=web").await;
    assert_eq!(page["total"], 0);
    let page = list("sentiment=negative&customer=c1").await;
    assert_eq!(page["total"], 1);
    let item = &page["items"][0];
    assert_eq!(
        (item["text"]["label"].as_str(), item["text"]["anger"].as_bool()),
        (Some("negative"), Some(true)),
        "{item}"
    );
    assert_eq!(item["language"], "en", "detected and stored: {item}");
    let long = format!("/api/v1/responses?q={}", "a".repeat(201));
    viewer.get(&long).await.expect_error(422, "invalid", Some("q"));
    assert_eq!(ids(&list("band=detractor").await), [stored[0], stored[3]], "NPS 0 and 1");
    assert_eq!(ids(&list("band=promoter&flag=wow").await), [stored[1]]);
    assert!(ids(&list("band=csat_low").await).is_empty(), "no CSAT question asked");
    for (q, field) in [
        ("sentiment=furious", "sentiment"),
        ("flag=meh", "flag"),
        ("has_comment=maybe", "has_comment"),
        ("language=fr", "language"),
        ("experience=abc", "experience"),
        ("segment=0", "segment"),
        ("q=%00", "q"),
        ("band=fan", "band"),
    ] {
        viewer.get(&format!("/api/v1/responses?{q}")).await.expect_error(422, "invalid", Some(field));
    }
}

pub async fn themes_report_and_filter(app: TestApp) {
    let org = app.org("themes").await;
    let admin = app.client(org.id, Role::Admin).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let (tp, _) = survey_setup(&admin).await;
    let theme = json!({"name": "Delivery", "keywords_en": ["delivery", "late"], "keywords_es": ["entrega"]});
    let delivery = id(&admin.post("/api/v1/themes", theme.clone()).await.expect(201));
    admin.post("/api/v1/themes", theme).await.expect_error(409, "conflict", Some("name"));
    admin.post("/api/v1/themes", json!({"name": "Empty"})).await.expect_error(422, "invalid", Some("keywords_en"));
    viewer.post("/api/v1/themes", json!({"name": "x", "keywords_en": ["x"]})).await.expect_error(
        403,
        "forbidden",
        None,
    );
    let rule = json!({"name": "Delivery issues", "kind": "theme", "theme_id": delivery});
    admin.post("/api/v1/case-rules", rule).await.expect(201);
    let foreign = json!({"name": "x", "kind": "theme", "theme_id": delivery + 1000});
    admin.post("/api/v1/case-rules", foreign).await.expect_error(422, "invalid", Some("theme_id"));
    let today = chrono::Utc::now();
    let at = |days: i64| (today - chrono::Duration::days(days)).to_rfc3339();
    let items = json!([
        {"touchpoint": tp, "customer": "t1", "at": at(1), "comment": "The deliveries keep arriving late. Awful."},
        {"touchpoint": tp, "customer": "t2", "at": at(2), "comment": "La entrega fue rápida, genial."},
        {"touchpoint": tp, "customer": "t3", "at": at(40), "comment": "Delivery was fine."},
        {"touchpoint": tp, "customer": "t4", "at": at(3), "comment": "Lovely staff."}
    ]);
    let report = admin.post("/api/v1/responses", items).await.expect(200);
    let stored: Vec<i64> = report["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    let cases = viewer.get("/api/v1/cases?limit=10").await.expect(200);
    let mut opened: Vec<&str> = cases.as_array().unwrap().iter().filter_map(|c| c["customer"].as_str()).collect();
    opened.sort();
    // t3's comment mentions the theme too, but arrives 40 days after it was
    // written: history opens no case.
    assert_eq!(opened, ["t1", "t2"], "a theme rule opens a case per fresh mentioning comment: {cases}");
    let listed = viewer.get(&format!("/api/v1/responses?theme={delivery}")).await.expect(200);
    assert_eq!(ids(&listed), [stored[0], stored[1], stored[2]]);

    let r = viewer.get(&format!("/api/v1/text/themes?touchpoint={tp}")).await.expect(200);
    let row = &r["themes"][0];
    assert_eq!(
        (row["name"].as_str(), row["n"].as_i64(), row["previous_n"].as_i64()),
        (Some("Delivery"), Some(2), Some(1)),
        "{r}"
    );
    assert_eq!(row["change_pct"].as_f64(), Some(100.0), "{r}");
    assert!(row["mean_sentiment"].as_f64().is_some(), "{r}");
    viewer.get("/api/v1/text/themes?from=2026-13-01").await.expect_error(422, "invalid", Some("from"));
    viewer.get("/api/v1/text/themes?from=2026-02-01&to=2026-01-01").await.expect_error(422, "invalid", Some("from"));
    let page = viewer.get("/api/v1/themes?limit=1").await.expect(200);
    assert_eq!(page.as_array().map(Vec::len), Some(1), "{page}");
    admin.delete(&format!("/api/v1/themes/{delivery}")).await.expect(204);
    let empty = viewer.get("/api/v1/text/themes").await.expect(200);
    assert_eq!(empty["themes"].as_array().map(Vec::len), Some(0));
}
