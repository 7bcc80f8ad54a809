//! `rapport import responses|events|customers FILE`: CSV or NDJSON files fed
//! to the ingestion service (`rapport_server::ingest`) directly against the
//! store, so that validation and idempotency are those of the API.
//!
//! Every line is judged on its own: good lines are imported, bad ones are
//! reported with their 1-based line number and reason (the first 100 on the
//! terminal, all of them in `FILE.errors.txt` or `--errors PATH`). The command
//! succeeds when the import ran, even with rejected lines.

use crate::db::{self, DbArgs};
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rapport_core::feedback::{EventDraft, ResponseDraft};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_server::ingest::{self, BatchReport, CustomerDraft, ItemStatus, Parsed};
use rapport_server::AppError;
use rapport_store::Store;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Lines per call of the ingestion service (one progress step).
const CHUNK: usize = ingest::CHUNK;
/// Rejected lines shown on the terminal; the errors file has them all.
const SHOWN: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Responses,
    Events,
    Customers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Ndjson,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the file holds.
    #[arg(value_enum)]
    pub kind: Kind,
    /// A CSV file (with a header line) or NDJSON (one JSON object per line).
    pub file: PathBuf,
    /// Slug of the organization to import into.
    #[arg(long, value_name = "SLUG")]
    pub org: String,
    /// The file's format; by default from its extension (.csv, else NDJSON).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Where to write every rejected line and its reason (default: FILE.errors.txt).
    #[arg(long, value_name = "PATH")]
    pub errors: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArgs,
}

/// One kind of importable item.
trait Item: DeserializeOwned + Send + 'static {
    /// CSV columns that hold numbers (ids, amounts); the others are text.
    const NUMERIC: &'static [&'static str];
    /// The prefix of flattened object columns (`answers.nps`).
    const NESTED: &'static str;
    fn ingest(
        store: &dyn Store,
        org: Id,
        items: Vec<Parsed<Self>>,
    ) -> impl std::future::Future<Output = Result<BatchReport, AppError>> + Send;
}

/// `Item` for a draft type: its numeric columns, nested prefix and ingestion function.
macro_rules! item {
    ($draft:ty, $numeric:expr, $nested:literal, $ingest:path) => {
        impl Item for $draft {
            const NUMERIC: &'static [&'static str] = $numeric;
            const NESTED: &'static str = $nested;
            fn ingest(
                store: &dyn Store,
                org: Id,
                items: Vec<Parsed<Self>>,
            ) -> impl std::future::Future<Output = Result<BatchReport, AppError>> + Send {
                $ingest(store, org, items)
            }
        }
    };
}

item!(ResponseDraft, &["survey", "touchpoint"], "answers", ingest::responses);
item!(EventDraft, &["touchpoint", "amount"], "attributes", ingest::events);
item!(CustomerDraft, &[], "attributes", ingest::customers);

/// What an import did.
#[derive(Debug, Default)]
struct Summary {
    accepted: usize,
    duplicates: usize,
    /// (1-based line number, reason)
    rejected: Vec<(usize, String)>,
}

pub async fn run(args: Args) -> Result<()> {
    let format = match args.format {
        Some(f) => f,
        None => by_extension(&args.file),
    };
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let store = args.db.open().await?;
    let org = db::org(store.as_ref(), &args.org).await.context("cannot import")?;
    let started = Instant::now();
    let summary = match args.kind {
        Kind::Responses => import::<ResponseDraft>(store.as_ref(), org.id, &bytes, format).await?,
        Kind::Events => import::<EventDraft>(store.as_ref(), org.id, &bytes, format).await?,
        Kind::Customers => import::<CustomerDraft>(store.as_ref(), org.id, &bytes, format).await?,
    };
    let seconds = started.elapsed().as_secs_f64();
    let total = summary.accepted + summary.duplicates + summary.rejected.len();
    let rate = if seconds > 0.0 { total as f64 / seconds } else { total as f64 };

    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Imported {} into {}: {} accepted, {} duplicates, {} rejected in {seconds:.2} s ({rate:.0} items/s).",
        args.file.display(),
        org.slug,
        summary.accepted,
        summary.duplicates,
        summary.rejected.len(),
    )?;
    if !summary.rejected.is_empty() {
        let path = args.errors.clone().unwrap_or_else(|| errors_path(&args.file));
        let mut report = String::new();
        for (line, reason) in &summary.rejected {
            report.push_str(&format!("line {line}: {reason}\n"));
        }
        std::fs::write(&path, &report).with_context(|| format!("cannot write {}", path.display()))?;
        let n = summary.rejected.len();
        if n > SHOWN {
            writeln!(out, "Rejected lines (the first {SHOWN} of {n}; all of them in {}):", path.display())?;
        } else {
            writeln!(out, "Rejected lines (also in {}):", path.display())?;
        }
        for (line, reason) in summary.rejected.iter().take(SHOWN) {
            writeln!(out, "  line {line}: {reason}")?;
        }
    }
    Ok(())
}

fn by_extension(file: &Path) -> Format {
    match file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv") => Format::Csv,
        _ => Format::Ndjson,
    }
}

/// `data/x.csv` → `data/x.csv.errors.txt`.
fn errors_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".errors.txt");
    file.with_file_name(name)
}

async fn import<T: Item>(store: &dyn Store, org: Id, bytes: &[u8], format: Format) -> Result<Summary> {
    let items: Vec<Parsed<T>> = match format {
        Format::Ndjson => parse_ndjson(bytes)?,
        Format::Csv => parse_csv(bytes)?,
    };
    let progress = progress_bar(items.len() as u64);
    let mut summary = Summary::default();
    let mut rest = items;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(CHUNK));
        let chunk = std::mem::replace(&mut rest, tail);
        let n = chunk.len() as u64;
        let report = T::ingest(store, org, chunk).await.map_err(|e| anyhow::anyhow!("import stopped: {e}"))?;
        summary.accepted += report.accepted;
        summary.duplicates += report.duplicates;
        for item in report.items {
            if item.status == ItemStatus::Rejected {
                let reason = item.errors.map(|e| e.to_string()).unwrap_or_else(|| "rejected".into());
                summary.rejected.push((item.index + 1, reason));
            }
        }
        progress.inc(n);
    }
    progress.finish_and_clear();
    summary.rejected.sort_by_key(|(line, _)| *line);
    Ok(summary)
}

fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} lines ({per_sec}, {eta} left)") {
        bar.set_style(style);
    }
    bar
}

/// NDJSON through the API's own parser, a slice of lines at a time (the
/// parser takes at most `ingest::MAX_ITEMS` per call); index = line - 1.
fn parse_ndjson<T: Item>(bytes: &[u8]) -> Result<Vec<Parsed<T>>> {
    let mut items = Vec::new();
    let mut first_line = 0;
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    for slice in lines.chunks(CHUNK) {
        let body = slice.join(&b'\n');
        let parsed = ingest::parse_items::<T>(&body, true).map_err(|e| anyhow::anyhow!("{e}"))?;
        items.extend(parsed.into_iter().map(|(i, r)| (first_line + i, r)));
        first_line += slice.len();
    }
    Ok(items)
}

/// CSV with a header line. Columns are the JSON fields of the item; those of
/// `T::NUMERIC` are sent as numbers when they look numeric, and `PREFIX.KEY`
/// columns (`answers.nps`, `attributes.plan`) fill the nested object, numbers
/// and booleans typed. Empty cells are absent fields. Index = line - 1.
fn parse_csv<T: Item>(bytes: &[u8]) -> Result<Vec<Parsed<T>>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        // Spreadsheets may start the file with a byte-order mark.
        Ok(h) => h.iter().map(|c| c.trim_start_matches('\u{feff}').trim().to_string()).collect(),
        Err(e) => bail!("cannot read the CSV header line: {e}"),
    };
    if headers.iter().all(String::is_empty) {
        bail!("the CSV file has no header line");
    }
    let nested_prefix = format!("{}.", T::NESTED);
    let mut items = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::default();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| lines.line_at(bytes, p.byte() as usize));
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let mut object = Map::new();
                let mut nested = Map::new();
                for (column, cell) in headers.iter().zip(record.iter()) {
                    let cell = cell.trim();
                    if cell.is_empty() || column.is_empty() {
                        continue;
                    }
                    if let Some(key) = column.strip_prefix(&nested_prefix) {
                        nested.insert(key.to_string(), typed(cell));
                    } else if T::NUMERIC.contains(&column.as_str()) {
                        object.insert(column.clone(), number(cell).unwrap_or_else(|| Value::String(cell.into())));
                    } else {
                        object.insert(column.clone(), Value::String(cell.into()));
                    }
                }
                if !nested.is_empty() {
                    object.insert(T::NESTED.to_string(), Value::Object(nested));
                }
                items.push((line.saturating_sub(1), parse_object::<T>(object)));
            }
            Err(e) => {
                let Some(line) = e.position().map(|p| lines.line_at(bytes, p.byte() as usize)) else {
                    bail!("cannot read the CSV file: {e}");
                };
                let reason = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("has {len} fields where the header has {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_string(),
                    _ => e.to_string(),
                };
                items.push((line.saturating_sub(1), Err(FieldErrors::single("line", "malformed", reason))));
            }
        }
    }
    Ok(items)
}

/// 1-based line numbers of byte offsets met in increasing order. (The csv
/// crate's own line numbers count blank lines skipped before a record as its
/// start, so they are recomputed from the record's byte offset.)
#[derive(Default)]
struct LineCounter {
    byte: usize,
    newlines: usize,
}

impl LineCounter {
    /// The line of the first non-blank byte at or after `offset`.
    fn line_at(&mut self, bytes: &[u8], offset: usize) -> usize {
        let mut start = offset.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
            start += 1;
        }
        if start >= self.byte {
            self.newlines += bytes[self.byte..start].iter().filter(|b| **b == b'\n').count();
            self.byte = start;
        }
        self.newlines + 1
    }
}

/// Through the API's parser, so that type errors read the same.
fn parse_object<T: Item>(object: Map<String, Value>) -> Result<T, FieldErrors> {
    let body = serde_json::to_vec(&Value::Object(object)).unwrap_or_default();
    match ingest::parse_items::<T>(&body, false) {
        Ok(mut items) if items.len() == 1 => items.pop().map(|(_, r)| r).unwrap_or_else(|| unreachable!()),
        Ok(_) => Err(FieldErrors::single("line", "malformed", "is not one item")),
        Err(e) => Err(FieldErrors::single("line", "malformed", e.to_string())),
    }
}

fn number(cell: &str) -> Option<Value> {
    if let Ok(i) = cell.parse::<i64>() {
        return Some(Value::from(i));
    }
    cell.parse::<f64>().ok().filter(|f| f.is_finite()).map(Value::from)
}

/// A nested cell: a number when it looks numeric, a boolean for true/false,
/// else the text.
fn typed(cell: &str) -> Value {
    match cell {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => number(cell).unwrap_or_else(|| Value::String(cell.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_map_to_drafts() {
        let csv = "\u{feff}id,survey,customer,at,comment,answers.nps,answers.why\n\
                   r1,4,c-1,2026-03-01T10:00:00Z,quick,9,fast\n\
                   \n\
                   r2,x,c-2,2026-03-01T10:00:00Z,,7,\n\
                   r3,4\n";
        let items = parse_csv::<ResponseDraft>(csv.as_bytes()).unwrap();
        let lines: Vec<usize> = items.iter().map(|(i, _)| i + 1).collect();
        assert_eq!(lines, vec![2, 4, 5]);
        let first = items[0].1.as_ref().unwrap();
        assert_eq!(first.survey, Some(4));
        assert_eq!(first.id.as_deref(), Some("r1"), "a byte-order mark is not part of the first column");
        assert_eq!(first.answers["nps"], Value::from(9));
        assert_eq!(first.answers["why"], Value::from("fast"));
        assert_eq!(first.comment.as_deref(), Some("quick"));
        assert!(items[1].1.as_ref().unwrap_err().get("survey").is_some(), "{:?}", items[1].1);
        assert_eq!(items[2].1.as_ref().unwrap_err().get("line").unwrap().code, "malformed");
    }

    #[test]
    fn ndjson_keeps_line_numbers_across_slices() {
        let mut body = String::new();
        for i in 0..(CHUNK + 10) {
            if i == CHUNK + 3 {
                body.push_str("{broken\n");
            } else {
                body.push_str(&format!("{{\"external_id\": \"c{i}\"}}\n"));
            }
        }
        let items = parse_ndjson::<CustomerDraft>(body.as_bytes()).unwrap();
        assert_eq!(items.len(), CHUNK + 10);
        let bad: Vec<usize> = items.iter().filter(|(_, r)| r.is_err()).map(|(i, _)| i + 1).collect();
        assert_eq!(bad, vec![CHUNK + 4]);
    }

    #[test]
    fn formats_and_paths() {
        assert_eq!(by_extension(Path::new("a/b.CSV")), Format::Csv);
        assert_eq!(by_extension(Path::new("a/b.ndjson")), Format::Ndjson);
        assert_eq!(errors_path(Path::new("a/b.csv")), PathBuf::from("a/b.csv.errors.txt"));
        assert_eq!(typed("3.5"), Value::from(3.5));
        assert_eq!(typed("true"), Value::Bool(true));
        assert_eq!(typed("pro"), Value::from("pro"));
    }
}
