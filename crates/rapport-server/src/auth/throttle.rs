//! Sign-in throttling: how many password attempts may fail, per account
//! and client address, and per client address alone.
//!
//! Policy (each a budget that refills steadily, GCRA):
//! - an account from one address: [`PER_ACCOUNT`], 5 failures, then one
//!   more every 3 minutes (5 per 15 minutes);
//! - one address, whatever the accounts: [`PER_ADDRESS`], 50 failures, then
//!   one more every 18 seconds (50 per 15 minutes);
//! - an attempt takes its place in both budgets *before* the password is
//!   checked (so parallel guesses cannot slip through together); a refused
//!   attempt checks nothing and costs nothing;
//! - a successful sign-in clears that account's budget at that address (not
//!   at any other) and gives its place back to the address's budget;
//! - "account" means organization and e-mail as typed (case and spaces
//!   aside), whether or not they exist, so the answer tells nothing about
//!   which accounts exist.
//!
//! The state is in memory, per server process (several servers behind a
//! load balancer each count their own), bounded to [`MAX_ENTRIES`] keys per
//! budget: keys whose budget is full again are dropped first, then those
//! closest to it.
//! Governor's keyed limiters implement the same algorithm but can neither
//! look at a key without spending from it nor clear a single key, which
//! this policy needs; the algorithm itself is a few lines.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many failures at once, and over which period they refill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub failures: u32,
    pub period: Duration,
}

impl Budget {
    /// The time one failure takes to refill.
    fn interval(self) -> Duration {
        self.period / self.failures
    }

    /// How far ahead of now the budget's clock may run: all but one failure.
    fn tolerance(self) -> Duration {
        self.interval() * (self.failures - 1)
    }
}

pub const PER_ACCOUNT: Budget = Budget { failures: 5, period: Duration::from_secs(15 * 60) };
pub const PER_ADDRESS: Budget = Budget { failures: 50, period: Duration::from_secs(15 * 60) };
/// Keys kept per budget (about 100 bytes each).
pub const MAX_ENTRIES: usize = 20_000;

/// An account as typed at the sign-in form, as a fixed-size key.
type AccountKey = [u8; 32];

pub struct SignInThrottle {
    account: Budget,
    address: Budget,
    max_entries: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The "theoretical arrival time" of each key: its budget is full again
    /// at that instant, and it is exhausted while it lies beyond now plus
    /// the tolerance.
    accounts: HashMap<(AccountKey, IpAddr), Instant>,
    addresses: HashMap<IpAddr, Instant>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle::new(PER_ACCOUNT, PER_ADDRESS, MAX_ENTRIES)
    }
}

impl SignInThrottle {
    pub fn new(account: Budget, address: Budget, max_entries: usize) -> Self {
        assert!(account.failures > 0 && address.failures > 0 && max_entries > 0);
        SignInThrottle { account, address, max_entries, state: Mutex::new(State::default()) }
    }

    /// The key of an account: organization and e-mail as typed, trimmed and
    /// lower-cased (so "Ana@X" and "ana@x " are one account).
    pub fn account_key(org: &str, email: &str) -> AccountKey {
        let mut h = Sha256::new();
        h.update(org.trim().to_lowercase().as_bytes());
        h.update([0]);
        h.update(email.trim().to_lowercase().as_bytes());
        h.finalize().into()
    }

    /// Takes a place for one attempt in both budgets, or says how long to
    /// wait when either is exhausted (then nothing is taken).
    pub fn begin(&self, account: AccountKey, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let wait_account = wait(s.accounts.get(&(account, client)), self.account, now);
        let wait_address = wait(s.addresses.get(&client), self.address, now);
        let wait = wait_account.max(wait_address);
        if !wait.is_zero() {
            return Err(wait);
        }
        take(&mut s.accounts, (account, client), self.account, now, self.max_entries);
        take(&mut s.addresses, client, self.address, now, self.max_entries);
        Ok(())
    }

    /// The attempt begun with [`SignInThrottle::begin`] succeeded: clears
    /// this account's budget at this address and gives the address its
    /// place back.
    pub fn succeeded(&self, account: AccountKey, client: IpAddr, now: Instant) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.accounts.remove(&(account, client));
        if let Some(tat) = s.addresses.get_mut(&client) {
            *tat = tat.checked_sub(self.address.interval()).unwrap_or(now).max(now);
        }
    }

    /// Keys held (accounts at addresses, addresses), for tests.
    pub fn len(&self) -> (usize, usize) {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (s.accounts.len(), s.addresses.len())
    }
}

/// How long until a key's budget allows one more failure; zero when it does.
fn wait(tat: Option<&Instant>, budget: Budget, now: Instant) -> Duration {
    match tat {
        Some(tat) => tat.saturating_duration_since(now + budget.tolerance()),
        None => Duration::ZERO,
    }
}

/// Spends one failure of a key's budget, making room first if the map is full.
fn take<K: Eq + Hash + Copy>(map: &mut HashMap<K, Instant>, key: K, budget: Budget, now: Instant, max: usize) {
    if !map.contains_key(&key) && map.len() >= max {
        evict(map, now, max);
    }
    let tat = map.get(&key).copied().unwrap_or(now).max(now);
    map.insert(key, tat + budget.interval());
}

/// Drops the keys whose budget is full again (they are as good as new);
/// if that is not enough, the tenth of the keys closest to it.
fn evict<K: Eq + Hash + Copy>(map: &mut HashMap<K, Instant>, now: Instant, max: usize) {
    map.retain(|_, tat| *tat > now);
    if map.len() >= max {
        let mut tats: Vec<Instant> = map.values().copied().collect();
        let cut = (max / 10).max(1).min(tats.len() - 1);
        let (_, threshold, _) = tats.select_nth_unstable(cut);
        let threshold = *threshold;
        map.retain(|_, tat| *tat > threshold);
    }
    map.shrink_to(max);
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn five_failures_lock_the_account_at_that_address() {
        let t = SignInThrottle::default();
        let (ana, home, cafe) =
            (SignInThrottle::account_key("acme", "ana@acme.example"), ip("203.0.113.1"), ip("203.0.113.2"));
        let now = Instant::now();
        for _ in 0..5 {
            assert_eq!(t.begin(ana, home, now), Ok(()));
        }
        // Locked for one refill interval (3 minutes).
        assert_eq!(t.begin(ana, home, now), Err(3 * MIN));
        assert_eq!(t.begin(ana, home, now + MIN), Err(2 * MIN));
        // Not from another address, and not for another account.
        assert_eq!(t.begin(ana, cafe, now), Ok(()));
        assert_eq!(t.begin(SignInThrottle::account_key("acme", "bo@acme.example"), home, now), Ok(()));
        // One more attempt once a place has refilled, then locked again.
        let later = now + 3 * MIN;
        assert_eq!(t.begin(ana, home, later), Ok(()));
        assert_eq!(t.begin(ana, home, later), Err(3 * MIN));
        // Fifteen minutes of quiet: the whole budget is back.
        let much_later = later + 15 * MIN;
        for _ in 0..5 {
            assert_eq!(t.begin(ana, home, much_later), Ok(()));
        }
        assert!(t.begin(ana, home, much_later).is_err());
    }

    #[test]
    fn an_account_is_named_however_it_is_typed() {
        assert_eq!(
            SignInThrottle::account_key(" ACME", "Ana@Acme.example "),
            SignInThrottle::account_key("acme", "ana@acme.example")
        );
        assert_ne!(SignInThrottle::account_key("acme", "ana"), SignInThrottle::account_key("acmeana", ""));
    }

    #[test]
    fn success_clears_only_that_account_at_that_address() {
        let t = SignInThrottle::default();
        let ana = SignInThrottle::account_key("acme", "ana@acme.example");
        let (home, cafe) = (ip("203.0.113.1"), ip("203.0.113.2"));
        let now = Instant::now();
        for _ in 0..5 {
            t.begin(ana, home, now).unwrap();
        }
        for _ in 0..4 {
            t.begin(ana, cafe, now).unwrap();
        }
        // The fifth attempt from the café is the right password.
        t.begin(ana, cafe, now).unwrap();
        t.succeeded(ana, cafe, now);
        assert!(t.begin(ana, home, now).is_err(), "home stays locked");
        for _ in 0..5 {
            assert_eq!(t.begin(ana, cafe, now), Ok(()), "the café starts afresh");
        }
    }

    #[test]
    fn fifty_failures_lock_the_address_for_every_account() {
        let t = SignInThrottle::default();
        let home = ip("203.0.113.1");
        let now = Instant::now();
        for n in 0..50 {
            assert_eq!(t.begin(SignInThrottle::account_key("acme", &format!("user{n}")), home, now), Ok(()));
        }
        let fresh = SignInThrottle::account_key("acme", "fresh");
        assert_eq!(t.begin(fresh, home, now), Err(Duration::from_secs(18)));
        assert_eq!(t.begin(fresh, ip("203.0.113.2"), now), Ok(()));
        // A success gives the address's place back.
        let t = SignInThrottle::default();
        for n in 0..60 {
            let who = SignInThrottle::account_key("acme", &format!("user{n}"));
            assert_eq!(t.begin(who, home, now), Ok(()), "sign-in {n}");
            t.succeeded(who, home, now);
        }
    }

    #[test]
    fn memory_stays_bounded() {
        let t = SignInThrottle::new(PER_ACCOUNT, PER_ADDRESS, 100);
        let now = Instant::now();
        for n in 0..1_000u32 {
            let who = SignInThrottle::account_key("acme", &n.to_string());
            let _ = t.begin(who, IpAddr::from(n.to_be_bytes()), now + Duration::from_millis(u64::from(n)));
            let (accounts, addresses) = t.len();
            assert!(accounts <= 100 && addresses <= 100, "{accounts} {addresses}");
        }
        // The most recent keys are kept: the last address is still counted.
        let last = IpAddr::from(999u32.to_be_bytes());
        let who = SignInThrottle::account_key("acme", "999");
        let at = now + Duration::from_millis(999);
        for _ in 0..4 {
            t.begin(who, last, at).unwrap();
        }
        assert!(t.begin(who, last, at).is_err());
        // Keys whose budget is full again go first.
        let t = SignInThrottle::new(PER_ACCOUNT, PER_ADDRESS, 10);
        for n in 0..10u32 {
            t.begin(SignInThrottle::account_key("a", &n.to_string()), ip("203.0.113.1"), now).unwrap();
        }
        let hour = now + 60 * MIN;
        t.begin(SignInThrottle::account_key("a", "new"), ip("203.0.113.1"), hour).unwrap();
        assert_eq!(t.len(), (1, 1));
    }
}
