//! Experience plans (A1): who the customer is, the goal, the leader and the
//! key interactions, whose additions and removals are kept as history.

use super::form::{checked, outcome, FormData};
use super::format::input_number;
use super::view::{metric_keys, period_keys, Program};
use super::{see_other, Page, WebPath, WebResult};
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use rapport_core::experience::{Experience, ExperienceDraft, Period};
use rapport_core::metric::Metric;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/experiences", get(list).post(save))
        .route("/experiences/new", get(new))
        .route("/experiences/{id}", get(show))
        .route("/experiences/{id}/edit", get(edit).post(save))
        .route("/experiences/{id}/delete", post(delete))
        .route("/experiences/{id}/interactions", post(add_interaction))
        .route("/experiences/{id}/interactions/{tp}/remove", post(remove_interaction))
}

async fn list(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let program = Program::load(page.store(), page.org()).await?;
    let rows: Vec<_> = program
        .experiences
        .iter()
        .map(|e| {
            context! {
                experience => e,
                leader => program.owner(e.leader_id),
                segments => program.segment_names(&e.segment_ids),
            }
        })
        .collect();
    page.render("experiences/list.html", context! { experiences => rows })
}

async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    show_page(&page, id, StatusCode::OK, FieldErrors::new(), BTreeMap::new()).await
}

/// The experience's page, also shown again when adding an interaction fails.
async fn show_page(
    page: &Page,
    id: Id,
    status: StatusCode,
    errors: FieldErrors,
    values: BTreeMap<String, String>,
) -> WebResult {
    let (e, history) = tokio::try_join!(
        page.store().get_experience(page.org(), id),
        page.store().interaction_history(page.org(), id)
    )?;
    let program = Program::load(page.store(), page.org()).await?;
    let interactions: Vec<_> = e
        .interactions
        .iter()
        .filter_map(|i| program.touchpoint(i.touchpoint_id).map(|t| (i, t)))
        .map(|(i, t)| context! { position => i.position, added_at => i.added_at, touchpoint => program.touchpoint_view(t) })
        .collect();
    let current = e.touchpoint_ids();
    let addable: Vec<_> = program
        .touchpoints
        .iter()
        .filter(|t| !current.contains(&t.id))
        .map(|t| context! { id => t.id, name => &t.name, stage => program.stage_name(t.stage_id) })
        .collect();
    let history: Vec<_> = history
        .iter()
        .rev()
        .map(|i| {
            context! {
                name => program.touchpoint(i.touchpoint_id).map(|t| t.name.clone()),
                touchpoint_id => i.touchpoint_id,
                added_at => i.added_at,
                removed_at => i.removed_at,
            }
        })
        .collect();
    page.render_status(
        status,
        "experiences/show.html",
        context! {
            experience => &e,
            leader => program.owner(e.leader_id),
            segments => program.segment_names(&e.segment_ids),
            interactions => interactions,
            addable => addable,
            history => history,
            errors => page.errors(&errors),
            v => values,
        },
    )
}

async fn new(page: Page) -> WebResult {
    page.require(Permission::EditPlan)?;
    let values = BTreeMap::from([("goal_period".to_string(), Period::Quarter.key().to_string())]);
    form_page(&page, None, StatusCode::OK, values, vec![], FieldErrors::new()).await
}

async fn edit(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let e = page.store().get_experience(page.org(), id).await?;
    let values = values_of(&e, page.lang());
    form_page(&page, Some(id), StatusCode::OK, values, e.segment_ids, FieldErrors::new()).await
}

fn values_of(e: &Experience, lang: rapport_core::lang::Lang) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("name".to_string(), e.name.clone()),
        ("customer_definition".into(), e.customer_definition.clone().unwrap_or_default()),
        ("goal_metric".into(), e.goal.metric.key().into()),
        ("goal_target".into(), input_number(lang, e.goal.target)),
        ("goal_period".into(), e.goal.period.key().into()),
        ("leader_id".into(), e.leader_id.map(|i| i.to_string()).unwrap_or_default()),
    ])
}

async fn form_page(
    page: &Page,
    id: Option<Id>,
    status: StatusCode,
    values: BTreeMap<String, String>,
    segment_ids: Vec<Id>,
    errors: FieldErrors,
) -> WebResult {
    let experience = match id {
        Some(id) => Some(page.store().get_experience(page.org(), id).await?),
        None => None,
    };
    let program = Program::load(page.store(), page.org()).await?;
    let leader = values.get("leader_id").and_then(|v| v.parse().ok());
    page.render_status(
        status,
        "experiences/form.html",
        context! {
            experience => experience,
            v => values,
            checked_segments => segment_ids,
            segments => &program.segments,
            leaders => program.person_options(leader),
            metrics => metric_keys(),
            periods => period_keys(),
            errors => page.errors(&errors),
        },
    )
}

/// Creates (on the collection) or updates (on `…/{id}…`).
async fn save(page: Page, id: Option<WebPath<Id>>, form: FormData) -> WebResult {
    let id = id.map(|WebPath(id)| id);
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let d = ExperienceDraft {
        name: form.text("name"),
        customer_definition: form.text("customer_definition"),
        segment_ids: form.ids("segment_ids"),
        goal_metric: form.get("goal_metric").and_then(Metric::parse),
        goal_target: form.number("goal_target", &mut parsed),
        goal_period: form.get("goal_period").and_then(Period::parse),
        goal_behaviour_id: form.id("goal_behaviour_id", &mut parsed),
        leader_id: form.id("leader_id", &mut parsed),
    };
    let saved = async {
        let input = checked(parsed, d.validate())?;
        let e = match id {
            Some(id) => page.store().update_experience(page.org(), id, &input).await?,
            None => page.store().create_experience(page.org(), &input).await?,
        };
        Ok::<_, AppError>(e)
    };
    match outcome(saved.await)? {
        Ok(e) => see_other(&format!("/experiences/{}?ok={}", e.id, if id.is_some() { "saved" } else { "created" })),
        Err((status, e)) => form_page(&page, id, status, form.values(), form.ids("segment_ids"), e).await,
    }
}

async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store()
        .delete_experience(page.org(), id, &page.p.audit("experience.delete", format!("experience:{id}")))
        .await?;
    see_other("/experiences?ok=deleted")
}

async fn add_interaction(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let touchpoint = form.id("touchpoint_id", &mut parsed);
    let position = form.integer("position", &mut parsed);
    if position.is_some_and(|p| !(1..=1000).contains(&p)) {
        parsed.add("position", "out_of_range", "must be between 1 and 1000");
    }
    if touchpoint.is_none() {
        parsed.add("touchpoint_id", "required", "is required");
    }
    let added = async {
        let tp = match touchpoint {
            Some(tp) if parsed.is_empty() => tp,
            _ => return Err(AppError::Invalid(parsed)),
        };
        Ok(page.store().add_interaction(page.org(), id, tp, position).await?)
    };
    match outcome(added.await)? {
        Ok(_) => see_other(&format!("/experiences/{id}?ok=added#interactions")),
        Err((status, e)) => show_page(&page, id, status, e, form.values()).await,
    }
}

async fn remove_interaction(page: Page, WebPath((id, tp)): WebPath<(Id, Id)>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let audit = page.p.audit("experience.remove_interaction", format!("experience:{id}/touchpoint:{tp}"));
    page.store().remove_interaction(page.org(), id, tp, Some(&audit)).await?;
    see_other(&format!("/experiences/{id}?ok=removed#interactions"))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{in_lang, TestApp};
    use axum::http::StatusCode;
    use rapport_core::metric::Metric;

    #[tokio::test]
    async fn create_edit_and_keep_interaction_history() {
        let t = TestApp::new().await;
        let seg = t.ids.segment.to_string();
        let ben = t.ids.ben.to_string();
        // A CSAT target above 100 is out of range: shown in Spanish, kept.
        let bad = [
            ("name", "Renewal"),
            ("goal_metric", "csat"),
            ("goal_target", "120"),
            ("goal_period", "year"),
            ("segment_ids", seg.as_str()),
            ("leader_id", ben.as_str()),
        ];
        let r = t.post("/experiences", &in_lang(&t.admin, "es"), &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("fuera del rango permitido"), "{}", r.body);
        assert!(r.body.contains("value=\"120\""));
        assert!(r.body.contains(&format!("value=\"{seg}\" checked")), "checked segments are kept");

        let mut good = bad;
        good[2] = ("goal_target", "87,5");
        let r = t.post("/experiences", &t.admin, &good).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let exp = t.store.list_experiences(t.org.id).await.unwrap().into_iter().find(|e| e.name == "Renewal").unwrap();
        assert_eq!(exp.goal.metric, Metric::Csat);
        assert_eq!(exp.goal.target, 87.5);
        assert_eq!(exp.segment_ids, vec![t.ids.segment]);

        let tp = t.ids.touchpoint.to_string();
        let r = t.post(&format!("/experiences/{}/interactions", exp.id), &t.admin, &[("touchpoint_id", &tp)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // Adding it twice is a conflict shown on the page.
        let r = t.post(&format!("/experiences/{}/interactions", exp.id), &t.admin, &[("touchpoint_id", &tp)]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = t.post(&format!("/experiences/{}/interactions/{tp}/remove", exp.id), &t.admin, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = t.get(&format!("/experiences/{}", exp.id), &t.admin).await.body;
        assert!(page.contains("Interaction history") && page.contains("Checkout"));
        assert_eq!(t.store.interaction_history(t.org.id, exp.id).await.unwrap().len(), 1);

        let r = t.post(&format!("/experiences/{}/delete", exp.id), &t.admin, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(t.get(&format!("/experiences/{}", exp.id), &t.admin).await.status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn the_plan_shows_goal_owners_and_criteria() {
        let t = TestApp::new().await;
        let r = t.get(&format!("/experiences/{}/plan?lang=es", t.ids.experience), &t.viewer).await;
        assert_eq!(r.status, StatusCode::OK);
        for text in [
            "Tasa de recompra: 40\u{a0}% por trimestre",
            "Ben Ode",
            "Ana Ruiz",
            "CSAT",
            "como mínimo",
            // The print button's script is a file (no inline script under the CSP).
            "data-print",
            "src=\"/assets/print.js\"",
        ] {
            assert!(r.body.contains(text), "{text:?} missing:\n{}", r.body);
        }
    }
}
