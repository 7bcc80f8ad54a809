//! The optimiser and the two fits' refusals and likelihood bookkeeping.

use crate::model::purchase::bgnbd_fit::Patterns;
use crate::model::purchase::gamma_gamma::Rows;
use crate::model::purchase::optimise::{minimise, Objective};
use crate::model::purchase::{BgNbd, GammaGamma, PurchaseError, Summary};

/// A test objective: a value function and its gradient.
struct Exact<V, G>(V, G);

impl<V: Fn(&[f64]) -> f64, G: Fn(&[f64]) -> Vec<f64>> Objective for Exact<V, G> {
    fn value_and_gradient(&self, p: &[f64], gradient: &mut [f64]) -> f64 {
        gradient.copy_from_slice(&(self.1)(p));
        (self.0)(p)
    }
}

#[test]
fn finds_the_minimum_of_a_skewed_bowl() {
    let bowl = Exact(
        |p: &[f64]| (p[0] - 1.0).powi(2) + 10.0 * (p[1] + 2.0 * p[0]).powi(2) + (p[2] - 0.5).powi(4),
        |p: &[f64]| {
            let inner = 20.0 * (p[1] + 2.0 * p[0]);
            vec![2.0 * (p[0] - 1.0) + 2.0 * inner, inner, 4.0 * (p[2] - 0.5).powi(3)]
        },
    );
    let x = minimise(&bowl, &[vec![0.0; 3]], &["a", "b", "c"]).unwrap();
    assert!((x[0] - 1.0).abs() < 1e-8 && (x[1] + 2.0).abs() < 1e-8, "{x:?}");
    let rosenbrock = Exact(
        |p: &[f64]| 100.0 * (p[1] - p[0] * p[0]).powi(2) + (1.0 - p[0]).powi(2),
        |p: &[f64]| {
            let inner = 200.0 * (p[1] - p[0] * p[0]);
            vec![-2.0 * p[0] * inner - 2.0 * (1.0 - p[0]), inner]
        },
    );
    let x = minimise(&rosenbrock, &[vec![-1.2, 1.0]], &["a", "b"]).unwrap();
    assert!((x[0] - 1.0).abs() < 1e-7 && (x[1] - 1.0).abs() < 1e-7, "{x:?}");
}

#[test]
fn a_wrong_gradient_is_caught_and_nelder_mead_finishes() {
    // The gradient points the wrong way in b: BFGS stops where the false
    // gradient vanishes, the finite-difference check sees the slope, and
    // Nelder–Mead, which uses values only, finds the true minimum.
    let lying = Exact(
        |p: &[f64]| (p[0] - 1.0).powi(2) + (p[1] - 3.0).powi(2),
        |p: &[f64]| vec![2.0 * (p[0] - 1.0), 2.0 * p[1]],
    );
    let x = minimise(&lying, &[vec![0.0, 0.0]], &["a", "b"]).unwrap();
    assert!((x[0] - 1.0).abs() < 1e-6 && (x[1] - 3.0).abs() < 1e-6, "{x:?}");
}

#[test]
fn reports_a_function_without_a_minimum() {
    let slope = Exact(|p: &[f64]| -p[0], |_: &[f64]| vec![-1.0]);
    let err = minimise(&slope, &[vec![0.0]], &["q"]).unwrap_err();
    assert!(err.starts_with("q ran off to"), "{err}");
    let nan = Exact(|_: &[f64]| f64::NAN, |_: &[f64]| vec![f64::NAN]);
    assert!(minimise(&nan, &[vec![0.0]], &["q"]).is_err());
}

/// The largest difference between `gradient` and central differences of
/// `value` at `p`, relative to the gradient's size.
fn gradient_error(value: &dyn Fn(&[f64], &mut [f64]) -> f64, p: &[f64]) -> f64 {
    let mut gradient = vec![0.0; p.len()];
    value(p, &mut gradient);
    let scale = gradient.iter().fold(1e-3, |m: f64, g| m.max(g.abs()));
    let mut scratch = vec![0.0; p.len()];
    (0..p.len())
        .map(|i| {
            let h = 1e-6;
            let (mut up, mut down) = (p.to_vec(), p.to_vec());
            up[i] += h;
            down[i] -= h;
            let numeric = (value(&up, &mut scratch) - value(&down, &mut scratch)) / (2.0 * h);
            (numeric - gradient[i]).abs() / scale
        })
        .fold(0.0, f64::max)
}

#[test]
fn the_likelihoods_gradients_equal_finite_differences() {
    let people = [(0.0, 0.0, 30.0), (2.0, 20.0, 30.0), (1.0, 3.0, 12.0), (5.0, 28.0, 35.0), (40.0, 39.0, 40.0)];
    let customers: Vec<Summary> =
        people.iter().map(|&(frequency, recency, t)| Summary { frequency, recency, t, monetary: 0.0 }).collect();
    let data = Patterns::new(&customers);
    let ll = |p: &[f64], g: &mut [f64]| data.mean_log_likelihood(p, g);
    for p in [[0.1, 0.1, 0.1, 0.1], [-1.4, 0.5, -0.2, 0.9], [1.0, -2.0, 2.0, -1.5]] {
        let err = gradient_error(&ll, &p);
        assert!(err < 1e-7, "BG/NBD at {p:?}: {err}");
    }
    let spenders = [(1.0, 20.0), (2.0, 35.5), (2.0, 12.0), (7.0, 80.0), (30.0, 41.0)];
    let rows = Rows::new(&spenders, 1.0 / 30.0);
    let gg = |p: &[f64], g: &mut [f64]| rows.value_and_gradient(p, g);
    for p in [[0.1, 0.1, 0.1], [1.8, 1.3, 0.4], [-0.5, 2.5, -1.0]] {
        let err = gradient_error(&gg, &p);
        assert!(err < 1e-7, "Gamma-Gamma at {p:?}: {err}");
    }
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
    let via_rows = data.mean_log_likelihood(&p, &mut [0.0; 4]) * 4.0 + shift;
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
