//! Journey: on a phone, in Spanish, with JavaScript turned off, a customer
//! answers a survey with a matrix, a slider, a ranking and a date; the
//! answers reach their timeline (API and profile page).

use crate::common::Db;
use crate::page::{click, fits_the_phone, select_value};
use crate::{browser_tools, save_screenshot, screenshots_dir, session_with, sign_in_in_spanish, start_chromedriver};
use crate::{Viewport, WAIT};
use anyhow::{bail, ensure, Context, Result};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A demo customer the demo gives no responses (the fatigue rule lets them answer).
const RESPONDENT: &str = "cust-0002";

fn l(en: &str, es: &str) -> Value {
    json!({"en": en, "es": es})
}

fn c(key: &str, en: &str, es: &str) -> Value {
    json!({"key": key, "label": l(en, es)})
}

fn survey(touchpoint: &Value) -> Value {
    json!({
        "touchpoint_id": touchpoint,
        "title": l("Your visit", "Su visita"),
        "questions": [
            {"key": "intro", "type": "text_block", "text": l("<p>Four questions.</p>", "<p>Cuatro preguntas.</p>")},
            {"key": "aspects", "type": "matrix", "required": true, "not_applicable": true,
             "text": l("Rate each aspect", "Valore cada aspecto"),
             "rows": [c("staff", "Staff", "Personal"), c("price", "Price", "Precio")]},
            {"key": "effort", "type": "slider", "required": true, "min": 0, "max": 10, "step": 1,
             "low_label": l("Easy", "Fácil"), "high_label": l("Hard", "Difícil"),
             "text": l("How hard was it?", "¿Qué tan difícil fue?")},
            {"key": "priorities", "type": "ranking", "required": true,
             "text": l("Order by importance", "Ordene por importancia"),
             "choices": [c("speed", "Speed", "Rapidez"), c("price", "Price", "Precio"), c("care", "Care", "Atención")]},
            {"key": "visited_on", "type": "date", "required": true, "text": l("When did you visit?", "¿Cuándo nos visitó?")}
        ]
    })
}

/// On a phone, in Spanish, without JavaScript: the new question types are a
/// plain form, a bad ranking is refused in place, and the answers reach the
/// customer's timeline.
#[tokio::test]
async fn survey_types_work_without_javascript_on_a_phone_in_spanish() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");
    let touchpoints = server.json("/api/v1/touchpoints", &token).await;
    let touchpoint = touchpoints[0]["id"].clone();
    let (status, created) = server.post("/api/v1/surveys", Some(&token), survey(&touchpoint)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].clone();
    let (status, _) = server.post(&format!("/api/v1/surveys/{id}/publish"), Some(&token), json!({})).await;
    assert_eq!(status, 200);
    let (status, link) = server
        .post(
            &format!("/api/v1/surveys/{id}/links"),
            Some(&token),
            json!({"customer": RESPONDENT, "expires_in_days": 7}),
        )
        .await;
    assert!(status == 200 || status == 201, "personal link: {status} {link}");
    let url = format!("{}&lang=es", link["url"].as_str().expect("a url"));

    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let profile = tempfile::tempdir().expect("profile dir");
    let client = session_with(&webdriver, &chromium, profile.path(), Viewport::Phone, false)
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
    let outcome = answer(&client, &server.url, &url).await;
    if outcome.is_err() {
        let _ = save_screenshot(&client, &screenshots_dir().join("survey-types-failure.png")).await;
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!("the survey without JavaScript failed: {e:#}\nserver log:\n{}", server.log_text());
    }
    let timeline = server.json(&format!("/api/v1/customers/{RESPONDENT}/timeline"), &token).await;
    let items = timeline["items"].as_array().cloned().unwrap_or_default();
    let response = items
        .iter()
        .find(|i| i["answers"].get("priorities").is_some())
        .unwrap_or_else(|| panic!("the response is in the timeline: {timeline}"));
    assert_eq!(response["answers"]["aspects"], json!({"staff": 5, "price": "na"}), "{response}");
    assert_eq!(response["answers"]["effort"], 7, "three steps right of the middle: {response}");
    assert_eq!(response["answers"]["priorities"], json!(["care", "speed", "price"]), "{response}");
    assert_eq!(response["answers"]["visited_on"], "2026-03-01", "{response}");
    assert_eq!(response["language"], "es", "{response}");
}

async fn answer(c: &Client, base: &str, link: &str) -> Result<()> {
    let shot = |name: &str| screenshots_dir().join(format!("survey-types-{name}.png"));
    c.goto(link).await?;
    let body = c.find(Locator::Css("body")).await?.text().await?;
    ensure!(body.contains("Valore cada aspecto") && body.contains("Puesto 1"), "Spanish page; text:\n{body}");
    // No script ran: the slider's live value stays hidden.
    let out = c.find(Locator::Id("q-effort-out")).await?;
    ensure!(!out.is_displayed().await?, "the slider's value is shown only by a script, which is off");
    fits_the_phone(c, "the survey").await?;
    save_screenshot(c, &shot("1-es")).await?;

    pick(c, "q-aspects-staff-5").await?;
    pick(c, "q-aspects-price-na").await?;
    let slider = c.find(Locator::Id("q-effort")).await.context("#q-effort")?;
    slider.click().await?;
    // A range input moves by its step with the arrow keys: from 5 to 7 after
    // a click in its middle may land anywhere, so set it from the start.
    slider.send_keys(&char::from(Key::Home).to_string()).await?;
    for _ in 0..7 {
        slider.send_keys(&char::from(Key::Right).to_string()).await?;
    }
    // Twice the same item: refused in place, nothing stored.
    select_value(c, "#q-priorities-1", "care").await?;
    select_value(c, "#q-priorities-2", "care").await?;
    select_value(c, "#q-priorities-3", "price").await?;
    let date = c.find(Locator::Id("q-visited_on")).await?;
    date.click().await?;
    // Chromium's date field takes the digits in its locale's order (en-US here).
    date.send_keys("03012026").await?;
    save_screenshot(c, &shot("2-answered")).await?;
    click(c, "#survey-submit").await?;
    wait_for(c, "#q-priorities-error").await.context("a duplicate rank is refused")?;
    ensure!(c.find(Locator::Id("q-aspects-staff-5")).await?.prop("checked").await?.as_deref() == Some("true"));
    save_screenshot(c, &shot("3-refused")).await?;
    select_value(c, "#q-priorities-2", "speed").await?;
    click(c, "#survey-submit").await?;
    wait_for(c, "#survey-thanks").await?;
    save_screenshot(c, &shot("4-thanks")).await?;

    sign_in_in_spanish(c, base, "admin@demo.example").await?;
    c.goto(&format!("{base}/customers/{RESPONDENT}")).await?;
    let text = c.find(Locator::Css("body")).await?.text().await?;
    for line in ["Personal", "1. Atención, 2. Rapidez, 3. Precio", "2026-03-01"] {
        ensure!(text.contains(line), "the profile shows {line:?}; text:\n{text}");
    }
    save_screenshot(c, &shot("5-timeline")).await?;
    Ok(())
}

/// Picks a styled radio button by its label, as a finger does.
async fn pick(c: &Client, id: &str) -> Result<()> {
    let css = format!("label[for=\"{id}\"]");
    let label = c.find(Locator::Css(&css)).await.with_context(|| format!("label of #{id}"))?;
    label.click().await.with_context(|| format!("click the label of #{id}"))?;
    let input = c.find(Locator::Id(id)).await?;
    ensure!(input.prop("checked").await?.as_deref() == Some("true"), "#{id} is checked after clicking its label");
    Ok(())
}

async fn wait_for(c: &Client, css: &str) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    while c.find(Locator::Css(css)).await.is_err() {
        if Instant::now() > deadline {
            let text = c.find(Locator::Css("body")).await?.text().await.unwrap_or_default();
            bail!("no {css} (at {}); page text:\n{text}", c.current_url().await?);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}
