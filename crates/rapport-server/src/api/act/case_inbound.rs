//! D2. The customer's answers by e-mail: `POST /api/v1/inbound/cases`,
//! where the inbound-mail service (SendGrid Inbound Parse, Mailgun routes,
//! Postmark, ...) posts every message sent to the reply domain, as
//! `multipart/form-data` (or JSON) with `from`, `to` (or `recipient`),
//! `subject` and `text` (or `body-plain`, `TextBody`).
//!
//! Policy: the service cannot sign in, so the message itself must carry
//! the case's signed reference: the reply address it was sent to, else the
//! `[ref:…]` token of the subject. No reference is a 401 (as any unsigned
//! call); a signature that does not verify (compared in constant time), or
//! one of another case or organization, a 403; nothing is stored either way; a sender other than the
//! case's customer is a 422 on `from` with nothing stored. What the
//! customer's mail program quoted is trimmed. Bodies over [`MAX_BODY`] are
//! refused before they are read.

use super::conversations::CaseMessageView;
use super::reply::verify;
use crate::api::inbound::multipart_fields;
use crate::auth::link::installation_secret;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::Json;
use chrono::{SubsecRound, Utc};
use rapport_core::case::conversation::address::{from_recipients, from_subject};
use rapport_core::case::conversation::{strip_quoted, BODY_MAX, SUBJECT_MAX};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest message accepted (attachments included, which are ignored).
const MAX_BODY: usize = 10 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(receive)).layer(DefaultBodyLimit::max(MAX_BODY))
}

/// An inbound e-mail as the mail services post it (form fields or JSON).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CaseInboundMail {
    /// The sender, `Ana <ana@example.com>` or a bare address.
    pub from: Option<String>,
    /// The recipients: the case's reply address among them.
    pub to: Option<String>,
    /// Mailgun's name for the recipient.
    pub recipient: Option<String>,
    pub subject: Option<String>,
    /// The plain-text body.
    pub text: Option<String>,
    /// Mailgun's name for the plain-text body.
    #[serde(rename = "body-plain")]
    pub body_plain: Option<String>,
}

/// The fields of the request, from a form or a JSON object.
async fn read_mail(s: &AppState, req: Request) -> Result<CaseInboundMail, AppError> {
    let ct = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if ct.starts_with("application/json") {
        let bytes = Bytes::from_request(req, s).await.map_err(|e| AppError::BadRequest(e.body_text()))?;
        // Read leniently: a field that is not text is absent (so a body
        // without a reference is refused as unsigned, whatever else it holds).
        let v: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
        let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        return Ok(CaseInboundMail {
            from: text("from"),
            to: text("to"),
            recipient: text("recipient"),
            subject: text("subject"),
            text: text("text"),
            body_plain: text("body-plain"),
        });
    }
    let form = Multipart::from_request(req, s).await.map_err(|_| {
        AppError::BadRequest("expected multipart/form-data (or JSON) with from, to, subject and text".into())
    })?;
    let fields = multipart_fields(form).await?;
    let field = |names: &[&str]| fields.iter().find(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.clone());
    Ok(CaseInboundMail {
        from: field(&["from", "sender", "From"]),
        to: field(&["to", "To"]),
        recipient: field(&["recipient", "OriginalRecipient"]),
        subject: field(&["subject", "Subject"]),
        text: field(&["text", "TextBody"]),
        body_plain: field(&["body-plain", "stripped-text"]),
    })
}

/// The address of `Name <addr>` or a bare `addr`.
fn address_of(from: &str) -> String {
    let from = from.trim();
    match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => from[a + 1..b].trim().to_string(),
        _ => from.to_string(),
    }
}

/// A customer's e-mail answer joins their case's thread.
#[utoipa::path(post, path = "/api/v1/inbound/cases", tag = "cases", operation_id = "inbound_case_reply",
    request_body(content = CaseInboundMail, content_type = "multipart/form-data"),
    responses((status = 201, body = CaseMessageView),
        (status = 400, description = "the body is not a form or JSON"),
        (status = 401, description = "no reply address or `[ref:…]` token: nothing says which case"),
        (status = 403, description = "the reference's signature does not verify (tampered, or another case or organization), or a caller with credentials is not an admin"),
        (status = 404, description = "the case no longer exists"),
        (status = 413, description = "over 10 MiB"),
        (status = 422, description = "`from` is not the case's customer, or `text` is empty")))]
async fn receive(State(s): State<AppState>, req: Request) -> Result<(StatusCode, Json<CaseMessageView>), AppError> {
    let (parts, body) = req.into_parts();
    // Credentials are not needed (the reference is the signature); a caller
    // who sends some anyway must be an admin, as for the rest of /inbound.
    if let Some(p) = Principal::from_parts(&parts, &s).await? {
        p.require(Permission::ManageAccounts)?;
    }
    let mail = read_mail(&s, Request::from_parts(parts, body)).await?;
    let to = mail.to.as_deref().into_iter().chain(mail.recipient.as_deref()).collect::<Vec<_>>().join(",");
    let subject = mail.subject.as_deref().map(|t| t.chars().take(SUBJECT_MAX).collect::<String>());
    // Nothing that could authenticate the request: as any unsigned call, 401.
    let reference =
        from_recipients(&to).or_else(|| subject.as_deref().and_then(from_subject)).ok_or(AppError::Unauthorized)?;
    let secret = installation_secret(&*s.store).await?;
    if !verify(&secret, &reference) {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::new();
    let from = mail.from.as_deref().map(address_of).unwrap_or_default();
    if from.is_empty() || from.len() > 320 {
        e.add("from", "required", "is required: the sender's address");
    }
    let text = mail.text.or(mail.body_plain).unwrap_or_default();
    let body: String = strip_quoted(&text).chars().take(BODY_MAX).collect();
    if body.trim().is_empty() {
        e.add("text", "required", "is required: the answer, besides what it quotes");
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let now = Utc::now().trunc_subsecs(6);
    let saved =
        s.store.receive_customer_reply(reference.org, reference.case, &from, subject.as_deref(), &body, now).await?;
    s.outbox_wake.notify_one();
    Ok((StatusCode::CREATED, Json(CaseMessageView::of(saved))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sender_is_read_with_or_without_a_name() {
        assert_eq!(address_of("Ana López <ana@example.com>"), "ana@example.com");
        assert_eq!(address_of(" ana@example.com "), "ana@example.com");
        assert_eq!(address_of("\"A <b>\" <ana@example.com>"), "ana@example.com");
    }
}
