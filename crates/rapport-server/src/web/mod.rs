//! The server-rendered web UI: plain HTML forms, no JavaScript needed, in
//! English and Spanish.
//!
//! Policy:
//! - one small module per page area; handlers take [`Page`] (signed in,
//!   redirected to the sign-in page otherwise) or [`Public`], name their
//!   permission with `page.require(..)` before touching data, and answer
//!   with a rendered template or a redirect (POST-redirect-GET);
//! - a failed form is rendered again with the user's input and translated
//!   field errors, with the status `AppError::status()` gives, and nothing
//!   written;
//! - errors become translated error pages in [`layer`], which also resolves
//!   the language and the principal once per request and refuses
//!   cross-site form posts.

mod account;
mod admin;
mod answers;
mod assets;
pub(crate) mod cases;
pub mod charts;
mod coverage;
#[cfg(test)]
mod csv_links_tests;
mod ctx;
pub(crate) mod customers;
pub(crate) mod dashboard;
mod experiences;
mod feedback;
mod form;
pub(crate) mod format;
mod home;
#[cfg(test)]
mod home_tests;
mod improve;
mod intent;
mod invitation;
mod journey;
mod language;
mod listen;
mod listening;
mod measure;
mod nav;
mod notifications;
mod people;
pub(crate) mod plan;
mod review;
mod segments;
mod sign_in;
mod survey_public;
mod survey_results;
pub(crate) mod surveys;
pub mod templates;
#[cfg(test)]
pub(crate) mod test_support;
mod touchpoints;
mod view;

pub use ctx::{resolve_lang, safe_next, Page, Public, Viewer};

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;

/// What a web handler answers.
pub type WebResult = Result<Response, WebError>;

/// An [`AppError`] met by a web handler; [`layer`] turns it into an HTML
/// error page in the page's language.
#[derive(Debug)]
pub struct WebError(pub AppError);

impl<E: Into<AppError>> From<E> for WebError {
    fn from(e: E) -> Self {
        WebError(e.into())
    }
}

/// Marks a response whose body is to be replaced by the error page.
#[derive(Debug, Clone, Copy)]
struct ErrorPage;

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.0.log();
        let mut resp = self.0.status().into_response();
        resp.extensions_mut().insert(ErrorPage);
        resp
    }
}

/// A path parameter; one that does not parse cannot name a row, so it is
/// answered as not found.
pub struct WebPath<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> axum::extract::FromRequestParts<S> for WebPath<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| WebPath(v))
            .map_err(|_| WebError(AppError::NotFound))
    }
}

/// `Option<WebPath<_>>`: `None` on a route without path parameters, so one
/// handler can serve both the collection (create) and the item (update).
impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for WebPath<T> {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        use axum::extract::rejection::RawPathParamsRejection;
        use axum::extract::{FromRequestParts, RawPathParams};
        match RawPathParams::from_request_parts(parts, state).await {
            Err(RawPathParamsRejection::MissingPathParams(_)) => Ok(None),
            Ok(params) if params.iter().next().is_none() => Ok(None),
            Ok(_) => <WebPath<T> as FromRequestParts<S>>::from_request_parts(parts, state).await.map(Some),
            Err(_) => Err(WebError(AppError::NotFound)),
        }
    }
}

/// A 303 to `to`, the answer to a successful form post.
pub fn see_other(to: &str) -> WebResult {
    Ok(Redirect::to(to).into_response())
}

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .merge(assets::routes())
        .merge(sign_in::routes())
        .merge(account::routes())
        .merge(language::routes())
        .merge(home::routes())
        .merge(people::routes())
        .merge(segments::routes())
        .merge(experiences::routes())
        .merge(plan::routes())
        .merge(journey::routes())
        .merge(touchpoints::routes())
        .merge(coverage::routes())
        .merge(dashboard::routes())
        .merge(intent::routes())
        .merge(survey_public::routes())
        .merge(customers::routes())
        .merge(feedback::routes())
        .merge(cases::routes())
        .merge(improve::routes())
        .merge(listening::routes())
        .merge(listen::routes())
        .merge(surveys::routes())
        .merge(survey_results::routes())
        .merge(measure::routes())
        .merge(review::routes())
        .merge(admin::routes())
        .merge(invitation::routes())
        .merge(notifications::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state, layer))
}

/// Unknown paths: an HTML page, except under `/api/`, where clients expect
/// the JSON error shape.
async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        return AppError::NotFound.into_response();
    }
    WebError(AppError::NotFound).into_response()
}

/// Runs around every web route: refuses cross-site posts, resolves who is
/// asking and in which language, and renders error pages.
async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let viewer = match Viewer::resolve(&parts, &state).await {
        Ok(v) => v,
        Err(e) => {
            e.log();
            let v = Viewer::anonymous(&parts);
            return ctx::error_page(&state, &v, e.status());
        }
    };
    if is_cross_site_post(&parts) {
        return ctx::error_page(&state, &viewer, StatusCode::FORBIDDEN);
    }
    parts.extensions.insert(viewer.clone());
    if let Some(p) = &viewer.principal {
        parts.extensions.insert(p.clone());
    }
    let resp = next.run(Request::from_parts(parts, body)).await;
    let status = resp.status();
    let plain = !resp.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        let v = v.to_str().unwrap_or("");
        v.starts_with("text/html") || v.starts_with("application/json")
    });
    if resp.extensions().get::<ErrorPage>().is_some() || (status.is_client_error() || status.is_server_error()) && plain
    {
        return ctx::error_page(&state, &viewer, status);
    }
    resp
}

/// A state-changing request whose `Origin` (or, without it,
/// `Sec-Fetch-Site`) names another site. Browsers send one of them on every
/// cross-site POST, so this (with SameSite=Lax cookies) stops cross-site
/// request forgery without tokens in forms. The API shares the check
/// (`auth::origin`).
fn is_cross_site_post(parts: &axum::http::request::Parts) -> bool {
    crate::auth::origin::is_cross_site_write(&parts.method, &parts.uri, &parts.headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{Method, Request as HttpRequest};

    fn parts(method: Method, origin: Option<&str>, host: &str) -> axum::http::request::Parts {
        let mut b = HttpRequest::builder().method(method).uri("/people").header(header::HOST, host);
        if let Some(o) = origin {
            b = b.header(header::ORIGIN, o);
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn cross_site_posts_are_refused() {
        assert!(!is_cross_site_post(&parts(Method::POST, None, "rapport.example")));
        assert!(!is_cross_site_post(&parts(Method::POST, Some("https://rapport.example"), "rapport.example")));
        assert!(!is_cross_site_post(&parts(Method::POST, Some("http://127.0.0.1:8080"), "127.0.0.1:8080")));
        assert!(is_cross_site_post(&parts(Method::POST, Some("https://evil.example"), "rapport.example")));
        assert!(is_cross_site_post(&parts(Method::POST, Some("null"), "rapport.example")));
        assert!(is_cross_site_post(&parts(Method::POST, Some("http://127.0.0.1:9999"), "127.0.0.1:8080")));
        assert!(!is_cross_site_post(&parts(Method::GET, Some("https://evil.example"), "rapport.example")));
    }
}

#[cfg(test)]
mod page_tests {
    use super::test_support::{in_lang, TestApp};
    use axum::http::StatusCode;

    /// Every main page renders for a signed-in admin, in English and in
    /// Spanish, with the page's language on `<html>`.
    #[tokio::test]
    async fn main_pages_render_in_both_languages() {
        let t = TestApp::new().await;
        let i = t.ids;
        let pages: Vec<(String, &str)> = vec![
            ("/".into(), "Declaración de intención"),
            ("/people".into(), "Añadir persona"),
            (format!("/people/{}", i.ana), "Traspasar"),
            ("/people/new".into(), "Fecha de incorporación"),
            (format!("/people/{}/edit", i.ben), "Puesto"),
            ("/segments".into(), "Clientes que cumplen"),
            ("/segments/new".into(), "Los clientes deben cumplir"),
            (format!("/segments/{}/edit", i.segment), "todas las condiciones"),
            ("/experiences".into(), "Nueva experiencia"),
            (format!("/experiences/{}", i.experience), "Interacciones clave"),
            ("/experiences/new".into(), "Quién es el cliente"),
            (format!("/experiences/{}/edit", i.experience), "Tasa de recompra"),
            (format!("/experiences/{}/plan", i.experience), "Imprimir"),
            ("/journey".into(), "Mapa del recorrido"),
            (format!("/journey?experience={}", i.experience), "Recorrido diseñado de First purchase"),
            ("/journey/stages".into(), "Añadir etapa"),
            ("/touchpoints/new".into(), "Importancia por segmento"),
            (format!("/touchpoints/{}/edit", i.touchpoint), "Sitio web"),
            ("/coverage".into(), "Puntos de contacto con responsable"),
            ("/intent".into(), "Historial de versiones"),
            ("/surveys".into(), "Nueva encuesta"),
            ("/surveys/new".into(), "Añadir más filas"),
            ("/surveys/import".into(), "Importar una encuesta"),
            ("/listening".into(), "Puestos de escucha"),
            ("/listening/new".into(), "Gobernado por"),
            ("/customers".into(), "Id externo"),
            ("/cases".into(), "Todos los casos abiertos"),
            ("/cases/rules".into(), "Calendario laboral"),
            ("/root-causes".into(), "Lo que sigue fallando"),
            ("/ideas".into(), "Proponer una idea"),
            ("/sprints".into(), "Iniciar un sprint"),
            ("/announcements".into(), "Cada cambio en lo que entregas"),
            ("/comms".into(), "Plan de comunicación"),
            ("/engagement".into(), "Por departamento"),
            ("/admin".into(), "Cuentas e invitaciones"),
            ("/admin/accounts".into(), "Invitar a una persona"),
            ("/admin/tokens".into(), "Nuevo token"),
            ("/admin/webhooks".into(), "Nuevo webhook"),
            ("/admin/settings".into(), "Zona horaria"),
            ("/admin/audit".into(), "Descargar CSV"),
            ("/notifications".into(), "Elegir qué le llega"),
            ("/notifications/settings".into(), "Comentario en su idea"),
        ];
        for (path, spanish) in &pages {
            let en = t.get(path, &t.admin).await;
            assert_eq!(en.status, StatusCode::OK, "{path} (en)");
            assert!(en.body.contains("<html lang=\"en\">"), "{path} (en)");
            assert!(en.body.contains("id=\"page-title\""), "{path} has no page title");
            assert!(en.body.contains("Sign out"), "{path} (en)");
            let es = t.get(path, &in_lang(&t.admin, "es")).await;
            assert_eq!(es.status, StatusCode::OK, "{path} (es)");
            assert!(es.body.contains("<html lang=\"es\">"), "{path} (es)");
            assert!(es.body.contains(spanish), "{path} (es) lacks {spanish:?}:\n{}", es.body);
            assert!(es.body.contains("Cerrar sesión"), "{path} (es)");
            for id in [
                "nav-home",
                "nav-journey",
                "nav-intent",
                "nav-surveys",
                "nav-listening",
                "nav-customers",
                "nav-cases",
                "nav-ideas",
                "nav-sprints",
                "nav-announcements",
                "lang-en",
                "lang-es",
                "sign-out",
                "nav-menu-toggle",
            ] {
                assert!(es.body.contains(&format!("id=\"{id}\"")), "{path} lacks #{id}");
            }
        }
    }

    #[tokio::test]
    async fn errors_are_translated_pages_with_their_status() {
        let t = TestApp::new().await;
        let r = t.get("/no-such-page?lang=es", &t.admin).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.contains("Página no encontrada"), "{}", r.body);
        let r = t.get("/people/999999", &t.admin).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.contains("Page not found"));
        let r = t.get("/people/not-a-number", &t.admin).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Signed-out visitors of an unknown page see it too (no redirect loop).
        let r = t.get("/nope", "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // The API keeps its JSON errors.
        let r = t.get("/api/v1/no-such-thing", &t.admin).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.starts_with('{'), "{}", r.body);
        // A role without the permission: 403 page, translated.
        let r = t.get("/people/new?lang=es", &t.viewer).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains("No tiene acceso"), "{}", r.body);
        let r = t.post("/people", &t.viewer, &[("name", "X"), ("email", "x@y.co")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }

    #[tokio::test]
    async fn readers_see_no_edit_buttons() {
        let t = TestApp::new().await;
        let admin = t.get("/people", &t.admin).await.body;
        let viewer = t.get("/people", &t.viewer).await.body;
        assert!(admin.contains("id=\"person-new\""));
        assert!(!viewer.contains("id=\"person-new\""));
        let map = t.get("/journey", &t.viewer).await.body;
        assert!(!map.contains("/touchpoints/new"), "no add links for readers");
        assert!(!map.contains("/edit\""), "no edit links for readers");
    }

    #[tokio::test]
    async fn cross_site_posts_get_403() {
        let t = TestApp::new().await;
        let req = axum::http::Request::post("/language")
            .header("host", "rapport.test")
            .header("origin", "https://evil.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &t.admin)
            .body(axum::body::Body::from("lang=es&next=/"))
            .unwrap();
        let r = t.send(req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.set_cookie.is_empty());
    }

    #[tokio::test]
    async fn assets_are_served_with_a_cache_header() {
        let t = TestApp::new().await;
        let req = axum::http::Request::get("/assets/app.css").body(axum::body::Body::empty()).unwrap();
        let resp = tower::ServiceExt::oneshot(t.app.clone(), req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(resp.headers()["cache-control"].to_str().unwrap().contains("max-age"));
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    }
}
