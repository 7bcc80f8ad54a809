//! `rapport user create`: a sign-in account with a role.

use crate::db::{self, DbArgs};
use anyhow::{Context, Result};
use rapport_core::role::Role;
use rapport_core::validate::{required_email, FieldErrors};
use rapport_server::auth::{password, secret};
use rapport_store::{Audit, NewUser};
use std::io::{BufRead, IsTerminal};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a sign-in account. The password is read from the first line of
    /// stdin when stdin is not a terminal (e.g. `echo "$PW" | rapport user
    /// create ...`); otherwise, or when stdin is empty, one is generated and
    /// printed once.
    Create {
        /// Slug of the organization.
        #[arg(long, value_name = "SLUG")]
        org: String,
        /// E-mail address, used to sign in.
        #[arg(long)]
        email: String,
        /// What the account may do (see docs/PERMISSIONS.md).
        #[arg(long, value_parser = role_parser())]
        role: Role,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set an account's password (when its owner cannot reset it by e-mail,
    /// e.g. without SMTP). Read from stdin as for `create`, or generated and
    /// printed once. Every session of the account ends.
    Password {
        #[arg(long, value_name = "SLUG")]
        org: String,
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub fn role_parser() -> impl clap::builder::TypedValueParser<Value = Role> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(Role::ALL.map(Role::as_str)).map(|s| Role::parse(&s).expect("a listed role"))
}

pub async fn run(cmd: Command) -> Result<()> {
    match cmd {
        Command::Create { org, email, role, db } => create(org, email, role, db).await,
        Command::Password { org, email, db } => set_password(org, email, db).await,
    }
}

async fn set_password(org: String, email: String, db: DbArgs) -> Result<()> {
    let context = || format!("cannot set the password of {email:?}");
    let (pass, generated) = match read_password().with_context(context)? {
        Some(p) => (p, false),
        None => (secret::generate_password(), true),
    };
    let store = db.open().await?;
    let organization = db::org(store.as_ref(), &org).await.with_context(context)?;
    let Some((user, _)) = store.user_for_sign_in(organization.id, email.trim()).await? else {
        anyhow::bail!("no account {email:?} in organization {}", organization.slug);
    };
    let audit = Audit::new("cli", "user.password_set", format!("user:{}", user.id));
    store.set_password(organization.id, user.id, &password::hash(&pass), None, &audit).await.with_context(context)?;
    println!("Password set for {} in organization {}; its sessions ended.", user.email, organization.slug);
    if generated {
        println!("Password (shown once, store it now): {pass}");
    }
    Ok(())
}

async fn create(org: String, email: String, role: Role, db: DbArgs) -> Result<()> {
    let context = || format!("cannot create user {email:?}");
    let mut errors = FieldErrors::new();
    let address = required_email(&mut errors, "email", Some(&email));
    errors.into_result(()).with_context(context)?;
    let (pass, generated) = match read_password().with_context(context)? {
        Some(p) => (p, false),
        None => (secret::generate_password(), true),
    };
    let store = db.open().await?;
    let organization = db::org(store.as_ref(), &org).await.with_context(context)?;
    let new = NewUser { email: address, role, password_hash: password::hash(&pass), person_id: None };
    let user = store.create_user(organization.id, &new).await.with_context(context)?;
    println!("Created user {} ({}) in organization {}.", user.email, user.role, organization.slug);
    if generated {
        println!("Password (shown once, store it now): {pass}");
    }
    Ok(())
}

/// The password from stdin's first line, `None` when stdin is a terminal or
/// empty (then one is generated).
fn read_password() -> Result<Option<String>> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut line = String::new();
    if stdin.lock().read_line(&mut line).context("cannot read the password from stdin")? == 0 {
        return Ok(None);
    }
    let pass = line.trim_end_matches(['\n', '\r']).to_string();
    check_password(&pass)?;
    Ok(Some(pass))
}

fn check_password(pass: &str) -> Result<()> {
    password::check_new("password", pass).map_err(|e| anyhow::anyhow!(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_length_is_checked() {
        assert!(check_password("short").is_err());
        assert!(check_password(&"x".repeat(password::MIN_LENGTH)).is_ok());
        assert!(check_password(&"x".repeat(password::MAX_LENGTH + 1)).is_err());
    }
}
