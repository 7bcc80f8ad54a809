//! English scores against VADER's on fixed sentences. The expected values
//! are the `compound` scores of vaderSentiment 3.3.2 (PyPI), computed with
//! `SentimentIntensityAnalyzer().polarity_scores(s)["compound"]`.
//!
//! Left out on purpose, where the analyser departs from VADER (see
//! `sentiment.rs`): words added for customer feedback ("late",
//! "unhelpful"), negation across a comma, texts of several sentences,
//! VADER's counting "bad ass" twice, and its ×1.25 of any "so good" three
//! words in (an operator-precedence slip in `_negation_check`).

use crate::lang::Lang;
use crate::text::analyze;

pub(super) const SENTENCES: &[(&str, f64)] = &[
    ("VADER is smart, handsome, and funny.", 0.8316),
    ("VADER is smart, handsome, and funny!", 0.8439),
    ("VADER is very smart, handsome, and funny.", 0.8545),
    ("VADER is VERY SMART, handsome, and FUNNY.", 0.9227),
    ("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342),
    ("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.9469),
    ("The book was good.", 0.4404),
    ("At least it isn't a horrible book.", 0.431),
    ("The book was only kind of good.", 0.3832),
    ("The plot was good, but the characters are uncompelling and the dialog is not great.", -0.7042),
    ("Today SUX!", -0.5461),
    ("Make sure you :) or :D today!", 0.8633),
    ("Not bad at all", 0.431),
    ("Sentiment analysis has never been good.", -0.3412),
    ("Sentiment analysis has never been this good!", 0.5672),
    ("Most automated sentiment analysis tools are shit.", -0.5574),
    ("With VADER, sentiment analysis is the shit!", 0.6476),
    ("Other sentiment analysis tools can be quite bad.", -0.5849),
    ("Roger Dodger is one of the most compelling variations on this theme.", 0.2944),
    ("Roger Dodger is one of the least compelling variations on this theme.", -0.1695),
    ("The staff were friendly and helpful.", 0.7184),
    ("I am not happy with this product.", -0.4585),
    ("I love it!!", 0.6988),
    ("It works, but it is not great.", -0.6642),
    ("The food was okay but the service was terrible.", -0.5719),
    ("Absolutely fantastic experience from start to finish.", 0.5984),
    ("I would not recommend this to anyone.", -0.2755),
    ("This is the worst purchase I have ever made.", -0.6249),
    ("Really disappointed with the quality.", -0.5256),
    ("Nothing special, just an average meal.", -0.3089),
    ("I'm extremely satisfied with the help I got.", 0.6997),
    ("The support team was not very helpful.", 0.039),
    ("The room was clean and the bed was comfortable.", 0.7184),
    ("What a horrible, horrible experience.", -0.7906),
];

#[test]
fn english_scores_follow_vader() {
    let mut off = Vec::new();
    for (s, expected) in SENTENCES {
        let got = analyze(s, Some(Lang::En)).score;
        if (got - expected).abs() > 0.05 {
            off.push(format!("{s:?}: {got:.4}, VADER {expected}"));
        }
    }
    assert!(off.is_empty(), "{}", off.join("\n"));
}
