//! Ideas by e-mail. Inbound-mail services (SendGrid's Inbound Parse,
//! Mailgun routes, and others) post each message to us as a multipart form
//! with `from`, `subject` and `text` fields (Mailgun calls the text
//! `body-plain`). This module turns those fields into an idea: the sender's
//! address (the server maps it to a person), a title from the subject and a
//! body from the text.
//!
//! Policy, since an e-mail cannot be sent back to fix a field:
//! - `Re:`, `Fwd:`, `RV:` and similar prefixes are stripped from the subject;
//!   with no subject, the first line of the text becomes the title;
//! - quoted replies are cut: from an "On … wrote:" / "El … escribió:" line,
//!   an "-----Original Message-----" / "-----Mensaje original-----" line or
//!   a signature separator (`-- `) on, and every line starting with `>`;
//! - over-long titles and bodies are shortened rather than refused;
//! - only a missing or unreadable sender, or a message with neither subject
//!   nor text, is refused.

use super::idea::IdeaDraft;
use crate::validate::{is_email, FieldErrors};
use serde::Deserialize;

const MAX_TITLE: usize = 200;
const MAX_BODY: usize = 10_000;

/// The form fields an inbound-mail service posts (others are ignored).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboundMail {
    pub from: Option<String>,
    pub subject: Option<String>,
    #[serde(alias = "body-plain")]
    pub text: Option<String>,
}

/// An idea read from an e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundIdea {
    /// The sender's address, lower-cased.
    pub sender: String,
    pub title: String,
    pub body: Option<String>,
}

impl InboundIdea {
    /// The draft to validate with [`super::IdeaSource::Email`]; it arrives
    /// unfiled.
    pub fn draft(&self) -> IdeaDraft {
        IdeaDraft { title: Some(self.title.clone()), body: self.body.clone(), touchpoint_id: None, experience_id: None }
    }
}

impl InboundMail {
    pub fn parse(&self) -> Result<InboundIdea, FieldErrors> {
        let mut e = FieldErrors::new();
        let sender = match self.from.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                e.add("from", "required", "the e-mail has no sender");
                String::new()
            }
            Some(raw) => match sender_address(raw) {
                Some(a) => a,
                None => {
                    e.add("from", "invalid_email", format!("cannot read a sender address in {raw:?}"));
                    String::new()
                }
            },
        };
        let body = self.text.as_deref().map(strip_quoted).filter(|b| !b.is_empty());
        let subject = self.subject.as_deref().map(strip_prefixes).unwrap_or_default();
        let title = if subject.is_empty() {
            body.as_deref().and_then(|b| b.lines().map(str::trim).find(|l| !l.is_empty())).unwrap_or("").to_string()
        } else {
            subject
        };
        if title.is_empty() {
            e.add("subject", "required", "the e-mail has neither a subject nor a text");
        }
        let title = shorten(&title, MAX_TITLE);
        e.into_result(InboundIdea { sender, title, body: body.map(|b| shorten(&b, MAX_BODY)) })
    }
}

/// `"Ana Pérez" <Ana@Example.com>`, `Ana <ana@example.com>`,
/// `ana@example.com (Ana)` or a bare address → `ana@example.com`.
pub fn sender_address(raw: &str) -> Option<String> {
    let candidate = match (raw.rfind('<'), raw.rfind('>')) {
        (Some(open), Some(close)) if open < close => &raw[open + 1..close],
        _ => raw.split_whitespace().find(|w| w.contains('@')).unwrap_or(raw),
    };
    let address = candidate.trim().trim_matches(|c| c == '"' || c == '\'').to_lowercase();
    is_email(&address).then_some(address)
}

/// The subject without reply and forward prefixes, in English and Spanish
/// and as mail clients write them (`Re:`, `RE:`, `Fwd:`, `FW:`, `RV:`,
/// `Reenviar:`, also repeated: `Re: Fwd: RE: …`), and trimmed.
pub fn strip_prefixes(subject: &str) -> String {
    const PREFIXES: [&str; 6] = ["re", "fwd", "fw", "rv", "reenviar", "res"];
    let mut s = subject.trim();
    'outer: loop {
        if let Some((head, rest)) = s.split_once(':') {
            let head = head.trim().to_lowercase();
            if PREFIXES.contains(&head.as_str()) {
                s = rest.trim_start();
                continue 'outer;
            }
        }
        return s.trim().to_string();
    }
}

/// The text the sender wrote, without what they quoted: see the module
/// notes. Line ends become `\n`, trailing spaces go, blank runs collapse.
pub fn strip_quoted(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end()).collect();
    let mut kept: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if is_attribution(t)
            || (is_attribution_start(t) && lines.get(i + 1).is_some_and(|n| is_attribution_end(n.trim())))
        {
            break;
        }
        let lower = t.to_lowercase();
        // "-- " opens a signature; the trailing space is gone by now.
        if *line == "--" {
            break;
        }
        if lower.starts_with("-----original message") || lower.starts_with("-----mensaje original") {
            break;
        }
        if t.starts_with('>') {
            continue;
        }
        kept.push(line);
    }
    let mut out: Vec<&str> = Vec::new();
    for l in kept {
        if l.trim().is_empty() && out.last().is_none_or(|p: &&str| p.trim().is_empty()) {
            continue;
        }
        out.push(l);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

fn is_attribution_start(t: &str) -> bool {
    t.starts_with("On ") || t.starts_with("El ")
}

fn is_attribution_end(t: &str) -> bool {
    t.ends_with("wrote:") || t.ends_with("escribió:")
}

fn is_attribution(t: &str) -> bool {
    is_attribution_start(t) && is_attribution_end(t)
}

/// At most `max` characters, cut at a character boundary; a cut text ends
/// with an ellipsis so readers know there was more.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(from: &str, subject: &str, text: &str) -> InboundMail {
        InboundMail { from: Some(from.into()), subject: Some(subject.into()), text: Some(text.into()) }
    }

    #[test]
    fn senders() {
        assert_eq!(sender_address("\"Ana Pérez\" <Ana.Perez@Example.com>").as_deref(), Some("ana.perez@example.com"));
        assert_eq!(sender_address("Luis <luis@example.com>").as_deref(), Some("luis@example.com"));
        assert_eq!(sender_address(" luis@example.com ").as_deref(), Some("luis@example.com"));
        assert_eq!(sender_address("luis@example.com (Luis G.)").as_deref(), Some("luis@example.com"));
        assert_eq!(sender_address("Ana Pérez"), None);
        assert_eq!(sender_address("<nobody>"), None);
    }

    #[test]
    fn subject_prefixes() {
        assert_eq!(strip_prefixes("Re: Faster returns"), "Faster returns");
        assert_eq!(strip_prefixes("RE: Fwd: RV:  Faster returns "), "Faster returns");
        assert_eq!(strip_prefixes("FW: Reenviar: Menos colas"), "Menos colas");
        assert_eq!(strip_prefixes("Ratio: 3 to 1"), "Ratio: 3 to 1", "a colon alone is not a prefix");
        assert_eq!(strip_prefixes("Re:"), "");
    }

    #[test]
    fn a_reply_from_gmail_in_english() {
        let text = "Let customers book a return slot online.\r\n\r\nIt would cut the queue at the desk.\r\n\r\n\
                    On Mon, Nov 2, 2026 at 10:04 AM Rapport <ideas@rapport.example> wrote:\r\n\
                    > Thanks for your idea!\r\n> Share another one.\r\n";
        let idea = mail("\"Ana Pérez\" <ana@example.com>", "Re: Return slots", text).parse().unwrap();
        assert_eq!(idea.sender, "ana@example.com");
        assert_eq!(idea.title, "Return slots");
        assert_eq!(
            idea.body.as_deref(),
            Some("Let customers book a return slot online.\n\nIt would cut the queue at the desk.")
        );
        assert_eq!(idea.draft().title.as_deref(), Some("Return slots"));
    }

    #[test]
    fn a_reply_in_spanish_with_the_attribution_on_two_lines() {
        let text = "Propongo un mostrador solo para devoluciones.\n\n\
                    El lun, 2 nov 2026 a las 10:04, Rapport (<ideas@rapport.example>)\n\
                    escribió:\n\n> Gracias por tu idea.\n";
        let idea = mail("Luis García <LUIS@example.es>", "RV: Mostrador de devoluciones", text).parse().unwrap();
        assert_eq!(idea.sender, "luis@example.es");
        assert_eq!(idea.title, "Mostrador de devoluciones");
        assert_eq!(idea.body.as_deref(), Some("Propongo un mostrador solo para devoluciones."));
        let one_line = "Sí.\nEl 2 nov 2026, Rapport escribió:\n> hola";
        assert_eq!(strip_quoted(one_line), "Sí.");
    }

    #[test]
    fn outlook_quotes_inline_quotes_and_signatures() {
        let outlook = "Add a chat button.\n\n-----Original Message-----\nFrom: Rapport\nSubject: Ideas";
        assert_eq!(strip_quoted(outlook), "Add a chat button.");
        let inline = "> Why so slow?\nBecause of the printer.\n> And?\nReplace it.";
        assert_eq!(strip_quoted(inline), "Because of the printer.\nReplace it.");
        let signed = "Open at 8.\n-- \nAna Pérez\nStore 12";
        assert_eq!(strip_quoted(signed), "Open at 8.");
        assert_eq!(
            strip_quoted("On time delivery matters.\nThanks"),
            "On time delivery matters.\nThanks",
            "not an attribution"
        );
    }

    #[test]
    fn no_subject_takes_the_first_line() {
        let idea =
            mail("ana@example.com", "  Fwd: ", "\n  Quieter music in store 4  \nPeople complain.").parse().unwrap();
        assert_eq!(idea.title, "Quieter music in store 4");
        let idea = mail("ana@example.com", "Plain subject", "").parse().unwrap();
        assert_eq!((idea.title.as_str(), idea.body), ("Plain subject", None));
    }

    #[test]
    fn long_fields_are_shortened() {
        let idea = mail("ana@example.com", &"ñ".repeat(300), &"b".repeat(MAX_BODY + 5)).parse().unwrap();
        assert_eq!(idea.title.chars().count(), MAX_TITLE);
        assert!(idea.title.ends_with('…'));
        assert_eq!(idea.body.unwrap().chars().count(), MAX_BODY);
    }

    #[test]
    fn refusals() {
        let code = |m: InboundMail, f: &str| m.parse().err().and_then(|e| e.get(f).map(|e| e.code));
        assert_eq!(code(InboundMail::default(), "from"), Some("required"));
        assert_eq!(code(InboundMail::default(), "subject"), Some("required"));
        assert_eq!(code(mail("Ana Pérez", "Idea", "x"), "from"), Some("invalid_email"));
        assert_eq!(code(mail("ana@example.com", "Re:", "> only quoted\n"), "subject"), Some("required"));
        assert_eq!(code(mail("ana@example.com", "Re: x", ""), "subject"), None, "a subject alone is enough");
    }

    #[test]
    fn mailgun_field_names() {
        let m: InboundMail = serde_json::from_value(
            serde_json::json!({"from": "a@b.co", "subject": "S", "body-plain": "T", "extra": 1}),
        )
        .unwrap();
        assert_eq!(m.text.as_deref(), Some("T"));
    }
}
