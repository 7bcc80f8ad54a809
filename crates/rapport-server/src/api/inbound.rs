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
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
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
    OpenApiRouter::new().routes(routes!(receive)).routes(routes!(address))
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

/// An e-mail becomes an idea of the person who sent it.
#[utoipa::path(post, path = "/api/v1/inbound/ideas", tag = "improve", operation_id = "inbound_idea",
    params(InboundQuery), request_body(content = InboundMail, content_type = "multipart/form-data"),
    responses((status = 201, body = Idea), (status = 400), (status = 422)))]
async fn receive(State(s): State<AppState>, req: Request) -> Result<(StatusCode, Json<Idea>), AppError> {
    let (parts, body) = req.into_parts();
    let org = match Principal::from_parts(&parts, &s).await? {
        Some(p) => {
            p.require(Permission::Contribute)?;
            p.org.id
        }
        None => {
            let q: InboundQuery =
                serde_json::from_value(query_json(parts.uri.query().unwrap_or(""))).unwrap_or_default();
            let (Some(slug), Some(token)) = (q.org, q.token) else { return Err(AppError::Unauthorized) };
            let org = s.store.org_by_slug(&slug).await?.ok_or(AppError::Unauthorized)?;
            let secret = installation_secret(&*s.store).await?;
            let sig = hex::decode(token.trim()).map_err(|_| AppError::Unauthorized)?;
            mac(&secret, org.id).verify_slice(&sig).map_err(|_| AppError::Unauthorized)?;
            org.id
        }
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if !content_type.to_ascii_lowercase().starts_with("multipart/form-data") {
        return Err(AppError::BadRequest("expected multipart/form-data with from, subject and text".into()));
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|e| AppError::BadRequest(format!("cannot read the message: {e}")))?;
    let fields = multipart_fields(&content_type, &bytes)
        .ok_or_else(|| AppError::BadRequest("malformed multipart/form-data".into()))?;
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

/// The query string as a JSON object of strings (the last value of a key wins).
fn query_json(q: &str) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for pair in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        map.insert(percent_decode(k), serde_json::Value::String(percent_decode(v)));
    }
    serde_json::Value::Object(map)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                Ok(b) => {
                    out.push(b);
                    i += 2;
                }
                Err(_) => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The text fields of a `multipart/form-data` body, in order; files are
/// skipped. `None` when the boundary is missing.
pub fn multipart_fields(content_type: &str, body: &[u8]) -> Option<Vec<(String, String)>> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary=").or_else(|| p.strip_prefix("BOUNDARY=")))?
        .trim_matches('"');
    if boundary.is_empty() {
        return None;
    }
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    let mut out = Vec::new();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").or_else(|| part.strip_prefix('\n')).unwrap_or(part);
        let Some((head, value)) = part.split_once("\r\n\r\n").or_else(|| part.split_once("\n\n")) else { continue };
        let disposition = head.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition"));
        let Some(disposition) = disposition else { continue };
        let params: Vec<&str> = disposition.split(';').map(str::trim).collect();
        if params.iter().any(|p| p.starts_with("filename")) {
            continue;
        }
        let Some(name) = params.iter().find_map(|p| p.strip_prefix("name=")) else { continue };
        let value = value.strip_suffix("\r\n").or_else(|| value.strip_suffix('\n')).unwrap_or(value);
        out.push((name.trim_matches('"').to_string(), value.to_string()));
    }
    Some(out)
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

    #[test]
    fn reads_text_fields_and_skips_files() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nAna <ana@example.com>\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\nRe: Idea\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"attachment1\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"body-plain\"\r\n\r\nLine one\r\nLine two\r\n--XyZ--\r\n";
        let fields = multipart_fields("multipart/form-data; boundary=XyZ", body.as_bytes()).unwrap();
        assert_eq!(
            fields,
            vec![
                ("from".to_string(), "Ana <ana@example.com>".to_string()),
                ("subject".to_string(), "Re: Idea".to_string()),
                ("body-plain".to_string(), "Line one\r\nLine two".to_string()),
            ]
        );
        assert!(multipart_fields("multipart/form-data", body.as_bytes()).is_none());
    }

    #[test]
    fn query_strings_decode() {
        assert_eq!(query_json("org=acme&token=a%2Fb+c"), serde_json::json!({"org": "acme", "token": "a/b c"}));
    }
}
