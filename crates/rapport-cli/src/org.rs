//! `rapport org create|list`.

use crate::db::DbArgs;
use anyhow::{Context, Result};
use rapport_core::org::NewOrganization;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an organization.
    Create {
        /// Short name used in URLs and at sign-in: 2-40 characters of a-z, 0-9 and '-'.
        slug: String,
        /// Display name.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List organizations.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Create { slug, name, db } => {
            let context = || format!("cannot create organization {slug:?}");
            let new = NewOrganization::parse(&slug, &name).with_context(context)?;
            let store = db.open().await?;
            let org = store.create_org(&new).await.with_context(context)?;
            println!("Created organization {} ({}).", org.slug, org.name);
            Ok(())
        }
        Command::List { db } => {
            let store = db.open().await?;
            let orgs = store.list_orgs().await?;
            if orgs.is_empty() {
                println!("No organizations yet; create one with `rapport org create SLUG --name NAME`.");
                return Ok(());
            }
            let width = orgs.iter().map(|o| o.slug.len()).max().unwrap_or(4).max(4);
            println!("{:<width$}  {:<10}  NAME", "SLUG", "CREATED");
            for o in orgs {
                println!("{:<width$}  {:<10}  {}", o.slug, o.created_at.format("%Y-%m-%d"), o.name);
            }
            Ok(())
        }
    }
}
