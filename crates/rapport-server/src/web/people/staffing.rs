//! E5. Contact-centre staffing (Erlang C): the calculator (a GET form that
//! works without JavaScript), and per contact channel the week of agents
//! needed beside agents scheduled, one weekday at a time (readable on a
//! phone), with forms for the channel's targets and the day's schedule.
//!
//! Everyone who reads the program computes and reads; targets and
//! schedules take `PlanStaffing`. Percentages are typed as percentages
//! (80 for 80%) and stored as fractions.

use crate::api::people::staffing::{csv_response, load_week, week_csv_text, StaffingWeek};
use crate::error::AppError;
use crate::web::form::{parse_number, FormData};
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use minijinja::{context, Value};
use rapport_core::people::staffing::{self as st, ErlangCDraft, Targets, TargetsDraft, WEEKDAYS};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::{BTreeMap, HashMap};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staffing", get(calculator))
        .route("/staffing/touchpoints/{id}", get(channel))
        .route("/staffing/touchpoints/{id}/week.csv", get(channel_csv))
        .route("/staffing/touchpoints/{id}/settings", post(save_settings))
        .route("/staffing/touchpoints/{id}/schedule", post(save_schedule))
}

/// Fields given as percentages on the page.
const PERCENT: [&str; 3] = ["service_level", "shrinkage", "max_occupancy"];
/// The calculator's fields, in the form's order.
const CALC_FIELDS: [&str; 7] =
    ["contacts", "interval_minutes", "handle_seconds", "answer_seconds", "service_level", "shrinkage", "max_occupancy"];
/// The longest text a number field may hold.
const MAX_NUMBER_CHARS: usize = 32;

/// A typed number: `None` when blank; a 422 naming the field when it does
/// not read; percentages divided by 100.
fn number(values: &HashMap<String, String>, name: &str, e: &mut FieldErrors) -> Option<f64> {
    let v = values.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())?;
    if v.chars().count() > MAX_NUMBER_CHARS {
        e.add(name, "not_a_number", "must be a number");
        return None;
    }
    match parse_number(v) {
        Some(x) if PERCENT.contains(&name) => Some(x / 100.0),
        Some(x) => Some(x),
        None => {
            e.add(name, "not_a_number", "must be a number");
            None
        }
    }
}

fn fmt(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn row_view(r: &st::AgentsRow, raw: u32) -> Value {
    context! {
        agents => r.agents,
        service_level => fmt(r.service_level * 100.0, 1),
        occupancy => fmt(r.occupancy * 100.0, 1),
        waiting => fmt(r.waiting_probability * 100.0, 1),
        asa => fmt(r.average_speed_of_answer, 1),
        is_raw => r.agents == raw,
    }
}

/// The calculator: GET with the figures computes; without any, the form
/// comes prefilled with a worked example.
async fn calculator(page: Page, Query(q): Query<HashMap<String, String>>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let asked = CALC_FIELDS.iter().any(|f| q.contains_key(*f));
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    let (mut result, mut errors) = (None, BTreeMap::new());
    let mut status = StatusCode::OK;
    if asked {
        for f in CALC_FIELDS {
            let v: String = q.get(f).map(|s| s.chars().take(MAX_NUMBER_CHARS + 1).collect()).unwrap_or_default();
            values.insert(f.to_string(), v);
        }
        let mut e = FieldErrors::new();
        let draft = ErlangCDraft {
            contacts: number(&q, "contacts", &mut e),
            interval_minutes: number(&q, "interval_minutes", &mut e),
            handle_seconds: number(&q, "handle_seconds", &mut e),
            service_level: number(&q, "service_level", &mut e),
            answer_seconds: number(&q, "answer_seconds", &mut e),
            shrinkage: number(&q, "shrinkage", &mut e),
            max_occupancy: number(&q, "max_occupancy", &mut e),
        };
        match st::calculate(&draft) {
            Ok(r) if e.is_empty() => {
                result = Some(context! {
                    traffic => fmt(r.traffic, 2),
                    raw => r.raw_agents,
                    scheduled => r.scheduled_agents,
                    at_raw => row_view(&r.at_raw, r.raw_agents),
                    table => r.table.iter().map(|x| row_view(x, r.raw_agents)).collect::<Vec<_>>(),
                });
            }
            Ok(_) => {}
            Err(more) => {
                for (k, v) in more.0 {
                    e.0.entry(k).or_insert(v);
                }
            }
        }
        if !e.is_empty() {
            errors = page.errors(&e);
            status = StatusCode::UNPROCESSABLE_ENTITY;
        }
    } else {
        for (f, v) in CALC_FIELDS.iter().zip(["100", "30", "180", "20", "80", "30", "85"]) {
            values.insert(f.to_string(), v.to_string());
        }
    }
    let (touchpoints, channels) =
        tokio::try_join!(page.store().list_touchpoints(page.org()), page.store().list_staffing_settings(page.org()))?;
    let is_channel: Vec<Id> = channels.iter().map(|c| c.touchpoint_id).collect();
    let tps: Vec<Value> = touchpoints
        .iter()
        .map(|t| context! { id => t.id, name => &t.name, channel => is_channel.contains(&t.id) })
        .collect();
    page.render_status(
        status,
        "people/staffing/calculator.html",
        context! { v => values, errors => errors, result => result, touchpoints => tps },
    )
}

/// Weekday names' catalogue keys, Monday first.
const DAY_KEYS: [&str; 7] = [
    "staffing-day-mon",
    "staffing-day-tue",
    "staffing-day-wed",
    "staffing-day-thu",
    "staffing-day-fri",
    "staffing-day-sat",
    "staffing-day-sun",
];

#[derive(Debug, Default, serde::Deserialize)]
struct ChannelQuery {
    weeks: Option<String>,
    day: Option<String>,
}

fn read_query(q: &ChannelQuery) -> Result<(u32, usize), AppError> {
    let mut e = FieldErrors::new();
    let weeks = match q.weeks.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                e.add("weeks", "out_of_range", "must be 1 to 26");
                None
            }
        },
    };
    let weeks = match st::weeks(weeks) {
        Ok(w) => w,
        Err(more) => {
            e.0.extend(more.0);
            st::DEFAULT_WEEKS
        }
    };
    let day = match q.day.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => match s.parse::<usize>() {
            Ok(d) if d < WEEKDAYS => d,
            _ => {
                e.add("day", "out_of_range", "must be 0 (Monday) to 6 (Sunday)");
                0
            }
        },
    };
    e.into_result((weeks, day)).map_err(AppError::Invalid)
}

struct Refused {
    form: &'static str,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
}

async fn channel(page: Page, WebPath(id): WebPath<Id>, Query(q): Query<ChannelQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let (weeks, day) = read_query(&q)?;
    render_channel(&page, id, weeks, day, None).await
}

fn targets_values(t: Option<&Targets>) -> BTreeMap<String, String> {
    let t = t.copied().unwrap_or(Targets {
        handle_seconds: 180.0,
        service_level: 0.8,
        answer_seconds: 20.0,
        shrinkage: 0.3,
        max_occupancy: 0.85,
    });
    BTreeMap::from([
        ("handle_seconds".to_string(), fmt(t.handle_seconds, 2)),
        ("answer_seconds".to_string(), fmt(t.answer_seconds, 2)),
        ("service_level".to_string(), fmt(t.service_level * 100.0, 2)),
        ("shrinkage".to_string(), fmt(t.shrinkage * 100.0, 2)),
        ("max_occupancy".to_string(), fmt(t.max_occupancy * 100.0, 2)),
    ])
}

async fn render_channel(page: &Page, id: Id, weeks: u32, day: usize, refused: Option<Refused>) -> WebResult {
    let tp = page.store().get_touchpoint(page.org(), id).await?;
    let w: StaffingWeek = load_week(page.store(), page.org(), id, weeks, Utc::now()).await?;
    let day_hours: Vec<Value> = w
        .hours
        .iter()
        .filter(|h| h.weekday as usize == day)
        .map(|h| {
            context! {
                hour => format!("{:02}:00", h.hour),
                h => h.hour,
                contacts => fmt(h.contacts, 1),
                needed_raw => h.needed_raw,
                needed => h.needed,
                scheduled => h.scheduled,
                shortfall => h.shortfall,
            }
        })
        .collect();
    let days: Vec<Value> = (0..WEEKDAYS)
        .map(|d| {
            let short = w.hours.iter().filter(|h| h.weekday as usize == d && h.shortfall > 0).count();
            let needed: u32 = w.hours.iter().filter(|h| h.weekday as usize == d).map(|h| h.needed).sum();
            let scheduled: u32 = w.hours.iter().filter(|h| h.weekday as usize == d).map(|h| h.scheduled).sum();
            context! { d => d, name => page.t(DAY_KEYS[d]), short => short, needed => needed, scheduled => scheduled, current => d == day }
        })
        .collect();
    let (code, form, mut settings_v, mut schedule_v, errors) = match &refused {
        Some(r) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Some(r.form), BTreeMap::new(), BTreeMap::new(), page.errors(&r.errors))
        }
        None => (StatusCode::OK, None, BTreeMap::new(), BTreeMap::new(), BTreeMap::new()),
    };
    settings_v.extend(targets_values(w.targets.as_ref()));
    for h in w.hours.iter().filter(|h| h.weekday as usize == day) {
        schedule_v.insert(format!("h{}", h.hour), h.scheduled.to_string());
    }
    if let Some(r) = &refused {
        let target = if r.form == "settings" { &mut settings_v } else { &mut schedule_v };
        target.extend(r.values.clone());
    }
    page.render_status(
        code,
        "people/staffing/channel.html",
        context! {
            tp => context! { id => tp.id, name => &tp.name },
            week => context! {
                contact_channel => w.contact_channel,
                weeks => w.weeks,
                time_zone => &w.time_zone,
                from => w.from.to_rfc3339(),
                to => w.to.to_rfc3339(),
                shortfall_hours => w.shortfall_hours,
            },
            weeks_choices => [1, 2, 4, 8, 13, 26],
            day => day,
            day_name => page.t(DAY_KEYS[day]),
            days => days,
            hours => day_hours,
            form => form,
            errors => errors,
            sv => settings_v,
            hv => schedule_v,
            can_plan => page.p.can(Permission::PlanStaffing),
        },
    )
}

async fn channel_csv(page: Page, WebPath(id): WebPath<Id>, Query(q): Query<ChannelQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let (weeks, _) = read_query(&q)?;
    let w = load_week(page.store(), page.org(), id, weeks, Utc::now()).await?;
    Ok(csv_response(week_csv_text(&w), id))
}

fn form_values(form: &FormData) -> HashMap<String, String> {
    form.values().into_iter().collect()
}

async fn save_settings(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::PlanStaffing)?;
    page.store().get_touchpoint(page.org(), id).await?;
    let values = form_values(&form);
    let mut e = FieldErrors::new();
    let draft = TargetsDraft {
        handle_seconds: number(&values, "handle_seconds", &mut e),
        service_level: number(&values, "service_level", &mut e),
        answer_seconds: number(&values, "answer_seconds", &mut e),
        shrinkage: number(&values, "shrinkage", &mut e),
        max_occupancy: number(&values, "max_occupancy", &mut e),
    };
    let checked = draft.validate();
    match checked {
        Ok(t) if e.is_empty() => {
            page.store().put_staffing_settings(page.org(), id, &t).await?;
            see_other(&format!("/staffing/touchpoints/{id}?ok=saved"))
        }
        other => {
            if let Err(more) = other {
                for (k, v) in more.0 {
                    e.0.entry(k).or_insert(v);
                }
            }
            let refused = Refused { form: "settings", values: form.values(), errors: e };
            render_channel(&page, id, st::DEFAULT_WEEKS, 0, Some(refused)).await
        }
    }
}

/// One weekday's 24 hours (`h0` … `h23`, blank = 0) replace that day of
/// the schedule; the other days stay.
async fn save_schedule(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::PlanStaffing)?;
    let mut e = FieldErrors::new();
    let day = match form.get("day").map(str::trim).map(str::parse::<usize>) {
        Some(Ok(d)) if d < WEEKDAYS => d,
        _ => {
            e.add("day", "out_of_range", "must be 0 (Monday) to 6 (Sunday)");
            0
        }
    };
    let mut grid = page.store().staffing_schedule(page.org(), id).await?;
    for (h, cell) in grid[day].iter_mut().enumerate() {
        let name = format!("h{h}");
        let text = form.get(&name).map(str::trim).unwrap_or("");
        let n = if text.is_empty() { Some(0) } else { text.parse::<i64>().ok() };
        match n {
            Some(n) if (0..=st::MAX_SCHEDULED as i64).contains(&n) => *cell = n as u32,
            _ => e.add(name, "out_of_range", format!("must be a whole number from 0 to {}", st::MAX_SCHEDULED)),
        }
    }
    if !e.is_empty() {
        let refused = Refused { form: "schedule", values: form.values(), errors: e };
        return render_channel(&page, id, st::DEFAULT_WEEKS, day, Some(refused)).await;
    }
    page.store().put_staffing_schedule(page.org(), id, &grid).await?;
    see_other(&format!("/staffing/touchpoints/{id}?day={day}&ok=saved"))
}

#[cfg(test)]
mod tests;
