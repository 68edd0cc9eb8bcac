//! Accepting connections: HTTP/1.1 with timeouts, and a graceful shutdown.
//!
//! A client has [`Timeouts::header`] to send a request's headers, counted
//! from when the connection starts waiting for them: right after it opens,
//! and right after each answer on a kept-alive connection. So a client that
//! sends its headers slowly and one that holds an idle connection open are
//! both cut off, and neither can starve the others of connections or file
//! descriptors. The body has its own limit ([`crate::HttpLimits`]).

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
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
    let (stop, stopping) = tokio::sync::watch::channel(false);
    // Each connection holds a sender; when they are all gone, every
    // connection has finished.
    let (alive, mut all_done) = tokio::sync::mpsc::channel::<()>(1);
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
        let service =
            TowerToHyperService::new(app.clone().map_request(
                |request: hyper::Request<Incoming>| request.map(axum::body::Body::new),
            ));
        let mut stopping = stopping.clone();
        let alive = alive.clone();
        let header = timeouts.header;
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
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
