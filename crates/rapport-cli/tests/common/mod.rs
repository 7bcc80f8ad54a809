//! Shared by the integration tests: running the real `rapport` binary against
//! a temporary SQLite directory or a fresh PostgreSQL database, starting
//! servers (killed on drop), HTTP helpers, and the CI skip policy.
#![allow(dead_code)]

use serde_json::Value;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_rapport");
/// How long a server may take to migrate, seed the demo and bind.
const START_TIMEOUT: Duration = Duration::from_secs(180);

/// True when running under CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A prerequisite is missing: fail under CI, otherwise say the test is skipped.
pub fn missing(what: &str) {
    assert!(!in_ci(), "{what}, and CI is set: this test must run in CI, not be skipped");
    eprintln!("skipped: {what}");
}

/// A `rapport` command that takes no configuration from the environment.
pub fn rapport() -> Command {
    let mut c = Command::new(BIN);
    for var in
        ["RAPPORT_DATABASE_URL", "RAPPORT_DATA_DIR", "RAPPORT_BIND", "RAPPORT_LOG_FORMAT", "RAPPORT_SECURE_COOKIES"]
    {
        c.env_remove(var);
    }
    c.env("RUST_LOG", "info");
    c
}

/// Kills (and reaps) a child process when dropped, also when a test panics.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Where a test's data lives: SQLite in a temporary directory, or a fresh
/// PostgreSQL database (the directory then only holds server logs).
pub struct Db {
    dir: TempDir,
    pg: Option<PgDatabase>,
}

impl Db {
    pub fn sqlite() -> Db {
        Db { dir: tempfile::tempdir().expect("temp dir"), pg: None }
    }

    /// A fresh database on the server of `RAPPORT_TEST_DATABASE_URL`; `None`
    /// (test skipped) when that is unset, a failure when it is unset under CI.
    pub async fn postgres() -> Option<Db> {
        match std::env::var("RAPPORT_TEST_DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => {
                Some(Db { dir: tempfile::tempdir().expect("temp dir"), pg: Some(PgDatabase::create(url.trim()).await) })
            }
            _ => {
                missing("RAPPORT_TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)");
                None
            }
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The database flags every subcommand takes.
    pub fn args(&self) -> Vec<String> {
        match &self.pg {
            Some(pg) => vec!["--database-url".into(), pg.url.clone()],
            None => vec!["--data-dir".into(), self.dir().display().to_string()],
        }
    }

    /// Runs `rapport ARGS --database-flags`, feeding `stdin` (or nothing).
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = rapport()
            .args(args)
            .args(self.args())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run rapport");
        let mut input = child.stdin.take().expect("stdin");
        input.write_all(stdin.as_bytes()).expect("write stdin");
        drop(input);
        child.wait_with_output().expect("wait for rapport")
    }

    /// Like `run`, asserting success; returns stdout.
    pub fn ok(&self, args: &[&str], stdin: &str) -> String {
        let out = self.run(args, stdin);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(out.status.success(), "rapport {args:?} failed ({}):\nstdout: {stdout}\nstderr: {stderr}", out.status);
        stdout
    }

    /// Like `run`, asserting failure; returns stderr.
    pub fn fails(&self, args: &[&str], stdin: &str) -> String {
        let out = self.run(args, stdin);
        assert!(!out.status.success(), "rapport {args:?} should fail; stdout: {}", text(&out.stdout));
        text(&out.stderr)
    }

    /// An API token of organization `org` with `role`.
    pub fn token(&self, org: &str, role: &str) -> String {
        let token =
            self.ok(&["token", "create", "--org", org, "--role", role, "--name", "tests"], "").trim().to_string();
        assert!(token.starts_with("rpt_") && !token.contains('\n'), "one token on stdout: {token:?}");
        token
    }

    /// `rapport serve --bind 127.0.0.1:0 EXTRA`, once it listens.
    pub fn serve(&self, extra: &[&str]) -> Server {
        self.serve_all(&[extra]).pop().expect("one server")
    }

    /// Starts one server per argument list at the same time, then waits until
    /// each listens.
    pub fn serve_all(&self, extras: &[&[&str]]) -> Vec<Server> {
        let starting: Vec<_> = extras.iter().map(|extra| Server::spawn(self, extra)).collect();
        starting.into_iter().map(Server::ready).collect()
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A running `rapport serve`, killed when dropped.
pub struct Server {
    child: KillOnDrop,
    lines: mpsc::Receiver<String>,
    pub log: PathBuf,
    /// `http://127.0.0.1:PORT`, from the listening line.
    pub url: String,
    /// What the server printed on stdout before the listening line.
    pub preamble: String,
}

impl Server {
    fn spawn(db: &Db, extra: &[&str]) -> Server {
        static N: AtomicUsize = AtomicUsize::new(0);
        let log = db.dir().join(format!("server-{}.log", N.fetch_add(1, Ordering::SeqCst)));
        let mut child = rapport()
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(db.args())
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(File::create(&log).expect("server log file"))
            .spawn()
            .expect("start rapport serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        // Reads stdout to the end, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Server { child: KillOnDrop(child), lines, log, url: String::new(), preamble: String::new() }
    }

    fn ready(mut self) -> Server {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => match line.strip_prefix("Rapport listening on ") {
                    Some(url) => {
                        assert!(url.starts_with("http://127.0.0.1:"), "listening line: {line}");
                        self.url = url.trim().to_string();
                        return self;
                    }
                    None => {
                        self.preamble.push_str(&line);
                        self.preamble.push('\n');
                    }
                },
                Err(e) => panic!(
                    "rapport serve did not print its listening line ({e:?}); stdout so far:\n{}\nlog:\n{}",
                    self.preamble,
                    self.log_text()
                ),
            }
        }
    }

    /// The server's process id (to watch its memory).
    pub fn pid(&self) -> u32 {
        self.child.0.id()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops the server (SIGKILL) and waits for it.
    pub fn stop(self) {}

    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        request(reqwest::Method::GET, &format!("{}{path}", self.url), token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        request(reqwest::Method::POST, &format!("{}{path}", self.url), token, Some(body)).await
    }

    /// GET with the token, asserting 200; returns the JSON body.
    pub async fn json(&self, path: &str, token: &str) -> Value {
        let (status, body) = self.get(path, Some(token)).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// Submits the web sign-in form; returns the status and whether a
    /// session cookie was set.
    pub async fn sign_in(&self, org: &str, email: &str, password: &str) -> (u16, bool) {
        let form: Vec<String> = [("org", org), ("email", email), ("password", password)]
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        let resp = client()
            .post(format!("{}/sign-in", self.url))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form.join("&"))
            .send()
            .await
            .expect("sign-in request");
        let session = resp
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .any(|c| c.as_bytes().starts_with(b"rapport_session="));
        (resp.status().as_u16(), session)
    }

    /// The length of a JSON list answered by GET `path`.
    pub async fn count(&self, path: &str, token: &str) -> usize {
        let body = self.json(path, token).await;
        body.as_array().unwrap_or_else(|| panic!("GET {path} is not a list: {body}")).len()
    }
}

/// An HTTP client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Sends a request; the body comes back as JSON, or as a JSON string when it
/// is not JSON.
pub async fn request(method: reqwest::Method, url: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    let mut req = client().request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap_or_else(|e| panic!("request to {url}: {e}"));
    let status = resp.status().as_u16();
    let raw = resp.text().await.expect("response body");
    (status, serde_json::from_str(&raw).unwrap_or(Value::String(raw)))
}

/// A database created for one test on a shared PostgreSQL server, dropped
/// (with its connections) at the end.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create(admin_url: &str) -> PgDatabase {
        use sqlx::Connection;
        let name = format!("rapport_cli_{:016x}", rand::random::<u64>());
        let mut c = sqlx::PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to RAPPORT_TEST_DATABASE_URL: {e}"));
        sqlx::raw_sql(&format!("CREATE DATABASE {name}")).execute(&mut c).await.expect("create test database");
        let _ = c.close().await;
        PgDatabase { url: with_database(admin_url, &name), admin_url: admin_url.to_string(), name }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which must not block: use a
        // thread with its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                use sqlx::Connection;
                if let Ok(mut c) = sqlx::PgConnection::connect(&url).await {
                    let _ =
                        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c).await;
                }
            });
        })
        .join();
    }
}

/// `postgres://u@h:p/db?x` with `db` replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let (scheme, rest) = base.split_once("://").expect("a postgres:// URL");
    let authority = rest.split('/').next().unwrap_or(rest);
    let q = query.map(|q| format!("?{q}")).unwrap_or_default();
    format!("{scheme}://{authority}/{name}{q}")
}

/// A free TCP port on loopback (free when asked; good enough for tests).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// Waits until something accepts connections on `port`.
pub fn wait_for_port(port: u16, child: &mut Child, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("process exited ({status}) before listening on port {port}");
        }
        assert!(Instant::now() < deadline, "nothing listens on port {port} after {timeout:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
