//! Themes (C6): the admin's definitions, which commented responses mention
//! each (`response_themes`), and the per-day counts (`theme_days`) the same
//! writes keep, as the rollups are kept: ingestion tags, the rebuild
//! re-tags what changed, erasure untags.

use super::customers::lookup;
use super::{write, Conn};
use crate::dialect::{Backend, Db};
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::measure::Tally;
use rapport_core::text::{Sentiment, ThemeDef, ThemeInput};
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::rows::listening as l;
use rapport_store::rows::text::{SentimentDeltas, Tagged, ThemeDeltas, ThemeRow, THEME_COLUMNS};
use rapport_store::text::{ResponseThemes, ThemeCount};
use rapport_store::{Result, StoreError};
use std::collections::HashMap;

/// The organization's themes, by name.
pub(crate) async fn themes_of(c: &mut Conn, org: Id) -> Result<Vec<ThemeDef>> {
    let sql = format!("SELECT {THEME_COLUMNS} FROM text_themes WHERE org_id = $1 ORDER BY name");
    let rows: Vec<ThemeRow> = sqlx::query_as(&sql).bind(org).fetch_all(&mut *c).await?;
    rows.into_iter().map(ThemeRow::theme).collect()
}

/// Upserts summed deltas into `theme_days`.
async fn apply(c: &mut Conn, org: Id, deltas: &ThemeDeltas) -> Result<()> {
    let rows = deltas.nonzero();
    for chunk in rows.chunks(l::rows_per_insert(6)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO theme_days (org_id, theme_id, touchpoint_id, day, n, sentiment_sum) ",
        );
        qb.push_values(chunk, |mut b, ((theme, touchpoint, day), (n, sum))| {
            b.push_bind(org).push_bind(*theme).push_bind(*touchpoint).push_bind(*day).push_bind(*n).push_bind(*sum);
        });
        qb.push(
            " ON CONFLICT (org_id, theme_id, touchpoint_id, day) DO UPDATE SET \
             n = theme_days.n + excluded.n, sentiment_sum = theme_days.sentiment_sum + excluded.sentiment_sum",
        );
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// Upserts summed deltas into `sentiment_days`.
pub(crate) async fn apply_sentiment(c: &mut Conn, org: Id, deltas: &SentimentDeltas) -> Result<()> {
    let rows = deltas.nonzero();
    for chunk in rows.chunks(l::rows_per_insert(6)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO sentiment_days (org_id, touchpoint_id, day, n, total, total_sq) ",
        );
        qb.push_values(chunk, |mut b, ((touchpoint, day), t)| {
            b.push_bind(org).push_bind(*touchpoint).push_bind(*day).push_bind(t.n).push_bind(t.sum).push_bind(t.sum_sq);
        });
        qb.push(
            " ON CONFLICT (org_id, touchpoint_id, day) DO UPDATE SET n = sentiment_days.n + excluded.n, \
             total = sentiment_days.total + excluded.total, total_sq = sentiment_days.total_sq + excluded.total_sq",
        );
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// Takes the comments of `responses` out of `sentiment_days` (before
/// their sentiment is cleared or changed).
pub(crate) async fn untally_sentiment(c: &mut Conn, org: Id, responses: &[Id]) -> Result<()> {
    let select = "SELECT touchpoint_id, at, sentiment FROM responses WHERE sentiment IS NOT NULL AND";
    let rows: Vec<(Id, DateTime<Utc>, f64)> = lookup(c, select, org, "id", responses).await?;
    let mut deltas = SentimentDeltas::default();
    for (touchpoint, at, score) in rows {
        deltas.add(touchpoint, at.date_naive(), score, -1);
    }
    apply_sentiment(c, org, &deltas).await
}

/// Records the themes of freshly analysed responses (none tagged before).
pub(crate) async fn tag(c: &mut Conn, org: Id, tagged: &[Tagged]) -> Result<()> {
    let mentions: Vec<(Id, &Tagged)> = tagged.iter().flat_map(|t| t.themes.iter().map(move |th| (*th, t))).collect();
    for chunk in mentions.chunks(l::rows_per_insert(5)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO response_themes (org_id, theme_id, response_id, touchpoint_id, sentiment_label) ",
        );
        qb.push_values(chunk, |mut b, (theme, t)| {
            b.push_bind(org).push_bind(*theme).push_bind(t.response).push_bind(t.touchpoint).push_bind(t.label.code());
        });
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    let mut deltas = ThemeDeltas::default();
    for t in tagged {
        deltas.add(t, 1);
    }
    apply(c, org, &deltas).await
}

/// [`tag`], without the themes deleted since the batch was matched (the
/// match ran before the write lock).
pub(crate) async fn tag_new(c: &mut Conn, org: Id, mut tagged: Vec<Tagged>) -> Result<()> {
    if tagged.is_empty() {
        return Ok(());
    }
    let live: Vec<Id> = themes_of(c, org).await?.into_iter().map(|t| t.id).collect();
    for t in &mut tagged {
        t.themes.retain(|id| live.contains(id));
    }
    tagged.retain(|t| !t.themes.is_empty());
    tag(c, org, &tagged).await
}

/// Takes responses' themes away: their mentions and their counts (read
/// before the responses' sentiment changes).
pub(crate) async fn untag(c: &mut Conn, org: Id, responses: &[Id]) -> Result<()> {
    let tags = tags_of(c, org, responses).await?;
    if tags.is_empty() {
        return Ok(());
    }
    let tagged: Vec<Id> = tags.keys().copied().collect();
    let select = "SELECT id, touchpoint_id, at, sentiment, sentiment_label FROM responses WHERE";
    // Each response's id, touchpoint, time, score and label.
    type Read = (Id, Id, DateTime<Utc>, Option<f64>, Option<i16>);
    let rows: Vec<Read> = lookup(c, select, org, "id", &tagged).await?;
    let mut deltas = ThemeDeltas::default();
    for (response, touchpoint, at, score, label) in rows {
        let themes = tags.get(&response).cloned().unwrap_or_default();
        // A mentioning comment has both; only the counts are taken away.
        let (score, label) = (score.unwrap_or(0.0), label.and_then(Sentiment::from_code).unwrap_or(Sentiment::Neutral));
        let t = Tagged { response, touchpoint, day: at.date_naive(), score, label, themes };
        deltas.add(&t, -1);
    }
    delete_of(c, "response_themes", org, &tagged).await?;
    apply(c, org, &deltas).await
}

/// The stored themes of responses (ascending ids per response).
pub(crate) async fn tags_of(c: &mut Conn, org: Id, responses: &[Id]) -> Result<HashMap<Id, Vec<Id>>> {
    let select = "SELECT response_id, theme_id FROM response_themes WHERE";
    let rows: Vec<(Id, Id)> = lookup(c, select, org, "response_id", responses).await?;
    let mut out: HashMap<Id, Vec<Id>> = HashMap::new();
    for (response, theme) in rows {
        out.entry(response).or_default().push(theme);
    }
    out.values_mut().for_each(|themes| themes.sort_unstable());
    Ok(out)
}

/// Deletes the rows of `table` (by `response_id`) of these responses.
async fn delete_of(c: &mut Conn, table: &str, org: Id, responses: &[Id]) -> Result<()> {
    for chunk in responses.chunks(l::LOOKUP_CHUNK) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(format!("DELETE FROM {table} WHERE org_id = "));
        qb.push_bind(org).push(" AND response_id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        list.push_unseparated(")");
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

pub(crate) async fn of_response(store: &Backend, org: Id, response: Id) -> Result<ResponseThemes> {
    let mut c = store.pool.acquire().await?;
    super::must_exist(&mut c, "SELECT id FROM responses WHERE org_id = $1 AND id = $2", org, response).await?;
    let ids =
        |table: &str| format!("SELECT theme_id FROM {table} WHERE org_id = $1 AND response_id = $2 ORDER BY theme_id");
    let matched: Vec<Id> =
        sqlx::query_scalar(&ids("response_themes")).bind(org).bind(response).fetch_all(&mut *c).await?;
    let tagged: Vec<Id> = sqlx::query_scalar(&ids("response_tags")).bind(org).bind(response).fetch_all(&mut *c).await?;
    Ok(ResponseThemes { matched, tagged })
}

pub(crate) async fn set_tag(store: &Backend, org: Id, response: Id, theme_id: Id, on: bool, actor: &str) -> Result<()> {
    let mut tx = write(store, org).await?;
    super::must_exist(&mut tx, "SELECT id FROM responses WHERE org_id = $1 AND id = $2", org, response).await?;
    theme(&mut tx, org, theme_id).await?;
    if on {
        sqlx::query(
            "INSERT INTO response_tags (org_id, theme_id, response_id, tagged_by, tagged_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (theme_id, response_id) DO NOTHING",
        )
        .bind(org)
        .bind(theme_id)
        .bind(response)
        .bind(actor)
        .bind(s::now())
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query("DELETE FROM response_tags WHERE org_id = $1 AND theme_id = $2 AND response_id = $3")
            .bind(org)
            .bind(theme_id)
            .bind(response)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes the hand-put tags of responses (their comments are erased).
pub(crate) async fn untag_by_hand(c: &mut Conn, org: Id, responses: &[Id]) -> Result<()> {
    delete_of(c, "response_tags", org, responses).await
}

async fn theme(c: &mut Conn, org: Id, id: Id) -> Result<ThemeDef> {
    let sql = format!("SELECT {THEME_COLUMNS} FROM text_themes WHERE org_id = $1 AND id = $2");
    let row: Option<ThemeRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&mut *c).await?;
    row.ok_or(StoreError::NotFound)?.theme()
}

pub(crate) async fn create(store: &Backend, org: Id, t: &ThemeInput) -> Result<ThemeDef> {
    let mut tx = write(store, org).await?;
    let id: Id = sqlx::query_scalar(
        "INSERT INTO text_themes (org_id, name, keywords_en, keywords_es, created_at) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id",
    )
    .bind(org)
    .bind(&t.name)
    .bind(s::to_json(&t.keywords_en)?)
    .bind(s::to_json(&t.keywords_es)?)
    .bind(s::now())
    .fetch_one(&mut *tx)
    .await
    .map_err(s::taken("name", "another theme has this name"))?;
    let made = theme(&mut tx, org, id).await?;
    tx.commit().await?;
    Ok(made)
}

pub(crate) async fn update(store: &Backend, org: Id, id: Id, t: &ThemeInput) -> Result<ThemeDef> {
    let mut tx = write(store, org).await?;
    let done = sqlx::query(
        "UPDATE text_themes SET name = $3, keywords_en = $4, keywords_es = $5 WHERE org_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(&t.name)
    .bind(s::to_json(&t.keywords_en)?)
    .bind(s::to_json(&t.keywords_es)?)
    .execute(&mut *tx)
    .await
    .map_err(s::taken("name", "another theme has this name"))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let made = theme(&mut tx, org, id).await?;
    tx.commit().await?;
    Ok(made)
}

pub(crate) async fn delete(store: &Backend, org: Id, id: Id) -> Result<()> {
    let mut tx = write(store, org).await?;
    theme(&mut tx, org, id).await?;
    for table in ["response_themes", "response_tags", "theme_days"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE org_id = $1 AND theme_id = $2"))
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM text_themes WHERE org_id = $1 AND id = $2").bind(org).bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The comments' sentiment tallied per day over `from..to`.
pub(crate) async fn sentiment_by_day(
    store: &Backend,
    org: Id,
    touchpoint: Option<Id>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, Tally)>> {
    let mut qb = sqlx::QueryBuilder::<Db>::new(
        "SELECT day, CAST(SUM(n) AS BIGINT), CAST(SUM(total) AS BIGINT), CAST(SUM(total_sq) AS BIGINT) \
         FROM sentiment_days WHERE org_id = ",
    );
    qb.push_bind(org).push(" AND day >= ").push_bind(from).push(" AND day < ").push_bind(to);
    if let Some(tp) = touchpoint {
        qb.push(" AND touchpoint_id = ").push_bind(tp);
    }
    qb.push(" GROUP BY day ORDER BY day");
    let rows: Vec<(NaiveDate, i64, i64, i64)> = qb.build_query_as().fetch_all(&store.pool).await?;
    Ok(rows.into_iter().map(|(day, n, sum, sum_sq)| (day, Tally { n, sum, sum_sq, high: 0, low: 0 })).collect())
}

pub(crate) async fn counts(
    store: &Backend,
    org: Id,
    touchpoint: Option<Id>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ThemeCount>> {
    let mut qb = sqlx::QueryBuilder::<Db>::new(
        "SELECT theme_id, CAST(SUM(n) AS BIGINT) AS n, SUM(sentiment_sum) AS sentiment_sum FROM theme_days \
         WHERE org_id = ",
    );
    qb.push_bind(org).push(" AND day >= ").push_bind(from).push(" AND day < ").push_bind(to);
    if let Some(tp) = touchpoint {
        qb.push(" AND touchpoint_id = ").push_bind(tp);
    }
    qb.push(" GROUP BY theme_id HAVING SUM(n) > 0");
    let rows: Vec<(Id, i64, f64)> = qb.build_query_as().fetch_all(&store.pool).await?;
    Ok(rows.into_iter().map(|(theme_id, n, sentiment_sum)| ThemeCount { theme_id, n, sentiment_sum }).collect())
}
