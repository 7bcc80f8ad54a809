//! Demo data for the 20-question diagnostic: two rounds a quarter apart,
//! each answered by the CX director, the head of e-commerce and the café
//! operations manager, so the pages show a trend per area, the spread
//! between them (they disagree on a few questions) and their comments. The
//! older round is closed.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use rapport_core::review::diagnostic::round::{AnswerInput, RoundInput};
use rapport_core::review::diagnostic::QUESTIONS;
use rapport_core::Id;
use rapport_store::{Audit, Store};
use std::collections::HashMap;

const ACTOR: &str = "demo-seed";

/// Scores for q1..q20 by person, per round; comments on a few questions.
struct Answerer {
    email: &'static str,
    before: [i64; 20],
    after: [i64; 20],
    comments: &'static [(usize, &'static str)],
}

const ANSWERERS: [Answerer; 3] = [
    Answerer {
        email: "lucia.fernandez@aurora.example",
        before: [3, 3, 2, 2, 3, 2, 1, 2, 3, 3, 3, 3, 2, 4, 3, 1, 2, 2, 2, 1],
        after: [4, 3, 3, 2, 3, 3, 2, 3, 3, 3, 4, 4, 3, 4, 4, 2, 3, 3, 3, 2],
        comments: &[
            (0, "The intent statement is on every café wall now; the contact centre still asks what it means."),
            (13, "Journey map covers web, cafés and delivery; the B2B office channel is missing."),
            (16, "Finance gave us margin and acquisition cost in October."),
        ],
    },
    Answerer {
        email: "daniel.okafor@aurora.example",
        before: [2, 3, 3, 2, 2, 2, 1, 3, 4, 4, 3, 4, 2, 3, 2, 1, 1, 2, 3, 1],
        after: [3, 3, 3, 3, 3, 3, 1, 3, 4, 4, 4, 4, 3, 4, 4, 2, 2, 3, 4, 2],
        comments: &[
            (6, "There is no IVR escape to a person on the subscriptions line yet."),
            (9, "Checkout and subscriptions are mobile; returns are not."),
        ],
    },
    Answerer {
        email: "sofia.castillo@aurora.example",
        before: [4, 4, 3, 3, 4, 1, 2, 1, 2, 2, 4, 2, 3, 3, 3, 1, 1, 1, 1, 1],
        after: [4, 4, 4, 3, 4, 2, 3, 2, 2, 2, 4, 3, 4, 4, 4, 2, 2, 2, 2, 1],
        comments: &[
            (5, "Baristas have no time to solve problems at the morning rush."),
            (12, "Complaints left on comment cards wait for the weekly review."),
        ],
    },
];

fn answers(scores: &[i64; 20], comments: &[(usize, &str)]) -> Vec<AnswerInput> {
    QUESTIONS
        .iter()
        .zip(scores)
        .enumerate()
        .map(|(i, (q, s))| AnswerInput {
            question: q.key,
            score: *s,
            comment: comments.iter().find(|(n, _)| *n == i).map(|(_, c)| c.to_string()),
        })
        .collect()
}

pub async fn seed(
    store: &dyn Store,
    org: Id,
    people: &HashMap<&str, Id>,
    _touchpoints: &HashMap<&str, Id>,
    now: DateTime<Utc>,
) -> Result<()> {
    let today = now.date_naive();
    let rounds = [
        ("Diagnostic, last quarter", today - Duration::days(120)),
        ("Diagnostic, this quarter", today - Duration::days(28)),
    ];
    let mut ids = Vec::new();
    for (name, opened_on) in rounds {
        let input = RoundInput { name: name.into(), opened_on };
        let audit = Audit::new(ACTOR, "diagnostic.round.create", "diagnostic_round:demo");
        ids.push(store.create_diagnostic_round(org, &input, &audit).await?.id);
    }
    for a in &ANSWERERS {
        let person = *people.get(a.email).with_context(|| format!("demo person {}", a.email))?;
        let first_comments: Vec<(usize, &str)> = a.comments.iter().map(|(i, c)| (*i, *c)).collect();
        store.answer_diagnostic(org, ids[0], person, &answers(&a.before, &[]), now - Duration::days(115)).await?;
        store
            .answer_diagnostic(org, ids[1], person, &answers(&a.after, &first_comments), now - Duration::days(20))
            .await?;
    }
    let audit = Audit::new(ACTOR, "diagnostic.round.close", format!("diagnostic_round:{}", ids[0]));
    store.close_diagnostic_round(org, ids[0], &audit, now - Duration::days(100)).await?;
    Ok(())
}
