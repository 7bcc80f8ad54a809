//! A7. Perfect customer behaviours: measurable rules over events that the
//! company wants customers to show ("buys again within 60 days", "refers a
//! friend", "renews"), each with an owner and a target, tracked as a rate.
//!
//! # The rule
//! A behaviour names an event type (and optionally a touchpoint), a count
//! `N` (1..=1000) and optionally a window of `W` days (1..=3650). Events are
//! counted by the calendar day of their time (UTC), as the activity rollups
//! count them; several events on one day each count.
//!
//! * A customer **shows** the behaviour on a day when they have at least one
//!   matching event that day and, counting that day's matching events and
//!   those of the `W − 1` days before it (all their earlier days when `W` is
//!   absent), they have at least `N` matching events. Earlier events count
//!   whenever they happened, also before the period being measured: "buys
//!   again within 60 days" (purchase, N = 2, W = 60) is shown on a purchase
//!   day with another purchase in the 59 days before it (or a second one
//!   that day).
//! * **Eligible** customers of a period are, with the base `matching` (the
//!   default), those with at least one matching event in the period; with
//!   the base `active`, those with any activity (any event or survey
//!   response) in the period.
//! * The **rate** of a period is the customers who showed the behaviour on
//!   at least one day of the period ÷ the eligible customers, in %. With the
//!   base `matching` a customer who shows it is always eligible (the day
//!   they show it is a matching day), so the rate is at most 100 %.
//!
//! [`state`] keeps, per behaviour, rows whose range sums are these distinct
//! customers for any period, so a rate never reads events per customer.

mod draft;
pub mod state;

pub use draft::*;
