//! `rapport text rebuild`: recomputes the stored analysis of every comment
//! (sentiment, WOW and anger flags; the language where none was given)
//! after an upgrade of the analyser or its lexicons, and for responses
//! stored before text analytics existed. Ingestion keeps it current
//! otherwise. Rows whose analysis is unchanged are not written, so running
//! it twice changes nothing the second time.

use crate::db::DbArgs;
use crate::import::progress_bar;
use anyhow::{bail, Context, Result};

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
    let orgs = match org {
        Some(slug) => match store.org_by_slug(&slug).await? {
            Some(o) => vec![o],
            None => bail!("no organization {slug:?}; see `rapport org list`"),
        },
        None => store.list_orgs().await?,
    };
    for o in orgs {
        let started = std::time::Instant::now();
        let total = store.count_commented(o.id).await?;
        let bar = progress_bar(total.max(0) as u64, "comments");
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
        println!("{}: {read} comments read, {changed} changed, in {:.1} s", o.slug, started.elapsed().as_secs_f64());
    }
    Ok(())
}
