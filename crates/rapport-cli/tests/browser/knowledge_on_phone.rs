//! Journey (issue 19's acceptance): on a phone, in Spanish, an agent opens
//! their training from the menu, fails the late-delivery module's quiz, sees
//! which question was wrong, passes it; then opens a demo case whose root
//! cause is a late delivery, finds the suggested article, reads it (in
//! Spanish, fitting the screen) and marks it helpful; then searches the
//! knowledge base for "reembolso" and reads an article only written in
//! English, which says it falls back.

use crate::common::Db;
use crate::page::{click, fill, fits_the_phone, open_menu_if_collapsed, shown_text, wait_text, wait_until};
use crate::{browser_tools, catalogue, message, save_screenshot, screenshots_dir, session, sign_in_in_spanish};
use crate::{start_chromedriver, Viewport};
use anyhow::{ensure, Context, Result};
use fantoccini::{Client, Locator};
use std::collections::HashMap;

const ARTICLE_ES: &str = "Entrega tardía: qué hacer";
const REFUNDS_ES: &str = "Reembolsos: cómo y cuándo";
const ONLY_EN: &str = "Discount code not applied at checkout";
/// The demo module assigned to Customer care (the agent, Kevin, is overdue).
const MODULE_ES: &str = "Cómo gestionar una entrega tardía";

#[tokio::test]
async fn an_agent_passes_a_quiz_then_finds_an_article_from_a_case_in_spanish_on_a_phone() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let es = catalogue("es");
    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");

    // A demo case whose root cause is "Late delivery".
    let causes = server.json("/api/v1/root-causes", &token).await;
    let late = causes.as_array().and_then(|l| l.iter().find(|c| c["name"] == "Late delivery")).expect("demo cause")
        ["id"]
        .clone();
    let cases = server.json("/api/v1/cases?limit=500", &token).await;
    let items = cases.as_array().cloned().or_else(|| cases["items"].as_array().cloned()).unwrap_or_default();
    let case = items.iter().find(|c| c["root_cause_id"] == late).expect("a demo case with that cause")["id"].clone();

    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let profile = tempfile::tempdir().expect("profile dir");
    let client = session(&webdriver, &chromium, profile.path(), Viewport::Phone)
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
    let outcome = journey(&client, &server.url, &case.to_string(), &es).await;
    if outcome.is_err() {
        let _ = save_screenshot(&client, &screenshots_dir().join("knowledge-failure.png")).await;
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!(
            "the knowledge journey on a phone failed: {e:#}\n(screenshot: target/screenshots/knowledge-failure.png)\n\
             server log:\n{}",
            server.log_text()
        );
    }
}

async fn journey(c: &Client, base: &str, case: &str, es: &HashMap<String, String>) -> Result<()> {
    let shot = |name: &str| screenshots_dir().join(format!("knowledge-{name}.png"));
    let m = |key: &str| message(es, "es", key).to_string();
    sign_in_in_spanish(c, base, "agent@demo.example").await?;
    take_the_quiz(c, es).await?;

    c.goto(&format!("{base}/cases/{case}")).await?;
    wait_text(c, "#case-articles h2", &m("knowledge-case-title")).await?;
    let first = c.find(Locator::Css("#case-articles li:first-child .item-title")).await.context("a suggestion")?;
    ensure!(first.text().await? == ARTICLE_ES, "the first suggestion is {:?}", first.text().await?);
    let why = shown_text(c, "#case-articles li:first-child .case-article-why").await?;
    ensure!(why.starts_with("vinculado a la causa raíz"), "why: {why:?}");
    save_screenshot(c, &shot("1-case")).await?;
    first.click().await?;
    wait_until(c, "the article", |path, lang| path.starts_with("/knowledge/") && lang == "es").await?;
    wait_text(c, "#page-title", ARTICLE_ES).await?;
    c.find(Locator::Css("#back-to-case")).await.context("a way back to the case")?;
    fits_the_phone(c, "the article").await?;
    save_screenshot(c, &shot("2-article")).await?;
    click(c, "#mark-helpful").await?;
    wait_text(c, "#knowledge-my-mark", &m("knowledge-my-mark-helpful")).await?;

    c.goto(&format!("{base}/knowledge")).await?;
    wait_text(c, "#page-title", &m("knowledge-title")).await?;
    fits_the_phone(c, "the knowledge base").await?;
    fill(c, "#f-q", "reembolso").await?;
    click(c, "#knowledge-search-submit").await?;
    wait_until(c, "the search", |path, _| path == "/knowledge").await?;
    let titles: Vec<String> = {
        let mut out = Vec::new();
        for a in c.find_all(Locator::Css("#knowledge-articles .article-link")).await? {
            out.push(a.text().await?);
        }
        out
    };
    ensure!(titles.iter().any(|t| t == REFUNDS_ES), "search for reembolso found {titles:?}");
    fits_the_phone(c, "the search results").await?;
    save_screenshot(c, &shot("3-search")).await?;

    fill(c, "#f-q", "discount").await?;
    click(c, "#knowledge-search-submit").await?;
    let link = c.wait().for_element(Locator::LinkText(ONLY_EN)).await.context("the English-only article")?;
    link.click().await?;
    wait_text(c, "#page-title", ONLY_EN).await?;
    wait_text(c, "#knowledge-fallback", &m("knowledge-fallback-en")).await?;
    fits_the_phone(c, "an article in the other language").await?;
    save_screenshot(c, &shot("4-fallback")).await?;
    Ok(())
}

/// From the menu to the agent's training; the late-delivery quiz answered
/// wrongly (the courier's delay first, one of two offers), then rightly.
async fn take_the_quiz(c: &Client, es: &HashMap<String, String>) -> Result<()> {
    let shot = |name: &str| screenshots_dir().join(format!("training-{name}.png"));
    let m = |key: &str| message(es, "es", key).to_string();
    open_menu_if_collapsed(c, "#nav-training").await?;
    click(c, "#nav-training").await?;
    wait_text(c, "#page-title", &m("training-mine-title")).await?;
    fits_the_phone(c, "my training").await?;
    let module = c.find(Locator::LinkText(MODULE_ES)).await.context("the assigned module")?;
    module.click().await?;
    wait_text(c, "#page-title", MODULE_ES).await?;
    wait_text(c, "#training-status", &m("training-status-overdue")).await?;
    let body = shown_text(c, "#training-body").await?;
    ensure!(body.contains("Pida disculpas primero"), "the module reads in Spanish: {body:?}");
    fits_the_phone(c, "the module").await?;

    click(c, "#question-0 input[value='1']").await?;
    click(c, "#question-1 input[value='0']").await?;
    click(c, "#quiz-submit").await?;
    wait_text(c, "#quiz-verdict", &m("training-failed")).await?;
    let wrong = c.find_all(Locator::Css(".question-wrong")).await?.len();
    ensure!(wrong == 2, "both questions are marked wrong, {wrong} are");
    save_screenshot(c, &shot("1-failed")).await?;

    // The form keeps the answers given: choose the apology, add the refund.
    click(c, "#question-0 input[value='0']").await?;
    click(c, "#question-1 input[value='1']").await?;
    click(c, "#quiz-submit").await?;
    wait_text(c, "#quiz-verdict", &m("training-passed")).await?;
    wait_text(c, "#training-status", &m("training-status-completed")).await?;
    fits_the_phone(c, "the passed quiz").await?;
    save_screenshot(c, &shot("2-passed")).await?;
    Ok(())
}
