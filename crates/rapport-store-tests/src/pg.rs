//! Scratch PostgreSQL databases for tests, on the server named by
//! `RAPPORT_TEST_DATABASE_URL` (e.g. `postgres://postgres@127.0.0.1:55432/postgres`).
//! Any crate's tests may use these (as a dev-dependency on this crate).

use sqlx::{Connection, PgConnection};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

pub const VAR: &str = "RAPPORT_TEST_DATABASE_URL";

/// The server's URL, or `None` (after saying "skipped: ...") to skip the
/// test. Under CI (`CI` set) a missing server fails the test instead.
pub fn server_url() -> Option<String> {
    match std::env::var(VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("{VAR} is not set; CI must provide PostgreSQL")
        }
        _ => {
            crate::say(&format!("skipped: no PostgreSQL (set {VAR})"));
            None
        }
    }
}

/// `url` with its database name replaced by `name` (the query string kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let end = base[authority..].find('/').map_or(base.len(), |i| authority + i);
    format!("{}/{name}{query}", &base[..end])
}

/// Creates a fresh, empty database `rapport_t_...` on `server`; returns its
/// URL and a future that drops it (closing whatever is still connected).
pub async fn fresh_database(server: &str) -> (String, impl Future<Output = ()> + Send + 'static) {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let name = format!("rapport_t_{}_{}_{}", std::process::id(), nanos, COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut admin = PgConnection::connect(server).await.unwrap_or_else(|e| panic!("cannot connect to {VAR}: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    let url = with_database(server, &name);
    let drop_it = async move {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
        let _ = admin.close().await;
    };
    (url, drop_it)
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(with_database("postgres://u@h:1/postgres", "x"), "postgres://u@h:1/x");
        assert_eq!(with_database("postgres://u:p@h/db?sslmode=disable", "x"), "postgres://u:p@h/x?sslmode=disable");
        assert_eq!(with_database("postgresql://h", "x"), "postgresql://h/x");
    }
}
