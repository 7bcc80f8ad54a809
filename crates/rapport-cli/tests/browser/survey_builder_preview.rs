//! Journey (issue 17, survey sharing): in Spanish on a desktop, an admin
//! opens a survey's page, sees the QR code drawn, the Spanish texts still to
//! write, and the preview in Spanish at a phone's width; types a Spanish
//! title, and the live preview shows it (nothing saved); copies a question
//! with its row button.

use crate::common::Db;
use crate::page::{click, fill, wait_until};
use crate::Viewport;
use crate::{browser_tools, save_screenshot, screenshots_dir, session, sign_in_in_spanish, start_chromedriver};
use anyhow::{bail, ensure, Result};
use fantoccini::{Client, Locator};
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn the_builder_previews_live_in_spanish_and_shares_a_qr_code() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");
    let touchpoints = server.json("/api/v1/touchpoints", &token).await;
    let l = |en: &str, es: &str| json!({"en": en, "es": es});
    let survey = json!({"touchpoint_id": touchpoints[0]["id"], "title": l("After your visit", "After your visit"),
        "questions": [{"key": "nps", "type": "nps", "required": true, "text": l("Recommend us?", "¿Nos recomendaría?")}]});
    let (status, created) = server.post("/api/v1/surveys", Some(&token), survey).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].to_string();

    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let profile = tempfile::tempdir().expect("profile dir");
    let client = session(&webdriver, &chromium, profile.path(), Viewport::Desktop)
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
    let outcome = journey(&client, &server.url, &id).await;
    if outcome.is_err() {
        let _ = save_screenshot(&client, &screenshots_dir().join("survey-builder-failure.png")).await;
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!("the builder journey failed: {e:#}\nserver log:\n{}", server.log_text());
    }
    let kept = server.json(&format!("/api/v1/surveys/{id}"), &token).await;
    assert_eq!(kept["title"]["es"], "After your visit", "the preview saved nothing");
}

/// Polls a script's answer until `ok` holds.
async fn wait_js(c: &Client, what: &str, script: &str, ok: impl Fn(&serde_json::Value) -> bool) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = c.execute(script, vec![]).await?;
        if ok(&v) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("timed out waiting for {what} (last: {v})");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn journey(c: &Client, base: &str, id: &str) -> Result<()> {
    sign_in_in_spanish(c, base, "admin@demo.example").await?;
    c.goto(&format!("{base}/surveys/{id}/edit?plang=es&device=phone")).await?;
    wait_until(c, "the survey page", |path, _| path.ends_with("/edit")).await?;
    // The QR code is drawn (an SVG the browser decoded), the gaps listed.
    wait_js(c, "the QR code", "return document.getElementById('share-qr').naturalWidth", |v| {
        v.as_i64().is_some_and(|w| w > 100)
    })
    .await?;
    let gaps = c.find(Locator::Css("#translation-gaps")).await?.text().await?;
    ensure!(gaps.contains("Título"), "{gaps}");
    // The preview: the saved survey, in Spanish, 390 px wide.
    let frame = c.find(Locator::Css("#preview-frame")).await?;
    ensure!(frame.attr("width").await?.as_deref() == Some("390"));
    let inner = "var d = document.getElementById('preview-frame').contentDocument; \
                 return d && d.readyState === 'complete' ? d.body.innerText : '';";
    wait_js(c, "the saved preview", inner, |v| v.as_str().is_some_and(|t| t.contains("¿Nos recomendaría?"))).await?;
    save_screenshot(c, &screenshots_dir().join("survey-builder-preview.png")).await?;
    // Typing a Spanish title: the live preview follows, nothing saved.
    fill(c, "#f-title_es", "Después de su visita").await?;
    wait_js(c, "the live preview", inner, |v| v.as_str().is_some_and(|t| t.contains("Después de su visita"))).await?;
    // Copying the question: a new row with a new key, the typed title kept.
    click(c, "#row-dup-0").await?;
    wait_js(c, "the copied row", "var k = document.getElementById('f-q1.key'); return k ? k.value : '';", |v| {
        v.as_str() == Some("nps_copy")
    })
    .await?;
    let title = c.find(Locator::Css("#f-title_es")).await?.prop("value").await?;
    ensure!(title.as_deref() == Some("Después de su visita"), "{title:?}");
    save_screenshot(c, &screenshots_dir().join("survey-builder-copied.png")).await?;
    Ok(())
}
