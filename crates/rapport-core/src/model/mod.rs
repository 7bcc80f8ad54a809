//! Models that tell a leader *why* and *what it is worth* (C5, C7): key
//! drivers of an outcome, purchase behaviour (BG/NBD and Gamma-Gamma) with
//! lifetime value, and churn risk with its back-test.
//!
//! Policy: everything here fits or scores from numbers the caller gathered;
//! nothing reads a database or a clock. Fits are deterministic (fixed seeds),
//! so a refit on the same data stores the same figures.

pub mod churn;
pub mod drivers;
pub mod purchase;
pub mod roce;
