//! Pages of listening (B): survey distribution, the public unsubscribe
//! page and a customer's e-mail status on their profile.

mod distribution;
mod unsubscribe;

pub use unsubscribe::customer_mail;

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().merge(distribution::routes()).merge(unsubscribe::routes())
}

#[cfg(test)]
mod tests;
