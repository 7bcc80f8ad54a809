//! `rapport export TABLE --org SLUG [--format csv|ndjson] [--output FILE]`:
//! one table of one organization, whole, as CSV or NDJSON.
//!
//! Policy:
//! - Tables and their columns are those of `rapport_store::export::TABLES`
//!   (`rapport export --list`): secrets and derived data are never written
//!   (see that module). An unknown table is refused before the database is
//!   opened.
//! - The table is read a page at a time by key ([`PAGE`] rows), so memory
//!   stays bounded whatever its length.
//! - CSV: a header line of column names, then one line per row, cells
//!   through `rapport_server::csv` (the API's CSV: RFC 4180, and a cell a
//!   spreadsheet would run as a formula gets a leading apostrophe); JSON
//!   columns are one JSON cell, null is empty. NDJSON: one object per row,
//!   keys in column order, JSON columns as their value.
//! - `--output FILE` is written beside FILE and renamed when complete, so a
//!   failed export leaves no half file; an existing FILE is refused unless
//!   `--force` (as `rapport backup` refuses one). Without `--output` the
//!   rows go to stdout and the summary to stderr.
//! - A progress counter (rows and rows per second) shows on stderr when it
//!   is a terminal. It counts rather than fills a bar: the total would cost
//!   one more scan of the table.

use crate::backup::sibling;
use crate::db::{self, DbArgs};
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rapport_core::Id;
use rapport_store::export::{ExportRow, ExportTable, KeyValue, TABLES};
use rapport_store::Store;
use serde_json::Value;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Rows per page read.
const PAGE: u32 = 1_000;

/// CSV or NDJSON, as for `rapport import`.
pub use crate::import::Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The table (see `--list`); without one, the tables are listed.
    pub table: Option<String>,
    /// List the tables that can be exported.
    #[arg(long, conflicts_with = "table")]
    pub list: bool,
    /// Slug of the organization whose rows are exported.
    #[arg(long, value_name = "SLUG")]
    pub org: Option<String>,
    /// Default: from the output's extension (.ndjson, .jsonl), else CSV.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The file to write (default: stdout).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

pub async fn run(args: Args) -> Result<()> {
    let Some(name) = args.table.as_deref().filter(|_| !args.list) else {
        let mut out = std::io::stdout().lock();
        for t in TABLES {
            writeln!(out, "{}", t.name)?;
        }
        return Ok(());
    };
    let Some(table) = ExportTable::named(name) else {
        bail!("unknown table {name:?}: `rapport export --list` lists the tables that can be exported");
    };
    let Some(slug) = args.org.as_deref() else {
        bail!("--org SLUG is required: whose rows to export (see `rapport org list`)");
    };
    let format = args.format.unwrap_or_else(|| by_extension(args.output.as_deref()));
    if let Some(file) = &args.output {
        if file.exists() && !args.force {
            bail!("{} exists already; choose a new file name, or add --force to replace it", file.display());
        }
    }
    let store = args.db.open().await?;
    let org = db::org(store.as_ref(), slug).await.context("cannot export")?;
    let started = Instant::now();
    let rows = match &args.output {
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            let n = export(store.as_ref(), org.id, table, format, &mut out).await?;
            out.flush()?;
            n
        }
        Some(file) => to_file(store.as_ref(), org.id, table, format, file).await?,
    };
    let seconds = started.elapsed().as_secs_f64();
    let rate = if seconds > 0.0 { rows as f64 / seconds } else { rows as f64 };
    let to = args.output.as_ref().map_or_else(|| "stdout".to_string(), |f| f.display().to_string());
    let summary =
        format!("Exported {rows} rows of {} from {} to {to} in {seconds:.2} s ({rate:.0} rows/s).", name, org.slug);
    if args.output.is_some() {
        println!("{summary}");
    } else {
        eprintln!("{summary}");
    }
    Ok(())
}

fn by_extension(output: Option<&Path>) -> Format {
    match output.and_then(|f| f.extension()).and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("ndjson" | "jsonl") => Format::Ndjson,
        _ => Format::Csv,
    }
}

/// Writes beside `file`, then renames; removes the partial file on failure.
async fn to_file(store: &dyn Store, org: Id, table: &'static ExportTable, format: Format, file: &Path) -> Result<u64> {
    let partial = sibling(file, ".partial");
    let written = async {
        let handle = File::create(&partial).with_context(|| format!("cannot write {}", partial.display()))?;
        let mut out = BufWriter::new(handle);
        let n = export(store, org, table, format, &mut out).await?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&partial, file).with_context(|| format!("cannot write {}", file.display()))?;
        Ok(n)
    }
    .await;
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Every row of the table, page by page; answers the number of rows.
async fn export(
    store: &dyn Store,
    org: Id,
    table: &'static ExportTable,
    format: Format,
    out: &mut impl Write,
) -> Result<u64> {
    let progress = progress();
    if format == Format::Csv {
        let mut header = String::new();
        rapport_server::csv::line(&mut header, table.columns.iter().copied());
        out.write_all(header.as_bytes())?;
    }
    let mut after: Option<Vec<KeyValue>> = None;
    let mut rows = 0;
    loop {
        let page = store.export_page(org, table, after.as_deref(), PAGE).await.context("cannot read the table")?;
        let mut text = String::new();
        for row in &page {
            match format {
                Format::Csv => csv_line(&mut text, row),
                Format::Ndjson => ndjson_line(&mut text, table, row),
            }
        }
        out.write_all(text.as_bytes()).context("cannot write the export")?;
        rows += page.len() as u64;
        progress.inc(page.len() as u64);
        if page.len() < PAGE as usize {
            break;
        }
        after = page.last().map(|r| r.key.clone());
    }
    progress.finish_and_clear();
    Ok(rows)
}

/// A row counter with its rate on a terminal's stderr (hidden otherwise).
fn progress() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {human_pos} rows ({per_sec}, {elapsed})") {
        bar.set_style(style);
    }
    bar
}

/// A CSV cell's text: null empty, text as is, anything else as JSON.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn csv_line(out: &mut String, row: &ExportRow) {
    let cells: Vec<String> = row.values.iter().map(cell).collect();
    rapport_server::csv::line(out, cells.iter().map(String::as_str));
}

/// One object, its keys in column order (a `serde_json::Map` would sort them).
fn ndjson_line(out: &mut String, table: &ExportTable, row: &ExportRow) {
    out.push('{');
    for (i, (name, value)) in table.columns.iter().zip(&row.values).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::String((*name).to_string()).to_string());
        out.push(':');
        out.push_str(&value.to_string());
    }
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_neutralises_formulas_and_writes_json_cells() {
        let row = ExportRow {
            key: vec![],
            values: vec![json!(7), json!("=HYPERLINK(\"http://x\",\"y\")"), json!({"a": 1}), Value::Null, json!(-2.5)],
        };
        let mut out = String::new();
        csv_line(&mut out, &row);
        assert_eq!(out, "7,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"{\"\"a\"\":1}\",,-2.5\r\n");
    }

    #[test]
    fn ndjson_keeps_the_column_order() {
        let table = ExportTable::named("stages").unwrap();
        let row = ExportRow { key: vec![], values: vec![json!(3), json!("Buy \"now\""), json!(1)] };
        let mut out = String::new();
        ndjson_line(&mut out, table, &row);
        assert_eq!(out, "{\"id\":3,\"name\":\"Buy \\\"now\\\"\",\"position\":1}\n");
        let parsed: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(parsed["name"], "Buy \"now\"");
    }

    #[test]
    fn the_format_follows_the_extension() {
        assert_eq!(by_extension(Some(Path::new("x.ndjson"))), Format::Ndjson);
        assert_eq!(by_extension(Some(Path::new("x.JSONL"))), Format::Ndjson);
        assert_eq!(by_extension(Some(Path::new("x.csv"))), Format::Csv);
        assert_eq!(by_extension(None), Format::Csv);
    }
}
