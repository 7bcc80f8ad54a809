//! Scores checked against figures worked out by hand (in the comments).

use super::*;
use chrono::{DateTime, NaiveDate};

fn a(person: Id, question: &str, score: i64) -> DiagnosticAnswer {
    DiagnosticAnswer {
        round_id: 1,
        person_id: person,
        question: question.into(),
        score,
        comment: None,
        updated_at: DateTime::UNIX_EPOCH,
    }
}

fn close(x: Option<f64>, want: f64) {
    let x = x.expect("a figure");
    assert!((x - want).abs() < 1e-9, "{x} != {want}");
}

fn round_a() -> Vec<DiagnosticAnswer> {
    vec![
        a(1, "q1", 1),
        a(2, "q1", 3),
        a(3, "q1", 5),
        a(1, "q2", 4),
        a(2, "q2", 4),
        a(3, "q2", 5),
        a(1, "q6", 2),
        a(9, "q99", 5), // unknown question: ignored
    ]
}

#[test]
fn a_round_by_hand() {
    let s = score_round(&round_a());
    assert_eq!(s.answerers, 3);
    let q1 = &s.questions[0];
    // 1, 3, 5: mean 3; variance (4 + 0 + 4) / 3.
    assert_eq!((q1.question, q1.answered), ("q1", 3));
    close(q1.mean, 3.0);
    close(q1.spread.map(|x| x.sd), (8.0f64 / 3.0).sqrt());
    assert_eq!(q1.spread.map(|x| (x.min, x.max)), Some((1.0, 5.0)));
    assert!(q1.disagree);
    // 4, 4, 5: mean 13/3; variance (1/9 + 1/9 + 4/9) / 3 = 2/9; range 1.
    let q2 = &s.questions[1];
    close(q2.mean, 13.0 / 3.0);
    close(q2.spread.map(|x| x.sd), (2.0f64 / 9.0).sqrt());
    assert!(!q2.disagree);
    assert_eq!((s.questions[2].answered, s.questions[2].mean), (0, None));
    // Personnel: (3 + 13/3) / 2 = 11/3, 73.3% of 5; answerers' means 2.5,
    // 3.5 and 5 (mean 11/3): variance (49/36 + 1/36 + 64/36) / 3 = 19/18.
    let p = &s.areas[0];
    assert_eq!((p.area, p.answered_questions, p.disagreements), (DiagnosticArea::Personnel, 2, 1));
    close(p.mean, 11.0 / 3.0);
    close(p.percent, 11.0 / 3.0 / 5.0 * 100.0);
    close(p.spread.map(|x| x.sd), (19.0f64 / 18.0).sqrt());
    assert_eq!(p.spread.map(|x| (x.min, x.max)), Some((2.5, 5.0)));
    // Processes and technology: q6 alone, 2 → 40%; one answerer, no spread.
    close(s.areas[1].mean, 2.0);
    close(s.areas[1].percent, 40.0);
    close(s.areas[1].spread.map(|x| x.sd), 0.0);
    assert_eq!((s.areas[2].mean, s.areas[2].spread), (None, None));
    // Overall: (11/3 + 2) / 2 = 17/6; answerers' means 7/3, 7/2, 5.
    close(s.overall, 17.0 / 6.0);
    close(s.overall_percent, 17.0 / 6.0 / 5.0 * 100.0);
    assert_eq!(s.overall_spread.map(|x| (x.min, x.max)), Some((7.0 / 3.0, 5.0)));
}

#[test]
fn nothing_answered_is_no_figure() {
    let s = score_round(&[]);
    assert_eq!((s.answerers, s.overall, s.overall_percent, s.overall_spread), (0, None, None, None));
    assert!(s.questions.iter().all(|q| q.mean.is_none() && !q.disagree));
}

#[test]
fn trend_compares_each_round_with_the_one_before() {
    let first = score_round(&round_a());
    let second = score_round(&[a(1, "q1", 4), a(2, "q1", 4), a(3, "q1", 4)]);
    let day = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
    // Given newest first: sorted by date.
    let t = trend(&[
        ScoredRound { id: 7, name: "Q2", opened_on: day(4), scores: &second },
        ScoredRound { id: 3, name: "Q1", opened_on: day(1), scores: &first },
    ]);
    assert_eq!(t.iter().map(|p| p.round_id).collect::<Vec<_>>(), vec![3, 7]);
    assert_eq!((t[0].overall_delta, t[0].areas[0].delta), (None, None));
    // 4 − 17/6 = 7/6; personnel 4 − 11/3 = 1/3; processes: none this round.
    close(t[1].overall_delta, 7.0 / 6.0);
    close(t[1].areas[0].delta, 1.0 / 3.0);
    assert_eq!((t[1].areas[1].mean, t[1].areas[1].delta), (None, None));
    assert_eq!(t[1].answerers, 3);
}
