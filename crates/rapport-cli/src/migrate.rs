//! `rapport migrate`: connecting applies any pending migrations.

use crate::db::DbArgs;
use anyhow::Result;

pub async fn run(args: DbArgs) -> Result<()> {
    let store = args.open().await?;
    store.ping().await?;
    println!("Database schema is up to date ({}, {}).", store.backend(), args.describe());
    Ok(())
}
