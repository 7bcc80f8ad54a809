//! E-mail deliveries over SMTP (lettre): configured by `--smtp-url`
//! (lettre's URL form: `smtp://host:port` in plain text, `smtp://...?tls=required`
//! for STARTTLS, `smtps://` for TLS, `user:password@` for AUTH) and
//! `--smtp-from`. Subject `[Rapport] <title>`; a plain-text body with the
//! summary and the link (public URL + the payload's `url`).
//!
//! E-mails to customers (survey invitations, case replies) are written in
//! full by whoever enqueues them: the payload's [`CUSTOMER_MAIL`] object
//! ([`CustomerMail`]) gives the subject and body as sent (no `[Rapport]`
//! prefix, no footer), an optional `Reply-To` (a case's signed reply
//! address) and an optional one-click unsubscribe URL (RFC 8058 headers).

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rapport_store::Delivery;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The payload key of an e-mail written for a customer.
pub const CUSTOMER_MAIL: &str = "mail";

/// An e-mail to a customer, sent as written (see the module's policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerMail {
    pub subject: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Shown as the sender's name, with the configured address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
    /// An absolute URL that unsubscribes with one POST (RFC 8058).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe: Option<String>,
}

impl CustomerMail {
    /// The mail a payload carries, if it is one.
    pub fn of(payload: &serde_json::Value) -> Option<CustomerMail> {
        serde_json::from_value(payload.get(CUSTOMER_MAIL)?.clone()).ok()
    }
}

/// The error of an e-mail delivery when no SMTP server is configured.
pub const NOT_CONFIGURED: &str = "SMTP is not configured";

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// Checks the URL and sender; nothing is connected yet.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("invalid SMTP URL: {e}"))?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        let from = from.parse().map_err(|e| format!("invalid sender {from:?}: {e}"))?;
        Ok(Mailer { transport, from })
    }

    pub async fn send(&self, d: &Delivery, to: &str, public_url: Option<&str>) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("invalid recipient: {e}"))?;
        if let Some(mail) = CustomerMail::of(&d.payload) {
            return self.send_customer_mail(&mail, to).await;
        }
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject(&d.event, &d.payload))
            .header(ContentType::TEXT_PLAIN)
            .body(body(&d.event, &d.payload, public_url))
            .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| format!("SMTP: {e}"))
    }
}

impl Mailer {
    async fn send_customer_mail(&self, mail: &CustomerMail, to: Mailbox) -> Result<(), String> {
        let from = match &mail.from_name {
            Some(name) => Mailbox::new(Some(rapport_core::mail_template::one_line(name)), self.from.email.clone()),
            None => self.from.clone(),
        };
        let mut b = Message::builder()
            .from(from)
            .to(to)
            .subject(rapport_core::mail_template::one_line(&mail.subject))
            .header(ContentType::TEXT_PLAIN);
        if let Some(r) = &mail.reply_to {
            b = b.reply_to(r.parse().map_err(|e| format!("invalid reply-to: {e}"))?);
        }
        let mut message = b.body(mail.text.clone()).map_err(|e| format!("cannot build the message: {e}"))?;
        if let Some(u) = &mail.unsubscribe {
            let h = message.headers_mut();
            h.insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{u}>")));
            h.insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
        }
        self.transport.send(message).await.map(|_| ()).map_err(|e| format!("SMTP: {e}"))
    }
}

pub fn subject(event: &str, payload: &serde_json::Value) -> String {
    // One line: a header cannot hold a newline.
    let title: String = super::title(payload, event).lines().collect::<Vec<_>>().join(" ");
    format!("[Rapport] {title}")
}

pub fn body(event: &str, payload: &serde_json::Value, public_url: Option<&str>) -> String {
    let mut out = String::new();
    out.push_str(super::summary(payload).unwrap_or(super::title(payload, event)));
    out.push_str("\n\n");
    if let Some(link) = super::link(payload, public_url) {
        out.push_str(&format!("{link}\n\n"));
    }
    out.push_str(&format!("-- \nRapport ({event})\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subject_and_body() {
        let p = json!({"title": "Case 7\nopened", "summary": "Late delivery", "url": "/cases/7"});
        assert_eq!(subject("case.opened", &p), "[Rapport] Case 7 opened");
        let b = body("case.opened", &p, Some("https://cx.example"));
        assert!(b.starts_with("Late delivery\n\nhttps://cx.example/cases/7\n"), "{b}");
        assert!(Mailer::new("smtp://127.0.0.1:2525", "Rapport <rapport@example.com>").is_ok());
        assert!(Mailer::new("nonsense", "rapport@example.com").is_err());
        assert!(Mailer::new("smtp://127.0.0.1:2525", "not an address").is_err());
    }
}
