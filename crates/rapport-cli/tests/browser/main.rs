//! Headless Chromium through chromedriver, one module per journey through the
//! demo, on desktop and phone viewports. Expected labels come from the Fluent
//! catalogues, not from these files. Screenshots land in `target/screenshots/`.
//!
//! This file holds the shared setup: finding chromedriver and Chromium (a
//! failure under `CI`, a skip otherwise), starting chromedriver and browser
//! sessions, the catalogues, screenshots and signing in; `page` holds the
//! helpers that act on a page.

#[path = "../common/mod.rs"]
mod common;
mod page;

mod agent_case;
mod at_risk;
mod case_conversation;
mod dashboard;
mod demo_journey;
mod feedback_inbox;
mod improvement_loop;
mod invitation;
mod knowledge_on_phone;
mod layout_boxes;
mod program_review_on_phone;
mod survey_builder_preview;
mod survey_on_phone;
mod survey_types_no_script;

use anyhow::{Context, Result};
use common::{free_port, missing, wait_for_port, KillOnDrop, Server};
use fantoccini::{Client, ClientBuilder, Locator};
use page::{click, fill, wait_until};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

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
/// The main file and the files by area (`locales/{lang}/*.ftl`), as the
/// server reads them.
fn catalogue(lang: &str) -> HashMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rapport-server/locales");
    let mut paths = vec![dir.join(format!("{lang}.ftl"))];
    let area = std::fs::read_dir(dir.join(lang)).unwrap_or_else(|e| panic!("locales/{lang}/: {e}"));
    paths.extend(area.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "ftl")));
    let text: String = paths
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect::<Vec<_>>()
        .join("\n");
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

async fn save_screenshot(c: &Client, path: &Path) -> Result<()> {
    let png = c.screenshot().await?;
    std::fs::write(path, png).with_context(|| format!("write {}", path.display()))
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

fn capabilities(chromium: &Path, profile: &Path, viewport: Viewport, scripts: bool) -> serde_json::Map<String, Value> {
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
    if !scripts {
        // The page's own scripts are off (WebDriver still drives it).
        options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
    }
    // With page scripts off, chromedriver's clicks under mobile emulation
    // (touch) never return: such a phone gets the phone's screen size
    // through DevTools instead (`session_with`).
    if let (Viewport::Phone, true) = (viewport, scripts) {
        options["mobileEmulation"] = json!({"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3}});
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);

    caps
}

/// A fresh headless Chromium session through chromedriver.
async fn session(webdriver: &str, chromium: &Path, profile: &Path, viewport: Viewport) -> Result<Client> {
    session_with(webdriver, chromium, profile, viewport, true).await
}

/// As [`session`], with the pages' scripts on or off.
async fn session_with(
    webdriver: &str,
    chromium: &Path,
    profile: &Path,
    viewport: Viewport,
    scripts: bool,
) -> Result<Client> {
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities(chromium, profile, viewport, scripts))
        .connect(webdriver)
        .await
        .context("chromedriver session")?;
    if let (Viewport::Phone, false) = (viewport, scripts) {
        // The phone's screen without touch emulation (see `capabilities`).
        let metrics = json!({"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": true});
        client.issue_cmd(Cdp { cmd: "Emulation.setDeviceMetricsOverride", params: metrics }).await?;
    }
    Ok(client)
}

/// A Chrome DevTools command through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"cmd": self.cmd, "params": self.params}).to_string()))
    }
}

/// Signs in to the demo as its admin through the sign-in form.
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

/// Signs in as the demo account `email`, then switches the page to Spanish.
async fn sign_in_in_spanish(c: &Client, base: &str, email: &str) -> Result<()> {
    c.goto(&format!("{base}/sign-in")).await?;
    for (field, value) in [("org", "demo"), ("email", email), ("password", "rapport-demo")] {
        fill(c, &format!("[name={field}]"), value).await.with_context(|| format!("field {field}"))?;
    }
    click(c, "#sign-in-submit").await?;
    wait_until(c, "leaving the sign-in page", |path, _| !path.starts_with("/sign-in")).await?;
    click(c, "#lang-es").await?;
    wait_until(c, "the page in Spanish", |_, lang| lang == "es").await
}

/// The id of the object of a demo list (`path`) whose `field` is `value`.
async fn demo_id(server: &Server, token: &str, path: &str, field: &str, value: &str) -> String {
    let list = server.json(path, token).await;
    let items = list.as_array().cloned().or_else(|| list["items"].as_array().cloned()).unwrap_or_default();
    let found = items.iter().find(|x| x[field] == value);
    found.unwrap_or_else(|| panic!("{value} in {path}: {items:?}"))["id"].to_string()
}
