//! Journey: sign in to the demo, open the journey map, switch to Spanish, on a desktop and on a phone.

use crate::common::Db;
use crate::page::{click, open_menu_if_collapsed, shown_text, wait_path, wait_text, wait_until};
use crate::{
    browser_tools, catalogue, message, save_screenshot, screenshots_dir, session, start_chromedriver, Viewport,
};
use anyhow::{ensure, Context, Result};
use fantoccini::{Client, Locator};

/// Demo touchpoints the journey map must show (names from `src/demo.rs`).
const TOUCHPOINTS: [&str; 4] = ["Website and coffee finder", "Online checkout", "Delivery", "Support chat"];

struct Expected {
    title_en: String,
    title_es: String,
    people_es: String,
}

#[tokio::test]
async fn demo_journey_in_english_and_spanish_on_desktop_and_phone() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let (en, es) = (catalogue("en"), catalogue("es"));
    let expected = Expected {
        title_en: message(&en, "en", "journey-title").to_string(),
        title_es: message(&es, "es", "journey-title").to_string(),
        people_es: message(&es, "es", "nav-people").to_string(),
    };

    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    let (_chromedriver, webdriver) = start_chromedriver(&driver);

    for viewport in [Viewport::Desktop, Viewport::Phone] {
        let profile = tempfile::tempdir().expect("profile dir");
        let client = session(&webdriver, &chromium, profile.path(), viewport)
            .await
            .unwrap_or_else(|e| panic!("chromedriver session ({}): {e}", viewport.name()));
        let _ = std::fs::remove_file(screenshots_dir().join(format!("{}-failure.png", viewport.name())));
        let outcome = journey(&client, &server.url, viewport, &expected).await;
        if outcome.is_err() {
            let shot = screenshots_dir().join(format!("{}-failure.png", viewport.name()));
            let _ = save_screenshot(&client, &shot).await;
        }
        let _ = client.close().await;
        if let Err(e) = outcome {
            panic!(
                "{} journey failed: {e:#}\n(screenshot: target/screenshots/{}-failure.png)\nserver log:\n{}",
                viewport.name(),
                viewport.name(),
                server.log_text()
            );
        }
    }
}

async fn journey(c: &Client, base: &str, viewport: Viewport, expected: &Expected) -> Result<()> {
    let shot = |name: &str| screenshots_dir().join(format!("{}-{name}.png", viewport.name()));

    c.goto(&format!("{base}/")).await?;
    wait_path(c, "/sign-in").await.context("/ redirects to the sign-in page when signed out")?;
    save_screenshot(c, &shot("1-sign-in")).await?;
    for (field, value) in [("org", "demo"), ("email", "admin@demo.example"), ("password", "rapport-demo")] {
        let input = c.find(Locator::Css(&format!("[name={field}]"))).await.with_context(|| format!("field {field}"))?;
        input.clear().await?;
        input.send_keys(value).await?;
    }
    c.find(Locator::Css("#sign-in-submit")).await?.click().await?;
    wait_until(c, "leaving the sign-in page", |path, _| !path.starts_with("/sign-in")).await?;
    // The language is an account setting: an earlier run may have left Spanish.
    let lang = c.find(Locator::Css("html")).await?.attr("lang").await?.unwrap_or_default();
    if lang != "en" {
        click(c, "#lang-en").await?;
        wait_until(c, "html lang=en", |_, lang| lang == "en").await?;
    }

    open_menu_if_collapsed(c, "#nav-journey").await?;
    click(c, "#nav-journey").await?;
    wait_text(c, "#page-title", &expected.title_en).await?;
    let body = c.find(Locator::Css("body")).await?.text().await?;
    for name in TOUCHPOINTS {
        ensure!(body.contains(name), "the journey map shows touchpoint {name:?}; page text:\n{body}");
    }
    save_screenshot(c, &shot("2-journey-en")).await?;

    open_menu_if_collapsed(c, "#lang-es").await?;
    click(c, "#lang-es").await?;
    wait_until(c, "html lang=es", |_, lang| lang == "es").await?;
    wait_text(c, "#page-title", &expected.title_es).await?;
    open_menu_if_collapsed(c, "#nav-people").await?;
    let people = shown_text(c, "#nav-people").await?;
    ensure!(people == expected.people_es, "#nav-people is {people:?}, expected {:?}", expected.people_es);
    // Screenshot the map, not the open menu.
    c.goto(c.current_url().await?.as_str()).await?;
    wait_text(c, "#page-title", &expected.title_es).await?;
    save_screenshot(c, &shot("3-journey-es")).await?;
    Ok(())
}
