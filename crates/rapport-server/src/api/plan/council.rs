//! A8. The CX council: the JSON API under `/api/v1/council/...`.
//!
//! Reading needs `ReadProgram`; setting the council up (members, meetings,
//! agenda, minutes, decisions, action items) `EditPlan`; ticking an action
//! item done `Contribute` when the acting person owns it (`EditPlan` ticks
//! any). A meeting's agenda is drafted when it is created ([`facts`] gathers
//! the program's state, the core's `agenda::draft` decides), then edited.

pub(crate) mod facts;
pub(crate) mod ics;
mod items;
mod meetings;
mod members;

pub(crate) use items::may_tick;
pub(crate) use meetings::{create_meeting, meeting_detail};
pub(crate) use members::{coverage_of, member_views as members_of};

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(members::routes()).merge(meetings::routes()).merge(items::routes())
}
