//! What several pages show the same way: the program loaded at once, owners
//! with their state, choices for selects.

use super::WebError;
use rapport_core::experience::{Experience, Period};
use rapport_core::intent::Scope;
use rapport_core::journey::{Stage, Touchpoint, CHANNELS};
use rapport_core::metric::Metric;
use rapport_core::person::Person;
use rapport_core::segment::Segment;
use rapport_core::Id;
use rapport_store::Store;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The whole program of an organization, for pages that cross-reference it.
pub struct Program {
    pub people: Vec<Person>,
    pub experiences: Vec<Experience>,
    pub touchpoints: Vec<Touchpoint>,
    pub stages: Vec<Stage>,
    pub segments: Vec<Segment>,
}

impl Program {
    pub async fn load(store: &dyn Store, org: Id) -> Result<Program, WebError> {
        let (people, experiences, touchpoints, stages, segments) = tokio::try_join!(
            store.list_people(org),
            store.list_experiences(org),
            store.list_touchpoints(org),
            store.list_stages(org),
            store.list_segments(org),
        )?;
        Ok(Program { people, experiences, touchpoints, stages, segments })
    }

    pub fn person(&self, id: Option<Id>) -> Option<&Person> {
        id.and_then(|id| self.people.iter().find(|p| p.id == id))
    }

    /// Who is accountable, and whether that is a problem.
    pub fn owner(&self, id: Option<Id>) -> OwnerView {
        OwnerView::of(self.person(id))
    }

    /// The name of what a criterion is measured over, if it is a thing.
    pub fn scope_name(&self, scope: &Scope) -> Option<String> {
        match *scope {
            Scope::Organization => None,
            Scope::Experience(id) => self.experiences.iter().find(|e| e.id == id).map(|e| e.name.clone()),
            Scope::Touchpoint(id) => self.touchpoint(id).map(|t| t.name.clone()),
        }
    }

    pub fn touchpoint(&self, id: Id) -> Option<&Touchpoint> {
        self.touchpoints.iter().find(|t| t.id == id)
    }

    pub fn stage_name(&self, id: Id) -> String {
        self.stages.iter().find(|s| s.id == id).map(|s| s.name.clone()).unwrap_or_default()
    }

    pub fn segment_names(&self, ids: &[Id]) -> Vec<String> {
        self.segments.iter().filter(|s| ids.contains(&s.id)).map(|s| s.name.clone()).collect()
    }

    /// Choices for a leader or owner: the active people, plus the current
    /// one if they have left (so that saving does not silently drop them).
    pub fn person_options(&self, current: Option<Id>) -> Vec<Choice> {
        let mut people: Vec<&Person> = self.people.iter().filter(|p| p.is_active() || Some(p.id) == current).collect();
        people.sort_by_key(|p| p.name.to_lowercase());
        people
            .into_iter()
            .map(|p| Choice { id: p.id, name: p.name.clone(), left: !p.is_active(), detail: p.department.clone() })
            .collect()
    }

    /// Departments named anywhere, for suggestions.
    pub fn departments(&self) -> Vec<String> {
        let set: BTreeSet<String> = self
            .people
            .iter()
            .filter_map(|p| p.department.clone())
            .chain(self.touchpoints.iter().filter_map(|t| t.department.clone()))
            .collect();
        set.into_iter().collect()
    }

    /// A touchpoint with where it sits and who owns it.
    pub fn touchpoint_view(&self, t: &Touchpoint) -> TouchpointView {
        TouchpointView {
            id: t.id,
            name: t.name.clone(),
            description: t.description.clone(),
            stage: self.stage_name(t.stage_id),
            position: t.position,
            channel: t.channel.clone(),
            department: t.department.clone(),
            owner: self.owner(t.owner_id),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnerView {
    pub id: Option<Id>,
    pub name: Option<String>,
    /// "active", "left" (a coverage gap until handed over) or "none".
    pub status: &'static str,
}

impl OwnerView {
    pub fn of(person: Option<&Person>) -> OwnerView {
        match person {
            Some(p) => OwnerView {
                id: Some(p.id),
                name: Some(p.name.clone()),
                status: if p.is_active() { "active" } else { "left" },
            },
            None => OwnerView { id: None, name: None, status: "none" },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub id: Id,
    pub name: String,
    pub left: bool,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TouchpointView {
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    pub stage: String,
    pub position: i64,
    pub channel: Option<String>,
    pub department: Option<String>,
    pub owner: OwnerView,
}

pub fn metric_keys() -> Vec<&'static str> {
    Metric::ALL.iter().map(|m| m.key()).collect()
}

pub fn period_keys() -> Vec<&'static str> {
    Period::ALL.iter().map(|p| p.key()).collect()
}

pub fn channel_keys() -> Vec<&'static str> {
    CHANNELS.to_vec()
}

/// The channel codes a listening post is offered (its form's suggestions)
/// or given by the demo, beyond the touchpoints' own: each has a
/// `channel-<code>` message, so no page shows a raw code such as
/// `app_review`. A code typed by hand that has none is shown in words
/// (see the `channel` filter).
pub const LISTENING_CHANNELS: [&str; 8] =
    ["survey", "social", "review_site", "app_review", "web_feedback", "in_person", "sms", "other"];

/// Every channel code with a message: the touchpoints' and the listening posts'.
pub fn all_channel_keys() -> Vec<&'static str> {
    CHANNELS.iter().chain(LISTENING_CHANNELS.iter()).copied().collect()
}

/// What one person is accountable for: (experiences led, touchpoints
/// owned), each as (id, name).
pub type Held = (Vec<(Id, String)>, Vec<(Id, String)>);

/// Experiences each person leads and touchpoints each owns.
pub fn holdings(program: &Program) -> HashMap<Id, Held> {
    let mut out: HashMap<Id, Held> = HashMap::new();
    for e in &program.experiences {
        if let Some(l) = e.leader_id {
            out.entry(l).or_default().0.push((e.id, e.name.clone()));
        }
    }
    for t in &program.touchpoints {
        if let Some(o) = t.owner_id {
            out.entry(o).or_default().1.push((t.id, t.name.clone()));
        }
    }
    out
}
