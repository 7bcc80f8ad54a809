//! `rapport rollups rebuild`: recomputes segment membership, the score
//! rollups and customers' activity from the raw responses and events, for
//! one organization or all. Ingestion keeps them current; a rebuild is for
//! after a restore, a hand edit of the database, or a change of the rules
//! that turn answers into tallies.

use crate::db::DbArgs;
use anyhow::{Context, Result};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Recompute the rollups, kept counts and the customer search index from the raw rows.
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
        let r = store.rebuild_rollups(o.id).await.with_context(|| format!("cannot rebuild {}", o.slug))?;
        println!(
            "{}: {} responses, {} events, {} customers in segments, in {:.1} s",
            o.slug,
            r.responses,
            r.events,
            r.customers,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
