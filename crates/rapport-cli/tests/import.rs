//! `rapport import`: CSV and NDJSON for responses, events and customers on a
//! temporary SQLite data directory, bad lines reported by line number, and
//! re-imports stored once.

mod common;

use common::Db;
use rapport_core::journey::{StageDraft, TouchpointDraft};
use rapport_core::survey::{Localized, Question, QuestionType, SurveyDraft, SurveyStatus};
use rapport_core::Id;
use rapport_store::{FeedbackFilter, Store};
use std::sync::Arc;

struct Org {
    store: Arc<dyn Store>,
    id: Id,
    touchpoint: Id,
    survey: Id,
}

fn text(en: &str) -> Localized {
    Localized { en: en.into(), es: en.into() }
}

/// Organization `acme` with a touchpoint and a published NPS + comment survey.
async fn setup(db: &Db) -> Org {
    db.ok(&["org", "create", "acme", "--name", "Acme"], "");
    let args = db.args();
    let url = (args[0] == "--database-url").then(|| args[1].as_str());
    let store = rapport_server::storage::open(url, db.dir()).await.expect("open the store");
    let org = store.org_by_slug("acme").await.unwrap().expect("acme");
    let stage = StageDraft { name: Some("Buy".into()), position: None }.validate().unwrap();
    let stage = store.create_stage(org.id, &stage).await.unwrap();
    let tp = TouchpointDraft {
        name: Some("Checkout".into()),
        stage_id: Some(stage.id),
        channel: Some("web".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let touchpoint = store.create_touchpoint(org.id, &tp).await.unwrap().id;
    let question = |key: &str, kind| Question {
        key: key.into(),
        kind,
        text: text(key),
        required: false,
        choices: Vec::new(),
        scale_max: None,
        show_if: None,
        ..Default::default()
    };
    let survey = SurveyDraft {
        touchpoint_id: Some(touchpoint),
        title: Some(text("After checkout")),
        intro: None,
        questions: vec![question("nps", QuestionType::Nps), question("why", QuestionType::Text)],
        fatigue_days: Some(0),
    }
    .validate()
    .unwrap();
    let survey = store.create_survey(org.id, &survey, "import-test-token").await.unwrap().id;
    store.set_survey_status(org.id, survey, SurveyStatus::Published).await.unwrap();
    Org { store, id: org.id, touchpoint, survey }
}

impl Org {
    async fn responses(&self) -> i64 {
        let f = FeedbackFilter { limit: 1, ..Default::default() };
        self.store.list_responses(self.id, &f).await.unwrap().total
    }
    async fn events(&self) -> i64 {
        let f = FeedbackFilter { limit: 1, ..Default::default() };
        self.store.list_events(self.id, &f).await.unwrap().total
    }
    async fn customers(&self) -> usize {
        self.store.list_customers(self.id).await.unwrap().len()
    }
}

/// The counts of the summary line: (accepted, duplicates, rejected).
fn counts(out: &str) -> (usize, usize, usize) {
    let line = out.lines().find(|l| l.starts_with("Imported ")).unwrap_or_else(|| panic!("summary line: {out}"));
    let n = |what: &str| -> usize {
        let before = line.split(&format!(" {what}")).next().unwrap();
        before.rsplit([' ', ':', ',']).find(|w| !w.is_empty()).unwrap().parse().unwrap_or_else(|_| panic!("{line}"))
    };
    assert!(line.contains("items/s"), "{line}");
    (n("accepted"), n("duplicates"), n("rejected"))
}

fn write(db: &Db, name: &str, content: &str) -> String {
    let path = db.dir().join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

fn import(db: &Db, kind: &str, file: &str) -> String {
    db.ok(&["import", kind, file, "--org", "acme"], "")
}

#[tokio::test]
async fn responses_events_and_customers_from_csv_and_ndjson() {
    kinds_and_formats(&Db::sqlite()).await;
}

#[tokio::test]
async fn responses_events_and_customers_on_postgres() {
    let Some(db) = Db::postgres().await else { return };
    kinds_and_formats(&db).await;
}

async fn kinds_and_formats(db: &Db) {
    let org = setup(db).await;
    let (s, t) = (org.survey, org.touchpoint);

    let ndjson = write(
        db,
        "responses.ndjson",
        &format!(
            "{{\"id\": \"r1\", \"survey\": {s}, \"customer\": \"c-1\", \"at\": \"2026-03-01T10:00:00Z\", \"answers\": {{\"nps\": 9, \"why\": \"fast\"}}}}\n\
             {{\"id\": \"r2\", \"touchpoint\": {t}, \"customer\": \"c-2\", \"at\": \"2026-03-02T10:00:00Z\", \"comment\": \"ok\"}}\n"
        ),
    );
    assert_eq!(counts(&import(db, "responses", &ndjson)), (2, 0, 0));
    let csv = write(
        db,
        "responses.csv",
        &format!(
            "id,survey,touchpoint,customer,at,comment,channel,language,answers.nps,answers.why\n\
             r3,{s},,c-3,2026-03-03T10:00:00Z,\"Great, thanks\",email,es,10,rápido\n\
             r4,,{t},c-1,2026-03-04T10:00:00Z,no survey,web,en,,\n\
             r5,{s},{t},c-4,2026-03-05T10:00:00Z,,,,3,\n"
        ),
    );
    assert_eq!(counts(&import(db, "responses", &csv)), (3, 0, 0));
    assert_eq!(org.responses().await, 5);
    assert_eq!(counts(&import(db, "responses", &csv)), (0, 3, 0), "re-import: all duplicates");
    assert_eq!(counts(&import(db, "responses", &ndjson)), (0, 2, 0));
    assert_eq!(org.responses().await, 5, "count unchanged");
    let stored = org.store.timeline(org.id, "c-3", 10).await.unwrap();
    let json = serde_json::to_value(&stored).unwrap();
    assert_eq!(json[0]["answers"]["nps"], 10, "numbers stay numbers: {json}");
    assert_eq!(json[0]["comment"], "Great, thanks");

    let ndjson = write(
        db,
        "events.ndjson",
        "{\"id\": \"e1\", \"type\": \"purchase\", \"customer\": \"c-1\", \"at\": \"2026-03-01T10:00:00Z\", \"amount\": 12.5}\n\
         {\"id\": \"e2\", \"type\": \"custom:trial\", \"customer\": \"c-2\", \"at\": \"2026-03-01T11:00:00Z\", \"attributes\": {\"plan\": \"pro\"}}\n",
    );
    assert_eq!(counts(&import(db, "events", &ndjson)), (2, 0, 0));
    let csv = write(
        db,
        "events.csv",
        &format!(
            "id,type,customer,at,touchpoint,amount,attributes.plan,attributes.seats\n\
             e3,refund,c-1,2026-03-02T10:00:00Z,{t},4.25,pro,3\n\
             e4,contact,c-5,2026-03-02T11:00:00Z,,,,\n"
        ),
    );
    assert_eq!(counts(&import(db, "events", &csv)), (2, 0, 0));
    assert_eq!(counts(&import(db, "events", &csv)), (0, 2, 0));
    assert_eq!(counts(&import(db, "events", &ndjson)), (0, 2, 0));
    assert_eq!(org.events().await, 4);

    let before = org.customers().await;
    let ndjson = write(
        db,
        "customers.ndjson",
        "{\"external_id\": \"k-1\", \"email\": \"K1@Example.com\", \"name\": \"Kay\", \"attributes\": {\"plan\": \"pro\"}}\n\
         {\"external_id\": \"k-2\"}\n",
    );
    assert_eq!(counts(&import(db, "customers", &ndjson)), (2, 0, 0));
    let csv = write(
        db,
        "customers.csv",
        "external_id,email,name,attributes.plan,attributes.orders,attributes.vip\n\
         k-3,k3@example.com,Kim,free,4,true\n\
         k-1,k1@example.com,Kay Updated,pro,12,false\n",
    );
    assert_eq!(counts(&import(db, "customers", &csv)), (2, 0, 0));
    assert_eq!(org.customers().await, before + 3);
    import(db, "customers", &csv);
    assert_eq!(org.customers().await, before + 3, "customers are upserted: count unchanged");
    let k1 = org.store.get_customer(org.id, "k-1").await.unwrap();
    assert_eq!(k1.name.as_deref(), Some("Kay Updated"));
    assert_eq!(k1.attributes["orders"], 12);
    assert_eq!(k1.attributes["vip"], false);
}

#[tokio::test]
async fn bad_lines_are_reported_by_line_number_and_the_rest_imported() {
    bad_lines(&Db::sqlite()).await;
}

#[tokio::test]
async fn bad_lines_on_postgres() {
    let Some(db) = Db::postgres().await else { return };
    bad_lines(&db).await;
}

async fn bad_lines(db: &Db) {
    let org = setup(db).await;
    let s = org.survey;
    let good = |i: usize| {
        format!(
            "{{\"id\": \"g{i}\", \"survey\": {s}, \"customer\": \"c-{i}\", \"at\": \"2026-03-01T10:00:00Z\", \"answers\": {{\"nps\": 7}}}}"
        )
    };
    // Line 2: malformed; line 3 blank (skipped); line 4: NPS out of range;
    // line 6: no time; line 7: unknown survey.
    let lines = [
        good(1),
        "{not json".to_string(),
        String::new(),
        format!("{{\"survey\": {s}, \"at\": \"2026-03-01T10:00:00Z\", \"answers\": {{\"nps\": 11}}}}"),
        good(5),
        format!("{{\"survey\": {s}, \"customer\": \"c-6\"}}"),
        "{\"survey\": 999999, \"at\": \"2026-03-01T10:00:00Z\"}".to_string(),
        good(8),
    ];
    let file = write(db, "mixed.ndjson", &(lines.join("\n") + "\n"));
    let out = import(db, "responses", &file);
    assert_eq!(counts(&out), (3, 0, 4), "{out}");
    let reported: Vec<&str> = out.lines().filter_map(|l| l.trim().strip_prefix("line ")).collect();
    let numbers: Vec<&str> = reported.iter().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(numbers, vec!["2", "4", "6", "7"], "{out}");
    assert!(reported[1].contains("answers.nps"), "{out}");
    assert!(reported[2].contains("at:"), "{out}");
    assert!(reported[3].contains("survey"), "{out}");
    let errors = std::fs::read_to_string(format!("{file}.errors.txt")).expect("FILE.errors.txt");
    let in_file: Vec<&str> = errors.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(in_file, vec!["line 2", "line 4", "line 6", "line 7"], "{errors}");
    assert_eq!(org.responses().await, 3);

    // CSV: line 3 has too many fields, line 4 a bad type, line 5 a bad event type.
    let csv = write(
        db,
        "mixed.csv",
        "id,type,customer,at,amount\n\
         x1,purchase,c-1,2026-03-01T10:00:00Z,3\n\
         x2,purchase,c-1,2026-03-01T10:00:00Z,3,extra\n\
         x3,purchase,c-1,2026-03-01T10:00:00Z,lots\n\
         x4,buy,c-1,2026-03-01T10:00:00Z,\n\
         x5,refund,c-2,2026-03-02T10:00:00Z,-3\n",
    );
    let errors_path = db.dir().join("csv-errors.txt");
    let out = db.ok(&["import", "events", &csv, "--org", "acme", "--errors", &errors_path.display().to_string()], "");
    assert_eq!(counts(&out), (2, 0, 3), "{out}");
    let errors = std::fs::read_to_string(&errors_path).expect("--errors file");
    let in_file: Vec<&str> = errors.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(in_file, vec!["line 3", "line 4", "line 5"], "{errors}");
    assert!(errors.contains("amount") && errors.contains("type"), "{errors}");
    assert_eq!(org.events().await, 2);
}

#[tokio::test]
async fn usage_and_io_errors_fail() {
    let db = Db::sqlite();
    let _org = setup(&db).await;
    let err = db.fails(&["import", "responses", "/nonexistent/file.csv", "--org", "acme"], "");
    assert!(err.starts_with("error: ") && err.contains("/nonexistent/file.csv"), "{err}");
    let file = write(&db, "ok.ndjson", "{\"external_id\": \"a\"}\n");
    let err = db.fails(&["import", "customers", &file, "--org", "nope"], "");
    assert!(err.contains("no organization"), "{err}");
    let err = db.fails(&["import", "widgets", &file, "--org", "acme"], "");
    assert!(err.contains("widgets"), "{err}");
    let out = db.ok(&["import", "customers", &file, "--org", "acme", "--format", "ndjson"], "");
    assert_eq!(counts(&out), (1, 0, 0));
}

#[tokio::test]
async fn nul_characters_are_rejected_by_line_on_sqlite() {
    nul_characters(&Db::sqlite()).await;
}

#[tokio::test]
async fn nul_characters_are_rejected_by_line_on_postgres() {
    let Some(db) = Db::postgres().await else { return };
    nul_characters(&db).await;
}

/// The numbers and reasons of the rejected lines an import printed.
fn rejected(out: &str) -> Vec<(String, String)> {
    out.lines()
        .filter_map(|l| l.trim().strip_prefix("line "))
        .map(|l| {
            let (n, reason) = l.split_once(": ").unwrap();
            (n.to_string(), reason.to_string())
        })
        .collect()
}

/// A NUL (`\u0000` in JSON, a 0 byte in CSV) cannot be stored the same way on
/// both backends, so it is refused per line, naming the field, and the good
/// lines around it are imported: on PostgreSQL the whole import used to
/// stop, on SQLite it was stored.
async fn nul_characters(db: &Db) {
    let org = setup(db).await;
    let s = org.survey;
    let response = |id: &str, extra: &str| {
        format!(
            "{{\"id\": \"{id}\", \"survey\": {s}, \"customer\": \"c-1\", \"at\": \"2026-03-01T10:00:00Z\", \"answers\": {{\"nps\": 7}}{extra}}}"
        )
    };
    let lines = [
        response("n1", ""),
        response("n2", ", \"comment\": \"bad\\u0000comment\""),
        format!(
            "{{\"id\": \"n3\", \"survey\": {s}, \"customer\": \"c-1\", \"at\": \"2026-03-01T10:00:00Z\", \"answers\": {{\"nps\": 7, \"why\": \"because\\u0000\"}}}}"
        ),
        response("n4", ""),
        format!("{{\"id\": \"n5\", \"survey\": {s}, \"customer\": \"c\\u0000-1\", \"at\": \"2026-03-01T10:00:00Z\"}}"),
    ];
    let file = write(db, "nul.ndjson", &(lines.join("\n") + "\n"));
    let out = import(db, "responses", &file);
    assert_eq!(counts(&out), (2, 0, 3), "{out}");
    let bad = rejected(&out);
    let numbers: Vec<&str> = bad.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(numbers, vec!["2", "3", "5"], "{out}");
    assert!(bad[0].1.starts_with("comment:") && bad[0].1.contains("NUL"), "{out}");
    assert!(bad[1].1.starts_with("answers.why:"), "{out}");
    assert!(bad[2].1.starts_with("customer:"), "{out}");
    assert_eq!(org.responses().await, 2);

    let events = write(
        db,
        "nul-events.ndjson",
        "{\"id\": \"ne1\", \"type\": \"purchase\", \"customer\": \"c-1\", \"at\": \"2026-03-01T10:00:00Z\", \"attributes\": {\"note\": {\"tags\": [\"ok\", \"b\\u0000d\"]}}}\n\
         {\"id\": \"ne2\", \"type\": \"purchase\", \"customer\": \"c-1\", \"at\": \"2026-03-01T10:00:00Z\", \"attributes\": {\"note\": \"fine\"}}\n",
    );
    let out = import(db, "events", &events);
    assert_eq!(counts(&out), (1, 0, 1), "{out}");
    assert_eq!(rejected(&out)[0].0, "1", "{out}");
    assert!(rejected(&out)[0].1.starts_with("attributes.note.tags[1]:"), "{out}");
    assert_eq!(org.events().await, 1);

    // A raw 0 byte in a CSV cell.
    let before = org.customers().await;
    let csv = write(db, "nul-customers.csv", "external_id,name\nk-1,Ki\0m\nk-2,Kay\n");
    let out = import(db, "customers", &csv);
    assert_eq!(counts(&out), (1, 0, 1), "{out}");
    assert_eq!(rejected(&out), vec![("2".to_string(), "name: must not contain NUL characters".to_string())]);
    assert_eq!(org.customers().await, before + 1);
}

/// A byte-order mark does not cost line 1, and a quote left open in a CSV
/// file does not hide the lines after it: every line is accepted, a
/// duplicate, or rejected with its number.
#[tokio::test]
async fn byte_order_marks_and_open_quotes() {
    let db = Db::sqlite();
    let org = setup(&db).await;
    let ndjson = write(&db, "bom.ndjson", "\u{feff}{\"external_id\": \"b-1\"}\n{\"external_id\": \"b-2\"}\n");
    let before = org.customers().await;
    assert_eq!(counts(&import(&db, "customers", &ndjson)), (2, 0, 0));
    assert_eq!(org.customers().await, before + 2);

    let csv = write(
        &db,
        "quotes.csv",
        "id,type,customer,at\n\
         q1,purchase,c-1,2026-03-01T10:00:00Z\n\
         q2,purchase,\"c-2,2026-03-01T10:00:00Z\n\
         q3,purchase,c-3,2026-03-01T10:00:00Z\n",
    );
    let out = import(&db, "events", &csv);
    assert_eq!(counts(&out), (2, 0, 1), "{out}");
    let bad = rejected(&out);
    assert_eq!(bad.len(), 1, "{out}");
    assert_eq!(bad[0].0, "3", "{out}");
    assert!(bad[0].1.contains("quote"), "{out}");
    assert_eq!(org.events().await, 2);
}

/// Killed (`kill -9`) while it writes, an import leaves whole chunks (one
/// transaction each, `ingest::BULK_CHUNK` lines) with their kept counts,
/// and importing the same file again stores each line once.
#[tokio::test]
async fn an_import_killed_while_writing_keeps_whole_chunks_and_resumes() {
    let db = Db::sqlite();
    let org = setup(&db).await;
    let chunk = rapport_server::ingest::BULK_CHUNK;
    let n = chunk + chunk / 2;
    let (s, t) = (org.survey, org.touchpoint);
    let lines: String = (0..n)
        .map(|i| {
            format!(
                "{{\"id\":\"k-{i}\",\"survey\":{s},\"touchpoint\":{t},\"customer\":\"c-{}\",\
                 \"at\":\"2026-03-01T09:30:00Z\",\"answers\":{{\"nps\":{}}}}}\n",
                i % 997,
                i % 11
            )
        })
        .collect();
    let file = write(&db, "big.ndjson", &lines);
    let child = common::rapport()
        .args(["import", "responses", file.as_str(), "--org", "acme"])
        .args(db.args())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run rapport import");
    let mut child = common::KillOnDrop(child);
    // Killed once the first chunk is committed, while the second is written.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
    while org.responses().await < chunk as i64 && child.0.try_wait().unwrap().is_none() {
        assert!(std::time::Instant::now() < deadline, "the first chunk was not committed in 10 minutes");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    child.0.kill().unwrap();
    child.0.wait().unwrap();

    let url = format!("sqlite://{}", db.dir().join("rapport.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM responses WHERE org_id = $1")
        .bind(org.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    // The second chunk takes seconds to write; the kill lands inside it.
    assert_eq!(rows, chunk as i64, "only the first chunk is kept, whole");
    assert_eq!(org.responses().await, rows, "the kept count is the rows'");

    let out = import(&db, "responses", &file);
    assert_eq!(counts(&out), (n - rows as usize, rows as usize, 0), "{out}");
    assert_eq!(org.responses().await, n as i64);
}
