//! The settings page: who may edit it, each form's errors (nothing
//! written), the calendar, the accent colour and the logo as served.

use crate::web::test_support::{in_lang, session, TestApp};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use rapport_core::lang::Lang;
use rapport_core::role::Role;
use tower::ServiceExt;

/// A small PNG as far as the upload checks: signature and header chunk.
fn png(len: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.resize(len, 0x42);
    b
}

/// POSTs one file as a browser's multipart form would.
async fn upload(t: &TestApp, cookie: &str, bytes: &[u8], content_type: &str) -> crate::web::test_support::Page {
    let boundary = "rapport-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo\"\r\n\
         Content-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post("/admin/settings/logo")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::HOST, "rapport.test")
        .header(header::ORIGIN, "http://rapport.test")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    t.send(req).await
}

/// GET without reading the body as text (images), with headers.
async fn raw(t: &TestApp, path: &str, etag: Option<&str>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut req = Request::get(path);
    if let Some(e) = etag {
        req = req.header(header::IF_NONE_MATCH, e);
    }
    let resp = t.app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap().to_vec();
    (status, headers, bytes)
}

async fn audit_actions(t: &TestApp) -> Vec<String> {
    let mut lines = t.store.list_audit(t.org.id, 100).await.unwrap();
    lines.reverse();
    lines.into_iter().map(|l| format!("{} {} {}", l.actor, l.action, l.subject)).collect()
}

#[tokio::test]
async fn leaders_edit_the_settings_and_viewers_cannot() {
    let t = TestApp::new().await;
    let page = t.get("/admin/settings", &t.admin).await;
    assert_eq!(page.status, StatusCode::OK);
    for id in ["page-title", "general-form", "calendar-form", "branding-form", "logo-form", "logo-none"] {
        assert!(page.body.contains(&format!("id=\"{id}\"")), "no #{id}");
    }
    assert!(page.body.contains("value=\"Acme Outdoor\""));
    let es = t.get("/admin/settings", &in_lang(&t.admin, "es")).await;
    assert!(es.body.contains("Ajustes de la organización") && es.body.contains("Color de acento"), "{}", es.body);
    assert_eq!(t.get("/admin/settings", &t.viewer).await.status, StatusCode::FORBIDDEN);
    let refused = t.post("/admin/settings", &t.viewer, &[("name", "Viewer Co"), ("default_language", "es")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(upload(&t, &t.viewer, &png(100), "image/png").await.status, StatusCode::FORBIDDEN);

    let leader = session(t.store.as_ref(), t.org.id, "lead@acme.test", Role::Leader).await;
    let saved = t.post("/admin/settings", &leader, &[("name", " Acme Gear "), ("default_language", "es")]).await;
    assert_eq!(saved.location.as_deref(), Some("/admin/settings?ok=saved"));
    let s = t.store.org_settings(t.org.id).await.unwrap();
    assert_eq!((s.name.as_str(), s.default_language), ("Acme Gear", Lang::Es));
    let lines = audit_actions(&t).await;
    let org = t.org.id;
    assert_eq!(
        lines,
        [
            format!("lead@acme.test settings.name org:{org}"),
            format!("lead@acme.test settings.default_language org:{org}")
        ]
    );

    let blank = t.post("/admin/settings", &leader, &[("name", " "), ("default_language", "fr")]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("id=\"name-error\"") && blank.body.contains("id=\"default_language-error\""));
    assert_eq!(t.store.org_settings(t.org.id).await.unwrap().name, "Acme Gear", "nothing written");
    assert_eq!(audit_actions(&t).await.len(), 2);
}

#[tokio::test]
async fn accent_colours_need_contrast_and_reach_the_survey_stylesheet() {
    let t = TestApp::new().await;
    let low = t.post("/admin/settings/branding", &t.admin, &[("accent_colour", "#777777")]).await;
    assert_eq!(low.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(low.body.contains("id=\"accent_colour-error\""), "{}", low.body);
    assert!(low.body.contains("contrast is below 4.5 to 1"));
    assert!(low.body.contains("value=\"#777777\""), "what was sent is shown again");
    assert_eq!(t.store.org_settings(t.org.id).await.unwrap().accent_colour, None);
    let (_, _, css) = raw(&t, "/branding/acme/theme.css", None).await;
    assert!(!String::from_utf8(css).unwrap().contains("--primary"), "no accent yet");

    let ok = t.post("/admin/settings/branding", &t.admin, &[("accent_colour", "#1D4ED8")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = t.get("/admin/settings", &t.admin).await;
    assert!(page.body.contains("src=\"/branding/acme/accent.svg?v=1d4ed8\""), "{}", page.body);
    let (status, headers, css) = raw(&t, "/branding/acme/theme.css?v=1d4ed8", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
    assert!(headers[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));
    assert!(String::from_utf8(css).unwrap().contains("--primary: #1d4ed8;"));
    let (_, headers, _) = raw(&t, "/branding/acme/theme.css?v=old", None).await;
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=300", "a stale version is not kept long");
    let (status, headers, svg) = raw(&t, "/branding/acme/accent.svg", None).await;
    assert_eq!((status, &headers[header::CONTENT_TYPE]), (StatusCode::OK, &"image/svg+xml".parse().unwrap()));
    assert!(String::from_utf8(svg).unwrap().contains("fill=\"#1d4ed8\""));
    assert_eq!(raw(&t, "/branding/nobody/theme.css", None).await.0, StatusCode::NOT_FOUND);

    let back = t.post("/admin/settings/branding", &t.admin, &[("accent_colour", "")]).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(t.store.org_settings(t.org.id).await.unwrap().accent_colour, None, "blank: Rapport's colour");
    assert_eq!(raw(&t, "/branding/acme/accent.svg", None).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_calendar_is_edited_here_as_on_the_case_rules_page() {
    let t = TestApp::new().await;
    let form = |zone: &'static str| {
        vec![("time_zone", zone), ("day_start", "08:30"), ("day_end", "17:30"), ("day_mon", "on"), ("day_tue", "on")]
    };
    let bad = t.post("/admin/settings/calendar", &t.admin, &form("Mars/Olympus")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"time_zone-error\"") && bad.body.contains("value=\"Mars&#x2f;Olympus\""));
    assert_eq!(t.store.work_calendar(t.org.id).await.unwrap().time_zone, "UTC");
    let mut holiday = form("Europe/Madrid");
    holiday.push(("holidays", "2026-12-25 Navidad\nnot-a-date"));
    let bad = t.post("/admin/settings/calendar", &t.admin, &holiday).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"holidays-error\""), "a holiday's error is the text area's");
    let ok = t.post("/admin/settings/calendar", &t.admin, &form("Europe/Madrid")).await;
    assert_eq!(ok.location.as_deref(), Some("/admin/settings?ok=saved"));
    let cal = t.store.work_calendar(t.org.id).await.unwrap();
    assert_eq!((cal.time_zone.as_str(), cal.day_start, cal.workdays[2]), ("Europe/Madrid", 510, false));
    assert!(t.get("/admin/settings", &t.admin).await.body.contains("value=\"Europe&#x2f;Madrid\""));
    assert_eq!(audit_actions(&t).await, ["admin@acme.test calendar.update calendar"]);
}

#[tokio::test]
async fn logos_are_checked_stored_and_served_as_images() {
    let t = TestApp::new().await;
    let gif = upload(&t, &t.admin, b"GIF89a\x01\x00\x01\x00", "image/png").await;
    assert_eq!(gif.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(gif.body.contains("id=\"logo-error\"") && gif.body.contains("Choose a PNG or JPEG image."));
    let svg = upload(&t, &t.admin, b"<svg onload=\"alert(1)\"/>", "image/svg+xml").await;
    assert_eq!(svg.status, StatusCode::UNPROCESSABLE_ENTITY);
    let big = upload(&t, &t.admin, &png(200 * 1024 + 1), "image/png").await;
    assert_eq!(big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(big.body.contains("at most 200 KB"), "{}", big.body);
    assert_eq!(t.store.org_settings(t.org.id).await.unwrap().logo, None, "nothing stored");

    let image = png(5000);
    let ok = upload(&t, &t.admin, &image, "application/octet-stream").await;
    assert_eq!(ok.location.as_deref(), Some("/admin/settings?ok=saved"), "the bytes decide, not the type sent");
    let version = t.store.org_settings(t.org.id).await.unwrap().logo.unwrap().version;
    let page = t.get("/admin/settings", &t.admin).await;
    assert!(page.body.contains(&format!("src=\"/branding/acme/logo?v={version}\"")));
    let (status, headers, bytes) = raw(&t, &format!("/branding/acme/logo?v={version}"), None).await;
    assert_eq!((status, bytes), (StatusCode::OK, image));
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(headers[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));
    let etag = headers[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(raw(&t, "/branding/acme/logo", Some(&etag)).await.0, StatusCode::NOT_MODIFIED);

    let removed = t.post("/admin/settings/logo/remove", &t.admin, &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(raw(&t, "/branding/acme/logo", None).await.0, StatusCode::NOT_FOUND);
    let org = t.org.id;
    assert_eq!(
        audit_actions(&t).await,
        [format!("admin@acme.test settings.logo org:{org}"), format!("admin@acme.test settings.logo_remove org:{org}")]
    );
}

#[tokio::test]
async fn the_default_language_greets_visitors_who_ask_for_none() {
    let t = TestApp::new().await;
    assert!(t.get("/sign-in", "").await.body.contains("<html lang=\"en\">"));
    let saved = t.post("/admin/settings", &t.admin, &[("name", "Acme Outdoor"), ("default_language", "es")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(t.get("/sign-in", "").await.body.contains("<html lang=\"es\">"), "the organization's language");
    let browser =
        Request::get("/sign-in").header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.8").body(Body::empty()).unwrap();
    assert!(t.send(browser).await.body.contains("<html lang=\"en\">"), "the browser's choice wins");
    assert!(t.get("/sign-in", "lang=en").await.body.contains("<html lang=\"en\">"), "so does the cookie");
    assert!(t.get("/sign-in?lang=en", "").await.body.contains("<html lang=\"en\">"), "and the link");
}
