//! Writing a case reply as the customer will receive it: the template in
//! their language with its placeholders filled, the signed reply address in
//! `Reply-To` (and its token in the subject), the outbox payload of
//! `notify::email::CustomerMail`. Shared by the API and the case page.
//!
//! The reply address is `reply+<case>.<org>.<sig>@<domain>`, `sig` the
//! first 16 bytes (hex) of HMAC-SHA256 of `case-reply:<org>:<case>` keyed
//! with the installation secret, as ideas' inbound URL is signed
//! (`api/inbound.rs`). The domain is `--inbound-reply-domain`, else the
//! SMTP sender's, else the public URL's host, else `localhost`.

use crate::auth::link::installation_secret;
use crate::auth::Principal;
use crate::error::AppError;
use crate::notify::email::CustomerMail;
use crate::state::{AppState, Config};
use hmac::{Hmac, Mac};
use rapport_core::case::conversation::address::ReplyRef;
use rapport_core::case::conversation::templates::{effective, ReplyValues};
use rapport_core::case::conversation::{customer_language, CaseMessageInput, MessageKind};
use rapport_core::lang::Lang;
use rapport_core::Id;
use rapport_store::conversations::{CaseContact, NewCaseMessage};
use sha2::Sha256;

fn mac(secret: &[u8], case: Id, org: Id) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    m.update(ReplyRef::signed_text(case, org).as_bytes());
    m
}

/// The signed reference of a case's replies.
pub(crate) fn sign(secret: &[u8], case: Id, org: Id) -> ReplyRef {
    let tag = mac(secret, case, org).finalize().into_bytes();
    ReplyRef { case, org, sig: hex::encode(&tag[..16]) }
}

/// Whether a reference's signature is ours, compared in constant time.
pub(crate) fn verify(secret: &[u8], r: &ReplyRef) -> bool {
    let Ok(sig) = hex::decode(&r.sig) else { return false };
    sig.len() == 16 && mac(secret, r.case, r.org).verify_truncated_left(&sig).is_ok()
}

/// The domain of reply addresses (see the module's policy).
pub(crate) fn reply_domain(config: &Config) -> String {
    let configured = config.inbound_reply_domain.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let sender =
        config.smtp.as_ref().and_then(|s| s.from.rsplit_once('@')).map(|(_, d)| d.trim_end_matches('>').trim());
    let public = config
        .public_url
        .as_deref()
        .and_then(|u| u.split("://").nth(1))
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|h| !h.is_empty());
    configured.or(sender.filter(|d| !d.is_empty())).or(public).unwrap_or("localhost").to_string()
}

/// The reply address of a case.
pub(crate) async fn reply_address(s: &AppState, org: Id, case: Id) -> Result<ReplyRef, AppError> {
    let secret = installation_secret(&*s.store).await?;
    Ok(sign(&secret, case, org))
}

/// The name replies are signed with: the agent's person, else their e-mail.
async fn agent_name(s: &AppState, p: &Principal) -> String {
    if let Some(person) = p.user.as_ref().and_then(|u| u.person_id) {
        if let Ok(person) = s.store.get_person(p.org.id, person).await {
            return person.name;
        }
    }
    p.user.as_ref().map_or_else(|| p.actor.clone(), |u| u.email.clone())
}

/// The language a reply to this customer is written in by default.
pub(crate) fn language_of(contact: &CaseContact, org_default: Lang) -> Lang {
    customer_language(&contact.attributes, &contact.latest, org_default)
}

/// The message to store (and, for a reply, the e-mail to enqueue).
pub(crate) async fn compose(
    s: &AppState,
    p: &Principal,
    case: Id,
    input: &CaseMessageInput,
) -> Result<NewCaseMessage, AppError> {
    let contact = s.store.case_contact(p.org.id, case).await?;
    if input.kind != MessageKind::Reply {
        let body = input.body.clone().unwrap_or_default();
        return Ok(NewCaseMessage { kind: MessageKind::Note, subject: None, body, lang: None, payload: None });
    }
    let settings = s.store.org_settings(p.org.id).await?;
    let lang = input.lang.unwrap_or_else(|| language_of(&contact, settings.default_language));
    let agent = agent_name(s, p).await;
    let rendered = match input.template {
        Some(step) => {
            let custom = s.store.list_reply_templates(p.org.id).await?;
            let t = effective(&custom).into_iter().find(|t| t.step == step).expect("every step has a template");
            let case_no = case.to_string();
            let name = contact.name.clone().unwrap_or_default();
            let values = ReplyValues { name: &name, case: &case_no, agent: &agent, company: &settings.name };
            Some(t.render(lang, &values))
        }
        None => None,
    };
    let subject = input
        .subject
        .clone()
        .or_else(|| rendered.as_ref().map(|r| r.0.clone()))
        .unwrap_or_else(|| format!("Re: {}", contact.title));
    let body = input.body.clone().or_else(|| rendered.map(|r| r.1)).unwrap_or_default();
    let r = reply_address(s, p.org.id, case).await?;
    let mail = CustomerMail {
        subject: format!("{subject} {}", r.subject_token()),
        text: body.clone(),
        reply_to: Some(r.address(&reply_domain(&s.config))),
        from_name: Some(format!("{agent} · {}", settings.name)),
        unsubscribe: None,
    };
    let payload = serde_json::json!({ "mail": mail, "url": format!("/cases/{case}") });
    Ok(NewCaseMessage {
        kind: MessageKind::Reply,
        subject: Some(subject),
        body,
        lang: Some(lang.code().into()),
        payload: Some(payload),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::SmtpConfig;

    #[test]
    fn a_signature_verifies_and_a_changed_one_does_not() {
        let r = sign(b"secret", 17, 3);
        assert!(verify(b"secret", &r));
        assert!(!verify(b"other secret", &r));
        assert!(!verify(b"secret", &ReplyRef { case: 18, ..r.clone() }), "another case");
        assert!(!verify(b"secret", &ReplyRef { org: 4, ..r.clone() }), "another organization");
        let mut flipped = r.sig.clone().into_bytes();
        flipped[0] = if flipped[0] == b'0' { b'1' } else { b'0' };
        assert!(!verify(b"secret", &ReplyRef { sig: String::from_utf8(flipped).unwrap(), ..r }));
    }

    #[test]
    fn the_domain_falls_back_from_the_flag_to_the_sender_to_the_public_url() {
        let mut c = Config { public_url: Some("https://cx.example:8443/x".into()), ..Config::default() };
        assert_eq!(reply_domain(&c), "cx.example");
        c.smtp = Some(SmtpConfig { url: "smtp://x".into(), from: "Rapport <rapport@mail.example>".into() });
        assert_eq!(reply_domain(&c), "mail.example");
        c.inbound_reply_domain = Some(" in.example ".into());
        assert_eq!(reply_domain(&c), "in.example");
        assert_eq!(reply_domain(&Config::default()), "localhost");
    }
}
