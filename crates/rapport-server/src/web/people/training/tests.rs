use crate::web::test_support::{in_lang, session_as, TestApp};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use rapport_core::people::training::{Audience, ChoiceDraft, ModuleDraft, QuestionDraft, QuizDraft};
use rapport_core::role::Role;

fn choice(en: &str, es: &str, correct: bool) -> ChoiceDraft {
    ChoiceDraft { text_en: Some(en.into()), text_es: Some(es.into()), correct }
}

async fn quiz_module(t: &TestApp) -> i64 {
    let d = ModuleDraft {
        title_en: Some("Handling a late delivery".into()),
        title_es: Some("Cómo gestionar una entrega tardía".into()),
        body_en: Some("## Say sorry first".into()),
        body_es: Some("## Primero, pida disculpas".into()),
        audience: Audience { roles: vec![Role::Agent], ..Default::default() },
        due_days: Some(7),
        quiz: Some(QuizDraft {
            questions: vec![
                QuestionDraft {
                    text_en: Some("What comes first?".into()),
                    text_es: Some("¿Qué va primero?".into()),
                    multiple: false,
                    choices: vec![choice("Apologise", "Disculparse", true), choice("Blame", "Culpar", false)],
                },
                QuestionDraft {
                    text_en: Some("What do you offer?".into()),
                    text_es: Some("¿Qué ofrece?".into()),
                    multiple: true,
                    choices: vec![
                        choice("A new date", "Una nueva fecha", true),
                        choice("A refund of shipping", "El reembolso del envío", true),
                        choice("Nothing", "Nada", false),
                    ],
                },
            ],
            pass_mark: Some(100),
        }),
    };
    let now = rapport_store::rows::now();
    t.store.create_module(t.org.id, &d.validate().unwrap(), "admin@acme.test", now).await.unwrap().id
}

#[tokio::test]
async fn a_quiz_submitted_in_spanish_shows_the_result() {
    let t = TestApp::new().await;
    let agent = session_as(t.store.as_ref(), t.org.id, "ana@acme.test", Role::Agent, Some(t.ids.ana)).await;
    let id = quiz_module(&t).await;
    let es = in_lang(&agent, "es");
    let mine = t.get("/training", &es).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("Cómo gestionar una entrega tardía"), "{}", mine.body);
    let page = t.get(&format!("/training/{id}"), &es).await;
    assert!(page.body.contains("<h2>Primero, pida disculpas</h2>"), "the Spanish body as HTML");
    assert!(page.body.contains("¿Qué va primero?") && page.body.contains("type=\"checkbox\" name=\"q1\""));
    let wrong = t.post(&format!("/training/{id}/attempt"), &es, &[("q0", "0"), ("q1", "0")]).await;
    assert_eq!(wrong.status, StatusCode::OK);
    assert!(wrong.body.contains("Aún no aprobado"), "{}", wrong.body);
    assert!(wrong.body.contains("Nota: 50 %"));
    assert!(wrong.body.contains("Incorrecta: repásela."));
    assert!(wrong.body.contains("value=\"0\" checked"), "the answers sent stay chosen");
    let right = t.post(&format!("/training/{id}/attempt"), &es, &[("q0", "0"), ("q1", "0"), ("q1", "1")]).await;
    assert!(right.body.contains("Aprobado") && right.body.contains("Nota: 100 %"), "{}", right.body);
    assert!(t.get("/training", &es).await.body.contains("Completado"));
    // A viewer reads but does not take quizzes nor write modules.
    let refused = t.post(&format!("/training/{id}/attempt"), &t.viewer, &[("q0", "0")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(t.get("/training/modules", &agent).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn modules_are_written_with_a_plain_text_quiz_and_images_are_served() {
    let t = TestApp::new().await;
    let list = t.get("/training/modules", &t.admin).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Our intent: the experience we deliver"), "the intent module: {}", list.body);
    let bad = t
        .post(
            "/training/modules",
            &t.admin,
            &[("title_en", "Brew guide"), ("due_days", "7"), ("quiz_text", "? Grind?\n* Medium")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Give at least two answers."), "{}", bad.body);
    assert!(bad.body.contains("id=\"audience-error\""), "the audience is required");
    let tp = t.ids.touchpoint.to_string();
    let ok = t
        .post(
            "/training/modules",
            &t.admin,
            &[
                ("title_en", "Brew guide basics"),
                ("title_es", "Guía básica de preparación"),
                ("body_en", "Use ![the scale](/media/1)"),
                ("touchpoints", &tp),
                ("departments", "Service"),
                ("due_days", "10"),
                ("quiz_text", "? Grind for a V60? | ¿Molienda para V60?\n* Medium | Media\n- Coarse | Gruesa"),
                ("pass_mark", "100"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let modules = t.store.list_modules(t.org.id, None, 0).await.unwrap();
    let brew = modules.iter().find(|m| m.title_en == "Brew guide basics").unwrap();
    assert_eq!(brew.audience.touchpoints, vec![t.ids.touchpoint]);
    assert_eq!(brew.quiz.as_ref().unwrap().questions[0].text_es, "¿Molienda para V60?");
    let edit = t.get(&format!("/training/modules/{}/edit", brew.id), &t.admin).await;
    assert!(edit.body.contains("? Grind for a V60? | ¿Molienda para V60?"), "the quiz written back");
    let progress = t.get("/training/progress?by=department", &t.admin).await;
    assert_eq!(progress.status, StatusCode::OK);
    // The CSV link (the macro escapes the list path's slash, which the browser reads back).
    assert!(progress.body.contains("progress?by=department&amp;format=csv"), "{}", progress.body);

    // Upload an image (multipart), then read it back as a signed-in person.
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    png.extend_from_slice(b"IHDR");
    png.extend_from_slice(&[0; 16]);
    let boundary = "XyZ";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: text/html\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&png);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post("/training/media")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::HOST, "rapport.test")
        .header(header::ORIGIN, "http://rapport.test")
        .header(header::COOKIE, &t.admin)
        .body(Body::from(body))
        .unwrap();
    let up = t.send(req).await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
    let at = up.location.unwrap();
    let id = at.rsplit('=').next().unwrap();
    let req = Request::get(format!("/media/{id}")).header(header::COOKIE, &t.viewer).body(Body::empty()).unwrap();
    let resp = tower::ServiceExt::oneshot(t.app.clone(), req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "image/png", "sniffed, not as declared");
    assert_eq!(resp.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(resp.headers()[header::CACHE_CONTROL].to_str().unwrap().contains("max-age"));
    assert_eq!(t.get(&format!("/media/{id}"), "").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(t.get("/media/99999", &t.admin).await.status, StatusCode::NOT_FOUND);
}
