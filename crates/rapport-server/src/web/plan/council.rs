//! A8. The CX council's pages: `/council` (members and department
//! coverage, upcoming and past meetings, open action items) and
//! `/council/meetings/{id}` (agenda, minutes, decisions, action items, the
//! `.ics` link; printable). Times are shown in the organization's time
//! zone (its work calendar) and typed in it.
//!
//! Reading needs `ReadProgram`; everything else `EditPlan`, but ticking an
//! action item done, which its owner may do with `Contribute`.

mod forms;

use crate::error::AppError;
use crate::web::{Page, WebPath, WebResult};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use minijinja::{context, Value};
use rapport_core::calendar::local_time;
use rapport_core::person::Person;
use rapport_core::plan::council::{CouncilActionItem, CouncilMeetingStatus, CouncilRole};
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::council::ActionFilter;
use rapport_store::Store;
use serde::Serialize;
use std::collections::BTreeMap;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/council", get(show))
        .route("/council/members", post(forms::add_member))
        .route("/council/members/{id}/remove", post(forms::remove_member))
        .route("/council/meetings", post(forms::create_meeting))
        .route("/council/meetings/{id}", get(meeting).post(forms::update_meeting))
        .route("/council/meetings/{id}/ics", get(ics))
        .route("/council/meetings/{id}/minutes", post(forms::save_minutes))
        .route("/council/meetings/{id}/agenda", post(forms::add_agenda_item))
        .route("/council/agenda-items/{id}", post(forms::edit_agenda_item))
        .route("/council/agenda-items/{id}/delete", post(forms::delete_agenda_item))
        .route("/council/meetings/{id}/decisions", post(forms::add_decision))
        .route("/council/meetings/{id}/actions", post(forms::add_action))
        .route("/council/action-items/{id}/done", post(forms::tick_action))
}

/// An open action item as the home page shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MyAction {
    pub id: Id,
    pub text: String,
    pub due_on: String,
    pub overdue: bool,
    pub meeting_id: Id,
    pub meeting_title: String,
    pub owner_id: Id,
}

/// The open action items of `person`, soonest due first (at most 50), for
/// the home page (`templates/plan/council/_my_actions.html`, which expects
/// them as `council_actions`).
pub(crate) async fn my_actions(store: &dyn Store, org: Id, person: Id) -> Result<Vec<MyAction>, AppError> {
    open_actions(store, org, Some(person), 50).await
}

/// Open action items, of one owner or everyone's, soonest due first (at
/// most `limit`): a leader's home page lists the council's.
pub(crate) async fn open_actions(
    store: &dyn Store,
    org: Id,
    owner: Option<Id>,
    limit: i64,
) -> Result<Vec<MyAction>, AppError> {
    let filter = ActionFilter { owner, open_only: true, limit, ..ActionFilter::default() };
    let items = store.list_council_actions(org, &filter).await?;
    let today = Utc::now().date_naive();
    let mut titles: BTreeMap<Id, String> = BTreeMap::new();
    let mut out = Vec::with_capacity(items.len());
    for a in items {
        if let std::collections::btree_map::Entry::Vacant(e) = titles.entry(a.meeting_id) {
            e.insert(store.get_council_meeting(org, a.meeting_id).await?.title);
        }
        out.push(MyAction {
            id: a.id,
            text: a.text,
            due_on: a.due_on.to_string(),
            overdue: a.due_on < today,
            meeting_id: a.meeting_id,
            meeting_title: titles.get(&a.meeting_id).cloned().unwrap_or_default(),
            owner_id: a.owner_id,
        });
    }
    Ok(out)
}

/// The organization's time zone (its work calendar's).
pub(super) async fn zone(page: &Page) -> Result<String, AppError> {
    Ok(page.store().work_calendar(page.org()).await?.time_zone)
}

/// An instant as `YYYY-MM-DD HH:MM` in `zone`.
pub(super) fn local(zone: &str, at: DateTime<Utc>) -> String {
    local_time(zone, at).format("%Y-%m-%d %H:%M").to_string()
}

fn name_of(people: &[Person], id: Id) -> String {
    people.iter().find(|p| p.id == id).map_or_else(|| format!("#{id}"), |p| p.name.clone())
}

pub(super) fn action_view(a: &CouncilActionItem, people: &[Person], me: Option<Id>, can_plan: bool) -> Value {
    context! {
        id => a.id, text => &a.text, owner => name_of(people, a.owner_id), owner_id => a.owner_id,
        due_on => a.due_on.to_string(), done => a.done, overdue => !a.done && a.due_on < Utc::now().date_naive(),
        meeting_id => a.meeting_id, can_tick => can_plan || me == Some(a.owner_id),
    }
}

pub(super) fn me(page: &Page) -> Option<Id> {
    page.p.user.as_ref().and_then(|u| u.person_id)
}

pub(super) fn active_people(people: &[Person]) -> Vec<(Id, String)> {
    let mut v: Vec<(Id, String)> = people.iter().filter(|p| p.is_active()).map(|p| (p.id, p.name.clone())).collect();
    v.sort_by_key(|(_, n)| n.to_lowercase());
    v
}

async fn show(page: Page) -> WebResult {
    render_index(&page, None).await
}

pub(super) async fn render_index(page: &Page, refused: Option<forms::Refused>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let org = page.org();
    let members = crate::api::plan::council::members_of(store, org).await?;
    let (people, meetings) = tokio::try_join!(store.list_people(org), store.list_council_meetings(org, 200))?;
    let coverage = crate::api::plan::council::coverage_of(store, org).await?;
    let open =
        store.list_council_actions(org, &ActionFilter { open_only: true, limit: 100, ..Default::default() }).await?;
    let zone = zone(page).await?;
    let now = Utc::now();
    let view = |m: &rapport_core::plan::council::CouncilMeeting| {
        context! {
            id => m.id, title => &m.title, starts => local(&zone, m.starts_at), minutes => m.duration_minutes,
            location => &m.location, status => m.status.key(),
        }
    };
    let mut upcoming: Vec<Value> = meetings
        .iter()
        .rev()
        .filter(|m| m.ends_at() >= now && m.status == CouncilMeetingStatus::Planned)
        .map(view)
        .collect();
    upcoming.truncate(20);
    let past: Vec<Value> = meetings
        .iter()
        .filter(|m| m.ends_at() < now || m.status == CouncilMeetingStatus::Held)
        .take(50)
        .map(view)
        .collect();
    let can_plan = page.p.can(Permission::EditPlan);
    let me = me(page);
    let sitting: Vec<Id> = members.iter().map(|m| m.member.person_id).collect();
    let candidates: Vec<(Id, String)> =
        active_people(&people).into_iter().filter(|(id, _)| !sitting.contains(id)).collect();
    let council_actions = match me {
        Some(person) => my_actions(store, org, person).await?,
        None => Vec::new(),
    };
    let (code, form, v, errors) = forms::parts(page, refused);
    page.render_status(
        code,
        "plan/council/index.html",
        context! {
            members => members.iter().map(|m| context! {
                id => m.member.id, name => &m.name, department => &m.department, role => m.member.role.key(),
                active => m.active,
            }).collect::<Vec<_>>(),
            coverage => coverage,
            upcoming => upcoming, past => past,
            actions => open.iter().map(|a| action_view(a, &people, me, can_plan)).collect::<Vec<_>>(),
            candidates => candidates,
            roles => CouncilRole::ALL.map(|r| r.key()),
            zone => zone,
            council_actions => council_actions,
            form => form, v => v, errors => errors,
        },
    )
}

async fn meeting(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render_meeting(&page, id, None).await
}

pub(super) async fn render_meeting(page: &Page, id: Id, refused: Option<forms::Refused>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let org = page.org();
    let d = crate::api::plan::council::meeting_detail(store, org, id).await?;
    let idea_filter = rapport_store::IdeaFilter { limit: 200, ..Default::default() };
    let (people, ideas, sprints, versions) = tokio::try_join!(
        store.list_people(org),
        store.list_ideas(org, &idea_filter),
        store.list_sprints(org),
        store.list_intent_versions(org)
    )?;
    let zone = zone(page).await?;
    let can_plan = page.p.can(Permission::EditPlan);
    let me = me(page);
    let idea_title = |i: Id| ideas.iter().find(|x| x.id == i).map_or_else(|| format!("#{i}"), |x| x.title.clone());
    let sprint_name = |i: Id| sprints.iter().find(|x| x.id == i).map_or_else(|| format!("#{i}"), |x| x.name.clone());
    let version_no = |i: Id| versions.iter().find(|x| x.id == i).map_or(i, |x| x.version);
    let (code, form, mut v, errors) = forms::parts(page, refused);
    if form.as_deref() != Some("meeting") {
        v.insert("title".into(), d.meeting.title.clone());
        v.insert("starts_at".into(), local_time(&zone, d.meeting.starts_at).format("%Y-%m-%dT%H:%M").to_string());
        v.insert("duration_minutes".into(), d.meeting.duration_minutes.to_string());
        v.insert("location".into(), d.meeting.location.clone().unwrap_or_default());
        v.insert("status".into(), d.meeting.status.key().into());
    }
    if form.as_deref() != Some("minutes") {
        v.insert("minutes".into(), d.meeting.minutes.clone());
    }
    let location_is_link =
        d.meeting.location.as_deref().is_some_and(|l| l.starts_with("https://") || l.starts_with("http://"));
    page.render_status(
        code,
        "plan/council/meeting.html",
        context! {
            mt => context! {
                id => d.meeting.id, title => &d.meeting.title, starts => local(&zone, d.meeting.starts_at),
                ends => local(&zone, d.meeting.ends_at()), minutes_count => d.meeting.duration_minutes,
                location => &d.meeting.location, location_is_link => location_is_link, status => d.meeting.status.key(),
            },
            zone => zone,
            agenda => d.agenda.iter().map(|a| context! {
                id => a.id, position => a.position, kind => a.kind.key(), title => &a.title, link => &a.link,
            }).collect::<Vec<_>>(),
            agenda_last => d.agenda.len().saturating_sub(1),
            minutes_html => rapport_core::markdown::to_html(&d.meeting.minutes),
            has_minutes => !d.meeting.minutes.trim().is_empty(),
            decisions => d.decisions.iter().map(|x| context! {
                id => x.id, text => &x.text,
                idea => x.idea_id.map(|i| context! { id => i, title => idea_title(i) }),
                sprint => x.sprint_id.map(|i| context! { id => i, name => sprint_name(i) }),
                version => x.intent_version_id.map(version_no),
            }).collect::<Vec<_>>(),
            actions => d.action_items.iter().map(|a| action_view(a, &people, me, can_plan)).collect::<Vec<_>>(),
            people => active_people(&people),
            ideas => ideas.iter().filter(|i| i.merged_into.is_none()).map(|i| (i.id, i.title.clone())).collect::<Vec<_>>(),
            sprints => sprints.iter().map(|s| (s.id, s.name.clone())).collect::<Vec<_>>(),
            versions => versions.iter().map(|x| (x.id, format!("v{}", x.version))).collect::<Vec<_>>(),
            statuses => CouncilMeetingStatus::ALL.map(|s| s.key()),
            form => form, v => v, errors => errors,
        },
    )
}

async fn ics(page: Page, WebPath(id): WebPath<Id>) -> Result<axum::response::Response, crate::web::WebError> {
    page.require(Permission::ReadProgram)?;
    let text = crate::api::plan::council::ics::file(&page.state, page.org(), id).await?;
    Ok(crate::api::plan::council::ics::response(id, text))
}
