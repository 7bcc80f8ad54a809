//! Whole tables of one organization read out in order: the statements.
//!
//! A page's statement is `ExportTable::page_sql`, written from the fixed
//! names of `rapport_store::export::TABLES` only; the organization, the
//! cursor and the limit are bound here.
//!
//! Columns are decoded by their type as the database reports it (declared
//! type on SQLite, the column's type on PostgreSQL), so one reader serves
//! every table: integers of any width, reals, booleans, PostgreSQL's
//! `TIMESTAMPTZ` and `DATE` written as SQLite stores them (RFC 3339 text
//! and `YYYY-MM-DD`), and anything else as text.

use crate::dialect::{Backend, Db, EXPORT_ORG_FILTER};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rapport_core::Id;
use rapport_store::export::{ExportRow, ExportTable, KeyColumn, KeyValue};
use rapport_store::{Result, StoreError};
use serde_json::Value;
use sqlx::{Column, Row, TypeInfo, ValueRef};

type DbRow = <Db as sqlx::Database>::Row;

/// The most rows one page may ask for.
const MAX_LIMIT: u32 = 10_000;

#[async_trait]
impl rapport_store::TableExport for Backend {
    async fn export_page(
        &self,
        org: Id,
        table: &'static ExportTable,
        after: Option<&[KeyValue]>,
        limit: u32,
    ) -> Result<Vec<ExportRow>> {
        if let Some(after) = after {
            if after.len() != table.key.len() {
                return Err(StoreError::Internal(
                    format!("a cursor of {} values for {}", after.len(), table.name).into(),
                ));
            }
        }
        let sql = table.page_sql(after.is_some(), EXPORT_ORG_FILTER);
        let mut query = sqlx::query(&sql).bind(org);
        for value in after.unwrap_or_default() {
            query = match value {
                KeyValue::Int(v) => query.bind(*v),
                KeyValue::Text(v) => query.bind(v.clone()),
            };
        }
        let rows = query.bind(i64::from(limit.clamp(1, MAX_LIMIT))).fetch_all(&self.pool).await?;
        // The columns' types, named once a page rather than once a cell.
        let kinds: Vec<String> = rows.first().map_or_else(Vec::new, |row| {
            row.columns().iter().map(|c| c.type_info().name().to_ascii_uppercase()).collect()
        });
        rows.iter().map(|row| export_row(table, &kinds, row)).collect()
    }
}

fn export_row(table: &ExportTable, kinds: &[String], row: &DbRow) -> Result<ExportRow> {
    let values = (0..table.columns.len())
        .map(|i| cell(row, i, &kinds[i], table.is_json(table.columns[i])))
        .collect::<Result<Vec<Value>>>()?;
    let key = table
        .key
        .iter()
        .zip(&values)
        .map(|(k, v)| match (k, v) {
            (KeyColumn::Int(_), Value::Number(n)) => n.as_i64().map(KeyValue::Int),
            (KeyColumn::Text(_) | KeyColumn::Day(_), Value::String(s)) => Some(KeyValue::Text(s.clone())),
            _ => None,
        })
        .collect::<Option<Vec<KeyValue>>>()
        .ok_or_else(|| StoreError::Internal(format!("{}: a key value of an unexpected type", table.name).into()))?;
    Ok(ExportRow { key, values })
}

/// One value, by the column's type as the database names it (`kind`).
fn cell(row: &DbRow, i: usize, kind: &str, json: bool) -> Result<Value> {
    if row.try_get_raw(i)?.is_null() {
        return Ok(Value::Null);
    }
    Ok(match kind {
        "INT2" | "SMALLINT" => Value::from(row.try_get::<i16, _>(i)?),
        "INT4" => Value::from(row.try_get::<i32, _>(i)?),
        "INT8" | "BIGINT" | "INTEGER" => Value::from(row.try_get::<i64, _>(i)?),
        "FLOAT4" => float(f64::from(row.try_get::<f32, _>(i)?)),
        "FLOAT8" | "REAL" => float(row.try_get::<f64, _>(i)?),
        "BOOL" | "BOOLEAN" => Value::Bool(row.try_get::<bool, _>(i)?),
        // What SQLite's driver writes for a DateTime<Utc>.
        "TIMESTAMPTZ" => {
            Value::String(row.try_get::<DateTime<Utc>, _>(i)?.to_rfc3339_opts(SecondsFormat::AutoSi, false))
        }
        "DATE" => Value::String(row.try_get::<NaiveDate, _>(i)?.format("%Y-%m-%d").to_string()),
        _ => {
            let text: String = row.try_get(i)?;
            if json {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            } else {
                Value::String(text)
            }
        }
    })
}

/// A real as a JSON number (null for NaN or infinity, which JSON lacks).
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}
