//! `rapport text rebuild`: recomputes the stored analysis of what every
//! customer wrote (sentiment, WOW and anger flags, search terms, themes;
//! the language where none was given)
//! after an upgrade of the analyser or its lexicons, and for responses
//! stored before text analytics existed. Ingestion keeps it current
//! otherwise. Rows whose analysis is unchanged are not written, so running
//! it twice changes nothing the second time.

use crate::db::DbArgs;
use crate::import::progress_bar;
use anyhow::{Context, Result};

/// Responses read and written per transaction: short enough that ingestion
/// running beside the rebuild waits little for the write lock.
const BATCH: i64 = 500;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Recompute the analysis of every comment.
    Rebuild {
        /// Only this organization (its slug); all when absent.
        #[arg(long)]
        org: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(cmd: Command) -> Result<()> {
    let Command::Rebuild { org, db } = cmd;
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
