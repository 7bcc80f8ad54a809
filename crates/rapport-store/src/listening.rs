//! Listening as storage sees it: what ingestion takes and answers, the
//! filters of the feedback lists, the customer timeline, and the notices the
//! store publishes after each committed ingestion (B4, B5, B6, P7).

use crate::accounts::Audit;
use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::customer::{Customer, CustomerUpsert};
use rapport_core::feedback::{Event, EventInput, Response};
use rapport_core::lang::Lang;
use rapport_core::listening::{ListeningPost, ListeningPostInput};
use rapport_core::measure::band::Band;
use rapport_core::org::Organization;
use rapport_core::survey::{Question, QuestionType};
use rapport_core::survey::{Survey, SurveyInput, SurveyStatus};
use rapport_core::text::{FlagKind, Sentiment};
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::broadcast;

/// A response to store, its survey and touchpoint already resolved and its
/// answers already checked against the survey by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct NewResponse {
    /// The sender's idempotency key: an item whose key the organization
    /// already has is not stored again.
    pub key: Option<String>,
    pub survey_id: Option<Id>,
    pub touchpoint_id: Id,
    /// The customer's external id; unknown customers are created bare.
    pub customer: Option<String>,
    pub at: DateTime<Utc>,
    pub answers: Map<String, Value>,
    pub comment: Option<String>,
    pub channel: Option<String>,
    pub language: Option<Lang>,
}

/// What became of one ingested item, in the order the items were given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "id", rename_all = "snake_case")]
pub enum Ingested {
    /// Stored now, with this id.
    Stored(Id),
    /// Its key was already taken (earlier, or by an earlier item of the same
    /// batch): nothing was stored; this is the id of the item holding the key.
    Duplicate(Id),
}

impl Ingested {
    pub fn id(self) -> Id {
        match self {
            Ingested::Stored(id) | Ingested::Duplicate(id) => id,
        }
    }

    pub fn is_stored(self) -> bool {
        matches!(self, Ingested::Stored(_))
    }
}

/// A place in a list ordered newest first by a time, then by id (responses
/// and events by `at`, ideas by `created_at`): keyset paging continues
/// *after* it, with the items older than `at`, or as old with a smaller id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TimeKey {
    pub at: DateTime<Utc>,
    pub id: Id,
}

impl TimeKey {
    pub fn of_response(r: &Response) -> Self {
        TimeKey { at: r.at, id: r.id }
    }

    pub fn of_event(e: &Event) -> Self {
        TimeKey { at: e.at, id: e.id }
    }
}

/// The most responses a word search or theme may match for the inbox to
/// look them up by id (then sorted by time); past it, matches are common
/// and the inbox checks each row along its time order instead.
pub const NARROW_AT_MOST: i64 = 10_000;

/// Which responses or events to list. Every condition is optional; `survey`
/// applies to responses only.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedbackFilter {
    /// The customer's external id.
    pub customer: Option<String>,
    pub touchpoint: Option<Id>,
    pub survey: Option<Id>,
    /// At or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Before this time.
    pub to: Option<DateTime<Utc>>,
    pub limit: i64,
    /// Keyset paging: only the items after this one (newest first), so a
    /// page costs the same wherever it is in the list.
    pub after: Option<TimeKey>,
    /// When a condition is set, count at most this many matching rows (the
    /// count stops there and [`Page::total_is_estimate`] says so; a common
    /// search or theme with other conditions also stops after reading twice
    /// as many of its rows); `None` counts them all. Without conditions the total is the organization's
    /// kept counter, one row read whatever the size of the list.
    pub count_at_most: Option<i64>,
    /// Responses only: what the feedback inbox narrows by.
    pub text: TextFilter,
}

/// The inbox's conditions on responses (C6); events ignore them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextFilter {
    /// The touchpoints of this experience (its current interactions).
    pub experience: Option<Id>,
    /// Customers currently in this segment.
    pub segment: Option<Id>,
    /// Responses whose NPS or CSAT answer falls in this band.
    pub band: Option<Band>,
    pub sentiment: Option<Sentiment>,
    pub flag: Option<FlagKind>,
    pub has_comment: bool,
    pub language: Option<Lang>,
    pub channel: Option<String>,
    /// Comments that mention this theme.
    pub theme: Option<Id>,
    /// Comments holding every word of this text, in any of its forms
    /// (`rapport_core::text::search`).
    pub search: Option<String>,
}

impl TextFilter {
    pub fn is_set(&self) -> bool {
        *self != TextFilter::default()
    }
}

impl FeedbackFilter {
    /// Whether a condition narrows the list (`survey` and `text` only for
    /// responses).
    pub fn is_filtered(&self, responses: bool) -> bool {
        self.customer.is_some()
            || self.touchpoint.is_some()
            || (responses && (self.survey.is_some() || self.text.is_set()))
            || self.from.is_some()
            || self.to.is_some()
    }
}

/// One page of a list, and how many rows match in all (whatever `after`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    /// Counting stopped (see [`FeedbackFilter::count_at_most`]): at least `total`
    /// rows match.
    pub total_is_estimate: bool,
}

/// One entry of a customer's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineItem {
    Response(Response),
    Event(Event),
}

impl TimelineItem {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineItem::Response(r) => r.at,
            TimelineItem::Event(e) => e.at,
        }
    }

    /// Its place in the timeline's order.
    pub fn key(&self) -> TimelineKey {
        match self {
            TimelineItem::Response(r) => TimelineKey { at: r.at, event: false, id: r.id },
            TimelineItem::Event(e) => TimelineKey { at: e.at, event: true, id: e.id },
        }
    }
}

/// A place in a timeline, which runs newest first, events before responses
/// of the same instant, then by id (descending): keyset paging continues
/// after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TimelineKey {
    pub at: DateTime<Utc>,
    /// An event (rather than a response).
    pub event: bool,
    pub id: Id,
}

/// Which customers to list: by external id (in the database's order of
/// text: byte order on SQLite, the database's collation on PostgreSQL, byte
/// order under `C` or `C.UTF-8`), every condition optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerList {
    /// Only those with, for every word of this text, a word of their
    /// external id, name or e-mail that begins with it, ignoring case (see
    /// `rapport_core::customer_search`); blank is no condition.
    pub text: Option<String>,
    /// Keyset paging: only those after this external id (the next page)...
    pub after: Option<String>,
    /// ...or before it: the `limit` nearest ones before it (the previous
    /// page), still answered in ascending order.
    pub before: Option<String>,
    /// At most this many; 0 for all.
    pub limit: i64,
}

/// What erasing a customer changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Erasure {
    /// The internal id the customer had (the audit subject is `customer:ID`).
    pub customer_id: Id,
    /// Responses kept in anonymous form.
    pub responses: u64,
    /// Events kept in anonymous form.
    pub events: u64,
}

// ---- Real time ------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Response,
    Event,
    /// An intent criterion changed status; the id is its `intent_status` row.
    Intent,
    /// A case was opened, joined, assigned, escalated, closed or reopened;
    /// the id is the case's.
    Case,
    /// An idea changed status (its author is told); the id is the idea's.
    Idea,
    /// A change was announced; the id is the announcement's.
    Announcement,
}

impl NoticeKind {
    fn code(self) -> &'static str {
        match self {
            NoticeKind::Response => "r",
            NoticeKind::Event => "e",
            NoticeKind::Intent => "i",
            NoticeKind::Case => "c",
            NoticeKind::Idea => "d",
            NoticeKind::Announcement => "a",
        }
    }
}

/// "A response or event of this organization was committed." Published by
/// the store after each ingestion, to every server sharing the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Notice {
    pub org: Id,
    pub kind: NoticeKind,
    pub id: Id,
}

/// How many notices a subscriber may fall behind before it misses some
/// (`RecvError::Lagged`; it should then reload what it shows).
pub const NOTICE_CAPACITY: usize = 16_384;

/// The PostgreSQL channel notices travel on.
pub const NOTICE_CHANNEL: &str = "rapport";

/// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const PAYLOAD_MAX: usize = 7_900;

/// Notices of one organization and kind as few NOTIFY payloads as possible,
/// each under PostgreSQL's limit: `{"o":ORG,"k":"r","ids":[1,2,3]}`.
pub fn notice_payloads(org: Id, kind: NoticeKind, ids: &[Id]) -> Vec<String> {
    let head = format!("{{\"o\":{org},\"k\":\"{}\",\"ids\":[", kind.code());
    let mut out = Vec::new();
    let mut current = head.clone();
    let mut count = 0;
    for id in ids {
        let item = id.to_string();
        // The item, a comma and the closing "]}".
        if count > 0 && current.len() + item.len() + 3 > PAYLOAD_MAX {
            current.push_str("]}");
            out.push(std::mem::replace(&mut current, head.clone()));
            count = 0;
        }
        if count > 0 {
            current.push(',');
        }
        current.push_str(&item);
        count += 1;
    }
    if count > 0 {
        current.push_str("]}");
        out.push(current);
    }
    out
}

/// The notices of a payload made by [`notice_payloads`]; `None` when it is
/// not one (another program may share the channel).
pub fn parse_payload(payload: &str) -> Option<Vec<Notice>> {
    #[derive(Deserialize)]
    struct Payload {
        o: Id,
        k: String,
        ids: Vec<Id>,
    }
    let p: Payload = serde_json::from_str(payload).ok()?;
    let kind = match p.k.as_str() {
        "r" => NoticeKind::Response,
        "e" => NoticeKind::Event,
        "i" => NoticeKind::Intent,
        "c" => NoticeKind::Case,
        "d" => NoticeKind::Idea,
        "a" => NoticeKind::Announcement,
        _ => return None,
    };
    Some(p.ids.into_iter().map(|id| Notice { org: p.o, kind, id }).collect())
}

// ---- Erasure --------------------------------------------------------------

/// The answers of a response that carry nothing personal: numbers of numeric
/// questions and choice keys of choice questions. Free text, answers to
/// unknown questions and anything else that is not one of those is dropped.
pub fn anonymous_answers(questions: &[Question], answers: &Map<String, Value>) -> Map<String, Value> {
    let mut kept = Map::new();
    for (key, value) in answers {
        let Some(q) = questions.iter().find(|q| &q.key == key) else { continue };
        let is_choice = |v: &Value| {
            v.as_str()
                .is_some_and(|k| q.choices.iter().any(|c| c.key == k) || (q.other && k == rapport_core::survey::OTHER))
        };
        let keep = match q.kind {
            QuestionType::SingleChoice => is_choice(value).then(|| value.clone()),
            QuestionType::MultipleChoice => match value {
                Value::Array(items) if items.iter().all(is_choice) => Some(value.clone()),
                v if is_choice(v) => Some(v.clone()),
                _ => None,
            },
            QuestionType::Ranking => match value {
                Value::Array(items) if items.iter().all(is_choice) => Some(value.clone()),
                _ => None,
            },
            QuestionType::Nps
            | QuestionType::Csat
            | QuestionType::Ces
            | QuestionType::Rating
            | QuestionType::Numeric
            | QuestionType::Slider => value.is_number().then(|| value.clone()),
            // Points of a scale (or "na") per row: nothing a person wrote.
            QuestionType::Matrix => match value {
                Value::Object(rows) if rows.values().all(|v| v.is_number() || v.is_string()) => {
                    let points = rows.iter().filter(|(_, v)| v.is_number() || v.as_str() == Some("na"));
                    Some(Value::Object(points.map(|(k, v)| (k.clone(), v.clone())).collect()))
                }
                _ => None,
            },
            QuestionType::Consent => value.is_boolean().then(|| value.clone()),
            // A date may be a birthday; typed fields are free text.
            QuestionType::Text | QuestionType::Date | QuestionType::MultiText | QuestionType::TextBlock => None,
        };
        if let Some(v) = keep {
            kept.insert(key.clone(), v);
        }
    }
    kept
}

/// Customers: upserts, look-ups and erasure (B5, P7).
#[async_trait]
pub trait Customers: Send + Sync {
    /// Inserts or updates by external id (attributes are replaced).
    async fn upsert_customer(&self, org: Id, customer: &CustomerUpsert) -> Result<Customer>;

    /// Every customer of the organization, by external id (see
    /// [`CustomerList`]). Lists should page with [`Customers::page_customers`].
    async fn list_customers(&self, org: Id) -> Result<Vec<Customer>> {
        self.page_customers(org, &CustomerList::default()).await
    }

    /// One page of customers (see [`CustomerList`]), read along the
    /// `(org_id, external_id)` index: a page costs the same anywhere in the list.
    async fn page_customers(&self, org: Id, list: &CustomerList) -> Result<Vec<Customer>>;

    /// How many customers the organization has: a counter kept by every
    /// write that adds or removes one, read in one row.
    async fn customer_count(&self, org: Id) -> Result<i64>;

    /// Inserts or updates many by external id in one transaction (attributes
    /// are replaced; when an external id repeats, its last item wins). The
    /// ids, in the order of `customers`.
    async fn upsert_customers(&self, org: Id, customers: &[CustomerUpsert]) -> Result<Vec<Id>>;

    async fn get_customer(&self, org: Id, external_id: &str) -> Result<Customer>;

    /// Customers whose external id, name or e-mail contains `query`, ignoring
    /// case (ASCII case on SQLite), by external id, at most `limit`.
    async fn search_customers(&self, org: Id, query: &str, limit: i64) -> Result<Vec<Customer>> {
        if limit <= 0 {
            return Ok(Vec::new());
        }
        self.page_customers(org, &CustomerList { text: Some(query.to_string()), limit, ..Default::default() }).await
    }

    /// Removes the customer's personal data everywhere (P7): the customer row
    /// goes; their responses keep scores and choice keys but lose the link to
    /// them, the comment, every other answer and the idempotency key; their
    /// events keep type, time, amount and touchpoint but lose the link,
    /// attributes and key. Writes the audit entry `customer.erase` on
    /// `customer:ID` (the internal id: audit subjects never name customers by
    /// external id or e-mail).
    async fn erase_customer(&self, org: Id, external_id: &str, actor: &str) -> Result<Erasure>;
}

/// Surveys and their public tokens (B1, B2).
#[async_trait]
pub trait Surveys: Send + Sync {
    /// By title (English), ignoring case.
    async fn list_surveys(&self, org: Id) -> Result<Vec<Survey>>;

    async fn get_survey(&self, org: Id, id: Id) -> Result<Survey>;

    /// The survey of a public link, in any organization, with its organization.
    async fn survey_by_token(&self, token: &str) -> Result<Option<(Organization, Survey)>>;

    /// A draft. `Invalid` when the touchpoint is not in this organization;
    /// `Conflict` on `token` when the token is taken.
    async fn create_survey(&self, org: Id, survey: &SurveyInput, token: &str) -> Result<Survey>;

    /// `create_survey` writing `audit` in its transaction ([`Audit::created`]
    /// is completed with the survey's id).
    async fn create_survey_audited(
        &self,
        org: Id,
        survey: &SurveyInput,
        token: &str,
        audit: &Audit<'_>,
    ) -> Result<Survey>;

    /// Changes everything but the status and token. `Invalid` as for create.
    async fn update_survey(&self, org: Id, id: Id, survey: &SurveyInput, audit: Option<&Audit<'_>>) -> Result<Survey>;

    async fn set_survey_status(&self, org: Id, id: Id, status: SurveyStatus) -> Result<Survey>;

    /// `set_survey_status` writing `audit` in its transaction.
    async fn set_survey_status_audited(
        &self,
        org: Id,
        id: Id,
        status: SurveyStatus,
        audit: &Audit<'_>,
    ) -> Result<Survey>;

    /// `Conflict` while it has responses (close it instead).
    async fn delete_survey(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;
}

/// Listening posts (B3).
#[async_trait]
pub trait ListeningPosts: Send + Sync {
    /// Highest priority first, then by name ignoring case.
    async fn list_listening_posts(&self, org: Id) -> Result<Vec<ListeningPost>>;

    async fn get_listening_post(&self, org: Id, id: Id) -> Result<ListeningPost>;

    /// `Invalid` when the touchpoint or the governing person is not in this
    /// organization.
    async fn create_listening_post(&self, org: Id, post: &ListeningPostInput) -> Result<ListeningPost>;

    async fn update_listening_post(&self, org: Id, id: Id, post: &ListeningPostInput) -> Result<ListeningPost>;

    async fn delete_listening_post(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;
}

/// Feedback and behaviour: ingestion (the hot path: on `Ok` every stored item is committed), the feedback lists, the timeline and real time (B4-B6).
#[async_trait]
pub trait Feedback: Send + Sync {
    /// Stores the responses in one transaction, answering per item in order.
    /// An item whose key the organization already has, or an earlier item of
    /// the batch has, is a `Duplicate` and stores nothing. Customers named by
    /// external id are created bare when unknown. `Invalid` (field
    /// `items[i].survey_id` / `items[i].touchpoint_id`) when an item names a
    /// survey or touchpoint outside the organization: then nothing is stored.
    /// Publishes a `Notice` per stored item once committed.
    async fn ingest_responses(&self, org: Id, items: &[NewResponse]) -> Result<Vec<Ingested>>;

    /// As `ingest_responses`, for events (the type is stored as its key).
    async fn ingest_events(&self, org: Id, items: &[EventInput]) -> Result<Vec<Ingested>>;

    /// When the customer last answered the survey (the fatigue rule).
    async fn last_response_at(&self, org: Id, survey: Id, customer: &str) -> Result<Option<DateTime<Utc>>>;

    /// Newest first (by `at`, then id), from `filter.after` on, with the
    /// count of all matching rows (see [`FeedbackFilter::count_at_most`]).
    async fn list_responses(&self, org: Id, filter: &FeedbackFilter) -> Result<Page<Response>>;

    /// As `list_responses`; `filter.survey` does not apply.
    async fn list_events(&self, org: Id, filter: &FeedbackFilter) -> Result<Page<Event>>;

    async fn get_response(&self, org: Id, id: Id) -> Result<Response>;

    async fn get_event(&self, org: Id, id: Id) -> Result<Event>;

    /// The customer's responses and events, newest first, at most `limit`.
    /// `NotFound` for an unknown customer.
    async fn timeline(&self, org: Id, external_id: &str, limit: i64) -> Result<Vec<TimelineItem>> {
        self.timeline_page(org, external_id, None, limit).await
    }

    /// As `timeline`, from after `after` on (keyset paging; see [`TimelineKey`]).
    async fn timeline_page(
        &self,
        org: Id,
        external_id: &str,
        after: Option<TimelineKey>,
        limit: i64,
    ) -> Result<Vec<TimelineItem>>;

    /// Notices of every organization's ingestions committed from now on, by
    /// any server sharing the database; filter by `Notice::org`. A receiver
    /// that falls more than `listening::NOTICE_CAPACITY` behind gets
    /// `RecvError::Lagged`.
    fn subscribe(&self) -> broadcast::Receiver<Notice>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_core::survey::{Choice, Localized};
    use serde_json::json;

    #[test]
    fn payloads_stay_under_the_limit_and_round_trip() {
        let ids: Vec<Id> = (1..=5_000).map(|i| i * 1_000_000_007).collect();
        let payloads = notice_payloads(7, NoticeKind::Event, &ids);
        assert!(payloads.len() > 1);
        let mut back = Vec::new();
        for p in &payloads {
            assert!(p.len() < 8000, "{}", p.len());
            back.extend(parse_payload(p).unwrap());
        }
        assert_eq!(back.len(), ids.len());
        assert!(back.iter().zip(&ids).all(|(n, id)| n.id == *id && n.org == 7 && n.kind == NoticeKind::Event));
        assert_eq!(notice_payloads(1, NoticeKind::Response, &[]), Vec::<String>::new());
        assert_eq!(notice_payloads(1, NoticeKind::Response, &[5, 6]), vec![r#"{"o":1,"k":"r","ids":[5,6]}"#]);
        assert_eq!(parse_payload("hello"), None);
        assert_eq!(parse_payload(r#"{"o":1,"k":"x","ids":[1]}"#), None);
    }

    fn question(key: &str, kind: QuestionType, choices: &[&str]) -> Question {
        Question {
            key: key.into(),
            kind,
            text: Localized { en: key.into(), es: key.into() },
            required: false,
            choices: choices.iter().map(|k| Choice { key: (*k).into(), label: Localized::default() }).collect(),
            scale_max: None,
            show_if: None,
            ..Default::default()
        }
    }

    #[test]
    fn anonymous_answers_keep_scores_and_choices_only() {
        let qs = [
            question("nps", QuestionType::Nps, &[]),
            question("why", QuestionType::Text, &[]),
            question("plan", QuestionType::SingleChoice, &["pro", "free"]),
            question("liked", QuestionType::MultipleChoice, &["speed", "price"]),
        ];
        let answers = json!({
            "nps": 9, "why": "ana@example.com was great", "plan": "pro",
            "liked": ["speed", "price"], "gone": "text of a removed question"
        });
        let kept = anonymous_answers(&qs, answers.as_object().unwrap());
        assert_eq!(Value::Object(kept), json!({"nps": 9, "plan": "pro", "liked": ["speed", "price"]}));
        let odd = json!({"nps": "call me on 555-1234", "plan": "ana@example.com", "liked": ["speed", "ana"]});
        assert!(anonymous_answers(&qs, odd.as_object().unwrap()).is_empty());
    }
}
