use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn act(day: &str, kind: &'static str) -> Activity<'static> {
    Activity { day: d(day), kind, n: 1 }
}

/// The definitions, customer by customer, straight from the histories.
fn brute(customers: &[Vec<Activity<'_>>], from: NaiveDate, to: NaiveDate) -> WindowCounts {
    let mut out = WindowCounts::default();
    let inside = |a: &Activity<'_>| a.day >= from && a.day <= to;
    for h in customers {
        let live: Vec<&Activity<'_>> = h.iter().filter(|a| a.n > 0).collect();
        let bought_in = live.iter().any(|a| inside(a) && a.kind == "purchase");
        let bought_by_end: i64 = live.iter().filter(|a| a.kind == "purchase" && a.day <= to).map(|a| a.n).sum();
        out.purchasers += bought_in as i64;
        out.repeat_purchasers += (bought_in && bought_by_end >= 2) as i64;
        out.active += live.iter().any(|a| inside(a)) as i64;
        out.referrers += live.iter().any(|a| inside(a) && a.kind == "referral") as i64;
        let before = live.iter().any(|a| a.day < from);
        let left_before = live.iter().any(|a| a.day < from && DEFECTIONS.contains(&a.kind));
        if before && !left_before {
            out.active_at_start += 1;
            out.churned += live.iter().any(|a| inside(a) && DEFECTIONS.contains(&a.kind)) as i64;
        }
    }
    out
}

fn summed(customers: &[Vec<Activity<'_>>]) -> BehaviourDeltas {
    let mut deltas = BehaviourDeltas::default();
    for h in customers {
        deltas.add(&contribution(h), 1);
    }
    deltas
}

#[test]
fn a_purchase_after_an_earlier_one_is_a_repeat_in_any_bucket() {
    let customers =
        vec![vec![act("2026-01-10", "purchase"), act("2026-03-10", "purchase")], vec![act("2026-03-12", "purchase")]];
    let rows = summed(&customers);
    let march = window(&rows, d("2026-03-01"), d("2026-03-31"));
    assert_eq!((march.purchasers, march.repeat_purchasers), (2, 1));
    let january = window(&rows, d("2026-01-01"), d("2026-01-31"));
    assert_eq!((january.purchasers, january.repeat_purchasers), (1, 0));
    let february = window(&rows, d("2026-02-01"), d("2026-02-28"));
    assert_eq!((february.purchasers, february.active), (0, 0));
    let quarter = window(&rows, d("2026-01-01"), d("2026-03-31"));
    assert_eq!((quarter.purchasers, quarter.repeat_purchasers), (2, 1));
}

#[test]
fn two_purchases_on_one_day_make_a_repeat_purchaser() {
    let h = vec![Activity { day: d("2026-05-01"), kind: "purchase", n: 2 }];
    let c = contribution(&h);
    assert!(c.spans.contains(&(Span::Repeat, d("2026-05-01"), d("2026-05-01"))), "{c:?}");
    let w = window(&summed(&[h]), d("2026-05-01"), d("2026-05-01"));
    assert_eq!((w.purchasers, w.repeat_purchasers), (1, 1));
}

#[test]
fn churn_counts_only_customers_who_were_there_and_had_not_left() {
    let customers = vec![
        // Active in January, cancels in March: churned in March.
        vec![act("2026-01-05", "response"), act("2026-03-02", "cancellation")],
        // Left before March: not at risk in March.
        vec![act("2026-01-05", "purchase"), act("2026-02-01", "non_renewal")],
        // New in March: not there at its start.
        vec![act("2026-03-03", "purchase")],
        // There and stays.
        vec![act("2026-02-20", "referral")],
    ];
    let w = window(&summed(&customers), d("2026-03-01"), d("2026-03-31"));
    assert_eq!((w.active_at_start, w.churned), (2, 1));
    assert_eq!((w.active, w.referrers), (2, 0));
}

#[test]
fn replacing_a_history_moves_only_what_changed() {
    let before = vec![act("2026-01-10", "purchase"), act("2026-03-10", "purchase")];
    // A back-dated purchase arrives between the two.
    let mut after = before.clone();
    after.push(act("2026-02-10", "purchase"));
    let mut deltas = summed(std::slice::from_ref(&before));
    deltas.replace(&contribution(&before), &contribution(&after));
    deltas.prune();
    assert_eq!(deltas, summed(&[after]));
    let nothing = contribution(&[]);
    assert_eq!(nothing, Contribution::default());
}

#[test]
fn keys_read_back() {
    for f in Family::ALL {
        assert_eq!(Family::parse(f.key()), Some(f));
    }
    for s in Span::ALL {
        assert_eq!(Span::parse(s.key()), Some(s));
    }
    assert_eq!(Family::parse("bogus"), None);
}

const KINDS: [&str; 6] = ["purchase", "purchase", "referral", "cancellation", "non_renewal", "response"];

fn history() -> impl Strategy<Value = Vec<Activity<'static>>> {
    prop::collection::vec((0u32..60, 0usize..KINDS.len(), 1i64..3), 0..8).prop_map(|v| {
        v.into_iter()
            .map(|(day, k, n)| Activity {
                day: d("2026-01-01") + chrono::Duration::days(day.into()),
                kind: KINDS[k],
                n,
            })
            .collect()
    })
}

proptest! {
    /// Any window read from the summed rows equals the definitions applied
    /// customer by customer.
    #[test]
    fn windows_over_rows_equal_the_definitions(
        customers in prop::collection::vec(history(), 0..12),
        start in 0i64..60,
        len in 0i64..30,
    ) {
        let from = d("2026-01-01") + chrono::Duration::days(start);
        let to = from + chrono::Duration::days(len);
        prop_assert_eq!(window(&summed(&customers), from, to), brute(&customers, from, to));
    }

    /// Adding activity one piece at a time (as writes do, in any order)
    /// gives the same rows as the whole history at once.
    #[test]
    fn incremental_replacement_equals_the_whole(h in history()) {
        let mut deltas = BehaviourDeltas::default();
        let mut seen: Vec<Activity<'static>> = Vec::new();
        for a in h.iter().rev() {
            let before = contribution(&seen);
            seen.push(a.clone());
            deltas.replace(&before, &contribution(&seen));
        }
        deltas.prune();
        let mut whole = summed(&[h]);
        whole.prune();
        prop_assert_eq!(deltas, whole);
    }
}

fn touch(day: &str, kind: &'static str, touchpoint: Option<i64>) -> Touch<'static> {
    Touch { day: d(day), kind, touchpoint, n: 1 }
}

#[test]
fn touched_windows_count_only_customers_who_used_the_touchpoints_in_each_window() {
    let a = [
        touch("2026-01-10", "purchase", Some(1)),
        touch("2026-02-10", "purchase", None),
        touch("2026-02-12", "cancellation", Some(2)),
    ];
    let b = [touch("2026-01-05", "response", Some(2)), touch("2026-02-03", "referral", Some(1))];
    let windows = [(d("2026-01-01"), d("2026-01-31")), (d("2026-02-01"), d("2026-02-28"))];
    let got = touched_windows([&a[..], &b[..]], &windows, &[1]);
    // January: only `a` used touchpoint 1; February: only `b` did, and `a`'s
    // repeat purchase and cancellation that month do not count.
    assert_eq!(got[0], WindowCounts { purchasers: 1, active: 1, ..Default::default() });
    assert_eq!(got[1], WindowCounts { active: 1, referrers: 1, active_at_start: 1, ..Default::default() });
    let both = touched_windows([&a[..], &b[..]], &windows, &[1, 2]);
    assert_eq!(both[1].churned, 1, "a cancelled in February, at touchpoint 2");
    assert_eq!((both[1].purchasers, both[1].repeat_purchasers), (1, 1));
}

proptest! {
    /// Touched windows equal the definitions applied to the customers who
    /// touched, window by window.
    #[test]
    fn touched_windows_equal_the_definitions(
        customers in prop::collection::vec(
            prop::collection::vec((0u32..60, 0usize..KINDS.len(), 1i64..3, prop::option::of(1i64..4)), 0..8),
            0..12,
        ),
        bounds in prop::collection::btree_set(0i64..60, 1..6),
    ) {
        let histories: Vec<Vec<Touch<'static>>> = customers
            .iter()
            .map(|h| h.iter().map(|(day, k, n, tp)| Touch {
                day: d("2026-01-01") + chrono::Duration::days((*day).into()),
                kind: KINDS[*k],
                touchpoint: *tp,
                n: *n,
            }).collect())
            .collect();
        let starts: Vec<NaiveDate> = bounds.iter().map(|b| d("2026-01-01") + chrono::Duration::days(*b)).collect();
        let windows: Vec<(NaiveDate, NaiveDate)> = starts
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, starts.get(i + 1).map_or(*s + chrono::Duration::days(9), |n| *n - chrono::Duration::days(1))))
            .collect();
        let touchpoints = [1, 3];
        let got = touched_windows(histories.iter().map(|h| &h[..]), &windows, &touchpoints);
        for (i, (from, to)) in windows.iter().enumerate() {
            let who: Vec<Vec<Activity<'static>>> = histories
                .iter()
                .filter(|h| h.iter().any(|a| a.n > 0 && a.day >= *from && a.day <= *to
                    && a.touchpoint.is_some_and(|t| touchpoints.contains(&t))))
                .map(|h| h.iter().map(|a| Activity { day: a.day, kind: a.kind, n: a.n }).collect())
                .collect();
            prop_assert_eq!(got[i], brute(&who, *from, *to), "window {}..{}", from, to);
        }
    }
}

proptest! {
    /// Replacing by the rows that differ adds up to taking the whole old
    /// contribution away and adding the whole new one.
    #[test]
    fn a_change_equals_removing_before_and_adding_after(before in history(), more in history()) {
        let after: Vec<Activity<'static>> = before.iter().chain(&more).cloned().collect();
        let (b, a) = (contribution(&before), contribution(&after));
        let mut whole = BehaviourDeltas::default();
        whole.add(&b, -1);
        whole.add(&a, 1);
        whole.prune();
        let mut changed = BehaviourDeltas::default();
        changed.replace(&b, &a);
        changed.prune();
        prop_assert_eq!(&changed, &whole);
        prop_assert_eq!(Change::between(&b, &b).is_empty(), true);
    }
}
