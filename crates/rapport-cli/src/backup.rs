//! `rapport backup FILE` and `rapport restore FILE`.
//!
//! Policy:
//! - **SQLite**: `VACUUM INTO`, a copy made inside one read transaction, so
//!   it is consistent while servers keep writing (WAL lets them go on). The
//!   backup is a plain SQLite database (`sqlite3 FILE` opens it).
//! - **PostgreSQL**: `pg_dump --format=custom` (one snapshot, consistent
//!   too) and `pg_restore`, which must be installed, of the server's major
//!   version or newer. The password goes to them in `PGPASSWORD`, not on
//!   their command line, where other users of the machine could read it.
//! - A backup never leaves half a file: it is written beside FILE and
//!   renamed when complete; an existing FILE is not overwritten.
//! - A restore goes into an empty database only: one that has
//!   organizations is refused unless `--force`, which replaces it. Restoring
//!   SQLite replaces the file, so stop the servers first; the next
//!   `rapport serve` (or `rapport migrate`) brings an older backup's schema
//!   up to date.

use crate::db::DbArgs;
use anyhow::{bail, Context, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Connection, SqliteConnection};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Where to write the backup (must not exist yet).
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// A file written by `rapport backup`.
    pub file: PathBuf,
    /// Replace a database that already has organizations.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Where the data lives.
enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

fn target(db: &DbArgs) -> Target {
    match db.database_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) if url.starts_with("postgres") => Target::Postgres(url.to_string()),
        Some(url) => {
            let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            Target::Sqlite(PathBuf::from(path.split('?').next().unwrap_or(path)))
        }
        None => Target::Sqlite(db.data_dir.join("rapport.db")),
    }
}

pub async fn backup(args: BackupArgs) -> Result<()> {
    if args.file.exists() {
        bail!("{} exists already; choose a new file name", args.file.display());
    }
    let partial = sibling(&args.file, ".partial");
    let _ = std::fs::remove_file(&partial);
    match target(&args.db) {
        Target::Sqlite(path) => {
            if !path.exists() {
                bail!("no database at {}", path.display());
            }
            let options = SqliteConnectOptions::new().filename(&path).read_only(true);
            let mut conn = SqliteConnection::connect_with(&options)
                .await
                .with_context(|| format!("cannot open {}", path.display()))?;
            let into = partial.to_str().context("the backup's path is not UTF-8")?;
            sqlx::query("VACUUM INTO $1").bind(into).execute(&mut conn).await.context("VACUUM INTO failed")?;
            conn.close().await?;
        }
        Target::Postgres(url) => {
            let (url, password) = without_password(&url)?;
            let mut dump = Command::new("pg_dump");
            dump.args(["--format=custom", "--no-owner", "--file"]).arg(&partial).arg(format!("--dbname={url}"));
            run(dump, password.as_deref(), "pg_dump")?;
        }
    }
    std::fs::rename(&partial, &args.file).with_context(|| format!("cannot write {}", args.file.display()))?;
    let size = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    println!("backup written to {} ({size} bytes) from {}", args.file.display(), args.db.describe());
    Ok(())
}

pub async fn restore(args: RestoreArgs) -> Result<()> {
    if !args.file.is_file() {
        bail!("no backup file at {}", args.file.display());
    }
    match target(&args.db) {
        Target::Sqlite(path) => restore_sqlite(&args.file, &path, args.force).await?,
        Target::Postgres(url) => {
            let organizations = postgres_organizations(&url).await?;
            refuse_unless_forced(organizations, args.force)?;
            let (url, password) = without_password(&url)?;
            let mut load = Command::new("pg_restore");
            // --clean --if-exists: a forced restore replaces what is there.
            load.args(["--no-owner", "--single-transaction", "--clean", "--if-exists"])
                .arg(format!("--dbname={url}"))
                .arg(&args.file);
            run(load, password.as_deref(), "pg_restore")?;
        }
    }
    println!("restored {} into {}", args.file.display(), args.db.describe());
    Ok(())
}

/// Checks the backup on a copy beside the database, then swaps it in.
async fn restore_sqlite(backup: &Path, path: &Path, force: bool) -> Result<()> {
    if path.exists() {
        refuse_unless_forced(sqlite_organizations(path).await?, force)?;
    } else if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let staged = sibling(path, ".restoring");
    std::fs::copy(backup, &staged).with_context(|| format!("cannot copy to {}", staged.display()))?;
    if let Err(e) = check_sqlite_backup(&staged).await {
        let _ = std::fs::remove_file(&staged);
        return Err(e);
    }
    for stale in [sibling(path, "-wal"), sibling(path, "-shm")] {
        let _ = std::fs::remove_file(stale);
    }
    std::fs::rename(&staged, path).with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// A Rapport database, whole: migrations recorded and an intact file.
async fn check_sqlite_backup(file: &Path) -> Result<()> {
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .context("the backup is not an SQLite database")?;
    let migrations: Result<i64, _> = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&pool).await;
    pool.close().await;
    if check != "ok" {
        bail!("the backup is damaged: {check}");
    }
    if !migrations.is_ok_and(|n| n > 0) {
        bail!("the file is not a Rapport backup (no migrations recorded)");
    }
    Ok(())
}

async fn sqlite_organizations(path: &Path) -> Result<i64> {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM organizations").fetch_one(&mut conn).await.unwrap_or(0);
    conn.close().await?;
    Ok(n)
}

async fn postgres_organizations(url: &str) -> Result<i64> {
    let mut conn = sqlx::PgConnection::connect(url).await.context("cannot connect to PostgreSQL")?;
    // A database without Rapport's tables yet is empty too.
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM organizations").fetch_one(&mut conn).await.unwrap_or(0);
    conn.close().await?;
    Ok(n)
}

fn refuse_unless_forced(organizations: i64, force: bool) -> Result<()> {
    if organizations > 0 && !force {
        bail!(
            "the database is not empty ({organizations} organizations); restore into an empty one, \
             or add --force to replace it"
        );
    }
    Ok(())
}

/// The URL without its password, and the password.
fn without_password(url: &str) -> Result<(String, Option<String>)> {
    let mut parsed = url::Url::parse(url).context("the database URL is not a URL")?;
    let password = parsed.password().map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
    // Only fails for URLs that cannot have a password, which these can.
    let _ = parsed.set_password(None);
    Ok((parsed.to_string(), password))
}

fn run(mut command: Command, password: Option<&str>, name: &str) -> Result<()> {
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    let status = command.status().with_context(|| format!("cannot run {name}: is it installed and on PATH?"))?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    Ok(())
}

/// `file` with `suffix` appended to its name (`rapport.db` → `rapport.db-wal`).
pub(crate) fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    file.with_file_name(name)
}
