//! E-mail deliveries over SMTP (lettre): configured by `--smtp-url`
//! (lettre's URL form: `smtp://host:port` in plain text, `smtp://...?tls=required`
//! for STARTTLS, `smtps://` for TLS, `user:password@` for AUTH) and
//! `--smtp-from`. Subject `[Rapport] <title>`; a plain-text body with the
//! summary and the link (public URL + the payload's `url`).

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rapport_store::Delivery;
use std::time::Duration;

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
