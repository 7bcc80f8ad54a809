//! The API of survey sharing, on both backends: the QR code of the
//! anonymous link (SVG), the share snippets, the Spanish texts an import
//! left in English (gone once translated), reordering and copying questions
//! (422 naming the field; skip logic kept valid), the builder's preview for
//! editors only, and other organizations' surveys are 404.

use crate::helpers::{id, nps_question, TestApp};
use rapport_core::role::Role;
use serde_json::{json, Value};

fn keys(survey: &Value) -> Vec<&str> {
    survey["questions"].as_array().unwrap().iter().map(|q| q["key"].as_str().unwrap()).collect()
}

fn gaps(list: &Value) -> Vec<(&str, &str)> {
    list.as_array().unwrap().iter().map(|g| (g["path"].as_str().unwrap(), g["kind"].as_str().unwrap())).collect()
}

pub async fn survey_sharing_api(app: TestApp) {
    let org = app.org("share").await;
    let leader = app.client(org.id, Role::Leader).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let stranger = app.client(app.org("share-other").await.id, Role::Admin).await;
    let stage = id(&leader.post("/api/v1/stages", json!({"name": "Buy"})).await.expect(201));
    let tp = id(&leader.post("/api/v1/touchpoints", json!({"name": "Delivery", "stage_id": stage})).await.expect(201));

    // An English-only file: the import copies the English into Spanish.
    let source = json!({
        "title": "Delivery",
        "pages": [{"name": "p1", "elements": [
            {"type": "rating", "name": "nps", "title": {"default": "Recommend us?", "es": "¿Nos recomendarías?"}, "rateMin": 0, "rateMax": 10},
            {"type": "radiogroup", "name": "speed", "title": "Was it fast?", "choices": ["yes", "no", "partly"],
             "visibleIf": "{nps} <= 6"},
            {"type": "comment", "name": "why", "title": {"default": "Why?", "es": "¿Por qué?"}}
        ]}]
    })
    .to_string();
    let imported = leader
        .post("/api/v1/surveys/import", json!({"touchpoint_id": tp, "format": "surveyjs", "source": source}))
        .await
        .expect(201);
    let survey = &imported["survey"];
    let sid = id(survey);
    assert_eq!(keys(survey), ["nps", "speed", "why"]);
    assert_eq!(survey["questions"][1]["show_if"]["question"], "nps", "{survey}");

    // The gaps: the title, the question and its long choice (not "yes"/"no").
    let path = format!("/api/v1/surveys/{sid}/translations");
    let list = viewer.get(&path).await.expect(200);
    assert_eq!(
        gaps(&list),
        [
            ("title", "same_as_english"),
            ("questions[1].text", "same_as_english"),
            ("questions[1].choices[2].label", "same_as_english")
        ],
        "{list}"
    );
    assert_eq!((list[1]["question_key"].as_str(), list[1]["english"].as_str()), (Some("speed"), Some("Was it fast?")));
    // Paged like every list.
    let first = viewer.get(&format!("{path}?limit=2")).await;
    assert_eq!(first.status, 200);
    let rest = viewer.get(first.next.as_deref().expect("a next page")).await.expect(200);
    assert_eq!(gaps(&rest), [("questions[1].choices[2].label", "same_as_english")]);
    viewer.get(&format!("{path}?limit=0")).await.expect_error(422, "invalid", Some("limit"));

    // Translating the title removes its gap.
    let mut fixed = survey.clone();
    fixed["title"]["es"] = json!("Entrega");
    let fixed = json!({"touchpoint_id": tp, "title": fixed["title"], "intro": fixed["intro"],
        "questions": fixed["questions"], "fatigue_days": fixed["fatigue_days"]});
    leader.put(&format!("/api/v1/surveys/{sid}"), fixed).await.expect(200);
    let list = viewer.get(&path).await.expect(200);
    assert_eq!(gaps(&list).len(), 2, "{list}");
    assert!(gaps(&list).iter().all(|(p, _)| *p != "title"));

    // QR code: an SVG document of the link, cacheable.
    let qr = viewer.open_stream(&format!("/api/v1/surveys/{sid}/qr.svg")).await;
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.headers()["cache-control"].to_str().unwrap().contains("max-age"));
    let svg = qr.text().await.unwrap();
    let root = svg.trim_start_matches(|c| c != '>').trim_start_matches('>');
    assert!(svg.starts_with("<?xml") && root.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
    assert!(root.ends_with("</svg>") && root.contains("<path"), "{svg}");
    assert_eq!(viewer.open_stream("/api/v1/surveys/999999/qr.svg").await.status(), 404);
    assert_eq!(stranger.open_stream(&format!("/api/v1/surveys/{sid}/qr.svg")).await.status(), 404);

    // Share: the link, the embed HTML (framable page), the QR code.
    let share = viewer.get(&format!("/api/v1/surveys/{sid}/share")).await.expect(200);
    let link = share["link"].as_str().unwrap();
    assert!(link.starts_with("http://") && link.ends_with(&format!("/s/{}", survey["token"].as_str().unwrap())));
    assert!(share["embed_html"].as_str().unwrap().starts_with(&format!("<iframe src=\"{link}?embed=1\"")), "{share}");
    assert!(share["qr_url"].as_str().unwrap().ends_with(&format!("/api/v1/surveys/{sid}/qr.svg")));
    assert!(share["qr_html"].as_str().unwrap().contains("<img"));
    assert_eq!(share["link_html"], json!(format!("<a href=\"{link}\">Delivery</a>")));
    stranger.get(&format!("/api/v1/surveys/{sid}/share")).await.expect_error(404, "not_found", None);

    // Reorder: every key once; a condition never before its question.
    let order = format!("/api/v1/surveys/{sid}/questions/order");
    viewer.post(&order, json!({"keys": ["why", "nps", "speed"]})).await.expect_error(403, "forbidden", None);
    let moved = leader.post(&order, json!({"keys": ["why", "nps", "speed"]})).await.expect(200);
    assert_eq!(keys(&moved), ["why", "nps", "speed"]);
    leader.post(&order, json!({"keys": ["speed", "nps", "why"]})).await.expect_error(422, "invalid", Some("keys[0]"));
    leader.post(&order, json!({"keys": ["why", "nps", "nope"]})).await.expect_error(422, "invalid", Some("keys[2]"));
    leader.post(&order, json!({"keys": ["why", "nps", "nps"]})).await.expect_error(422, "invalid", Some("keys[2]"));
    leader.post(&order, json!({"keys": ["why", "nps"]})).await.expect_error(422, "invalid", Some("keys"));
    leader.post(&order, json!({})).await.expect_error(422, "invalid", Some("keys"));
    stranger.post(&order, json!({"keys": ["why", "nps", "speed"]})).await.expect_error(404, "not_found", None);
    let kept = leader.get(&format!("/api/v1/surveys/{sid}")).await.expect(200);
    assert_eq!(keys(&kept), ["why", "nps", "speed"], "nothing written by the refusals");

    // Duplicate: right after, under a new key, its condition kept.
    let dup = format!("/api/v1/surveys/{sid}/questions/duplicate");
    viewer.post(&dup, json!({"key": "speed"})).await.expect_error(403, "forbidden", None);
    let copied = leader.post(&dup, json!({"key": "speed"})).await.expect(200);
    assert_eq!(keys(&copied), ["why", "nps", "speed", "speed_copy"]);
    assert_eq!(copied["questions"][3]["show_if"], copied["questions"][2]["show_if"]);
    assert_eq!(copied["questions"][3]["text"], copied["questions"][2]["text"]);
    let again = leader.post(&dup, json!({"key": "speed"})).await.expect(200);
    assert_eq!(keys(&again), ["why", "nps", "speed", "speed_copy2", "speed_copy"]);
    leader.post(&dup, json!({"key": "nope"})).await.expect_error(422, "invalid", Some("key"));
    leader.post(&dup, json!({})).await.expect_error(422, "invalid", Some("key"));
    // The copy's texts are listed too.
    let list = viewer.get(&path).await.expect(200);
    assert!(gaps(&list).contains(&("questions[3].text", "same_as_english")), "{list}");

    // The builder's preview: for those who edit surveys, drafts included.
    let person = |name: &str| json!({"name": name, "email": format!("{name}@share.example")});
    let ana = id(&leader.post("/api/v1/people", person("ana")).await.expect(201));
    let ben = id(&leader.post("/api/v1/people", person("ben")).await.expect(201));
    let editor = app.person_client(org.id, ana, Role::Leader).await;
    let reader = app.person_client(org.id, ben, Role::Viewer).await;
    let preview = format!("/surveys/{sid}/preview?lang=es");
    let shown = editor.open_stream(&preview).await;
    assert_eq!(shown.status(), 200);
    assert!(shown.text().await.unwrap().contains("¿Nos recomendarías?"));
    assert_eq!(reader.open_stream(&preview).await.status(), 403);
    // Another organization's survey is not found, nor previewed.
    let stage = id(&stranger.post("/api/v1/stages", json!({"name": "Buy"})).await.expect(201));
    let their_tp =
        id(&stranger.post("/api/v1/touchpoints", json!({"name": "Shop", "stage_id": stage})).await.expect(201));
    let theirs =
        json!({"touchpoint_id": their_tp, "title": {"en": "Theirs", "es": "Suya"}, "questions": [nps_question()]});
    let theirs = id(&stranger.post("/api/v1/surveys", theirs).await.expect(201));
    assert_eq!(editor.open_stream(&format!("/surveys/{theirs}/preview")).await.status(), 404);
    viewer.get(&format!("/api/v1/surveys/{theirs}/translations")).await.expect_error(404, "not_found", None);
    leader.post(&format!("/api/v1/surveys/{theirs}/questions/duplicate"), json!({"key": "nps"})).await.expect_error(
        404,
        "not_found",
        None,
    );
}
