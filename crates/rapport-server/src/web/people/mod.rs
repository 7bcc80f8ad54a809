//! People: the directory (A2: who they are, what they lead and own,
//! leaving, coming back and handing everything over in one step) and the
//! pages of the program's people side (E1–E5), one module each.

pub(crate) mod knowledge;
mod recognition;
mod staffing;
mod training;

use super::form::{checked, outcome, FormData};
use super::view::{holdings, Program};
use super::{see_other, Page, WebPath, WebResult};
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use minijinja::context;
use rapport_core::person::{Person, PersonDraft};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people", get(list).post(save))
        .route("/people/new", get(new))
        .route("/people/{id}", get(show))
        .route("/people/{id}/edit", get(edit).post(save))
        .route("/people/{id}/deactivate", post(deactivate))
        .route("/people/{id}/reactivate", post(reactivate))
        .route("/people/{id}/handover", post(handover))
        .merge(training::routes())
        .merge(knowledge::routes())
        .merge(recognition::routes())
        .merge(staffing::routes())
        .route("/people/{id}/delete", post(delete))
}

async fn list(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let program = Program::load(page.store(), page.org()).await?;
    let held = holdings(&program);
    let view = |p: &Person| {
        let (leads, owns) = held.get(&p.id).cloned().unwrap_or_default();
        context! { person => p, leads => leads, owns => owns }
    };
    let mut people: Vec<&Person> = program.people.iter().collect();
    people.sort_by_key(|p| p.name.to_lowercase());
    let active: Vec<_> = people.iter().filter(|p| p.is_active()).map(|p| view(p)).collect();
    let former: Vec<_> = people.iter().filter(|p| !p.is_active()).map(|p| view(p)).collect();
    page.render("people/list.html", context! { active => active, former => former })
}

async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    show_page(&page, id, StatusCode::OK, FieldErrors::new(), BTreeMap::new()).await
}

/// The person's page, also shown again when one of its forms fails.
async fn show_page(
    page: &Page,
    id: Id,
    status: StatusCode,
    errors: FieldErrors,
    values: BTreeMap<String, String>,
) -> WebResult {
    let person = page.store().get_person(page.org(), id).await?;
    let program = Program::load(page.store(), page.org()).await?;
    let (leads, owns) = holdings(&program).remove(&id).unwrap_or_default();
    let successors: Vec<_> = program.person_options(None).into_iter().filter(|c| c.id != id).collect();
    page.render_status(
        status,
        "people/show.html",
        context! {
            person => person,
            leads => leads,
            owns => owns,
            successors => successors,
            today => Utc::now().date_naive().to_string(),
            errors => page.errors(&errors),
            v => values,
        },
    )
}

async fn new(page: Page) -> WebResult {
    page.require(Permission::ManagePeople)?;
    let today = Utc::now().date_naive().to_string();
    form_page(&page, None, StatusCode::OK, BTreeMap::from([("joined_on".into(), today)]), FieldErrors::new()).await
}

async fn edit(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ManagePeople)?;
    let p = page.store().get_person(page.org(), id).await?;
    let values = BTreeMap::from([
        ("name".to_string(), p.name),
        ("email".into(), p.email),
        ("department".into(), p.department.unwrap_or_default()),
        ("role".into(), p.role.unwrap_or_default()),
        ("joined_on".into(), p.joined_on.to_string()),
    ]);
    form_page(&page, Some(id), StatusCode::OK, values, FieldErrors::new()).await
}

async fn form_page(
    page: &Page,
    id: Option<Id>,
    status: StatusCode,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
) -> WebResult {
    let person = match id {
        Some(id) => Some(page.store().get_person(page.org(), id).await?),
        None => None,
    };
    let program = Program::load(page.store(), page.org()).await?;
    page.render_status(
        status,
        "people/form.html",
        context! { person => person, v => values, errors => page.errors(&errors), departments => program.departments() },
    )
}

fn draft(form: &FormData, errors: &mut FieldErrors) -> PersonDraft {
    PersonDraft {
        name: form.text("name"),
        email: form.text("email"),
        department: form.text("department"),
        role: form.text("role"),
        joined_on: form.date("joined_on", errors),
    }
}

/// Creates (on the collection) or updates (on `…/{id}…`).
async fn save(page: Page, id: Option<WebPath<Id>>, form: FormData) -> WebResult {
    let id = id.map(|WebPath(id)| id);
    page.require(Permission::ManagePeople)?;
    let mut parsed = FieldErrors::new();
    let d = draft(&form, &mut parsed);
    let saved = async {
        let input = checked(parsed, d.validate(Utc::now().date_naive()))?;
        let p = match id {
            Some(id) => page.store().update_person(page.org(), id, &input).await?,
            None => page.store().create_person(page.org(), &input).await?,
        };
        Ok::<_, AppError>(p)
    };
    match outcome(saved.await)? {
        Ok(p) => see_other(&format!("/people/{}?ok={}", p.id, if id.is_some() { "saved" } else { "created" })),
        Err((status, e)) => form_page(&page, id, status, form.values(), e).await,
    }
}

async fn deactivate(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::ManagePeople)?;
    let mut e = FieldErrors::new();
    let on = form.date("left_on", &mut e).unwrap_or_else(|| Utc::now().date_naive());
    if !e.is_empty() {
        return show_page(&page, id, StatusCode::UNPROCESSABLE_ENTITY, e, form.values()).await;
    }
    let audit = page.p.audit("person.deactivate", format!("person:{id}"));
    page.store().deactivate_person(page.org(), id, on, Some(&audit)).await?;
    see_other(&format!("/people/{id}?ok=deactivated"))
}

async fn reactivate(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ManagePeople)?;
    page.store().reactivate_person(page.org(), id).await?;
    see_other(&format!("/people/{id}?ok=reactivated"))
}

async fn handover(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::ManagePeople)?;
    let mut parsed = FieldErrors::new();
    let to = form.id("to", &mut parsed);
    if to.is_none() {
        parsed.add("to", "required", "is required");
    }
    let moved = async {
        let to = match to {
            Some(to) if parsed.is_empty() => to,
            _ => return Err(AppError::Invalid(parsed)),
        };
        let audit = page.p.audit("person.handover", format!("person:{id}->person:{to}"));
        page.store().handover(page.org(), id, to, Some(&audit)).await?;
        Ok(())
    };
    match outcome(moved.await)? {
        Ok(()) => see_other(&format!("/people/{id}?ok=handed-over")),
        Err((status, e)) => show_page(&page, id, status, e, form.values()).await,
    }
}

async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ManagePeople)?;
    let audit = page.p.audit("person.delete", format!("person:{id}"));
    match outcome(page.store().delete_person(page.org(), id, &audit).await.map_err(AppError::from))? {
        Ok(()) => see_other("/people?ok=deleted"),
        Err((status, e)) => show_page(&page, id, status, e, BTreeMap::new()).await,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{in_lang, TestApp};
    use axum::http::StatusCode;

    #[tokio::test]
    async fn invalid_input_comes_back_translated_and_nothing_is_written() {
        let t = TestApp::new().await;
        let before = t.store.list_people(t.org.id).await.unwrap().len();
        let r = t
            .post(
                "/people",
                &in_lang(&t.admin, "es"),
                &[("name", "Carla Soto"), ("email", "not-an-email"), ("joined_on", "2026-13-01")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Introduzca una dirección de correo"), "{}", r.body);
        assert!(r.body.contains("Introduzca una fecha válida"));
        assert!(r.body.contains("value=\"Carla Soto\""), "the input is kept");
        assert_eq!(t.store.list_people(t.org.id).await.unwrap().len(), before);
        // A taken e-mail is a conflict on the field.
        let r = t.post("/people", &t.admin, &[("name", "Another Ana"), ("email", "ana@acme.test")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("This is already in use."));
    }

    #[tokio::test]
    async fn leaving_flags_gaps_and_one_handover_closes_them() {
        let t = TestApp::new().await;
        let created = t
            .post(
                "/people",
                &t.admin,
                &[("name", "Carla Soto"), ("email", "carla@acme.test"), ("department", "Stores")],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER);
        let carla = created.location.unwrap();
        assert!(carla.starts_with("/people/"), "{carla}");
        let carla_id = carla.trim_start_matches("/people/").split('?').next().unwrap().to_string();

        let ana = t.ids.ana;
        let r = t.post(&format!("/people/{ana}/deactivate"), &t.admin, &[("left_on", "2026-03-31")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let coverage = t.get("/coverage", &t.admin).await.body;
        assert!(coverage.contains("Ana Ruiz has left"), "{coverage}");
        assert!(coverage.contains(&format!("/people/{ana}#handover")));
        let page = t.get(&format!("/people/{ana}"), &t.admin).await.body;
        assert!(page.contains("id=\"handover-submit\""));

        // The successor must be chosen.
        let r = t.post(&format!("/people/{ana}/handover"), &in_lang(&t.admin, "es"), &[("to", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Este campo es obligatorio."));

        let r = t.post(&format!("/people/{ana}/handover"), &t.admin, &[("to", &carla_id)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let coverage = t.get("/coverage", &t.admin).await.body;
        assert!(coverage.contains("id=\"no-gaps\""), "{coverage}");
        assert!(coverage.contains(">100%<"));

        let r = t.post(&format!("/people/{ana}/reactivate"), &t.admin, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(t.store.get_person(t.org.id, ana).await.unwrap().is_active());
    }
}
