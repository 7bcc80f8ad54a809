//! The home page, one per role (`Role::home_focus`): a leader opens on the
//! intent's status and the council's open actions, an owner on their
//! touchpoints, an agent on their queue and what falls due, any employee on
//! the mission, ideas and announcements, and a viewer on the dashboard.
//! Everyone linked to a person also sees their own open action items.

use super::intent::criteria_views;
use super::plan::council;
use super::view::Program;
use super::{Page, WebResult};
use crate::measure::monitor::{self, CriterionState};
use crate::state::AppState;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use minijinja::{context, Value};
use rapport_core::case::{Case, CaseStatus};
use rapport_core::coverage;
use rapport_core::intent::Scope;
use rapport_core::role::{HomeFocus, Permission};
use rapport_core::Id;
use rapport_store::CaseFilter;

/// Cases listed on an agent's or owner's home; the queue has the rest.
const CASES_SHOWN: i64 = 10;
/// The council's open action items on a leader's home; `/council` has all.
const COUNCIL_ACTIONS_SHOWN: i64 = 10;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let focus = page.p.role.home_focus();
    if focus == HomeFocus::Dashboard {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let program = Program::load(page.store(), page.org()).await?;
    let intent = page.store().current_intent(page.org()).await?;
    let coverage = coverage::compute(&program.experiences, &program.touchpoints, &program.people);
    let experiences: Vec<_> = program
        .experiences
        .iter()
        .map(|e| {
            context! {
                id => e.id,
                name => &e.name,
                goal => &e.goal,
                leader => program.owner(e.leader_id),
                interactions => e.interactions.len(),
            }
        })
        .collect();
    let today = Utc::now().date_naive();
    let idea = page.store().idea_of_the_day(page.org(), today).await?;
    let comms = page.store().list_comms(page.org()).await?;
    let due: Vec<_> = rapport_core::improve::due_on(&comms, today)
        .into_iter()
        .map(|i| context! { id => i.id, title => &i.title, audience => &i.audience })
        .collect();
    let unacknowledged = super::improve::unacknowledged(&page).await?;
    let states = monitor::check(page.store(), page.org()).await?;
    let criteria =
        intent.as_ref().map(|i| criteria_views(&i.criteria, &states, |s| program.scope_name(s))).unwrap_or_default();
    let me = page.p.user.as_ref().and_then(|u| u.person_id);
    let now = Utc::now();
    let my_cases = match (focus, me) {
        (HomeFocus::Queue | HomeFocus::Touchpoints, Some(me)) => open_cases(&page, Some(me), None, now).await?,
        _ => Vec::new(),
    };
    let council_actions = match me {
        Some(me) => council::my_actions(page.store(), page.org(), me).await?,
        None => Vec::new(),
    };
    let open_council_actions: Vec<Value> = if focus == HomeFocus::Program {
        council::open_actions(page.store(), page.org(), None, COUNCIL_ACTIONS_SHOWN)
            .await?
            .into_iter()
            .map(|a| context! { owner => program.owner(Some(a.owner_id)), ..Value::from_serialize(&a) })
            .collect()
    } else {
        Vec::new()
    };
    let my_touchpoints = match (focus, me) {
        (HomeFocus::Touchpoints, Some(me)) => touchpoints_of(&page, &program, &states, me, now).await?,
        _ => Vec::new(),
    };
    page.render(
        "home.html",
        context! {
            focus => focus,
            linked => me.is_some(),
            mission => &page.p.org.mission,
            intent => intent,
            criteria => criteria,
            coverage => coverage,
            experiences => experiences,
            idea => idea.map(|i| context! { id => i.id, title => i.title, votes => i.votes }),
            comms_due => due,
            unacknowledged => unacknowledged,
            my_cases => my_cases,
            my_touchpoints => my_touchpoints,
            council_actions => council_actions,
            open_council_actions => open_council_actions,
        },
    )
}

/// Open cases in the queue's order (next promise first), of one assignee
/// or at one touchpoint, each with whether its promise is broken and
/// whether it falls due today.
async fn open_cases(
    page: &Page,
    assignee: Option<Id>,
    touchpoint: Option<Id>,
    now: DateTime<Utc>,
) -> Result<Vec<Value>, super::WebError> {
    let filter = CaseFilter {
        status: Some(CaseStatus::Open),
        assignee,
        touchpoint,
        limit: CASES_SHOWN + 1,
        ..Default::default()
    };
    let cases = page.store().list_cases(page.org(), &filter).await?;
    Ok(cases.iter().map(|c| case_view(c, now)).collect())
}

fn case_view(c: &Case, now: DateTime<Utc>) -> Value {
    let due = c.next_due();
    context! {
        id => c.id,
        title => &c.title,
        due => due,
        overdue => c.is_overdue(now),
        due_today => !c.is_overdue(now) && due.date_naive() == now.date_naive(),
    }
}

/// The owner's touchpoints: the intent criteria measured at each, whether
/// anyone listens there, and its open cases (counted up to the page size).
async fn touchpoints_of(
    page: &Page,
    program: &Program,
    states: &[CriterionState],
    me: Id,
    now: DateTime<Utc>,
) -> Result<Vec<Value>, super::WebError> {
    let mut out = Vec::new();
    for tp in program.touchpoints.iter().filter(|t| t.owner_id == Some(me)) {
        let criteria: Vec<Value> = states
            .iter()
            .filter(|s| s.criterion.scope == Scope::Touchpoint(tp.id))
            .map(|s| context! { metric => s.criterion.metric.key(), status => s.status.key(), value => s.value })
            .collect();
        let cases = open_cases(page, None, Some(tp.id), now).await?;
        out.push(context! {
            id => tp.id,
            name => &tp.name,
            criteria => criteria,
            open_cases => cases.len().min(CASES_SHOWN as usize),
            more_cases => cases.len() > CASES_SHOWN as usize,
            overdue => cases.iter().filter(|c| c.get_attr("overdue").is_ok_and(|v| v.is_true())).count(),
        });
    }
    Ok(out)
}
