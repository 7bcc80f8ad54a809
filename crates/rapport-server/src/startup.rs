//! Starting a server: the one way `rapport serve`, the benchmark and the API
//! tests get a running Rapport.
//!
//! [`Application::build`] checks the settings, opens (and migrates) the
//! store from its URL ([`crate::storage`]), opens the read replica if one
//! is set (read-only, not migrated) and binds the listener;
//! [`Application::run_until_stopped`] starts the background tasks (intent
//! monitor, outbox dispatcher, escalation clock, purge) and serves with each
//! connection's peer address attached (`ConnectInfo<SocketAddr>`), until
//! Ctrl-C or SIGTERM. Tests bind port 0 and read [`Application::address`].

use crate::notify::email::Mailer;
use crate::state::{AppState, Config};
use rapport_store::{Store, StoreError};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Everything a server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Address to listen on, e.g. `127.0.0.1:8080`; port 0 picks a free port.
    pub bind: String,
    /// `postgres://…`, `postgresql://…` or `sqlite:FILE`; `None` (or blank):
    /// the SQLite file `rapport.db` in [`Settings::data_dir`].
    pub database_url: Option<String>,
    /// Where the default SQLite file lives.
    pub data_dir: PathBuf,
    /// A PostgreSQL read replica of `database_url` (`postgres://…`), where
    /// dashboards, reports and exports read; `None` (or blank): they read
    /// the primary. Must not be SQLite, and needs a PostgreSQL primary.
    pub read_database_url: Option<String>,
    /// Where `GET /metrics` is served instead of `bind` (an address only
    /// the monitoring reaches); `None`: on `bind`, with the rest.
    pub metrics_bind: Option<String>,
    /// What handlers and background tasks see (cookies, outbox, demo hint…).
    pub config: Config,
}

impl Default for Settings {
    /// `rapport serve`'s defaults: `127.0.0.1:8080`, SQLite in the current
    /// directory, [`Config::default`].
    fn default() -> Self {
        Settings {
            bind: "127.0.0.1:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("."),
            read_database_url: None,
            metrics_bind: None,
            config: Config::default(),
        }
    }
}

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The SMTP URL or sender cannot be used (checked at start rather than at
    /// the first e-mail).
    #[error("{0}")]
    Smtp(String),
    #[error("cannot open the database")]
    Storage(#[source] StoreError),
    /// The read replica's URL is not usable (not PostgreSQL, or the primary
    /// is not), it cannot be reached, or its schema is behind the binary's.
    #[error("cannot open the read database")]
    ReadStorage(#[source] StoreError),
    #[error("cannot listen on {bind}")]
    Bind {
        bind: String,
        #[source]
        source: std::io::Error,
    },
}

/// A server whose store is open and whose listener is bound, not serving yet.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    /// `GET /metrics` alone, when it has its own address.
    metrics: Option<(TcpListener, SocketAddr)>,
    state: AppState,
}

impl Application {
    /// Checks the settings, opens the store and binds the listener.
    pub async fn build(settings: Settings) -> Result<Application, StartError> {
        if let Some(smtp) = &settings.config.smtp {
            Mailer::new(&smtp.url, &smtp.from).map_err(StartError::Smtp)?;
        }
        let read_url = settings.read_database_url.as_deref().map(str::trim).filter(|u| !u.is_empty());
        if let Some(url) = read_url {
            // Refused before the primary is opened (and migrated).
            crate::storage::check_read_url(settings.database_url.as_deref(), url).map_err(StartError::ReadStorage)?;
        }
        let store = crate::storage::open(settings.database_url.as_deref(), &settings.data_dir)
            .await
            .map_err(StartError::Storage)?;
        let read_store = match read_url {
            Some(url) => crate::storage::open_read(settings.database_url.as_deref(), url)
                .await
                .map_err(StartError::ReadStorage)?,
            None => store.clone(),
        };
        let listener = TcpListener::bind(&settings.bind)
            .await
            .map_err(|source| StartError::Bind { bind: settings.bind.clone(), source })?;
        let address =
            listener.local_addr().map_err(|source| StartError::Bind { bind: settings.bind.clone(), source })?;
        let metrics = match settings.metrics_bind.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
            Some(bind) => {
                let failed = |source| StartError::Bind { bind: bind.to_string(), source };
                let listener = TcpListener::bind(bind).await.map_err(failed)?;
                let address = listener.local_addr().map_err(failed)?;
                Some((listener, address))
            }
            None => None,
        };
        let config = Config { metrics_elsewhere: metrics.is_some(), ..settings.config };
        let state = AppState::new(store, config).with_read_store(read_store);
        Ok(Application { listener, address, metrics, state })
    }

    /// The address the listener is bound to (the real port when 0 was asked).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The address of `GET /metrics` when it has its own listener.
    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|(_, a)| *a)
    }

    /// The open store (to seed data before serving, or to check it in tests).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.state.store
    }

    /// Where dashboards, reports and exports read: the read replica, or the
    /// primary's store when none was set.
    pub fn read_store(&self) -> &Arc<dyn Store> {
        &self.state.read_store
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` completes, then finishes the requests in flight.
    /// The background tasks run as long as this future: they stop when it
    /// returns or is dropped (a test aborting the server's task).
    pub async fn run_until(self, stop: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let state = self.state;
        let _monitor = AbortOnDrop(tokio::spawn(crate::measure::monitor::run(state.store.clone())));
        let _dispatcher = AbortOnDrop(tokio::spawn(crate::notify::dispatcher::run(state.clone())));
        let _escalator = AbortOnDrop(tokio::spawn(crate::escalate::run(state.clone())));
        let _digests = AbortOnDrop(tokio::spawn(crate::notify::digest::run(state.clone())));
        let _training = AbortOnDrop(tokio::spawn(crate::notify::training::run(state.clone())));
        let _distribution = AbortOnDrop(tokio::spawn(crate::notify::distribution::run(state.clone())));
        let _purger = AbortOnDrop(tokio::spawn(crate::purge::run(state.clone())));
        let _refits = AbortOnDrop(tokio::spawn(crate::model::run(state.clone())));
        let _metrics = self.metrics.map(|(listener, _)| {
            let app = crate::ops::metrics::router().with_state(state.clone());
            AbortOnDrop(tokio::spawn(async move {
                if let Err(error) = axum::serve(listener, app).await {
                    tracing::error!(%error, "the metrics listener stopped");
                }
            }))
        });
        crate::connections::serve(
            self.listener,
            crate::app(state),
            crate::connections::Limits::for_this_process(),
            stop,
        )
        .await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// Stops a background task when the server stops.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
