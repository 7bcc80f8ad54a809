//! `rapport token create|list|revoke`: API tokens on the command line, as on
//! the administration page. A token is printed once; only its digest is
//! stored. Revoking is immediate, on every server sharing the database.

use crate::db::{self, DbArgs};
use anyhow::{Context, Result};
use rapport_core::role::{Role, TOKEN_NAME_MAX};
use rapport_core::validate::{required_text, FieldErrors};
use rapport_core::Id;
use rapport_server::auth::secret;
use rapport_store::Audit;

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
    /// List the organization's tokens, newest first: id, name, role, who
    /// made it, when it was last used, whether it is revoked (tab-separated).
    List {
        #[arg(long, value_name = "SLUG")]
        org: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a token by its id (see `list`): refused from the next request on.
    Revoke {
        #[arg(long, value_name = "SLUG")]
        org: String,
        #[arg(long)]
        id: Id,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Create { org, role, name, db } => create(org, role, name, db).await,
        Command::List { org, db } => list(org, db).await,
        Command::Revoke { org, id, db } => revoke(org, id, db).await,
    }
}

async fn list(org: String, db: DbArgs) -> Result<()> {
    let store = db.open().await?;
    let organization = db::org(store.as_ref(), &org).await?;
    println!("id\tname\trole\tcreated_by\tlast_used_at\trevoked_at");
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or("-".to_string(), |t| t.to_rfc3339());
    for t in store.list_tokens(organization.id).await? {
        let by = t.created_by.as_deref().unwrap_or("-");
        let (id, name, role) = (t.token.id, &t.token.name, t.token.role);
        println!("{id}\t{name}\t{role}\t{by}\t{}\t{}", when(t.token.last_used_at), when(t.revoked_at));
    }
    Ok(())
}

async fn revoke(org: String, id: Id, db: DbArgs) -> Result<()> {
    let context = || format!("cannot revoke token {id}");
    let store = db.open().await?;
    let organization = db::org(store.as_ref(), &org).await.with_context(context)?;
    // The command line acts as the operator, named in the audit log.
    let audit = Audit::new("cli", "token.revoke", format!("token:{id}"));
    let t = store.revoke_token(organization.id, id, chrono::Utc::now(), &audit).await.with_context(context)?;
    eprintln!("Revoked API token {:?} ({}) of organization {}.", t.token.name, t.token.role, organization.slug);
    Ok(())
}

async fn create(org: String, role: Role, name: String, db: DbArgs) -> Result<()> {
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
