//! The inbox's selective conditions, looked up first.
//!
//! A word search and a theme each name a set of responses that their own
//! index lists (`responses_fts` or the search index; `response_themes` and
//! `response_tags`). Left to itself, the planner walks the inbox's time
//! order and checks each row against the whole set, which it builds first:
//! at 10 million responses a search that matched nothing read every row
//! (1.9 s). So the set is read first, at most `NARROW_AT_MOST` ids of it. When
//! it is no larger, the page and its count look those rows up by id (the
//! dialect's `BY_ID` keeps the planner from walking an index instead) and
//! sort them: the cost follows the matches, not the organization's size.
//! When it is larger, matches are common and the walk in time order finds
//! a page soon, so the condition is left to it.
//!
//! On SQLite a segment is read so too (the dialect's `NARROW_SEGMENTS`):
//! its members' responses through the customer index. SQLite has no
//! statistics to tell a segment of ten customers from one of half of them.

use super::Conn;
use crate::dialect::{search_expression, NARROW_SEGMENTS, SEARCH_IDS, SEARCH_IDS_OF_ORG};
use rapport_core::text;
use rapport_core::Id;
use rapport_store::listening::TextFilter;
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
/// page's query then keeps to `org`).
async fn searched(c: &mut Conn, org: Id, groups: &[Vec<String>]) -> Result<Option<Vec<Id>>> {
    let mut q = sqlx::query_scalar(SEARCH_IDS).bind(search_expression(groups)).bind(AT_MOST + 1);
    if SEARCH_IDS_OF_ORG {
        q = q.bind(org);
    }
    Ok(small(q.fetch_all(&mut *c).await?))
}

/// The ids of the responses of the theme, found by keyword or tagged by
/// hand. Counted with repeats (one of each kind), so a set just under the
/// limit may be read as larger: it is then left to the walk, never wrong.
const THEMED: &str = "SELECT response_id FROM response_themes WHERE theme_id = $1 AND org_id = $2 \
     UNION ALL SELECT response_id FROM response_tags WHERE theme_id = $1 AND org_id = $2 LIMIT $3";

/// The responses of the segment's customers, driven by its members and
/// the customer index (`responses_customer` covers the id on SQLite: 1 ms
/// for a large segment's first 10,001). A customer's responses are its
/// organization's; the page's query keeps to `org` all the same.
const SEGMENTED: &str = "SELECT r.id FROM segment_members m CROSS JOIN responses r \
     WHERE r.customer_id = m.customer_id AND m.segment_id = $1 AND m.org_id = $2 LIMIT $3";

/// The set `sql` reads for `key` (a theme, a segment) in `org`.
async fn set_of(c: &mut Conn, sql: &str, key: Id, org: Id) -> Result<Option<Vec<Id>>> {
    let ids: Vec<Id> = sqlx::query_scalar(sql).bind(key).bind(org).bind(AT_MOST + 1).fetch_all(&mut *c).await?;
    Ok(small(ids))
}

/// What the selective conditions gave.
#[derive(Debug, Default)]
pub(super) struct Narrowing {
    /// The smallest set (the intersection of those that are small), or
    /// `None` when there is no such condition or each set is large.
    pub set: Option<Narrowed>,
    /// The words matched more than `NARROW_AT_MOST` distinct responses of
    /// the organization (known where the dialect's `SEARCH_IDS` keeps to
    /// it): a count of the search alone is past any cap up to that,
    /// without reading them again.
    pub search_past_limit: bool,
}

/// Reads the filter's selective conditions (see the module doc).
pub(super) async fn narrow(c: &mut Conn, org: Id, t: &TextFilter) -> Result<Narrowing> {
    let groups = t.search.as_deref().map(text::search::search_query).unwrap_or_default();
    let by_search = if groups.is_empty() { None } else { Some(searched(c, org, &groups).await?) };
    let search_past_limit = SEARCH_IDS_OF_ORG && matches!(by_search, Some(None));
    let by_search = by_search.flatten();
    let by_theme = match t.theme {
        Some(theme) => set_of(c, THEMED, theme, org).await?,
        None => None,
    };
    let by_segment = match t.segment.filter(|_| NARROW_SEGMENTS) {
        Some(segment) => set_of(c, SEGMENTED, segment, org).await?,
        None => None,
    };
    let set = [
        by_search.map(|ids| Narrowed { ids, search: true, ..Default::default() }),
        by_theme.map(|ids| Narrowed { ids, theme: true, ..Default::default() }),
        by_segment.map(|ids| Narrowed { ids, segment: true, ..Default::default() }),
    ]
    .into_iter()
    .flatten()
    .reduce(Narrowed::and);
    Ok(Narrowing { set, search_past_limit })
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
    fn the_condition_names_each_id() {
        let n = Narrowed { ids: vec![2, 7], search: true, ..Default::default() };
        assert_eq!(n.condition(), " AND r.id IN (2,7)");
    }
}
