//! `rapport bench`: ingestion throughput (`ingest`), the dashboard's query
//! latency against DuckDB over the same raw rows (`query`), every screen
//! and list at a large company's size (`pages`), the text analyser's
//! speed and accuracy against Python's VADER (`text`), and the purchase
//! and churn models against Python's lifetimes on CDNOW (`model`). Each
//! generates its data from a fixed seed (into fresh SQLite files in a
//! temporary directory, or the PostgreSQL database `pages` is given; `text`
//! also reads the labelled sets in `crates/rapport-cli/bench-data/text/`,
//! `model` the CDNOW files in `crates/rapport-core/tests/fixtures/`) and
//! prints one JSON object on stdout.

mod ingest;
mod model;
mod model_data;
mod pages;
mod pages_data;
mod pages_routes;
mod peer;
mod query;
mod query_data;
mod text;
mod text_data;

pub use ingest::IngestArgs;
pub use model::ModelArgs;
pub use pages::PagesArgs;
pub use query::QueryArgs;
pub use text::TextArgs;

use anyhow::Result;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Send generated responses and events through the HTTP batch API of a
    /// server started in-process on a fresh SQLite file, then time a bare
    /// batched insert of the same rows (the ceiling). Prints JSON.
    Ingest(IngestArgs),
    /// Load generated responses and events through the store, time the
    /// dashboard's queries through the measurement service, and the same
    /// queries in DuckDB over the raw rows (`bench/duckdb_query.py`, run with
    /// `$RAPPORT_PYTHON` or `python3`); checks that every number agrees.
    /// Prints JSON.
    Query(QueryArgs),
    /// Load the demo's program with generated customers, responses and
    /// events (10 million by default) through the store's batch ingestion,
    /// then time every dashboard, page, list (first page and a deep cursor)
    /// and metric of a server started in-process on it. Prints JSON.
    Pages(PagesArgs),
    /// Time the text analyser (sentences per second, one thread) on a
    /// generated corpus in English and Spanish, and Python's vaderSentiment
    /// 3.3.2 on the same English sentences (`text_vader.py`, run with
    /// `$RAPPORT_PYTHON` or `python3`); then both sides' accuracy on the
    /// labelled sets in `crates/rapport-cli/bench-data/text/`. Prints a table
    /// on stderr and JSON on stdout.
    Text(TextArgs),
    /// Fit and score BG/NBD and Gamma-Gamma on CDNOW (the published
    /// 2,357-customer sample and the 23,570-customer log) beside Python's
    /// lifetimes 0.11.3 in the same run (`model_lifetimes.py`, run with
    /// `$RAPPORT_PYTHON` or `python3`), score generated customers at scale,
    /// and back-test churn on the log (cut-off 1997-10-01). Prints a table
    /// on stderr and JSON on stdout.
    Model(ModelArgs),
}

pub async fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Ingest(args) => ingest::run(&args).await,
        Command::Query(args) => query::run(&args).await,
        Command::Pages(args) => pages::run(&args).await,
        Command::Text(args) => text::run(&args).await,
        Command::Model(args) => model::run(&args).await,
    }
}
