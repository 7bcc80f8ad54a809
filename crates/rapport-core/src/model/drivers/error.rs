//! Why an analysis was refused. Messages are shown to the person who asked
//! for the analysis, so they name the driver and say what to do.

/// A refusal to analyse, or to chart, the given figures.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DriverError {
    #[error("there are no drivers to analyse: add at least one question or touchpoint score")]
    NoDrivers,
    #[error(
        "{count} drivers are more than the {max} a key-driver analysis can weigh: choose the {max} that matter most"
    )]
    TooManyDrivers { count: usize, max: usize },
    #[error("driver \"{0}\" is named twice: each driver needs its own name")]
    DuplicateName(String),
    #[error("there are {outcomes} outcome values but {rows} rows of driver scores: there must be one of each per observation")]
    LengthMismatch { outcomes: usize, rows: usize },
    #[error("observation {index} has {found} driver scores, but there are {expected} drivers")]
    RaggedRow { index: usize, found: usize, expected: usize },
    #[error("{what} has {found} entries, but there are {expected} drivers")]
    WrongLength { what: &'static str, found: usize, expected: usize },
    #[error("the scale of driver \"{name}\" must run from a lower to a higher finite number")]
    InvalidScale { name: String },
    #[error("the confidence level must be between 0 and 1 (such as 0.95), not {0}")]
    InvalidConfidence(f64),
    #[error(
        "only {n} of {total} observations have the outcome and every driver; {p} drivers need at least {min}: collect more answers or analyse fewer drivers"
    )]
    TooFewObservations { n: usize, total: usize, min: usize, p: usize },
    #[error("the outcome is {value} in every observation, so nothing can explain it")]
    ConstantOutcome { value: f64 },
    #[error("driver \"{name}\" is {value} in every observation, so its importance cannot be measured: leave it out")]
    ConstantDriver { name: String, value: f64 },
    #[error(
        "drivers {} move in perfect lockstep (one is a combination of the others), so their shares cannot be told apart: leave one out or combine them",
        quoted(.0)
    )]
    Collinear(Vec<String>),
    #[error("the {what} of \"{name}\" must be a finite number, not {value}")]
    NotFinite { what: &'static str, name: String, value: f64 },
    #[error("a quadrant threshold must be a finite number, not {0}")]
    InvalidThreshold(f64),
    #[error("the stated importance of \"{name}\" must be zero or more, not {value}")]
    NegativeStated { name: String, value: f64 },
    #[error("every stated importance is zero: give at least one driver a weight")]
    NoStatedImportance,
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}
