//! The council pages' forms: each posts, and on success goes back to its
//! page (303); refused, the page comes back with the form's values and
//! errors (422).

use super::{render_index, render_meeting, zone};
use crate::error::AppError;
use crate::web::form::{checked, outcome, FormData};
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_core::calendar::start_of_local_day;
use rapport_core::plan::council::{
    CouncilActionDraft, CouncilAgendaItemDraft, CouncilDecisionDraft, CouncilMeetingDraft, CouncilMemberDraft,
    CouncilMinutesDraft,
};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::BTreeMap;

/// A refused form: which, what was sent, why.
pub(crate) struct Refused {
    pub form: &'static str,
    pub status: StatusCode,
    pub values: BTreeMap<String, String>,
    pub errors: FieldErrors,
}

pub(super) fn parts(
    page: &Page,
    refused: Option<Refused>,
) -> (StatusCode, Option<String>, BTreeMap<String, String>, BTreeMap<String, String>) {
    match refused {
        Some(r) => (r.status, Some(r.form.to_string()), r.values, page.errors(&r.errors)),
        None => (StatusCode::OK, None, BTreeMap::new(), BTreeMap::new()),
    }
}

/// Where the page goes on success, or the refusal to show.
fn judged<T>(
    form: &'static str,
    sent: &FormData,
    r: Result<T, AppError>,
) -> Result<Result<T, Refused>, crate::web::WebError> {
    Ok(outcome(r)?.map_err(|(status, errors)| Refused { form, status, values: sent.values(), errors }))
}

/// A `datetime-local` value (`YYYY-MM-DDTHH:MM`) read in `zone`.
fn instant(zone: &str, v: Option<&str>, e: &mut FieldErrors) -> Option<DateTime<Utc>> {
    let v = v?;
    let Ok(t) = NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M") else {
        e.add("starts_at", "invalid", "must be a date and time");
        return None;
    };
    // The local midnight's instant plus the time of day: exact but on the
    // night a clock changes, when it is an hour off.
    Some(start_of_local_day(zone, t.date()) + (t - t.date().and_hms_opt(0, 0, 0).unwrap_or(t)))
}

pub(super) async fn add_member(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let draft = CouncilMemberDraft { person_id: form.id("person_id", &mut parsed), role: form.text("role") };
    let r = async {
        let input = checked(parsed, draft.validate(true))?;
        Ok::<_, AppError>(page.store().add_council_member(page.org(), &input).await?)
    };
    match judged("member", &form, r.await)? {
        Ok(_) => see_other("/council?ok=saved#council-members"),
        Err(f) => render_index(&page, Some(f)).await,
    }
}

pub(super) async fn remove_member(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().remove_council_member(page.org(), id).await?;
    see_other("/council?ok=saved#council-members")
}

async fn meeting_draft(
    page: &Page,
    form: &FormData,
    parsed: &mut FieldErrors,
) -> Result<CouncilMeetingDraft, AppError> {
    let zone = zone(page).await?;
    Ok(CouncilMeetingDraft {
        title: form.text("title"),
        starts_at: instant(&zone, form.filled("starts_at"), parsed),
        duration_minutes: form.integer("duration_minutes", parsed),
        location: form.text("location"),
        status: form.text("status"),
    })
}

pub(super) async fn create_meeting(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let draft = meeting_draft(&page, &form, &mut parsed).await?;
    let r = async {
        let input = checked(parsed, draft.validate())?;
        crate::api::plan::council::create_meeting(&page.state, page.org(), &input, page.lang()).await
    };
    match judged("meeting", &form, r.await)? {
        Ok(m) => see_other(&format!("/council/meetings/{}", m.id)),
        Err(f) => render_index(&page, Some(f)).await,
    }
}

pub(super) async fn update_meeting(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().get_council_meeting(page.org(), id).await?;
    let mut parsed = FieldErrors::new();
    let draft = meeting_draft(&page, &form, &mut parsed).await?;
    let r = async {
        let input = checked(parsed, draft.validate())?;
        Ok::<_, AppError>(page.store().update_council_meeting(page.org(), id, &input).await?)
    };
    match judged("meeting", &form, r.await)? {
        Ok(_) => see_other(&format!("/council/meetings/{id}?ok=saved")),
        Err(f) => render_meeting(&page, id, Some(f)).await,
    }
}

pub(super) async fn save_minutes(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().get_council_meeting(page.org(), id).await?;
    let draft = CouncilMinutesDraft { minutes: form.text("minutes") };
    let r = async {
        let minutes = checked(FieldErrors::new(), draft.validate())?;
        Ok::<_, AppError>(page.store().set_council_minutes(page.org(), id, &minutes).await?)
    };
    match judged("minutes", &form, r.await)? {
        Ok(_) => see_other(&format!("/council/meetings/{id}?ok=saved#council-minutes")),
        Err(f) => render_meeting(&page, id, Some(f)).await,
    }
}

fn agenda_draft(form: &FormData, parsed: &mut FieldErrors) -> CouncilAgendaItemDraft {
    CouncilAgendaItemDraft {
        title: form.text("title"),
        link: form.text("link"),
        position: form.integer("position", parsed),
    }
}

pub(super) async fn add_agenda_item(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().get_council_meeting(page.org(), id).await?;
    let mut parsed = FieldErrors::new();
    let draft = agenda_draft(&form, &mut parsed);
    let r = async {
        let input = checked(parsed, draft.validate())?;
        Ok::<_, AppError>(page.store().add_council_agenda_item(page.org(), id, &input).await?)
    };
    match judged("agenda", &form, r.await)? {
        Ok(_) => see_other(&format!("/council/meetings/{id}?ok=saved#council-agenda")),
        Err(f) => render_meeting(&page, id, Some(f)).await,
    }
}

/// Rewords or moves an item (the up and down buttons post its neighbour's position).
pub(super) async fn edit_agenda_item(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let item = page.store().get_council_agenda_item(page.org(), id).await?;
    let mut parsed = FieldErrors::new();
    let mut draft = agenda_draft(&form, &mut parsed);
    if draft.title.is_none() {
        draft.title = Some(item.title.clone());
        draft.link = item.link.clone();
    }
    let r = async {
        let input = checked(parsed, draft.validate())?;
        Ok::<_, AppError>(page.store().update_council_agenda_item(page.org(), id, &input).await?)
    };
    match judged("agenda", &form, r.await)? {
        Ok(_) => see_other(&format!("/council/meetings/{}?ok=saved#council-agenda", item.meeting_id)),
        Err(f) => render_meeting(&page, item.meeting_id, Some(f)).await,
    }
}

pub(super) async fn delete_agenda_item(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let item = page.store().get_council_agenda_item(page.org(), id).await?;
    page.store().delete_council_agenda_item(page.org(), id).await?;
    see_other(&format!("/council/meetings/{}?ok=saved#council-agenda", item.meeting_id))
}

pub(super) async fn add_decision(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().get_council_meeting(page.org(), id).await?;
    let mut parsed = FieldErrors::new();
    let draft = CouncilDecisionDraft {
        text: form.text("text"),
        idea_id: form.id("idea_id", &mut parsed),
        sprint_id: form.id("sprint_id", &mut parsed),
        intent_version_id: form.id("intent_version_id", &mut parsed),
    };
    let r = async {
        let input = checked(parsed, draft.validate())?;
        Ok::<_, AppError>(page.store().add_council_decision(page.org(), id, &input).await?)
    };
    match judged("decision", &form, r.await)? {
        Ok(_) => see_other(&format!("/council/meetings/{id}?ok=saved#council-decisions")),
        Err(f) => render_meeting(&page, id, Some(f)).await,
    }
}

pub(super) async fn add_action(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().get_council_meeting(page.org(), id).await?;
    let mut parsed = FieldErrors::new();
    let draft = CouncilActionDraft {
        text: form.text("text"),
        owner_id: form.id("owner_id", &mut parsed),
        due_on: form.date("due_on", &mut parsed),
        done: None,
    };
    let r = async {
        let input = checked(parsed, draft.validate())?;
        Ok::<_, AppError>(page.store().add_council_action(page.org(), id, &input).await?)
    };
    match judged("action", &form, r.await)? {
        Ok(_) => see_other(&format!("/council/meetings/{id}?ok=saved#council-actions")),
        Err(f) => render_meeting(&page, id, Some(f)).await,
    }
}

/// The owner (or a planner) ticks an action item; `done=0` opens it again.
/// Back to `back` when it is one of our pages (the home page, the
/// council, the meeting).
pub(super) async fn tick_action(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let item = page.store().get_council_action(page.org(), id).await?;
    let acting = super::me(&page);
    crate::api::plan::council::may_tick(&page.p, acting, item.owner_id)?;
    let done = form.filled("done") != Some("0");
    page.store().set_council_action_done(page.org(), id, done).await?;
    let back = match form.filled("back") {
        Some("/") => "/".to_string(),
        Some("/council") => "/council#council-actions".to_string(),
        _ => format!("/council/meetings/{}#council-actions", item.meeting_id),
    };
    see_other(&back)
}
