//! Journey: on a phone, in Spanish, an agent filters the feedback inbox to
//! angry comments, opens the one that just arrived, sees its sentences
//! marked, and opens a case from it.

use crate::common::Server;
use crate::page::{
    click, fill, fits_the_phone, open_menu_if_collapsed, select_value, wait_path, wait_text, wait_until,
};
use crate::{browser_tools, catalogue, message, save_screenshot, screenshots_dir, session, sign_in_in_spanish};
use crate::{start_chromedriver, Viewport};
use anyhow::{bail, ensure, Context, Result};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use std::collections::HashMap;

const ANGRY: &str = "¡Una ESTAFA! Me cobraron dos veces y nadie contesta. Me voy a la competencia.";
const CUSTOMER: &str = "cust-0003";
const CASE_TITLE: &str = "Cobro doble: llamar hoy";

#[tokio::test]
async fn agent_answers_an_angry_comment_from_the_inbox_in_spanish_on_a_phone() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let es = catalogue("es");
    let db = crate::common::Db::sqlite();
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");
    let surveys = server.json("/api/v1/surveys", &token).await;
    let survey = surveys
        .as_array()
        .and_then(|l| l.iter().find(|s| s["status"] == "published"))
        .unwrap_or_else(|| panic!("a published demo survey: {surveys}"))
        .clone();
    let response = json!({"survey": survey["id"], "customer": CUSTOMER, "answers": {"nps": 8},
        "at": chrono::Utc::now().to_rfc3339(), "comment": ANGRY});
    let (status, report) = server.post("/api/v1/responses", Some(&token), response).await;
    assert!((200..300).contains(&status), "the angry response: {status} {report}");

    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let profile = tempfile::tempdir().expect("profile dir");
    let client = session(&webdriver, &chromium, profile.path(), Viewport::Phone)
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
    let outcome = answer(&client, &server, &token, survey["id"].clone(), &es).await;
    if outcome.is_err() {
        let _ = save_screenshot(&client, &screenshots_dir().join("inbox-failure.png")).await;
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!(
            "the inbox journey on a phone failed: {e:#}\n(screenshot: target/screenshots/inbox-failure.png)\n\
             server log:\n{}",
            server.log_text()
        );
    }
}

async fn answer(c: &Client, server: &Server, token: &str, survey: Value, es: &HashMap<String, String>) -> Result<()> {
    let base = server.url.as_str();
    let shot = |name: &str| screenshots_dir().join(format!("inbox-{name}.png"));
    let m = |key: &str| message(es, "es", key).to_string();
    sign_in_in_spanish(c, base, "agent@demo.example").await?;

    open_menu_if_collapsed(c, "#nav-feedback").await?;
    wait_text(c, "#nav-feedback", &m("nav-feedback")).await?;
    click(c, "#nav-feedback").await?;
    wait_path(c, "/feedback").await?;
    wait_text(c, "#page-title", &m("feedback-title")).await?;
    fits_the_phone(c, "the inbox").await?;
    save_screenshot(c, &shot("1-inbox")).await?;

    // A response arriving now is announced without a reload (the stream).
    let late = json!({"survey": survey, "customer": "cust-0004", "answers": {"nps": 9},
        "at": chrono::Utc::now().to_rfc3339(), "comment": "Todo perfecto"});
    let (status, report) = server.post("/api/v1/responses", Some(token), late).await;
    ensure!((200..300).contains(&status), "the late response: {status} {report}");
    wait_visible(c, "#feedback-live").await.context("the new-responses banner")?;

    // Open the filters (collapsed on a phone), keep the angry ones.
    click(c, "#feedback-filters > summary").await?;
    select_value(c, "#f-flag", "anger").await?;
    click(c, "#feedback-filter-submit").await?;
    wait_until(c, "the filtered inbox", |path, _| path == "/feedback").await?;
    let items = c.find_all(Locator::Css(".feedback-item")).await?;
    let mut link = None;
    for item in &items {
        let text = item.text().await.unwrap_or_default();
        if !text.contains(&m("flag-anger")) {
            bail!("a listed response is not angry: {text}");
        }
        if text.contains("ESTAFA") {
            link = Some(item.find(Locator::Css(".feedback-link")).await?);
        }
    }
    let Some(link) = link else {
        let text = c.find(Locator::Css("main")).await?.text().await.unwrap_or_default();
        bail!("the angry comment is not in the filtered inbox; page text:\n{text}");
    };
    fits_the_phone(c, "the filtered inbox").await?;
    save_screenshot(c, &shot("2-angry")).await?;
    link.click().await?;
    wait_until(c, "the response page", |path, _| path.starts_with("/feedback/")).await?;
    c.find(Locator::Css(".sentence-negative")).await.context("negative sentences are marked")?;
    wait_text(c, "#feedback-anger", &m("flag-anger")).await?;
    fits_the_phone(c, "the response page").await?;
    save_screenshot(c, &shot("3-response")).await?;

    click(c, "#case-open-toggle").await?;
    let title = c.find(Locator::Css("#f-title")).await?;
    title.clear().await?;
    fill(c, "#f-title", CASE_TITLE).await?;
    click(c, "#case-open-submit").await?;
    wait_until(c, "the new case", |path, _| path.starts_with("/cases/")).await?;
    let page = c.find(Locator::Css("main")).await?.text().await.unwrap_or_default();
    if !page.contains(CASE_TITLE) || !page.contains(CUSTOMER) {
        bail!("the case page does not show the case: {page}");
    }
    fits_the_phone(c, "the case opened from the inbox").await?;
    save_screenshot(c, &shot("4-case")).await?;
    Ok(())
}

/// Waits until the element is shown (its `hidden` attribute gone).
async fn wait_visible(c: &Client, css: &str) -> Result<()> {
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if el.is_displayed().await.unwrap_or(false) {
                return Ok(());
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    bail!("{css} never became visible")
}
