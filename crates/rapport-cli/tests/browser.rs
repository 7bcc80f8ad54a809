//! Headless Chromium through chromedriver: sign in to the demo, open the
//! journey map, switch to Spanish, on a desktop and on a phone viewport.
//! Expected labels come from the Fluent catalogues, not from this file.
//! Screenshots land in `target/screenshots/`.

mod common;

use anyhow::{bail, ensure, Context, Result};
use common::{free_port, missing, wait_for_port, Db, KillOnDrop, Server};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);
/// Demo touchpoints the journey map must show (names from `src/demo.rs`).
const TOUCHPOINTS: [&str; 4] = ["Website and coffee finder", "Online checkout", "Delivery", "Support chat"];

#[derive(Debug, Clone, Copy)]
enum Viewport {
    Desktop,
    Phone,
}

impl Viewport {
    fn name(self) -> &'static str {
        match self {
            Viewport::Desktop => "desktop",
            Viewport::Phone => "phone",
        }
    }
}

fn tool(env: &str, default: &str) -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var(env).unwrap_or_else(|_| default.to_string()));
    path.is_file().then_some(path)
}

/// chromedriver and Chromium, or `None` after saying which is missing (a
/// failure under `CI`, a skip otherwise).
fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    let Some(driver) = tool("CHROMEDRIVER", "/usr/bin/chromedriver") else {
        missing("chromedriver not found (set CHROMEDRIVER or install chromium-driver)");
        return None;
    };
    let Some(chromium) = tool("CHROMIUM", "/usr/bin/chromium") else {
        missing("chromium not found (set CHROMIUM or install chromium)");
        return None;
    };
    Some((driver, chromium))
}

/// `key = value` lines of a Fluent catalogue (single-line messages only).
fn catalogue(lang: &str) -> HashMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../rapport-server/locales/{lang}.ftl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with(|c: char| c.is_whitespace() || c == '#' || c == '-'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

fn message<'a>(cat: &'a HashMap<String, String>, lang: &str, key: &str) -> &'a str {
    cat.get(key).unwrap_or_else(|| panic!("{lang}.ftl has no single-line message {key}"))
}

fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
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

/// chromedriver on a free port (killed on drop), and its URL.
fn start_chromedriver(driver: &Path) -> (KillOnDrop, String) {
    let port = free_port();
    let mut chromedriver = KillOnDrop(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", driver.display())),
    );
    wait_for_port(port, &mut chromedriver.0, Duration::from_secs(30));
    (chromedriver, format!("http://127.0.0.1:{port}"))
}

fn capabilities(chromium: &Path, profile: &Path, viewport: Viewport) -> serde_json::Map<String, Value> {
    let size = match viewport {
        Viewport::Desktop => "--window-size=1280,800",
        Viewport::Phone => "--window-size=390,844",
    };
    let mut options = json!({
        "binary": chromium,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            size, format!("--user-data-dir={}", profile.display()),
        ],
    });
    if let Viewport::Phone = viewport {
        options["mobileEmulation"] = json!({"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3}});
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    caps
}

struct Expected {
    title_en: String,
    title_es: String,
    people_es: String,
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

/// On a phone the navigation sits behind `#nav-menu-toggle`: when `target`
/// is hidden and the toggle is shown, open the menu. (WebDriver counts the
/// content of a closed `<details>` as hidden even where CSS shows it, as the
/// desktop layout does, so only a displayed toggle decides.)
async fn open_menu_if_collapsed(c: &Client, target: &str) -> Result<()> {
    let el = c.find(Locator::Css(target)).await.with_context(|| format!("{target} is on the page"))?;
    if el.is_displayed().await? {
        return Ok(());
    }
    let Ok(toggle) = c.find(Locator::Css("#nav-menu-toggle")).await else { return Ok(()) };
    if !toggle.is_displayed().await? {
        return Ok(());
    }
    toggle.click().await?;
    let deadline = Instant::now() + Duration::from_secs(5);
    while !el.is_displayed().await? {
        if Instant::now() > deadline {
            bail!("{target} is not displayed, even after opening #nav-menu-toggle");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// The element's rendered text; falls back to `innerText` where WebDriver
/// deems the element hidden (see `open_menu_if_collapsed`).
async fn shown_text(c: &Client, css: &str) -> Result<String> {
    let el = c.find(Locator::Css(css)).await.with_context(|| format!("{css} is on the page"))?;
    let text = el.text().await?;
    if !text.trim().is_empty() {
        return Ok(text.trim().to_string());
    }
    Ok(el.prop("innerText").await?.unwrap_or_default().trim().to_string())
}

/// Clicks like a user. Where WebDriver refuses because it deems the element
/// hidden although it is rendered (a link inside a closed `<details>` that CSS
/// shows, see `open_menu_if_collapsed`), clicks it from script instead.
async fn click(c: &Client, css: &str) -> Result<()> {
    let el = c.find(Locator::Css(css)).await.with_context(|| format!("{css} is on the page"))?;
    match el.click().await {
        Ok(()) => Ok(()),
        Err(e) if e.to_string().contains("not interactable") => {
            eprintln!("note: WebDriver deems {css} not interactable; clicking it from script");
            c.execute("arguments[0].click()", vec![serde_json::to_value(&el)?]).await?;
            Ok(())
        }
        Err(e) => Err(e).with_context(|| format!("click {css}")),
    }
}

/// Polls until `ok(path, html lang)` holds.
async fn wait_until(c: &Client, what: &str, ok: impl Fn(&str, &str) -> bool) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        let url = c.current_url().await?;
        let lang = match c.find(Locator::Css("html")).await {
            Ok(html) => html.attr("lang").await.ok().flatten().unwrap_or_default(),
            Err(_) => String::new(),
        };
        // A page still streaming in already has its <html lang>, but not
        // yet the elements the next step looks for.
        let loaded = c.execute("return document.readyState", vec![]).await.ok();
        let loaded = loaded.as_ref().and_then(|v| v.as_str()) == Some("complete");
        if loaded && ok(url.path(), &lang) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("timed out waiting for {what} (at {url}, lang {lang:?}, loaded: {loaded})");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_path(c: &Client, path: &str) -> Result<()> {
    wait_until(c, &format!("path {path}"), |p, _| p == path).await
}

async fn wait_text(c: &Client, css: &str, expected: &str) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        let text = shown_text(c, css).await.unwrap_or_default();
        if text == expected {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{css} is {text:?}, expected {expected:?} (at {})", c.current_url().await?);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn save_screenshot(c: &Client, path: &Path) -> Result<()> {
    let png = c.screenshot().await?;
    std::fs::write(path, png).with_context(|| format!("write {}", path.display()))
}

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
        .and_then(|l| l.iter().find(|s| s["status"] == "published"))
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

    c.goto(&format!("{base}/sign-in")).await?;
    for (field, value) in [("org", "demo"), ("email", "admin@demo.example"), ("password", "rapport-demo")] {
        let input = c.find(Locator::Css(&format!("[name={field}]"))).await.with_context(|| format!("field {field}"))?;
        input.clear().await?;
        input.send_keys(value).await?;
    }
    click(c, "#sign-in-submit").await?;
    wait_until(c, "leaving the sign-in page", |path, _| !path.starts_with("/sign-in")).await?;
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

/// Selects a radio button by id: the input itself, else its label (a styled
/// scale may hide the input), else from script.
async fn choose(c: &Client, id: &str) -> Result<()> {
    let input = c.find(Locator::Id(id)).await.with_context(|| format!("#{id} is on the page"))?;
    if input.click().await.is_err() {
        let label = c.find(Locator::Css(&format!("label[for=\"{id}\"]"))).await;
        let clicked = match label {
            Ok(l) => l.click().await.is_ok(),
            Err(_) => false,
        };
        if !clicked {
            c.execute("arguments[0].click()", vec![serde_json::to_value(&input)?]).await?;
        }
    }
    ensure!(input.prop("checked").await?.as_deref() == Some("true"), "#{id} is checked after clicking it");
    Ok(())
}

/// The CX dashboard against the demo: tiles in English, labels in Spanish,
/// a segment filter, a touchpoint drill-down, the CSV export, and the
/// wall screen updating itself when a new response arrives. Numbers are
/// read from the page, never expected exactly (the demo data changes).
#[tokio::test]
async fn dashboard_filters_drill_down_csv_and_live_wall() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let (en, es) = (catalogue("en"), catalogue("es"));
    let labels = DashboardLabels {
        title_en: message(&en, "en", "dashboard-title").to_string(),
        title_es: message(&es, "es", "dashboard-title").to_string(),
        segment_es: message(&es, "es", "dashboard-filter-segment").to_string(),
    };
    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");
    // A published demo survey with an NPS question, to answer through the API.
    let surveys = server.json("/api/v1/surveys", &token).await;
    let (survey, nps_key) = surveys
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["status"] == "published")
        .find_map(|s| {
            let q = s["questions"].as_array()?.iter().find(|q| q["type"] == "nps")?;
            Some((s["id"].clone(), q["key"].as_str()?.to_string()))
        })
        .unwrap_or_else(|| panic!("a published demo survey with an NPS question: {surveys}"));
    let post = || {
        let server = &server;
        let (token, survey, key) = (&token, survey.clone(), nps_key.clone());
        async move {
            let at = chrono::Utc::now().to_rfc3339();
            let mut answers = serde_json::Map::new();
            answers.insert(key, json!(9));
            let body = json!({"survey": survey, "at": at, "answers": answers, "comment": "wall screen test"});
            let (status, reply) = server.post("/api/v1/responses", Some(token.as_str()), body).await;
            assert!((200..300).contains(&status) && reply["accepted"] == 1, "new response: {status} {reply}");
        }
    };

    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let profile = tempfile::tempdir().expect("profile dir");
    let client = session(&webdriver, &chromium, profile.path(), Viewport::Desktop)
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
    let outcome = dashboard(&client, &server.url, &labels, post).await;
    if outcome.is_err() {
        let _ = save_screenshot(&client, &screenshots_dir().join("dashboard-failure.png")).await;
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!(
            "the dashboard journey failed: {e:#}\n(screenshot: target/screenshots/dashboard-failure.png)\n\
             server log:\n{}",
            server.log_text()
        );
    }

    // The same dashboard on a phone, in Spanish: tiles readable, nothing wider than the screen.
    let profile = tempfile::tempdir().expect("profile dir");
    let client = session(&webdriver, &chromium, profile.path(), Viewport::Phone)
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
    let outcome = dashboard_on_phone(&client, &server.url, &labels).await;
    if outcome.is_err() {
        let _ = save_screenshot(&client, &screenshots_dir().join("dashboard-phone-failure.png")).await;
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!(
            "the dashboard on a phone failed: {e:#}\n(screenshot: target/screenshots/dashboard-phone-failure.png)\n\
             server log:\n{}",
            server.log_text()
        );
    }
}

async fn dashboard_on_phone(c: &Client, base: &str, labels: &DashboardLabels) -> Result<()> {
    sign_in_demo(c, base).await?;
    c.goto(&format!("{base}/dashboard?lang=es")).await?;
    wait_text(c, "#page-title", &labels.title_es).await?;
    let value = shown_text(c, "[data-metric=\"nps\"] .tile-value").await?;
    ensure!(value.replace(',', ".").parse::<f64>().is_ok(), "the NPS tile shows a number on a phone, not {value:?}");
    let widths = c.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await?;
    let (page, screen) = (widths[0].as_i64().unwrap_or(0), widths[1].as_i64().unwrap_or(0));
    ensure!(page <= screen + 1, "the dashboard is {page} px wide on a {screen} px screen: it scrolls sideways");
    save_screenshot(c, &screenshots_dir().join("dashboard-5-phone-es.png")).await
}

struct DashboardLabels {
    title_en: String,
    title_es: String,
    segment_es: String,
}

async fn sign_in_demo(c: &Client, base: &str) -> Result<()> {
    c.goto(&format!("{base}/sign-in")).await?;
    for (field, value) in [("org", "demo"), ("email", "admin@demo.example"), ("password", "rapport-demo")] {
        let input = c.find(Locator::Css(&format!("[name={field}]"))).await.with_context(|| format!("field {field}"))?;
        input.clear().await?;
        input.send_keys(value).await?;
    }
    click(c, "#sign-in-submit").await?;
    wait_until(c, "leaving the sign-in page", |path, _| !path.starts_with("/sign-in")).await
}

/// The `data-n` of a metric's tile (its sample size).
async fn tile_n(c: &Client, metric: &str) -> Result<i64> {
    let css = format!("[data-metric=\"{metric}\"] .tile-n");
    let n = c.find(Locator::Css(&css)).await.with_context(|| format!("{css} is on the page"))?.attr("data-n").await?;
    n.as_deref().unwrap_or("").parse().with_context(|| format!("{css} has a numeric data-n ({n:?})"))
}

async fn dashboard<F, Fut>(c: &Client, base: &str, labels: &DashboardLabels, post_response: F) -> Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let shot = |name: &str| screenshots_dir().join(format!("dashboard-{name}.png"));
    sign_in_demo(c, base).await?;
    let lang = c.find(Locator::Css("html")).await?.attr("lang").await?.unwrap_or_default();
    if lang != "en" {
        click(c, "#lang-en").await?;
        wait_until(c, "html lang=en", |_, lang| lang == "en").await?;
    }

    // English: the NPS tile shows a number.
    open_menu_if_collapsed(c, "#nav-dashboard").await?;
    click(c, "#nav-dashboard").await?;
    wait_text(c, "#page-title", &labels.title_en).await?;
    let value = shown_text(c, "[data-metric=\"nps\"] .tile-value").await?;
    ensure!(value.replace(',', "").parse::<f64>().is_ok(), "the NPS tile shows a number, not {value:?}");
    let all_n = tile_n(c, "nps").await?;
    save_screenshot(c, &shot("1-en")).await?;

    // Spanish labels from es.ftl.
    open_menu_if_collapsed(c, "#lang-es").await?;
    click(c, "#lang-es").await?;
    wait_until(c, "html lang=es", |_, lang| lang == "es").await?;
    wait_text(c, "#page-title", &labels.title_es).await?;
    let label = shown_text(c, "label[for=\"f-segment\"]").await?;
    ensure!(label == labels.segment_es, "the segment filter is labelled {label:?}, expected {:?}", labels.segment_es);

    // Filter by the first segment: the URL names it and the tiles count fewer answers.
    let option = c.find(Locator::Css("#f-segment option:nth-child(2)")).await.context("a segment to choose")?;
    let segment = option.attr("value").await?.unwrap_or_default();
    ensure!(!segment.is_empty(), "the demo has a segment");
    option.click().await?;
    click(c, "#dashboard-filter-submit").await?;
    let deadline = Instant::now() + WAIT;
    loop {
        let url = c.current_url().await?;
        if url.path() == "/dashboard" && url.query_pairs().any(|(k, v)| k == "segment" && v == segment.as_str()) {
            break;
        }
        if Instant::now() > deadline {
            bail!("the filter did not reach the URL (at {url})");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_text(c, "#page-title", &labels.title_es).await?;
    let segment_n = tile_n(c, "nps").await?;
    ensure!(segment_n < all_n, "the segment's NPS counts fewer answers ({segment_n}) than everyone's ({all_n})");
    let selected = c.find(Locator::Css("#f-segment")).await?.prop("value").await?.unwrap_or_default();
    ensure!(selected == segment, "the segment stays selected ({selected:?})");
    save_screenshot(c, &shot("2-segment-es")).await?;

    // A touchpoint drill-down, with its chart.
    click(c, "a.drill-touchpoint").await?;
    wait_until(c, "a touchpoint drill-down", |path, _| path.starts_with("/dashboard/touchpoints/")).await?;
    c.find(Locator::Css("#touchpoint-series svg")).await.context("the drill-down draws the NPS chart")?;
    save_screenshot(c, &shot("3-touchpoint")).await?;

    // The CSV export, fetched as the page would download it.
    let got = c
        .execute(
            "return fetch('/dashboard?format=csv').then(r => r.text().then(t => [r.headers.get('content-type'), t]));",
            vec![],
        )
        .await?;
    let content_type = got[0].as_str().unwrap_or_default();
    let csv = got[1].as_str().unwrap_or_default();
    ensure!(content_type.starts_with("text/csv"), "the export is CSV, not {content_type:?}");
    let header = csv.lines().next().unwrap_or_default();
    ensure!(
        header == "metric,owner,target,value,ci_low,ci_high,n,sufficient,status,kind,from,to",
        "the CSV's header row is {header:?}"
    );
    ensure!(csv.lines().any(|l| l.starts_with("nps,")), "the CSV has an NPS row:\n{csv}");

    // The wall screen: the NPS tile's n grows, without a reload, when a response arrives.
    c.goto(&format!("{base}/dashboard?wall=1")).await?;
    c.find(Locator::Css("body.wall")).await.context("the wall screen")?;
    ensure!(c.find(Locator::Css("#nav")).await.is_err(), "no navigation on the wall screen");
    let before = tile_n(c, "nps").await?;
    save_screenshot(c, &shot("4-wall")).await?;
    post_response().await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let now = tile_n(c, "nps").await?;
        if now > before {
            break;
        }
        if Instant::now() > deadline {
            bail!("the wall's NPS tile still counts {now} answers 15 s after a new one (was {before})");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    save_screenshot(c, &shot("5-wall-updated")).await?;
    Ok(())
}

/// An HTTP client that shows redirects instead of following them.
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

/// Signs in through the web form; the session cookie (`name=value`).
async fn web_session(base: &str, email: &str) -> String {
    let resp = no_redirects()
        .post(format!("{base}/sign-in"))
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body(&[("org", "demo"), ("email", email), ("password", "rapport-demo")]))
        .send()
        .await
        .expect("sign-in request");
    resp.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find(|c| c.starts_with("rapport_session="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie signing in as {email}"))
        .to_string()
}

/// Posts a web form as a signed-in user; expects the redirect of a success.
async fn web_post(base: &str, cookie: &str, path: &str, pairs: &[(&str, &str)]) {
    let resp = no_redirects()
        .post(format!("{base}{path}"))
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(reqwest::header::COOKIE, cookie)
        .body(form_body(pairs))
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    let status = resp.status().as_u16();
    let body = resp.text().await.unwrap_or_default();
    assert_eq!(status, 303, "POST {path}: {status}\n{body}");
}

/// The customer whose detractor answer opens the case (a fresh demo customer).
/// The id of the object of a demo list (`path`) whose `field` is `value`.
async fn demo_id(server: &Server, token: &str, path: &str, field: &str, value: &str) -> String {
    let list = server.json(path, token).await;
    let items = list.as_array().cloned().or_else(|| list["items"].as_array().cloned()).unwrap_or_default();
    let found = items.iter().find(|x| x[field] == value);
    found.unwrap_or_else(|| panic!("{value} in {path}: {items:?}"))["id"].to_string()
}

const UNHAPPY: &str = "cust-0002";
const ROOT_CAUSE: &str = "Reparto sin frío";

/// On a phone, in Spanish: a detractor's answer opens a case (rule NPS ≤ 6,
/// routed to the demo agent's person); the agent finds it in "Casos", is
/// refused when closing it early, works the eight RESOLVED steps and closes it.
#[tokio::test]
async fn agent_works_a_case_through_resolved_in_spanish_on_a_phone() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let es = catalogue("es");
    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");

    // The agent account is Kevin O'Brien; cases are routed to him.
    let kevin = demo_id(&server, &token, "/api/v1/people", "email", "kevin.obrien@aurora.example").await;
    let admin = web_session(&server.url, "admin@demo.example").await;
    let rule = [("name", "Detractores"), ("kind", "score"), ("scale", "nps"), ("at_most", "6")];
    web_post(&server.url, &admin, "/cases/rules/case-rules", &rule).await;
    let route = [
        ("name", "Todo a Kevin"),
        ("position", "1"),
        ("assignee_id", kevin.as_str()),
        ("first_response_hours", "4"),
        ("resolution_hours", "24"),
    ];
    web_post(&server.url, &admin, "/cases/rules/routing", &route).await;
    web_post(&server.url, &admin, "/root-causes", &[("name", ROOT_CAUSE), ("preventable", "yes")]).await;

    // A detractor answers the published survey.
    let surveys = server.json("/api/v1/surveys", &token).await;
    let survey = surveys
        .as_array()
        .and_then(|l| l.iter().find(|s| s["status"] == "published"))
        .unwrap_or_else(|| panic!("a published demo survey: {surveys}"))
        .clone();
    let (status, report) = server
        .post(
            "/api/v1/responses",
            Some(&token),
            json!({"survey": survey["id"], "customer": UNHAPPY, "answers": {"nps": 2},
                   "at": chrono::Utc::now().to_rfc3339(),
                   "comment": "El café llegó frío otra vez", "language": "es"}),
        )
        .await;
    assert!(status == 200 || status == 201 || status == 202, "detractor response: {status} {report}");

    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let profile = tempfile::tempdir().expect("profile dir");
    let client = session(&webdriver, &chromium, profile.path(), Viewport::Phone)
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
    let outcome = work_case(&client, &server.url, &es).await;
    if outcome.is_err() {
        let _ = save_screenshot(&client, &screenshots_dir().join("case-failure.png")).await;
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!(
            "the agent's case on a phone failed: {e:#}\n(screenshot: target/screenshots/case-failure.png)\n\
             server log:\n{}",
            server.log_text()
        );
    }
}

/// Fills a text field.
async fn fill(c: &Client, css: &str, text: &str) -> Result<()> {
    let el = c.find(Locator::Css(css)).await.with_context(|| format!("{css} is on the page"))?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

/// No horizontal scrolling at the phone's width.
async fn fits_the_phone(c: &Client, what: &str) -> Result<()> {
    let wide = c.execute("return document.documentElement.scrollWidth", vec![]).await?;
    let view = c.execute("return window.innerWidth", vec![]).await?;
    let (wide, view) = (wide.as_f64().unwrap_or(0.0), view.as_f64().unwrap_or(0.0));
    ensure!(wide <= view + 1.0, "{what} scrolls sideways on a phone ({wide} px wide in {view} px)");
    Ok(())
}

async fn work_case(c: &Client, base: &str, es: &HashMap<String, String>) -> Result<()> {
    let shot = |name: &str| screenshots_dir().join(format!("case-{name}.png"));
    let m = |key: &str| message(es, "es", key).to_string();
    c.goto(&format!("{base}/sign-in")).await?;
    for (field, value) in [("org", "demo"), ("email", "agent@demo.example"), ("password", "rapport-demo")] {
        fill(c, &format!("[name={field}]"), value).await.with_context(|| format!("field {field}"))?;
    }
    click(c, "#sign-in-submit").await?;
    wait_until(c, "leaving the sign-in page", |path, _| !path.starts_with("/sign-in")).await?;
    click(c, "#lang-es").await?;
    wait_until(c, "the page in Spanish", |_, lang| lang == "es").await?;

    open_menu_if_collapsed(c, "#nav-cases").await?;
    wait_text(c, "#nav-cases", &m("nav-cases")).await?;
    click(c, "#nav-cases").await?;
    wait_path(c, "/cases").await?;
    wait_text(c, "#page-title", &m("cases-title")).await?;
    fits_the_phone(c, "the queue").await?;
    save_screenshot(c, &shot("1-queue")).await?;
    let mut link = None;
    for row in c.find_all(Locator::Css(".case-row")).await? {
        if row.text().await.unwrap_or_default().contains(UNHAPPY) {
            link = Some(row.find(Locator::Css(".case-link")).await?);
            break;
        }
    }
    let Some(link) = link else {
        let text = c.find(Locator::Css("main")).await?.text().await.unwrap_or_default();
        bail!("no case for {UNHAPPY} in the agent's queue; page text:\n{text}");
    };
    link.click().await?;
    wait_until(c, "the case page", |path, _| path.starts_with("/cases/") && path != "/cases/").await?;
    wait_text(c, "#case-status", &m("case-status-open")).await?;
    for step in ["respond", "empathize", "seek", "open", "listen", "verify", "eliminate", "document"] {
        let name = shown_text(c, &format!("#step-{step} .resolved-head strong")).await?;
        ensure!(name == m(&format!("case-step-{step}")), "step {step} is called {name:?}");
    }
    fits_the_phone(c, "the case page").await?;

    // Too early: refused, saying what is missing.
    click(c, "#case-close").await?;
    wait_text(c, "#case-close-refused", &m("case-close-refused-both")).await?;
    save_screenshot(c, &shot("2-refused")).await?;

    for step in ["respond", "empathize", "seek", "open", "listen", "verify", "eliminate", "document"] {
        c.find(Locator::Css(&format!("#step-{step} #step-form"))).await.with_context(|| format!("{step} is next"))?;
        match step {
            "open" => fill(c, "#f-proposal", "Un paquete nuevo con envío urgente").await?,
            "verify" => choose(c, "f-agreed-yes").await?,
            "eliminate" => fill(c, "#f-action", "Cajas isotérmicas en la ruta del norte").await?,
            "document" => {
                let select = c.find(Locator::Css("#f-root_cause_id")).await?;
                let option = format!(".//option[normalize-space(.)='{ROOT_CAUSE}']");
                select.select_by(Locator::XPath(&option)).await.context("choose the root cause")?;
                fill(c, "#f-root_cause_note", "La furgoneta no tenía refrigeración").await?;
            }
            _ => fill(c, "#f-note", &format!("Paso {step} hecho")).await?,
        }
        click(c, "#step-submit").await?;
        wait_text(c, &format!("#step-{step} .badge"), &m("case-step-done")).await?;
    }
    save_screenshot(c, &shot("3-steps")).await?;
    click(c, "#case-close").await?;
    wait_text(c, "#case-status", &m("case-status-closed")).await?;
    c.find(Locator::Css("#case-closed-at")).await.context("the closing time is shown")?;
    fits_the_phone(c, "the closed case").await?;
    save_screenshot(c, &shot("4-closed")).await?;
    Ok(())
}

/// Chooses an option of a `<select>` by its value.
async fn select_value(c: &Client, css: &str, value: &str) -> Result<()> {
    let el = c.find(Locator::Css(css)).await.with_context(|| format!("{css} is on the page"))?;
    el.select_by_value(value).await.with_context(|| format!("{css} has the option {value}"))?;
    Ok(())
}

/// A fresh headless Chromium session through chromedriver.
async fn session(webdriver: &str, chromium: &Path, profile: &Path, viewport: Viewport) -> Result<Client> {
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities(chromium, profile, viewport))
        .connect(webdriver)
        .await
        .context("chromedriver session")
}

/// Opens a browser session as a demo account, in Spanish.
async fn person_session(
    webdriver: &str,
    chromium: &Path,
    profile: &Path,
    viewport: Viewport,
    base: &str,
    email: &str,
) -> Result<Client> {
    let c = session(webdriver, chromium, profile, viewport).await.with_context(|| format!("a session for {email}"))?;
    c.goto(&format!("{base}/sign-in")).await?;
    for (field, value) in [("org", "demo"), ("email", email), ("password", "rapport-demo")] {
        fill(&c, &format!("[name={field}]"), value).await.with_context(|| format!("field {field}"))?;
    }
    click(&c, "#sign-in-submit").await?;
    wait_until(&c, "leaving the sign-in page", |path, _| !path.starts_with("/sign-in")).await?;
    click(&c, "#lang-es").await?;
    wait_until(&c, "the page in Spanish", |_, lang| lang == "es").await?;
    Ok(c)
}

/// The path's id after `prefix`, e.g. `/ideas/12` → `12`.
async fn id_in_path(c: &Client, prefix: &str) -> Result<String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let url = c.current_url().await?;
        if let Some(id) = url.path().strip_prefix(prefix).filter(|s| !s.is_empty() && !s.contains('/')) {
            return Ok(id.to_string());
        }
        if Instant::now() > deadline {
            bail!("timed out waiting for {prefix}ID (at {url})");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const IDEA: &str = "Devolver la llamada en menos de una hora";
const SPRINT: &str = "Sprint de atención telefónica";

/// The improvement loop end to end, in Spanish, one browser per person: a
/// member submits and votes an idea for "Phone support" (on a phone); the
/// leader reviews and approves it, starts a 20-workday sprint with it and
/// approves its proposal; Kevin O'Brien, who owns Phone support and so
/// receives the announcement, acknowledges it (on a phone) and is no longer
/// pending.
#[tokio::test]
async fn idea_to_sprint_to_acknowledged_announcement_in_spanish() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let es = catalogue("es");
    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");
    let phone = demo_id(&server, &token, "/api/v1/touchpoints", "name", "Phone support").await;
    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let outcome = improvement_loop(&server, &token, &webdriver, &chromium, &phone, &es).await;
    if let Err(e) = outcome {
        panic!(
            "the improvement loop failed: {e:#}\n(screenshots: target/screenshots/loop-*.png)\nserver log:\n{}",
            server.log_text()
        );
    }
}

async fn improvement_loop(
    server: &common::Server,
    token: &str,
    webdriver: &str,
    chromium: &Path,
    phone: &str,
    es: &HashMap<String, String>,
) -> Result<()> {
    let m = |key: &str| message(es, "es", key).to_string();
    let shot = |name: &str| screenshots_dir().join(format!("loop-{name}.png"));
    let base = server.url.as_str();

    // The member (Ana Torres), on a phone: submits the idea and votes for it.
    let profile = tempfile::tempdir()?;
    let c = person_session(webdriver, chromium, profile.path(), Viewport::Phone, base, "member@demo.example").await?;
    let run = async {
        open_menu_if_collapsed(&c, "#nav-ideas").await?;
        wait_text(&c, "#nav-ideas", &m("nav-ideas")).await?;
        click(&c, "#nav-ideas").await?;
        wait_path(&c, "/ideas").await?;
        wait_text(&c, "#page-title", &m("ideas-title")).await?;
        fill(&c, "#f-title", IDEA).await?;
        fill(&c, "#f-body", "Los clientes esperan demasiado cuando nadie contesta.").await?;
        select_value(&c, "#f-touchpoint_id", phone).await?;
        click(&c, "#idea-submit").await?;
        let id = id_in_path(&c, "/ideas/").await?;
        wait_text(&c, "#idea-status", &m("idea-status-new")).await?;
        fits_the_phone(&c, "the idea page").await?;
        click(&c, "#idea-vote").await?;
        wait_text(&c, "#idea-vote-count", "1").await?;
        ensure!(c.find(Locator::Css("#idea-unvote")).await.is_ok(), "the vote became a withdraw button");
        save_screenshot(&c, &shot("1-member-voted")).await?;
        Ok::<_, anyhow::Error>(id)
    };
    let idea = run.await;
    if idea.is_err() {
        let _ = save_screenshot(&c, &shot("failure-member")).await;
    }
    let _ = c.close().await;
    let idea = idea?;

    // The leader (Lucía Fernández), on a desktop: review, approve, sprint, proposal.
    let profile = tempfile::tempdir()?;
    let c = person_session(webdriver, chromium, profile.path(), Viewport::Desktop, base, "leader@demo.example").await?;
    let run = async {
        c.goto(&format!("{base}/ideas/{idea}")).await?;
        for to in ["under_review", "approved"] {
            choose(&c, &format!("f-status-{to}")).await?;
            click(&c, "#idea-status-submit").await?;
            wait_text(&c, "#idea-status", &m(&format!("idea-status-{to}"))).await?;
        }
        open_menu_if_collapsed(&c, "#nav-sprints").await?;
        click(&c, "#nav-sprints").await?;
        wait_path(&c, "/sprints").await?;
        wait_text(&c, "#page-title", &m("sprints-title")).await?;
        select_value(&c, "#f-touchpoint_id", phone).await?;
        fill(&c, "#f-name", SPRINT).await?;
        choose(&c, &format!("f-idea-{idea}")).await?;
        click(&c, "#sprint-submit").await?;
        let sprint = id_in_path(&c, "/sprints/").await?;
        wait_text(&c, "#page-title", SPRINT).await?;
        // The end is the 20th workday: the stored phases add up to 20 and the page shows that end.
        let s = server.json(&format!("/api/v1/sprints/{sprint}"), token).await;
        let days: i64 =
            s["phases"].as_array().map(|p| p.iter().filter_map(|x| x["workdays"].as_i64()).sum()).unwrap_or(0);
        ensure!(days == 20, "the sprint's phases add up to {days} workdays: {s}");
        let end = chrono::NaiveDate::parse_from_str(s["end"].as_str().unwrap_or(""), "%Y-%m-%d")?;
        let start = chrono::NaiveDate::parse_from_str(s["start"].as_str().unwrap_or(""), "%Y-%m-%d")?;
        ensure!(end - start >= chrono::Duration::days(25), "{start} to {end} is too short for 20 workdays");
        let shown = shown_text(&c, "#sprint-end").await?;
        let month = m(&format!("month-{}", chrono::Datelike::month(&end)));
        ensure!(
            shown.contains(&chrono::Datelike::day(&end).to_string())
                && shown.contains(&month)
                && shown.contains(&end.format("%Y").to_string()),
            "the page shows the end as {shown:?}, the sprint ends {end}"
        );
        ensure!(shown_text(&c, "#sprint-ideas").await?.contains(IDEA), "the sprint takes up the idea");
        fill(&c, "#f-document", "Devolvemos cada llamada perdida en menos de una hora.").await?;
        click(&c, "#sprint-proposal-submit").await?;
        wait_text(&c, "#proposal-document", "Devolvemos cada llamada perdida en menos de una hora.").await?;
        click(&c, "#sprint-approve").await?;
        let deadline = Instant::now() + WAIT;
        while c.find(Locator::Css("#proposal-approved")).await.is_err() {
            ensure!(Instant::now() < deadline, "the proposal shows as approved");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        save_screenshot(&c, &shot("2-leader-approved")).await?;
        Ok::<_, anyhow::Error>(())
    };
    let led = run.await;
    if led.is_err() {
        let _ = save_screenshot(&c, &shot("failure-leader")).await;
    }
    let _ = c.close().await;
    led?;

    // The agent (Kevin O'Brien, who owns Phone support), on a phone: acknowledges.
    let title = m("announcement-proposal-approved-title").replace("{ $subject }", SPRINT);
    let profile = tempfile::tempdir()?;
    let c = person_session(webdriver, chromium, profile.path(), Viewport::Phone, base, "agent@demo.example").await?;
    let run = async {
        open_menu_if_collapsed(&c, "#nav-announcements").await?;
        click(&c, "#nav-announcements").await?;
        wait_path(&c, "/announcements").await?;
        wait_text(&c, "#page-title", &m("announcements-title")).await?;
        let mut link = None;
        for row in c.find_all(Locator::Css(".announcement")).await? {
            if row.text().await.unwrap_or_default().contains(&title) {
                link = Some(row.find(Locator::Css(".announcement-link")).await?);
                break;
            }
        }
        let Some(link) = link else {
            let text = c.find(Locator::Css("main")).await?.text().await.unwrap_or_default();
            bail!("no announcement {title:?} in Kevin's feed:\n{text}");
        };
        link.click().await?;
        id_in_path(&c, "/announcements/").await?;
        wait_text(&c, "#page-title", &title).await?;
        let pending = shown_text(&c, "#announcement-pending").await?;
        ensure!(pending.contains("Kevin O'Brien"), "Kevin is pending before acknowledging: {pending}");
        fits_the_phone(&c, "the announcement").await?;
        click(&c, "#announcement-acknowledge").await?;
        wait_text(&c, "#announcement-mine-done", &m("announcement-acknowledged")).await?;
        let pending = shown_text(&c, "#announcement-pending").await?;
        ensure!(!pending.contains("Kevin O'Brien"), "Kevin is no longer pending: {pending}");
        ensure!(shown_text(&c, "#announcement-done").await?.contains("Kevin O'Brien"), "Kevin has acknowledged");
        save_screenshot(&c, &shot("3-agent-acknowledged")).await?;
        // The loop's other pages fit the phone too.
        for path in ["/ideas", "/sprints", "/comms", "/engagement", "/"] {
            c.goto(&format!("{base}{path}")).await?;
            wait_until(&c, &format!("{path} loaded"), |p, _| p == path).await?;
            fits_the_phone(&c, path).await?;
        }
        Ok::<_, anyhow::Error>(())
    };
    let acked = run.await;
    if acked.is_err() {
        let _ = save_screenshot(&c, &shot("failure-agent")).await;
    }
    let _ = c.close().await;
    acked
}
