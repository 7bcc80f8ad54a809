//! Personal survey links (B2): `/s/{survey token}?c=CUSTOMER&e=EXPIRY&sig=SIG`
//! where SIG is HMAC-SHA256 over the survey token, the customer's external id
//! and the expiry, keyed with the installation secret (shared by every server
//! on one database). Nobody can answer as someone else or past the expiry
//! without the secret; anonymous links carry no `c`, `e` or `sig`.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalLink {
    pub customer: String,
    pub expires: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Parts missing, malformed, or the signature does not match.
    Tampered,
    Expired,
}

fn mac(secret: &[u8], survey_token: &str, customer: &str, expires: i64) -> HmacSha256 {
    let mut m = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    // Length-prefixed fields, so that no two different triples sign alike.
    for part in [survey_token, customer, &expires.to_string()] {
        m.update(&(part.len() as u64).to_be_bytes());
        m.update(part.as_bytes());
    }
    m
}

/// The query string of a personal link (without the leading `?`).
pub fn sign(secret: &[u8], survey_token: &str, customer: &str, expires: DateTime<Utc>) -> String {
    let e = expires.timestamp();
    let sig = hex::encode(mac(secret, survey_token, customer, e).finalize().into_bytes());
    format!("c={}&e={e}&sig={sig}", crate::encode::segment(customer))
}

/// Checks the parts of a personal link taken from its query string.
pub fn verify(
    secret: &[u8],
    survey_token: &str,
    customer: &str,
    expires: &str,
    sig: &str,
    now: DateTime<Utc>,
) -> Result<PersonalLink, LinkError> {
    let e: i64 = expires.parse().map_err(|_| LinkError::Tampered)?;
    let sig = hex::decode(sig).map_err(|_| LinkError::Tampered)?;
    // verify_slice compares in constant time.
    mac(secret, survey_token, customer, e).verify_slice(&sig).map_err(|_| LinkError::Tampered)?;
    let expires = DateTime::from_timestamp(e, 0).ok_or(LinkError::Tampered)?;
    if expires <= now {
        return Err(LinkError::Expired);
    }
    Ok(PersonalLink { customer: customer.to_string(), expires })
}

/// Expiry `days` from `now`.
pub fn expiry(now: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    now + Duration::days(days)
}

/// The installation's signing secret, created on first use and shared by
/// every server on the database.
pub async fn installation_secret(store: &dyn rapport_store::Store) -> Result<Vec<u8>, crate::error::AppError> {
    let candidate = super::secret::generate("");
    Ok(store.installation_secret(&candidate).await?.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(q: &str) -> (String, String, String) {
        let get = |k: &str| q.split('&').find_map(|p| p.strip_prefix(&format!("{k}="))).unwrap().to_string();
        (get("c"), get("e"), get("sig"))
    }

    #[test]
    fn sign_then_verify() {
        let now: DateTime<Utc> = "2026-05-01T00:00:00Z".parse().unwrap();
        let q = sign(b"secret", "svy1", "cust-42", expiry(now, 7));
        let (c, e, sig) = parts(&q);
        assert_eq!(c, "cust-42");
        let ok = verify(b"secret", "svy1", &c, &e, &sig, now).unwrap();
        assert_eq!(ok.customer, "cust-42");
        assert_eq!(verify(b"secret", "svy1", &c, &e, &sig, expiry(now, 8)), Err(LinkError::Expired));
    }

    #[test]
    fn any_change_is_tampering() {
        let now: DateTime<Utc> = "2026-05-01T00:00:00Z".parse().unwrap();
        let (c, e, sig) = parts(&sign(b"secret", "svy1", "cust-42", expiry(now, 7)));
        let later = (e.parse::<i64>().unwrap() + 86_400).to_string();
        assert_eq!(verify(b"secret", "svy1", "cust-43", &e, &sig, now), Err(LinkError::Tampered));
        assert_eq!(verify(b"secret", "svy1", &c, &later, &sig, now), Err(LinkError::Tampered));
        assert_eq!(verify(b"secret", "svy2", &c, &e, &sig, now), Err(LinkError::Tampered));
        assert_eq!(verify(b"other", "svy1", &c, &e, &sig, now), Err(LinkError::Tampered));
        assert_eq!(verify(b"secret", "svy1", &c, &e, "zz", now), Err(LinkError::Tampered));
        assert_eq!(verify(b"secret", "svy1", &c, "soon", &sig, now), Err(LinkError::Tampered));
    }

    #[test]
    fn customer_ids_are_url_encoded() {
        let now: DateTime<Utc> = "2026-05-01T00:00:00Z".parse().unwrap();
        assert!(sign(b"k", "s", "a b&c=ñ", now).starts_with("c=a%20b%26c%3D%C3%B1&"));
    }

    #[test]
    fn rfc4231_test_case_2() {
        // HMAC-SHA256("Jefe", "what do ya want for nothing?") from RFC 4231.
        let mut m = HmacSha256::new_from_slice(b"Jefe").unwrap();
        m.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(m.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
