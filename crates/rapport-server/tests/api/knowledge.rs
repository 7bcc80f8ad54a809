//! The API of knowledge (E. People), on both backends: a leader writes
//! articles, a case suggests the one linked to its root cause first, an
//! agent opens it (a use) and marks it; versions, search in both languages,
//! CSV, refusals naming the field, and other organizations' rows are 404.

use crate::helpers::{id, TestApp};
use rapport_core::role::Role;
use serde_json::json;

pub async fn knowledge_api(app: TestApp) {
    let org = app.org("kb").await;
    let leader = app.client(org.id, Role::Leader).await;
    let member = app.client(org.id, Role::Member).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let stranger = app.client(app.org("kb-other").await.id, Role::Admin).await;

    let stage = id(&leader.post("/api/v1/stages", json!({"name": "Buy"})).await.expect(201));
    let tp = id(&leader.post("/api/v1/touchpoints", json!({"name": "Delivery", "stage_id": stage})).await.expect(201));
    let cause = id(&leader.post("/api/v1/root-causes", json!({"name": "Late courier"})).await.expect(201));
    let rule = json!({"name": "Detractors", "kind": "score", "scale": "nps", "at_most": 6});
    let rule = id(&leader.post("/api/v1/case-rules", rule).await.expect(201));

    // Writing: leaders (WriteLearning); members and viewers may not.
    let courier = json!({"kind": "procedure", "title_en": "Late courier", "body_en": "1. Apologise\n2. **Refund** the shipping\n\n![Label](/media/4)",
        "title_es": "Mensajero tarde", "body_es": "1. Disculparse\n2. Reembolsar el envío",
        "root_cause_ids": [cause], "touchpoint_ids": [tp], "case_rule_ids": [rule]});
    member.post("/api/v1/knowledge", courier.clone()).await.expect_error(403, "forbidden", None);
    viewer.post("/api/v1/knowledge", courier.clone()).await.expect_error(403, "forbidden", None);
    let a = leader.post("/api/v1/knowledge", courier.clone()).await.expect(201);
    let courier_id = id(&a);
    assert_eq!((a["version"].as_i64(), a["kind"].as_str()), (Some(1), Some("procedure")));
    assert_eq!(a["root_cause_ids"], json!([cause]));
    let faq = json!({"kind": "faq", "title_en": "Refunds", "body_en": "Paid within 5 days."});
    let faq_id = id(&leader.post("/api/v1/knowledge", faq).await.expect(201));

    // Bad input: 422 naming the field, nothing written.
    leader.post("/api/v1/knowledge", json!({"kind": "memo", "title_en": "x", "body_en": "y"})).await.expect_error(
        422,
        "invalid",
        Some("kind"),
    );
    leader.post("/api/v1/knowledge", json!({"kind": "faq"})).await.expect_error(422, "invalid", Some("title_en"));
    leader.post("/api/v1/knowledge", json!({"kind": "faq", "title_es": "Hola"})).await.expect_error(
        422,
        "invalid",
        Some("body_es"),
    );
    let foreign = json!({"kind": "faq", "title_en": "x", "body_en": "y", "touchpoint_ids": [tp, 999_999]});
    leader.post("/api/v1/knowledge", foreign).await.expect_error(422, "invalid", Some("touchpoint_ids[1]"));
    leader.get("/api/v1/knowledge?kind=memo").await.expect_error(422, "invalid", Some("kind"));
    leader.get("/api/v1/knowledge?touchpoint=abc").await.expect_error(422, "invalid", Some("touchpoint"));
    leader.get(&format!("/api/v1/knowledge?q={}", "a".repeat(201))).await.expect_error(422, "invalid", Some("q"));
    assert_eq!(leader.get("/api/v1/knowledge").await.expect(200).as_array().unwrap().len(), 2);

    // Search in both languages, accents folded.
    let found = viewer.get("/api/v1/knowledge?q=reembolso").await.expect(200);
    assert_eq!(found.as_array().unwrap().iter().map(id).collect::<Vec<_>>(), vec![courier_id]);
    let found = viewer.get("/api/v1/knowledge?q=refunds").await.expect(200);
    assert_eq!(found[0]["id"].as_i64(), Some(faq_id), "the title match first");
    assert_eq!(found.as_array().unwrap().len(), 2);
    assert_eq!(viewer.get("/api/v1/knowledge?q=envio").await.expect(200)[0]["id"].as_i64(), Some(courier_id));
    let by_kind = viewer.get(&format!("/api/v1/knowledge?kind=faq&touchpoint={tp}")).await.expect(200);
    assert!(by_kind.as_array().unwrap().is_empty());
    // Paged: one at a time, the cursor gives the next.
    let page = viewer.get("/api/v1/knowledge?limit=1").await;
    assert_eq!(page.status, 200);
    let next = page.next.clone().expect("a next page");
    let second = viewer.get(&next).await.expect(200);
    assert_eq!(second.as_array().unwrap().len(), 1);
    assert_ne!(second[0]["id"], page.json[0]["id"]);

    // A case with the root cause suggests the article first.
    leader.post("/api/v1/customers", json!({"external_id": "kb-c1", "name": "Kim"})).await.expect(201);
    let case = json!({"customer": "kb-c1", "touchpoint_id": tp, "title": "Where is my refund?"});
    let case = id(&leader.post("/api/v1/cases", case).await.expect(201));
    let before = viewer.get(&format!("/api/v1/cases/{case}/articles")).await.expect(200);
    assert_eq!(before[0]["article"]["id"].as_i64(), Some(courier_id), "the touchpoint's article: {before}");
    assert_eq!(before[0]["touchpoint_id"].as_i64(), Some(tp));
    assert_eq!(before[1]["article"]["id"].as_i64(), Some(faq_id), "matches the customer's words: {before}");
    assert_eq!(before[1]["matched"], json!(["refund"]));
    for (step, mut body) in [
        ("respond", json!({})),
        ("empathize", json!({})),
        ("seek", json!({})),
        ("open", json!({"proposal": "refund"})),
        ("listen", json!({})),
        ("verify", json!({"agreed": true})),
        ("eliminate", json!({"action": "new courier"})),
        ("document", json!({"root_cause_id": cause, "root_cause_note": "courier"})),
    ] {
        body["step"] = json!(step);
        leader.post(&format!("/api/v1/cases/{case}/steps"), body).await.expect(200);
    }
    let after = viewer.get(&format!("/api/v1/cases/{case}/articles")).await.expect(200);
    assert_eq!(after[0]["article"]["id"].as_i64(), Some(courier_id));
    assert_eq!(after[0]["root_cause_id"].as_i64(), Some(cause));
    stranger.get(&format!("/api/v1/cases/{case}/articles")).await.expect_error(404, "not_found", None);

    // Opened from the case: a use.
    member.get(&format!("/api/v1/knowledge/{courier_id}?case={case}")).await.expect(200);
    assert_eq!(member.get(&format!("/api/v1/knowledge/{courier_id}")).await.expect(200)["uses"].as_i64(), Some(1));

    // Marks: members (Contribute), not viewers; one per account.
    let helpful = json!({"mark": "helpful"});
    viewer.put(&format!("/api/v1/knowledge/{courier_id}/mark"), helpful.clone()).await.expect_error(
        403,
        "forbidden",
        None,
    );
    let m = member.put(&format!("/api/v1/knowledge/{courier_id}/mark"), helpful.clone()).await.expect(200);
    assert_eq!((m["helpful"].as_i64(), m["outdated"].as_i64()), (Some(1), Some(0)));
    let outdated = json!({"mark": "outdated", "note": "The courier changed"});
    let m = member.put(&format!("/api/v1/knowledge/{courier_id}/mark"), outdated).await.expect(200);
    assert_eq!((m["helpful"].as_i64(), m["outdated"].as_i64()), (Some(0), Some(1)));
    assert_eq!(m["mark"]["note"], "The courier changed");
    member
        .put(&format!("/api/v1/knowledge/{courier_id}/mark"), json!({"mark": "helpful", "note": "x"}))
        .await
        .expect_error(422, "invalid", Some("note"));
    member.put(&format!("/api/v1/knowledge/{courier_id}/mark"), json!({"mark": "wow"})).await.expect_error(
        422,
        "invalid",
        Some("mark"),
    );

    // A new version: the history, the old version, the outdated state cleared.
    let v2 = json!({"kind": "procedure", "title_en": "Late courier", "body_en": "1. Apologise\n2. Refund in full",
        "root_cause_ids": [cause]});
    member.put(&format!("/api/v1/knowledge/{courier_id}"), v2.clone()).await.expect_error(403, "forbidden", None);
    let a = leader.put(&format!("/api/v1/knowledge/{courier_id}"), v2.clone()).await.expect(200);
    assert_eq!((a["version"].as_i64(), a["outdated"].as_i64(), a["es"].is_null()), (Some(2), Some(0), true));
    let history = viewer.get(&format!("/api/v1/knowledge/{courier_id}/versions")).await.expect(200);
    assert_eq!(history.as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect::<Vec<_>>(), [2, 1]);
    let old = viewer.get(&format!("/api/v1/knowledge/{courier_id}?version=1")).await.expect(200);
    assert_eq!((old["version"].as_i64(), old["current_version"].as_i64()), (Some(1), Some(2)));
    assert_eq!(old["es"]["title"], "Mensajero tarde");
    viewer.get(&format!("/api/v1/knowledge/{courier_id}?version=9")).await.expect_error(404, "not_found", None);

    // CSV of the list.
    let csv = viewer.get("/api/v1/knowledge?format=csv").await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines.len(), 3, "{}", csv.text);
    assert!(lines[0].contains("title_en") && lines[0].contains("helpful"), "{}", lines[0]);

    // Archive: out of the list, no more edits.
    member.post(&format!("/api/v1/knowledge/{faq_id}/archive"), json!({})).await.expect_error(403, "forbidden", None);
    let a = leader.post(&format!("/api/v1/knowledge/{faq_id}/archive"), json!({})).await.expect(200);
    assert!(a["archived_at"].is_string());
    assert_eq!(viewer.get("/api/v1/knowledge").await.expect(200).as_array().unwrap().len(), 1);
    assert_eq!(viewer.get("/api/v1/knowledge?archived=true").await.expect(200)[0]["id"].as_i64(), Some(faq_id));
    let faq2 = json!({"kind": "faq", "title_en": "Refunds", "body_en": "Paid."});
    leader.put(&format!("/api/v1/knowledge/{faq_id}"), faq2).await.expect_error(409, "conflict", Some("id"));

    // Other organizations: 404, and their lists are empty.
    stranger.get(&format!("/api/v1/knowledge/{courier_id}")).await.expect_error(404, "not_found", None);
    stranger.put(&format!("/api/v1/knowledge/{courier_id}"), v2).await.expect_error(404, "not_found", None);
    stranger.put(&format!("/api/v1/knowledge/{courier_id}/mark"), helpful).await.expect_error(404, "not_found", None);
    stranger.get(&format!("/api/v1/knowledge/{courier_id}/versions")).await.expect_error(404, "not_found", None);
    assert!(stranger.get("/api/v1/knowledge?q=courier").await.expect(200).as_array().unwrap().is_empty());
}
