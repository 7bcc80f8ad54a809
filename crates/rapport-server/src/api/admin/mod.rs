//! The administration API (P3, P4): accounts and invitations, API tokens,
//! webhooks' deliveries, organization settings and the audit log.

mod accounts;
mod audit;
mod settings;
mod tokens;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(accounts::routes())
        .merge(tokens::routes())
        .merge(audit::routes())
        .merge(settings::routes())
}
