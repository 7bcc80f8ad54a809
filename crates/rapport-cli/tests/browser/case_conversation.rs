//! Journey (issue 17's acceptance): on a phone, in Spanish, the demo agent
//! opens a detractor's case, reads the customer's own comment on the case
//! page, sends the apology template (Respond) by e-mail, and sees the
//! customer's answer arrive in the thread without reloading: the test posts
//! it to the inbound-mail endpoint, signed with the case's reply address
//! (read from the API), as a mail service would.

use crate::common::Db;
use crate::page::{click, fits_the_phone, select_value, shown_text, wait_path, wait_text};
use crate::{browser_tools, catalogue, message, save_screenshot, screenshots_dir, session, sign_in_in_spanish};
use crate::{start_chromedriver, Viewport};
use anyhow::{ensure, Context, Result};
use fantoccini::{Client, Locator};
use serde_json::json;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The demo detractor of the support chat who asks for a refund (routed to the agent).
const CUSTOMER: &str = "cust-0102";
const COMMENT: &str = "Quiero un reembolso, el pedido llegó abierto.";
const ANSWER: &str = "Gracias por la rapidez. Acepto el reembolso.";

#[tokio::test]
async fn an_agent_answers_a_detractor_by_email_and_sees_the_reply_arrive_in_spanish_on_a_phone() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let es = catalogue("es");
    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");
    let cases = server.json(&format!("/api/v1/cases?customer={CUSTOMER}&status=open"), &token).await;
    let case = cases.as_array().and_then(|l| l.first()).expect("the demo detractor's open case")["id"].to_string();

    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let profile = tempfile::tempdir().expect("profile dir");
    let client = session(&webdriver, &chromium, profile.path(), Viewport::Phone)
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
    let outcome = journey(&client, &server, &token, &case, &es).await;
    if outcome.is_err() {
        let _ = save_screenshot(&client, &screenshots_dir().join("conversation-failure.png")).await;
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!(
            "the case conversation journey on a phone failed: {e:#}\n\
             (screenshot: target/screenshots/conversation-failure.png)\nserver log:\n{}",
            server.log_text()
        );
    }
}

async fn journey(
    c: &Client,
    server: &crate::common::Server,
    token: &str,
    case: &str,
    es: &HashMap<String, String>,
) -> Result<()> {
    let shot = |name: &str| screenshots_dir().join(format!("conversation-{name}.png"));
    let m = |key: &str| message(es, "es", key).to_string();
    let base = &server.url;
    sign_in_in_spanish(c, base, "agent@demo.example").await?;

    // The customer's own words are on the case page, not only on the timeline.
    c.goto(&format!("{base}/cases/{case}")).await?;
    wait_text(c, "#case-words h2", &m("conv-words-title")).await?;
    let comment = shown_text(c, "#case-words .case-comment").await?;
    ensure!(comment == COMMENT, "the case page shows the comment {comment:?}");
    fits_the_phone(c, "the case page").await?;
    show(c, "case-words").await?;
    save_screenshot(c, &shot("1-case")).await?;

    // The apology template, in Spanish: picking it writes the reply.
    select_value(c, "#f-lang", "es").await?;
    select_value(c, "#f-template", "respond").await?;
    let body = c.find(Locator::Css("#f-reply-body")).await?.prop("value").await?.unwrap_or_default();
    ensure!(body.starts_with("Hola") && body.contains("Lo sentimos mucho"), "the template filled the text: {body:?}");
    show(c, "case-reply-form").await?;
    save_screenshot(c, &shot("2-template")).await?;
    click(c, "#case-reply-send").await?;
    // Back on the case (`?ok=saved`) with the reply in the thread.
    wait_text(c, "#case-thread li.msg-reply .msg-kind", &m("conv-kind-reply"))
        .await
        .context("the reply in the thread")?;
    wait_path(c, &format!("/cases/{case}")).await?;
    let subject = shown_text(c, "#case-thread li.msg-reply .msg-subject").await?;
    ensure!(subject.starts_with("Lo sentimos"), "the reply's subject is {subject:?}");
    wait_text(c, "#case-waiting", &m("conv-waiting")).await?;
    fits_the_phone(c, "the case after the reply").await?;
    show(c, "case-conversation").await?;
    save_screenshot(c, &shot("3-sent")).await?;

    // The customer answers the e-mail: the mail service posts it, signed by
    // the reply address, while the page stays open.
    let conv = server.json(&format!("/api/v1/cases/{case}/conversation"), token).await;
    let (from, to) =
        (conv["customer_email"].as_str().context("an e-mail")?, conv["reply_to"].as_str().context("a reply address")?);
    let mail = json!({"from": from, "to": to, "subject": "Re: Lo sentimos",
        "text": format!("{ANSWER}\n\nEl lun, 7 dic 2026, Aurora escribió:\n> Lo sentimos mucho")});
    let (status, body) = server.post("/api/v1/inbound/cases", None, mail).await;
    ensure!(status == 201, "the inbound reply was refused: {status} {body}");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = shown_text(c, "#case-thread li.msg-customer .msg-body").await.unwrap_or_default();
        if got == ANSWER {
            break;
        }
        ensure!(Instant::now() < deadline, "the customer's reply did not appear without a reload (last: {got:?})");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let who = shown_text(c, "#case-thread li.msg-customer .msg-kind").await?;
    ensure!(who == m("conv-kind-customer"), "the answer is marked {who:?}");
    fits_the_phone(c, "the conversation").await?;
    show(c, "case-conversation").await?;
    save_screenshot(c, &shot("4-reply-arrived")).await?;
    Ok(())
}

/// Scrolls the element with this id to the top of the screen (for the screenshot).
async fn show(c: &Client, id: &str) -> Result<()> {
    c.execute(&format!("document.getElementById('{id}').scrollIntoView()"), vec![]).await?;
    Ok(())
}
