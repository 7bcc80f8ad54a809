//! A survey's numeric items per day (`item_days`): the deltas a batch of
//! responses adds, upserted once per touched row inside the writing
//! transaction (as the score rollups), and the reads of a survey's results.

use super::Conn;
use crate::dialect::{Backend, Db};
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::measure::items::{item_values, ItemTally};
use rapport_core::survey::Question;
use rapport_core::Id;
use rapport_store::rows::listening as l;
use rapport_store::{ItemDay, Result};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Summed deltas by (survey, day, item).
#[derive(Debug, Default)]
pub(crate) struct ItemDeltas(BTreeMap<(Id, NaiveDate, String), ItemTally>);

impl ItemDeltas {
    /// Adds one response's numeric items.
    pub(crate) fn add(&mut self, questions: &[Question], survey: Id, at: DateTime<Utc>, answers: &Map<String, Value>) {
        for (item, v) in item_values(questions, answers) {
            self.0.entry((survey, at.date_naive(), item)).or_default().add(&ItemTally::of(v));
        }
    }
}

/// Upserts the summed deltas.
pub(crate) async fn apply(c: &mut Conn, org: Id, deltas: &ItemDeltas) -> Result<()> {
    let rows: Vec<_> = deltas.0.iter().collect();
    for chunk in rows.chunks(l::rows_per_insert(7)) {
        let mut qb =
            sqlx::QueryBuilder::<Db>::new("INSERT INTO item_days (org_id, survey_id, day, item, n, total, total_sq) ");
        qb.push_values(chunk, |mut b, ((survey, day, item), t)| {
            b.push_bind(org)
                .push_bind(*survey)
                .push_bind(*day)
                .push_bind(item.as_str())
                .push_bind(t.n)
                .push_bind(t.sum)
                .push_bind(t.sum_sq);
        });
        qb.push(
            " ON CONFLICT (org_id, survey_id, day, item) DO UPDATE SET n = item_days.n + excluded.n, \
             total = item_days.total + excluded.total, total_sq = item_days.total_sq + excluded.total_sq",
        );
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// The deltas of stored responses: (survey, at, answers), with the
/// questions of their surveys.
pub(crate) fn deltas<'a>(
    questions: &HashMap<Id, Vec<Question>>,
    rows: impl IntoIterator<Item = (Option<Id>, DateTime<Utc>, &'a Map<String, Value>)>,
) -> ItemDeltas {
    let mut d = ItemDeltas::default();
    for (survey, at, answers) in rows {
        if let Some((id, asked)) = survey.and_then(|id| questions.get(&id).map(|q| (id, q))) {
            d.add(asked, id, at, answers);
        }
    }
    d
}

/// A survey's items per day on `from..to`, by day then item.
pub(crate) async fn by_day(
    store: &Backend,
    org: Id,
    survey: Id,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ItemDay>> {
    let rows: Vec<(NaiveDate, String, i64, f64, f64)> = sqlx::query_as(
        "SELECT day, item, n, total, total_sq FROM item_days \
         WHERE org_id = $1 AND survey_id = $2 AND day >= $3 AND day < $4 AND n <> 0 ORDER BY day, item",
    )
    .bind(org)
    .bind(survey)
    .bind(from)
    .bind(to)
    .fetch_all(&store.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, item, n, sum, sum_sq)| ItemDay { day, item, tally: ItemTally { n, sum, sum_sq } })
        .collect())
}
