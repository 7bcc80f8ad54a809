//! E5. Contact-centre staffing: the agents needed to answer promptly
//! (Erlang C). The calculation is `rapport_core::people::staffing`;
//! storage keeps each contact channel's targets, its schedule, and the
//! hourly rollup of events per touchpoint (`event_hours`) that the week
//! table reads instead of the events.

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::people::staffing::{Targets, WeekGrid};
use rapport_core::Id;
use serde::Serialize;

/// Events at a touchpoint in one UTC hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EventHour {
    pub touchpoint_id: Id,
    pub hour_start: DateTime<Utc>,
    pub n: i64,
}

/// A touchpoint answered as a contact channel.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChannelSettings {
    pub touchpoint_id: Id,
    pub targets: Targets,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait Staffing: Send + Sync {
    /// The hourly rollup: hours in `[from, to)` (UTC), of one touchpoint
    /// or all, ordered by touchpoint and hour.
    async fn event_hours(
        &self,
        org: Id,
        touchpoint: Option<Id>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<EventHour>>;

    /// Every contact channel's targets, by touchpoint id.
    async fn list_staffing_settings(&self, org: Id) -> Result<Vec<ChannelSettings>>;

    /// A touchpoint's targets; `None` when it is not a contact channel
    /// (yet); `NotFound` when the touchpoint is not the organization's.
    async fn staffing_settings(&self, org: Id, touchpoint: Id) -> Result<Option<ChannelSettings>>;

    /// Makes the touchpoint a contact channel with these targets (or
    /// changes them). `NotFound` for another organization's touchpoint.
    async fn put_staffing_settings(&self, org: Id, touchpoint: Id, targets: &Targets) -> Result<ChannelSettings>;

    /// The touchpoint stops being a contact channel: its targets and
    /// schedule go. `NotFound` when it was none.
    async fn delete_staffing_settings(&self, org: Id, touchpoint: Id) -> Result<()>;

    /// The agents scheduled per weekday and hour (zeros when none).
    async fn staffing_schedule(&self, org: Id, touchpoint: Id) -> Result<WeekGrid>;

    /// Replaces the touchpoint's whole schedule.
    async fn put_staffing_schedule(&self, org: Id, touchpoint: Id, grid: &WeekGrid) -> Result<()>;
}
