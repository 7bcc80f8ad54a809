//! `rapport model refit`: runs a refit of the purchase, churn and key-driver
//! models now, in this process, for one organization or all, and prints
//! what it found (or why it was refused). The server's refits run the same
//! code (`rapport_server::model::refit_now`); the run is recorded as theirs
//! are, so the web pages show it.
//!
//! `rapport model evaluate`: the back-test of the churn and purchase models
//! at a past cut-off, against what happened after it ([`evaluate`]).

pub mod evaluate;

use crate::db::DbArgs;
use anyhow::{bail, Context, Result};
use rapport_store::{ModelRun, RunStatus};
use serde_json::Value;

/// Who a refit from this command is recorded as requested by.
const REQUESTED_BY: &str = "cli";

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Refit the models now (purchases, churn, key drivers) and store the
    /// scores, as the daily refit does; prints the parameters and the
    /// back-test. Fails when a refit is refused.
    Refit {
        /// Only this organization (its slug); all when absent.
        #[arg(long)]
        org: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Back-test at a past cut-off: score every customer from the data
    /// before it, and compare with what happened in the holdout after it
    /// (churn AUC, calibration deciles, predicted against actual churn and
    /// repeat purchases per month). Stores nothing.
    Evaluate(evaluate::Args),
}

pub async fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Refit { org, db } => refit(org.as_deref(), &db).await,
        Command::Evaluate(args) => evaluate::run(&args).await,
    }
}

async fn refit(slug: Option<&str>, db: &DbArgs) -> Result<()> {
    let store = db.open().await?;
    let orgs = crate::db::orgs(store.as_ref(), slug).await?;
    let state = rapport_server::AppState::new(store, rapport_server::state::Config::default());
    let mut failed = Vec::new();
    for o in &orgs {
        let started = std::time::Instant::now();
        let run = rapport_server::model::refit_now(&state, o.id, REQUESTED_BY)
            .await
            .with_context(|| format!("cannot refit {}", o.slug))?;
        let seconds = started.elapsed().as_secs_f64();
        match run.status {
            RunStatus::Done => println!("{}", describe(&o.slug, &run, seconds)),
            _ => {
                let why = run.error.as_deref().unwrap_or("no reason was recorded");
                // Said at once: with several organizations the others go on.
                if orgs.len() > 1 {
                    eprintln!("error: {}: refit {} refused: {why}", o.slug, run.id);
                }
                failed.push((o.slug.clone(), run.id, why.to_string()));
            }
        }
    }
    match failed.as_slice() {
        [] => Ok(()),
        [(slug, id, why)] if orgs.len() == 1 => bail!("{slug}: refit {id} refused: {why}"),
        _ => {
            let names: Vec<&str> = failed.iter().map(|f| f.0.as_str()).collect();
            bail!("{} of {} refits refused ({})", failed.len(), orgs.len(), names.join(", "))
        }
    }
}

/// A finished run's summary as lines: counts, parameters, the back-test.
/// Read from the stored JSON, so that it shows whatever the run stored.
fn describe(slug: &str, run: &ModelRun, seconds: f64) -> String {
    let empty = Value::Null;
    let s = run.summary.as_ref().unwrap_or(&empty);
    let num = |v: &Value| v.as_f64().map_or_else(|| "-".to_string(), |x| format!("{x:.4}"));
    let mut lines = vec![format!(
        "{slug}: refit {} done in {seconds:.1} s: {} customers, {} scored (cut-off {}, the first day not seen)",
        run.id,
        s["customers"].as_u64().unwrap_or(0),
        s["scored"].as_u64().unwrap_or(0),
        s["cutoff"].as_str().unwrap_or("-"),
    )];
    let period = match s["period_days"].as_u64() {
        Some(7) => "weeks".to_string(),
        Some(1) => "days".to_string(),
        Some(n) => format!("periods of {n} days"),
        None => "periods".to_string(),
    };
    let bg = &s["bgnbd"];
    let ridge = match s["bgnbd_penalty"].as_f64() {
        Some(p) if p > 0.0 => format!(", ridge penalty {p} on the log-parameters"),
        _ => String::new(),
    };
    lines.push(if bg.is_object() {
        format!(
            "  BG/NBD ({period}{ridge}): r {}, alpha {}, a {}, b {}",
            num(&bg["r"]),
            num(&bg["alpha"]),
            num(&bg["a"]),
            num(&bg["b"])
        )
    } else {
        format!("  BG/NBD: not fitted: {}", s["purchase_error"].as_str().unwrap_or("no reason was recorded"))
    });
    let gg = &s["gamma_gamma"];
    lines.push(if gg.is_object() {
        format!("  Gamma-Gamma spend: p {}, q {}, v {}", num(&gg["p"]), num(&gg["q"]), num(&gg["v"]))
    } else {
        format!("  Gamma-Gamma spend: not fitted: {}", s["spend_error"].as_str().unwrap_or("no reason was recorded"))
    });
    let churn = &s["churn"];
    lines.push(if churn.is_object() {
        format!(
            "  churn model: {} features, trained on {} customers over {} days",
            churn["terms"].as_array().map_or(0, Vec::len),
            churn["customers"].as_u64().unwrap_or(0),
            churn["window_days"].as_u64().unwrap_or(0),
        )
    } else {
        format!("  churn model: not fitted: {}", s["churn_error"].as_str().unwrap_or("no reason was recorded"))
    });
    let b = &s["backtest"];
    lines.push(if b.is_object() {
        format!(
            "  back-test (cut-off {}, holdout through {}): AUC {} (days since the last purchase alone: {}), {} customers, {} churned",
            b["cutoff"].as_str().unwrap_or("-"),
            b["holdout_end"].as_str().unwrap_or("-"),
            num(&b["auc"]),
            num(&b["recency_auc"]),
            b["customers"].as_u64().unwrap_or(0),
            b["churned"].as_u64().unwrap_or(0),
        )
    } else {
        format!(
            "  back-test: none (the churn model could not be trained {} days before the cut-off)",
            s["horizon_days"].as_i64().unwrap_or(0)
        )
    });
    if let Some(n) = s["driver_analyses"].as_u64() {
        lines.push(format!("  key drivers: {n} analyses"));
    }
    lines.join("\n")
}
