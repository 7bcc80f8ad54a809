//! Who is looking at a page, in which language, and rendering it.

/// Percent-encodes a query value (see [`crate::encode`]).
pub use crate::encode::query as encode;

use super::{WebError, WebResult};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use minijinja::{context, Value};
use rapport_core::lang::Lang;
use rapport_core::notification::UNREAD_SHOWN_MAX;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::Store;
use std::collections::{BTreeMap, HashMap};

/// The cookie remembering the language of a visitor who is not signed in
/// (and of a signed-in one, as a fallback).
pub const LANG_COOKIE: &str = "lang";

/// Success notes a redirect may ask for with `?ok=KEY`; anything else is
/// ignored, so a link cannot put arbitrary text on a page.
pub(super) const FLASHES: [&str; 20] = [
    "saved",
    "test-sent",
    "redelivered",
    "invited",
    "withdrawn",
    "revoked",
    "welcome",
    "password-changed",
    "password-reset",
    "deleted",
    "created",
    "handed-over",
    "deactivated",
    "reactivated",
    "published",
    "added",
    "removed",
    "erased",
    "recognised",
    "refit",
];

/// The visitor of any web route: resolved once per request by the web layer.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub principal: Option<Principal>,
    pub lang: Lang,
    /// The current path and query (without `lang` and `ok`), to come back to.
    pub here: String,
    pub flash: Option<&'static str>,
    /// Unread notifications of a signed-in account, on pages (GET).
    pub unread: Option<i64>,
}

/// The page language: `?lang=`, else the signed-in user's setting, else the
/// `lang` cookie, else `Accept-Language`, else English.
pub fn resolve_lang(query: Option<&str>, user: Option<Lang>, cookie: Option<&str>, accept: Option<&str>) -> Lang {
    query
        .and_then(Lang::parse)
        .or(user)
        .or_else(|| cookie.and_then(Lang::parse))
        .or_else(|| accept.and_then(Lang::from_accept_language))
        .unwrap_or_default()
}

/// A redirect target from user input: a local path ("/…", not "//…" nor
/// "/\…", which browsers read as another host), else "/".
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control()) =>
        {
            n
        }
        _ => "/",
    }
}

impl Viewer {
    pub async fn resolve(parts: &Parts, state: &AppState) -> Result<Viewer, AppError> {
        let principal = if parts.uri.path().starts_with("/assets/") {
            None
        } else {
            match Principal::from_parts(parts, state).await {
                Ok(p) => p,
                // A stale or foreign bearer token on a page: treat as signed out.
                Err(AppError::Unauthorized) => None,
                Err(e) => return Err(e),
            }
        };
        let mut v = Viewer::anonymous(parts);
        v.lang = lang_of(parts, principal.as_ref().and_then(Principal::language));
        if let (Some(user), true) = (principal.as_ref().and_then(|p| p.user.as_ref()), parts.method == Method::GET) {
            let org = principal.as_ref().map_or(0, |p| p.org.id);
            v.unread = Some(state.store.unread_notifications(org, user.id, UNREAD_SHOWN_MAX + 1).await?);
        }
        v.principal = principal;
        Ok(v)
    }

    /// The viewer as far as the request alone tells, without the database.
    pub fn anonymous(parts: &Parts) -> Viewer {
        let query: HashMap<String, String> = Query::try_from_uri(&parts.uri).map(|Query(q)| q).unwrap_or_default();
        let flash = query.get("ok").and_then(|k| FLASHES.iter().copied().find(|f| f == k));
        Viewer { principal: None, lang: lang_of(parts, None), here: here(parts), flash, unread: None }
    }
}

fn lang_of(parts: &Parts, user: Option<Lang>) -> Lang {
    let query: HashMap<String, String> = Query::try_from_uri(&parts.uri).map(|Query(q)| q).unwrap_or_default();
    let jar = CookieJar::from_headers(&parts.headers);
    let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    resolve_lang(query.get("lang").map(String::as_str), user, jar.get(LANG_COOKIE).map(|c| c.value()), accept)
}

/// Path and query, minus the parameters that only make sense once.
fn here(parts: &Parts) -> String {
    let path = parts.uri.path();
    let kept: Vec<&str> = parts
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty())
        .filter(|kv| {
            let k = kv.split('=').next().unwrap_or("");
            k != "lang" && k != "ok"
        })
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn viewer_of(parts: &Parts) -> Viewer {
    parts.extensions.get::<Viewer>().cloned().unwrap_or_else(|| Viewer::anonymous(parts))
}

/// A page anyone may see (the sign-in page).
pub struct Public {
    pub state: AppState,
    pub viewer: Viewer,
}

impl FromRequestParts<AppState> for Public {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Public { state: state.clone(), viewer: viewer_of(parts) })
    }
}

impl Public {
    pub fn render(&self, status: StatusCode, template: &str, ctx: Value) -> WebResult {
        render(&self.state, &self.viewer, status, template, ctx)
    }
}

/// A page for signed-in users; anyone else is sent to the sign-in page and
/// comes back here afterwards.
pub struct Page {
    pub state: AppState,
    pub viewer: Viewer,
    pub p: Principal,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let viewer = viewer_of(parts);
        match viewer.principal.clone() {
            Some(p) => Ok(Page { state: state.clone(), viewer, p }),
            None => {
                // A form posted after the session ended cannot be replayed:
                // come back to the home page then.
                let next = if parts.method == axum::http::Method::GET { viewer.here.as_str() } else { "/" };
                Err(Redirect::to(&format!("/sign-in?next={}", encode(next))).into_response())
            }
        }
    }
}

impl Page {
    pub fn require(&self, p: Permission) -> Result<(), WebError> {
        Ok(self.p.require(p)?)
    }

    pub fn org(&self) -> Id {
        self.p.org.id
    }

    pub fn store(&self) -> &dyn Store {
        self.state.store.as_ref()
    }

    /// Where dashboards, reports and exports read: the read replica (which
    /// may lag the primary) or, without one, the primary. Never write here.
    pub fn read_store(&self) -> &dyn Store {
        self.state.reads()
    }

    pub fn lang(&self) -> Lang {
        self.viewer.lang
    }

    pub fn t(&self, key: &str) -> String {
        self.state.i18n.t(self.viewer.lang, key, &[])
    }

    pub fn render(&self, template: &str, ctx: Value) -> WebResult {
        render(&self.state, &self.viewer, StatusCode::OK, template, ctx)
    }

    pub fn render_status(&self, status: StatusCode, template: &str, ctx: Value) -> WebResult {
        render(&self.state, &self.viewer, status, template, ctx)
    }

    /// Field errors in the page language, by field.
    pub fn errors(&self, e: &FieldErrors) -> BTreeMap<String, String> {
        translate_errors(&self.state, self.viewer.lang, e)
    }
}

pub fn translate_errors(state: &AppState, lang: Lang, e: &FieldErrors) -> BTreeMap<String, String> {
    e.0.iter()
        .map(|(field, err)| {
            let key = format!("error-{}", err.code);
            let key = if state.i18n.has(Lang::En, &key) { key } else { "error-invalid".to_string() };
            // A template's unknown placeholder is named in the message (`{{x}}`).
            let name = err.message.find("{{").and_then(|i| {
                let rest = &err.message[i..];
                rest.find("}}").map(|j| rest[..j + 2].to_string())
            });
            (field.clone(), state.i18n.t(lang, &key, &[("name", name.unwrap_or_default().into())]))
        })
        .collect()
}

/// What every template may use: the language, the path to come back to,
/// the organization, the user and what their role allows.
fn base(viewer: &Viewer) -> Value {
    let p = viewer.principal.as_ref();
    let can = |perm| p.is_some_and(|p| p.can(perm));
    context! {
        lang => viewer.lang.code(),
        css_version => super::assets::css_version(),
        notifications_js_version => super::assets::notifications_js_version(),
        nav_js_version => super::assets::nav_js_version(),
        here => &viewer.here,
        menu => super::nav::menu(&viewer.here),
        flash => viewer.flash,
        unread => viewer.unread,
        unread_max => UNREAD_SHOWN_MAX,
        org => p.map(|p| context! { name => &p.org.name, slug => &p.org.slug }),
        user => p.map(|p| &p.actor),
        role => p.map(|p| p.role.as_str()),
        can_plan => can(Permission::EditPlan),
        can_journey => can(Permission::EditJourney),
        can_people => can(Permission::ManagePeople),
        can_admin => can(Permission::ManageAccounts),
    }
}

pub fn render(state: &AppState, viewer: &Viewer, status: StatusCode, template: &str, ctx: Value) -> WebResult {
    let ctx = minijinja::value::merge_maps([base(viewer), ctx]);
    let html = state
        .templates
        .get_template(template)
        .and_then(|t| t.render(ctx))
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// The translated page for an error status.
pub fn error_page(state: &AppState, viewer: &Viewer, status: StatusCode) -> Response {
    let kind = match status.as_u16() {
        401 | 403 | 404 | 409 | 422 | 503 => status.as_u16().to_string(),
        s if s >= 500 => "500".to_string(),
        _ => "400".to_string(),
    };
    let ctx = context! { status => status.as_u16(), kind => kind };
    match render(state, viewer, status, "error.html", ctx) {
        Ok(r) => r,
        Err(WebError(e)) => {
            e.log();
            (status, status.canonical_reason().unwrap_or("error")).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_resolution_order() {
        let es = Some(Lang::Es);
        // 1. ?lang= wins over everything.
        assert_eq!(resolve_lang(Some("es"), Some(Lang::En), Some("en"), Some("en")), Lang::Es);
        assert_eq!(resolve_lang(Some("en-GB"), es, Some("es"), Some("es")), Lang::En);
        // An unsupported ?lang= is ignored.
        assert_eq!(resolve_lang(Some("fr"), es, None, None), Lang::Es);
        // 2. The user's setting beats the cookie and the browser.
        assert_eq!(resolve_lang(None, es, Some("en"), Some("en")), Lang::Es);
        assert_eq!(resolve_lang(None, Some(Lang::En), Some("es"), Some("es")), Lang::En);
        // 3. The cookie beats the browser.
        assert_eq!(resolve_lang(None, None, Some("es"), Some("en-US,en")), Lang::Es);
        assert_eq!(resolve_lang(None, None, Some("xx"), Some("es-MX")), Lang::Es);
        // 4. Accept-Language, honouring q-values.
        assert_eq!(resolve_lang(None, None, None, Some("fr, es;q=0.8, en;q=0.5")), Lang::Es);
        // 5. English.
        assert_eq!(resolve_lang(None, None, None, Some("de")), Lang::En);
        assert_eq!(resolve_lang(None, None, None, None), Lang::En);
    }

    #[test]
    fn next_must_be_a_local_path() {
        assert_eq!(safe_next(Some("/people/3?x=1")), "/people/3?x=1");
        assert_eq!(safe_next(Some("/")), "/");
        for bad in ["//evil.example/x", "/\\evil.example", "https://evil.example/", "evil", "", "/a\r\nSet-Cookie: x=1"]
        {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn here_drops_one_shot_parameters() {
        let parts = |uri: &str| axum::http::Request::builder().uri(uri).body(()).unwrap().into_parts().0;
        assert_eq!(here(&parts("/journey?experience=2&lang=es")), "/journey?experience=2");
        assert_eq!(here(&parts("/people?ok=saved")), "/people");
        assert_eq!(here(&parts("/")), "/");
        assert_eq!(encode("/journey?experience=2"), "/journey%3Fexperience%3D2");
    }

    #[test]
    fn flash_is_whitelisted() {
        let parts = |uri: &str| axum::http::Request::builder().uri(uri).body(()).unwrap().into_parts().0;
        assert_eq!(Viewer::anonymous(&parts("/?ok=saved")).flash, Some("saved"));
        assert_eq!(Viewer::anonymous(&parts("/?ok=%3Cscript%3E")).flash, None);
    }
}
