//! `rapport bench text --seconds 1`: the figures and accuracies it prints
//! (their values are not asserted, beyond sanity and a floor on Rapport's
//! UCI accuracy against regressions), and VADER beside them when
//! `$RAPPORT_PYTHON` (or `python3`) can import vaderSentiment; under CI it
//! must (`.ci/run` installs it into a venv), so the peer is required there.

mod common;

use common::{in_ci, missing, rapport, text};
use serde_json::Value;

const UCI: [&str; 3] = ["uci_amazon", "uci_imdb", "uci_yelp"];
const ENGLISH: [&str; 7] = [
    "uci_amazon",
    "uci_imdb",
    "uci_yelp",
    "vader_amazon_reviews",
    "vader_movie_reviews",
    "vader_nyt_editorials",
    "vader_tweets",
];

fn bench_text(args: &[&str], python: Option<&str>) -> std::process::Output {
    let mut cmd = rapport();
    cmd.args(["bench", "text", "--seconds", "1", "--sentences", "2000"]).args(args);
    if let Some(p) = python {
        cmd.env("RAPPORT_PYTHON", p);
    }
    cmd.output().expect("run rapport bench text")
}

fn json_of(out: &std::process::Output) -> Value {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "bench text failed:\nstdout: {stdout}\nstderr: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON ({e}): {stdout}\nstderr: {stderr}"))
}

fn is_share(v: &Value) -> bool {
    v.as_f64().is_some_and(|x| (0.0..=1.0).contains(&x))
}

/// Rapport's figures, which every run prints.
fn assert_rapport_figures(v: &Value) {
    assert_eq!(v["sentences"], 2000, "{v}");
    for key in ["en", "en_detected", "es", "es_detected"] {
        let r = &v["rapport"][key];
        assert!(r["sentences_per_second"].as_f64().is_some_and(|x| x > 0.0), "{key}: {v}");
        assert!(r["timed"].as_u64().is_some_and(|n| n > 0), "{key}: {v}");
    }
    let rows = v["accuracy"].as_array().expect("accuracy rows");
    let row = |name: &str| rows.iter().find(|r| r["set"] == name).unwrap_or_else(|| panic!("no {name}: {v}"));
    for name in ENGLISH.iter().chain(&["rapport_es"]) {
        let r = row(name);
        assert!(r["items"].as_u64().is_some_and(|n| n >= 100), "{name}: {r}");
        assert!(is_share(&r["rapport"]), "{name}: {r}");
    }
    for name in UCI {
        assert_eq!(row(name)["items"], 1000, "{v}");
        let acc = row(name)["rapport"].as_f64().unwrap();
        assert!(acc >= 0.7, "Rapport's accuracy on {name} fell to {acc} (floor 0.7)");
    }
    assert_eq!(row("rapport_es")["vader"], "English-only", "{v}");
    let report = v["report"].as_str().unwrap_or_default();
    for needle in ["sentences/s", "uci_amazon", "rapport_es", "Goals"] {
        assert!(report.contains(needle), "{needle} in the report:\n{report}");
    }
}

#[test]
fn bench_text_prints_speed_and_accuracy_beside_vader() {
    let args: &[&str] = if in_ci() { &["--require-peer"] } else { &[] };
    let v = json_of(&bench_text(args, None));
    assert_rapport_figures(&v);
    println!("{}", v["report"].as_str().unwrap_or_default());
    let rows = v["accuracy"].as_array().unwrap();
    match &v["vader"] {
        Value::String(s) => {
            assert!(s.starts_with("not available: ") && s.contains("pip install vaderSentiment==3.3.2"), "{v}");
            assert!(v["ratio"].is_null(), "{v}");
            assert!(rows.iter().filter(|r| r["language"] == "en").all(|r| r["vader"].is_null()), "{v}");
            missing("the VADER peer (set RAPPORT_PYTHON to a Python with vaderSentiment==3.3.2)");
        }
        vader => {
            assert_eq!(vader["version"], "3.3.2", "{v}");
            let rate = vader["sentences_per_second"].as_f64().expect("VADER's rate");
            assert!(rate > 0.0, "{v}");
            let ratio = v["ratio"].as_f64().expect("a ratio");
            let rapport = v["rapport"]["en"]["sentences_per_second"].as_f64().unwrap();
            assert!((ratio - rapport / rate).abs() <= 0.01 * ratio.max(1.0), "ratio is Rapport's over VADER's: {v}");
            for r in rows.iter().filter(|r| r["language"] == "en") {
                assert!(is_share(&r["vader"]), "{r}");
            }
            assert!(v["goals"]["english_accuracy_at_least_vader_on_every_set"].is_boolean(), "{v}");
        }
    }
}

#[test]
fn bench_text_without_the_peer_skips_it_or_fails_when_required() {
    let v = json_of(&bench_text(&[], Some("/nonexistent/python3")));
    assert_rapport_figures(&v);
    let s = v["vader"].as_str().unwrap_or_default();
    assert!(s.starts_with("not available: /nonexistent/python3 not found"), "{v}");
    assert!(v["ratio"].is_null() && v["goals"]["speedup_at_least_20"].is_null(), "{v}");

    let out = bench_text(&["--require-peer"], Some("/nonexistent/python3"));
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "--require-peer without a peer must fail: {stderr}");
    assert!(stderr.contains("--require-peer") && stderr.contains("pip install vaderSentiment==3.3.2"), "{stderr}");
}
