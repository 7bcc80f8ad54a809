//! `rapport token create`: an API token, printed once; only its digest is stored.

use crate::db::{self, DbArgs};
use anyhow::{Context, Result};
use rapport_core::role::{Role, TOKEN_NAME_MAX};
use rapport_core::validate::{required_text, FieldErrors};
use rapport_server::auth::secret;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an API token, used as `Authorization: Bearer TOKEN`. The token
    /// alone is printed on stdout, once.
    Create {
        /// Slug of the organization the token acts for.
        #[arg(long, value_name = "SLUG")]
        org: String,
        /// What the token may do (see docs/PERMISSIONS.md).
        #[arg(long, value_parser = crate::user::role_parser())]
        role: Role,
        /// A name that says who uses it, e.g. "crm-sync".
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(cmd: Command) -> Result<()> {
    let Command::Create { org, role, name, db } = cmd;
    let context = || format!("cannot create token {name:?}");
    let mut errors = FieldErrors::new();
    let name = required_text(&mut errors, "name", Some(&name), TOKEN_NAME_MAX);
    errors.into_result(()).with_context(context)?;
    let store = db.open().await?;
    let organization = db::org(store.as_ref(), &org).await.with_context(context)?;
    let token = secret::generate("rpt_");
    let created =
        store.create_token(organization.id, &name, role, &secret::digest(&token)).await.with_context(context)?;
    eprintln!(
        "Created API token {:?} ({}) for organization {}. It is shown once, below; store it now.",
        created.name, created.role, organization.slug
    );
    println!("{token}");
    Ok(())
}
