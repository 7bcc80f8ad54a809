//! Administration pages (P3, P4): who can sign in and with what role,
//! invitations, API tokens, webhooks, organization settings and the audit
//! log. Every page here asks for `Permission::ManageAccounts`, except the
//! organization settings, which are part of the plan (`EditPlan`).

mod accounts;
mod audit;
mod index;
mod settings;
mod tokens;
mod webhooks;

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(index::routes())
        .merge(accounts::routes())
        .merge(tokens::routes())
        .merge(webhooks::routes())
        .merge(audit::routes())
        .merge(settings::routes())
}
