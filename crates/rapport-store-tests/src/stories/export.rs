//! Table exports (`rapport export`): every exported table reads the same
//! rows page by page as in one page, only the organization's, with values
//! typed alike on both databases, and never a secret; every table of the
//! database is either exported or left out on purpose.

use super::listening::{at, response, survey_input};
use super::{add_person, add_segment, add_stage, add_touchpoint, by, org, user};
use crate::Dump;
use chrono::{Duration, NaiveDate, Utc};
use rapport_core::calendar::{Holiday, WorkCalendar};
use rapport_core::customer::CustomerUpsert;
use rapport_core::role::Role;
use rapport_core::webhook::{WebhookFormat, WebhookInput};
use rapport_core::Id;
use rapport_store::export::{ExportRow, ExportTable, KeyColumn, KeyValue, LEFT_OUT_TABLES, TABLES};
use rapport_store::Store;
use serde_json::{json, Map, Value};
use std::collections::HashSet;

/// Values stored that must never be exported.
const SECRETS: &[&str] = &[
    "$argon2id$v=19$fake",
    "session-digest-export",
    "token-digest-export",
    "webhook-secret-export",
    "survey-token-export",
    "hooks.example.com/services/T000/B000/XXXX",
];

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

/// Every row of a table, a page of `limit` at a time.
async fn read_all(s: &dyn Store, org: Id, table: &'static ExportTable, limit: u32) -> Vec<ExportRow> {
    let mut rows: Vec<ExportRow> = Vec::new();
    loop {
        let after = rows.last().map(|r| r.key.clone());
        let page = s.export_page(org, table, after.as_deref(), limit).await.unwrap();
        assert!(page.len() <= limit as usize, "{}: a page longer than its limit", table.name);
        let done = page.len() < limit as usize;
        rows.extend(page);
        if done {
            return rows;
        }
    }
}

/// An organization with a little of everything, secrets included.
async fn fill(s: &dyn Store, slug: &str, customers: usize) -> Id {
    let o = org(s, slug).await.id;
    let ana = add_person(s, o, "Ana").await;
    let u = s.create_user(o, &user(&format!("ana@{slug}.example"), Some(ana))).await.unwrap();
    s.create_session(o, u.id, &format!("session-digest-{slug}"), Utc::now() + Duration::hours(1)).await.unwrap();
    s.create_token(o, "ci", Role::Viewer, &format!("token-digest-{slug}")).await.unwrap();
    let hook = WebhookInput {
        name: "Slack".into(),
        url: "https://hooks.example.com/services/T000/B000/XXXX".into(),
        format: WebhookFormat::Slack,
        events: vec!["*".into()],
        active: true,
    };
    s.create_webhook(o, &hook, &format!("webhook-secret-{slug}"), &by("webhook.create")).await.unwrap();
    add_segment(s, o, "Pro").await;
    let stage = add_stage(s, o, "Buy", None).await;
    let tp = add_touchpoint(s, o, "Checkout", stage, Some(ana)).await;
    let survey =
        s.create_survey(o, &survey_input(tp, "After checkout"), &format!("survey-token-{slug}")).await.unwrap();
    let people: Vec<CustomerUpsert> = (0..customers)
        .map(|i| CustomerUpsert {
            external_id: format!("{slug}-c{i}"),
            email: None,
            name: Some(if i == 0 { FORMULA.to_string() } else { format!("{slug} customer {i}") }),
            attributes: json!({"plan": "pro", "seats": i}).as_object().cloned().unwrap_or_else(Map::new),
        })
        .collect();
    s.upsert_customers(o, &people).await.unwrap();
    let responses: Vec<_> = (0..3)
        .map(|i| {
            let key = format!("{slug}-r{i}");
            let customer = format!("{slug}-c{i}");
            response(Some(&key), Some(survey.id), tp, Some(&customer), at("2026-03-01T10:00:00Z"))
        })
        .collect();
    s.ingest_responses(o, &responses).await.unwrap();
    let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    let calendar = WorkCalendar {
        time_zone: "Europe/Madrid".into(),
        holidays: vec![
            Holiday { day: day(25), name: "Christmas".into() },
            Holiday { day: day(26), name: "Boxing day".into() },
            Holiday { day: day(31), name: "New Year's Eve".into() },
        ],
        ..WorkCalendar::default()
    };
    s.set_work_calendar(o, &calendar, None).await.unwrap();
    o
}

fn column<'a>(table: &ExportTable, row: &'a ExportRow, name: &str) -> &'a Value {
    let i = table.columns.iter().position(|c| *c == name).unwrap_or_else(|| panic!("{}.{name}", table.name));
    &row.values[i]
}

pub async fn table_exports(s: &dyn Store, dump: Dump) {
    let a = fill(s, "export", 7).await;
    let b = fill(s, "other", 2).await;
    s.upsert_customer(
        b,
        &CustomerUpsert { external_id: "only-in-b".into(), email: None, name: None, attributes: Map::new() },
    )
    .await
    .unwrap();

    let mut written = String::new();
    for table in TABLES {
        let whole = read_all(s, a, table, 10_000).await;
        // Pages of 2 read the same rows in the same order, each once.
        assert_eq!(read_all(s, a, table, 2).await, whole, "{}: pages of 2", table.name);
        let keys: HashSet<&Vec<KeyValue>> = whole.iter().map(|r| &r.key).collect();
        assert_eq!(keys.len(), whole.len(), "{}: keys are unique", table.name);
        // Integer keys in their order (text ones follow the database's collation).
        if table.key.iter().all(|k| matches!(k, KeyColumn::Int(_))) {
            assert!(whole.windows(2).all(|w| w[0].key < w[1].key), "{}: in key order", table.name);
        }
        for row in &whole {
            assert_eq!(row.values.len(), table.columns.len());
            written.push_str(&serde_json::to_string(&row.values).unwrap());
            written.push('\n');
        }
        // Nothing of another organization, nor of none.
        assert!(s.export_page(999_999, table, None, 10).await.unwrap().is_empty(), "{}", table.name);
    }
    for secret in SECRETS {
        assert!(!written.contains(secret), "{secret} was exported");
    }
    assert!(!written.contains("only-in-b") && !written.contains("other-c"), "another organization's rows");

    // The counts are those of the organization's lists.
    let count = |name: &str| {
        let table = ExportTable::named(name).unwrap();
        async move { read_all(s, a, table, 3).await.len() }
    };
    assert_eq!(count("customers").await, s.list_customers(a).await.unwrap().len());
    assert_eq!(count("customers").await, 7);
    assert_eq!(count("responses").await, 3);
    assert_eq!(count("people").await, 1);
    assert_eq!(count("organizations").await, 1);
    assert_eq!(count("work_calendars").await, 1);

    // Values are typed alike on both databases.
    let customers = ExportTable::named("customers").unwrap();
    let rows = read_all(s, a, customers, 100).await;
    assert_eq!(column(customers, &rows[0], "name"), &json!(FORMULA), "stored as given; CSV neutralises it");
    assert_eq!(column(customers, &rows[1], "attributes"), &json!({"plan": "pro", "seats": 1}));
    let responses = ExportTable::named("responses").unwrap();
    let r = &read_all(s, a, responses, 100).await[0];
    assert_eq!(column(responses, r, "answers"), &json!({"nps": 9, "plan": "pro"}));
    let when = column(responses, r, "at").as_str().unwrap();
    assert_eq!(chrono::DateTime::parse_from_rfc3339(when).unwrap(), at("2026-03-01T10:00:00Z"));
    assert_eq!(column(responses, r, "nps_band"), &json!(3), "a promoter (SMALLINT)");
    let webhooks = ExportTable::named("webhooks").unwrap();
    let hook = &read_all(s, a, webhooks, 10).await[0];
    assert_eq!(column(webhooks, hook, "active"), &json!(true));
    assert_eq!(column(webhooks, hook, "events"), &json!(["*"]));
    let people = ExportTable::named("people").unwrap();
    assert_eq!(column(people, &read_all(s, a, people, 10).await[0], "joined_on"), &json!("2025-03-01"));
    let orgs = ExportTable::named("organizations").unwrap();
    assert_eq!(column(orgs, &read_all(s, a, orgs, 10).await[0], "slug"), &json!("export"));

    // A day key pages as text, in date order.
    let holidays = ExportTable::named("holidays").unwrap();
    let first = s.export_page(a, holidays, None, 1).await.unwrap();
    assert_eq!(first[0].key, vec![KeyValue::Text("2026-12-25".into())]);
    let rest = s.export_page(a, holidays, Some(&first[0].key), 10).await.unwrap();
    let days: Vec<&Value> = rest.iter().map(|r| column(holidays, r, "day")).collect();
    assert_eq!(days, [&json!("2026-12-26"), &json!("2026-12-31")]);

    // Every table with rows is exported or left out on purpose.
    let known: HashSet<&str> = TABLES.iter().map(|t| t.name).chain(LEFT_OUT_TABLES.iter().map(|(n, _)| *n)).collect();
    for (table, _) in dump().await {
        let machinery =
            table.starts_with("responses_fts") || table.starts_with("kb_articles_fts") || table.starts_with("_sqlx");
        assert!(machinery || known.contains(table.as_str()), "table {table} is neither exported nor left out");
    }
}
