//! The CX dashboard (C1–C4, C9): one tile per outcome metric with its
//! owner, target, value, interval, sample size, trend and status; the intent
//! criteria and the experiences' goals; drill-downs per experience and
//! touchpoint; every table as CSV; and a wall-screen mode that refreshes
//! its tiles live.
//!
//! Handlers stay thin: parse the filters, check `ReadProgram`, ask
//! [`crate::measure`] (through [`tiles`] and [`drill`]), render. The
//! numbers come from the same service as `/api/v1/metrics`, so the two
//! always agree.
//!
//! Every read here goes to the read store ([`Page::read_store`]: the read
//! replica when the server has one, which may lag the primary by its
//! replication delay); only the intent statuses the criteria table finds
//! changed are recorded, on the primary.

mod closed_loop;
pub(crate) mod csv;
mod drill;
pub(crate) mod tiles;

use super::view::Program;
use super::{Page, WebError, WebResult};
use crate::api::metrics::MetricsParams;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use chrono::{Duration, NaiveDate, Utc};
use rapport_core::Id;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(tiles::show))
        .route("/dashboard/wall", get(tiles::wall))
        .route("/dashboard/tiles.json", get(tiles::json))
        .route("/dashboard/experiences/{id}", get(drill::experience))
        .route("/dashboard/touchpoints/{id}", get(drill::touchpoint))
}

/// The periods the filter offers, in days (today included).
pub const PERIODS: [(&str, i64); 3] = [("30d", 30), ("90d", 90), ("365d", 365)];
const DEFAULT_PERIOD: &str = "90d";

/// The dashboard's query string, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct FilterParams {
    pub segment: Option<String>,
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `csv` for the export of a table.
    pub format: Option<String>,
    /// Which table to export (each page has a default).
    pub table: Option<String>,
    /// `1`: the wall-screen mode.
    pub wall: Option<String>,
}

/// The filters once checked: the segment (of this organization), and the
/// days measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Filters {
    pub segment: Option<Id>,
    /// `30d`, `90d`, `365d`, or `custom` when from/to were given.
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// A filter differs from the default (a segment, another period, or
    /// dates): the filter form then shows open on a phone.
    pub filtered: bool,
}

impl FilterParams {
    /// Checks the filters: dates through the metrics API's own parser (so
    /// the rules are the same), a segment must be the organization's (else
    /// not found), an unknown period falls back to the default.
    pub fn filters(&self, program: &Program, today: NaiveDate) -> Result<Filters, WebError> {
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let custom = given(&self.from).is_some() || given(&self.to).is_some();
        let period = given(&self.period)
            .filter(|p| PERIODS.iter().any(|(k, _)| k == p))
            .unwrap_or_else(|| DEFAULT_PERIOD.to_string());
        let days = PERIODS.iter().find(|(k, _)| *k == period).map_or(90, |(_, d)| *d);
        let to = given(&self.to);
        let from = given(&self.from).or_else(|| {
            // Without `from`, the period counts back from `to` (or today).
            let end = to.as_deref().and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()).unwrap_or(today);
            Some((end - Duration::days(days - 1)).to_string())
        });
        let params = MetricsParams {
            metric: Some("nps".into()),
            segment: given(&self.segment),
            from,
            to,
            interval: Some("all".into()),
            ..MetricsParams::default()
        };
        let q = params.parse(today).map_err(WebError)?;
        if let Some(s) = q.segment {
            if !program.segments.iter().any(|x| x.id == s) {
                return Err(WebError(AppError::NotFound));
            }
        }
        let period = if custom { "custom".to_string() } else { period };
        Ok(Filters {
            segment: q.segment,
            filtered: q.segment.is_some() || period != DEFAULT_PERIOD,
            period,
            from: q.from,
            to: q.to,
        })
    }

    pub fn csv(&self) -> bool {
        self.format.as_deref() == Some("csv")
    }

    pub fn wall(&self) -> bool {
        matches!(self.wall.as_deref(), Some("1") | Some("true"))
    }
}

impl Filters {
    /// The filters as a query string (without `?`), to carry them on links.
    pub fn query(&self) -> String {
        let mut q = Vec::new();
        if let Some(s) = self.segment {
            q.push(format!("segment={s}"));
        }
        if self.period == "custom" {
            q.push(format!("from={}&to={}", self.from, self.to));
        } else {
            q.push(format!("period={}", self.period));
        }
        q.join("&")
    }
}

/// Today, in UTC (the rollups' days are UTC dates).
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The query string of a request, whatever it holds; a query that does not
/// parse is read as empty (every field is optional text).
pub fn params(q: Result<Query<FilterParams>, axum::extract::rejection::QueryRejection>) -> FilterParams {
    q.map(|Query(p)| p).unwrap_or_default()
}

/// Loads the program and checks the filters, for every dashboard page.
pub async fn load(page: &Page, p: &FilterParams) -> Result<(Program, Filters), WebError> {
    let program = Program::load(page.read_store(), page.org()).await?;
    let filters = p.filters(&program, today())?;
    Ok((program, filters))
}

#[cfg(test)]
mod tests;
