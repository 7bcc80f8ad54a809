//! Why a summary, fit or score was refused. Messages are shown to the person
//! who asked for the model, so they say what was wrong and what to do.

/// A refusal to summarise, fit or score.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PurchaseError {
    #[error("purchase {index} has amount {amount}: amounts must be finite and zero or more (take refunds off their orders first)")]
    InvalidAmount { index: usize, amount: f64 },
    #[error("the observation end {observation_end} is before the calibration end {calibration_end}")]
    InvalidWindow { calibration_end: chrono::NaiveDate, observation_end: chrono::NaiveDate },
    #[error("customer {index} has an impossible summary: {reason}")]
    InvalidSummary { index: usize, reason: &'static str },
    #[error(
        "{customers} customers, {repeat} of them with repeat purchases, are too few to fit the {model} model: it needs at least {min_customers} customers and {min_repeat} repeat buyers"
    )]
    TooFewCustomers { model: &'static str, customers: usize, repeat: usize, min_customers: usize, min_repeat: usize },
    #[error("every repeat purchase has zero spend, so there is no spend to model")]
    AllZeroSpend,
    #[error("the {model} fit did not converge: {reason}. Nothing was stored; more customers or a longer history usually help")]
    DidNotConverge { model: &'static str, reason: String },
    #[error(
        "the spend model's q is {q}, at most 1, so its average spend would be infinite: a few very large orders dominate; leave out outliers or gather more repeat buyers"
    )]
    NoMeanSpend { q: f64 },
    #[error("the {what} must be {rule}, not {value}")]
    InvalidSetting { what: &'static str, rule: &'static str, value: f64 },
}
