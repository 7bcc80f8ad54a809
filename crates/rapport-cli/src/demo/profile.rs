//! Who the demo customers are over the seeded year: when each became a
//! customer, how they feel about Aurora (a "mood" in NPS points, from their
//! segments plus a personal lean) and, for subscribers, whether and when they
//! leave. Responses and events both read these profiles, so one customer's
//! scores, refunds and cancellation tell one story instead of being noise.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport_core::customer::CustomerUpsert;
use rapport_core::lang::Lang;

/// How far back the seeded responses and events go.
pub const HISTORY_DAYS: f64 = 365.0;
/// The subscription page got worse in this many last days (the story of the
/// "Subscription renewal" experience).
pub const DECLINE_DAYS: f64 = 90.0;

pub struct Profile {
    pub external_id: String,
    pub lang: Lang,
    /// Buys online (only or as well as in cafés).
    pub online: bool,
    /// Buys in cafés (only or as well as online).
    pub cafe: bool,
    pub subscriber: bool,
    /// At most one order: a first-order customer or a prospect (none yet).
    pub new: bool,
    /// Orders so far per the attributes; 0 = a prospect who never buys.
    pub orders: i64,
    /// Offset to an experience's NPS, in points; segments differ through it.
    pub mood: f64,
    /// When they became a customer (the start of the history at the latest).
    pub start: DateTime<Utc>,
    /// For subscribers who leave: when, and whether they cancelled (else did
    /// not renew).
    pub churn: Option<(DateTime<Utc>, bool)>,
}

pub fn days(d: f64) -> Duration {
    Duration::seconds((d * 86_400.0) as i64)
}

/// 0.0 a year before `now`, 1.0 at `now`: where `t` sits in the history.
pub fn progress(now: DateTime<Utc>, t: DateTime<Utc>) -> f64 {
    1.0 - (now - t).num_seconds() as f64 / (HISTORY_DAYS * 86_400.0)
}

/// True in the last `DECLINE_DAYS` before `now`.
pub fn declining(now: DateTime<Utc>, t: DateTime<Utc>) -> bool {
    now - t < days(DECLINE_DAYS)
}

fn num(c: &CustomerUpsert, key: &str) -> f64 {
    c.attributes.get(key).and_then(|v| v.as_f64()).unwrap_or(0.0)
}

fn text<'a>(c: &'a CustomerUpsert, key: &str) -> &'a str {
    c.attributes.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

/// Profiles for `customers`, in their order; deterministic for one `now`.
pub fn profiles(customers: &[CustomerUpsert], now: DateTime<Utc>) -> Vec<Profile> {
    let mut rng = StdRng::seed_from_u64(0xC0_2026);
    customers.iter().map(|c| profile(&mut rng, c, now)).collect()
}

fn profile(rng: &mut StdRng, c: &CustomerUpsert, now: DateTime<Utc>) -> Profile {
    let channel = text(c, "channel");
    let orders = num(c, "orders") as i64;
    let new = orders <= 1;
    let high_value = num(c, "lifetime_spend") >= 400.0 || orders >= 15;
    let regular = num(c, "cafe_visits_90d") >= 6.0;
    let spanish = text(c, "language") == "es";
    // Segment effects (the segment comparison a dashboard shows): valued and
    // regular customers are warmer, newcomers cooler, Spanish speakers like
    // the bilingual service, online-only buyers never meet a barista.
    let mut mood = 0.0;
    mood += if high_value { 12.0 } else { 0.0 };
    mood += if regular { 8.0 } else { 0.0 };
    mood += if new { -12.0 } else { 0.0 };
    mood += if spanish { 6.0 } else { 0.0 };
    mood += if channel == "online" { -5.0 } else { 0.0 };
    // A personal lean, roughly bell-shaped (sum of three uniforms).
    mood += (0..3).map(|_| rng.gen_range(-1.0..1.0)).sum::<f64>() * 14.0;
    // Centred: the effects above add about +8 on average, and each
    // experience's designed NPS (see `responses`) is meant for the average.
    mood -= 8.0;

    let tenure = num(c, "tenure_months");
    let start_ago = if new {
        rng.gen_range(3.0..80.0)
    } else if tenure < 12.0 {
        tenure * 30.0 + rng.gen_range(0.0..30.0)
    } else {
        HISTORY_DAYS
    };
    let start = now - days(start_ago.min(HISTORY_DAYS));
    let subscriber = text(c, "plan") == "subscription";
    let churn = if subscriber { churn(rng, mood, start, now) } else { None };
    Profile {
        external_id: c.external_id.clone(),
        lang: if spanish { Lang::Es } else { Lang::En },
        online: channel != "cafe",
        cafe: channel != "online",
        subscriber,
        new,
        orders,
        mood,
        start,
        churn,
    }
}

/// Month by month, a subscriber may leave: more likely when unhappy, and
/// more likely for everyone once the subscription page got worse.
fn churn(rng: &mut StdRng, mood: f64, start: DateTime<Utc>, now: DateTime<Utc>) -> Option<(DateTime<Utc>, bool)> {
    let mut t = start + days(rng.gen_range(20.0..40.0));
    while t < now {
        let mut hazard = 0.01;
        hazard += if mood < -10.0 {
            0.04
        } else if mood < 5.0 {
            0.012
        } else {
            0.0
        };
        hazard += if declining(now, t) { 0.035 } else { 0.0 };
        if rng.gen_bool(hazard) {
            return Some((t, rng.gen_bool(0.65)));
        }
        t += days(30.0);
    }
    None
}
