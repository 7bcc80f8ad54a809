//! Every question type through the API (B1): a survey with a matrix, a
//! number, a slider, a ranking, a date, short texts, a text block, consent
//! and "other"; answers stored normalised, bad answers refused with the
//! field named and nothing stored, the customer's timeline, the answers
//! table as CSV, and erasure keeping only what is not personal.

use crate::helpers::{id, Client, TestApp};
use rapport_core::role::Role;
use serde_json::{json, Value};

fn l(en: &str, es: &str) -> Value {
    json!({"en": en, "es": es})
}

fn c(key: &str, en: &str, es: &str) -> Value {
    json!({"key": key, "label": l(en, es)})
}

/// A published survey with every new type; its id.
pub(crate) async fn every_type_survey(c_: &Client) -> i64 {
    let stage = id(&c_.post("/api/v1/stages", json!({"name": "Visit"})).await.expect(201));
    let tp = id(&c_.post("/api/v1/touchpoints", json!({"name": "Store", "stage_id": stage})).await.expect(201));
    let survey = json!({
        "touchpoint_id": tp,
        "title": l("Your visit", "Su visita"),
        "questions": [
            {"key": "intro", "type": "text_block", "text": l("<p>Two <b>minutes</b>.</p>", "<p>Dos <b>minutos</b>.</p>")},
            {"key": "nps", "type": "nps", "required": true, "text": l("Recommend us?", "¿Nos recomendaría?")},
            {"key": "aspects", "type": "matrix", "not_applicable": true, "text": l("Rate", "Valore"),
             "rows": [c("staff", "Staff", "Personal"), c("price", "Price", "Precio")]},
            {"key": "visits", "type": "numeric", "min": 0, "max": 365, "text": l("Visits", "Visitas")},
            {"key": "effort", "type": "slider", "min": 0, "max": 10, "step": 0.5, "text": l("Effort", "Esfuerzo")},
            {"key": "order", "type": "ranking", "text": l("Order", "Orden"),
             "choices": [c("speed", "Speed", "Rapidez"), c("price", "Price", "Precio"), c("care", "Care", "Atención")]},
            {"key": "born", "type": "date", "text": l("Birthday", "Cumpleaños")},
            {"key": "where", "type": "multi_text", "text": l("Where", "Dónde"), "rows": [c("city", "City", "Ciudad")]},
            {"key": "heard", "type": "single_choice", "other": true, "text": l("Heard", "Conoció"),
             "choices": [c("friend", "Friend", "Amigo")]},
            {"key": "agree", "type": "consent", "text": l("I agree", "Acepto")},
            {"key": "why_staff", "type": "text", "text": l("What went wrong with staff?", "¿Qué falló con el personal?"),
             "show_if": {"question": "aspects.staff", "op": "lte", "value": 2,
                         "or": {"question": "heard", "op": "any_of", "value": ["other"]}}}
        ]
    });
    let s = c_.post("/api/v1/surveys", survey).await.expect(201);
    let sid = id(&s);
    // Stored as sent, the text block's HTML cleaned.
    assert_eq!(s["questions"][0]["text"]["en"], "<p>Two <b>minutes</b>.</p>");
    assert_eq!(s["questions"][10]["show_if"]["or"]["op"], "any_of");
    c_.post(&format!("/api/v1/surveys/{sid}/publish"), json!({})).await.expect(200);
    sid
}

pub async fn every_type_round_trip(app: TestApp) {
    let org = app.org("types").await;
    let c = app.client(org.id, Role::Admin).await;
    let survey = every_type_survey(&c).await;
    let good = json!({"id": "t1", "survey": survey, "customer": "ana", "at": "2026-03-02T12:00:00Z", "answers": {
        "nps": 3, "aspects": {"staff": 1, "price": "na"}, "visits": "12", "effort": 7.5,
        "order": ["care", "speed", "price"], "born": "1990-02-28", "where": {"city": "Sevilla"},
        "heard": "other", "heard.other": "La radio", "agree": true, "why_staff": "Rude"}});
    c.post("/api/v1/responses", good).await.expect(201);

    // Each bad answer is named, and nothing of the response is stored.
    let bad =
        |answers: Value| json!({"survey": survey, "customer": "bob", "at": "2026-03-02T12:00:00Z", "answers": answers});
    let cases = [
        (json!({"nps": 5, "order": ["care", "care", "price"]}), "answers.order", "duplicate"),
        (json!({"nps": 5, "born": "2026-02-30"}), "answers.born", "invalid_date"),
        (json!({"nps": 5, "visits": 400}), "answers.visits", "out_of_range"),
        (json!({"nps": 5, "effort": 7.25}), "answers.effort", "out_of_range"),
        (json!({"nps": 5, "aspects": {"staff": 6}}), "answers.aspects.staff", "out_of_range"),
        (json!({"nps": 5, "aspects": {"decor": 3}}), "answers.aspects.decor", "unknown_id"),
        (json!({"nps": 5, "heard": "other"}), "answers.heard.other", "required"),
        (json!({"nps": 5, "intro": "x"}), "answers.intro", "unknown_id"),
    ];
    for (answers, field, code) in cases {
        let r = c.post("/api/v1/responses", bad(answers.clone())).await;
        r.expect_error(422, "invalid", Some(field));
        assert_eq!(r.json["error"]["fields"][field]["code"], code, "{answers}: {}", r.text);
    }
    let listed = c.get(&format!("/api/v1/responses?survey={survey}")).await.expect(200);
    assert_eq!(listed["total"], 1, "only the good response: {listed}");
    let stored = &listed["items"][0]["answers"];
    assert_eq!(stored["visits"], 12, "a number sent as text is stored as a number");
    assert_eq!(stored["aspects"], json!({"staff": 1, "price": "na"}));
    assert_eq!(stored["why_staff"], "Rude", "shown because a matrix row was low");

    // Results: each score, matrix row and slider as a mean over time, from
    // the item rollup.
    let second = json!({"id": "t2", "survey": survey, "customer": "bob", "at": "2026-04-10T12:00:00Z",
        "answers": {"nps": 9, "aspects": {"staff": 4, "price": 2}, "effort": 2.5}});
    c.post("/api/v1/responses", second).await.expect(201);
    let r = c.get(&format!("/api/v1/surveys/{survey}/results?from=2026-01-01&to=2026-06-30&interval=month")).await;
    let r = r.expect(200);
    let keys: Vec<&str> = r["items"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["nps", "aspects.staff", "aspects.price", "visits", "effort"]);
    let staff = &r["items"][1];
    assert_eq!((staff["overall"]["n"].as_i64(), staff["overall"]["value"].as_f64()), (Some(2), Some(2.5)), "{staff}");
    assert_eq!(r["items"][2]["overall"]["n"], 1, "N/A is not a point");
    assert_eq!(staff["series"].as_array().unwrap().len(), 6, "a bucket per month, empty ones included");
    assert_eq!(staff["series"][3]["estimate"]["value"], 4.0, "April");
    assert_eq!(r["items"][4]["overall"]["value"], 5.0, "sliders' halves: (7.5 + 2.5) / 2");
    let path = format!("/api/v1/surveys/{survey}/results?from=2016-01-01&to=2026-01-01&interval=day");
    c.get(&path).await.expect_error(422, "invalid", Some("interval"));
    c.get(&format!("/api/v1/surveys/{survey}/results?interval=hourly")).await.expect_error(
        422,
        "invalid",
        Some("interval"),
    );
    c.get("/api/v1/surveys/999999/results").await.expect_error(404, "not_found", None);
    // The document describes these items, not another type of the same name.
    let doc = c.get("/api/openapi.json").await.expect(200);
    let item = doc["components"]["schemas"]["SurveyResults"]["properties"]["items"]["items"]["$ref"].clone();
    let name = item.as_str().and_then(|r| r.rsplit('/').next()).unwrap_or_default().to_string();
    let props = &doc["components"]["schemas"][name.as_str()]["properties"];
    assert!(props["overall"].is_object() && props["series"].is_object(), "{name}: {props}");

    // A draft may ask nothing yet (an import of a file of text only);
    // publishing it, or emptying a published survey, is refused.
    let tp = c.get(&format!("/api/v1/surveys/{survey}")).await.expect(200)["touchpoint_id"].clone();
    let text_only = json!({"touchpoint_id": tp, "title": l("Notes", "Notas"),
        "questions": [{"key": "note", "type": "text_block", "text": l("<p>Soon</p>", "<p>Pronto</p>")}]});
    let draft = id(&c.post("/api/v1/surveys", text_only.clone()).await.expect(201));
    c.post(&format!("/api/v1/surveys/{draft}/publish"), json!({})).await.expect_error(
        422,
        "invalid",
        Some("questions"),
    );
    assert_eq!(c.get(&format!("/api/v1/surveys/{draft}")).await.expect(200)["status"], "draft");
    c.put(&format!("/api/v1/surveys/{survey}"), text_only).await.expect_error(422, "invalid", Some("questions"));
    assert_eq!(c.get(&format!("/api/v1/surveys/{survey}")).await.expect(200)["questions"][1]["key"], "nps");

    // The customer's timeline carries the answers.
    let timeline = c.get("/api/v1/customers/ana/timeline").await.expect(200);
    let entry = timeline["items"].as_array().unwrap().iter().find(|e| e["kind"] == "response").expect("a response");
    assert_eq!(entry["answers"]["order"], json!(["care", "speed", "price"]), "{entry}");

    // The answers table: a column per row, item and "other" text, in order.
    let csv = c.get(&format!("/api/v1/surveys/{survey}/answers.csv")).await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let mut lines = csv.text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "response_id,at,customer,channel,language,comment,nps,aspects.staff,aspects.price,visits,effort,\
         order.speed,order.price,order.care,born,where.city,heard,heard.other,agree,why_staff"
    );
    let newest = lines.next().unwrap();
    assert!(newest.contains(",bob,"), "{newest}");
    let row = lines.next().unwrap();
    assert!(row.ends_with(",ana,,en,,3,1,na,12,7.5,2,3,1,1990-02-28,Sevilla,other,La radio,true,Rude"), "{row}");
    assert!(lines.next().is_none());
    let other = app.org("types-other").await;
    let stranger = app.client(other.id, Role::Admin).await;
    assert_eq!(stranger.get(&format!("/api/v1/surveys/{survey}/answers.csv")).await.status, 404);

    // Erasure keeps the numbers, the points and the order; not the date,
    // the typed fields or the "other" text.
    c.delete("/api/v1/customers/ana").await.expect(204);
    let listed = c.get(&format!("/api/v1/responses?survey={survey}")).await.expect(200);
    // Newest first: bob's, then ana's.
    let ana = &listed["items"][1];
    let kept = ana["answers"].as_object().unwrap();
    let mut keys: Vec<&str> = kept.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["agree", "aspects", "effort", "heard", "nps", "order", "visits"], "{kept:?}");
}
