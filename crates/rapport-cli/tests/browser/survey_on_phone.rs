//! Journey: on a phone, in Spanish, a customer answers through a personal link; it reaches their timeline.

use crate::common::Db;
use crate::page::{choose, click};
use crate::{
    browser_tools, save_screenshot, screenshots_dir, session, sign_in_demo, start_chromedriver, Viewport, WAIT,
};
use anyhow::{bail, ensure, Context, Result};
use fantoccini::{Client, Locator};
use serde_json::json;
use std::time::{Duration, Instant};

/// The demo customer who answers (the demo seeds no responses for the first
/// ten customers, so the fatigue rule lets them answer).
const RESPONDENT: &str = "cust-0001";

/// On a phone, in Spanish: a demo customer answers an NPS + comment survey
/// through a personal link; the response appears in their timeline, in the
/// API and on their profile page.
#[tokio::test]
async fn personal_spanish_survey_on_a_phone_reaches_the_timeline() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");
    let surveys = server.json("/api/v1/surveys", &token).await;
    let survey = surveys
        .as_array()
        // One of the demo's experience surveys (not the short pulse surveys
        // the gap analysis's demo adds).
        .and_then(|l| l.iter().find(|s| s["status"] == "published" && s["title"]["en"] != "Quick pulse"))
        .unwrap_or_else(|| panic!("a published demo survey: {surveys}"))
        .clone();
    let (status, link) = server
        .post(
            &format!("/api/v1/surveys/{}/links", survey["id"]),
            Some(&token),
            json!({"customer": RESPONDENT, "expires_in_days": 7}),
        )
        .await;
    assert!(status == 200 || status == 201, "personal link: {status} {link}");
    let url = link["url"].as_str().unwrap_or_else(|| panic!("a url: {link}")).to_string();
    let url = format!("{url}{}lang=es", if url.contains('?') { '&' } else { '?' });

    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let profile = tempfile::tempdir().expect("profile dir");
    let client = session(&webdriver, &chromium, profile.path(), Viewport::Phone)
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
    let comment = "El café llegó frío, pero el equipo fue muy amable";
    let outcome = answer_and_find(&client, &server.url, &url, comment).await;
    if outcome.is_err() {
        let _ = save_screenshot(&client, &screenshots_dir().join("survey-failure.png")).await;
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!(
            "the Spanish survey on a phone failed: {e:#}\n(screenshot: target/screenshots/survey-failure.png)\n\
             server log:\n{}",
            server.log_text()
        );
    }

    let timeline = server.json(&format!("/api/v1/customers/{RESPONDENT}/timeline"), &token).await;
    let items = timeline.as_array().or_else(|| timeline["items"].as_array()).cloned().unwrap_or_default();
    let response = items
        .iter()
        .find(|i| i.to_string().contains(comment))
        .unwrap_or_else(|| panic!("the response is in the timeline: {timeline}"));
    assert_eq!(response["answers"]["nps"], 9, "{response}");
    assert_eq!(response["language"], "es", "{response}");
}

async fn answer_and_find(c: &Client, base: &str, link: &str, comment: &str) -> Result<()> {
    let shot = |name: &str| screenshots_dir().join(format!("survey-{name}.png"));
    c.goto(link).await?;
    let lang = c.find(Locator::Css("html")).await?.attr("lang").await?.unwrap_or_default();
    ensure!(lang == "es", "the survey page is in Spanish (html lang={lang:?})");
    let body = c.find(Locator::Css("body")).await?.text().await?;
    ensure!(body.contains("¿Cuál es la razón principal de tu puntuación?"), "Spanish questions; page text:\n{body}");
    save_screenshot(c, &shot("1-es")).await?;
    choose(c, "q-nps-9").await?;
    let why = c.find(Locator::Css("#q-why")).await.context("#q-why")?;
    why.send_keys(comment).await?;
    save_screenshot(c, &shot("2-answered")).await?;
    click(c, "#survey-submit").await?;
    let deadline = Instant::now() + WAIT;
    while c.find(Locator::Css("#survey-thanks")).await.is_err() {
        if Instant::now() > deadline {
            let text = c.find(Locator::Css("body")).await?.text().await.unwrap_or_default();
            bail!("no #survey-thanks after submitting (at {}); page text:\n{text}", c.current_url().await?);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    save_screenshot(c, &shot("3-thanks")).await?;

    sign_in_demo(c, base).await?;
    c.goto(&format!("{base}/customers/{RESPONDENT}")).await?;
    let deadline = Instant::now() + WAIT;
    loop {
        let mut texts = Vec::new();
        for item in c.find_all(Locator::Css(".timeline-item")).await? {
            texts.push(item.text().await.unwrap_or_default());
        }
        if texts.iter().any(|t| t.contains(comment)) {
            break;
        }
        if Instant::now() > deadline {
            bail!("no .timeline-item on /customers/{RESPONDENT} shows the comment; items: {texts:?}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        c.refresh().await?;
    }
    save_screenshot(c, &shot("4-timeline")).await?;
    Ok(())
}
