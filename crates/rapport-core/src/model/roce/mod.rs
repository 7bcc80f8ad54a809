//! Return on customer experience (C8, seed 002): what poor service costs and
//! what better experiences are worth, in the organization's own money.
//!
//! Policy: leaders set the financial inputs ([`RoceInputs`]); a refit gathers
//! the facts of the last year from each customer's history and scores
//! ([`RoceFacts`], kept with the run); the report ([`report`]) multiplies the
//! two when a page asks, so an edited input shows at once without a refit.
//! Every line of the report names the inputs and facts it came from; figures
//! from samples (the value of moving a detractor) carry a 95% interval.

mod facts;
mod inputs;
mod reasons;
mod report;

pub use facts::{CustomerYear, GroupRisk, GroupStats, RoceFacts};
pub use inputs::{RoceDraft, RoceInputs};
pub use reasons::{defection_reason, DefectionReason};
pub use report::{report, CostLine, Estimate, Figure, NpsMove, RoceReport};
