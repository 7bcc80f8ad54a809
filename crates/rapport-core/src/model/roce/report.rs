//! The ROCE report: the year's facts times the leader's inputs. Each cost
//! line keeps the figures it multiplied, so the page can show its working.

use super::facts::{GroupRisk, GroupStats, RoceFacts};
use super::inputs::RoceInputs;
use serde::Serialize;

/// One cost of poor service over the year, with its working.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostLine {
    /// `defection`, `churn`, `buy_backs`, `cancellations`, `non_renewals`, `service`.
    pub key: &'static str,
    pub amount: f64,
    /// The named figures the amount is the product or sum of.
    pub inputs: Vec<Figure>,
}

/// A named figure of a cost line's working.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figure {
    pub name: &'static str,
    pub value: f64,
}

fn figures(pairs: &[(&'static str, f64)]) -> Vec<Figure> {
    pairs.iter().map(|&(name, value)| Figure { name, value }).collect()
}

/// A figure from samples with its 95% interval. (`RoceEstimate` in the
/// OpenAPI document: a metric's `Estimate` has other fields.)
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = RoceEstimate))]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// The measured worth of moving one customer from an NPS group to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NpsMove {
    /// `detractor`, `passive` or `promoter`.
    pub from: &'static str,
    pub to: &'static str,
    pub customers_from: u64,
    pub customers_to: u64,
    /// Yearly revenue per customer, `to` less `from` (None below two
    /// customers in either group).
    pub revenue_per_customer: Option<Estimate>,
    /// The same in margin.
    pub margin_per_customer: Option<Estimate>,
    /// Share who cancelled or did not renew, `from` less `to`.
    pub defection_rate_drop: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoceReport {
    pub inputs: RoceInputs,
    pub facts: RoceFacts,
    /// Lifetime value × churn risk, summed: revenue expected to be lost.
    pub revenue_at_risk: f64,
    pub margin_at_risk: f64,
    pub costs: Vec<CostLine>,
    pub cost_of_poor_service: f64,
    /// Acquisition cost over retention cost (None when retention is free).
    pub acquisition_to_retention: Option<f64>,
    /// Of the defections with a known kind of reason, the share for price and for service.
    pub price_share: Option<f64>,
    pub service_share: Option<f64>,
    pub nps_moves: Vec<NpsMove>,
    pub segments: Vec<GroupRisk>,
    pub experiences: Vec<GroupRisk>,
    pub touchpoints: Vec<GroupRisk>,
}

const GROUPS: [&str; 3] = ["detractor", "passive", "promoter"];

pub fn report(inputs: RoceInputs, facts: &RoceFacts) -> RoceReport {
    let f = facts;
    let per_customer = if f.customers > 0 { f.revenue / f.customers as f64 } else { 0.0 };
    let yearly_margin = per_customer * inputs.margin_rate;
    let margin_at_risk = f.value_at_risk * inputs.margin_rate;
    let costs = vec![
        CostLine {
            key: "defection",
            amount: margin_at_risk,
            inputs: figures(&[("revenue_at_risk", f.value_at_risk), ("margin_rate", inputs.margin_rate)]),
        },
        CostLine {
            key: "churn",
            amount: f.defected as f64 * inputs.acquisition_cost,
            inputs: figures(&[("defected", f.defected as f64), ("acquisition_cost", inputs.acquisition_cost)]),
        },
        CostLine { key: "buy_backs", amount: f.refund_amount, inputs: figures(&[("refund_amount", f.refund_amount)]) },
        CostLine {
            key: "cancellations",
            amount: f.cancellations as f64 * yearly_margin,
            inputs: figures(&[
                ("cancellations", f.cancellations as f64),
                ("yearly_margin_per_customer", yearly_margin),
            ]),
        },
        CostLine {
            key: "non_renewals",
            amount: f.non_renewals as f64 * yearly_margin,
            inputs: figures(&[("non_renewals", f.non_renewals as f64), ("yearly_margin_per_customer", yearly_margin)]),
        },
        CostLine {
            key: "service",
            amount: f.cases as f64 * inputs.cost_per_case + f.contacts as f64 * inputs.cost_per_contact,
            inputs: figures(&[
                ("cases", f.cases as f64),
                ("cost_per_case", inputs.cost_per_case),
                ("contacts", f.contacts as f64),
                ("cost_per_contact", inputs.cost_per_contact),
            ]),
        },
    ];
    let known = (f.price_reasons + f.service_reasons + f.other_reasons) as f64;
    let share = |n: u64| (known > 0.0).then(|| n as f64 / known);
    let moves = [(0, 1), (0, 2), (1, 2)]
        .into_iter()
        .map(|(a, b)| nps_move(GROUPS[a], &f.by_nps[a], GROUPS[b], &f.by_nps[b], inputs.margin_rate))
        .collect();
    RoceReport {
        inputs,
        facts: f.clone(),
        revenue_at_risk: f.value_at_risk,
        margin_at_risk,
        cost_of_poor_service: costs.iter().map(|c| c.amount).sum(),
        costs,
        acquisition_to_retention: (inputs.retention_cost > 0.0)
            .then(|| inputs.acquisition_cost / inputs.retention_cost),
        price_share: share(f.price_reasons),
        service_share: share(f.service_reasons),
        nps_moves: moves,
        segments: f.segments.clone(),
        experiences: f.experiences.clone(),
        touchpoints: f.touchpoints.clone(),
    }
}

/// Welch's interval for the difference of two groups' mean yearly revenue.
fn nps_move(from: &'static str, a: &GroupStats, to: &'static str, b: &GroupStats, margin: f64) -> NpsMove {
    let revenue = welch(a, b);
    let rate = |g: &GroupStats| (g.customers > 0).then(|| g.defected as f64 / g.customers as f64);
    NpsMove {
        from,
        to,
        customers_from: a.customers,
        customers_to: b.customers,
        margin_per_customer: revenue.map(|e| Estimate {
            value: e.value * margin,
            low: e.low * margin,
            high: e.high * margin,
        }),
        revenue_per_customer: revenue,
        defection_rate_drop: rate(a).zip(rate(b)).map(|(x, y)| x - y),
    }
}

/// mean(b) − mean(a) ± t(0.975, Welch–Satterthwaite df) × standard error;
/// `None` with fewer than two customers on a side. When neither side
/// varies, the difference is exact.
fn welch(a: &GroupStats, b: &GroupStats) -> Option<Estimate> {
    let (na, nb) = (a.customers as f64, b.customers as f64);
    let (sa, sb) = (a.variance()? / na, b.variance()? / nb);
    let diff = b.mean()? - a.mean()?;
    let se = (sa + sb).sqrt();
    if se == 0.0 {
        return Some(Estimate { value: diff, low: diff, high: diff });
    }
    let df = (sa + sb).powi(2) / (sa * sa / (na - 1.0) + sb * sb / (nb - 1.0));
    let t = crate::measure::dist::t_critical_95(df)?;
    Some(Estimate { value: diff, low: diff - t * se, high: diff + t * se })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::roce::CustomerYear;

    fn group(revenues: &[f64], defected: u64) -> GroupStats {
        GroupStats {
            customers: revenues.len() as u64,
            revenue: revenues.iter().sum(),
            revenue_sq: revenues.iter().map(|r| r * r).sum(),
            defected,
        }
    }

    /// scipy 1.17: `scipy.stats.ttest_ind([50,70,90,110],[10,20,30],
    /// equal_var=False).confidence_interval(0.95)` gives the interval of
    /// mean(a) − mean(b) = 60: (21.020245, 98.979755).
    #[test]
    fn welch_interval_matches_scipy() {
        let e = welch(&group(&[10.0, 20.0, 30.0], 0), &group(&[50.0, 70.0, 90.0, 110.0], 0)).unwrap();
        assert!((e.value - 60.0).abs() < 1e-9);
        assert!((e.low - 21.020245).abs() < 1e-5, "{e:?}");
        assert!((e.high - 98.979755).abs() < 1e-5, "{e:?}");
        assert!(welch(&group(&[10.0], 0), &group(&[1.0, 2.0], 0)).is_none());
        let flat = welch(&group(&[5.0, 5.0], 0), &group(&[7.0, 7.0], 0)).unwrap();
        assert_eq!((flat.low, flat.value, flat.high), (2.0, 2.0, 2.0));
    }

    #[test]
    fn report_shows_its_working() {
        let mut f = RoceFacts::new(chrono::NaiveDate::MIN, chrono::NaiveDate::MAX);
        let mut y = CustomerYear { revenue: 100.0, cases: 2, contacts: 3, value_at_risk: 40.0, ..Default::default() };
        f.add(&y, &[], &[], &[]);
        y = CustomerYear {
            revenue: 300.0,
            cancellations: 1,
            refund_amount: 25.0,
            reasons: vec![super::super::DefectionReason::Price],
            value_at_risk: 60.0,
            ..Default::default()
        };
        f.add(&y, &[], &[], &[]);
        let inputs = RoceInputs {
            margin_rate: 0.5,
            acquisition_cost: 80.0,
            retention_cost: 20.0,
            cost_per_case: 10.0,
            cost_per_contact: 2.0,
        };
        let r = report(inputs, &f);
        let line = |k: &str| r.costs.iter().find(|c| c.key == k).unwrap().amount;
        assert_eq!(r.revenue_at_risk, 100.0);
        assert_eq!(line("defection"), 50.0);
        assert_eq!(line("churn"), 80.0);
        assert_eq!(line("buy_backs"), 25.0);
        assert_eq!(line("cancellations"), 100.0, "one cancellation × (400 / 2 customers × 0.5)");
        assert_eq!(line("non_renewals"), 0.0);
        assert_eq!(line("service"), 26.0);
        assert_eq!(r.cost_of_poor_service, 281.0);
        assert_eq!(r.acquisition_to_retention, Some(4.0));
        assert_eq!((r.price_share, r.service_share), (Some(1.0), Some(0.0)));
        assert!(r.nps_moves.iter().all(|m| m.revenue_per_customer.is_none()), "no NPS answers");
    }
}
