//! Starting a server: the one way `rapport serve`, the benchmark and the API
//! tests get a running Rapport.
//!
//! [`Application::build`] checks the settings, opens (and migrates) the
//! store from its URL ([`crate::storage`]) and binds the listener;
//! [`Application::run_until_stopped`] starts the background tasks (intent
//! monitor, outbox dispatcher, escalation clock) and serves with each
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
    state: AppState,
}

impl Application {
    /// Checks the settings, opens the store and binds the listener.
    pub async fn build(settings: Settings) -> Result<Application, StartError> {
        if let Some(smtp) = &settings.config.smtp {
            Mailer::new(&smtp.url, &smtp.from).map_err(StartError::Smtp)?;
        }
        let store = crate::storage::open(settings.database_url.as_deref(), &settings.data_dir)
            .await
            .map_err(StartError::Storage)?;
        let listener = TcpListener::bind(&settings.bind)
            .await
            .map_err(|source| StartError::Bind { bind: settings.bind.clone(), source })?;
        let address =
            listener.local_addr().map_err(|source| StartError::Bind { bind: settings.bind.clone(), source })?;
        Ok(Application { listener, address, state: AppState::new(store, settings.config) })
    }

    /// The address the listener is bound to (the real port when 0 was asked).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The open store (to seed data before serving, or to check it in tests).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.state.store
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
        let app = crate::app(state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app).with_graceful_shutdown(stop).await
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
