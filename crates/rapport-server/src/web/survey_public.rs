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
//!   the organization's logo and accent colour (`web/admin/settings`).

use super::ctx::{encode, render, translate_errors, Viewer};
use super::form::FormData;
use super::{WebError, WebPath, WebResult};
use crate::auth::client::ClientIp;
use crate::auth::link::{self, LinkError};
use crate::auth::secret;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::{Extension, Router};
use chrono::Utc;
use minijinja::{context, Value};
use rapport_core::feedback::ResponseDraft;
use rapport_core::lang::Lang;
use rapport_core::org::Organization;
use rapport_core::survey::{is_fatigued, QuestionType, Survey, SurveyStatus};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

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
        Ok(Respondent { state: state.clone(), viewer, query, client, lang_chosen, branding: None })
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

    fn render(&self, status: StatusCode, template: &str, token: &str, ctx: Value) -> WebResult {
        let links: Vec<LangLink> = Lang::ALL
            .into_iter()
            .map(|l| LangLink { code: l.code(), href: format!("/s/{token}?{}", self.query_with(Some(l))) })
            .collect();
        let ctx = minijinja::value::merge_maps([context! { lang_links => links, branding => &self.branding }, ctx]);
        render(&self.state, &self.viewer, status, template, ctx)
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
        Gate::Open(_, survey, _) => {
            let nonce = secret::generate("");
            form_page(&r, &token, &survey, StatusCode::OK, &Map::new(), &nonce, &FieldErrors::new())
        }
    }
}

/// The answers a form carries, by question key, as `check_answers` reads
/// them (blank fields left out).
fn answers_of(survey: &Survey, form: &FormData) -> Map<String, Json> {
    let mut out = Map::new();
    for q in &survey.questions {
        let name = format!("q.{}", q.key);
        let v = if q.kind == QuestionType::MultipleChoice {
            let all: Vec<Json> = form.all(&name).into_iter().map(Json::from).collect();
            (!all.is_empty()).then_some(Json::Array(all))
        } else {
            form.get(&name).filter(|v| !v.trim().is_empty()).map(|v| {
                // Numbers as numbers, so that skip conditions compare them.
                match (q.kind.bounds(q.scale_max), v.trim().parse::<i64>()) {
                    (Some(_), Ok(n)) => Json::from(n),
                    _ => Json::from(v),
                }
            })
        };
        if let Some(v) = v {
            out.insert(q.key.clone(), v);
        }
    }
    out
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
    Ok(Redirect::to(&format!("/s/{token}/thanks?lang={}", r.lang().code())).into_response())
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

#[derive(Serialize)]
struct Option_ {
    value: String,
    id: String,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct QuestionView {
    key: String,
    kind: &'static str,
    text: String,
    required: bool,
    options: Vec<Option_>,
    /// Text answer.
    value: String,
    low: String,
    high: String,
    error: Option<String>,
}

fn form_page(
    r: &Respondent,
    token: &str,
    survey: &Survey,
    status: StatusCode,
    answers: &Map<String, Json>,
    nonce: &str,
    errors: &FieldErrors,
) -> WebResult {
    let lang = r.lang();
    let t = |k: &str| r.state.i18n.t(lang, k, &[]);
    let messages: BTreeMap<String, String> = translate_errors(&r.state, lang, errors);
    let answer_strings = |key: &str| -> Vec<String> {
        match answers.get(key) {
            Some(Json::Array(a)) => a.iter().map(|v| v.as_str().map(str::to_string).unwrap_or(v.to_string())).collect(),
            Some(Json::String(s)) => vec![s.clone()],
            Some(v) => vec![v.to_string()],
            None => vec![],
        }
    };
    let questions: Vec<QuestionView> = survey
        .visible(answers)
        .map(|q| {
            let given = answer_strings(&q.key);
            let (kind, options, low, high) = match q.kind.bounds(q.scale_max) {
                Some((lo, hi)) => {
                    let opts = (lo..=hi)
                        .map(|n| Option_ {
                            value: n.to_string(),
                            id: format!("q-{}-{n}", q.key),
                            label: n.to_string(),
                            checked: given.iter().any(|g| g.trim() == n.to_string()),
                        })
                        .collect();
                    let (low, high) = match q.kind {
                        QuestionType::Nps => ("survey-scale-nps-low", "survey-scale-nps-high"),
                        QuestionType::Ces => ("survey-scale-ces-low", "survey-scale-ces-high"),
                        QuestionType::Csat => ("survey-scale-csat-low", "survey-scale-csat-high"),
                        _ => ("survey-scale-rating-low", "survey-scale-rating-high"),
                    };
                    ("scale", opts, t(low), t(high))
                }
                None => {
                    let opts = q
                        .choices
                        .iter()
                        .map(|c| Option_ {
                            value: c.key.clone(),
                            id: format!("q-{}-{}", q.key, c.key),
                            label: c.label.get(lang).to_string(),
                            checked: given.contains(&c.key),
                        })
                        .collect();
                    let kind = match q.kind {
                        QuestionType::SingleChoice => "single",
                        QuestionType::MultipleChoice => "multiple",
                        _ => "text",
                    };
                    (kind, opts, String::new(), String::new())
                }
            };
            QuestionView {
                key: q.key.clone(),
                kind,
                text: q.text.get(lang).to_string(),
                required: q.required,
                value: if kind == "text" { given.first().cloned().unwrap_or_default() } else { String::new() },
                options,
                low,
                high,
                error: messages.get(&format!("answers.{}", q.key)).cloned(),
            }
        })
        .collect();
    let error_count = questions.iter().filter(|q| q.error.is_some()).count();
    let action = match r.query_with(Some(lang)) {
        q if q.is_empty() => format!("/s/{token}"),
        q => format!("/s/{token}?{q}"),
    };
    r.render(
        status,
        "survey/public.html",
        token,
        context! {
            survey_title => survey.title.get(lang),
            intro => survey.intro.get(lang),
            questions => questions,
            nonce => nonce,
            action => action,
            error_count => error_count,
            // Shown again only because answers opened follow-up questions.
            follow_up => errors.is_empty() && !answers.is_empty(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::TestApp;
    use super::*;
    use axum::body::Body;
    use axum::http::{header, Request};
    use rapport_core::survey::{Choice, ConditionOp, Localized, Question, ShowIf, SurveyInput};

    fn l(en: &str, es: &str) -> Localized {
        Localized { en: en.into(), es: es.into() }
    }

    /// A published NPS + reason + comment survey on the seeded touchpoint.
    pub async fn published_survey(t: &TestApp, fatigue_days: i64) -> Survey {
        let questions = vec![
            Question {
                key: "nps".into(),
                kind: QuestionType::Nps,
                text: l("How likely are you to recommend us?", "¿Qué probabilidad hay de que nos recomiende?"),
                required: true,
                choices: vec![],
                scale_max: None,
                show_if: None,
                ..Default::default()
            },
            Question {
                key: "why".into(),
                kind: QuestionType::SingleChoice,
                text: l("What went wrong?", "¿Qué salió mal?"),
                required: false,
                choices: vec![
                    Choice { key: "price".into(), label: l("Price", "Precio") },
                    Choice { key: "staff".into(), label: l("Staff", "Personal") },
                ],
                scale_max: None,
                show_if: Some(ShowIf::new("nps", ConditionOp::Lte, 6.into())),
                ..Default::default()
            },
            Question {
                key: "comment".into(),
                kind: QuestionType::Text,
                text: l("Anything else?", "¿Algo más?"),
                required: false,
                choices: vec![],
                scale_max: None,
                show_if: None,
                ..Default::default()
            },
        ];
        let input = SurveyInput {
            touchpoint_id: t.ids.touchpoint,
            title: l("Store visit", "Visita a la tienda"),
            intro: l("Two quick questions.", "Dos preguntas rápidas."),
            questions,
            fatigue_days,
        };
        let s = t.store.create_survey(t.org.id, &input, &secret::generate("")[..24]).await.unwrap();
        t.store.set_survey_status(t.org.id, s.id, SurveyStatus::Published).await.unwrap()
    }

    async fn personal(t: &TestApp, s: &Survey, customer: &str, days: i64) -> String {
        let key = link::installation_secret(t.store.as_ref()).await.unwrap();
        let q = link::sign(&key, &s.token, customer, link::expiry(Utc::now(), days));
        format!("/s/{}?{q}", s.token)
    }

    fn nonce(body: &str) -> String {
        let i = body.find("name=\"nonce\" value=\"").unwrap() + "name=\"nonce\" value=\"".len();
        body[i..i + 64].to_string()
    }

    fn filter() -> rapport_store::FeedbackFilter {
        rapport_store::FeedbackFilter { limit: 100, ..Default::default() }
    }

    async fn count(t: &TestApp) -> u64 {
        t.store.list_responses(t.org.id, &filter()).await.unwrap().total as u64
    }

    #[tokio::test]
    async fn the_organization_brands_its_pages_and_sets_their_default_language() {
        use rapport_core::branding::{Accent, LogoKind};
        use rapport_core::settings::SettingsChange;
        let t = TestApp::new().await;
        let s = published_survey(&t, 0).await;
        let plain = t.get(&format!("/s/{}", s.token), "").await;
        assert!(plain.body.contains("<html lang=\"en\">"), "English without any setting");
        assert!(!plain.body.contains("id=\"brand-theme\"") && !plain.body.contains("id=\"brand-logo\""));

        let change = SettingsChange {
            default_language: Some(Lang::Es),
            accent_colour: Some(Some(Accent::parse("#1d4ed8").unwrap())),
            ..Default::default()
        };
        t.store.update_settings(t.org.id, &change, "admin@acme.test").await.unwrap();
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR--";
        let logo = rapport_store::NewLogo { kind: LogoKind::Png, bytes: png, version: "abc123" };
        t.store.set_logo(t.org.id, Some(&logo), "admin@acme.test").await.unwrap();

        let page = t.get(&format!("/s/{}", s.token), "").await;
        assert!(page.body.contains("<html lang=\"es\">"), "no preference: the organization's language");
        assert!(page.body.contains("href=\"/branding/acme/theme.css?v=1d4ed8\""), "{}", page.body);
        assert!(page.body.contains("src=\"/branding/acme/logo?v=abc123\" alt=\"Acme Outdoor\""));
        let req = |accept: &str| {
            Request::get(format!("/s/{}", s.token)).header(header::ACCEPT_LANGUAGE, accept).body(Body::empty()).unwrap()
        };
        assert!(t.send(req("en-GB,en;q=0.9")).await.body.contains("<html lang=\"en\">"), "the browser's choice wins");
        assert!(t.send(req("fr, de")).await.body.contains("<html lang=\"es\">"), "none we speak: the default");
        let en = t.get(&format!("/s/{}?lang=en", s.token), "").await;
        assert!(en.body.contains("<html lang=\"en\">"), "the link's choice wins");
        let thanks = t.get(&format!("/s/{}/thanks", s.token), "").await;
        assert!(thanks.body.contains("<html lang=\"es\">") && thanks.body.contains("id=\"brand-logo\""));
    }

    #[tokio::test]
    async fn public_page_in_both_languages_without_sign_in() {
        let t = TestApp::new().await;
        let s = published_survey(&t, 0).await;
        let en = t.get(&format!("/s/{}", s.token), "").await;
        assert_eq!(en.status, StatusCode::OK, "{}", en.body);
        for id in ["survey-form", "survey-submit", "q-nps-0", "q-nps-10", "q-comment", "lang-en", "lang-es"] {
            assert!(en.body.contains(&format!("id=\"{id}\"")), "lacks #{id}");
        }
        assert!(en.body.contains("How likely are you"));
        assert!(!en.body.contains("id=\"q-why-price\""), "conditional question waits for its answer");
        assert!(!en.body.contains("<script"));
        let es = t.get(&format!("/s/{}?lang=es", s.token), "").await;
        assert!(es.body.contains("<html lang=\"es\">"));
        assert!(es.body.contains("¿Qué probabilidad hay"));
        let req = Request::get(format!("/s/{}", s.token))
            .header(header::ACCEPT_LANGUAGE, "es-MX,es;q=0.9")
            .body(Body::empty())
            .unwrap();
        assert!(t.send(req).await.body.contains("Enviar"));
        // Unknown and draft surveys are not found; closed ones say so.
        assert_eq!(t.get("/s/nope", "").await.status, StatusCode::NOT_FOUND);
        t.store.set_survey_status(t.org.id, s.id, SurveyStatus::Closed).await.unwrap();
        let closed = t.get(&format!("/s/{}?lang=es", s.token), "").await;
        assert!(closed.body.contains("id=\"survey-closed\""), "{}", closed.body);
        t.store.set_survey_status(t.org.id, s.id, SurveyStatus::Draft).await.unwrap();
        assert_eq!(t.get(&format!("/s/{}", s.token), "").await.status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn anonymous_post_stores_once() {
        let t = TestApp::new().await;
        let s = published_survey(&t, 0).await;
        let url = format!("/s/{}?lang=es", s.token);
        let page = t.get(&url, "").await;
        let n = nonce(&page.body);
        let form =
            [("nonce", n.as_str()), ("shown", "nps"), ("shown", "comment"), ("q.nps", "9"), ("q.comment", "Genial")];
        let r = t.post(&url, "", &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let thanks = t.get(r.location.as_deref().unwrap(), "").await;
        assert!(thanks.body.contains("id=\"survey-thanks\""));
        assert!(thanks.body.contains("Gracias"));
        let again = t.post(&url, "", &form).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert_eq!(count(&t).await, 1);
        let stored = t.store.list_responses(t.org.id, &filter()).await.unwrap().items.remove(0);
        assert_eq!(stored.answers["nps"], 9);
        assert_eq!(stored.channel.as_deref(), Some("web"));
        assert_eq!(stored.language, Some(Lang::Es));
        assert_eq!(stored.customer, None);
    }

    #[tokio::test]
    async fn skip_logic_shows_follow_up_before_storing() {
        let t = TestApp::new().await;
        let s = published_survey(&t, 0).await;
        let url = format!("/s/{}", s.token);
        let n = nonce(&t.get(&url, "").await.body);
        let r = t.post(&url, "", &[("nonce", &n), ("shown", "nps"), ("shown", "comment"), ("q.nps", "3")]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("id=\"q-why-price\""));
        assert!(r.body.contains("id=\"survey-follow-up\""));
        assert!(r.body.contains("id=\"q-nps-3\" checked") || r.body.contains("value=\"3\" checked"), "{}", r.body);
        assert_eq!(count(&t).await, 0);
        let form = [
            ("nonce", n.as_str()),
            ("shown", "nps"),
            ("shown", "why"),
            ("shown", "comment"),
            ("q.nps", "3"),
            ("q.why", "price"),
        ];
        let r = t.post(&url, "", &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(count(&t).await, 1);
    }

    #[tokio::test]
    async fn invalid_answers_come_back_translated() {
        let t = TestApp::new().await;
        let s = published_survey(&t, 0).await;
        let url = format!("/s/{}?lang=es", s.token);
        let r = t.post(&url, "", &[("shown", "nps"), ("shown", "comment"), ("q.comment", "hola")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Este campo es obligatorio."), "{}", r.body);
        assert!(r.body.contains(">hola</textarea>"));
        let r = t.post(&url, "", &[("shown", "nps"), ("shown", "comment"), ("q.nps", "11")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(count(&t).await, 0);
    }

    #[tokio::test]
    async fn personal_links_tampered_expired_and_fatigue() {
        let t = TestApp::new().await;
        let s = published_survey(&t, 30).await;
        let good = personal(&t, &s, "cust-42", 7).await;
        let tampered = good.replace("cust-42", "cust-43");
        let form = [("shown", "nps"), ("shown", "comment"), ("q.nps", "10")];
        for bad in [tampered.clone(), format!("{good}x"), format!("/s/{}?c=cust-42", s.token)] {
            assert_eq!(t.get(&bad, "").await.status, StatusCode::BAD_REQUEST, "{bad}");
            let r = t.post(&bad, "", &form).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST);
            assert!(r.body.contains("id=\"survey-link-invalid\""));
        }
        let expired = personal(&t, &s, "cust-42", -1).await;
        let r = t.get(&format!("{expired}&lang=es"), "").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("id=\"survey-link-expired\""));
        assert_eq!(t.post(&expired, "", &form).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(count(&t).await, 0);

        // The good link: the form keeps the link's parameters, stores the
        // customer, then thanks them instead of asking again.
        let page = t.get(&good, "").await;
        assert!(page.body.contains("sig="), "the action keeps the link");
        let r = t.post(&good, "", &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let stored = t.store.list_responses(t.org.id, &filter()).await.unwrap().items.remove(0);
        assert_eq!(stored.customer.as_deref(), Some("cust-42"));
        let again = t.get(&good, "").await;
        assert!(again.body.contains("id=\"survey-already\""), "{}", again.body);
        assert!(!again.body.contains("id=\"survey-form\""));
        assert_eq!(t.post(&good, "", &form).await.status, StatusCode::OK);
        assert_eq!(count(&t).await, 1);
    }

    #[test]
    fn the_limit_counts_per_address_and_survey() {
        let limiter = RateLimiter::default();
        let (a, b) = (ClientIp(Some("203.0.113.1".parse().unwrap())), ClientIp(Some("203.0.113.2".parse().unwrap())));
        for _ in 0..POSTS_PER_WINDOW {
            assert!(limiter.allow(a, 1));
        }
        assert!(!limiter.allow(a, 1));
        assert!(limiter.allow(a, 2), "another survey");
        assert!(limiter.allow(b, 1), "another client");
    }

    #[tokio::test]
    async fn posts_are_rate_limited_per_address() {
        let t = TestApp::new().await;
        let s = published_survey(&t, 0).await;
        let post = |ip: &'static str| {
            Request::post(format!("/s/{}", s.token))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("x-forwarded-for", ip)
                .body(Body::from("shown=nps&shown=comment"))
                .unwrap()
        };
        for _ in 0..POSTS_PER_WINDOW {
            assert_eq!(t.send(post("203.0.113.9")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let r = t.send(post("203.0.113.9")).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.body.contains("id=\"survey-rate-limited\""));
        assert_eq!(t.send(post("203.0.113.10")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
