//! Journey: a leader opens the at-risk list in Spanish, opens the top
//! customer, sees the reasons, and opens a case — on a desktop and on a phone.

use crate::common::Db;
use crate::page::{click, fill, fits_the_phone, open_menu_if_collapsed, shown_text, wait_path, wait_text, wait_until};
use crate::{
    browser_tools, catalogue, message, save_screenshot, screenshots_dir, session, sign_in_in_spanish,
    start_chromedriver, Viewport,
};
use anyhow::{bail, ensure, Context, Result};
use fantoccini::{Client, Locator};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long the demo server's first background refit may take to score the
/// customers (it is queued at start-up).
const SCORED_WITHIN: Duration = Duration::from_secs(60);

/// The leader (Lucía Fernández) reads the program and works cases.
const LEADER: &str = "leader@demo.example";

/// The at-risk list in Spanish, reached through the navigation (Valor y
/// riesgo → En riesgo): its title, rows ordered by value at risk (Spanish
/// money, "1.234,56"), each top reason a Spanish `risk-reason-*` message;
/// then the top customer's profile with its reasons, a case opened from it,
/// and the case page naming it and the customer. Once on a desktop (through
/// the row's "Actuar" button) and once on a phone (through the customer's
/// name), each on a fresh demo server. The scores come from the refit every
/// demo server queues at start-up; the list is reloaded until they are there.
#[tokio::test]
async fn leader_acts_on_the_top_customer_at_risk_in_spanish() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let es = catalogue("es");
    let (_chromedriver, webdriver) = start_chromedriver(&driver);

    for viewport in [Viewport::Desktop, Viewport::Phone] {
        let name = viewport.name();
        // A fresh demo per viewport: a customer has one open case per
        // touchpoint, so the phone could not open the desktop's case again.
        let db = Db::sqlite();
        let started = Instant::now();
        let server = db.serve(&["--demo"]);
        eprintln!("at-risk ({name}): demo server listening after {:.1} s", started.elapsed().as_secs_f64());
        let failure = screenshots_dir().join(format!("at-risk-{name}-failure.png"));
        let _ = std::fs::remove_file(&failure);
        let profile = tempfile::tempdir().expect("profile dir");
        let client = session(&webdriver, &chromium, profile.path(), viewport)
            .await
            .unwrap_or_else(|e| panic!("chromedriver session ({name}): {e}"));
        let outcome = act_on_top_customer(&client, &server.url, viewport, &es).await;
        if outcome.is_err() {
            let _ = save_screenshot(&client, &failure).await;
        }
        let _ = client.close().await;
        if let Err(e) = outcome {
            panic!(
                "the at-risk journey ({name}) failed: {e:#}\n(screenshot: target/screenshots/at-risk-{name}-failure.png)\n\
                 server log:\n{}",
                server.log_text()
            );
        }
    }
}

/// One row of the at-risk list as the page shows it.
struct Row {
    /// The customer's external id, from the link to the profile.
    customer: String,
    name: String,
    value_at_risk: f64,
    top_reason: String,
}

async fn act_on_top_customer(c: &Client, base: &str, viewport: Viewport, es: &HashMap<String, String>) -> Result<()> {
    let m = |key: &str| message(es, "es", key).to_string();
    let shot = |step: &str| screenshots_dir().join(format!("at-risk-{}-{step}.png", viewport.name()));
    let phone = matches!(viewport, Viewport::Phone);
    let reasons = reason_patterns(es);
    sign_in_in_spanish(c, base, LEADER).await?;

    // Valor y riesgo → En riesgo, through the navigation.
    open_menu_if_collapsed(c, "#nav-value").await?;
    wait_text(c, "#nav-value", &m("nav-value")).await?;
    click(c, "#nav-value").await?;
    wait_path(c, "/value").await?;
    wait_text(c, "#page-title", &m("value-title")).await?;
    wait_text(c, "#tab-at-risk", &m("value-tab-at-risk")).await?;
    if phone {
        fits_the_phone(c, "the models hub").await?;
    }
    save_screenshot(c, &shot("0-models")).await?;
    click(c, "#tab-at-risk").await?;
    wait_path(c, "/value/at-risk").await?;
    wait_text(c, "#page-title", &m("at-risk-title")).await?;
    let waited = wait_for_scores(c).await?;
    eprintln!("at-risk ({}): rows shown after {:.1} s of reloading", viewport.name(), waited.as_secs_f64());
    wait_text(c, "#page-title", &m("at-risk-title")).await?;

    // The rows, by value at risk, highest first, each with a Spanish reason.
    let rows = read_rows(c, &m("risk-value-at-risk")).await?;
    ensure!(!rows.is_empty(), "the at-risk list has rows");
    for pair in rows.windows(2) {
        ensure!(
            pair[0].value_at_risk >= pair[1].value_at_risk,
            "the list is not ordered by value at risk: {} ({}) before {} ({})",
            pair[0].customer,
            pair[0].value_at_risk,
            pair[1].customer,
            pair[1].value_at_risk
        );
    }
    for row in &rows {
        ensure!(
            row.top_reason == "—" || matches_reason(&reasons, &row.top_reason),
            "{}'s top reason {:?} is no Spanish risk-reason-* message",
            row.customer,
            row.top_reason
        );
    }
    let top = &rows[0];
    ensure!(top.value_at_risk > 0.0, "the top customer has value at risk ({})", top.value_at_risk);
    ensure!(top.top_reason != "—", "the top customer ({}) has a top reason", top.customer);
    if phone {
        fits_the_phone(c, "the at-risk list").await?;
    }
    save_screenshot(c, &shot("1-list")).await?;

    // The top customer's profile: on a desktop through "Actuar", on a phone
    // through the customer's name.
    let profile_path = format!("/customers/{}", top.customer);
    let first = c.find(Locator::Css("#at-risk .at-risk-row")).await?;
    let act = first
        .find(Locator::Css(".actions-cell a[href$='#customer-risk']"))
        .await
        .context("the top row's act button")?;
    let act_text = act.text().await?;
    ensure!(act_text.trim() == m("at-risk-act"), "the act button says {act_text:?}");
    let act_href = act.attr("href").await?.unwrap_or_default();
    ensure!(act_href == format!("{profile_path}#customer-risk"), "the act button links to {act_href:?}");
    if phone {
        first.find(Locator::Css(".at-risk-customer")).await?.click().await?;
    } else {
        act.click().await?;
    }
    wait_path(c, &profile_path).await?;
    wait_text(c, "#page-title", &top.name).await?;
    wait_text(c, "#customer-risk h2", &m("risk-title")).await?;
    wait_text(c, "#customer-risk h3", &m("risk-reasons")).await?;
    let mut shown = Vec::new();
    for li in c.find_all(Locator::Css("#customer-risk li.risk-reason")).await? {
        shown.push(li.text().await?.trim().to_string());
    }
    ensure!(!shown.is_empty(), "{} shows at least one reason in #customer-risk", top.customer);
    for reason in &shown {
        ensure!(matches_reason(&reasons, reason), "the reason {reason:?} is no Spanish risk-reason-* message");
    }
    ensure!(
        shown[0] == top.top_reason,
        "the profile's first reason {:?} is the list's top reason {:?}",
        shown[0],
        top.top_reason
    );
    if phone {
        fits_the_phone(c, "the customer's risk").await?;
    }
    let risk = c.find(Locator::Css("#customer-risk")).await?;
    c.execute("arguments[0].scrollIntoView()", vec![serde_json::to_value(&risk)?]).await?;
    save_screenshot(c, &shot("2-customer")).await?;

    // A case from the profile.
    let device = if phone { "móvil" } else { "escritorio" };
    let title = format!("Retener a {}: {} ({device})", top.name, top.top_reason);
    wait_text(c, "#case-open-toggle", &m("case-open")).await?;
    click(c, "#case-open-toggle").await?;
    fill(c, "#f-title", &title).await?;
    click(c, "#case-open-submit").await?;
    let opened = wait_until(c, "the new case", |path, _| path.starts_with("/cases/") && path != "/cases/").await;
    if let Err(e) = opened {
        let refused = c.find_all(Locator::Css("#case-open-form .field-error, #case-open-form .alert")).await?;
        let mut why = Vec::new();
        for el in refused {
            why.push(el.text().await.unwrap_or_default());
        }
        return Err(e.context(format!("the case form came back: {}", why.join(" / "))));
    }
    wait_text(c, "#page-title", &title).await?;
    wait_text(c, "#case-customer", &top.customer).await?;
    wait_text(c, "#case-status", &m("case-status-open")).await?;
    if phone {
        fits_the_phone(c, "the new case").await?;
    }
    save_screenshot(c, &shot("3-case")).await?;

    // Back on the profile, the case is listed.
    click(c, "#case-customer").await?;
    wait_path(c, &profile_path).await?;
    let cases = shown_text(c, "#customer-cases").await?;
    ensure!(cases.contains(&title), "the profile lists the new case {title:?}:\n{cases}");
    Ok(())
}

/// Reloads the at-risk list until it has rows (the start-up refit scored the
/// customers); how long that took.
async fn wait_for_scores(c: &Client) -> Result<Duration> {
    let start = Instant::now();
    loop {
        if c.find(Locator::Css("#at-risk .at-risk-row")).await.is_ok() {
            return Ok(start.elapsed());
        }
        if start.elapsed() > SCORED_WITHIN {
            let empty = shown_text(c, "#at-risk-empty").await.unwrap_or_default();
            bail!("no customer at risk after {SCORED_WITHIN:?} of reloading /value/at-risk (it says {empty:?})");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        c.refresh().await?;
        wait_until(c, "the at-risk list reloaded", |path, _| path == "/value/at-risk").await?;
    }
}

/// The rows of the list's first page; `money_label` is the value-at-risk
/// cell's `data-label` (the phone layout's label).
async fn read_rows(c: &Client, money_label: &str) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for tr in c.find_all(Locator::Css("#at-risk .at-risk-row")).await? {
        let link = tr.find(Locator::Css(".at-risk-customer")).await.context("a row links to its customer")?;
        let href = link.attr("href").await?.unwrap_or_default();
        let customer = href.strip_prefix("/customers/").with_context(|| format!("a customer link: {href:?}"))?;
        let name = link.text().await?.trim().to_string();
        let cells = tr.find_all(Locator::Css("td")).await?;
        ensure!(cells.len() == 6, "{customer}'s row has {} cells, not 6", cells.len());
        let label = cells[1].attr("data-label").await?.unwrap_or_default();
        ensure!(label == money_label, "the second column is {label:?}, not {money_label:?}");
        let money = cell_text(c, &cells[1]).await?;
        let value_at_risk = spanish_money(&money).with_context(|| format!("{customer}'s value at risk"))?;
        let top_reason = cell_text(c, &cells[4]).await?;
        rows.push(Row { customer: customer.to_string(), name, value_at_risk, top_reason });
    }
    Ok(rows)
}

async fn cell_text(c: &Client, el: &fantoccini::elements::Element) -> Result<String> {
    let text = el.text().await?;
    if !text.trim().is_empty() {
        return Ok(text.trim().to_string());
    }
    let inner = c.execute("return arguments[0].innerText", vec![serde_json::to_value(el)?]).await?;
    Ok(inner.as_str().unwrap_or_default().trim().to_string())
}

/// "1.234,56" → 1234.56: thousands grouped by dots, two decimals after a comma.
fn spanish_money(text: &str) -> Result<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let Some((whole, cents)) = digits.split_once(',') else { bail!("{text:?} has no decimal comma") };
    let groups: Vec<&str> = whole.split('.').collect();
    let grouped = !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    ensure!(grouped, "{text:?} is not Spanish money (thousands grouped by dots)");
    ensure!(cents.len() == 2 && cents.bytes().all(|b| b.is_ascii_digit()), "{text:?} has not two decimals");
    let value: f64 = format!("{}.{cents}", groups.concat()).parse()?;
    Ok(if text.starts_with('-') { -value } else { value })
}

/// The Spanish `risk-reason-*` messages, split around their `{ $value }`.
fn reason_patterns(es: &HashMap<String, String>) -> Vec<(String, Option<String>)> {
    let patterns: Vec<_> = es
        .iter()
        .filter(|(k, _)| k.starts_with("risk-reason-"))
        .map(|(_, v)| match (v.find('{'), v.find('}')) {
            (Some(open), Some(close)) if open < close => (v[..open].to_string(), Some(v[close + 1..].to_string())),
            _ => (v.clone(), None),
        })
        .collect();
    assert!(patterns.len() > 5, "es.ftl has the risk-reason-* messages: {patterns:?}");
    patterns
}

/// Whether `text` is one of the reason messages, its value a Spanish number
/// ("3", "42,5").
fn matches_reason(patterns: &[(String, Option<String>)], text: &str) -> bool {
    patterns.iter().any(|(before, after)| match after {
        None => text == before,
        Some(after) => {
            text.strip_prefix(before.as_str()).and_then(|rest| rest.strip_suffix(after.as_str())).is_some_and(|value| {
                let value = value.strip_prefix('-').unwrap_or(value);
                let (whole, decimal) = value.split_once(',').unwrap_or((value, "0"));
                !whole.is_empty()
                    && !decimal.is_empty()
                    && whole.bytes().chain(decimal.bytes()).all(|b| b.is_ascii_digit())
            })
        }
    })
}

#[test]
fn spanish_money_and_reasons_parse() {
    assert_eq!(spanish_money("1.234,56").unwrap(), 1234.56);
    assert_eq!(spanish_money("122,66").unwrap(), 122.66);
    assert_eq!(spanish_money("12.345.678,00").unwrap(), 12_345_678.0);
    assert!(spanish_money("1,234.56").is_err());
    assert!(spanish_money("1234,5").is_err());
    let es = catalogue("es");
    let patterns = reason_patterns(&es);
    let days = message(&es, "es", "risk-reason-days_since_purchase-high").replace("{ $value }", "3");
    assert!(matches_reason(&patterns, &days), "{days}");
    let spend = message(&es, "es", "risk-reason-mean_spend-low").replace("{ $value }", "42,5");
    assert!(matches_reason(&patterns, &spend), "{spend}");
    let english = message(&catalogue("en"), "en", "risk-reason-days_since_purchase-high").replace("{ $value }", "3");
    assert!(!matches_reason(&patterns, &english), "{english}");
}
