//! `GET /feedback/export.csv`: the inbox's filtered responses as CSV,
//! streamed a page at a time (keyset), so an export of millions of rows
//! holds one page in memory. Comments with their sentiment and flags; the
//! answers as one JSON cell (surveys differ in their questions).

use super::super::{Page, WebResult};
use super::inbox::InboxQuery;
use crate::csv::{line, num};
use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::header;
use axum::response::IntoResponse;
use futures_util::stream;
use rapport_core::role::Permission;
use rapport_store::{FeedbackFilter, Store, TimeKey};
use std::sync::Arc;

/// Rows read per page of the export.
const PAGE: i64 = 1_000;

const HEADER: [&str; 13] = [
    "id",
    "at",
    "touchpoint_id",
    "survey_id",
    "customer",
    "channel",
    "language",
    "sentiment",
    "sentiment_score",
    "wow",
    "anger",
    "comment",
    "answers",
];

/// One page of rows as CSV text, and the filter of the next page (none
/// after the last).
async fn page_csv(
    store: &dyn Store,
    org: i64,
    f: &FeedbackFilter,
) -> rapport_store::Result<(String, Option<FeedbackFilter>)> {
    let listed = store.list_responses(org, f).await?;
    let mut out = String::new();
    for r in &listed.items {
        let flag = |on: bool| if on { "1" } else { "0" };
        let cells = [
            r.id.to_string(),
            r.at.to_rfc3339(),
            r.touchpoint_id.to_string(),
            r.survey_id.map(|s| s.to_string()).unwrap_or_default(),
            r.customer.clone().unwrap_or_default(),
            r.channel.clone().unwrap_or_default(),
            r.language.map(|l| l.code().to_string()).unwrap_or_default(),
            r.text.map(|t| t.label.key().to_string()).unwrap_or_default(),
            num(r.text.map(|t| t.score)),
            flag(r.text.is_some_and(|t| t.wow)).into(),
            flag(r.text.is_some_and(|t| t.anger)).into(),
            r.comment.clone().unwrap_or_default(),
            serde_json::Value::Object(r.answers.clone()).to_string(),
        ];
        line(&mut out, cells.iter().map(String::as_str));
    }
    let next = match listed.items.last() {
        Some(last) if listed.items.len() as i64 == f.limit => {
            Some(FeedbackFilter { after: Some(TimeKey::of_response(last)), ..f.clone() })
        }
        _ => None,
    };
    Ok((out, next))
}

pub(super) async fn csv(page: Page, Query(q): Query<InboxQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let mut first = q.filters.conditions(PAGE).map_err(crate::error::AppError::Invalid)?;
    first.count_at_most = Some(0);
    let store: Arc<dyn Store> = page.state.read_store.clone();
    let org = page.org();
    let mut head = String::new();
    line(&mut head, HEADER.into_iter());
    // The state: the next page's filter and what goes before its rows (the
    // header, on the first page).
    let rows = stream::unfold((Some(first), head), move |(next, before)| {
        let store = store.clone();
        async move {
            let f = next?;
            match page_csv(store.as_ref(), org, &f).await {
                Ok((text, next)) => Some((Ok::<_, std::io::Error>(Bytes::from(before + &text)), (next, String::new()))),
                Err(e) => {
                    // The status is sent already: end the file short and log why.
                    tracing::error!(error = %e, "the feedback export stopped");
                    Some((Err(std::io::Error::other("the export stopped")), (None, String::new())))
                }
            }
        }
    });
    let body = Body::from_stream(rows);
    let file = format!("feedback-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}
