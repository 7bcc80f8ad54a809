//! Public survey pages (B2): `/s/{token}`, answered without signing in and
//! without JavaScript, on a phone as well as a desktop.
//!
//! Policy:
//! - only a published survey is shown; a draft or unknown token is 404, a
//!   closed one a translated "closed" page;
//! - a personal link (`c`, `e`, `sig`) is verified before anything else; a
//!   tampered or expired one answers 400 and stores nothing;
//! - skip logic without scripts: the form shows the questions visible given
//!   the answers so far; a post that makes more questions visible is shown
//!   again with them (answers kept) instead of being stored;
//! - a response goes through [`crate::ingest`] like every other, with the
//!   idempotency key `web:{survey}:{nonce}`, so a form posted twice is stored
//!   once;
//! - posts are rate limited per client address and survey (the address
//!   behind trusted proxies: `auth::client`), so that one busy survey, or
//!   one client, blocks no other survey;
//! - the page speaks the link's language (`?lang=`), else the browser's,
//!   else the organization's default language (its settings), and shows
//!   the organization's logo and accent colour (`web/admin/settings`);
//! - `?embed=1` shows the page without its header, for an `<iframe>` on
//!   another site: the only survey pages any site may frame (`frame-ancestors
//!   *`); every other page refuses framing;
//! - the builder's preview ([`preview`]) renders a survey, saved or being
//!   written, with this same code; its form posts nowhere, and only
//!   Rapport's own pages may frame it.

mod answers;
mod view;

use super::ctx::{encode, render, Viewer};
use super::form::FormData;
use super::{WebError, WebPath, WebResult};
use crate::auth::client::ClientIp;
use crate::auth::link::{self, LinkError};
use crate::auth::secret;
use crate::error::AppError;
use crate::state::AppState;
use answers::answers_of;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::{Extension, Router};
use chrono::Utc;
use minijinja::{context, Value};
use rapport_core::feedback::ResponseDraft;
use rapport_core::lang::Lang;
use rapport_core::org::Organization;
use rapport_core::survey::{is_fatigued, Survey, SurveyStatus};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Serialize;
use serde_json::Map;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use view::form_page;

/// Submissions one client address may make to one survey per minute (at
/// once, then one every three seconds).
pub const POSTS_PER_WINDOW: u32 = 20;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{token}", get(show).post(submit))
        .route("/s/{token}/thanks", get(thanks))
        .layer(Extension(Arc::new(RateLimiter::default())))
}

type Keyed = governor::DefaultKeyedRateLimiter<(IpAddr, Id)>;

/// Posts per client address and survey, in memory (each server process
/// counts its own): governor's keyed GCRA limiter, bounded to
/// [`RateLimiter::MAX_KEYS`] keys.
pub struct RateLimiter {
    limiter: Mutex<Arc<Keyed>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter { limiter: Mutex::new(Arc::new(Self::fresh())) }
    }
}

impl RateLimiter {
    /// Keys kept before the idle ones are dropped (about 100 bytes each).
    pub const MAX_KEYS: usize = 100_000;

    fn fresh() -> Keyed {
        let per_minute = std::num::NonZeroU32::new(POSTS_PER_WINDOW).expect("a positive limit");
        governor::RateLimiter::keyed(governor::Quota::per_minute(per_minute))
    }

    /// Counts one post; `false` when this client is over the limit for
    /// this survey.
    pub fn allow(&self, client: ClientIp, survey: Id) -> bool {
        let limiter = {
            let mut current = self.limiter.lock().unwrap_or_else(|e| e.into_inner());
            if current.len() >= Self::MAX_KEYS {
                // Drop the keys whose budget is full again; if every key is
                // busy (a flood from that many addresses), start afresh
                // rather than grow without bound.
                current.retain_recent();
                current.shrink_to_fit();
                if current.len() >= Self::MAX_KEYS {
                    tracing::warn!(keys = current.len(), "public survey limiter full; its counts start afresh");
                    *current = Arc::new(Self::fresh());
                }
            }
            current.clone()
        };
        limiter.check_key(&(client.limit_key(), survey)).is_ok()
    }
}

/// Who answers, in which language, through which link.
struct Respondent {
    state: AppState,
    viewer: Viewer,
    /// Query pairs as received (to keep on the form's action and the
    /// language links).
    query: Vec<(String, String)>,
    client: ClientIp,
    /// Whether the link or the browser chose the language; if not, the
    /// organization's default applies once the survey is known.
    lang_chosen: bool,
    /// The organization's logo and colour, once the survey is known.
    branding: Option<Branding>,
    /// The survey's id when the builder previews it: nothing is answered.
    preview: Option<Id>,
}

/// What the survey frame shows of the organization's settings.
#[derive(Serialize)]
struct Branding {
    slug: String,
    name: String,
    /// The accent's hex digits (its stylesheet's version), if one is set.
    accent: Option<String>,
    /// The logo's version, if there is one.
    logo: Option<String>,
}

impl FromRequestParts<AppState> for Respondent {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let mut viewer = parts.extensions.get::<Viewer>().cloned().unwrap_or_else(|| Viewer::anonymous(parts));
        let query: Vec<(String, String)> =
            axum::extract::Query::try_from_uri(&parts.uri).map(|axum::extract::Query(q)| q).unwrap_or_default();
        // A respondent's language: the link's, else the browser's; a staff
        // member's own setting does not apply to a customer's page.
        let accept = parts.headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        let q_lang = query.iter().find(|(k, _)| k == "lang").map(|(_, v)| v.as_str());
        viewer.lang = super::resolve_lang(q_lang, None, None, accept);
        let lang_chosen =
            q_lang.and_then(Lang::parse).or_else(|| accept.and_then(Lang::from_accept_language)).is_some();
        viewer.flash = None;
        let client = crate::auth::client::of(parts, &state.config.trusted_proxies);
        Ok(Respondent { state: state.clone(), viewer, query, client, lang_chosen, branding: None, preview: None })
    }
}

#[derive(Serialize)]
struct LangLink {
    code: &'static str,
    href: String,
}

impl Respondent {
    fn lang(&self) -> Lang {
        self.viewer.lang
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The query string with `lang` set to `lang` (or dropped when `None`).
    fn query_with(&self, lang: Option<Lang>) -> String {
        let mut pairs: Vec<String> = self
            .query
            .iter()
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        if let Some(l) = lang {
            pairs.push(format!("lang={}", l.code()));
        }
        pairs.join("&")
    }

    /// Shown inside another site's page (`?embed=1`).
    fn embedded(&self) -> bool {
        self.param("embed") == Some("1")
    }

    fn render(&self, status: StatusCode, template: &str, token: &str, ctx: Value) -> WebResult {
        let href = |l: Lang| match self.preview {
            Some(id) => format!("/surveys/{id}/preview?lang={}", l.code()),
            None => format!("/s/{token}?{}", self.query_with(Some(l))),
        };
        let links: Vec<LangLink> = Lang::ALL.into_iter().map(|l| LangLink { code: l.code(), href: href(l) }).collect();
        let own = context! { lang_links => links, branding => &self.branding, embed => self.embedded(), preview => self.preview.is_some() };
        let ctx = minijinja::value::merge_maps([own, ctx]);
        let mut resp = render(&self.state, &self.viewer, status, template, ctx)?;
        // Framing: any site for an embedded page, Rapport itself for a
        // preview; the server's default (none) otherwise.
        let ancestors = match (self.preview, self.embedded()) {
            (Some(_), _) => Some("frame-ancestors 'self'"),
            (None, true) => Some("frame-ancestors *"),
            (None, false) => None,
        };
        if let Some(a) = ancestors {
            let csp = crate::CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", a);
            let h = resp.headers_mut();
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&csp).map_err(AppError::internal)?);
            if self.preview.is_some() {
                h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
            }
        }
        Ok(resp)
    }

    /// Applies the organization's settings: its default language where
    /// neither the link nor the browser chose one, its logo and colour.
    async fn brand(&mut self, org: &Organization) -> Result<(), AppError> {
        let settings = self.state.store.org_settings(org.id).await?;
        if !self.lang_chosen {
            self.viewer.lang = settings.default_language;
        }
        self.branding = Some(Branding {
            slug: org.slug.clone(),
            name: settings.name,
            accent: settings.accent_colour.map(|a| a.trim_start_matches('#').to_string()),
            logo: settings.logo.map(|l| l.version),
        });
        Ok(())
    }

    /// A page with a heading and a sentence, in the survey's frame.
    fn message(&self, status: StatusCode, token: &str, title: Option<&str>, kind: &str) -> WebResult {
        self.render(status, "survey/message.html", token, context! { kind => kind, survey_title => title })
    }

    /// The verified personal link's customer, `None` for an anonymous link.
    async fn customer(&self, token: &str) -> Result<Result<Option<String>, LinkError>, AppError> {
        let (c, e, sig) = (self.param("c"), self.param("e"), self.param("sig"));
        if c.is_none() && e.is_none() && sig.is_none() {
            return Ok(Ok(None));
        }
        let (Some(c), Some(e), Some(sig)) = (c, e, sig) else { return Ok(Err(LinkError::Tampered)) };
        let secret = link::installation_secret(self.state.store.as_ref()).await?;
        Ok(link::verify(&secret, token, c, e, sig, Utc::now()).map(|l| Some(l.customer)))
    }
}

/// What may be answered at this link: the survey and who answers it, or
/// the page to show instead.
enum Gate {
    Open(Organization, Survey, Option<String>),
    Page(WebResult),
}

async fn gate(r: &mut Respondent, token: &str) -> Result<Gate, WebError> {
    let Some((org, survey)) = r.state.store.survey_by_token(token).await? else {
        return Err(WebError(AppError::NotFound));
    };
    r.brand(&org).await?;
    let title = survey.title.get(r.lang()).to_string();
    match survey.status {
        SurveyStatus::Draft => return Err(WebError(AppError::NotFound)),
        SurveyStatus::Closed => return Ok(Gate::Page(r.message(StatusCode::OK, token, Some(&title), "closed"))),
        SurveyStatus::Published => {}
    }
    let customer = match r.customer(token).await? {
        Ok(c) => c,
        Err(LinkError::Tampered) => {
            return Ok(Gate::Page(r.message(StatusCode::BAD_REQUEST, token, None, "link-invalid")))
        }
        Err(LinkError::Expired) => {
            return Ok(Gate::Page(r.message(StatusCode::BAD_REQUEST, token, None, "link-expired")))
        }
    };
    if let Some(c) = &customer {
        let last = r.state.store.last_response_at(org.id, survey.id, c).await?;
        if is_fatigued(last, Utc::now(), survey.fatigue_days) {
            return Ok(Gate::Page(r.message(StatusCode::OK, token, Some(&title), "already")));
        }
    }
    Ok(Gate::Open(org, survey, customer))
}

async fn show(mut r: Respondent, WebPath(token): WebPath<String>) -> WebResult {
    match gate(&mut r, &token).await? {
        Gate::Page(p) => p,
        Gate::Open(org, survey, customer) => {
            if let Some(c) = &customer {
                // An invitation's personal link opened (its wave's "opened").
                if let Err(e) = r.state.store.invitation_opened(org.id, survey.id, c, Utc::now()).await {
                    tracing::warn!(error = %crate::error::chain(&e), "opened link not recorded");
                }
            }
            let nonce = secret::generate("");
            form_page(&r, &token, &survey, StatusCode::OK, &Map::new(), &nonce, &FieldErrors::new())
        }
    }
}

/// A nonce as generated by [`show`]: anything else is not used as a key.
fn nonce_of(form: &FormData) -> Option<&str> {
    form.get("nonce").filter(|n| (16..=64).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_alphanumeric()))
}

async fn submit(
    mut r: Respondent,
    WebPath(token): WebPath<String>,
    Extension(limiter): Extension<Arc<RateLimiter>>,
    State(_): State<AppState>,
    form: FormData,
) -> WebResult {
    let (org, survey, customer) = match gate(&mut r, &token).await? {
        Gate::Page(p) => return p,
        Gate::Open(org, survey, customer) => (org, survey, customer),
    };
    if !limiter.allow(r.client, survey.id) {
        return r.message(StatusCode::TOO_MANY_REQUESTS, &token, None, "rate-limited");
    }
    let nonce = nonce_of(&form).map(str::to_string).unwrap_or_else(|| secret::generate(""));
    let answers = answers_of(&survey, &form);
    // Questions that became visible with these answers and were not on the
    // page yet: show them before storing anything.
    let shown = form.all("shown");
    let visible: Vec<&str> = survey.visible(&answers).map(|q| q.key.as_str()).collect();
    if visible.iter().any(|k| !shown.contains(k)) {
        return form_page(&r, &token, &survey, StatusCode::OK, &answers, &nonce, &FieldErrors::new());
    }
    if let Err(e) = survey.check_answers(&answers) {
        return form_page(&r, &token, &survey, StatusCode::UNPROCESSABLE_ENTITY, &answers, &nonce, &e);
    }
    let draft = ResponseDraft {
        id: Some(format!("web:{}:{nonce}", survey.id)),
        survey: Some(survey.id),
        touchpoint: None,
        customer,
        at: Some(Utc::now().to_rfc3339()),
        answers,
        comment: None,
        channel: Some("web".into()),
        language: Some(r.lang()),
    };
    let report = crate::ingest::responses(r.state.store.as_ref(), org.id, vec![(0, Ok(draft))]).await?;
    if let Some(e) = report.items.into_iter().next().and_then(|i| i.errors) {
        return Err(WebError(AppError::Invalid(e)));
    }
    let embed = if r.embedded() { "&embed=1" } else { "" };
    Ok(Redirect::to(&format!("/s/{token}/thanks?lang={}{embed}", r.lang().code())).into_response())
}

async fn thanks(mut r: Respondent, WebPath(token): WebPath<String>) -> WebResult {
    let Some((org, survey)) = r.state.store.survey_by_token(&token).await? else {
        return Err(WebError(AppError::NotFound));
    };
    if survey.status == SurveyStatus::Draft {
        return Err(WebError(AppError::NotFound));
    }
    r.brand(&org).await?;
    r.message(StatusCode::OK, &token, Some(survey.title.get(r.lang())), "thanks")
}

/// The builder's preview of a survey (saved or being written) as a
/// respondent in `lang` sees it first, in the organization's colours; its
/// form posts nowhere.
pub(crate) async fn preview(
    state: &AppState,
    viewer: &Viewer,
    org: &Organization,
    survey: &Survey,
    lang: Lang,
) -> WebResult {
    let mut viewer = viewer.clone();
    viewer.lang = lang;
    viewer.flash = None;
    let mut r = Respondent {
        state: state.clone(),
        viewer,
        query: vec![],
        client: ClientIp(None),
        lang_chosen: true,
        branding: None,
        preview: Some(survey.id),
    };
    r.brand(org).await?;
    form_page(&r, &survey.token, survey, StatusCode::OK, &Map::new(), "preview", &FieldErrors::new())
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_types;
