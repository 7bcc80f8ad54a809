//! `rapport bench`: ingestion throughput (`ingest`) and the dashboard's query
//! latency against DuckDB over the same raw rows (`query`). Both generate
//! their data from a fixed seed into fresh SQLite files in a temporary
//! directory and print one JSON object on stdout.

mod ingest;
mod query;
mod query_data;

pub use ingest::IngestArgs;
pub use query::QueryArgs;

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
}

pub async fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Ingest(args) => ingest::run(&args).await,
        Command::Query(args) => query::run(&args).await,
    }
}
