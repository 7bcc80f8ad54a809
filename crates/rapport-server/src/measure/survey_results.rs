//! A survey's results: each numeric item (score, matrix row, slider,
//! number) over a period, overall and per bucket, read from the item
//! rollup (`item_days`): a row per item and day, whatever the number of
//! responses.

use crate::error::AppError;
use chrono::NaiveDate;
use rapport_core::measure::buckets;
use rapport_core::measure::items::{item_results, SurveyItemResult};
use rapport_core::measure::Interval;
use rapport_core::survey::{Localized, Survey};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::Store;
use serde::Serialize;

/// The most points one answer holds (items × buckets): a survey of 300
/// items by day over ten years would be a million; 10,000 is about 1 MB.
pub const MAX_POINTS: usize = 10_000;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SurveyResults {
    pub survey_id: Id,
    pub title: Localized,
    #[schema(value_type = String)]
    pub interval: Interval,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// In the survey's order.
    pub items: Vec<SurveyItemResult>,
}

/// The results of `survey` over `from..=to` by `interval`; a 422 naming
/// `interval` when that would be more than [`MAX_POINTS`] points.
pub async fn survey_results(
    store: &dyn Store,
    org: Id,
    survey: Survey,
    (from, to, interval): (NaiveDate, NaiveDate, Interval),
) -> Result<SurveyResults, AppError> {
    let items = rapport_core::survey::scored_items(&survey.questions).len();
    if items * buckets(from, to, interval).len() > MAX_POINTS {
        let e = FieldErrors::single(
            "interval",
            "too_many_points",
            "too many points: choose a longer interval or a shorter range",
        );
        return Err(AppError::Invalid(e));
    }
    let end = to.succ_opt().unwrap_or(to);
    let days: Vec<_> =
        store.item_days(org, survey.id, from, end).await?.into_iter().map(|d| (d.day, d.item, d.tally)).collect();
    let items = item_results(&survey.questions, &days, from, to, interval);
    Ok(SurveyResults { survey_id: survey.id, title: survey.title, interval, from, to, items })
}
