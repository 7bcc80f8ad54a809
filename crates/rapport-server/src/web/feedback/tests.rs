use super::super::test_support::{in_lang, TestApp};
use axum::http::StatusCode;

/// Three responses at the test touchpoint, early in March 2026: an angry
/// one, a delighted one and one without a comment.
async fn feedback(t: &TestApp) {
    feedback_on(t, ["2026-03-01T10:00:00Z", "2026-03-02T10:00:00Z", "2026-03-03T10:00:00Z"].map(String::from)).await
}

/// The same three responses on the last three days: fresh enough to open
/// cases (`rapport_core::case::trigger::follow_up_fresh`).
async fn fresh_feedback(t: &TestApp) {
    feedback_on(t, [3, 2, 1].map(|ago| (chrono::Utc::now() - chrono::Duration::days(ago)).to_rfc3339())).await
}

async fn feedback_on(t: &TestApp, at: [String; 3]) {
    let tp = t.ids.touchpoint;
    let items = [
        serde_json::json!({"touchpoint": tp, "customer": "c-1", "at": at[0],
            "comment": "¡Una ESTAFA! Nunca más compro aquí, me voy a la competencia!!!"}),
        serde_json::json!({"touchpoint": tp, "customer": "c-2", "at": at[1],
            "comment": "Wow, Lucía was amazing. Best service ever, thank you!"}),
        serde_json::json!({"touchpoint": tp, "customer": "c-3", "at": at[2], "channel": "web"}),
    ];
    let items = items.into_iter().enumerate().map(|(i, v)| (i, Ok(serde_json::from_value(v).unwrap()))).collect();
    let rep = crate::ingest::responses(t.store.as_ref(), t.org.id, items).await.unwrap();
    assert_eq!(rep.accepted, 3, "{rep:?}");
}

fn response_ids(body: &str) -> Vec<i64> {
    body.split("id=\"response-").skip(1).map(|r| r.split('"').next().unwrap().parse().unwrap()).collect()
}

#[tokio::test]
async fn the_inbox_lists_and_filters_by_tone_and_flag() {
    let t = TestApp::new().await;
    feedback(&t).await;
    let all = t.get("/feedback", &t.viewer).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(response_ids(&all.body).len(), 3, "{}", all.body);
    assert!(all.body.contains("id=\"nav-feedback\" href=\"/feedback\" aria-current=\"page\""), "{}", all.body);
    let angry = t.get("/feedback?flag=anger", &in_lang(&t.viewer, "es")).await;
    assert_eq!(angry.status, StatusCode::OK, "{}", angry.body);
    assert_eq!(response_ids(&angry.body).len(), 1, "{}", angry.body);
    assert!(angry.body.contains("ESTAFA") && angry.body.contains("Enfado"), "{}", angry.body);
    let wow = t.get("/feedback?flag=wow", &t.viewer).await;
    assert!(wow.body.contains("Lucía was amazing") && !wow.body.contains("ESTAFA"), "{}", wow.body);
    let positive = t.get("/feedback?sentiment=positive", &t.viewer).await;
    assert_eq!(response_ids(&positive.body).len(), 1, "{}", positive.body);
    let commented = t.get("/feedback?has_comment=true", &t.viewer).await;
    assert_eq!(response_ids(&commented.body).len(), 2, "{}", commented.body);
    let spanish = t.get("/feedback?language=es", &t.viewer).await;
    assert_eq!(response_ids(&spanish.body).len(), 1, "the language was detected: {}", spanish.body);
    let found = t.get("/feedback?q=estafas&has_comment=true", &t.viewer).await;
    assert_eq!(response_ids(&found.body).len(), 1, "{}", found.body);
    assert!(found.body.contains("value=\"estafas\""), "the search is kept: {}", found.body);
    let bad = t.get("/feedback?sentiment=furious&from=yesterday", &t.viewer).await;
    assert_eq!(bad.status, StatusCode::OK, "a bad filter is shown, not an error page");
    assert!(bad.body.contains("field-error"), "{}", bad.body);
}

#[tokio::test]
async fn the_inbox_pages_by_cursor_with_its_filters() {
    let t = TestApp::new().await;
    let items = (0..30)
        .map(|i| {
            let v = serde_json::json!({"touchpoint": t.ids.touchpoint, "customer": format!("p-{i}"),
                "at": format!("2026-04-{:02}T10:00:00Z", i % 28 + 1), "comment": "Great, thanks"});
            (i, Ok(serde_json::from_value(v).unwrap()))
        })
        .collect();
    crate::ingest::responses(t.store.as_ref(), t.org.id, items).await.unwrap();
    let first = t.get("/feedback?sentiment=positive", &t.admin).await;
    let mut seen = response_ids(&first.body);
    assert_eq!(seen.len(), 25);
    let at = first.body.find("id=\"feedback-next\"").expect("a next link");
    let href = first.body[at..].split("href=\"").nth(1).unwrap().split('"').next().unwrap();
    let href = href.replace("&amp;", "&").replace("&#x2f;", "/");
    assert!(href.contains("sentiment=positive"), "{href}");
    let second = t.get(&href, &t.admin).await;
    seen.extend(response_ids(&second.body));
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 30, "every response once");
    assert!(!second.body.contains("id=\"feedback-next\""));
}

#[tokio::test]
async fn a_response_shows_its_sentences_and_opens_a_case() {
    let t = TestApp::new().await;
    feedback(&t).await;
    let angry = t.get("/feedback?flag=anger", &t.admin).await;
    let id = response_ids(&angry.body)[0];
    let page = t.get(&format!("/feedback/{id}"), &in_lang(&t.admin, "es")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("sentence sentence-negative"), "{}", page.body);
    assert!(page.body.contains("id=\"feedback-anger\""), "{}", page.body);
    assert!(page.body.contains("/customers/c-1"), "{}", page.body);
    let opened =
        t.post(&format!("/feedback/{id}/case"), &t.admin, &[("title", "Cliente enfadado"), ("note", "")]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let case = opened.location.unwrap();
    assert!(case.starts_with("/cases/"), "{case}");
    let shown = t.get(&case, &t.admin).await;
    assert!(shown.body.contains("Cliente enfadado") && shown.body.contains("ESTAFA"), "the comment is its note");
    let again = t.get(&format!("/feedback/{id}"), &t.admin).await;
    assert!(again.body.contains("Cliente enfadado"), "the case is listed: {}", again.body);
    let refused = t.post(&format!("/feedback/{id}/case"), &t.viewer, &[("title", "x")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let empty = t.post(&format!("/feedback/{id}/case"), &t.admin, &[("title", "")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    assert_eq!(t.get("/feedback/999999", &t.admin).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_dashboard_and_touchpoint_pages_feed_wow_moments_and_anger() {
    let t = TestApp::new().await;
    feedback(&t).await;
    let dash = t.get("/dashboard", &in_lang(&t.viewer, "es")).await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);
    let anger = &dash.body[dash.body.find("id=\"moments-anger\"").expect("the anger feed")..];
    let anger = &anger[..anger.find("</section>").unwrap()];
    assert!(anger.contains("ESTAFA") && !anger.contains("Lucía"), "{anger}");
    assert!(anger.contains("Clientes enfadados"), "{anger}");
    let wow = &dash.body[dash.body.find("id=\"moments-wow\"").expect("the WOW feed")..];
    assert!(wow[..wow.find("</section>").unwrap()].contains("Lucía was amazing"));
    let trend = &dash.body[dash.body.find("id=\"sentiment-trend\"").expect("the sentiment trend")..];
    assert!(trend.contains("<svg"), "a chart: {trend}");
    let tp = t.get(&format!("/dashboard/touchpoints/{}", t.ids.touchpoint), &t.viewer).await;
    assert!(tp.body.contains("id=\"moments-anger\"") && tp.body.contains("ESTAFA"), "{}", tp.body);
    assert!(tp.body.contains(&format!("flag=anger&amp;touchpoint={}", t.ids.touchpoint)), "{}", tp.body);
}

#[tokio::test]
async fn anger_and_sentiment_rules_open_cases_from_comments() {
    use rapport_core::case::trigger::{CaseRuleInput, Trigger};
    let t = TestApp::new().await;
    let rule = |name: &str, trigger| CaseRuleInput {
        name: name.into(),
        trigger,
        touchpoint_id: None,
        active: true,
        priority: None,
        tags: vec![],
    };
    t.store.create_case_rule(t.org.id, &rule("Angry customers", Trigger::Anger)).await.unwrap();
    fresh_feedback(&t).await;
    let filter = rapport_store::CaseFilter { limit: 10, ..Default::default() };
    let cases = t.store.list_cases(t.org.id, &filter).await.unwrap();
    let customers: Vec<_> = cases.iter().map(|c| c.customer.clone().unwrap_or_default()).collect();
    assert_eq!(customers, ["c-1"], "only the angry comment opens a case");
    // A sentiment rule, made through the web form with a Spanish decimal comma.
    let made = t
        .post(
            "/cases/rules/case-rules",
            &in_lang(&t.admin, "es"),
            &[("name", "Muy negativos"), ("kind", "sentiment"), ("sentiment_at_most", "-0,3")],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page = t.get("/cases/rules", &in_lang(&t.admin, "es")).await;
    assert!(page.body.contains("sentimiento del comentario como mucho -0,3"), "{}", page.body);
    let refused = t
        .post("/cases/rules/case-rules", &t.admin, &[("name", "x"), ("kind", "sentiment"), ("sentiment_at_most", "-3")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_export_streams_every_filtered_response_as_csv() {
    let t = TestApp::new().await;
    let items = (0..2_345)
        .map(|i| {
            let comment = if i % 5 == 0 { "Terrible, a total scam, I'm leaving!!!" } else { "Great, thanks" };
            let v = serde_json::json!({"touchpoint": t.ids.touchpoint, "customer": format!("x-{i}"),
                "at": format!("2026-04-{:02}T10:{:02}:{:02}Z", i % 28 + 1, (i / 60) % 60, i % 60), "comment": comment});
            (i, Ok(serde_json::from_value(v).unwrap()))
        })
        .collect();
    crate::ingest::responses(t.store.as_ref(), t.org.id, items).await.unwrap();
    let all = t.get("/feedback/export.csv", &t.viewer).await;
    assert_eq!(all.status, StatusCode::OK);
    let lines: Vec<&str> = all.body.lines().collect();
    assert!(lines[0].starts_with("id,at,touchpoint_id,survey_id,customer"), "{}", lines[0]);
    assert_eq!(lines.len(), 1 + 2_345, "every response once, over three pages");
    let mut ids: Vec<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2_345);
    let angry = t.get("/feedback/export.csv?flag=anger", &t.viewer).await;
    assert_eq!(angry.body.lines().count(), 1 + 469, "{}", &angry.body[..200]);
    assert!(angry.body.lines().skip(1).all(|l| l.contains(",negative,") && l.contains("scam")));
    let bad = t.get("/feedback/export.csv?sentiment=furious", &t.viewer).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn themes_are_defined_counted_and_filter_the_inbox() {
    let t = TestApp::new().await;
    let es = in_lang(&t.admin, "es");
    let made = t
        .post(
            "/feedback/themes",
            &es,
            &[("name", "Fraude"), ("keywords_en", "scam"), ("keywords_es", "estafa, fraude")],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let empty = t.post("/feedback/themes", &es, &[("name", "Nada"), ("keywords_en", " , ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("aria-invalid"), "the field is marked: {}", empty.body);
    let twice = t.post("/feedback/themes", &es, &[("name", "Fraude"), ("keywords_en", "x")]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let viewer = t.post("/feedback/themes", &t.viewer, &[("name", "V"), ("keywords_en", "v")]).await;
    assert_eq!(viewer.status, StatusCode::FORBIDDEN);

    feedback(&t).await;
    let recent = serde_json::json!({"touchpoint": t.ids.touchpoint, "customer": "c-9", "at": chrono::Utc::now().to_rfc3339(),
        "comment": "Otra estafa más. Qué vergüenza."});
    let rep =
        crate::ingest::responses(t.store.as_ref(), t.org.id, vec![(0, Ok(serde_json::from_value(recent).unwrap()))])
            .await;
    assert_eq!(rep.unwrap().accepted, 1);
    let themes = t.store.list_themes(t.org.id).await.unwrap();
    let fraud = themes[0].id;
    let page = t.get("/feedback/themes", &es).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let row = &page.body[page.body.find(&format!("id=\"theme-row-{fraud}\"")).expect("a row for the theme")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("Fraude") && row.contains("sentiment-negative") && row.contains(">1 <"), "{row}");
    let inbox = t.get(&format!("/feedback?theme={fraud}"), &t.viewer).await;
    assert_eq!(response_ids(&inbox.body).len(), 2, "{}", inbox.body);
    assert!(inbox.body.contains("ESTAFA"));

    // Tagging by hand: the response page shows found and tagged themes.
    let wow = response_ids(&t.get("/feedback?flag=wow", &t.admin).await.body)[0];
    let theme = fraud.to_string();
    let tagged = t.post(&format!("/feedback/{wow}/tags"), &es, &[("theme_id", &theme)]).await;
    assert_eq!(tagged.status, StatusCode::SEE_OTHER, "{}", tagged.body);
    assert_eq!(response_ids(&t.get(&format!("/feedback?theme={fraud}"), &t.viewer).await.body).len(), 3);
    let shown = t.get(&format!("/feedback/{wow}"), &es).await;
    assert!(shown.body.contains(&format!("id=\"tag-{fraud}\"")), "{}", shown.body);
    let by_viewer = t.post(&format!("/feedback/{wow}/tags"), &t.viewer, &[("theme_id", &theme)]).await;
    assert_eq!(by_viewer.status, StatusCode::FORBIDDEN);
    let off = t.post(&format!("/feedback/{wow}/tags"), &es, &[("theme_id", &theme), ("remove", "1")]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(response_ids(&t.get(&format!("/feedback?theme={fraud}"), &t.viewer).await.body).len(), 2);
    assert_eq!(
        t.post(&format!("/feedback/{wow}/tags"), &es, &[("theme_id", "999")]).await.status,
        StatusCode::NOT_FOUND
    );

    let saved =
        t.post(&format!("/feedback/themes/{fraud}"), &es, &[("name", "Fraude y robo"), ("keywords_es", "robo")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(t.store.list_themes(t.org.id).await.unwrap()[0].keywords_es, ["robo"]);
    let gone = t.post(&format!("/feedback/themes/{fraud}/delete"), &es, &[]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert!(t.store.list_themes(t.org.id).await.unwrap().is_empty());
    let missing = t.post(&format!("/feedback/themes/{fraud}"), &es, &[("name", "x"), ("keywords_en", "x")]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_wow_moment_is_passed_on_by_email_through_the_outbox() {
    let t = TestApp::new().await;
    feedback(&t).await;
    let wow = t.get("/feedback?flag=wow", &t.admin).await;
    let id = response_ids(&wow.body)[0];
    let page = t.get(&format!("/feedback/{id}"), &t.admin).await;
    assert!(page.body.contains("id=\"recognise-form\""), "{}", page.body);
    let ana = t.ids.ana.to_string();
    let sent =
        t.post(&format!("/feedback/{id}/recognise"), &t.admin, &[("person_id", &ana), ("note", "¡Bravo!")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let due = t.store.fan_out(rapport_store::rows::now(), 10).await.unwrap();
    assert!(due >= 1, "the event was fanned out");
    let angry = t.get("/feedback?flag=anger", &t.admin).await;
    let not_wow = response_ids(&angry.body)[0];
    let refused = t.post(&format!("/feedback/{not_wow}/recognise"), &t.admin, &[("person_id", &ana)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let viewer = t.post(&format!("/feedback/{id}/recognise"), &t.viewer, &[("person_id", &ana)]).await;
    assert_eq!(viewer.status, StatusCode::FORBIDDEN);
    let nobody = t.post(&format!("/feedback/{id}/recognise"), &t.admin, &[]).await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_themes_page_finds_phrases_customers_use() {
    let t = TestApp::new().await;
    let texts = [
        "The late delivery ruined my day.",
        "Another late delivery!",
        "Late delivery again, third time.",
        "Nice staff.",
    ];
    let items = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let v = serde_json::json!({"touchpoint": t.ids.touchpoint, "customer": format!("k-{i}"),
                "at": chrono::Utc::now().to_rfc3339(), "comment": text});
            (i, Ok(serde_json::from_value(v).unwrap()))
        })
        .collect();
    crate::ingest::responses(t.store.as_ref(), t.org.id, items).await.unwrap();
    let page = t.get("/feedback/themes", &t.viewer).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let phrases = &page.body[page.body.find("id=\"key-phrases\"").unwrap()..];
    assert!(phrases.contains("class=\"key-phrase\"") && phrases.contains("q=late%20delivery"), "{phrases}");
    let api = t.get("/api/v1/text/themes", &t.viewer).await;
    assert!(api.body.contains("\"phrase\":\"late delivery\""), "{}", api.body);
}
