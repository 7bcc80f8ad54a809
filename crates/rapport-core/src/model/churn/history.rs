//! What Rapport knows of one customer, as dated events. Every signal is
//! dated, even the ones read as counts (open cases, breached cases, angry
//! comments): the model learns at an earlier cut-off than it scores, and an
//! undated count would tell the past model what happened after its cut-off.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One customer's history. Order inside the lists does not matter.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CustomerHistory {
    /// Purchases: day and amount. Several on one day are one purchase day,
    /// as a basket of several lines is one visit.
    pub purchases: Vec<(NaiveDate, f64)>,
    /// Subscription cancellations and non-renewals, by day.
    pub cancellations: Vec<NaiveDate>,
    /// Survey scores on 0–10 (likelihood to recommend), by day answered.
    pub scores: Vec<(NaiveDate, f64)>,
    /// Service cases.
    pub cases: Vec<CaseDates>,
    /// Negative or angry comments, by day.
    pub negative_comments: Vec<NaiveDate>,
    /// Contacts with the company (calls, chats, emails), by day.
    pub contacts: Vec<NaiveDate>,
}

/// The dates of one service case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDates {
    pub opened: NaiveDate,
    /// `None` while the case is open.
    pub closed: Option<NaiveDate>,
    /// The day its deadline passed unmet, if it did.
    pub breached: Option<NaiveDate>,
}

impl CustomerHistory {
    /// Every day the customer did something: bought, cancelled, answered,
    /// opened a case, commented, made contact. Breaches and closures are the
    /// company's doing, not the customer's, so they are not activity.
    pub(crate) fn activity(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.purchases
            .iter()
            .map(|p| p.0)
            .chain(self.cancellations.iter().copied())
            .chain(self.scores.iter().map(|s| s.0))
            .chain(self.cases.iter().map(|c| c.opened))
            .chain(self.negative_comments.iter().copied())
            .chain(self.contacts.iter().copied())
    }

    /// The first day of activity before `cutoff`, if any.
    pub(crate) fn first_seen(&self, cutoff: NaiveDate) -> Option<NaiveDate> {
        self.activity().filter(|d| *d < cutoff).min()
    }

    /// Whether the customer churned over `[from, until)`: no purchase on any
    /// day of it, or a cancellation or non-renewal in it (a subscriber who
    /// cancels has left even if the last invoice falls inside the window).
    pub fn churned(&self, from: NaiveDate, until: NaiveDate) -> bool {
        let inside = |d: NaiveDate| from <= d && d < until;
        !self.purchases.iter().any(|p| inside(p.0)) || self.cancellations.iter().any(|d| inside(*d))
    }
}
