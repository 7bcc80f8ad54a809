//! The life of a case: reading, routing, and the helpers every step uses.
//! Every write holds the organization's lock, re-reads the case inside the
//! transaction, writes a history line and publishes a `Case` notice.

use super::case_setup::{load_calendar, routing_rules};
use super::notifications::notify_people;
use super::outbox::enqueue_in;
use super::rollups::members_of;
use super::surveys::listening_posts;
use super::{notify_after, notify_in, returned_id, Conn, Tx};
use crate::dialect::{Backend, Db};
use chrono::{DateTime, Utc};
use rapport_core::case::promise::promise;
use rapport_core::case::routing::{assign, CaseContext};
use rapport_core::case::{Case, CaseStatus};
use rapport_core::notification::Kind;
use rapport_core::Id;
use rapport_store::cases::{self as k, CaseFilter};
use rapport_store::listening::NoticeKind;
use rapport_store::rows as s;
use rapport_store::rows::listening as l;
use rapport_store::{Result, StoreError};
use std::collections::HashMap;

const CASE_SELECT: &str = "SELECT k.id, k.title, cu.external_id AS customer, k.touchpoint_id, k.rule_id, \
     k.status, k.assignee_id, k.opened_at, k.first_response_due, k.resolution_due, k.first_responded_at, \
     k.closed_at, k.escalated_at, k.escalated_to, k.root_cause_id, k.priority, k.tags, k.assignment_reason, \
     k.detractor FROM cases k LEFT JOIN customers cu ON cu.id = k.customer_id WHERE";

pub(crate) const ONE_OPEN: &str = "another case is already open for this customer at this touchpoint";

// ---- Reading ---------------------------------------------------------

// The queue order (migration 0012 indexes it, for everyone and per
// assignee; 0027 per priority and touchpoint); `CaseKey` is a case's place
// in it. The expressions must stay as the indexes write them.
pub(crate) const CLOSED: &str = "(CASE WHEN k.status = 'open' THEN 0 ELSE 1 END)";
pub(crate) const DUE: &str =
    "(CASE WHEN k.first_responded_at IS NULL THEN k.first_response_due ELSE k.resolution_due END)";

/// The filter's conditions (after `WHERE k.org_id = org`); the value of
/// `CLOSED` when the filter fixes it.
pub(crate) fn push_filters(qb: &mut sqlx::QueryBuilder<'_, Db>, org: Id, f: &CaseFilter) -> Option<i32> {
    // A case is open or closed: a status filter fixes `CLOSED`, named in
    // the queue's terms so that its index serves the order (with
    // `status = ?`, SQLite preferred the status index and sorted every open
    // case), and then left out of the order and the cursor (SQLite sorts
    // again when the order names a term the filter fixed). "Breached"
    // cases are open ones.
    let mut closed = f.status.map(|st| i32::from(st != CaseStatus::Open));
    if f.breached_as_of.is_some() {
        if closed == Some(1) {
            qb.push(" AND 1 = 0");
        }
        closed = Some(0);
    }
    if let Some(closed) = closed {
        // Searching, the matches' own few rows are read by key (see
        // `case_queue::push_search`): `+` keeps the queue's index out.
        let plus = if f.search.is_some() { "+" } else { "" };
        qb.push(format!(" AND {plus}{CLOSED} = {closed}"));
    }
    if let Some(now) = f.breached_as_of {
        // Past due and not kept: the next promise's due time (the first
        // response until given, then the resolution) is a range of the
        // queue's own index.
        qb.push(format!(" AND {DUE} < ")).push_bind(now);
    }
    if let Some(a) = f.assignee {
        qb.push(" AND k.assignee_id = ").push_bind(a);
    }
    if f.unassigned {
        qb.push(" AND k.assignee_id IS NULL");
    }
    if let Some(cust) = &f.customer {
        // The customer's id first, so that the index on cases' customer_id
        // serves (filtering on the joined external id scanned every case).
        qb.push(" AND k.customer_id = (SELECT c2.id FROM customers c2 WHERE c2.org_id = ")
            .push_bind(org)
            .push(" AND c2.external_id = ")
            .push_bind(cust.clone())
            .push(")");
    }
    if let Some(tp) = f.touchpoint {
        qb.push(" AND k.touchpoint_id = ").push_bind(tp);
    }
    if let Some(p) = f.priority {
        qb.push(" AND k.priority = ").push_bind(p.key());
    }
    if let Some(tag) = &f.tag {
        qb.push(" AND k.id IN (SELECT g.case_id FROM case_tags g WHERE g.org_id = ")
            .push_bind(org)
            .push(" AND g.tag = ")
            .push_bind(tag.clone())
            .push(")");
    }
    if let Some(q) = &f.search {
        super::case_queue::push_search(qb, org, q);
    }
    closed
}

/// `WHERE k.org_id = `, or with a search `WHERE +k.org_id = `: an
/// organization's whole queue is never the way to a search's few matches
/// (SQLite, without statistics, preferred walking the queue's index and
/// probing the matches).
pub(crate) fn org_condition(f: &CaseFilter) -> &'static str {
    if f.search.is_some() {
        " +k.org_id = "
    } else {
        " k.org_id = "
    }
}

pub(crate) async fn case_rows(c: &mut Conn, org: Id, f: &CaseFilter, id: Option<Id>) -> Result<Vec<Case>> {
    let mut qb = sqlx::QueryBuilder::<Db>::new(CASE_SELECT);
    qb.push(org_condition(f)).push_bind(org);
    if let Some(id) = id {
        qb.push(" AND k.id = ").push_bind(id);
    }
    let closed = push_filters(&mut qb, org, f);
    if let Some(after) = &f.after {
        // (closed, due, id) > (after.closed, after.due, after.id): a row
        // value, which both databases read as a range of the index.
        let after_closed = i32::from(after.closed);
        match closed {
            None => {
                qb.push(format!(" AND ({CLOSED}, {DUE}, k.id) > ("));
                qb.push_bind(after_closed).push(", ").push_bind(after.due).push(", ").push_bind(after.id).push(")");
            }
            Some(c) if c == after_closed => {
                qb.push(format!(" AND ({DUE}, k.id) > ("));
                qb.push_bind(after.due).push(", ").push_bind(after.id).push(")");
            }
            // A cursor from an open case when listing closed ones: all of
            // them follow it; from a closed one when listing open: none.
            Some(c) if after_closed < c => {}
            Some(_) => {
                qb.push(" AND 1 = 0");
            }
        }
    }
    // Searching, the matches are sorted (an expression the index does not
    // hold, so that the index is not walked for its order).
    let due = if f.search.is_some() { format!("COALESCE({DUE}, {DUE})") } else { DUE.to_string() };
    match closed {
        None => qb.push(format!(" ORDER BY {CLOSED}, {due}, k.id")),
        Some(_) => qb.push(format!(" ORDER BY {due}, k.id")),
    };
    if f.limit > 0 {
        qb.push(" LIMIT ").push_bind(f.limit);
    }
    let rows: Vec<k::CaseRow> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
    Ok(rows.into_iter().map(k::CaseRow::into_case).collect())
}

/// The cases with these ids (as the queue lists them), by id.
pub(crate) async fn cases_with_ids(c: &mut Conn, org: Id, ids: &[Id]) -> Result<Vec<Case>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(l::LOOKUP_CHUNK) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(CASE_SELECT);
        qb.push(" k.org_id = ").push_bind(org).push(" AND k.id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        list.push_unseparated(") ORDER BY k.id");
        let rows: Vec<k::CaseRow> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
        out.extend(rows.into_iter().map(k::CaseRow::into_case));
    }
    Ok(out)
}

/// The case with its steps, items and history.
pub(crate) async fn full_case(c: &mut Conn, org: Id, id: Id) -> Result<Case> {
    let mut case = s::one(case_rows(c, org, &CaseFilter::default(), Some(id)).await?)?;
    let steps: Vec<k::StepRow> = sqlx::query_as(
        "SELECT step, done_by, done_at, note, proposal, agreed, action, root_cause_id, root_cause_note \
         FROM case_steps WHERE org_id = $1 AND case_id = $2 ORDER BY id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    case.steps = steps.into_iter().filter_map(k::StepRow::into_record).collect();
    let items: Vec<k::ItemRow> = sqlx::query_as(
        // `+org_id`: not an index term, so that SQLite reads the case's
        // items by its key rather than the organization's half a million
        // by the item index.
        "SELECT kind, item_id, at FROM case_items WHERE +org_id = $1 AND case_id = $2 ORDER BY at, item_id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    case.items = items.into_iter().map(Into::into).collect();
    let history: Vec<k::HistoryRow> = sqlx::query_as(
        "SELECT at, actor, action, detail FROM case_history WHERE org_id = $1 AND case_id = $2 ORDER BY id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    case.history = history.into_iter().map(Into::into).collect();
    Ok(case)
}

// ---- Writing helpers -------------------------------------------------

pub(crate) async fn case_history(
    c: &mut Conn,
    org: Id,
    case: Id,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    detail: Option<String>,
) -> Result<()> {
    case_histories(c, org, at, actor, &[(case, action, detail)]).await
}

/// History lines of several cases, one statement per chunk, in order.
pub(crate) async fn case_histories(
    c: &mut Conn,
    org: Id,
    at: DateTime<Utc>,
    actor: &str,
    lines: &[(Id, &str, Option<String>)],
) -> Result<()> {
    for chunk in lines.chunks(l::rows_per_insert(6)) {
        let mut qb =
            sqlx::QueryBuilder::<Db>::new("INSERT INTO case_history (org_id, case_id, at, actor, action, detail) ");
        qb.push_values(chunk, |mut b, (case, action, detail)| {
            b.push_bind(org)
                .push_bind(*case)
                .push_bind(at)
                .push_bind(actor)
                .push_bind(*action)
                .push_bind(detail.clone());
        });
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// Commits a case write and publishes its notice.
pub(crate) async fn finish_case(store: &Backend, mut tx: Tx, org: Id, id: Id) -> Result<Case> {
    let out = full_case(&mut tx, org, id).await?;
    notify_in(&mut tx, org, NoticeKind::Case, &[id]).await?;
    tx.commit().await?;
    notify_after(store, org, NoticeKind::Case, &[id]);
    Ok(out)
}

/// The open case, re-read under the lock; `Conflict` when closed.
pub(crate) async fn open_for_work(c: &mut Conn, org: Id, id: Id) -> Result<Case> {
    let case = full_case(c, org, id).await?;
    if case.status == CaseStatus::Closed {
        return Err(StoreError::conflict("status", "closed", "the case is closed: reopen it first"));
    }
    Ok(case)
}

/// What routing a case reads, once per batch of cases: the routing
/// rules, listening posts, calendar and touchpoint owners, and the segments
/// of the batch's customers (a batch of feedback may open hundreds of
/// cases, and these were read again for each).
pub(crate) struct RoutingSetup {
    rules: Vec<rapport_core::case::routing::RoutingRule>,
    posts: Vec<rapport_core::listening::ListeningPost>,
    calendar: rapport_core::calendar::WorkCalendar,
    owners: HashMap<Id, Id>,
    segments: HashMap<Id, Vec<Id>>,
    default_owner: Option<Id>,
}

impl RoutingSetup {
    pub(crate) async fn load(c: &mut Conn, org: Id, customers: &[Id]) -> Result<RoutingSetup> {
        let owners: Vec<(Id, Option<Id>)> = sqlx::query_as("SELECT id, owner_id FROM touchpoints WHERE org_id = $1")
            .bind(org)
            .fetch_all(&mut *c)
            .await?;
        Ok(RoutingSetup {
            rules: routing_rules(c, org, None).await?,
            posts: listening_posts(c, org, None).await?,
            calendar: load_calendar(c, org).await?,
            owners: owners.into_iter().filter_map(|(t, o)| Some((t, o?))).collect(),
            segments: members_of(c, org, customers).await?,
            default_owner: super::case_queue::default_owner(c, org).await?,
        })
    }

    /// Who routing gives a case, its promise, and which step chose the assignee.
    pub(crate) fn route(
        &self,
        customer: Id,
        touchpoint: Option<Id>,
        channel: Option<&str>,
        opened: DateTime<Utc>,
    ) -> (
        rapport_core::case::routing::Routing,
        rapport_core::case::promise::Promise,
        Option<rapport_core::case::triage::AssignmentReason>,
    ) {
        let post = k::post_for(&self.posts, touchpoint, channel);
        let ctx = CaseContext {
            touchpoint_id: touchpoint,
            segments: self.segments.get(&customer).cloned().unwrap_or_default(),
            channel: channel.map(str::to_lowercase),
            listening_post_id: post.map(|p| p.id),
            touchpoint_owner: touchpoint.and_then(|t| self.owners.get(&t).copied()),
            post_governor: post.and_then(|p| p.governed_by),
            post_response_hours: post.and_then(|p| p.response_hours),
            default_owner: self.default_owner,
        };
        let (routing, reason) = assign(&self.rules, &ctx);
        let p = promise(&self.calendar, opened, &routing);
        (routing, p, reason)
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_case(
    c: &mut Conn,
    org: Id,
    title: &str,
    customer: Id,
    touchpoint: Option<Id>,
    rule: Option<Id>,
    assignee: Option<Id>,
    routing: &rapport_core::case::routing::Routing,
    p: &rapport_core::case::promise::Promise,
    opened: DateTime<Utc>,
    triage: &rapport_core::case::CaseTriage,
) -> Result<Id> {
    let row = sqlx::query(
        "INSERT INTO cases (org_id, title, customer_id, touchpoint_id, rule_id, routing_rule_id, status, \
         assignee_id, opened_at, first_response_due, resolution_due, first_response_hours, resolution_hours, \
         priority, tags, assignment_reason, detractor) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(org)
    .bind(title)
    .bind(customer)
    .bind(touchpoint)
    .bind(rule)
    .bind(routing.rule_id)
    .bind(assignee.or(routing.assignee_id))
    .bind(opened)
    .bind(p.first_response_due)
    .bind(p.resolution_due)
    .bind(routing.first_response_hours)
    .bind(routing.resolution_hours)
    .bind(triage.priority.key())
    .bind(rapport_core::case::triage::tags_text(&triage.tags))
    .bind(triage.assignment_reason.map(|r| r.key()))
    .bind(triage.detractor)
    .fetch_one(&mut *c)
    .await
    .map_err(s::conflict_on("customer", "open_case", ONE_OPEN))?;
    let id = returned_id(row)?;
    super::case_queue::index_case(c, org, id, Some(title), Some(&triage.tags)).await?;
    Ok(id)
}

/// Tells the outside world (webhooks, and e-mail to `to`) about a
/// case, through the outbox, inside the caller's transaction.
pub(crate) async fn case_event(c: &mut Conn, org: Id, event: &str, case: Id, to: &[Id], summary: String) -> Result<()> {
    let row = s::one(case_rows(c, org, &CaseFilter::default(), Some(case)).await?)?;
    let to: Vec<Id> = l::distinct(to.iter().copied());
    // Who is named on an opened or assigned case holds it; on a breach,
    // they are its holder and the escalation's recipients.
    let kind = if event == "case.breached" { Kind::CaseBreached } else { Kind::CaseAssigned };
    let link = format!("/cases/{case}");
    let emails = notify_people(c, org, kind, &to, &row.title, &link, None).await?;
    let payload = k::case_payload(&row, summary, emails);
    enqueue_in(c, org, event, &payload).await?;
    Ok(())
}

/// Links feedback items to cases (an item already linked stays once).
pub(crate) async fn link_items(c: &mut Conn, org: Id, items: &[(Id, &str, Id, DateTime<Utc>)]) -> Result<()> {
    for chunk in items.chunks(l::rows_per_insert(5)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO case_items (org_id, case_id, kind, item_id, at) ");
        qb.push_values(chunk, |mut b, (case, kind, item, at)| {
            b.push_bind(org).push_bind(*case).push_bind(*kind).push_bind(*item).push_bind(*at);
        });
        qb.push(" ON CONFLICT DO NOTHING");
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}
