//! Invitation waves: to a segment, a list of customers or a CSV, and
//! their invitations and response rates.

use super::super::super::extract::{bad_query, ApiJson, ApiPath};
use super::super::super::page::{Listed, PageParams, Paging};
use super::{now, CSV_MAX_BYTES};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::role::Permission;
use rapport_core::survey::distribution::csv::{self as rcsv, RowError};
use rapport_core::survey::distribution::template::MailTemplate;
use rapport_core::survey::distribution::{InvitationKind, InvitationStatus, Rates, SkipReason, WaveDraft};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::distribution::{Invitation, Wave};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_waves, create_wave))
        .routes(routes!(get_wave))
        .routes(routes!(list_invitations))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(create_wave_csv))
                .layer(DefaultBodyLimit::max(CSV_MAX_BYTES + 64 * 1024)),
        )
}

/// An invitation wave with its response rates.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationWave {
    pub id: Id,
    pub survey_id: Id,
    /// `segment`, `list` or `csv`.
    pub audience: String,
    pub segment_id: Option<Id>,
    pub template: MailTemplate,
    pub send_at: DateTime<Utc>,
    pub per_hour: i64,
    /// Days after the invitation of the one reminder (0: none).
    pub reminder_days: i64,
    pub counts: Rates,
    /// Invitations not yet sent or skipped.
    pub scheduled: i64,
    /// Opened links per e-mail sent, in percent (null before any is sent).
    pub opened_rate: Option<f64>,
    /// Answers per e-mail sent, in percent.
    pub answered_rate: Option<f64>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
}

impl From<Wave> for InvitationWave {
    fn from(w: Wave) -> Self {
        InvitationWave {
            id: w.id,
            survey_id: w.survey_id,
            audience: w.audience,
            segment_id: w.segment_id,
            template: w.template,
            send_at: w.send_at,
            per_hour: w.per_hour,
            reminder_days: w.reminder_days,
            scheduled: w.counts.scheduled(),
            opened_rate: w.counts.opened_rate(),
            answered_rate: w.counts.answered_rate(),
            counts: w.counts,
            created_at: w.created_at,
            created_by: w.created_by,
        }
    }
}

/// One e-mail to one customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationRecord {
    pub id: Id,
    pub kind: InvitationKind,
    pub survey_id: Id,
    pub wave_id: Option<Id>,
    pub trigger_id: Option<Id>,
    pub event_id: Option<Id>,
    /// The customer's external id.
    pub customer: String,
    pub status: InvitationStatus,
    pub skip_reason: Option<SkipReason>,
    pub due_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub opened_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub bounced_at: Option<DateTime<Utc>>,
}

impl From<Invitation> for InvitationRecord {
    fn from(i: Invitation) -> Self {
        InvitationRecord {
            id: i.id,
            kind: i.kind,
            survey_id: i.survey_id,
            wave_id: i.wave_id,
            trigger_id: i.trigger_id,
            event_id: i.event_id,
            customer: i.external_id,
            status: i.status,
            skip_reason: i.skip_reason,
            due_at: i.due_at,
            sent_at: i.sent_at,
            reminded_at: i.reminded_at,
            opened_at: i.opened_at,
            answered_at: i.answered_at,
            bounced_at: i.bounced_at,
        }
    }
}

/// A wave to create: `segment_id` or `customers` (external ids, at most
/// 10,000), an optional template (the default otherwise), when (now when
/// absent), the throttle (1,000 an hour by default) and the reminder (3
/// days by default; 0: none).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct InvitationWaveBody {
    pub segment_id: Option<Id>,
    pub customers: Option<Vec<String>>,
    pub template: Option<MailTemplate>,
    pub send_at: Option<DateTime<Utc>>,
    pub per_hour: Option<i64>,
    pub reminder_days: Option<i64>,
}

impl InvitationWaveBody {
    fn draft(self) -> WaveDraft {
        WaveDraft {
            segment_id: self.segment_id,
            customers: self.customers,
            template: self.template,
            send_at: self.send_at,
            per_hour: self.per_hour,
            reminder_days: self.reminder_days,
        }
    }
}

/// A wave made from a CSV, and the rows that were not invited.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationCsvResult {
    pub wave: InvitationWave,
    /// Each bad row: its line and why (`missing_external_id`,
    /// `invalid_email`, `unknown_language`, `duplicate`, `too_long`,
    /// `too_many_columns`, `unknown_customer`, ...).
    pub row_errors: Vec<RowError>,
}

/// A survey's invitation waves, newest first, with their rates.
#[utoipa::path(get, path = "/api/v1/surveys/{survey_id}/waves", tag = "distribution",
    operation_id = "list_invitation_waves", params(("survey_id" = i64, Path), PageParams),
    responses((status = 200, body = [InvitationWave]), (status = 404), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_waves(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(survey): ApiPath<Id>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<InvitationWave>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    s.store.get_survey(p.org.id, survey).await?;
    let after = paging.after::<Id>("invitation_waves")?;
    let items = s.store.list_waves(p.org.id, survey, after, paging.fetch()).await?;
    Ok(paging.page("invitation_waves", items, |w| w.id).map(InvitationWave::from))
}

/// Invite a segment or a list of customers (by external id) to the survey
/// by e-mail. The invitations are scheduled at once; the distribution pass
/// sends them from `send_at`, throttled, skipping (with the reason) the
/// unsubscribed, bounced, those without an e-mail and those who answered
/// within the survey's fatigue window.
#[utoipa::path(post, path = "/api/v1/surveys/{survey_id}/waves", tag = "distribution",
    operation_id = "create_invitation_wave", params(("survey_id" = i64, Path)), request_body = InvitationWaveBody,
    responses((status = 201, body = InvitationWave), (status = 403), (status = 404),
        (status = 422, description = "invalid fields, named (an unknown placeholder names the template field and the placeholder; an unknown customer `customers[i]`)")))]
async fn create_wave(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(survey): ApiPath<Id>,
    ApiJson(b): ApiJson<InvitationWaveBody>,
) -> Result<(StatusCode, Json<InvitationWave>), AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_survey(p.org.id, survey).await?;
    let at = now();
    let input = b.draft().validate(None, at)?;
    let created = s.store.create_wave(p.org.id, survey, &input, false, &p.actor, at).await?;
    Ok((StatusCode::CREATED, Json(created.wave.into())))
}

/// The settings of a CSV wave, in the query string.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvitationCsvParams {
    /// When to send (RFC 3339); now when absent.
    pub send_at: Option<DateTime<Utc>>,
    pub per_hour: Option<i64>,
    pub reminder_days: Option<i64>,
}

/// What a CSV upload holds: the file, and a template (JSON) if given.
async fn read_upload(s: &AppState, req: Request) -> Result<(String, Option<MailTemplate>), AppError> {
    let kind = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let too_big = || FieldErrors::single("file", "too_large", format!("at most {CSV_MAX_BYTES} bytes"));
    if kind.starts_with("multipart/form-data") {
        let mut form = Multipart::from_request(req, s).await.map_err(|e| AppError::BadRequest(e.body_text()))?;
        let (mut file, mut template) = (None, None);
        while let Some(field) = form.next_field().await.map_err(|e| AppError::BadRequest(e.body_text()))? {
            let name = field.name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::Invalid(too_big()))?;
            match name.as_str() {
                "file" => file = Some(bytes),
                "template" if !bytes.iter().all(u8::is_ascii_whitespace) => {
                    template =
                        Some(super::super::super::extract::parse_body::<MailTemplate>(&bytes).map_err(|e| match e {
                            AppError::Invalid(f) => AppError::Invalid(prefixed("template", f)),
                            e => e,
                        })?)
                }
                _ => {}
            }
        }
        let file = file.ok_or_else(|| FieldErrors::single("file", "required", "attach the CSV as `file`"))?;
        Ok((text_of(&file)?, template))
    } else if kind.starts_with("text/csv") || kind.starts_with("text/plain") {
        let bytes = Bytes::from_request(req, s).await.map_err(|_| AppError::Invalid(too_big()))?;
        Ok((text_of(&bytes)?, None))
    } else {
        Err(AppError::BadRequest("send the CSV as text/csv or as multipart/form-data (`file`)".into()))
    }
}

fn prefixed(prefix: &str, f: FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (k, v) in f.0 {
        out.add(format!("{prefix}.{k}"), v.code, v.message);
    }
    out
}

fn text_of(bytes: &[u8]) -> Result<String, AppError> {
    if bytes.len() > CSV_MAX_BYTES {
        return Err(FieldErrors::single("file", "too_large", format!("at most {CSV_MAX_BYTES} bytes")).into());
    }
    String::from_utf8(bytes.to_vec())
        .map_err(|_| FieldErrors::single("file", "invalid", "the CSV must be UTF-8").into())
}

/// Invite the customers of a CSV (`external_id` and optionally `email`,
/// `name`, `language` columns; a header line, or those four in order), as
/// a `text/csv` body or a multipart form (`file`, and `template` as JSON).
/// Bad rows are reported each with its line and reason; the good rows are
/// invited. No good row at all is a 422 naming `file`.
#[utoipa::path(post, path = "/api/v1/surveys/{survey_id}/waves/csv", tag = "distribution",
    operation_id = "create_invitation_wave_csv", params(("survey_id" = i64, Path), InvitationCsvParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = InvitationCsvResult), (status = 400, description = "not CSV"), (status = 403), (status = 404),
        (status = 422, description = "invalid settings, or no good row (`file`)")))]
async fn create_wave_csv(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(survey): ApiPath<Id>,
    q: Result<Query<InvitationCsvParams>, QueryRejection>,
    req: Request,
) -> Result<(StatusCode, Json<InvitationCsvResult>), AppError> {
    p.require(Permission::EditPlan)?;
    let Query(q) = q.map_err(bad_query)?;
    s.store.get_survey(p.org.id, survey).await?;
    let (text, template) = read_upload(&s, req).await?;
    let parsed = rcsv::parse(&text);
    let mut row_errors = parsed.errors;
    if parsed.rows.is_empty() {
        let lines: Vec<String> = row_errors.iter().take(20).map(|e| format!("line {}: {}", e.line, e.reason)).collect();
        let why = if lines.is_empty() { "no row".to_string() } else { lines.join("; ") };
        return Err(FieldErrors::single("file", "no_valid_row", format!("no row can be invited ({why})")).into());
    }
    let draft = WaveDraft {
        template,
        send_at: q.send_at,
        per_hour: q.per_hour,
        reminder_days: q.reminder_days,
        ..WaveDraft::default()
    };
    let at = now();
    let input = draft.validate(Some(parsed.rows), at)?;
    let created = s.store.create_wave(p.org.id, survey, &input, true, &p.actor, at).await?;
    row_errors.extend(created.row_errors);
    row_errors.sort_by_key(|e| e.line);
    Ok((StatusCode::CREATED, Json(InvitationCsvResult { wave: created.wave.into(), row_errors })))
}

/// A wave with its counts and rates.
#[utoipa::path(get, path = "/api/v1/waves/{id}", tag = "distribution", operation_id = "get_invitation_wave",
    params(("id" = i64, Path)), responses((status = 200, body = InvitationWave), (status = 404)))]
async fn get_wave(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<InvitationWave>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_wave(p.org.id, id).await?.into()))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvitationListParams {
    /// Only `scheduled`, `sent`, `skipped` or `bounced` invitations.
    pub status: Option<String>,
}

/// A wave's invitations, one per customer, by id.
#[utoipa::path(get, path = "/api/v1/waves/{id}/invitations", tag = "distribution",
    operation_id = "list_wave_invitations", params(("id" = i64, Path), InvitationListParams, PageParams),
    responses((status = 200, body = [InvitationRecord]), (status = 404), (status = 422, description = "`status`, `limit` or `after` is invalid")))]
async fn list_invitations(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    q: Result<Query<InvitationListParams>, QueryRejection>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<InvitationRecord>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(bad_query)?;
    let paging = paging?;
    let status = match q.status.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(
            InvitationStatus::parse(v)
                .ok_or_else(|| FieldErrors::single("status", "invalid", "one of scheduled, sent, skipped, bounced"))?,
        ),
    };
    let after = paging.after::<Id>("invitations")?;
    let items = s.store.list_invitations(p.org.id, id, status, after, paging.fetch()).await?;
    Ok(paging.page("invitations", items, |i| i.id).map(InvitationRecord::from))
}
