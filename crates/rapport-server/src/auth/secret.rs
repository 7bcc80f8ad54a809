//! Random secrets (API tokens, session ids) and their stored digests.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new random secret with a recognisable prefix, e.g. `rpt_…` for tokens.
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// What is stored instead of the secret. Secrets are 256 random bits, so a
/// fast hash is enough (no salt or stretching needed, unlike passwords).
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A readable random password for `rapport user create` when none is given.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_and_digests_stable() {
        let a = generate("rpt_");
        assert!(a.starts_with("rpt_") && a.len() == 4 + 64);
        assert_ne!(a, generate("rpt_"));
        // sha256("abc"), FIPS 180-2 appendix B.1
        assert_eq!(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(generate_password().len(), 20);
    }
}
