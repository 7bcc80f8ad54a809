//! Accepting an invitation: the e-mailed link opens a page that sets the
//! password; the person is then signed in (policy:
//! `rapport_core::invitation` and [`crate::invite`]).

use super::ctx::Public;
use super::form::FormData;
use super::{see_other, WebResult};
use crate::auth::{password, secret, session};
use crate::state::AppState;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use axum_extra::extract::CookieJar;
use chrono::Utc;
use minijinja::context;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/invitation", get(show).post(accept))
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

async fn show(page: Public, Query(q): Query<TokenQuery>) -> WebResult {
    let found = page.state.store.invitation_account(&secret::digest(&q.token), Utc::now()).await?;
    let Some((org, user)) = found else {
        let ctx = context! { valid => false };
        return page.render(StatusCode::GONE, "account/invitation.html", ctx);
    };
    let ctx = context! { valid => true, token => q.token, org_name => org.name, email => user.email };
    page.render(StatusCode::OK, "account/invitation.html", ctx)
}

async fn accept(page: Public, jar: CookieJar, form: FormData) -> WebResult {
    let token = form.get("token").unwrap_or("").to_string();
    let new = form.get("new").unwrap_or("").to_string();
    let digest = secret::digest(&token);
    let Some((org, user)) = page.state.store.invitation_account(&digest, Utc::now()).await? else {
        return page.render(StatusCode::GONE, "account/invitation.html", context! { valid => false });
    };
    if let Some(problem) = password::problem(&new, form.get("confirm")) {
        let error = page.state.i18n.t(page.viewer.lang, problem, &[]);
        let ctx = context! { valid => true, token, org_name => org.name, email => user.email, error };
        return page.render(StatusCode::UNPROCESSABLE_ENTITY, "account/invitation.html", ctx);
    }
    let hash = password::hash_async(new).await;
    let Some((org, user)) = page.state.store.accept_invitation(&digest, Utc::now(), &hash).await? else {
        return page.render(StatusCode::GONE, "account/invitation.html", context! { valid => false });
    };
    // The page's language becomes the account's, as the person chose it.
    page.state.store.set_user_language(org.id, user.id, Some(page.viewer.lang)).await?;
    let cookie = session::start(&page.state, &org, &user).await?;
    let to = see_other("/?ok=welcome")?;
    Ok((jar.add(cookie), to).into_response())
}
