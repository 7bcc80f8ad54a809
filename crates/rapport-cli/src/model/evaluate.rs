//! `rapport model evaluate --org SLUG --cutoff DATE`: the models' back-test.
//! Every customer is scored at the cut-off (the first day the models do not
//! see) from the data before it, and the scores are held against what
//! happened in the holdout, from the cut-off through `--holdout-end`:
//!
//! - churn (`rapport_core::model::churn::backtest`): AUC for "no purchase,
//!   or a cancellation, in the holdout", the AUC of days since the last
//!   purchase alone (the baseline to beat), calibration in deciles, and the
//!   predicted against the actual share churned from the cut-off to the end
//!   of each month of the holdout;
//! - repeat purchases ([`tracking`]): BG/NBD fitted as a refit fits it
//!   (`BgNbd::fit_regularized`) on the weekly summaries through the day
//!   before the cut-off (lifetimes' `calibration_and_holdout_data`), its
//!   expected repeat purchases over the holdout against the purchase weeks
//!   that happened, in total and month by month, as Fader and Hardie's
//!   tracking plot (the expected purchases of each customer over the weeks
//!   from the calibration end, summed).
//!
//! Histories are read a page of customers at a time. Nothing is stored.
//! A refusal of the churn back-test (too few customers, everyone churned
//! or no one did) is an error; a refusal of the purchase model is shown
//! beside the churn figures.

use crate::db::DbArgs;
use anyhow::{anyhow, bail, Context, Result};
use chrono::{Duration, Months, NaiveDate};
use rapport_core::model::churn::{self, BacktestReport, ChurnError, CustomerHistory};
use rapport_core::model::purchase::{calibration_and_holdout, BgNbd, Period, Summary};
use rapport_server::model::{history, HORIZON_DAYS};
use rapport_store::Store;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;

/// Customers read per page.
pub const PAGE: i64 = 5_000;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Slug of the organization.
    #[arg(long, value_name = "SLUG")]
    pub org: String,
    /// The first day the models do not see (YYYY-MM-DD); the holdout starts
    /// on it.
    #[arg(long, value_name = "DATE")]
    pub cutoff: NaiveDate,
    /// The last day of the holdout, inclusive (YYYY-MM-DD). Default: the
    /// refit's churn horizon, the 90 days from the cut-off.
    #[arg(long, value_name = "DATE")]
    pub holdout_end: Option<NaiveDate>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

/// What the back-test found: the churn report's fields, and the purchase
/// model's tracking.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    #[serde(flatten)]
    pub churn: BacktestReport,
    pub purchase: Tracking,
}

/// BG/NBD's expected repeat purchases in the holdout against what happened.
#[derive(Debug, Clone, Serialize)]
pub struct Tracking {
    /// The last day the fit saw: the day before the cut-off.
    pub calibration_end: NaiveDate,
    /// Customers with a purchase through the calibration end, and of them
    /// those with purchases in more than one week.
    pub customers: usize,
    pub repeat_buyers: usize,
    /// In weeks; fitted as a refit fits it, with the smallest ridge
    /// penalty on the log-parameters that settles (0 where plain maximum
    /// likelihood does, as on CDNOW).
    pub bgnbd: Option<BgNbd>,
    pub penalty: Option<f64>,
    /// Why there is no fit.
    pub error: Option<String>,
    /// Weeks from the calibration end through the holdout end.
    pub holdout_weeks: f64,
    /// Expected repeat purchases (purchase weeks) of those customers in the
    /// holdout, summed; `None` without a fit.
    pub predicted: Option<f64>,
    /// Weeks with a purchase in the holdout, summed over the customers.
    pub actual: f64,
    /// AUC of fewer expected purchases for the churn back-test's outcome,
    /// over these customers: how well BG/NBD alone ranks churners.
    pub auc: Option<f64>,
    /// Month by month, as the churn report's periods.
    pub months: Vec<TrackingRow>,
}

/// One month of the holdout.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrackingRow {
    /// Last day of the month, inclusive (the holdout end for the last).
    pub end: NaiveDate,
    /// Weeks from the calibration end through `end`.
    pub weeks: f64,
    /// Expected and actual repeat purchases in this month.
    pub predicted: Option<f64>,
    pub actual: f64,
    /// The same from the cut-off through `end`.
    pub predicted_cumulative: Option<f64>,
    pub actual_cumulative: f64,
}

pub async fn run(args: &Args) -> Result<()> {
    let cutoff = args.cutoff;
    let holdout_end = args.holdout_end.unwrap_or(cutoff + Duration::days(HORIZON_DAYS - 1));
    if holdout_end < cutoff {
        bail!("the holdout end {holdout_end} is before the cut-off {cutoff}: it must be on or after it");
    }
    let store = args.db.open().await?;
    let org = crate::db::org(store.as_ref(), &args.org).await?;
    let histories =
        read_histories(store.as_ref(), org.id).await.with_context(|| format!("cannot read {}", org.slug))?;
    let customers = histories.len();
    let evaluation = tokio::task::spawn_blocking(move || evaluate(&histories, cutoff, holdout_end))
        .await?
        .map_err(|e| anyhow!("{}: no back-test at cut-off {cutoff} ({customers} customers): {e}", org.slug))?;
    if args.json {
        let mut v = serde_json::to_value(&evaluation)?;
        v["org"] = serde_json::json!(org.slug);
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", render(&org.slug, &evaluation));
    }
    Ok(())
}

/// Every customer's history, a page at a time.
async fn read_histories(store: &dyn Store, org: rapport_core::Id) -> Result<Vec<CustomerHistory>> {
    let surveys: HashMap<_, _> = store.list_surveys(org).await?.into_iter().map(|s| (s.id, s.questions)).collect();
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = store.model_histories(org, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.customer_id;
        out.extend(page.iter().map(|h| history::churn_history(h, &surveys)));
    }
    Ok(out)
}

/// The back-test of both models at `cutoff`, holdout through `holdout_end`.
pub fn evaluate(
    histories: &[CustomerHistory],
    cutoff: NaiveDate,
    holdout_end: NaiveDate,
) -> Result<Evaluation, ChurnError> {
    let churn = churn::backtest(histories, cutoff, holdout_end)?;
    let purchase = tracking(histories, cutoff, holdout_end);
    Ok(Evaluation { churn, purchase })
}

/// The last day of each month of the holdout counted from the cut-off,
/// then the holdout end (as the churn report's periods).
fn month_ends(cutoff: NaiveDate, holdout_end: NaiveDate) -> Vec<NaiveDate> {
    let mut ends: Vec<NaiveDate> = (1..)
        .map_while(|k| cutoff.checked_add_months(Months::new(k)))
        .map(|next| next - Duration::days(1))
        .take_while(|end| *end < holdout_end)
        .collect();
    ends.push(holdout_end);
    ends
}

/// BG/NBD on the weekly summaries through the day before `cutoff`, and
/// its expected repeat purchases against the actual ones month by month.
pub fn tracking(histories: &[CustomerHistory], cutoff: NaiveDate, holdout_end: NaiveDate) -> Tracking {
    let calibration_end = cutoff - Duration::days(1);
    let ends = month_ends(cutoff, holdout_end);
    let weeks: Vec<f64> = ends.iter().map(|e| (*e - calibration_end).num_days() as f64 / 7.0).collect();
    let holdout_weeks = weeks.last().copied().unwrap_or(0.0);
    let after = holdout_end.succ_opt().unwrap_or(holdout_end);
    // Per customer: the calibration summary, the holdout's purchase weeks
    // through each month end, and the churn outcome.
    let mut rows: Vec<(Summary, Vec<f64>, bool)> = Vec::new();
    let mut error = None;
    for h in histories {
        let split = |end: NaiveDate| calibration_and_holdout(&h.purchases, calibration_end, end, Period::Week);
        match split(holdout_end) {
            Ok(Some((summary, _))) => {
                let cumulative =
                    ends.iter().map(|e| split(*e).ok().flatten().map_or(0.0, |(_, held)| held.frequency)).collect();
                rows.push((summary, cumulative, h.churned(cutoff, after)));
            }
            Ok(None) => {}
            Err(e) => {
                error.get_or_insert_with(|| e.to_string());
            }
        }
    }
    let summaries: Vec<Summary> = rows.iter().map(|r| r.0).collect();
    let fit = match error {
        Some(e) => Err(e),
        None => BgNbd::fit_regularized(&summaries).map_err(|e| e.to_string()),
    };
    let bg = fit.as_ref().ok().map(|(bg, _)| bg);
    // Cumulative expected purchases through each month end.
    let predicted: Option<Vec<f64>> =
        bg.map(|bg| weeks.iter().map(|&w| summaries.iter().map(|s| bg.expected_purchases(s, w)).sum()).collect());
    let actual: Vec<f64> = (0..ends.len()).map(|k| rows.iter().map(|r| r.1[k]).sum()).collect();
    let auc = bg.and_then(|bg| {
        let scored: Vec<(f64, bool)> =
            rows.iter().map(|(s, _, churned)| (-bg.expected_purchases(s, holdout_weeks), *churned)).collect();
        churn::auc(&scored)
    });
    let months = (0..ends.len())
        .map(|k| {
            let before = |v: &[f64]| if k == 0 { 0.0 } else { v[k - 1] };
            TrackingRow {
                end: ends[k],
                weeks: weeks[k],
                predicted: predicted.as_ref().map(|p| p[k] - before(p)),
                actual: actual[k] - before(&actual),
                predicted_cumulative: predicted.as_ref().map(|p| p[k]),
                actual_cumulative: actual[k],
            }
        })
        .collect();
    Tracking {
        calibration_end,
        customers: rows.len(),
        repeat_buyers: summaries.iter().filter(|s| s.frequency > 0.0).count(),
        bgnbd: bg.copied(),
        penalty: fit.as_ref().ok().map(|(_, penalty)| *penalty),
        error: fit.err(),
        holdout_weeks,
        predicted: predicted.as_ref().and_then(|p| p.last().copied()),
        actual: actual.last().copied().unwrap_or(0.0),
        auc,
        months,
    }
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{x:.digits$}"))
}

/// The tables `rapport model evaluate` prints.
pub fn render(slug: &str, e: &Evaluation) -> String {
    let mut s = String::new();
    let c = &e.churn;
    let share = |x: f64| format!("{:.1}%", 100.0 * x);
    let _ = writeln!(
        s,
        "{slug}: back-test at cut-off {} (the models saw the days before it), holdout {} through {} ({} days)",
        c.cutoff, c.cutoff, c.holdout_end, c.horizon_days
    );
    let _ = writeln!(s, "\nChurn (no purchase, or a cancellation, in the holdout)");
    let _ = writeln!(
        s,
        "  customers scored  {:>8}   churned {} ({}), mean predicted {}",
        c.customers,
        c.churned,
        share(c.base_rate),
        share(c.mean_predicted)
    );
    let _ = writeln!(s, "  AUC               {:>8}", opt(c.auc, 4));
    let _ = writeln!(s, "  recency-only AUC  {:>8}   (days since the last purchase alone)", opt(c.recency_auc, 4));
    let m = &c.model;
    let _ = writeln!(
        s,
        "  trained at {} on {} customers over {} days ({} churned), {} features, hazard shape {:.3}",
        m.training_cutoff,
        m.customers,
        m.window_days,
        m.churned,
        m.terms.len(),
        m.hazard_shape
    );
    let _ = writeln!(s, "\n  Calibration (deciles of predicted risk)");
    let _ = writeln!(
        s,
        "  {:>6} {:>9} {:>17} {:>9} {:>9}",
        "decile", "customers", "predicted range", "predicted", "observed"
    );
    for b in &c.calibration {
        let _ = writeln!(
            s,
            "  {:>6} {:>9} {:>8.3}-{:<8.3} {:>9.3} {:>9.3}",
            b.bin, b.customers, b.min_predicted, b.max_predicted, b.mean_predicted, b.observed_rate
        );
    }
    let _ = writeln!(s, "\n  Churned from the cut-off through each month's end (share of customers)");
    let _ = writeln!(s, "  {:>10} {:>5} {:>9} {:>9}", "through", "days", "predicted", "actual");
    for p in &c.periods {
        let _ = writeln!(s, "  {:>10} {:>5} {:>9.3} {:>9.3}", p.end, p.days, p.predicted, p.actual);
    }

    let t = &e.purchase;
    let _ = writeln!(s, "\nRepeat purchases (BG/NBD on weekly summaries through {})", t.calibration_end);
    let _ = writeln!(s, "  customers {} ({} repeat buyers)", t.customers, t.repeat_buyers);
    match (&t.bgnbd, &t.error) {
        (Some(bg), _) => {
            let ridge = match t.penalty {
                Some(p) if p > 0.0 => format!(" (ridge penalty {p} on the log-parameters)"),
                _ => String::new(),
            };
            let _ = writeln!(s, "  r {:.4}, alpha {:.4}, a {:.4}, b {:.4}{ridge}", bg.r, bg.alpha, bg.a, bg.b);
        }
        (None, Some(why)) => {
            let _ = writeln!(s, "  not fitted: {why}");
        }
        (None, None) => {}
    }
    let _ = writeln!(s, "  AUC of expected purchases for churn: {}", opt(t.auc, 4));
    let _ = writeln!(
        s,
        "  {:>10} {:>6} {:>10} {:>8} {:>12} {:>10}",
        "month to", "weeks", "predicted", "actual", "cum. pred.", "cum. act."
    );
    for r in &t.months {
        let _ = writeln!(
            s,
            "  {:>10} {:>6.1} {:>10} {:>8.0} {:>12} {:>10.0}",
            r.end,
            r.weeks,
            opt(r.predicted, 1),
            r.actual,
            opt(r.predicted_cumulative, 1),
            r.actual_cumulative
        );
    }
    let ratio = t.predicted.filter(|_| t.actual > 0.0).map(|p| format!(" ({:+.1}%)", 100.0 * (p / t.actual - 1.0)));
    let _ = writeln!(
        s,
        "  total over {:.1} weeks: predicted {}, actual {:.0}{}",
        t.holdout_weeks,
        opt(t.predicted, 1),
        t.actual,
        ratio.unwrap_or_default()
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_run_from_the_cutoff_to_the_holdout_end() {
        let ends = month_ends(day("1997-10-01"), day("1998-06-30"));
        assert_eq!(ends.first(), Some(&day("1997-10-31")));
        assert_eq!(ends.last(), Some(&day("1998-06-30")));
        assert_eq!(ends.len(), 9);
        assert_eq!(month_ends(day("2026-01-15"), day("2026-01-20")), vec![day("2026-01-20")]);
    }

    #[test]
    fn tracking_counts_purchase_weeks_after_the_calibration_end() {
        // Customer 1 buys before and twice in the holdout (two weeks);
        // customer 2 first buys in the holdout, so is left out.
        let h1 = CustomerHistory {
            purchases: vec![(day("2026-01-05"), 10.0), (day("2026-02-03"), 5.0), (day("2026-03-10"), 5.0)],
            ..Default::default()
        };
        let h2 = CustomerHistory { purchases: vec![(day("2026-02-10"), 1.0)], ..Default::default() };
        let t = tracking(&[h1, h2], day("2026-02-01"), day("2026-04-30"));
        assert_eq!((t.customers, t.repeat_buyers, t.actual), (1, 0, 2.0));
        assert_eq!(t.months.iter().map(|m| m.actual).collect::<Vec<_>>(), vec![1.0, 1.0, 0.0]);
        assert!(t.bgnbd.is_none() && t.error.as_deref().is_some_and(|e| e.contains("too few")), "{t:?}");
        assert_eq!(t.holdout_weeks, 89.0 / 7.0);
    }
}
