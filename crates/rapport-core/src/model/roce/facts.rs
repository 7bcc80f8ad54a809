//! The facts of the last year that the ROCE report multiplies by the
//! inputs, gathered one customer at a time by a refit (a sum, so a million
//! customers need no more memory than one).

use super::reasons::DefectionReason;
use crate::Id;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One customer's year (the window before the refit) and scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerYear {
    pub revenue: f64,
    pub purchases: u64,
    pub refunds: u64,
    pub refund_amount: f64,
    pub cancellations: u64,
    pub non_renewals: u64,
    /// Why each cancellation or non-renewal happened.
    pub reasons: Vec<DefectionReason>,
    pub cases: u64,
    pub contacts: u64,
    /// The last NPS band of the year: 1 detractor, 2 passive, 3 promoter.
    pub nps_band: Option<i16>,
    pub churn_risk: f64,
    pub lifetime_value: f64,
    pub value_at_risk: f64,
}

impl CustomerYear {
    /// Tallies a customer's events `(day, kind, amount, reason)`, NPS bands
    /// `(day, band)` and case openings inside `[from, to)`.
    pub fn tally(
        events: &[(NaiveDate, &str, Option<f64>, Option<&str>)],
        nps: &[(NaiveDate, i16)],
        cases: &[NaiveDate],
        from: NaiveDate,
        to: NaiveDate,
    ) -> CustomerYear {
        let inside = |d: NaiveDate| d >= from && d < to;
        let mut y = CustomerYear::default();
        for &(_, kind, amount, reason) in events.iter().filter(|e| inside(e.0)) {
            let amount = amount.filter(|a| a.is_finite() && *a >= 0.0).unwrap_or(0.0);
            match kind {
                "purchase" => {
                    y.purchases += 1;
                    y.revenue += amount;
                }
                "refund" => {
                    y.refunds += 1;
                    y.refund_amount += amount;
                }
                "cancellation" | "non_renewal" => {
                    if kind == "cancellation" {
                        y.cancellations += 1;
                    } else {
                        y.non_renewals += 1;
                    }
                    y.reasons.push(super::defection_reason(reason));
                }
                "contact" => y.contacts += 1,
                _ => {}
            }
        }
        y.nps_band = nps.iter().filter(|n| inside(n.0)).max_by_key(|n| n.0).map(|n| n.1);
        y.cases = cases.iter().filter(|d| inside(**d)).count() as u64;
        y
    }

    fn defected(&self) -> bool {
        self.cancellations + self.non_renewals > 0
    }
}

/// Customers of one NPS group and what they did in the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupStats {
    pub customers: u64,
    pub revenue: f64,
    /// Sum of squared revenue per customer (for the interval).
    pub revenue_sq: f64,
    pub defected: u64,
}

impl GroupStats {
    pub fn mean(&self) -> Option<f64> {
        (self.customers > 0).then(|| self.revenue / self.customers as f64)
    }

    /// Sample variance of revenue per customer.
    pub fn variance(&self) -> Option<f64> {
        let n = self.customers as f64;
        (self.customers > 1).then(|| ((self.revenue_sq - self.revenue * self.revenue / n) / (n - 1.0)).max(0.0))
    }
}

/// Value at risk of one group of customers: a segment (0: everyone), an
/// experience or a touchpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRisk {
    pub id: Id,
    pub customers: u64,
    pub value_at_risk: f64,
    pub lifetime_value: f64,
}

/// The year's facts of an organization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoceFacts {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub customers: u64,
    pub revenue: f64,
    pub purchases: u64,
    pub refunds: u64,
    pub refund_amount: f64,
    pub cancellations: u64,
    pub non_renewals: u64,
    /// Customers with a cancellation or non-renewal in the year.
    pub defected: u64,
    pub price_reasons: u64,
    pub service_reasons: u64,
    pub other_reasons: u64,
    pub unknown_reasons: u64,
    pub cases: u64,
    pub contacts: u64,
    /// Expected customers lost: the sum of churn risks.
    pub expected_losses: f64,
    pub value_at_risk: f64,
    pub lifetime_value: f64,
    /// Detractors, passives, promoters (by their last NPS of the year).
    pub by_nps: [GroupStats; 3],
    /// Everyone first, then each segment, by id.
    pub segments: Vec<GroupRisk>,
    /// The customers of each experience, by id: those who met one of its
    /// touchpoints in the year (a customer counts for each).
    #[serde(default)]
    pub experiences: Vec<GroupRisk>,
    /// The customers who met each touchpoint in the year, by id.
    #[serde(default)]
    pub touchpoints: Vec<GroupRisk>,
}

impl RoceFacts {
    pub fn new(from: NaiveDate, to: NaiveDate) -> RoceFacts {
        RoceFacts { from: Some(from), to: Some(to), ..Default::default() }
    }

    /// Adds one customer, counted for everyone and for each of `segments`,
    /// and for the experiences and touchpoints they met in the year.
    pub fn add(&mut self, c: &CustomerYear, segments: &[Id], experiences: &[Id], touchpoints: &[Id]) {
        self.customers += 1;
        self.revenue += c.revenue;
        self.purchases += c.purchases;
        self.refunds += c.refunds;
        self.refund_amount += c.refund_amount;
        self.cancellations += c.cancellations;
        self.non_renewals += c.non_renewals;
        self.defected += u64::from(c.defected());
        for r in &c.reasons {
            *match r {
                DefectionReason::Price => &mut self.price_reasons,
                DefectionReason::Service => &mut self.service_reasons,
                DefectionReason::Other => &mut self.other_reasons,
                DefectionReason::Unknown => &mut self.unknown_reasons,
            } += 1;
        }
        self.cases += c.cases;
        self.contacts += c.contacts;
        self.expected_losses += c.churn_risk;
        self.value_at_risk += c.value_at_risk;
        self.lifetime_value += c.lifetime_value;
        if let Some(g) = c.nps_band.and_then(|b| usize::try_from(b - 1).ok()).and_then(|i| self.by_nps.get_mut(i)) {
            g.customers += 1;
            g.revenue += c.revenue;
            g.revenue_sq += c.revenue * c.revenue;
            g.defected += u64::from(c.defected());
        }
        for id in std::iter::once(0).chain(segments.iter().copied()) {
            add_to(&mut self.segments, id, c);
        }
        for &id in experiences {
            add_to(&mut self.experiences, id, c);
        }
        for &id in touchpoints {
            add_to(&mut self.touchpoints, id, c);
        }
    }
}

/// Counts a customer into the group `id` of `groups` (kept in id order).
fn add_to(groups: &mut Vec<GroupRisk>, id: Id, c: &CustomerYear) {
    let at = match groups.binary_search_by_key(&id, |g| g.id) {
        Ok(i) => i,
        Err(i) => {
            groups.insert(i, GroupRisk { id, ..Default::default() });
            i
        }
    };
    let g = &mut groups[at];
    g.customers += 1;
    g.value_at_risk += c.value_at_risk;
    g.lifetime_value += c.lifetime_value;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, day).unwrap()
    }

    #[test]
    fn a_year_counts_only_its_window() {
        let events = [
            (d(1), "purchase", Some(10.0), None),
            (d(2), "purchase", Some(30.0), None),
            (d(3), "refund", Some(30.0), None),
            (d(4), "cancellation", None, Some("too expensive")),
            (d(5), "contact", None, None),
            (d(20), "purchase", Some(99.0), None),
            (d(2), "purchase", Some(-5.0), None),
        ];
        let y = CustomerYear::tally(&events, &[(d(1), 3), (d(3), 1), (d(25), 3)], &[d(2), d(21)], d(1), d(10));
        assert_eq!((y.purchases, y.revenue, y.refunds, y.refund_amount), (3, 40.0, 1, 30.0));
        assert_eq!((y.cancellations, y.contacts, y.cases), (1, 1, 1));
        assert_eq!(y.reasons, [DefectionReason::Price]);
        assert_eq!(y.nps_band, Some(1), "the last band inside the window");
    }

    #[test]
    fn facts_add_up_by_group_and_segment() {
        let mut f = RoceFacts::new(d(1), d(10));
        let a = CustomerYear {
            revenue: 10.0,
            nps_band: Some(1),
            cancellations: 1,
            value_at_risk: 5.0,
            ..Default::default()
        };
        let b = CustomerYear { revenue: 30.0, nps_band: Some(1), value_at_risk: 1.0, ..Default::default() };
        let c = CustomerYear { revenue: 50.0, nps_band: Some(3), ..Default::default() };
        f.add(&a, &[7], &[1], &[10, 11]);
        f.add(&b, &[3, 7], &[1, 2], &[11]);
        f.add(&c, &[], &[], &[]);
        assert_eq!((f.customers, f.revenue, f.defected), (3, 90.0, 1));
        assert_eq!(f.by_nps[0].customers, 2);
        assert_eq!(f.by_nps[0].mean(), Some(20.0));
        assert_eq!(f.by_nps[0].variance(), Some(200.0));
        assert_eq!(f.by_nps[2].variance(), None);
        let ids = |g: &[GroupRisk]| g.iter().map(|s| (s.id, s.customers, s.value_at_risk)).collect::<Vec<_>>();
        assert_eq!(ids(&f.segments), vec![(0, 3, 6.0), (3, 1, 1.0), (7, 2, 6.0)]);
        assert_eq!(ids(&f.experiences), vec![(1, 2, 6.0), (2, 1, 1.0)]);
        assert_eq!(ids(&f.touchpoints), vec![(10, 1, 5.0), (11, 2, 6.0)]);
    }
}
