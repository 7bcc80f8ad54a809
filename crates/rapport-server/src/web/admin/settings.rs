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
use crate::web::cases::rules::{calendar_draft, calendar_values, DAYS};
use crate::web::form::{outcome, FormData};
use crate::web::{see_other, Page, WebResult};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use rapport_core::branding::{check_logo, LOGO_FIELD, LOGO_MAX_BYTES};
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
    let (mut cal, mut workdays) = calendar_values(&calendar);
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
    let draft = calendar_draft(&form);
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
mod tests;
