//! Stories of perfect behaviours (A7), on both backends: a behaviour's
//! counts, kept at write time, equal an independent count made here from
//! the raw list of events (earlier purchases before the period included,
//! duplicates sent twice, another organization's events ignored); a
//! behaviour created after its events is backfilled; changing the rule
//! recounts; new and back-dated events, erasure and the rollup rebuild keep
//! the counts right.

use super::listening::event;
use super::{add_experience, add_person, add_stage, add_touchpoint, conflict, invalid, not_found, org};
use crate::say;
use chrono::{Duration, NaiveDate};
use rapport_core::feedback::EventInput;
use rapport_core::plan::perfect_behaviour::state::Counts;
use rapport_core::plan::perfect_behaviour::{Base, BehaviourInput, Rule};
use rapport_core::Id;
use rapport_store::Store;
use std::collections::BTreeSet;

/// An event as the test knows it: key, type, customer, day, touchpoint.
type Raw = (String, &'static str, String, NaiveDate, Option<Id>);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn input(r: &Raw) -> EventInput {
    event(Some(&r.0), r.1, &r.2, &format!("{}T10:30:00Z", r.3), r.4)
}

/// A deterministic scatter of purchases, referrals and contacts by 40
/// customers from June 2025 to June 2026 (a linear congruential sequence).
fn scatter(prefix: &str, tp: Id) -> Vec<Raw> {
    let mut x: u64 = 0x2545_f491;
    let mut next = |n: u64| {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % n
    };
    (0..400)
        .map(|i| {
            let kind = ["purchase", "purchase", "purchase", "referral", "contact"][next(5) as usize];
            let customer = format!("k{}", next(40));
            let day = d(2025, 6, 1) + Duration::days(next(390) as i64);
            let at = if next(3) == 0 { Some(tp) } else { None };
            (format!("{prefix}{i}"), kind, customer, day, at)
        })
        .collect()
}

/// The straightforward count from the raw events: each matching event in
/// the period makes its customer eligible; the customer showed the
/// behaviour when, for one of those events, their matching events from
/// `W − 1` days before it up to its day number at least `N`.
fn independent(rule: &Rule, events: &[Raw], from: NaiveDate, to: NaiveDate) -> Counts {
    let hit = |e: &&Raw| e.1 == rule.event_type && (rule.touchpoint_id.is_none() || e.4 == rule.touchpoint_id);
    let matching: Vec<&Raw> = events.iter().filter(hit).collect();
    let (mut eligible, mut shown) = (BTreeSet::new(), BTreeSet::new());
    for e in matching.iter().filter(|e| e.3 >= from && e.3 <= to) {
        eligible.insert(e.2.clone());
        let earliest = rule.window_days.map(|w| e.3 - Duration::days(w - 1));
        let within =
            matching.iter().filter(|o| o.2 == e.2 && o.3 <= e.3 && earliest.is_none_or(|x| o.3 >= x)).count() as i64;
        if within >= rule.count {
            shown.insert(e.2.clone());
        }
    }
    let active: BTreeSet<&String> = events.iter().filter(|e| e.3 >= from && e.3 <= to).map(|e| &e.2).collect();
    let eligible = if rule.base == Base::Active { active.len() } else { eligible.len() } as i64;
    Counts { eligible, shown: shown.len() as i64 }
}

/// Every month from November 2025 to June 2026, a quarter, a single day
/// and the whole range.
fn windows() -> Vec<(NaiveDate, NaiveDate)> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = (0..8)
        .map(|i| {
            let first = d(2025, 11, 1).checked_add_months(chrono::Months::new(i)).unwrap();
            (first, first.checked_add_months(chrono::Months::new(1)).unwrap().pred_opt().unwrap())
        })
        .collect();
    out.extend([(d(2026, 1, 1), d(2026, 3, 31)), (d(2026, 2, 14), d(2026, 2, 14)), (d(2025, 1, 1), d(2026, 12, 31))]);
    out
}

async fn check(s: &dyn Store, org: Id, id: Id, rule: &Rule, events: &[Raw], what: &str) {
    let w = windows();
    let got = s.perfect_behaviour_counts(org, id, &w).await.unwrap();
    let want: Vec<Counts> = w.iter().map(|(f, t)| independent(rule, events, *f, *t)).collect();
    assert_eq!(got, want, "{what}: counts per window {w:?}");
    assert!(want.iter().any(|c| c.shown > 0), "{what}: the check must see customers showing it");
}

fn behaviour(name: &str, owner: Id, rule: Rule) -> BehaviourInput {
    BehaviourInput { name: name.into(), name_es: None, owner_id: owner, target: 40.0, rule }
}

fn rule(kind: &str, count: i64, window: Option<i64>) -> Rule {
    Rule { event_type: kind.into(), touchpoint_id: None, count, window_days: window, base: Base::Matching }
}

pub async fn perfect_behaviours_story(s: &dyn Store) {
    let o = org(s, "behaviours").await.id;
    let other = org(s, "behaviours-other").await.id;
    let owner = add_person(s, o, "Ana Owner").await;
    let their_person = add_person(s, other, "Them").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let shop = add_touchpoint(s, o, "Shop", stage, None).await;
    let x = add_experience(s, o, "Repeat customers", Some(owner)).await;
    let their_x = add_experience(s, other, "Theirs", None).await;

    say("events at known days: a purchase before the period, a repeat within 60 days, one too late, two on one day");
    let mut events: Vec<Raw> = vec![
        ("a1".into(), "purchase", "c1".into(), d(2025, 11, 20), None),
        ("a2".into(), "purchase", "c1".into(), d(2026, 1, 10), None),
        ("b1".into(), "purchase", "c2".into(), d(2026, 1, 5), None),
        ("b2".into(), "purchase", "c2".into(), d(2026, 3, 20), None),
        ("c1".into(), "purchase", "c3".into(), d(2026, 2, 14), Some(shop)),
        ("c2".into(), "purchase", "c3".into(), d(2026, 2, 14), None),
        ("d1".into(), "referral", "c5".into(), d(2026, 1, 20), None),
    ];
    events.extend(scatter("s", shop));
    let sent: Vec<EventInput> = events.iter().map(input).collect();
    s.ingest_events(o, &sent).await.unwrap();
    say("the same events again are duplicates; another organization's events count nowhere");
    s.ingest_events(o, &sent[..20]).await.unwrap();
    let theirs: Vec<EventInput> = sent.iter().map(|e| EventInput { touchpoint: None, ..e.clone() }).collect();
    s.ingest_events(other, &theirs).await.unwrap();

    say("a behaviour created after its events is backfilled");
    let repeat = rule("purchase", 2, Some(60));
    let b = s.create_behaviour(o, x, &behaviour("Buys again within 60 days", owner, repeat.clone())).await.unwrap();
    check(s, o, b.id, &repeat, &events, "backfilled").await;
    let jan = s.perfect_behaviour_counts(o, b.id, &[(d(2026, 1, 1), d(2026, 1, 31))]).await.unwrap()[0];
    assert_eq!(jan, independent(&repeat, &events, d(2026, 1, 1), d(2026, 1, 31)));

    say("new and back-dated events are counted against each customer's whole history");
    let more: Vec<Raw> = vec![
        ("b3".into(), "purchase", "c2".into(), d(2026, 4, 1), None),
        ("e1".into(), "purchase", "c4".into(), d(2026, 3, 1), None),
        ("e0".into(), "purchase", "c4".into(), d(2026, 2, 1), None),
        ("f1".into(), "purchase", "k1".into(), d(2025, 5, 1), None),
    ];
    s.ingest_events(o, &more.iter().map(input).collect::<Vec<_>>()).await.unwrap();
    events.extend(more);
    check(s, o, b.id, &repeat, &events, "after more events").await;

    say("other rules: referrals at any time among active customers, purchases at one touchpoint");
    let refer = Rule { base: Base::Active, ..rule("referral", 1, None) };
    let r = s.create_behaviour(o, x, &behaviour("Refers a friend", owner, refer.clone())).await.unwrap();
    check(s, o, r.id, &refer, &events, "referrals").await;
    let at_shop = Rule { touchpoint_id: Some(shop), ..rule("purchase", 2, None) };
    let t = s.create_behaviour(o, x, &behaviour("Buys twice at the shop", owner, at_shop.clone())).await.unwrap();
    check(s, o, t.id, &at_shop, &events, "at the shop").await;

    say("changing the rule recounts");
    let tighter = rule("purchase", 2, Some(30));
    let changed = behaviour("Buys again within 30 days", owner, tighter.clone());
    let b2 = s.update_behaviour(o, b.id, &changed).await.unwrap();
    assert_eq!((b2.rule.window_days, b2.name.as_str()), (Some(30), "Buys again within 30 days"));
    check(s, o, b.id, &tighter, &events, "after the change").await;
    assert_eq!(s.list_behaviours(o, Some(x)).await.unwrap().len(), 3);

    say("erasing a customer takes them out; a rebuild recomputes the same counts");
    s.erase_customer(o, "k1", "test").await.unwrap();
    events.retain(|e| e.2 != "k1");
    check(s, o, b.id, &tighter, &events, "after erasure").await;
    s.rebuild_rollups(o).await.unwrap();
    check(s, o, b.id, &tighter, &events, "after the rebuild").await;
    check(s, o, r.id, &refer, &events, "referrals after the rebuild").await;

    say("the other organization sees none of it; references must be the organization's");
    not_found(s.behaviour(other, b.id).await);
    not_found(s.perfect_behaviour_counts(other, b.id, &windows()).await);
    not_found(s.list_behaviours(o, Some(their_x)).await);
    not_found(s.create_behaviour(o, their_x, &behaviour("x", owner, tighter.clone())).await);
    invalid(s.create_behaviour(o, x, &behaviour("x", their_person, tighter.clone())).await, "owner_id");
    let foreign_tp = Rule { touchpoint_id: Some(shop + 10_000), ..tighter.clone() };
    invalid(s.update_behaviour(o, b.id, &behaviour("x", owner, foreign_tp)).await, "touchpoint_id");
    assert!(s.list_behaviours(other, None).await.unwrap().is_empty());

    say("an experience holds at most 50 behaviours");
    for i in 3..50 {
        s.create_behaviour(o, x, &behaviour(&format!("b{i}"), owner, rule("contact", 1, None))).await.unwrap();
    }
    conflict(s.create_behaviour(o, x, &behaviour("one more", owner, rule("contact", 1, None))).await, "experience_id");

    say("deleting a behaviour removes it and its counts");
    s.delete_behaviour(o, t.id).await.unwrap();
    not_found(s.behaviour(o, t.id).await);
    not_found(s.delete_behaviour(o, t.id).await);
}
