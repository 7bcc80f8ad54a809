//! The API of case conversations (D1/D2), on both backends, with a real
//! SMTP server (aiosmtpd): an agent's templated reply reaches the customer
//! in their language with the signed reply address in `Reply-To`; the
//! customer's answer posted to the inbound endpoint (as a mail service
//! would: multipart, or JSON) appears in the same case, quote trimmed; an
//! unsigned, tampered or foreign answer, or one from another sender, is
//! refused with the thread unchanged; templates refuse an unknown
//! placeholder naming the field; viewers read but cannot write; bad paging
//! is a 422 naming the field.

use crate::helpers::{self, id, Backend, Client, TestApp};
use crate::smtp::SmtpSink;
use crate::webhooks::eventually;
use rapport_core::role::Role;
use rapport_server::{Config, SmtpConfig};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Runs the story on a fresh server of the same backend as `app`, sending
/// e-mail through aiosmtpd (the shared test server has no SMTP).
pub async fn conversations_api(app: TestApp) {
    let Some(smtp) = SmtpSink::start("case conversation test").await else { return };
    let backend = if app.store.backend() == "postgres" { Backend::Postgres } else { Backend::Sqlite };
    let maildir = smtp.maildir.clone();
    let config = Config {
        smtp: Some(SmtpConfig { url: smtp.url(), from: "Acme <care@acme.example>".into() }),
        inbound_reply_domain: Some("in.acme.example".into()),
        ..helpers::test_config()
    };
    helpers::run_with(backend, config, move |app| story(app, maildir)).await;
}

/// The messages in the maildir, oldest first.
fn mails(maildir: &Path) -> Vec<String> {
    crate::smtp::messages_in(maildir)
}

/// A `multipart/form-data` body as inbound-mail services post it.
fn form(fields: &[(&str, &str)]) -> (String, String) {
    let boundary = "rapportBoundary7MA4YWxk";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts to the inbound endpoint without credentials, as a mail service.
async fn inbound(app: &TestApp, fields: &[(&str, &str)]) -> (u16, Value) {
    let (ct, body) = form(fields);
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/inbound/cases", app.base))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn thread(c: &Client, case: i64) -> Vec<Value> {
    c.get(&format!("/api/v1/cases/{case}/messages?limit=500")).await.expect(200).as_array().unwrap().clone()
}

async fn setup_case(c: &Client, marker: &str, email: &str, language: &str) -> i64 {
    let stage = id(&c.post("/api/v1/stages", json!({"name": format!("Buy {marker}")})).await.expect(201));
    let tp = id(&c
        .post("/api/v1/touchpoints", json!({"name": format!("Delivery {marker}"), "stage_id": stage}))
        .await
        .expect(201));
    let customer = json!({"external_id": format!("c-{marker}"), "email": email, "name": "Ana", "attributes": {"language": language}});
    c.post("/api/v1/customers", customer).await.expect(201);
    let case = json!({"customer": format!("c-{marker}"), "title": "Llegó tarde", "touchpoint_id": tp});
    id(&c.post("/api/v1/cases", case).await.expect(201))
}

async fn story(app: TestApp, maildir: PathBuf) {
    let org = app.org("talk").await;
    let other = app.org("talk-other").await;
    let leader = app.client(org.id, Role::Leader).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let stranger = app.client(other.id, Role::Leader).await;
    let case = setup_case(&leader, "a", "ana@example.com", "es").await;
    let foreign = setup_case(&stranger, "b", "ana@example.com", "es").await;

    // The agent answers with the apology template: in Spanish (her language).
    let sent = leader
        .post(&format!("/api/v1/cases/{case}/messages"), json!({"kind": "reply", "template": "respond"}))
        .await
        .expect(201);
    assert_eq!((sent["kind"].as_str(), sent["lang"].as_str()), (Some("reply"), Some("es")));
    assert_eq!(sent["subject"], "Lo sentimos, Ana");
    assert!(sent["body"].as_str().unwrap().starts_with("Hola Ana:"), "{sent}");
    let k = leader.get(&format!("/api/v1/cases/{case}")).await.expect(200);
    assert!(k["first_responded_at"].is_string(), "the first reply stops the clock: {k}");
    let conv = leader.get(&format!("/api/v1/cases/{case}/conversation")).await.expect(200);
    assert!(conv["waiting_since"].is_string());
    let reply_to = conv["reply_to"].as_str().unwrap().to_string();
    assert!(
        reply_to.starts_with(&format!("reply+{case}.{}.", org.id)) && reply_to.ends_with("@in.acme.example"),
        "{reply_to}"
    );
    assert_eq!(
        viewer.get(&format!("/api/v1/cases/{case}/conversation")).await.expect(200)["reply_to"],
        reply_to.as_str()
    );

    // It reaches the SMTP server, with the signed address in Reply-To.
    let text = eventually("the reply in the maildir", Duration::from_secs(20), || {
        let m = maildir.clone();
        async move { mails(&m).into_iter().find(|t| t.contains("ana@example.com")) }
    })
    .await;
    assert!(text.lines().any(|l| l == "To: ana@example.com"), "{text}");
    assert!(text.lines().any(|l| l == format!("Reply-To: {reply_to}")), "{text}");
    assert!(text.contains("Lo sentimos, Ana") && text.contains("[ref:"), "{text}");
    eventually("the reply marked delivered", Duration::from_secs(20), || {
        let c = leader.clone();
        async move { (thread(&c, case).await[0]["delivery"] == "delivered").then_some(()) }
    })
    .await;

    // A note stays internal: stored, not e-mailed.
    leader
        .post(&format!("/api/v1/cases/{case}/messages"), json!({"kind": "note", "body": "Refund approved."}))
        .await
        .expect(201);

    // Refused answers store nothing: unsigned, tampered, foreign, another sender.
    let before = thread(&leader, case).await;
    let quote = "Gracias, acepto.\n\nEl lun, 7 dic 2026, Acme escribió:\n> Lo sentimos";
    let unsigned =
        [("from", "Ana <ana@example.com>"), ("to", "care@in.acme.example"), ("subject", "Re: hola"), ("text", quote)];
    assert_eq!(inbound(&app, &unsigned).await.0, 401);
    let sig = reply_to.split('.').nth(2).unwrap().split('@').next().unwrap().to_string();
    let flipped: String = sig
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                if c == '0' {
                    '1'
                } else {
                    '0'
                }
            } else {
                c
            }
        })
        .collect();
    let tampered = reply_to.replace(&sig, &flipped);
    assert_eq!(inbound(&app, &[("from", "ana@example.com"), ("to", &tampered), ("text", quote)]).await.0, 403);
    let other_org = reply_to.replace(&format!(".{}.", org.id), &format!(".{}.", other.id));
    assert_eq!(inbound(&app, &[("from", "ana@example.com"), ("to", &other_org), ("text", quote)]).await.0, 403);
    let other_case = reply_to.replace(&format!("reply+{case}."), &format!("reply+{foreign}."));
    assert_eq!(inbound(&app, &[("from", "ana@example.com"), ("to", &other_case), ("text", quote)]).await.0, 403);
    let (status, body) = inbound(&app, &[("from", "mallory@example.com"), ("to", &reply_to), ("text", quote)]).await;
    assert_eq!((status, body["error"]["fields"]["from"]["code"].as_str()), (422, Some("not_the_customer")), "{body}");
    let (status, body) =
        inbound(&app, &[("from", "ana@example.com"), ("to", &reply_to), ("text", "> only a quote")]).await;
    assert_eq!((status, body["error"]["fields"]["text"]["code"].as_str()), (422, Some("required")), "{body}");
    assert_eq!(thread(&leader, case).await, before, "nothing stored");
    assert!(thread(&stranger, foreign).await.is_empty(), "nothing stored in the other organization");

    // A valid answer (Mailgun's field names) joins the case, quote trimmed.
    let (status, got) = inbound(
        &app,
        &[
            ("sender", "Ana <ana@example.com>"),
            ("recipient", &reply_to),
            ("subject", "Re: Lo sentimos"),
            ("body-plain", quote),
        ],
    )
    .await;
    assert_eq!(status, 201, "{got}");
    let t = thread(&leader, case).await;
    assert_eq!(t.len(), before.len() + 1);
    let last = t.last().unwrap();
    assert_eq!(
        (last["kind"].as_str(), last["body"].as_str(), last["case_id"].as_i64()),
        (Some("customer"), Some("Gracias, acepto."), Some(case))
    );
    assert_eq!(
        leader.get(&format!("/api/v1/cases/{case}/conversation")).await.expect(200)["waiting_since"],
        Value::Null
    );
    // JSON, matched by the subject's token when the recipient was rewritten.
    let token = &text[text.find("[ref:").unwrap()..];
    let token = &token[..=token.find(']').unwrap()];
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/inbound/cases", app.base))
        .json(&json!({"from": "ana@example.com", "to": "care@in.acme.example", "subject": format!("Re: {token}"), "text": "Una cosa más."}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    // Paging by the message's cursor: what follows it.
    let t = thread(&leader, case).await;
    let cursor = t[t.len() - 2]["cursor"].as_str().unwrap();
    let after = leader.get(&format!("/api/v1/cases/{case}/messages?after={cursor}")).await.expect(200);
    assert_eq!(after.as_array().unwrap().len(), 1);
    assert_eq!(after[0]["body"], "Una cosa más.");

    // Only the reply was e-mailed to the customer.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(mails(&maildir).iter().filter(|m| m.contains("To: ana@example.com")).count(), 1);

    // Templates: all eight; an unknown placeholder names its field; viewers cannot write.
    let all = leader.get("/api/v1/case-reply-templates").await.expect(200);
    assert_eq!(all.as_array().unwrap().len(), 8);
    assert_eq!((all[0]["step"].as_str(), all[0]["custom"].as_bool()), (Some("respond"), Some(false)));
    let bad =
        json!({"subject_en": "Sorry", "body_en": "Hi {{name}}", "subject_es": "Perdón", "body_es": "Hola {{nombre}}"});
    let r = leader.put("/api/v1/case-reply-templates/respond", bad).await;
    r.expect_error(422, "invalid", Some("body_es"));
    assert_eq!(r.json["error"]["fields"]["body_es"]["code"], "unknown_placeholder");
    assert!(r.json["error"]["fields"]["body_es"]["message"].as_str().unwrap().contains("{{nombre}}"));
    let good = json!({"subject_en": "Sorry, {{name}}", "body_en": "Hi {{name}}, {{agent}}", "subject_es": "Perdón, {{name}}", "body_es": "Hola {{name}}"});
    viewer.put("/api/v1/case-reply-templates/respond", good.clone()).await.expect_error(403, "forbidden", None);
    leader.put("/api/v1/case-reply-templates/apologise", good.clone()).await.expect_error(404, "not_found", None);
    assert_eq!(leader.put("/api/v1/case-reply-templates/respond", good).await.expect(200)["custom"], true);
    let sent = leader
        .post(&format!("/api/v1/cases/{case}/messages"), json!({"kind": "reply", "template": "respond", "lang": "en"}))
        .await
        .expect(201);
    assert_eq!(sent["subject"], "Sorry, Ana");
    assert_eq!(stranger.get("/api/v1/case-reply-templates").await.expect(200)[0]["custom"], false);
    leader.delete("/api/v1/case-reply-templates/respond").await.expect(204);

    // Permissions, isolation, bad input.
    viewer.get(&format!("/api/v1/cases/{case}/messages")).await.expect(200);
    viewer.post(&format!("/api/v1/cases/{case}/messages"), json!({"kind": "note", "body": "x"})).await.expect_error(
        403,
        "forbidden",
        None,
    );
    stranger.get(&format!("/api/v1/cases/{case}/messages")).await.expect_error(404, "not_found", None);
    stranger.post(&format!("/api/v1/cases/{case}/messages"), json!({"kind": "note", "body": "x"})).await.expect_error(
        404,
        "not_found",
        None,
    );
    leader.get(&format!("/api/v1/cases/{case}/messages?limit=0")).await.expect_error(422, "invalid", Some("limit"));
    leader.get(&format!("/api/v1/cases/{case}/messages?limit=501")).await.expect_error(422, "invalid", Some("limit"));
    leader.get(&format!("/api/v1/cases/{case}/messages?after=nonsense")).await.expect_error(
        422,
        "invalid",
        Some("after"),
    );
    leader.get("/api/v1/cases/abc/messages").await.expect_error(404, "not_found", None);
    leader.post(&format!("/api/v1/cases/{case}/messages"), json!({"kind": "shout", "body": "x"})).await.expect_error(
        422,
        "invalid",
        Some("kind"),
    );
    leader
        .post(&format!("/api/v1/cases/{case}/messages"), json!({"kind": "reply", "template": "apologise"}))
        .await
        .expect_error(422, "invalid", Some("template"));
    leader.post(&format!("/api/v1/cases/{case}/messages"), json!({"kind": "note"})).await.expect_error(
        422,
        "invalid",
        Some("body"),
    );
    assert_eq!(thread(&stranger, foreign).await.len(), 0);
}
