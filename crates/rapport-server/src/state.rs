use crate::i18n::I18n;
use minijinja::Environment;
use rapport_core::webhook::RetryPolicy;
use rapport_store::Store;
use std::sync::Arc;

/// Settings of a running server that handlers may need.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Set the `Secure` flag on cookies (behind HTTPS).
    pub secure_cookies: bool,
    /// Sign-in hint shown on the sign-in page of a demo server.
    pub demo_hint: Option<DemoHint>,
    /// Where people reach Rapport (links in e-mails and Slack messages).
    pub public_url: Option<String>,
    /// The domain of case reply addresses (`reply+<case>.<org>.<sig>@DOMAIN`),
    /// routed by the mail service to `POST /api/v1/inbound/cases`; `None`:
    /// the domain of the SMTP sender.
    pub inbound_reply_domain: Option<String>,
    /// The outbox's SMTP server; `None`: e-mail deliveries are given up.
    pub smtp: Option<SmtpConfig>,
    /// When failed outbox deliveries are tried again.
    pub retry: RetryPolicy,
    /// Reverse proxies whose `X-Forwarded-For` is believed (the client is
    /// the right-most hop outside these ranges; see `auth::client`). Empty:
    /// the socket's peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Leave out the daily refit schedule (refits run only when asked
    /// for): tests that compare an organization's state before and after.
    pub no_refit_schedule: bool,
    /// `GET /metrics` has its own listener (`Settings::metrics_bind`), so
    /// the application does not serve it; set by `Application::build`.
    pub metrics_elsewhere: bool,
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// lettre's URL form, e.g. `smtp://127.0.0.1:2525` or `smtps://user:pass@host`.
    pub url: String,
    /// The sender, e.g. `Rapport <rapport@example.com>`.
    pub from: String,
}

#[derive(Debug, Clone)]
pub struct DemoHint {
    pub org: String,
    pub email: String,
    pub password: String,
}

/// Shared by every request. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The primary: every write, and every read that is not a report.
    pub store: Arc<dyn Store>,
    /// Where dashboards, reports and exports read (a PostgreSQL replica,
    /// which may lag the primary); the primary itself when none is set.
    /// Use it through [`AppState::reads`]; never write through it.
    pub read_store: Arc<dyn Store>,
    pub i18n: Arc<I18n>,
    pub templates: Arc<Environment<'static>>,
    pub config: Arc<Config>,
    /// Wakes the outbox dispatcher at once (after enqueueing an event).
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// Wakes this server's refit runner (after someone asks for a refit).
    pub refit_wake: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        let i18n = Arc::new(I18n::new());
        let templates = Arc::new(crate::web::templates::environment(i18n.clone()));
        AppState {
            read_store: store.clone(),
            store,
            i18n,
            templates,
            config: Arc::new(config),
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
            refit_wake: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// The same state reading dashboards, reports and exports from `reads`.
    pub fn with_read_store(mut self, reads: Arc<dyn Store>) -> Self {
        self.read_store = reads;
        self
    }

    /// The store for dashboard, report and export reads (see `read_store`).
    pub fn reads(&self) -> &dyn Store {
        self.read_store.as_ref()
    }
}
