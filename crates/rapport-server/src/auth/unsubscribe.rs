//! One-click unsubscribe links (B1): `/unsubscribe?o=ORG&c=CUSTOMER&sig=SIG`
//! where SIG is HMAC-SHA256 over a purpose tag, the organization's id and
//! the customer's external id, keyed with the installation secret. The link
//! never expires (an old e-mail's link must still work) and grants nothing
//! but unsubscribing that one customer.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], org: i64, customer: &str) -> HmacSha256 {
    let mut m = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    // Length-prefixed fields, so that no two different triples sign alike.
    for part in ["unsubscribe", &org.to_string(), customer] {
        m.update(&(part.len() as u64).to_be_bytes());
        m.update(part.as_bytes());
    }
    m
}

/// The query string of the link (without `?`).
pub fn sign(secret: &[u8], org: i64, customer: &str) -> String {
    let sig = hex::encode(mac(secret, org, customer).finalize().into_bytes());
    format!("o={org}&c={}&sig={sig}", crate::encode::segment(customer))
}

/// Whether `sig` signs this organization and customer (constant time).
pub fn verify(secret: &[u8], org: i64, customer: &str, sig: &str) -> bool {
    let Ok(sig) = hex::decode(sig) else { return false };
    mac(secret, org, customer).verify_slice(&sig).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_one_customer_of_one_organization() {
        let q = sign(b"k", 7, "ana 1");
        let sig = q.rsplit("sig=").next().unwrap();
        assert!(q.starts_with("o=7&c=ana%201&sig="));
        assert!(verify(b"k", 7, "ana 1", sig));
        assert!(!verify(b"k", 8, "ana 1", sig));
        assert!(!verify(b"k", 7, "ana 2", sig));
        assert!(!verify(b"other", 7, "ana 1", sig));
        assert!(!verify(b"k", 7, "ana 1", "zz"));
    }
}
