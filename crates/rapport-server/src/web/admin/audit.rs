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
    let (calendar, people) =
        tokio::try_join!(page.store().work_calendar(page.org()), page.store().list_people(page.org()))?;
    let zone = calendar.time_zone;
    // Suggestions for the person filter: the program's people, by e-mail
    // (an account's e-mail is usually its person's).
    let people: Vec<(String, String)> = people.into_iter().map(|p| (p.email, p.name)).collect();
    let sent = BTreeMap::from([
        ("actor", f.actor.clone().unwrap_or_default()),
        ("object", f.object.clone().unwrap_or_default()),
        ("from", f.from.clone().unwrap_or_default()),
        ("to", f.to.clone().unwrap_or_default()),
    ]);
    // The template writes the paths (MiniJinja escapes a value's slashes);
    // the filters and the cursor are percent-encoded query text.
    let query = f.query();
    let filter = match draft.validate(&zone) {
        Ok(filter) => filter,
        Err(e) => {
            let ctx = context! { v => sent, errors => page.errors(&e), lines => Vec::<Line>::new(), zone, query, people, older => None::<String> };
            return page.render_status(StatusCode::UNPROCESSABLE_ENTITY, "admin/audit.html", ctx);
        }
    };
    let after = f.after.as_deref().and_then(|a| page::decode_key::<TimeKey>(LIST, a));
    let mut lines = page.store().page_audit(page.org(), &filter, after.as_ref(), PAGE + 1).await?;
    let older = (lines.len() as i64 > PAGE).then(|| {
        lines.truncate(PAGE as usize);
        let last = lines.last().expect("a full page");
        page::encode(LIST, &TimeKey { at: last.at, id: last.id })
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
        v => sent, errors => BTreeMap::<String, String>::new(), lines, zone, query, people, older, csv => true,
        first_page => after.is_none(),
    };
    page.render("admin/audit.html", ctx)
}

#[cfg(test)]
mod tests {
    use crate::web::test_support::{in_lang, session, TestApp};
    use axum::http::StatusCode;
    use rapport_core::role::Role;
    use rapport_store::Audit;

    async fn line(t: &TestApp, actor: &str, action: &str, subject: &str) {
        t.store.record_audit(t.org.id, &Audit::new(actor, action, subject)).await.unwrap();
    }

    /// The subjects of the lines a page shows, in order.
    fn subjects(body: &str) -> Vec<String> {
        body.split("<a href=\"/admin/audit?object=")
            .skip(1)
            .filter_map(|s| s.split_once("\">"))
            .map(|(_, rest)| rest.split('<').next().unwrap_or("").to_string())
            .collect()
    }

    #[tokio::test]
    async fn admins_read_and_filter_the_trail() {
        let t = TestApp::new().await;
        line(&t, "ana@acme.test", "segment.delete", "segment:1").await;
        line(&t, "Ben@Acme.test", "calendar.update", "calendar").await;
        line(&t, "token:ci", "segment.delete", "segment:2").await;
        line(&t, "ana@acme.test", "segmentation.run", "segmentation:3").await;

        let all = t.get("/admin/audit", &t.admin).await;
        assert_eq!(all.status, StatusCode::OK);
        assert_eq!(subjects(&all.body), ["segmentation:3", "segment:2", "calendar", "segment:1"], "newest first");
        assert!(all.body.contains("href=\"/api/v1/audit?format=csv\""));
        assert!(all.body.contains("When (UTC)"));
        assert!(all.body.contains("<option value=\"ana@acme.test\">Ana Ruiz</option>"), "people are suggested");
        let es = t.get("/admin/audit", &in_lang(&t.admin, "es")).await;
        assert!(es.body.contains("Registro de auditoría") && es.body.contains("Descargar CSV"));

        let by_ben = t.get("/admin/audit?actor=ben%40acme.test", &t.admin).await;
        assert_eq!(subjects(&by_ben.body), ["calendar"], "ignoring case");
        let segments = t.get("/admin/audit?object=segment&actor=", &t.admin).await;
        assert_eq!(subjects(&segments.body), ["segment:2", "segment:1"]);
        assert!(
            segments.body.contains("href=\"/api/v1/audit?format=csv&amp;object=segment\""),
            "the CSV has the filters"
        );
        let one = t.get("/admin/audit?object=segment%3A1", &t.admin).await;
        assert_eq!(subjects(&one.body), ["segment:1"]);
        let future = t.get("/admin/audit?from=2999-01-01", &t.admin).await;
        assert!(future.body.contains("id=\"audit-empty\""));

        let bad = t.get("/admin/audit?from=yesterday&to=2026-02-30", &t.admin).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"from-error\"") && bad.body.contains("id=\"to-error\""));
        assert!(subjects(&bad.body).is_empty() && !bad.body.contains("id=\"audit-csv\""));
    }

    #[tokio::test]
    async fn the_trail_is_for_admins_only() {
        let t = TestApp::new().await;
        assert_eq!(t.get("/admin/audit", &t.viewer).await.status, StatusCode::FORBIDDEN);
        let leader = session(t.store.as_ref(), t.org.id, "lead@acme.test", Role::Leader).await;
        assert_eq!(
            t.get("/admin/audit", &leader).await.status,
            StatusCode::FORBIDDEN,
            "leaders edit settings, not read the trail"
        );
        assert_eq!(t.get("/admin/audit", "").await.status, StatusCode::SEE_OTHER, "signed out: to the sign-in page");
    }

    #[tokio::test]
    async fn older_lines_are_a_page_away() {
        let t = TestApp::new().await;
        for n in 0..(super::PAGE + 7) {
            line(&t, "ana@acme.test", "segment.delete", &format!("segment:{n}")).await;
        }
        let first = t.get("/admin/audit?object=segment", &t.admin).await;
        assert_eq!(subjects(&first.body).len(), super::PAGE as usize);
        let href = first.body.split("id=\"audit-older\" href=\"").nth(1).unwrap().split('"').next().unwrap();
        let href = href.replace("&amp;", "&");
        assert!(href.starts_with("/admin/audit?object=segment&after="), "{href}");
        let second = t.get(&href, &t.admin).await;
        let rest = subjects(&second.body);
        assert_eq!(rest.len(), 7);
        assert_eq!(rest.last().map(String::as_str), Some("segment:0"));
        assert!(!second.body.contains("id=\"audit-older\"") && second.body.contains("id=\"audit-newest\""));
        let broken = t.get("/admin/audit?after=not-a-cursor", &t.admin).await;
        assert_eq!(
            subjects(&broken.body).first().map(String::as_str),
            Some(format!("segment:{}", super::PAGE + 6).as_str())
        );
    }
}
