//! The optimiser and the two fits' refusals and likelihood bookkeeping.

use crate::model::purchase::bgnbd_fit::Patterns;
use crate::model::purchase::optimise::minimise;
use crate::model::purchase::{BgNbd, GammaGamma, PurchaseError, Summary};

#[test]
fn finds_the_minimum_of_a_skewed_bowl() {
    let f = |p: &[f64]| (p[0] - 1.0).powi(2) + 10.0 * (p[1] + 2.0 * p[0]).powi(2) + (p[2] - 0.5).powi(4);
    let x = minimise(&f, &[vec![0.0; 3]], &["a", "b", "c"]).unwrap();
    assert!((x[0] - 1.0).abs() < 1e-8 && (x[1] + 2.0).abs() < 1e-8, "{x:?}");
    let rosenbrock = |p: &[f64]| 100.0 * (p[1] - p[0] * p[0]).powi(2) + (1.0 - p[0]).powi(2);
    let x = minimise(&rosenbrock, &[vec![-1.2, 1.0]], &["a", "b"]).unwrap();
    assert!((x[0] - 1.0).abs() < 1e-7 && (x[1] - 1.0).abs() < 1e-7, "{x:?}");
}

#[test]
fn reports_a_function_without_a_minimum() {
    let f = |p: &[f64]| -p[0];
    let err = minimise(&f, &[vec![0.0]], &["q"]).unwrap_err();
    assert!(err.starts_with("q ran off to"), "{err}");
    let nan = |_: &[f64]| f64::NAN;
    assert!(minimise(&nan, &[vec![0.0]], &["q"]).is_err());
}

#[test]
fn refuses_thin_data() {
    let one_timers = vec![Summary { t: 30.0, ..Summary::default() }; 60];
    let err = BgNbd::fit(&one_timers).unwrap_err();
    assert!(matches!(err, PurchaseError::TooFewCustomers { repeat: 0, .. }), "{err}");
    assert!(err.to_string().contains("at least 50 customers and 10 repeat buyers"));
    let bad = [Summary { frequency: 1.5, recency: 2.0, t: 3.0, monetary: 0.0 }];
    assert!(matches!(BgNbd::fit(&bad), Err(PurchaseError::InvalidSummary { index: 0, .. })));
}

#[test]
fn weighted_rows_give_the_per_customer_likelihood() {
    let people = [(0.0, 0.0, 30.0), (2.0, 20.0, 30.0), (2.0, 20.0, 30.0), (5.0, 28.0, 35.0)];
    let customers: Vec<Summary> =
        people.iter().map(|&(frequency, recency, t)| Summary { frequency, recency, t, monetary: 0.0 }).collect();
    let data = Patterns::new(&customers);
    assert_eq!(data.rows.len(), 3);
    let m = BgNbd { r: 0.3, alpha: 4.0, a: 0.8, b: 2.5 };
    let p = [m.r.ln(), (m.alpha * data.scale).ln(), m.a.ln(), m.b.ln()];
    // Scaling time by s moves each customer's log-likelihood by −x ln s.
    let shift: f64 = customers.iter().map(|s| s.frequency * data.scale.ln()).sum();
    let direct: f64 = customers.iter().map(|s| m.log_likelihood(s)).sum();
    let via_rows = data.mean_log_likelihood(&p) * 4.0 + shift;
    assert!((direct - via_rows).abs() < 1e-10, "{direct} {via_rows}");
}

fn repeat(frequency: f64, monetary: f64) -> Summary {
    Summary { frequency, recency: frequency, t: 40.0, monetary }
}

#[test]
fn expected_spend_shrinks_towards_the_population_mean() {
    let gg = GammaGamma { p: 6.25, q: 3.74, v: 15.44 };
    let population = gg.v * gg.p / (gg.q - 1.0);
    assert!((gg.expected_spend(&repeat(0.0, 0.0)) - population).abs() < 1e-12);
    let (few, many) = (gg.expected_spend(&repeat(1.0, 100.0)), gg.expected_spend(&repeat(20.0, 100.0)));
    assert!(population < few && few < many && many < 100.0);
}

#[test]
fn refuses_all_zero_spend_and_too_few_spenders() {
    let zeros = vec![repeat(2.0, 0.0); 30];
    assert_eq!(GammaGamma::fit(&zeros), Err(PurchaseError::AllZeroSpend));
    let few = vec![repeat(2.0, 10.0); 5];
    assert!(matches!(GammaGamma::fit(&few), Err(PurchaseError::TooFewCustomers { repeat: 5, .. })));
}

#[test]
fn identical_spend_has_no_spread_to_fit() {
    // Every repeat buyer spends exactly 20: q runs off to infinity.
    let same: Vec<Summary> = (1..40).map(|i| repeat(f64::from(i % 5 + 1), 20.0)).collect();
    let err = GammaGamma::fit(&same).unwrap_err();
    assert!(matches!(err, PurchaseError::DidNotConverge { .. } | PurchaseError::NoMeanSpend { .. }), "{err}");
}

#[test]
fn a_penalty_settles_what_the_likelihood_leaves_open() {
    // Everyone buys every week until now: nobody has ever stopped, so the
    // dropout rate runs to zero (b to infinity) without a penalty.
    let loyal: Vec<Summary> = (0..80)
        .map(|i| {
            let weeks = f64::from(10 + i % 30);
            Summary { frequency: weeks, recency: weeks, t: weeks, monetary: 20.0 }
        })
        .collect();
    assert!(matches!(BgNbd::fit(&loyal), Err(PurchaseError::DidNotConverge { .. })));
    let (m, penalty) = BgNbd::fit_regularized(&loyal).unwrap();
    assert!(penalty > 0.0);
    assert!([m.r, m.alpha, m.a, m.b].iter().all(|v| v.is_finite() && *v > 0.0), "{m:?}");
    let s = loyal[0];
    assert!(m.p_alive(&s) > 0.9, "a customer who just bought, as every week, is alive: {m:?}");
    // Thin data is still refused, whatever the penalty.
    let few = &loyal[..10];
    assert!(matches!(BgNbd::fit_regularized(few), Err(PurchaseError::TooFewCustomers { .. })));
}
