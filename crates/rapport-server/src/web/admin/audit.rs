//! `/admin/audit`: who changed what and when, newest first, filtered by
//! person (actor), object and dates, [`PAGE`] lines a page, with a link to
//! the same list as CSV (`/api/v1/audit?format=csv` with the same filters;
//! the session cookie authenticates the API's GETs).
//!
//! Policy: admins only (`ManageAccounts`), as the API. The filters are read
//! by `rapport_core::audit` like the API's: a bad one shows the page with
//! the field's error (422) and no lines. Times are shown on the working
//! calendar's time zone, the one date filters are read in. Older pages
//! follow an opaque cursor; a broken one starts again from the newest.

use crate::api::page;
use crate::encode::query as enc;
use crate::state::AppState;
use crate::web::{Page, WebResult};
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use minijinja::context;
use rapport_core::audit::AuditDraft;
use rapport_core::calendar::local_time;
use rapport_core::role::Permission;
use rapport_store::TimeKey;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Lines a page.
pub const PAGE: i64 = 50;
/// The cursor's list name, the API's (a cursor works in either).
const LIST: &str = "audit";

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/audit", get(show))
}

#[derive(Debug, Default, Deserialize)]
struct Filters {
    actor: Option<String>,
    object: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
}

impl Filters {
    /// The filters as a query string (without the cursor), blank ones left out.
    fn query(&self) -> String {
        let pairs = [("actor", &self.actor), ("object", &self.object), ("from", &self.from), ("to", &self.to)];
        let kept: Vec<String> = pairs
            .iter()
            .filter_map(|(k, v)| {
                v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(|v| format!("{k}={}", enc(v)))
            })
            .collect();
        kept.join("&")
    }
}

#[derive(Serialize)]
struct Line {
    id: i64,
    day: String,
    time: String,
    actor: String,
    action: String,
    subject: String,
}

async fn show(page: Page, q: Result<Query<Filters>, QueryRejection>) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    // A query that does not read (a repeated filter) filters nothing.
    let f = q.map(|Query(q)| q).unwrap_or_default();
    let draft = AuditDraft { actor: f.actor.clone(), object: f.object.clone(), from: f.from.clone(), to: f.to.clone() };
    let zone = page.store().work_calendar(page.org()).await?.time_zone;
    let sent = BTreeMap::from([
        ("actor", f.actor.clone().unwrap_or_default()),
        ("object", f.object.clone().unwrap_or_default()),
        ("from", f.from.clone().unwrap_or_default()),
        ("to", f.to.clone().unwrap_or_default()),
    ]);
    let query = f.query();
    let csv = if query.is_empty() {
        "/api/v1/audit?format=csv".to_string()
    } else {
        format!("/api/v1/audit?format=csv&{query}")
    };
    let filter = match draft.validate(&zone) {
        Ok(filter) => filter,
        Err(e) => {
            let ctx = context! { v => sent, errors => page.errors(&e), lines => Vec::<Line>::new(), zone, csv => None::<String>, older => None::<String> };
            return page.render_status(StatusCode::UNPROCESSABLE_ENTITY, "admin/audit.html", ctx);
        }
    };
    let after = f.after.as_deref().and_then(|a| page::decode_key::<TimeKey>(LIST, a));
    let mut lines = page.store().page_audit(page.org(), &filter, after.as_ref(), PAGE + 1).await?;
    let older = (lines.len() as i64 > PAGE).then(|| {
        lines.truncate(PAGE as usize);
        let last = lines.last().expect("a full page");
        let cursor = page::encode(LIST, &TimeKey { at: last.at, id: last.id });
        let sep = if query.is_empty() { "" } else { "&" };
        format!("/admin/audit?{query}{sep}after={cursor}")
    });
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| {
            let local = local_time(&zone, l.at);
            Line {
                id: l.id,
                day: local.date().to_string(),
                time: local.format("%H:%M:%S").to_string(),
                actor: l.actor,
                action: l.action,
                subject: l.subject,
            }
        })
        .collect();
    let ctx = context! {
        v => sent, errors => BTreeMap::<String, String>::new(), lines, zone, csv => Some(csv), older,
        first_page => after.is_none(),
    };
    page.render("admin/audit.html", ctx)
}
