//! What routes and times cases: the working calendar, case and routing
//! rules, root causes.
//!
//! Cases open inside the ingestion that stored the feedback, in its
//! transaction: an organization without active case rules pays one small
//! query per batch. Every change to a case writes a history line and
//! publishes a `Notice` of kind `Case`.

use super::accounts::{write_audit, write_audit_opt};
use super::{
    check, must_exist, refuse_if_used, returned_id, write, Conn, Query, ACTIVE_PERSON, LISTENING_POST, SEGMENT,
    TOUCHPOINT,
};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::NaiveDate;
use rapport_core::calendar::{Holiday, WorkCalendar};
use rapport_core::case::root_cause::{RootCause, RootCauseInput};
use rapport_core::case::routing::{RoutingRule, RoutingRuleInput};
use rapport_core::case::triage::{tags_of, tags_text, Priority};
use rapport_core::case::trigger::{CaseRule, CaseRuleInput, Trigger};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::cases::{self as k};
use rapport_store::rows as s;
use rapport_store::{Audit, Result, StoreError};

pub(crate) const ROOT_CAUSE: &str = "SELECT id FROM root_causes WHERE org_id = $1 AND id = $2";

// ---- Calendar ------------------------------------------------------

pub(crate) async fn load_calendar(c: &mut Conn, org: Id) -> Result<WorkCalendar> {
    let row: Option<(String, i32, i32, String)> =
        sqlx::query_as("SELECT time_zone, day_start, day_end, workdays FROM work_calendars WHERE org_id = $1")
            .bind(org)
            .fetch_optional(&mut *c)
            .await?;
    let holidays: Vec<(NaiveDate, String)> =
        sqlx::query_as("SELECT day, name FROM holidays WHERE org_id = $1 ORDER BY day")
            .bind(org)
            .fetch_all(&mut *c)
            .await?;
    Ok(k::calendar(row, holidays.into_iter().map(|(day, name)| Holiday { day, name }).collect()))
}

// ---- Case rules ----------------------------------------------------

pub(crate) async fn case_rules(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<CaseRule>> {
    type Row = (Id, String, String, Option<Id>, bool, Option<String>, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, condition, touchpoint_id, active, priority, tags FROM case_rules \
         WHERE org_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|(id, name, condition, touchpoint_id, active, priority, tags)| {
            let trigger: Trigger = s::from_json("case rule condition", &condition)?;
            let priority = priority.as_deref().and_then(Priority::parse);
            Ok(CaseRule { id, name, trigger, touchpoint_id, active, priority, tags: tags_of(&tags) })
        })
        .collect()
}

async fn check_case_rule(c: &mut Conn, org: Id, rule: &CaseRuleInput) -> Result<()> {
    let mut e = FieldErrors::new();
    if let Some(tp) = rule.touchpoint_id {
        check(c, &mut e, TOUCHPOINT, org, tp, "touchpoint_id".into()).await?;
    }
    if let Trigger::Theme { theme_id } = rule.trigger {
        check(c, &mut e, "SELECT id FROM text_themes WHERE org_id = $1 AND id = $2", org, theme_id, "theme_id".into())
            .await?;
    }
    s::invalid_if_any(e)
}

async fn save_case_rule(store: &Backend, org: Id, id: Option<Id>, rule: &CaseRuleInput) -> Result<CaseRule> {
    let mut tx = write(store, org).await?;
    check_case_rule(&mut tx, org, rule).await?;
    let condition = s::to_json(&rule.trigger)?;
    let id = match id {
        Some(id) => {
            must_exist(&mut tx, "SELECT id FROM case_rules WHERE org_id = $1 AND id = $2", org, id).await?;
            sqlx::query(
                "UPDATE case_rules SET name = $3, condition = $4, touchpoint_id = $5, active = $6, priority = $7, \
                 tags = $8 WHERE org_id = $1 AND id = $2",
            )
            .bind(org)
            .bind(id)
            .bind(&rule.name)
            .bind(&condition)
            .bind(rule.touchpoint_id)
            .bind(rule.active)
            .bind(rule.priority.map(|p| p.key()))
            .bind(tags_text(&rule.tags))
            .execute(&mut *tx)
            .await?;
            id
        }
        None => returned_id(
            sqlx::query(
                "INSERT INTO case_rules (org_id, name, condition, touchpoint_id, active, created_at, priority, tags) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(org)
            .bind(&rule.name)
            .bind(&condition)
            .bind(rule.touchpoint_id)
            .bind(rule.active)
            .bind(s::now())
            .bind(rule.priority.map(|p| p.key()))
            .bind(tags_text(&rule.tags))
            .fetch_one(&mut *tx)
            .await?,
        )?,
    };
    let out = s::one(case_rules(&mut tx, org, Some(id)).await?)?;
    tx.commit().await?;
    Ok(out)
}

async fn delete_row(store: &Backend, org: Id, table: &str, id: Id, audit: &Audit<'_>) -> Result<()> {
    let mut tx = write(store, org).await?;
    let sql = format!("DELETE FROM {table} WHERE org_id = $1 AND id = $2");
    let done = sqlx::query(&sql).bind(org).bind(id).execute(&mut *tx).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    write_audit(&mut tx, org, audit, None).await?;
    tx.commit().await?;
    Ok(())
}

// ---- Routing rules -------------------------------------------------

pub(crate) async fn routing_rules(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<RoutingRule>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Id,
        name: String,
        position: i64,
        touchpoint_id: Option<Id>,
        segment_id: Option<Id>,
        channel: Option<String>,
        listening_post_id: Option<Id>,
        assignee_id: Option<Id>,
        first_response_hours: Option<i64>,
        resolution_hours: Option<i64>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, position, touchpoint_id, segment_id, channel, listening_post_id, assignee_id, \
         first_response_hours, resolution_hours FROM routing_rules \
         WHERE org_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY position, id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RoutingRule {
            id: r.id,
            name: r.name,
            position: r.position,
            touchpoint_id: r.touchpoint_id,
            segment_id: r.segment_id,
            channel: r.channel,
            listening_post_id: r.listening_post_id,
            assignee_id: r.assignee_id,
            first_response_hours: r.first_response_hours,
            resolution_hours: r.resolution_hours,
        })
        .collect())
}

/// Binds what a routing rule's writes set, after what `q` has bound.
fn bind_routing<'q>(q: Query<'q>, r: &'q RoutingRuleInput) -> Query<'q> {
    q.bind(&r.name)
        .bind(r.position)
        .bind(r.touchpoint_id)
        .bind(r.segment_id)
        .bind(&r.channel)
        .bind(r.listening_post_id)
        .bind(r.assignee_id)
        .bind(r.first_response_hours)
        .bind(r.resolution_hours)
}

async fn save_routing_rule(store: &Backend, org: Id, id: Option<Id>, r: &RoutingRuleInput) -> Result<RoutingRule> {
    let mut tx = write(store, org).await?;
    let mut e = FieldErrors::new();
    if let Some(tp) = r.touchpoint_id {
        check(&mut tx, &mut e, TOUCHPOINT, org, tp, "touchpoint_id".into()).await?;
    }
    if let Some(seg) = r.segment_id {
        check(&mut tx, &mut e, SEGMENT, org, seg, "segment_id".into()).await?;
    }
    if let Some(post) = r.listening_post_id {
        check(&mut tx, &mut e, LISTENING_POST, org, post, "listening_post_id".into()).await?;
    }
    if let Some(person) = r.assignee_id {
        check(&mut tx, &mut e, ACTIVE_PERSON, org, person, "assignee_id".into()).await?;
    }
    s::invalid_if_any(e)?;
    let q = match id {
        Some(id) => {
            must_exist(&mut tx, "SELECT id FROM routing_rules WHERE org_id = $1 AND id = $2", org, id).await?;
            sqlx::query(
                "UPDATE routing_rules SET name = $3, position = $4, touchpoint_id = $5, segment_id = $6, \
                 channel = $7, listening_post_id = $8, assignee_id = $9, first_response_hours = $10, \
                 resolution_hours = $11 WHERE org_id = $1 AND id = $2 RETURNING id",
            )
            .bind(org)
            .bind(id)
        }
        None => sqlx::query(
            "INSERT INTO routing_rules (org_id, name, position, touchpoint_id, segment_id, channel, \
             listening_post_id, assignee_id, first_response_hours, resolution_hours) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(org),
    };
    let new_id = returned_id(bind_routing(q, r).fetch_one(&mut *tx).await?)?;
    let out = s::one(routing_rules(&mut tx, org, Some(new_id)).await?)?;
    tx.commit().await?;
    Ok(out)
}

// ---- Root causes ---------------------------------------------------

async fn root_causes(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<RootCause>> {
    let rows: Vec<(Id, String, Option<String>, bool)> = sqlx::query_as(
        "SELECT id, name, description, preventable FROM root_causes \
         WHERE org_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY lower(name), id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, description, preventable)| RootCause { id, name, description, preventable })
        .collect())
}

async fn save_root_cause(store: &Backend, org: Id, id: Option<Id>, r: &RootCauseInput) -> Result<RootCause> {
    let mut tx = write(store, org).await?;
    let taken = || s::taken("name", "another root cause has this name");
    let id = match id {
        Some(id) => {
            must_exist(&mut tx, ROOT_CAUSE, org, id).await?;
            sqlx::query(
                "UPDATE root_causes SET name = $3, description = $4, preventable = $5 \
                 WHERE org_id = $1 AND id = $2",
            )
            .bind(org)
            .bind(id)
            .bind(&r.name)
            .bind(&r.description)
            .bind(r.preventable)
            .execute(&mut *tx)
            .await
            .map_err(taken())?;
            id
        }
        None => returned_id(
            sqlx::query(
                "INSERT INTO root_causes (org_id, name, description, preventable) VALUES ($1, $2, $3, $4) \
                 RETURNING id",
            )
            .bind(org)
            .bind(&r.name)
            .bind(&r.description)
            .bind(r.preventable)
            .fetch_one(&mut *tx)
            .await
            .map_err(taken())?,
        )?,
    };
    let out = s::one(root_causes(&mut tx, org, Some(id)).await?)?;
    tx.commit().await?;
    Ok(out)
}

#[async_trait]
impl rapport_store::CaseSetup for Backend {
    async fn work_calendar(&self, org: Id) -> Result<WorkCalendar> {
        load_calendar(&mut *self.pool.acquire().await?, org).await
    }

    async fn set_work_calendar(&self, org: Id, cal: &WorkCalendar, audit: Option<&Audit<'_>>) -> Result<WorkCalendar> {
        let mut tx = write(self, org).await?;
        sqlx::query(
            "INSERT INTO work_calendars (org_id, time_zone, day_start, day_end, workdays) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id) DO UPDATE SET \
             time_zone = excluded.time_zone, day_start = excluded.day_start, \
             day_end = excluded.day_end, workdays = excluded.workdays",
        )
        .bind(org)
        .bind(&cal.time_zone)
        .bind(i32::from(cal.day_start))
        .bind(i32::from(cal.day_end))
        .bind(k::workdays_text(&cal.workdays))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM holidays WHERE org_id = $1").bind(org).execute(&mut *tx).await?;
        for h in &cal.holidays {
            sqlx::query("INSERT INTO holidays (org_id, day, name) VALUES ($1, $2, $3)")
                .bind(org)
                .bind(h.day)
                .bind(&h.name)
                .execute(&mut *tx)
                .await?;
        }
        write_audit_opt(&mut tx, org, audit, None).await?;
        let out = load_calendar(&mut tx, org).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn list_case_rules(&self, org: Id) -> Result<Vec<CaseRule>> {
        case_rules(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn create_case_rule(&self, org: Id, rule: &CaseRuleInput) -> Result<CaseRule> {
        save_case_rule(self, org, None, rule).await
    }

    async fn update_case_rule(&self, org: Id, id: Id, rule: &CaseRuleInput) -> Result<CaseRule> {
        save_case_rule(self, org, Some(id), rule).await
    }

    async fn delete_case_rule(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        delete_row(self, org, "case_rules", id, audit).await
    }

    async fn list_routing_rules(&self, org: Id) -> Result<Vec<RoutingRule>> {
        routing_rules(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn create_routing_rule(&self, org: Id, rule: &RoutingRuleInput) -> Result<RoutingRule> {
        save_routing_rule(self, org, None, rule).await
    }

    async fn update_routing_rule(&self, org: Id, id: Id, rule: &RoutingRuleInput) -> Result<RoutingRule> {
        save_routing_rule(self, org, Some(id), rule).await
    }

    async fn delete_routing_rule(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        delete_row(self, org, "routing_rules", id, audit).await
    }

    async fn list_root_causes(&self, org: Id) -> Result<Vec<RootCause>> {
        root_causes(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn create_root_cause(&self, org: Id, cause: &RootCauseInput) -> Result<RootCause> {
        save_root_cause(self, org, None, cause).await
    }

    async fn update_root_cause(&self, org: Id, id: Id, cause: &RootCauseInput) -> Result<RootCause> {
        save_root_cause(self, org, Some(id), cause).await
    }

    async fn delete_root_cause(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, ROOT_CAUSE, org, id).await?;
        let cases = "SELECT id FROM case_steps WHERE org_id = $1 AND root_cause_id = $2 \
                     UNION ALL SELECT id FROM cases WHERE org_id = $1 AND root_cause_id = $2 LIMIT 1";
        refuse_if_used(&mut tx, cases, org, id, "cases name this root cause: rename it instead").await?;
        sqlx::query("DELETE FROM root_causes WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn default_case_owner(&self, org: Id) -> Result<Option<Id>> {
        super::case_queue::default_owner(&mut *self.pool.acquire().await?, org).await
    }

    async fn set_default_case_owner(&self, org: Id, person: Option<Id>, audit: &Audit<'_>) -> Result<Option<Id>> {
        super::case_queue::set_default_owner(self, org, person, audit).await
    }
}
