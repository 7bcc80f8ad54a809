//! The API of the 20-question diagnostic (F2), on both backends: the
//! questions in English (the seed's words) and Spanish, a round answered by
//! three people and scored, the 422s naming their fields, a closed round
//! refusing answers (409), the trend over two rounds, another organization
//! seeing nothing.

use crate::helpers::{id, TestApp};
use rapport_core::role::Role;
use serde_json::{json, Value};

const SEED: &str = include_str!("../fixtures/diagnostic_questions_seed_002.txt");

fn answers(scores: &[i64]) -> Value {
    let list: Vec<Value> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| json!({"question": format!("q{}", i + 1), "score": s, "comment": format!("about q{}", i + 1)}))
        .collect();
    json!({ "answers": list })
}

fn near(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("a number, got {v}"));
    assert!((got - want).abs() < 1e-9, "{got} != {want}");
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

pub async fn diagnostic_api(app: TestApp) {
    let org = app.org("diagnostic").await;
    let admin = app.client(org.id, Role::Admin).await;
    let viewer = app.client(org.id, Role::Viewer).await;

    // The questions: the seed's words in English, all twenty in Spanish.
    let en = viewer.get("/api/v1/diagnostic/questions?lang=en").await.expect(200);
    let texts: Vec<&str> = en["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["questions"].as_array().unwrap().iter().map(|q| q["text"].as_str().unwrap()))
        .collect();
    let seed: Vec<&str> = SEED.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    assert_eq!(texts, seed);
    assert_eq!(en["areas"][2]["area"], "customers");
    assert_eq!(en["areas"][2]["questions"][3]["text"], "Have you mapped all your customer touchpoints?");
    let es = viewer.get("/api/v1/diagnostic/questions?lang=es").await.expect(200);
    assert_eq!((es["lang"].as_str(), es["areas"][0]["name"].as_str()), (Some("es"), Some("Personal")));
    assert_eq!(es["areas"][2]["questions"][3]["text"], "¿Ha mapeado todos sus puntos de contacto con el cliente?");
    let es_count =
        es["areas"].as_array().unwrap().iter().map(|a| a["questions"].as_array().unwrap().len()).sum::<usize>();
    assert_eq!(es_count, 20);
    viewer.get("/api/v1/diagnostic/questions?lang=fr").await.expect_error(422, "invalid", Some("lang"));

    // Opening rounds: EditPlan only, fields checked.
    viewer.post("/api/v1/diagnostic/rounds", json!({"name": "Q1"})).await.expect(403);
    admin.post("/api/v1/diagnostic/rounds", json!({"opened_on": "2026-01-05"})).await.expect_error(
        422,
        "invalid",
        Some("name"),
    );
    admin.post("/api/v1/diagnostic/rounds", json!({"name": "Old", "opened_on": "0001-01-01"})).await.expect_error(
        422,
        "invalid",
        Some("opened_on"),
    );
    let q1 = id(&admin
        .post("/api/v1/diagnostic/rounds", json!({"name": "Q1", "opened_on": "2026-01-05"}))
        .await
        .expect(201));
    let q2 = id(&admin
        .post("/api/v1/diagnostic/rounds", json!({"name": "Q2", "opened_on": "2026-04-06"}))
        .await
        .expect(201));

    // Three people answer.
    let mut people = Vec::new();
    for name in ["Ana", "Ben", "Carla"] {
        let p = admin
            .post("/api/v1/people", json!({"name": name, "email": format!("{name}@diagnostic.test")}))
            .await
            .expect(201);
        people.push(app.person_client(org.id, id(&p), Role::Agent).await);
    }
    let raw: [[i64; 20]; 3] = [
        [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5],
        [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
        [5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 4, 4, 4, 4, 4, 2, 2, 2, 2, 2],
    ];
    for (c, scores) in people.iter().zip(&raw) {
        let mine = c.put(&format!("/api/v1/diagnostic/rounds/{q1}/answers"), answers(scores)).await.expect(200);
        assert_eq!(mine.as_array().unwrap().len(), 20);
    }
    // Changing one answer (Ana's q1 from 1 to 2) replaces it.
    let change = json!({"answers": [{"question": "q1", "score": 2}]});
    let mine = people[0].put(&format!("/api/v1/diagnostic/rounds/{q1}/answers"), change).await.expect(200);
    let q1_answer = mine.as_array().unwrap().iter().find(|a| a["question"] == "q1").unwrap().clone();
    assert_eq!((q1_answer["score"].as_i64(), q1_answer["comment"].as_str()), (Some(2), None));
    let mut raw = raw;
    raw[0][0] = 2;

    // Bad answers name their fields.
    let url = format!("/api/v1/diagnostic/rounds/{q1}/answers");
    let mut bad = answers(&[3, 3, 3, 3]);
    bad["answers"][3]["score"] = json!(6);
    people[1].put(&url, bad).await.expect_error(422, "invalid", Some("answers[3].score"));
    let mut bad = answers(&[3]);
    bad["answers"][0]["question"] = json!("q21");
    people[1].put(&url, bad).await.expect_error(422, "invalid", Some("answers[0].question"));
    let mut bad = answers(&[3]);
    bad["answers"][0]["comment"] = json!("x".repeat(1001));
    people[1].put(&url, bad).await.expect_error(422, "invalid", Some("answers[0].comment"));
    people[1].put(&url, json!({"answers": []})).await.expect_error(422, "invalid", Some("answers"));
    people[1].put(&url, json!({"answers": [{"question": "q1", "score": "five"}]})).await.expect(422);
    // A token acts for no person: it names one, or is refused.
    admin.put(&url, answers(&[3])).await.expect_error(422, "invalid", Some("person_id"));
    viewer.put(&url, answers(&[3])).await.expect(403);

    // The scores, recomputed here from the raw answers.
    let round = viewer.get(&format!("/api/v1/diagnostic/rounds/{q1}")).await.expect(200);
    let s = &round["scores"];
    assert_eq!(s["answerers"], 3);
    let q_mean = |i: usize| mean(&(0..3).map(|p| raw[p][i] as f64).collect::<Vec<_>>());
    let area_means: Vec<f64> = (0..4).map(|a| mean(&(a * 5..a * 5 + 5).map(q_mean).collect::<Vec<_>>())).collect();
    for (a, m) in area_means.iter().enumerate() {
        near(&s["areas"][a]["mean"], *m);
        near(&s["areas"][a]["percent"], m / 5.0 * 100.0);
    }
    near(&s["overall"], mean(&area_means));
    // q1: 2, 3, 5 → range 3, disagreement; population SD.
    let q1s = &s["questions"][0];
    near(&q1s["mean"], 10.0 / 3.0);
    let sd =
        (((2.0f64 - 10.0 / 3.0).powi(2) + (3.0f64 - 10.0 / 3.0).powi(2) + (5.0f64 - 10.0 / 3.0).powi(2)) / 3.0).sqrt();
    near(&q1s["spread"]["sd"], sd);
    assert_eq!((q1s["answered"].as_i64(), q1s["disagree"].as_bool()), (Some(3), Some(true)));
    // q12: 2, 3, 4 → range 2: disagreement; q11: 1, 3, 4 → range 3.
    assert_eq!(s["questions"][11]["disagree"], true);
    assert!(round["suggestions"].as_array().unwrap().iter().any(|x| x["question"] == "q15"), "{round}");
    let all = viewer.get(&format!("/api/v1/diagnostic/rounds/{q1}/answers?limit=500")).await.expect(200);
    assert_eq!(all.as_array().unwrap().len(), 60);

    // Round 2, answered all 4s by one person: the trend's deltas.
    people[2].put(&format!("/api/v1/diagnostic/rounds/{q2}/answers"), answers(&[4; 20])).await.expect(200);
    let list = viewer.get("/api/v1/diagnostic/rounds").await.expect(200);
    assert_eq!(list[0]["id"].as_i64(), Some(q2));
    near(&list[0]["overall"], 4.0);
    near(&list[0]["overall_delta"], 4.0 - mean(&area_means));
    near(&list[0]["areas"][3]["delta"], 4.0 - area_means[3]);
    assert!(list[1]["overall_delta"].is_null());

    // Closing freezes the round.
    people[0].post(&format!("/api/v1/diagnostic/rounds/{q1}/close"), json!({})).await.expect(403);
    let closed = admin.post(&format!("/api/v1/diagnostic/rounds/{q1}/close"), json!({})).await.expect(200);
    assert!(closed["closed_at"].is_string());
    people[1].put(&url, answers(&[1])).await.expect_error(409, "conflict", Some("round"));
    admin.post(&format!("/api/v1/diagnostic/rounds/{q1}/close"), json!({})).await.expect(409);

    // Another organization sees nothing.
    let other = app.org("diagnostic-other").await;
    let stranger = app.client(other.id, Role::Admin).await;
    stranger.get(&format!("/api/v1/diagnostic/rounds/{q2}")).await.expect(404);
    stranger.get(&format!("/api/v1/diagnostic/rounds/{q2}/answers")).await.expect(404);
    stranger.post(&format!("/api/v1/diagnostic/rounds/{q2}/close"), json!({})).await.expect(404);
    let body = json!({"person_id": 1, "answers": [{"question": "q1", "score": 3}]});
    stranger.put(&format!("/api/v1/diagnostic/rounds/{q2}/answers"), body).await.expect(404);
    assert_eq!(stranger.get("/api/v1/diagnostic/rounds").await.expect(200), json!([]));
    viewer.get("/api/v1/diagnostic/rounds/999999").await.expect(404);
}
