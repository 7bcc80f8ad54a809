//! How many responses or events an inbox filter matches, counting at most
//! `cap + 1` of them (the caller says "at least `cap`" past it).
//!
//! Counted the plain way, the database walks an index of `r` and checks
//! each row against every condition. When a word search or a theme matches
//! too many rows to be named by id (`feedback_narrow`), that walk reads rows
//! until `cap` of them match, and builds the whole set first: at a million
//! responses, a word in 1.4% of them read 700,000 rows (319 ms), and at ten
//! million a word in 0.1% would read them all. Driven by the set's own index
//! instead, each row read is a match unless another condition refuses it:
//! 10,001 matches cost about 10,001 look-ups by id (48 ms at a million),
//! whatever the set's size; a theme with at most a touchpoint and a
//! sentiment besides is counted from its mentions' index alone, which
//! hold both. Not when a customer or a flag is asked for: their indexes
//! are far narrower than any common set.
//!
//! When another condition is asked for too, few of the set's rows may pass
//! it (a theme's negative comments): reading on until `cap` of them pass
//! would read the whole set, which grows with the organization (51,000
//! look-ups, 143 ms, for one theme at a million responses). So such a
//! count reads at most [`READ_PER_COUNTED`] rows of the set per row it may
//! report, the last stored first (by id: the newest, unless older
//! responses were imported later), and says "at least" when the set had
//! more. Whichever rows it reads, what passes is a lower bound.

use super::feedback::push_filter;
use super::feedback_narrow::{theme_count, Narrowed, Narrowing};
use super::Conn;
use crate::dialect::{search_expression, Db, BY_ID, SEARCH_COUNT_FROM};
use rapport_core::text;
use rapport_core::Id;
use rapport_store::listening::{FeedbackFilter, TextFilter, NARROW_AT_MOST};
use rapport_store::Result;

/// A driven count with other conditions reads at most this many of the
/// set's rows per row it may report (`cap + 1`): any condition that half
/// the set passes still reaches the cap.
pub const READ_PER_COUNTED: i64 = 2;

/// The index a count is driven by.
#[derive(Debug, PartialEq)]
enum Driver {
    /// The search index, with the search's expression (SQLite's FTS5).
    Search(String),
    /// The theme's matches and hand tags.
    Theme(Id),
}

/// The set to drive the count by: a search or theme too common to be named
/// by id, when no narrower condition is asked for.
fn driver(f: &FeedbackFilter, customer: Option<Id>, narrowed: Option<&Narrowed>) -> Option<Driver> {
    if narrowed.is_some() || customer.is_some() || f.text.flag.is_some() {
        return None;
    }
    let groups = f.text.search.as_deref().map(text::search::search_query).unwrap_or_default();
    if !groups.is_empty() && SEARCH_COUNT_FROM.is_some() {
        return Some(Driver::Search(search_expression(&groups)));
    }
    f.text.theme.map(Driver::Theme)
}

/// Whether `rest` (the filter besides its theme) asks for nothing but what
/// a theme's mentions hold beside them, a touchpoint and a sentiment: the
/// theme's count is then read from their index alone
/// (`feedback_narrow::theme_count`), without a look-up per response (10M:
/// a common theme at a touchpoint, 58 ms for 20,002 look-ups that found
/// "at least 3,358", against 2 ms for "at least 10,000").
fn held_by_mentions(rest: &FeedbackFilter) -> bool {
    let text = TextFilter { sentiment: None, ..rest.text.clone() };
    !FeedbackFilter { touchpoint: None, text, ..rest.clone() }.is_filtered(true)
}

/// Whether the filter's one condition is its word search.
fn only_searched(f: &FeedbackFilter) -> bool {
    let text = TextFilter { search: None, ..f.text.clone() };
    f.text.search.is_some() && !FeedbackFilter { text, ..f.clone() }.is_filtered(true)
}

/// How many rows of `table` (aliased `r`, `hint` written after it) the
/// filter matches, and whether that is a lower bound: past `cap` (then
/// `cap`), or when a driven count stopped reading its set (`None`: all,
/// exactly).
pub(super) async fn count(
    c: &mut Conn,
    org: Id,
    customer: Option<Id>,
    f: &FeedbackFilter,
    (table, hint, with_survey): (&str, &str, bool),
    narrowing: &Narrowing,
    cap: Option<i64>,
) -> Result<(i64, bool)> {
    if let Some(cap) = cap.filter(|&cap| narrowing.search_past_limit && cap <= NARROW_AT_MOST && only_searched(f)) {
        // The narrowing read past the cap already (one GIN or FTS read
        // fewer: 450 ms at ten million responses on PostgreSQL).
        return Ok((cap, true));
    }
    let narrowed = narrowing.set.as_ref();
    let driver = if with_survey { driver(f, customer, narrowed) } else { None };
    let Some(driver) = driver else {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} r{hint} WHERE"));
        push_filter(&mut q, org, customer, f, with_survey, narrowed);
        close_capped(&mut q, cap);
        // Ids written out (a narrowed set) make a statement of one use.
        let n = q.build_query_scalar().persistent(narrowed.is_none()).fetch_one(&mut *c).await?;
        return Ok(past(n, cap));
    };
    let rest = FeedbackFilter { text: text_without(f, &driver), ..f.clone() };
    if let Driver::Theme(theme) = driver {
        if held_by_mentions(&rest) {
            if let Some(cap) = cap.filter(|&cap| narrowing.theme_past_limit && cap <= NARROW_AT_MOST) {
                // The narrowing counted the same set past the cap already.
                return Ok((cap, true));
            }
            return Ok(past(theme_count(c, org, f, theme, cap).await?, cap));
        }
    }
    match cap {
        Some(cap) if rest.is_filtered(true) => {
            let reads = (cap + 1).saturating_mul(READ_PER_COUNTED);
            let mut q = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*), COALESCE(SUM(ok), 0) FROM (");
            push_driven(&mut q, org, &driver, &rest, Some(reads.saturating_add(1)));
            q.push(" LIMIT ").push_bind(reads.saturating_add(1)).push(") AS examined");
            // Planned for the theme at hand, not kept: a theme in 1% of the
            // responses is read by its key, one in a third of them (as
            // PostgreSQL's generic plan guesses any is) by a scan.
            let (read, passed): (i64, i64) = q.build_query_as().persistent(false).fetch_one(&mut *c).await?;
            let (n, past_cap) = past(passed, Some(cap));
            Ok((n, past_cap || read > reads))
        }
        _ => {
            let mut q = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM (");
            push_driven(&mut q, org, &driver, &rest, None);
            close_capped(&mut q, cap);
            let n = q.build_query_scalar().fetch_one(&mut *c).await?;
            Ok(past(n, cap))
        }
    }
}

/// `n` rows counted under `cap + 1`: the total and whether it is past the cap.
fn past(n: i64, cap: Option<i64>) -> (i64, bool) {
    match cap {
        Some(cap) if n > cap => (cap, true),
        _ => (n, false),
    }
}

/// Closes a `SELECT COUNT(*) FROM (…` at `cap + 1` rows.
fn close_capped(q: &mut sqlx::QueryBuilder<'_, Db>, cap: Option<i64>) {
    if let Some(cap) = cap {
        q.push(" LIMIT ").push_bind(cap.saturating_add(1));
    }
    q.push(") AS matching");
}

/// The driving set's rows: `1` each that `rest` admits, or, with
/// `checked` (`Some(n)`), the last `n` rows of each part by id, `ok` saying
/// whether `rest` admits each. Checked, each row of `r` is a scalar
/// subquery of the set's row: PostgreSQL would otherwise join the set to
/// every response by hash for a read of 20,000 (190 ms at a million
/// responses, against a look-up each). By id, highest first (the last
/// stored, newest unless older ones were imported later), so that every
/// request reads the same rows, which stay cached: in
/// no order, PostgreSQL scanned a theme's table from wherever another scan
/// was and looked up other responses each time (220–630 ms at ten million
/// responses, against 60–70 ms). The search index is every organization's:
/// another's rows read count as read.
fn push_driven(
    q: &mut sqlx::QueryBuilder<'_, Db>,
    org: Id,
    driver: &Driver,
    rest: &FeedbackFilter,
    checked: Option<i64>,
) {
    // The part's rows `d` (from its tables and conditions), each with its
    // response `r` when `rest` admits it.
    let part =
        |q: &mut sqlx::QueryBuilder<'_, Db>, from: &str, id: &str, set: &dyn Fn(&mut sqlx::QueryBuilder<'_, Db>)| {
            if let Some(newest) = checked {
                q.push(" SELECT (SELECT CASE WHEN");
                push_filter(q, org, None, rest, true, None);
                q.push(format!(" THEN 1 ELSE 0 END FROM responses r{BY_ID} WHERE r.id = s.id) AS ok"));
                q.push(format!(" FROM (SELECT {id} AS id FROM {from} WHERE "));
                set(q);
                q.push(format!(" ORDER BY {id} DESC LIMIT ")).push_bind(newest).push(") AS s");
            } else {
                q.push(format!(" SELECT 1 FROM {from} CROSS JOIN responses r{BY_ID} WHERE r.id = {id} AND "));
                set(q);
                q.push(" AND");
                push_filter(q, org, None, rest, true, None);
            }
        };
    match driver {
        Driver::Search(expression) => {
            let (from, id, matches) = SEARCH_COUNT_FROM.unwrap_or_default();
            part(q, from, id, &|q| {
                q.push(matches).push_bind(expression.clone());
            });
        }
        Driver::Theme(theme) => {
            // Matches, then hand tags that are not matches too: each
            // response once, and the first part stops at the cap alone.
            let of_theme = |q: &mut sqlx::QueryBuilder<'_, Db>| {
                q.push("d.theme_id = ").push_bind(*theme).push(" AND d.org_id = ").push_bind(org);
            };
            part(q, "response_themes d", "d.response_id", &of_theme);
            q.push(" UNION ALL");
            part(q, "response_tags d", "d.response_id", &|q| {
                of_theme(q);
                q.push(" AND NOT EXISTS (SELECT 1 FROM response_themes x WHERE x.theme_id = ")
                    .push_bind(*theme)
                    .push(" AND x.response_id = d.response_id)");
            });
        }
    }
}

/// The filter's text conditions without those the driver stands for.
fn text_without(f: &FeedbackFilter, driver: &Driver) -> rapport_store::listening::TextFilter {
    let mut t = f.text.clone();
    match driver {
        Driver::Search(_) => t.search = None,
        Driver::Theme(_) => t.theme = None,
    }
    t
}
#[cfg(test)]
mod tests {
    use super::*;
    use rapport_core::text::FlagKind;

    fn filter(search: Option<&str>, theme: Option<Id>) -> FeedbackFilter {
        let mut f = FeedbackFilter::default();
        f.text.search = search.map(str::to_string);
        f.text.theme = theme;
        f
    }

    #[test]
    fn a_common_search_or_theme_drives_the_count() {
        let groups = text::search::search_query("late");
        let expected_search = SEARCH_COUNT_FROM.map(|_| Driver::Search(search_expression(&groups)));
        let by_search = driver(&filter(Some("late"), None), None, None);
        assert_eq!(by_search, expected_search);
        let both = driver(&filter(Some("late"), Some(3)), None, None);
        assert_eq!(both, expected_search.or(Some(Driver::Theme(3))));
        assert_eq!(driver(&filter(None, Some(3)), None, None), Some(Driver::Theme(3)));
    }

    #[test]
    fn narrower_conditions_keep_the_plain_count() {
        assert_eq!(driver(&filter(None, None), None, None), None);
        assert_eq!(driver(&filter(None, Some(3)), Some(12), None), None, "a customer");
        let mut flagged = filter(None, Some(3));
        flagged.text.flag = Some(FlagKind::Anger);
        assert_eq!(driver(&flagged, None, None), None, "a flag");
        let named = Narrowed { ids: vec![1], theme: true, ..Default::default() };
        assert_eq!(driver(&filter(None, Some(3)), None, Some(&named)), None, "rows named by id");
    }
}
