//! The measurement engine (C1–C4, C9): mergeable tallies of answers, the
//! estimates and intervals computed from them, behaviour rates, time buckets
//! and the journey analytics. Pure functions; the storage layer keeps the
//! tallies (rollups) and the server asks these functions for the numbers.

pub mod tally;

pub use tally::{Scale, Tally};
