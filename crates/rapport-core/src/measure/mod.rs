//! The measurement engine (C1–C4, C9): mergeable tallies of answers, the
//! estimates and intervals computed from them, behaviour rates, time buckets
//! and the journey analytics. Pure functions; the storage layer keeps the
//! tallies (rollups) and the server asks these functions for the numbers.

pub mod band;
pub mod behaviour;
pub mod bucket;
pub mod change;
pub(crate) mod dist;
pub mod estimate;
pub mod interactions;
pub mod items;
pub mod paths;
pub mod score;
pub mod tally;
pub mod trend;

pub use bucket::{bucket_end, bucket_start, bucket_tallies, buckets, period_interval, Interval};
pub use change::{compare, compare_proportions, previous_period, significance, Change};
pub use estimate::{estimate, proportion, scaled_mean, Estimate, MIN_SAMPLE, Z95};
pub use tally::{Scale, Tally};
pub use trend::{goal_success, success_rate, variation, Variation};
