//! `rapport bench text`: the text analyser (`rapport_core::text::analyze`)
//! against Python's vaderSentiment 3.3.2, in the same run.
//!
//! Speed: single-thread sentences per second of the analyser on a generated
//! corpus ([`super::text_data::corpus`]) in English and in Spanish, with the
//! language given and detected, and vaderSentiment on the same English
//! sentences (`text_vader.py`, embedded in the binary and written to a
//! temporary directory, run with `$RAPPORT_PYTHON` or `python3`; it runs
//! first, so that `--require-peer` fails before anything else). Each side
//! runs three rounds of a third of `--seconds`, cycling through the
//! sentences, and keeps its best round (the machine may be busy); building
//! the analyser (loading lexicons) is not timed on either side.
//!
//! Accuracy: the share of each labelled set whose sign matches its label
//! (positive when Rapport's score ≥ 0, when VADER's compound ≥ 0), on the
//! same items on both sides; VADER is English-only, so the Spanish set is
//! Rapport's alone. Figures are printed, never asserted.

use super::peer::Peer;
use super::text_data::{self as data, LabelledSet};
use anyhow::{bail, Context, Result};
use rapport_core::lang::Lang;
use rapport_core::text::analyze;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The peer, kept next to this file; it exits with
/// [`super::peer::MODULE_MISSING`] when the `vaderSentiment` module is missing.
const PEER: Peer =
    Peer { file: "text_vader.py", source: include_str!("text_vader.py"), module: "vaderSentiment", install: INSTALL };
/// The version the goals are stated against.
const VADER_VERSION: &str = "3.3.2";
const INSTALL: &str = "pip install vaderSentiment==3.3.2";
/// Timing rounds per measurement; the best one is kept.
const ROUNDS: u32 = 3;
/// Clock reads every this many sentences.
const CHECK_EVERY: usize = 64;
/// The goals of issue 15.
const GOAL_SPEEDUP: f64 = 20.0;
const GOAL_SPANISH: f64 = 0.70;

#[derive(Debug, Clone, clap::Args)]
pub struct TextArgs {
    /// Seconds each throughput measurement runs (four of Rapport's, one of
    /// VADER's).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: u64,
    /// Generated sentences per language.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(100..=10_000_000))]
    pub sentences: u64,
    /// Fail, rather than skip VADER, when Python or its vaderSentiment
    /// module is missing.
    #[arg(long)]
    pub require_peer: bool,
    /// The labelled sets' directory (default: crates/rapport-cli/bench-data/text
    /// of the checkout the binary was built from).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

pub async fn run(args: &TextArgs) -> Result<()> {
    let args = args.clone();
    let result = tokio::task::spawn_blocking(move || bench(&args)).await??;
    eprintln!("{}", result["report"].as_str().unwrap_or_default());
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(())
}

/// Sentences per second of `analyze` over `items` (best of [`ROUNDS`]
/// rounds of `seconds / ROUNDS`), and how many were analysed in all.
fn throughput(items: &[String], lang: Option<Lang>, seconds: f64) -> (f64, u64) {
    let budget = seconds / f64::from(ROUNDS);
    let (mut best, mut total) = (0.0f64, 0u64);
    let mut i = 0;
    for _ in 0..ROUNDS {
        let (mut n, mut checksum) = (0u64, 0.0);
        let start = Instant::now();
        let elapsed = loop {
            for _ in 0..CHECK_EVERY {
                checksum += analyze(&items[i], lang).score;
                i = (i + 1) % items.len();
            }
            n += CHECK_EVERY as u64;
            let e = start.elapsed().as_secs_f64();
            if e >= budget {
                break e;
            }
        };
        std::hint::black_box(checksum);
        total += n;
        best = best.max(n as f64 / elapsed);
    }
    (best, total)
}

fn accuracy(set: &LabelledSet) -> f64 {
    let ok = set.items.iter().filter(|(t, pos)| (analyze(t, Some(set.lang)).score >= 0.0) == *pos).count();
    ok as f64 / set.items.len().max(1) as f64
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

fn bench(args: &TextArgs) -> Result<Value> {
    let seconds = args.seconds as f64;
    let n = args.sentences as usize;
    let dir = args.data.clone().unwrap_or_else(data::default_data_dir);
    let sets = data::labelled_sets(&dir)?;
    let en = data::corpus(Lang::En, n);
    let es = data::corpus(Lang::Es, n);

    eprintln!("bench text: running vaderSentiment");
    let tmp = tempfile::tempdir().context("cannot create a temporary directory")?;
    let english: Vec<&LabelledSet> = sets.iter().filter(|s| s.lang == Lang::En).collect();
    let peer = vader(tmp.path(), &en, &english, seconds)?;
    let vader_value = match &peer {
        Err(why) => {
            if args.require_peer {
                bail!("vaderSentiment is not available ({why}), and --require-peer is set");
            }
            eprintln!("bench text: VADER skipped: {why}");
            json!(format!("not available: {why}"))
        }
        Ok(v) => {
            if v["version"].as_str() != Some(VADER_VERSION) {
                eprintln!("bench text: vaderSentiment {} is not {VADER_VERSION}: {INSTALL}", v["version"]);
            }
            json!({
                "version": v["version"],
                "python": v["python"],
                "sentences_per_second": v["sentences_per_second"].as_f64().map(|x| round(x, 0)),
                "timed": v["timed"],
            })
        }
    };

    // Build the lexicons and the detector's tables before timing.
    analyze("warm up", None);
    analyze("calentamiento", Some(Lang::Es));
    eprintln!("bench text: timing Rapport, 4 × {seconds} s");
    let mut throughput_json = serde_json::Map::new();
    let mut rates = std::collections::BTreeMap::new();
    for (key, items, lang) in [
        ("en", &en, Some(Lang::En)),
        ("en_detected", &en, None),
        ("es", &es, Some(Lang::Es)),
        ("es_detected", &es, None),
    ] {
        let (rate, timed) = throughput(items, lang, seconds);
        rates.insert(key, rate);
        throughput_json.insert(key.into(), json!({"sentences_per_second": round(rate, 0), "timed": timed}));
    }

    eprintln!("bench text: Rapport's accuracy on {} labelled sets", sets.len());
    let rapport_acc: Vec<f64> = sets.iter().map(accuracy).collect();
    let vader_rate = peer.as_ref().ok().and_then(|v| v["sentences_per_second"].as_f64()).filter(|r| *r > 0.0);
    let ratio = |key: &str| vader_rate.map(|v| round(rates[key] / v, 2));

    let mut accuracy_rows = Vec::new();
    let mut english_ok = peer.is_ok();
    for (set, rapport) in sets.iter().zip(&rapport_acc) {
        let vader_acc = match (&peer, set.lang) {
            (_, Lang::Es) => json!("English-only"),
            (Err(_), _) => Value::Null,
            (Ok(v), Lang::En) => {
                let r = &v["sets"][set.name];
                if r["items"].as_u64() != Some(set.items.len() as u64) {
                    bail!("text_vader.py scored {} items of {}, not {}", r["items"], set.name, set.items.len());
                }
                let acc = r["correct"].as_f64().unwrap_or(0.0) / set.items.len().max(1) as f64;
                english_ok &= *rapport >= acc;
                json!(round(acc, 4))
            }
        };
        accuracy_rows.push(json!({
            "set": set.name,
            "language": set.lang.code(),
            "items": set.items.len(),
            "rapport": round(*rapport, 4),
            "vader": vader_acc,
        }));
    }
    let spanish =
        sets.iter().zip(&rapport_acc).filter(|(s, _)| s.lang == Lang::Es).map(|(_, a)| *a).fold(1.0, f64::min);
    let goals = json!({
        "speedup_at_least_20": ratio("en").map(|r| r >= GOAL_SPEEDUP),
        "english_accuracy_at_least_vader_on_every_set": peer.is_ok().then_some(english_ok),
        "spanish_accuracy_at_least_0_70": spanish >= GOAL_SPANISH,
    });

    let mut out = json!({
        "sentences": n,
        "seconds": args.seconds,
        "rapport": throughput_json,
        "vader": vader_value,
        "ratio": ratio("en"),
        "ratio_detected": ratio("en_detected"),
        "accuracy": accuracy_rows,
        "goals": goals,
    });
    out["report"] = json!(report(&out));
    Ok(out)
}

/// The human-readable table printed on stderr (and kept in the JSON).
fn report(v: &Value) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let rate = |key: &str| v["rapport"][key]["sentences_per_second"].as_f64().unwrap_or(0.0);
    let _ = writeln!(s, "Throughput, one thread, {} generated sentences per language:", v["sentences"]);
    let _ = writeln!(s, "  Rapport, English, given:     {:>10.0} sentences/s", rate("en"));
    let _ = writeln!(s, "  Rapport, English, detected:  {:>10.0} sentences/s", rate("en_detected"));
    let _ = writeln!(s, "  Rapport, Spanish, given:     {:>10.0} sentences/s", rate("es"));
    let _ = writeln!(s, "  Rapport, Spanish, detected:  {:>10.0} sentences/s", rate("es_detected"));
    match v["vader"]["sentences_per_second"].as_f64() {
        Some(r) => {
            let _ = writeln!(
                s,
                "  VADER {} (Python {}), English: {r:>6.0} sentences/s  ratio {}× (detected {}×; goal ≥ 20×)",
                v["vader"]["version"].as_str().unwrap_or("?"),
                v["vader"]["python"].as_str().unwrap_or("?"),
                v["ratio"],
                v["ratio_detected"],
            );
        }
        None => {
            let _ = writeln!(
                s,
                "  VADER: {} (set RAPPORT_PYTHON to a Python with it)",
                v["vader"].as_str().unwrap_or("not available")
            );
        }
    }
    let _ = writeln!(s, "Accuracy (positive when score ≥ 0; VADER sets without |mean| < 0.5):");
    let _ = writeln!(s, "  {:<22} {:>7} {:>8} {:>13}", "set", "items", "Rapport", "VADER");
    for row in v["accuracy"].as_array().into_iter().flatten() {
        let vader = match &row["vader"] {
            Value::Number(x) => format!("{:.4}", x.as_f64().unwrap_or(0.0)),
            Value::String(x) => x.clone(),
            _ => "-".into(),
        };
        let _ = writeln!(
            s,
            "  {:<22} {:>7} {:>8.4} {:>13}",
            row["set"].as_str().unwrap_or_default(),
            row["items"].as_u64().unwrap_or(0),
            row["rapport"].as_f64().unwrap_or(0.0),
            vader
        );
    }
    let _ = write!(s, "Goals: {}", v["goals"]);
    s
}

/// Runs the peer: its JSON, or why VADER is not available (Python or the
/// module is missing).
fn vader(dir: &Path, sentences: &[String], sets: &[&LabelledSet], seconds: f64) -> Result<Result<Value, String>> {
    let sets: Vec<Value> = sets.iter().map(|s| json!({"name": s.name, "items": s.items})).collect();
    PEER.run(dir, &json!({"seconds": seconds, "sentences": sentences, "sets": sets}))
}
