//! The distribution pass (B1/B2): scheduled invitation waves, throttled
//! sends, reminders and triggered surveys, through the outbox.

use crate::state::AppState;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(60);

pub async fn run(_state: AppState) {}
