//! The inbox's selective conditions, looked up first.
//!
//! A word search and a theme each name a set of responses that their own
//! index lists (`responses_fts` or the search index; `response_themes` and
//! `response_tags`; with a touchpoint or a sentiment, the theme's
//! responses there or of it). Left to itself, the planner walks the
//! inbox's time order and checks each row against the whole set, which it
//! builds first: at 10 million responses a search that matched nothing
//! read every row (1.9 s). So the set is read first, at most
//! `NARROW_AT_MOST` ids of it. When it is no larger, the page and its
//! count look those rows up by id (the dialect's `BY_ID` keeps the planner
//! from walking an index instead) and sort them: the cost follows the
//! matches, not the organization's size. When it is larger, matches are
//! common and the walk in time order finds a page soon, so the condition
//! is left to it.
//!
//! On SQLite a condition naming a value is read so too (the dialect's
//! `NARROW_BY_VALUE`): a segment through its members; a customer, survey,
//! experience, touchpoint, channel, language, flag, band or sentiment
//! through the index that leads with it. SQLite has no statistics to tell
//! a segment of ten customers from one of half of them, or a touchpoint
//! without responses from a busy one: it walked whichever index it took and
//! checked each row (10M responses: a customer's negative comments 3.9 s,
//! a quiet touchpoint's 4.2–13 s, a channel nobody used 30 s). The values
//! other than the segment are read only while no set is small and the
//! filter has two conditions or more besides its time window; the page
//! then checks them on the rows it looks up, as it does the rest of the
//! filter. The events list filtered by a customer and a touchpoint is
//! narrowed so (a customer's events at a busy touchpoint: 6.2 s).

use super::Conn;
use crate::dialect::{search_expression, Db, NARROW_BY_VALUE, SEARCH_IDS, SEARCH_IDS_OF_ORG};
use rapport_core::measure::Scale;
use rapport_core::text::{self, FlagKind};
use rapport_core::Id;
use rapport_store::listening::{FeedbackFilter, TextFilter};
use rapport_store::Result;

use rapport_store::listening::NARROW_AT_MOST as AT_MOST;

/// The rows a selective condition admits, and which conditions they
/// stand for (those are then not checked again).
#[derive(Debug, Default)]
pub(super) struct Narrowed {
    /// Sorted, without repeats.
    pub ids: Vec<Id>,
    pub search: bool,
    pub theme: bool,
    pub segment: bool,
}

impl Narrowed {
    /// `r.id IN (…)`, the ids written out: they are the database's own
    /// integers, and a statement of one use is not kept prepared.
    pub fn condition(&self) -> String {
        let ids: Vec<String> = self.ids.iter().map(Id::to_string).collect();
        format!(" AND r.id IN ({})", ids.join(","))
    }

    /// The rows of both sets, standing for the conditions of both.
    fn and(self, other: Narrowed) -> Narrowed {
        let ids = self.ids.into_iter().filter(|id| other.ids.binary_search(id).is_ok()).collect();
        Narrowed {
            ids,
            search: self.search || other.search,
            theme: self.theme || other.theme,
            segment: self.segment || other.segment,
        }
    }
}

/// At most `AT_MOST` ids (sorted, no repeats) or `None` past it.
fn small(mut ids: Vec<Id>) -> Option<Vec<Id>> {
    if ids.len() as i64 > AT_MOST {
        return None;
    }
    ids.sort_unstable();
    ids.dedup();
    Some(ids)
}

/// The ids of the responses the words match: the organization's, or every
/// organization's where the dialect's search index reads them so (the
/// page's query then keeps to `org`). Read at once, not counted first as
/// [`set_of`] counts: a small set of two common words costs the search
/// index as much as a large one (10M: "late delivery" 23 ms read once,
/// 41 ms counted and then read).
async fn searched(c: &mut Conn, org: Id, groups: &[Vec<String>]) -> Result<Option<Vec<Id>>> {
    let mut q = sqlx::query_scalar(SEARCH_IDS).bind(search_expression(groups)).bind(AT_MOST + 1);
    if SEARCH_IDS_OF_ORG {
        q = q.bind(org);
    }
    Ok(small(q.fetch_all(&mut *c).await?))
}

// Each set's statement: `$1` the organization, `$2` the most ids read,
// `$3` the value named, if any.

/// The ids of the responses of the theme (`$3`), found by keyword or
/// tagged by hand, at the filter's touchpoint and of its sentiment when it
/// names them (`$4`, `$5`, in that order). A common theme may rarely meet a
/// busy touchpoint or a common sentiment (at ten million responses a
/// theme's 510,355 mentions held 363 negative comments, which the walk
/// found among 179,186 negative ones): a mention holds its response's
/// touchpoint and sentiment, so an index lists those sets
/// (`response_themes_touchpoint`, `response_themes_sentiment`); a hand
/// tag's are its response's, one lookup each (people put tags one at a
/// time) when they are not mentions too, so each response comes once.
fn themed(at_touchpoint: bool, of_sentiment: bool) -> String {
    let (mut mention, mut tagged) = (String::new(), String::new());
    let mut next = 3;
    for (named, column) in [(at_touchpoint, "touchpoint_id"), (of_sentiment, "sentiment_label")] {
        if named {
            next += 1;
            mention.push_str(&format!(" AND {column} = ${next}"));
            tagged.push_str(&format!(" AND r.{column} = ${next}"));
        }
    }
    let tags = if tagged.is_empty() {
        "SELECT response_id FROM response_tags tg WHERE".to_string()
    } else {
        format!("SELECT tg.response_id FROM response_tags tg CROSS JOIN responses r WHERE r.id = tg.response_id{tagged} AND")
    };
    format!(
        "SELECT response_id FROM response_themes WHERE theme_id = $3 AND org_id = $1{mention} \
         UNION ALL {tags} tg.theme_id = $3 AND tg.org_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM response_themes x WHERE x.theme_id = $3 AND x.response_id = tg.response_id) LIMIT $2"
    )
}

/// The theme's set statement and its values for the filter `f`.
fn theme_set(f: &FeedbackFilter, theme: Id) -> (String, Value) {
    let label = f.text.sentiment.map(|label| label.code());
    (themed(f.touchpoint.is_some(), label.is_some()), Value::Theme(theme, f.touchpoint, label))
}

/// How many responses of the theme there are at the filter's touchpoint
/// and of its sentiment (when it names them), up to `cap + 1` (all
/// without a cap): the mentions' index alone, a look-up per hand tag.
/// Exact when the filter asks for nothing else besides the theme.
pub(super) async fn theme_count(c: &mut Conn, org: Id, f: &FeedbackFilter, theme: Id, cap: Option<i64>) -> Result<i64> {
    let (sql, value) = theme_set(f, theme);
    let counted = format!("SELECT COUNT(*) FROM ({sql}) AS found");
    let limit = cap.map_or(i64::MAX, |cap| cap.saturating_add(1));
    Ok(set_query(&counted, org, value, limit).fetch_one(&mut *c).await?)
}

/// The responses of the segment's customers, driven by its members and
/// the customer index (`responses_customer` covers the id on SQLite: 1 ms
/// for a large segment's first 10,001). A customer's responses are its
/// organization's; the page's query keeps to `org` all the same.
const SEGMENTED: &str = "SELECT r.id FROM segment_members m CROSS JOIN responses r \
     WHERE r.customer_id = m.customer_id AND m.segment_id = $3 AND m.org_id = $1 LIMIT $2";

/// A customer's responses or events: the customer is read first, so that
/// only the index leading with its id serves the rows (SQLite, without
/// statistics, may as well walk the organization's). Likewise a survey's.
fn by_customer(table: &str) -> String {
    format!(
        "SELECT r.id FROM customers k CROSS JOIN {table} r \
         WHERE k.id = $3 AND k.org_id = $1 AND r.customer_id = k.id LIMIT $2"
    )
}
const BY_SURVEY: &str = "SELECT r.id FROM surveys s CROSS JOIN responses r \
     WHERE s.id = $3 AND s.org_id = $1 AND r.survey_id = s.id LIMIT $2";
/// The responses at the experience's current touchpoints.
const BY_EXPERIENCE: &str = "SELECT r.id FROM interactions i CROSS JOIN responses r \
     WHERE i.experience_id = $3 AND i.removed_at IS NULL AND r.org_id = $1 \
     AND r.touchpoint_id = i.touchpoint_id LIMIT $2";
// The others each through its own index (organization and value first, or
// a partial index of the flagged rows; each holds the id).
fn by_touchpoint(table: &str) -> String {
    format!("SELECT id FROM {table} WHERE touchpoint_id = $3 AND org_id = $1 LIMIT $2")
}
const BY_CHANNEL: &str = "SELECT id FROM responses WHERE channel = $3 AND org_id = $1 LIMIT $2";
const BY_LANGUAGE: &str = "SELECT id FROM responses WHERE language = $3 AND org_id = $1 LIMIT $2";
const BY_WOW: &str = "SELECT id FROM responses WHERE wow = 1 AND org_id = $1 LIMIT $2";
const BY_ANGER: &str = "SELECT id FROM responses WHERE anger = 1 AND org_id = $1 LIMIT $2";
const BY_NPS_BAND: &str = "SELECT id FROM responses WHERE nps_band = $3 AND org_id = $1 LIMIT $2";
const BY_CSAT_BAND: &str = "SELECT id FROM responses WHERE csat_band = $3 AND org_id = $1 LIMIT $2";
const BY_SENTIMENT: &str = "SELECT id FROM responses WHERE sentiment_label = $3 AND org_id = $1 LIMIT $2";

/// A value a set's statement names (`$3`), as its column holds it.
#[derive(Clone)]
enum Value {
    None,
    Id(Id),
    Code(i16),
    Text(String),
    /// A theme, and the touchpoint and sentiment named with it.
    Theme(Id, Option<Id>, Option<i16>),
}

/// Ids, or a count of them.
type Scalar<'q> = sqlx::query::QueryScalar<'q, Db, i64, <Db as sqlx::Database>::Arguments<'q>>;

/// `sql` (one of the sets' statements) for `value` in `org`.
fn set_query(sql: &str, org: Id, value: Value, limit: i64) -> Scalar<'_> {
    let q = sqlx::query_scalar(sql).bind(org).bind(limit);
    match value {
        Value::None => q,
        Value::Id(key) => q.bind(key),
        Value::Code(key) => q.bind(key),
        Value::Text(key) => q.bind(key),
        Value::Theme(theme, touchpoint, label) => {
            let q = q.bind(theme);
            let q = match touchpoint {
                Some(tp) => q.bind(tp),
                None => q,
            };
            match label {
                Some(code) => q.bind(code),
                None => q,
            }
        }
    }
}

/// The set `sql` reads for `value` (a theme, a segment, a touchpoint…) in
/// `org`, if it is small. Counted first, which reads its index alone; its
/// ids are read only when it is small. Each id handed over costs a few
/// microseconds: reading a large set's 10,001 ids took 6–24 ms at ten
/// million responses (a theme's, a segment's), for nothing, against about
/// 1 ms for the count; a small set is read twice, for well under a
/// millisecond more.
async fn set_of(c: &mut Conn, sql: &str, org: Id, value: Value) -> Result<Option<Vec<Id>>> {
    let counted = format!("SELECT COUNT(*) FROM ({sql}) AS found");
    let n = set_query(&counted, org, value.clone(), AT_MOST + 1).fetch_one(&mut *c).await?;
    if n > AT_MOST {
        return Ok(None);
    }
    Ok(small(set_query(sql, org, value, AT_MOST + 1).fetch_all(&mut *c).await?))
}

/// The first of the filter's values whose set in `table` is small (see the
/// module doc), in the order they are likely to be: the customer's
/// (`customer`, its id), a flag's, the survey's, the touchpoint's, the
/// experience's, the channel's, the language's, the band's, the
/// sentiment's. None when the filter has one condition besides its time
/// window: the walk reads that condition's own index.
async fn by_value(
    c: &mut Conn,
    org: Id,
    customer: Option<Id>,
    f: &FeedbackFilter,
    table: &str,
) -> Result<Option<Vec<Id>>> {
    let t = &f.text;
    let flag = t.flag.map(|flag| match flag {
        FlagKind::Wow => (BY_WOW.into(), Value::None),
        FlagKind::Anger => (BY_ANGER.into(), Value::None),
    });
    let band = t.band.map(|band| match band.code() {
        (Scale::Nps, code) => (BY_NPS_BAND.into(), Value::Code(code)),
        (_, code) => (BY_CSAT_BAND.into(), Value::Code(code)),
    });
    let values: Vec<(String, Value)> = [
        customer.map(|id| (by_customer(table), Value::Id(id))),
        flag,
        f.survey.map(|id| (BY_SURVEY.into(), Value::Id(id))),
        f.touchpoint.map(|id| (by_touchpoint(table), Value::Id(id))),
        t.experience.map(|id| (BY_EXPERIENCE.into(), Value::Id(id))),
        t.channel.clone().map(|channel| (BY_CHANNEL.into(), Value::Text(channel))),
        t.language.map(|l| (BY_LANGUAGE.into(), Value::Text(l.code().into()))),
        band,
        t.sentiment.map(|label| (BY_SENTIMENT.into(), Value::Code(label.code()))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let others = [t.segment.is_some(), t.has_comment, t.theme.is_some(), t.search.is_some()];
    if values.len() + others.into_iter().filter(|&set| set).count() < 2 {
        return Ok(None);
    }
    for (sql, value) in values {
        let set = set_of(c, &sql, org, value).await?;
        if set.is_some() {
            return Ok(set);
        }
    }
    Ok(None)
}

/// What the selective conditions gave.
#[derive(Debug, Default)]
pub(super) struct Narrowing {
    /// The intersection of the search's, theme's and segment's sets that
    /// are small, else the first small value set (SQLite), or `None` when
    /// there is no such condition or each set is large.
    pub set: Option<Narrowed>,
    /// The words matched more than `NARROW_AT_MOST` distinct responses of
    /// the organization (known where the dialect's `SEARCH_IDS` keeps to
    /// it): a count of the search alone is past any cap up to that,
    /// without reading them again.
    pub search_past_limit: bool,
    /// Likewise the theme's set (at the filter's touchpoint, of its
    /// sentiment), which is counted so: `theme_count` would count it again.
    pub theme_past_limit: bool,
}

/// Reads the filter's selective conditions in `table` (see the module doc);
/// `customer` is the id of the filter's customer. Events (not `responses`)
/// have no survey or text to filter by.
pub(super) async fn narrow(
    c: &mut Conn,
    org: Id,
    customer: Option<Id>,
    f: &FeedbackFilter,
    (table, responses): (&str, bool),
) -> Result<Narrowing> {
    let events_filter;
    let f = if responses {
        f
    } else {
        events_filter = FeedbackFilter { survey: None, text: TextFilter::default(), ..f.clone() };
        &events_filter
    };
    let t = &f.text;
    let groups = t.search.as_deref().map(text::search::search_query).unwrap_or_default();
    let by_search = if groups.is_empty() { None } else { Some(searched(c, org, &groups).await?) };
    let search_past_limit = SEARCH_IDS_OF_ORG && matches!(by_search, Some(None));
    let by_search = by_search.flatten();
    let by_theme = match t.theme {
        Some(theme) => {
            let (sql, value) = theme_set(f, theme);
            Some(set_of(c, &sql, org, value).await?)
        }
        None => None,
    };
    let theme_past_limit = matches!(by_theme, Some(None));
    let by_theme = by_theme.flatten();
    let by_segment = match t.segment.filter(|_| NARROW_BY_VALUE) {
        Some(segment) => set_of(c, SEGMENTED, org, Value::Id(segment)).await?,
        None => None,
    };
    let mut sets: Vec<Narrowed> = [
        by_search.map(|ids| Narrowed { ids, search: true, ..Default::default() }),
        by_theme.map(|ids| Narrowed { ids, theme: true, ..Default::default() }),
        by_segment.map(|ids| Narrowed { ids, segment: true, ..Default::default() }),
    ]
    .into_iter()
    .flatten()
    .collect();
    if NARROW_BY_VALUE && sets.is_empty() {
        // Its condition stays in the page's query, checked on these rows.
        sets.extend(by_value(c, org, customer, f, table).await?.map(|ids| Narrowed { ids, ..Default::default() }));
    }
    let set = sets.into_iter().reduce(Narrowed::and);
    Ok(Narrowing { set, search_past_limit, theme_past_limit })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_within_the_limit_is_sorted_without_repeats() {
        assert_eq!(small(vec![5, 1, 5, 3]), Some(vec![1, 3, 5]));
        assert_eq!(small(Vec::new()), Some(Vec::new()));
    }

    #[test]
    fn a_set_past_the_limit_is_left_to_the_walk() {
        let at_limit: Vec<Id> = (0..AT_MOST).collect();
        assert_eq!(small(at_limit.clone()).map(|v| v.len() as i64), Some(AT_MOST));
        let past: Vec<Id> = (0..=AT_MOST).collect();
        assert_eq!(small(past), None);
    }

    #[test]
    fn a_theme_set_numbers_the_values_it_names_in_order() {
        let plain = themed(false, false);
        assert!(!plain.contains("$4") && !plain.contains("CROSS JOIN"), "{plain}");
        let feeling = themed(false, true);
        assert!(feeling.contains("AND sentiment_label = $4") && feeling.contains("r.sentiment_label = $4"));
        let both = themed(true, true);
        assert!(both.contains("AND touchpoint_id = $4 AND sentiment_label = $5"), "{both}");
        assert!(both.contains("r.touchpoint_id = $4 AND r.sentiment_label = $5"), "{both}");
    }

    #[test]
    fn the_condition_names_each_id() {
        let n = Narrowed { ids: vec![2, 7], search: true, ..Default::default() };
        assert_eq!(n.condition(), " AND r.id IN (2,7)");
    }
}
