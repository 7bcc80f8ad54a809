//! A6. Empathy maps per touchpoint: the page `/touchpoints/{id}/empathy`.
//!
//! The six quadrants (2 × 3, stacked on a phone) with each entry's cited
//! words, how many entries cite evidence, the touchpoint's latest comments
//! offered as entries in one click (the response cited), the edit form and
//! the versions, each viewable (`?version=N`). `?segment_id=` picks a
//! segment's own map. Reading takes `ReadProgram`; saving `EditPlan`.

use super::empathy_form as ef;
use crate::error::AppError;
use crate::web::form::FormData;
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use minijinja::{context, Value};
use rapport_core::plan::empathy::{self as em, EmpathyMap, Entry, Evidence, EvidenceKind, Quadrant};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::{BTreeMap, HashSet};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/touchpoints/{id}/empathy", get(show).post(save))
        .route("/touchpoints/{id}/empathy/add", post(add_suggestion))
}

#[derive(Debug, Default, serde::Deserialize)]
struct MapQuery {
    segment_id: Option<String>,
    version: Option<String>,
}

/// A positive id typed in a query or form; blank is none; else a 422.
fn id_field(v: Option<&str>, field: &'static str) -> Result<Option<i64>, AppError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => Err(FieldErrors::single(field, "out_of_range", "must be a positive id").into()),
        },
    }
}

fn map_url(tp: Id, segment: Option<Id>) -> String {
    match segment {
        Some(s) => format!("/touchpoints/{tp}/empathy?segment_id={s}"),
        None => format!("/touchpoints/{tp}/empathy"),
    }
}

fn evidence_link(ev: Evidence) -> String {
    match ev.kind {
        EvidenceKind::Response => format!("/feedback/{}", ev.id),
        EvidenceKind::Case => format!("/cases/{}", ev.id),
        EvidenceKind::Theme => format!("/feedback?theme={}", ev.id),
    }
}

fn entry_view(e: &Entry) -> Value {
    context! {
        text => &e.text,
        quote => &e.quote,
        kind => e.evidence.map(|ev| ev.kind.key()),
        evidence => e.evidence.map(|ev| ev.written()),
        link => e.evidence.map(evidence_link),
    }
}

fn quadrants_of(page: &Page, m: Option<&EmpathyMap>) -> Vec<Value> {
    Quadrant::ALL
        .iter()
        .map(|q| {
            let entries: Vec<Value> = m.map(|m| m.in_quadrant(*q).map(entry_view).collect()).unwrap_or_default();
            context! { key => q.key(), name => page.t(&format!("empathy-q-{}", q.key())), entries => entries }
        })
        .collect()
}

struct Refused {
    values: BTreeMap<String, String>,
    errors: FieldErrors,
}

async fn show(page: Page, WebPath(id): WebPath<Id>, Query(q): Query<MapQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let segment = id_field(q.segment_id.as_deref(), "segment_id")?;
    let version = id_field(q.version.as_deref(), "version")?;
    render(&page, id, segment, version, None).await
}

async fn render(page: &Page, id: Id, segment: Option<Id>, version: Option<i64>, refused: Option<Refused>) -> WebResult {
    let store = page.store();
    let org = page.org();
    let tp = store.get_touchpoint(org, id).await?;
    let current = store.empathy_map(org, id, segment, None).await?;
    let shown = match version {
        Some(v) if current.as_ref().map(|c| c.version) != Some(v) => {
            Some(store.empathy_map(org, id, segment, Some(v)).await?.ok_or(AppError::NotFound)?)
        }
        _ => current.clone(),
    };
    let is_old = shown.as_ref().map(|m| m.version) != current.as_ref().map(|m| m.version);
    let (versions, mapped, segments, suggestions) = tokio::try_join!(
        store.empathy_versions(org, id, segment),
        store.empathy_segments(org, id),
        store.list_segments(org),
        store.empathy_suggestions(org, id),
    )?;
    let cited: HashSet<Id> = current
        .iter()
        .flat_map(|m| m.entries.iter())
        .filter_map(|e| e.evidence.filter(|ev| ev.kind == EvidenceKind::Response).map(|ev| ev.id))
        .collect();
    let suggestions: Vec<Value> = suggestions
        .iter()
        .filter(|s| !cited.contains(&s.response_id))
        .map(|s| {
            context! {
                id => s.response_id,
                comment => &s.comment,
                at => s.at.to_rfc3339(),
                sentiment => s.sentiment.map(|x| x.key()),
                quadrant => s.quadrant.key(),
                quadrant_name => page.t(&format!("empathy-q-{}", s.quadrant.key())),
            }
        })
        .collect();
    let segment_name = segment.and_then(|sid| segments.iter().find(|s| s.id == sid).map(|s| s.name.clone()));
    let segment_choices: Vec<Value> = segments
        .iter()
        .map(|s| context! { id => s.id, name => &s.name, mapped => mapped.contains(&s.id), current => Some(s.id) == segment })
        .collect();
    let (code, errors, (values, rows)) = match refused {
        Some(r) => {
            let rows = ef::rows_of(&r.values);
            (StatusCode::UNPROCESSABLE_ENTITY, page.errors(&r.errors), (r.values, rows))
        }
        None => (StatusCode::OK, BTreeMap::new(), ef::values_of(current.as_ref())),
    };
    let quadrant_choices: Vec<Value> = Quadrant::ALL
        .iter()
        .map(|q| context! { key => q.key(), name => page.t(&format!("empathy-q-{}", q.key())) })
        .collect();
    page.render_status(
        code,
        "plan/empathy.html",
        context! {
            tp => context! { id => tp.id, name => &tp.name },
            segment => segment,
            segment_name => segment_name,
            segments => segment_choices,
            base => map_url(id, segment),
            map => shown.as_ref().map(|m| context! {
                version => m.version,
                author => &m.author,
                created_at => m.created_at.to_rfc3339(),
                entries => m.entries.len(),
                with_evidence => m.with_evidence(),
            }),
            is_old => is_old,
            current_version => current.as_ref().map(|m| m.version),
            quadrants => quadrants_of(page, shown.as_ref()),
            versions => versions.iter().map(|v| context! {
                version => v.version, author => &v.author, created_at => v.created_at.to_rfc3339(),
                entries => v.entries, with_evidence => v.with_evidence,
                shown => shown.as_ref().map(|m| m.version) == Some(v.version),
            }).collect::<Vec<_>>(),
            suggestions => suggestions,
            rows => (0..rows).collect::<Vec<_>>(),
            v => values,
            errors => errors,
            quadrant_choices => quadrant_choices,
            can_edit => page.p.can(Permission::EditPlan),
            max_entries => em::MAX_ENTRIES,
        },
    )
}

async fn save(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().get_touchpoint(page.org(), id).await?;
    let segment = id_field(form.get("segment_id"), "segment_id")?;
    let posted = ef::read(&form);
    let refuse = |e: FieldErrors| Refused { values: posted.values.clone(), errors: ef::on_rows(&e, &posted.rows) };
    let input = match posted.draft.validate() {
        Ok(i) => i,
        Err(e) => return render(&page, id, segment, None, Some(refuse(e))).await,
    };
    match page.store().save_empathy_map(page.org(), id, segment, &input, &page.p.actor, Utc::now()).await {
        Ok(_) => see_other(&map_url(id, segment)),
        Err(rapport_store::StoreError::Invalid(e)) => render(&page, id, segment, None, Some(refuse(e))).await,
        Err(e) => Err(e.into()),
    }
}

/// One click: the comment becomes an entry of the quadrant its tone
/// suggests (or the one chosen), citing the response, in a new version.
async fn add_suggestion(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let segment = id_field(form.get("segment_id"), "segment_id")?;
    let response = id_field(form.get("response_id"), "response_id")?
        .ok_or_else(|| AppError::from(FieldErrors::single("response_id", "required", "is required")))?;
    let quadrant = form
        .get("quadrant")
        .and_then(Quadrant::parse)
        .ok_or_else(|| AppError::from(FieldErrors::single("quadrant", "unknown", "no such quadrant")))?;
    let current = page.store().empathy_map(page.org(), id, segment, None).await?;
    let mut input = current.map(|m| m.to_input()).unwrap_or(em::MapInput { entries: Vec::new() });
    if input.entries.len() >= em::MAX_ENTRIES {
        return Err(AppError::from(FieldErrors::single("entries", "too_many", "the map is full")).into());
    }
    // The comment is quoted, not copied: the entry shows it while it exists.
    input.entries.push(Entry {
        quadrant,
        text: String::new(),
        evidence: Some(Evidence { kind: EvidenceKind::Response, id: response }),
        quote: None,
    });
    page.store().save_empathy_map(page.org(), id, segment, &input, &page.p.actor, Utc::now()).await?;
    see_other(&map_url(id, segment))
}

#[cfg(test)]
#[path = "empathy_tests.rs"]
mod tests;
