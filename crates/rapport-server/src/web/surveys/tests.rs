//! The builder through HTTP, read back through the store.

use super::super::test_support::{in_lang, TestApp};
use axum::http::StatusCode;
use rapport_core::survey::{ConditionOp, QuestionType, SurveyStatus};
use serde_json::json;

#[tokio::test]
async fn builder_create_publish_link_and_delete() {
    let t = TestApp::new().await;
    let tp = t.ids.touchpoint.to_string();
    let page = t.get("/surveys/new", &in_lang(&t.admin, "es")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"nav-surveys\""));
    // More rows without saving.
    let r = t.post("/surveys", &t.admin, &[("rows", "3"), ("more", "1"), ("title_en", "Kept")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("name=\"q5.key\""));
    assert!(r.body.contains("value=\"Kept\""));
    // Invalid: no questions, no Spanish title.
    let r =
        t.post("/surveys", &in_lang(&t.admin, "es"), &[("rows", "3"), ("title_en", "X"), ("touchpoint_id", &tp)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = [
        ("rows", "3"),
        ("touchpoint_id", tp.as_str()),
        ("title_en", "After the visit"),
        ("title_es", "Después de la visita"),
        ("fatigue_days", "30"),
        ("q0.key", "nps"),
        ("q0.type", "nps"),
        ("q0.text_en", "Recommend us?"),
        ("q0.text_es", "¿Nos recomendaría?"),
        ("q0.required", "on"),
        ("q2.key", "why"),
        ("q2.type", "single_choice"),
        ("q2.text_en", "Why?"),
        ("q2.text_es", "¿Por qué?"),
        ("q2.choices", "price=Price|Precio\nstaff=Staff|Personal"),
        ("q2.show_q", "nps"),
        ("q2.show_op", "lte"),
        ("q2.show_value", "6"),
    ];
    let r = t.post("/surveys", &t.admin, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = t.store.list_surveys(t.org.id).await.unwrap().remove(0);
    assert_eq!(s.questions.len(), 2);
    assert_eq!(s.questions[1].choices[1].label.es, "Personal");
    assert_eq!(s.status, SurveyStatus::Draft);
    let edit = t.get(&format!("/surveys/{}/edit", s.id), &t.admin).await;
    assert!(edit.body.contains("staff=Staff|Personal"), "{}", edit.body);
    let r = t.post(&format!("/surveys/{}/status", s.id), &t.admin, &[("status", "published")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(t.store.get_survey(t.org.id, s.id).await.unwrap().status, SurveyStatus::Published);
    let list = t.get("/surveys", &t.viewer).await.body;
    assert!(list.contains(&s.token), "{list}");
    assert!(!list.contains("id=\"survey-new\""));
    let r =
        t.post(&format!("/surveys/{}/link", s.id), &t.admin, &[("customer", "cust-9"), ("expires_in_days", "7")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"personal-link\""));
    let url = r
        .body
        .split("id=\"personal-link\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#x2f;", "/");
    assert_eq!(t.get(&url, "").await.status, StatusCode::OK, "{url}");
    assert_eq!(t.post(&format!("/surveys/{}/delete", s.id), &t.viewer, &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.post(&format!("/surveys/{}/delete", s.id), &t.admin, &[]).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn import_reports_skipped_elements() {
    let t = TestApp::new().await;
    let tp = t.ids.touchpoint.to_string();
    let source = r#"{"title": "Shop", "pages": [{"name": "p1", "elements": [
        {"type": "rating", "name": "nps", "title": "Recommend?", "rateMin": 0, "rateMax": 10},
        {"type": "signaturepad", "name": "sig", "title": "Sign"}]}]}"#;
    let r = t
        .post("/surveys/import", &t.admin, &[("touchpoint_id", &tp), ("title_es", "Tienda"), ("source", source)])
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.body.contains("id=\"import-report\""));
    assert!(r.body.contains("signaturepad"));
    let r =
        t.post("/surveys/import", &in_lang(&t.admin, "es"), &[("touchpoint_id", &tp), ("source", "nonsense")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A matrix, a slider, a ranking, a date and a text block, with a second
/// condition and one on a matrix row, through the form and back.
#[tokio::test]
async fn builder_saves_every_new_type() {
    let t = TestApp::new().await;
    let tp = t.ids.touchpoint.to_string();
    let mut form = vec![
        ("rows", "7"),
        ("touchpoint_id", tp.as_str()),
        ("title_en", "Visit"),
        ("title_es", "Visita"),
        ("fatigue_days", "0"),
        ("q0.key", "intro"),
        ("q0.type", "text_block"),
        ("q0.html_en", "<p>Hello <script>x()</script><strong>there</strong></p>"),
        ("q0.html_es", "<p>Hola</p>"),
        ("q1.key", "aspects"),
        ("q1.type", "matrix"),
        ("q1.text_en", "Rate each"),
        ("q1.text_es", "Valore cada uno"),
        ("q1.rows", "staff=Staff|Personal\nprice=Price|Precio"),
        ("q1.scale_min", "0"),
        ("q1.scale_max", "10"),
        ("q1.not_applicable", "on"),
        ("q1.low_en", "Poor"),
        ("q1.low_es", "Mal"),
        ("q2.key", "effort"),
        ("q2.type", "slider"),
        ("q2.text_en", "How much effort?"),
        ("q2.text_es", "¿Cuánto esfuerzo?"),
        ("q2.min", "0"),
        ("q2.max", "100"),
        ("q2.step", "2,5"),
        ("q2.high_en", "A lot"),
        ("q2.high_es", "Mucho"),
        // Row 3 is left blank: errors and questions keep the form's numbers.
        ("q4.key", "order"),
        ("q4.type", "ranking"),
        ("q4.text_en", "Order these"),
        ("q4.text_es", "Ordene"),
        ("q4.choices", "speed=Speed|Rapidez\nprice=Price|Precio\nstaff=Staff|Personal"),
        ("q4.show_q", "aspects.staff"),
        ("q4.show_op", "lte"),
        ("q4.show_value", "6"),
        ("q4.show_join", "or"),
        ("q4.show2_q", "effort"),
        ("q4.show2_op", "any_of"),
        ("q4.show2_value", "90, 100"),
        ("q5.key", "when"),
        ("q5.type", "date"),
        ("q5.text_en", "When?"),
        ("q5.text_es", "¿Cuándo?"),
        ("q5.required", "on"),
    ];
    let r = t.post("/surveys", &t.admin, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = t.store.list_surveys(t.org.id).await.unwrap()[0].id;
    let s = t.store.get_survey(t.org.id, id).await.unwrap();
    let kinds: Vec<QuestionType> = s.questions.iter().map(|q| q.kind).collect();
    use QuestionType::*;
    assert_eq!(kinds, [TextBlock, Matrix, Slider, Ranking, Date]);
    let [block, matrix, slider, ranking, date] = &s.questions[..] else { unreachable!() };
    assert_eq!(block.text.en, "<p>Hello <strong>there</strong></p>");
    assert_eq!(matrix.rows[1].label.es, "Precio");
    assert_eq!((matrix.scale_min, matrix.scale_max, matrix.not_applicable), (Some(0), Some(10), true));
    assert_eq!(matrix.low_label.as_ref().unwrap().es, "Mal");
    assert_eq!((slider.min, slider.max, slider.step), (Some(0.0), Some(100.0), Some(2.5)));
    assert_eq!(slider.high_label.as_ref().unwrap().en, "A lot");
    assert_eq!(ranking.choices.len(), 3);
    let c = ranking.show_if.as_ref().unwrap();
    assert_eq!((c.question.as_str(), c.op, &c.value), ("aspects.staff", ConditionOp::Lte, &json!(6)));
    let or = c.or.as_ref().unwrap();
    assert_eq!((or.op, &or.value), (ConditionOp::AnyOf, &json!([90, 100])));
    assert!(date.required);
    // The edit page shows it all again, on the right rows.
    let edit = t.get(&format!("/surveys/{id}/edit"), &in_lang(&t.admin, "es")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("name=\"q5.key\""), "a blank row to add a question");
    assert!(edit.body.contains("value=\"90, 100\""), "{}", edit.body);
    assert!(edit.body.contains("id=\"block-0\" open"));
    assert!(edit.body.contains("Etiquetas que se conservan"));

    // Errors land on the form's row: a bad matrix row key and a non-number.
    form.retain(|(k, _)| !["q1.rows", "q2.min", "q4.choices"].contains(k));
    form.push(("q1.rows", "Bad Key=Bad|Mal\nstaff=Staff|Personal"));
    form.push(("q2.min", "zero"));
    form.push(("q4.choices", "speed=Speed|Rapidez"));
    form.push(("q5.decimals", "two"));
    let r = t.post(&format!("/surveys/{id}"), &t.admin, &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let row = |i: usize| {
        let start = r.body.find(&format!("id=\"row-{i}\"")).unwrap();
        let end = r.body[start..].find("</fieldset>").unwrap() + start;
        &r.body[start..end]
    };
    assert!(row(1).contains("rows[0].key"), "{}", row(1));
    assert!(row(2).contains("min —"), "{}", row(2));
    // Question 3 of the draft (row 3 was blank) is the form's row 4.
    assert!(row(4).contains("choices —"), "{}", row(4));
    assert!(row(5).contains("decimals —"), "{}", row(5));
    assert!(!row(3).contains("field-error"), "{}", row(3));
    // Nothing was saved.
    let kept = t.store.get_survey(t.org.id, id).await.unwrap();
    assert_eq!(kept.questions, s.questions);
}

#[test]
fn join_names_are_in_both_catalogues() {
    use crate::i18n::I18n;
    use rapport_core::lang::Lang;
    let i18n = I18n::new();
    for k in ["none", "and", "or"] {
        for lang in Lang::ALL {
            assert!(i18n.has(lang, &format!("builder-join-{k}")), "builder-join-{k} ({})", lang.code());
        }
    }
}

/// An English-only file's matrix gets its Spanish from the English, rows
/// and end labels included, so the import is not refused for it.
#[test]
fn spanish_starts_as_the_english_everywhere() {
    use rapport_core::survey::{Choice, Localized, Question, SurveyDraft};
    let en = |s: &str| Localized { en: s.into(), es: String::new() };
    let mut q = Question::new("aspects", QuestionType::Matrix, en("Rate"));
    q.rows = vec![Choice { key: "staff".into(), label: en("Staff") }];
    q.low_label = Some(en("Poor"));
    let mut draft = SurveyDraft { title: Some(en("Shop")), questions: vec![q], ..Default::default() };
    super::import::fill_spanish(&mut draft);
    let q = &draft.questions[0];
    assert_eq!((q.text.es.as_str(), q.rows[0].label.es.as_str()), ("Rate", "Staff"));
    assert_eq!(q.low_label.as_ref().unwrap().es, "Poor");
    assert_eq!(draft.title.unwrap().es, "Shop");
}

/// The headers of a GET (framing policy), as a browser would send it.
async fn headers_of(t: &TestApp, path: &str, cookie: &str) -> (StatusCode, axum::http::HeaderMap) {
    use tower::ServiceExt;
    let mut req = axum::http::Request::get(path);
    if !cookie.is_empty() {
        req = req.header(axum::http::header::COOKIE, cookie);
    }
    let resp = t.app.clone().oneshot(req.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    (resp.status(), resp.headers().clone())
}

/// The builder in Spanish: the warning list of Spanish texts to write with
/// links to their fields, the row buttons moving and copying questions
/// without saving (a move breaking skip logic refused on its row), the
/// preview for editors only, and the share card.
#[tokio::test]
async fn builder_moves_copies_warns_in_spanish_and_previews() {
    let t = TestApp::new().await;
    let es = in_lang(&t.admin, "es");
    let tp = t.ids.touchpoint.to_string();
    let form = vec![
        ("rows", "4"),
        ("touchpoint_id", tp.as_str()),
        ("title_en", "Visit"),
        ("title_es", "Visit"),
        ("fatigue_days", "0"),
        ("q0.key", "nps"),
        ("q0.type", "nps"),
        ("q0.text_en", "Recommend us?"),
        ("q0.text_es", "¿Nos recomendaría?"),
        ("q1.key", "why"),
        ("q1.type", "single_choice"),
        ("q1.text_en", "Why?"),
        ("q1.text_es", "¿Por qué?"),
        ("q1.choices", "price=Price|Precio\nstaff=Staff|Staff"),
        ("q1.show_q", "nps"),
        ("q1.show_op", "lte"),
        ("q1.show_value", "6"),
        ("q2.key", "more"),
        ("q2.type", "text"),
        ("q2.text_en", "Anything else?"),
        ("q2.text_es", "¿Algo más?"),
    ];
    assert_eq!(t.post("/surveys", &t.admin, &form).await.status, StatusCode::SEE_OTHER);
    let s = t.store.list_surveys(t.org.id).await.unwrap().remove(0);
    let edit = t.get(&format!("/surveys/{}/edit", s.id), &es).await;
    assert_eq!(edit.status, StatusCode::OK);
    let b = &edit.body;
    assert!(b.contains("id=\"translation-gaps\""), "{b}");
    assert!(b.contains("Faltan 2 textos en español o siguen en inglés."), "{b}");
    assert!(b.contains("<a href=\"#f-title_es\">Título</a>: el español es el texto en inglés"), "{b}");
    assert!(b.contains("<a href=\"#f-q1.choices\">Pregunta 2 · opción 2</a>"), "{b}");
    assert!(b.contains("id=\"f-q1.choices\""), "the link's target is on the page");
    assert!(b.contains("id=\"row-up-0\" formnovalidate disabled"), "{b}");
    assert!(b.contains(">Subir</button>") && b.contains(">Duplicar</button>"));
    // The share card and the preview pane.
    assert!(b.contains(&format!("src=\"/api/v1/surveys/{}/qr.svg\"", s.id)));
    // The snippet, escaped in its text box: `<iframe src="…/s/TOKEN?embed=1"`.
    assert!(
        b.contains(&format!("&lt;iframe src=&quot;http:&#x2f;&#x2f;localhost&#x2f;s&#x2f;{}?embed=1&quot;", s.token)),
        "{b}"
    );
    assert!(b.contains("id=\"preview-frame\"") && b.contains("sandbox=\"allow-same-origin\""));
    let phone = t.get(&format!("/surveys/{}/edit?plang=es&device=phone", s.id), &es).await.body.replace("&#x2f;", "/");
    assert!(phone.contains(&format!("src=\"/surveys/{}/preview?lang=es\"", s.id)), "{phone}");
    assert!(phone.contains("width=\"390\""));

    // Copy "why": a new row after it with a new key; nothing saved.
    let path = format!("/surveys/{}", s.id);
    let mut dup = form.clone();
    dup.push(("row_action", "dup:1"));
    let r = t.post(&path, &es, &dup).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("name=\"q2.key\" type=\"text\" value=\"why_copy\""), "{}", r.body);
    assert!(r.body.contains("name=\"q3.key\" type=\"text\" value=\"more\""));
    // The copy's choices are flagged too, on its own row.
    assert!(r.body.contains("<a href=\"#f-q2.choices\">Pregunta 3 · opción 2</a>"), "{}", r.body);
    assert_eq!(t.store.get_survey(t.org.id, s.id).await.unwrap().questions.len(), 3);
    // "why" above "nps", which it depends on: refused on its row.
    let mut up = form.clone();
    up.push(("row_action", "up:1"));
    let r = t.post(&path, &es, &up).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let row1 = r.body.split("id=\"row-1\"").nth(1).unwrap().split("</fieldset>").next().unwrap();
    assert!(row1.contains("show_if — Se muestra según una pregunta"), "{row1}");
    assert!(r.body.contains("name=\"q1.key\" type=\"text\" value=\"why\""));
    // Down is fine, and keeps what was typed but not saved.
    let mut down = form.clone();
    down.retain(|(k, _)| *k != "title_es");
    down.push(("title_es", "Visita"));
    down.push(("row_action", "down:1"));
    let r = t.post(&path, &es, &down).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("name=\"q1.key\" type=\"text\" value=\"more\""));
    assert!(r.body.contains("name=\"q2.key\" type=\"text\" value=\"why\""));
    assert!(r.body.contains("value=\"Visita\""));
    // The title is fixed in the form: one warning left.
    assert!(r.body.contains("Falta un texto en español o sigue en inglés."), "{}", r.body);

    // The preview: the saved survey as respondents see it, posting nowhere.
    let preview = format!("/surveys/{}/preview?lang=es", s.id);
    let p = t.get(&preview, &t.admin).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("Vista previa: las respuestas dadas aquí no se envían."), "{}", p.body);
    assert!(p.body.contains("¿Nos recomendaría?"));
    assert!(!p.body.contains("method=\"post\"") && p.body.contains("id=\"survey-submit\" disabled"));
    let (_, h) = headers_of(&t, &preview, &t.admin).await;
    assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'self'"));
    assert_eq!(h["x-frame-options"], "SAMEORIGIN");
    assert_eq!(t.get(&preview, &t.viewer).await.status, StatusCode::FORBIDDEN);
    // As typed (the live preview): nothing saved.
    let mut typed = form.clone();
    typed.retain(|(k, _)| *k != "title_en");
    typed.push(("title_en", "Typed, not saved"));
    typed.push(("preview_lang", "en"));
    let p = t.post(&format!("/surveys/{}/preview", s.id), &t.admin, &typed).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("Typed, not saved") && p.body.contains("Recommend us?"), "{}", p.body);
    assert_eq!(t.post(&format!("/surveys/{}/preview", s.id), &t.viewer, &typed).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.store.get_survey(t.org.id, s.id).await.unwrap().title.en, "Visit");
    assert!(t.store.list_responses(t.org.id, &Default::default()).await.unwrap().items.is_empty());

    // Embedded: any site may frame `?embed=1`, no site the plain page.
    t.post(&format!("/surveys/{}/status", s.id), &t.admin, &[("status", "published")]).await;
    let (status, h) = headers_of(&t, &format!("/s/{}?embed=1", s.token), "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors *"));
    assert!(h.get("x-frame-options").is_none());
    let embedded = t.get(&format!("/s/{}?embed=1&lang=es", s.token), "").await.body;
    assert!(embedded.contains("survey-embedded") && embedded.contains("embed=1"), "{embedded}");
    let (_, h) = headers_of(&t, &format!("/s/{}", s.token), "").await;
    assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(h["x-frame-options"], "DENY");
}
