//! Stories of the 20-question diagnostic (F2), on both backends: two
//! rounds answered by three people, their scores, spread and trend checked
//! against arithmetic done here on the raw answers; a changed answer
//! replaces the earlier one; a closed round refuses answers; another
//! organization sees nothing.

use super::{add_person, by, conflict, day, invalid, not_found, org};
use chrono::Datelike;
use rapport_core::review::diagnostic::round::{AnswerInput, DiagnosticRound, RoundInput};
use rapport_core::review::diagnostic::score::{score_round, trend, ScoredRound};
use rapport_core::review::diagnostic::QUESTIONS;
use rapport_core::Id;
use rapport_store::Store;

/// Person `p`'s answer to question `i` (0-based) in round `r`: spread
/// on purpose (people 0 and 2 differ by up to 4 on some questions).
fn score_of(r: usize, p: usize, i: usize) -> i64 {
    ((i * 3 + p * (2 + r) + r) % 5 + 1) as i64
}

fn answers(r: usize, p: usize, count: usize) -> Vec<AnswerInput> {
    QUESTIONS
        .iter()
        .take(count)
        .enumerate()
        .map(|(i, q)| AnswerInput { question: q.key, score: score_of(r, p, i), comment: Some(format!("p{p} q{i}")) })
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn near(a: Option<f64>, b: f64) {
    let a = a.expect("a figure");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

async fn open(s: &dyn Store, o: Id, name: &str, month: u32) -> DiagnosticRound {
    let input = RoundInput { name: name.into(), opened_on: day(1).with_month(month).unwrap() };
    s.create_diagnostic_round(o, &input, &by("diagnostic.round.create")).await.unwrap()
}

pub async fn diagnostic_story(s: &dyn Store) {
    let o = org(s, "diagnostic").await.id;
    let people = [add_person(s, o, "Ana").await, add_person(s, o, "Ben").await, add_person(s, o, "Carla").await];
    let q1 = open(s, o, "Q1", 1).await;
    let q2 = open(s, o, "Q2", 4).await;
    assert!(!q1.is_closed());

    // Round 1: each answers every question; Ana first answers ten with 5s,
    // then changes her mind (the later answer replaces the earlier).
    let fives: Vec<AnswerInput> =
        answers(0, 0, 10).into_iter().map(|a| AnswerInput { score: 5, comment: None, ..a }).collect();
    s.answer_diagnostic(o, q1.id, people[0], &fives, q1.created_at).await.unwrap();
    for (r, round) in [&q1, &q2].into_iter().enumerate() {
        for (p, person) in people.iter().enumerate() {
            s.answer_diagnostic(o, round.id, *person, &answers(r, p, 20), round.created_at).await.unwrap();
        }
    }
    let stored = s.diagnostic_answers(o, &[q1.id]).await.unwrap();
    assert_eq!(stored.len(), 60);
    let ana_q1 = stored.iter().find(|a| a.person_id == people[0] && a.question == "q1").unwrap();
    assert_eq!((ana_q1.score, ana_q1.comment.as_deref()), (score_of(0, 0, 0), Some("p0 q0")));

    // Scores against arithmetic on the raw answers.
    let mut scored = Vec::new();
    for (r, round) in [&q1, &q2].into_iter().enumerate() {
        let got = score_round(&s.diagnostic_answers(o, &[round.id]).await.unwrap());
        assert_eq!(got.answerers, 3);
        let raw = |i: usize| -> Vec<f64> { (0..3).map(|p| score_of(r, p, i) as f64).collect() };
        for (i, q) in got.questions.iter().enumerate() {
            let v = raw(i);
            let m = mean(&v);
            near(q.mean, m);
            let sd = (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / 3.0).sqrt();
            near(q.spread.map(|x| x.sd), sd);
            let (lo, hi) = (v.iter().copied().fold(9.0, f64::min), v.iter().copied().fold(0.0, f64::max));
            assert_eq!(q.disagree, hi - lo >= 2.0, "question {i}");
            assert_eq!(q.answered, 3);
        }
        let area_means: Vec<f64> =
            (0..4).map(|a| mean(&(a * 5..a * 5 + 5).map(|i| mean(&raw(i))).collect::<Vec<_>>())).collect();
        for (a, area) in got.areas.iter().enumerate() {
            near(area.mean, area_means[a]);
            near(area.percent, area_means[a] * 20.0);
            let own: Vec<f64> = (0..3)
                .map(|p| mean(&(a * 5..a * 5 + 5).map(|i| score_of(r, p, i) as f64).collect::<Vec<_>>()))
                .collect();
            assert_eq!(
                area.spread.map(|x| (x.min, x.max)),
                Some((own.iter().copied().fold(9.0, f64::min), own.iter().copied().fold(0.0, f64::max)))
            );
        }
        near(got.overall, mean(&area_means));
        assert!(got.questions.iter().any(|q| q.disagree), "the answers are meant to disagree somewhere");
        scored.push((round, area_means, got));
    }
    let points: Vec<ScoredRound<'_>> = scored
        .iter()
        .map(|(r, _, sc)| ScoredRound { id: r.id, name: &r.name, opened_on: r.opened_on, scores: sc })
        .collect();
    let t = trend(&points);
    assert_eq!(t.iter().map(|p| p.round_id).collect::<Vec<_>>(), vec![q1.id, q2.id]);
    near(t[1].overall_delta, mean(&scored[1].1) - mean(&scored[0].1));
    for a in 0..4 {
        near(t[1].areas[a].delta, scored[1].1[a] - scored[0].1[a]);
    }

    // Listing: newest first.
    let listed = s.list_diagnostic_rounds(o, 50).await.unwrap();
    assert_eq!(listed.iter().map(|r| r.id).collect::<Vec<_>>(), vec![q2.id, q1.id]);

    // Closing freezes the round.
    let closed = s.close_diagnostic_round(o, q1.id, &by("diagnostic.round.close"), q1.created_at).await.unwrap();
    assert!(closed.is_closed());
    conflict(s.answer_diagnostic(o, q1.id, people[1], &answers(0, 2, 3), q1.created_at).await, "round");
    conflict(s.close_diagnostic_round(o, q1.id, &by("diagnostic.round.close"), q1.created_at).await, "id");
    let after = s.diagnostic_answers(o, &[q1.id]).await.unwrap();
    assert_eq!(after, stored, "nothing changed in the closed round");
    // An unknown person is refused, naming the field.
    invalid(s.answer_diagnostic(o, q2.id, 999_999, &answers(1, 0, 1), q2.created_at).await, "person_id");

    // Another organization sees nothing.
    let other = org(s, "diagnostic-other").await.id;
    let stranger = add_person(s, other, "Dan").await;
    not_found(s.get_diagnostic_round(other, q2.id).await);
    not_found(s.close_diagnostic_round(other, q2.id, &by("diagnostic.round.close"), q2.created_at).await);
    not_found(s.answer_diagnostic(other, q2.id, stranger, &answers(1, 0, 2), q2.created_at).await);
    assert!(s.list_diagnostic_rounds(other, 50).await.unwrap().is_empty());
    assert!(s.diagnostic_answers(other, &[q1.id, q2.id]).await.unwrap().is_empty());
    // Nor can a round take a person of another organization.
    invalid(s.answer_diagnostic(o, q2.id, stranger, &answers(1, 0, 1), q2.created_at).await, "person_id");
}
