//! Customer segments (A4): rules over customer attributes, with a preview
//! of how many customers match.

use super::form::{checked, outcome, renumber, FormData};
use super::format::input_number;
use super::{see_other, Page, WebPath, WebResult};
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use rapport_core::role::Permission;
use rapport_core::segment::{Combine, Condition, Segment, SegmentDraft, SegmentRule, MAX_CONDITIONS};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::BTreeMap;

/// Condition rows a form offers at least.
const ROWS: usize = 5;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/segments", get(list).post(save))
        .route("/segments/new", get(new))
        .route("/segments/{id}/edit", get(edit).post(save))
        .route("/segments/{id}/delete", post(delete))
}

async fn list(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    // Kept counts: evaluating every rule over every customer took seconds
    // at a hundred thousand customers.
    let (segments, sizes, customers) = tokio::try_join!(
        store.list_segments(page.org()),
        store.segment_sizes(page.org()),
        store.customer_count(page.org())
    )?;
    let rows: Vec<_> = segments
        .iter()
        .map(|s| context! { segment => s, matching => sizes.get(&s.id).copied().unwrap_or(0) })
        .collect();
    page.render("segments/list.html", context! { segments => rows, customers => customers })
}

async fn new(page: Page) -> WebResult {
    page.require(Permission::EditPlan)?;
    form_page(&page, None, StatusCode::OK, BTreeMap::new(), ROWS, FieldErrors::new()).await
}

async fn edit(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let s = page.store().get_segment(page.org(), id).await?;
    let (values, rows) = values_of(&s, page.lang());
    form_page(&page, Some(id), StatusCode::OK, values, rows, FieldErrors::new()).await
}

fn field(i: usize, name: &str) -> String {
    format!("rule.conditions[{i}].{name}")
}

fn values_of(s: &Segment, lang: rapport_core::lang::Lang) -> (BTreeMap<String, String>, usize) {
    let mut v = BTreeMap::from([
        ("name".to_string(), s.name.clone()),
        ("description".into(), s.description.clone().unwrap_or_default()),
        ("combine".into(), if s.rule.combine == Combine::Any { "any" } else { "all" }.into()),
    ]);
    for (i, c) in s.rule.conditions.iter().enumerate() {
        v.insert(field(i, "attribute"), c.attribute().to_string());
        let (op, value, min, max) = match c {
            Condition::Equals { value, .. } => ("equals", value.clone(), None, None),
            Condition::OneOf { values, .. } => ("one_of", values.join(", "), None, None),
            Condition::Range { min, max, .. } => ("range", String::new(), *min, *max),
        };
        v.insert(field(i, "op"), op.into());
        v.insert(field(i, "value"), value);
        v.insert(field(i, "min"), min.map(|n| input_number(lang, n)).unwrap_or_default());
        v.insert(field(i, "max"), max.map(|n| input_number(lang, n)).unwrap_or_default());
    }
    (v, s.rule.conditions.len().max(ROWS))
}

async fn form_page(
    page: &Page,
    id: Option<Id>,
    status: StatusCode,
    values: BTreeMap<String, String>,
    rows: usize,
    errors: FieldErrors,
) -> WebResult {
    let segment = match id {
        Some(id) => Some(page.store().get_segment(page.org(), id).await?),
        None => None,
    };
    page.render_status(
        status,
        "segments/form.html",
        context! {
            segment => segment,
            v => values,
            rows => (0..rows).collect::<Vec<_>>(),
            errors => page.errors(&errors),
        },
    )
}

/// The draft a form describes; blank rows are skipped, and `rows` maps each
/// condition back to its row for error messages.
fn draft(form: &FormData, errors: &mut FieldErrors) -> (SegmentDraft, Vec<usize>, usize) {
    let count = form.get("rows").and_then(|r| r.parse().ok()).unwrap_or(ROWS).clamp(ROWS, MAX_CONDITIONS);
    let mut conditions = Vec::new();
    let mut rows = Vec::new();
    for i in 0..count {
        let get = |name: &str| form.filled(&field(i, name));
        if ["attribute", "value", "min", "max"].iter().all(|n| get(n).is_none()) {
            continue;
        }
        let attribute = get("attribute").unwrap_or("").to_string();
        let value = get("value").unwrap_or("").to_string();
        let c = match get("op").unwrap_or("equals") {
            "one_of" => Condition::OneOf { attribute, values: value.split(',').map(str::to_string).collect() },
            "range" => Condition::Range {
                attribute,
                min: form.number(&field(i, "min"), errors),
                max: form.number(&field(i, "max"), errors),
            },
            _ => Condition::Equals { attribute, value },
        };
        conditions.push(c);
        rows.push(i);
    }
    let combine = if form.get("combine") == Some("any") { Combine::Any } else { Combine::All };
    let d = SegmentDraft {
        name: form.text("name"),
        description: form.text("description"),
        rule: SegmentRule { combine, conditions },
    };
    (d, rows, count)
}

/// Creates (on the collection) or updates (on `…/{id}…`).
async fn save(page: Page, id: Option<WebPath<Id>>, form: FormData) -> WebResult {
    let id = id.map(|WebPath(id)| id);
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let (d, rows, count) = draft(&form, &mut parsed);
    let validated = d.validate().map_err(|e| renumber(e, "rule.conditions", &rows));
    let saved = async {
        let input = checked(parsed, validated)?;
        let s = match id {
            Some(id) => page.store().update_segment(page.org(), id, &input).await?,
            None => page.store().create_segment(page.org(), &input).await?,
        };
        Ok::<_, AppError>(s)
    };
    match outcome(saved.await)? {
        Ok(_) => see_other(if id.is_some() { "/segments?ok=saved" } else { "/segments?ok=created" }),
        Err((status, e)) => form_page(&page, id, status, form.values(), count, e).await,
    }
}

async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().delete_segment(page.org(), id, &page.p.audit("segment.delete", format!("segment:{id}"))).await?;
    see_other("/segments?ok=deleted")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{in_lang, TestApp};
    use axum::http::StatusCode;
    use rapport_core::segment::{Combine, Condition};

    #[tokio::test]
    async fn rows_become_conditions_and_errors_stay_on_their_row() {
        let t = TestApp::new().await;
        let r = t
            .post(
                "/segments",
                &in_lang(&t.admin, "es"),
                &[
                    ("name", "Loyal north"),
                    ("combine", "any"),
                    ("rows", "5"),
                    ("rule.conditions[0].attribute", ""),
                    ("rule.conditions[2].attribute", "tenure"),
                    ("rule.conditions[2].op", "range"),
                    ("rule.conditions[2].min", "doce"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("id=\"rule.conditions[2].min-error\""), "{}", r.body);
        assert!(r.body.contains("Introduzca un número."));
        assert!(r.body.contains("value=\"Loyal north\""));

        let r = t
            .post(
                "/segments",
                &t.admin,
                &[
                    ("name", "Loyal north"),
                    ("combine", "any"),
                    ("rows", "5"),
                    ("rule.conditions[1].attribute", "region"),
                    ("rule.conditions[1].op", "one_of"),
                    ("rule.conditions[1].value", "north, north-east"),
                    ("rule.conditions[3].attribute", "tenure"),
                    ("rule.conditions[3].op", "range"),
                    ("rule.conditions[3].min", "12,5"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let s = t.store.list_segments(t.org.id).await.unwrap().into_iter().find(|s| s.name == "Loyal north").unwrap();
        assert_eq!(s.rule.combine, Combine::Any);
        assert_eq!(
            s.rule.conditions,
            vec![
                Condition::OneOf { attribute: "region".into(), values: vec!["north".into(), "north-east".into()] },
                Condition::Range { attribute: "tenure".into(), min: Some(12.5), max: None },
            ]
        );
        let edit = t.get(&format!("/segments/{}/edit?lang=es", s.id), &t.admin).await.body;
        assert!(edit.contains("value=\"12,5\""), "numbers are shown the Spanish way");
        let list = t.get("/segments", &t.admin).await.body;
        assert!(list.contains("is one of"));

        let r = t.post(&format!("/segments/{}/delete", s.id), &t.admin, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(t.store.get_segment(t.org.id, s.id).await.is_err());
    }
}
