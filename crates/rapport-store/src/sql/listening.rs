//! Listening's share of the SQL: surveys, listening posts, customers in bulk,
//! ingestion, the feedback lists, the timeline and erasure.
//!
//! [`__sql_listening!`](crate::__sql_listening) is expanded by
//! [`impl_sql_store!`](crate::impl_sql_store) inside its own scope, so it
//! uses that macro's helpers (`write`, `found`, `orgs`, ...) and defines one
//! free function per `Store` method, which the trait impl calls.
//!
//! Ingestion is the hot path. One call is one transaction holding the
//! organization's lock, so keys cannot race; its statements are few and
//! large: one lookup of the batch's keys, one of its customers (and one
//! insert of the unknown ones), then multi-row INSERTs of at most
//! [`MAX_ROWS_PER_INSERT`] rows and [`MAX_BINDS`] parameters each.
//! `INSERT ... RETURNING id` is read back sorted: under the lock ids are
//! handed out in the order of the VALUES (SQLite's rowid is max + 1, a
//! PostgreSQL identity draws its sequence row by row), which the stories
//! check item by item.
//!
//! Real time: the `notify` argument of `impl_sql_store!` is `None` where the
//! store sends notices to its own broadcast channel right after commit
//! (SQLite, one process), or a statement `$1 = channel, $2 = payload` run
//! inside the ingesting transaction (PostgreSQL's `pg_notify`, delivered on
//! commit to every server listening, this one included).

use super::{corrupt, from_json};
use crate::error::Result;
use crate::listening::{Ingested, TimelineItem};
use chrono::{DateTime, Utc};
use rapport_core::feedback::{Event, Response};
use rapport_core::lang::Lang;
use rapport_core::listening::ListeningPost;
use rapport_core::survey::{Localized, Survey, SurveyStatus};
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
     r.at, r.answers, r.comment, r.channel, r.language FROM responses r LEFT JOIN customers c ON c.id = r.customer_id";

/// The columns of [`EventRow`] from `events r LEFT JOIN customers c`.
pub const EVENT_COLUMNS: &str = "r.id, r.idempotency_key, r.kind, c.external_id AS customer, r.at, r.touchpoint_id, \
     r.amount, r.attributes FROM events r LEFT JOIN customers c ON c.id = r.customer_id";

/// The listening methods' bodies; see the module documentation.
#[doc(hidden)]
#[macro_export]
macro_rules! __sql_listening {
    (store: $store:ty, database: $db:ty, begin_write: $begin:literal, notify: $notify:expr $(,)?) => {
        use $crate::listening::{
            Erasure, FeedbackFilter, Ingested, NewResponse, Notice, NoticeKind, Page, TimelineItem,
        };
        use $crate::sql::listening as l;
        use $crate::sql::__private::chrono::SubsecRound;
        use $crate::sql::__private::rapport_core::feedback::{Event, EventInput, Response};
        use $crate::sql::__private::rapport_core::listening::{ListeningPost, ListeningPostInput};
        use $crate::sql::__private::rapport_core::survey::{Survey, SurveyInput, SurveyStatus};
        use $crate::sql::__private::serde_json::{Map as JsonMap, Value as JsonValue};
        use std::collections::HashMap;

        /// `Some(sql)`: notify inside the transaction; `None`: send after commit.
        const NOTIFY: Option<&str> = $notify;

        const SURVEY: &str = "SELECT id FROM surveys WHERE org_id = $1 AND id = $2";
        const LISTENING_POST: &str = "SELECT id FROM listening_posts WHERE org_id = $1 AND id = $2";
        const SURVEY_COLUMNS: &str = "SELECT org_id, id, touchpoint_id, title_en, title_es, intro_en, intro_es, \
             questions, fatigue_days, status, token, created_at FROM surveys";

        type Query<'q> = sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>>;

        /// Binds what a survey's writes set, after what `q` has bound.
        fn bind_survey<'q>(q: Query<'q>, survey: &'q SurveyInput, questions: String) -> Query<'q> {
            q.bind(survey.touchpoint_id)
                .bind(&survey.title.en)
                .bind(&survey.title.es)
                .bind(&survey.intro.en)
                .bind(&survey.intro.es)
                .bind(questions)
                .bind(survey.fatigue_days)
        }

        /// Binds what a listening post's writes set, after what `q` has bound.
        fn bind_post<'q>(q: Query<'q>, post: &'q ListeningPostInput) -> Query<'q> {
            q.bind(&post.name)
                .bind(&post.channel)
                .bind(post.touchpoint_id)
                .bind(post.priority)
                .bind(post.governed_by)
                .bind(post.response_hours)
                .bind(&post.notes)
        }

        /// The id a `... RETURNING id` statement answered.
        fn returned_id(row: <$db as sqlx::Database>::Row) -> Result<Id> {
            Ok(sqlx::Row::try_get(&row, 0)?)
        }

        /// Publishes inside the transaction, where notices travel through the
        /// database.
        async fn notify_in(c: &mut Conn, org: Id, kind: NoticeKind, ids: &[Id]) -> Result<()> {
            if let Some(sql) = NOTIFY {
                for payload in $crate::listening::notice_payloads(org, kind, ids) {
                    sqlx::query(sql)
                        .bind($crate::listening::NOTICE_CHANNEL)
                        .bind(payload)
                        .execute(&mut *c)
                        .await?;
                }
            }
            Ok(())
        }

        /// Publishes once committed, where notices stay in this process.
        fn notify_after(store: &$store, org: Id, kind: NoticeKind, ids: &[Id]) {
            if NOTIFY.is_none() {
                for id in ids {
                    // No subscriber is not an error.
                    let _ = store.notices.send(Notice { org, kind, id: *id });
                }
            }
        }

        // ---- Installation -------------------------------------------------

        async fn installation_secret(store: &$store, candidate: &str) -> Result<String> {
            let mut tx = store.pool.begin_with($begin).await?;
            sqlx::query(
                "INSERT INTO installation_settings (name, value) VALUES ('secret', $1) ON CONFLICT (name) DO NOTHING",
            )
            .bind(candidate)
            .execute(&mut *tx)
            .await?;
            let secret: String = sqlx::query_scalar("SELECT value FROM installation_settings WHERE name = 'secret'")
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(secret)
        }

        // ---- Surveys ------------------------------------------------------

        async fn surveys(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Survey>> {
            let sql = format!("{SURVEY_COLUMNS} WHERE org_id = $1 AND ($2 IS NULL OR id = $2)");
            let rows: Vec<l::SurveyRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_all(&mut *c).await?;
            let mut out = rows.into_iter().map(l::SurveyRow::survey).collect::<Result<Vec<Survey>>>()?;
            s::sort_by_name(&mut out, |x| (&x.title.en, x.id));
            Ok(out)
        }

        async fn list_surveys(store: &$store, org: Id) -> Result<Vec<Survey>> {
            surveys(&mut *store.pool.acquire().await?, org, None).await
        }

        async fn get_survey(store: &$store, org: Id, id: Id) -> Result<Survey> {
            s::one(surveys(&mut *store.pool.acquire().await?, org, Some(id)).await?)
        }

        async fn survey_by_token(store: &$store, token: &str) -> Result<Option<(Organization, Survey)>> {
            let mut c = store.pool.acquire().await?;
            let sql = format!("{SURVEY_COLUMNS} WHERE token = $1");
            let row: Option<l::SurveyRow> = sqlx::query_as(&sql).bind(token).fetch_optional(&mut *c).await?;
            let Some(row) = row else { return Ok(None) };
            let org = s::one(orgs(&mut c, Some(row.org_id), None).await?)?;
            Ok(Some((org, row.survey()?)))
        }

        async fn check_survey(c: &mut Conn, org: Id, survey: &SurveyInput) -> Result<()> {
            let mut e = FieldErrors::new();
            check(c, &mut e, TOUCHPOINT, org, survey.touchpoint_id, "touchpoint_id".into()).await?;
            s::invalid_if_any(e)
        }

        async fn create_survey(store: &$store, org: Id, survey: &SurveyInput, token: &str) -> Result<Survey> {
            let mut tx = write(store, org).await?;
            check_survey(&mut tx, org, survey).await?;
            let insert = sqlx::query(
                "INSERT INTO surveys (org_id, status, token, created_at, touchpoint_id, title_en, title_es, \
                 intro_en, intro_es, questions, fatigue_days) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 RETURNING id",
            )
            .bind(org)
            .bind(SurveyStatus::Draft.key())
            .bind(token)
            .bind(s::now());
            let row = bind_survey(insert, survey, s::to_json(&survey.questions)?)
                .fetch_one(&mut *tx)
                .await
                .map_err(s::taken("token", "is already used by another survey"))?;
            let id = returned_id(row)?;
            let out = s::one(surveys(&mut tx, org, Some(id)).await?)?;
            tx.commit().await?;
            Ok(out)
        }

        async fn update_survey(store: &$store, org: Id, id: Id, survey: &SurveyInput) -> Result<Survey> {
            let mut tx = write(store, org).await?;
            must_exist(&mut tx, SURVEY, org, id).await?;
            check_survey(&mut tx, org, survey).await?;
            let update = sqlx::query(
                "UPDATE surveys SET touchpoint_id = $3, title_en = $4, title_es = $5, intro_en = $6, intro_es = $7, \
                 questions = $8, fatigue_days = $9 WHERE org_id = $1 AND id = $2",
            )
            .bind(org)
            .bind(id);
            bind_survey(update, survey, s::to_json(&survey.questions)?).execute(&mut *tx).await?;
            let out = s::one(surveys(&mut tx, org, Some(id)).await?)?;
            tx.commit().await?;
            Ok(out)
        }

        async fn set_survey_status(store: &$store, org: Id, id: Id, status: SurveyStatus) -> Result<Survey> {
            let mut tx = write(store, org).await?;
            sqlx::query("UPDATE surveys SET status = $3 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .bind(status.key())
                .execute(&mut *tx)
                .await?;
            let out = s::one(surveys(&mut tx, org, Some(id)).await?)?;
            tx.commit().await?;
            Ok(out)
        }

        async fn delete_survey(store: &$store, org: Id, id: Id) -> Result<()> {
            let mut tx = write(store, org).await?;
            must_exist(&mut tx, SURVEY, org, id).await?;
            let responses = "SELECT id FROM responses WHERE org_id = $1 AND survey_id = $2 LIMIT 1";
            refuse_if_used(&mut tx, responses, org, id, "has responses; close it instead").await?;
            sqlx::query("DELETE FROM surveys WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        // ---- Listening posts ---------------------------------------------

        async fn listening_posts(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<ListeningPost>> {
            let rows: Vec<l::ListeningPostRow> = sqlx::query_as(
                "SELECT id, name, channel, touchpoint_id, priority, governed_by, response_hours, notes \
                 FROM listening_posts WHERE org_id = $1 AND ($2 IS NULL OR id = $2)",
            )
            .bind(org)
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let mut out: Vec<ListeningPost> = rows.into_iter().map(Into::into).collect();
            l::sort_posts(&mut out);
            Ok(out)
        }

        async fn check_listening_post(c: &mut Conn, org: Id, post: &ListeningPostInput) -> Result<()> {
            let mut e = FieldErrors::new();
            if let Some(tp) = post.touchpoint_id {
                check(c, &mut e, TOUCHPOINT, org, tp, "touchpoint_id".into()).await?;
            }
            if let Some(person) = post.governed_by {
                check(c, &mut e, PERSON, org, person, "governed_by".into()).await?;
            }
            s::invalid_if_any(e)
        }

        async fn list_listening_posts(store: &$store, org: Id) -> Result<Vec<ListeningPost>> {
            listening_posts(&mut *store.pool.acquire().await?, org, None).await
        }

        async fn get_listening_post(store: &$store, org: Id, id: Id) -> Result<ListeningPost> {
            s::one(listening_posts(&mut *store.pool.acquire().await?, org, Some(id)).await?)
        }

        async fn create_listening_post(store: &$store, org: Id, post: &ListeningPostInput) -> Result<ListeningPost> {
            let mut tx = write(store, org).await?;
            check_listening_post(&mut tx, org, post).await?;
            let insert = sqlx::query(
                "INSERT INTO listening_posts (org_id, name, channel, touchpoint_id, priority, governed_by, \
                 response_hours, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(org);
            let id = returned_id(bind_post(insert, post).fetch_one(&mut *tx).await?)?;
            let out = s::one(listening_posts(&mut tx, org, Some(id)).await?)?;
            tx.commit().await?;
            Ok(out)
        }

        async fn update_listening_post(
            store: &$store,
            org: Id,
            id: Id,
            post: &ListeningPostInput,
        ) -> Result<ListeningPost> {
            let mut tx = write(store, org).await?;
            must_exist(&mut tx, LISTENING_POST, org, id).await?;
            check_listening_post(&mut tx, org, post).await?;
            let update = sqlx::query(
                "UPDATE listening_posts SET name = $3, channel = $4, touchpoint_id = $5, priority = $6, \
                 governed_by = $7, response_hours = $8, notes = $9 WHERE org_id = $1 AND id = $2",
            )
            .bind(org)
            .bind(id);
            bind_post(update, post).execute(&mut *tx).await?;
            let out = s::one(listening_posts(&mut tx, org, Some(id)).await?)?;
            tx.commit().await?;
            Ok(out)
        }

        async fn delete_listening_post(store: &$store, org: Id, id: Id) -> Result<()> {
            let mut tx = write(store, org).await?;
            must_exist(&mut tx, LISTENING_POST, org, id).await?;
            sqlx::query("DELETE FROM listening_posts WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        /// The rows `select` (ending in `WHERE` or `AND`) finds of the
        /// organization whose `column` is one of `values`, in chunks of
        /// `LOOKUP_CHUNK` (never as named statements: see `LOOKUP_CHUNK`).
        async fn lookup<'a, K, R>(c: &mut Conn, select: &str, org: Id, column: &str, values: &'a [K]) -> Result<Vec<R>>
        where
            K: 'a + sqlx::Encode<'a, $db> + sqlx::Type<$db> + Copy + Send + Sync,
            R: for<'r> sqlx::FromRow<'r, <$db as sqlx::Database>::Row> + Send + Unpin,
        {
            let mut out = Vec::new();
            for chunk in values.chunks(l::LOOKUP_CHUNK) {
                let mut qb = sqlx::QueryBuilder::<$db>::new(select);
                qb.push(" org_id = ").push_bind(org).push(format!(" AND {column} IN ("));
                let mut list = qb.separated(", ");
                for v in chunk {
                    list.push_bind(*v);
                }
                list.push_unseparated(")");
                out.extend(qb.build_query_as::<R>().persistent(false).fetch_all(&mut *c).await?);
            }
            Ok(out)
        }

        // ---- Customers ----------------------------------------------------

        const CUSTOMER_COLUMNS: &str = "SELECT id, external_id, email, name, attributes, created_at FROM customers";

        async fn customer(c: &mut Conn, org: Id, external_id: &str) -> Result<Customer> {
            let sql = format!("{CUSTOMER_COLUMNS} WHERE org_id = $1 AND external_id = $2");
            let row: Option<s::CustomerRow> =
                sqlx::query_as(&sql).bind(org).bind(external_id).fetch_optional(&mut *c).await?;
            row.ok_or(StoreError::NotFound)?.customer()
        }

        async fn customer_id(c: &mut Conn, org: Id, external_id: &str) -> Result<Option<Id>> {
            Ok(sqlx::query_scalar("SELECT id FROM customers WHERE org_id = $1 AND external_id = $2")
                .bind(org)
                .bind(external_id)
                .fetch_optional(&mut *c)
                .await?)
        }

        /// The ids of the customers with these external ids, creating bare
        /// ones for those the organization does not know yet.
        async fn customer_ids(c: &mut Conn, org: Id, external: Vec<&str>) -> Result<HashMap<String, Id>> {
            let wanted = l::distinct(external);
            let found: Vec<(String, Id)> =
                lookup(c, "SELECT external_id, id FROM customers WHERE", org, "external_id", &wanted).await?;
            let mut out: HashMap<String, Id> = found.into_iter().collect();
            let missing: Vec<&str> = wanted.into_iter().filter(|e| !out.contains_key(*e)).collect();
            let mut created: Vec<Id> = Vec::with_capacity(missing.len());
            let now = s::now();
            let per = l::rows_per_insert(5);
            for chunk in missing.chunks(per) {
                let mut qb = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO customers (org_id, external_id, attributes, created_at, updated_at) ",
                );
                qb.push_values(chunk, |mut b, e| {
                    b.push_bind(org).push_bind(*e).push_bind("{}").push_bind(now).push_bind(now);
                });
                qb.push(" RETURNING external_id, id");
                let rows: Vec<(String, Id)> =
                    qb.build_query_as().persistent(chunk.len() == per).fetch_all(&mut *c).await?;
                created.extend(rows.iter().map(|r| r.1));
                out.extend(rows);
            }
            // Bare customers have no attributes, but a rule may still hold
            // (e.g. one with no conditions).
            if !created.is_empty() {
                refresh_members(c, org, Some(&created), true).await?;
            }
            Ok(out)
        }

        async fn upsert_customers(store: &$store, org: Id, customers: &[CustomerUpsert]) -> Result<Vec<Id>> {
            let mut tx = write(store, org).await?;
            // One row per external id (the last item wins): an upsert may not
            // touch a row twice.
            let mut last: HashMap<&str, usize> = HashMap::with_capacity(customers.len());
            for (i, c) in customers.iter().enumerate() {
                last.insert(&c.external_id, i);
            }
            let mut unique: Vec<usize> = last.into_values().collect();
            unique.sort_unstable();
            let attributes =
                unique.iter().map(|i| s::to_json(&customers[*i].attributes)).collect::<Result<Vec<String>>>()?;
            let rows: Vec<(&CustomerUpsert, &String)> =
                unique.iter().map(|i| &customers[*i]).zip(attributes.iter()).collect();
            let now = s::now();
            let per = l::rows_per_insert(7);
            let mut ids: HashMap<String, Id> = HashMap::with_capacity(rows.len());
            for chunk in rows.chunks(per) {
                let mut qb = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO customers (org_id, external_id, email, name, attributes, created_at, updated_at) ",
                );
                qb.push_values(chunk, |mut b, (c, attrs)| {
                    b.push_bind(org)
                        .push_bind(c.external_id.as_str())
                        .push_bind(c.email.as_deref())
                        .push_bind(c.name.as_deref())
                        .push_bind(attrs.as_str())
                        .push_bind(now)
                        .push_bind(now);
                });
                qb.push(
                    " ON CONFLICT (org_id, external_id) DO UPDATE SET email = excluded.email, name = excluded.name, \
                     attributes = excluded.attributes, updated_at = excluded.updated_at RETURNING external_id, id",
                );
                let got: Vec<(String, Id)> =
                    qb.build_query_as().persistent(chunk.len() == per).fetch_all(&mut *tx).await?;
                ids.extend(got);
            }
            let touched: Vec<Id> = ids.values().copied().collect();
            refresh_members(&mut tx, org, Some(&touched), true).await?;
            tx.commit().await?;
            customers
                .iter()
                .map(|c| {
                    let id = ids.get(&c.external_id).copied();
                    id.ok_or_else(|| s::corrupt("no id for an upserted customer".into()))
                })
                .collect()
        }

        async fn get_customer(store: &$store, org: Id, external_id: &str) -> Result<Customer> {
            customer(&mut *store.pool.acquire().await?, org, external_id).await
        }

        async fn search_customers(store: &$store, org: Id, query: &str, limit: i64) -> Result<Vec<Customer>> {
            let escaped: String = query
                .trim()
                .to_lowercase()
                .chars()
                .flat_map(|ch| match ch {
                    '%' | '_' | '\\' => vec!['\\', ch],
                    ch => vec![ch],
                })
                .collect();
            let sql = format!(
                "{CUSTOMER_COLUMNS} WHERE org_id = $1 AND (lower(external_id) LIKE $2 ESCAPE '\\' \
                 OR lower(name) LIKE $2 ESCAPE '\\' OR lower(email) LIKE $2 ESCAPE '\\') \
                 ORDER BY external_id LIMIT $3"
            );
            let rows: Vec<s::CustomerRow> = sqlx::query_as(&sql)
                .bind(org)
                .bind(format!("%{escaped}%"))
                .bind(limit.max(0))
                .fetch_all(&store.pool)
                .await?;
            let mut out = rows.into_iter().map(s::CustomerRow::customer).collect::<Result<Vec<Customer>>>()?;
            // By external id, byte for byte, whatever the collation.
            out.sort_by(|a, b| a.external_id.cmp(&b.external_id));
            Ok(out)
        }

        async fn erase_customer(store: &$store, org: Id, external_id: &str, actor: &str) -> Result<Erasure> {
            let mut tx = write(store, org).await?;
            let id = customer_id(&mut tx, org, external_id).await?.ok_or(StoreError::NotFound)?;
            // Out of every segment: the anonymous answers count for everyone only.
            leave_segments(&mut tx, org, id).await?;
            // What the customer said lives on in case steps too.
            sqlx::query(
                "UPDATE case_steps SET note = NULL, proposal = NULL, action = NULL, root_cause_note = NULL \
                 WHERE org_id = $1 AND case_id IN (SELECT id FROM cases WHERE org_id = $1 AND customer_id = $2)",
            )
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let rows: Vec<(Id, Option<Id>, String)> =
                sqlx::query_as("SELECT id, survey_id, answers FROM responses WHERE org_id = $1 AND customer_id = $2")
                    .bind(org)
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?;
            let mut questions = HashMap::new();
            for survey in l::distinct(rows.iter().filter_map(|r| r.1)) {
                let survey = s::one(surveys(&mut tx, org, Some(survey)).await?)?;
                questions.insert(survey.id, survey.questions);
            }
            for (response, survey, answers) in &rows {
                let answers: JsonMap<String, JsonValue> = s::from_json("response answers", answers)?;
                let asked = survey.and_then(|id| questions.get(&id)).map_or(&[][..], |q| &q[..]);
                let kept = $crate::listening::anonymous_answers(asked, &answers);
                sqlx::query(
                    "UPDATE responses SET customer_id = NULL, idempotency_key = NULL, comment = NULL, answers = $3 \
                     WHERE org_id = $1 AND id = $2",
                )
                .bind(org)
                .bind(*response)
                .bind(s::to_json(&kept)?)
                .execute(&mut *tx)
                .await?;
            }
            let events = sqlx::query(
                "UPDATE events SET customer_id = NULL, idempotency_key = NULL, attributes = '{}' \
                 WHERE org_id = $1 AND customer_id = $2",
            )
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query("DELETE FROM customers WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO audit_log (org_id, at, actor, action, subject) VALUES ($1, $2, $3, $4, $5)")
                .bind(org)
                .bind(s::now())
                .bind(actor)
                .bind("customer.erase")
                .bind(format!("customer:{id}"))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Erasure { customer_id: id, responses: rows.len() as u64, events })
        }

        // ---- Ingestion ----------------------------------------------------

        /// The stored rows of `table` holding these keys, by key.
        async fn existing_keys(c: &mut Conn, table: &str, org: Id, keys: Vec<&str>) -> Result<HashMap<String, Id>> {
            let select = format!("SELECT idempotency_key, id FROM {table} WHERE idempotency_key IS NOT NULL AND");
            let found: Vec<(String, Id)> = lookup(c, &select, org, "idempotency_key", &l::distinct(keys)).await?;
            Ok(found.into_iter().collect())
        }

        /// Records `items[i].FIELD` for every item naming a row of `table`
        /// outside the organization.
        async fn check_batch_refs(
            c: &mut Conn,
            e: &mut FieldErrors,
            table: &str,
            field: &str,
            org: Id,
            refs: &[Option<Id>],
        ) -> Result<()> {
            let wanted = l::distinct(refs.iter().flatten().copied());
            let found: Vec<(Id,)> = lookup(c, &format!("SELECT id FROM {table} WHERE"), org, "id", &wanted).await?;
            let known: std::collections::HashSet<Id> = found.into_iter().map(|(id,)| id).collect();
            for (i, r) in refs.iter().enumerate() {
                if r.is_some_and(|id| !known.contains(&id)) {
                    s::unknown(e, format!("items[{i}].{field}"));
                }
            }
            Ok(())
        }

        /// What to do with each item, given the keys `table` already holds.
        async fn plan_keys(c: &mut Conn, table: &str, org: Id, keys: &[Option<&str>]) -> Result<Vec<l::Plan>> {
            let existing = existing_keys(c, table, org, keys.iter().flatten().copied().collect()).await?;
            Ok(l::plan_batch(keys, &existing))
        }

        /// Inserts `rows` with multi-row INSERTs (`head` names the table and
        /// its `columns` columns; `push` binds one row) and returns their ids
        /// in the order of `rows`.
        async fn insert_rows<'a, T, F>(
            c: &mut Conn,
            head: &str,
            columns: usize,
            rows: &'a [T],
            push: F,
        ) -> Result<Vec<Id>>
        where
            T: Sync,
            F: Fn(&mut sqlx::query_builder::Separated<'_, 'a, $db, &'static str>, &'a T) + Send + Sync,
        {
            let per = l::rows_per_insert(columns);
            let mut ids: Vec<Id> = Vec::with_capacity(rows.len());
            for chunk in rows.chunks(per) {
                let mut qb = sqlx::QueryBuilder::<$db>::new(head);
                qb.push_values(chunk, |mut b, row| push(&mut b, row));
                qb.push(" RETURNING id");
                let mut got: Vec<Id> =
                    qb.build_query_scalar().persistent(chunk.len() == per).fetch_all(&mut *c).await?;
                // Handed out in the order of the VALUES (see the module docs).
                got.sort_unstable();
                ids.extend(got);
            }
            Ok(ids)
        }

        /// Publishes the stored items, commits, and answers per item.
        async fn finish_ingest(
            store: &$store,
            mut tx: Tx,
            org: Id,
            kind: NoticeKind,
            plan: &[l::Plan],
            ids: Vec<Id>,
            cases: Vec<Id>,
        ) -> Result<Vec<Ingested>> {
            notify_in(&mut tx, org, kind, &ids).await?;
            notify_in(&mut tx, org, NoticeKind::Case, &cases).await?;
            tx.commit().await?;
            notify_after(store, org, kind, &ids);
            notify_after(store, org, NoticeKind::Case, &cases);
            Ok(l::outcomes(plan, &ids))
        }

        async fn ingest_responses(store: &$store, org: Id, items: &[NewResponse]) -> Result<Vec<Ingested>> {
            let mut tx = write(store, org).await?;
            let mut e = FieldErrors::new();
            let surveys: Vec<Option<Id>> = items.iter().map(|r| r.survey_id).collect();
            check_batch_refs(&mut tx, &mut e, "surveys", "survey_id", org, &surveys).await?;
            let touchpoints: Vec<Option<Id>> = items.iter().map(|r| Some(r.touchpoint_id)).collect();
            check_batch_refs(&mut tx, &mut e, "touchpoints", "touchpoint_id", org, &touchpoints).await?;
            s::invalid_if_any(e)?;
            let keys: Vec<Option<&str>> = items.iter().map(|r| r.key.as_deref()).collect();
            let plan = plan_keys(&mut tx, "responses", org, &keys).await?;
            let new: Vec<&NewResponse> =
                items.iter().zip(&plan).filter(|(_, p)| **p == l::Plan::Insert).map(|(r, _)| r).collect();
            let named = new.iter().filter_map(|r| r.customer.as_deref()).collect();
            let customers = customer_ids(&mut tx, org, named).await?;
            let rows = new
                .into_iter()
                .map(|r| {
                    let customer = r.customer.as_deref().and_then(|c| customers.get(c).copied());
                    Ok((r, customer, s::to_json(&r.answers)?))
                })
                .collect::<Result<Vec<(&NewResponse, Option<Id>, String)>>>()?;
            let received = s::now();
            let head = "INSERT INTO responses (org_id, idempotency_key, survey_id, touchpoint_id, customer_id, at, \
                        answers, comment, channel, language, received_at) ";
            let ids = insert_rows(&mut tx, head, 11, &rows, |b, (r, customer, answers)| {
                b.push_bind(org)
                    .push_bind(r.key.as_deref())
                    .push_bind(r.survey_id)
                    .push_bind(r.touchpoint_id)
                    .push_bind(*customer)
                    .push_bind(r.at.trunc_subsecs(6))
                    .push_bind(answers.as_str())
                    .push_bind(r.comment.as_deref())
                    .push_bind(r.channel.as_deref())
                    .push_bind(r.language.map(Lang::code))
                    .push_bind(received);
            })
            .await?;
            let tallied: Vec<_> =
                rows.iter().map(|(r, customer, _)| (*customer, r.touchpoint_id, r.at, r.survey_id, &r.answers)).collect();
            tally_responses(&mut tx, org, &tallied).await?;
            let facts: Vec<_> = rows
                .iter()
                .zip(&ids)
                .map(|((r, customer, _), id)| {
                    (*id, *customer, r.touchpoint_id, r.at, r.channel.as_deref(), r.survey_id, &r.answers, r.comment.as_deref())
                })
                .collect();
            let cases = cases_from_responses(&mut tx, org, &facts, received).await?;
            finish_ingest(store, tx, org, NoticeKind::Response, &plan, ids, cases).await
        }

        async fn ingest_events(store: &$store, org: Id, items: &[EventInput]) -> Result<Vec<Ingested>> {
            let mut tx = write(store, org).await?;
            let mut e = FieldErrors::new();
            let touchpoints: Vec<Option<Id>> = items.iter().map(|x| x.touchpoint).collect();
            check_batch_refs(&mut tx, &mut e, "touchpoints", "touchpoint", org, &touchpoints).await?;
            s::invalid_if_any(e)?;
            let keys: Vec<Option<&str>> = items.iter().map(|x| x.key.as_deref()).collect();
            let plan = plan_keys(&mut tx, "events", org, &keys).await?;
            let new: Vec<&EventInput> =
                items.iter().zip(&plan).filter(|(_, p)| **p == l::Plan::Insert).map(|(x, _)| x).collect();
            let customers = customer_ids(&mut tx, org, new.iter().map(|x| x.customer.as_str()).collect()).await?;
            let rows = new
                .into_iter()
                .map(|x| Ok((x, customers.get(&x.customer).copied(), x.kind.key(), s::to_json(&x.attributes)?)))
                .collect::<Result<Vec<(&EventInput, Option<Id>, String, String)>>>()?;
            let received = s::now();
            let head = "INSERT INTO events (org_id, idempotency_key, kind, customer_id, at, touchpoint_id, amount, \
                        attributes, received_at) ";
            let ids = insert_rows(&mut tx, head, 9, &rows, |b, (x, customer, kind, attributes)| {
                b.push_bind(org)
                    .push_bind(x.key.as_deref())
                    .push_bind(kind.as_str())
                    .push_bind(*customer)
                    .push_bind(x.at.trunc_subsecs(6))
                    .push_bind(x.touchpoint)
                    .push_bind(x.amount)
                    .push_bind(attributes.as_str())
                    .push_bind(received);
            })
            .await?;
            let tallied: Vec<_> =
                rows.iter().map(|(x, customer, kind, _)| (*customer, x.at, kind.as_str(), x.touchpoint, x.amount)).collect();
            tally_events(&mut tx, org, &tallied).await?;
            let facts: Vec<_> =
                rows.iter().zip(&ids).map(|((x, customer, kind, _), id)| (*id, *customer, x.touchpoint, x.at, kind.as_str())).collect();
            let cases = cases_from_events(&mut tx, org, &facts, received).await?;
            finish_ingest(store, tx, org, NoticeKind::Event, &plan, ids, cases).await
        }

        // ---- Reading feedback ---------------------------------------------

        async fn last_response_at(
            store: &$store,
            org: Id,
            survey: Id,
            external_id: &str,
        ) -> Result<Option<DateTime<Utc>>> {
            let mut c = store.pool.acquire().await?;
            let Some(customer) = customer_id(&mut c, org, external_id).await? else { return Ok(None) };
            Ok(sqlx::query_scalar(
                "SELECT at FROM responses WHERE org_id = $1 AND customer_id = $2 AND survey_id = $3 \
                 ORDER BY at DESC LIMIT 1",
            )
            .bind(org)
            .bind(customer)
            .bind(survey)
            .fetch_optional(&mut *c)
            .await?)
        }

        /// Appends the filter's conditions on `r` (a responses or events
        /// alias) to a query that ends in `WHERE`.
        fn push_filter(
            qb: &mut sqlx::QueryBuilder<'_, $db>,
            org: Id,
            customer: Option<Id>,
            f: &FeedbackFilter,
            with_survey: bool,
        ) {
            qb.push(" r.org_id = ").push_bind(org);
            if let Some(c) = customer {
                qb.push(" AND r.customer_id = ").push_bind(c);
            }
            if let Some(tp) = f.touchpoint {
                qb.push(" AND r.touchpoint_id = ").push_bind(tp);
            }
            if let Some(survey) = f.survey.filter(|_| with_survey) {
                qb.push(" AND r.survey_id = ").push_bind(survey);
            }
            if let Some(from) = f.from {
                qb.push(" AND r.at >= ").push_bind(from);
            }
            if let Some(to) = f.to {
                qb.push(" AND r.at < ").push_bind(to);
            }
        }

        /// One page of `table` under the filter and the count of all
        /// matching rows; `None` when the filter names an unknown customer.
        async fn feedback_page<R>(
            c: &mut Conn,
            org: Id,
            f: &FeedbackFilter,
            table: &str,
            columns: &str,
            with_survey: bool,
        ) -> Result<Option<(Vec<R>, i64)>>
        where
            R: for<'r> sqlx::FromRow<'r, <$db as sqlx::Database>::Row> + Send + Unpin,
        {
            let customer = match &f.customer {
                None => None,
                Some(external) => match customer_id(c, org, external).await? {
                    Some(id) => Some(id),
                    None => return Ok(None),
                },
            };
            let mut count = sqlx::QueryBuilder::<$db>::new(format!("SELECT COUNT(*) FROM {table} r WHERE"));
            push_filter(&mut count, org, customer, f, with_survey);
            let total: i64 = count.build_query_scalar().fetch_one(&mut *c).await?;
            let mut page = sqlx::QueryBuilder::<$db>::new(format!("SELECT {columns} WHERE"));
            push_filter(&mut page, org, customer, f, with_survey);
            page.push(" ORDER BY r.at DESC, r.id DESC LIMIT ").push_bind(f.limit.max(0));
            page.push(" OFFSET ").push_bind(f.offset.max(0));
            let rows: Vec<R> = page.build_query_as().fetch_all(&mut *c).await?;
            Ok(Some((rows, total)))
        }

        async fn list_responses(store: &$store, org: Id, f: &FeedbackFilter) -> Result<Page<Response>> {
            let mut c = store.pool.acquire().await?;
            let page = feedback_page::<l::ResponseRow>(&mut c, org, f, "responses", l::RESPONSE_COLUMNS, true).await?;
            let Some((rows, total)) = page else { return Ok(Page { items: vec![], total: 0 }) };
            let items = rows.into_iter().map(l::ResponseRow::response).collect::<Result<Vec<Response>>>()?;
            Ok(Page { items, total })
        }

        async fn list_events(store: &$store, org: Id, f: &FeedbackFilter) -> Result<Page<Event>> {
            let mut c = store.pool.acquire().await?;
            let page = feedback_page::<l::EventRow>(&mut c, org, f, "events", l::EVENT_COLUMNS, false).await?;
            let Some((rows, total)) = page else { return Ok(Page { items: vec![], total: 0 }) };
            let items = rows.into_iter().map(l::EventRow::event).collect::<Result<Vec<Event>>>()?;
            Ok(Page { items, total })
        }

        async fn get_response(store: &$store, org: Id, id: Id) -> Result<Response> {
            let sql = format!("SELECT {} WHERE r.org_id = $1 AND r.id = $2", l::RESPONSE_COLUMNS);
            let row: Option<l::ResponseRow> =
                sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&store.pool).await?;
            row.ok_or(StoreError::NotFound)?.response()
        }

        async fn get_event(store: &$store, org: Id, id: Id) -> Result<Event> {
            let sql = format!("SELECT {} WHERE r.org_id = $1 AND r.id = $2", l::EVENT_COLUMNS);
            let row: Option<l::EventRow> =
                sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&store.pool).await?;
            row.ok_or(StoreError::NotFound)?.event()
        }

        async fn timeline(store: &$store, org: Id, external_id: &str, limit: i64) -> Result<Vec<TimelineItem>> {
            let mut c = store.pool.acquire().await?;
            let customer = customer_id(&mut c, org, external_id).await?.ok_or(StoreError::NotFound)?;
            let limit = limit.max(0);
            let newest = "WHERE r.org_id = $1 AND r.customer_id = $2 ORDER BY r.at DESC, r.id DESC LIMIT $3";
            let sql = format!("SELECT {} {newest}", l::RESPONSE_COLUMNS);
            let rows: Vec<l::ResponseRow> =
                sqlx::query_as(&sql).bind(org).bind(customer).bind(limit).fetch_all(&mut *c).await?;
            let responses = rows.into_iter().map(l::ResponseRow::response).collect::<Result<Vec<Response>>>()?;
            let sql = format!("SELECT {} {newest}", l::EVENT_COLUMNS);
            let rows: Vec<l::EventRow> =
                sqlx::query_as(&sql).bind(org).bind(customer).bind(limit).fetch_all(&mut *c).await?;
            let events = rows.into_iter().map(l::EventRow::event).collect::<Result<Vec<Event>>>()?;
            Ok(l::timeline(responses, events, limit))
        }
    };
}

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
