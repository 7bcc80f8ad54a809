//! `/admin/settings`: the organization's name and default language, its
//! time zone and working calendar, and the branding of its public survey
//! pages (accent colour and logo).
//!
//! Policy: the page and its forms need `EditPlan` (the settings are part
//! of the plan; see `api/admin/settings.rs` for why branding is too). Each
//! form saves its own part: a failed one is shown again with its fields and
//! errors (422) and writes nothing; a saved one redirects here with a flash.
//! The calendar form is the one of `/cases/rules` (same fields, same
//! `CalendarDraft` validation, same store method and audit line). The logo
//! is posted as `multipart/form-data`, read no further than its bound.

mod branding;

use crate::error::AppError;
use crate::state::AppState;
use crate::web::cases::rules::{hhmm, holidays, DAYS};
use crate::web::form::{outcome, FormData};
use crate::web::{see_other, Page, WebResult};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use rapport_core::branding::{check_logo, LOGO_FIELD, LOGO_MAX_BYTES};
use rapport_core::calendar::CalendarDraft;
use rapport_core::lang::Lang;
use rapport_core::role::Permission;
use rapport_core::settings::SettingsDraft;
use rapport_core::validate::FieldErrors;
use rapport_store::NewLogo;
use sha2::Digest;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/settings", get(show).post(save_general))
        .route("/admin/settings/calendar", post(save_calendar))
        .route("/admin/settings/branding", post(save_branding))
        .route("/admin/settings/logo", post(upload_logo))
        .route("/admin/settings/logo/remove", post(remove_logo))
        .merge(branding::routes())
}

/// Which form came back with errors, what it sent, and why.
struct Failed {
    form: &'static str,
    sent: BTreeMap<String, String>,
    errors: FieldErrors,
    status: StatusCode,
}

async fn show(page: Page) -> WebResult {
    render(&page, None).await
}

async fn render(page: &Page, failed: Option<Failed>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let (settings, calendar) =
        tokio::try_join!(page.store().org_settings(page.org()), page.store().work_calendar(page.org()))?;
    let mut general = BTreeMap::from([
        ("name".to_string(), settings.name.clone()),
        ("default_language".into(), settings.default_language.code().to_string()),
    ]);
    let mut brand = BTreeMap::from([("accent_colour".to_string(), settings.accent_colour.clone().unwrap_or_default())]);
    let mut cal = BTreeMap::from([
        ("time_zone".to_string(), calendar.time_zone.clone()),
        ("day_start".into(), hhmm(calendar.day_start)),
        ("day_end".into(), hhmm(calendar.day_end)),
        (
            "holidays".into(),
            calendar.holidays.iter().map(|h| format!("{} {}", h.day, h.name)).collect::<Vec<_>>().join("\n"),
        ),
    ]);
    let mut workdays: Vec<&str> = DAYS.iter().zip(calendar.workdays).filter(|(_, on)| *on).map(|(d, _)| *d).collect();
    let (status, form, errors) = match failed {
        None => (StatusCode::OK, None, BTreeMap::new()),
        Some(f) => {
            match f.form {
                "general" => general.extend(f.sent),
                "branding" => brand.extend(f.sent),
                "calendar" => {
                    workdays = DAYS.iter().copied().filter(|d| f.sent.contains_key(&format!("day_{d}"))).collect();
                    cal = f.sent;
                }
                _ => {}
            }
            (f.status, Some(f.form), page.errors(&f.errors))
        }
    };
    page.render_status(
        status,
        "admin/settings.html",
        context! {
            general => general,
            brand => brand,
            cal => cal,
            workdays => workdays,
            days => DAYS,
            languages => Lang::ALL.iter().map(|l| l.code()).collect::<Vec<_>>(),
            time_zones => rapport_core::calendar::time_zone_names().collect::<Vec<_>>(),
            // Versions of the swatch's and the logo's URLs (the template writes
            // the paths: MiniJinja escapes the slashes of a value).
            accent => settings.accent_colour.as_ref().map(|a| a.trim_start_matches('#').to_string()),
            logo => settings.logo.as_ref().map(|l| l.version.clone()),
            logo_max_kb => LOGO_MAX_BYTES / 1024,
            failed => form,
            errors => errors,
        },
    )
}

/// The redirect of a saved form, or the page again with its errors.
async fn finish(page: &Page, form: &'static str, sent: &FormData, r: Result<(), AppError>) -> WebResult {
    match outcome(r)? {
        Ok(()) => see_other("/admin/settings?ok=saved"),
        Err((status, errors)) => render(page, Some(Failed { form, sent: sent.values(), errors, status })).await,
    }
}

async fn save_general(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let draft = SettingsDraft {
        name: Some(form.get("name").unwrap_or("").to_string()),
        default_language: Some(form.get("default_language").unwrap_or("").to_string()),
        accent_colour: None,
    };
    let r = async {
        let change = draft.validate()?;
        page.store().update_settings(page.org(), &change, &page.p.actor).await?;
        Ok(())
    };
    let r = r.await;
    finish(&page, "general", &form, r).await
}

async fn save_branding(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    // Blank goes back to Rapport's colour.
    let draft = SettingsDraft { accent_colour: Some(form.text("accent_colour")), ..Default::default() };
    let r = async {
        let change = draft.validate()?;
        page.store().update_settings(page.org(), &change, &page.p.actor).await?;
        Ok(())
    };
    let r = r.await;
    finish(&page, "branding", &form, r).await
}

async fn save_calendar(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let draft = CalendarDraft {
        time_zone: form.text("time_zone"),
        utc_offset_minutes: None,
        day_start: form.text("day_start"),
        day_end: form.text("day_end"),
        workdays: Some(
            DAYS.iter().filter(|d| form.get(&format!("day_{d}")).is_some()).map(|d| d.to_string()).collect(),
        ),
        holidays: Some(holidays(form.get("holidays").unwrap_or(""))),
    };
    let r = async {
        let cal = draft.validate()?;
        page.store().set_work_calendar(page.org(), &cal, Some(&page.p.audit("calendar.update", "calendar"))).await?;
        Ok(())
    };
    let mut r = r.await;
    if let Err(AppError::Invalid(e)) = &mut r {
        // The holidays are one text area: its line's error is the field's.
        if let Some(k) = e.0.keys().find(|k| k.starts_with("holidays[")).cloned() {
            let v = e.0.remove(&k).expect("the key was found");
            e.add("holidays", v.code, v.message);
        }
    }
    finish(&page, "calendar", &form, r).await
}

/// The `logo` file of the form, read at most one byte past the bound; a
/// body larger than the server reads at all counts as too large.
async fn logo_file(form: Result<Multipart, MultipartRejection>) -> Result<Vec<u8>, AppError> {
    let mut form = form.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let too_large =
        || AppError::Invalid(FieldErrors::single(LOGO_FIELD, "image_too_large", "the image must be at most 200 KB"));
    let bad = |e: axum::extract::multipart::MultipartError| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        _ => AppError::BadRequest(e.body_text()),
    };
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        if field.name() != Some(LOGO_FIELD) {
            continue;
        }
        let mut out = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            out.extend_from_slice(&chunk);
            if out.len() > LOGO_MAX_BYTES {
                return Err(too_large());
            }
        }
        return Ok(out);
    }
    Ok(Vec::new())
}

async fn upload_logo(page: Page, form: Result<Multipart, MultipartRejection>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let r = async {
        let bytes = logo_file(form).await?;
        let kind = check_logo(&bytes)?;
        let version = hex::encode(&sha2::Sha256::digest(&bytes)[..8]);
        let logo = NewLogo { kind, bytes: &bytes, version: &version };
        page.store().set_logo(page.org(), Some(&logo), &page.p.actor).await?;
        Ok(())
    };
    let r = r.await;
    finish(&page, "logo", &FormData::default(), r).await
}

async fn remove_logo(page: Page) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().set_logo(page.org(), None, &page.p.actor).await?;
    see_other("/admin/settings?ok=saved")
}

#[cfg(test)]
mod tests {
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
            vec![
                ("time_zone", zone),
                ("day_start", "08:30"),
                ("day_end", "17:30"),
                ("day_mon", "on"),
                ("day_tue", "on"),
            ]
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
            [
                format!("admin@acme.test settings.logo org:{org}"),
                format!("admin@acme.test settings.logo_remove org:{org}")
            ]
        );
    }
}
