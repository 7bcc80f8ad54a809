//! Journey: the improvement loop in Spanish — idea, vote, review, sprint, proposal, acknowledged announcement.

use crate::common::{Db, Server};
use crate::page::{
    choose, click, fill, fits_the_phone, id_in_path, open_menu_if_collapsed, select_value, shown_text, wait_path,
    wait_text, wait_until,
};
use crate::{
    browser_tools, catalogue, demo_id, message, save_screenshot, screenshots_dir, session, sign_in_in_spanish,
    start_chromedriver, Viewport, WAIT,
};
use anyhow::{bail, ensure, Context, Result};
use fantoccini::{Client, Locator};
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

const IDEA: &str = "Devolver la llamada en menos de una hora";
const SPRINT: &str = "Sprint de atención telefónica";

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
    sign_in_in_spanish(&c, base, email).await?;
    Ok(c)
}

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
    server: &Server,
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
