//! Measurement's share of the SQL: segment membership, the score rollups,
//! customers' daily activity, their reads, the rebuild, intent status.
//!
//! [`__sql_measure!`](crate::__sql_measure) is expanded by
//! [`impl_sql_store!`](crate::impl_sql_store) next to the listening part and
//! uses its helpers (`lookup`, `segments`, `surveys`, ...).
//!
//! Rollups change only by deltas: a write computes what it adds to (or
//! takes from) each row, sums the deltas of the whole batch here in memory,
//! and upserts each touched row once (`ON CONFLICT DO UPDATE SET n = n + ...`)
//! inside the writing transaction, which holds the organization's lock. The
//! segment of a rollup row is the customer's *current* membership: when a
//! customer's attributes or a segment's rule change, the customer's scored
//! responses move from the old segments' rows to the new ones.

use chrono::NaiveDate;
use rapport_core::measure::{Scale, Tally};
use rapport_core::Id;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The segment id of rollup rows that count every customer.
pub const EVERYONE: Id = 0;

/// Rows per page when the rebuild walks the raw rows.
pub const REBUILD_PAGE: i64 = 10_000;

/// Summed deltas of score rollup rows, by (scale, segment, day, touchpoint).
#[derive(Debug, Default)]
pub struct ScoreDeltas(pub BTreeMap<(Scale, Id, NaiveDate, Id), Tally>);

impl ScoreDeltas {
    /// Adds (`sign` 1) or removes (−1) one response's tallies for each of
    /// `segments` (which should include [`EVERYONE`] when it counts there).
    pub fn add(&mut self, tallies: &[(Scale, Tally)], segments: &[Id], day: NaiveDate, touchpoint: Id, sign: i64) {
        for (scale, t) in tallies {
            let t = signed(t, sign);
            for segment in segments {
                self.0.entry((*scale, *segment, day, touchpoint)).or_default().add(&t);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn signed(t: &Tally, sign: i64) -> Tally {
    Tally { n: t.n * sign, sum: t.sum * sign, sum_sq: t.sum_sq * sign, high: t.high * sign, low: t.low * sign }
}

/// Summed activity deltas by (customer, day, kind, touchpoint or 0): (n, amount).
#[derive(Debug, Default)]
pub struct ActivityDeltas(pub BTreeMap<(Id, NaiveDate, String, Id), (i64, f64)>);

impl ActivityDeltas {
    pub fn add(&mut self, customer: Id, day: NaiveDate, kind: &str, touchpoint: Option<Id>, amount: f64) {
        let e = self.0.entry((customer, day, kind.to_string(), touchpoint.unwrap_or(0))).or_insert((0, 0.0));
        e.0 += 1;
        e.1 += amount;
    }
}

/// Whose membership changed: customer → (old segments, new segments).
pub type MembershipChanges = HashMap<Id, (BTreeSet<Id>, BTreeSet<Id>)>;

/// Segments to add a customer's responses to (`sign` 1) and to take them
/// from (−1) when their membership changes.
pub fn membership_moves(old: &BTreeSet<Id>, new: &BTreeSet<Id>) -> Vec<(Id, i64)> {
    let gone = old.difference(new).map(|s| (*s, -1));
    let came = new.difference(old).map(|s| (*s, 1));
    gone.chain(came).collect()
}

/// The segments a rollup of this customer's response counts in.
pub fn rollup_segments(customer_segments: Option<&Vec<Id>>) -> Vec<Id> {
    let mut out = vec![EVERYONE];
    if let Some(s) = customer_segments {
        out.extend(s.iter().copied());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_of_a_batch_sum_per_row() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let t = Tally::of(Scale::Nps, 9, 10);
        let mut d = ScoreDeltas::default();
        d.add(&[(Scale::Nps, t)], &[EVERYONE, 4], day, 7, 1);
        d.add(&[(Scale::Nps, t)], &[EVERYONE], day, 7, 1);
        d.add(&[(Scale::Nps, t)], &[4], day, 7, -1);
        assert_eq!(d.0[&(Scale::Nps, EVERYONE, day, 7)].n, 2);
        assert_eq!(d.0[&(Scale::Nps, 4, day, 7)], Tally::default());
    }

    #[test]
    fn moves_take_from_left_segments_and_add_to_joined_ones() {
        let old: BTreeSet<Id> = [1, 2].into();
        let new: BTreeSet<Id> = [2, 3].into();
        assert_eq!(membership_moves(&old, &new), vec![(1, -1), (3, 1)]);
        assert!(membership_moves(&new, &new).is_empty());
        assert_eq!(rollup_segments(Some(&vec![5])), vec![EVERYONE, 5]);
        assert_eq!(rollup_segments(None), vec![EVERYONE]);
    }
}

/// The measurement methods' bodies; see the module documentation.
#[doc(hidden)]
#[macro_export]
macro_rules! __sql_measure {
    (store: $store:ty, database: $db:ty $(,)?) => {
        use $crate::measure::{
            ActivityRow, BehaviourCounts, CustomerFilter, IntentStatus, Rebuilt, ScoreFilter, ScoreRow,
            RESPONSE_KIND,
        };
        use $crate::sql::measure as m;
        use $crate::sql::__private::rapport_core::measure::{score::answer_tallies, Scale, Tally};
        use std::collections::BTreeSet;

        /// Upserts the summed deltas into the score rollups.
        async fn apply_scores(c: &mut Conn, org: Id, deltas: &m::ScoreDeltas) -> Result<()> {
            let rows: Vec<(&(Scale, Id, NaiveDate, Id), &Tally)> = deltas.0.iter().collect();
            for chunk in rows.chunks(l::rows_per_insert(10)) {
                let mut qb = sqlx::QueryBuilder::<$db>::new(
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

        /// Upserts the summed deltas into the customers' activity.
        async fn apply_activity(c: &mut Conn, org: Id, deltas: &m::ActivityDeltas) -> Result<()> {
            let rows: Vec<(&(Id, NaiveDate, String, Id), &(i64, f64))> = deltas.0.iter().collect();
            for chunk in rows.chunks(l::rows_per_insert(7)) {
                let mut qb = sqlx::QueryBuilder::<$db>::new(
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
        async fn survey_questions(
            c: &mut Conn,
            org: Id,
            ids: impl IntoIterator<Item = Id>,
        ) -> Result<HashMap<Id, Vec<$crate::sql::__private::rapport_core::survey::Question>>> {
            let mut out = HashMap::new();
            for id in l::distinct(ids) {
                if let Some(survey) = surveys(c, org, Some(id)).await?.into_iter().next() {
                    out.insert(survey.id, survey.questions);
                }
            }
            Ok(out)
        }

        /// Current segments of these customers.
        async fn members_of(c: &mut Conn, org: Id, customers: &[Id]) -> Result<HashMap<Id, Vec<Id>>> {
            let rows: Vec<(Id, Id)> =
                lookup(c, "SELECT customer_id, segment_id FROM segment_members WHERE", org, "customer_id", customers)
                    .await?;
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
        async fn refresh_members(c: &mut Conn, org: Id, customers: Option<&[Id]>, move_scores: bool) -> Result<usize> {
            let segs = segments(c, org, None).await?;
            let rows: Vec<(Id, String)> = match customers {
                Some(ids) => lookup(c, "SELECT id, attributes FROM customers WHERE", org, "id", ids).await?,
                None => sqlx::query_as("SELECT id, attributes FROM customers WHERE org_id = $1")
                    .bind(org)
                    .fetch_all(&mut *c)
                    .await?,
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
                let mut qb = sqlx::QueryBuilder::<$db>::new("DELETE FROM segment_members WHERE customer_id IN (");
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
                let mut qb = sqlx::QueryBuilder::<$db>::new("INSERT INTO segment_members (org_id, segment_id, customer_id) ");
                qb.push_values(chunk, |mut b, (segment, customer)| {
                    b.push_bind(org).push_bind(*segment).push_bind(*customer);
                });
                qb.build().persistent(false).execute(&mut *c).await?;
            }
            if !move_scores {
                return Ok(changes.len());
            }
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

        /// Rollup and activity deltas of freshly stored responses:
        /// (customer, touchpoint, at, survey, answers) per row.
        async fn tally_responses(
            c: &mut Conn,
            org: Id,
            rows: &[(Option<Id>, Id, DateTime<Utc>, Option<Id>, &JsonMap<String, JsonValue>)],
        ) -> Result<()> {
            let customers: Vec<Id> = l::distinct(rows.iter().filter_map(|r| r.0));
            let members = members_of(c, org, &customers).await?;
            let questions = survey_questions(c, org, rows.iter().filter_map(|r| r.3)).await?;
            let mut scores = m::ScoreDeltas::default();
            let mut activity = m::ActivityDeltas::default();
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
            apply_activity(c, org, &activity).await
        }

        /// Activity deltas of freshly stored events: (customer, at, kind, touchpoint, amount).
        async fn tally_events(
            c: &mut Conn,
            org: Id,
            rows: &[(Option<Id>, DateTime<Utc>, &str, Option<Id>, Option<f64>)],
        ) -> Result<()> {
            let mut activity = m::ActivityDeltas::default();
            for (customer, at, kind, touchpoint, amount) in rows {
                if let Some(customer) = customer {
                    activity.add(*customer, at.date_naive(), kind, *touchpoint, amount.unwrap_or(0.0));
                }
            }
            apply_activity(c, org, &activity).await
        }

        /// `SELECT columns FROM score_rollups WHERE` the filter holds; `None`
        /// when the filter names an empty set of touchpoints.
        fn score_query<'a>(columns: &str, org: Id, f: &'a ScoreFilter) -> Option<sqlx::QueryBuilder<'a, $db>> {
            let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {columns} FROM score_rollups WHERE org_id = "));
            qb.push_bind(org)
                .push(" AND scale = ")
                .push_bind(f.scale.key())
                .push(" AND segment_id = ")
                .push_bind(f.segment.unwrap_or(m::EVERYONE))
                .push(" AND day >= ")
                .push_bind(f.from)
                .push(" AND day <= ")
                .push_bind(f.to);
            if let Some(tps) = &f.touchpoints {
                if tps.is_empty() {
                    return None;
                }
                qb.push(" AND touchpoint_id IN (");
                let mut list = qb.separated(", ");
                for t in tps {
                    list.push_bind(*t);
                }
                list.push_unseparated(")");
            }
            Some(qb)
        }

        async fn score_rows(store: &$store, org: Id, f: &ScoreFilter) -> Result<Vec<ScoreRow>> {
            let Some(mut qb) = score_query("day, touchpoint_id, n, total, total_sq, high, low", org, f) else {
                return Ok(Vec::new());
            };
            qb.push(" ORDER BY day, touchpoint_id");
            let rows: Vec<(NaiveDate, Id, i64, i64, i64, i64, i64)> =
                qb.build_query_as().persistent(false).fetch_all(&store.pool).await?;
            Ok(rows
                .into_iter()
                .map(|(day, touchpoint_id, n, sum, sum_sq, high, low)| ScoreRow {
                    day,
                    touchpoint_id,
                    tally: Tally { n, sum, sum_sq, high, low },
                })
                .collect())
        }

        /// The summed tally columns (SUM of a PostgreSQL BIGINT is NUMERIC:
        /// cast back).
        const SUMMED: &str = "CAST(SUM(n) AS BIGINT), CAST(SUM(total) AS BIGINT), CAST(SUM(total_sq) AS BIGINT), \
                              CAST(SUM(high) AS BIGINT), CAST(SUM(low) AS BIGINT)";

        /// The filter's rollups summed by `key` (a column decoded as `K`),
        /// ordered by it: the database adds up, and returns a row per key.
        async fn score_sums<K>(store: &$store, org: Id, f: &ScoreFilter, key: &str) -> Result<Vec<(K, Tally)>>
        where
            K: for<'r> sqlx::Decode<'r, $db> + sqlx::Type<$db> + Send + Unpin,
        {
            let Some(mut qb) = score_query(&format!("{key}, {SUMMED}"), org, f) else {
                return Ok(Vec::new());
            };
            qb.push(format!(" GROUP BY {key} ORDER BY {key}"));
            let rows: Vec<(K, i64, i64, i64, i64, i64)> =
                qb.build_query_as().persistent(false).fetch_all(&store.pool).await?;
            Ok(rows.into_iter().map(|(k, n, sum, sum_sq, high, low)| (k, Tally { n, sum, sum_sq, high, low })).collect())
        }

        async fn score_days(store: &$store, org: Id, f: &ScoreFilter) -> Result<Vec<(NaiveDate, Tally)>> {
            score_sums(store, org, f, "day").await
        }

        async fn score_touchpoints(store: &$store, org: Id, f: &ScoreFilter) -> Result<Vec<(Id, Tally)>> {
            score_sums(store, org, f, "touchpoint_id").await
        }

        /// Appends the customer filter on `a.customer_id` ($1 org, $2 from, $3 to bound already).
        fn push_customer_filter(qb: &mut sqlx::QueryBuilder<'_, $db>, f: &CustomerFilter) {
            if let Some(segment) = f.segment {
                qb.push(" AND a.customer_id IN (SELECT customer_id FROM segment_members WHERE segment_id = ")
                    .push_bind(segment)
                    .push(")");
            }
            if let Some(tps) = &f.touchpoints {
                qb.push(
                    " AND a.customer_id IN (SELECT t.customer_id FROM activity t WHERE t.org_id = $1 \
                     AND t.day >= $2 AND t.day <= $3 AND t.touchpoint_id IN (",
                );
                let mut list = qb.separated(", ");
                for t in tps.iter().chain(std::iter::once(&-1)) {
                    list.push_bind(*t);
                }
                list.push_unseparated("))");
            }
        }

        async fn behaviour_counts(
            store: &$store,
            org: Id,
            from: NaiveDate,
            to: NaiveDate,
            f: &CustomerFilter,
        ) -> Result<BehaviourCounts> {
            let mut c = store.pool.acquire().await?;
            let start = |sql: &str| {
                let mut qb = sqlx::QueryBuilder::<$db>::new(sql);
                qb.push_bind(org).push(" AND a.day >= ").push_bind(from).push(" AND a.day <= ").push_bind(to);
                qb
            };
            let mut qb = start(
                "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN x.k >= 2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
                 FROM (SELECT a.customer_id, SUM(a.n) AS k FROM activity a WHERE a.kind = 'purchase' AND a.org_id = ",
            );
            push_customer_filter(&mut qb, f);
            qb.push(" GROUP BY a.customer_id) x");
            let (purchasers, repeat_purchasers): (i64, i64) =
                qb.build_query_as().persistent(false).fetch_one(&mut *c).await?;
            let mut qb = start(
                "SELECT CAST(COUNT(DISTINCT a.customer_id) AS BIGINT), \
                 CAST(COUNT(DISTINCT CASE WHEN a.kind = 'referral' THEN a.customer_id END) AS BIGINT) \
                 FROM activity a WHERE a.org_id = ",
            );
            push_customer_filter(&mut qb, f);
            let (active, referrers): (i64, i64) = qb.build_query_as().persistent(false).fetch_one(&mut *c).await?;
            // Churn looks before the window too: who was a customer at its start.
            let mut qb = sqlx::QueryBuilder::<$db>::new(
                "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(x.churned), 0) AS BIGINT) FROM (\
                 SELECT a.customer_id, MAX(CASE WHEN a.day >= $2 AND a.kind IN ('cancellation', 'non_renewal') \
                 THEN 1 ELSE 0 END) AS churned FROM activity a WHERE a.org_id = ",
            );
            // $2 (the window's start) is bound but, here, only read by the
            // CASE above and the HAVING below: every earlier day counts.
            qb.push_bind(org).push(" AND ").push_bind(from).push(" IS NOT NULL AND a.day <= ").push_bind(to);
            push_customer_filter(&mut qb, f);
            qb.push(
                " GROUP BY a.customer_id HAVING MIN(a.day) < $2 AND MAX(CASE WHEN a.day < $2 AND a.kind IN \
                 ('cancellation', 'non_renewal') THEN 1 ELSE 0 END) = 0) x",
            );
            let (active_at_start, churned): (i64, i64) =
                qb.build_query_as().persistent(false).fetch_one(&mut *c).await?;
            Ok(BehaviourCounts { purchasers, repeat_purchasers, active, referrers, active_at_start, churned })
        }

        async fn activity(
            store: &$store,
            org: Id,
            from: NaiveDate,
            to: NaiveDate,
            segment: Option<Id>,
        ) -> Result<Vec<ActivityRow>> {
            let mut qb = sqlx::QueryBuilder::<$db>::new(
                "SELECT a.customer_id, a.day, a.kind, a.touchpoint_id, a.n FROM activity a WHERE a.org_id = ",
            );
            qb.push_bind(org).push(" AND a.day >= ").push_bind(from).push(" AND a.day <= ").push_bind(to);
            push_customer_filter(&mut qb, &CustomerFilter { segment, touchpoints: None });
            qb.push(" ORDER BY a.customer_id, a.day, a.kind, a.touchpoint_id");
            let rows: Vec<(Id, NaiveDate, String, Id, i64)> =
                qb.build_query_as().persistent(false).fetch_all(&store.pool).await?;
            Ok(rows
                .into_iter()
                .map(|(customer_id, day, kind, t, n)| ActivityRow {
                    customer_id,
                    day,
                    kind,
                    touchpoint_id: (t != 0).then_some(t),
                    n,
                })
                .collect())
        }

        async fn rebuild_rollups(store: &$store, org: Id) -> Result<Rebuilt> {
            let mut tx = write(store, org).await?;
            for sql in [
                "DELETE FROM score_rollups WHERE org_id = $1",
                "DELETE FROM activity WHERE org_id = $1",
                "DELETE FROM segment_members WHERE org_id = $1",
            ] {
                sqlx::query(sql).bind(org).execute(&mut *tx).await?;
            }
            let customers = refresh_members(&mut tx, org, None, false).await? as u64;
            let mut out = Rebuilt { customers, ..Rebuilt::default() };
            let mut after: Id = 0;
            loop {
                let rows: Vec<(Id, Option<Id>, Id, DateTime<Utc>, Option<Id>, String)> = sqlx::query_as(
                    "SELECT id, customer_id, touchpoint_id, at, survey_id, answers FROM responses \
                     WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                )
                .bind(org)
                .bind(after)
                .bind(m::REBUILD_PAGE)
                .fetch_all(&mut *tx)
                .await?;
                let Some(last) = rows.last() else { break };
                after = last.0;
                out.responses += rows.len() as u64;
                let answers = rows
                    .iter()
                    .map(|r| s::from_json::<JsonMap<String, JsonValue>>("response answers", &r.5))
                    .collect::<Result<Vec<_>>>()?;
                let batch: Vec<_> = rows.iter().zip(&answers).map(|(r, a)| (r.1, r.2, r.3, r.4, a)).collect();
                tally_responses(&mut tx, org, &batch).await?;
            }
            let mut after: Id = 0;
            loop {
                let rows: Vec<(Id, Option<Id>, DateTime<Utc>, String, Option<Id>, Option<f64>)> = sqlx::query_as(
                    "SELECT id, customer_id, at, kind, touchpoint_id, amount FROM events \
                     WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                )
                .bind(org)
                .bind(after)
                .bind(m::REBUILD_PAGE)
                .fetch_all(&mut *tx)
                .await?;
                let Some(last) = rows.last() else { break };
                after = last.0;
                out.events += rows.len() as u64;
                let batch: Vec<_> = rows.iter().map(|r| (r.1, r.2, r.3.as_str(), r.4, r.5)).collect();
                tally_events(&mut tx, org, &batch).await?;
            }
            tx.commit().await?;
            Ok(out)
        }

        async fn record_intent_status(store: &$store, org: Id, st: &IntentStatus) -> Result<bool> {
            let mut tx = write(store, org).await?;
            let last: Option<String> = sqlx::query_scalar(
                "SELECT status FROM intent_status WHERE org_id = $1 AND version_id = $2 AND criterion = $3 \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(org)
            .bind(st.version_id)
            .bind(st.criterion)
            .fetch_optional(&mut *tx)
            .await?;
            if last.as_deref() == Some(st.status.key()) {
                return Ok(false);
            }
            let id: Id = sqlx::query_scalar(
                "INSERT INTO intent_status (org_id, version_id, criterion, status, value, n, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(org)
            .bind(st.version_id)
            .bind(st.criterion)
            .bind(st.status.key())
            .bind(st.value)
            .bind(st.n)
            .bind(st.at)
            .fetch_one(&mut *tx)
            .await?;
            notify_in(&mut tx, org, NoticeKind::Intent, &[id]).await?;
            tx.commit().await?;
            notify_after(store, org, NoticeKind::Intent, &[id]);
            Ok(true)
        }

        async fn intent_status_history(store: &$store, org: Id, limit: i64) -> Result<Vec<IntentStatus>> {
            let rows: Vec<(Id, Id, i64, String, Option<f64>, i64, DateTime<Utc>)> = sqlx::query_as(
                "SELECT id, version_id, criterion, status, value, n, at FROM intent_status WHERE org_id = $1 \
                 ORDER BY id DESC LIMIT $2",
            )
            .bind(org)
            .bind(limit.max(0))
            .fetch_all(&store.pool)
            .await?;
            rows.into_iter()
                .map(|(id, version_id, criterion, status, value, n, at)| {
                    let status = $crate::sql::__private::rapport_core::intent::Status::parse(&status)
                        .ok_or_else(|| s::corrupt(format!("intent status {status:?}")))?;
                    Ok(IntentStatus { id, version_id, criterion, status, value, n, at })
                })
                .collect()
        }

        /// Takes an (erased) customer's scored responses out of every
        /// segment's rollups and ends their memberships and activity.
        async fn leave_segments(c: &mut Conn, org: Id, customer: Id) -> Result<()> {
            let segments: BTreeSet<Id> =
                members_of(c, org, &[customer]).await?.remove(&customer).unwrap_or_default().into_iter().collect();
            let mut deltas = m::ScoreDeltas::default();
            for (_, day, touchpoint, tallies) in scored_responses_of(c, org, &[customer]).await? {
                for (segment, sign) in m::membership_moves(&segments, &BTreeSet::new()) {
                    deltas.add(&tallies, &[segment], day, touchpoint, sign);
                }
            }
            apply_scores(c, org, &deltas).await?;
            for sql in [
                "DELETE FROM segment_members WHERE org_id = $1 AND customer_id = $2",
                "DELETE FROM activity WHERE org_id = $1 AND customer_id = $2",
            ] {
                sqlx::query(sql).bind(org).bind(customer).execute(&mut *c).await?;
            }
            Ok(())
        }
    };
}
