//! The public unsubscribe page (B1): the link in every invitation opens a
//! confirmation in the customer's language (the link's `lang`, else the
//! browser's, else the organization's default), branded like the survey
//! pages; its button unsubscribes (the same signed link, posted). The
//! e-mail's RFC 8058 one-click header posts to the API instead
//! (`POST /api/v1/unsubscribe`). Staff see the status on the customer's
//! profile and may unsubscribe or resubscribe them there (`EditPlan`).

use crate::api::listen::distribution::{unsubscribe_signed, InvitationUnsubscribeParams};
use crate::auth::{link, unsubscribe};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::ctx::{render, Viewer};
use crate::web::form::FormData;
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use minijinja::{context, Value};
use rapport_core::lang::Lang;
use rapport_core::role::Permission;
use serde::Serialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/unsubscribe", get(confirm).post(done))
        .route("/customers/{external_id}/mail-status", post(set_status))
}

#[derive(Serialize)]
struct LangLink {
    code: &'static str,
    href: String,
}

/// Renders the page in the right language, with the organization's brand.
async fn page(
    state: &AppState,
    headers: &HeaderMap,
    q: &InvitationUnsubscribeParams,
    lang: Option<&str>,
    status: StatusCode,
    kind: &str,
) -> WebResult {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let org = q.o.unwrap_or(0);
    let settings = state.store.org_settings(org).await.ok();
    let chosen = lang.and_then(Lang::parse).or_else(|| accept.and_then(Lang::from_accept_language));
    let lang = chosen.or(settings.as_ref().map(|s| s.default_language)).unwrap_or_default();
    let viewer = Viewer { principal: None, lang, here: "/unsubscribe".into(), flash: None, unread: None };
    let query = format!(
        "o={org}&c={}&sig={}",
        crate::encode::query(q.c.as_deref().unwrap_or("")),
        crate::encode::query(q.sig.as_deref().unwrap_or(""))
    );
    let links: Vec<LangLink> = Lang::ALL
        .into_iter()
        .map(|l| LangLink { code: l.code(), href: format!("/unsubscribe?{query}&lang={}", l.code()) })
        .collect();
    // The organization's name; its logo and colour stay on the survey pages.
    let branding = settings.map(|s| context! { name => s.name });
    let ctx = context! { kind => kind, action => format!("/unsubscribe?{query}&lang={}", lang.code()),
    lang_links => links, branding => branding };
    render(state, &viewer, status, "listen/unsubscribe.html", ctx)
}

#[derive(serde::Deserialize, Default)]
struct LangParam {
    lang: Option<String>,
}

fn signed(state_secret: &[u8], q: &InvitationUnsubscribeParams) -> bool {
    match (q.o, q.c.as_deref(), q.sig.as_deref()) {
        (Some(o), Some(c), Some(sig)) => unsubscribe::verify(state_secret, o, c, sig),
        _ => false,
    }
}

async fn confirm(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<InvitationUnsubscribeParams>,
    Query(l): Query<LangParam>,
) -> WebResult {
    let secret = link::installation_secret(s.store.as_ref()).await?;
    if !signed(&secret, &q) {
        return page(&s, &headers, &q, l.lang.as_deref(), StatusCode::BAD_REQUEST, "invalid").await;
    }
    page(&s, &headers, &q, l.lang.as_deref(), StatusCode::OK, "confirm").await
}

async fn done(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<InvitationUnsubscribeParams>,
    Query(l): Query<LangParam>,
) -> WebResult {
    match unsubscribe_signed(&s, &q).await {
        Ok(()) => page(&s, &headers, &q, l.lang.as_deref(), StatusCode::OK, "done").await,
        Err(AppError::Forbidden | AppError::BadRequest(_) | AppError::NotFound) => {
            page(&s, &headers, &q, l.lang.as_deref(), StatusCode::BAD_REQUEST, "invalid").await
        }
        Err(e) => Err(e.into()),
    }
}

/// What the customer's profile shows: the e-mail status and the latest
/// invitations.
pub async fn customer_mail(page: &Page, external_id: &str) -> Result<Value, AppError> {
    let status = page.store().mail_status(page.org(), external_id).await?;
    let invitations = page.store().customer_invitations(page.org(), external_id, 10).await?;
    let rows: Vec<Value> = invitations
        .iter()
        .map(|i| {
            context! { kind => i.kind.key(), status => i.status.key(), reason => i.skip_reason.map(|r| r.key()),
            wave_id => i.wave_id, at => i.sent_at.unwrap_or(i.due_at).to_rfc3339(),
            opened => i.opened_at.is_some(), answered => i.answered_at.is_some() }
        })
        .collect();
    Ok(context! {
        unsubscribed_at => status.unsubscribed_at.map(|t| t.to_rfc3339()),
        unsubscribed_by => status.unsubscribed_by,
        bounced_at => status.bounced_at.map(|t| t.to_rfc3339()),
        invitations => rows,
        can_edit => page.p.can(Permission::EditPlan),
    })
}

async fn set_status(page: Page, WebPath(external_id): WebPath<String>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let unsubscribe = form.get("unsubscribed") == Some("true");
    page.store()
        .set_unsubscribed(page.org(), &external_id, unsubscribe, &page.p.actor, rapport_store::rows::now())
        .await?;
    see_other(&format!("/customers/{}?ok=saved#customer-mail", crate::encode::segment(&external_id)))
}
