//! E2. The knowledge base: articles (FAQ, product description, procedure)
//! in English and Spanish, with versions, links, marks, search and the
//! suggestions on a case. Everyone reads (`ReadProgram`); writing articles
//! is `WriteLearning` (admin, leader, owner); marking is `Contribute`.

use crate::api::extract::{bad_query, ApiJson, ApiPath};
use crate::api::page::{CursorKey, Listed, PageParams, Paging};
use crate::auth::{Principal, Via};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::people::knowledge::{Article, ArticleDraft, ArticleKind, ArticleVersion, MarkDraft, MarkRecord};
use rapport_core::role::Permission;
use rapport_core::text::search::QUERY_MAX;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::knowledge::{case_suggestions, ArticleFilter, ArticleKey, ArticleSummary, Author};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(archive))
        .routes(routes!(versions))
        .routes(routes!(mark))
        .routes(routes!(case_articles))
}

impl CursorKey for ArticleKey {
    fn storable(&self) -> bool {
        true
    }
}

/// Who writes: the signed-in account's person, else the account (its
/// e-mail, or `token:NAME`).
pub(crate) fn author(p: &Principal) -> Author {
    Author { person_id: p.user.as_ref().and_then(|u| u.person_id), account: p.actor.clone() }
}

/// The account a mark belongs to: `user:ID` or `token:ID`.
pub(crate) fn account(p: &Principal) -> String {
    match (&p.user, &p.via) {
        (Some(u), _) => format!("user:{}", u.id),
        (None, Via::Token(id)) => format!("token:{id}"),
        (None, _) => p.actor.clone(),
    }
}

/// An article as a list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct KnowledgeArticleSummary {
    pub id: Id,
    pub kind: ArticleKind,
    /// The current version.
    pub version: i64,
    pub title_en: Option<String>,
    pub title_es: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    /// Helpful marks.
    pub helpful: i64,
    /// Outdated marks on the current version.
    pub outdated: i64,
    /// Times opened from a case.
    pub uses: i64,
    /// With `q`: how many of the query's words the titles hold.
    pub title_matches: i64,
}

impl From<ArticleSummary> for KnowledgeArticleSummary {
    fn from(a: ArticleSummary) -> Self {
        KnowledgeArticleSummary {
            id: a.id,
            kind: a.kind,
            version: a.version,
            title_en: a.title_en,
            title_es: a.title_es,
            updated_at: a.updated_at,
            archived_at: a.archived_at,
            helpful: a.helpful,
            outdated: a.outdated,
            uses: a.uses,
            title_matches: a.rank,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KnowledgeQuery {
    /// Words to find in either language (stemmed in English and Spanish,
    /// accents folded); at most 200 characters.
    pub q: Option<String>,
    /// `faq`, `product` or `procedure`.
    pub kind: Option<String>,
    /// A touchpoint id: the articles linked to it.
    #[param(value_type = Option<i64>)]
    pub touchpoint: Option<String>,
    /// `true`: the archived articles instead.
    pub archived: Option<bool>,
}

impl KnowledgeQuery {
    pub fn filter(&self) -> Result<ArticleFilter, FieldErrors> {
        let mut e = FieldErrors::new();
        let q = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        if q.is_some_and(|q| q.chars().count() > QUERY_MAX) {
            e.add("q", "too_long", format!("must be at most {QUERY_MAX} characters"));
        }
        let kind = self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
        let kind = kind.and_then(|k| {
            let parsed = ArticleKind::parse(k);
            if parsed.is_none() {
                e.add("kind", "invalid_choice", "must be faq, product or procedure");
            }
            parsed
        });
        let touchpoint = self.touchpoint.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let touchpoint = touchpoint.and_then(|t| match t.parse::<Id>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                e.add("touchpoint", "invalid", "must be a touchpoint id");
                None
            }
        });
        e.into_result(ArticleFilter {
            q: q.map(str::to_string),
            kind,
            touchpoint,
            archived: self.archived.unwrap_or(false),
        })
    }
}

/// Articles: with `q`, those holding every word (in either language), the
/// ones whose titles hold more of them first; then the most marked
/// helpful, then the newest. A page at a time; `format=csv` exports them.
#[utoipa::path(get, path = "/api/v1/knowledge", tag = "people", operation_id = "list_knowledge_articles",
    params(KnowledgeQuery, PageParams),
    responses((status = 200, body = [KnowledgeArticleSummary]), (status = 422, description = "a filter, `limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    q: Result<Query<KnowledgeQuery>, QueryRejection>,
) -> Result<Listed<KnowledgeArticleSummary>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let Query(q) = q.map_err(bad_query)?;
    let filter = q.filter()?;
    let after = paging.after::<ArticleKey>("knowledge")?;
    let items = s.store.page_articles(p.org.id, &filter, after, paging.fetch()).await?;
    Ok(paging.page("knowledge", items, ArticleSummary::key).map(Into::into))
}

/// Write an article (version 1). At least one language, title and body;
/// links name touchpoints, root causes and case rules of the organization.
#[utoipa::path(post, path = "/api/v1/knowledge", tag = "people", operation_id = "create_knowledge_article",
    request_body = ArticleDraft,
    responses((status = 201, body = Article), (status = 422, description = "invalid fields")))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<ArticleDraft>,
) -> Result<(StatusCode, Json<Article>), AppError> {
    p.require(Permission::WriteLearning)?;
    let input = draft.validate()?;
    let a = s.store.create_article(p.org.id, &input, &author(&p), rapport_store::rows::now()).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KnowledgeGetQuery {
    /// An earlier version to read; the current one when absent.
    pub version: Option<i64>,
    /// The case the article is opened from: counts as a use.
    pub case: Option<i64>,
}

/// An article at its current version, or at `version`. With `case` (a
/// case of the organization), the opening counts as a use.
#[utoipa::path(get, path = "/api/v1/knowledge/{id}", tag = "people", operation_id = "get_knowledge_article",
    params(("id" = i64, Path), KnowledgeGetQuery),
    responses((status = 200, body = Article), (status = 404), (status = 422, description = "`version` or `case` is invalid")))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    q: Result<Query<KnowledgeGetQuery>, QueryRejection>,
) -> Result<Json<Article>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(bad_query)?;
    let a = s.store.get_article(p.org.id, id, q.version).await?;
    if let Some(case) = q.case {
        s.store.record_article_use(p.org.id, id, case).await?;
    }
    Ok(Json(a))
}

/// Edit an article: a new version (the outdated marks stop counting), the
/// links replaced. An archived article is not edited (409).
#[utoipa::path(put, path = "/api/v1/knowledge/{id}", tag = "people", operation_id = "update_knowledge_article",
    params(("id" = i64, Path)), request_body = ArticleDraft,
    responses((status = 200, body = Article), (status = 404), (status = 409, description = "archived"), (status = 422, description = "invalid fields")))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<ArticleDraft>,
) -> Result<Json<Article>, AppError> {
    p.require(Permission::WriteLearning)?;
    s.store.get_article(p.org.id, id, None).await?;
    let input = draft.validate()?;
    Ok(Json(s.store.update_article(p.org.id, id, &input, &author(&p), rapport_store::rows::now()).await?))
}

/// Archive an article: out of lists and suggestions, still readable.
#[utoipa::path(post, path = "/api/v1/knowledge/{id}/archive", tag = "people", operation_id = "archive_knowledge_article",
    params(("id" = i64, Path)), responses((status = 200, body = Article), (status = 404)))]
async fn archive(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Json<Article>, AppError> {
    p.require(Permission::WriteLearning)?;
    Ok(Json(s.store.archive_article(p.org.id, id, rapport_store::rows::now()).await?))
}

/// An article's versions, newest first: who wrote each and when.
#[utoipa::path(get, path = "/api/v1/knowledge/{id}/versions", tag = "people", operation_id = "list_knowledge_versions",
    params(("id" = i64, Path), PageParams),
    responses((status = 200, body = [ArticleVersion]), (status = 404), (status = 422, description = "`limit` or `after` is invalid")))]
async fn versions(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<ArticleVersion>, AppError> {
    p.require(Permission::ReadProgram)?;
    let items = s.store.article_versions(p.org.id, id).await?;
    paging?.slice("knowledge-versions", items, |v| -v.version)
}

/// The caller's mark and the article's counters after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct KnowledgeMarkResult {
    pub mark: MarkRecord,
    pub helpful: i64,
    pub outdated: i64,
}

/// Mark an article helpful or outdated (with a note): one mark per account,
/// replaced by a new one.
#[utoipa::path(put, path = "/api/v1/knowledge/{id}/mark", tag = "people", operation_id = "mark_knowledge_article",
    params(("id" = i64, Path)), request_body = MarkDraft,
    responses((status = 200, body = KnowledgeMarkResult), (status = 404), (status = 422, description = "invalid fields")))]
async fn mark(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<MarkDraft>,
) -> Result<Json<KnowledgeMarkResult>, AppError> {
    p.require(Permission::Contribute)?;
    s.store.get_article(p.org.id, id, None).await?;
    let input = draft.validate()?;
    let who = account(&p);
    let a = s.store.mark_article(p.org.id, id, &who, &input, rapport_store::rows::now()).await?;
    let mark = s.store.article_mark(p.org.id, id, &who).await?.ok_or(AppError::NotFound)?;
    Ok(Json(KnowledgeMarkResult { mark, helpful: a.helpful, outdated: a.outdated }))
}

/// An article suggested on a case, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct KnowledgeSuggestion {
    /// 1 for the best suggestion.
    pub position: i64,
    pub article: KnowledgeArticleSummary,
    /// Linked to the case's root cause (`root_cause_id`).
    pub root_cause_id: Option<Id>,
    /// Linked to the case's touchpoint (`touchpoint_id`).
    pub touchpoint_id: Option<Id>,
    /// The customer's words the article holds.
    pub matched: Vec<String>,
}

/// Articles suggested on a case, best first, at most 5: linked to its root
/// cause, then to its touchpoint, then holding the customer's words (the
/// comments of its responses and its title); ties by helpful marks.
#[utoipa::path(get, path = "/api/v1/cases/{id}/articles", tag = "people", operation_id = "list_case_knowledge_articles",
    params(("id" = i64, Path), PageParams),
    responses((status = 200, body = [KnowledgeSuggestion]), (status = 404), (status = 422, description = "`limit` or `after` is invalid")))]
async fn case_articles(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<KnowledgeSuggestion>, AppError> {
    p.require(Permission::ReadProgram)?;
    let case = s.store.get_case(p.org.id, id).await?;
    let found = case_suggestions(s.store.as_ref(), p.org.id, &case).await?;
    let items: Vec<KnowledgeSuggestion> = found
        .into_iter()
        .enumerate()
        .map(|(i, x)| KnowledgeSuggestion {
            position: i as i64 + 1,
            article: x.article.into(),
            root_cause_id: case.root_cause_id.filter(|_| x.suggestion.root_cause),
            touchpoint_id: case.touchpoint_id.filter(|_| x.suggestion.touchpoint),
            matched: x.suggestion.matched,
        })
        .collect();
    paging?.slice("case-articles", items, |x| x.position)
}
