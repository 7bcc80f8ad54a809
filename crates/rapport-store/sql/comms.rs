//! The internal communications plan.

use super::accounts::write_audit;
use super::{check, write, Conn, PERSON};
use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::improve as im;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::rows::improve as ip;
use rapport_store::{Audit, Result, StoreError};

// ---- Communications plan ---------------------------------------------

async fn comms_q(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<im::CommsItem>> {
    let sql = format!("{} WHERE org_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY day, id", ip::COMMS_SELECT);
    let rows: Vec<ip::CommsRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_all(&mut *c).await?;
    rows.into_iter().map(ip::CommsRow::item).collect()
}

async fn save_comms(store: &Backend, org: Id, id: Option<Id>, item: &im::comms::CommsInput) -> Result<im::CommsItem> {
    let mut tx = write(store, org).await?;
    let mut e = FieldErrors::new();
    check(&mut tx, &mut e, PERSON, org, item.owner_id, "owner_id".into()).await?;
    s::invalid_if_any(e)?;
    let id = match id {
        None => {
            sqlx::query_scalar(
                "INSERT INTO comms_items (org_id, title, audience, channel, day, owner_id, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(org)
            .bind(&item.title)
            .bind(&item.audience)
            .bind(item.channel.key())
            .bind(item.date)
            .bind(item.owner_id)
            .bind(item.status.key())
            .bind(s::now())
            .fetch_one(&mut *tx)
            .await?
        }
        Some(id) => {
            let done = sqlx::query(
                "UPDATE comms_items SET title = $3, audience = $4, channel = $5, day = $6, owner_id = $7, status = $8 \
                 WHERE org_id = $1 AND id = $2",
            )
            .bind(org)
            .bind(id)
            .bind(&item.title)
            .bind(&item.audience)
            .bind(item.channel.key())
            .bind(item.date)
            .bind(item.owner_id)
            .bind(item.status.key())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            id
        }
    };
    let out = s::one(comms_q(&mut tx, org, Some(id)).await?)?;
    tx.commit().await?;
    Ok(out)
}

#[async_trait]
impl rapport_store::Comms for Backend {
    async fn list_comms(&self, org: Id) -> Result<Vec<im::CommsItem>> {
        comms_q(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn get_comms(&self, org: Id, id: Id) -> Result<im::CommsItem> {
        s::one(comms_q(&mut *self.pool.acquire().await?, org, Some(id)).await?)
    }

    async fn create_comms(&self, org: Id, item: &im::comms::CommsInput) -> Result<im::CommsItem> {
        save_comms(self, org, None, item).await
    }

    async fn update_comms(&self, org: Id, id: Id, item: &im::comms::CommsInput) -> Result<im::CommsItem> {
        save_comms(self, org, Some(id), item).await
    }

    async fn delete_comms(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        let done = sqlx::query("DELETE FROM comms_items WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }
}
