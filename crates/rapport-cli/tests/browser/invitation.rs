//! Journey, in Spanish: an admin invites a person; the person opens the
//! e-mailed link (read from a real SMTP server, aiosmtpd) on a phone, sets a
//! password, sees the unread count rise live when an announcement for them
//! is published, and acknowledges it from the notification centre.

use crate::common::{free_port, missing, Db, KillOnDrop, Server};
use crate::page::{
    click, fill, fits_the_phone, id_in_path, open_menu_if_collapsed, select_value, shown_text, wait_path, wait_text,
    wait_until,
};
use crate::{
    browser_tools, catalogue, message, save_screenshot, screenshots_dir, session, sign_in_in_spanish,
    start_chromedriver, Viewport,
};
use anyhow::{ensure, Context, Result};
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EMAIL: &str = "ines.navarro@demo.example";

/// aiosmtpd writing every message into a maildir, or `None` (a failure
/// under `CI`, a skip otherwise) when Python cannot import it.
fn smtp_server(maildir: &Path) -> Option<(KillOnDrop, u16)> {
    let python = std::env::var("RAPPORT_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let ok = Command::new(&python).args(["-c", "import aiosmtpd"]).output().is_ok_and(|o| o.status.success());
    if !ok {
        missing(&format!("{python} cannot import aiosmtpd (install python3-aiosmtpd or set RAPPORT_PYTHON)"));
        return None;
    }
    let port = free_port();
    let child = Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aiosmtpd");
    Some((KillOnDrop(child), port))
}

/// A message's body as text, whatever transfer encoding lettre chose.
fn body_text(message: &str) -> String {
    let (head, body) = message.split_once("\r\n\r\n").or_else(|| message.split_once("\n\n")).unwrap_or((message, ""));
    let encoding = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-transfer-encoding:").map(|v| v.trim().to_string()))
        .unwrap_or_default();
    let bytes = match encoding.as_str() {
        "quoted-printable" => quoted_printable::decode(body, quoted_printable::ParseMode::Robust).unwrap_or_default(),
        "base64" => {
            use base64::Engine;
            let compact: String = body.split_whitespace().collect();
            base64::engine::general_purpose::STANDARD.decode(compact).unwrap_or_default()
        }
        _ => body.as_bytes().to_vec(),
    };
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The first message in the maildir that names `to`, within 30 seconds.
fn mail_to(maildir: &Path, to: &str) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let new: Vec<PathBuf> =
            std::fs::read_dir(maildir.join("new")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        for path in new {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if text.lines().any(|l| l.eq_ignore_ascii_case(&format!("To: {to}"))) {
                return Ok(body_text(&text));
            }
        }
        ensure!(Instant::now() < deadline, "no e-mail to {to} within 30 s");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[tokio::test]
async fn an_invited_person_joins_on_a_phone_in_spanish() {
    let Some((driver, chromium)) = browser_tools() else { return };
    let mail = tempfile::tempdir().unwrap();
    let maildir = mail.path().join("mail");
    let Some((_smtpd, smtp_port)) = smtp_server(&maildir) else { return };
    let es = catalogue("es");
    let db = Db::sqlite();
    let smtp_url = format!("smtp://127.0.0.1:{smtp_port}");
    let server = db.serve(&["--demo", "--smtp-url", &smtp_url, "--smtp-from", "Rapport <rapport@demo.example>"]);
    let token = db.token("demo", "admin");
    let (_chromedriver, webdriver) = start_chromedriver(&driver);
    if let Err(e) = journey(&server, &token, &webdriver, &chromium, &maildir, &es).await {
        panic!(
            "the invitation journey failed: {e:#}\n(screenshots: target/screenshots/invite-*.png)\nserver log:\n{}",
            server.log_text()
        );
    }
}

async fn journey(
    server: &Server,
    token: &str,
    webdriver: &str,
    chromium: &Path,
    maildir: &Path,
    es: &HashMap<String, String>,
) -> Result<()> {
    let m = |key: &str| message(es, "es", key).to_string();
    let shot = |name: &str| screenshots_dir().join(format!("invite-{name}.png"));
    let base = server.url.as_str();
    let (status, person) = server
        .post("/api/v1/people", Some(token), json!({"name": "Inés Navarro", "email": EMAIL, "department": "Atención"}))
        .await;
    ensure!(status == 201, "a new person: {status} {person}");
    let person = person["id"].to_string();

    // The admin, in Spanish, invites her from the accounts page.
    let profile = tempfile::tempdir()?;
    let c = session(webdriver, chromium, profile.path(), Viewport::Desktop).await?;
    sign_in_in_spanish(&c, base, "admin@demo.example").await?;
    let run = async {
        open_menu_if_collapsed(&c, "#nav-admin").await?;
        click(&c, "#nav-admin").await?;
        wait_path(&c, "/admin").await?;
        wait_text(&c, "#page-title", &m("admin-title")).await?;
        click(&c, "#admin-accounts").await?;
        wait_path(&c, "/admin/accounts").await?;
        select_value(&c, "#f-invite-person", &person).await?;
        click(&c, "#invite-submit").await?;
        wait_text(&c, ".flash", &m("flash-invited")).await?;
        ensure!(shown_text(&c, "main").await?.contains(EMAIL), "the invited account is listed");
        save_screenshot(&c, &shot("1-admin-invited")).await?;
        Ok::<_, anyhow::Error>(())
    };
    let invited = run.await;
    if invited.is_err() {
        let _ = save_screenshot(&c, &shot("failure-admin")).await;
    }
    let _ = c.close().await;
    invited?;

    // The e-mail, in the admin's language, carries the link.
    let text = mail_to(maildir, EMAIL)?;
    ensure!(text.contains(&m("invitation-mail-text")), "the e-mail in Spanish: {text}");
    let start = text.find("/invitation?token=").context("the link in the e-mail")?;
    let link: String = text[start..].chars().take_while(|c| !c.is_whitespace()).collect();

    // Inés, on a phone: sets her password and is signed in.
    let profile = tempfile::tempdir()?;
    let c = session(webdriver, chromium, profile.path(), Viewport::Phone).await?;
    let run = async {
        c.goto(&format!("{base}{link}&lang=es")).await?;
        wait_text(&c, "#page-title", &m("invitation-title")).await?;
        ensure!(shown_text(&c, "#invitation-welcome").await?.contains(EMAIL), "the page names her account");
        fits_the_phone(&c, "the invitation").await?;
        fill(&c, "#f-new", "una contraseña bien larga").await?;
        fill(&c, "#f-confirm", "una contraseña bien larga").await?;
        click(&c, "#invitation-submit").await?;
        wait_until(&c, "her home page", |path, lang| path == "/" && lang == "es").await?;
        wait_text(&c, ".flash", &m("flash-welcome")).await?;
        ensure!(!c.find(fantoccini::Locator::Css("#unread-count")).await?.is_displayed().await?, "nothing unread yet");
        save_screenshot(&c, &shot("2-joined")).await?;

        // A touchpoint is given to her: its announcement reaches her, live.
        let tp = json!({"name": "Devoluciones en tienda", "stage_id": stage(server, token).await?, "owner_id": person.parse::<i64>()?});
        let (status, body) = server.post("/api/v1/touchpoints", Some(token), tp).await;
        ensure!(status == 201, "a touchpoint for her: {status} {body}");
        wait_text(&c, "#unread-count", "1").await?;
        save_screenshot(&c, &shot("3-unread")).await?;
        click(&c, "#notifications-link").await?;
        wait_path(&c, "/notifications").await?;
        wait_text(&c, "#page-title", &m("notifications-title")).await?;
        fits_the_phone(&c, "the notification centre").await?;
        click(&c, ".notification-title").await?;
        id_in_path(&c, "/announcements/").await?;
        click(&c, "#announcement-acknowledge").await?;
        wait_text(&c, "#announcement-mine-done", &m("announcement-acknowledged")).await?;
        ensure!(!c.find(fantoccini::Locator::Css("#unread-count")).await?.is_displayed().await?, "read once opened");
        save_screenshot(&c, &shot("4-acknowledged")).await?;
        Ok::<_, anyhow::Error>(())
    };
    let joined = run.await;
    if joined.is_err() {
        let _ = save_screenshot(&c, &shot("failure-person")).await;
    }
    let _ = c.close().await;
    joined
}

/// The demo's first journey stage.
async fn stage(server: &Server, token: &str) -> Result<i64> {
    let stages = server.json("/api/v1/stages", token).await;
    let items = stages.as_array().cloned().or_else(|| stages["items"].as_array().cloned()).unwrap_or_default();
    items.first().and_then(|s| s["id"].as_i64()).context("a stage in the demo")
}
