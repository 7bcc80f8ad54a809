//! `rapport`: the one binary. `serve` runs the web UI and the API; the other
//! subcommands administer the same database from a shell.
//!
//! Output policy: results go to stdout, errors to stderr as one line each
//! (`error: ...`, one line per invalid field) with a non-zero exit code, and
//! logs go to stderr through `tracing`. Secrets (generated passwords, API
//! tokens) are printed once and never logged.

mod backup;
mod bench;
mod db;
mod demo;
mod export;
mod import;
mod migrate;
mod model;
mod org;
mod rollups;
mod serve;
mod text;
mod token;
mod user;

use clap::{CommandFactory, Parser, Subcommand};
use rapport_core::validate::FieldErrors;
use rapport_store::StoreError;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "rapport", version, about = "Rapport: a self-hosted customer-experience platform")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web UI and the API.
    Serve(serve::Args),
    /// Create or update the database schema, then exit.
    Migrate(db::DbArgs),
    /// Organizations: create and list.
    #[command(subcommand)]
    Org(org::Command),
    /// Sign-in accounts.
    #[command(subcommand)]
    User(user::Command),
    /// API tokens.
    #[command(subcommand)]
    Token(token::Command),
    /// Import responses, events or customers from a CSV or NDJSON file.
    Import(import::Args),
    /// Export one table of an organization as CSV or NDJSON (`--list`: the tables).
    Export(export::Args),
    /// Benchmarks: ingestion throughput and dashboard query latency.
    #[command(subcommand)]
    Bench(bench::Command),
    /// Measurement rollups: rebuild them from the raw rows.
    #[command(subcommand)]
    Rollups(rollups::Command),
    /// Text analytics of comments: recompute them.
    #[command(subcommand)]
    Text(text::Command),
    /// Purchase and churn models: refit now, back-test at a past cut-off.
    #[command(subcommand)]
    Model(model::Command),
    /// Back up the database to a file, while servers run.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty database (stop the servers first).
    Restore(backup::RestoreArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (default_filter, json) = match &cli.command {
        Command::Serve(a) => ("info,sqlx=warn", a.log_format == serve::LogFormat::Json),
        _ => ("warn", false),
    };
    init_logging(default_filter, json);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Migrate(args) => migrate::run(args).await,
            Command::Org(cmd) => org::run(cmd).await,
            Command::Rollups(cmd) => rollups::run(cmd).await,
            Command::Text(cmd) => text::run(cmd).await,
            Command::Model(cmd) => model::run(cmd).await,
            Command::User(cmd) => user::run(cmd).await,
            Command::Token(cmd) => token::run(cmd).await,
            Command::Import(args) => import::run(args).await,
            Command::Export(args) => export::run(args).await,
            Command::Bench(cmd) => bench::run(cmd).await,
            Command::Backup(args) => backup::backup(args).await,
            Command::Restore(args) => backup::restore(args).await,
            Command::Completions { shell } => {
                clap_complete::generate(shell, &mut Cli::command(), "rapport", &mut std::io::stdout());
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            for line in error_lines(&e) {
                eprintln!("error: {line}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Logs to stderr; `RUST_LOG` overrides the default filter. Database
/// statements' times also go to `/metrics`, whatever the log's filter.
fn init_logging(default_filter: &str, json: bool) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{fmt, EnvFilter, Layer};
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let log = if json {
        fmt::layer().json().with_writer(std::io::stderr).boxed()
    } else {
        fmt::layer().with_writer(std::io::stderr).with_ansi(ansi).boxed()
    };
    tracing_subscriber::registry().with(log.with_filter(filter)).with(rapport_server::ops::query_time::layer()).init();
}

/// An error as the lines to print: the context chain on one line, and one
/// line per field when the cause is a set of field errors.
fn error_lines(e: &anyhow::Error) -> Vec<String> {
    let mut context = Vec::new();
    for cause in e.chain() {
        let fields = match cause.downcast_ref::<StoreError>() {
            Some(StoreError::Invalid(f)) => Some(f.clone()),
            Some(StoreError::Conflict { field, code, message }) => {
                Some(FieldErrors::single(field.clone(), code, message.clone()))
            }
            Some(StoreError::NotFound) => Some(FieldErrors::single("id", "not_found", "not found")),
            _ => cause.downcast_ref::<FieldErrors>().cloned(),
        };
        if let Some(fields) = fields {
            let prefix = if context.is_empty() { String::new() } else { format!("{}: ", context.join(": ")) };
            return fields.0.iter().map(|(k, v)| format!("{prefix}{k}: {}", v.message)).collect();
        }
        context.push(cause.to_string());
    }
    vec![context.join(": ")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn field_errors_print_one_line_per_field() {
        let mut f = FieldErrors::new();
        f.add("slug", "invalid_slug", "must be a slug");
        f.add("name", "required", "is required");
        let e = Err::<(), _>(f).context("cannot create organization \"X\"").unwrap_err();
        assert_eq!(
            error_lines(&e),
            vec![
                "cannot create organization \"X\": name: is required".to_string(),
                "cannot create organization \"X\": slug: must be a slug".to_string(),
            ]
        );
    }

    #[test]
    fn store_conflicts_and_plain_errors() {
        let e = Err::<(), _>(StoreError::conflict("slug", "taken", "is already taken"))
            .context("cannot create")
            .unwrap_err();
        assert_eq!(error_lines(&e), vec!["cannot create: slug: is already taken".to_string()]);
        let e = anyhow::anyhow!("boom").context("outer");
        assert_eq!(error_lines(&e), vec!["outer: boom".to_string()]);
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
