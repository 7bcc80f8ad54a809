//! Signing in and out.
//!
//! Password attempts are throttled per account and client address
//! (`auth::throttle`): past the budget the page answers 429 with
//! `Retry-After` and says how long to wait, without checking the password.
//!
//! With a single organization, the page speaks its default language
//! (its settings) to a visitor who asked for none Rapport speaks.

use super::ctx::{safe_next, Public, LANG_COOKIE};
use super::form::FormData;
use super::{see_other, WebResult};
use crate::auth::client::ClientIp;
use crate::auth::session::{self, SignIn};
use crate::auth::throttle::SignInThrottle;
use crate::state::AppState;
use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Extension, Router};
use axum_extra::extract::CookieJar;
use minijinja::context;
use rapport_core::lang::Lang;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(show).post(submit))
        .route("/sign-out", post(sign_out))
        // One throttle per server process (see `auth::throttle`).
        .layer(Extension(Arc::new(SignInThrottle::default())))
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
    lang: Option<String>,
}

/// Whether the visitor asked for a language Rapport speaks: `?lang=`, the
/// language cookie or the browser's `Accept-Language`.
fn asked_for_language(q: &Next, jar: &CookieJar, headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    q.lang.as_deref().and_then(Lang::parse).is_some()
        || jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())).is_some()
        || accept.and_then(Lang::from_accept_language).is_some()
}

async fn show(mut page: Public, Query(q): Query<Next>, jar: CookieJar, headers: HeaderMap) -> WebResult {
    let next = safe_next(q.next.as_deref()).to_string();
    if page.viewer.principal.is_some() {
        return see_other(&next);
    }
    // With a single organization there is nothing to choose.
    let orgs = page.state.store.list_orgs().await?;
    let org = match orgs.as_slice() {
        [only] => only.slug.clone(),
        _ => String::new(),
    };
    if let [only] = orgs.as_slice() {
        if !asked_for_language(&q, &jar, &headers) {
            page.viewer.lang = page.state.store.org_settings(only.id).await?.default_language;
        }
    }
    render(&page, StatusCode::OK, &org, "", &next, Outcome::Form)
}

/// What the sign-in page says above the form.
enum Outcome {
    Form,
    Failed,
    Throttled(Duration),
}

fn render(page: &Public, status: StatusCode, org: &str, email: &str, next: &str, outcome: Outcome) -> WebResult {
    let demo = page.state.config.demo_hint.as_ref().map(|d| {
        context! { org => &d.org, email => &d.email, password => &d.password }
    });
    // Whole minutes, rounded up: "wait 0 minutes" would be wrong.
    let wait_minutes = match outcome {
        Outcome::Throttled(wait) => Some(wait.as_secs().div_ceil(60).max(1)),
        _ => None,
    };
    page.render(
        status,
        "sign_in.html",
        context! {
            org_slug => org, email => email, next => next, demo => demo,
            failed => matches!(outcome, Outcome::Failed), wait_minutes => wait_minutes,
        },
    )
}

async fn submit(
    page: Public,
    client: ClientIp,
    Extension(throttle): Extension<Arc<SignInThrottle>>,
    jar: CookieJar,
    form: FormData,
) -> WebResult {
    let org = form.get("org").unwrap_or("").trim().to_string();
    let email = form.get("email").unwrap_or("").trim().to_string();
    let password = form.get("password").unwrap_or("");
    let next = safe_next(form.get("next")).to_string();
    match session::sign_in(&page.state, &throttle, client, &org, &email, password).await? {
        SignIn::Accepted(org, user) => {
            let cookie = session::start(&page.state, &org, &user).await?;
            Ok((jar.add(cookie), Redirect::to(&next)).into_response())
        }
        // One message whatever was wrong: nothing about which part.
        SignIn::Refused => render(&page, StatusCode::UNAUTHORIZED, &org, &email, &next, Outcome::Failed),
        SignIn::Throttled(wait) => {
            let mut resp = render(&page, StatusCode::TOO_MANY_REQUESTS, &org, &email, &next, Outcome::Throttled(wait))?;
            let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            Ok(resp)
        }
    }
}

async fn sign_out(page: Public, jar: CookieJar) -> WebResult {
    let removal = session::end(&page.state, jar.get(session::COOKIE)).await?;
    Ok((jar.add(removal), Redirect::to("/sign-in")).into_response())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{TestApp, PASSWORD};
    use crate::state::{Config, DemoHint};
    use axum::http::StatusCode;

    #[tokio::test]
    async fn signed_out_visitors_are_sent_to_sign_in_and_back() {
        let t = TestApp::new().await;
        let r = t.get("/journey?experience=1", "").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location.as_deref(), Some("/sign-in?next=/journey%3Fexperience%3D1"));
        let form = t.get("/sign-in?next=/journey%3Fexperience%3D1", "").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("value=\"acme\""), "the only organization is prefilled");
        assert!(form.body.contains("id=\"sign-in-submit\""));
        assert!(form.body.contains("id=\"lang-es\""), "the switcher is on the sign-in page too");
        assert!(form.body.contains("journey?experience=1\""), "next is kept in the form");

        let ok = t
            .post(
                "/sign-in",
                "",
                &[
                    ("org", "acme"),
                    ("email", "ADMIN@acme.test"),
                    ("password", PASSWORD),
                    ("next", "/journey?experience=1"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(ok.location.as_deref(), Some("/journey?experience=1"));
        let cookie = ok.set_cookie.iter().find(|c| c.starts_with("rapport_session=")).expect("session cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let session = cookie.split(';').next().unwrap();
        assert_eq!(t.get("/", session).await.status, StatusCode::OK);

        // Signing out ends the session.
        let out = t.post("/sign-out", session, &[]).await;
        assert_eq!(out.location.as_deref(), Some("/sign-in"));
        assert_eq!(t.get("/", session).await.status, StatusCode::SEE_OTHER);
    }

    #[tokio::test]
    async fn wrong_credentials_get_one_generic_message() {
        let t = TestApp::new().await;
        let mut bodies = Vec::new();
        for (org, email, pass) in [
            ("acme", "admin@acme.test", "wrong password"),
            ("acme", "nobody@acme.test", PASSWORD),
            ("nope", "admin@acme.test", PASSWORD),
        ] {
            let r = t.post("/sign-in?lang=es", "", &[("org", org), ("email", email), ("password", pass)]).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            assert!(r.set_cookie.is_empty());
            assert!(r.body.contains("Los datos no corresponden a ninguna cuenta"), "{}", r.body);
            assert!(!r.body.contains(pass), "the password is never echoed");
            // The same page but for the echoed organization and e-mail.
            let without_values: Vec<&str> =
                r.body.split("value=\"").map(|p| p.split_once('"').map_or(p, |x| x.1)).collect();
            bodies.push(without_values.concat());
        }
        assert!(bodies.windows(2).all(|w| w[0] == w[1]), "nothing tells the cases apart");
    }

    #[tokio::test]
    async fn next_is_only_ever_a_local_path() {
        let t = TestApp::new().await;
        for evil in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
            let r = t
                .post(
                    "/sign-in",
                    "",
                    &[("org", "acme"), ("email", "admin@acme.test"), ("password", PASSWORD), ("next", evil)],
                )
                .await;
            assert_eq!(r.location.as_deref(), Some("/"), "{evil}");
        }
    }

    #[tokio::test]
    async fn demo_servers_show_the_credentials() {
        let hint = DemoHint { org: "demo".into(), email: "leader@demo.test".into(), password: "demo-pass-123".into() };
        let t = TestApp::with_config(Config { demo_hint: Some(hint), ..Config::default() }).await;
        let r = t.get("/sign-in", "").await;
        assert!(r.body.contains("id=\"demo-hint\"") && r.body.contains("demo-pass-123"));
        let plain = TestApp::new().await.get("/sign-in", "").await;
        assert!(!plain.body.contains("demo-hint"));
    }
}
