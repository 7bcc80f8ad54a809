//! Journey (issue 20's acceptance): on a phone, in Spanish, the CX leader
//! opens the menu grouped by the program's steps, answers the 20-question
//! diagnostic, opens the gap analysis and turns the top gap into an idea,
//! which the gap's row then links instead of offering a second one.

use crate::common::Db;
use crate::page::{choose, click, fits_the_phone, id_in_path, open_menu_if_collapsed, shown_text, wait_text};
use crate::page::{fill, wait_until};
use crate::{browser_tools, catalogue, message, save_screenshot, screenshots_dir, session, sign_in_in_spanish};
use crate::{start_chromedriver, Viewport};
use anyhow::{ensure, Context, Result};
use fantoccini::{Client, Locator};
use std::collections::HashMap;

/// The menu's groups, in the loop's order.
const GROUPS: [&str; 7] = [
    "nav-group-plan",
    "nav-group-listen",
    "nav-group-measure",
    "nav-group-act",
    "nav-group-improve",
    "nav-group-people",
    "nav-group-account",
];

#[tokio::test]
async fn a_leader_answers_the_diagnostic_and_turns_the_top_gap_into_an_idea_in_spanish_on_a_phone() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let es = catalogue("es");
    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    let profile = tempfile::tempdir().expect("profile dir");
    let client = session(&webdriver, &chromium, profile.path(), Viewport::Phone)
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"));
    let outcome = journey(&client, &server.url, &es).await;
    if outcome.is_err() {
        let _ = save_screenshot(&client, &screenshots_dir().join("review-failure.png")).await;
    }
    let _ = client.close().await;
    if let Err(e) = outcome {
        panic!(
            "the diagnostic and gap journey on a phone failed: {e:#}\n\
             (screenshot: target/screenshots/review-failure.png)\nserver log:\n{}",
            server.log_text()
        );
    }
}

async fn journey(c: &Client, base: &str, es: &HashMap<String, String>) -> Result<()> {
    let m = |key: &str| message(es, "es", key).to_string();
    sign_in_in_spanish(c, base, "leader@demo.example").await?;
    grouped_menu(c, es).await?;
    answer_the_diagnostic(c, base, es).await?;

    open_menu_if_collapsed(c, "#nav-gaps").await?;
    click(c, "#nav-gaps").await?;
    wait_until(c, "an experience's gap analysis", |path, lang| path.ends_with("/gaps") && lang == "es").await?;
    let heading = shown_text(c, "#page-title").await?;
    ensure!(heading.starts_with(&m("gaps-title")), "the gap analysis is titled {heading:?}");
    fits_the_phone(c, "the gap analysis").await?;
    let row = c.find(Locator::Css("#gap-1")).await.context("a ranked gap")?;
    let touchpoint = shown_text(c, "#gap-1 td:first-child a").await?;
    ensure!(!touchpoint.is_empty(), "the top gap names its touchpoint");
    ensure!(row.attr("data-metric").await?.is_some(), "the top gap names its metric");
    save_screenshot(c, &shot("3-gaps")).await?;
    click(c, "#gap-1-idea").await?;
    let idea = id_in_path(c, "/ideas/").await?;
    let title = shown_text(c, "#page-title").await?;
    ensure!(title.contains(&touchpoint), "the idea {idea} is about {touchpoint:?}: {title:?}");
    fits_the_phone(c, "the new idea").await?;
    save_screenshot(c, &shot("4-idea")).await?;

    // Back on the gap analysis, the gap links its idea rather than offering
    // another one.
    c.back().await?;
    c.refresh().await?;
    wait_until(c, "the gap analysis again", |path, _| path.ends_with("/gaps")).await?;
    let link = c.find(Locator::Css("#gap-1-idea-link")).await.context("the gap links its idea")?;
    let href = link.attr("href").await?.unwrap_or_default();
    ensure!(href.ends_with(&format!("/ideas/{idea}")), "the gap links {href}, not idea {idea}");
    ensure!(c.find(Locator::Css("#gap-1-idea")).await.is_err(), "a second idea is still offered");
    Ok(())
}

fn shot(name: &str) -> std::path::PathBuf {
    screenshots_dir().join(format!("review-{name}.png"))
}

/// The phone menu lists the program's steps as closed groups; an entry
/// shows once its group is opened.
async fn grouped_menu(c: &Client, es: &HashMap<String, String>) -> Result<()> {
    let m = |key: &str| message(es, "es", key).to_string();
    click(c, "#nav-menu-toggle").await?;
    for group in GROUPS {
        wait_text(c, &format!("#{group}-toggle"), &m(group)).await?;
    }
    let diagnostic = c.find(Locator::Css("#nav-diagnostic")).await.context("the diagnostic entry")?;
    ensure!(!diagnostic.is_displayed().await?, "the Measure group starts closed on a phone");
    click(c, "#nav-group-measure-toggle").await?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !diagnostic.is_displayed().await? {
        ensure!(std::time::Instant::now() < deadline, "#nav-diagnostic shows once Measure is open");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    ensure!(shown_text(c, "#nav-diagnostic").await? == m("nav-diagnostic"));
    fits_the_phone(c, "the open menu").await?;
    save_screenshot(c, &shot("1-menu")).await?;
    click(c, "#nav-diagnostic").await?;
    wait_until(c, "the diagnostic", |path, lang| path == "/diagnostic" && lang == "es").await?;
    wait_text(c, "#page-title", &m("diagnostic-title")).await
}

/// The open demo round, answered 4 on every question (3 on the last) with
/// a comment on the first; the answers are kept and the results count them.
async fn answer_the_diagnostic(c: &Client, base: &str, es: &HashMap<String, String>) -> Result<()> {
    let m = |key: &str| message(es, "es", key).to_string();
    fits_the_phone(c, "the diagnostic").await?;
    let round = c
        .find(Locator::Css("#diagnostic-rounds a[href^='/diagnostic/rounds/']"))
        .await
        .context("a round of the diagnostic")?
        .attr("href")
        .await?
        .unwrap_or_default();
    c.goto(&format!("{base}{round}/answer")).await?;
    wait_until(c, "the questionnaire", |path, _| path.ends_with("/answer")).await?;
    let questions = c.find_all(Locator::Css("[id^='question-q']")).await?.len();
    ensure!(questions == 20, "the questionnaire has {questions} questions, not 20");
    for q in 1..=20 {
        let score = if q == 20 { 3 } else { 4 };
        choose(c, &format!("q-q{q}-{score}")).await?;
    }
    fill(c, "#comment-q1", "Formamos a todo el equipo de atención este trimestre.").await?;
    fits_the_phone(c, "the questionnaire").await?;
    save_screenshot(c, &shot("2-questionnaire")).await?;
    click(c, "#diagnostic-submit").await?;
    wait_text(c, "#diagnostic-saved", &m("diagnostic-saved")).await?;
    for q in 1..=20 {
        let score = if q == 20 { 3 } else { 4 };
        let radio = c.find(Locator::Id(&format!("q-q{q}-{score}"))).await?;
        ensure!(radio.prop("checked").await?.as_deref() == Some("true"), "q{q} keeps the answer {score}");
    }
    Ok(())
}
