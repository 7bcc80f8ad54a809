//! The signed reply address of a case: `reply+<case>.<org>.<sig>@<domain>`,
//! where `sig` is the hex HMAC-SHA256 (first 16 bytes) of the case and the
//! organization keyed with the installation secret (computed by the server:
//! the core holds no secret). The same triple travels in the subject as
//! `[ref:<case>.<org>.<sig>]`, for mail services that rewrite the recipient.
//!
//! Policy: an answer is matched only by a triple whose signature verifies
//! (in constant time, by the server); this module only reads triples out
//! of addresses and subjects, refusing anything that is not exactly one.

use crate::Id;

/// The local part's prefix of every reply address.
pub const PREFIX: &str = "reply+";
/// Hex characters of a signature (16 bytes).
pub const SIG_LEN: usize = 32;

/// What a reply address or subject token names: the case, its
/// organization and the signature to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRef {
    pub case: Id,
    pub org: Id,
    pub sig: String,
}

impl ReplyRef {
    /// `reply+<case>.<org>.<sig>@<domain>`.
    pub fn address(&self, domain: &str) -> String {
        format!("{PREFIX}{}.{}.{}@{domain}", self.case, self.org, self.sig)
    }

    /// `[ref:<case>.<org>.<sig>]`, appended to a reply's subject.
    pub fn subject_token(&self) -> String {
        format!("[ref:{}.{}.{}]", self.case, self.org, self.sig)
    }

    /// What the HMAC signs: the purpose, the organization and the case.
    pub fn signed_text(case: Id, org: Id) -> String {
        format!("case-reply:{org}:{case}")
    }
}

/// The triple `<case>.<org>.<sig>`, if it is one.
fn triple(text: &str) -> Option<ReplyRef> {
    let mut parts = text.split('.');
    let case = parts.next()?.parse::<Id>().ok().filter(|c| *c > 0)?;
    let org = parts.next()?.parse::<Id>().ok().filter(|o| *o > 0)?;
    let sig = parts.next()?;
    if parts.next().is_some() || sig.len() != SIG_LEN || !sig.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(ReplyRef { case, org, sig: sig.to_ascii_lowercase() })
}

/// The reference in a recipient list (`to` or `recipient` as mail services
/// post it: `Acme <reply+1.2.ab…@in.example>, other@x`), if one address
/// is a reply address.
pub fn from_recipients(to: &str) -> Option<ReplyRef> {
    to.split([',', ';', ' ', '<', '>', '"']).find_map(|word| {
        let local = word.trim().strip_prefix(PREFIX)?;
        let (local, _domain) = local.split_once('@')?;
        triple(local)
    })
}

/// The reference in a subject (`Re: Sorry [ref:1.2.ab…]`), if any.
pub fn from_subject(subject: &str) -> Option<ReplyRef> {
    let start = subject.find("[ref:")? + 5;
    let end = subject[start..].find(']')? + start;
    triple(&subject[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIG: &str = "0123456789abcdef0123456789ABCDEF";

    #[test]
    fn an_address_and_a_token_read_back() {
        let r = ReplyRef { case: 17, org: 3, sig: SIG.to_lowercase() };
        let a = r.address("in.example");
        assert_eq!(a, format!("reply+17.3.{}@in.example", SIG.to_lowercase()));
        assert_eq!(from_recipients(&format!("\"Acme\" <{a}>, ops@x.io")), Some(r.clone()));
        assert_eq!(from_subject(&format!("Re: Lo sentimos {}", r.subject_token())), Some(r));
    }

    #[test]
    fn anything_else_is_no_reference() {
        for bad in [
            "ops@x.io",
            "reply+17.3@x.io",
            "reply+17.3.abc@x.io",
            &format!("reply+17.3.{SIG}.9@x.io"),
            &format!("reply+-1.3.{SIG}@x.io"),
            &format!("reply+17.3.{}@x.io", "g".repeat(SIG_LEN)),
            &format!("reply+17.3.{SIG}"),
        ] {
            assert_eq!(from_recipients(bad), None, "{bad}");
        }
        assert_eq!(from_subject("Re: hello [ref:1.2]"), None);
        assert_eq!(from_subject("[ref:1.2.x"), None);
    }

    proptest::proptest! {
        /// Any text reads as a reference or none, without panicking; a
        /// formatted reference always reads back.
        #[test]
        fn any_text_is_read_or_refused(text in ".{0,200}", case in 1i64..1_000_000, org in 1i64..1000) {
            let _ = from_recipients(&text);
            let _ = from_subject(&text);
            let r = ReplyRef { case, org, sig: SIG.to_lowercase() };
            proptest::prop_assert_eq!(from_recipients(&r.address("x.io")), Some(r.clone()));
            proptest::prop_assert_eq!(from_subject(&format!("Re: {}", r.subject_token())), Some(r));
        }
    }
}
