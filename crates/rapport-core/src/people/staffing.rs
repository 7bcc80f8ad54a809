//! E5. Contact-centre staffing: the agents needed to answer promptly
//! (Erlang C).
//!
//! The model is the M/M/N queue: contacts arrive at random (Poisson) at a
//! steady rate through the interval, handle times are exponential, nobody
//! abandons, and a contact waits until one of `N` agents is free.
//!
//! * traffic `A` (Erlangs) = contacts × handle time / interval length;
//! * Erlang B by its recursion `B(0) = 1`, `B(n) = A·B(n−1) / (n + A·B(n−1))`,
//!   which stays in [0, 1] (no factorial or power is ever formed, so it works
//!   at any traffic: 10,000 contacts per 15 minutes is 2,700 agents);
//! * probability of waiting (Erlang C) `C = N·B / (N − A·(1 − B))`, for
//!   `N > A` (with `N ≤ A` the queue grows without end);
//! * service level (share answered within the target answer time `t`)
//!   `SL = 1 − C·e^(−(N − A)·t / AHT)`;
//! * average speed of answer `ASA = C·AHT / (N − A)`;
//! * occupancy = `A / N`.
//!
//! Agents needed ("raw") are the fewest `N > A` whose service level reaches
//! the target *and* whose occupancy is at most the maximum; scheduled agents
//! are `raw / (1 − shrinkage)` rounded up (shrinkage being the share of paid
//! time an agent is not available: breaks, training, absence). Those are
//! pyworkforce's `ErlangC.required_positions` definitions (`raw_positions`,
//! `positions`), with one difference: pyworkforce starts its search at
//! `round(A + 1)`, which can skip `floor(A) + 1` when a low target is already
//! met there; this module starts at the first stable `N`.

use crate::validate::FieldErrors;
use serde::{Deserialize, Serialize};

/// The most agents a calculation may answer; a target needing more is
/// treated as unreachable (and the traffic bounds below keep real inputs far
/// under it).
pub const MAX_AGENTS: u32 = 100_000;
/// Bounds of the inputs (per interval).
pub const MAX_CONTACTS: f64 = 1_000_000.0;
pub const MAX_HANDLE_SECONDS: f64 = 86_400.0;
pub const MAX_INTERVAL_MINUTES: f64 = 1_440.0;
pub const MAX_ANSWER_SECONDS: f64 = 86_400.0;
/// The interval of the week table: one hour.
pub const HOUR_MINUTES: f64 = 60.0;

/// What someone typed or sent: every figure optional, checked by
/// [`ErlangCDraft::validate`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ErlangCRequest))]
pub struct ErlangCDraft {
    /// Contacts arriving per interval (may be fractional: an average).
    pub contacts: Option<f64>,
    /// Length of the interval, in minutes.
    pub interval_minutes: Option<f64>,
    /// Average handle time (talk + hold + wrap-up), in seconds.
    pub handle_seconds: Option<f64>,
    /// Target service level: the share of contacts answered within
    /// `answer_seconds`, a fraction in (0, 1].
    pub service_level: Option<f64>,
    /// Target answer time, in seconds (0 means "answered at once").
    pub answer_seconds: Option<f64>,
    /// Share of paid time agents are unavailable, in [0, 1). Default 0.
    pub shrinkage: Option<f64>,
    /// The highest acceptable occupancy, in (0, 1]. Default 1.
    pub max_occupancy: Option<f64>,
}

/// The targets of a contact channel, without its traffic: what a
/// touchpoint's staffing settings hold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = StaffingTargets))]
pub struct Targets {
    pub handle_seconds: f64,
    pub service_level: f64,
    pub answer_seconds: f64,
    pub shrinkage: f64,
    pub max_occupancy: f64,
}

/// A checked calculation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangCInput {
    pub contacts: f64,
    pub interval_minutes: f64,
    pub targets: Targets,
}

/// Service at one number of agents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ErlangCRow))]
pub struct AgentsRow {
    pub agents: u32,
    /// Share answered within the target answer time.
    pub service_level: f64,
    /// traffic / agents.
    pub occupancy: f64,
    /// Probability that a contact waits at all (Erlang C).
    pub waiting_probability: f64,
    /// Average speed of answer, in seconds.
    pub average_speed_of_answer: f64,
}

/// The answer of a calculation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ErlangCResult))]
pub struct ErlangC {
    /// Offered traffic in Erlangs: contacts × handle time / interval.
    pub traffic: f64,
    /// The fewest agents meeting the service level within the maximum
    /// occupancy (0 when there are no contacts).
    pub raw_agents: u32,
    /// raw / (1 − shrinkage), rounded up.
    pub scheduled_agents: u32,
    /// Service at `raw_agents` (service level 1 and occupancy 0 with no
    /// contacts).
    pub at_raw: AgentsRow,
    /// N−2 … N+2 around the raw agents, leaving out N ≤ 0 and N ≤ traffic.
    pub table: Vec<AgentsRow>,
}

fn figure(e: &mut FieldErrors, field: &str, v: Option<f64>, default: Option<f64>) -> f64 {
    match v.or(default) {
        None => {
            e.add(field, "required", "is required");
            f64::NAN
        }
        Some(x) if !x.is_finite() => {
            e.add(field, "invalid", "must be a number");
            f64::NAN
        }
        Some(x) => x,
    }
}

impl ErlangCDraft {
    /// Checks the figures, each error naming its field.
    pub fn validate(&self) -> Result<ErlangCInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let contacts = figure(&mut e, "contacts", self.contacts, None);
        if contacts <= 0.0 {
            e.add("contacts", "out_of_range", "must be more than 0");
        } else if contacts > MAX_CONTACTS {
            e.add("contacts", "out_of_range", format!("must be at most {MAX_CONTACTS}"));
        }
        let interval = figure(&mut e, "interval_minutes", self.interval_minutes, None);
        if interval <= 0.0 {
            e.add("interval_minutes", "out_of_range", "must be more than 0");
        } else if interval > MAX_INTERVAL_MINUTES {
            e.add("interval_minutes", "out_of_range", format!("must be at most {MAX_INTERVAL_MINUTES}"));
        }
        let targets = TargetsDraft {
            handle_seconds: self.handle_seconds,
            service_level: self.service_level,
            answer_seconds: self.answer_seconds,
            shrinkage: self.shrinkage,
            max_occupancy: self.max_occupancy,
        }
        .check(&mut e);
        e.into_result(ErlangCInput { contacts, interval_minutes: interval, targets })
    }
}

/// A touchpoint's targets as typed or sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = StaffingSettingsRequest))]
pub struct TargetsDraft {
    pub handle_seconds: Option<f64>,
    pub service_level: Option<f64>,
    pub answer_seconds: Option<f64>,
    pub shrinkage: Option<f64>,
    pub max_occupancy: Option<f64>,
}

impl TargetsDraft {
    pub fn validate(&self) -> Result<Targets, FieldErrors> {
        let mut e = FieldErrors::new();
        let t = self.check(&mut e);
        if e.is_empty() {
            // A target no staffing reaches is refused with the settings,
            // not discovered hour by hour in the week table.
            unreachable_target(&mut e, &t);
        }
        e.into_result(t)
    }

    fn check(&self, e: &mut FieldErrors) -> Targets {
        let handle = figure(e, "handle_seconds", self.handle_seconds, None);
        if handle <= 0.0 {
            e.add("handle_seconds", "out_of_range", "must be more than 0");
        } else if handle > MAX_HANDLE_SECONDS {
            e.add("handle_seconds", "out_of_range", format!("must be at most {MAX_HANDLE_SECONDS}"));
        }
        let sl = figure(e, "service_level", self.service_level, None);
        if !(sl > 0.0 && sl <= 1.0) {
            e.add("service_level", "out_of_range", "must be a fraction more than 0 and at most 1");
        }
        let answer = figure(e, "answer_seconds", self.answer_seconds, None);
        if !(0.0..=MAX_ANSWER_SECONDS).contains(&answer) {
            e.add("answer_seconds", "out_of_range", format!("must be between 0 and {MAX_ANSWER_SECONDS}"));
        }
        let shrinkage = figure(e, "shrinkage", self.shrinkage, Some(0.0));
        if !(0.0..1.0).contains(&shrinkage) {
            e.add("shrinkage", "out_of_range", "must be a fraction of at least 0 and less than 1");
        }
        let occ = figure(e, "max_occupancy", self.max_occupancy, Some(1.0));
        if !(occ > 0.0 && occ <= 1.0) {
            e.add("max_occupancy", "out_of_range", "must be a fraction more than 0 and at most 1");
        }
        Targets { handle_seconds: handle, service_level: sl, answer_seconds: answer, shrinkage, max_occupancy: occ }
    }
}

/// A service level of 100% is never reached: with random arrivals some
/// contact always has a chance of waiting (`C > 0` for every `N`), however
/// many agents answer.
fn unreachable_target(e: &mut FieldErrors, t: &Targets) {
    if t.service_level >= 1.0 {
        e.add(
            "service_level",
            "unreachable",
            "no number of agents answers every contact within the target; choose a service level below 1",
        );
    }
}

/// Offered traffic in Erlangs.
pub fn traffic(contacts: f64, interval_minutes: f64, handle_seconds: f64) -> f64 {
    contacts * handle_seconds / (interval_minutes * 60.0)
}

/// Erlang B for `n` agents, by the recursion (bounded in [0, 1]).
pub fn erlang_b(n: u32, traffic: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=n {
        b = traffic * b / (k as f64 + traffic * b);
    }
    b
}

/// Service at `n` agents from Erlang B at `n`; `None` when `n ≤ traffic`
/// (no steady state).
fn row_from_b(n: u32, a: f64, b: f64, t: &Targets) -> Option<AgentsRow> {
    let nf = n as f64;
    if n == 0 || nf <= a {
        return None;
    }
    let c = if a == 0.0 { 0.0 } else { (nf * b / (nf - a * (1.0 - b))).clamp(0.0, 1.0) };
    let sl = (1.0 - c * (-(nf - a) * t.answer_seconds / t.handle_seconds).exp()).clamp(0.0, 1.0);
    Some(AgentsRow {
        agents: n,
        service_level: sl,
        occupancy: a / nf,
        waiting_probability: c,
        average_speed_of_answer: c * t.handle_seconds / (nf - a),
    })
}

/// Service at `n` agents, or `None` when `n ≤ traffic`.
pub fn at_agents(n: u32, traffic: f64, t: &Targets) -> Option<AgentsRow> {
    row_from_b(n, traffic, erlang_b(n, traffic), t)
}

/// The agents needed for `contacts` in an interval of `interval_minutes`
/// with targets `t`. Zero contacts need zero agents. `Err` names
/// `service_level` when no staffing up to [`MAX_AGENTS`] reaches it.
pub fn staff(contacts: f64, interval_minutes: f64, t: &Targets) -> Result<ErlangC, FieldErrors> {
    let mut e = FieldErrors::new();
    unreachable_target(&mut e, t);
    if !e.is_empty() {
        return Err(e);
    }
    let a = traffic(contacts.max(0.0), interval_minutes, t.handle_seconds);
    if a <= 0.0 {
        let row = AgentsRow {
            agents: 0,
            service_level: 1.0,
            occupancy: 0.0,
            waiting_probability: 0.0,
            average_speed_of_answer: 0.0,
        };
        return Ok(ErlangC { traffic: 0.0, raw_agents: 0, scheduled_agents: 0, at_raw: row, table: vec![] });
    }
    // The fewest agents within the maximum occupancy (the epsilon keeps
    // 10 / 0.5 from rounding up to 21 through floating point).
    let by_occupancy = (a / t.max_occupancy - 1e-9).ceil().max(1.0);
    if by_occupancy > MAX_AGENTS as f64 {
        return Err(too_many());
    }
    let by_occupancy = by_occupancy as u32;
    // Scan upwards carrying Erlang B: O(N) in all.
    let mut b = 1.0;
    let mut n: u32 = 0;
    let raw = loop {
        n += 1;
        if n > MAX_AGENTS {
            return Err(too_many());
        }
        b = a * b / (n as f64 + a * b);
        if let Some(row) = row_from_b(n, a, b, t) {
            if row.service_level >= t.service_level && n >= by_occupancy {
                break n;
            }
        }
    };
    let at_raw = at_agents(raw, a, t).expect("raw agents exceed the traffic");
    let scheduled = (raw as f64 / (1.0 - t.shrinkage) - 1e-9).ceil() as u32;
    let table = (raw.saturating_sub(2)..=raw + 2).filter_map(|n| at_agents(n, a, t)).collect();
    Ok(ErlangC { traffic: a, raw_agents: raw, scheduled_agents: scheduled.max(raw), at_raw, table })
}

fn too_many() -> FieldErrors {
    FieldErrors::single(
        "service_level",
        "unreachable",
        format!("reaching this service level needs more than {MAX_AGENTS} agents"),
    )
}

impl ErlangCInput {
    pub fn compute(&self) -> Result<ErlangC, FieldErrors> {
        staff(self.contacts, self.interval_minutes, &self.targets)
    }
}

/// Validates and computes in one step (the API and the page).
pub fn calculate(draft: &ErlangCDraft) -> Result<ErlangC, FieldErrors> {
    draft.validate()?.compute()
}

// ---- The week: contacts per hour of the week -------------------------

/// Days of the week, Monday first (ISO), as the week table's columns.
pub const WEEKDAYS: usize = 7;
pub const HOURS: usize = 24;
/// Weeks of history a week table may average.
pub const DEFAULT_WEEKS: u32 = 4;
pub const MAX_WEEKS: u32 = 26;
/// The most agents one hour of a schedule may hold.
pub const MAX_SCHEDULED: u32 = 10_000;

/// A schedule: agents planned per weekday (0 = Monday) and hour (0–23).
pub type WeekGrid = [[u32; HOURS]; WEEKDAYS];

/// One hour of the week table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = StaffingHour))]
pub struct WeekHour {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// 0–23, in the organization's time zone.
    pub hour: u8,
    /// Average contacts in this hour over the weeks.
    pub contacts: f64,
    /// Raw agents needed (before shrinkage).
    pub needed_raw: u32,
    /// Agents to schedule (after shrinkage).
    pub needed: u32,
    pub scheduled: u32,
    /// needed − scheduled when positive, else 0.
    pub shortfall: u32,
}

/// Checks `weeks` (default [`DEFAULT_WEEKS`]).
pub fn weeks(value: Option<i64>) -> Result<u32, FieldErrors> {
    match value {
        None => Ok(DEFAULT_WEEKS),
        Some(w) if (1..=MAX_WEEKS as i64).contains(&w) => Ok(w as u32),
        Some(_) => Err(FieldErrors::single("weeks", "out_of_range", format!("must be between 1 and {MAX_WEEKS}"))),
    }
}

/// The week table: `counts[d][h]` are contacts summed over `weeks` weeks;
/// each hour's average is staffed with `t` (one-hour intervals) beside the
/// schedule. Hours whose need is unreachable cannot occur: the targets were
/// validated and hourly traffic is bounded by the counts.
pub fn week(counts: &[[u64; HOURS]; WEEKDAYS], weeks: u32, t: &Targets, schedule: &WeekGrid) -> Vec<WeekHour> {
    let mut out = Vec::with_capacity(WEEKDAYS * HOURS);
    for (d, day) in counts.iter().enumerate() {
        for (h, n) in day.iter().enumerate() {
            let contacts = *n as f64 / weeks.max(1) as f64;
            let (raw, needed) = match staff(contacts, HOUR_MINUTES, t) {
                Ok(r) => (r.raw_agents, r.scheduled_agents),
                Err(_) => (MAX_AGENTS, MAX_AGENTS),
            };
            let scheduled = schedule[d][h];
            out.push(WeekHour {
                weekday: d as u8,
                hour: h as u8,
                contacts,
                needed_raw: raw,
                needed,
                scheduled,
                shortfall: needed.saturating_sub(scheduled),
            });
        }
    }
    out
}

/// Sums hourly counts (UTC hour starts) into the weekdays and hours of
/// `time_zone`'s wall clock. A UTC hour is placed by the local time it
/// starts at (in a zone offset by half an hour, each bucket is the UTC hour
/// starting at :30 local).
pub fn week_counts(
    hours: impl IntoIterator<Item = (chrono::DateTime<chrono::Utc>, i64)>,
    time_zone: &str,
) -> [[u64; HOURS]; WEEKDAYS] {
    use chrono::{Datelike, Timelike};
    let mut out = [[0u64; HOURS]; WEEKDAYS];
    for (at, n) in hours {
        let local = crate::calendar::local_time(time_zone, at);
        let d = local.weekday().num_days_from_monday() as usize;
        out[d][local.hour() as usize] += n.max(0) as u64;
    }
    out
}

/// A schedule as sent: up to 168 cells; missing cells are 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = StaffingScheduleCell))]
pub struct ScheduleCell {
    pub weekday: i64,
    pub hour: i64,
    pub agents: i64,
}

/// Checks a schedule's cells (fields `cells[i].weekday` etc.) into a grid.
pub fn schedule_grid(cells: &[ScheduleCell]) -> Result<WeekGrid, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut grid = [[0u32; HOURS]; WEEKDAYS];
    if cells.len() > WEEKDAYS * HOURS {
        e.add("cells", "too_many", format!("at most {} cells", WEEKDAYS * HOURS));
        return Err(e);
    }
    for (i, c) in cells.iter().enumerate() {
        let mut ok = true;
        if !(0..WEEKDAYS as i64).contains(&c.weekday) {
            e.add(format!("cells[{i}].weekday"), "out_of_range", "must be 0 (Monday) to 6 (Sunday)");
            ok = false;
        }
        if !(0..HOURS as i64).contains(&c.hour) {
            e.add(format!("cells[{i}].hour"), "out_of_range", "must be 0 to 23");
            ok = false;
        }
        if !(0..=MAX_SCHEDULED as i64).contains(&c.agents) {
            e.add(format!("cells[{i}].agents"), "out_of_range", format!("must be 0 to {MAX_SCHEDULED}"));
            ok = false;
        }
        if ok {
            grid[c.weekday as usize][c.hour as usize] = c.agents as u32;
        }
    }
    e.into_result(grid)
}

#[cfg(test)]
mod tests;
