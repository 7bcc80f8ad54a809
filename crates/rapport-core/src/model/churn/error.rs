//! Why churn risk was not computed. Messages are read by the person who
//! asked, so they say what is missing and what to change.

use chrono::NaiveDate;

/// A refusal to train or to back-test.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChurnError {
    #[error("the horizon must be at least one day, not {0}")]
    InvalidHorizon(i64),
    #[error("the holdout must end on or after the cut-off ({cutoff}), not on {holdout_end}")]
    InvalidHoldout { cutoff: NaiveDate, holdout_end: NaiveDate },
    #[error("no customer has any activity before {cutoff}, so there is nothing to learn from: choose a later cut-off")]
    NoHistory { cutoff: NaiveDate },
    #[error(
        "the history before {cutoff} covers only {days} day(s); at least 2 are needed, one to describe customers and one to see who stayed: choose a later cut-off"
    )]
    TooLittleHistory { days: i64, cutoff: NaiveDate },
    #[error(
        "only {n} customers had activity before {training_cutoff}; at least {min} are needed to learn churn risk: choose a later cut-off or a shorter horizon"
    )]
    TooFewCustomers { n: usize, min: usize, training_cutoff: NaiveDate },
    #[error(
        "all {n} customers {} from {from} through {through}, so there is no contrast to learn from: choose another cut-off or horizon",
        if *.churned { "churned" } else { "stayed" }
    )]
    OneClass { n: usize, churned: bool, from: NaiveDate, through: NaiveDate },
    #[error("the churn model did not converge on these customers")]
    NotConverged,
}
