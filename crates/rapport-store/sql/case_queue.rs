//! The case queue (D2, migration 0027): search and tag indexes, triage
//! (priority and tags), bulk changes, the default queue owner, handovers
//! and the closed-loop read.
//!
//! Search: each case's title words (`rapport_core::customer_search::terms`,
//! the customer search's own splitting) are kept in `case_terms`, written
//! when the case opens; a query word is a prefix range of that key, or of
//! `customer_terms` (the customer's external id, name and e-mail), so a
//! search reads the matching words' rows (at most [`MAX_MATCHES`] cases and
//! as many customers), never every case, and sorts them. Tags are kept
//! twice: on the row for reading, in `case_tags` for the filter.

use super::accounts::write_audit;
use super::case_flow::{case_event, case_histories, finish_case, open_for_work, push_filters};
use super::{check, notify_after, notify_in, write, Conn, ACTIVE_PERSON};
use crate::dialect::{Backend, Db, RESPONSE_MINUTES};
use chrono::{DateTime, Utc};
use rapport_core::case::closed_loop::{CaseTally, ClosedLoopCounts, ResponseTime};
use rapport_core::case::history as h;
use rapport_core::case::triage::{tags_of, tags_text, AssignmentReason, MAX_TAGS};
use rapport_core::case::Case;
use rapport_core::customer_search::{prefix_end, terms, words};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::cases::{CaseBulkChange, CaseFilter, CaseTriageChange};
use rapport_store::listening::NoticeKind;
use rapport_store::rows as s;
use rapport_store::rows::listening as l;
use rapport_store::{Audit, Result};

/// A search reads at most this many matching cases, and customers, per
/// query: the bound of its cost, whatever the number of cases.
pub const MAX_MATCHES: i64 = 5_000;

/// The most cases one bulk change names.
pub const MAX_BULK: usize = 500;

/// `AND` the case's title, or its customer, matches every word of `query`
/// by prefix. The longest word is looked up by its range; the others are
/// checked among the case's (or customer's) own few words.
pub(crate) fn push_search(qb: &mut sqlx::QueryBuilder<'_, Db>, org: Id, query: &str) {
    let mut words = words(query);
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let Some((first, rest)) = words.split_first() else {
        qb.push(" AND 1 = 0");
        return;
    };
    for (table, key, outer) in [("case_terms", "case_id", "k.id"), ("customer_terms", "customer_id", "k.customer_id")] {
        qb.push(if table == "case_terms" { " AND (" } else { " OR " });
        qb.push(format!("{outer} IN (SELECT t.{key} FROM {table} t WHERE t.org_id = ")).push_bind(org);
        push_range(qb, "t", first);
        for word in rest {
            qb.push(format!(" AND EXISTS (SELECT 1 FROM {table} u WHERE u.{key} = t.{key}"));
            push_range(qb, "u", word);
            qb.push(")");
        }
        qb.push(format!(" LIMIT {MAX_MATCHES})"));
    }
    qb.push(")");
}

fn push_range(qb: &mut sqlx::QueryBuilder<'_, Db>, alias: &str, word: &str) {
    qb.push(format!(" AND {alias}.term >= ")).push_bind(word.to_string());
    if let Some(end) = prefix_end(word) {
        qb.push(format!(" AND {alias}.term < ")).push_bind(end);
    }
}

/// Writes a case's title words (when given) and its tags (when given).
pub(crate) async fn index_case(
    c: &mut Conn,
    org: Id,
    case: Id,
    title: Option<&str>,
    tags: Option<&[String]>,
) -> Result<()> {
    if let Some(title) = title {
        sqlx::query("DELETE FROM case_terms WHERE case_id = $1").bind(case).execute(&mut *c).await?;
        let words: Vec<(String, Id)> = terms(title, None, None).into_iter().map(|w| (w, case)).collect();
        add_terms(c, org, &words).await?;
    }
    if let Some(tags) = tags {
        sqlx::query("DELETE FROM case_tags WHERE case_id = $1").bind(case).execute(&mut *c).await?;
        let rows: Vec<(Id, &str)> = tags.iter().map(|t| (case, t.as_str())).collect();
        add_tags(c, org, &rows).await?;
        sqlx::query("UPDATE cases SET tags = $3 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(case)
            .bind(tags_text(tags))
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Adds search terms `(term, case)`, one statement per chunk.
pub(crate) async fn add_terms(c: &mut Conn, org: Id, words: &[(String, Id)]) -> Result<()> {
    for chunk in words.chunks(l::rows_per_insert(3)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO case_terms (org_id, term, case_id) ");
        qb.push_values(chunk, |mut b, (w, id)| {
            b.push_bind(org).push_bind(w.as_str()).push_bind(*id);
        });
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// Adds tags `(case, tag)`, one statement per chunk.
pub(crate) async fn add_tags(c: &mut Conn, org: Id, tags: &[(Id, &str)]) -> Result<()> {
    for chunk in tags.chunks(l::rows_per_insert(3)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO case_tags (org_id, case_id, tag) ");
        qb.push_values(chunk, |mut b, (id, tag)| {
            b.push_bind(org).push_bind(*id).push_bind(*tag);
        });
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// The default queue owner, while they are an active person.
pub(crate) async fn default_owner(c: &mut Conn, org: Id) -> Result<Option<Id>> {
    Ok(sqlx::query_scalar(
        "SELECT q.default_owner_id FROM case_queue_settings q JOIN people p ON p.id = q.default_owner_id \
         WHERE q.org_id = $1 AND p.left_on IS NULL",
    )
    .bind(org)
    .fetch_optional(&mut *c)
    .await?
    .flatten())
}

pub(crate) async fn set_default_owner(
    store: &Backend,
    org: Id,
    person: Option<Id>,
    audit: &Audit<'_>,
) -> Result<Option<Id>> {
    let mut tx = write(store, org).await?;
    if let Some(p) = person {
        let mut e = FieldErrors::new();
        check(&mut tx, &mut e, ACTIVE_PERSON, org, p, "person_id".into()).await?;
        s::invalid_if_any(e)?;
    }
    sqlx::query(
        "INSERT INTO case_queue_settings (org_id, default_owner_id) VALUES ($1, $2) \
         ON CONFLICT (org_id) DO UPDATE SET default_owner_id = excluded.default_owner_id",
    )
    .bind(org)
    .bind(person)
    .execute(&mut *tx)
    .await?;
    write_audit(&mut tx, org, audit, None).await?;
    let out = default_owner(&mut tx, org).await?;
    tx.commit().await?;
    Ok(out)
}

/// Moves `from`'s open cases to `to` inside a handover's transaction, with
/// a history line naming both on each; the cases moved (published inside
/// the transaction; the caller publishes again after commit).
pub(crate) async fn hand_over_cases(
    c: &mut Conn,
    org: Id,
    from: Id,
    to: Id,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Id>> {
    let ids: Vec<Id> = sqlx::query_scalar(
        "SELECT id FROM cases WHERE org_id = $1 AND assignee_id = $2 AND status = 'open' ORDER BY id",
    )
    .bind(org)
    .bind(from)
    .fetch_all(&mut *c)
    .await?;
    sqlx::query(
        "UPDATE cases SET assignee_id = $3, assignment_reason = $4 \
         WHERE org_id = $1 AND assignee_id = $2 AND status = 'open'",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .bind(AssignmentReason::Handover.key())
    .execute(&mut *c)
    .await?;
    let lines: Vec<(Id, &str, Option<String>)> =
        ids.iter().map(|id| (*id, "handover", Some(h::handover_detail(from, to)))).collect();
    case_histories(c, org, now, actor, &lines).await?;
    notify_in(c, org, NoticeKind::Case, &ids).await?;
    Ok(ids)
}

pub(crate) async fn set_triage(
    store: &Backend,
    org: Id,
    id: Id,
    change: &CaseTriageChange,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Case> {
    let mut tx = write(store, org).await?;
    let case = open_for_work(&mut tx, org, id).await?;
    let mut lines: Vec<(Id, &str, Option<String>)> = Vec::new();
    if let Some(p) = change.priority.filter(|p| *p != case.triage.priority) {
        sqlx::query("UPDATE cases SET priority = $3 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(p.key())
            .execute(&mut *tx)
            .await?;
        lines.push((id, "priority", Some(p.key().to_string())));
    }
    if let Some(tags) = change.tags.as_ref().filter(|t| **t != case.triage.tags) {
        index_case(&mut tx, org, id, None, Some(tags)).await?;
        lines.push((id, "tagged", Some(tags_text(tags))));
    }
    case_histories(&mut tx, org, now, actor, &lines).await?;
    finish_case(store, tx, org, id).await
}

pub(crate) async fn bulk_update(
    store: &Backend,
    org: Id,
    ids: &[Id],
    change: &CaseBulkChange,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Id>> {
    let ids = l::distinct(ids.iter().copied());
    let mut e = FieldErrors::new();
    if ids.is_empty() {
        e.add("ids", "required", "name at least one case");
    } else if ids.len() > MAX_BULK {
        e.add("ids", "too_many", format!("at most {MAX_BULK} cases at once"));
    }
    s::invalid_if_any(e)?;
    let mut tx = write(store, org).await?;
    let mut qb =
        sqlx::QueryBuilder::<Db>::new("SELECT id, status, assignee_id, priority, tags FROM cases WHERE org_id = ");
    qb.push_bind(org).push(" AND id IN (");
    let mut sep = qb.separated(", ");
    for id in &ids {
        sep.push_bind(*id);
    }
    qb.push(")");
    let rows: Vec<(Id, String, Option<Id>, String, String)> =
        qb.build_query_as().persistent(false).fetch_all(&mut *tx).await?;
    let mut e = FieldErrors::new();
    let unknown: Vec<String> =
        ids.iter().filter(|id| !rows.iter().any(|r| r.0 == **id)).map(|id| id.to_string()).collect();
    let closed: Vec<String> = rows.iter().filter(|r| r.1 != "open").map(|r| r.0.to_string()).collect();
    if !unknown.is_empty() {
        e.add("ids", "unknown_id", format!("no such case: {}", unknown.join(", ")));
    } else if !closed.is_empty() {
        e.add("ids", "closed", format!("closed cases cannot change: {}", closed.join(", ")));
    }
    if let Some(a) = change.assignee {
        check(&mut tx, &mut e, ACTIVE_PERSON, org, a, "assignee_id".into()).await?;
    }
    let merged: Vec<(Id, Vec<String>)> = rows
        .iter()
        .map(|r| {
            let mut tags = tags_of(&r.4);
            for t in &change.add_tags {
                if !tags.contains(t) {
                    tags.push(t.clone());
                }
            }
            (r.0, tags)
        })
        .collect();
    if merged.iter().any(|(_, t)| t.len() > MAX_TAGS) {
        e.add("tags", "too_many", format!("a case would have more than {MAX_TAGS} tags"));
    }
    s::invalid_if_any(e)?;
    let mut lines: Vec<(Id, &str, Option<String>)> = Vec::new();
    for ((id, _, assignee, priority, tags), (_, new_tags)) in rows.iter().zip(&merged) {
        if let Some(a) = change.assignee.filter(|a| Some(*a) != *assignee) {
            sqlx::query("UPDATE cases SET assignee_id = $3, assignment_reason = $4 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(*id)
                .bind(a)
                .bind(AssignmentReason::Manual.key())
                .execute(&mut *tx)
                .await?;
            lines.push((*id, "assigned", Some(h::assigned_detail(*assignee, a, Some(AssignmentReason::Manual)))));
            case_event(&mut tx, org, "case.assigned", *id, &[a], "The case was assigned to you.".into()).await?;
        }
        if let Some(p) = change.priority.filter(|p| p.key() != priority) {
            sqlx::query("UPDATE cases SET priority = $3 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(*id)
                .bind(p.key())
                .execute(&mut *tx)
                .await?;
            lines.push((*id, "priority", Some(p.key().to_string())));
        }
        if tags_text(new_tags) != *tags {
            index_case(&mut tx, org, *id, None, Some(new_tags)).await?;
            lines.push((*id, "tagged", Some(tags_text(new_tags))));
        }
    }
    case_histories(&mut tx, org, now, actor, &lines).await?;
    let changed: Vec<Id> = ids.iter().copied().filter(|id| lines.iter().any(|l| l.0 == *id)).collect();
    notify_in(&mut tx, org, NoticeKind::Case, &changed).await?;
    tx.commit().await?;
    notify_after(store, org, NoticeKind::Case, &changed);
    Ok(changed)
}

/// How many cases the filter selects, counting no further than `cap`.
pub(crate) async fn count(c: &mut Conn, org: Id, f: &CaseFilter, cap: i64) -> Result<i64> {
    let mut qb = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM (SELECT k.id FROM cases k WHERE");
    qb.push(super::case_flow::org_condition(f)).push_bind(org);
    push_filters(&mut qb, org, f);
    qb.push(" LIMIT ").push_bind(cap.max(0)).push(") x");
    Ok(qb.build_query_scalar::<i64>().persistent(false).fetch_one(&mut *c).await?)
}

/// The closed-loop counts of the cases opened in `from..to` (see
/// `Cases::closed_loop_counts`): two grouped reads of the covering index
/// `cases_opened`: the scan is linear in the period's cases (about 1.4 µs
/// each on SQLite), the answer a few hundred rows whatever their number.
pub(crate) async fn closed_loop(
    c: &mut Conn,
    org: Id,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<ClosedLoopCounts> {
    type TallyRow = (Option<Id>, Option<Id>, bool, i32, i32, i64);
    let tallies: Vec<TallyRow> = sqlx::query_as(
        "SELECT touchpoint_id, assignee_id, detractor, \
         CASE WHEN first_responded_at IS NOT NULL OR first_response_due < $4 THEN 1 ELSE 0 END, \
         CASE WHEN first_responded_at <= first_response_due THEN 1 ELSE 0 END, COUNT(*) \
         FROM cases WHERE org_id = $1 AND opened_at >= $2 AND opened_at < $3 GROUP BY 1, 2, 3, 4, 5",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .bind(now)
    .fetch_all(&mut *c)
    .await?;
    let times: Vec<(Option<Id>, Option<Id>, i64, i64)> = sqlx::query_as(&format!(
        "SELECT touchpoint_id, assignee_id, {RESPONSE_MINUTES}, COUNT(*) FROM cases \
         WHERE org_id = $1 AND opened_at >= $2 AND opened_at < $3 AND first_responded_at IS NOT NULL \
         GROUP BY 1, 2, 3"
    ))
    .bind(org)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *c)
    .await?;
    Ok(ClosedLoopCounts {
        tallies: tallies
            .into_iter()
            .map(|(touchpoint_id, assignee_id, detractor, decided, kept, cases)| CaseTally {
                touchpoint_id,
                assignee_id,
                detractor,
                decided: decided != 0,
                kept: kept != 0,
                cases,
            })
            .collect(),
        times: times
            .into_iter()
            .map(|(touchpoint_id, assignee_id, minutes, cases)| ResponseTime {
                touchpoint_id,
                assignee_id,
                minutes,
                cases,
            })
            .collect(),
    })
}
