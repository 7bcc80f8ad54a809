//! The customer search index (`customer_terms`, migration 0013): each
//! customer's words (`rapport_core::customer_search::terms`), rewritten by
//! every write that creates or changes a customer, in its transaction; an
//! erased customer's go with the row (a foreign key cascade).
//!
//! An organization that had customers before the index existed is marked
//! `customer_terms_missing` (a kept count) by the migration, and searched
//! by scanning until `rapport rollups rebuild` has indexed them.

use super::Conn;
use crate::dialect::Db;
use rapport_core::customer_search::{prefix_end, terms, words};
use rapport_core::Id;
use rapport_store::listening::NARROW_AT_MOST;
use rapport_store::rows::listening as l;
use rapport_store::Result;

/// The kept count marking an organization whose customers are not all
/// indexed yet.
pub(crate) const MISSING: &str = "customer_terms_missing";

/// A customer as the index reads it: id, external id, name, e-mail.
pub(crate) type Indexed<'a> = (Id, &'a str, Option<&'a str>, Option<&'a str>);

/// Replaces these customers' words.
pub(crate) async fn index(c: &mut Conn, org: Id, customers: &[Indexed<'_>]) -> Result<()> {
    for chunk in customers.chunks(l::LOOKUP_CHUNK) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("DELETE FROM customer_terms WHERE customer_id IN (");
        let mut list = qb.separated(", ");
        for (id, ..) in chunk {
            list.push_bind(*id);
        }
        list.push_unseparated(")");
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    index_new(c, org, customers).await
}

/// Adds the words of customers that have none yet (just created, or after
/// the organization's words were deleted).
pub(crate) async fn index_new(c: &mut Conn, org: Id, customers: &[Indexed<'_>]) -> Result<()> {
    let rows: Vec<(Id, String)> = customers
        .iter()
        .flat_map(|(id, external, name, email)| terms(external, *name, *email).into_iter().map(move |t| (*id, t)))
        .collect();
    for chunk in rows.chunks(l::rows_per_insert(3)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO customer_terms (org_id, term, customer_id) ");
        qb.push_values(chunk, |mut b, (id, term)| {
            b.push_bind(org).push_bind(term.as_str()).push_bind(*id);
        });
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// Indexes every customer of the organization again (the rebuild), a page
/// at a time.
pub(crate) async fn reindex(c: &mut Conn, org: Id) -> Result<()> {
    sqlx::query("DELETE FROM customer_terms WHERE org_id = $1").bind(org).execute(&mut *c).await?;
    let mut after: Id = 0;
    loop {
        let page: Vec<(Id, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT id, external_id, name, email FROM customers WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(org)
        .bind(after)
        .bind(rapport_store::rows::measure::REBUILD_PAGE)
        .fetch_all(&mut *c)
        .await?;
        let Some(last) = page.last() else { return Ok(()) };
        after = last.0;
        let customers: Vec<Indexed<'_>> =
            page.iter().map(|(id, e, n, m)| (*id, e.as_str(), n.as_deref(), m.as_deref())).collect();
        index_new(c, org, &customers).await?;
    }
}

/// Whether every customer of the organization is in the index.
pub(crate) async fn complete(c: &mut Conn, org: Id) -> Result<bool> {
    Ok(super::counts::kept(c, org, MISSING).await? == 0)
}

/// The customers whose words begin with the query's longest word, sorted
/// and without repeats, when they are at most `NARROW_AT_MOST`; `None`
/// past it, and for a query without letters or digits. A page of a rare
/// word's customers is then looked up by id and sorted ([`push_match`]):
/// left to itself, the planner walked the organization's customers in
/// the page's order and checked each against the word's, every customer
/// for a word few have (21 ms at 100,000 customers, ten times that at a
/// million).
pub(crate) async fn few_matching(c: &mut Conn, org: Id, query: &str) -> Result<Option<Vec<Id>>> {
    let Some(longest) = longest_first(query).into_iter().next() else { return Ok(None) };
    let mut qb = sqlx::QueryBuilder::<Db>::new("SELECT t.customer_id FROM customer_terms t WHERE t.org_id = ");
    qb.push_bind(org);
    push_range(&mut qb, "t", longest);
    qb.push(" LIMIT ").push_bind(NARROW_AT_MOST + 1);
    let mut ids: Vec<Id> = qb.build_query_scalar().persistent(false).fetch_all(&mut *c).await?;
    ids.sort_unstable();
    ids.dedup();
    // Repeats (a name and an e-mail with the same word) may hide that
    // there were more: only a short read is complete.
    Ok((ids.len() as i64 <= NARROW_AT_MOST).then_some(ids))
}

/// Appends "and `id` is a customer whose words begin with each of the
/// query's"; a query without letters or digits matches no one. The
/// longest word (the likeliest to be rare) is read as a range of the key,
/// or stands as the ids [`few_matching`] read for it; each other word is
/// then checked among the customer's own few words (by the index on
/// `customer_id`): "cust-00042" reads the customers with a word beginning
/// with "00042", not the million beginning with "cust".
pub(crate) fn push_match(qb: &mut sqlx::QueryBuilder<'_, Db>, org: Id, id: &str, query: &str, few: Option<&[Id]>) {
    let mut words = longest_first(query).into_iter();
    let Some(first) = words.next() else {
        qb.push(" AND 1 = 0");
        return;
    };
    match few {
        Some([]) => {
            qb.push(" AND 1 = 0");
            return;
        }
        // The database's own integers, written out: a statement of one
        // use is not kept prepared.
        Some(ids) => {
            let ids: Vec<String> = ids.iter().map(Id::to_string).collect();
            qb.push(format!(" AND {id} IN ({})", ids.join(",")));
        }
        None => {
            qb.push(format!(" AND {id} IN (SELECT t.customer_id FROM customer_terms t WHERE t.org_id = "))
                .push_bind(org);
            push_range(qb, "t", first);
            qb.push(")");
        }
    }
    for word in words {
        qb.push(format!(" AND EXISTS (SELECT 1 FROM customer_terms u WHERE u.customer_id = {id}"));
        push_range(qb, "u", word);
        qb.push(")");
    }
}

/// The query's words, the longest first (of equal ones, the first
/// written): [`few_matching`] reads the first, which [`push_match`] then
/// does not check again.
fn longest_first(query: &str) -> Vec<String> {
    let mut words = words(query);
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words
}

/// `AND {alias}.term` begins with `word`, as a range.
fn push_range(qb: &mut sqlx::QueryBuilder<'_, Db>, alias: &str, word: String) {
    let end = prefix_end(&word);
    qb.push(format!(" AND {alias}.term >= ")).push_bind(word);
    if let Some(end) = end {
        qb.push(format!(" AND {alias}.term < ")).push_bind(end);
    }
}
