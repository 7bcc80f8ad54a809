//! Keeping the rollups: segment membership, the score rollups and
//! customers' daily activity, changed inside the writes themselves.
//!
//! Rollups change only by deltas: a write computes what it adds to (or
//! takes from) each row, sums the deltas of the whole batch here in memory,
//! and upserts each touched row once (`ON CONFLICT DO UPDATE SET n = n + ...`)
//! inside the writing transaction, which holds the organization's lock. The
//! segment of a rollup row is the customer's *current* membership: when a
//! customer's attributes or a segment's rule change, the customer's scored
//! responses move from the old segments' rows to the new ones.

use super::behaviour;
use super::counts;
use super::customers::lookup;
use super::histories;
use super::segments::segments;
use super::surveys::surveys;
use super::Conn;
use crate::dialect::Db;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::measure::{score::answer_tallies, Scale, Tally};
use rapport_core::Id;
use rapport_store::measure::RESPONSE_KIND;
use rapport_store::rows as s;
use rapport_store::rows::listening as l;
use rapport_store::rows::measure as m;
use rapport_store::Result;
use serde_json::{Map as JsonMap, Value as JsonValue};
use std::collections::BTreeSet;
use std::collections::HashMap;

/// Upserts the summed deltas into the score rollups.
async fn apply_scores(c: &mut Conn, org: Id, deltas: &m::ScoreDeltas) -> Result<()> {
    let rows: Vec<_> = deltas.0.iter().collect();
    for chunk in rows.chunks(l::rows_per_insert(10)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO score_rollups (org_id, scale, segment_id, day, touchpoint_id, n, total, total_sq, \
             high, low) ",
        );
        qb.push_values(chunk, |mut b, ((scale, segment, day, touchpoint), t)| {
            b.push_bind(org)
                .push_bind(scale.key())
                .push_bind(*segment)
                .push_bind(*day)
                .push_bind(*touchpoint)
                .push_bind(t.n)
                .push_bind(t.sum)
                .push_bind(t.sum_sq)
                .push_bind(t.high)
                .push_bind(t.low);
        });
        qb.push(
            " ON CONFLICT (org_id, scale, segment_id, day, touchpoint_id) DO UPDATE SET \
             n = score_rollups.n + excluded.n, total = score_rollups.total + excluded.total, \
             total_sq = score_rollups.total_sq + excluded.total_sq, \
             high = score_rollups.high + excluded.high, low = score_rollups.low + excluded.low",
        );
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// Upserts the summed deltas into the customers' activity, and what they
/// change into the behaviour rollups; `members` are the customers' segments.
async fn apply_activity(
    c: &mut Conn,
    org: Id,
    deltas: &m::ActivityDeltas,
    members: &HashMap<Id, Vec<Id>>,
) -> Result<()> {
    behaviour::add_activity(c, org, deltas, members).await?;
    let rows: Vec<_> = deltas.0.iter().collect();
    for chunk in rows.chunks(l::rows_per_insert(7)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO activity (org_id, customer_id, day, kind, touchpoint_id, n, amount) ",
        );
        qb.push_values(chunk, |mut b, ((customer, day, kind, touchpoint), (n, amount))| {
            b.push_bind(org)
                .push_bind(*customer)
                .push_bind(*day)
                .push_bind(kind.as_str())
                .push_bind(*touchpoint)
                .push_bind(*n)
                .push_bind(*amount);
        });
        qb.push(
            " ON CONFLICT (customer_id, day, kind, touchpoint_id) DO UPDATE SET \
             n = activity.n + excluded.n, amount = activity.amount + excluded.amount",
        );
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// The questions of each survey, for turning answers into tallies.
pub(crate) async fn survey_questions(
    c: &mut Conn,
    org: Id,
    ids: impl IntoIterator<Item = Id>,
) -> Result<HashMap<Id, Vec<rapport_core::survey::Question>>> {
    let mut out = HashMap::new();
    for id in l::distinct(ids) {
        if let Some(survey) = surveys(c, org, Some(id)).await?.into_iter().next() {
            out.insert(survey.id, survey.questions);
        }
    }
    Ok(out)
}

/// Current segments of these customers.
pub(crate) async fn members_of(c: &mut Conn, org: Id, customers: &[Id]) -> Result<HashMap<Id, Vec<Id>>> {
    let rows: Vec<(Id, Id)> =
        lookup(c, "SELECT customer_id, segment_id FROM segment_members WHERE", org, "customer_id", customers).await?;
    let mut out: HashMap<Id, Vec<Id>> = HashMap::new();
    for (customer, segment) in rows {
        out.entry(customer).or_default().push(segment);
    }
    Ok(out)
}

/// Re-evaluates segment membership of these customers (`None`: all of
/// the organization's), stores what changed and, with `move_scores`,
/// moves the changed customers' scored responses between the
/// segments' rollups (a rebuild recounts them instead).
pub(crate) async fn refresh_members(
    c: &mut Conn,
    org: Id,
    customers: Option<&[Id]>,
    move_scores: bool,
) -> Result<usize> {
    let segs = segments(c, org, None).await?;
    let rows: Vec<(Id, String)> = match customers {
        Some(ids) => lookup(c, "SELECT id, attributes FROM customers WHERE", org, "id", ids).await?,
        None => {
            sqlx::query_as("SELECT id, attributes FROM customers WHERE org_id = $1")
                .bind(org)
                .fetch_all(&mut *c)
                .await?
        }
    };
    let ids: Vec<Id> = rows.iter().map(|r| r.0).collect();
    let before = members_of(c, org, &ids).await?;
    let mut changes = m::MembershipChanges::new();
    for (id, attributes) in &rows {
        let attributes: JsonMap<String, JsonValue> = s::from_json("customer attributes", attributes)?;
        let new: BTreeSet<Id> = segs.iter().filter(|g| g.rule.matches(&attributes)).map(|g| g.id).collect();
        let old: BTreeSet<Id> = before.get(id).map(|v| v.iter().copied().collect()).unwrap_or_default();
        if new != old {
            changes.insert(*id, (old, new));
        }
    }
    if changes.is_empty() {
        return Ok(0);
    }
    let changed: Vec<Id> = l::distinct(changes.keys().copied());
    for chunk in changed.chunks(l::LOOKUP_CHUNK) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("DELETE FROM segment_members WHERE customer_id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        list.push_unseparated(")");
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    let pairs: Vec<(Id, Id)> =
        changes.iter().flat_map(|(cust, (_, new))| new.iter().map(move |g| (*g, *cust))).collect();
    for chunk in pairs.chunks(l::rows_per_insert(3)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO segment_members (org_id, segment_id, customer_id) ");
        qb.push_values(chunk, |mut b, (segment, customer)| {
            b.push_bind(org).push_bind(*segment).push_bind(*customer);
        });
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    let joined = changes.values().flat_map(|(old, new)| new.difference(old).map(|g| (counts::segment_kind(*g), 1)));
    let left = changes.values().flat_map(|(old, new)| old.difference(new).map(|g| (counts::segment_kind(*g), -1)));
    let moved: Vec<(String, i64)> = joined.chain(left).collect();
    counts::add_each(c, org, moved).await?;
    counts::bump_sample_version(c, org).await?;
    if !move_scores {
        return Ok(changes.len());
    }
    behaviour::move_members(c, org, &changes).await?;
    let mut deltas = m::ScoreDeltas::default();
    let scored = scored_responses_of(c, org, &changed).await?;
    for (customer, day, touchpoint, tallies) in &scored {
        let (old, new) = &changes[customer];
        for (segment, sign) in m::membership_moves(old, new) {
            deltas.add(tallies, &[segment], *day, *touchpoint, sign);
        }
    }
    apply_scores(c, org, &deltas).await?;
    Ok(changes.len())
}

/// The scored responses of these customers: (customer, day, touchpoint, tallies).
async fn scored_responses_of(
    c: &mut Conn,
    org: Id,
    customers: &[Id],
) -> Result<Vec<(Id, NaiveDate, Id, Vec<(Scale, Tally)>)>> {
    let rows: Vec<(Id, Id, DateTime<Utc>, Id, String)> = lookup(
        c,
        "SELECT customer_id, touchpoint_id, at, survey_id, answers FROM responses \
         WHERE survey_id IS NOT NULL AND",
        org,
        "customer_id",
        customers,
    )
    .await?;
    let questions = survey_questions(c, org, rows.iter().map(|r| r.3)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (customer, touchpoint, at, survey, answers) in rows {
        let answers: JsonMap<String, JsonValue> = s::from_json("response answers", &answers)?;
        let asked = questions.get(&survey).map_or(&[][..], |q| &q[..]);
        out.push((customer, at.date_naive(), touchpoint, answer_tallies(asked, &answers)));
    }
    Ok(out)
}

/// A stored response as the rollups count it: (customer, touchpoint, at,
/// survey, answers).
pub(crate) type TalliedResponse<'a> = (Option<Id>, Id, DateTime<Utc>, Option<Id>, &'a JsonMap<String, JsonValue>);

/// A stored event as the activity counts it: (customer, at, kind,
/// touchpoint, amount).
pub(crate) type TalliedEvent<'a> = (Option<Id>, DateTime<Utc>, &'a str, Option<Id>, Option<f64>);

/// Adds the rollup and activity deltas of stored responses.
pub(crate) async fn tally_responses(c: &mut Conn, org: Id, rows: &[TalliedResponse<'_>]) -> Result<()> {
    let customers: Vec<Id> = l::distinct(rows.iter().filter_map(|r| r.0));
    let members = members_of(c, org, &customers).await?;
    let questions = survey_questions(c, org, rows.iter().filter_map(|r| r.3)).await?;
    let mut scores = m::ScoreDeltas::default();
    let mut activity = m::ActivityDeltas::default();
    let items = super::items::deltas(&questions, rows.iter().map(|r| (r.3, r.2, r.4)));
    for (customer, touchpoint, at, survey, answers) in rows {
        let day = at.date_naive();
        if let Some(asked) = survey.and_then(|id| questions.get(&id)) {
            let segments = m::rollup_segments(customer.and_then(|id| members.get(&id)));
            scores.add(&answer_tallies(asked, answers), &segments, day, *touchpoint, 1);
        }
        if let Some(customer) = customer {
            activity.add(*customer, day, RESPONSE_KIND, Some(*touchpoint), 0.0);
        }
    }
    apply_scores(c, org, &scores).await?;
    super::items::apply(c, org, &items).await?;
    apply_activity(c, org, &activity, &members).await
}

/// Adds the activity deltas of stored events, and their hours to the
/// staffing rollup (`event_hours`).
pub(crate) async fn tally_events(c: &mut Conn, org: Id, rows: &[TalliedEvent<'_>]) -> Result<()> {
    let mut activity = m::ActivityDeltas::default();
    for (customer, at, kind, touchpoint, amount) in rows {
        if let Some(customer) = customer {
            activity.add(*customer, at.date_naive(), kind, *touchpoint, amount.unwrap_or(0.0));
        }
    }
    let customers: Vec<Id> = l::distinct(rows.iter().filter_map(|r| r.0));
    let members = members_of(c, org, &customers).await?;
    apply_activity(c, org, &activity, &members).await?;
    super::staffing::add_event_hours(c, org, rows.iter().map(|r| (r.3, r.1))).await
}

/// Takes an (erased) customer's scored responses out of every
/// segment's rollups and ends their memberships and activity.
pub(crate) async fn leave_segments(c: &mut Conn, org: Id, customer: Id) -> Result<()> {
    let segments: BTreeSet<Id> =
        members_of(c, org, &[customer]).await?.remove(&customer).unwrap_or_default().into_iter().collect();
    let mut deltas = m::ScoreDeltas::default();
    for (_, day, touchpoint, tallies) in scored_responses_of(c, org, &[customer]).await? {
        for (segment, sign) in m::membership_moves(&segments, &BTreeSet::new()) {
            deltas.add(&tallies, &[segment], day, touchpoint, sign);
        }
    }
    apply_scores(c, org, &deltas).await?;
    behaviour::remove_customer(c, org, customer).await?;
    histories::delete(c, org, customer).await?;
    let left: Vec<(String, i64)> = segments.iter().map(|g| (counts::segment_kind(*g), -1)).collect();
    counts::add_each(c, org, left).await?;
    for sql in [
        "DELETE FROM segment_members WHERE org_id = $1 AND customer_id = $2",
        "DELETE FROM activity WHERE org_id = $1 AND customer_id = $2",
    ] {
        sqlx::query(sql).bind(org).bind(customer).execute(&mut *c).await?;
    }
    Ok(())
}
