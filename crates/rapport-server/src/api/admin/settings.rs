//! Organization settings (P4): the name, the default language of public
//! survey pages, and the survey branding (accent colour and logo). The time
//! zone is the working calendar's: shown here, changed with
//! `PUT /api/v1/calendar`, whose rules apply.
//!
//! Permissions: reading is `ReadProgram` (nothing here is secret: the
//! branding is on public pages). Changing is `EditPlan`, the logo and the
//! colour included: they hold no secret, unlike what `ManageAccounts`
//! guards (accounts, tokens, webhooks), and those who design the surveys
//! (leaders) are the ones who brand them.
//!
//! The logo is sent as the body itself (`Content-Type: image/png` or
//! `image/jpeg`; anything else is a 400), read at most
//! [`LOGO_MAX_BYTES`] + 1 bytes, and checked by its first bytes
//! (`rapport_core::branding`): too large, empty or not a PNG/JPEG image is a
//! 422 naming `logo`. With a bearer token only: a signed-in browser uploads
//! through the settings page (the API takes cookie writes only with its
//! JSON, NDJSON or multipart bodies).

use super::super::extract::ApiJson;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use rapport_core::branding::{check_logo, LOGO_MAX_BYTES};
use rapport_core::lang::Lang;
use rapport_core::role::Permission;
use rapport_core::settings::SettingsDraft;
use rapport_store::{NewLogo, Settings, Store};
use serde::Serialize;
use sha2::Digest;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, put_settings)).routes(routes!(put_logo, delete_logo))
}

/// The organization's settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsView {
    pub name: String,
    /// The language of public survey pages for visitors whose browser asks
    /// for none that Rapport speaks.
    pub default_language: Lang,
    /// "#rrggbb", or null for Rapport's own colour.
    pub accent_colour: Option<String>,
    /// The working calendar's time zone (change it with `PUT /api/v1/calendar`).
    pub time_zone: String,
    pub logo: Option<LogoView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LogoView {
    /// "image/png" or "image/jpeg".
    pub content_type: String,
    /// Its size in bytes.
    pub bytes: i64,
    /// Where the public survey pages load it (no credentials needed).
    pub url: String,
    pub updated_at: DateTime<Utc>,
}

/// A logo image, sent as the request body.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct LogoImage(#[allow(dead_code)] Vec<u8>);

/// The settings as the API answers them (the calendar read for its zone).
async fn view(store: &dyn Store, org: rapport_core::Id, slug: &str, s: Settings) -> Result<SettingsView, AppError> {
    let time_zone = store.work_calendar(org).await?.time_zone;
    let logo = s.logo.map(|l| LogoView {
        content_type: l.content_type,
        bytes: l.bytes,
        url: format!("/branding/{slug}/logo?v={}", l.version),
        updated_at: l.updated_at,
    });
    Ok(SettingsView {
        name: s.name,
        default_language: s.default_language,
        accent_colour: s.accent_colour,
        time_zone,
        logo,
    })
}

#[utoipa::path(get, path = "/api/v1/settings", tag = "organization", operation_id = "get_settings",
    responses((status = 200, body = SettingsView)))]
async fn get_settings(State(s): State<AppState>, p: Principal) -> Result<Json<SettingsView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let settings = s.store.org_settings(p.org.id).await?;
    Ok(Json(view(s.store.as_ref(), p.org.id, &p.org.slug, settings).await?))
}

/// Change the name, the default language or the accent colour: what the
/// body names changes, the rest is kept (`"accent_colour": null` goes back
/// to Rapport's colour). Each change leaves an audit line (`settings.name`,
/// `settings.default_language`, `settings.accent_colour`, subject `org:ID`).
/// An accent colour with a contrast below 4.5:1 against white is a 422
/// naming `accent_colour`.
#[utoipa::path(put, path = "/api/v1/settings", tag = "organization", operation_id = "put_settings",
    request_body = SettingsDraft,
    responses((status = 200, body = SettingsView), (status = 422, description = "a field is invalid, or the body names none")))]
async fn put_settings(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<SettingsDraft>,
) -> Result<Json<SettingsView>, AppError> {
    p.require(Permission::EditPlan)?;
    let change = d.validate()?;
    let settings = s.store.update_settings(p.org.id, &change, &p.actor).await?;
    Ok(Json(view(s.store.as_ref(), p.org.id, &p.org.slug, settings).await?))
}

/// Set the logo of the public survey pages: a PNG or JPEG image of at most
/// 200 KB, as the body (`Content-Type: image/png` or `image/jpeg`). Audit
/// line `settings.logo`.
#[utoipa::path(put, path = "/api/v1/settings/logo", tag = "organization", operation_id = "put_logo",
    request_body(content((LogoImage = "image/png"), (LogoImage = "image/jpeg"))),
    responses((status = 200, body = SettingsView), (status = 400, description = "not sent as image/png or image/jpeg"),
        (status = 422, description = "`logo`: empty, larger than 200 KB, or not a PNG or JPEG image")))]
async fn put_logo(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<SettingsView>, AppError> {
    p.require(Permission::EditPlan)?;
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence != "image/png" && essence != "image/jpeg" {
        return Err(AppError::BadRequest(
            "send the logo as the body, with Content-Type image/png or image/jpeg".into(),
        ));
    }
    let bytes = read_bounded(body).await?;
    let settings = save_logo(s.store.as_ref(), p.org.id, &p.actor, &bytes).await?;
    Ok(Json(view(s.store.as_ref(), p.org.id, &p.org.slug, settings).await?))
}

/// Remove the logo (audit line `settings.logo_remove`; nothing when there is none).
#[utoipa::path(delete, path = "/api/v1/settings/logo", tag = "organization", operation_id = "delete_logo",
    responses((status = 200, body = SettingsView)))]
async fn delete_logo(State(s): State<AppState>, p: Principal) -> Result<Json<SettingsView>, AppError> {
    p.require(Permission::EditPlan)?;
    let settings = s.store.set_logo(p.org.id, None, &p.actor).await?;
    Ok(Json(view(s.store.as_ref(), p.org.id, &p.org.slug, settings).await?))
}

/// The body, read no further than one byte past the largest logo: a larger
/// one is refused without being read whole.
async fn read_bounded(body: Body) -> Result<Vec<u8>, AppError> {
    let mut stream = body.into_data_stream();
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("could not read the body: {e}")))?;
        out.extend_from_slice(&chunk);
        if out.len() > LOGO_MAX_BYTES {
            out.truncate(LOGO_MAX_BYTES + 1);
            break;
        }
    }
    Ok(out)
}

/// Checks and stores a logo (as the settings page does): its version is a
/// prefix of its SHA-256, for cache-busting URLs.
async fn save_logo(store: &dyn Store, org: rapport_core::Id, actor: &str, bytes: &[u8]) -> Result<Settings, AppError> {
    let kind = check_logo(bytes)?;
    let version = hex::encode(&sha2::Sha256::digest(bytes)[..8]);
    Ok(store.set_logo(org, Some(&NewLogo { kind, bytes, version: &version }), actor).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bodies_are_read_no_further_than_the_bound() {
        // An endless body: reading it whole would never finish.
        let chunk = axum::body::Bytes::from(vec![7u8; 1000]);
        let endless = futures_util::stream::repeat(Ok::<_, std::convert::Infallible>(chunk));
        assert_eq!(read_bounded(Body::from_stream(endless)).await.unwrap().len(), LOGO_MAX_BYTES + 1);
        let small = Body::from(vec![7u8; 10]);
        assert_eq!(read_bounded(small).await.unwrap().len(), 10);
    }
}
