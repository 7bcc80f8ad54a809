//! A year of behaviour, told per customer from their profile: newcomers walk
//! the first-order journey (prospects drop off before paying), customers buy
//! again (unhappy ones less often), subscribers renew monthly until some
//! cancel or do not renew (mostly the unhappy, and more once the
//! subscription page got worse), problems go through support, and warm
//! customers refer friends. Journeys are `touchpoint_visit` events in each
//! experience's designed order, with drop-off, skipped steps and detours.

use super::profile::{days, declining, Profile, HISTORY_DAYS};
use super::EXPERIENCES;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport_core::feedback::EventDraft;
use rapport_core::Id;
use serde_json::Map;
use std::collections::HashMap;

struct Out<'a> {
    rng: StdRng,
    touchpoints: &'a HashMap<&'a str, Id>,
    now: DateTime<Utc>,
    events: Vec<EventDraft>,
}

impl Out<'_> {
    /// One event; `cents` is an amount range. Nothing happens in the future
    /// or before the history (a walk may start just before it).
    fn push(&mut self, kind: &str, p: &Profile, t: DateTime<Utc>, touchpoint: Option<&str>, cents: Option<(u32, u32)>) {
        if t >= self.now - Duration::minutes(1) || t <= self.now - days(HISTORY_DAYS) {
            return;
        }
        let amount = cents.map(|(lo, hi)| f64::from(self.rng.gen_range(lo..hi)) / 100.0);
        self.events.push(EventDraft {
            id: Some(format!("demo-e-{}", self.events.len() + 1)),
            kind: Some(kind.into()),
            customer: Some(p.external_id.clone()),
            at: Some(t.to_rfc3339()),
            touchpoint: touchpoint.map(|name| self.touchpoints[name]),
            amount,
            attributes: Map::new(),
        });
    }

    /// Walks `path` in its designed order from `t`, going on past step i with
    /// probability `keep[i]` after `gaps[i]` days; some arrive through a
    /// `detour` first or skip a step. Returns the visited steps and times.
    fn walk(
        &mut self,
        p: &Profile,
        mut t: DateTime<Utc>,
        path: &[&'static str],
        keep: &[f64],
        gaps: &[f64],
        detour: &[&'static str],
    ) -> Vec<(&'static str, DateTime<Utc>)> {
        let mut visited = Vec::new();
        if self.rng.gen_bool(0.12) {
            visited.push((detour[self.rng.gen_range(0..detour.len())], t - days(0.3)));
        }
        let mut i = 0;
        loop {
            visited.push((path[i], t));
            if i + 1 >= path.len() || !self.rng.gen_bool(keep[i]) {
                break;
            }
            t += days(gaps[i] * self.rng.gen_range(0.5..1.5));
            i += if i + 2 < path.len() && self.rng.gen_bool(0.06) { 2 } else { 1 };
        }
        for &(tp, at) in &visited {
            self.push("touchpoint_visit", p, at, Some(tp), None);
        }
        visited
    }
}

/// Every event, keyed `demo-e-1`, `demo-e-2`, ... in a fixed order.
pub fn events(profiles: &[Profile], touchpoints: &HashMap<&str, Id>, now: DateTime<Utc>) -> Vec<EventDraft> {
    let mut out = Out { rng: StdRng::seed_from_u64(0xE0_2026), touchpoints, now, events: Vec::new() };
    for p in profiles {
        purchases(&mut out, p);
        if p.subscriber {
            subscription(&mut out, p);
        }
        if p.orders > 0 {
            support(&mut out, p);
        }
        goodwill(&mut out, p);
    }
    out.events
}

/// The first order (when it falls in the history) and repeat purchases.
fn purchases(o: &mut Out<'_>, p: &Profile) {
    let first_in_history = o.now - p.start < days(HISTORY_DAYS - 1.0);
    if first_in_history && p.online {
        // Prospects (no orders) browse and leave; buyers go on to the box.
        let keep: &[f64] = if p.orders == 0 { &[0.45, 0.0, 0.0, 0.0] } else { &[1.0, 0.93, 0.9, 0.7] };
        let detour = ["Social media and reviews", "Café tasting bar"];
        o.walk(p, p.start, EXPERIENCES[0].interactions, keep, &[0.01, 0.01, 2.5, 0.3], &detour);
    }
    if p.orders == 0 {
        return;
    }
    let unhappy = p.mood < -10.0;
    let (lo, hi) = if p.subscriber { (90.0, 200.0) } else { (30.0, 110.0) };
    let mut t = if first_in_history { p.start } else { p.start + days(o.rng.gen_range(0.0..hi)) };
    let mut first = true;
    while t < o.now {
        let online = p.online && (!p.cafe || o.rng.gen_bool(0.5)) || first && first_in_history && p.online;
        let (tp, cents) = if online { ("Online checkout", (1200, 6000)) } else { ("Café counter order", (350, 2400)) };
        o.push("purchase", p, t, Some(tp), Some(cents));
        // Newcomers come back less often (a repeat rate near the 35% goal);
        // unhappy customers may stop buying at any time.
        if p.new && first && !o.rng.gen_bool((0.38 + p.mood / 150.0).clamp(0.05, 0.9)) {
            break;
        }
        if unhappy && o.rng.gen_bool(0.15) {
            break;
        }
        first = false;
        t += days(o.rng.gen_range(lo..hi) * if unhappy { 1.5 } else { 1.0 });
    }
}

/// Monthly renewals until the subscriber leaves, and now and then a walk
/// through the renewal journey (fewer get past the page once it got worse).
fn subscription(o: &mut Out<'_>, p: &Profile) {
    let mut t = p.start + days(o.rng.gen_range(1.0..30.0));
    while t < o.now {
        if let Some((at, cancelled)) = p.churn.filter(|(at, _)| *at <= t) {
            let (kind, tp) = if cancelled {
                ("cancellation", "Subscription management page")
            } else {
                ("non_renewal", "Renewal reminder")
            };
            o.push(kind, p, at, Some(tp), None);
            return;
        }
        if o.rng.gen_bool(0.2) {
            let page = if declining(o.now, t) { 0.5 } else { 0.85 };
            let detour = ["Support chat", "Website and coffee finder"];
            o.walk(
                p,
                t - days(3.0),
                EXPERIENCES[1].interactions,
                &[0.75, page, 0.95, 0.6],
                &[0.5, 1.0, 2.0, 3.0],
                &detour,
            );
        }
        o.push("renewal", p, t, Some("Renewal reminder"), Some((1800, 3200)));
        t += days(30.0);
    }
}

/// Problems: unhappy customers contact support more; most are solved in the
/// chat, some go on to the phone and to a replacement or refund.
fn support(o: &mut Out<'_>, p: &Profile) {
    let per_year = 0.6 + if p.mood < 0.0 { 1.2 } else { 0.0 };
    let mut t = p.start + days(o.rng.gen_range(0.0..2.0 * HISTORY_DAYS / per_year));
    while t < o.now {
        let path = EXPERIENCES[2].interactions;
        let path = if o.rng.gen_bool(0.2) { &path[1..] } else { path };
        let detour = ["Delivery", "Subscription management page"];
        let visited = o.walk(p, t, path, &[0.35, 0.5], &[0.2, 1.0], &detour);
        o.push("contact", p, t, Some(path[0]), None);
        if let Some(&(tp, at)) = visited.iter().find(|(tp, _)| *tp == "Replacement and refund") {
            if o.rng.gen_bool(0.6) {
                o.push("refund", p, at + days(0.5), Some(tp), Some((900, 2500)));
            }
        }
        t += days(o.rng.gen_range(0.0..2.0 * HISTORY_DAYS / per_year));
    }
}

/// Referrals from warm customers; refunds asked by the unhappiest.
fn goodwill(o: &mut Out<'_>, p: &Profile) {
    let span = (o.now - p.start).num_seconds() as f64 / 86_400.0;
    let referrals = if p.mood > 20.0 && o.rng.gen_bool(0.5) {
        o.rng.gen_range(1..=2)
    } else {
        usize::from(p.mood > 0.0 && o.rng.gen_bool(0.05))
    };
    for _ in 0..referrals {
        let t = p.start + days(o.rng.gen_range(0.0..span));
        o.push("referral", p, t, None, None);
    }
    if p.orders > 0 && p.mood < -15.0 && o.rng.gen_bool(0.25) {
        let t = p.start + days(o.rng.gen_range(0.0..span));
        o.push("refund", p, t, Some("Replacement and refund"), Some((900, 2500)));
    }
}
