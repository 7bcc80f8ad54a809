//! Password hashing with argon2id (the `argon2` crate's defaults, which
//! follow the OWASP recommendation), stored as PHC strings.
//!
//! A hash or a check takes tens of milliseconds of CPU and 19 MiB of memory
//! on purpose. The server runs them through the `_async` functions: on
//! tokio's blocking threads, never on the async workers that serve every
//! other request, and at most one per CPU at a time (more would only queue
//! inside the OS while holding their memory).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

pub const MIN_LENGTH: usize = 10;
/// Longer passwords are refused, so that hashing stays cheap.
pub const MAX_LENGTH: usize = 1024;

/// A new password's rule: [`MIN_LENGTH`] to [`MAX_LENGTH`] characters, as
/// `field`.
pub fn check_new(field: &str, password: &str) -> Result<(), rapport_core::validate::FieldErrors> {
    use rapport_core::validate::FieldErrors;
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Err(FieldErrors::single(field, "too_short", format!("must be at least {MIN_LENGTH} characters")));
    }
    if n > MAX_LENGTH {
        return Err(FieldErrors::single(field, "too_long", format!("must be at most {MAX_LENGTH} characters")));
    }
    Ok(())
}

/// Why a new password typed twice is refused, as a catalogue key.
pub fn problem(new: &str, confirm: Option<&str>) -> Option<&'static str> {
    if check_new("new", new).is_err() {
        Some("password-too-short")
    } else if confirm != Some(new) {
        Some("password-mismatch")
    } else {
        None
    }
}

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default params cannot fail")
        .to_string()
}

/// False for a wrong password and for a malformed stored hash alike.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Burns the same time as a real check, so that an unknown e-mail cannot be
/// told from a wrong password by timing.
pub fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash("dummy password for timing"));
    let _ = verify(password, phc);
}

/// At most one argon2 computation per CPU at once.
fn slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

/// Runs `work` on a blocking thread once a slot is free.
async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    // The semaphore is never closed, so acquiring cannot fail.
    let _slot = slots().acquire().await.expect("the argon2 semaphore is never closed");
    match tokio::task::spawn_blocking(work).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// [`hash`], off the async workers.
pub async fn hash_async(password: String) -> String {
    off_the_workers(move || hash(&password)).await
}

/// [`verify`], off the async workers.
pub async fn verify_async(password: String, phc: String) -> bool {
    off_the_workers(move || verify(&password, &phc)).await
}

/// [`verify_dummy`], off the async workers.
pub async fn verify_dummy_async(password: String) {
    off_the_workers(move || verify_dummy(&password)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_and_is_argon2id() {
        let h = hash("correct horse battery");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong", &h));
        assert!(!verify("x", "not a hash"));
        assert_ne!(h, hash("correct horse battery"), "salted");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn checks_run_off_the_async_worker() {
        // On a current-thread runtime a check on the worker would block the
        // ticker below; off the worker it keeps ticking.
        let h = hash_async("correct horse battery".into()).await;
        let ticks = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let t = ticks.clone();
        let ticker = tokio::spawn(async move {
            loop {
                t.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
        });
        tokio::task::yield_now().await;
        let before = ticks.load(std::sync::atomic::Ordering::Relaxed);
        let checks = (0..4).map(|_| verify_async("correct horse battery".into(), h.clone()));
        assert!(futures_util::future::join_all(checks).await.into_iter().all(|ok| ok));
        assert!(!verify_async("wrong".into(), h).await);
        verify_dummy_async("x".into()).await;
        ticker.abort();
        assert!(ticks.load(std::sync::atomic::Ordering::Relaxed) > before + 2, "the worker was blocked");
    }
}
