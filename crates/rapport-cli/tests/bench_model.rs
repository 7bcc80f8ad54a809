//! `rapport bench model --customers 20000`: the figures it prints parse and
//! are those of CDNOW (the sample's fits within 0.5% of the published
//! parameters, the back-test's AUC and recency AUC), and lifetimes beside
//! them when `$RAPPORT_PYTHON` (or `python3`) can import lifetimes 0.11.3;
//! under CI it must (`.ci/run` installs it into a venv), so the peer is
//! required there. Speeds and ratios are printed, not asserted.

mod common;

use common::{in_ci, missing, rapport, text};
use serde_json::Value;

const PUBLISHED_BGNBD: [(&str, f64); 4] = [("r", 0.243), ("alpha", 4.414), ("a", 0.793), ("b", 2.426)];
const PUBLISHED_GAMMA_GAMMA: [(&str, f64); 3] = [("p", 6.25), ("q", 3.74), ("v", 15.44)];

fn bench_model(args: &[&str], python: Option<&str>) -> std::process::Output {
    let mut cmd = rapport();
    cmd.args(["bench", "model", "--customers", "20000"]).args(args);
    if let Some(p) = python {
        cmd.env("RAPPORT_PYTHON", p);
    }
    cmd.output().expect("run rapport bench model")
}

fn json_of(out: &std::process::Output) -> Value {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "bench model failed:\nstdout: {stdout}\nstderr: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON ({e}): {stdout}\nstderr: {stderr}"))
}

fn rel(x: f64, y: f64) -> f64 {
    (x - y).abs() / y.abs()
}

/// The number after `label` and any spaces in `report`.
fn number_after(report: &str, label: &str) -> f64 {
    let at = report.find(label).unwrap_or_else(|| panic!("no {label:?} in the report:\n{report}"));
    let rest = report[at + label.len()..].trim_start();
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    rest[..end].parse().unwrap_or_else(|e| panic!("{label:?} is not followed by a number ({e}):\n{report}"))
}

/// Rapport's figures, which every run prints.
fn assert_rapport_figures(v: &Value) {
    let sample = &v["fit_and_score"]["sample"];
    assert_eq!((sample["customers"].as_u64(), sample["repeat_buyers"].as_u64()), (Some(2357), Some(946)), "{v}");
    let ours = &sample["rapport"];
    for (k, published) in PUBLISHED_BGNBD {
        let got = ours["bgnbd"][k].as_f64().unwrap_or_else(|| panic!("BG/NBD {k}: {v}"));
        assert!(rel(got, published) < 0.005, "BG/NBD {k} = {got}, published {published}");
    }
    for (k, published) in PUBLISHED_GAMMA_GAMMA {
        let got = ours["gamma_gamma"][k].as_f64().unwrap_or_else(|| panic!("Gamma-Gamma {k}: {v}"));
        assert!(rel(got, published) < 0.005, "Gamma-Gamma {k} = {got}, published {published}");
    }
    let master = &v["fit_and_score"]["master"];
    assert_eq!(master["customers"], 23_570, "{v}");
    for side in [sample, master] {
        for k in ["fit_bgnbd", "fit_gamma_gamma", "score", "fit_and_score"] {
            assert!(side["rapport"]["seconds"][k].as_f64().is_some_and(|s| s > 0.0), "{k}: {v}");
        }
    }
    assert!(master["rapport"]["seconds"]["summary"].as_f64().is_some_and(|s| s > 0.0), "{v}");

    let scale = &v["scale"];
    assert_eq!(scale["customers"], 20_000, "{v}");
    assert!(scale["score_seconds"].as_f64().is_some_and(|s| s > 0.0), "{v}");
    assert!(scale["seconds_per_million"].as_f64().is_some_and(|s| s > 0.0), "{v}");
    let repeat = scale["repeat_buyers"].as_u64().unwrap();
    assert!((4_000..16_000).contains(&repeat), "about 40% of generated customers buy again: {repeat}");

    let b = &v["backtest"];
    assert_eq!((b["cutoff"].as_str(), b["holdout_end"].as_str()), (Some("1997-10-01"), Some("1998-06-30")));
    assert_eq!((b["customers"].as_u64(), b["churned"].as_u64()), (Some(23_570), Some(16_512)), "{v}");
    let auc = b["auc"].as_f64().expect("an AUC");
    assert!((0.76..=0.78).contains(&auc), "AUC on CDNOW {auc}, expected about 0.770");
    let recency = b["recency_auc"].as_f64().expect("a recency AUC");
    assert!((recency - 0.759).abs() < 1e-3, "recency-only AUC {recency}, published 0.759");
    assert_eq!(b["calibration"].as_array().map(Vec::len), Some(10), "{v}");
    let p = &b["purchase"];
    assert_eq!(p["holdout_weeks"], 39.0, "{v}");
    assert!(p["predicted"].as_f64().is_some_and(|x| x > 0.0) && p["actual"].as_f64().is_some_and(|x| x > 0.0));

    // The table says the same.
    let report = v["report"].as_str().unwrap_or_default();
    assert!((number_after(report, "AUC") - auc).abs() < 1e-4, "{report}");
    assert!((number_after(report, "BG/NBD r ") - 0.243).abs() < 0.0015, "{report}");
    assert!((number_after(report, "BG/NBD alpha ") - 4.414).abs() < 0.022, "{report}");
    assert!((number_after(report, "BG/NBD a ") - 0.793).abs() < 0.004, "{report}");
    assert!((number_after(report, "BG/NBD b ") - 2.426).abs() < 0.012, "{report}");
    for needle in ["(a) CDNOW sample", "(a) CDNOW master log", "(b) 20000 generated customers", "(c) churn back-test"] {
        assert!(report.contains(needle), "{needle} in the report:\n{report}");
    }
    assert!(v["goals"]["sample_bgnbd_within_0_5_percent_of_published"] == true, "{v}");
}

#[test]
fn bench_model_prints_fits_speeds_and_the_backtest_beside_lifetimes() {
    let args: &[&str] = if in_ci() { &["--require-peer"] } else { &[] };
    let v = json_of(&bench_model(args, None));
    assert_rapport_figures(&v);
    let report = v["report"].as_str().unwrap_or_default();
    println!("{report}");
    match &v["lifetimes"] {
        Value::String(s) => {
            assert!(s.starts_with("not available: ") && s.contains("pip install lifetimes==0.11.3"), "{v}");
            assert!(report.contains("lifetimes skipped"), "{report}");
            for key in ["sample", "master"] {
                let side = &v["fit_and_score"][key];
                assert!(side["ratio"].is_null() && side["lifetimes"].is_null(), "{v}");
            }
            missing("the lifetimes peer (set RAPPORT_PYTHON to a Python with lifetimes==0.11.3)");
        }
        peer => {
            assert_eq!(peer["version"], "0.11.3", "{v}");
            for key in ["sample", "master"] {
                let side = &v["fit_and_score"][key];
                let ours = side["rapport"]["seconds"]["fit_and_score"].as_f64().unwrap();
                let theirs = side["lifetimes"]["seconds"]["fit_and_score"].as_f64().expect("lifetimes' time");
                let ratio = side["ratio"]["fit_and_score"].as_f64().expect("a ratio");
                assert!((ratio - theirs / ours).abs() <= 0.05 + 0.01 * ratio, "lifetimes' time over ours: {side}");
                // The same fits: lifetimes' parameters and scores.
                let a = &side["agreement"];
                assert!(a["bgnbd_parameters"].as_f64().is_some_and(|d| d < 1e-4), "{key}: {a}");
                assert!(a["gamma_gamma_parameters"].as_f64().is_some_and(|d| d < 1e-4), "{key}: {a}");
                assert!(a["score_sums"].as_f64().is_some_and(|d| d < 1e-4), "{key}: {a}");
            }
            assert!(report.contains("ratio") && report.contains("(goal ≥ 10×)"), "{report}");
            let printed = number_after(report, "fit and score");
            assert!(printed > 0.0, "{report}");
            assert!(v["goals"]["fit_and_score_speedup_at_least_10"]["master"].is_boolean(), "{v}");
        }
    }
}

#[test]
fn bench_model_without_the_peer_skips_it_or_fails_when_required() {
    let out = bench_model(&["--require-peer"], Some("/nonexistent/python3"));
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "--require-peer without a peer must fail: {stderr}");
    assert!(stderr.contains("--require-peer") && stderr.contains("pip install lifetimes==0.11.3"), "{stderr}");

    let v = json_of(&bench_model(&[], Some("/nonexistent/python3")));
    assert_rapport_figures(&v);
    let s = v["lifetimes"].as_str().unwrap_or_default();
    assert!(s.starts_with("not available: /nonexistent/python3 not found"), "{v}");
    assert!(v["fit_and_score"]["sample"]["ratio"].is_null(), "{v}");
    assert!(v["goals"]["fit_and_score_speedup_at_least_10"]["sample"].is_null(), "{v}");
}
