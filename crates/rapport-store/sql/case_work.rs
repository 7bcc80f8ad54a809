//! Working a case: assignment, the RESOLVED steps, closing and reopening,
//! and the escalation of broken promises.

use super::case_flow::{
    case_event, case_history, case_rows, finish_case, full_case, insert_case, open_for_work, RoutingSetup, ONE_OPEN,
};
use super::case_setup::{load_calendar, ROOT_CAUSE};
use super::customers::customer_id;
use super::{check, notify_after, notify_in, write, Conn, ACTIVE_PERSON, TOUCHPOINT};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::case::closed_loop::ClosedLoopCounts;
use rapport_core::case::history as h;
use rapport_core::case::promise::{breaches, Breach};
use rapport_core::case::resolved::{check_close, check_order, Step, StepInput};
use rapport_core::case::root_cause::ClosedCase;
use rapport_core::case::triage::AssignmentReason;
use rapport_core::case::{Case, CaseInput, CaseStatus, CaseTriage};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::cases::{CaseBulkChange, CaseFilter, CaseTriageChange, Escalation};
use rapport_store::listening::NoticeKind;
use rapport_store::rows as s;
use rapport_store::rows::listening as l;
use rapport_store::{Result, StoreError};

/// The leader of the first experience (by id) that has the
/// touchpoint as a current key interaction and a leader.
async fn leader_for(c: &mut Conn, org: Id, touchpoint: Option<Id>) -> Result<Option<Id>> {
    let Some(tp) = touchpoint else { return Ok(None) };
    Ok(sqlx::query_scalar(
        "SELECT e.leader_id FROM experiences e JOIN interactions i ON i.experience_id = e.id \
         WHERE e.org_id = $1 AND i.touchpoint_id = $2 AND i.removed_at IS NULL AND e.leader_id IS NOT NULL \
         ORDER BY e.id LIMIT 1",
    )
    .bind(org)
    .bind(tp)
    .fetch_optional(&mut *c)
    .await?
    .flatten())
}

#[async_trait]
impl rapport_store::Cases for Backend {
    async fn list_cases(&self, org: Id, f: &CaseFilter) -> Result<Vec<Case>> {
        case_rows(&mut *self.pool.acquire().await?, org, f, None).await
    }

    async fn get_case(&self, org: Id, id: Id) -> Result<Case> {
        full_case(&mut *self.pool.acquire().await?, org, id).await
    }

    async fn open_case(&self, org: Id, input: &CaseInput, actor: &str, now: DateTime<Utc>) -> Result<Case> {
        let mut tx = write(self, org).await?;
        let mut e = FieldErrors::new();
        let customer = customer_id(&mut tx, org, &input.customer).await?;
        if customer.is_none() {
            s::unknown(&mut e, "customer");
        }
        if let Some(tp) = input.touchpoint_id {
            check(&mut tx, &mut e, TOUCHPOINT, org, tp, "touchpoint_id".into()).await?;
        }
        if let Some(a) = input.assignee_id {
            check(&mut tx, &mut e, ACTIVE_PERSON, org, a, "assignee_id".into()).await?;
        }
        s::invalid_if_any(e)?;
        let customer = customer.ok_or(StoreError::NotFound)?;
        let setup = RoutingSetup::load(&mut tx, org, &[customer]).await?;
        let (routing, p, reason) = setup.route(customer, input.touchpoint_id, None, now);
        let reason = if input.assignee_id.is_some() { Some(AssignmentReason::Manual) } else { reason };
        let triage = CaseTriage { assignment_reason: reason, ..Default::default() };
        let id = insert_case(
            &mut tx,
            org,
            &input.title,
            customer,
            input.touchpoint_id,
            None,
            input.assignee_id,
            &routing,
            &p,
            now,
            &triage,
        )
        .await?;
        case_history(&mut tx, org, id, now, actor, "opened", input.note.clone()).await?;
        let assignee = input.assignee_id.or(routing.assignee_id);
        if let Some(a) = assignee {
            case_history(&mut tx, org, id, now, actor, "assigned", Some(h::assigned_detail(None, a, reason))).await?;
        }
        let summary =
            format!("Opened by hand. First response due {}.", p.first_response_due.format("%Y-%m-%d %H:%M UTC"));
        case_event(&mut tx, org, "case.opened", id, &assignee.into_iter().collect::<Vec<_>>(), summary).await?;
        finish_case(self, tx, org, id).await
    }

    async fn assign_case(&self, org: Id, id: Id, assignee: Id, actor: &str, now: DateTime<Utc>) -> Result<Case> {
        let mut tx = write(self, org).await?;
        let case = open_for_work(&mut tx, org, id).await?;
        let mut e = FieldErrors::new();
        check(&mut tx, &mut e, ACTIVE_PERSON, org, assignee, "assignee_id".into()).await?;
        s::invalid_if_any(e)?;
        if case.assignee_id != Some(assignee) {
            sqlx::query("UPDATE cases SET assignee_id = $3, assignment_reason = $4 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .bind(assignee)
                .bind(AssignmentReason::Manual.key())
                .execute(&mut *tx)
                .await?;
            let detail = h::assigned_detail(case.assignee_id, assignee, Some(AssignmentReason::Manual));
            case_history(&mut tx, org, id, now, actor, "assigned", Some(detail)).await?;
            case_event(&mut tx, org, "case.assigned", id, &[assignee], "The case was assigned to you.".into()).await?;
        }
        finish_case(self, tx, org, id).await
    }

    async fn record_step(&self, org: Id, id: Id, step: &StepInput, actor: &str, now: DateTime<Utc>) -> Result<Case> {
        let mut tx = write(self, org).await?;
        let case = open_for_work(&mut tx, org, id).await?;
        check_order(&case.steps, step.step).map_err(StoreError::Invalid)?;
        if let Some(cause) = step.root_cause_id {
            let mut e = FieldErrors::new();
            check(&mut tx, &mut e, ROOT_CAUSE, org, cause, "root_cause_id".into()).await?;
            s::invalid_if_any(e)?;
        }
        sqlx::query(
            "INSERT INTO case_steps (org_id, case_id, step, done_by, done_at, note, proposal, agreed, action, \
             root_cause_id, root_cause_note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(org)
        .bind(id)
        .bind(step.step.key())
        .bind(actor)
        .bind(now)
        .bind(&step.note)
        .bind(&step.proposal)
        .bind(step.agreed)
        .bind(&step.action)
        .bind(step.root_cause_id)
        .bind(&step.root_cause_note)
        .execute(&mut *tx)
        .await?;
        if step.step == Step::Respond && case.first_responded_at.is_none() {
            sqlx::query("UPDATE cases SET first_responded_at = $3 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        if step.step == Step::Document {
            sqlx::query("UPDATE cases SET root_cause_id = $3 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .bind(step.root_cause_id)
                .execute(&mut *tx)
                .await?;
        }
        case_history(&mut tx, org, id, now, actor, "step", Some(step.step.key().to_string())).await?;
        finish_case(self, tx, org, id).await
    }

    async fn close_case(&self, org: Id, id: Id, actor: &str, now: DateTime<Utc>) -> Result<Case> {
        let mut tx = write(self, org).await?;
        let case = open_for_work(&mut tx, org, id).await?;
        check_close(&case.steps).map_err(StoreError::Invalid)?;
        sqlx::query("UPDATE cases SET status = 'closed', closed_at = $3 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        case_history(&mut tx, org, id, now, actor, "closed", None).await?;
        case_event(&mut tx, org, "case.closed", id, &[], "The case was resolved and closed.".into()).await?;
        finish_case(self, tx, org, id).await
    }

    /// Reopens with a fresh resolution promise from now; the steps stay
    /// and may be worked again.
    async fn reopen_case(
        &self,
        org: Id,
        id: Id,
        reason: Option<&str>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Case> {
        let mut tx = write(self, org).await?;
        let case = full_case(&mut tx, org, id).await?;
        if case.status == CaseStatus::Open {
            return Err(StoreError::conflict("status", "open", "the case is already open"));
        }
        let hours: i64 = sqlx::query_scalar("SELECT resolution_hours FROM cases WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let due = load_calendar(&mut tx, org).await?.add_working_minutes(now, hours * 60);
        sqlx::query(
            "UPDATE cases SET status = 'open', closed_at = NULL, resolution_due = $3, resolution_breached_at = NULL \
             WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(due)
        .execute(&mut *tx)
        .await
        .map_err(s::conflict_on("status", "open_case", ONE_OPEN))?;
        case_history(&mut tx, org, id, now, actor, "reopened", reason.map(str::to_string)).await?;
        finish_case(self, tx, org, id).await
    }

    /// Records every promise broken by `now` and not yet recorded, in
    /// every organization; the first breach of a case escalates it.
    async fn escalate_overdue(&self, now: DateTime<Utc>) -> Result<Vec<Escalation>> {
        let due: Vec<(Id, Id)> = sqlx::query_as(
            // Each half reads its partial index (migration 0012): only the
            // promises not yet recorded as broken, however many open cases
            // are overdue already.
            "SELECT org_id, id FROM cases WHERE status = 'open' AND first_responded_at IS NULL \
             AND response_breached_at IS NULL AND first_response_due < $1 \
             UNION SELECT org_id, id FROM cases WHERE status = 'open' AND resolution_breached_at IS NULL \
             AND resolution_due < $1 ORDER BY org_id, id LIMIT 1000",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for org in l::distinct(due.iter().map(|d| d.0)) {
            let mut tx = write(self, org).await?;
            let mut touched = Vec::new();
            for (_, id) in due.iter().filter(|d| d.0 == org) {
                // Re-read under the lock: another server may have got here first.
                // Promises need the row only, not steps, items or history.
                let case = s::one(case_rows(&mut tx, org, &CaseFilter::default(), Some(*id)).await?)?;
                let recorded: (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = sqlx::query_as(
                    "SELECT response_breached_at, resolution_breached_at FROM cases WHERE org_id = $1 AND id = $2",
                )
                .bind(org)
                .bind(*id)
                .fetch_one(&mut *tx)
                .await?;
                if case.status != CaseStatus::Open {
                    continue;
                }
                let mut escalated_to = case.escalated_to;
                for breach in breaches(&case, now) {
                    let (column, done) = match breach {
                        Breach::FirstResponse => ("response_breached_at", recorded.0.is_some()),
                        Breach::Resolution => ("resolution_breached_at", recorded.1.is_some()),
                    };
                    if done {
                        continue;
                    }
                    let sql = format!("UPDATE cases SET {column} = $3 WHERE org_id = $1 AND id = $2");
                    sqlx::query(&sql).bind(org).bind(*id).bind(now).execute(&mut *tx).await?;
                    case_history(&mut tx, org, *id, now, "system", "breached", Some(breach.key().to_string())).await?;
                    if case.escalated_at.is_none() && !touched.contains(id) {
                        escalated_to = leader_for(&mut tx, org, case.touchpoint_id).await?;
                        sqlx::query(
                            "UPDATE cases SET escalated_at = $3, escalated_to = $4 WHERE org_id = $1 AND id = $2",
                        )
                        .bind(org)
                        .bind(*id)
                        .bind(now)
                        .bind(escalated_to)
                        .execute(&mut *tx)
                        .await?;
                        let detail = escalated_to.map(h::person);
                        case_history(&mut tx, org, *id, now, "system", "escalated", detail).await?;
                    }
                    touched.push(*id);
                    let what = match breach {
                        Breach::FirstResponse => "The first-response promise was broken",
                        Breach::Resolution => "The resolution promise was broken",
                    };
                    let summary = format!("{what}; escalated to the experience leader.");
                    let to: Vec<Id> = case.assignee_id.into_iter().chain(escalated_to).collect();
                    case_event(&mut tx, org, "case.breached", *id, &to, summary).await?;
                    out.push(Escalation { org, case: *id, breach, escalated_to });
                }
            }
            let ids = l::distinct(touched.iter().copied());
            notify_in(&mut tx, org, NoticeKind::Case, &ids).await?;
            tx.commit().await?;
            notify_after(self, org, NoticeKind::Case, &ids);
        }
        Ok(out)
    }

    async fn closed_cases(&self, org: Id, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<ClosedCase>> {
        let rows: Vec<(Id, Id, Option<Id>, DateTime<Utc>, Option<f64>)> = sqlx::query_as(
            "SELECT k.id, k.root_cause_id, k.touchpoint_id, k.closed_at, e.amount FROM cases k \
             LEFT JOIN case_items i ON i.case_id = k.id AND i.kind = 'event' \
             LEFT JOIN events e ON e.id = i.item_id AND e.kind IN ('refund', 'cancellation') \
             WHERE k.org_id = $1 AND k.status = 'closed' AND k.root_cause_id IS NOT NULL \
             AND k.closed_at >= $2 AND k.closed_at < $3 ORDER BY k.id",
        )
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *self.pool.acquire().await?)
        .await?;
        let mut out: Vec<(Id, ClosedCase)> = Vec::new();
        for (id, cause, touchpoint, closed_at, amount) in rows {
            match out.last_mut() {
                Some((last, c)) if *last == id => c.money += amount.unwrap_or(0.0),
                _ => out.push((
                    id,
                    ClosedCase {
                        root_cause_id: cause,
                        touchpoint_id: touchpoint,
                        closed_on: closed_at.date_naive(),
                        money: amount.unwrap_or(0.0),
                    },
                )),
            }
        }
        Ok(out.into_iter().map(|(_, c)| c).collect())
    }

    async fn count_cases(&self, org: Id, filter: &CaseFilter, cap: i64) -> Result<i64> {
        super::case_queue::count(&mut *self.pool.acquire().await?, org, filter, cap).await
    }

    async fn set_case_triage(
        &self,
        org: Id,
        id: Id,
        change: &CaseTriageChange,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Case> {
        super::case_queue::set_triage(self, org, id, change, actor, now).await
    }

    async fn bulk_update_cases(
        &self,
        org: Id,
        ids: &[Id],
        change: &CaseBulkChange,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Id>> {
        super::case_queue::bulk_update(self, org, ids, change, actor, now).await
    }

    async fn closed_loop_counts(
        &self,
        org: Id,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<ClosedLoopCounts> {
        super::case_queue::closed_loop(&mut *self.pool.acquire().await?, org, from, to, now).await
    }
}
