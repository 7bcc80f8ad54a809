//! The organization's working calendar: which days are worked, between which
//! hours, and which dates are holidays, in the organization's time zone.
//! Response-time promises of customer cases are counted in working time with
//! it, and redesign sprints last a number of workdays.
//!
//! Times are instants in UTC; the calendar reads them on the wall clock of
//! its time zone, an IANA name such as "Europe/Madrid" (`chrono-tz`), so the
//! working day follows the daylight-saving changes: 09:00 in Madrid is 08:00
//! UTC in winter and 07:00 UTC in summer. Working time is the set of instants
//! whose wall-clock reading falls in the working hours of a workday, measured
//! in real time: a round-the-clock calendar counts 23 hours on the day the
//! clocks go forward and 25 on the day they go back, a 09:00–17:00 calendar
//! always 8. A working day starting inside the skipped hour starts when the
//! clocks go forward. Names of the form "UTC+05:30" are fixed offsets: the
//! calendars saved before time zones existed were given the name of their
//! offset.
//!
//! How the zone is used: within a stretch of constant offset the arithmetic
//! is that of a fixed offset (whole weeks and holidays counted, never walked
//! minute by minute), and the answer is carried across each offset change
//! met on the way. Offset changes are found by comparing the offset every six
//! days and bisecting to the second where it differs (since 2000 no zone has
//! changed its offset twice within a week), looked for from 2000 to 2100.
//!
//! Robustness: `validate` only produces sensible calendars, but one built by
//! hand is still used without looping forever or panicking. No workday at all
//! counts as every weekday being a workday; an empty working day
//! (`day_end <= day_start`) counts as the whole day; an unknown time zone
//! counts as UTC; hours are clamped into range and holidays need not be
//! sorted. Answers past chrono's largest date saturate at it.

use crate::validate::FieldErrors;
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holiday {
    /// A local date.
    pub day: NaiveDate,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkCalendar {
    /// The time zone of the working hours and holidays: an IANA name such as
    /// "Europe/Madrid" or "America/New_York", whose daylight-saving changes
    /// the calendar follows; "UTC" (the default); or a fixed offset written
    /// "UTC+05:30" / "UTC-05:00" (what calendars saved with the former
    /// `utc_offset_minutes` became).
    #[cfg_attr(feature = "openapi", schema(example = "Europe/Madrid"))]
    pub time_zone: String,
    /// Minutes after local midnight when work starts, e.g. 540 = 09:00.
    pub day_start: u16,
    /// Minutes after local midnight when work ends, e.g. 1020 = 17:00;
    /// `day_start < day_end <= 1440` (1440 = midnight at the end of the day).
    pub day_end: u16,
    /// Monday first.
    pub workdays: [bool; 7],
    /// Local dates, sorted by day, no duplicates.
    pub holidays: Vec<Holiday>,
}

impl Default for WorkCalendar {
    /// UTC, 09:00–17:00, Monday to Friday, no holidays.
    fn default() -> Self {
        Self {
            time_zone: "UTC".into(),
            day_start: 540,
            day_end: 1020,
            workdays: [true, true, true, true, true, false, false],
            holidays: Vec::new(),
        }
    }
}

/// A time zone as the arithmetic uses it.
#[derive(Debug, Clone, Copy)]
enum Zone {
    /// "UTC" or "UTC±HH:MM": one offset all year.
    Fixed(TimeDelta),
    /// An IANA zone, with its offset changes.
    Iana(Tz),
}

/// The largest fixed offset, ±14:00 (Kiribati).
const MAX_OFFSET_MINUTES: i32 = 840;
/// Offset changes are looked for in this range of instants (2000-01-01 to
/// 2100-01-01 UTC), by comparing the offset every [`SCAN_STEP`] seconds.
const SCAN_FROM: i64 = 946_684_800;
const SCAN_UNTIL: i64 = 4_102_444_800;
/// Six days: since 2000 every zone's offset changes are at least 6.9 days
/// apart (the closest: Asia/Gaza, Brazil in 2000), so no change is missed.
const SCAN_STEP: i64 = 6 * 86_400;

impl Zone {
    fn parse(name: &str) -> Option<Zone> {
        if name == "UTC" {
            return Some(Zone::Fixed(TimeDelta::zero()));
        }
        if let Some(rest) = name.strip_prefix("UTC") {
            let (sign, hm) = match rest.as_bytes().first() {
                Some(b'+') => (1, &rest[1..]),
                Some(b'-') => (-1, &rest[1..]),
                _ => return None,
            };
            let (h, m) = hm.split_once(':')?;
            let two = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
            if !two(h) || !two(m) {
                return None;
            }
            let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
            let total = h * 60 + m;
            return (m < 60 && total <= MAX_OFFSET_MINUTES)
                .then(|| Zone::Fixed(TimeDelta::minutes((sign * total).into())));
        }
        name.parse::<Tz>().ok().map(Zone::Iana)
    }
}

/// True when `name` is a time zone a calendar can use: an IANA name known
/// to `chrono-tz` (case as in the database, e.g. "Europe/Madrid"), "UTC", or
/// a fixed offset "UTC±HH:MM" within ±14:00.
pub fn is_time_zone(name: &str) -> bool {
    Zone::parse(name).is_some()
}

/// The fixed-offset zone name of an offset in minutes: 0 → "UTC",
/// 330 → "UTC+05:30", -300 → "UTC-05:00". How the former
/// `utc_offset_minutes` are carried into time zones.
pub fn fixed_zone_name(offset_minutes: i32) -> String {
    if offset_minutes == 0 {
        return "UTC".into();
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let m = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// The instant `day` begins on the wall clock of `time_zone` (an unknown
/// zone counts as UTC): local midnight, or, where the clocks skip midnight,
/// the first local time of the day that exists (looked for a quarter of an
/// hour at a time). Date filters read local days with it.
pub fn start_of_local_day(time_zone: &str, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    match Zone::parse(time_zone).unwrap_or(Zone::Fixed(TimeDelta::zero())) {
        Zone::Fixed(offset) => Utc.from_utc_datetime(&(midnight - offset)),
        Zone::Iana(tz) => (0..96)
            .map(|q| midnight + TimeDelta::minutes(15 * q))
            .find_map(|local| tz.from_local_datetime(&local).earliest())
            .map_or_else(|| Utc.from_utc_datetime(&midnight), |t| t.with_timezone(&Utc)),
    }
}

/// The wall-clock reading of `at` in `time_zone` (an unknown zone counts
/// as UTC), to show an instant as the organization reads it.
pub fn local_time(time_zone: &str, at: DateTime<Utc>) -> NaiveDateTime {
    match Zone::parse(time_zone).unwrap_or(Zone::Fixed(TimeDelta::zero())) {
        Zone::Fixed(offset) => at.naive_utc() + offset,
        Zone::Iana(tz) => at.with_timezone(&tz).naive_local(),
    }
}

/// The IANA time zone names, sorted (for a form's suggestions).
pub fn time_zone_names() -> impl Iterator<Item = &'static str> {
    let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    names.sort_unstable();
    names.into_iter()
}

/// The calendar made safe to compute with (see the module notes), built once
/// per call so that a hand-made calendar cannot mislead the arithmetic.
struct Rules {
    zone: Zone,
    start: TimeDelta,
    end: TimeDelta,
    week: [bool; 7],
    per_week: u64,
    /// Holidays falling on working weekdays, sorted and unique: the only ones
    /// that change a count.
    off: Vec<NaiveDate>,
}

impl Rules {
    fn new(c: &WorkCalendar) -> Self {
        let week = if c.workdays.contains(&true) { c.workdays } else { [true; 7] };
        let (mut start, mut end) = (c.day_start.min(1440), c.day_end.min(1440));
        if end <= start {
            (start, end) = (0, 1440);
        }
        let mut off: Vec<NaiveDate> =
            c.holidays.iter().map(|h| h.day).filter(|d| week[d.weekday().num_days_from_monday() as usize]).collect();
        off.sort_unstable();
        off.dedup();
        Rules {
            zone: Zone::parse(c.time_zone.trim()).unwrap_or(Zone::Fixed(TimeDelta::zero())),
            start: TimeDelta::minutes(start.into()),
            end: TimeDelta::minutes(end.into()),
            week,
            per_week: week.iter().filter(|w| **w).count() as u64,
            off,
        }
    }

    fn is_workday(&self, d: NaiveDate) -> bool {
        self.week[d.weekday().num_days_from_monday() as usize] && self.off.binary_search(&d).is_err()
    }

    /// Workdays in `a..=b`, by arithmetic: whole weeks, the odd days, minus
    /// the holidays in between.
    fn count(&self, a: NaiveDate, b: NaiveDate) -> u64 {
        if b < a {
            return 0;
        }
        let days = (b - a).num_days() as u64 + 1;
        let first = a.weekday().num_days_from_monday() as u64;
        let odd = (0..days % 7).filter(|i| self.week[((first + i) % 7) as usize]).count() as u64;
        let holidays = self.off.partition_point(|h| *h <= b) - self.off.partition_point(|h| *h < a);
        (days / 7 * self.per_week + odd).saturating_sub(holidays as u64)
    }

    /// The n-th workday strictly after `d`; `None` past chrono's last date.
    fn add(&self, d: NaiveDate, n: u64) -> Option<NaiveDate> {
        let (mut cur, mut left) = (d, n);
        // k whole weeks hold at most k * per_week workdays, so jumping them
        // never overshoots; holidays met on the way are made up afterwards.
        while left > self.per_week {
            let weeks = (left - 1) / self.per_week;
            let next = cur.checked_add_days(Days::new(weeks.checked_mul(7)?))?;
            left -= self.count(cur.succ_opt()?, next);
            cur = next;
        }
        // At most a week's worth left, plus any holidays in the way.
        while left > 0 {
            cur = cur.succ_opt()?;
            if self.is_workday(cur) {
                left -= 1;
            }
        }
        Some(cur)
    }

    /// The zone's offset at `at` (local = UTC + offset).
    fn offset(&self, at: DateTime<Utc>) -> TimeDelta {
        match self.zone {
            Zone::Fixed(o) => o,
            Zone::Iana(tz) => offset_at(tz, at.timestamp()),
        }
    }

    /// The first instant in `(a, b]` at which the offset differs from the
    /// offset at `a`, if any (see the module notes: looked for from 2000 to
    /// 2100, every six days, then bisected to the second).
    fn change(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let Zone::Iana(tz) = self.zone else { return None };
        let (start, end) = (a.timestamp(), b.timestamp().min(SCAN_UNTIL));
        let first = offset_at(tz, start);
        let mut lo = start;
        if lo < SCAN_FROM {
            if end < SCAN_FROM {
                return None;
            }
            if offset_at(tz, SCAN_FROM) != first {
                return DateTime::from_timestamp(SCAN_FROM, 0);
            }
            lo = SCAN_FROM;
        }
        while lo < end {
            let hi = (lo + SCAN_STEP).min(end);
            if offset_at(tz, hi) != first {
                // offset(l) == first, offset(h) != first: bisect to the second.
                let (mut l, mut h) = (lo, hi);
                while h - l > 1 {
                    let m = l + (h - l) / 2;
                    if offset_at(tz, m) == first {
                        l = m;
                    } else {
                        h = m;
                    }
                }
                return DateTime::from_timestamp(h, 0);
            }
            lo = hi;
        }
        None
    }

    /// Local wall-clock time at `at` with offset `o`.
    fn local(&self, o: TimeDelta, at: DateTime<Utc>) -> NaiveDateTime {
        let sat = if o > TimeDelta::zero() { NaiveDateTime::MAX } else { NaiveDateTime::MIN };
        at.naive_utc().checked_add_signed(o).unwrap_or(sat)
    }

    /// The instant of local `day` + `tod` with offset `o`; saturates at
    /// chrono's limits.
    fn instant(&self, o: TimeDelta, day: NaiveDate, tod: TimeDelta) -> DateTime<Utc> {
        let local = day.and_time(chrono::NaiveTime::MIN).checked_add_signed(tod);
        match local.and_then(|l| l.checked_sub_signed(o)) {
            Some(utc) => utc.and_utc(),
            None if day.year() < 0 => DateTime::<Utc>::MIN_UTC,
            None => DateTime::<Utc>::MAX_UTC,
        }
    }
}

/// The offset of IANA zone `tz` at a Unix time in seconds.
fn offset_at(tz: Tz, secs: i64) -> TimeDelta {
    let at = DateTime::from_timestamp(secs, 0).map(|d| d.naive_utc()).unwrap_or(NaiveDateTime::MAX);
    TimeDelta::seconds(tz.offset_from_utc_datetime(&at).fix().local_minus_utc().into())
}

/// Time of day of a local date-time, from midnight.
fn time_of_day(l: NaiveDateTime) -> TimeDelta {
    l - l.date().and_time(chrono::NaiveTime::MIN)
}

impl WorkCalendar {
    /// The weekday is worked and the date is not a holiday.
    pub fn is_workday(&self, day: NaiveDate) -> bool {
        Rules::new(self).is_workday(day)
    }

    /// The n-th workday strictly after `day`; `day` itself when n = 0, even if
    /// it is not a workday.
    pub fn add_workdays(&self, day: NaiveDate, n: u32) -> NaiveDate {
        Rules::new(self).add(day, n.into()).unwrap_or(NaiveDate::MAX)
    }

    /// Last day of a period of `workdays` workdays whose first workday is the
    /// first workday on or after `start`: a 20-workday sprint starting on
    /// Monday 2026-11-02 ends on Friday 2026-11-27. Zero counts as one.
    pub fn sprint_end(&self, start: NaiveDate, workdays: u32) -> NaiveDate {
        let r = Rules::new(self);
        let first = if r.is_workday(start) { Some(start) } else { r.add(start, 1) };
        first.and_then(|f| r.add(f, u64::from(workdays.max(1)) - 1)).unwrap_or(NaiveDate::MAX)
    }

    /// Workdays in `from..=to`; 0 when `to < from`.
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        Rules::new(self).count(from, to).try_into().unwrap_or(u32::MAX)
    }

    /// `at` itself when it is working time (from the start of a working day,
    /// inclusive, to its end, exclusive, on the zone's wall clock), else the
    /// start of the next one.
    pub fn next_working_instant(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let r = Rules::new(self);
        next_working(&r, at)
    }

    /// When a promise of `minutes` working minutes made at `from` falls due.
    /// The clock starts at `next_working_instant(from)`. A promise that runs
    /// out exactly at the end of a working day is due then (17:00), not at the
    /// next morning's start. `minutes <= 0` gives the start instant.
    pub fn add_working_minutes(&self, from: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
        let r = Rules::new(self);
        let begin = next_working(&r, from);
        if minutes <= 0 {
            return begin;
        }
        let Some(mut left) = TimeDelta::try_minutes(minutes) else { return DateTime::<Utc>::MAX_UTC };
        // As if the offset at `t` held; if it changes before that answer,
        // count the working time up to the change and go on from there.
        let mut t = begin;
        loop {
            let o = r.offset(t);
            let due = fixed_add(&r, o, t, left);
            match r.change(t, due) {
                None => return due,
                Some(c) => {
                    left -= fixed_between(&r, o, t, c);
                    if left <= TimeDelta::zero() {
                        return c;
                    }
                    t = c;
                }
            }
        }
    }

    /// Working minutes in `[from, to)`, whole minutes (seconds are dropped);
    /// 0 when `to <= from`.
    pub fn working_minutes_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let r = Rules::new(self);
        let (mut total, mut t) = (TimeDelta::zero(), from);
        loop {
            let o = r.offset(t);
            match r.change(t, to) {
                Some(c) if c < to => {
                    total += fixed_between(&r, o, t, c);
                    t = c;
                }
                _ => {
                    total += fixed_between(&r, o, t, to);
                    return total.num_minutes();
                }
            }
        }
    }
}

/// The first working instant at or after `at`: that of a fixed offset, unless
/// the offset changes before it, then the same from the change on.
fn next_working(r: &Rules, at: DateTime<Utc>) -> DateTime<Utc> {
    let mut t = at;
    loop {
        let candidate = fixed_next(r, r.offset(t), t);
        match r.change(t, candidate) {
            Some(c) => t = c,
            None => return candidate,
        }
    }
}

/// [`next_working`] with a fixed offset `o`.
fn fixed_next(r: &Rules, o: TimeDelta, at: DateTime<Utc>) -> DateTime<Utc> {
    let local = r.local(o, at);
    let (day, tod) = (local.date(), time_of_day(local));
    if r.is_workday(day) {
        if tod >= r.start && tod < r.end {
            return at;
        }
        if tod < r.start {
            return r.instant(o, day, r.start);
        }
    }
    match r.add(day, 1) {
        Some(next) => r.instant(o, next, r.start),
        None => DateTime::<Utc>::MAX_UTC,
    }
}

/// When `left` (> 0) working time from `from` runs out, with a fixed offset
/// `o`: the earliest instant with that much working time since `from`.
fn fixed_add(r: &Rules, o: TimeDelta, from: DateTime<Utc>, left: TimeDelta) -> DateTime<Utc> {
    let begin = fixed_next(r, o, from);
    let local = r.local(o, begin);
    let (day, tod) = (local.date(), time_of_day(local));
    let today = r.end - tod;
    if left <= today {
        return begin.checked_add_signed(left).unwrap_or(DateTime::<Utc>::MAX_UTC);
    }
    // Whole working days of length `len`, then what is left of the last
    // one, which may be all of it: (0, len], so ending at day_end.
    let left = left - today;
    let len = (r.end - r.start).num_seconds();
    let secs = left.num_seconds() + i64::from(left.subsec_nanos() > 0);
    let full = (secs - 1) / len;
    let rest = left - TimeDelta::seconds(full * len);
    match r.add(day, full as u64 + 1) {
        Some(last) => r.instant(o, last, r.start + rest),
        None => DateTime::<Utc>::MAX_UTC,
    }
}

/// Working time in `[from, to)` with a fixed offset `o`.
fn fixed_between(r: &Rules, o: TimeDelta, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
    if to <= from {
        return TimeDelta::zero();
    }
    let (a, b) = (r.local(o, from), r.local(o, to));
    let (da, db) = (a.date(), b.date());
    // Working time of day `d` inside [lo, hi), both times of that day.
    let part = |d: NaiveDate, lo: TimeDelta, hi: TimeDelta| {
        let span = hi.min(r.end) - lo.max(r.start);
        if r.is_workday(d) && span > TimeDelta::zero() {
            span
        } else {
            TimeDelta::zero()
        }
    };
    if da == db {
        part(da, time_of_day(a), time_of_day(b))
    } else {
        let middle = match (da.succ_opt(), db.pred_opt()) {
            (Some(x), Some(y)) => r.count(x, y) as i64,
            _ => 0,
        };
        part(da, time_of_day(a), TimeDelta::days(1))
            + part(db, TimeDelta::zero(), time_of_day(b))
            + TimeDelta::seconds(middle * (r.end - r.start).num_seconds())
    }
}

/// Minutes after midnight as "HH:MM": 540 → "09:00", 1440 → "24:00".
pub fn format_minutes(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A calendar as typed by a person. Missing (or blank) fields take the
/// `Default`'s value.
#[derive(Debug, Default, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarDraft {
    /// An IANA time zone name such as "Europe/Madrid" (daylight saving
    /// followed), "UTC", or a fixed offset "UTC+05:30". Default "UTC".
    #[cfg_attr(feature = "openapi", schema(example = "Europe/Madrid"))]
    pub time_zone: Option<String>,
    /// Deprecated: a fixed offset from UTC in minutes (-840 to 840), kept for
    /// older clients; it is saved as the fixed zone "UTC±HH:MM". Send
    /// `time_zone` instead (not both).
    #[cfg_attr(feature = "openapi", schema(deprecated, minimum = -840, maximum = 840))]
    pub utc_offset_minutes: Option<i32>,
    /// "HH:MM", e.g. "09:00".
    pub day_start: Option<String>,
    /// "HH:MM", e.g. "17:00"; "24:00" for midnight at the end of the day.
    pub day_end: Option<String>,
    /// "mon", "tue", … "sun" (full English names are accepted too).
    pub workdays: Option<Vec<String>>,
    pub holidays: Option<Vec<HolidayDraft>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolidayDraft {
    /// "YYYY-MM-DD", a local date.
    pub day: Option<String>,
    pub name: Option<String>,
}

const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
/// About forty years of public holidays; also bounds the work of every lookup.
const MAX_HOLIDAYS: usize = 1000;

impl CalendarDraft {
    pub fn validate(&self) -> Result<WorkCalendar, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut c = WorkCalendar::default();
        let zone = self.time_zone.as_deref().map(str::trim).filter(|z| !z.is_empty());
        match (zone, self.utc_offset_minutes) {
            (Some(_), Some(_)) => e.add(
                "utc_offset_minutes",
                "conflict",
                "Send the time zone (time_zone) or the older utc_offset_minutes, not both.",
            ),
            (Some(z), None) if is_time_zone(z) => c.time_zone = z.to_string(),
            (Some(z), None) => e.add(
                "time_zone",
                "invalid",
                format!(
                    "\"{}\" is not a known time zone; use an IANA name such as Europe/Madrid or America/New_York, \
                     or UTC.",
                    z.chars().take(60).collect::<String>()
                ),
            ),
            (None, Some(o)) if (-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&o) => {
                c.time_zone = fixed_zone_name(o)
            }
            (None, Some(_)) => e.add(
                "utc_offset_minutes",
                "out_of_range",
                "The time zone offset must be between -14:00 and +14:00 (-840 to 840 minutes).",
            ),
            (None, None) => {}
        }
        if let Some(m) = time_field(&mut e, "day_start", self.day_start.as_deref(), "09:00") {
            c.day_start = m;
        }
        if let Some(m) = time_field(&mut e, "day_end", self.day_end.as_deref(), "17:00") {
            c.day_end = m;
        }
        if c.day_start == 1440 {
            e.add("day_start", "invalid", "The working day cannot start at 24:00; the latest start is 23:59.");
        } else if e.get("day_start").is_none() && e.get("day_end").is_none() && c.day_end <= c.day_start {
            e.add("day_end", "invalid", "The working day must end after it starts.");
        }
        if let Some(names) = &self.workdays {
            c.workdays = [false; 7];
            for name in names {
                let n = name.trim().to_lowercase();
                match DAYS.iter().position(|d| d.to_lowercase() == n || d[..3].to_lowercase() == n) {
                    Some(i) if c.workdays[i] => {
                        e.add("workdays", "duplicate", format!("{} is listed more than once.", DAYS[i]))
                    }
                    Some(i) => c.workdays[i] = true,
                    None => e.add(
                        "workdays",
                        "invalid",
                        format!(
                            "\"{}\" is not a day of the week; use mon, tue, wed, thu, fri, sat or sun.",
                            name.trim()
                        ),
                    ),
                }
            }
            if names.is_empty() {
                e.add("workdays", "required", "Choose at least one working day.");
            }
        }
        let drafts = self.holidays.as_deref().unwrap_or_default();
        if drafts.len() > MAX_HOLIDAYS {
            e.add("holidays", "too_many", format!("A calendar can list at most {MAX_HOLIDAYS} holidays."));
        } else {
            c.holidays = holidays(&mut e, drafts);
        }
        e.into_result(c)
    }
}

/// An "HH:MM" field; `None` when blank or wrong (the error is recorded).
fn time_field(e: &mut FieldErrors, field: &str, value: Option<&str>, example: &str) -> Option<u16> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    let parsed = v.split_once(':').and_then(|(h, m)| {
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(1..=2).contains(&h.len()) || m.len() != 2 || !digits(h) || !digits(m) {
            return None;
        }
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
    });
    if parsed.is_none() {
        e.add(field, "invalid", format!("Enter a time of day as HH:MM, for example {example}."));
    }
    parsed
}

/// The valid holidays of the list, sorted by day.
fn holidays(e: &mut FieldErrors, drafts: &[HolidayDraft]) -> Vec<Holiday> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, h) in drafts.iter().enumerate() {
        let name = h.name.as_deref().map(str::trim).unwrap_or("");
        if name.is_empty() {
            e.add(format!("holidays[{i}].name"), "required", "Give the holiday a name.");
        } else if name.chars().count() > 120 {
            e.add(format!("holidays[{i}].name"), "too_long", "The holiday's name must be at most 120 characters.");
        }
        let field = format!("holidays[{i}].day");
        let raw = h.day.as_deref().map(str::trim).unwrap_or("");
        // Strictly YYYY-MM-DD: chrono alone would also take "2026-1-5".
        let shaped = raw.len() == 10
            && raw.bytes().enumerate().all(|(j, b)| if j == 4 || j == 7 { b == b'-' } else { b.is_ascii_digit() });
        match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            _ if raw.is_empty() => e.add(field, "required", "Enter the date of the holiday."),
            Ok(day) if shaped => {
                if !seen.insert(day) {
                    e.add(field, "duplicate", format!("{day} is already listed as a holiday."));
                }
                out.push(Holiday { day, name: name.to_string() });
            }
            _ if shaped => e.add(field, "invalid", format!("{raw} is not a date in the calendar.")),
            _ => e.add(field, "invalid", "Enter the date as YYYY-MM-DD, for example 2026-12-25."),
        }
    }
    out.sort_by_key(|h| h.day);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_days_start_at_local_midnight() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(start_of_local_day("UTC", day("2026-03-01")), at("2026-03-01T00:00:00Z"));
        assert_eq!(start_of_local_day("Europe/Madrid", day("2026-01-15")), at("2026-01-14T23:00:00Z"));
        assert_eq!(start_of_local_day("Europe/Madrid", day("2026-07-15")), at("2026-07-14T22:00:00Z"));
        assert_eq!(start_of_local_day("UTC-05:00", day("2026-07-15")), at("2026-07-15T05:00:00Z"));
        assert_eq!(start_of_local_day("Nowhere/Else", day("2026-07-15")), at("2026-07-15T00:00:00Z"));
        let t = at("2026-07-14T22:30:00Z");
        assert_eq!(local_time("Europe/Madrid", t).to_string(), "2026-07-15 00:30:00");
        assert_eq!(local_time("UTC+05:30", t).to_string(), "2026-07-15 04:00:00");
        assert_eq!(
            start_of_local_day("Europe/Madrid", day("2026-07-15")),
            local_time("UTC", t).and_utc() - TimeDelta::minutes(30)
        );
        // Chile's clocks go forward at midnight: the day starts at 01:00.
        assert_eq!(start_of_local_day("America/Santiago", day("2026-09-06")), at("2026-09-06T04:00:00Z"));
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn with_holidays(days: &[&str]) -> WorkCalendar {
        let holidays = days.iter().map(|s| Holiday { day: d(s), name: "Holiday".into() }).collect();
        WorkCalendar { holidays, ..Default::default() }
    }

    /// A small deterministic generator (64-bit LCG, high bits), so the
    /// property loops need no rand crate and fail the same way every time.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    #[test]
    fn defaults_and_formatting() {
        let c = WorkCalendar::default();
        assert_eq!((c.time_zone.as_str(), c.day_start, c.day_end), ("UTC", 540, 1020));
        assert_eq!(c.workdays, [true, true, true, true, true, false, false]);
        assert_eq!(format_minutes(540), "09:00");
        assert_eq!(format_minutes(1020), "17:00");
        assert_eq!(format_minutes(0), "00:00");
        assert_eq!(format_minutes(1440), "24:00");
        let json = serde_json::to_string(&with_holidays(&["2026-12-25"])).unwrap();
        assert_eq!(serde_json::from_str::<WorkCalendar>(&json).unwrap(), with_holidays(&["2026-12-25"]));
    }

    #[test]
    fn workdays_weekends_holidays_month_and_year_ends() {
        let c = with_holidays(&["2026-12-25", "2027-01-01"]);
        assert!(c.is_workday(d("2026-11-02")));
        assert!(!c.is_workday(d("2026-11-07")), "Saturday");
        assert!(!c.is_workday(d("2026-12-25")), "holiday");
        assert_eq!(c.add_workdays(d("2026-11-07"), 0), d("2026-11-07"), "n = 0 is the day itself");
        assert_eq!(c.add_workdays(d("2026-11-06"), 1), d("2026-11-09"), "Friday to Monday");
        assert_eq!(c.add_workdays(d("2026-01-30"), 1), d("2026-02-02"), "month end");
        assert_eq!(c.add_workdays(d("2026-12-31"), 1), d("2027-01-04"), "year end and New Year's Day");
        assert_eq!(c.add_workdays(d("2026-12-25"), 1), d("2026-12-28"), "from a holiday");
        assert_eq!(c.workdays_between(d("2026-12-21"), d("2027-01-03")), 8);
        assert_eq!(c.workdays_between(d("2026-12-25"), d("2026-12-25")), 0);
        assert_eq!(c.workdays_between(d("2026-12-28"), d("2026-12-21")), 0, "to before from");
    }

    #[test]
    fn sprints() {
        let c = WorkCalendar::default();
        assert_eq!(c.sprint_end(d("2026-11-02"), 20), d("2026-11-27"));
        assert_eq!(c.sprint_end(d("2026-10-31"), 20), d("2026-11-27"), "from a Saturday");
        assert_eq!(c.sprint_end(d("2026-11-02"), 1), d("2026-11-02"));
        assert_eq!(c.sprint_end(d("2026-11-02"), 0), d("2026-11-02"), "zero counts as one");
        let c = with_holidays(&["2026-11-02"]);
        assert_eq!(c.sprint_end(d("2026-11-02"), 20), d("2026-11-30"), "holiday on the start date");
    }

    /// Expected values from numpy 2.4.6 (run under Python 3 on 2026 dates):
    /// - `sprint_end(s, n)` = `numpy.busday_offset(s, n - 1, roll='forward')`:
    ///   roll forward to the first business day on or after `s`, then n - 1;
    /// - `add_workdays(s, n)` = `numpy.busday_offset(s, n, roll='backward')`:
    ///   ours counts strictly after `s` even when `s` is not a workday, which
    ///   numpy does by rolling back first (`roll='forward'` would be one more);
    /// - `workdays_between(a, b)` = `numpy.busday_count(a, b + 1 day)`, as
    ///   numpy counts `[begin, end)` and ours `a..=b`.
    #[test]
    fn day_counts_agree_with_numpy() {
        let us = ["2026-11-26", "2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"];
        let a = with_holidays(&us);
        let mon_sat = WorkCalendar { workdays: [true, true, true, true, true, true, false], ..a.clone() };
        let mut sun_thu = with_holidays(&["2026-03-20", "2026-03-22", "2026-03-23"]);
        sun_thu.workdays = [true, true, true, true, false, false, true];
        let mut mon_sat2 = with_holidays(&["2027-12-25", "2028-01-01", "2028-01-06"]);
        mon_sat2.workdays = mon_sat.workdays;
        let none = WorkCalendar::default();
        // busday_offset('2026-11-02', 19, roll='forward') -> 2026-11-27
        assert_eq!(none.sprint_end(d("2026-11-02"), 20), d("2026-11-27"));
        // same with holidays=us -> 2026-11-30 (Thanksgiving inside)
        assert_eq!(a.sprint_end(d("2026-11-02"), 20), d("2026-11-30"));
        // busday_offset('2026-12-14', 19, roll='forward', holidays=us) -> 2027-01-14 (year end)
        assert_eq!(a.sprint_end(d("2026-12-14"), 20), d("2027-01-14"));
        // busday_offset('2026-12-25', 4, roll='forward', holidays=us) -> 2027-01-05 (holiday start)
        assert_eq!(a.sprint_end(d("2026-12-25"), 5), d("2027-01-05"));
        // busday_offset('2026-12-26', 19, roll='forward', holidays=us) -> 2027-01-26 (Saturday start)
        assert_eq!(a.sprint_end(d("2026-12-26"), 20), d("2027-01-26"));
        // busday_offset('2027-12-20', 19, roll='forward', weekmask='1111110',
        //   holidays=['2027-12-25','2028-01-01','2028-01-06']) -> 2028-01-14
        assert_eq!(mon_sat2.sprint_end(d("2027-12-20"), 20), d("2028-01-14"));
        // busday_offset('2026-12-24', 1, roll='backward', holidays=us) -> 2026-12-28 (holiday start)
        assert_eq!(a.add_workdays(d("2026-12-24"), 1), d("2026-12-28"));
        // busday_offset('2026-12-31', 3, roll='backward', holidays=us) -> 2027-01-06
        assert_eq!(a.add_workdays(d("2026-12-31"), 3), d("2027-01-06"));
        // busday_offset('2027-12-30', 2, roll='backward') -> 2028-01-03
        assert_eq!(none.add_workdays(d("2027-12-30"), 2), d("2028-01-03"));
        // busday_offset('2026-03-19', 10, roll='backward', weekmask='1111001',
        //   holidays=['2026-03-20','2026-03-22','2026-03-23']) -> 2026-04-06
        assert_eq!(sun_thu.add_workdays(d("2026-03-19"), 10), d("2026-04-06"));
        // busday_offset('2026-01-01', 1000, roll='backward', holidays=us) -> 2029-11-08
        assert_eq!(a.add_workdays(d("2026-01-01"), 1000), d("2029-11-08"));
        // busday_offset('2026-12-27', 1, roll='backward', holidays=us) -> 2026-12-28 (Sunday)
        assert_eq!(a.add_workdays(d("2026-12-27"), 1), d("2026-12-28"));
        // busday_count('2026-12-01', '2027-02-01', holidays=us) -> 40
        assert_eq!(a.workdays_between(d("2026-12-01"), d("2027-01-31")), 40);
        // busday_count('2026-12-25', '2026-12-26', holidays=us) -> 0
        assert_eq!(a.workdays_between(d("2026-12-25"), d("2026-12-25")), 0);
        // busday_count('2028-02-01', '2028-03-02') -> 22 (leap February)
        assert_eq!(none.workdays_between(d("2028-02-01"), d("2028-03-01")), 22);
        // busday_count('2026-01-01', '2030-01-01', holidays=us) -> 1038
        assert_eq!(a.workdays_between(d("2026-01-01"), d("2029-12-31")), 1038);
        // busday_count('2026-12-20', '2027-01-11', weekmask='1111110', holidays=us) -> 14
        assert_eq!(mon_sat.workdays_between(d("2026-12-20"), d("2027-01-10")), 14);
    }

    /// The week-skipping arithmetic against a plain walk, day by day, with
    /// its own idea of a workday.
    #[test]
    fn day_arithmetic_matches_a_walk() {
        let mut dense = with_holidays(&[]);
        let mut g = Lcg(7);
        let base = d("2026-01-01");
        for _ in 0..200 {
            let day = base + Days::new(g.below(800));
            dense.holidays.push(Holiday { day, name: "x".into() });
        }
        dense.holidays.sort_by_key(|h| h.day);
        dense.holidays.dedup_by_key(|h| h.day);
        let mut odd = with_holidays(&["2026-12-26", "2027-01-02"]);
        odd.workdays = [false, true, false, false, false, true, false];
        for c in [WorkCalendar::default(), dense, odd] {
            let off: std::collections::HashSet<NaiveDate> = c.holidays.iter().map(|h| h.day).collect();
            let works =
                |day: NaiveDate| c.workdays[day.weekday().num_days_from_monday() as usize] && !off.contains(&day);
            for _ in 0..300 {
                let from = base + Days::new(g.below(900));
                let n = g.below(400) as u32;
                let mut walk = from;
                for _ in 0..n {
                    walk = walk.succ_opt().unwrap();
                    while !works(walk) {
                        walk = walk.succ_opt().unwrap();
                    }
                }
                assert_eq!(c.add_workdays(from, n), walk, "{from} + {n}");
                assert_eq!(c.is_workday(walk), n == 0 || works(walk));
                let to = from + Days::new(g.below(900));
                let count = from.iter_days().take_while(|day| *day <= to).filter(|day| works(*day)).count();
                assert_eq!(c.workdays_between(from, to) as usize, count, "{from}..={to}");
            }
        }
    }

    #[test]
    fn next_working_instant_in_utc() {
        let c = with_holidays(&["2026-11-04"]);
        let same = |s: &str| assert_eq!(c.next_working_instant(t(s)), t(s), "{s}");
        same("2026-11-02T09:00:00Z");
        same("2026-11-02T16:59:59Z");
        let next = |s: &str, e: &str| assert_eq!(c.next_working_instant(t(s)), t(e), "{s}");
        next("2026-11-02T17:00:00Z", "2026-11-03T09:00:00Z");
        next("2026-11-02T08:59:00Z", "2026-11-02T09:00:00Z");
        next("2026-11-03T17:00:00Z", "2026-11-05T09:00:00Z");
        next("2026-11-04T10:00:00Z", "2026-11-05T09:00:00Z");
        next("2026-11-06T18:00:00Z", "2026-11-09T09:00:00Z");
        next("2026-11-08T12:00:00Z", "2026-11-09T09:00:00Z");
    }

    #[test]
    fn working_minutes_weekends_holidays_and_year_end() {
        let c = with_holidays(&["2026-12-25", "2026-12-31", "2027-01-01"]);
        let add = |s: &str, m: i64| c.add_working_minutes(t(s), m);
        assert_eq!(add("2026-11-06T16:00:00Z", 60), t("2026-11-06T17:00:00Z"), "ends at the day's end");
        assert_eq!(add("2026-11-06T16:00:00Z", 61), t("2026-11-09T09:01:00Z"));
        assert_eq!(add("2026-11-07T10:00:00Z", 30), t("2026-11-09T09:30:00Z"), "from a Saturday");
        assert_eq!(add("2026-11-02T09:00:00Z", 480), t("2026-11-02T17:00:00Z"));
        assert_eq!(add("2026-11-02T09:00:30Z", 480), t("2026-11-03T09:00:30Z"));
        assert_eq!(add("2026-11-02T09:00:00Z", 5 * 480), t("2026-11-06T17:00:00Z"));
        assert_eq!(add("2026-12-25T09:00:00Z", 60), t("2026-12-28T10:00:00Z"), "holiday on the start date");
        assert_eq!(add("2026-12-30T15:00:00Z", 180), t("2027-01-04T10:00:00Z"), "year end");
        assert_eq!(add("2026-12-30T20:00:00Z", 0), t("2027-01-04T09:00:00Z"), "zero");
        assert_eq!(add("2026-11-02T10:00:00Z", -5), t("2026-11-02T10:00:00Z"), "negative");
        let between = |a: &str, b: &str| c.working_minutes_between(t(a), t(b));
        assert_eq!(between("2026-11-06T16:00:00Z", "2026-11-09T10:00:00Z"), 120);
        assert_eq!(between("2026-11-02T09:00:00Z", "2026-11-02T09:00:00Z"), 0);
        assert_eq!(between("2026-11-03T09:00:00Z", "2026-11-02T09:00:00Z"), 0);
        assert_eq!(between("2026-12-24T00:00:00Z", "2027-01-05T00:00:00Z"), 5 * 480);
        assert_eq!(between("2026-11-02T09:00:00Z", "2026-11-02T09:00:59Z"), 0, "whole minutes");
        assert_eq!(between("2026-11-30T12:00:00Z", "2026-12-01T12:00:00Z"), 480, "month end");
    }

    #[test]
    fn offsets_move_the_local_day_across_utc_dates() {
        // India, +05:30: 09:00 local is 03:30 UTC.
        let ist = WorkCalendar { time_zone: "UTC+05:30".into(), ..Default::default() };
        assert_eq!(ist.add_working_minutes(t("2026-11-02T03:30:00Z"), 480), t("2026-11-02T11:30:00Z"));
        assert_eq!(ist.add_working_minutes(t("2026-11-02T03:30:00Z"), 481), t("2026-11-03T03:31:00Z"));
        // New York in winter, -05:00: Monday 21:00 local is Tuesday 02:00 UTC.
        let ny = WorkCalendar { time_zone: "UTC-05:00".into(), ..with_holidays(&["2026-11-03"]) };
        assert_eq!(ny.next_working_instant(t("2026-11-03T02:00:00Z")), t("2026-11-04T14:00:00Z"));
        assert_eq!(ny.next_working_instant(t("2026-11-06T21:59:00Z")), t("2026-11-06T21:59:00Z"));
        assert_eq!(ny.next_working_instant(t("2026-11-07T01:00:00Z")), t("2026-11-09T14:00:00Z"));
        // Kiribati, +14:00: Monday 09:00 local is Sunday 19:00 UTC.
        let kiribati = WorkCalendar { time_zone: "UTC+14:00".into(), ..with_holidays(&["2026-11-03"]) };
        assert_eq!(kiribati.next_working_instant(t("2026-11-01T19:00:00Z")), t("2026-11-01T19:00:00Z"));
        assert_eq!(kiribati.next_working_instant(t("2026-11-02T19:00:00Z")), t("2026-11-03T19:00:00Z"));
        assert_eq!(kiribati.working_minutes_between(t("2026-11-01T18:00:00Z"), t("2026-11-02T20:00:00Z")), 480);
    }

    #[test]
    fn a_day_ending_at_midnight() {
        // 18:00–24:00 local at -05:00, so each local working day spans two UTC dates.
        let c = WorkCalendar { time_zone: "UTC-05:00".into(), day_start: 1080, day_end: 1440, ..Default::default() };
        // Monday 23:30 local = Tuesday 04:30 UTC; 30 minutes end at Monday's midnight.
        assert_eq!(c.add_working_minutes(t("2026-11-03T04:30:00Z"), 30), t("2026-11-03T05:00:00Z"));
        assert_eq!(c.add_working_minutes(t("2026-11-03T04:30:00Z"), 31), t("2026-11-03T23:01:00Z"));
        assert_eq!(c.next_working_instant(t("2026-11-03T05:00:00Z")), t("2026-11-03T23:00:00Z"));
        assert_eq!(c.next_working_instant(t("2026-11-03T04:59:59Z")), t("2026-11-03T04:59:59Z"));
        assert_eq!(c.working_minutes_between(t("2026-11-03T04:00:00Z"), t("2026-11-04T00:00:00Z")), 120);
        // Round the clock every day: working time is plain time.
        let always = WorkCalendar { day_start: 0, day_end: 1440, workdays: [true; 7], ..Default::default() };
        let from = t("2026-12-31T22:15:00Z");
        assert_eq!(always.add_working_minutes(from, 10_000), from + TimeDelta::minutes(10_000));
        assert_eq!(always.working_minutes_between(from, from + TimeDelta::minutes(10_000)), 10_000);
    }

    /// Counting back what was added gives the same minutes, from any instant,
    /// and later promises never fall due earlier.
    #[test]
    fn property_minutes_round_trip_and_monotonic() {
        let mut late = with_holidays(&["2026-12-25", "2027-01-01", "2027-03-01"]);
        late.time_zone = "UTC+14:00".into();
        late.day_end = 1440;
        let calendars = [
            with_holidays(&["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"]),
            WorkCalendar {
                time_zone: "UTC+05:30".into(),
                day_start: 570,
                day_end: 1110,
                ..with_holidays(&["2027-01-26"])
            },
            WorkCalendar {
                time_zone: "UTC-05:00".into(),
                workdays: [true, true, true, true, true, true, false],
                ..with_holidays(&["2027-01-01"])
            },
            late,
            WorkCalendar { time_zone: "UTC-14:00".into(), day_start: 0, day_end: 61, ..Default::default() },
        ];
        let base = t("2026-06-01T00:00:00Z");
        let mut g = Lcg(2026);
        for c in &calendars {
            for _ in 0..400 {
                let any = base + TimeDelta::seconds(g.below(3 * 365 * 86_400) as i64);
                let inside = c.next_working_instant(any);
                let m = g.below(300_000) as i64; // up to 5,000 hours
                let more = m + 1 + g.below(5_000) as i64;
                for from in [inside, any] {
                    let due = c.add_working_minutes(from, m);
                    assert_eq!(c.working_minutes_between(from, due), m, "{from} + {m}");
                    assert_eq!(c.next_working_instant(from), inside);
                    let due2 = c.add_working_minutes(from, more);
                    assert!(due < due2, "{from}: {m} → {due}, {more} → {due2}");
                    assert!(due >= from && c.add_working_minutes(from, m + 1) > due);
                }
            }
        }
    }

    #[test]
    fn hand_made_calendars_neither_hang_nor_panic() {
        let none = WorkCalendar { workdays: [false; 7], ..Default::default() };
        assert!(none.is_workday(d("2026-11-07")), "no workday means every day");
        assert_eq!(none.add_workdays(d("2026-11-07"), 1), d("2026-11-08"));
        assert_eq!(none.add_working_minutes(t("2026-11-07T16:00:00Z"), 120), t("2026-11-08T10:00:00Z"));
        let empty = WorkCalendar { day_start: 600, day_end: 600, ..Default::default() };
        assert_eq!(empty.add_working_minutes(t("2026-11-02T23:00:00Z"), 120), t("2026-11-03T01:00:00Z"));
        let mut unsorted = with_holidays(&["2026-12-25", "2026-12-24", "2026-12-25"]);
        unsorted.time_zone = "Mars/Olympus_Mons".into();
        assert_eq!(unsorted.add_workdays(d("2026-12-23"), 1), d("2026-12-28"));
        let c = WorkCalendar::default();
        assert_eq!(c.add_workdays(d("2026-11-02"), u32::MAX), NaiveDate::MAX);
        assert_eq!(c.add_working_minutes(t("2026-11-02T09:00:00Z"), i64::MAX), DateTime::<Utc>::MAX_UTC);
        assert_eq!(c.add_working_minutes(t("2026-11-02T09:00:00Z"), i64::MAX / 1_000_000), DateTime::<Utc>::MAX_UTC);
        assert_eq!(c.next_working_instant(DateTime::<Utc>::MAX_UTC), DateTime::<Utc>::MAX_UTC);
        assert!(c.working_minutes_between(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC) > 0);
    }

    #[test]
    fn validate_fills_defaults_and_sorts_holidays() {
        assert_eq!(CalendarDraft::default().validate().unwrap(), WorkCalendar::default());
        let draft = CalendarDraft {
            utc_offset_minutes: Some(-300),
            time_zone: None,
            day_start: Some(" 8:30 ".into()),
            day_end: Some("24:00".into()),
            workdays: Some(vec!["sun".into(), "Monday".into(), "TUE".into()]),
            holidays: Some(vec![
                HolidayDraft { day: Some("2027-01-01".into()), name: Some(" New Year ".into()) },
                HolidayDraft { day: Some("2026-12-25".into()), name: Some("Christmas".into()) },
            ]),
        };
        let c = draft.validate().unwrap();
        assert_eq!((c.time_zone.as_str(), c.day_start, c.day_end), ("UTC-05:00", 510, 1440));
        assert_eq!(c.workdays, [true, true, false, false, false, false, true]);
        assert_eq!(c.holidays[0], Holiday { day: d("2026-12-25"), name: "Christmas".into() });
        assert_eq!(c.holidays[1].name, "New Year");
        let blank = CalendarDraft { day_start: Some("  ".into()), ..Default::default() };
        assert_eq!(blank.validate().unwrap().day_start, 540);
    }

    #[test]
    fn validate_reports_each_field() {
        let code = |draft: CalendarDraft, field: &str| {
            let e = draft.validate().unwrap_err();
            e.get(field).unwrap_or_else(|| panic!("{field}: {e}")).code
        };
        let times = |s: &str, e: &str| CalendarDraft {
            day_start: Some(s.into()),
            day_end: Some(e.into()),
            ..Default::default()
        };
        assert_eq!(code(times("17:00", "09:00"), "day_end"), "invalid");
        let e = times("09:00", "09:00").validate().unwrap_err();
        assert_eq!(e.get("day_end").unwrap().message, "The working day must end after it starts.");
        assert_eq!(code(CalendarDraft { day_end: Some("08:00".into()), ..Default::default() }, "day_end"), "invalid");
        assert_eq!(code(times("24:00", "24:00"), "day_start"), "invalid");
        for bad in ["9", "9am", "09:5", "25:00", "12:60", "-1:00", "24:01", "009:00"] {
            assert_eq!(code(times(bad, "17:00"), "day_start"), "invalid", "{bad}");
        }
        let e = times("nine", "17:00").validate().unwrap_err();
        assert!(e.get("day_end").is_none(), "no ordering error on top of a bad time");
        for o in [-841, 841] {
            let draft = CalendarDraft { utc_offset_minutes: Some(o), ..Default::default() };
            assert_eq!(code(draft, "utc_offset_minutes"), "out_of_range");
        }
        let days = |v: &[&str]| CalendarDraft {
            workdays: Some(v.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        };
        assert_eq!(code(days(&[]), "workdays"), "required");
        assert_eq!(code(days(&["mon", "funday"]), "workdays"), "invalid");
        assert_eq!(code(days(&["mon", "monday"]), "workdays"), "duplicate");
        let h = |day: Option<&str>, name: Option<&str>| HolidayDraft {
            day: day.map(Into::into),
            name: name.map(Into::into),
        };
        let draft = CalendarDraft {
            holidays: Some(vec![
                h(Some("2026-12-25"), None),
                h(Some("2026-12-25"), Some("Again")),
                h(Some("2026-02-30"), Some("Nope")),
                h(Some("2026-1-5"), Some("Short")),
                h(None, Some("Undated")),
            ]),
            ..Default::default()
        };
        let e = draft.validate().unwrap_err();
        let at = |f: &str| e.get(f).unwrap_or_else(|| panic!("{f}: {e}")).code;
        assert_eq!(at("holidays[0].name"), "required");
        assert!(e.get("holidays[0].day").is_none());
        assert_eq!(at("holidays[1].day"), "duplicate");
        assert_eq!(at("holidays[2].day"), "invalid");
        assert_eq!(e.get("holidays[2].day").unwrap().message, "2026-02-30 is not a date in the calendar.");
        assert_eq!(at("holidays[3].day"), "invalid");
        assert_eq!(at("holidays[4].day"), "required");
        let many = (0..=MAX_HOLIDAYS).map(|_| h(Some("2026-12-25"), Some("x"))).collect();
        assert_eq!(code(CalendarDraft { holidays: Some(many), ..Default::default() }, "holidays"), "too_many");
    }

    fn zoned(zone: &str) -> WorkCalendar {
        WorkCalendar { time_zone: zone.into(), ..Default::default() }
    }

    fn fixed(offset_minutes: i32) -> WorkCalendar {
        WorkCalendar { time_zone: fixed_zone_name(offset_minutes), ..Default::default() }
    }

    /// Europe/Madrid, 2026: clocks go forward on Sunday 29 March at 01:00 UTC
    /// (CET +01:00 → CEST +02:00) and back on Sunday 25 October at 01:00 UTC.
    /// A fixed offset keeps one of the two all year, an hour off in the other.
    #[test]
    fn madrid_promises_follow_the_2026_daylight_saving_changes() {
        let madrid = zoned("Europe/Madrid");
        // Friday 10:00 CET + 8 working hours: 7 on Friday, 1 on Monday from
        // 09:00 CEST, which is 07:00 UTC.
        assert_eq!(madrid.add_working_minutes(t("2026-03-27T09:00:00Z"), 480), t("2026-03-30T08:00:00Z"));
        assert_eq!(fixed(60).add_working_minutes(t("2026-03-27T09:00:00Z"), 480), t("2026-03-30T09:00:00Z"));
        assert_eq!(madrid.next_working_instant(t("2026-03-30T06:30:00Z")), t("2026-03-30T07:00:00Z"));
        assert_eq!(fixed(60).next_working_instant(t("2026-03-30T06:30:00Z")), t("2026-03-30T08:00:00Z"));
        assert_eq!(madrid.working_minutes_between(t("2026-03-27T15:00:00Z"), t("2026-03-30T08:00:00Z")), 120);
        assert_eq!(fixed(60).working_minutes_between(t("2026-03-27T15:00:00Z"), t("2026-03-30T08:00:00Z")), 60);
        // Friday 16:00 CEST + 2 working hours: 1 on Friday, 1 on Monday from
        // 09:00 CET, which is 08:00 UTC.
        assert_eq!(madrid.add_working_minutes(t("2026-10-23T14:00:00Z"), 120), t("2026-10-26T09:00:00Z"));
        assert_eq!(fixed(120).add_working_minutes(t("2026-10-23T14:00:00Z"), 120), t("2026-10-26T08:00:00Z"));
        // Summer and winter hours of the same calendar.
        assert_eq!(madrid.next_working_instant(t("2026-07-06T05:00:00Z")), t("2026-07-06T07:00:00Z"));
        assert_eq!(madrid.next_working_instant(t("2026-12-07T05:00:00Z")), t("2026-12-07T08:00:00Z"));
    }

    /// America/New_York, 2026: forward on Sunday 8 March at 07:00 UTC (EST
    /// -05:00 → EDT -04:00), back on Sunday 1 November at 06:00 UTC.
    #[test]
    fn new_york_promises_follow_the_2026_daylight_saving_changes() {
        let ny = zoned("America/New_York");
        // Friday 16:00 EST + 2 hours: Monday 10:00 EDT = 14:00 UTC.
        assert_eq!(ny.add_working_minutes(t("2026-03-06T21:00:00Z"), 120), t("2026-03-09T14:00:00Z"));
        assert_eq!(fixed(-300).add_working_minutes(t("2026-03-06T21:00:00Z"), 120), t("2026-03-09T15:00:00Z"));
        // Friday 16:00 EDT + 2 hours: Monday 10:00 EST = 15:00 UTC.
        assert_eq!(ny.add_working_minutes(t("2026-10-30T20:00:00Z"), 120), t("2026-11-02T15:00:00Z"));
        assert_eq!(fixed(-240).add_working_minutes(t("2026-10-30T20:00:00Z"), 120), t("2026-11-02T14:00:00Z"));
        // A week's promise made before the change and due after it.
        assert_eq!(ny.add_working_minutes(t("2026-03-02T14:00:00Z"), 5 * 480), t("2026-03-06T22:00:00Z"));
        assert_eq!(ny.add_working_minutes(t("2026-03-05T14:00:00Z"), 5 * 480), t("2026-03-11T21:00:00Z"));
    }

    /// America/Mexico_City has kept UTC-06:00 all year since October 2022,
    /// while New York still changes: the zone, not a guess, decides.
    #[test]
    fn mexico_city_keeps_one_offset_since_2022() {
        let mx = zoned("America/Mexico_City");
        let ny = zoned("America/New_York");
        for monday in ["2026-01-05", "2026-03-09", "2026-07-06", "2026-11-02"] {
            let early = t(&format!("{monday}T12:00:00Z"));
            assert_eq!(mx.next_working_instant(early), t(&format!("{monday}T15:00:00Z")), "{monday}");
            assert_eq!(mx.add_working_minutes(early, 480), fixed(-360).add_working_minutes(early, 480));
        }
        assert_eq!(ny.next_working_instant(t("2026-01-05T12:00:00Z")), t("2026-01-05T14:00:00Z"));
        assert_eq!(ny.next_working_instant(t("2026-07-06T12:00:00Z")), t("2026-07-06T13:00:00Z"));
        // Before 2022 Mexico City changed its clocks too (CDT, -05:00).
        assert_eq!(mx.next_working_instant(t("2022-07-04T12:00:00Z")), t("2022-07-04T14:00:00Z"));
    }

    /// Working time is real time: round the clock, the day the clocks go
    /// forward has 23 working hours and the day they go back 25; a night
    /// shift across the change works 7 or 9 hours.
    #[test]
    fn working_time_across_the_change_is_real_time() {
        let always = |zone: &str, day_start: u16, day_end: u16| WorkCalendar {
            time_zone: zone.into(),
            day_start,
            day_end,
            workdays: [true; 7],
            ..Default::default()
        };
        let madrid = always("Europe/Madrid", 0, 1440);
        assert_eq!(madrid.add_working_minutes(t("2026-03-28T11:00:00Z"), 1440), t("2026-03-29T11:00:00Z"));
        assert_eq!(madrid.working_minutes_between(t("2026-03-28T23:00:00Z"), t("2026-03-29T22:00:00Z")), 23 * 60);
        assert_eq!(madrid.working_minutes_between(t("2026-10-24T22:00:00Z"), t("2026-10-25T23:00:00Z")), 25 * 60);
        let from = t("2026-10-20T08:17:00Z");
        assert_eq!(madrid.add_working_minutes(from, 20_000), from + TimeDelta::minutes(20_000));
        // New York, 00:00-08:00 every day.
        let night = always("America/New_York", 0, 480);
        let day = |d: &str, e: &str| night.working_minutes_between(t(d), t(e));
        assert_eq!(day("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"), 9 * 60, "00:00 EDT to 08:00 EST");
        assert_eq!(day("2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z"), 7 * 60, "00:00 EST to 08:00 EDT");
        assert_eq!(night.add_working_minutes(t("2026-11-01T04:00:00Z"), 540), t("2026-11-01T13:00:00Z"));
        assert_eq!(night.add_working_minutes(t("2026-11-01T04:00:00Z"), 541), t("2026-11-02T05:01:00Z"));
        assert_eq!(night.add_working_minutes(t("2026-03-08T05:00:00Z"), 421), t("2026-03-09T04:01:00Z"));
        // A day starting in the skipped hour (02:30) starts when the clocks
        // jump to 03:00 EDT; one starting in the repeated hour (01:30), at
        // its first occurrence (01:30-02:00 EDT, then 01:00-01:30 EST is
        // before the start again, then 01:30-10:00 EST: 30 + 510 minutes).
        let gap = always("America/New_York", 150, 600);
        assert_eq!(gap.next_working_instant(t("2026-03-08T06:00:00Z")), t("2026-03-08T07:00:00Z"));
        assert_eq!(gap.working_minutes_between(t("2026-03-08T06:00:00Z"), t("2026-03-08T15:00:00Z")), 7 * 60);
        let twice = always("America/New_York", 90, 600);
        assert_eq!(twice.next_working_instant(t("2026-11-01T04:00:00Z")), t("2026-11-01T05:30:00Z"));
        assert_eq!(twice.working_minutes_between(t("2026-11-01T04:00:00Z"), t("2026-11-01T16:00:00Z")), 540);
    }

    /// Minute by minute with chrono-tz's own conversion: is this minute's
    /// wall-clock reading working time?
    fn brute_minutes(c: &WorkCalendar, from: DateTime<Utc>, minutes: i64) -> i64 {
        let tz: Tz = c.time_zone.parse().unwrap();
        (0..minutes)
            .filter(|i| {
                let local = (from + TimeDelta::minutes(*i)).with_timezone(&tz).naive_local();
                let tod = (local.time() - chrono::NaiveTime::MIN).num_minutes();
                c.is_workday(local.date()) && tod >= c.day_start.into() && tod < c.day_end.into()
            })
            .count() as i64
    }

    #[test]
    fn property_zoned_arithmetic_matches_a_minute_walk_and_round_trips() {
        let calendars = [
            zoned("Europe/Madrid"),
            WorkCalendar { day_start: 0, day_end: 1440, workdays: [true; 7], ..zoned("America/New_York") },
            WorkCalendar { day_start: 0, day_end: 480, workdays: [true; 7], ..zoned("America/New_York") },
            WorkCalendar { day_start: 90, day_end: 200, ..zoned("Europe/Madrid") },
            WorkCalendar {
                time_zone: "Europe/Madrid".into(),
                day_start: 1200,
                day_end: 1440,
                ..with_holidays(&["2026-10-26"])
            },
            zoned("America/Mexico_City"),
            zoned("Australia/Lord_Howe"),
        ];
        // Around the 2026 changes in Madrid (March, October) and New York
        // (March, November), and Lord Howe's half-hour ones (April, October).
        let centres = [
            "2026-03-08T07:00:00Z",
            "2026-03-29T01:00:00Z",
            "2026-04-04T15:00:00Z",
            "2026-10-03T15:30:00Z",
            "2026-10-25T01:00:00Z",
            "2026-11-01T06:00:00Z",
        ];
        let mut g = Lcg(14);
        for c in &calendars {
            for centre in centres {
                for _ in 0..12 {
                    let from = t(centre) - TimeDelta::minutes(g.below(4 * 1440) as i64);
                    let span = g.below(5 * 1440) as i64;
                    let to = from + TimeDelta::minutes(span);
                    let worked = brute_minutes(c, from, span);
                    assert_eq!(c.working_minutes_between(from, to), worked, "{}: {from} → {to}", c.time_zone);
                    if worked > 0 {
                        let due = c.add_working_minutes(from, worked);
                        assert!(due <= to, "{}: {from} + {worked} = {due}, after {to}", c.time_zone);
                        assert_eq!(brute_minutes(c, from, (due - from).num_minutes()), worked);
                    }
                }
            }
            for _ in 0..100 {
                let from = t("2026-01-01T00:00:00Z") + TimeDelta::seconds(g.below(2 * 365 * 86_400) as i64);
                let m = g.below(100_000) as i64;
                let due = c.add_working_minutes(from, m);
                assert_eq!(c.working_minutes_between(from, due), m, "{}: {from} + {m}", c.time_zone);
                assert!(c.add_working_minutes(from, m + 1) > due);
            }
        }
    }

    #[test]
    fn time_zones_are_validated_and_offsets_become_fixed_zones() {
        let zone = |z: &str| CalendarDraft { time_zone: Some(z.into()), ..Default::default() }.validate();
        assert_eq!(zone(" Europe/Madrid ").unwrap().time_zone, "Europe/Madrid");
        assert_eq!(zone("UTC+05:30").unwrap().time_zone, "UTC+05:30");
        assert_eq!(zone("").unwrap().time_zone, "UTC", "blank is the default");
        for bad in ["Europe/Madird", "europe/madrid", "UTC+5", "UTC+14:30", "UTC+05:60", "+01:00", "CET DST"] {
            let e = zone(bad).unwrap_err();
            assert_eq!(e.get("time_zone").map(|f| f.code), Some("invalid"), "{bad}");
        }
        let offset = |o: i32| CalendarDraft { utc_offset_minutes: Some(o), ..Default::default() }.validate();
        assert_eq!(offset(0).unwrap().time_zone, "UTC");
        assert_eq!(offset(330).unwrap().time_zone, "UTC+05:30");
        assert_eq!(offset(-840).unwrap().time_zone, "UTC-14:00");
        let both = CalendarDraft { time_zone: Some("UTC".into()), utc_offset_minutes: Some(60), ..Default::default() };
        assert_eq!(both.validate().unwrap_err().get("utc_offset_minutes").unwrap().code, "conflict");
        assert!(is_time_zone("America/Argentina/Buenos_Aires") && !is_time_zone("Nowhere/Land"));
        assert!(time_zone_names().any(|n| n == "Europe/Madrid"));
        // A fixed zone computes as its offset did.
        let old = fixed(-300);
        assert_eq!(old.next_working_instant(t("2026-07-06T12:00:00Z")), t("2026-07-06T14:00:00Z"));
    }
}
