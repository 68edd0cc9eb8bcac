//! Accepting connections: HTTP/1.1 with timeouts, and a graceful shutdown.
//!
//! A client has [`Timeouts::header`] to send a request's headers, counted
//! from when the connection starts waiting for them: right after it opens,
//! and right after each answer on a kept-alive connection. So a client that
//! sends its headers slowly and one that holds an idle connection open are
//! both cut off, and neither can starve the others of connections or file
//! descriptors. The body has its own limit ([`crate::HttpLimits`]).
//!
//! With a TLS acceptor ([`serve_with_tls`]), a connection whose first byte
//! is a TLS handshake is served over TLS, any other as plain HTTP; the
//! TLS handshake has the same time limit as the headers.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// How long connections may wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// The time to send a request's headers, and the longest an idle
    /// kept-alive connection is held open.
    pub header: Duration,
    /// After shutdown begins, how long requests under way may take to finish.
    pub grace: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header: Duration::from_secs(30),
            grace: Duration::from_secs(10),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then stops
/// accepting, lets requests under way finish (up to `timeouts.grace`) and
/// returns. A connection upgraded to a WebSocket (a game server's) lives
/// on until it closes, or until the emulator closes it.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) {
    serve_with_tls(listener, app, timeouts, None, shutdown).await;
}

/// [`serve`], and with `tls`, TLS too on the same port (see the module's
/// docs): `https://` and `wss://` beside `http://` and `ws://`.
pub async fn serve_with_tls(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) {
    let (stop, stopping) = watch::channel(false);
    // Each connection holds a sender; when they are all gone, every
    // connection has finished.
    let (alive, mut all_done) = mpsc::channel::<()>(1);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a little and go on.
                    tracing::debug!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let stopping = stopping.clone();
        let alive = alive.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(tls) => serve_either(stream, tls, app, timeouts.header, stopping).await,
                None => serve_connection(stream, app, timeouts.header, stopping).await,
            }
            drop(alive);
        });
    }
    drop(listener);
    let _ = stop.send(true);
    drop(alive);
    if tokio::time::timeout(timeouts.grace, all_done.recv())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still under way after {} s were cut off",
            timeouts.grace.as_secs()
        );
    }
}

/// Serves a connection over TLS when it starts with a handshake, in
/// plain HTTP otherwise.
async fn serve_either(
    stream: TcpStream,
    tls: TlsAcceptor,
    app: Router,
    header: Duration,
    stopping: watch::Receiver<bool>,
) {
    let mut first = [0u8; 1];
    let peeked = tokio::time::timeout(header, stream.peek(&mut first)).await;
    if !matches!(peeked, Ok(Ok(1))) {
        return;
    }
    if first[0] != crate::tls::HANDSHAKE_RECORD {
        serve_connection(stream, app, header, stopping).await;
        return;
    }
    match tokio::time::timeout(header, tls.accept(stream)).await {
        Ok(Ok(stream)) => serve_connection(stream, app, header, stopping).await,
        Ok(Err(e)) => tracing::debug!("TLS handshake failed: {e}"),
        Err(_) => tracing::debug!("TLS handshake timed out"),
    }
}

/// Serves HTTP/1.1 (and WebSocket upgrades) on one connection until it
/// ends, or gracefully once `stopping` turns true.
async fn serve_connection<I>(
    io: I,
    app: Router,
    header: Duration,
    mut stopping: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = TowerToHyperService::new(
        app.map_request(|request: hyper::Request<Incoming>| request.map(axum::body::Body::new)),
    );
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header)
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service)
        // Game servers upgrade to a WebSocket on the same port.
        .with_upgrades();
    let mut connection = std::pin::pin!(connection);
    // A client that goes away or times out ends its own connection only.
    tokio::select! {
        _ = connection.as_mut() => {}
        () = async { let _ = stopping.wait_for(|s| *s).await; } => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}
