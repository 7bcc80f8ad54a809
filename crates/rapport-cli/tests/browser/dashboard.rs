//! Journey: the CX dashboard — tiles, Spanish labels, a segment filter, a drill-down, CSV, the live wall, a phone.

use crate::common::Db;
use crate::page::{click, open_menu_if_collapsed, shown_text, wait_text, wait_until};
use crate::{
    browser_tools, catalogue, message, save_screenshot, screenshots_dir, session, sign_in_demo, start_chromedriver,
    Viewport, WAIT,
};
use anyhow::{bail, ensure, Context, Result};
use fantoccini::{Client, Locator};
use serde_json::json;
use std::time::{Duration, Instant};

struct DashboardLabels {
    title_en: String,
    title_es: String,
    segment_es: String,
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
