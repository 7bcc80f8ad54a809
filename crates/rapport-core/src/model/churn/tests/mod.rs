//! Unit tests of churn risk: the logistic fit against scikit-learn and
//! statsmodels, features, training, scoring and the evaluation figures.

mod backtest;
mod evaluation;
mod features;
mod logistic;
mod score;
mod train;

use super::{CaseDates, CustomerHistory};
use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(super) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A customer who bought 10.0 on each of `days`.
pub(super) fn buyer(days: &[&str]) -> CustomerHistory {
    CustomerHistory { purchases: days.iter().map(|s| (d(s), 10.0)).collect(), ..Default::default() }
}

/// The first day of [`world`] and the day after its last.
pub(super) const WORLD: (&str, &str) = ("2022-01-01", "2024-01-01");

/// A synthetic shop over two years. Customers join during the first year,
/// buy at their own pace (one purchase every 10 to 60 days) until they
/// leave, and leave at a random time: after 500 days on average, or 150 for
/// the unhappy third, who also say so first (a low score, an angry comment
/// and a case, often breached, in the weeks before they go; half of all
/// leavers cancel a subscription on the way out).
pub(super) fn world(n: usize, seed: u64) -> Vec<CustomerHistory> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (start, end) = (d(WORLD.0), d(WORLD.1));
    let exp = |rng: &mut ChaCha8Rng, mean: f64| (-(1.0 - rng.gen::<f64>()).ln() * mean) as i64;
    (0..n)
        .map(|_| {
            let join = start + Duration::days(rng.gen_range(0..365));
            let unhappy = rng.gen::<f64>() < 0.3;
            let leave = join + Duration::days(1 + exp(&mut rng, if unhappy { 150.0 } else { 500.0 }));
            let gap = rng.gen_range(10.0..60.0);
            let mut h = CustomerHistory::default();
            let mut day = join;
            while day < leave.min(end) {
                h.purchases.push((day, rng.gen_range(10.0..100.0)));
                day += Duration::days(1 + exp(&mut rng, gap));
            }
            let alive = (leave - join).num_days().max(1);
            let asked = join + Duration::days(rng.gen_range(0..alive));
            let honest = rng.gen::<f64>() < 0.85;
            let score = if unhappy == honest { rng.gen_range(0..=6) } else { rng.gen_range(7..=10) };
            h.scores.push((asked, f64::from(score)));
            let mut contact = join;
            while contact < leave.min(end) {
                h.contacts.push(contact);
                contact += Duration::days(1 + exp(&mut rng, 90.0));
            }
            if unhappy {
                let before = |rng: &mut ChaCha8Rng, k| (leave - Duration::days(rng.gen_range(0..k))).max(join);
                h.negative_comments.push(before(&mut rng, 60));
                let opened = before(&mut rng, 45);
                let breached = (rng.gen::<f64>() < 0.6).then(|| opened + Duration::days(5));
                let closed = (rng.gen::<f64>() < 0.5).then(|| opened + Duration::days(20));
                h.cases.push(CaseDates { opened, closed, breached });
            }
            if rng.gen::<f64>() < 0.5 {
                h.cancellations.push(leave);
            }
            h
        })
        .collect()
}

/// `history` without anything dated on or after `cutoff`.
pub(super) fn before(history: &CustomerHistory, cutoff: NaiveDate) -> CustomerHistory {
    let keep = |d: &NaiveDate| *d < cutoff;
    CustomerHistory {
        purchases: history.purchases.iter().filter(|p| keep(&p.0)).copied().collect(),
        cancellations: history.cancellations.iter().filter(|d| keep(d)).copied().collect(),
        scores: history.scores.iter().filter(|s| keep(&s.0)).copied().collect(),
        cases: history
            .cases
            .iter()
            .filter(|c| keep(&c.opened))
            .map(|c| CaseDates { closed: c.closed.filter(keep), breached: c.breached.filter(keep), ..*c })
            .collect(),
        negative_comments: history.negative_comments.iter().filter(|d| keep(d)).copied().collect(),
        contacts: history.contacts.iter().filter(|d| keep(d)).copied().collect(),
    }
}
