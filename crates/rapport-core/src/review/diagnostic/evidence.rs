//! What Rapport already knows about a question: beside some questions, a
//! suggestion with its figure and how strongly it points (the person
//! answering still decides the score).
//!
//! Which question gets which evidence:
//! - q12 "proactively solicit feedback at your key touchpoints" → the
//!   touchpoints a listening post covers, of all on the journey map;
//! - q13 "immediately respond to customer complaints … no matter what
//!   channel" → the share of cases answered within the first-response
//!   promise (last 90 days), overall and on the weakest channel
//!   (touchpoint);
//! - q14 "mapped all your customer touchpoints" → the touchpoints on the
//!   journey map and the listening gaps (touchpoints nobody listens at);
//! - q15 "who owns each customer touchpoint" → ownership coverage of the
//!   touchpoints;
//! - q16 "a list of perfect customer behaviors" → how many are defined;
//! - q17 "your ROCE model" → whether leaders set the model's inputs;
//! - q18 "the costs associated with poor service" → the ROCE cost of poor
//!   service; q19 "cost to acquire versus retain" → its acquisition to
//!   retention ratio; q20 "price-related versus service-related
//!   defection" → its shares of defection reasons (from the last refit).
//!
//! How it is judged: `strong` when the figure shows the practice in place
//! (every touchpoint heard or owned, 90% of promises kept everywhere with
//! no channel under 80%, inputs set by leaders), `partial` when it is
//! under way, `weak` when the figure shows it missing; `None` when there is
//! nothing to judge yet (no case promise decided).

use crate::Id;
use serde::Serialize;
use std::collections::BTreeMap;

/// The promise figures of one channel (touchpoint) or of all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PromiseFigure {
    pub name: String,
    /// Cases whose first-response promise is decided.
    pub decided: i64,
    /// Of them, answered within the promise.
    pub in_time: i64,
}

/// The ROCE model's figures that bear on the financial questions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoceEvidence {
    /// Leaders have set the model's inputs (else common defaults are used).
    pub inputs_set: bool,
    /// A refit has stored the facts the figures below come from.
    pub fitted: bool,
    pub cost_of_poor_service: f64,
    pub acquisition_to_retention: Option<f64>,
    pub price_share: Option<f64>,
    pub service_share: Option<f64>,
}

/// The figures the server gathers; each `None` when not known.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvidenceFigures {
    pub touchpoints: Option<i64>,
    /// Touchpoints no listening post covers.
    pub listening_gaps: Option<i64>,
    /// Touchpoints with an active owner, and all touchpoints.
    pub owned_touchpoints: Option<(i64, i64)>,
    pub promise_overall: Option<PromiseFigure>,
    pub promise_by_channel: Vec<(Id, PromiseFigure)>,
    pub perfect_behaviours: Option<i64>,
    pub roce: Option<RoceEvidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticSignal {
    Strong,
    Partial,
    Weak,
}

/// A suggestion beside a question; its words are the catalogue's
/// `diagnostic-evidence-<kind>` with `figures` (and `channel`) as arguments.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticSuggestion {
    pub question: &'static str,
    pub kind: &'static str,
    pub signal: Option<DiagnosticSignal>,
    /// Named figures; percentages are 0–100, rounded to whole numbers.
    pub figures: BTreeMap<String, f64>,
    /// The weakest channel's name, for `promise`.
    pub channel: Option<String>,
    /// The page that holds the evidence.
    pub link: &'static str,
}

/// Every `kind` a suggestion may have (each a catalogue message).
pub const KINDS: [&str; 16] = [
    "listening",
    "listening-empty",
    "journey",
    "journey-empty",
    "promise",
    "promise-none",
    "ownership",
    "ownership-empty",
    "behaviours",
    "behaviours-none",
    "roce-inputs",
    "roce-defaults",
    "roce-cost",
    "roce-acquisition",
    "roce-defection",
    "roce-defection-none",
];

fn pct(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 100.0 / whole as f64).round()
    }
}

fn share(p: &PromiseFigure) -> Option<f64> {
    (p.decided > 0).then(|| p.in_time as f64 / p.decided as f64)
}

fn suggestion(
    question: &'static str,
    kind: &'static str,
    signal: Option<DiagnosticSignal>,
    figures: &[(&str, f64)],
    link: &'static str,
) -> DiagnosticSuggestion {
    DiagnosticSuggestion {
        question,
        kind,
        signal,
        figures: figures.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        channel: None,
        link,
    }
}

use DiagnosticSignal::{Partial, Strong, Weak};

fn journey(f: &EvidenceFigures, out: &mut Vec<DiagnosticSuggestion>) {
    let (Some(n), Some(gaps)) = (f.touchpoints, f.listening_gaps) else { return };
    if n == 0 {
        out.push(suggestion("q12", "listening-empty", Some(Weak), &[], "/journey"));
        out.push(suggestion("q14", "journey-empty", Some(Weak), &[], "/journey"));
        return;
    }
    let heard = n - gaps;
    let listening = if gaps == 0 {
        Strong
    } else if heard * 2 >= n {
        Partial
    } else {
        Weak
    };
    let fig = [("heard", heard as f64), ("touchpoints", n as f64), ("percent", pct(heard, n))];
    out.push(suggestion("q12", "listening", Some(listening), &fig, "/listening"));
    let mapped = if gaps == 0 { Strong } else { Partial };
    let fig = [("touchpoints", n as f64), ("gaps", gaps as f64)];
    out.push(suggestion("q14", "journey", Some(mapped), &fig, "/journey"));
}

fn promise(f: &EvidenceFigures, out: &mut Vec<DiagnosticSuggestion>) {
    let Some(overall) = &f.promise_overall else { return };
    let Some(rate) = share(overall) else {
        out.push(suggestion("q13", "promise-none", None, &[], "/cases"));
        return;
    };
    let worst =
        f.promise_by_channel.iter().filter_map(|(_, p)| share(p).map(|r| (r, p))).min_by(|a, b| a.0.total_cmp(&b.0));
    let worst_rate = worst.map(|w| w.0).unwrap_or(rate);
    let signal = if rate >= 0.9 && worst_rate >= 0.8 {
        Strong
    } else if rate >= 0.6 {
        Partial
    } else {
        Weak
    };
    let fig = [
        ("percent", (rate * 100.0).round()),
        ("decided", overall.decided as f64),
        ("worst", (worst_rate * 100.0).round()),
    ];
    let mut s = suggestion("q13", "promise", Some(signal), &fig, "/dashboard");
    s.channel = worst.map(|w| w.1.name.clone());
    out.push(s);
}

fn ownership(f: &EvidenceFigures, out: &mut Vec<DiagnosticSuggestion>) {
    let Some((owned, total)) = f.owned_touchpoints else { return };
    if total == 0 {
        out.push(suggestion("q15", "ownership-empty", Some(Weak), &[], "/coverage"));
        return;
    }
    let signal = if owned == total {
        Strong
    } else if owned * 2 >= total {
        Partial
    } else {
        Weak
    };
    let fig = [("percent", pct(owned, total)), ("owned", owned as f64), ("touchpoints", total as f64)];
    out.push(suggestion("q15", "ownership", Some(signal), &fig, "/coverage"));
}

fn financials(f: &EvidenceFigures, out: &mut Vec<DiagnosticSuggestion>) {
    match f.perfect_behaviours {
        Some(0) => out.push(suggestion("q16", "behaviours-none", Some(Weak), &[], "/behaviours")),
        Some(n) => out.push(suggestion("q16", "behaviours", Some(Strong), &[("count", n as f64)], "/behaviours")),
        None => {}
    }
    let Some(r) = &f.roce else { return };
    let (kind, signal) = if r.inputs_set { ("roce-inputs", Strong) } else { ("roce-defaults", Weak) };
    out.push(suggestion("q17", kind, Some(signal), &[], "/value/roce"));
    if !r.fitted {
        return;
    }
    // Figures on default inputs are a start, not the company's own model.
    let own = if r.inputs_set { Strong } else { Partial };
    out.push(suggestion("q18", "roce-cost", Some(own), &[("amount", r.cost_of_poor_service.round())], "/value/roce"));
    if let Some(ratio) = r.acquisition_to_retention {
        let fig = [("ratio", (ratio * 10.0).round() / 10.0)];
        out.push(suggestion("q19", "roce-acquisition", Some(own), &fig, "/value/roce"));
    }
    match (r.price_share, r.service_share) {
        (Some(p), Some(s)) => {
            let fig = [("price", (p * 100.0).round()), ("service", (s * 100.0).round())];
            out.push(suggestion("q20", "roce-defection", Some(Strong), &fig, "/value/roce"));
        }
        _ => out.push(suggestion("q20", "roce-defection-none", Some(Weak), &[], "/value/roce")),
    }
}

/// The suggestions the figures support, in question order.
pub fn suggestions(f: &EvidenceFigures) -> Vec<DiagnosticSuggestion> {
    let mut out = Vec::new();
    journey(f, &mut out);
    promise(f, &mut out);
    ownership(f, &mut out);
    financials(f, &mut out);
    out.sort_by_key(|s| super::question(s.question).map(|q| q.number));
    out
}

#[cfg(test)]
#[path = "evidence_tests.rs"]
mod tests;
