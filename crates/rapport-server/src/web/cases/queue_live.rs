//! Live updates of the queue (B6 for D2): `/cases/stream` says "changed"
//! whenever a case of the organization is opened, joined, assigned, worked
//! or closed (the store's `Case` notices, the same machinery as
//! `/api/v1/stream`), and `/cases/queue.js` marks the list stale and
//! reloads it when nothing is ticked or being typed. It reads nothing per
//! notice. Without JavaScript the queue is a plain page, current as of its
//! load.

use crate::error::AppError;
use crate::web::Page;
use axum::http::header;
use axum::response::IntoResponse;
use rapport_core::role::Permission;
use rapport_store::listening::NoticeKind;

const QUEUE_JS: &str = include_str!("queue.js");

pub(super) async fn stream(page: Page) -> Result<impl IntoResponse, AppError> {
    page.p.require(Permission::ReadProgram)?;
    Ok(crate::web::notifications::changes(&page, &[NoticeKind::Case]))
}

pub(super) async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], QUEUE_JS)
}
