//! Passwords: changing one's own, and resetting a forgotten one by e-mail.
//!
//! Policy:
//! - A change asks for the current password (throttled like signing in)
//!   and ends every other session of the account: whoever knew the old one
//!   is signed out.
//! - A reset is asked for with the organization and the e-mail. The answer
//!   is the same whether or not the account exists. A known account gets a
//!   link by e-mail (the outbox), valid for 30 minutes and once; only the
//!   token's digest is stored (`crate::passwords`). At most 3 links
//!   per account per hour (kept in the database, so every server counts
//!   them), and the asking address is throttled like sign-in attempts.
//! - Using the link sets the password, ends every session of the account
//!   and any other reset, in one transaction; a used, expired or unknown
//!   link says so and changes nothing.

use super::ctx::{Page, Public};
use super::form::FormData;
use super::{see_other, WebResult};
use crate::auth::client::ClientIp;
use crate::auth::throttle::SignInThrottle;
use crate::auth::{password, secret, session};
use crate::error::AppError;
use crate::passwords;
use crate::state::AppState;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Extension, Router};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use minijinja::context;
use rapport_store::Audit;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Instant;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/password", get(show_change).post(change))
        .route("/forgot-password", get(show_forgot).post(forgot))
        .route("/reset-password", get(show_reset).post(reset))
        .layer(Extension(Arc::new(SignInThrottle::default())))
}

async fn show_change(page: Page) -> WebResult {
    page.render("account/password.html", context! { error => None::<String> })
}

async fn change(
    page: Page,
    client: ClientIp,
    Extension(throttle): Extension<Arc<SignInThrottle>>,
    jar: CookieJar,
    form: FormData,
) -> WebResult {
    let Some(user) = page.p.user.clone() else {
        // An API token has no password to change.
        return Err(AppError::Forbidden.into());
    };
    let current = form.get("current").unwrap_or("").to_string();
    let new = form.get("new").unwrap_or("").to_string();
    let refuse = |key: &str| {
        let error = page.t(key);
        page.render_status(StatusCode::UNPROCESSABLE_ENTITY, "account/password.html", context! { error })
    };
    let account = SignInThrottle::account_key(&page.p.org.slug, &user.email);
    if throttle.begin(account, client.limit_key(), Instant::now()).is_err() {
        return refuse("password-throttled");
    }
    let hash = page.state.store.password_hash(page.p.org.id, user.id).await?;
    if !password::verify_async(current, hash).await {
        return refuse("password-current-wrong");
    }
    throttle.succeeded(account, client.limit_key(), Instant::now());
    if let Some(problem) = password::problem(&new, form.get("confirm")) {
        return refuse(problem);
    }
    let keep = jar.get(session::COOKIE).map(|c| secret::digest(c.value()));
    let audit = Audit::new(&page.p.actor, "user.password_change", format!("user:{}", user.id));
    let hash = password::hash_async(new).await;
    page.state.store.set_password(page.p.org.id, user.id, &hash, keep.as_deref(), &audit).await?;
    see_other("/account/password?ok=password-changed")
}

async fn show_forgot(page: Public) -> WebResult {
    let orgs = page.state.store.list_orgs().await?;
    let org = match orgs.as_slice() {
        [only] => only.slug.clone(),
        _ => String::new(),
    };
    page.render(StatusCode::OK, "account/forgot.html", context! { org_slug => org, sent => false })
}

async fn forgot(
    page: Public,
    client: ClientIp,
    Extension(throttle): Extension<Arc<SignInThrottle>>,
    form: FormData,
) -> WebResult {
    let org = form.get("org").unwrap_or("").trim().to_string();
    let email = form.get("email").unwrap_or("").trim().to_lowercase();
    // Every request spends the address's budget: asking is cheap, mail is not.
    let account = SignInThrottle::account_key(&org, &email);
    if throttle.begin(account, client.limit_key(), Instant::now()).is_ok() {
        passwords::send_reset(&page.state, &org, &email, page.viewer.lang).await?;
    } else {
        tracing::info!(client = ?client.0, "password reset throttled");
    }
    // The same answer whatever happened.
    page.render(StatusCode::OK, "account/forgot.html", context! { org_slug => org, sent => true })
}

#[derive(Deserialize)]
struct Token {
    token: Option<String>,
}

async fn show_reset(page: Public, Query(q): Query<Token>) -> WebResult {
    let token = q.token.unwrap_or_default();
    let valid = page.state.store.password_reset_account(&secret::digest(&token), Utc::now()).await?.is_some();
    let status = if valid { StatusCode::OK } else { StatusCode::GONE };
    page.render(status, "account/reset.html", context! { token, valid, error => None::<String> })
}

async fn reset(page: Public, form: FormData) -> WebResult {
    let token = form.get("token").unwrap_or("").to_string();
    let new = form.get("new").unwrap_or("").to_string();
    let t = |key: &str| page.state.i18n.t(page.viewer.lang, key, &[]);
    if let Some(problem) = password::problem(&new, form.get("confirm")) {
        let ctx = context! { token, valid => true, error => t(problem) };
        return page.render(StatusCode::UNPROCESSABLE_ENTITY, "account/reset.html", ctx);
    }
    let hash = password::hash_async(new).await;
    match page.state.store.complete_password_reset(&secret::digest(&token), Utc::now(), &hash).await? {
        Some(_) => see_other("/sign-in?ok=password-reset"),
        None => page.render(
            StatusCode::GONE,
            "account/reset.html",
            context! { token, valid => false, error => None::<String> },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{TestApp, PASSWORD};
    use axum::http::StatusCode;
    use chrono::{Duration, Utc};
    use rapport_store::{Delivery, Target};

    const NEW: &str = "a brand new passphrase";

    async fn sign_in(t: &TestApp, password: &str) -> Option<String> {
        let r = t.post("/sign-in", "", &[("org", "acme"), ("email", "admin@acme.test"), ("password", password)]).await;
        let cookie = r.set_cookie.iter().find(|c| c.starts_with("rapport_session="))?;
        Some(cookie.split(';').next().unwrap().to_string())
    }

    /// The reset e-mails the outbox would send now.
    async fn mails(t: &TestApp) -> Vec<Delivery> {
        let now = Utc::now();
        t.store.fan_out(now, 100).await.unwrap();
        let all = t.store.claim_deliveries(now, now + Duration::minutes(5), 100).await.unwrap();
        all.into_iter().filter(|d| d.event == "account.password_reset").collect()
    }

    #[tokio::test]
    async fn a_change_needs_the_current_password_and_signs_out_elsewhere() {
        let t = TestApp::new().await;
        let elsewhere = sign_in(&t, PASSWORD).await.expect("signed in on a second device");
        let form = t.get("/account/password", &t.admin).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("id=\"password-submit\""));
        let wrong = t
            .post("/account/password", &t.admin, &[("current", "not it at all"), ("new", NEW), ("confirm", NEW)])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("id=\"password-error\""));
        let short = t
            .post("/account/password", &t.admin, &[("current", PASSWORD), ("new", "short"), ("confirm", "short")])
            .await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        let differ = t
            .post("/account/password", &t.admin, &[("current", PASSWORD), ("new", NEW), ("confirm", "something else")])
            .await;
        assert_eq!(differ.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(sign_in(&t, PASSWORD).await.is_some(), "nothing changed yet");

        let ok = t.post("/account/password", &t.admin, &[("current", PASSWORD), ("new", NEW), ("confirm", NEW)]).await;
        assert_eq!(ok.location.as_deref(), Some("/account/password?ok=password-changed"));
        assert_eq!(
            t.get("/account/password?ok=password-changed", &t.admin).await.status,
            StatusCode::OK,
            "this session stays"
        );
        assert_eq!(t.get("/", &elsewhere).await.status, StatusCode::SEE_OTHER, "the other session ended");
        assert!(sign_in(&t, PASSWORD).await.is_none(), "the old password is gone");
        assert!(sign_in(&t, NEW).await.is_some());
    }

    #[tokio::test]
    async fn a_reset_link_is_mailed_works_once_and_says_nothing_of_unknown_accounts() {
        let t = TestApp::new().await;
        let unknown = t.post("/forgot-password?lang=es", "", &[("org", "acme"), ("email", "nobody@acme.test")]).await;
        let known = t.post("/forgot-password?lang=es", "", &[("org", "acme"), ("email", "Admin@acme.test")]).await;
        assert_eq!((unknown.status, known.status), (StatusCode::OK, StatusCode::OK));
        assert_eq!(unknown.body, known.body, "the same answer either way");
        assert!(known.body.contains("el enlace va de camino"), "{}", known.body);
        let sent = mails(&t).await;
        assert_eq!(sent.len(), 1, "one e-mail, to the known account");
        assert_eq!(sent[0].target, Target::Email { to: "admin@acme.test".into() });
        assert_eq!(sent[0].payload["title"], "Elige una contraseña nueva para Rapport", "in the page's language");
        let link = sent[0].payload["url"].as_str().unwrap().to_string();
        assert!(link.starts_with("/reset-password?token="));
        let token = link.split_once("token=").unwrap().1.to_string();

        let form = t.get(&link, "").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("id=\"reset-submit\""));
        let differ = t
            .post("/reset-password", "", &[("token", &token), ("new", NEW), ("confirm", "other thing entirely")])
            .await;
        assert_eq!(differ.status, StatusCode::UNPROCESSABLE_ENTITY);
        let done = t.post("/reset-password", "", &[("token", &token), ("new", NEW), ("confirm", NEW)]).await;
        assert_eq!(done.location.as_deref(), Some("/sign-in?ok=password-reset"));
        assert!(sign_in(&t, NEW).await.is_some());
        assert_eq!(t.get("/", &t.admin).await.status, StatusCode::SEE_OTHER, "sessions ended with the reset");
        let again = t
            .post(
                "/reset-password",
                "",
                &[("token", &token), ("new", "yet another passphrase"), ("confirm", "yet another passphrase")],
            )
            .await;
        assert_eq!(again.status, StatusCode::GONE);
        assert!(again.body.contains("id=\"reset-invalid\""));
        assert!(sign_in(&t, NEW).await.is_some(), "the second use changed nothing");
        assert_eq!(t.get("/reset-password?token=made-up", "").await.status, StatusCode::GONE);

        // At most three links an hour per account, however often one asks.
        for _ in 0..5 {
            t.post("/forgot-password", "", &[("org", "acme"), ("email", "admin@acme.test")]).await;
        }
        assert_eq!(mails(&t).await.len(), 2, "three in the hour, the first included");
    }

    #[tokio::test]
    async fn the_sign_in_page_links_to_the_reset() {
        let t = TestApp::new().await;
        assert!(t.get("/sign-in", "").await.body.contains("href=\"/forgot-password\""));
        assert!(t.get("/", &t.admin).await.body.contains("href=\"/account/password\""));
    }
}
