//! Listening's rows and the pure helpers of ingestion: how many rows fit one
//! INSERT, the plan of a batch's idempotency keys, outcomes in order, the
//! merged timeline.

use super::{corrupt, from_json};
use crate::error::Result;
use crate::listening::{Ingested, TimelineItem};
use chrono::{DateTime, Utc};
use rapport_core::feedback::{Event, Response};
use rapport_core::lang::Lang;
use rapport_core::listening::ListeningPost;
use rapport_core::survey::{Localized, Survey, SurveyStatus};
use rapport_core::text::{Sentiment, TextSummary};
use rapport_core::Id;
use std::collections::HashMap;

/// Bound parameters one statement may carry: SQLite's default
/// `SQLITE_MAX_VARIABLE_NUMBER` since 3.32 (PostgreSQL allows 65,535).
pub const MAX_BINDS: usize = 32_766;

/// Rows per multi-row INSERT: larger statements gain nothing measurable.
pub const MAX_ROWS_PER_INSERT: usize = 1_000;

/// Values per `IN (...)` lookup. Lookups are never prepared as named
/// statements: PostgreSQL would switch a repeated one to a generic plan,
/// which (with statistics not yet updated after a bulk insert) may test the
/// list row by row instead of hashing it: seconds instead of milliseconds.
pub const LOOKUP_CHUNK: usize = 2_000;

/// Rows of `columns` bound values each that fit one INSERT.
pub fn rows_per_insert(columns: usize) -> usize {
    (MAX_BINDS / columns).clamp(1, MAX_ROWS_PER_INSERT)
}

/// What to do with each item of a batch, given the keys already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Insert,
    /// The key is stored already, on this row.
    Existing(Id),
    /// An earlier item of the batch (this index) has the key.
    SameAs(usize),
}

pub fn plan_batch(keys: &[Option<&str>], existing: &HashMap<String, Id>) -> Vec<Plan> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    keys.iter()
        .enumerate()
        .map(|(i, key)| match key {
            None => Plan::Insert,
            Some(k) => match existing.get(*k) {
                Some(id) => Plan::Existing(*id),
                None => match first.get(k) {
                    Some(j) => Plan::SameAs(*j),
                    None => {
                        first.insert(k, i);
                        Plan::Insert
                    }
                },
            },
        })
        .collect()
}

/// The outcome of every item, given the ids of the inserted ones in order.
pub fn outcomes(plan: &[Plan], inserted: &[Id]) -> Vec<Ingested> {
    let mut next = inserted.iter();
    let mut out: Vec<Ingested> = Vec::with_capacity(plan.len());
    for p in plan {
        let o = match *p {
            Plan::Insert => Ingested::Stored(*next.next().expect("one id per inserted item")),
            Plan::Existing(id) => Ingested::Duplicate(id),
            Plan::SameAs(j) => Ingested::Duplicate(out[j].id()),
        };
        out.push(o);
    }
    out
}

/// The distinct values, sorted.
pub fn distinct<T: Ord + Copy>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = values.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Responses and events merged newest first (events before responses of the
/// same instant), at most `limit`.
pub fn timeline(responses: Vec<Response>, events: Vec<Event>, limit: i64) -> Vec<TimelineItem> {
    let mut items: Vec<TimelineItem> =
        events.into_iter().map(TimelineItem::Event).chain(responses.into_iter().map(TimelineItem::Response)).collect();
    let rank = |i: &TimelineItem| match i {
        TimelineItem::Event(e) => (e.at, 1, e.id),
        TimelineItem::Response(r) => (r.at, 0, r.id),
    };
    items.sort_by_key(|i| std::cmp::Reverse(rank(i)));
    items.truncate(limit.max(0) as usize);
    items
}

fn language(code: Option<&str>) -> Result<Option<Lang>> {
    match code {
        None => Ok(None),
        Some(c) => Lang::parse(c).map(Some).ok_or_else(|| corrupt(format!("language {c:?}"))),
    }
}

/// The stored text columns of a response; `None` when it has no analysed
/// comment (or an unknown label code, which no write produces).
fn text_summary(score: Option<f64>, label: Option<i16>, wow: i16, anger: i16) -> Option<TextSummary> {
    let label = Sentiment::from_code(label?)?;
    Some(TextSummary { score: score.unwrap_or(0.0), label, wow: wow != 0, anger: anger != 0 })
}

#[derive(sqlx::FromRow)]
pub struct SurveyRow {
    pub org_id: Id,
    id: Id,
    touchpoint_id: Id,
    title_en: String,
    title_es: String,
    intro_en: String,
    intro_es: String,
    questions: String,
    fatigue_days: i64,
    status: String,
    token: String,
    created_at: DateTime<Utc>,
}

impl SurveyRow {
    pub fn survey(self) -> Result<Survey> {
        Ok(Survey {
            id: self.id,
            touchpoint_id: self.touchpoint_id,
            title: Localized { en: self.title_en, es: self.title_es },
            intro: Localized { en: self.intro_en, es: self.intro_es },
            questions: from_json("survey questions", &self.questions)?,
            fatigue_days: self.fatigue_days,
            status: SurveyStatus::parse(&self.status).ok_or_else(|| corrupt(format!("status {:?}", self.status)))?,
            token: self.token,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ListeningPostRow {
    id: Id,
    name: String,
    channel: String,
    touchpoint_id: Option<Id>,
    priority: i64,
    governed_by: Option<Id>,
    response_hours: Option<i64>,
    notes: Option<String>,
}

impl From<ListeningPostRow> for ListeningPost {
    fn from(r: ListeningPostRow) -> Self {
        ListeningPost {
            id: r.id,
            name: r.name,
            channel: r.channel,
            touchpoint_id: r.touchpoint_id,
            priority: r.priority,
            governed_by: r.governed_by,
            response_hours: r.response_hours,
            notes: r.notes,
        }
    }
}

/// Most important first, then by name ignoring case, then by id.
pub fn sort_posts(posts: &mut [ListeningPost]) {
    posts.sort_by_cached_key(|p| (std::cmp::Reverse(p.priority), p.name.to_lowercase(), p.id));
}

#[derive(sqlx::FromRow)]
pub struct ResponseRow {
    id: Id,
    idempotency_key: Option<String>,
    survey_id: Option<Id>,
    touchpoint_id: Id,
    customer: Option<String>,
    at: DateTime<Utc>,
    answers: String,
    comment: Option<String>,
    channel: Option<String>,
    language: Option<String>,
    sentiment: Option<f64>,
    sentiment_label: Option<i16>,
    wow: i16,
    anger: i16,
}

impl ResponseRow {
    pub fn response(self) -> Result<Response> {
        Ok(Response {
            id: self.id,
            key: self.idempotency_key,
            survey_id: self.survey_id,
            touchpoint_id: self.touchpoint_id,
            customer: self.customer,
            at: self.at,
            answers: from_json("response answers", &self.answers)?,
            comment: self.comment,
            channel: self.channel,
            language: language(self.language.as_deref())?,
            text: text_summary(self.sentiment, self.sentiment_label, self.wow, self.anger),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct EventRow {
    id: Id,
    idempotency_key: Option<String>,
    kind: String,
    customer: Option<String>,
    at: DateTime<Utc>,
    touchpoint_id: Option<Id>,
    amount: Option<f64>,
    attributes: String,
}

impl EventRow {
    pub fn event(self) -> Result<Event> {
        Ok(Event {
            id: self.id,
            key: self.idempotency_key,
            kind: self.kind,
            customer: self.customer,
            at: self.at,
            touchpoint_id: self.touchpoint_id,
            amount: self.amount,
            attributes: from_json("event attributes", &self.attributes)?,
        })
    }
}

/// The columns of [`ResponseRow`] from `responses r LEFT JOIN customers c`.
pub const RESPONSE_COLUMNS: &str = "r.id, r.idempotency_key, r.survey_id, r.touchpoint_id, c.external_id AS customer, \
     r.at, r.answers, r.comment, r.channel, r.language, r.sentiment, r.sentiment_label, r.wow, r.anger \
     FROM responses r LEFT JOIN customers c ON c.id = r.customer_id";

/// The columns of [`EventRow`] from `events r LEFT JOIN customers c`.
pub const EVENT_COLUMNS: &str = "r.id, r.idempotency_key, r.kind, c.external_id AS customer, r.at, r.touchpoint_id, \
     r.amount, r.attributes FROM events r LEFT JOIN customers c ON c.id = r.customer_id";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_store_each_key_once() {
        let existing = HashMap::from([("old".to_string(), 40)]);
        let keys = [Some("a"), None, Some("old"), Some("a"), None, Some("b"), Some("b")];
        let plan = plan_batch(&keys, &existing);
        assert_eq!(
            plan,
            [
                Plan::Insert,
                Plan::Insert,
                Plan::Existing(40),
                Plan::SameAs(0),
                Plan::Insert,
                Plan::Insert,
                Plan::SameAs(5)
            ]
        );
        use Ingested::{Duplicate, Stored};
        assert_eq!(
            outcomes(&plan, &[7, 8, 9, 10]),
            [Stored(7), Stored(8), Duplicate(40), Duplicate(7), Stored(9), Stored(10), Duplicate(10)]
        );
    }

    #[test]
    fn inserts_stay_under_the_parameter_limit() {
        for cols in [1, 5, 11, 40, 50_000] {
            let rows = rows_per_insert(cols);
            assert!((1..=MAX_ROWS_PER_INSERT).contains(&rows));
            assert!(cols > MAX_BINDS || rows * cols <= MAX_BINDS, "{cols}");
        }
    }
}
