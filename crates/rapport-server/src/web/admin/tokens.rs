//! `/admin/tokens`: API tokens, for the systems that feed and read Rapport.
//!
//! Policy: a token is shown once, on the page that creates it, and only its
//! digest is stored; the list shows its name, role, who created it and when
//! it was last used (to the minute). Revoking is immediate: the next
//! request with it is a 401, on every server sharing the database.

use crate::auth::secret;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::ctx::Page;
use crate::web::form::{outcome, FormData};
use crate::web::{see_other, WebPath, WebResult};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use minijinja::context;
use rapport_core::role::{Permission, Role, TOKEN_NAME_MAX};
use rapport_core::validate::{required_text, FieldErrors};
use rapport_core::Id;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/tokens", get(show).post(create)).route("/admin/tokens/{id}/revoke", post(revoke))
}

async fn render(
    page: &Page,
    status: StatusCode,
    created: Option<String>,
    errors: FieldErrors,
    form: FormData,
) -> WebResult {
    let tokens = page.store().list_tokens(page.org()).await?;
    let ctx = context! {
        tokens, created,
        roles => Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        errors => page.errors(&errors),
        values => form.values(),
    };
    page.render_status(status, "admin/tokens.html", ctx)
}

async fn show(page: Page) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    render(&page, StatusCode::OK, None, FieldErrors::new(), FormData::default()).await
}

async fn create(page: Page, form: FormData) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    let mut errors = FieldErrors::new();
    let name = required_text(&mut errors, "name", form.get("name"), TOKEN_NAME_MAX);
    let role = form.get("role").and_then(Role::parse);
    if role.is_none() {
        errors.add("role", "invalid", "is not a role");
    }
    let issued = async {
        let Some(role) = role.filter(|_| errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
        let token = secret::generate("rpt_");
        let audit = page.p.audit_created("token.create", "token:");
        page.store().issue_token(page.org(), &name, role, &secret::digest(&token), &audit).await?;
        Ok(token)
    };
    match outcome(issued.await)? {
        // Shown on this answer only: a reload cannot bring it back.
        Ok(token) => render(&page, StatusCode::CREATED, Some(token), FieldErrors::new(), FormData::default()).await,
        Err((status, e)) => render(&page, status, None, e, form).await,
    }
}

async fn revoke(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    let audit = page.p.audit("token.revoke", format!("token:{id}"));
    page.store().revoke_token(page.org(), id, Utc::now(), &audit).await?;
    see_other("/admin/tokens?ok=revoked")
}

#[cfg(test)]
mod tests {
    use crate::web::test_support::TestApp;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};

    async fn org_with(t: &TestApp, token: &str) -> StatusCode {
        let req = Request::get("/api/v1/org").header("authorization", format!("Bearer {token}"));
        t.send(req.body(Body::empty()).unwrap()).await.status
    }

    #[tokio::test]
    async fn a_token_is_shown_once_works_and_stops_when_revoked() {
        let t = TestApp::new().await;
        let blank = t.post("/admin/tokens", &t.admin, &[("name", " "), ("role", "viewer")]).await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(blank.body.contains("id=\"token-error\""));
        assert!(t.store.list_tokens(t.org.id).await.unwrap().is_empty(), "nothing written");
        let made = t.post("/admin/tokens", &t.admin, &[("name", "crm-sync"), ("role", "agent")]).await;
        assert_eq!(made.status, StatusCode::CREATED);
        let start = made.body.find("rpt_").expect("the token on the page");
        let token: String = made.body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        assert_eq!(org_with(&t, &token).await, StatusCode::OK);
        let list = t.get("/admin/tokens", &t.admin).await;
        assert!(list.body.contains("crm-sync") && !list.body.contains(&token), "listed, never shown again");
        assert!(list.body.contains("admin@acme.test"), "who made it");
        let id = t.store.list_tokens(t.org.id).await.unwrap()[0].token.id;
        let revoked = t.post(&format!("/admin/tokens/{id}/revoke"), &t.admin, &[]).await;
        assert_eq!(revoked.location.as_deref(), Some("/admin/tokens?ok=revoked"));
        assert_eq!(org_with(&t, &token).await, StatusCode::UNAUTHORIZED, "at once");
        assert_eq!(t.get("/admin/tokens", &t.viewer).await.status, StatusCode::FORBIDDEN);
        let viewer = t.post("/admin/tokens", &t.viewer, &[("name", "mine"), ("role", "admin")]).await;
        assert_eq!(viewer.status, StatusCode::FORBIDDEN);
    }
}
