//! Responses as a CSV download, streamed a page at a time (keyset), so an
//! export of millions of rows holds one page in memory. The feedback
//! inbox's export and a survey's answers table share it; each says what a
//! row holds.

use crate::csv::line;
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response as HttpResponse};
use futures_util::stream;
use rapport_core::feedback::Response;
use rapport_core::survey::{answer_cell, answer_columns, Survey};
use rapport_core::Id;
use rapport_store::{FeedbackFilter, Store, TimeKey};
use serde_json::Value;
use std::sync::Arc;

/// Rows read per page of an export.
pub const PAGE: i64 = 1_000;

/// Writes one response as one CSV line.
pub type RowWriter = Arc<dyn Fn(&Response, &mut String) + Send + Sync>;

/// One page of rows as CSV text, and the filter of the next page (none
/// after the last).
async fn page_csv(
    store: &dyn Store,
    org: Id,
    f: &FeedbackFilter,
    row: &RowWriter,
) -> rapport_store::Result<(String, Option<FeedbackFilter>)> {
    let listed = store.list_responses(org, f).await?;
    let mut out = String::new();
    for r in &listed.items {
        row(r, &mut out);
    }
    let next = match listed.items.last() {
        Some(last) if listed.items.len() as i64 == f.limit => {
            Some(FeedbackFilter { after: Some(TimeKey::of_response(last)), ..f.clone() })
        }
        _ => None,
    };
    Ok((out, next))
}

/// The download: `head` (the header line), then every response `first`
/// selects, newest first, as `row` writes them, named `file`.
pub fn download(
    store: Arc<dyn Store>,
    org: Id,
    mut first: FeedbackFilter,
    head: String,
    row: RowWriter,
    file: &str,
) -> HttpResponse {
    first.limit = PAGE;
    // Counting would read every matching row once more, for nothing.
    first.count_at_most = Some(0);
    // The state: the next page's filter and what goes before its rows (the
    // header, on the first page).
    let rows = stream::unfold((Some(first), head), move |(next, before)| {
        let (store, row) = (store.clone(), row.clone());
        async move {
            let f = next?;
            match page_csv(store.as_ref(), org, &f, &row).await {
                Ok((text, next)) => Some((Ok::<_, std::io::Error>(Bytes::from(before + &text)), (next, String::new()))),
                Err(e) => {
                    // The status is sent already: end the file short and log why.
                    tracing::error!(error = %e, "a responses export stopped");
                    Some((Err(std::io::Error::other("the export stopped")), (None, String::new())))
                }
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(rows),
    )
        .into_response()
}

/// A survey's answers as one table (`rapport_core::survey::answer_columns`):
/// the response's id, time, customer, channel, language and comment, then
/// one column per thing a respondent can give, in the survey's order.
pub fn survey_answers(store: Arc<dyn Store>, org: Id, survey: Survey) -> HttpResponse {
    let columns = answer_columns(&survey.questions);
    let mut head = String::new();
    let fixed = ["response_id", "at", "customer", "channel", "language", "comment"];
    line(&mut head, fixed.into_iter().chain(columns.iter().map(|c| c.name.as_str())));
    let file = format!("survey-{}-answers-{}.csv", survey.id, chrono::Utc::now().format("%Y-%m-%d"));
    let first = FeedbackFilter { survey: Some(survey.id), ..FeedbackFilter::default() };
    let row: RowWriter = Arc::new(move |r: &Response, out: &mut String| {
        let mut cells = vec![
            r.id.to_string(),
            r.at.to_rfc3339(),
            r.customer.clone().unwrap_or_default(),
            r.channel.clone().unwrap_or_default(),
            r.language.map(|l| l.code().to_string()).unwrap_or_default(),
            r.comment.clone().unwrap_or_default(),
        ];
        cells.extend(columns.iter().map(|c| match answer_cell(&survey.questions, &r.answers, c) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s,
            Some(v) => v.to_string(),
        }));
        line(out, cells.iter().map(String::as_str));
    });
    download(store, org, first, head, row, &file)
}
