//! E2. The knowledge base: search and list (`/knowledge`, with the owner's
//! board of the most used and the outdated articles), an article in the
//! reader's language (falling back to the other, and saying so), its
//! versions and marks; writing for admins, leaders and owners. The case
//! page shows the suggested articles (`case_articles`).

use crate::api::page::{decode_key, encode};
use crate::error::AppError;
use crate::web::form::{checked, outcome, FormData};
use crate::web::{see_other, Page, WebError, WebPath, WebResult};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use minijinja::{context, Value};
use rapport_core::case::Case;
use rapport_core::lang::Lang;
use rapport_core::markdown::to_html;
use rapport_core::people::knowledge::{Article, ArticleDraft, ArticleKind, MarkDraft};
use rapport_core::role::Permission;
use rapport_core::text::search::QUERY_MAX;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::knowledge::{case_suggestions, ArticleFilter, ArticleKey, ArticleSummary, Author};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

use crate::state::AppState;

/// Articles on a page of the list.
const PAGE: i64 = 25;
/// Articles on each side of the owner's board.
const BOARD: i64 = 5;
const LIST: &str = "knowledge";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/knowledge", get(list).post(create))
        .route("/knowledge/new", get(new))
        .route("/knowledge/{id}", get(show))
        .route("/knowledge/{id}/edit", get(edit).post(update))
        .route("/knowledge/{id}/archive", post(archive))
        .route("/knowledge/{id}/mark", post(mark))
}

fn author(page: &Page) -> Author {
    Author { person_id: page.p.user.as_ref().and_then(|u| u.person_id), account: page.p.actor.clone() }
}

fn account(page: &Page) -> String {
    match &page.p.user {
        Some(u) => format!("user:{}", u.id),
        None => page.p.actor.clone(),
    }
}

fn summary_view(page: &Page, a: &ArticleSummary) -> Value {
    context! {
        id => a.id,
        kind => a.kind.key(),
        title => a.title(page.lang()),
        version => a.version,
        updated_at => a.updated_at.to_rfc3339(),
        helpful => a.helpful,
        outdated => a.outdated,
        uses => a.uses,
        archived => a.archived_at.is_some(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    touchpoint: Option<String>,
    archived: Option<String>,
    after: Option<String>,
}

async fn list(page: Page, Query(q): Query<ListQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let text: Option<String> =
        q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| s.chars().take(QUERY_MAX).collect());
    let kind = q.kind.as_deref().and_then(ArticleKind::parse);
    let touchpoint = q.touchpoint.as_deref().and_then(|t| t.trim().parse::<Id>().ok());
    let archived = q.archived.as_deref() == Some("1");
    let filter = ArticleFilter { q: text.clone(), kind, touchpoint, archived };
    let after = q.after.as_deref().and_then(|c| decode_key::<ArticleKey>(LIST, c));
    let mut items = store.page_articles(page.org(), &filter, after, PAGE + 1).await?;
    let next = if items.len() as i64 > PAGE {
        items.truncate(PAGE as usize);
        items.last().map(|a| encode(LIST, &a.key()))
    } else {
        None
    };
    let touchpoints = store.list_touchpoints(page.org()).await?;
    let mut tps: Vec<(Id, String)> = touchpoints.iter().map(|t| (t.id, t.name.clone())).collect();
    tps.sort_by_key(|(_, n)| n.to_lowercase());
    let filtered = text.is_some() || kind.is_some() || archived;
    let board = if filtered { None } else { Some(store.knowledge_board(page.org(), touchpoint, BOARD).await?) };
    let board = board.map(|b| {
        context! {
            most_used => b.most_used.iter().map(|a| summary_view(&page, a)).collect::<Vec<_>>(),
            outdated => b.outdated.iter().map(|a| summary_view(&page, a)).collect::<Vec<_>>(),
        }
    });
    let tp_name = touchpoint.and_then(|id| touchpoints.iter().find(|t| t.id == id)).map(|t| t.name.clone());
    let mut next_query: Vec<(String, String)> = Vec::new();
    for (k, v) in [
        ("q", text.clone()),
        ("kind", kind.map(|k| k.key().to_string())),
        ("touchpoint", touchpoint.map(|t| t.to_string())),
    ] {
        if let Some(v) = v {
            next_query.push((k.into(), v));
        }
    }
    if archived {
        next_query.push(("archived".into(), "1".into()));
    }
    page.render(
        "people/knowledge/list.html",
        context! {
            articles => items.iter().map(|a| summary_view(&page, a)).collect::<Vec<_>>(),
            next => next,
            next_query => next_query,
            f => context! {
                q => text,
                kind => kind.map(|k| k.key()),
                touchpoint => touchpoint,
                archived => archived,
            },
            kinds => ArticleKind::ALL.iter().map(|k| k.key()).collect::<Vec<_>>(),
            touchpoints => tps,
            touchpoint_name => tp_name,
            board => board,
            can_write => page.p.can(Permission::WriteLearning),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ShowQuery {
    version: Option<String>,
    case: Option<String>,
}

/// The names of the rows an article links to.
async fn link_names(page: &Page, a: &Article) -> Result<Value, WebError> {
    let store = page.store();
    let tps: HashMap<Id, String> =
        store.list_touchpoints(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let causes: HashMap<Id, String> =
        store.list_root_causes(page.org()).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let rules: HashMap<Id, String> =
        store.list_case_rules(page.org()).await?.into_iter().map(|r| (r.id, r.name)).collect();
    let named = |ids: &[Id], names: &HashMap<Id, String>| -> Vec<Value> {
        ids.iter().filter_map(|id| names.get(id).map(|n| context! { id => id, name => n })).collect()
    };
    Ok(context! {
        touchpoints => named(&a.touchpoint_ids, &tps),
        root_causes => named(&a.root_cause_ids, &causes),
        case_rules => named(&a.case_rule_ids, &rules),
    })
}

async fn show(page: Page, WebPath(id): WebPath<Id>, Query(q): Query<ShowQuery>) -> WebResult {
    render_article(&page, id, q, StatusCode::OK, None, FieldErrors::new()).await
}

async fn render_article(
    page: &Page,
    id: Id,
    q: ShowQuery,
    status: StatusCode,
    values: Option<BTreeMap<String, String>>,
    errors: FieldErrors,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let version = q.version.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
    let a = store.get_article(page.org(), id, version).await?;
    // Opened from a case (the link of the case page): a use, counted once per opening.
    let case = q.case.as_deref().and_then(|c| c.trim().parse::<Id>().ok());
    let mut from_case = None;
    if let (Some(case), true, None) = (case, status == StatusCode::OK, version) {
        if let Ok(c) = store.get_case(page.org(), case).await {
            store.record_article_use(page.org(), id, case).await?;
            from_case = Some(context! { id => c.id, title => c.title });
        }
    }
    let reading = a.reading(page.lang()).ok_or_else(|| WebError(AppError::NotFound))?;
    let versions = store.article_versions(page.org(), id).await?;
    let mine = store.article_mark(page.org(), id, &account(page)).await?;
    let notes = store.outdated_notes(page.org(), id).await?;
    let links = link_names(page, &a).await?;
    let lang_key = match reading.lang {
        Lang::En => "en",
        Lang::Es => "es",
    };
    page.render_status(
        status,
        "people/knowledge/show.html",
        context! {
            a => context! {
                id => a.id,
                kind => a.kind.key(),
                version => a.version,
                current_version => a.current_version,
                old => a.version != a.current_version,
                title => &reading.text.title,
                html => to_html(&reading.text.body),
                lang => lang_key,
                fallback => reading.fallback,
                author => &a.author,
                written_at => a.written_at.to_rfc3339(),
                archived => a.archived_at.is_some(),
                helpful => a.helpful,
                outdated => a.outdated,
                uses => a.uses,
            },
            links => links,
            versions => versions.iter().map(|v| context! {
                version => v.version,
                author => &v.author,
                written_at => v.written_at.to_rfc3339(),
            }).collect::<Vec<_>>(),
            mine => mine.map(|m| context! { mark => m.mark.key(), note => m.note, version => m.version }),
            notes => notes.iter().map(|n| context! { note => &n.note, marked_at => n.marked_at.to_rfc3339() }).collect::<Vec<_>>(),
            from_case => from_case,
            v => values.unwrap_or_default(),
            errors => page.errors(&errors),
            can_mark => page.p.can(Permission::Contribute),
            can_write => page.p.can(Permission::WriteLearning),
        },
    )
}

fn draft(form: &FormData) -> ArticleDraft {
    ArticleDraft {
        kind: form.text("kind"),
        title_en: form.text("title_en"),
        body_en: form.text("body_en"),
        title_es: form.text("title_es"),
        body_es: form.text("body_es"),
        touchpoint_ids: Some(form.ids("touchpoint_ids")),
        root_cause_ids: Some(form.ids("root_cause_ids")),
        case_rule_ids: Some(form.ids("case_rule_ids")),
    }
}

fn values_of(a: &Article) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    v.insert("kind".into(), a.kind.key().into());
    for (lang, text) in [("en", &a.en), ("es", &a.es)] {
        if let Some(t) = text {
            v.insert(format!("title_{lang}"), t.title.clone());
            v.insert(format!("body_{lang}"), t.body.clone());
        }
    }
    v
}

async fn render_form(
    page: &Page,
    id: Option<Id>,
    status: StatusCode,
    values: BTreeMap<String, String>,
    chosen: [Vec<Id>; 3],
    errors: FieldErrors,
) -> WebResult {
    page.require(Permission::WriteLearning)?;
    let store = page.store();
    let mut tps: Vec<(Id, String)> =
        store.list_touchpoints(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    tps.sort_by_key(|(_, n)| n.to_lowercase());
    let causes: Vec<(Id, String)> =
        store.list_root_causes(page.org()).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let rules: Vec<(Id, String)> =
        store.list_case_rules(page.org()).await?.into_iter().map(|r| (r.id, r.name)).collect();
    let boxes = |all: Vec<(Id, String)>, chosen: &[Id]| -> Vec<Value> {
        all.into_iter().map(|(id, name)| context! { id => id, name => name, checked => chosen.contains(&id) }).collect()
    };
    page.render_status(
        status,
        "people/knowledge/form.html",
        context! {
            id => id,
            v => values,
            errors => page.errors(&errors),
            kinds => ArticleKind::ALL.iter().map(|k| k.key()).collect::<Vec<_>>(),
            touchpoints => boxes(tps, &chosen[0]),
            root_causes => boxes(causes, &chosen[1]),
            case_rules => boxes(rules, &chosen[2]),
        },
    )
}

async fn new(page: Page) -> WebResult {
    let mut v = BTreeMap::new();
    v.insert("kind".to_string(), "faq".to_string());
    render_form(&page, None, StatusCode::OK, v, [vec![], vec![], vec![]], FieldErrors::new()).await
}

async fn edit(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::WriteLearning)?;
    let a = page.store().get_article(page.org(), id, None).await?;
    let chosen = [a.touchpoint_ids.clone(), a.root_cause_ids.clone(), a.case_rule_ids.clone()];
    render_form(&page, Some(id), StatusCode::OK, values_of(&a), chosen, FieldErrors::new()).await
}

async fn save(page: Page, id: Option<Id>, form: FormData) -> WebResult {
    page.require(Permission::WriteLearning)?;
    if let Some(id) = id {
        page.store().get_article(page.org(), id, None).await?;
    }
    let d = draft(&form);
    let r = async {
        let input = checked(FieldErrors::new(), d.validate())?;
        let now = rapport_store::rows::now();
        let a = match id {
            None => page.store().create_article(page.org(), &input, &author(&page), now).await?,
            Some(id) => page.store().update_article(page.org(), id, &input, &author(&page), now).await?,
        };
        Ok::<_, AppError>(a)
    };
    match outcome(r.await)? {
        Ok(a) => see_other(&format!("/knowledge/{}?ok=saved", a.id)),
        Err((status, errors)) => {
            let chosen = [form.ids("touchpoint_ids"), form.ids("root_cause_ids"), form.ids("case_rule_ids")];
            render_form(&page, id, status, form.values(), chosen, errors).await
        }
    }
}

async fn create(page: Page, form: FormData) -> WebResult {
    save(page, None, form).await
}

async fn update(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    save(page, Some(id), form).await
}

async fn archive(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::WriteLearning)?;
    page.store().archive_article(page.org(), id, rapport_store::rows::now()).await?;
    see_other(&format!("/knowledge/{id}?ok=saved"))
}

async fn mark(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    page.store().get_article(page.org(), id, None).await?;
    let d = MarkDraft { mark: form.text("mark"), note: form.filled("note").map(str::to_string) };
    let r = async {
        let input = checked(FieldErrors::new(), d.validate())?;
        let a = page.store().mark_article(page.org(), id, &account(&page), &input, rapport_store::rows::now()).await?;
        Ok::<_, AppError>(a)
    };
    match outcome(r.await)? {
        Ok(_) => see_other(&format!("/knowledge/{id}?ok=saved#marks")),
        Err((status, errors)) => {
            render_article(&page, id, ShowQuery::default(), status, Some(form.values()), errors).await
        }
    }
}

/// The articles suggested on a case, for the case page: title, link (which
/// counts the opening as a use) and why each is suggested.
pub(crate) async fn case_articles(page: &Page, case: &Case) -> Result<Vec<Value>, WebError> {
    let found = case_suggestions(page.store(), page.org(), case).await?;
    let mut out = Vec::new();
    let cause = match (case.root_cause_id, found.iter().any(|x| x.suggestion.root_cause)) {
        (Some(id), true) => page.store().list_root_causes(page.org()).await?.into_iter().find(|c| c.id == id),
        _ => None,
    };
    let tp = match (case.touchpoint_id, found.iter().any(|x| x.suggestion.touchpoint)) {
        (Some(id), true) => page.store().list_touchpoints(page.org()).await?.into_iter().find(|t| t.id == id),
        _ => None,
    };
    for x in found {
        let mut why: Vec<String> = Vec::new();
        let t = |key: &str, name: &str| page.state.i18n.t(page.lang(), key, &[("name", name.to_string().into())]);
        if x.suggestion.root_cause {
            why.push(t("knowledge-why-root-cause", cause.as_ref().map_or("", |c| c.name.as_str())));
        }
        if x.suggestion.touchpoint {
            why.push(t("knowledge-why-touchpoint", tp.as_ref().map_or("", |t| t.name.as_str())));
        }
        if !x.suggestion.matched.is_empty() {
            why.push(t("knowledge-why-words", &x.suggestion.matched.join(", ")));
        }
        out.push(context! {
            id => x.article.id,
            title => x.article.title(page.lang()),
            kind => x.article.kind.key(),
            helpful => x.article.helpful,
            why => why,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
