//! Demo data for distribution.

use anyhow::Result;
use chrono::{DateTime, Utc};
use rapport_core::Id;
use rapport_store::Store;
use std::collections::HashMap;

pub async fn seed(
    _store: &dyn Store,
    _org: Id,
    _people: &HashMap<&str, Id>,
    _touchpoints: &HashMap<&str, Id>,
    _now: DateTime<Utc>,
) -> Result<()> {
    Ok(())
}
