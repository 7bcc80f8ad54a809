//! B1/B2. Survey distribution: invitation waves (to a segment, a list of
//! customers or a CSV), their invitations and response rates, triggered
//! surveys, thank-you notes, customers' unsubscribes, and the public
//! one-click unsubscribe.
//!
//! Reading needs `ReadProgram` (every role); creating waves, rules and
//! thank-you notes, and unsubscribing or resubscribing a customer, need
//! `EditPlan`, like writing surveys. `POST /api/v1/unsubscribe` is public:
//! its signature (`auth::unsubscribe`) is the authority.

mod mail_status;
mod thanks;
mod triggers;
mod waves;

pub use mail_status::{unsubscribe_signed, InvitationUnsubscribeParams};

use crate::state::AppState;
use chrono::{DateTime, Utc};
use utoipa_axum::router::OpenApiRouter;

/// The largest CSV accepted (about 10,000 rows of 100 bytes).
pub const CSV_MAX_BYTES: usize = 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(waves::routes())
        .merge(triggers::routes())
        .merge(thanks::routes())
        .merge(mail_status::routes())
}

fn now() -> DateTime<Utc> {
    rapport_store::rows::now()
}
