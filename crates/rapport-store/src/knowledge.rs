//! E2. The knowledge base for the front line: FAQs, product descriptions and
//! procedures in English and Spanish, linked to touchpoints and root causes.
//! The rules (validation, marks' counters, suggestions) are in
//! `rapport_core::people::knowledge`; storage keeps articles, their
//! versions, links and marks, and the counters (helpful, outdated, uses)
//! written with each change.

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::people::knowledge::{
    Article, ArticleInput, ArticleKind, ArticleVersion, Candidate, MarkInput, MarkRecord,
};
use rapport_core::Id;
use serde::{Deserialize, Serialize};

/// Who writes a version: a person (whose name is shown), else the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub person_id: Option<Id>,
    /// Shown when there is no person: the account's e-mail or token name.
    pub account: String,
}

/// Which articles to list. Archived ones only with `archived`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFilter {
    /// Words to find in either language (`search_query`).
    pub q: Option<String>,
    pub kind: Option<ArticleKind>,
    pub touchpoint: Option<Id>,
    pub archived: bool,
}

/// An article's place in a list: title matches first (how many of the
/// query's words its titles hold), then helpful marks, then newest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ArticleKey {
    pub rank: i64,
    pub helpful: i64,
    pub id: Id,
}

/// An article as a list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleSummary {
    pub id: Id,
    pub kind: ArticleKind,
    pub version: i64,
    pub title_en: Option<String>,
    pub title_es: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    pub helpful: i64,
    pub outdated: i64,
    pub uses: i64,
    /// How many of the query's words the titles hold (0 without a query).
    pub rank: i64,
}

impl ArticleSummary {
    pub fn key(&self) -> ArticleKey {
        ArticleKey { rank: self.rank, helpful: self.helpful, id: self.id }
    }

    /// The title in `lang`, else the other.
    pub fn title(&self, lang: rapport_core::lang::Lang) -> &str {
        let (mine, other) = match lang {
            rapport_core::lang::Lang::En => (&self.title_en, &self.title_es),
            rapport_core::lang::Lang::Es => (&self.title_es, &self.title_en),
        };
        mine.as_deref().or(other.as_deref()).unwrap_or("")
    }
}

/// An outdated mark's note, for whoever fixes the article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutdatedNote {
    pub version: i64,
    pub note: String,
    pub marked_at: DateTime<Utc>,
}

/// The owner's view: the most used articles and those marked outdated
/// (of a touchpoint, or of the whole base).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Board {
    pub most_used: Vec<ArticleSummary>,
    pub outdated: Vec<ArticleSummary>,
}

#[async_trait]
pub trait Knowledge: Send + Sync {
    /// A new article at version 1. Links naming rows of another
    /// organization are `Invalid` naming the field (`touchpoint_ids[0]`).
    async fn create_article(
        &self,
        org: Id,
        input: &ArticleInput,
        author: &Author,
        now: DateTime<Utc>,
    ) -> Result<Article>;

    /// A new version (and the links replaced); clears the outdated counter.
    /// An archived article is a conflict.
    async fn update_article(
        &self,
        org: Id,
        id: Id,
        input: &ArticleInput,
        author: &Author,
        now: DateTime<Utc>,
    ) -> Result<Article>;

    /// Archives it (once; archiving again changes nothing).
    async fn archive_article(&self, org: Id, id: Id, now: DateTime<Utc>) -> Result<Article>;

    /// The article at its current version, or at `version`.
    async fn get_article(&self, org: Id, id: Id, version: Option<i64>) -> Result<Article>;

    /// Its versions, newest first.
    async fn article_versions(&self, org: Id, id: Id) -> Result<Vec<ArticleVersion>>;

    /// A page of articles in [`ArticleKey`] order (descending), after `after`.
    async fn page_articles(
        &self,
        org: Id,
        filter: &ArticleFilter,
        after: Option<ArticleKey>,
        limit: i64,
    ) -> Result<Vec<ArticleSummary>>;

    /// Sets `account`'s mark on the article (replacing its earlier one) and
    /// keeps the counters.
    async fn mark_article(
        &self,
        org: Id,
        id: Id,
        account: &str,
        mark: &MarkInput,
        now: DateTime<Utc>,
    ) -> Result<Article>;

    /// `account`'s mark on the article, if any.
    async fn article_mark(&self, org: Id, id: Id, account: &str) -> Result<Option<MarkRecord>>;

    /// The notes of the outdated marks on the current version, newest first.
    async fn outdated_notes(&self, org: Id, id: Id) -> Result<Vec<OutdatedNote>>;

    /// Counts a use of the article opened from `case` (a case of the
    /// organization; `NotFound` otherwise).
    async fn record_article_use(&self, org: Id, id: Id, case: Id) -> Result<()>;

    /// Articles (not archived) linked to the root cause, to the touchpoint,
    /// or whose terms hold any of `stems`, at most `limit` of the last kind.
    async fn article_candidates(
        &self,
        org: Id,
        root_cause: Option<Id>,
        touchpoint: Option<Id>,
        stems: &[String],
        limit: i64,
    ) -> Result<Vec<Candidate>>;

    /// Summaries of these articles (in no particular order).
    async fn article_summaries(&self, org: Id, ids: &[Id]) -> Result<Vec<ArticleSummary>>;

    /// The `n` most used articles and the `n` most marked outdated, of a
    /// touchpoint or of the whole base (archived ones left out).
    async fn knowledge_board(&self, org: Id, touchpoint: Option<Id>, n: i64) -> Result<Board>;
}

/// An article suggested on a case, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSuggestion {
    pub article: ArticleSummary,
    pub suggestion: rapport_core::people::knowledge::Suggestion,
}

/// The words of the customer on a case: the comments of the responses
/// linked to it (the first three) and the case's title.
pub async fn case_words(store: &dyn crate::Store, org: Id, case: &rapport_core::case::Case) -> Result<String> {
    let mut text = case.title.clone();
    for item in case.items.iter().filter(|i| i.kind == "response").take(3) {
        match store.get_response(org, item.id).await {
            Ok(r) => {
                if let Some(c) = r.comment {
                    text.push('\n');
                    text.push_str(&c);
                }
            }
            // An erased or missing response has no words.
            Err(crate::StoreError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(text)
}

/// The articles to suggest on a case, best first, with why
/// (`rapport_core::people::knowledge::suggest`): from its root cause, its
/// touchpoint and the customer's words.
pub async fn case_suggestions(
    store: &dyn crate::Store,
    org: Id,
    case: &rapport_core::case::Case,
) -> Result<Vec<CaseSuggestion>> {
    use rapport_core::people::knowledge as kb;
    let words = kb::keywords(&case_words(store, org, case).await?);
    let stems = kb::keyword_stems(&words);
    let candidates = store.article_candidates(org, case.root_cause_id, case.touchpoint_id, &stems, 50).await?;
    let picked = kb::suggest(&candidates, &words);
    let ids: Vec<Id> = picked.iter().map(|s| s.article_id).collect();
    let summaries = store.article_summaries(org, &ids).await?;
    Ok(picked
        .into_iter()
        .filter_map(|suggestion| {
            let article = summaries.iter().find(|a| a.id == suggestion.article_id)?.clone();
            Some(CaseSuggestion { article, suggestion })
        })
        .collect())
}
