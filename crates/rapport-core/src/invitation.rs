//! Inviting a person to sign in (P3).
//!
//! Policy: an invitation is for a person of the program who has no account
//! yet. It creates their account at once, linked to them, with no usable
//! password, so the person shows as invited everywhere accounts are listed;
//! the e-mailed link sets the password and works once, for
//! [`VALID_DAYS`]. Inviting again replaces the earlier link. An account whose
//! person has left the company cannot sign in.

use chrono::Duration;

/// How long an invitation link works.
pub const VALID_DAYS: i64 = 7;

pub fn valid_for() -> Duration {
    Duration::days(VALID_DAYS)
}

/// The password hash of an account that was invited and has not yet set a
/// password. No PHC string starts with `!`, so no password matches it.
pub const NO_PASSWORD: &str = "!invited";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invited_account_has_no_phc_hash() {
        assert!(!NO_PASSWORD.starts_with('$'));
        assert_eq!(valid_for(), Duration::days(7));
    }
}
