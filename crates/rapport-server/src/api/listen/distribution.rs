//! B1/B2. Survey distribution: invitation waves, reminders, unsubscribes,
//! triggered surveys and thank-you e-mails.

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
