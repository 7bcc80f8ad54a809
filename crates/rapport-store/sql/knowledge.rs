//! E2. The knowledge base for the front line: FAQs, product descriptions and
//! procedures in English and Spanish, linked to touchpoints and root causes.
//!
//! An article row holds its current version's text (a copy of its newest
//! `kb_versions` row), its search terms (indexed like comments': SQLite
//! FTS5 `kb_articles_fts`, PostgreSQL GIN `kb_articles_search`) and kept
//! counters: `helpful` (marks of any version), `outdated` (marks made on
//! the current version; a new version sets it to 0) and `uses` (opened
//! from a case).

use super::case_setup::ROOT_CAUSE;
use super::{check, write, Conn, TOUCHPOINT};
use crate::dialect::{search_expression, Backend, Db, ARTICLE_SEARCH_MATCH};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::people::knowledge::{
    self as kb, Article, ArticleInput, ArticleKind, ArticleText, ArticleVersion, Candidate, Mark, MarkInput, MarkRecord,
};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::knowledge::{ArticleFilter, ArticleKey, ArticleSummary, Author, Board, OutdatedNote};
use rapport_store::rows as s;
use rapport_store::{Result, StoreError};

const CASE_RULE: &str = "SELECT id FROM case_rules WHERE org_id = $1 AND id = $2";
const CASE: &str = "SELECT id FROM cases WHERE org_id = $1 AND id = $2";

/// The link tables: (table, column, field named in errors, existence check).
const LINKS: [(&str, &str, &str, &str); 3] = [
    ("kb_article_touchpoints", "touchpoint_id", "touchpoint_ids", TOUCHPOINT),
    ("kb_article_root_causes", "root_cause_id", "root_cause_ids", ROOT_CAUSE),
    ("kb_article_case_rules", "case_rule_id", "case_rule_ids", CASE_RULE),
];

fn link_ids(input: &ArticleInput) -> [&[Id]; 3] {
    [&input.touchpoint_ids, &input.root_cause_ids, &input.case_rule_ids]
}

fn kind_of(key: &str) -> Result<ArticleKind> {
    ArticleKind::parse(key).ok_or_else(|| s::corrupt(format!("article kind {key}")))
}

fn text(title: Option<String>, body: Option<String>) -> Option<ArticleText> {
    match (title, body) {
        (Some(title), Some(body)) => Some(ArticleText { title, body }),
        _ => None,
    }
}

/// Checks the links and the author's person, then writes the links.
async fn write_links(c: &mut Conn, org: Id, id: Id, input: &ArticleInput) -> Result<()> {
    let mut e = FieldErrors::new();
    for ((_, _, field, sql), ids) in LINKS.iter().zip(link_ids(input)) {
        for (i, link) in ids.iter().enumerate() {
            check(c, &mut e, sql, org, *link, format!("{field}[{i}]")).await?;
        }
    }
    s::invalid_if_any(e)?;
    for ((table, column, _, _), ids) in LINKS.iter().zip(link_ids(input)) {
        sqlx::query(&format!("DELETE FROM {table} WHERE org_id = $1 AND article_id = $2"))
            .bind(org)
            .bind(id)
            .execute(&mut *c)
            .await?;
        for link in ids {
            sqlx::query(&format!("INSERT INTO {table} (org_id, article_id, {column}) VALUES ($1, $2, $3)"))
                .bind(org)
                .bind(id)
                .bind(*link)
                .execute(&mut *c)
                .await?;
        }
    }
    Ok(())
}

/// The author's shown name: the person's, else the account.
async fn author_name(c: &mut Conn, org: Id, author: &Author) -> Result<(String, Option<Id>)> {
    if let Some(person) = author.person_id {
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM people WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(person)
            .fetch_optional(&mut *c)
            .await?;
        if let Some(name) = name {
            return Ok((name, Some(person)));
        }
    }
    Ok((author.account.clone(), None))
}

async fn write_version(
    c: &mut Conn,
    org: Id,
    id: Id,
    version: i64,
    input: &ArticleInput,
    author: &Author,
    now: DateTime<Utc>,
) -> Result<()> {
    let (name, person) = author_name(c, org, author).await?;
    sqlx::query(
        "INSERT INTO kb_versions (org_id, article_id, version, kind, title_en, body_en, title_es, body_es, \
         author, author_person_id, written_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(org)
    .bind(id)
    .bind(version)
    .bind(input.kind.key())
    .bind(input.en.as_ref().map(|t| &t.title))
    .bind(input.en.as_ref().map(|t| &t.body))
    .bind(input.es.as_ref().map(|t| &t.title))
    .bind(input.es.as_ref().map(|t| &t.body))
    .bind(name)
    .bind(person)
    .bind(now)
    .execute(&mut *c)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ArticleRow {
    id: Id,
    current: i64,
    created_at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
    helpful: i64,
    outdated: i64,
    uses: i64,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    kind: String,
    title_en: Option<String>,
    body_en: Option<String>,
    title_es: Option<String>,
    body_es: Option<String>,
    author: String,
    author_person_id: Option<Id>,
    written_at: DateTime<Utc>,
}

async fn links_of(c: &mut Conn, org: Id, id: Id, table: &str, column: &str) -> Result<Vec<Id>> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT {column} FROM {table} WHERE org_id = $1 AND article_id = $2 ORDER BY {column}"
    ))
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?)
}

async fn article(c: &mut Conn, org: Id, id: Id, version: Option<i64>) -> Result<Article> {
    let row: ArticleRow = sqlx::query_as(
        "SELECT id, version AS current, created_at, archived_at, helpful, outdated, uses FROM kb_articles \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *c)
    .await?
    .ok_or(StoreError::NotFound)?;
    let v: VersionRow = sqlx::query_as(
        "SELECT version, kind, title_en, body_en, title_es, body_es, author, author_person_id, written_at \
         FROM kb_versions WHERE org_id = $1 AND article_id = $2 AND version = $3",
    )
    .bind(org)
    .bind(id)
    .bind(version.unwrap_or(row.current))
    .fetch_optional(&mut *c)
    .await?
    .ok_or(StoreError::NotFound)?;
    let mut links: Vec<Vec<Id>> = Vec::new();
    for (table, column, _, _) in LINKS {
        links.push(links_of(c, org, id, table, column).await?);
    }
    let [touchpoint_ids, root_cause_ids, case_rule_ids]: [Vec<Id>; 3] =
        links.try_into().map_err(|_| s::corrupt("links".into()))?;
    Ok(Article {
        id: row.id,
        kind: kind_of(&v.kind)?,
        version: v.version,
        current_version: row.current,
        en: text(v.title_en, v.body_en),
        es: text(v.title_es, v.body_es),
        author: v.author,
        author_person_id: v.author_person_id,
        written_at: v.written_at,
        created_at: row.created_at,
        archived_at: row.archived_at,
        touchpoint_ids,
        root_cause_ids,
        case_rule_ids,
        helpful: row.helpful,
        outdated: row.outdated,
        uses: row.uses,
    })
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Id,
    kind: String,
    version: i64,
    title_en: Option<String>,
    title_es: Option<String>,
    updated_at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
    helpful: i64,
    outdated: i64,
    uses: i64,
    title_hits: i64,
}

impl SummaryRow {
    fn into_summary(self) -> Result<ArticleSummary> {
        Ok(ArticleSummary {
            id: self.id,
            kind: kind_of(&self.kind)?,
            version: self.version,
            title_en: self.title_en,
            title_es: self.title_es,
            updated_at: self.updated_at,
            archived_at: self.archived_at,
            helpful: self.helpful,
            outdated: self.outdated,
            uses: self.uses,
            rank: self.title_hits,
        })
    }
}

const SUMMARY: &str =
    "a.id, a.kind, a.version, a.title_en, a.title_es, a.updated_at, a.archived_at, a.helpful, a.outdated, a.uses";

fn summaries(rows: Vec<SummaryRow>) -> Result<Vec<ArticleSummary>> {
    rows.into_iter().map(SummaryRow::into_summary).collect()
}

#[async_trait]
impl rapport_store::Knowledge for Backend {
    async fn create_article(
        &self,
        org: Id,
        input: &ArticleInput,
        author: &Author,
        now: DateTime<Utc>,
    ) -> Result<Article> {
        let mut tx = write(self, org).await?;
        let id: Id = sqlx::query_scalar(
            "INSERT INTO kb_articles (org_id, kind, version, title_en, body_en, title_es, body_es, created_at, \
             updated_at, search_terms, title_terms, helpful, outdated, uses) \
             VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $7, $8, $9, 0, 0, 0) RETURNING id",
        )
        .bind(org)
        .bind(input.kind.key())
        .bind(input.en.as_ref().map(|t| &t.title))
        .bind(input.en.as_ref().map(|t| &t.body))
        .bind(input.es.as_ref().map(|t| &t.title))
        .bind(input.es.as_ref().map(|t| &t.body))
        .bind(now)
        .bind(&input.search_terms)
        .bind(&input.title_terms)
        .fetch_one(&mut *tx)
        .await?;
        write_links(&mut tx, org, id, input).await?;
        write_version(&mut tx, org, id, 1, input, author, now).await?;
        let out = article(&mut tx, org, id, None).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_article(
        &self,
        org: Id,
        id: Id,
        input: &ArticleInput,
        author: &Author,
        now: DateTime<Utc>,
    ) -> Result<Article> {
        let mut tx = write(self, org).await?;
        let current = article(&mut tx, org, id, None).await?;
        if current.archived_at.is_some() {
            return Err(StoreError::conflict("id", "archived", "an archived article is not edited"));
        }
        let version = current.current_version + 1;
        sqlx::query(
            "UPDATE kb_articles SET kind = $3, version = $4, title_en = $5, body_en = $6, title_es = $7, \
             body_es = $8, updated_at = $9, search_terms = $10, title_terms = $11, outdated = 0 \
             WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(input.kind.key())
        .bind(version)
        .bind(input.en.as_ref().map(|t| &t.title))
        .bind(input.en.as_ref().map(|t| &t.body))
        .bind(input.es.as_ref().map(|t| &t.title))
        .bind(input.es.as_ref().map(|t| &t.body))
        .bind(now)
        .bind(&input.search_terms)
        .bind(&input.title_terms)
        .execute(&mut *tx)
        .await?;
        write_links(&mut tx, org, id, input).await?;
        write_version(&mut tx, org, id, version, input, author, now).await?;
        let out = article(&mut tx, org, id, None).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn archive_article(&self, org: Id, id: Id, now: DateTime<Utc>) -> Result<Article> {
        let mut tx = write(self, org).await?;
        sqlx::query("UPDATE kb_articles SET archived_at = $3 WHERE org_id = $1 AND id = $2 AND archived_at IS NULL")
            .bind(org)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let out = article(&mut tx, org, id, None).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn get_article(&self, org: Id, id: Id, version: Option<i64>) -> Result<Article> {
        let mut c = self.pool.acquire().await?;
        article(&mut c, org, id, version).await
    }

    async fn article_versions(&self, org: Id, id: Id) -> Result<Vec<ArticleVersion>> {
        let mut c = self.pool.acquire().await?;
        super::must_exist(&mut c, "SELECT id FROM kb_articles WHERE org_id = $1 AND id = $2", org, id).await?;
        let rows: Vec<(i64, String, Option<Id>, DateTime<Utc>)> = sqlx::query_as(
            "SELECT version, author, author_person_id, written_at FROM kb_versions \
             WHERE org_id = $1 AND article_id = $2 ORDER BY version DESC",
        )
        .bind(org)
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(version, author, author_person_id, written_at)| ArticleVersion {
                version,
                author,
                author_person_id,
                written_at,
            })
            .collect())
    }

    async fn page_articles(
        &self,
        org: Id,
        filter: &ArticleFilter,
        after: Option<ArticleKey>,
        limit: i64,
    ) -> Result<Vec<ArticleSummary>> {
        let groups = filter.q.as_deref().map(rapport_core::text::search::search_query).unwrap_or_default();
        let mut qb = sqlx::QueryBuilder::<Db>::new("SELECT * FROM (SELECT ");
        qb.push(SUMMARY).push(", ");
        if groups.is_empty() {
            qb.push("CAST(0 AS BIGINT)");
        } else {
            // How many of the query's words the titles hold.
            qb.push("CAST(");
            for (i, group) in groups.iter().enumerate() {
                if i > 0 {
                    qb.push(" + ");
                }
                qb.push("(CASE WHEN ");
                for (j, stem) in group.iter().enumerate() {
                    if j > 0 {
                        qb.push(" OR ");
                    }
                    qb.push("a.title_terms LIKE ").push_bind(format!("% {stem} %"));
                }
                qb.push(" THEN 1 ELSE 0 END)");
            }
            qb.push(" AS BIGINT)");
        }
        qb.push(" AS title_hits FROM kb_articles a WHERE a.org_id = ").push_bind(org);
        qb.push(if filter.archived { " AND a.archived_at IS NOT NULL" } else { " AND a.archived_at IS NULL" });
        if let Some(kind) = filter.kind {
            qb.push(" AND a.kind = ").push_bind(kind.key());
        }
        if let Some(tp) = filter.touchpoint {
            qb.push(" AND a.id IN (SELECT article_id FROM kb_article_touchpoints WHERE org_id = ")
                .push_bind(org)
                .push(" AND touchpoint_id = ")
                .push_bind(tp)
                .push(")");
        }
        if !groups.is_empty() {
            let (open, close) = ARTICLE_SEARCH_MATCH;
            qb.push(" AND ").push(open).push_bind(search_expression(&groups)).push(close);
        }
        qb.push(") t");
        if let Some(k) = after {
            qb.push(" WHERE (t.title_hits, t.helpful, t.id) < (")
                .push_bind(k.rank)
                .push(", ")
                .push_bind(k.helpful)
                .push(", ")
                .push_bind(k.id)
                .push(")");
        }
        qb.push(" ORDER BY t.title_hits DESC, t.helpful DESC, t.id DESC LIMIT ").push_bind(limit.max(0));
        let rows: Vec<SummaryRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        summaries(rows)
    }

    async fn mark_article(
        &self,
        org: Id,
        id: Id,
        account: &str,
        mark: &MarkInput,
        now: DateTime<Utc>,
    ) -> Result<Article> {
        let mut tx = write(self, org).await?;
        let current: i64 = sqlx::query_scalar("SELECT version FROM kb_articles WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let old: Option<(String, i64)> =
            sqlx::query_as("SELECT mark, version FROM kb_marks WHERE org_id = $1 AND article_id = $2 AND account = $3")
                .bind(org)
                .bind(id)
                .bind(account)
                .fetch_optional(&mut *tx)
                .await?;
        let old = old.and_then(|(m, v)| Mark::parse(&m).map(|m| (m, v == current)));
        let (helpful, outdated) = kb::counter_change(old, mark.mark);
        sqlx::query("DELETE FROM kb_marks WHERE org_id = $1 AND article_id = $2 AND account = $3")
            .bind(org)
            .bind(id)
            .bind(account)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO kb_marks (org_id, article_id, account, mark, note, version, marked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(org)
        .bind(id)
        .bind(account)
        .bind(mark.mark.key())
        .bind(&mark.note)
        .bind(current)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE kb_articles SET helpful = helpful + $3, outdated = outdated + $4 WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(helpful)
        .bind(outdated)
        .execute(&mut *tx)
        .await?;
        let out = article(&mut tx, org, id, None).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn article_mark(&self, org: Id, id: Id, account: &str) -> Result<Option<MarkRecord>> {
        let row: Option<(String, Option<String>, i64, DateTime<Utc>)> = sqlx::query_as(
            "SELECT mark, note, version, marked_at FROM kb_marks WHERE org_id = $1 AND article_id = $2 AND account = $3",
        )
        .bind(org)
        .bind(id)
        .bind(account)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|(m, note, version, marked_at)| {
            Mark::parse(&m).map(|mark| MarkRecord { mark, note, version, marked_at })
        }))
    }

    async fn outdated_notes(&self, org: Id, id: Id) -> Result<Vec<OutdatedNote>> {
        let rows: Vec<(i64, String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT m.version, m.note, m.marked_at FROM kb_marks m \
             JOIN kb_articles a ON a.org_id = m.org_id AND a.id = m.article_id AND a.version = m.version \
             WHERE m.org_id = $1 AND m.article_id = $2 AND m.mark = 'outdated' AND m.note IS NOT NULL \
             ORDER BY m.marked_at DESC LIMIT 50",
        )
        .bind(org)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(version, note, marked_at)| OutdatedNote { version, note, marked_at }).collect())
    }

    async fn record_article_use(&self, org: Id, id: Id, case: Id) -> Result<()> {
        let mut tx = write(self, org).await?;
        super::must_exist(&mut tx, CASE, org, case).await?;
        let done = sqlx::query("UPDATE kb_articles SET uses = uses + 1 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    async fn article_candidates(
        &self,
        org: Id,
        root_cause: Option<Id>,
        touchpoint: Option<Id>,
        stems: &[String],
        limit: i64,
    ) -> Result<Vec<Candidate>> {
        let mut c = self.pool.acquire().await?;
        type Row = (Id, Option<String>, i64);
        let mut out: Vec<Candidate> = Vec::new();
        let linked = |table: &str, column: &str| {
            format!(
                "SELECT a.id, a.search_terms, a.helpful FROM kb_articles a JOIN {table} l \
                 ON l.org_id = a.org_id AND l.article_id = a.id \
                 WHERE a.org_id = $1 AND l.{column} = $2 AND a.archived_at IS NULL \
                 ORDER BY a.helpful DESC, a.id DESC LIMIT 20"
            )
        };
        let mut by_cause: Vec<Row> = Vec::new();
        if let Some(cause) = root_cause {
            by_cause = sqlx::query_as(&linked("kb_article_root_causes", "root_cause_id"))
                .bind(org)
                .bind(cause)
                .fetch_all(&mut *c)
                .await?;
        }
        let mut by_tp: Vec<Row> = Vec::new();
        if let Some(tp) = touchpoint {
            by_tp = sqlx::query_as(&linked("kb_article_touchpoints", "touchpoint_id"))
                .bind(org)
                .bind(tp)
                .fetch_all(&mut *c)
                .await?;
        }
        let mut by_words: Vec<Row> = Vec::new();
        if !stems.is_empty() {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "SELECT a.id, a.search_terms, a.helpful FROM kb_articles a WHERE a.org_id = ",
            );
            qb.push_bind(org).push(" AND a.archived_at IS NULL AND ");
            let (open, close) = ARTICLE_SEARCH_MATCH;
            qb.push(open).push_bind(search_expression(&[stems.to_vec()])).push(close);
            qb.push(" ORDER BY a.helpful DESC, a.id DESC LIMIT ").push_bind(limit.max(0));
            by_words = qb.build_query_as().fetch_all(&mut *c).await?;
        }
        for (id, terms, helpful) in by_cause.iter().chain(&by_tp).chain(&by_words) {
            if out.iter().any(|x| x.article_id == *id) {
                continue;
            }
            out.push(Candidate {
                article_id: *id,
                root_cause: by_cause.iter().any(|r| r.0 == *id),
                touchpoint: by_tp.iter().any(|r| r.0 == *id),
                search_terms: terms.clone(),
                helpful: *helpful,
            });
        }
        Ok(out)
    }

    async fn article_summaries(&self, org: Id, ids: &[Id]) -> Result<Vec<ArticleSummary>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut qb = sqlx::QueryBuilder::<Db>::new("SELECT ");
        qb.push(SUMMARY).push(", CAST(0 AS BIGINT) AS title_hits FROM kb_articles a WHERE a.org_id = ").push_bind(org);
        qb.push(" AND a.id IN (");
        let mut sep = qb.separated(", ");
        for id in ids.iter().take(500) {
            sep.push_bind(*id);
        }
        qb.push(")");
        let rows: Vec<SummaryRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        summaries(rows)
    }

    async fn knowledge_board(&self, org: Id, touchpoint: Option<Id>, n: i64) -> Result<Board> {
        let scope = "a.org_id = $1 AND a.archived_at IS NULL AND ($2 IS NULL OR a.id IN \
                     (SELECT article_id FROM kb_article_touchpoints WHERE org_id = $1 AND touchpoint_id = $2))";
        let most_used: Vec<SummaryRow> = sqlx::query_as(&format!(
            "SELECT {SUMMARY}, CAST(0 AS BIGINT) AS title_hits FROM kb_articles a WHERE {scope} AND a.uses > 0 \
             ORDER BY a.uses DESC, a.id DESC LIMIT $3"
        ))
        .bind(org)
        .bind(touchpoint)
        .bind(n)
        .fetch_all(&self.pool)
        .await?;
        let outdated: Vec<SummaryRow> = sqlx::query_as(&format!(
            "SELECT {SUMMARY}, CAST(0 AS BIGINT) AS title_hits FROM kb_articles a WHERE {scope} AND a.outdated > 0 \
             ORDER BY a.outdated DESC, a.id DESC LIMIT $3"
        ))
        .bind(org)
        .bind(touchpoint)
        .bind(n)
        .fetch_all(&self.pool)
        .await?;
        Ok(Board { most_used: summaries(most_used)?, outdated: summaries(outdated)? })
    }
}
