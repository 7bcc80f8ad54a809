//! Churn risk on the CDNOW log (23,570 customers, January 1997 to June
//! 1998; see `fixtures/churn/README.md`): scored at a cut-off from the data
//! before it, checked against "no purchase in the holdout".
//!
//! The published figures use lifetimes' convention, where the calibration
//! period ends *on* 1997-09-30 and the holdout runs through 1998-06-30. Our
//! cut-off is the first day the model does not see, so the same split is
//! cut-off 1997-10-01, holdout end 1998-06-30 (273 days); the recency
//! baseline below reproduces the published 0.759 on it.
//!
//! Every figure asserted below was also computed by an independent
//! re-implementation in Python (pandas, scikit-learn 1.9.1; run from the
//! workspace root in the venv of `src/model/churn/tests/logistic.rs`), and
//! the two agree to 1e-6:
//!
//! ```text
//! # Independent re-implementation of the churn pipeline on CDNOW.
//! import numpy as np, pandas as pd
//! from sklearn.linear_model import LogisticRegression
//! from sklearn.metrics import roc_auc_score
//! raw = pd.read_csv("crates/rapport-core/tests/fixtures/churn/CDNOW_master.txt", sep=r"\s+")
//! raw["date"] = pd.to_datetime(raw["date"].astype(str))
//! ids = np.sort(raw.customer_id.unique())
//! def features(cut):
//!     x = raw[raw.date < cut]
//!     days = x.groupby(["customer_id", "date"]).dollar_value.sum().reset_index()
//!     g = days.groupby("customer_id")
//!     n, first, last = g.size(), g.date.min(), g.date.max()
//!     rec, ten = (cut - last).dt.days, (cut - first).dt.days
//!     rep = n - 1
//!     spend = (g.dollar_value.sum() / n).clip(lower=0)
//!     span = (last - first).dt.days
//!     overdue = np.where(rep > 0, rec * rep / span.where(span > 0, 1), 0.0)
//!     age = (cut - days.date).dt.days
//!     p90 = days[age <= 90].groupby("customer_id").size().reindex(n.index, fill_value=0)
//!     p180 = days[age <= 180].groupby("customer_id").size().reindex(n.index, fill_value=0)
//!     F = pd.DataFrame({"days_since_purchase": rec, "repeat_purchases": rep, "tenure_days": ten, "mean_spend": spend,
//!                       "overdue_ratio": overdue, "purchases_90d": p90, "purchases_180d": p180,
//!                       "days_since_activity": rec}, index=n.index)
//!     return np.log1p(F.astype(float))
//! def churned(a, b):  # no purchase in [a, b)
//!     bought = set(raw[(raw.date >= a) & (raw.date < b)].customer_id)
//!     return np.array([i not in bought for i in ids])
//! def run(cutoff, last):
//!     C, E = pd.Timestamp(cutoff), pd.Timestamp(last) + pd.Timedelta(days=1)
//!     H = (E - C).days
//!     W = min(H, (C - raw.date.min()).days // 2)
//!     S = C - pd.Timedelta(days=W)
//!     Ft, y = features(S), churned(S, C)
//!     kept, cols = [], []
//!     for f in Ft.columns:
//!         v = Ft[f].values; m, s = v.mean(), v.std()
//!         if s <= 1e-9 * (1 + abs(m)): continue
//!         z = (v - m) / s
//!         if any(abs(np.corrcoef(z, c)[0, 1]) >= 0.95 for c in cols): continue
//!         kept.append((f, m, s)); cols.append(z)
//!     X = np.column_stack(cols)
//!     lr = LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(X, y)
//!     share = lambda t: churned(S, S + pd.Timedelta(days=t)).mean()
//!     beta = min(1.0, max(0.0, np.log(np.log(share(W)) / np.log(share(W // 2))) / np.log(W / (W // 2))))
//!     Fs, ys = features(C), churned(C, E)
//!     Xs = np.column_stack([(Fs[f].values - m) / s for f, m, s in kept])
//!     eta = lr.intercept_[0] + Xs @ lr.coef_[0]
//!     p = np.exp(-((H / W) ** beta) * np.logaddexp(0, -eta))
//!     print(cutoff, "W", W, "beta %.10f" % beta, "intercept %.10f" % lr.intercept_[0])
//!     for (f, m, s), c in zip(kept, lr.coef_[0]): print("  %-20s coef %.10f mean %.10f sd %.10f" % (f, c, m, s))
//!     print("  AUC %.10f recency %.10f mean predicted %.10f base %.10f" % (roc_auc_score(ys, p),
//!           roc_auc_score(ys, Fs.days_since_purchase), p.mean(), ys.mean()))
//! run("1997-10-01", "1998-06-30")
//! run("1997-07-01", "1998-03-30")
//! ```
//!
//! It prints W, β and the intercept; coefficient, mean and SD (on
//! ln(1 + x)) of each kept feature; then AUC, recency AUC, mean predicted
//! probability and base rate:
//!
//! ```text
//! 1997-10-01 W 136 beta 0.6569565170 intercept 1.2592155894
//!   days_since_purchase  coef 0.1190863492 mean 4.2417780979 sd 0.6879925942
//!   repeat_purchases     coef -0.6519550236 mean 0.2801229862 sd 0.4851909423
//!   tenure_days          coef 0.0216735022 mean 4.5233675669 sd 0.2544922621
//!   mean_spend           coef -0.1584244538 mean 3.2766071578 sd 0.6727062997
//!   overdue_ratio        coef 0.1023286617 mean 0.3444178108 sd 0.7510968512
//!   purchases_90d        coef -0.1458626555 mean 0.5170131183 sd 0.4915478482
//!   AUC 0.7701379642 recency 0.7594190709 mean predicted 0.6764712820 base 0.7005515486
//! 1997-07-01 W 90 beta 0.6433787281 intercept 1.3456906917
//!   days_since_purchase  coef 0.1278770064 mean 3.5568592688 sd 0.7311791957
//!   repeat_purchases     coef -0.6677783527 mean 0.1827975244 sd 0.3858881774
//!   tenure_days          coef 0.1893864963 mean 3.7485425525 sd 0.5838252626
//!   mean_spend           coef -0.1909081127 mean 3.2701567138 sd 0.6806444657
//!   overdue_ratio        coef 0.1123194719 mean 0.2223002093 sd 0.5906548873
//!   AUC 0.7297090388 recency 0.7070046650 mean predicted 0.6744383994 base 0.6754773017
//! ```

use chrono::NaiveDate;
use rapport_core::model::churn::{backtest, BacktestReport, CustomerHistory, Dropped, Feature};
use std::collections::BTreeMap;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y%m%d").unwrap()
}

/// One history per customer: `customer_id date number_of_cds dollar_value`.
fn cdnow() -> Vec<CustomerHistory> {
    let text = include_str!("fixtures/churn/CDNOW_master.txt");
    let mut by_customer: BTreeMap<u32, CustomerHistory> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let (id, date, dollars) = (cols[0].parse().unwrap(), day(cols[1]), cols[3].parse().unwrap());
        by_customer.entry(id).or_default().purchases.push((date, dollars));
    }
    by_customer.into_values().collect()
}

fn print(label: &str, r: &BacktestReport) {
    println!(
        "{label}: n {} churned {} base {:.4} mean predicted {:.4}",
        r.customers, r.churned, r.base_rate, r.mean_predicted
    );
    println!("  AUC {:.4}, recency alone {:.4}", r.auc.unwrap(), r.recency_auc.unwrap());
    let m = &r.model;
    println!(
        "  trained at {} over {} days: {} customers, {} churned, hazard shape {:.4}, intercept {:.6}",
        m.training_cutoff, m.window_days, m.customers, m.churned, m.hazard_shape, m.intercept
    );
    for t in &m.terms {
        println!("    {:<22} coef {:+.6}  mean {:.6}  sd {:.6}", t.feature.key(), t.coefficient, t.mean, t.sd);
    }
    for d in &m.dropped {
        println!("    dropped {d:?}");
    }
    for b in &r.calibration {
        println!(
            "  decile {:>2}: n {} predicted {:.3} observed {:.3}",
            b.bin, b.customers, b.mean_predicted, b.observed_rate
        );
    }
    for p in &r.periods {
        println!("  through {} ({:>3} days): predicted {:.3} actual {:.3}", p.end, p.days, p.predicted, p.actual);
    }
}

/// Figures of the Python re-implementation (see the module docs).
struct Reference {
    window_days: i64,
    hazard_shape: f64,
    intercept: f64,
    /// Feature, coefficient, mean, SD.
    terms: &'static [(Feature, f64, f64, f64)],
    auc: f64,
    recency_auc: f64,
    mean_predicted: f64,
    base_rate: f64,
}

fn agrees(r: &BacktestReport, want: &Reference) {
    let close = |what: &str, got: f64, want: f64| assert!((got - want).abs() < 1e-6, "{what}: {got} vs {want}");
    assert_eq!(r.model.window_days, want.window_days);
    close("hazard shape", r.model.hazard_shape, want.hazard_shape);
    close("intercept", r.model.intercept, want.intercept);
    assert_eq!(r.model.terms.len(), want.terms.len());
    for (t, &(feature, coefficient, mean, sd)) in r.model.terms.iter().zip(want.terms) {
        assert_eq!(t.feature, feature);
        close(feature.key(), t.coefficient, coefficient);
        close(feature.key(), t.mean, mean);
        close(feature.key(), t.sd, sd);
    }
    close("AUC", r.auc.unwrap(), want.auc);
    close("recency AUC", r.recency_auc.unwrap(), want.recency_auc);
    close("mean predicted", r.mean_predicted, want.mean_predicted);
    close("base rate", r.base_rate, want.base_rate);
}

#[test]
fn cdnow_september_cutoff() {
    let histories = cdnow();
    assert_eq!(histories.len(), 23_570);
    assert_eq!(histories.iter().map(|h| h.purchases.len()).sum::<usize>(), 69_659);
    let r = backtest(&histories, day("19971001"), day("19980630")).unwrap();
    print("cut-off 1997-10-01, holdout through 1998-06-30", &r);
    assert_eq!((r.customers, r.churned, r.horizon_days), (23_570, 16_512, 273));
    // History starts 1997-01-01, 273 days back: the window is 136 days.
    assert_eq!(r.model.training_cutoff, day("19970518"));
    agrees(
        &r,
        &Reference {
            window_days: 136,
            hazard_shape: 0.6569565170,
            intercept: 1.2592155894,
            terms: &[
                (Feature::DaysSincePurchase, 0.1190863492, 4.2417780979, 0.6879925942),
                (Feature::RepeatPurchases, -0.6519550236, 0.2801229862, 0.4851909423),
                (Feature::TenureDays, 0.0216735022, 4.5233675669, 0.2544922621),
                (Feature::MeanSpend, -0.1584244538, 3.2766071578, 0.6727062997),
                (Feature::OverdueRatio, 0.1023286617, 0.3444178108, 0.7510968512),
                (Feature::Purchases90d, -0.1458626555, 0.5170131183, 0.4915478482),
            ],
            auc: 0.7701379642,
            recency_auc: 0.7594190709,
            mean_predicted: 0.6764712820,
            base_rate: 0.7005515486,
        },
    );
    // Recency alone is the published 0.759 (Pareto/NBD: 0.769).
    assert!((r.recency_auc.unwrap() - 0.759).abs() < 1e-3);
    // Not 0.78: models fitted to the holdout labels themselves (5-fold
    // cross-validated, 18 purchase features) reach 0.767 (gradient boosting)
    // and 0.772 (spline logistic), so these histories hold about 0.77.
    assert!(r.auc.unwrap() >= 0.77);
    // While history is under 180 days, purchases in the last 180 days are
    // all purchases: dropped, or it would be learned as one and scored as
    // the other.
    assert!(matches!(
        r.model.dropped[0],
        Dropped::Collinear { feature: Feature::Purchases180d, with: Feature::RepeatPurchases, .. }
    ));
    assert!(r.model.dropped.contains(&Dropped::Constant { feature: Feature::LastScore }));
}

#[test]
fn cdnow_june_cutoff() {
    let r = backtest(&cdnow(), day("19970701"), day("19980330")).unwrap();
    print("cut-off 1997-07-01, holdout 39 weeks through 1998-03-30", &r);
    assert_eq!((r.horizon_days, r.model.training_cutoff), (273, day("19970402")));
    agrees(
        &r,
        &Reference {
            window_days: 90,
            hazard_shape: 0.6433787281,
            intercept: 1.3456906917,
            terms: &[
                (Feature::DaysSincePurchase, 0.1278770064, 3.5568592688, 0.7311791957),
                (Feature::RepeatPurchases, -0.6677783527, 0.1827975244, 0.3858881774),
                (Feature::TenureDays, 0.1893864963, 3.7485425525, 0.5838252626),
                (Feature::MeanSpend, -0.1909081127, 3.2701567138, 0.6806444657),
                (Feature::OverdueRatio, 0.1123194719, 0.2223002093, 0.5906548873),
            ],
            auc: 0.7297090388,
            recency_auc: 0.7070046650,
            mean_predicted: 0.6744383994,
            base_rate: 0.6754773017,
        },
    );
    assert!(r.auc.unwrap() - r.recency_auc.unwrap() >= 0.02);
}
