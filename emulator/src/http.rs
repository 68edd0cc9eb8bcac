//! The HTTP face of the emulator: the routes of both AWS protocols and of the
//! control API, reading bodies within their limits, and one log line per request.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::control;
use crate::failure::Failure;
use crate::log::Bounded;
use crate::protocol::{Protocol, check_headers};
use crate::service::Emulator;

/// The largest request body read: far above any valid GameLift request
/// (16 properties of 32 + 96 characters, a 256 KiB `GameSessionData`).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// How long a client has to send a request, and how large it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpLimits {
    /// The time to send a request's body once its headers are in.
    pub body_timeout: Duration,
    /// The largest body read, in bytes.
    pub max_body_bytes: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            body_timeout: Duration::from_secs(30),
            max_body_bytes: MAX_BODY_BYTES,
        }
    }
}

#[derive(Debug, Clone)]
struct App {
    emulator: Arc<Emulator>,
    limits: HttpLimits,
}

/// The routes of both AWS protocols and of the control API, over `emulator`.
pub fn router(emulator: Arc<Emulator>, limits: HttpLimits) -> Router {
    Router::new()
        .route("/", post(json))
        .route("/service/{service}/operation/{operation}", post(cbor))
        .route("/_emulator/health", get(control::health))
        .route("/_emulator/reset", post(control::reset))
        .route("/_emulator/search-index", get(control::search_index))
        .route(
            "/_emulator/game-sessions/{action}",
            post(control::game_server),
        )
        .route(
            "/_emulator/player-sessions/{action}",
            post(control::player_server),
        )
        .with_state(App { emulator, limits })
}

impl axum::extract::FromRef<App> for Arc<Emulator> {
    fn from_ref(app: &App) -> Self {
        Arc::clone(&app.emulator)
    }
}

/// Reads a body within the size limit and the body timeout.
async fn read_body(body: Body, limits: HttpLimits) -> Result<Bytes, Failure> {
    match tokio::time::timeout(
        limits.body_timeout,
        axum::body::to_bytes(body, limits.max_body_bytes),
    )
    .await
    {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "SerializationException",
            format!(
                "The request body is larger than {} bytes, or was cut short",
                limits.max_body_bytes
            ),
        )),
        Err(_) => Err(Failure::new(
            StatusCode::REQUEST_TIMEOUT,
            "RequestTimeoutException",
            format!(
                "The request body did not arrive within {} s",
                limits.body_timeout.as_secs_f64()
            ),
        )),
    }
}

async fn json(State(app): State<App>, request: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let target = parts
        .headers
        .get("x-amz-target")
        .map_or(Cow::Borrowed(""), |v| String::from_utf8_lossy(v.as_bytes()));
    // An operation of another service is unknown here too, under its full name.
    let operation = match target.strip_prefix("GameLift.") {
        Some(op) if !op.is_empty() => op,
        _ => &target,
    };
    let answer = run(&app, Protocol::Json, operation, &parts.headers, body).await;
    respond(Protocol::Json, operation, answer, started)
}

async fn cbor(
    State(app): State<App>,
    Path((service, operation)): Path<(String, String)>,
    request: Request,
) -> Response {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    // The specification: the service's shape name, or its absolute shape id
    // with `#` written as `.`.
    let answer = if service == "GameLift" || service == "com.amazonaws.gamelift.GameLift" {
        run(&app, Protocol::Cbor, &operation, &parts.headers, body).await
    } else {
        Err(Failure::unroutable(format!(
            "No service {} here; this endpoint serves GameLift",
            Bounded(&service)
        )))
    };
    respond(Protocol::Cbor, &operation, answer, started)
}

async fn run(
    app: &App,
    protocol: Protocol,
    operation: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Vec<u8>, Failure> {
    let declared_length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    check_headers(protocol, headers, declared_length != Some(0))?;
    let body = read_body(body, app.limits).await?;
    Ok(app.emulator.call(operation, &body, protocol)?)
}

/// The response of one AWS request, and its log line.
fn respond(
    protocol: Protocol,
    operation: &str,
    answer: Result<Vec<u8>, Failure>,
    started: Instant,
) -> Response {
    let (status, body) = match answer {
        Ok(body) => {
            tracing::info!(
                protocol = protocol.name(),
                operation = %Bounded(operation),
                status = 200,
                duration_us = started.elapsed().as_micros() as u64,
            );
            (StatusCode::OK, body)
        }
        Err(failure) => {
            tracing::info!(
                protocol = protocol.name(),
                operation = %Bounded(operation),
                status = failure.status.as_u16(),
                error = failure.code,
                duration_us = started.elapsed().as_micros() as u64,
            );
            let body = protocol.error_body(failure.code, &failure.message);
            (failure.status, body)
        }
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(protocol.content_type()),
    );
    if protocol == Protocol::Cbor {
        headers.insert("smithy-protocol", HeaderValue::from_static("rpc-v2-cbor"));
    }
    if matches!(
        status,
        StatusCode::REQUEST_TIMEOUT | StatusCode::PAYLOAD_TOO_LARGE
    ) {
        // What is left of the body is not read: the connection cannot be reused.
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    headers.insert("x-amzn-requestid", request_id());
    response
}

/// A fresh request id: a counter, in the form of AWS's (hex, 32 digits).
fn request_id() -> HeaderValue {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let mut n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut digits = [b'0'; 32];
    for digit in digits.iter_mut().rev() {
        *digit = b"0123456789abcdef"[(n & 0xf) as usize];
        n >>= 4;
    }
    HeaderValue::from_bytes(&digits).unwrap_or(HeaderValue::from_static("0"))
}
