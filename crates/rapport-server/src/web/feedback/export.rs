//! `GET /feedback/export.csv`: the inbox's filtered responses as CSV,
//! streamed a page at a time (keyset), so an export of millions of rows
//! holds one page in memory. Comments with their sentiment and flags; the
//! answers as one JSON cell (surveys differ in their questions).

use super::super::{Page, WebResult};
use super::inbox::InboxQuery;
use crate::csv::{line, num};
use crate::response_csv::{download, PAGE};
use axum::extract::Query;
use rapport_core::feedback::Response;
use rapport_core::role::Permission;
use std::sync::Arc;

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

/// One response as the export's line.
fn row(r: &Response, out: &mut String) {
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
    line(out, cells.iter().map(String::as_str));
}

pub(super) async fn csv(page: Page, Query(q): Query<InboxQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let first = q.filters.conditions(PAGE).map_err(crate::error::AppError::Invalid)?;
    let mut head = String::new();
    line(&mut head, HEADER.into_iter());
    let file = format!("feedback-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    Ok(download(page.state.read_store.clone(), page.org(), first, head, Arc::new(row), &file))
}
