//! Demo data for gaps.

use anyhow::Result;
use chrono::{DateTime, Utc};
use rapport_core::Id;
use rapport_store::Store;
use std::collections::HashMap;

pub async fn seed(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let _ = (store, org, people, touchpoints, now);
    Ok(())
}
