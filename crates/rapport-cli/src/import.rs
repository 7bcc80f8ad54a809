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

/// Lines per call of the ingestion service and per store call (one
/// progress step): the bulk path's.
const CHUNK: usize = ingest::BULK_CHUNK;
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
                $ingest(store, org, items, CHUNK)
            }
        }
    };
}

item!(ResponseDraft, &["survey", "touchpoint"], "answers", ingest::responses_in_chunks);
item!(EventDraft, &["touchpoint", "amount"], "attributes", ingest::events_in_chunks);
item!(CustomerDraft, &[], "attributes", ingest::customers_in_chunks);

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
    let store = args.db.open_bulk().await?;
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
    let items: Vec<Parsed<T>> = parse(bytes, format)?;
    let progress = progress_bar(items.len() as u64, "lines");
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

/// A progress bar on a terminal's stderr (hidden otherwise), counting `unit`.
pub(crate) fn progress_bar(len: u64, unit: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {unit} ({{per_sec}}, {{eta}} left)"))
    {
        bar.set_style(style);
    }
    bar
}

/// A UTF-8 byte-order mark, which spreadsheets and some editors put first.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file without a leading byte-order mark (it holds no line break, so
/// line numbers are unchanged).
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// Parses a whole file into items, each with its 0-based line index (line
/// number - 1), without touching the store. Every non-blank line is either
/// part of an item or named by one: `Err` only when the file cannot be read as
/// that format at all (a CSV file without a header line).
fn parse<T: Item>(bytes: &[u8], format: Format) -> Result<Vec<Parsed<T>>> {
    match format {
        Format::Ndjson => parse_ndjson(bytes),
        Format::Csv => parse_csv(bytes),
    }
}

/// NDJSON through the API's own parser, a slice of lines at a time (the
/// parser takes at most `ingest::MAX_ITEMS` per call); index = line - 1.
fn parse_ndjson<T: Item>(bytes: &[u8]) -> Result<Vec<Parsed<T>>> {
    let bytes = without_bom(bytes);
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
/// and booleans typed. Empty cells are absent fields; blank lines are skipped.
/// Index = line - 1 of the record's first line.
///
/// Quoted values may span lines. A record whose quoting is broken (a quote
/// never closed, or text after a closing quote) is rejected on its first line
/// and reading starts again on the next line, so that a stray quote cannot
/// swallow the lines after it unreported.
fn parse_csv<T: Item>(bytes: &[u8]) -> Result<Vec<Parsed<T>>> {
    let bytes = without_bom(bytes);
    let mut rows = Rows::new(bytes);
    let headers: Vec<String> = match rows.next() {
        None => bail!("the CSV file has no header line"),
        Some(row) => {
            if let Some(problem) = broken_quote(row.raw(bytes)) {
                bail!("cannot read the CSV header line: it {problem}");
            }
            match csv::StringRecord::from_byte_record(row.record) {
                Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
                Err(_) => bail!("cannot read the CSV header line: it is not valid UTF-8"),
            }
        }
    };
    if headers.iter().all(String::is_empty) {
        bail!("the CSV file has no header line");
    }
    let nested_prefix = format!("{}.", T::NESTED);
    let mut items = Vec::new();
    let mut lines = LineCounter::default();
    while let Some(row) = rows.next() {
        let index = lines.line_at(bytes, row.start) - 1;
        if let Some(problem) = broken_quote(row.raw(bytes)) {
            let reason = format!("{problem}; the lines after it are read on their own");
            items.push((index, Err(FieldErrors::single("line", "malformed", reason))));
            rows.restart_after_line(row.start);
            continue;
        }
        let record = match csv::StringRecord::from_byte_record(row.record) {
            Ok(r) => r,
            Err(_) => {
                items.push((index, Err(FieldErrors::single("line", "malformed", "is not valid UTF-8"))));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            let reason = format!("has {} fields where the header has {}", record.len(), headers.len());
            items.push((index, Err(FieldErrors::single("line", "malformed", reason))));
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
        items.push((index, parse_object::<T>(object)));
    }
    Ok(items)
}

/// The records of a CSV file as the `csv` crate reads them (any field count),
/// with their byte spans, and the means to start reading again further on.
struct Rows<'a> {
    bytes: &'a [u8],
    /// Where the current reader started.
    offset: usize,
    reader: csv::Reader<&'a [u8]>,
    record: csv::ByteRecord,
}

/// One record and where it lies in the file.
struct Row {
    /// Its first byte that is not a line break.
    start: usize,
    /// Just past it and its line break.
    end: usize,
    record: csv::ByteRecord,
}

impl Row {
    fn raw<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        &bytes[self.start.min(self.end)..self.end]
    }
}

impl<'a> Rows<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Rows { bytes, offset: 0, reader: Self::reader(bytes), record: csv::ByteRecord::new() }
    }

    fn reader(bytes: &'a [u8]) -> csv::Reader<&'a [u8]> {
        csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes)
    }

    fn next(&mut self) -> Option<Row> {
        let before = self.offset + self.reader.position().byte() as usize;
        // Reading a byte slice cannot fail: there is no I/O, and any field
        // count is accepted.
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) | Err(_) => return None,
        }
        let at = self.record.position().map_or(before, |p| self.offset + p.byte() as usize);
        let end = (self.offset + self.reader.position().byte() as usize).min(self.bytes.len());
        let start = first_content(self.bytes, at).min(end);
        Some(Row { start, end, record: self.record.clone() })
    }

    /// Reads on from the line after the one holding `start`.
    fn restart_after_line(&mut self, start: usize) {
        let next = next_line(self.bytes, start);
        self.offset = next;
        self.reader = Self::reader(&self.bytes[next..]);
    }
}

/// The first byte at or after `offset` that is not a line break.
fn first_content(bytes: &[u8], offset: usize) -> usize {
    let mut at = offset.min(bytes.len());
    while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// Where the line after the one holding `offset` starts (the file's length
/// on the last line). Line breaks are `\n`, `\r\n` and a lone `\r`, as for
/// the `csv` crate.
fn next_line(bytes: &[u8], offset: usize) -> usize {
    let mut at = offset.min(bytes.len());
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => return at + 1,
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => return at + 2,
            b'\r' => return at + 1,
            _ => at += 1,
        }
    }
    at
}

/// How a record's quoting is broken, judged by RFC 4180 as far as it matters
/// for finding where records end: a quote opens a value only at its start,
/// `""` inside it stands for one quote, and the closing quote is followed by a
/// comma or the end of the line. `raw` starts at the record and may run past
/// it; the first line break outside quotes ends it. (The `csv` crate is lenient
/// and reads on: a quote never closed swallows the rest of the file.)
fn broken_quote(raw: &[u8]) -> Option<&'static str> {
    let mut quoted = false;
    let mut closed = false;
    let mut field_start = true;
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if quoted {
            if b == b'"' {
                if raw.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                    closed = true;
                }
            }
        } else if matches!(b, b'\n' | b'\r') {
            return None;
        } else if closed {
            if b != b',' {
                return Some("has a quoted value with text after its closing quote");
            }
            closed = false;
            field_start = true;
        } else if b == b'"' && field_start {
            quoted = true;
            field_start = false;
        } else {
            field_start = b == b',';
        }
        i += 1;
    }
    quoted.then_some("has a quote that is never closed")
}

/// 1-based line numbers of byte offsets met in increasing order, counting
/// line breaks as the `csv` crate does (`\n`, `\r\n`, a lone `\r`).
#[derive(Default)]
struct LineCounter {
    byte: usize,
    breaks: usize,
}

impl LineCounter {
    /// The line of the byte at `offset`.
    fn line_at(&mut self, bytes: &[u8], offset: usize) -> usize {
        let offset = offset.min(bytes.len());
        if offset >= self.byte {
            let span = &bytes[self.byte..offset];
            self.breaks += span
                .iter()
                .enumerate()
                .filter(|(i, b)| match b {
                    b'\n' => true,
                    // A lone '\r'; one before '\n' is counted with it, also
                    // when the '\n' lies just past the span.
                    b'\r' => bytes.get(self.byte + i + 1) != Some(&b'\n'),
                    _ => false,
                })
                .count();
            self.byte = offset;
        }
        self.breaks + 1
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

    /// (line, Ok(external id) or Err(the fields' errors)) of customer items.
    fn customers(items: &[Parsed<CustomerDraft>]) -> Vec<(usize, Result<String, String>)> {
        let one = |r: &Result<CustomerDraft, FieldErrors>| match r {
            Ok(d) => Ok(format!("{}|{}", d.external_id.as_deref().unwrap_or(""), d.name.as_deref().unwrap_or(""))),
            Err(e) => Err(e.to_string()),
        };
        items.iter().map(|(i, r)| (i + 1, one(r))).collect()
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_line_one() {
        let ndjson = "\u{feff}{\"external_id\": \"a\"}\n{\"external_id\": \"b\"}\n";
        let items = parse_ndjson::<CustomerDraft>(ndjson.as_bytes()).unwrap();
        assert_eq!(customers(&items), vec![(1, Ok("a|".into())), (2, Ok("b|".into()))]);
        let csv = "\u{feff}\"external_id\",\"name\"\n\"a\",Ann\n";
        let items = parse_csv::<CustomerDraft>(csv.as_bytes()).unwrap();
        assert_eq!(customers(&items), vec![(2, Ok("a|Ann".into()))]);
    }

    #[test]
    fn an_unterminated_quote_hides_no_line() {
        // Line 3 opens a quote that never closes: it is rejected, and the
        // lines after it are read on their own.
        let csv = "external_id,name,email\nk1,Ann,a@b.co\nk2,\"Bob,b@b.co\nk3,Cid,c@b.co\n";
        let got = customers(&parse_csv::<CustomerDraft>(csv.as_bytes()).unwrap());
        assert_eq!(got.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![2, 3, 4], "{got:?}");
        assert_eq!(got[0].1, Ok("k1|Ann".into()));
        assert!(got[1].1.as_ref().is_err_and(|e| e.contains("quote")), "{got:?}");
        assert_eq!(got[2].1, Ok("k3|Cid".into()));

        // Also when the swallowed text happens to fit the header's columns.
        let csv = "external_id,name\nk1,Ann\nk2,\"Bob\nk3,Cid\n\nk4,Dee";
        let got = customers(&parse_csv::<CustomerDraft>(csv.as_bytes()).unwrap());
        assert_eq!(got.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![2, 3, 4, 6], "{got:?}");
        assert!(got[1].1.is_err() && got[2].1.is_ok() && got[3].1.is_ok(), "{got:?}");

        // And when a later quote closes it, with text after the closing quote.
        let csv = "external_id,name\nk1,\"Ann\nk2,Bob\nk3,\"Cid\"\nk4,Dee\n";
        let got = customers(&parse_csv::<CustomerDraft>(csv.as_bytes()).unwrap());
        assert_eq!(got.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![2, 3, 4, 5], "{got:?}");
        assert!(got[0].1.is_err(), "{got:?}");
        assert_eq!(got[1].1, Ok("k2|Bob".into()));
        assert_eq!(got[3].1, Ok("k4|Dee".into()));
    }

    #[test]
    fn quoted_values_may_span_lines() {
        let csv = "external_id,name\r\nk1,\"Ann\r\nSmith\"\r\nk2,\"B \"\"Bo\"\"\"\r\n\r\nk3,\"\"\r\n";
        let got = customers(&parse_csv::<CustomerDraft>(csv.as_bytes()).unwrap());
        assert_eq!(got, vec![(2, Ok("k1|Ann\r\nSmith".into())), (4, Ok("k2|B \"Bo\"".into())), (6, Ok("k3|".into()))]);
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

    /// Property tests of the parse step: any bytes give items or a clear
    /// error, never a panic, and every item names a real line of the file.
    mod props {
        use super::*;
        use proptest::prelude::*;

        fn config() -> ProptestConfig {
            ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
        }

        /// Line breaks as the parsers count them: `\n`, and for CSV also
        /// `\r\n` and a lone `\r`.
        fn line_count(bytes: &[u8], lone_cr: bool) -> usize {
            let breaks = bytes
                .iter()
                .enumerate()
                .filter(|(i, b)| **b == b'\n' || (lone_cr && **b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .count();
            breaks + 1
        }

        /// The lines of a text, split as the `csv` crate does.
        fn split_lines(text: &str) -> Vec<&str> {
            let mut lines = Vec::new();
            let mut rest = text;
            while let Some(i) = rest.find(['\n', '\r']) {
                lines.push(&rest[..i]);
                let len = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + len..];
            }
            lines.push(rest);
            lines
        }

        /// Items come in file order, one per line at most, each on a line
        /// of the file (after the header line for CSV).
        fn bounded<T>(items: &[Parsed<T>], lines: usize, first: usize) -> Result<(), TestCaseError> {
            prop_assert!(items.len() <= lines.saturating_sub(first), "{} items from {lines} lines", items.len());
            for pair in items.windows(2) {
                prop_assert!(pair[0].0 < pair[1].0, "lines out of order: {} then {}", pair[0].0 + 1, pair[1].0 + 1);
            }
            for (index, _) in items {
                prop_assert!((first..lines).contains(index), "line {} of {lines}", index + 1);
            }
            Ok(())
        }

        /// Cells that stress CSV: quotes, separators, line breaks, a
        /// byte-order mark, NUL, spaces, accents, numbers and booleans.
        fn cell() -> BoxedStrategy<String> {
            prop_oneof![
                3 => "[a-z0-9 .-]{0,8}",
                2 => prop::sample::select(vec![
                    "\"", "\"\"", ",", "\n", "\r\n", "\r", "\u{feff}", "\0", " ", "é", "9", "-3.5", "true", "a\"b",
                    "\"x\"y", "\"open",
                ])
                .prop_map(String::from),
                1 => any::<String>(),
            ]
            .boxed()
        }

        /// A well-formed CSV file written by the `csv` crate: a header and
        /// records of arbitrary text, each with the line it starts on.
        fn written_csv() -> impl Strategy<Value = (Vec<u8>, Vec<(usize, [String; 2])>)> {
            prop::collection::vec([cell(), cell()], 0..20).prop_map(|records| {
                let mut writer = csv::Writer::from_writer(Vec::new());
                writer.write_record(["external_id", "name"]).unwrap();
                let mut starts = Vec::new();
                for record in &records {
                    writer.flush().unwrap();
                    let line = line_count(writer.get_ref(), true);
                    writer.write_record(record).unwrap();
                    starts.push((line, record.clone()));
                }
                (writer.into_inner().unwrap(), starts)
            })
        }

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn ndjson_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
                let items = parse_ndjson::<ResponseDraft>(&bytes).unwrap();
                bounded(&items, line_count(&bytes, false), 0)?;
            }

            #[test]
            fn ndjson_json_like_lines(lines in prop::collection::vec(prop_oneof![
                Just(r#"{"external_id": "a", "attributes": {"k": [1, {"x": null}]}}"#.to_string()),
                Just("{\"external_id\": \"a\\u0000\"}".to_string()),
                Just("\u{feff}{}".to_string()),
                "[{}\\[\\]\":,0-9a-z\\\\ ]{0,30}",
                Just(String::new()),
            ], 0..30)) {
                let body = lines.join("\n");
                let items = parse_ndjson::<CustomerDraft>(body.as_bytes()).unwrap();
                bounded(&items, lines.len().max(1), 0)?;
                // Every non-blank line is an item, on its own line.
                let expected: Vec<usize> = lines
                    .iter()
                    .enumerate()
                    .filter(|(i, l)| {
                        let l = if *i == 0 { l.trim_start_matches('\u{feff}') } else { l.as_str() };
                        !l.bytes().all(|b| b.is_ascii_whitespace())
                    })
                    .map(|(i, _)| i)
                    .collect();
                prop_assert_eq!(items.iter().map(|(i, _)| *i).collect::<Vec<_>>(), expected);
            }

            #[test]
            fn csv_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
                if let Ok(items) = parse_csv::<EventDraft>(&bytes) {
                    bounded(&items, line_count(&bytes, true), 1)?;
                }
            }

            #[test]
            fn csv_stray_cells(
                header in prop::collection::vec(prop::sample::select(vec!["id", "type", "customer", "at", "amount", "attributes.plan", "\"id\"", ""]), 1..5),
                rows in prop::collection::vec(prop::collection::vec(cell(), 0..6), 0..15),
                ending in prop::sample::select(vec!["\n", "\r\n", "\r"]),
            ) {
                let mut file = header.join(",");
                for row in &rows {
                    file.push_str(ending);
                    file.push_str(&row.join(","));
                }
                let bytes = file.as_bytes();
                let Ok(items) = parse_csv::<EventDraft>(bytes) else {
                    // Only the header line can make a file unreadable.
                    prop_assert!(header.iter().all(|h| h.is_empty()) || file.contains('"'));
                    return Ok(());
                };
                bounded(&items, line_count(bytes, true), 1)?;
                if !file.contains('"') {
                    // Without quotes a record is a line: each line after the
                    // header that has a non-blank cell is an item on that line.
                    let lines = split_lines(&file);
                    let Some(header_at) = lines.iter().position(|l| !l.is_empty()) else { return Ok(()) };
                    let expected: Vec<usize> = lines
                        .iter()
                        .enumerate()
                        .skip(header_at + 1)
                        .filter(|(_, l)| !l.split(',').all(|c| c.trim().is_empty()))
                        .map(|(i, _)| i)
                        .collect();
                    prop_assert_eq!(items.iter().map(|(i, _)| *i).collect::<Vec<_>>(), expected);
                }
            }

            #[test]
            fn csv_written_by_the_csv_crate_reads_back((bytes, records) in written_csv()) {
                let items = parse_csv::<CustomerDraft>(&bytes).unwrap();
                bounded(&items, line_count(&bytes, true), 1)?;
                let present = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(String::from);
                let expected: Vec<(usize, Option<String>, Option<String>)> = records
                    .iter()
                    .filter(|(_, [a, b])| present(a).is_some() || present(b).is_some())
                    .map(|(line, [a, b])| (*line, present(a), present(b)))
                    .collect();
                let got: Vec<(usize, Option<String>, Option<String>)> = items
                    .iter()
                    .map(|(i, r)| {
                        let d = r.as_ref().expect("a well-formed record is read");
                        (i + 1, d.external_id.clone(), d.name.clone())
                    })
                    .collect();
                prop_assert_eq!(got, expected);
            }
        }
    }
}
