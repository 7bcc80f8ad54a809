//! Recomputing the stored text analysis of what customers wrote (`rapport
//! text rebuild`): after an analyser, lexicon or theme change, and for
//! responses stored before analysis existed.

use super::rollups::survey_questions;
use super::{themes, write};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::feedback::written_text;
use rapport_core::lang::Lang;
use rapport_core::measure::band::bands;
use rapport_core::measure::Tally;
use rapport_core::survey::Question;
use rapport_core::text::{self, TextSummary, ThemeDef, ThemeInput, ThemeMatcher};
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::rows::text::{SentimentDeltas, Tagged};
use rapport_store::text::{ResponseThemes, TextAnalytics, TextRebuilt, ThemeCount};
use rapport_store::Result;
use serde_json::{Map as JsonMap, Value as JsonValue};
use std::collections::HashMap;

/// A response as the rebuild reads it.
#[derive(sqlx::FromRow)]
struct Stored {
    id: Id,
    touchpoint_id: Id,
    at: DateTime<Utc>,
    survey_id: Option<Id>,
    answers: String,
    comment: Option<String>,
    language: Option<String>,
    sentiment: Option<f64>,
    sentiment_label: Option<i16>,
    wow: i16,
    anger: i16,
    search_terms: Option<String>,
    nps_band: Option<i16>,
    csat_band: Option<i16>,
}

impl Stored {
    /// What the customer wrote (`written_text`), if anything, and the
    /// score bands of the answers.
    fn read(&self, questions: &HashMap<Id, Vec<Question>>) -> Result<(Option<String>, Bands)> {
        let answers: JsonMap<String, JsonValue> = s::from_json("response answers", &self.answers)?;
        let asked = self.survey_id.and_then(|id| questions.get(&id)).map_or(&[][..], |q| &q[..]);
        Ok((written_text(self.comment.as_deref(), asked, &answers), bands(asked, &answers)))
    }

    /// The analysis as it should be stored, when it differs from what is
    /// (`None` in `Recomputed::summary` clears it: nothing is written).
    fn recomputed(
        &self,
        written: Option<&str>,
        bands: Bands,
        matcher: &ThemeMatcher,
        themes_before: &[Id],
    ) -> Option<Recomputed> {
        let given = self.language.as_deref().and_then(Lang::parse);
        let same_bands = (self.nps_band, self.csat_band) == bands;
        let Some(written) = written else {
            let stored = self.sentiment_label.is_some() || self.search_terms.is_some() || !themes_before.is_empty();
            let clear = Recomputed { summary: None, language: given, terms: None, themes: Vec::new(), bands };
            return (stored || !same_bands).then_some(clear);
        };
        let analysis = text::analyze(written, given);
        let summary = analysis.summary();
        let terms = text::search::search_terms(written);
        let themes = matcher.matches(written, analysis.language);
        let same = self.sentiment == Some(summary.score)
            && self.sentiment_label == Some(summary.label.code())
            && (self.wow != 0) == summary.wow
            && (self.anger != 0) == summary.anger
            && self.search_terms == terms
            && themes == themes_before
            && same_bands
            && given.is_some();
        let language = Some(analysis.language);
        (!same).then_some(Recomputed { summary: Some(summary), language, terms, themes, bands })
    }
}

/// A response's (NPS, CSAT) band codes.
type Bands = (Option<i16>, Option<i16>);

/// What the rebuild writes of one response.
struct Recomputed {
    summary: Option<TextSummary>,
    language: Option<Lang>,
    terms: Option<String>,
    themes: Vec<Id>,
    bands: Bands,
}

#[async_trait]
impl TextAnalytics for Backend {
    async fn rebuild_text(&self, org: Id, after: Id, limit: i64) -> Result<TextRebuilt> {
        let mut tx = write(self, org).await?;
        let rows: Vec<Stored> = sqlx::query_as(
            "SELECT id, touchpoint_id, at, survey_id, answers, comment, language, sentiment, sentiment_label, wow, \
             anger, search_terms, nps_band, csat_band FROM responses WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(org)
        .bind(after)
        .bind(limit.max(0))
        .fetch_all(&mut *tx)
        .await?;
        let questions = survey_questions(&mut tx, org, rows.iter().filter_map(|r| r.survey_id)).await?;
        let matcher = ThemeMatcher::new(&themes::themes_of(&mut tx, org).await?);
        let ids: Vec<Id> = rows.iter().map(|r| r.id).collect();
        let tagged = themes::tags_of(&mut tx, org, &ids).await?;
        let mut changed: Vec<(&Stored, Recomputed)> = Vec::new();
        for row in &rows {
            let (written, bands) = row.read(&questions)?;
            let before = tagged.get(&row.id).map_or(&[][..], |t| &t[..]);
            if let Some(now) = row.recomputed(written.as_deref(), bands, &matcher, before) {
                changed.push((row, now));
            }
        }
        // Their old themes and tallies count with their old sentiment: taken
        // away first, added back with the new one.
        let untagged: Vec<Id> = changed.iter().map(|(row, _)| row.id).collect();
        themes::untag(&mut tx, org, &untagged).await?;
        themes::untally_sentiment(&mut tx, org, &untagged).await?;
        let mut sentiment = SentimentDeltas::default();
        let mut retag = Vec::new();
        for (row, now) in &changed {
            let t = now.summary;
            sqlx::query(
                "UPDATE responses SET sentiment = $3, sentiment_label = $4, wow = $5, anger = $6, \
                 language = COALESCE(language, $7), search_terms = $8, nps_band = $9, csat_band = $10 \
                 WHERE org_id = $1 AND id = $2",
            )
            .bind(org)
            .bind(row.id)
            .bind(t.map(|t| t.score))
            .bind(t.map(|t| t.label.code()))
            .bind(i16::from(t.is_some_and(|t| t.wow)))
            .bind(i16::from(t.is_some_and(|t| t.anger)))
            .bind(now.language.map(Lang::code))
            .bind(now.terms.as_deref())
            .bind(now.bands.0)
            .bind(now.bands.1)
            .execute(&mut *tx)
            .await?;
            let Some(t) = t else { continue };
            let (touchpoint, day, score) = (row.touchpoint_id, row.at.date_naive(), t.score);
            sentiment.add(touchpoint, day, score, 1);
            retag.push(Tagged { response: row.id, touchpoint, day, score, label: t.label, themes: now.themes.clone() });
        }
        themes::apply_sentiment(&mut tx, org, &sentiment).await?;
        themes::tag(&mut tx, org, &retag).await?;
        tx.commit().await?;
        Ok(TextRebuilt { read: rows.len() as u64, changed: changed.len() as u64, last: rows.last().map(|r| r.id) })
    }

    async fn list_themes(&self, org: Id) -> Result<Vec<ThemeDef>> {
        themes::themes_of(&mut *self.pool.acquire().await?, org).await
    }

    async fn create_theme(&self, org: Id, theme: &ThemeInput) -> Result<ThemeDef> {
        themes::create(self, org, theme).await
    }

    async fn update_theme(&self, org: Id, id: Id, theme: &ThemeInput) -> Result<ThemeDef> {
        themes::update(self, org, id, theme).await
    }

    async fn delete_theme(&self, org: Id, id: Id) -> Result<()> {
        themes::delete(self, org, id).await
    }

    async fn theme_counts(
        &self,
        org: Id,
        touchpoint: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ThemeCount>> {
        themes::counts(self, org, touchpoint, from, to).await
    }

    async fn sentiment_by_day(
        &self,
        org: Id,
        touchpoint: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, Tally)>> {
        themes::sentiment_by_day(self, org, touchpoint, from, to).await
    }

    async fn response_themes(&self, org: Id, response: Id) -> Result<ResponseThemes> {
        themes::of_response(self, org, response).await
    }

    async fn tag_response(&self, org: Id, response: Id, theme: Id, on: bool, actor: &str) -> Result<()> {
        themes::set_tag(self, org, response, theme, on, actor).await
    }

    async fn count_written(&self, org: Id) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE org_id = $1 AND sentiment_label IS NOT NULL")
            .bind(org)
            .fetch_one(&self.pool)
            .await?)
    }
}
