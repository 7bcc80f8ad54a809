//! `/admin/accounts`: who can sign in, as which person and with which role;
//! inviting a person of the program (policy: `rapport_core::invitation`).
//!
//! Policy: accounts and people are one thing to users. An account links to
//! the person with its e-mail by itself (`Store::create_user`,
//! `create_person`); here an admin links or unlinks by hand, changes a
//! role (never the last administrator's) and withdraws an invitation not
//! yet accepted. People who can be invited are the active people without
//! an account.

use crate::error::AppError;
use crate::invite;
use crate::state::AppState;
use crate::web::ctx::Page;
use crate::web::form::{outcome, FormData};
use crate::web::{see_other, WebPath, WebResult};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use rapport_core::role::{Permission, Role};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Serialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(show))
        .route("/admin/accounts/invite", post(invite_person))
        .route("/admin/accounts/{id}/role", post(set_role))
        .route("/admin/accounts/{id}/person", post(link))
        .route("/admin/accounts/{id}/withdraw", post(withdraw))
}

#[derive(Serialize)]
struct PersonChoice {
    id: Id,
    name: String,
    email: String,
}

async fn render(page: &Page, status: StatusCode, errors: FieldErrors, values: FormData) -> WebResult {
    let (members, people) =
        tokio::try_join!(page.store().list_members(page.org()), page.store().list_people(page.org()))?;
    let linked: Vec<Id> = members.iter().filter_map(|m| m.user.person_id).collect();
    let invitable: Vec<PersonChoice> = people
        .iter()
        .filter(|p| p.is_active() && !linked.contains(&p.id))
        .map(|p| PersonChoice { id: p.id, name: p.name.clone(), email: p.email.clone() })
        .collect();
    let names: std::collections::HashMap<Id, &str> = people.iter().map(|p| (p.id, p.name.as_str())).collect();
    let rows: Vec<_> = members
        .iter()
        .map(|m| {
            let person = m.user.person_id.and_then(|id| names.get(&id).copied());
            context! { member => m, person => person, me => page.p.user.as_ref().is_some_and(|u| u.id == m.user.id) }
        })
        .collect();
    let people: Vec<PersonChoice> =
        people.iter().map(|p| PersonChoice { id: p.id, name: p.name.clone(), email: p.email.clone() }).collect();
    let ctx = context! {
        rows, invitable, people,
        roles => Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        errors => page.errors(&errors),
        values => values.values(),
    };
    page.render_status(status, "admin/accounts.html", ctx)
}

async fn show(page: Page) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    render(&page, StatusCode::OK, FieldErrors::new(), FormData::default()).await
}

fn role(form: &FormData, errors: &mut FieldErrors) -> Option<Role> {
    let r = form.get("role").and_then(Role::parse);
    if r.is_none() {
        errors.add("role", "invalid", "is not a role");
    }
    r
}

async fn invite_person(page: Page, form: FormData) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    let mut errors = FieldErrors::new();
    let person = form.id("person_id", &mut errors);
    if person.is_none() && errors.is_empty() {
        errors.add("person_id", "required", "is required");
    }
    let role = role(&form, &mut errors);
    let invited = async {
        match (person, role) {
            (Some(person), Some(role)) if errors.is_empty() => {
                invite::invite(&page.state, &page.p, person, role, page.lang()).await.map(|_| ())
            }
            _ => Err(AppError::Invalid(errors)),
        }
    };
    match outcome(invited.await)? {
        Ok(()) => see_other("/admin/accounts?ok=invited"),
        Err((status, e)) => render(&page, status, e, form).await,
    }
}

async fn set_role(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    let mut errors = FieldErrors::new();
    let changed = async {
        let Some(role) = role(&form, &mut errors) else { return Err(AppError::Invalid(errors)) };
        let audit = page.p.audit("user.role", format!("user:{id}->{role}"));
        page.store().set_member_role(page.org(), id, role, &audit).await?;
        Ok(())
    };
    match outcome(changed.await)? {
        Ok(()) => see_other("/admin/accounts?ok=saved"),
        Err((status, e)) => render(&page, status, e, form).await,
    }
}

async fn link(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    let mut errors = FieldErrors::new();
    let person = form.filled("person_id").and_then(|_| form.id("person_id", &mut errors));
    let linked = async {
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let subject = format!("user:{id}->{}", person.map_or("none".to_string(), |p| format!("person:{p}")));
        let audit = page.p.audit("user.link", subject);
        page.store().link_member(page.org(), id, person, &audit).await?;
        Ok(())
    };
    match outcome(linked.await)? {
        Ok(()) => see_other("/admin/accounts?ok=saved"),
        Err((status, e)) => render(&page, status, e, form).await,
    }
}

async fn withdraw(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    let audit = page.p.audit("user.invitation_withdraw", format!("user:{id}"));
    match outcome(page.store().withdraw_invitation(page.org(), id, &audit).await.map_err(AppError::from))? {
        Ok(()) => see_other("/admin/accounts?ok=withdrawn"),
        Err((status, e)) => render(&page, status, e, FormData::default()).await,
    }
}

#[cfg(test)]
mod tests {
    use crate::web::test_support::{in_lang, TestApp};
    use axum::http::StatusCode;
    use chrono::{Duration, Utc};

    /// The invitation's link, read from the outbox.
    async fn link(t: &TestApp) -> String {
        let now = Utc::now();
        t.store.fan_out(now, 100).await.unwrap();
        let sent = t.store.claim_deliveries(now, now + Duration::minutes(5), 100).await.unwrap();
        let mail = sent.into_iter().find(|d| d.event == "account.invitation").expect("an invitation e-mail");
        assert_eq!(mail.payload["title"], "Le invitan a Acme Outdoor en Rapport", "in the admin's language");
        mail.payload["url"].as_str().unwrap().to_string()
    }

    #[tokio::test]
    async fn an_invited_person_sets_a_password_and_is_signed_in() {
        let t = TestApp::new().await;
        let ana = t.ids.ana.to_string();
        let none = t.post("/admin/accounts/invite", &t.admin, &[("person_id", ""), ("role", "member")]).await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
        let es = in_lang(&t.admin, "es");
        let sent = t.post("/admin/accounts/invite?lang=es", &es, &[("person_id", &ana), ("role", "member")]).await;
        assert_eq!(sent.location.as_deref(), Some("/admin/accounts?ok=invited"));
        let page = t.get("/admin/accounts", &t.admin).await.body;
        assert!(page.contains("ana@acme.test") && page.contains("Invited"), "listed as invited");
        let link = link(&t).await;
        let form = t.get(&link, "").await;
        assert_eq!(form.status, StatusCode::OK);
        let token = link.split_once("token=").unwrap().1;
        let short = t.post("/invitation", "", &[("token", token), ("new", "short"), ("confirm", "short")]).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        let pw = "a long enough secret";
        let done = t.post("/invitation", "", &[("token", token), ("new", pw), ("confirm", pw)]).await;
        assert_eq!(done.location.as_deref(), Some("/?ok=welcome"));
        let cookie = done.set_cookie.iter().find(|c| c.starts_with("rapport_session=")).expect("signed in");
        let cookie = cookie.split(';').next().unwrap();
        assert_eq!(t.get("/ideas", cookie).await.status, StatusCode::OK);
        let again = t.post("/invitation", "", &[("token", token), ("new", pw), ("confirm", pw)]).await;
        assert_eq!(again.status, StatusCode::GONE, "once");
    }

    #[tokio::test]
    async fn the_last_admin_keeps_the_role_and_links_are_one_to_one() {
        let t = TestApp::new().await;
        let me = t.store.list_members(t.org.id).await.unwrap();
        let admin = me.iter().find(|m| m.user.email == "admin@acme.test").unwrap().user.id;
        let demoted = t.post(&format!("/admin/accounts/{admin}/role"), &t.admin, &[("role", "viewer")]).await;
        assert_eq!(demoted.status, StatusCode::CONFLICT);
        assert!(demoted.body.contains("id=\"accounts-error\""));
        let linked = t
            .post(&format!("/admin/accounts/{admin}/person"), &t.admin, &[("person_id", &t.ids.ben.to_string())])
            .await;
        assert_eq!(linked.location.as_deref(), Some("/admin/accounts?ok=saved"));
        let viewer = me.iter().find(|m| m.user.email == "viewer@acme.test").unwrap().user.id;
        let taken = t
            .post(&format!("/admin/accounts/{viewer}/person"), &t.admin, &[("person_id", &t.ids.ben.to_string())])
            .await;
        assert_eq!(taken.status, StatusCode::CONFLICT);
        let bad = t.post(&format!("/admin/accounts/{viewer}/role"), &t.admin, &[("role", "king")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            t.post(&format!("/admin/accounts/{viewer}/role"), &t.viewer, &[("role", "admin")]).await.status,
            StatusCode::FORBIDDEN
        );
    }
}
