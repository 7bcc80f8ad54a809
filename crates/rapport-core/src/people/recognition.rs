//! E3. Recognition tied to customer outcomes, and the flag on people who
//! "make their numbers" while hurting the experience.
//!
//! Three parts, all pure:
//! - **Kudos**: a draft (to a person or to a team, i.e. a department; a
//!   bounded reason; optional evidence: a response, a case closed with the
//!   customer's agreement, a sprint whose outcome improved) validated into an
//!   input; the month a kudos counts in.
//! - **The flag**: per agent and period, operational figures (cases closed,
//!   median hours to close, promises kept) beside the customer outcomes on
//!   their work (responses of the case's customer within
//!   [`OUTCOME_WINDOW_DAYS`] days after the close, reopened cases,
//!   complaints naming them). Agents in the top quarter on speed and the
//!   bottom quarter on outcomes are flagged, once they have
//!   [`MIN_CASES`] closed cases and [`MIN_RESPONSES`] outcome responses and
//!   at least [`MIN_AGENTS`] agents qualify.
//! - **Who leads** (E4): people whose ideas were implemented, who led a
//!   sprint with an improved outcome, who received recognition; and the
//!   trend per department and month.

use crate::improve::outcome::Verdict;
use crate::improve::{IdeaRow, IdeaStatus, Outcome};
use crate::validate::{no_nul, FieldErrors};
use crate::Id;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

// ---- Kudos -------------------------------------------------------------

/// The longest reason, in characters.
pub const REASON_MAX: usize = 1000;
/// The longest department (as a person's department, `person.rs`).
pub const DEPARTMENT_MAX: usize = 80;

/// What a kudos may point at as its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = KudosEvidenceKind))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A customer's response (e.g. a WOW comment that names them).
    Response,
    /// A case closed with the customer's agreement (RESOLVED's Verify).
    Case,
    /// A finished sprint with at least one improved metric.
    Sprint,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 3] = [EvidenceKind::Response, EvidenceKind::Case, EvidenceKind::Sprint];

    pub fn key(self) -> &'static str {
        match self {
            EvidenceKind::Response => "response",
            EvidenceKind::Case => "case",
            EvidenceKind::Sprint => "sprint",
        }
    }

    pub fn parse(s: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.key() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = KudosEvidence))]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub id: Id,
}

/// A kudos as typed: exactly one of `person_id` and `department`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct KudosDraft {
    pub person_id: Option<Id>,
    pub department: Option<String>,
    pub reason: Option<String>,
    pub evidence_kind: Option<String>,
    pub evidence_id: Option<Id>,
}

/// Who receives a kudos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KudosTo {
    Person(Id),
    Department(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KudosInput {
    pub to: KudosTo,
    pub reason: String,
    pub evidence: Option<Evidence>,
}

impl KudosDraft {
    pub fn validate(&self) -> Result<KudosInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let department = self.department.as_deref().map(str::trim).filter(|d| !d.is_empty());
        let to = match (self.person_id, department) {
            (Some(_), Some(_)) => {
                e.add("department", "kudos_both", "give kudos to a person or to a team, not both");
                None
            }
            (None, None) => {
                e.add("person_id", "required", "name a person or a team (department)");
                None
            }
            (Some(p), None) => Some(KudosTo::Person(p)),
            (None, Some(d)) => {
                if d.chars().count() > DEPARTMENT_MAX {
                    e.add("department", "too_long", format!("at most {DEPARTMENT_MAX} characters"));
                }
                no_nul(&mut e, "department", d);
                Some(KudosTo::Department(d.to_string()))
            }
        };
        let reason = self.reason.as_deref().map(str::trim).unwrap_or("");
        if reason.is_empty() {
            e.add("reason", "required", "say what they did");
        } else if reason.chars().count() > REASON_MAX {
            e.add("reason", "too_long", format!("at most {REASON_MAX} characters"));
        }
        no_nul(&mut e, "reason", reason);
        let kind = self.evidence_kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
        let evidence = match (kind, self.evidence_id) {
            (None, None) => None,
            (Some(_), None) => {
                e.add("evidence_id", "required", "name the evidence's id");
                None
            }
            (None, Some(_)) => {
                e.add("evidence_kind", "required", "say what the evidence is: response, case or sprint");
                None
            }
            (Some(k), Some(id)) => match EvidenceKind::parse(k) {
                None => {
                    e.add("evidence_kind", "invalid", "is response, case or sprint");
                    None
                }
                Some(_) if id <= 0 => {
                    e.add("evidence_id", "invalid", "is a positive id");
                    None
                }
                Some(kind) => Some(Evidence { kind, id }),
            },
        };
        match to {
            Some(to) if e.is_empty() => Ok(KudosInput { to, reason: reason.to_string(), evidence }),
            _ => Err(e),
        }
    }
}

/// A kudos as stored and shown in the feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kudos {
    pub id: Id,
    /// The giver's person, when their account is linked to one.
    pub giver_id: Option<Id>,
    /// The giver's account (e-mail or token name).
    pub given_by: String,
    /// The recipient person, or none for a kudos to a team.
    pub person_id: Option<Id>,
    /// The team's department, or the recipient person's department when it
    /// was given (what the monthly summary counts under).
    pub department: Option<String>,
    pub reason: String,
    pub evidence: Option<Evidence>,
    pub created_at: DateTime<Utc>,
}

/// The month a kudos counts in: `YYYY-MM` of its UTC time.
pub fn month_key(at: DateTime<Utc>) -> String {
    format!("{:04}-{:02}", at.year(), at.month())
}

/// One line of the monthly summary: what a department received and gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KudosMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Empty for people with no department.
    pub department: String,
    pub received: i64,
    pub given: i64,
}

/// Whether a sprint's outcome counts as improved: at least one metric with
/// the verdict `improved` (a significant change the good way).
pub fn sprint_improved(outcome: Option<&Outcome>) -> bool {
    outcome.is_some_and(|o| o.metrics.iter().any(|m| m.verdict == Verdict::Improved))
}

/// A person's first name: the first word of their name.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

/// Whether `text` names `first_name` as a whole word (ignoring case). Names
/// of one letter never match.
pub fn names(text: &str, first_name: &str) -> bool {
    let want = first_name.trim().to_lowercase();
    if want.chars().count() < 2 {
        return false;
    }
    text.split(|c: char| !c.is_alphanumeric()).any(|w| w.to_lowercase() == want)
}

/// A response that could be recognised: its comment names a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KudosSuggestion {
    pub response_id: Id,
    pub person_id: Id,
    pub at: DateTime<Utc>,
    pub comment: String,
}

/// Which of the given comments (response id, time, comment) name one of the
/// people (id, name): each response at most once, for the first person it
/// names, newest first as given; at most `limit`. A first name shared by
/// two people names neither (ambiguous).
pub fn suggestions(
    comments: &[(Id, DateTime<Utc>, String)],
    people: &[(Id, String)],
    limit: usize,
) -> Vec<KudosSuggestion> {
    let mut by_first: HashMap<String, Vec<Id>> = HashMap::new();
    for (id, name) in people {
        by_first.entry(first_name(name).to_lowercase()).or_default().push(*id);
    }
    let mut out = Vec::new();
    for (rid, at, comment) in comments {
        let hit = people.iter().find(|(_, name)| {
            let f = first_name(name);
            by_first.get(&f.to_lowercase()).is_some_and(|v| v.len() == 1) && names(comment, f)
        });
        if let Some((pid, _)) = hit {
            out.push(KudosSuggestion { response_id: *rid, person_id: *pid, at: *at, comment: comment.clone() });
            if out.len() >= limit {
                break;
            }
        }
    }
    out
}

// ---- The period ----------------------------------------------------------

/// A month (`2026-11`) or a quarter (`2026-Q4`), in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (y, rest) = s.split_once('-')?;
        if y.len() != 4 {
            return None;
        }
        let year: i32 = y.parse().ok().filter(|y| (2000..=2200).contains(y))?;
        if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
            let quarter: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
            return (q.len() == 1).then_some(Period::Quarter { year, quarter });
        }
        let month: u32 = rest.parse().ok().filter(|m| (1..=12).contains(m))?;
        (rest.len() == 2).then_some(Period::Month { year, month })
    }

    pub fn key(self) -> String {
        match self {
            Period::Month { year, month } => format!("{year:04}-{month:02}"),
            Period::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
        }
    }

    /// The month (or quarter, with `quarter`) holding `at`.
    pub fn containing(at: DateTime<Utc>, quarter: bool) -> Period {
        if quarter {
            Period::Quarter { year: at.year(), quarter: (at.month() - 1) / 3 + 1 }
        } else {
            Period::Month { year: at.year(), month: at.month() }
        }
    }

    /// The one before (the last full month or quarter).
    pub fn previous(self) -> Period {
        match self {
            Period::Month { year, month: 1 } => Period::Month { year: year - 1, month: 12 },
            Period::Month { year, month } => Period::Month { year, month: month - 1 },
            Period::Quarter { year, quarter: 1 } => Period::Quarter { year: year - 1, quarter: 4 },
            Period::Quarter { year, quarter } => Period::Quarter { year, quarter: quarter - 1 },
        }
    }

    fn first_month(self) -> (i32, u32, u32) {
        match self {
            Period::Month { year, month } => (year, month, 1),
            Period::Quarter { year, quarter } => (year, (quarter - 1) * 3 + 1, 3),
        }
    }

    /// The first instant of the period (UTC midnight).
    pub fn start(self) -> DateTime<Utc> {
        let (y, m, _) = self.first_month();
        Utc.from_utc_datetime(&NaiveDate::from_ymd_opt(y, m, 1).expect("valid month").and_hms_opt(0, 0, 0).unwrap())
    }

    /// The first instant after the period.
    pub fn end(self) -> DateTime<Utc> {
        let (y, m, n) = self.first_month();
        let months = y * 12 + (m as i32 - 1) + n as i32;
        let (ey, em) = (months.div_euclid(12), months.rem_euclid(12) as u32 + 1);
        Utc.from_utc_datetime(&NaiveDate::from_ymd_opt(ey, em, 1).expect("valid month").and_hms_opt(0, 0, 0).unwrap())
    }
}

// ---- The flag ------------------------------------------------------------

/// Responses up to this many days after a case's close are its outcome.
pub const OUTCOME_WINDOW_DAYS: i64 = 14;
/// Below this many closed cases in the period, an agent is "too few cases".
pub const MIN_CASES: u32 = 5;
/// Below this many outcome responses, an agent is "too few responses".
pub const MIN_RESPONSES: u32 = 5;
/// Quarters need at least this many agents with enough cases and responses;
/// with fewer, nobody is flagged.
pub const MIN_AGENTS: usize = 4;

/// A case closed in the period, as the flag reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosedCase {
    pub case_id: Id,
    pub assignee_id: Id,
    pub customer_id: Option<Id>,
    pub opened_at: DateTime<Utc>,
    pub closed_at: DateTime<Utc>,
    pub first_response_due: DateTime<Utc>,
    pub first_responded_at: Option<DateTime<Utc>>,
    pub resolution_due: DateTime<Utc>,
    /// It had been closed and reopened before this close.
    pub reopened: bool,
}

/// A response of a case's customer, with its score bands
/// (`rapport_core::measure::band`: 1 low, 2 middle, 3 high).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredResponse {
    pub id: Id,
    pub customer_id: Id,
    pub at: DateTime<Utc>,
    pub nps_band: Option<i16>,
    pub csat_band: Option<i16>,
    pub anger: bool,
    pub comment: Option<String>,
}

/// An agent's figures for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PerformanceFigures))]
pub struct AgentFigures {
    pub person_id: Id,
    /// Cases assigned to them whose (latest) close falls in the period.
    pub cases_closed: u32,
    /// Median hours from opening to close over those cases.
    pub median_hours_to_close: Option<f64>,
    /// First responses made by their promised time, of those cases.
    pub first_response_kept: u32,
    /// Closes by the promised resolution time, of those cases.
    pub resolution_kept: u32,
    /// Distinct responses of the cases' customers within the window after
    /// a close, with an NPS or CSAT band: the outcome sample.
    pub outcome_responses: u32,
    /// NPS (−100…100) over the sample's NPS answers, and how many.
    pub nps: Option<f64>,
    pub nps_n: u32,
    /// Share of satisfied CSAT answers (0…100), and how many.
    pub csat: Option<f64>,
    pub csat_n: u32,
    /// Net outcome (−100…100): each response counts +1 high, 0 middle,
    /// −1 low (its NPS band, else its CSAT band), averaged × 100.
    pub outcome_score: Option<f64>,
    /// Cases of theirs reopened: closed in the period after an earlier
    /// close, or reopened in the period and still open.
    pub reopened: u32,
    /// Sample responses with a low band or anger whose comment names them.
    pub complaints: u32,
}

/// An agent as the flag reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentCases<'a> {
    pub person_id: Id,
    pub name: &'a str,
    pub cases: Vec<&'a ClosedCase>,
    /// Reopened in the period and still open.
    pub reopened_open: u32,
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One agent's figures from their cases and the responses of those cases'
/// customers (any responses: the window is applied here).
pub fn agent_figures(agent: &AgentCases<'_>, responses: &[ScoredResponse]) -> AgentFigures {
    let window = Duration::days(OUTCOME_WINDOW_DAYS);
    let mut hours: Vec<f64> =
        agent.cases.iter().map(|c| (c.closed_at - c.opened_at).num_seconds().max(0) as f64 / 3600.0).collect();
    let first_response_kept =
        agent.cases.iter().filter(|c| c.first_responded_at.is_some_and(|r| r <= c.first_response_due)).count();
    let resolution_kept = agent.cases.iter().filter(|c| c.closed_at <= c.resolution_due).count();
    let mut seen: HashSet<Id> = HashSet::new();
    let (mut nps_n, mut promoters, mut detractors, mut csat_n, mut satisfied) = (0u32, 0u32, 0u32, 0u32, 0u32);
    let (mut n, mut net, mut complaints) = (0u32, 0i64, 0u32);
    let first = first_name(agent.name);
    for c in &agent.cases {
        let Some(customer) = c.customer_id else { continue };
        for r in responses {
            if r.customer_id != customer || r.at < c.closed_at || r.at > c.closed_at + window || !seen.insert(r.id) {
                continue;
            }
            let band = r.nps_band.or(r.csat_band);
            let Some(band) = band else {
                seen.remove(&r.id);
                continue;
            };
            if let Some(b) = r.nps_band {
                nps_n += 1;
                promoters += u32::from(b == 3);
                detractors += u32::from(b == 1);
            }
            if let Some(b) = r.csat_band {
                csat_n += 1;
                satisfied += u32::from(b == 3);
            }
            n += 1;
            net += match band {
                3 => 1,
                1 => -1,
                _ => 0,
            };
            if (band == 1 || r.anger) && r.comment.as_deref().is_some_and(|t| names(t, first)) {
                complaints += 1;
            }
        }
    }
    let pct = |num: f64, den: u32| (den > 0).then(|| round1(num * 100.0 / f64::from(den)));
    AgentFigures {
        person_id: agent.person_id,
        cases_closed: agent.cases.len() as u32,
        median_hours_to_close: median(&mut hours).map(round1),
        first_response_kept: first_response_kept as u32,
        resolution_kept: resolution_kept as u32,
        outcome_responses: n,
        nps: pct(f64::from(promoters) - f64::from(detractors), nps_n),
        nps_n,
        csat: pct(f64::from(satisfied), csat_n),
        csat_n,
        outcome_score: pct(net as f64, n),
        reopened: agent.cases.iter().filter(|c| c.reopened).count() as u32 + agent.reopened_open,
        complaints,
    }
}

/// Where an agent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PerformanceStatus))]
#[serde(rename_all = "snake_case")]
pub enum FlagStatus {
    /// Top quarter on speed and bottom quarter on outcomes.
    Flagged,
    /// Enough data, not both.
    Clear,
    /// Fewer than [`MIN_CASES`] closed cases.
    TooFewCases,
    /// Fewer than [`MIN_RESPONSES`] outcome responses.
    TooFewResponses,
    /// Fewer than [`MIN_AGENTS`] agents qualify: no quarters.
    TooFewAgents,
}

impl FlagStatus {
    pub fn key(self) -> &'static str {
        match self {
            FlagStatus::Flagged => "flagged",
            FlagStatus::Clear => "clear",
            FlagStatus::TooFewCases => "too_few_cases",
            FlagStatus::TooFewResponses => "too_few_responses",
            FlagStatus::TooFewAgents => "too_few_agents",
        }
    }
}

/// An agent's figures and where they stand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PerformanceRow))]
pub struct FlagRow {
    #[serde(flatten)]
    pub figures: AgentFigures,
    /// In the fastest quarter (by median hours to close).
    pub fast: bool,
    /// In the worst quarter (by net outcome).
    pub poor_outcomes: bool,
    pub status: FlagStatus,
}

/// The members of the "smallest quarter" of `values`: with `k` values, the
/// boundary is the ⌈k/4⌉-th smallest, and every value at or below it is in
/// (ties at the boundary are all in, so a quarter may hold more than k/4).
pub fn lowest_quarter(values: &[f64]) -> Vec<bool> {
    if values.is_empty() {
        return Vec::new();
    }
    let mut sorted: Vec<f64> = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let boundary = sorted[values.len().div_ceil(4) - 1];
    values.iter().map(|v| *v <= boundary).collect()
}

/// Quarters and the flag over every agent's figures, ordered flagged
/// first, then by person id.
pub fn flag(figures: Vec<AgentFigures>) -> Vec<FlagRow> {
    let eligible: Vec<usize> = (0..figures.len())
        .filter(|i| {
            let f = &figures[*i];
            f.cases_closed >= MIN_CASES && f.outcome_responses >= MIN_RESPONSES && f.outcome_score.is_some()
        })
        .collect();
    let mut fast = vec![false; figures.len()];
    let mut poor = vec![false; figures.len()];
    let enough = eligible.len() >= MIN_AGENTS;
    if enough {
        let speed: Vec<f64> =
            eligible.iter().map(|i| figures[*i].median_hours_to_close.unwrap_or(f64::INFINITY)).collect();
        let outcome: Vec<f64> = eligible.iter().map(|i| figures[*i].outcome_score.unwrap_or(0.0)).collect();
        for (j, (f, p)) in lowest_quarter(&speed).into_iter().zip(lowest_quarter(&outcome)).enumerate() {
            fast[eligible[j]] = f;
            poor[eligible[j]] = p;
        }
    }
    let mut rows: Vec<FlagRow> = figures
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let status = if f.cases_closed < MIN_CASES {
                FlagStatus::TooFewCases
            } else if f.outcome_responses < MIN_RESPONSES {
                FlagStatus::TooFewResponses
            } else if !enough {
                FlagStatus::TooFewAgents
            } else if fast[i] && poor[i] {
                FlagStatus::Flagged
            } else {
                FlagStatus::Clear
            };
            FlagRow { figures: f, fast: fast[i], poor_outcomes: poor[i], status }
        })
        .collect();
    rows.sort_by_key(|r| (r.status != FlagStatus::Flagged, r.figures.person_id));
    rows
}

/// The whole computation: cases grouped by assignee (names by person id),
/// figures, quarters, flag.
pub fn performance(
    cases: &[ClosedCase],
    reopened_open: &[(Id, u32)],
    responses: &[ScoredResponse],
    names: &HashMap<Id, String>,
) -> Vec<FlagRow> {
    let mut by_agent: BTreeMap<Id, Vec<&ClosedCase>> = BTreeMap::new();
    for c in cases {
        by_agent.entry(c.assignee_id).or_default().push(c);
    }
    for (a, _) in reopened_open {
        by_agent.entry(*a).or_default();
    }
    let mut by_customer: HashMap<Id, Vec<ScoredResponse>> = HashMap::new();
    for r in responses {
        by_customer.entry(r.customer_id).or_default().push(r.clone());
    }
    let figures = by_agent
        .into_iter()
        .map(|(person_id, cases)| {
            let mine: Vec<ScoredResponse> = cases
                .iter()
                .filter_map(|c| c.customer_id)
                .collect::<HashSet<_>>()
                .into_iter()
                .flat_map(|cu| by_customer.get(&cu).cloned().unwrap_or_default())
                .collect();
            let agent = AgentCases {
                person_id,
                name: names.get(&person_id).map(String::as_str).unwrap_or(""),
                cases,
                reopened_open: reopened_open.iter().filter(|(a, _)| *a == person_id).map(|(_, n)| n).sum(),
            };
            agent_figures(&agent, &mine)
        })
        .collect();
    flag(figures)
}

// ---- Who leads (E4) --------------------------------------------------------

/// A person who leads, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RecognitionLeader))]
pub struct Leader {
    pub person_id: Id,
    pub department: Option<String>,
    pub ideas_implemented: u32,
    pub sprints_improved: u32,
    pub kudos_received: u32,
    /// The three added up.
    pub total: u32,
}

/// A department's month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RecognitionLeadTrend))]
pub struct LeadTrend {
    /// `YYYY-MM`.
    pub month: String,
    /// Empty for people with no department.
    pub department: String,
    pub ideas_implemented: u32,
    pub sprints_improved: u32,
    pub kudos_received: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RecognitionWhoLeads))]
pub struct WhoLeads {
    /// By total, then id; only people with something to their name.
    pub people: Vec<Leader>,
    /// By month, then department.
    pub trend: Vec<LeadTrend>,
}

/// A finished sprint as "who leads" reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct SprintLead {
    pub leader_id: Id,
    pub end: NaiveDate,
    pub improved: bool,
}

/// Who leads: from the ideas (implemented ones count for their author, in
/// their implementation month), sprints (improved ones count for their
/// leader, in their last day's month), kudos received per person, and the
/// monthly summary (kudos received per department). Departments are the
/// people's current ones.
pub fn who_leads(
    departments: &HashMap<Id, Option<String>>,
    ideas: &[IdeaRow],
    sprints: &[SprintLead],
    kudos_by_person: &[(Id, i64)],
    months: &[KudosMonth],
) -> WhoLeads {
    let mut trend: BTreeMap<(String, String), LeadTrend> = BTreeMap::new();
    let mut leaders: BTreeMap<Id, Leader> = BTreeMap::new();
    let mut bump = |p: Id, f: fn(&mut Leader)| {
        let l = leaders.entry(p).or_insert_with(|| Leader {
            person_id: p,
            department: departments.get(&p).cloned().flatten(),
            ideas_implemented: 0,
            sprints_improved: 0,
            kudos_received: 0,
            total: 0,
        });
        f(l);
        l.total += 1;
    };
    let mut series: Vec<(String, String, u8)> = Vec::new();
    for i in ideas.iter().filter(|i| i.status == IdeaStatus::Implemented) {
        bump(i.author_id, |l| l.ideas_implemented += 1);
        if let Some(on) = i.implemented_on {
            let d = departments.get(&i.author_id).cloned().flatten().unwrap_or_default();
            series.push((format!("{:04}-{:02}", on.year(), on.month()), d, 0));
        }
    }
    for s in sprints.iter().filter(|s| s.improved) {
        bump(s.leader_id, |l| l.sprints_improved += 1);
        let d = departments.get(&s.leader_id).cloned().flatten().unwrap_or_default();
        series.push((format!("{:04}-{:02}", s.end.year(), s.end.month()), d, 1));
    }
    for (p, n) in kudos_by_person {
        let n = u32::try_from(*n).unwrap_or(0);
        if n > 0 {
            let l = leaders.entry(*p).or_insert_with(|| Leader {
                person_id: *p,
                department: departments.get(p).cloned().flatten(),
                ideas_implemented: 0,
                sprints_improved: 0,
                kudos_received: 0,
                total: 0,
            });
            l.kudos_received += n;
            l.total += n;
        }
    }
    for (month, department, what) in series {
        let t = trend.entry((month.clone(), department.clone())).or_insert_with(|| LeadTrend {
            month,
            department,
            ideas_implemented: 0,
            sprints_improved: 0,
            kudos_received: 0,
        });
        if what == 0 {
            t.ideas_implemented += 1;
        } else {
            t.sprints_improved += 1;
        }
    }
    for m in months.iter().filter(|m| m.received > 0) {
        let t = trend.entry((m.month.clone(), m.department.clone())).or_insert_with(|| LeadTrend {
            month: m.month.clone(),
            department: m.department.clone(),
            ideas_implemented: 0,
            sprints_improved: 0,
            kudos_received: 0,
        });
        t.kudos_received += u32::try_from(m.received).unwrap_or(0);
    }
    let mut out: Vec<Leader> = leaders.into_values().collect();
    out.sort_by_key(|l| (std::cmp::Reverse(l.total), l.person_id));
    WhoLeads { people: out, trend: trend.into_values().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn draft(person: Option<Id>, dept: Option<&str>, reason: &str) -> KudosDraft {
        KudosDraft {
            person_id: person,
            department: dept.map(Into::into),
            reason: Some(reason.into()),
            ..Default::default()
        }
    }

    #[test]
    fn kudos_go_to_a_person_or_a_team_with_a_reason() {
        let k = draft(Some(4), None, "  Called the customer back on a Sunday ").validate().unwrap();
        assert_eq!(k.to, KudosTo::Person(4));
        assert_eq!(k.reason, "Called the customer back on a Sunday");
        assert_eq!(k.evidence, None);
        let k = draft(None, Some(" Support "), "Great month").validate().unwrap();
        assert_eq!(k.to, KudosTo::Department("Support".into()));
        let e = draft(Some(4), Some("Support"), "x").validate().unwrap_err();
        assert_eq!(e.get("department").unwrap().code, "kudos_both");
        let e = draft(None, Some("  "), "").validate().unwrap_err();
        assert_eq!(e.get("person_id").unwrap().code, "required");
        assert_eq!(e.get("reason").unwrap().code, "required");
        let e = draft(Some(1), None, &"x".repeat(REASON_MAX + 1)).validate().unwrap_err();
        assert_eq!(e.get("reason").unwrap().code, "too_long");
        assert!(draft(Some(1), None, &"é".repeat(REASON_MAX)).validate().is_ok(), "characters, not bytes");
        let e = draft(Some(1), None, "a\0b").validate().unwrap_err();
        assert!(e.get("reason").is_some());
        let e = draft(None, Some(&"d".repeat(DEPARTMENT_MAX + 1)), "ok").validate().unwrap_err();
        assert_eq!(e.get("department").unwrap().code, "too_long");
    }

    #[test]
    fn evidence_needs_a_kind_and_an_id() {
        let with = |k: Option<&str>, id: Option<Id>| KudosDraft {
            evidence_kind: k.map(Into::into),
            evidence_id: id,
            ..draft(Some(1), None, "ok")
        };
        assert_eq!(
            with(Some("case"), Some(9)).validate().unwrap().evidence,
            Some(Evidence { kind: EvidenceKind::Case, id: 9 })
        );
        assert_eq!(with(Some(""), None).validate().unwrap().evidence, None, "an empty choice is none");
        assert_eq!(with(Some("case"), None).validate().unwrap_err().get("evidence_id").unwrap().code, "required");
        assert_eq!(with(None, Some(3)).validate().unwrap_err().get("evidence_kind").unwrap().code, "required");
        assert_eq!(with(Some("idea"), Some(3)).validate().unwrap_err().get("evidence_kind").unwrap().code, "invalid");
        assert_eq!(with(Some("sprint"), Some(0)).validate().unwrap_err().get("evidence_id").unwrap().code, "invalid");
        for k in EvidenceKind::ALL {
            assert_eq!(EvidenceKind::parse(k.key()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.key());
        }
    }

    #[test]
    fn months_and_periods() {
        assert_eq!(month_key(t("2026-11-30T23:59:59Z")), "2026-11");
        assert_eq!(month_key(t("2026-12-01T00:00:00Z")), "2026-12");
        let m = Period::parse("2026-11").unwrap();
        assert_eq!((m.start(), m.end()), (t("2026-11-01T00:00:00Z"), t("2026-12-01T00:00:00Z")));
        let q = Period::parse("2026-Q4").unwrap();
        assert_eq!((q.start(), q.end()), (t("2026-10-01T00:00:00Z"), t("2027-01-01T00:00:00Z")));
        assert_eq!(q.key(), "2026-Q4");
        assert_eq!(Period::parse("2026-12").unwrap().end(), t("2027-01-01T00:00:00Z"));
        for bad in ["2026-13", "2026-Q5", "2026-1", "26-11", "2026-Q", "november", "2026-Q10", ""] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(Period::containing(t("2026-08-15T00:00:00Z"), true).key(), "2026-Q3");
        assert_eq!(Period::containing(t("2026-01-15T00:00:00Z"), false).previous().key(), "2025-12");
        assert_eq!(Period::parse("2026-Q1").unwrap().previous().key(), "2025-Q4");
    }

    #[test]
    fn names_are_whole_words() {
        assert!(names("Thanks to ANA for the help!", "Ana"));
        assert!(names("María fue genial", "maría"));
        assert!(!names("Banana split", "Ana"));
        assert!(!names("a b c", "A"), "one letter never matches");
        assert_eq!(first_name("  Ana  Ruiz"), "Ana");
        let people = vec![(1, "Ana Ruiz".to_string()), (2, "Ben Ode".to_string()), (3, "Ben Smith".to_string())];
        let comments = vec![
            (10, t("2026-11-03T00:00:00Z"), "Ana was wonderful".to_string()),
            (11, t("2026-11-02T00:00:00Z"), "Ben helped".to_string()),
            (12, t("2026-11-01T00:00:00Z"), "nobody named".to_string()),
            (13, t("2026-10-01T00:00:00Z"), "ana again".to_string()),
        ];
        let s = suggestions(&comments, &people, 10);
        assert_eq!(s.iter().map(|s| (s.response_id, s.person_id)).collect::<Vec<_>>(), vec![(10, 1), (13, 1)]);
        assert_eq!(suggestions(&comments, &people, 1).len(), 1, "bounded");
    }

    fn figures(person_id: Id, cases: u32, hours: f64, responses: u32, score: f64) -> AgentFigures {
        AgentFigures {
            person_id,
            cases_closed: cases,
            median_hours_to_close: Some(hours),
            first_response_kept: 0,
            resolution_kept: 0,
            outcome_responses: responses,
            nps: None,
            nps_n: 0,
            csat: None,
            csat_n: 0,
            outcome_score: Some(score),
            reopened: 0,
            complaints: 0,
        }
    }

    #[test]
    fn quarters_take_ties_at_the_boundary() {
        assert_eq!(lowest_quarter(&[5.0, 1.0, 3.0, 2.0]), vec![false, true, false, false]);
        assert_eq!(lowest_quarter(&[5.0, 1.0, 1.0, 2.0]), vec![false, true, true, false], "tie at the boundary");
        // Five values: the quarter is the ⌈5/4⌉ = 2 smallest.
        assert_eq!(lowest_quarter(&[9.0, 8.0, 7.0, 6.0, 5.0]), vec![false, false, false, true, true]);
        assert_eq!(lowest_quarter(&[4.0, 4.0, 4.0, 4.0]), vec![true; 4], "all tied: all in");
        assert!(lowest_quarter(&[]).is_empty());
    }

    #[test]
    fn fast_with_poor_outcomes_is_flagged_fast_with_good_ones_is_not() {
        let rows = flag(vec![
            figures(1, 10, 2.0, 8, -50.0), // fast, poor: flagged
            figures(2, 10, 2.5, 8, 80.0),  // fast, good
            figures(3, 10, 20.0, 8, 10.0),
            figures(4, 10, 30.0, 8, -60.0), // slow, poor
            figures(5, 10, 25.0, 8, 50.0),
            figures(6, 10, 40.0, 8, 60.0),
            figures(7, 10, 35.0, 8, 70.0),
            figures(8, 10, 22.0, 8, 40.0),
        ]);
        let flagged: Vec<Id> =
            rows.iter().filter(|r| r.status == FlagStatus::Flagged).map(|r| r.figures.person_id).collect();
        assert_eq!(flagged, vec![1]);
        assert_eq!(rows[0].figures.person_id, 1, "flagged first");
        let by = |id: Id| rows.iter().find(|r| r.figures.person_id == id).unwrap();
        assert!(by(2).fast && !by(2).poor_outcomes);
        assert!(!by(4).fast && by(4).poor_outcomes);
        assert_eq!(by(4).status, FlagStatus::Clear);
    }

    #[test]
    fn small_samples_and_small_teams_flag_nobody() {
        let rows = flag(vec![
            figures(1, 4, 1.0, 8, -90.0),
            figures(2, 10, 1.0, 4, -90.0),
            figures(3, 10, 5.0, 8, 10.0),
            figures(4, 10, 6.0, 8, 20.0),
            figures(5, 10, 7.0, 8, 30.0),
        ]);
        let by = |id: Id| rows.iter().find(|r| r.figures.person_id == id).unwrap().status;
        assert_eq!(by(1), FlagStatus::TooFewCases);
        assert_eq!(by(2), FlagStatus::TooFewResponses);
        assert_eq!(by(3), FlagStatus::TooFewAgents, "three qualify: no quarters");
        // Missing outcomes (no responses at all) never count as poor.
        let mut none = figures(9, 10, 1.0, 0, 0.0);
        none.outcome_score = None;
        let rows = flag(vec![
            none,
            figures(3, 10, 5.0, 8, 10.0),
            figures(4, 10, 6.0, 8, 20.0),
            figures(5, 10, 7.0, 8, 30.0),
            figures(6, 10, 8.0, 8, 40.0),
        ]);
        assert_eq!(rows.iter().find(|r| r.figures.person_id == 9).unwrap().status, FlagStatus::TooFewResponses);
        let flagged: Vec<Id> =
            rows.iter().filter(|r| r.status == FlagStatus::Flagged).map(|r| r.figures.person_id).collect();
        assert_eq!(flagged, vec![3], "among the four who qualify, 3 is fastest and worst; 9 is faster but unmeasured");
    }

    #[test]
    fn figures_read_the_window_after_each_close() {
        let case = |id: Id, customer: Id, opened: &str, closed: &str, reopened: bool| ClosedCase {
            case_id: id,
            assignee_id: 7,
            customer_id: Some(customer),
            opened_at: t(opened),
            closed_at: t(closed),
            first_response_due: t("2026-11-02T12:00:00Z"),
            first_responded_at: Some(t("2026-11-02T10:00:00Z")),
            resolution_due: t("2026-11-03T12:00:00Z"),
            reopened,
        };
        let cases = [
            case(1, 100, "2026-11-02T09:00:00Z", "2026-11-02T11:00:00Z", false), // 2 h
            case(2, 101, "2026-11-02T09:00:00Z", "2026-11-04T09:00:00Z", true),  // 48 h, late
            case(3, 102, "2026-11-02T09:00:00Z", "2026-11-02T13:00:00Z", false), // 4 h
        ];
        let r = |id: Id, customer: Id, at: &str, nps: Option<i16>, csat: Option<i16>, comment: Option<&str>| {
            ScoredResponse {
                id,
                customer_id: customer,
                at: t(at),
                nps_band: nps,
                csat_band: csat,
                anger: false,
                comment: comment.map(Into::into),
            }
        };
        let responses = [
            r(1, 100, "2026-11-03T00:00:00Z", Some(1), None, Some("Zoe hung up on me")), // complaint naming her
            r(2, 100, "2026-11-01T00:00:00Z", Some(3), None, None),                      // before the close
            r(3, 101, "2026-11-10T00:00:00Z", None, Some(3), None),
            r(4, 102, "2026-11-30T00:00:00Z", Some(3), None, None), // after the window
            r(5, 102, "2026-11-05T00:00:00Z", Some(2), Some(3), Some("Zoe was fine")),
            r(6, 102, "2026-11-06T00:00:00Z", None, None, None), // no score
        ];
        let mut names = HashMap::new();
        names.insert(7, "Zoe Park".to_string());
        let rows = performance(&cases, &[(7, 1)], &responses, &names);
        let f = &rows[0].figures;
        assert_eq!(f.cases_closed, 3);
        assert_eq!(f.median_hours_to_close, Some(4.0));
        assert_eq!((f.first_response_kept, f.resolution_kept), (3, 2));
        assert_eq!(f.outcome_responses, 3, "responses 1, 3 and 5");
        assert_eq!((f.nps_n, f.nps), (2, Some(-50.0)));
        assert_eq!((f.csat_n, f.csat), (2, Some(100.0)));
        // 1: nps low (−1), 3: csat high (+1), 5: nps middle (0) → 0.
        assert_eq!(f.outcome_score, Some(0.0));
        assert_eq!(f.complaints, 1);
        assert_eq!(f.reopened, 2, "one reopened before its close, one still open");
        assert_eq!(rows[0].status, FlagStatus::TooFewCases);
    }

    #[test]
    fn who_leads_adds_ideas_sprints_and_kudos() {
        let mut depts = HashMap::new();
        depts.insert(1, Some("Support".to_string()));
        depts.insert(2, Some("Stores".to_string()));
        depts.insert(3, None);
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let idea = |author: Id, status: IdeaStatus, on: Option<&str>| IdeaRow {
            author_id: author,
            department: None,
            created_on: d("2026-09-01"),
            status,
            implemented_on: on.map(d),
        };
        let ideas = [
            idea(1, IdeaStatus::Implemented, Some("2026-10-03")),
            idea(1, IdeaStatus::Approved, None),
            idea(3, IdeaStatus::Implemented, Some("2026-11-03")),
        ];
        let sprints = [
            SprintLead { leader_id: 2, end: d("2026-11-20"), improved: true },
            SprintLead { leader_id: 1, end: d("2026-11-20"), improved: false },
        ];
        let months = [
            KudosMonth { month: "2026-11".into(), department: "Support".into(), received: 3, given: 1 },
            KudosMonth { month: "2026-11".into(), department: "Stores".into(), received: 0, given: 2 },
        ];
        let w = who_leads(&depts, &ideas, &sprints, &[(2, 2), (4, 0)], &months);
        let people: Vec<(Id, u32, u32, u32, u32)> = w
            .people
            .iter()
            .map(|l| (l.person_id, l.ideas_implemented, l.sprints_improved, l.kudos_received, l.total))
            .collect();
        assert_eq!(people, vec![(2, 0, 1, 2, 3), (1, 1, 0, 0, 1), (3, 1, 0, 0, 1)]);
        let trend: Vec<(&str, &str, u32, u32, u32)> = w
            .trend
            .iter()
            .map(|t| {
                (t.month.as_str(), t.department.as_str(), t.ideas_implemented, t.sprints_improved, t.kudos_received)
            })
            .collect();
        assert_eq!(
            trend,
            vec![
                ("2026-10", "Support", 1, 0, 0),
                ("2026-11", "", 1, 0, 0),
                ("2026-11", "Stores", 0, 1, 0),
                ("2026-11", "Support", 0, 0, 3)
            ]
        );
    }
}
