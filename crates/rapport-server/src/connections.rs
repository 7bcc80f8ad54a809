//! Serving TCP connections with limits, so that sockets cannot exhaust the
//! server nor keep real clients out:
//!
//! - **Open files.** At start-up [`Limits::for_this_process`] raises the
//!   process's open-file soft limit to its hard limit (the `rlimit` crate)
//!   and sizes the connection cap from it: three quarters of the limit (at
//!   least 256 files are kept for the database, logs and outgoing
//!   deliveries), at most [`MAX_CONNECTIONS`]. So accepting never runs out
//!   of file descriptors.
//! - **The cap, and who gives way.** At most [`Limits::max_connections`]
//!   are open at once. When a new connection arrives and the cap is
//!   reached, the oldest open connection with *no request in flight* (idle
//!   between requests, or still waiting for its request's headers) is
//!   closed to admit it. Idle or half-sent sockets therefore never keep a
//!   real client (or `/healthz`) waiting in the listen backlog, however many
//!   there are; a client whose idle keep-alive connection was closed simply
//!   opens another. A connection is "in flight" from its request's headers
//!   until the last byte of its response body (an SSE stream is in flight
//!   for as long as it streams), and is never evicted; only when every
//!   connection is in flight does a new one wait in the backlog.
//! - **Timeouts.** A request's headers must arrive within
//!   [`Limits::header_timeout`] of the connection opening or of the
//!   previous response (hyper's header read timeout), and a connection with
//!   no bytes read or written for [`Limits::idle_timeout`] is closed after
//!   its request in flight, if any. Long responses that keep writing (the
//!   SSE stream sends a keep-alive comment every 15 s) are never idle.
//!
//! The listen backlog is raised to 4,096 (the kernel's `somaxconn` caps it)
//! from the standard library's 128, so that a burst of new connections does
//! not overflow it while they are accepted.
//!
//! This is axum's own "serve with hyper" loop with those limits; the router
//! gets the peer address (`ConnectInfo<SocketAddr>`) as with `axum::serve`.
//! `crates/rapport-cli/tests/limits.rs` holds 20,000 idle and half-sent
//! connections against the real binary while `/healthz` keeps answering.

use axum::extract::Request;
use axum::Router;
use hyper::body::{Body as HttpBody, Bytes, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, Semaphore};
use tower::{Service, ServiceExt};

/// The router with the peer's address attached, as `axum::serve` makes it.
type PeerRouter = axum::middleware::AddExtension<Router, axum::extract::ConnectInfo<SocketAddr>>;

/// The most connections served at once, whatever the open-file limit: each
/// costs a task and hyper's buffers (some 10 KiB when idle).
pub const MAX_CONNECTIONS: usize = 16_384;
/// The fewest, however low the open-file limit.
const MIN_CONNECTIONS: usize = 64;
/// Files kept for everything else when sizing the cap: at least this many,
/// and at least a quarter of the limit.
const RESERVED_FILES: u64 = 256;
/// The open-file limit asked for at start-up (Linux's default `nr_open`),
/// when the hard limit is higher.
const WANTED_FILES: u64 = 1 << 20;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
}

impl Default for Limits {
    /// 4,096 connections, 15 s for headers, 60 s idle; the process's limits
    /// are not looked at (see [`Limits::for_this_process`]).
    fn default() -> Self {
        Limits { max_connections: 4096, header_timeout: Duration::from_secs(15), idle_timeout: Duration::from_secs(60) }
    }
}

impl Limits {
    /// What a server uses: raises the open-file soft limit to the hard limit
    /// and sizes the cap from it ([`connections_for`]); the timeouts of
    /// [`Limits::default`].
    pub fn for_this_process() -> Limits {
        let files = raise_open_files_limit();
        let limits = Limits { max_connections: connections_for(files), ..Limits::default() };
        tracing::info!(open_files = ?files, max_connections = limits.max_connections, "connection limits");
        limits
    }
}

/// Raises the process's open-file soft limit as far as the hard limit allows
/// (at most 2^20) and returns the soft limit now in force; `None` when it
/// cannot be read (not Unix).
pub fn raise_open_files_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(WANTED_FILES) {
        Ok(n) if cfg!(unix) => Some(n),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(error = %e, "cannot raise the open-file limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE).ok().map(|(soft, _)| soft)
        }
    }
}

/// The connection cap for an open-file limit: what is left after keeping a
/// quarter of the files (at least 256) for everything else, between 64 and
/// [`MAX_CONNECTIONS`]; 4,096 when the limit is unknown.
pub fn connections_for(open_files: Option<u64>) -> usize {
    let Some(files) = open_files else { return Limits::default().max_connections };
    let spare = files.saturating_sub((files / 4).max(RESERVED_FILES));
    usize::try_from(spare).unwrap_or(usize::MAX).clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
}

/// The listen backlog asked for (the kernel caps it at `somaxconn`): the
/// standard library's 128 overflows in a burst of new connections, and each
/// overflow costs the client a second (its SYN is retransmitted).
const BACKLOG: i32 = 4096;

/// How long the requests in flight have to finish after `stop`.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `stop` completes, then lets the requests
/// in flight finish (at most [`DRAIN`]).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Listening again on a listening socket only changes its backlog.
    if let Err(e) = socket2::SockRef::from(&listener).listen(BACKLOG) {
        tracing::debug!(error = %e, "cannot enlarge the listen backlog");
    }
    let mut make = app.into_make_service_with_connect_info::<SocketAddr>();
    let cap = limits.max_connections.max(1);
    let permits = Arc::new(Semaphore::new(cap));
    let open = Arc::new(Registry::default());
    let (closing, closed) = watch::channel(false);
    // Said once each time every connection is busy, not per connection.
    let mut told_full = false;
    tokio::pin!(stop);
    loop {
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait, don't spin.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let permit = match permits.clone().try_acquire_owned() {
            Ok(p) => {
                told_full = false;
                p
            }
            Err(_) => {
                // Full: the oldest connection with no request in flight makes
                // room; if every one is busy, wait for one to end.
                if open.evict_oldest_idle() {
                    tracing::debug!("connection cap reached: closed the oldest idle connection");
                } else if !std::mem::replace(&mut told_full, true) {
                    tracing::warn!(cap, "connection cap reached with every connection busy; new ones wait");
                }
                tokio::select! {
                    p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
                    () = &mut stop => break,
                }
            }
        };
        let service = match make.call(peer).await {
            Ok(s) => s,
            Err(never) => match never {},
        };
        let closed = closed.clone();
        let (id, slot) = open.add();
        let open = open.clone();
        tokio::spawn(async move {
            connection(socket, service, limits, closed, slot).await;
            open.remove(id);
            drop(permit);
        });
    }
    drop(listener);
    let _ = closing.send(true);
    // Every connection holds a permit until it ends.
    let all = u32::try_from(cap).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN, permits.acquire_many(all)).await;
    Ok(())
}

/// One open connection as the accept loop sees it.
#[derive(Default)]
struct Slot {
    /// Requests whose response has not been sent to its last byte.
    in_flight: AtomicUsize,
    /// Told when the connection is chosen to make room.
    evict: Notify,
}

/// The open connections, oldest first (ids grow).
#[derive(Default)]
struct Registry(Mutex<Open>);

#[derive(Default)]
struct Open {
    next: u64,
    slots: BTreeMap<u64, Arc<Slot>>,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn add(&self) -> (u64, Arc<Slot>) {
        let mut open = self.lock();
        let id = open.next;
        open.next += 1;
        let slot = Arc::new(Slot::default());
        open.slots.insert(id, slot.clone());
        (id, slot)
    }

    fn remove(&self, id: u64) {
        self.lock().slots.remove(&id);
    }

    /// Tells the oldest connection with no request in flight to close (and
    /// forgets it, so that the next eviction picks another); false when
    /// every connection has one.
    fn evict_oldest_idle(&self) -> bool {
        let mut open = self.lock();
        let idle = open.slots.iter().find(|(_, s)| s.in_flight.load(Ordering::SeqCst) == 0).map(|(id, _)| *id);
        match idle.and_then(|id| open.slots.remove(&id)) {
            Some(slot) => {
                slot.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Counts a request as in flight while it lives: it is made when hyper hands
/// the request over and travels in the response body until hyper drops it,
/// after its last byte.
struct InFlight(Arc<Slot>);

impl InFlight {
    fn new(slot: &Arc<Slot>) -> Self {
        slot.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(slot.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response body carrying its request's [`InFlight`] mark.
struct Guarded {
    inner: axum::body::Body,
    _in_flight: InFlight,
}

impl HttpBody for Guarded {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// One connection: HTTP/1.1 (what browsers and proxies speak to us),
/// upgrades allowed, closed when idle, when the server stops (after its
/// request in flight) or at once when evicted with no request in flight.
/// hyper's header timer starts when the connection opens, so a socket that
/// never sends a request is closed after `header_timeout` too.
async fn connection(
    socket: TcpStream,
    service: PeerRouter,
    limits: Limits,
    mut closed: watch::Receiver<bool>,
    slot: Arc<Slot>,
) {
    let activity = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let io = TokioIo::new(Tracked { inner: socket, activity: activity.clone(), started });
    let requests = slot.clone();
    let hyper_service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let in_flight = InFlight::new(&requests);
        let response = service.clone().oneshot(request);
        async move {
            let response = response.await?;
            Ok::<_, Infallible>(response.map(|inner| axum::body::Body::new(Guarded { inner, _in_flight: in_flight })))
        }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(io, hyper_service)
        .with_upgrades();
    tokio::pin!(conn);
    let mut tick = tokio::time::interval(limits.idle_timeout / 4);
    let mut shutting_down = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            _ = tick.tick(), if !shutting_down => {
                let last = Duration::from_millis(activity.load(Ordering::Relaxed));
                if started.elapsed().saturating_sub(last) >= limits.idle_timeout {
                    conn.as_mut().graceful_shutdown();
                    shutting_down = true;
                }
            }
            changed = closed.changed(), if !shutting_down => {
                if changed.is_err() || *closed.borrow() {
                    conn.as_mut().graceful_shutdown();
                    shutting_down = true;
                }
            }
            () = slot.evict.notified(), if !shutting_down => {
                // Closed to admit a new connection. A request that arrived
                // since it was chosen is answered first.
                if slot.in_flight.load(Ordering::SeqCst) == 0 {
                    return;
                }
                conn.as_mut().graceful_shutdown();
                shutting_down = true;
            }
        }
    }
}

/// A socket that records when bytes last moved (milliseconds since the
/// connection opened).
struct Tracked {
    inner: TcpStream,
    activity: Arc<AtomicU64>,
    started: Instant,
}

impl Tracked {
    fn touch(&self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.activity.store(ms, Ordering::Relaxed);
    }
}

impl AsyncRead for Tracked {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(poll, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.touch();
        }
        poll
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        poll
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_follows_the_open_file_limit() {
        assert_eq!(connections_for(None), 4096);
        assert_eq!(connections_for(Some(1024)), 768, "256 kept");
        assert_eq!(connections_for(Some(20_000)), 15_000, "a quarter kept");
        assert_eq!(connections_for(Some(1 << 20)), MAX_CONNECTIONS);
        assert_eq!(connections_for(Some(100)), MIN_CONNECTIONS);
    }

    #[test]
    fn eviction_takes_the_oldest_connection_without_a_request_in_flight() {
        let open = Registry::default();
        let (a, slot_a) = open.add();
        let (_b, slot_b) = open.add();
        let (_c, slot_c) = open.add();
        let busy = InFlight::new(&slot_a);
        assert!(open.evict_oldest_idle());
        // b was told (a stored permit), a and c were not.
        let told = |s: &Arc<Slot>| {
            let n = s.evict.notified();
            futures_util::FutureExt::now_or_never(n).is_some()
        };
        assert!(told(&slot_b) && !told(&slot_a) && !told(&slot_c));
        assert!(open.evict_oldest_idle(), "c next");
        assert!(told(&slot_c));
        assert!(!open.evict_oldest_idle(), "only a is left, and it is busy");
        drop(busy);
        assert!(open.evict_oldest_idle(), "a once its response is sent");
        open.remove(a);
        assert!(open.lock().slots.is_empty());
    }
}
