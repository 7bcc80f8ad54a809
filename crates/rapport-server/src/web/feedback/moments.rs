//! The latest WOW moments (to recognise the people named) and angry
//! comments (to answer now), as the dashboard and a touchpoint's page show
//! them. Each is one keyset read of a partial index: the same cost at any
//! size.

use super::super::{Page, WebError};
use super::themes::PERIOD_DAYS;
use crate::api::themes::theme_report;
use rapport_core::text::theme_stats::ThemeStat;
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
    let (wow, anger, report) = tokio::try_join!(
        feed(page, FlagKind::Wow, touchpoint, names),
        feed(page, FlagKind::Anger, touchpoint, names),
        async { Ok(theme_report(page.read_store(), page.org(), touchpoint, from, to).await?) },
    )?;
    let themes = report.themes.into_iter().filter(|t| t.n > 0).take(TOP_THEMES).collect();
    Ok(Moments { wow, anger, touchpoint, themes, days: PERIOD_DAYS })
}
