//! The organization's working calendar: time zone, working hours, working
//! days and holidays, on which response-time promises (and sprints) are
//! counted.
//!
//! The time zone is an IANA name (`time_zone`, e.g. "Europe/Madrid"), so
//! promises follow daylight-saving changes. The former fixed offset,
//! `utc_offset_minutes`, is still accepted on `PUT` (deprecated; not with
//! `time_zone`) and saved as the fixed zone "UTC±HH:MM"; migration 0009 gave
//! every saved calendar the fixed zone of its offset. Responses carry
//! `time_zone` only.

use super::extract::ApiJson;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use rapport_core::calendar::{CalendarDraft, WorkCalendar};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_calendar, put_calendar))
}

/// The calendar (UTC, 09:00-17:00, Monday to Friday until one is saved).
#[utoipa::path(get, path = "/api/v1/calendar", tag = "cases", operation_id = "get_calendar",
    responses((status = 200, body = WorkCalendar)))]
async fn get_calendar(State(s): State<AppState>, p: Principal) -> Result<Json<WorkCalendar>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.work_calendar(p.org.id).await?))
}

/// Replace the calendar. Promises of cases already open keep their due times.
/// `time_zone` must be an IANA name known to the server (e.g.
/// "America/New_York"), "UTC" or "UTC±HH:MM"; an unknown one is a 422.
#[utoipa::path(put, path = "/api/v1/calendar", tag = "cases", operation_id = "put_calendar", request_body = CalendarDraft,
    responses((status = 200, body = WorkCalendar), (status = 422)))]
async fn put_calendar(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<CalendarDraft>,
) -> Result<Json<WorkCalendar>, AppError> {
    p.require(Permission::EditPlan)?;
    let nothing = d.time_zone.is_none()
        && d.utc_offset_minutes.is_none()
        && d.day_start.is_none()
        && d.day_end.is_none()
        && d.workdays.is_none()
        && d.holidays.is_none();
    if nothing {
        // A PUT with nothing in it would reset the calendar to the default.
        return Err(AppError::Invalid(FieldErrors::single(
            "body",
            "required",
            "send the calendar: time_zone, day_start, day_end, workdays and/or holidays",
        )));
    }
    let cal = d.validate()?;
    let out = s.store.set_work_calendar(p.org.id, &cal, Some(&p.audit("calendar.update", "calendar"))).await?;
    Ok(Json(out))
}
