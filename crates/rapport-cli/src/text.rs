//! `rapport text rebuild`: recomputes the stored analysis of what every
//! customer wrote (sentiment, WOW and anger flags, search terms, themes;
//! the language where none was given) after an upgrade of the analyser or
//! its lexicons, or a theme change, and for responses stored before text
//! analytics existed. Ingestion keeps it current otherwise. Rows whose
//! analysis is unchanged are not written, so running it twice changes
//! nothing the second time.
//!
//! `rapport text analyze`: the analysis of each line of stdin as a JSON
//! line (as `POST /api/v1/text/analyze` answers), with no database: for
//! checking the analyser on one's own comments.

use crate::db::DbArgs;
use crate::import::progress_bar;
use anyhow::{Context, Result};
use rapport_core::lang::Lang;

/// Responses read and written per transaction: short enough that ingestion
/// running beside the rebuild waits little for the write lock.
const BATCH: i64 = 500;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Recompute the analysis of what every customer wrote.
    Rebuild {
        /// Only this organization (its slug); all when absent.
        #[arg(long)]
        org: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Analyse each line of stdin; print one JSON object per line.
    Analyze {
        /// The lines' language (en or es); detected per line when absent.
        #[arg(long)]
        language: Option<String>,
    },
}

pub async fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Rebuild { org, db } => rebuild(org, db).await,
        Command::Analyze { language } => analyze(language.as_deref()),
    }
}

fn analyze(language: Option<&str>) -> Result<()> {
    use std::io::{BufRead, Write};
    let given = match language {
        Some(l) => Some(Lang::parse(l).with_context(|| format!("language: {l:?} is not en or es"))?),
        None => None,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in std::io::stdin().lock().lines() {
        let line = line.context("stdin is not UTF-8 text")?;
        serde_json::to_writer(&mut out, &rapport_core::text::analyze(&line, given))?;
        out.write_all(b"\n")?;
    }
    Ok(out.flush()?)
}

async fn rebuild(org: Option<String>, db: DbArgs) -> Result<()> {
    let store = db.open().await?;
    let orgs = crate::db::orgs(store.as_ref(), org.as_deref()).await?;
    for o in orgs {
        let started = std::time::Instant::now();
        // The kept counter: one row read.
        let all = rapport_store::FeedbackFilter { limit: 0, ..Default::default() };
        let total = store.list_responses(o.id, &all).await?.total;
        let bar = progress_bar(total.max(0) as u64, "responses");
        let (mut after, mut read, mut changed) = (0, 0, 0);
        loop {
            let step =
                store.rebuild_text(o.id, after, BATCH).await.with_context(|| format!("cannot rebuild {}", o.slug))?;
            read += step.read;
            changed += step.changed;
            bar.inc(step.read);
            match step.last {
                Some(last) if step.read as i64 == BATCH => after = last,
                _ => break,
            }
        }
        bar.finish_and_clear();
        let written = store.count_written(o.id).await?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{}: {read} responses read, {changed} changed, {written} with written feedback, in {secs:.1} s",
            o.slug
        );
    }
    Ok(())
}
