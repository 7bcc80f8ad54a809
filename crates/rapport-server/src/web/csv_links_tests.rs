//! "Download CSV" on the list pages (`csv_link` in `templates/macros.html`):
//! each page links to its API list with its filters under the API's names,
//! and following the link with the page's session cookie answers CSV with
//! the rows the page shows.

use crate::web::test_support::{session_as, TestApp};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::Utc;
use rapport_core::case::CaseInput;
use rapport_core::customer::CustomerUpsert;
use rapport_core::improve::{IdeaInput, IdeaSource, IdeaStatus};
use rapport_core::listening::ListeningPostInput;
use rapport_core::role::Role;
use rapport_core::survey::SurveyDraft;
use serde_json::json;
use tower::ServiceExt;

/// A small program with at least one row on most list pages.
async fn program(t: &TestApp) {
    let (org, tp) = (t.org.id, t.ids.touchpoint);
    for (id, name) in [("c-1", "Ana Buyer"), ("c-2", "=HYPERLINK(\"http://evil.example\",\"x\")"), ("c-3", "Bo")] {
        let c = CustomerUpsert {
            external_id: id.into(),
            email: None,
            name: Some(name.into()),
            attributes: serde_json::Map::new(),
        };
        t.store.upsert_customer(org, &c).await.unwrap();
    }
    let draft: SurveyDraft = serde_json::from_value(json!({
        "touchpoint_id": tp, "title": {"en": "After checkout", "es": "Tras la compra"},
        "intro": {"en": "One question", "es": "Una pregunta"}, "fatigue_days": 30,
        "questions": [{"key": "nps", "type": "nps", "required": true,
                       "text": {"en": "Would you recommend us?", "es": "¿Nos recomendaría?"}}]
    }))
    .unwrap();
    t.store.create_survey(org, &draft.validate().unwrap(), "csv-links-survey").await.unwrap();
    let post = ListeningPostInput {
        name: "Store desk".into(),
        channel: "in_person".into(),
        touchpoint_id: Some(tp),
        priority: 3,
        governed_by: Some(t.ids.ana),
        response_hours: Some(24),
        notes: None,
    };
    t.store.create_listening_post(org, &post).await.unwrap();
    for title in ["Warm bags", "Faster refunds"] {
        let idea = IdeaInput {
            title: title.into(),
            body: None,
            touchpoint_id: Some(tp),
            experience_id: None,
            source: IdeaSource::Web,
        };
        t.store.create_idea(org, t.ids.ana, &idea).await.unwrap();
    }
    for (who, assignee) in [("c-1", t.ids.ana), ("c-3", t.ids.ben)] {
        let case = CaseInput {
            customer: who.into(),
            touchpoint_id: Some(tp),
            title: format!("Call {who}"),
            assignee_id: Some(assignee),
            note: None,
        };
        t.store.open_case(org, &case, "user:1", Utc::now()).await.unwrap();
    }
}

/// The `href` of the page's "Download CSV" link, if it has one.
fn csv_href(body: &str) -> Option<String> {
    let at = body.find("id=\"csv-download\"")?;
    let rest = &body[at..];
    let start = rest.find("href=\"")? + 6;
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].replace("&amp;", "&"))
}

/// How many times `prefix` is followed by a digit: the rows a page shows,
/// by their element ids (`id="person-7"`).
fn rows_on_page(body: &str, prefix: &str) -> usize {
    body.match_indices(prefix)
        .filter(|(i, _)| body[i + prefix.len()..].starts_with(|c: char| c.is_ascii_digit()))
        .count()
}

/// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
fn records(text: &str) -> Vec<Vec<String>> {
    let (mut out, mut record, mut field, mut quoted, mut chars) =
        (Vec::new(), Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    out
}

/// GET `path` with the cookie: the status, the content type and the body.
async fn download(t: &TestApp, path: &str, cookie: &str) -> (StatusCode, String, String) {
    let req = Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    let resp = t.app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let kind = resp.headers().get(header::CONTENT_TYPE).map_or("", |v| v.to_str().unwrap()).to_string();
    let bytes = axum::body::to_bytes(resp.into_body(), 4 << 20).await.unwrap();
    (status, kind, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn every_list_page_links_its_rows_as_csv() {
    let t = TestApp::new().await;
    program(&t).await;
    // A leader who is Ana: "mine" in the case queue is hers.
    let me = session_as(t.store.as_ref(), t.org.id, "lead@acme.test", Role::Leader, Some(t.ids.ana)).await;
    let tp = t.ids.touchpoint;
    let new = IdeaStatus::New.key();
    // (page, the link it must have, the id prefix of its rows)
    let pages: Vec<(String, String, &str)> = vec![
        ("/people".into(), "/api/v1/people?format=csv".into(), "id=\"person-"),
        ("/experiences".into(), "/api/v1/experiences?format=csv".into(), "id=\"experience-"),
        ("/segments".into(), "/api/v1/segments?format=csv".into(), "id=\"segment-"),
        ("/surveys".into(), "/api/v1/surveys?format=csv".into(), "id=\"survey-"),
        ("/listening".into(), "/api/v1/listening-posts?format=csv".into(), "id=\"post-"),
        ("/sprints".into(), "/api/v1/sprints?format=csv".into(), "id=\"sprint-"),
        ("/announcements".into(), "/api/v1/announcements?format=csv".into(), "id=\"announcement-"),
        ("/ideas".into(), "/api/v1/ideas?format=csv".into(), "id=\"idea-"),
        (
            format!("/ideas?status={new}&touchpoint={tp}"),
            format!("/api/v1/ideas?status={new}&touchpoint_id={tp}&format=csv"),
            "id=\"idea-",
        ),
        ("/cases".into(), "/api/v1/cases?assignee=me&status=open&format=csv".into(), "id=\"case-"),
        ("/cases?show=all".into(), "/api/v1/cases?format=csv".into(), "id=\"case-"),
        ("/cases?show=closed".into(), "/api/v1/cases?status=closed&format=csv".into(), "id=\"case-"),
        (
            format!("/cases?show=open&assignee={}", t.ids.ben),
            format!("/api/v1/cases?assignee={}&status=open&format=csv", t.ids.ben),
            "id=\"case-",
        ),
        ("/customers".into(), "/api/v1/customers?format=csv".into(), "href=\"/customers/c-"),
        ("/customers?q=ana+buyer".into(), "/api/v1/customers?q=ana%20buyer&format=csv".into(), "href=\"/customers/c-"),
    ];
    let mut rows_seen = 0;
    for (page, link, row_prefix) in &pages {
        let html = t.get(page, &me).await;
        assert_eq!(html.status, StatusCode::OK, "{page}");
        let href = csv_href(&html.body).unwrap_or_else(|| panic!("{page}: no Download CSV link"));
        assert_eq!(&href, link, "{page}");
        let (status, kind, csv) = download(&t, &href, &me).await;
        assert_eq!(status, StatusCode::OK, "{href}: {csv}");
        assert!(kind.starts_with("text/csv"), "{href}: {kind}");
        let rows = records(&csv).len().saturating_sub(1);
        let shown = rows_on_page(&html.body, row_prefix);
        assert_eq!(rows, shown, "{page}: the file's rows are the page's\n{csv}");
        rows_seen += rows;
    }
    assert!(rows_seen >= 15, "the program shows rows on most pages ({rows_seen})");

    // The formula a customer's name holds is neutralised in the file.
    let (_, _, csv) = download(&t, "/api/v1/customers?format=csv", &me).await;
    assert!(csv.contains("'=HYPERLINK("), "{csv}");
    // Without a session the API answers 401, not someone else's rows.
    let (status, _, _) = download(&t, "/api/v1/people?format=csv", "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The link is in the page's language.
    let es = crate::web::test_support::in_lang(&me, "es");
    assert!(t.get("/people", &es).await.body.contains("Descargar CSV"));
    assert!(t.get("/people", &me).await.body.contains("Download CSV"));
}
