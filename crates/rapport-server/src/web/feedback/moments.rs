//! The latest WOW moments (to recognise the people named) and angry
//! comments (to answer now), as the dashboard and a touchpoint's page show
//! them. Each is one keyset read of a partial index: the same cost at any
//! size.

use super::super::{Page, WebError};
use rapport_core::text::FlagKind;
use rapport_core::Id;
use rapport_store::{FeedbackFilter, TextFilter};
use serde::Serialize;
use std::collections::HashMap;

/// Comments per feed.
const FEED: i64 = 5;

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
    let (wow, anger) =
        tokio::try_join!(feed(page, FlagKind::Wow, touchpoint, names), feed(page, FlagKind::Anger, touchpoint, names))?;
    Ok(Moments { wow, anger, touchpoint })
}
