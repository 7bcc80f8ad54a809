//! The language switcher every page carries.

use super::ctx::{safe_next, Public, LANG_COOKIE};
use super::form::FormData;
use super::WebResult;
use crate::auth::Via;
use crate::state::AppState;
use axum::response::{IntoResponse, Redirect};
use axum::routing::post;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use rapport_core::lang::Lang;

pub fn routes() -> Router<AppState> {
    Router::new().route("/language", post(switch))
}

/// Remembers the choice (on the account when signed in, in a cookie always)
/// and goes back to the page it was made on.
async fn switch(page: Public, jar: CookieJar, form: FormData) -> WebResult {
    let next = safe_next(form.get("next")).to_string();
    let Some(lang) = form.get("lang").and_then(Lang::parse) else {
        return Ok(Redirect::to(&next).into_response());
    };
    if let Some(p) = page.viewer.principal.as_ref().filter(|p| p.via == Via::Session) {
        if let Some(user) = &p.user {
            page.state.store.set_user_language(p.org.id, user.id, Some(lang)).await?;
        }
    }
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(page.state.config.secure_cookies)
        .permanent()
        .build();
    Ok((jar.add(cookie), Redirect::to(&next)).into_response())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::TestApp;
    use axum::http::StatusCode;

    #[tokio::test]
    async fn switching_sets_a_cookie_and_the_users_setting() {
        let t = TestApp::new().await;
        let r = t.post("/language", &t.admin, &[("lang", "es"), ("next", "/people?x=1")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location.as_deref(), Some("/people?x=1"));
        assert!(r.set_cookie.iter().any(|c| c.starts_with("lang=es")), "{:?}", r.set_cookie);
        // Stored on the account: Spanish even without the cookie and with an
        // English browser.
        let req = axum::http::Request::get("/people")
            .header("cookie", &t.admin)
            .header("accept-language", "en-US,en")
            .body(axum::body::Body::empty())
            .unwrap();
        let page = t.send(req).await;
        assert!(page.body.contains("<html lang=\"es\">"));
        // ?lang= still wins for one page.
        assert!(t.get("/people?lang=en", &t.admin).await.body.contains("<html lang=\"en\">"));
    }

    #[tokio::test]
    async fn signed_out_visitors_get_the_cookie_and_a_safe_redirect() {
        let t = TestApp::new().await;
        let r = t.post("/language", "", &[("lang", "es"), ("next", "//evil.example")]).await;
        assert_eq!(r.location.as_deref(), Some("/"));
        assert!(r.set_cookie.iter().any(|c| c.starts_with("lang=es")));
        let page = t.get("/sign-in", "lang=es").await;
        assert!(page.body.contains("<html lang=\"es\">") && page.body.contains("Iniciar sesión"));
        let browser = axum::http::Request::get("/sign-in")
            .header("accept-language", "es-MX,es;q=0.9")
            .body(axum::body::Body::empty())
            .unwrap();
        assert!(t.send(browser).await.body.contains("<html lang=\"es\">"));
    }
}
