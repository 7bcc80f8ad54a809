//! E5. Contact-centre staffing (Erlang C): each contact channel's targets
//! and schedule, and the hourly rollup of events (`event_hours`), kept by
//! [`add_event_hours`] inside the events' writing transaction (through the
//! events' tally, so ingestion and `rapport rollups rebuild` both keep it).

use super::{must_exist, write, Conn, TOUCHPOINT};
use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use rapport_core::people::staffing::{Targets, WeekGrid, HOURS, WEEKDAYS};
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::rows::listening as l;
use rapport_store::staffing::{ChannelSettings, EventHour};
use rapport_store::{Result, StoreError};
use std::collections::BTreeMap;

/// The UTC hour an instant falls in.
pub(crate) fn hour_start(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::hours(1)).unwrap_or(at)
}

/// Adds events (touchpoint, time) to the hourly rollup: the batch summed in
/// memory, each touched row upserted once. Events without a touchpoint are
/// not contacts of any channel and are not counted.
pub(crate) async fn add_event_hours(
    c: &mut Conn,
    org: Id,
    events: impl IntoIterator<Item = (Option<Id>, DateTime<Utc>)>,
) -> Result<()> {
    let mut deltas: BTreeMap<(Id, DateTime<Utc>), i64> = BTreeMap::new();
    for (tp, at) in events {
        if let Some(tp) = tp {
            *deltas.entry((tp, hour_start(at))).or_default() += 1;
        }
    }
    let rows: Vec<_> = deltas.into_iter().collect();
    for chunk in rows.chunks(l::rows_per_insert(4)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO event_hours (org_id, touchpoint_id, hour_start, n) ");
        qb.push_values(chunk, |mut b, ((tp, hour), n)| {
            b.push_bind(org).push_bind(*tp).push_bind(*hour).push_bind(*n);
        });
        qb.push(" ON CONFLICT (org_id, touchpoint_id, hour_start) DO UPDATE SET n = event_hours.n + excluded.n");
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

type SettingsRow = (Id, f64, f64, f64, f64, f64, DateTime<Utc>);

const SETTINGS: &str = "SELECT touchpoint_id, handle_seconds, service_level, answer_seconds, shrinkage, \
                        max_occupancy, updated_at FROM staffing_settings WHERE org_id = $1";

fn settings(r: SettingsRow) -> ChannelSettings {
    ChannelSettings {
        touchpoint_id: r.0,
        targets: Targets {
            handle_seconds: r.1,
            service_level: r.2,
            answer_seconds: r.3,
            shrinkage: r.4,
            max_occupancy: r.5,
        },
        updated_at: r.6,
    }
}

#[async_trait]
impl rapport_store::Staffing for Backend {
    async fn event_hours(
        &self,
        org: Id,
        touchpoint: Option<Id>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<EventHour>> {
        let mut c = self.pool.acquire().await?;
        let rows: Vec<(Id, DateTime<Utc>, i64)> = sqlx::query_as(
            "SELECT touchpoint_id, hour_start, n FROM event_hours WHERE org_id = $1 \
             AND ($2 IS NULL OR touchpoint_id = $2) AND hour_start >= $3 AND hour_start < $4 \
             ORDER BY touchpoint_id, hour_start",
        )
        .bind(org)
        .bind(touchpoint)
        .bind(hour_start(from))
        .bind(to)
        .fetch_all(&mut *c)
        .await?;
        Ok(rows.into_iter().map(|(touchpoint_id, hour_start, n)| EventHour { touchpoint_id, hour_start, n }).collect())
    }

    async fn list_staffing_settings(&self, org: Id) -> Result<Vec<ChannelSettings>> {
        let mut c = self.pool.acquire().await?;
        let sql = format!("{SETTINGS} ORDER BY touchpoint_id");
        let rows: Vec<SettingsRow> = sqlx::query_as(&sql).bind(org).fetch_all(&mut *c).await?;
        Ok(rows.into_iter().map(settings).collect())
    }

    async fn staffing_settings(&self, org: Id, touchpoint: Id) -> Result<Option<ChannelSettings>> {
        let mut c = self.pool.acquire().await?;
        must_exist(&mut c, TOUCHPOINT, org, touchpoint).await?;
        let sql = format!("{SETTINGS} AND touchpoint_id = $2");
        let row: Option<SettingsRow> = sqlx::query_as(&sql).bind(org).bind(touchpoint).fetch_optional(&mut *c).await?;
        Ok(row.map(settings))
    }

    async fn put_staffing_settings(&self, org: Id, touchpoint: Id, t: &Targets) -> Result<ChannelSettings> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, TOUCHPOINT, org, touchpoint).await?;
        let now = s::now();
        sqlx::query(
            "INSERT INTO staffing_settings (org_id, touchpoint_id, handle_seconds, service_level, answer_seconds, \
             shrinkage, max_occupancy, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (org_id, touchpoint_id) DO UPDATE SET handle_seconds = excluded.handle_seconds, \
             service_level = excluded.service_level, answer_seconds = excluded.answer_seconds, \
             shrinkage = excluded.shrinkage, max_occupancy = excluded.max_occupancy, updated_at = excluded.updated_at",
        )
        .bind(org)
        .bind(touchpoint)
        .bind(t.handle_seconds)
        .bind(t.service_level)
        .bind(t.answer_seconds)
        .bind(t.shrinkage)
        .bind(t.max_occupancy)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ChannelSettings { touchpoint_id: touchpoint, targets: *t, updated_at: now })
    }

    async fn delete_staffing_settings(&self, org: Id, touchpoint: Id) -> Result<()> {
        let mut tx = write(self, org).await?;
        let gone = sqlx::query("DELETE FROM staffing_settings WHERE org_id = $1 AND touchpoint_id = $2")
            .bind(org)
            .bind(touchpoint)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM staffing_schedule WHERE org_id = $1 AND touchpoint_id = $2")
            .bind(org)
            .bind(touchpoint)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn staffing_schedule(&self, org: Id, touchpoint: Id) -> Result<WeekGrid> {
        let mut c = self.pool.acquire().await?;
        must_exist(&mut c, TOUCHPOINT, org, touchpoint).await?;
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT weekday, hour, agents FROM staffing_schedule WHERE org_id = $1 AND touchpoint_id = $2",
        )
        .bind(org)
        .bind(touchpoint)
        .fetch_all(&mut *c)
        .await?;
        let mut grid = [[0u32; HOURS]; WEEKDAYS];
        for (d, h, n) in rows {
            if let (Ok(d), Ok(h)) = (usize::try_from(d), usize::try_from(h)) {
                if d < WEEKDAYS && h < HOURS {
                    grid[d][h] = u32::try_from(n).unwrap_or(0);
                }
            }
        }
        Ok(grid)
    }

    async fn put_staffing_schedule(&self, org: Id, touchpoint: Id, grid: &WeekGrid) -> Result<()> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, TOUCHPOINT, org, touchpoint).await?;
        sqlx::query("DELETE FROM staffing_schedule WHERE org_id = $1 AND touchpoint_id = $2")
            .bind(org)
            .bind(touchpoint)
            .execute(&mut *tx)
            .await?;
        let cells: Vec<(i64, i64, i64)> = grid
            .iter()
            .enumerate()
            .flat_map(|(d, day)| day.iter().enumerate().map(move |(h, n)| (d as i64, h as i64, *n as i64)))
            .filter(|c| c.2 > 0)
            .collect();
        for chunk in cells.chunks(l::rows_per_insert(5)) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO staffing_schedule (org_id, touchpoint_id, weekday, hour, agents) ",
            );
            qb.push_values(chunk, |mut b, (d, h, n)| {
                b.push_bind(org).push_bind(touchpoint).push_bind(*d).push_bind(*h).push_bind(*n);
            });
            qb.build().persistent(false).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
