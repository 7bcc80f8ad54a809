//! Customers: look-ups by external id in chunks, bulk upserts (which
//! re-evaluate segment membership), search and erasure (P7).

use super::accounts::write_audit;
use super::counts;
use super::customer_terms;
use super::rollups::{leave_segments, refresh_members};
use super::surveys::surveys;
use super::{write, Conn};
use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use rapport_core::customer::{Customer, CustomerUpsert};
use rapport_core::Id;
use rapport_store::listening::{CustomerList, Erasure};
use rapport_store::rows as s;
use rapport_store::rows::listening as l;
use rapport_store::{Audit, Result, StoreError};
use serde_json::{Map as JsonMap, Value as JsonValue};
use std::collections::HashMap;

/// The rows `select` (ending in `WHERE` or `AND`) finds of the
/// organization whose `column` is one of `values`, in chunks of
/// `LOOKUP_CHUNK` (never as named statements: see `LOOKUP_CHUNK`).
pub(crate) async fn lookup<'a, K, R>(
    c: &mut Conn,
    select: &str,
    org: Id,
    column: &str,
    values: &'a [K],
) -> Result<Vec<R>>
where
    K: 'a + sqlx::Encode<'a, Db> + sqlx::Type<Db> + Copy + Send + Sync,
    R: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
{
    let mut out = Vec::new();
    for chunk in values.chunks(l::LOOKUP_CHUNK) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(select);
        // A row id is its table's key: `+org_id` (the same value, no longer
        // an index term) keeps SQLite from scanning the organization's rows by
        // an `org_id` index instead. Other columns are unique per
        // organization, so their index starts with `org_id`.
        let org_term = if column == "id" || column == "customer_id" { " +org_id = " } else { " org_id = " };
        qb.push(org_term).push_bind(org).push(format!(" AND {column} IN ("));
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

/// `text` in lower case with `LIKE`'s wildcards (and the escape) escaped
/// by `\`, so that it matches only itself.
fn like_escaped(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .flat_map(|ch| match ch {
            '%' | '_' | '\\' => vec!['\\', ch],
            ch => vec![ch],
        })
        .collect()
}

const CUSTOMER_COLUMNS: &str = "SELECT id, external_id, email, name, attributes, created_at FROM customers";

pub(crate) async fn customer(c: &mut Conn, org: Id, external_id: &str) -> Result<Customer> {
    let sql = format!("{CUSTOMER_COLUMNS} WHERE org_id = $1 AND external_id = $2");
    let row: Option<s::CustomerRow> = sqlx::query_as(&sql).bind(org).bind(external_id).fetch_optional(&mut *c).await?;
    row.ok_or(StoreError::NotFound)?.customer()
}

pub(crate) async fn customer_id(c: &mut Conn, org: Id, external_id: &str) -> Result<Option<Id>> {
    Ok(sqlx::query_scalar("SELECT id FROM customers WHERE org_id = $1 AND external_id = $2")
        .bind(org)
        .bind(external_id)
        .fetch_optional(&mut *c)
        .await?)
}

/// The ids of the customers with these external ids, creating bare
/// ones for those the organization does not know yet.
pub(crate) async fn customer_ids(c: &mut Conn, org: Id, external: Vec<&str>) -> Result<HashMap<String, Id>> {
    let wanted = l::distinct(external);
    let found: Vec<(String, Id)> =
        lookup(c, "SELECT external_id, id FROM customers WHERE", org, "external_id", &wanted).await?;
    let mut out: HashMap<String, Id> = found.into_iter().collect();
    let missing: Vec<&str> = wanted.into_iter().filter(|e| !out.contains_key(*e)).collect();
    let mut created: Vec<Id> = Vec::with_capacity(missing.len());
    let now = s::now();
    let per = l::rows_per_insert(5);
    for chunk in missing.chunks(per) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO customers (org_id, external_id, attributes, created_at, updated_at) ",
        );
        qb.push_values(chunk, |mut b, e| {
            b.push_bind(org).push_bind(*e).push_bind("{}").push_bind(now).push_bind(now);
        });
        qb.push(" RETURNING external_id, id");
        let rows: Vec<(String, Id)> = qb.build_query_as().persistent(chunk.len() == per).fetch_all(&mut *c).await?;
        let indexed: Vec<customer_terms::Indexed<'_>> =
            rows.iter().map(|(e, id)| (*id, e.as_str(), None, None)).collect();
        customer_terms::index_new(c, org, &indexed).await?;
        created.extend(rows.iter().map(|r| r.1));
        out.extend(rows);
    }
    counts::add(c, org, counts::CUSTOMERS, created.len() as i64).await?;
    // Bare customers have no attributes, but a rule may still hold
    // (e.g. one with no conditions).
    if !created.is_empty() {
        refresh_members(c, org, Some(&created), true).await?;
    }
    Ok(out)
}

#[async_trait]
impl rapport_store::Customers for Backend {
    async fn upsert_customer(&self, org: Id, customer: &CustomerUpsert) -> Result<Customer> {
        let mut tx = write(self, org).await?;
        if customer_id(&mut tx, org, &customer.external_id).await?.is_none() {
            counts::add(&mut tx, org, counts::CUSTOMERS, 1).await?;
        }
        let row: s::CustomerRow = sqlx::query_as(
            "INSERT INTO customers (org_id, external_id, email, name, attributes, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (org_id, external_id) DO UPDATE SET email = excluded.email, name = excluded.name, \
             attributes = excluded.attributes, updated_at = excluded.updated_at \
             RETURNING id, external_id, email, name, attributes, created_at",
        )
        .bind(org)
        .bind(&customer.external_id)
        .bind(&customer.email)
        .bind(&customer.name)
        .bind(s::to_json(&customer.attributes)?)
        .bind(s::now())
        .fetch_one(&mut *tx)
        .await?;
        let customer = row.customer()?;
        let indexed = (customer.id, customer.external_id.as_str(), customer.name.as_deref(), customer.email.as_deref());
        customer_terms::index(&mut tx, org, &[indexed]).await?;
        refresh_members(&mut tx, org, Some(&[customer.id]), true).await?;
        tx.commit().await?;
        Ok(customer)
    }

    async fn page_customers(&self, org: Id, list: &CustomerList) -> Result<Vec<Customer>> {
        let mut c = self.pool.acquire().await?;
        let text = list.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let indexed = match text {
            Some(_) => customer_terms::complete(&mut c, org).await?,
            None => false,
        };
        let few = match text {
            Some(text) if indexed => customer_terms::few_matching(&mut c, org, text).await?,
            _ => None,
        };
        let mut qb = sqlx::QueryBuilder::<Db>::new(CUSTOMER_COLUMNS);
        // Few matches are looked up by id: `+org_id` (the same value, no
        // longer an index term) keeps SQLite from walking the
        // organization's customers in order by its index instead.
        qb.push(if few.is_some() { " WHERE +org_id = " } else { " WHERE org_id = " }).push_bind(org);
        if let Some(text) = text {
            if indexed {
                customer_terms::push_match(&mut qb, org, "id", text, few.as_deref());
            } else {
                // Not indexed yet (customers from before migration 0013,
                // until a rebuild): a scan, by substring.
                let pattern = format!("%{}%", like_escaped(text));
                qb.push(" AND (lower(external_id) LIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\'");
                qb.push(" OR lower(name) LIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\'");
                qb.push(" OR lower(email) LIKE ").push_bind(pattern).push(" ESCAPE '\\')");
            }
        }
        if let Some(after) = &list.after {
            qb.push(" AND external_id > ").push_bind(after.clone());
        }
        // The previous page: the nearest ones before, read backwards.
        let backwards = list.before.is_some();
        if let Some(before) = &list.before {
            qb.push(" AND external_id < ").push_bind(before.clone());
        }
        qb.push(if backwards { " ORDER BY external_id DESC" } else { " ORDER BY external_id" });
        if list.limit > 0 {
            qb.push(" LIMIT ").push_bind(list.limit);
        }
        let rows: Vec<s::CustomerRow> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
        let mut out = rows.into_iter().map(s::CustomerRow::customer).collect::<Result<Vec<Customer>>>()?;
        if backwards {
            out.reverse();
        }
        Ok(out)
    }

    async fn customer_count(&self, org: Id) -> Result<i64> {
        counts::kept(&mut *self.pool.acquire().await?, org, counts::CUSTOMERS).await
    }

    async fn upsert_customers(&self, org: Id, customers: &[CustomerUpsert]) -> Result<Vec<Id>> {
        let mut tx = write(self, org).await?;
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
        let external: Vec<&str> = rows.iter().map(|(c, _)| c.external_id.as_str()).collect();
        let known: Vec<(String, Id)> =
            lookup(&mut tx, "SELECT external_id, id FROM customers WHERE", org, "external_id", &external).await?;
        counts::add(&mut tx, org, counts::CUSTOMERS, (rows.len() - known.len()) as i64).await?;
        let mut ids: HashMap<String, Id> = HashMap::with_capacity(rows.len());
        for chunk in rows.chunks(per) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
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
            let got: Vec<(String, Id)> = qb.build_query_as().persistent(chunk.len() == per).fetch_all(&mut *tx).await?;
            ids.extend(got);
        }
        let touched: Vec<Id> = ids.values().copied().collect();
        let indexed: Vec<customer_terms::Indexed<'_>> = rows
            .iter()
            .filter_map(|(c, _)| {
                let id = ids.get(&c.external_id)?;
                Some((*id, c.external_id.as_str(), c.name.as_deref(), c.email.as_deref()))
            })
            .collect();
        customer_terms::index(&mut tx, org, &indexed).await?;
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

    async fn get_customer(&self, org: Id, external_id: &str) -> Result<Customer> {
        customer(&mut *self.pool.acquire().await?, org, external_id).await
    }

    async fn erase_customer(&self, org: Id, external_id: &str, actor: &str) -> Result<Erasure> {
        let mut tx = write(self, org).await?;
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
        // And in their cases' threads (their e-mails and the replies to them).
        sqlx::query(
            "DELETE FROM case_messages WHERE org_id = $1 \
             AND case_id IN (SELECT id FROM cases WHERE org_id = $1 AND customer_id = $2)",
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
        // Their comments go, and with them what the comments mentioned.
        let responses: Vec<Id> = rows.iter().map(|r| r.0).collect();
        super::themes::untag(&mut tx, org, &responses).await?;
        super::themes::untally_sentiment(&mut tx, org, &responses).await?;
        super::themes::untag_by_hand(&mut tx, org, &responses).await?;
        let mut questions = HashMap::new();
        for survey in l::distinct(rows.iter().filter_map(|r| r.1)) {
            let survey = s::one(surveys(&mut tx, org, Some(survey)).await?)?;
            questions.insert(survey.id, survey.questions);
        }
        for (response, survey, answers) in &rows {
            let answers: JsonMap<String, JsonValue> = s::from_json("response answers", answers)?;
            let asked = survey.and_then(|id| questions.get(&id)).map_or(&[][..], |q| &q[..]);
            let kept = rapport_store::listening::anonymous_answers(asked, &answers);
            sqlx::query(
                "UPDATE responses SET customer_id = NULL, idempotency_key = NULL, comment = NULL, answers = $3, \
                 sentiment = NULL, sentiment_label = NULL, wow = 0, anger = 0, search_terms = NULL \
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
        sqlx::query("DELETE FROM customers WHERE org_id = $1 AND id = $2").bind(org).bind(id).execute(&mut *tx).await?;
        counts::add(&mut tx, org, counts::CUSTOMERS, -1).await?;
        write_audit(&mut tx, org, &Audit::new(actor, "customer.erase", format!("customer:{id}")), None).await?;
        tx.commit().await?;
        Ok(Erasure { customer_id: id, responses: rows.len() as u64, events })
    }
}
