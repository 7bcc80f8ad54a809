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
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::IntoResponse;
use futures_util::StreamExt;
use rapport_core::role::Permission;
use rapport_store::listening::NoticeKind;
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

const QUEUE_JS: &str = include_str!("queue.js");

pub(super) async fn stream(page: Page) -> Result<impl IntoResponse, AppError> {
    page.p.require(Permission::ReadProgram)?;
    let org = page.org();
    let rx = page.state.store.subscribe();
    let subscriber = crate::ops::metrics::Subscriber::open();
    let changes = futures_util::stream::unfold(rx, move |mut rx| async move {
        loop {
            let wanted = match rx.recv().await {
                Ok(n) => n.org == org && n.kind == NoticeKind::Case,
                // Missed some: one of them may have been a case.
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => return None,
            };
            if wanted {
                return Some((Ok::<_, Infallible>(SseEvent::default().event("changed").data("{}")), rx));
            }
        }
    });
    // The stream owns the subscriber: counted until the client goes.
    let changes = changes.map(move |e| {
        let _counted = &subscriber;
        e
    });
    Ok(Sse::new(changes).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))))
}

pub(super) async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], QUEUE_JS)
}
