//! Rapport's domain core.
//!
//! Policy: everything here is pure. No I/O, no async, no clocks (the caller
//! passes "now" in), no database types. The storage and HTTP layers depend on
//! this crate; it depends on nothing of ours. Each module is one concept of
//! the customer-experience program and carries its own unit tests.

pub mod audit;
pub mod branding;
pub mod calendar;
pub mod case;
pub mod coverage;
pub mod customer;
pub mod customer_search;
pub mod experience;
pub mod feedback;
pub mod improve;
pub mod intent;
pub mod invitation;
pub mod journey;
pub mod lang;
pub mod listening;
pub mod mail_template;
pub mod markdown;
pub mod measure;
pub mod media;
pub mod metric;
pub mod model;
pub mod notification;
pub mod org;
pub mod people;
pub mod person;
pub mod plan;
pub mod review;
pub mod role;
pub mod segment;
pub mod settings;
pub mod survey;
pub mod survey_export;
pub mod survey_import;
pub mod text;
pub mod validate;
pub mod webhook;

/// Row identifier. Every row also belongs to exactly one organization.
pub type Id = i64;
