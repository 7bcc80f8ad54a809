//! Database query time for `/metrics`: `rapport_db_query_duration_seconds`
//! by kind of statement (`select`, `insert`, `update`, `delete`, `other`).
//!
//! sqlx times every statement it runs and reports it as a `tracing` event
//! (target `sqlx::query`, field `elapsed_secs`) when someone listens at its
//! level; this layer listens, under its own filter, so the log's filter
//! stays as the operator set it. The statement kind is the label: a closed
//! set, never the SQL (which would name tables by the thousand and could
//! carry values).

use metrics::histogram;
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::filter::{Filtered, Targets};
use tracing_subscriber::layer::{Context, Layer};

/// The layer, filtered to sqlx's statement events.
pub fn layer<S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>>() -> Filtered<QueryTime, Targets, S>
{
    QueryTime.with_filter(Targets::new().with_target("sqlx::query", tracing::Level::DEBUG))
}

pub struct QueryTime;

#[derive(Default)]
struct Fields {
    seconds: Option<f64>,
    kind: &'static str,
}

impl Visit for Fields {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "elapsed_secs" {
            self.seconds = Some(value);
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "summary" {
            self.kind = statement_kind(value);
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

/// The first word of a statement, as a label.
pub fn statement_kind(sql: &str) -> &'static str {
    let first = sql.trim_start().split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
    match first.to_ascii_lowercase().as_str() {
        "select" | "with" => "select",
        "insert" => "insert",
        "update" => "update",
        "delete" => "delete",
        _ => "other",
    }
}

impl<S: Subscriber> Layer<S> for QueryTime {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields { seconds: None, kind: "other" };
        event.record(&mut fields);
        if let Some(seconds) = fields.seconds {
            histogram!("rapport_db_query_duration_seconds", "statement" => fields.kind).record(seconds);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_labelled_by_their_first_word() {
        assert_eq!(statement_kind("SELECT id FROM users"), "select");
        assert_eq!(statement_kind("  with x AS (select 1) select * from x"), "select");
        assert_eq!(statement_kind("INSERT INTO t VALUES ($1)"), "insert");
        assert_eq!(statement_kind("update t set a = 1"), "update");
        assert_eq!(statement_kind("DELETE FROM t"), "delete");
        assert_eq!(statement_kind("BEGIN IMMEDIATE"), "other");
        assert_eq!(statement_kind(""), "other");
    }
}
