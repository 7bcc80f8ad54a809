//! `rapport serve`: open (and migrate) the store and bind
//! ([`rapport_server::Application`], as the API tests do), optionally seed
//! the demo, announce the address on stdout, serve until Ctrl-C or SIGTERM.

use crate::db::DbArgs;
use crate::demo;
use anyhow::{Context, Result};
use rapport_server::{Application, Config, DemoHint, Settings, SmtpConfig, StartError};
use std::io::Write;
use std::net::SocketAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port (the real address is printed).
    #[arg(long, value_name = "ADDR", env = "RAPPORT_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Serve `GET /metrics` (Prometheus) on this address only, not on
    /// --bind: an address the monitoring reaches and users do not.
    #[arg(long, value_name = "ADDR", env = "RAPPORT_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    #[command(flatten)]
    pub db: DbArgs,
    /// A PostgreSQL read replica of the database (postgres://USER@HOST/DB):
    /// dashboards, reports and exports read there, writes go to the
    /// database URL (the primary). Dashboards then lag by the replication
    /// delay. Needs a PostgreSQL primary; the replica is never migrated.
    #[arg(long, value_name = "URL", env = "RAPPORT_READ_DATABASE_URL", hide_env_values = true)]
    pub read_database_url: Option<String>,
    /// Seed the demo organization `demo` (once; skipped when it exists) and
    /// show its sign-in on the sign-in page. Not for real data.
    #[arg(long)]
    pub demo: bool,
    /// Mark cookies `Secure`; set this when users reach Rapport over HTTPS.
    #[arg(long, env = "RAPPORT_SECURE_COOKIES", value_parser = clap::builder::BoolishValueParser::new())]
    pub secure_cookies: bool,
    /// Format of the logs written to stderr (filter them with RUST_LOG).
    #[arg(long, value_enum, env = "RAPPORT_LOG_FORMAT", default_value = "pretty")]
    pub log_format: LogFormat,
    /// Where people reach Rapport, e.g. https://cx.example.com (links in
    /// e-mails and Slack messages of the outbox).
    #[arg(long, value_name = "URL", env = "RAPPORT_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// SMTP server for e-mail deliveries, in lettre's URL form:
    /// smtp://host:2525, smtp://host:587?tls=required, smtps://user:pass@host.
    /// Without it, e-mail deliveries are given up ("SMTP is not configured").
    #[arg(long, value_name = "URL", env = "RAPPORT_SMTP_URL", requires = "smtp_from")]
    pub smtp_url: Option<String>,
    /// Sender of the e-mails, e.g. "Rapport <rapport@example.com>".
    #[arg(long, value_name = "ADDRESS", env = "RAPPORT_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// The domain of case reply addresses (reply+<case>.<org>.<signature>@DOMAIN):
    /// point its inbound mail (SendGrid Inbound Parse, Mailgun routes, ...) at
    /// POST /api/v1/inbound/cases. Without it, the domain of --smtp-from.
    #[arg(long, value_name = "DOMAIN", env = "RAPPORT_INBOUND_REPLY_DOMAIN")]
    pub inbound_reply_domain: Option<String>,
    /// Reverse proxies in front of Rapport, as CIDR ranges or addresses
    /// (10.0.0.0/8,::1). Only a request from one of them has its client
    /// taken from X-Forwarded-For (the right-most hop not in these ranges);
    /// otherwise the connection's address is the client. Sign-in throttling
    /// and the public survey limit count by that client address.
    #[arg(long, value_name = "CIDR,...", env = "RAPPORT_TRUSTED_PROXIES", value_parser = parse_trusted_proxies)]
    pub trusted_proxies: Option<TrustedProxies>,
}

pub async fn run(args: Args) -> Result<()> {
    let replica = describe_read(&args);
    let smtp = match (args.smtp_url, args.smtp_from) {
        (Some(url), Some(from)) => Some(SmtpConfig { url, from }),
        _ => None,
    };
    let demo_hint = args.demo.then(|| DemoHint {
        org: demo::ORG_SLUG.to_string(),
        email: demo::ADMIN_EMAIL.to_string(),
        password: demo::PASSWORD.to_string(),
    });
    let settings = Settings {
        bind: args.bind,
        database_url: args.db.database_url.clone(),
        data_dir: args.db.data_dir.clone(),
        read_database_url: args.read_database_url.clone(),
        metrics_bind: args.metrics_bind.clone(),
        config: Config {
            secure_cookies: args.secure_cookies,
            demo_hint,
            public_url: args.public_url,
            inbound_reply_domain: args.inbound_reply_domain,
            smtp,
            retry: Default::default(),
            trusted_proxies: args.trusted_proxies.as_ref().map(|t| t.0.clone()).unwrap_or_default(),
            no_refit_schedule: false,
            metrics_elsewhere: false,
        },
    };
    // Opens (and migrates) the store and binds; serving starts below.
    let app = Application::build(settings).await.map_err(|e| match e {
        StartError::Storage(e) => {
            anyhow::Error::new(e).context(format!("cannot open the database ({})", args.db.describe()))
        }
        StartError::ReadStorage(e) => {
            anyhow::Error::new(e).context(format!("cannot open the read database ({replica})"))
        }
        other => other.into(),
    })?;
    let store = app.store().clone();
    tracing::info!(backend = store.backend(), database = %args.db.describe(), "database ready");
    if !std::ptr::addr_eq(app.read_store().as_ref(), store.as_ref()) {
        tracing::info!(database = %replica, "read replica ready (dashboards, reports and exports read there)");
    }
    if args.demo {
        match demo::seed(store.as_ref()).await.context("cannot seed the demo organization")? {
            demo::Seeded::Created => tracing::info!(org = demo::ORG_SLUG, "demo organization seeded"),
            demo::Seeded::AlreadyThere => {
                tracing::info!(org = demo::ORG_SLUG, "demo organization exists; not seeded again")
            }
        }
    }
    let addr = app.address();
    let url = format!("http://{}", browsable(addr));
    let mut out = std::io::stdout().lock();
    if args.demo {
        let token = demo::survey_token(store.as_ref()).await.unwrap_or_else(|e| {
            tracing::warn!(error = %format_args!("{e:#}"), "cannot look up the demo survey");
            None
        });
        writeln!(out, "{}", demo::sign_in_instructions(&url, token.as_deref()))?;
        tracing::warn!("demo credentials are public; do not keep real data in a --demo installation");
    }
    writeln!(out, "Rapport listening on http://{addr}")?;
    out.flush()?;
    drop(out);
    tracing::info!(%addr, "listening");
    if let Some(metrics) = app.metrics_address() {
        tracing::info!(addr = %metrics, "metrics listening (GET /metrics)");
    }
    app.run_until_stopped().await.context("server failed")?;
    Ok(())
}

/// The read replica's URL without any password it may carry.
fn describe_read(args: &Args) -> String {
    let read = DbArgs { database_url: args.read_database_url.clone(), ..args.db.clone() };
    read.describe()
}

/// The ranges of `--trusted-proxies`.
#[derive(Debug, Clone)]
pub struct TrustedProxies(pub Vec<ipnet::IpNet>);

fn parse_trusted_proxies(text: &str) -> Result<TrustedProxies, String> {
    rapport_server::auth::client::parse_ranges(text).map(TrustedProxies)
}

/// An address a browser can open: a wildcard bind is reachable on loopback.
fn browsable(addr: SocketAddr) -> SocketAddr {
    let mut a = addr;
    if a.ip().is_unspecified() {
        a.set_ip(if a.is_ipv4() { [127, 0, 0, 1].into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_binds_are_shown_as_loopback() {
        assert_eq!(browsable("0.0.0.0:8080".parse().unwrap()).to_string(), "127.0.0.1:8080");
        assert_eq!(browsable("[::]:80".parse().unwrap()).to_string(), "[::1]:80");
        assert_eq!(browsable("10.0.0.5:9".parse().unwrap()).to_string(), "10.0.0.5:9");
    }
}
