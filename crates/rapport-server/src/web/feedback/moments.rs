//! The latest WOW moments (to recognise the people named) and angry
//! comments (to answer now), as the dashboard and a touchpoint's page show
//! them. Each is one keyset read of a partial index: the same cost at any
//! size.

use super::super::charts::{series_chart, ChartLabels, SeriesPoint};
use super::super::{Page, WebError};
use super::themes::PERIOD_DAYS;
use crate::api::themes::theme_report;
use chrono::Datelike;
use rapport_core::measure::{bucket_tallies, Interval};
use rapport_core::text::theme_stats::ThemeStat;
use rapport_core::text::trend::mean_sentiment;
use rapport_core::text::FlagKind;
use rapport_core::Id;
use rapport_store::{FeedbackFilter, TextFilter};
use serde::Serialize;
use std::collections::HashMap;

/// Comments per feed.
const FEED: i64 = 5;

/// Themes shown beside the feeds.
const TOP_THEMES: usize = 5;

/// Characters of a comment shown in a feed.
const PREVIEW: usize = 160;

#[derive(Serialize)]
pub struct Moment {
    id: Id,
    at: String,
    touchpoint: Option<String>,
    customer: Option<String>,
    comment: String,
}

#[derive(Serialize)]
pub struct Moments {
    wow: Vec<Moment>,
    anger: Vec<Moment>,
    /// The inbox filtered as the feeds are, for "see all".
    touchpoint: Option<Id>,
    /// The most mentioned themes of the last 30 days, with their change.
    themes: Vec<ThemeStat>,
    days: i64,
    /// The comments' mean sentiment by month over the last year, with its
    /// 95% interval (SVG).
    sentiment_chart: String,
}

/// Months of the sentiment trend.
const TREND_MONTHS: u32 = 12;

/// The sentiment trend's chart: a month's mean sentiment of the comments
/// (−1..1) with its interval, months with too few comments hollow.
async fn sentiment_chart(page: &Page, touchpoint: Option<Id>) -> Result<String, WebError> {
    let today = chrono::Utc::now().date_naive();
    let from =
        today.checked_sub_months(chrono::Months::new(TREND_MONTHS - 1)).unwrap_or(today).with_day(1).unwrap_or(today);
    let days =
        page.read_store().sentiment_by_day(page.org(), touchpoint, from, today + chrono::Duration::days(1)).await?;
    let points: Vec<SeriesPoint> = bucket_tallies(&days, from, today, Interval::Month)
        .into_iter()
        .map(|(start, tally)| {
            let e = mean_sentiment(&tally);
            SeriesPoint {
                label: start.format("%Y-%m").to_string(),
                value: e.value,
                ci_low: e.ci_low,
                ci_high: e.ci_high,
                sufficient: e.sufficient,
            }
        })
        .collect();
    let labels =
        ChartLabels { title: page.t("moments-sentiment-chart"), insufficient: page.t("dashboard-chart-insufficient") };
    Ok(series_chart(&points, None, (-1.0, 1.0), &labels))
}

async fn feed(
    page: &Page,
    flag: FlagKind,
    touchpoint: Option<Id>,
    names: &HashMap<Id, String>,
) -> Result<Vec<Moment>, WebError> {
    let f = FeedbackFilter {
        touchpoint,
        limit: FEED,
        // A feed shows no total: counting every flagged comment of a
        // touchpoint would read them all (5.9 s at 10M responses).
        count_at_most: Some(0),
        text: TextFilter { flag: Some(flag), ..Default::default() },
        ..Default::default()
    };
    let listed = page.read_store().list_responses(page.org(), &f).await?;
    Ok(listed
        .items
        .into_iter()
        .map(|r| {
            let comment = r.comment.unwrap_or_default();
            let mut shown: String = comment.chars().take(PREVIEW).collect();
            if comment.chars().count() > PREVIEW {
                shown.push('…');
            }
            Moment {
                id: r.id,
                at: r.at.to_rfc3339(),
                touchpoint: names.get(&r.touchpoint_id).cloned(),
                customer: r.customer,
                comment: shown,
            }
        })
        .collect())
}

/// The two feeds, of one touchpoint or all; `names` are touchpoints' names.
pub async fn moments(page: &Page, touchpoint: Option<Id>, names: &HashMap<Id, String>) -> Result<Moments, WebError> {
    let to = chrono::Utc::now().date_naive();
    let from = to - chrono::Duration::days(PERIOD_DAYS - 1);
    let (wow, anger, report, sentiment_chart) = tokio::try_join!(
        feed(page, FlagKind::Wow, touchpoint, names),
        feed(page, FlagKind::Anger, touchpoint, names),
        async { Ok(theme_report(page.read_store(), page.org(), touchpoint, from, to).await?) },
        sentiment_chart(page, touchpoint),
    )?;
    let themes = report.themes.into_iter().filter(|t| t.n > 0).take(TOP_THEMES).collect();
    Ok(Moments { wow, anger, touchpoint, themes, days: PERIOD_DAYS, sentiment_chart })
}
