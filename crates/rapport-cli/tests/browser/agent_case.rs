//! Journey: on a phone, in Spanish, an agent works a detractor's case through the RESOLVED steps and closes it.

use crate::common::Db;
use crate::page::{
    choose, click, fill, fits_the_phone, open_menu_if_collapsed, shown_text, wait_path, wait_text, wait_until,
};
use crate::{
    browser_tools, catalogue, demo_id, message, save_screenshot, screenshots_dir, session, sign_in_in_spanish,
    start_chromedriver, Viewport,
};
use anyhow::{bail, ensure, Context, Result};
use fantoccini::{Client, Locator};
use serde_json::json;
use std::collections::HashMap;

/// The customer whose detractor answer opens the case (a fresh demo customer).
const UNHAPPY: &str = "cust-0002";
const ROOT_CAUSE: &str = "Reparto sin frío";

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

async fn work_case(c: &Client, base: &str, es: &HashMap<String, String>) -> Result<()> {
    let shot = |name: &str| screenshots_dir().join(format!("case-{name}.png"));
    let m = |key: &str| message(es, "es", key).to_string();
    sign_in_in_spanish(c, base, "agent@demo.example").await?;

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
