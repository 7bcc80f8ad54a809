//! Each customer's lifetime value, from the best model a refit could fit:
//! - BG/NBD and Gamma-Gamma: lifetimes' CLV (12 months, 1% a month);
//! - BG/NBD alone (spend that hardly varies leaves Gamma-Gamma
//!   undetermined): the same discounted purchases times the customer's
//!   own mean spend, or everyone's for a one-time buyer;
//! - neither: what the customer spent in the last year, as a stand-in.
//!
//! Customers without purchases take their segment's mean value (seed 001:
//! "in early stages of a relationship, you need segment based modeling"),
//! or everyone's.

use super::refit::{CLV_MONTHS, MONTHLY_DISCOUNT, PERIOD};
use rapport_core::model::purchase::{discounted_value, BgNbd, GammaGamma, Summary};
use rapport_core::Id;
use std::collections::HashMap;

pub struct Valuer {
    pub bg: Option<BgNbd>,
    pub gg: Option<GammaGamma>,
    /// Mean spend per repeat purchase over everyone (for one-time buyers).
    pub mean_spend: f64,
    /// Mean value per segment (0: everyone) of customers with purchases.
    pub by_segment: HashMap<Id, f64>,
}

impl Valuer {
    pub fn new(bg: Option<BgNbd>, gg: Option<GammaGamma>, summaries: &[(Summary, Vec<Id>, f64)]) -> Valuer {
        let repeat: Vec<f64> = summaries.iter().filter(|(s, ..)| s.frequency > 0.0).map(|(s, ..)| s.monetary).collect();
        let mean_spend = if repeat.is_empty() { 0.0 } else { repeat.iter().sum::<f64>() / repeat.len() as f64 };
        let mut v = Valuer { bg, gg, mean_spend, by_segment: HashMap::new() };
        let mut sums: HashMap<Id, (f64, u64)> = HashMap::new();
        for (s, segments, last_year) in summaries {
            let value = v.own(s, *last_year);
            for id in std::iter::once(0).chain(segments.iter().copied()) {
                let e = sums.entry(id).or_default();
                e.0 += value;
                e.1 += 1;
            }
        }
        v.by_segment = sums.into_iter().map(|(id, (sum, n))| (id, sum / n as f64)).collect();
        v
    }

    /// A customer with purchases: their own value.
    fn own(&self, s: &Summary, last_year: f64) -> f64 {
        match (&self.bg, &self.gg) {
            (Some(bg), Some(gg)) => gg.clv(bg, s, CLV_MONTHS, MONTHLY_DISCOUNT, PERIOD),
            (Some(bg), None) => {
                let spend = if s.frequency > 0.0 && s.monetary > 0.0 { s.monetary } else { self.mean_spend };
                discounted_value(bg, s, spend, CLV_MONTHS, MONTHLY_DISCOUNT, PERIOD)
            }
            _ => last_year,
        }
    }

    /// The value and where it came from: `history`, `last_year`,
    /// `segment:ID` or `everyone`.
    pub fn value(&self, summary: Option<&Summary>, last_year: f64, segments: &[Id]) -> (Option<f64>, String) {
        if let Some(s) = summary {
            let basis = if self.bg.is_some() { "history" } else { "last_year" };
            return (Some(self.own(s, last_year)), basis.into());
        }
        match segments.iter().find_map(|id| self.by_segment.get(id).map(|v| (*v, *id))) {
            Some((v, id)) => (Some(v), format!("segment:{id}")),
            None => (self.by_segment.get(&0).copied(), "everyone".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BG: BgNbd = BgNbd { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };

    fn s(frequency: f64, monetary: f64) -> Summary {
        Summary { frequency, recency: if frequency > 0.0 { 20.0 } else { 0.0 }, t: 30.0, monetary }
    }

    #[test]
    fn without_a_spend_model_own_mean_spend_or_everyones() {
        let all = vec![(s(2.0, 40.0), vec![7], 100.0), (s(4.0, 20.0), vec![], 90.0), (s(0.0, 0.0), vec![7], 10.0)];
        let v = Valuer::new(Some(BG), None, &all);
        assert_eq!(v.mean_spend, 30.0);
        let (one_time, basis) = v.value(Some(&all[2].0), 10.0, &[7]);
        let expected = discounted_value(&BG, &all[2].0, 30.0, CLV_MONTHS, MONTHLY_DISCOUNT, PERIOD);
        assert_eq!((one_time, basis.as_str()), (Some(expected), "history"));
        // Without purchases: the segment's mean, else everyone's.
        let (seg, basis) = v.value(None, 0.0, &[3, 7]);
        assert_eq!(basis, "segment:7");
        assert!((seg.unwrap() - (v.own(&all[0].0, 0.0) + expected) / 2.0).abs() < 1e-9);
        assert_eq!(v.value(None, 0.0, &[3]).1, "everyone");
    }

    #[test]
    fn without_any_purchase_model_last_years_spend() {
        let all = vec![(s(1.0, 5.0), vec![], 120.0)];
        let v = Valuer::new(None, None, &all);
        assert_eq!(v.value(Some(&all[0].0), 120.0, &[]), (Some(120.0), "last_year".into()));
        assert_eq!(v.value(None, 0.0, &[]), (Some(120.0), "everyone".into()));
    }
}
