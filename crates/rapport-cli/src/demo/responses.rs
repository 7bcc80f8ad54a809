//! A year of survey answers. Each customer who is asked a survey answers it
//! repeatedly, never twice within the survey's 30 fatigue days, so the data
//! also passes the fatigue rule. The score is the experience's NPS at that
//! moment (its designed trend) plus the customer's mood; CSAT, CES and the
//! rating follow the NPS answer, and comments follow its band.

use super::profile::{days, declining, progress, Profile, DECLINE_DAYS};
use super::surveys::{COMMENTS, DECLINE_COMMENTS, SURVEYS};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport_core::feedback::ResponseDraft;
use rapport_core::lang::Lang;
use rapport_core::survey::QuestionType;
use rapport_core::Id;
use serde_json::{json, Map};

const FATIGUE_DAYS: f64 = 30.0;

/// Per survey (in `SURVEYS` order): whether a customer is asked it, and the
/// most days added to the fatigue period between their answers (more days,
/// fewer answers). Prospects never bought, so nobody asks them.
fn spacing(survey: usize, p: &Profile) -> Option<f64> {
    if p.orders == 0 {
        return None;
    }
    match survey {
        0 => p.online.then_some(25.0),
        1 => p.subscriber.then_some(10.0),
        _ => Some(50.0),
    }
}

/// The NPS each experience earns at `t`, before moods: first orders improve
/// over the year (10 → 40), the subscription is stable until its page gets
/// worse in the last 90 days (32 → -15), support is stable (25).
fn designed_nps(survey: usize, now: DateTime<Utc>, t: DateTime<Utc>) -> f64 {
    match survey {
        0 => 10.0 + 30.0 * progress(now, t),
        1 if declining(now, t) => -15.0 + 47.0 * (now - t).num_seconds() as f64 / (DECLINE_DAYS * 86_400.0),
        1 => 32.0,
        _ => 25.0,
    }
}

/// An NPS answer whose expected NPS (over many draws) is `target`: 30%
/// passives, the rest split between promoters and detractors.
fn draw_nps(rng: &mut StdRng, target: f64) -> i64 {
    let t = (target / 100.0).clamp(-0.6, 0.66);
    let detractor = (0.7 - t) / 2.0;
    let r: f64 = rng.gen();
    if r < detractor {
        if rng.gen_bool(0.7) {
            rng.gen_range(4..=6)
        } else {
            rng.gen_range(0..=3)
        }
    } else if r < detractor + 0.3 {
        rng.gen_range(7..=8)
    } else {
        rng.gen_range(9..=10)
    }
}

/// A 1..=max answer that agrees with the NPS answer, give or take a point.
fn follow(rng: &mut StdRng, nps: i64, max: i64, shift: f64) -> i64 {
    let x = 1.0 + nps as f64 / 10.0 * (max - 1) as f64 + shift + rng.gen_range(-0.9..0.9);
    (x.round() as i64).clamp(1, max)
}

/// Every response, keyed `demo-r-1`, `demo-r-2`, ... in a fixed order.
pub fn responses(profiles: &[Profile], surveys: &[Id], now: DateTime<Utc>) -> Vec<ResponseDraft> {
    let mut rng = StdRng::seed_from_u64(0x5E_2026);
    let mut out = Vec::new();
    for (s, (seed, survey)) in SURVEYS.iter().zip(surveys).enumerate() {
        for p in profiles {
            let Some(extra) = spacing(s, p) else { continue };
            let end = match p.churn {
                Some((at, _)) if s == 1 => at,
                _ => now - Duration::hours(1),
            };
            let mut t = p.start + days(rng.gen_range(0.5..FATIGUE_DAYS + extra / 2.0));
            while t < end {
                let mut target = designed_nps(s, now, t) + p.mood;
                // Subscribers about to leave are at their unhappiest.
                if s == 1 && p.churn.is_some_and(|(at, _)| at - t < days(45.0)) {
                    target -= 30.0;
                }
                let nps = draw_nps(&mut rng, target);
                let mut answers = Map::new();
                answers.insert("nps".into(), json!(nps));
                let decline = s == 1 && declining(now, t);
                for &(key, kind, max, _, _) in seed.extra {
                    if rng.gen_bool(0.9) {
                        // Effort is what got worse on the subscription page.
                        let shift = if decline && kind == QuestionType::Ces { -1.2 } else { 0.0 };
                        let max = kind.bounds(max).map_or(5, |(_, hi)| hi);
                        answers.insert(key.into(), json!(follow(&mut rng, nps, max, shift)));
                    }
                }
                if rng.gen_bool(0.55) {
                    let band = match nps {
                        0..=6 => 0,
                        7..=8 => 1,
                        _ => 2,
                    };
                    let (en, es) = if decline && band < 2 && rng.gen_bool(0.6) {
                        DECLINE_COMMENTS[rng.gen_range(0..DECLINE_COMMENTS.len())]
                    } else {
                        COMMENTS[band][rng.gen_range(0..COMMENTS[band].len())]
                    };
                    answers.insert("why".into(), json!(if p.lang == Lang::Es { es } else { en }));
                }
                out.push(ResponseDraft {
                    id: Some(format!("demo-r-{}", out.len() + 1)),
                    survey: Some(*survey),
                    touchpoint: None,
                    customer: Some(p.external_id.clone()),
                    at: Some(t.to_rfc3339()),
                    answers,
                    comment: None,
                    channel: Some(["email", "web", "chat"][s].into()),
                    language: Some(p.lang),
                });
                t += days(FATIGUE_DAYS + rng.gen_range(0.0..extra));
            }
        }
    }
    out
}
