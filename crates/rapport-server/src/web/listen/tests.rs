//! The distribution pages in English and Spanish: the survey's page with
//! its waves and forms, a wave's per-customer status, a refused trigger
//! form, the customer's e-mail status, and the public unsubscribe page.

use crate::auth::{link, unsubscribe};
use crate::web::test_support::{in_lang, TestApp};
use axum::http::StatusCode;
use rapport_core::customer::CustomerUpsert;
use rapport_core::survey::distribution::WaveDraft;
use rapport_core::survey::{SurveyDraft, SurveyStatus};
use serde_json::{json, Map};

async fn survey(t: &TestApp) -> i64 {
    let draft: SurveyDraft = serde_json::from_value(json!({
        "touchpoint_id": t.ids.touchpoint, "title": {"en": "After delivery", "es": "Tras la entrega"},
        "fatigue_days": 30,
        "questions": [{"key": "nps", "type": "nps", "required": true,
            "text": {"en": "Would you recommend us?", "es": "¿Nos recomendaría?"}}]
    }))
    .unwrap();
    let s = t.store.create_survey(t.org.id, &draft.validate().unwrap(), "tok-web-dist").await.unwrap();
    t.store.set_survey_status(t.org.id, s.id, SurveyStatus::Published).await.unwrap();
    s.id
}

#[tokio::test]
async fn the_distribution_pages_speak_both_languages() {
    let t = TestApp::new().await;
    let sid = survey(&t).await;
    for (id, email) in [("c-1", Some("c1@example.com")), ("c-2", None)] {
        let c =
            CustomerUpsert { external_id: id.into(), email: email.map(Into::into), name: None, attributes: Map::new() };
        t.store.upsert_customer(t.org.id, &c).await.unwrap();
    }
    let page = t.get(&format!("/surveys/{sid}/distribution"), &t.admin).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Invitation waves") && page.body.contains("id=\"wave-form\""));
    let es = t.get(&format!("/surveys/{sid}/distribution"), &in_lang(&t.admin, "es")).await;
    assert!(es.body.contains("Oleadas de invitaciones") && es.body.contains("Correo de agradecimiento"));
    let viewer = t.get(&format!("/surveys/{sid}/distribution"), &t.viewer).await;
    assert_eq!(viewer.status, StatusCode::OK);
    assert!(!viewer.body.contains("id=\"wave-form\""), "a viewer reads, writes nothing");

    // A refused trigger comes back with the error next to the field.
    let r = t
        .post(
            &format!("/surveys/{sid}/distribution/triggers"),
            &t.admin,
            &[("event_kind", "Not one"), ("delay_hours", "48")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("event_kind-error"), "{}", r.body);
    let ok = t
        .post(
            &format!("/surveys/{sid}/distribution/triggers"),
            &t.admin,
            &[("event_kind", "delivery"), ("delay_hours", "48")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(t.get(&format!("/surveys/{sid}/distribution"), &t.admin).await.body.contains("48 hours after delivery"));

    // A wave, sent: its page shows each customer's status and the rates.
    let now = rapport_store::rows::now();
    let w = WaveDraft { customers: Some(vec!["c-1".into(), "c-2".into()]), ..WaveDraft::default() }
        .validate(None, now)
        .unwrap();
    let wave = t.store.create_wave(t.org.id, sid, &w, false, "test", now).await.unwrap().wave;
    for m in t.store.due_mails(now, 10).await.unwrap() {
        t.store
            .send_mail(m.org, m.invitation_id, false, now, &json!({"invitation_id": m.invitation_id}))
            .await
            .unwrap();
    }
    let page = t.get(&format!("/waves/{}", wave.id), &in_lang(&t.admin, "es")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("sin correo") && page.body.contains("Enviada"), "{}", page.body);
    assert!(page.body.contains("<svg class=\"dist-bars\""));

    // The customer's profile shows the e-mail status; staff unsubscribe.
    let profile = t.get("/customers/c-1", &t.admin).await;
    assert!(profile.body.contains("id=\"customer-mail\"") && profile.body.contains("Receives survey e-mails"));
    let r = t.post("/customers/c-1/mail-status", &t.admin, &[("unsubscribed", "true")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(t.store.mail_status(t.org.id, "c-1").await.unwrap().unsubscribed_at.is_some());
    assert_eq!(
        t.post("/customers/c-1/mail-status", &t.viewer, &[("unsubscribed", "false")]).await.status,
        StatusCode::FORBIDDEN
    );

    // The public page: asks in the link's language, then unsubscribes.
    let secret = link::installation_secret(t.store.as_ref()).await.unwrap();
    let q = unsubscribe::sign(&secret, t.org.id, "c-2");
    let page = t.get(&format!("/unsubscribe?{q}&lang=es"), "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("¿Darse de baja de nuestras encuestas?"), "{}", page.body);
    let done = t.post(&format!("/unsubscribe?{q}&lang=es"), "", &[]).await;
    assert!(done.body.contains("Se ha dado de baja"), "{}", done.body);
    assert!(t.store.mail_status(t.org.id, "c-2").await.unwrap().unsubscribed_at.is_some());
    let bad = t.get(&format!("/unsubscribe?{}&lang=en", q.replace("c=c-2", "c=c-1")), "").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("This link does not work"));
}

/// A multipart form as a browser sends the new-wave form.
fn multipart(fields: &[(&str, &str)], file: &str) -> (String, String) {
    let boundary = "----rapport-test-boundary";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_csv_wave_from_the_form_lists_its_bad_rows_and_a_bad_template_is_named() {
    use axum::body::Body;
    use axum::http::{header, Request};
    use rapport_core::survey::distribution::template::MailTemplate;
    let t = TestApp::new().await;
    let sid = survey(&t).await;
    let c = CustomerUpsert { external_id: "c-1".into(), email: None, name: None, attributes: Map::new() };
    t.store.upsert_customer(t.org.id, &c).await.unwrap();
    let d = MailTemplate::invitation();
    let post = |fields: Vec<(&'static str, String)>, file: &'static str| {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (kind, body) = multipart(&f, file);
        Request::post(format!("/surveys/{sid}/distribution/waves"))
            .header(header::CONTENT_TYPE, kind)
            .header(header::COOKIE, in_lang(&t.admin, "es"))
            .body(Body::from(body))
            .unwrap()
    };
    let base = |body_es: &str| {
        vec![
            ("audience", "csv".to_string()),
            ("subject_en", d.subject_en.clone()),
            ("body_en", d.body_en.clone()),
            ("subject_es", d.subject_es.clone()),
            ("body_es", body_es.to_string()),
            ("per_hour", "100".into()),
            ("reminder_days", "3".into()),
        ]
    };
    let page = t.send(post(base(&d.body_es), "external_id,email\nc-1,c1@example.com\nzed,\n,x@example.com\n")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"row-errors\""), "{}", page.body);
    assert!(page.body.contains("Línea 3") && page.body.contains("ningún cliente tiene este identificador"));
    assert!(page.body.contains("Línea 4") && page.body.contains("falta el identificador externo"));
    let refused = t.send(post(base("Hola {{nombre}}"), "c-1\n")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("body_es-error") && refused.body.contains("{{nombre}}"), "{}", refused.body);
}
