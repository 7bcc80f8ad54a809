//! Ideas by e-mail (D4). Inbound-mail services (SendGrid Inbound Parse,
//! Mailgun routes, Postmark, ...) post each message as `multipart/form-data`
//! with `from`, `subject` and `text` (Mailgun: `body-plain`). They cannot
//! sign in, so the organization's inbound address is a signed URL:
//! `POST /api/v1/inbound/ideas?org=SLUG&token=TOKEN`, where TOKEN is
//! HMAC-SHA256 of the organization's id keyed with the installation secret.
//! An admin reads the URL from `GET /api/v1/inbound/ideas/url` and pastes it
//! into the mail service; it never expires (rotate by changing the
//! installation secret). An API token (or a session) with `Contribute` may
//! post instead, in the `Authorization` header.
//!
//! The sender is mapped to a person of the organization by e-mail; an
//! unknown sender answers 422 on `from`. The idea arrives unfiled (source
//! `email`); a reviewer files it on a touchpoint before approving it.

use crate::auth::link::installation_secret;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Multipart, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use hmac::{Hmac, Mac};
use rapport_core::improve::{Idea, IdeaSource, InboundMail};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest message accepted (attachments included, which are ignored).
const MAX_BODY: usize = 10 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(receive)).layer(DefaultBodyLimit::max(MAX_BODY)).routes(routes!(address))
}

fn mac(secret: &[u8], org: Id) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    m.update(format!("inbound-ideas:{org}").as_bytes());
    m
}

/// The token of an organization's inbound address.
pub fn inbound_token(secret: &[u8], org: Id) -> String {
    hex::encode(mac(secret, org).finalize().into_bytes())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboundQuery {
    /// The organization's slug (signed URL).
    org: Option<String>,
    /// The organization's inbound token (signed URL).
    token: Option<String>,
}

/// The caller when the request carries credentials (a token or a session);
/// none when it relies on the signed URL.
struct MaybePrincipal(Option<Principal>);

impl FromRequestParts<AppState> for MaybePrincipal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Principal::from_parts(parts, state).await.map(MaybePrincipal)
    }
}

/// An e-mail becomes an idea of the person who sent it.
#[utoipa::path(post, path = "/api/v1/inbound/ideas", tag = "improve", operation_id = "inbound_idea",
    params(InboundQuery), request_body(content = InboundMail, content_type = "multipart/form-data"),
    responses((status = 201, body = Idea), (status = 400), (status = 422)))]
async fn receive(
    State(s): State<AppState>,
    MaybePrincipal(principal): MaybePrincipal,
    query: Result<Query<InboundQuery>, QueryRejection>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Idea>), AppError> {
    let org = match principal {
        Some(p) => {
            p.require(Permission::Contribute)?;
            p.org.id
        }
        None => {
            // A query string that does not read names no organization.
            let q = query.map(|Query(q)| q).unwrap_or_default();
            let (Some(slug), Some(token)) = (q.org, q.token) else { return Err(AppError::Unauthorized) };
            let org = s.store.org_by_slug(&slug).await?.ok_or(AppError::Unauthorized)?;
            let secret = installation_secret(&*s.store).await?;
            let sig = hex::decode(token.trim()).map_err(|_| AppError::Unauthorized)?;
            mac(&secret, org.id).verify_slice(&sig).map_err(|_| AppError::Unauthorized)?;
            org.id
        }
    };
    let multipart = multipart
        .map_err(|_| AppError::BadRequest("expected multipart/form-data with from, subject and text".into()))?;
    let fields = multipart_fields(multipart).await?;
    let field = |names: &[&str]| fields.iter().find(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.clone());
    let mail = InboundMail {
        from: field(&["from", "sender"]),
        subject: field(&["subject"]),
        text: field(&["text", "body-plain", "TextBody"]),
    };
    let parsed = mail.parse()?;
    let people = s.store.list_people(org).await?;
    let Some(author) = people.iter().find(|p| p.email.eq_ignore_ascii_case(&parsed.sender)) else {
        return Err(FieldErrors::single(
            "from",
            "unknown_sender",
            format!("{} is not the e-mail address of a person of the organization", parsed.sender),
        )
        .into());
    };
    let input = parsed.draft().validate(IdeaSource::Email)?;
    Ok((StatusCode::CREATED, Json(s.store.create_idea(org, author.id, &input).await?)))
}

/// The text fields of a `multipart/form-data` body, in order; files are
/// skipped. The body is read as it comes, up to [`MAX_BODY`] bytes (the
/// route's `DefaultBodyLimit`); past it, or when the form is broken, a 400.
pub(crate) async fn multipart_fields(mut form: Multipart) -> Result<Vec<(String, String)>, AppError> {
    let broken = |e: MultipartError| AppError::BadRequest(format!("cannot read the message: {}", e.body_text()));
    let mut out = Vec::new();
    while let Some(field) = form.next_field().await.map_err(broken)? {
        if field.file_name().is_some() {
            continue;
        }
        let Some(name) = field.name().map(str::to_string) else { continue };
        out.push((name, field.text().await.map_err(broken)?));
    }
    Ok(out)
}

/// The organization's inbound address, to paste into the mail service.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboundAddress {
    /// Path and query; prefix the server's public origin.
    pub url: String,
}

#[utoipa::path(get, path = "/api/v1/inbound/ideas/url", tag = "improve", operation_id = "inbound_idea_url",
    responses((status = 200, body = InboundAddress)))]
async fn address(State(s): State<AppState>, p: Principal) -> Result<Json<InboundAddress>, AppError> {
    p.require(Permission::ManageAccounts)?;
    let secret = installation_secret(&*s.store).await?;
    let token = inbound_token(&secret, p.org.id);
    Ok(Json(InboundAddress { url: format!("/api/v1/inbound/ideas?org={}&token={token}", p.org.slug) }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::{FromRequest, Request};

    async fn form(content_type: &str, body: &'static str) -> Result<Vec<(String, String)>, AppError> {
        let req =
            Request::builder().method("POST").header("content-type", content_type).body(Body::from(body)).unwrap();
        let form = Multipart::from_request(req, &()).await.map_err(|e| AppError::BadRequest(e.body_text()))?;
        multipart_fields(form).await
    }

    #[tokio::test]
    async fn reads_text_fields_and_skips_files() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nAna <ana@example.com>\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\nRe: Idea\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"attachment1\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"body-plain\"\r\n\r\nLine one\r\nLine two\r\n--XyZ--\r\n";
        let fields = form("multipart/form-data; boundary=XyZ", body).await.unwrap();
        assert_eq!(
            fields,
            vec![
                ("from".to_string(), "Ana <ana@example.com>".to_string()),
                ("subject".to_string(), "Re: Idea".to_string()),
                ("body-plain".to_string(), "Line one\r\nLine two".to_string()),
            ]
        );
        assert!(matches!(form("multipart/form-data", body).await, Err(AppError::BadRequest(_))), "no boundary");
        let cut = "--XyZ\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nAna";
        assert!(matches!(form("multipart/form-data; boundary=XyZ", cut).await, Err(AppError::BadRequest(_))));
    }

    #[test]
    fn query_strings_decode() {
        let uri: axum::http::Uri = "/api/v1/inbound/ideas?org=acme&token=a%2Fb+c".parse().unwrap();
        let Query(q) = Query::<InboundQuery>::try_from_uri(&uri).unwrap();
        assert_eq!((q.org.as_deref(), q.token.as_deref()), (Some("acme"), Some("a/b c")));
    }
}
