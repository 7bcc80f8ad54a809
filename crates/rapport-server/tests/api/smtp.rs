//! A real SMTP server for the e-mail tests: Python's aiosmtpd (Debian's
//! `python3-aiosmtpd`; `$RAPPORT_PYTHON` names another interpreter) on a
//! free local port, storing every message it accepts in a maildir. Without
//! it a test says it was skipped, and fails when `CI` is set.

use crate::webhooks::eventually;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct SmtpSink {
    pub addr: SocketAddr,
    /// Where the messages go (`new/` holds one file per message).
    pub maildir: PathBuf,
    /// The interpreter that runs aiosmtpd, for tests that parse mail with
    /// Python's `email` package.
    pub python: String,
    _dir: tempfile::TempDir,
    _server: tokio::process::Child,
}

impl SmtpSink {
    /// A listening server, or `None` when aiosmtpd is missing (outside CI).
    pub async fn start(test: &str) -> Option<SmtpSink> {
        let python = std::env::var("RAPPORT_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
        let ok = std::process::Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            let why = format!("{python} cannot import aiosmtpd (install python3-aiosmtpd or set RAPPORT_PYTHON)");
            assert!(std::env::var_os("CI").is_none(), "{why}");
            rapport_store_tests::say(&format!("{test} skipped: {why}"));
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("mail");
        let addr = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
        let server = tokio::process::Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &addr.to_string(), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .kill_on_drop(true)
            .spawn()
            .expect("start aiosmtpd");
        eventually("aiosmtpd to listen", Duration::from_secs(20), || async move {
            tokio::net::TcpStream::connect(addr).await.ok().map(|_| ())
        })
        .await;
        Some(SmtpSink { addr, maildir, python, _dir: dir, _server: server })
    }

    /// The server as `--smtp-url` names it.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// The messages received so far, as sent (headers and body), oldest first.
    pub fn raw(&self) -> Vec<String> {
        messages_in(&self.maildir)
    }
}

/// The messages in a maildir, as sent, oldest first.
pub fn messages_in(maildir: &Path) -> Vec<String> {
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(maildir.join("new")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    paths.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect()
}
