//! What a fit reads: a page of customers by id, then their events,
//! responses, cases and segments as ranges of the customer-id indexes
//! (`events_customer`, `responses_customer`, `cases_customer`,
//! `segment_members_customer`), five statements per page whatever its size.

use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::Id;
use rapport_store::models::{DriverAnswers, ModelEvent, ModelHistory, ModelResponse};
use rapport_store::rows as s;
use rapport_store::Result;
use std::collections::HashMap;

/// The events the models read (the rest is journey and custom behaviour),
/// and those a perfect behaviour of the organization counts (the outcome
/// of its key-driver analysis).
const MODEL_EVENTS: &str = "('purchase', 'refund', 'cancellation', 'non_renewal', 'renewal', 'contact')";
const BEHAVIOUR_EVENTS: &str = "(SELECT event_type FROM perfect_behaviours WHERE org_id = $1)";

type EventRow = (Id, DateTime<Utc>, String, Option<Id>, Option<f64>, String);
type ResponseRow = (Id, DateTime<Utc>, Id, Option<Id>, String, Option<i16>, Option<i16>, i16);
type CaseRow = (Id, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

#[async_trait]
impl rapport_store::ModelInputs for Backend {
    async fn model_histories(&self, org: Id, after: Id, limit: i64) -> Result<Vec<ModelHistory>> {
        let ids: Vec<Id> =
            sqlx::query_scalar("SELECT id FROM customers WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3")
                .bind(org)
                .bind(after)
                .bind(limit.max(0))
                .fetch_all(&self.pool)
                .await?;
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else { return Ok(Vec::new()) };
        let mut out: Vec<ModelHistory> =
            ids.iter().map(|&id| ModelHistory { customer_id: id, ..Default::default() }).collect();
        let at: HashMap<Id, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let range = "customer_id >= $2 AND customer_id <= $3 AND org_id = $1";

        let sql = format!(
            "SELECT customer_id, at, kind, touchpoint_id, amount, attributes FROM events \
             WHERE {range} AND (kind IN {MODEL_EVENTS} OR kind IN {BEHAVIOUR_EVENTS})"
        );
        let events: Vec<EventRow> = sqlx::query_as(&sql).bind(org).bind(first).bind(last).fetch_all(&self.pool).await?;
        for (c, when, kind, touchpoint_id, amount, attributes) in events {
            let Some(&i) = at.get(&c) else { continue };
            // Only defections carry a reason worth reading.
            let reason = if kind == "cancellation" || kind == "non_renewal" {
                let attributes: serde_json::Map<String, serde_json::Value> =
                    s::from_json("event attributes", &attributes)?;
                attributes.get("reason").and_then(|r| r.as_str()).map(str::to_owned)
            } else {
                None
            };
            out[i].events.push(ModelEvent { at: when, kind, touchpoint_id, amount, reason });
        }
        let sql = format!(
            "SELECT customer_id, at, touchpoint_id, survey_id, answers, nps_band, sentiment_label, anger \
             FROM responses WHERE {range}"
        );
        let responses: Vec<ResponseRow> =
            sqlx::query_as(&sql).bind(org).bind(first).bind(last).fetch_all(&self.pool).await?;
        for (c, when, touchpoint_id, survey_id, answers, nps_band, sentiment, anger) in responses {
            let Some(&i) = at.get(&c) else { continue };
            let answers = s::from_json("response answers", &answers)?;
            out[i].responses.push(ModelResponse {
                at: when,
                touchpoint_id,
                survey_id,
                answers,
                nps_band,
                sentiment,
                anger: anger != 0,
            });
        }
        let sql = format!(
            "SELECT customer_id, opened_at, closed_at, CASE WHEN response_breached_at IS NULL THEN resolution_breached_at \
             WHEN resolution_breached_at IS NULL OR response_breached_at < resolution_breached_at \
             THEN response_breached_at ELSE resolution_breached_at END FROM cases WHERE {range}"
        );
        let cases: Vec<CaseRow> = sqlx::query_as(&sql).bind(org).bind(first).bind(last).fetch_all(&self.pool).await?;
        for (c, opened, closed, breached) in cases {
            if let Some(&i) = at.get(&c) {
                out[i].cases.push((opened, closed, breached));
            }
        }
        let sql = format!("SELECT customer_id, segment_id FROM segment_members WHERE {range}");
        let members: Vec<(Id, Id)> =
            sqlx::query_as(&sql).bind(org).bind(first).bind(last).fetch_all(&self.pool).await?;
        for (c, segment) in members {
            if let Some(&i) = at.get(&c) {
                out[i].segments.push(segment);
            }
        }
        for h in &mut out {
            h.events.sort_by_key(|e| e.at);
            h.responses.sort_by_key(|r| r.at);
            h.segments.sort_unstable();
        }
        Ok(out)
    }

    async fn driver_answers(
        &self,
        org: Id,
        touchpoints: &[Id],
        segment: Option<Id>,
        since: DateTime<Utc>,
        after: Id,
        limit: i64,
    ) -> Result<Vec<DriverAnswers>> {
        if touchpoints.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "SELECT id, customer_id, touchpoint_id, survey_id, answers FROM responses WHERE org_id = ",
        );
        qb.push_bind(org).push(" AND at >= ").push_bind(since).push(" AND id > ").push_bind(after);
        qb.push(" AND touchpoint_id IN (");
        let mut sep = qb.separated(", ");
        for tp in touchpoints {
            sep.push_bind(*tp);
        }
        qb.push(")");
        if let Some(segment) = segment {
            qb.push(" AND customer_id IN (SELECT customer_id FROM segment_members WHERE segment_id = ")
                .push_bind(segment)
                .push(")");
        }
        qb.push(" ORDER BY id LIMIT ").push_bind(limit.max(0));
        let rows: Vec<(Id, Option<Id>, Id, Option<Id>, String)> = qb.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|(id, customer_id, touchpoint_id, survey_id, text)| {
                let answers = s::from_json("response answers", &text)?;
                Ok(DriverAnswers { id, customer_id, touchpoint_id, survey_id, answers })
            })
            .collect()
    }
}
