//! `/cases/rules`: the rules that open cases, the routing rules that give
//! them to someone with a promise, and the working calendar promises count in.

use crate::error::AppError;
use crate::web::form::{checked, comma_list, outcome, FormData};
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::http::StatusCode;
use minijinja::context;
use rapport_core::calendar::{CalendarDraft, HolidayDraft, WorkCalendar};
use rapport_core::case::routing::RoutingRuleDraft;
use rapport_core::case::trigger::{CaseRuleDraft, CaseRuleInput, Trigger};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

pub(crate) const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const SCALES: [&str; 4] = ["nps", "csat", "ces", "rating"];

#[derive(Serialize)]
struct RuleView {
    id: Id,
    name: String,
    kind: &'static str,
    scale: Option<&'static str>,
    at_most: Option<i64>,
    /// For a sentiment rule: the score at or below which it fires.
    sentiment: Option<f64>,
    list: String,
    touchpoint: Option<String>,
    active: bool,
    priority: Option<&'static str>,
    tags: Vec<String>,
}

/// Minutes after midnight as HH:MM.
pub(crate) fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Lines "YYYY-MM-DD Name" as holiday drafts.
pub(crate) fn holidays(text: &str) -> Vec<HolidayDraft> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (day, name) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            HolidayDraft { day: Some(day.to_string()), name: Some(name.trim().to_string()).filter(|n| !n.is_empty()) }
        })
        .collect()
}

pub(super) async fn show(page: Page) -> WebResult {
    render(&page, StatusCode::OK, None, BTreeMap::new(), FieldErrors::new()).await
}

async fn render(
    page: &Page,
    status: StatusCode,
    failed: Option<&'static str>,
    sent: BTreeMap<String, String>,
    errors: FieldErrors,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let org = page.org();
    let (rules, routing, calendar, touchpoints, people, segments, posts, themes, default_owner) = tokio::try_join!(
        store.list_case_rules(org),
        store.list_routing_rules(org),
        store.work_calendar(org),
        store.list_touchpoints(org),
        store.list_people(org),
        store.list_segments(org),
        store.list_listening_posts(org),
        store.list_themes(org),
        store.default_case_owner(org),
    )?;
    let tp: HashMap<Id, String> = touchpoints.iter().map(|t| (t.id, t.name.clone())).collect();
    let rules: Vec<RuleView> = rules
        .into_iter()
        .map(|r| {
            let (kind, scale, at_most, list) = match &r.trigger {
                Trigger::Score { scale, at_most } => ("score", Some(scale.key()), Some(*at_most), String::new()),
                Trigger::Comment { words } => ("comment", None, None, words.join(", ")),
                Trigger::Event { types } => ("event", None, None, types.join(", ")),
                Trigger::Sentiment { .. } => ("sentiment", None, None, String::new()),
                Trigger::Anger => ("anger", None, None, String::new()),
                Trigger::Theme { theme_id } => (
                    "theme",
                    None,
                    None,
                    themes.iter().find(|t| t.id == *theme_id).map(|t| t.name.clone()).unwrap_or_default(),
                ),
            };
            let sentiment = match r.trigger {
                Trigger::Sentiment { at_most } => Some(at_most),
                _ => None,
            };
            RuleView {
                id: r.id,
                name: r.name,
                kind,
                scale,
                at_most,
                sentiment,
                list,
                touchpoint: r.touchpoint_id.and_then(|i| tp.get(&i).cloned()),
                active: r.active,
                priority: r.priority.map(|p| p.key()),
                tags: r.tags,
            }
        })
        .collect();
    let person = |id: Option<Id>| id.and_then(|id| people.iter().find(|p| p.id == id)).map(|p| p.name.clone());
    let routing: Vec<_> = routing
        .iter()
        .map(|r| {
            context! {
                id => r.id, name => &r.name, position => r.position,
                touchpoint => r.touchpoint_id.and_then(|i| tp.get(&i).cloned()),
                segment => r.segment_id.and_then(|i| segments.iter().find(|s| s.id == i)).map(|s| s.name.clone()),
                channel => &r.channel,
                post => r.listening_post_id.and_then(|i| posts.iter().find(|p| p.id == i)).map(|p| p.name.clone()),
                assignee => person(r.assignee_id),
                first_response_hours => r.first_response_hours,
                resolution_hours => r.resolution_hours,
            }
        })
        .collect();
    let (mut cal, mut workdays) = calendar_values(&calendar);
    if failed == Some("calendar") {
        cal = sent.clone();
        workdays = DAYS.iter().copied().filter(|d| sent.contains_key(&format!("day_{d}"))).collect();
    }
    let mut errs = page.errors(&errors);
    if let Some(k) = errs.keys().find(|k| k.starts_with("holidays[")).cloned() {
        let msg = errs.remove(&k).unwrap_or_default();
        errs.insert("holidays".into(), msg);
    }
    let pairs = |v: Vec<(Id, String)>| v;
    page.render_status(
        status,
        "cases/rules.html",
        context! {
            rules => rules,
            grace_days => rapport_core::case::trigger::FOLLOW_UP_GRACE_DAYS,
            routing => routing,
            cal => cal,
            workdays => workdays,
            days => DAYS,
            time_zones => rapport_core::calendar::time_zone_names().collect::<Vec<_>>(),
            scales => SCALES,
            touchpoints => pairs(touchpoints.iter().map(|t| (t.id, t.name.clone())).collect()),
            people => pairs(people.iter().filter(|p| p.is_active()).map(|p| (p.id, p.name.clone())).collect()),
            segments => pairs(segments.iter().map(|s| (s.id, s.name.clone())).collect()),
            themes => pairs(themes.iter().map(|t| (t.id, t.name.clone())).collect()),
            posts => pairs(posts.iter().map(|p| (p.id, p.name.clone())).collect()),
            priorities => rapport_core::case::triage::Priority::ALL.map(|p| p.key()),
            default_owner => if failed == Some("default_owner") { sent.get("person_id").cloned() } else { default_owner.map(|d| d.to_string()) },
            default_owner_name => person(default_owner),
            failed => failed,
            v => if failed == Some("calendar") { BTreeMap::new() } else { sent },
            errors => errs,
        },
    )
}

async fn finish(page: &Page, form: &'static str, sent: &FormData, r: Result<(), AppError>) -> WebResult {
    match outcome(r)? {
        Ok(()) => see_other("/cases/rules?ok=saved"),
        Err((status, e)) => render(page, status, Some(form), sent.values(), e).await,
    }
}

pub(super) async fn create_case_rule(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let draft = CaseRuleDraft {
        name: form.text("name"),
        kind: form.text("kind"),
        scale: form.text("scale"),
        at_most: form.integer("at_most", &mut parsed),
        words: comma_list(form.get("words")),
        event_types: comma_list(form.get("event_types")),
        sentiment_at_most: form.number("sentiment_at_most", &mut parsed),
        theme_id: form.filled("theme_id").and_then(|_| form.id("theme_id", &mut parsed)),
        touchpoint_id: form.id("touchpoint_id", &mut parsed),
        active: Some(true),
        priority: form.text("priority"),
        tags: comma_list(form.get("tags")),
    };
    let r = async {
        let input = checked(parsed, draft.validate())?;
        page.store().create_case_rule(page.org(), &input).await?;
        Ok(())
    };
    let r = r.await;
    finish(&page, "case_rule", &form, r).await
}

pub(super) async fn delete_case_rule(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().delete_case_rule(page.org(), id, &page.p.audit("case_rule.delete", format!("case_rule:{id}"))).await?;
    see_other("/cases/rules?ok=deleted")
}

/// Pauses a rule (it opens no case until resumed) or resumes it.
pub(super) async fn toggle_case_rule(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let rule = page.store().list_case_rules(page.org()).await?.into_iter().find(|r| r.id == id);
    let rule = rule.ok_or(AppError::NotFound)?;
    let input = CaseRuleInput {
        name: rule.name,
        trigger: rule.trigger,
        touchpoint_id: rule.touchpoint_id,
        active: !rule.active,
        priority: rule.priority,
        tags: rule.tags,
    };
    page.store().update_case_rule(page.org(), id, &input).await?;
    see_other("/cases/rules?ok=saved")
}

pub(super) async fn create_routing_rule(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut p = FieldErrors::new();
    let draft = RoutingRuleDraft {
        name: form.text("name"),
        position: form.integer("position", &mut p),
        touchpoint_id: form.id("touchpoint_id", &mut p),
        segment_id: form.id("segment_id", &mut p),
        channel: form.filled("channel").map(str::to_string),
        listening_post_id: form.id("listening_post_id", &mut p),
        assignee_id: form.id("assignee_id", &mut p),
        first_response_hours: form.integer("first_response_hours", &mut p),
        resolution_hours: form.integer("resolution_hours", &mut p),
    };
    let r = async {
        let input = checked(p, draft.validate())?;
        page.store().create_routing_rule(page.org(), &input).await?;
        Ok(())
    };
    let r = r.await;
    finish(&page, "routing", &form, r).await
}

pub(super) async fn delete_routing_rule(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let audit = page.p.audit("routing_rule.delete", format!("routing_rule:{id}"));
    page.store().delete_routing_rule(page.org(), id, &audit).await?;
    see_other("/cases/rules?ok=deleted")
}

/// The working calendar as its form shows it: the fields, and the workdays
/// ticked (this page and the settings page).
pub(crate) fn calendar_values(calendar: &WorkCalendar) -> (BTreeMap<String, String>, Vec<&'static str>) {
    let fields = BTreeMap::from([
        ("time_zone".to_string(), calendar.time_zone.clone()),
        ("day_start".into(), hhmm(calendar.day_start)),
        ("day_end".into(), hhmm(calendar.day_end)),
        (
            "holidays".into(),
            calendar.holidays.iter().map(|h| format!("{} {}", h.day, h.name)).collect::<Vec<_>>().join("\n"),
        ),
    ]);
    let workdays = DAYS.iter().zip(calendar.workdays).filter(|(_, on)| *on).map(|(d, _)| *d).collect();
    (fields, workdays)
}

/// The working calendar as its form sends it (this page and the settings page).
pub(crate) fn calendar_draft(form: &FormData) -> CalendarDraft {
    CalendarDraft {
        time_zone: form.text("time_zone"),
        utc_offset_minutes: None,
        day_start: form.text("day_start"),
        day_end: form.text("day_end"),
        workdays: Some(
            DAYS.iter().filter(|d| form.get(&format!("day_{d}")).is_some()).map(|d| d.to_string()).collect(),
        ),
        holidays: Some(holidays(form.get("holidays").unwrap_or(""))),
    }
}

pub(super) async fn save_calendar(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let p = FieldErrors::new();
    let draft = calendar_draft(&form);
    let r = async {
        let cal = checked(p, draft.validate())?;
        page.store().set_work_calendar(page.org(), &cal, Some(&page.p.audit("calendar.update", "calendar"))).await?;
        Ok(())
    };
    let r = r.await;
    finish(&page, "calendar", &form, r).await
}

/// Sets or clears the default queue owner (`person_id` empty: none).
pub(super) async fn save_default_owner(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let person = form.filled("person_id").and_then(|_| form.id("person_id", &mut parsed));
    let r = async {
        if !parsed.is_empty() {
            return Err(AppError::Invalid(parsed));
        }
        let subject = format!("person:{}", person.map_or("none".to_string(), |id| id.to_string()));
        let audit = page.p.audit("case_routing.default_owner", subject);
        page.store().set_default_case_owner(page.org(), person, &audit).await?;
        Ok(())
    };
    let r = r.await;
    finish(&page, "default_owner", &form, r).await
}
