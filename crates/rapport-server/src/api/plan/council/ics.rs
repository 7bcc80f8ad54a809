//! A council meeting as an iCalendar file: the core writes it
//! (`rapport_core::plan::council::ics`); this gathers what it says.

use crate::error::AppError;
use crate::state::AppState;
use axum::response::Response;
use rapport_core::plan::council::ics::{calendar, Attendee, IcsEvent};
use rapport_core::Id;

/// The file of meeting `id` of `org`.
pub(crate) async fn file(s: &AppState, org: Id, id: Id) -> Result<String, AppError> {
    let store = s.store.as_ref();
    let meeting = store.get_council_meeting(org, id).await?;
    let (agenda, members, people) =
        tokio::try_join!(store.council_agenda(org, id), store.list_council_members(org), store.list_people(org))?;
    let description = agenda
        .iter()
        .enumerate()
        .map(|(i, a)| format!("{}. {}: {}", i + 1, a.kind.english(), a.title))
        .collect::<Vec<_>>()
        .join("\n");
    let attendees = members
        .iter()
        .filter_map(|m| people.iter().find(|p| p.id == m.person_id && p.is_active()))
        .filter(|p| !p.email.is_empty())
        .map(|p| Attendee { name: p.name.clone(), email: p.email.clone() })
        .collect();
    let url = s.config.public_url.as_deref().map(|u| format!("{}/council/meetings/{id}", u.trim_end_matches('/')));
    Ok(calendar(&IcsEvent {
        uid: format!("council-meeting-{id}-org-{org}@rapport"),
        stamp: meeting.updated_at,
        start: meeting.starts_at,
        end: meeting.ends_at(),
        summary: meeting.title.clone(),
        location: meeting.location.clone(),
        description,
        attendees,
        url,
    }))
}

pub(crate) fn response(id: Id, text: String) -> Response {
    super::meetings::ics_response(id, text)
}
