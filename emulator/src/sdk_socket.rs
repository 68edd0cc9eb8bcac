//! The WebSocket game servers dial: `GET /` with an upgrade, on the
//! emulator's own port (`ws://`, and `wss://` with `--tls`).
//!
//! A handshake is checked before the upgrade (403 with a sentence
//! otherwise: the SDK retries). Each connection then has a reader (this
//! task) and a writer (its own task, fed by a queue of
//! [`WRITE_QUEUE`] frames that replies and pushes share, so they leave in
//! the order made). Bounds, so that no client can hold more than its
//! share:
//!
//! - a frame (text or binary) of more than `MAX_FRAME_BYTES` (1 MiB)
//!   closes the connection (1009);
//! - a binary frame is answered 400: the SDK speaks JSON text;
//! - a frame is written within [`WRITE_TIMEOUT`], or the connection is
//!   dropped (a reader that never reads); a writer queue that is full
//!   drops it too;
//! - a connection that sends nothing for the heartbeat time-out (180 s) is
//!   closed: a live game server heartbeats every 60 s.
//!
//! Closing a connection is not ending a process: the SDK reconnects at
//! once (`game_servers/ending.rs` says when a process is lost).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use gamelift_session::game_server::{FailedReply, FrameError, Handshake, MAX_FRAME_BYTES};
use tokio::sync::mpsc;

use crate::emulator::Emulator;
use crate::fleets::{Link, Outgoing};
use crate::game_servers::Accepted;

/// How many frames wait for a connection's writer at most.
pub(crate) const WRITE_QUEUE: usize = 64;

/// The bytes read from a game server's socket at a time.
const READ_BUFFER: usize = 4096;

/// How long one frame may take to be written.
pub(crate) const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        [("content-type", "text/plain; charset=utf-8")],
        message.to_owned(),
    )
        .into_response()
}

/// `GET /`: a game server's handshake.
pub(crate) async fn upgrade(
    State(emulator): State<Arc<Emulator>>,
    RawQuery(query): RawQuery,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let Ok(upgrade) = upgrade else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "GET / takes WebSocket connections from game servers (Amazon GameLift server SDK 5); \
             the AWS API is POST /",
        );
    };
    let handshake: Handshake = match serde_urlencoded::from_str(query.as_deref().unwrap_or("")) {
        Ok(h) => h,
        Err(_) => {
            return refuse(
                StatusCode::FORBIDDEN,
                "The handshake's query string cannot be read: each parameter once, as text",
            );
        }
    };
    let accepted = match emulator.check_handshake(&handshake) {
        Ok(a) => a,
        Err(e) => {
            tracing::warn!(
                fleet_id =
                    crate::log::Bounded(handshake.fleet_id.as_deref().unwrap_or("")).to_string(),
                "game server handshake refused: {e}"
            );
            return refuse(StatusCode::FORBIDDEN, &e.to_string());
        }
    };
    let idempotency = handshake.idempotency_token.clone();
    upgrade
        // A game server's frames are small: a read buffer of 4 KiB, not
        // tungstenite's 128 KiB, is what makes a connected process cost
        // a few KiB (BENCHMARKS.md); a larger frame still reads whole.
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .on_upgrade(move |socket| connection(emulator, accepted, idempotency, socket))
}

/// The close a read error calls for, if the connection still works.
fn close_for(e: axum::Error) -> Option<(u16, &'static str)> {
    match e
        .into_inner()
        .downcast::<tungstenite::Error>()
        .ok()
        .map(|e| *e)
    {
        Some(tungstenite::Error::Capacity(_)) => Some((1009, "frame too large")),
        Some(tungstenite::Error::Protocol(_) | tungstenite::Error::Utf8(_)) => {
            Some((1002, "protocol error"))
        }
        _ => None,
    }
}

/// The frame `out` is sent as, and whether it is the last.
fn frame_of(out: Outgoing) -> (Message, bool) {
    match out {
        Outgoing::Text(text) => (Message::Text(text.into()), false),
        Outgoing::Close(code, reason) => (
            Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })),
            true,
        ),
    }
}

/// A game server's connection, until it closes.
async fn connection(
    emulator: Arc<Emulator>,
    accepted: Accepted,
    idempotency: Option<String>,
    socket: WebSocket,
) {
    let key = accepted.key.clone();
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::channel::<Outgoing>(WRITE_QUEUE);
    let link_id = emulator.next_link_id();
    let resumed =
        match emulator.connect_process(accepted, idempotency, Link::new(link_id, tx.clone())) {
            Ok(resumed) => resumed,
            Err(e) => {
                // Handshakes that ran together filled the compute: this one
                // is closed as a policy violation; the SDK dials again and
                // its next handshake is refused with the sentence.
                tracing::warn!(fleet_id = key.fleet_id, "game server refused: {e}");
                let (close, _) = frame_of(Outgoing::Close(
                    1008,
                    "the compute holds its most server processes",
                ));
                let _ = tokio::time::timeout(WRITE_TIMEOUT, sink.send(close)).await;
                return;
            }
        };
    tracing::info!(
        process_id = key.process_id,
        fleet_id = key.fleet_id,
        resumed,
        "game server connected"
    );
    let mut writer = tokio::spawn(async move {
        while let Some(out) = rx.recv().await {
            let (message, last) = frame_of(out);
            match tokio::time::timeout(WRITE_TIMEOUT, sink.send(message)).await {
                Ok(Ok(())) if !last => {}
                _ => break,
            }
        }
        let _ = tokio::time::timeout(WRITE_TIMEOUT, sink.close()).await;
    });
    let idle = emulator.settings().game_servers.heartbeat_timeout + Duration::from_secs(10);
    loop {
        let next = tokio::time::timeout(idle, stream.next()).await;
        let reply = match next {
            Ok(Some(Ok(Message::Text(text)))) => {
                let (reply, seq) = emulator.game_server_frame(&key, text.as_str());
                emulator.written(seq).await;
                reply
            }
            Ok(Some(Ok(Message::Binary(_)))) => {
                let e = FrameError::bad_request("Frames are JSON text; a binary frame is not read");
                serde_json::to_string(&FailedReply::new("", "", &e)).unwrap_or_default()
            }
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            Ok(Some(Err(e))) => {
                // A frame past the size limit closes with 1009, one that
                // breaks the protocol with 1002; a broken connection just ends.
                if let Some((code, reason)) = close_for(e) {
                    let _ = tx.try_send(Outgoing::Close(code, reason));
                }
                break;
            }
            // A close, or silence past the time-out.
            _ => break,
        };
        if tx.try_send(Outgoing::Text(reply)).is_err() {
            tracing::warn!(
                process_id = key.process_id,
                "a game server does not read its replies: disconnected"
            );
            break;
        }
    }
    drop(tx);
    emulator.process_disconnected(&key, link_id);
    // The writer ends once every sender of its queue is gone; one that is
    // stuck writing is stopped.
    if tokio::time::timeout(WRITE_TIMEOUT, &mut writer)
        .await
        .is_err()
    {
        writer.abort();
    }
    tracing::info!(process_id = key.process_id, "game server connection closed");
}
