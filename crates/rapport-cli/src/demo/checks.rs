//! Tests that the generated year has the volume and the patterns a dashboard
//! is meant to show (pure: no store, fake ids).

use super::profile::{profiles, Profile};
use super::{customers, events::events, responses::responses, CUSTOMERS, FRESH_CUSTOMERS, TOUCHPOINTS};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rapport_core::feedback::{EventDraft, ResponseDraft};
use std::collections::HashMap;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 20, 12, 0, 0).unwrap()
}

fn data() -> (Vec<Profile>, Vec<ResponseDraft>, Vec<EventDraft>) {
    let all = profiles(&customers(CUSTOMERS), now());
    let touchpoints: HashMap<&str, i64> = TOUCHPOINTS.iter().zip(1..).map(|(t, id)| (t.name, id)).collect();
    let r = responses(&all[FRESH_CUSTOMERS..], &[1, 2, 3], now());
    let e = events(&all[FRESH_CUSTOMERS..], &touchpoints, now());
    (all, r, e)
}

fn at(s: &Option<String>) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s.as_deref().unwrap()).unwrap().with_timezone(&Utc)
}

fn nps<'a>(rs: impl Iterator<Item = &'a ResponseDraft>) -> f64 {
    let scores: Vec<i64> = rs.map(|r| r.answers["nps"].as_i64().unwrap()).collect();
    let share = |f: fn(i64) -> bool| scores.iter().filter(|s| f(**s)).count() as f64 / scores.len() as f64;
    100.0 * (share(|s| s >= 9) - share(|s| s <= 6))
}

/// Survey `survey`'s responses between `from` and `to` days ago.
fn window(r: &[ResponseDraft], survey: i64, from: i64, to: i64) -> impl Iterator<Item = &ResponseDraft> {
    r.iter().filter(move |x| {
        let ago = (now() - at(&x.at)).num_days();
        x.survey == Some(survey) && ago >= from && ago < to
    })
}

#[test]
fn a_year_of_data_with_its_patterns() {
    let (all, r, e) = data();
    let (r2, e2) = (responses(&all[FRESH_CUSTOMERS..], &[1, 2, 3], now()), data().2);
    assert_eq!(r.len(), r2.len(), "deterministic");
    assert_eq!(e.len(), e2.len(), "deterministic");
    assert!(r.len() >= 12_000 && e.len() >= 8_000 && r.len() + e.len() >= 20_000, "{} {}", r.len(), e.len());
    let year_ago = now() - Duration::days(365);
    assert!(r.iter().map(|x| at(&x.at)).chain(e.iter().map(|x| at(&x.at))).all(|t| t > year_ago && t < now()));

    let month = |t: DateTime<Utc>| ((now() - t).num_days() / 30).min(11);
    for survey in 1..=3 {
        let mut per_month = [0; 12];
        for x in r.iter().filter(|x| x.survey == Some(survey)) {
            per_month[month(at(&x.at)) as usize] += 1;
        }
        assert!(per_month.iter().all(|n| *n >= 30), "survey {survey}: {per_month:?}");
    }
    let (old, new) = (nps(window(&r, 1, 270, 365)), nps(window(&r, 1, 0, 90)));
    assert!(old < 20.0 && new > 28.0, "first orders improve: {old} → {new}");
    let (before, last) = (nps(window(&r, 2, 90, 365)), nps(window(&r, 2, 0, 90)));
    assert!(last < before - 15.0, "the subscription page gets worse: {before} → {last}");
    let (a, b) = (nps(window(&r, 3, 180, 365)), nps(window(&r, 3, 0, 180)));
    assert!((a - b).abs() < 10.0, "support is stable: {a} / {b}");

    let mood: HashMap<&str, f64> = all.iter().map(|p| (p.external_id.as_str(), p.mood)).collect();
    let count = |kind: &str, unhappy: bool| {
        e.iter()
            .filter(|x| x.kind.as_deref() == Some(kind))
            .filter(|x| (mood[x.customer.as_deref().unwrap()] < 0.0) == unhappy)
            .count()
    };
    for kind in
        ["purchase", "renewal", "touchpoint_visit", "contact", "referral", "refund", "cancellation", "non_renewal"]
    {
        assert!(count(kind, true) + count(kind, false) >= 20, "{kind}");
    }
    assert!(
        count("cancellation", true) + count("non_renewal", true)
            > count("cancellation", false) + count("non_renewal", false)
    );
    assert!(count("refund", true) > 2 * count("refund", false));
    assert!(count("referral", false) > 5 * count("referral", true));
}

/// `cargo test -p rapport-cli --bins demo_summary -- --nocapture` prints what
/// the demo contains, month by month (for whoever tunes it).
#[test]
fn demo_summary() {
    let (all, r, e) = data();
    let month = |s: &Option<String>| ((now() - at(s)).num_days() / 30).min(11) as usize;
    let (mut rm, mut em) = ([0; 12], [0; 12]);
    r.iter().for_each(|x| rm[11 - month(&x.at)] += 1);
    e.iter().for_each(|x| em[11 - month(&x.at)] += 1);
    println!("responses {} by month (oldest first) {rm:?}", r.len());
    println!("events {} by month (oldest first) {em:?}", e.len());
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for x in &e {
        let k = x.kind.clone().unwrap();
        match kinds.iter_mut().find(|(n, _)| *n == k) {
            Some((_, c)) => *c += 1,
            None => kinds.push((k, 1)),
        }
    }
    println!("events by type {kinds:?}");
    for s in 1..=3 {
        // Quarters, oldest first: 270-366, 180-270, 90-180 and 0-90 days ago.
        let q: Vec<i64> = [(270, 366), (180, 270), (90, 180), (0, 90)]
            .iter()
            .map(|&(from, to)| nps(window(&r, s, from, to)) as i64)
            .collect();
        println!("survey {s}: {} responses, NPS by quarter {q:?}", window(&r, s, 0, 366).count());
    }
    let subscribers = all.iter().filter(|p| p.subscriber).count();
    let churned = all.iter().filter(|p| p.churn.is_some()).count();
    println!("customers {}, subscribers {subscribers}, churned {churned}", all.len());
}
