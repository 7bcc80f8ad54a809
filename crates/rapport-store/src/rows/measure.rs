//! Measurement's pure helpers: rollup deltas summed per batch before they
//! are upserted, and membership moves.

use chrono::NaiveDate;
use rapport_core::measure::{Scale, Tally};
use rapport_core::Id;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The segment id of rollup rows that count every customer.
pub const EVERYONE: Id = 0;

/// Rows per page when the rebuild walks the raw rows.
pub const REBUILD_PAGE: i64 = 10_000;

/// Summed deltas of score rollup rows, by (scale, segment, day, touchpoint).
#[derive(Debug, Default)]
pub struct ScoreDeltas(pub BTreeMap<(Scale, Id, NaiveDate, Id), Tally>);

impl ScoreDeltas {
    /// Adds (`sign` 1) or removes (−1) one response's tallies for each of
    /// `segments` (which should include [`EVERYONE`] when it counts there).
    pub fn add(&mut self, tallies: &[(Scale, Tally)], segments: &[Id], day: NaiveDate, touchpoint: Id, sign: i64) {
        for (scale, t) in tallies {
            let t = signed(t, sign);
            for segment in segments {
                self.0.entry((*scale, *segment, day, touchpoint)).or_default().add(&t);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn signed(t: &Tally, sign: i64) -> Tally {
    Tally { n: t.n * sign, sum: t.sum * sign, sum_sq: t.sum_sq * sign, high: t.high * sign, low: t.low * sign }
}

/// Summed activity deltas by (customer, day, kind, touchpoint or 0): (n, amount).
#[derive(Debug, Default)]
pub struct ActivityDeltas(pub BTreeMap<(Id, NaiveDate, String, Id), (i64, f64)>);

impl ActivityDeltas {
    pub fn add(&mut self, customer: Id, day: NaiveDate, kind: &str, touchpoint: Option<Id>, amount: f64) {
        let e = self.0.entry((customer, day, kind.to_string(), touchpoint.unwrap_or(0))).or_insert((0, 0.0));
        e.0 += 1;
        e.1 += amount;
    }
}

/// Whose membership changed: customer → (old segments, new segments).
pub type MembershipChanges = HashMap<Id, (BTreeSet<Id>, BTreeSet<Id>)>;

/// Segments to add a customer's responses to (`sign` 1) and to take them
/// from (−1) when their membership changes.
pub fn membership_moves(old: &BTreeSet<Id>, new: &BTreeSet<Id>) -> Vec<(Id, i64)> {
    let gone = old.difference(new).map(|s| (*s, -1));
    let came = new.difference(old).map(|s| (*s, 1));
    gone.chain(came).collect()
}

/// The segments a rollup of this customer's response counts in.
pub fn rollup_segments(customer_segments: Option<&Vec<Id>>) -> Vec<Id> {
    let mut out = vec![EVERYONE];
    if let Some(s) = customer_segments {
        out.extend(s.iter().copied());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_of_a_batch_sum_per_row() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let t = Tally::of(Scale::Nps, 9, 10);
        let mut d = ScoreDeltas::default();
        d.add(&[(Scale::Nps, t)], &[EVERYONE, 4], day, 7, 1);
        d.add(&[(Scale::Nps, t)], &[EVERYONE], day, 7, 1);
        d.add(&[(Scale::Nps, t)], &[4], day, 7, -1);
        assert_eq!(d.0[&(Scale::Nps, EVERYONE, day, 7)].n, 2);
        assert_eq!(d.0[&(Scale::Nps, 4, day, 7)], Tally::default());
    }

    #[test]
    fn moves_take_from_left_segments_and_add_to_joined_ones() {
        let old: BTreeSet<Id> = [1, 2].into();
        let new: BTreeSet<Id> = [2, 3].into();
        assert_eq!(membership_moves(&old, &new), vec![(1, -1), (3, 1)]);
        assert!(membership_moves(&new, &new).is_empty());
        assert_eq!(rollup_segments(Some(&vec![5])), vec![EVERYONE, 5]);
        assert_eq!(rollup_segments(None), vec![EVERYONE]);
    }
}
