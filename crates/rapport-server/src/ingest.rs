//! Ingestion (B4): the one path by which responses, events and customers
//! enter Rapport, whether they come from the API, a CLI import or a public
//! survey page, so that validation and idempotency are the same everywhere.
//!
//! Policy: every item is judged on its own. Valid items are stored even when
//! others in the batch are rejected; a rejected item names its 0-based index
//! and the reason per field. Items go to the store in chunks, each one
//! transaction; when this function returns `Ok`, every accepted item is
//! committed.

use crate::error::AppError;
use rapport_core::customer::CustomerUpsert;
use rapport_core::feedback::{EventDraft, EventInput, ResponseDraft};
use rapport_core::survey::Survey;
use rapport_core::validate::{optional_text, required_text, FieldErrors};
use rapport_core::Id;
use rapport_store::{Ingested, NewResponse, Store};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Items per store call: large enough to amortise a transaction, small
/// enough to keep each one short.
pub const CHUNK: usize = 5_000;
/// Items per store call when a process only loads data (`rapport import`,
/// `rapport bench pages`): pages shared by several items are written once
/// per chunk. Holds SQLite's write lock for seconds per chunk, which other
/// writers wait out (`BUSY_TIMEOUT`).
pub const BULK_CHUNK: usize = 50_000;

/// The most items one request or import call may carry.
pub const MAX_ITEMS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Stored now.
    Accepted,
    /// Its `id` was seen before: nothing stored, the earlier item stands.
    Duplicate,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ItemResult {
    /// 0-based position of the item (for NDJSON, its line number minus one).
    pub index: usize,
    pub status: ItemStatus,
    /// The stored row's id (for a duplicate, the earlier row's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// Why it was rejected, per field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub errors: Option<FieldErrors>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BatchReport {
    pub accepted: usize,
    pub duplicates: usize,
    pub rejected: usize,
    /// One entry per item, in order.
    pub items: Vec<ItemResult>,
}

impl BatchReport {
    fn push(&mut self, index: usize, outcome: Result<Ingested, FieldErrors>) {
        let (status, id, errors) = match outcome {
            Ok(Ingested::Stored(id)) => (ItemStatus::Accepted, Some(id), None),
            Ok(Ingested::Duplicate(id)) => (ItemStatus::Duplicate, Some(id), None),
            Err(e) => (ItemStatus::Rejected, None, Some(e)),
        };
        match status {
            ItemStatus::Accepted => self.accepted += 1,
            ItemStatus::Duplicate => self.duplicates += 1,
            ItemStatus::Rejected => self.rejected += 1,
        }
        self.items.push(ItemResult { index, status, id, errors });
    }

    /// Puts the items in order and counts them for `/metrics` under `kind`.
    fn finish(mut self, kind: &'static str) -> Self {
        self.items.sort_by_key(|i| i.index);
        crate::ops::metrics::items(kind, self.accepted, self.duplicates, self.rejected);
        self
    }
}

/// One item as parsed from the wire: its index and the draft, or why it
/// could not even be read.
pub type Parsed<T> = (usize, Result<T, FieldErrors>);

/// Splits a body into items: NDJSON (one JSON value per line; blank lines are
/// skipped but counted), or a single JSON object, or a JSON array. The item
/// cap is enforced while reading: a body with more than [`MAX_ITEMS`] items
/// is refused at the first item past the cap, before the rest is parsed, so
/// memory stays bounded by the cap whatever is sent. Array elements are read
/// as borrowed raw JSON and parsed one by one (a bad item is rejected alone).
pub fn parse_items<T: serde::de::DeserializeOwned>(body: &[u8], ndjson: bool) -> Result<Vec<Parsed<T>>, AppError> {
    let parse_one = |bytes: &[u8]| match crate::api::extract::parse::<T>(bytes) {
        Ok(v) => Ok(v),
        Err(AppError::Invalid(f)) => Err(f),
        Err(e) => Err(FieldErrors::single("body", "malformed", e.to_string())),
    };
    if ndjson {
        let mut items = Vec::new();
        for (i, line) in body.split(|b| *b == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if items.len() == MAX_ITEMS {
                return Err(too_many());
            }
            items.push((i, parse_one(line)));
        }
        return Ok(items);
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'[') {
        // Not JSON at all is the request's fault (400), not the item's.
        serde_json::from_slice::<serde::de::IgnoredAny>(body)
            .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
        return Ok(vec![(0, parse_one(body))]);
    }
    Ok(read_array(body)?.into_iter().enumerate().map(|(i, v)| (i, parse_one(v.get().as_bytes()))).collect())
}

fn too_many() -> AppError {
    AppError::BadRequest(format!("at most {MAX_ITEMS} items per request"))
}

/// The elements of a JSON array as borrowed raw JSON, at most [`MAX_ITEMS`]:
/// one more is an error at once.
fn read_array(body: &[u8]) -> Result<Vec<&serde_json::value::RawValue>, AppError> {
    use serde::de::{Deserializer as _, SeqAccess, Visitor};
    struct Capped;
    impl<'de> Visitor<'de> for Capped {
        type Value = Vec<&'de serde_json::value::RawValue>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON array")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<&'de serde_json::value::RawValue>()? {
                if out.len() == MAX_ITEMS {
                    return Err(serde::de::Error::custom(TOO_MANY));
                }
                out.push(item);
            }
            Ok(out)
        }
    }
    const TOO_MANY: &str = "too many items";
    let mut de = serde_json::Deserializer::from_slice(body);
    let items = de.deserialize_seq(Capped).map_err(|e| {
        if e.to_string().starts_with(TOO_MANY) {
            too_many()
        } else {
            AppError::BadRequest(format!("malformed JSON: {e}"))
        }
    })?;
    de.end().map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
    Ok(items)
}

/// What responses are checked against: the organization's surveys and
/// touchpoints, loaded once per batch.
pub struct ResponseContext {
    surveys: HashMap<Id, Survey>,
    touchpoints: HashSet<Id>,
}

impl ResponseContext {
    pub async fn load(store: &dyn Store, org: Id) -> Result<Self, AppError> {
        let surveys = store.list_surveys(org).await?.into_iter().map(|s| (s.id, s)).collect();
        let touchpoints = store.list_touchpoints(org).await?.into_iter().map(|t| t.id).collect();
        Ok(ResponseContext { surveys, touchpoints })
    }

    /// Validates one response and resolves its touchpoint.
    pub fn check(&self, draft: &ResponseDraft) -> Result<NewResponse, FieldErrors> {
        let input = draft.validate()?;
        let (touchpoint_id, answers) = match input.survey {
            Some(id) => {
                let survey = self
                    .surveys
                    .get(&id)
                    .ok_or_else(|| FieldErrors::single("survey", "unknown_id", "does not exist"))?;
                if input.touchpoint.is_some_and(|t| t != survey.touchpoint_id) {
                    return Err(FieldErrors::single("touchpoint", "mismatch", "is not the survey's touchpoint"));
                }
                (survey.touchpoint_id, survey.check_answers(&input.answers)?)
            }
            None => {
                let t = input.touchpoint.unwrap_or_default();
                if !self.touchpoints.contains(&t) {
                    return Err(FieldErrors::single("touchpoint", "unknown_id", "does not exist"));
                }
                (t, Map::new())
            }
        };
        Ok(NewResponse {
            key: input.key,
            survey_id: input.survey,
            touchpoint_id,
            customer: input.customer,
            at: input.at,
            answers,
            comment: input.comment,
            channel: input.channel,
            language: input.language,
        })
    }
}

/// Validates and stores responses; see the module policy.
pub async fn responses(store: &dyn Store, org: Id, items: Vec<Parsed<ResponseDraft>>) -> Result<BatchReport, AppError> {
    responses_in_chunks(store, org, items, CHUNK).await
}

/// [`responses`], `chunk` items per store call.
pub async fn responses_in_chunks(
    store: &dyn Store,
    org: Id,
    items: Vec<Parsed<ResponseDraft>>,
    chunk: usize,
) -> Result<BatchReport, AppError> {
    let ctx = ResponseContext::load(store, org).await?;
    let report = check_and_store(store, org, items, |d| ctx.check(&d), chunk).await?;
    Ok(report.finish("responses"))
}

/// Validates and stores events. A touchpoint, when named, must be the
/// organization's.
pub async fn events(store: &dyn Store, org: Id, items: Vec<Parsed<EventDraft>>) -> Result<BatchReport, AppError> {
    events_in_chunks(store, org, items, CHUNK).await
}

/// [`events`], `chunk` items per store call.
pub async fn events_in_chunks(
    store: &dyn Store,
    org: Id,
    items: Vec<Parsed<EventDraft>>,
    chunk: usize,
) -> Result<BatchReport, AppError> {
    let touchpoints: HashSet<Id> = store.list_touchpoints(org).await?.into_iter().map(|t| t.id).collect();
    let check = |d: EventDraft| match d.validate()? {
        e if e.touchpoint.is_some_and(|t| !touchpoints.contains(&t)) => {
            Err(FieldErrors::single("touchpoint", "unknown_id", "does not exist"))
        }
        e => Ok(e),
    };
    let report = check_and_store(store, org, items, check, chunk).await?;
    Ok(report.finish("events"))
}

/// A customer as sent by an integrator.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CustomerDraft {
    pub external_id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// Flat attributes (strings, numbers, booleans) that segments match on.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub attributes: Map<String, Value>,
}

impl CustomerDraft {
    pub fn validate(&self) -> Result<CustomerUpsert, FieldErrors> {
        let mut e = FieldErrors::new();
        let external_id = required_text(&mut e, "external_id", self.external_id.as_deref(), 200);
        let email = optional_text(&mut e, "email", self.email.as_deref(), 254).map(|s| s.to_lowercase());
        if email.as_deref().is_some_and(|m| !rapport_core::validate::is_email(m)) {
            e.add("email", "invalid_email", "must be an e-mail address");
        }
        let name = optional_text(&mut e, "name", self.name.as_deref(), 200);
        for (k, v) in &self.attributes {
            if matches!(v, Value::Object(_) | Value::Array(_)) {
                e.add(format!("attributes.{k}"), "invalid_type", "must be a string, number, boolean or null");
            }
            if k.is_empty() || k.len() > 60 {
                e.add(format!("attributes.{k}"), "invalid_key", "attribute names are 1-60 characters");
            }
        }
        if self.attributes.len() > 100 {
            e.add("attributes", "too_many", "at most 100 attributes");
        }
        rapport_core::validate::json_text(&mut e, "attributes", &self.attributes);
        e.into_result(CustomerUpsert { external_id, email, name, attributes: self.attributes.clone() })
    }
}

/// Validates and upserts customers (re-sending one updates it: idempotent).
pub async fn customers(store: &dyn Store, org: Id, items: Vec<Parsed<CustomerDraft>>) -> Result<BatchReport, AppError> {
    customers_in_chunks(store, org, items, CHUNK).await
}

/// [`customers`], `chunk` items per store call.
pub async fn customers_in_chunks(
    store: &dyn Store,
    org: Id,
    items: Vec<Parsed<CustomerDraft>>,
    chunk: usize,
) -> Result<BatchReport, AppError> {
    let report = check_and_store(store, org, items, |d| d.validate(), chunk).await?;
    Ok(report.finish("customers"))
}

/// One kind of item as the store takes it: one store call per chunk, an
/// outcome per item in order.
trait Storable: Sized {
    async fn store(store: &dyn Store, org: Id, rows: &[Self]) -> rapport_store::Result<Vec<Ingested>>;
}

impl Storable for NewResponse {
    async fn store(store: &dyn Store, org: Id, rows: &[Self]) -> rapport_store::Result<Vec<Ingested>> {
        store.ingest_responses(org, rows).await
    }
}

impl Storable for EventInput {
    async fn store(store: &dyn Store, org: Id, rows: &[Self]) -> rapport_store::Result<Vec<Ingested>> {
        store.ingest_events(org, rows).await
    }
}

impl Storable for CustomerUpsert {
    async fn store(store: &dyn Store, org: Id, rows: &[Self]) -> rapport_store::Result<Vec<Ingested>> {
        Ok(store.upsert_customers(org, rows).await?.into_iter().map(Ingested::Stored).collect())
    }
}

/// Judges every item with `check`, then stores the valid ones `chunk` at a
/// time, each outcome reported under its item's index (the module policy).
async fn check_and_store<D, T: Storable>(
    store: &dyn Store,
    org: Id,
    items: Vec<Parsed<D>>,
    check: impl Fn(D) -> Result<T, FieldErrors>,
    chunk: usize,
) -> Result<BatchReport, AppError> {
    let mut report = BatchReport::default();
    let (mut indexes, mut rows) = (Vec::new(), Vec::new());
    for (index, parsed) in items {
        match parsed.and_then(&check) {
            Ok(row) => {
                indexes.push(index);
                rows.push(row);
            }
            Err(e) => report.push(index, Err(e)),
        }
    }
    let chunk = chunk.max(1);
    for (part, at) in rows.chunks(chunk).zip(indexes.chunks(chunk)) {
        for (index, outcome) in at.iter().zip(T::store(store, org, part).await?) {
            report.push(*index, Ok(outcome));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson_lines_keep_their_numbers() {
        let body = b"{\"customer\": \"a\"}\n\n{bad json\n{\"customer\": 5}\n";
        let items = parse_items::<EventDraft>(body, true).unwrap();
        let idx: Vec<usize> = items.iter().map(|(i, _)| *i).collect();
        assert_eq!(idx, vec![0, 2, 3]);
        assert!(items[0].1.is_ok());
        assert_eq!(items[1].1.as_ref().unwrap_err().get("body").unwrap().code, "malformed");
        assert_eq!(items[2].1.as_ref().unwrap_err().get("customer").unwrap().code, "invalid_type");
    }

    #[test]
    fn the_item_cap_is_enforced_while_reading() {
        let many = |n: usize| format!("[{}]", vec!["0"; n].join(","));
        let items = parse_items::<EventDraft>(many(MAX_ITEMS).as_bytes(), false).unwrap();
        assert_eq!(items.len(), MAX_ITEMS);
        assert!(items.iter().all(|(_, r)| r.is_err()), "each bad item is rejected alone");
        assert!(matches!(
            parse_items::<EventDraft>(many(MAX_ITEMS + 1).as_bytes(), false),
            Err(AppError::BadRequest(_))
        ));
        let lines = "{}\n".repeat(MAX_ITEMS + 1);
        assert!(matches!(parse_items::<EventDraft>(lines.as_bytes(), true), Err(AppError::BadRequest(_))));
        // A truncated array is malformed, whatever came before.
        assert!(matches!(parse_items::<EventDraft>(b"[{}, {", false), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn json_object_or_array() {
        assert_eq!(parse_items::<EventDraft>(b"{\"customer\": \"a\"}", false).unwrap().len(), 1);
        assert_eq!(parse_items::<EventDraft>(b"[{}, {}, {}]", false).unwrap().len(), 3);
        assert!(matches!(parse_items::<EventDraft>(b"{nope", false), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn customer_attributes_must_be_flat() {
        let d: CustomerDraft = serde_json::from_value(serde_json::json!({
            "external_id": "c1", "email": "A@B.co", "attributes": {"plan": "pro", "tags": ["x"]}
        }))
        .unwrap();
        let e = d.validate().unwrap_err();
        assert_eq!(e.get("attributes.tags").unwrap().code, "invalid_type");
        let ok = CustomerDraft { attributes: Map::new(), ..d }.validate().unwrap();
        assert_eq!(ok.email.as_deref(), Some("a@b.co"));
    }

    #[test]
    fn report_counts_and_orders() {
        let mut r = BatchReport::default();
        r.push(2, Ok(Ingested::Duplicate(7)));
        r.push(0, Err(FieldErrors::single("at", "required", "is required")));
        r.push(1, Ok(Ingested::Stored(8)));
        let r = r.finish("responses");
        assert_eq!((r.accepted, r.duplicates, r.rejected), (1, 1, 1));
        assert_eq!(r.items.iter().map(|i| i.index).collect::<Vec<_>>(), vec![0, 1, 2]);
        assert_eq!(r.items[0].status, ItemStatus::Rejected);
    }
}
