use super::*;
use crate::plan::perfect_behaviour::Base;
use proptest::prelude::*;

fn d(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(offset)
}

fn rule(kind: &str, count: i64, window: Option<i64>, touchpoint: Option<Id>) -> Rule {
    Rule { event_type: kind.into(), touchpoint_id: touchpoint, count, window_days: window, base: Base::Matching }
}

/// An event: customer, day offset, kind, touchpoint.
type Ev = (i64, i64, &'static str, Option<Id>);

fn matches_of(r: &Rule, events: &[Ev], customer: i64) -> Matches {
    matches(r, events.iter().filter(|e| e.0 == customer).map(|e| (d(e.1), e.2, e.3, 1)))
}

/// Recomputes every customer's rows from scratch.
fn recompute(r: &Rule, events: &[Ev]) -> DayDeltas {
    let mut rows = DayDeltas::default();
    let mut customers: Vec<i64> = events.iter().map(|e| e.0).collect();
    customers.sort_unstable();
    customers.dedup();
    for c in customers {
        rows.add(&contribution(r, &matches_of(r, events, c)), 1);
    }
    rows.prune();
    rows
}

/// The straightforward count from the raw events: every matching event in
/// the period, and the matching events within the window before it.
fn brute(r: &Rule, events: &[Ev], from: i64, to: i64) -> Counts {
    let hit = |e: &&Ev| e.2 == r.event_type && (r.touchpoint_id.is_none() || e.3 == r.touchpoint_id);
    let matching: Vec<&Ev> = events.iter().filter(hit).collect();
    let mut eligible = std::collections::BTreeSet::new();
    let mut shown = std::collections::BTreeSet::new();
    for e in &matching {
        if e.1 < from || e.1 > to {
            continue;
        }
        eligible.insert(e.0);
        let earliest = r.window_days.map_or(i64::MIN, |w| e.1 - w + 1);
        let within = matching.iter().filter(|o| o.0 == e.0 && o.1 <= e.1 && o.1 >= earliest).count() as i64;
        if within >= r.count {
            shown.insert(e.0);
        }
    }
    Counts { eligible: eligible.len() as i64, shown: shown.len() as i64 }
}

#[test]
fn buys_again_within_60_days_counts_earlier_purchases() {
    let r = rule("purchase", 2, Some(60), None);
    // Customer 1: bought on day 0 and day 50 (repeat on 50); customer 2: day 0
    // and day 100 (too late); customer 3: two purchases on day 70.
    let events: Vec<Ev> = vec![
        (1, 0, "purchase", None),
        (1, 50, "purchase", None),
        (2, 0, "purchase", None),
        (2, 100, "purchase", None),
        (3, 70, "purchase", None),
        (3, 70, "purchase", None),
        (4, 40, "referral", None),
    ];
    let rows = recompute(&r, &events);
    // Period 40..=120: 1, 2 and 3 bought; 1 (against day 0) and 3 repeated.
    assert_eq!(window(&rows, d(40), d(120)), Counts { eligible: 3, shown: 2 });
    assert_eq!(window(&rows, d(0), d(10)), Counts { eligible: 2, shown: 0 });
    assert_eq!(window(&rows, d(40), d(120)).rate(), Some(200.0 / 3.0));
    assert_eq!(Counts::default().rate(), None);
}

#[test]
fn without_a_window_every_earlier_event_counts() {
    let r = rule("referral", 3, None, Some(7));
    let events: Vec<Ev> = vec![
        (1, 0, "referral", Some(7)),
        (1, 300, "referral", Some(7)),
        (1, 900, "referral", Some(7)),
        (1, 901, "referral", Some(8)),
    ];
    let m = matches_of(&r, &events, 1);
    assert_eq!(shown_days(&r, &m), vec![d(900)]);
}

fn events() -> impl Strategy<Value = Vec<Ev>> {
    let kind = prop_oneof![Just("purchase"), Just("referral")];
    let touchpoint = prop_oneof![Just(None), Just(Some(1)), Just(Some(2))];
    prop::collection::vec((0i64..5, 0i64..200, kind, touchpoint), 0..60)
}

proptest! {
    /// Adding events batch by batch (replacing the touched customers'
    /// contributions) ends with the rows a recomputation gives, and any
    /// period's range sums agree with a direct count from the raw events.
    #[test]
    fn incremental_rows_equal_a_recomputation(
        evs in events(),
        cuts in prop::collection::vec(0usize..60, 0..6),
        count in 1i64..4,
        within in prop_oneof![Just(None), (1i64..90).prop_map(Some)],
        touchpoint in prop_oneof![Just(None), Just(Some(1))],
        periods in prop::collection::vec((0i64..200, 0i64..120), 1..6),
    ) {
        let r = rule("purchase", count, within, touchpoint);
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(evs.len())).collect();
        bounds.push(evs.len());
        bounds.sort_unstable();
        let mut rows = DayDeltas::default();
        let mut seen: Vec<Ev> = Vec::new();
        let mut start = 0;
        for end in bounds {
            let batch = &evs[start..end];
            start = end;
            let mut touched: Vec<i64> = batch.iter().map(|e| e.0).collect();
            touched.sort_unstable();
            touched.dedup();
            let before: Vec<Matches> = touched.iter().map(|c| matches_of(&r, &seen, *c)).collect();
            seen.extend_from_slice(batch);
            for (c, before) in touched.iter().zip(&before) {
                rows.replace(&r, before, &matches_of(&r, &seen, *c));
            }
        }
        rows.prune();
        prop_assert_eq!(&rows, &recompute(&r, &evs));
        for (from, len) in periods {
            let to = from + len;
            prop_assert_eq!(window(&rows, d(from), d(to)), brute(&r, &evs, from, to));
        }
    }
}
