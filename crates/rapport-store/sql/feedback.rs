//! Ingestion (the hot path) and the reads of feedback: the lists, single
//! items, the timeline.
//!
//! Real time: the dialect's `NOTIFY` is `None` where the
//! store sends notices to its own broadcast channel right after commit
//! (SQLite, one process), or a statement `$1 = channel, $2 = payload` run
//! inside the ingesting transaction (PostgreSQL's `pg_notify`, delivered on
//! commit to every server listening, this one included).

use super::case_intake::{cases_from_events, cases_from_responses};
use super::counts;
use super::customers::{customer_id, customer_ids};
use super::feedback_count;
use super::feedback_narrow::{narrow, Narrowed};
use super::ingest::{check_batch_refs, finish_ingest, insert_rows, plan_keys};
use super::rollups::{survey_questions, tally_events, tally_responses};
use super::{themes, write, Conn};
use crate::dialect::{search_expression, Backend, Db, BY_ID, SEARCH_MATCH, SEARCH_SETTINGS};
use async_trait::async_trait;
use chrono::SubsecRound;
use chrono::{DateTime, Utc};
use rapport_core::feedback::{written_text, Event, EventInput, Response};
use rapport_core::lang::Lang;
use rapport_core::measure::band::bands;
use rapport_core::measure::Scale;
use rapport_core::text::{self, Analysis, FlagKind, ThemeMatcher};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::listening::{
    FeedbackFilter, Ingested, NewResponse, Notice, NoticeKind, Page, TextFilter, TimelineItem,
};
use rapport_store::listening::{TimeKey, TimelineKey};
use rapport_store::rows as s;
use rapport_store::rows::listening as l;
use rapport_store::rows::text::{SentimentDeltas, Tagged};
use rapport_store::{Result, StoreError};

/// What ingestion computes of what a customer wrote (the comment and the
/// free-text answers, `written_text`) before it takes the write lock.
struct Analysed {
    analysis: Analysis,
    /// `rapport_core::text::search::search_terms`.
    terms: Option<String>,
    /// The organization's themes the comment mentions.
    themes: Vec<Id>,
}

impl Analysed {
    fn of(comment: &str, language: Option<Lang>, matcher: &ThemeMatcher) -> Analysed {
        let analysis = text::analyze(comment, language);
        let themes = matcher.matches(comment, analysis.language);
        Analysed { terms: text::search::search_terms(comment), themes, analysis }
    }
}

/// Appends the filter's conditions on `r` (a responses or events
/// alias) to a query that ends in `WHERE`; `narrowed`, the rows looked up
/// first (`feedback_narrow`), stands for the conditions its flags name
/// (a search, a theme, a segment); the others are still written.
pub(super) fn push_filter(
    qb: &mut sqlx::QueryBuilder<'_, Db>,
    org: Id,
    customer: Option<Id>,
    f: &FeedbackFilter,
    with_survey: bool,
    narrowed: Option<&Narrowed>,
) {
    qb.push(" r.org_id = ").push_bind(org);
    if let Some(n) = narrowed {
        qb.push(n.condition());
    }
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
    if with_survey {
        push_text_filter(qb, &f.text, narrowed);
    }
}

/// The inbox's conditions on a responses alias `r`. Flags and "has a
/// comment" are written as literals so that the partial indexes
/// (`responses_wow`, `responses_anger`, `responses_commented`) apply.
fn push_text_filter(qb: &mut sqlx::QueryBuilder<'_, Db>, t: &TextFilter, narrowed: Option<&Narrowed>) {
    if let Some(experience) = t.experience {
        qb.push(
            " AND r.touchpoint_id IN (SELECT i.touchpoint_id FROM interactions i \
             WHERE i.experience_id = ",
        )
        .push_bind(experience)
        .push(" AND i.removed_at IS NULL)");
    }
    if let Some(segment) = t.segment.filter(|_| !narrowed.is_some_and(|n| n.segment)) {
        // Probed row by row, one primary-key look-up each: SQLite built
        // `customer_id IN (members)` whole for every statement, 300,000
        // ids of a large segment at a million customers (a page 71 ms ->
        // 0.1 ms). PostgreSQL plans both forms as the same semi-join.
        qb.push(" AND EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ")
            .push_bind(segment)
            .push(" AND m.customer_id = r.customer_id)");
    }
    if let Some(band) = t.band {
        let column = match band.code().0 {
            Scale::Nps => "nps_band",
            _ => "csat_band",
        };
        qb.push(format!(" AND r.{column} = ")).push_bind(band.code().1);
    }
    if let Some(label) = t.sentiment {
        qb.push(" AND r.sentiment_label = ").push_bind(label.code());
    }
    match t.flag {
        Some(FlagKind::Wow) => qb.push(" AND r.wow = 1"),
        Some(FlagKind::Anger) => qb.push(" AND r.anger = 1"),
        None => qb,
    };
    if t.has_comment {
        // Anything written: a comment or a free-text answer, analysed.
        qb.push(" AND r.sentiment_label IS NOT NULL");
    }
    if let Some(language) = t.language {
        qb.push(" AND r.language = ").push_bind(language.code());
    }
    if let Some(channel) = &t.channel {
        qb.push(" AND r.channel = ").push_bind(channel.clone());
    }
    if let Some(theme) = t.theme.filter(|_| !narrowed.is_some_and(|n| n.theme)) {
        // Found by its keywords, or tagged by hand. A common theme (a small
        // one is narrowed by id): checked row by row, one index probe each,
        // as the walk in time order meets them, rather than building the
        // whole set first (100,000 rows for a theme at a million responses).
        // `LIMIT 1 OFFSET 0` changes no answer; it keeps PostgreSQL from
        // turning the EXISTS into a hashed subplan, which built that set
        // (207 ms at a million responses; 2.7 ms probing row by row).
        qb.push(" AND (EXISTS (SELECT 1 FROM response_themes rt WHERE rt.response_id = r.id AND rt.theme_id = ")
            .push_bind(theme)
            .push(" LIMIT 1 OFFSET 0) OR EXISTS (SELECT 1 FROM response_tags tg WHERE tg.response_id = r.id AND tg.theme_id = ")
            .push_bind(theme)
            .push(" LIMIT 1 OFFSET 0))");
    }
    let groups = t.search.as_deref().map(text::search::search_query).unwrap_or_default();
    if !groups.is_empty() && !narrowed.is_some_and(|n| n.search) {
        let (open, close) = SEARCH_MATCH;
        qb.push(" AND ").push(open).push_bind(search_expression(&groups)).push(close);
    }
}

/// Appends the keyset condition "after `k`, newest first" on `r`
/// (`(r.at, r.id) < (k.at, k.id)`), written so that an index on `at`
/// (with `org_id`, `touchpoint_id` or `customer_id` before it) is read
/// from `k.at` down: a page deep in the list costs what the first does.
fn push_after(qb: &mut sqlx::QueryBuilder<'_, Db>, k: &TimeKey) {
    qb.push(" AND r.at <= ").push_bind(k.at);
    qb.push(" AND (r.at < ").push_bind(k.at).push(" OR r.id < ").push_bind(k.id).push(")");
}

/// `columns` (`… FROM table r …`) with `hint` written after `table r`.
fn with_hint(columns: &str, table: &str, hint: &str) -> String {
    let from = format!("FROM {table} r ");
    debug_assert!(columns.contains(&from), "the columns read {table} as r");
    columns.replacen(&from, &format!("FROM {table} r{hint} "), 1)
}

/// One page of `table` under the filter and the count of all matching
/// rows: the kept counter (`counted`) without conditions, else a count
/// that stops at `count_at_most` (or at a bounded read: `feedback_count`). `None` when the filter names an unknown
/// customer.
async fn feedback_page<R>(
    c: &mut Conn,
    org: Id,
    f: &FeedbackFilter,
    (table, counted): (&str, &str),
    columns: &str,
    with_survey: bool,
) -> Result<Option<(Vec<R>, i64, bool)>>
where
    R: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
{
    let customer = match &f.customer {
        None => None,
        Some(external) => match customer_id(c, org, external).await? {
            Some(id) => Some(id),
            None => return Ok(None),
        },
    };
    let narrowing = narrow(c, org, customer, f, (table, with_survey)).await?;
    let narrowed = narrowing.set.as_ref();
    if narrowed.is_some_and(|n| n.ids.is_empty()) {
        return Ok(Some((Vec::new(), 0, false)));
    }
    // Rows named by id are looked up by id (see `feedback_narrow`).
    let hint = if narrowed.is_some() { BY_ID } else { "" };
    let columns = with_hint(columns, table, hint);
    // A survey's responses alone are counted too (the survey list shows it).
    let survey_only =
        f.survey.filter(|_| with_survey && !FeedbackFilter { survey: None, ..f.clone() }.is_filtered(true));
    let filtered = survey_only.is_none() && f.is_filtered(with_survey);
    let (total, estimate) = if let Some(survey) = survey_only {
        (counts::kept(c, org, &counts::survey_kind(survey)).await?, false)
    } else if filtered {
        let cap = f.count_at_most.map(|n| n.max(0));
        feedback_count::count(c, org, customer, f, (table, hint, with_survey), &narrowing, cap).await?
    } else {
        (counts::kept(c, org, counted).await?, false)
    };
    let mut page = sqlx::QueryBuilder::<Db>::new(format!("SELECT {columns} WHERE"));
    push_filter(&mut page, org, customer, f, with_survey, narrowed);
    if let Some(k) = &f.after {
        push_after(&mut page, k);
    }
    page.push(" ORDER BY r.at DESC, r.id DESC LIMIT ").push_bind(f.limit.max(0));
    let rows: Vec<R> = page.build_query_as().persistent(narrowed.is_none()).fetch_all(&mut *c).await?;
    let (total, estimate) = if filtered { in_sight(total, estimate, rows.len() as i64, f) } else { (total, estimate) };
    Ok(Some((rows, total, estimate)))
}

/// The count corrected by the page read with it: a first page short of
/// `limit` holds every match, and a lower bound is at least the rows seen.
fn in_sight(total: i64, estimate: bool, rows: i64, f: &FeedbackFilter) -> (i64, bool) {
    if f.after.is_none() && rows < f.limit {
        (rows, false)
    } else if estimate {
        (total.max(rows), true)
    } else {
        (total, false)
    }
}

/// The newest `limit` rows of the customer in `columns` (responses or
/// events, aliased `r`) that come after `after` in the timeline's order;
/// `event` says which table it is (events come before responses of the
/// same instant).
async fn timeline_rows<R>(
    c: &mut Conn,
    org: Id,
    customer: Id,
    columns: &str,
    event: bool,
    after: Option<&TimelineKey>,
    limit: i64,
) -> Result<Vec<R>>
where
    R: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
{
    let mut qb = sqlx::QueryBuilder::<Db>::new(format!("SELECT {columns} WHERE r.org_id = "));
    qb.push_bind(org).push(" AND r.customer_id = ").push_bind(customer);
    if let Some(k) = after {
        match (k.event, event) {
            // The same table: older, or as old with a smaller id.
            (true, true) | (false, false) => push_after(&mut qb, &TimeKey { at: k.at, id: k.id }),
            // After an event come the responses of its instant.
            (true, false) => {
                qb.push(" AND r.at <= ").push_bind(k.at);
            }
            // After a response come only older events.
            (false, true) => {
                qb.push(" AND r.at < ").push_bind(k.at);
            }
        }
    }
    qb.push(" ORDER BY r.at DESC, r.id DESC LIMIT ").push_bind(limit);
    Ok(qb.build_query_as().fetch_all(&mut *c).await?)
}

async fn timeline(
    store: &Backend,
    org: Id,
    external_id: &str,
    after: Option<TimelineKey>,
    limit: i64,
) -> Result<Vec<TimelineItem>> {
    let mut c = store.pool.acquire().await?;
    let customer = customer_id(&mut c, org, external_id).await?.ok_or(StoreError::NotFound)?;
    let limit = limit.max(0);
    let after = after.as_ref();
    let rows: Vec<l::ResponseRow> =
        timeline_rows(&mut c, org, customer, l::RESPONSE_COLUMNS, false, after, limit).await?;
    let responses = rows.into_iter().map(l::ResponseRow::response).collect::<Result<Vec<Response>>>()?;
    let rows: Vec<l::EventRow> = timeline_rows(&mut c, org, customer, l::EVENT_COLUMNS, true, after, limit).await?;
    let events = rows.into_iter().map(l::EventRow::event).collect::<Result<Vec<Event>>>()?;
    Ok(l::timeline(responses, events, limit))
}

#[async_trait]
impl rapport_store::Feedback for Backend {
    async fn ingest_responses(&self, org: Id, items: &[NewResponse]) -> Result<Vec<Ingested>> {
        // Analysed before the write lock is taken: the lock waits for nobody's
        // CPU. Themes deleted meanwhile are dropped inside it (`tag_new`).
        let (matcher, questions) = {
            let mut c = self.pool.acquire().await?;
            let questions = survey_questions(&mut c, org, items.iter().filter_map(|r| r.survey_id)).await?;
            (ThemeMatcher::new(&themes::themes_of(&mut c, org).await?), questions)
        };
        let asked = |r: &NewResponse| r.survey_id.and_then(|s| questions.get(&s)).map_or(&[][..], |q| &q[..]);
        let analysed: Vec<Option<Analysed>> = items
            .iter()
            .map(|r| {
                let written = written_text(r.comment.as_deref(), asked(r), &r.answers)?;
                Some(Analysed::of(&written, r.language, &matcher))
            })
            .collect();
        let mut tx = write(self, org).await?;
        let mut e = FieldErrors::new();
        let surveys: Vec<Option<Id>> = items.iter().map(|r| r.survey_id).collect();
        check_batch_refs(&mut tx, &mut e, "surveys", "survey_id", org, &surveys).await?;
        let touchpoints: Vec<Option<Id>> = items.iter().map(|r| Some(r.touchpoint_id)).collect();
        check_batch_refs(&mut tx, &mut e, "touchpoints", "touchpoint_id", org, &touchpoints).await?;
        s::invalid_if_any(e)?;
        let keys: Vec<Option<&str>> = items.iter().map(|r| r.key.as_deref()).collect();
        let plan = plan_keys(&mut tx, "responses", org, &keys).await?;
        let new: Vec<(&NewResponse, Option<&Analysed>)> = items
            .iter()
            .zip(&analysed)
            .zip(&plan)
            .filter(|(_, p)| **p == l::Plan::Insert)
            .map(|((r, a), _)| (r, a.as_ref()))
            .collect();
        let named = new.iter().filter_map(|(r, _)| r.customer.as_deref()).collect();
        let customers = customer_ids(&mut tx, org, named).await?;
        let rows = new
            .into_iter()
            .map(|(r, a)| {
                let customer = r.customer.as_deref().and_then(|c| customers.get(c).copied());
                Ok((r, customer, s::to_json(&r.answers)?, a))
            })
            .collect::<Result<Vec<(&NewResponse, Option<Id>, String, Option<&Analysed>)>>>()?;
        let received = s::now();
        let head = "INSERT INTO responses (org_id, idempotency_key, survey_id, touchpoint_id, customer_id, at, \
                    answers, comment, channel, language, received_at, sentiment, sentiment_label, wow, anger, \
                    search_terms, nps_band, csat_band) ";
        let ids = insert_rows(&mut tx, head, 18, &rows, |b, (r, customer, answers, a)| {
            let (nps_band, csat_band) = bands(asked(r), &r.answers);
            // A comment without a given language is stored with the detected one.
            let language = r.language.or(a.map(|a| a.analysis.language));
            let summary = a.map(|a| a.analysis.summary());
            let terms = a.and_then(|a| a.terms.as_deref());
            b.push_bind(org)
                .push_bind(r.key.as_deref())
                .push_bind(r.survey_id)
                .push_bind(r.touchpoint_id)
                .push_bind(*customer)
                .push_bind(r.at.trunc_subsecs(6))
                .push_bind(answers.as_str())
                .push_bind(r.comment.as_deref())
                .push_bind(r.channel.as_deref())
                .push_bind(language.map(Lang::code))
                .push_bind(received)
                .push_bind(summary.map(|t| t.score))
                .push_bind(summary.map(|t| t.label.code()))
                .push_bind(i16::from(summary.is_some_and(|t| t.wow)))
                .push_bind(i16::from(summary.is_some_and(|t| t.anger)))
                .push_bind(terms)
                .push_bind(nps_band)
                .push_bind(csat_band);
        })
        .await?;
        let tallied: Vec<_> =
            rows.iter().map(|(r, customer, ..)| (*customer, r.touchpoint_id, r.at, r.survey_id, &r.answers)).collect();
        tally_responses(&mut tx, org, &tallied).await?;
        counts::add(&mut tx, org, counts::RESPONSES, ids.len() as i64).await?;
        let by_survey: Vec<(String, i64)> =
            rows.iter().filter_map(|(r, ..)| r.survey_id).map(|s| (counts::survey_kind(s), 1)).collect();
        counts::add_each(&mut tx, org, by_survey).await?;
        let facts: Vec<_> = rows
            .iter()
            .zip(&ids)
            .map(|((r, customer, _, a), id)| {
                (
                    *id,
                    *customer,
                    r.touchpoint_id,
                    r.at,
                    r.channel.as_deref(),
                    r.survey_id,
                    &r.answers,
                    r.comment.as_deref(),
                    a.map(|a| a.analysis.summary()),
                    a.map_or(&[][..], |a| &a.themes[..]),
                )
            })
            .collect();
        let tagged: Vec<Tagged> = rows
            .iter()
            .zip(&ids)
            .filter_map(|((r, _, _, a), id)| {
                let a = a.filter(|a| !a.themes.is_empty())?;
                let (touchpoint, day) = (r.touchpoint_id, r.at.date_naive());
                let (score, label, themes) = (a.analysis.score, a.analysis.label, a.themes.clone());
                Some(Tagged { response: *id, touchpoint, day, score, label, themes })
            })
            .collect();
        themes::tag_new(&mut tx, org, tagged).await?;
        let mut sentiment = SentimentDeltas::default();
        for (r, _, _, a) in &rows {
            if let Some(a) = a {
                sentiment.add(r.touchpoint_id, r.at.date_naive(), a.analysis.score, 1);
            }
        }
        themes::apply_sentiment(&mut tx, org, &sentiment).await?;
        let answered: Vec<_> = rows.iter().map(|(r, customer, ..)| (r.survey_id, *customer, r.at)).collect();
        super::distribution_send::on_responses(&mut tx, org, &answered, received).await?;
        let cases = cases_from_responses(&mut tx, org, &facts, received).await?;
        finish_ingest(self, tx, org, NoticeKind::Response, &plan, ids, cases).await
    }

    async fn ingest_events(&self, org: Id, items: &[EventInput]) -> Result<Vec<Ingested>> {
        let mut tx = write(self, org).await?;
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
        let tallied: Vec<_> = rows
            .iter()
            .map(|(x, customer, kind, _)| (*customer, x.at, kind.as_str(), x.touchpoint, x.amount))
            .collect();
        tally_events(&mut tx, org, &tallied).await?;
        counts::add(&mut tx, org, counts::EVENTS, ids.len() as i64).await?;
        let facts: Vec<_> = rows
            .iter()
            .zip(&ids)
            .map(|((x, customer, kind, _), id)| (*id, *customer, x.touchpoint, x.at, kind.as_str()))
            .collect();
        super::distribution_send::on_events(&mut tx, org, &facts, received).await?;
        let cases = cases_from_events(&mut tx, org, &facts, received).await?;
        finish_ingest(self, tx, org, NoticeKind::Event, &plan, ids, cases).await
    }

    // ---- Reading feedback ---------------------------------------------

    async fn last_response_at(&self, org: Id, survey: Id, external_id: &str) -> Result<Option<DateTime<Utc>>> {
        let mut c = self.pool.acquire().await?;
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

    async fn list_responses(&self, org: Id, f: &FeedbackFilter) -> Result<Page<Response>> {
        let mut c = self.pool.acquire().await?;
        let table = ("responses", counts::RESPONSES);
        let page = match SEARCH_SETTINGS.filter(|_| f.text.search.is_some()) {
            // Set for this read only (see the dialect).
            Some(settings) => {
                let mut tx = sqlx::Connection::begin(&mut *c).await?;
                sqlx::query(settings).execute(&mut *tx).await?;
                let page = feedback_page::<l::ResponseRow>(&mut tx, org, f, table, l::RESPONSE_COLUMNS, true).await?;
                tx.commit().await?;
                page
            }
            None => feedback_page::<l::ResponseRow>(&mut c, org, f, table, l::RESPONSE_COLUMNS, true).await?,
        };
        let Some((rows, total, total_is_estimate)) = page else {
            return Ok(Page { items: vec![], total: 0, total_is_estimate: false });
        };
        let items = rows.into_iter().map(l::ResponseRow::response).collect::<Result<Vec<Response>>>()?;
        Ok(Page { items, total, total_is_estimate })
    }

    async fn list_events(&self, org: Id, f: &FeedbackFilter) -> Result<Page<Event>> {
        let mut c = self.pool.acquire().await?;
        let table = ("events", counts::EVENTS);
        let page = feedback_page::<l::EventRow>(&mut c, org, f, table, l::EVENT_COLUMNS, false).await?;
        let Some((rows, total, total_is_estimate)) = page else {
            return Ok(Page { items: vec![], total: 0, total_is_estimate: false });
        };
        let items = rows.into_iter().map(l::EventRow::event).collect::<Result<Vec<Event>>>()?;
        Ok(Page { items, total, total_is_estimate })
    }

    async fn get_response(&self, org: Id, id: Id) -> Result<Response> {
        let sql = format!("SELECT {} WHERE r.org_id = $1 AND r.id = $2", l::RESPONSE_COLUMNS);
        let row: Option<l::ResponseRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&self.pool).await?;
        row.ok_or(StoreError::NotFound)?.response()
    }

    async fn get_event(&self, org: Id, id: Id) -> Result<Event> {
        let sql = format!("SELECT {} WHERE r.org_id = $1 AND r.id = $2", l::EVENT_COLUMNS);
        let row: Option<l::EventRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&self.pool).await?;
        row.ok_or(StoreError::NotFound)?.event()
    }

    async fn timeline_page(
        &self,
        org: Id,
        external_id: &str,
        after: Option<TimelineKey>,
        limit: i64,
    ) -> Result<Vec<TimelineItem>> {
        timeline(self, org, external_id, after, limit).await
    }

    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Notice> {
        self.notices.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_first_page_is_the_whole_count() {
        let first = FeedbackFilter { limit: 10, ..Default::default() };
        assert_eq!(in_sight(10_000, true, 3, &first), (3, false));
        assert_eq!(in_sight(0, true, 0, &first), (0, false));
        assert_eq!(in_sight(7, false, 7, &first), (7, false));
    }

    #[test]
    fn a_lower_bound_is_at_least_the_rows_seen() {
        let first = FeedbackFilter { limit: 2, ..Default::default() };
        assert_eq!(in_sight(0, true, 2, &first), (2, true));
        assert_eq!(in_sight(40, true, 2, &first), (40, true));
        let later = FeedbackFilter { after: Some(TimeKey { at: Utc::now(), id: 9 }), ..first };
        assert_eq!(in_sight(0, true, 1, &later), (1, true), "a short later page: rows before it are unknown");
        assert_eq!(in_sight(5, false, 1, &later), (5, false));
    }
}
