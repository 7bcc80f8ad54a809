//! `rapport model refit` and `rapport model evaluate` end to end, on SQLite
//! and (when `RAPPORT_TEST_DATABASE_URL` is set) PostgreSQL: 300 customers'
//! purchases drawn from a BG/NBD process with a fixed seed, dated up to
//! yesterday, imported with `rapport import events`; a refit prints the
//! fitted parameters and stores scores, a back-test prints its AUC (tables
//! and JSON); an organization of five customers is refused with a readable
//! reason, exit code 1, and no scores.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::Db;
use rapport_store::{RunStatus, Store};
use serde_json::Value;
use std::fmt::Write;
use std::sync::Arc;

/// SplitMix64, so that the data do not depend on a crate's version.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (((z ^ (z >> 31)) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        (-2.0 * self.uniform().ln()).sqrt() * (std::f64::consts::TAU * self.uniform()).cos()
    }

    /// Gamma(shape, rate), Marsaglia and Tsang (shape ≥ 1 here).
    fn gamma(&mut self, shape: f64, rate: f64) -> f64 {
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && self.uniform().ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v / rate;
            }
        }
    }

    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a, 1.0);
        x / (x + self.gamma(b, 1.0))
    }
}

/// Purchase events (NDJSON) of `n` customers `{prefix}-{i}`: first
/// purchase 180 to 540 days before `today`, then purchases at a rate
/// λ ~ Gamma(1.5, 6) a week while alive, leaving after each with
/// probability p ~ Beta(1, 4); spend Gamma(6, ν) a purchase, ν ~ Gamma(4, 15).
/// Nothing on or after `today`.
fn purchases(prefix: &str, n: usize, seed: u64, today: NaiveDate) -> String {
    let mut rng = Rng(seed);
    let mut out = String::new();
    for i in 0..n {
        let first = today - Duration::days(180 + (360.0 * rng.uniform()) as i64);
        let per_day = rng.gamma(1.5, 6.0) / 7.0;
        let p = rng.beta(1.0, 4.0);
        let nu = rng.gamma(4.0, 15.0);
        let (mut day, mut k) = (first, 0);
        loop {
            let amount = (rng.gamma(6.0, nu) * 100.0).round() / 100.0;
            let _ = writeln!(
                out,
                r#"{{"id": "{prefix}-{i}-{k}", "type": "purchase", "customer": "{prefix}-{i}", "at": "{day}T12:00:00Z", "amount": {amount}}}"#
            );
            k += 1;
            if k > 1 && rng.uniform() < p {
                break;
            }
            day += Duration::days(1 + (-rng.uniform().ln() / per_day) as i64);
            if day >= today {
                break;
            }
        }
    }
    out
}

/// Creates organization `slug` and imports `n` customers' purchases.
fn load(db: &Db, slug: &str, n: usize, seed: u64, today: NaiveDate) {
    db.ok(&["org", "create", slug, "--name", slug], "");
    let file = db.dir().join(format!("{slug}.ndjson"));
    std::fs::write(&file, purchases(slug, n, seed, today)).expect("write the events");
    let out = db.ok(&["import", "events", &file.display().to_string(), "--org", slug], "");
    assert!(!out.is_empty(), "import prints its counts");
}

async fn store(db: &Db) -> Arc<dyn Store> {
    let args = db.args();
    let url = (args[0] == "--database-url").then(|| args[1].as_str());
    rapport_server::storage::open(url, db.dir()).await.expect("open the store")
}

/// The number after `label` and any spaces in `text` (`r 0.2431,` → 0.2431).
fn number_after(text: &str, label: &str) -> f64 {
    let at = text.find(label).unwrap_or_else(|| panic!("no {label:?} in:\n{text}"));
    let rest = text[at + label.len()..].trim_start();
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).unwrap_or(rest.len());
    rest[..end].parse().unwrap_or_else(|e| panic!("{label:?} is not followed by a number ({e}):\n{text}"))
}

async fn models_flow(db: &Db) {
    let today = Utc::now().date_naive();
    load(db, "acme", 300, 20_260_601, today);
    load(db, "tiny", 5, 7, today);
    let store = store(db).await;
    let acme = store.org_by_slug("acme").await.unwrap().expect("acme");
    let tiny = store.org_by_slug("tiny").await.unwrap().expect("tiny");

    // Refit: parameters, scores stored.
    let out = db.ok(&["model", "refit", "--org", "acme"], "");
    println!("{out}");
    assert!(out.starts_with("acme: refit ") && out.contains(" done in "), "{out}");
    assert!(out.contains("300 customers, 300 scored"), "{out}");
    for label in ["r ", "alpha ", "a ", "b ", "p ", "q ", "v "] {
        let x = number_after(&out, &format!(" {label}"));
        assert!(x.is_finite() && x > 0.0, "{label}{x}: {out}");
    }
    let auc = number_after(&out, "AUC ");
    assert!((0.0..=1.0).contains(&auc), "{out}");
    let scores = store.at_risk(acme.id, None, 1000).await.unwrap();
    assert_eq!(scores.len(), 300, "every customer scored");
    assert!(scores.iter().all(|s| s.p_alive.is_some() && s.lifetime_value.is_some_and(|v| v > 0.0)));
    let runs = store.list_refits(acme.id, 10).await.unwrap();
    assert_eq!((runs.len(), runs[0].status, runs[0].requested_by.as_str()), (1, RunStatus::Done, "cli"));

    // Back-test 90 days ago, holdout through yesterday (the default).
    let cutoff = (today - Duration::days(90)).to_string();
    let out = db.ok(&["model", "evaluate", "--org", "acme", "--cutoff", &cutoff], "");
    println!("{out}");
    let auc = number_after(&out, "AUC ");
    assert!((0.5..=1.0).contains(&auc), "the churn model ranks better than chance: {out}");
    for needle in ["recency-only AUC", "Calibration", "decile", "predicted", "actual", "Repeat purchases"] {
        assert!(out.contains(needle), "{needle}: {out}");
    }
    let json = db.ok(&["model", "evaluate", "--org", "acme", "--cutoff", &cutoff, "--json"], "");
    let v: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("JSON ({e}): {json}"));
    assert_eq!(v["org"], "acme");
    assert_eq!(v["cutoff"], cutoff.as_str());
    assert_eq!(v["holdout_end"], (today - Duration::days(1)).to_string(), "90 days: {v}");
    assert_eq!(v["horizon_days"], 90);
    assert!(v["auc"].as_f64().is_some_and(|a| (0.0..=1.0).contains(&a) && (a - auc).abs() < 1e-4), "{v}");
    assert!(v["recency_auc"].as_f64().is_some_and(|a| (0.0..=1.0).contains(&a)), "{v}");
    let bins = v["calibration"].as_array().expect("calibration");
    assert_eq!(bins.len(), 10, "deciles: {v}");
    assert_eq!(bins.iter().map(|b| b["customers"].as_u64().unwrap()).sum::<u64>(), v["customers"].as_u64().unwrap());
    assert_eq!(v["periods"].as_array().map(Vec::len), Some(3), "three months: {v}");
    let p = &v["purchase"];
    assert!(p["bgnbd"]["r"].as_f64().is_some_and(|r| r > 0.0), "{p}");
    let months = p["months"].as_array().expect("months");
    assert_eq!(months.len(), 3, "{p}");
    let actual: f64 = months.iter().map(|m| m["actual"].as_f64().unwrap()).sum();
    assert_eq!(Some(actual), p["actual"].as_f64(), "{p}");
    let predicted = p["predicted"].as_f64().expect("a prediction");
    assert!(predicted > 0.0 && (predicted / actual - 1.0).abs() < 0.5, "predicted {predicted}, actual {actual}");

    // A given holdout end, and one before the cut-off.
    let end = (today - Duration::days(30)).to_string();
    let json = db.ok(&["model", "evaluate", "--org", "acme", "--cutoff", &cutoff, "--holdout-end", &end, "--json"], "");
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!((v["holdout_end"].as_str(), v["horizon_days"].as_i64()), (Some(end.as_str()), Some(61)));
    let err = db.fails(&["model", "evaluate", "--org", "acme", "--cutoff", &cutoff, "--holdout-end", "2000-01-01"], "");
    assert!(err.starts_with("error: ") && err.contains("before the cut-off"), "{err}");
    let err = db.fails(&["model", "evaluate", "--org", "acme", "--cutoff", "yesterday"], "");
    assert!(err.contains("--cutoff"), "{err}");

    // Five customers: refused, readable, exit code 1, nothing stored.
    let out = db.run(&["model", "refit", "--org", "tiny"], "");
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // (Logs at RUST_LOG=info go to stderr too.)
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "one line: {stderr}");
    assert!(errors[0].starts_with("error: tiny: refit ") && errors[0].contains(" refused: "), "{stderr}");
    assert!(errors[0].contains("too few") && errors[0].contains("at least 30"), "the reasons: {stderr}");
    assert!(store.at_risk(tiny.id, None, 100).await.unwrap().is_empty(), "no scores stored");
    let runs = store.list_refits(tiny.id, 10).await.unwrap();
    assert_eq!(runs[0].status, RunStatus::Failed, "the refusal is recorded as the run's outcome");
    assert!(store.last_fit(tiny.id).await.unwrap().is_none());

    let out = db.run(&["model", "evaluate", "--org", "tiny", "--cutoff", &cutoff], "");
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(common::text(&out.stdout).is_empty());
    assert!(stderr.contains("error: tiny: no back-test at cut-off") && stderr.contains("at least 30"), "{stderr}");

    // Every organization: acme's figures, tiny's refusal, a failure overall.
    let out = db.run(&["model", "refit"], "");
    let (stdout, stderr) = (common::text(&out.stdout), common::text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.starts_with("acme: refit ") && !stdout.contains("tiny"), "{stdout}");
    assert!(stderr.contains("error: tiny: refit") && stderr.contains("1 of 2 refits refused (tiny)"), "{stderr}");
    assert_eq!(store.list_refits(acme.id, 10).await.unwrap().len(), 2);

    let err = db.fails(&["model", "refit", "--org", "nobody"], "");
    assert!(err.contains("nobody"), "{err}");
}

#[tokio::test]
async fn refit_and_evaluate_on_sqlite() {
    models_flow(&Db::sqlite()).await;
}

#[tokio::test]
async fn refit_and_evaluate_on_postgres() {
    let Some(db) = Db::postgres().await else { return };
    models_flow(&db).await;
}
