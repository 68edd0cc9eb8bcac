//! The HTTP face of the emulator: the routes of both AWS protocols and of the
//! control API, reading bodies within their limits, and one log line per request.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::control;
use crate::emulator::Emulator;
use crate::events;
use crate::failure::Failure;
use crate::log::{Bounded, Quoted};
use crate::protocol::{Protocol, check_headers};

/// The largest request body read: far above any valid GameLift request
/// (16 properties of 32 + 96 characters, a 256 KiB `GameSessionData`).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The most request-body bytes held at once, over every request: past it,
/// a body is refused (503) rather than read, so that stalled uploads cannot
/// hold the memory of the machine.
pub const MAX_BYTES_IN_FLIGHT: usize = 64 * 1024 * 1024;

/// How long a client has to send a request, and how large it may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpLimits {
    /// The time to send a request's body once its headers are in.
    pub body_timeout: Duration,
    /// The largest body read, in bytes.
    pub max_body_bytes: usize,
    /// The most body bytes held at once over every request.
    pub max_bytes_in_flight: usize,
    /// Host names (besides IP addresses and `localhost`) that requests may
    /// name in their `Host` header; `*` allows every name. A browser page
    /// on another site that resolves its own name to this machine (DNS
    /// rebinding) names its own host, and is refused.
    pub allowed_hosts: Vec<String>,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            body_timeout: Duration::from_secs(30),
            max_body_bytes: MAX_BODY_BYTES,
            max_bytes_in_flight: MAX_BYTES_IN_FLIGHT,
            allowed_hosts: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
struct App {
    emulator: Arc<Emulator>,
    limits: Arc<HttpLimits>,
    /// Body bytes held, in KiB permits: [`HttpLimits::max_bytes_in_flight`].
    in_flight: Arc<Semaphore>,
    /// Searches run one at a time on a blocking thread, off the runtime's
    /// workers: a scan of thousands of sessions takes a millisecond, and on
    /// a worker it would make every update queued behind it wait that long.
    searching: Arc<Semaphore>,
}

/// The routes of both AWS protocols and of the control API, over `emulator`.
pub fn router(emulator: Arc<Emulator>, limits: HttpLimits) -> Router {
    let in_flight = Arc::new(Semaphore::new(
        (limits.max_bytes_in_flight / 1024).min(Semaphore::MAX_PERMITS),
    ));
    let app = App {
        emulator,
        limits: Arc::new(limits),
        in_flight,
        searching: Arc::new(Semaphore::new(1)),
    };
    Router::new()
        .route("/", post(json).get(crate::sdk_socket::upgrade))
        .route("/service/{service}/operation/{operation}", post(cbor))
        .route("/_emulator/health", get(control::health))
        .route("/_emulator/reset", post(control::reset))
        .route("/_emulator/search-index", get(control::search_index))
        .route("/_emulator/processes", get(control::processes))
        .route("/_emulator/clock/advance", post(control::advance_clock))
        .route(
            "/_emulator/matchmaking/step",
            post(control::matchmaking_step),
        )
        .route(
            "/_emulator/sns/subscriptions",
            post(events::subscribe)
                .delete(events::unsubscribe)
                .get(events::subscriptions),
        )
        .route("/_emulator/sns/confirm", get(events::confirm))
        .route("/_emulator/sns/unsubscribe", get(events::unsubscribe_url))
        .route("/_emulator/events", get(events::events_listing))
        .route("/_emulator/{*action}", post(control::action))
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

impl axum::extract::FromRef<App> for Arc<Emulator> {
    fn from_ref(app: &App) -> Self {
        Arc::clone(&app.emulator)
    }
}

/// What every request passes first: a `Host` this emulator answers to, and
/// for the control API, no other site's page (no foreign `Origin`, a JSON
/// `Content-Type` on every POST, which a page can send cross-site only
/// after a CORS preflight this emulator never grants) and a body read
/// within the same limits as the AWS routes'.
async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let host = parts
        .headers
        .get(header::HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
    if let Some(host) = host
        && !host_allowed(&host, &app.limits.allowed_hosts)
    {
        return refuse(
            StatusCode::FORBIDDEN,
            "AccessDeniedException",
            &format!(
                "Host {} is not one this emulator answers to; start it with --allow-host NAME to allow a name",
                Bounded(name_of(&host))
            ),
        );
    }
    if !parts.uri.path().starts_with("/_emulator/") {
        return next.run(Request::from_parts(parts, body)).await;
    }
    if let Some(origin) = parts.headers.get(header::ORIGIN) {
        let origin = String::from_utf8_lossy(origin.as_bytes());
        let same = parts
            .headers
            .get(header::HOST)
            .is_some_and(|h| origin.strip_prefix("http://") == h.to_str().ok());
        if !same {
            return refuse(
                StatusCode::FORBIDDEN,
                "AccessDeniedException",
                "The control API takes no request from another site's page",
            );
        }
    }
    if parts.method == axum::http::Method::POST {
        let json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaTypeException",
                "A control request needs Content-Type: application/json",
            );
        }
    }
    let (bytes, _held) = match read_body(body, &app).await {
        Ok(read) => read,
        Err(f) => return refuse(f.status, f.code, &f.message),
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The name part of a `Host` header: without the port, IPv6 brackets kept.
fn name_of(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

/// Whether a request may name `host`: an IP address (a page on another
/// site cannot make a browser send one for its own name), `localhost`, or
/// a name the emulator was told to allow.
fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let name = name_of(host);
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<std::net::IpAddr>().is_ok()
        || name.eq_ignore_ascii_case("localhost")
        || allowed
            .iter()
            .any(|a| a == "*" || a.eq_ignore_ascii_case(name))
}

fn refuse(status: StatusCode, code: &'static str, message: &str) -> Response {
    tracing::info!(status = status.as_u16(), error = code, "refused");
    let mut response = (status, Protocol::Json.error_body(code, message)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Reads a body within the size limit, the body timeout and the bytes
/// every request may hold together; answers the permit that holds its
/// share until it is dropped.
async fn read_body(mut body: Body, app: &App) -> Result<(Bytes, OwnedSemaphorePermit), Failure> {
    use http_body_util::BodyExt;
    let limits = &app.limits;
    let too_large = || {
        Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "SerializationException",
            format!(
                "The request body is larger than {} bytes, or was cut short",
                limits.max_body_bytes
            ),
        )
    };
    let mut held = Arc::clone(&app.in_flight)
        .try_acquire_many_owned(0)
        .map_err(|_| too_busy(limits))?;
    let read = async {
        let mut bytes = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| too_large())?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            if bytes.len() + data.len() > limits.max_body_bytes {
                return Err(too_large());
            }
            let have = held.num_permits() * 1024;
            let want = (bytes.len() + data.len()).saturating_sub(have);
            if want > 0 {
                let more = want.div_ceil(1024) as u32;
                let permit = Arc::clone(&app.in_flight)
                    .try_acquire_many_owned(more)
                    .map_err(|_| too_busy(limits))?;
                held.merge(permit);
            }
            bytes.extend_from_slice(&data);
        }
        Ok(Bytes::from(bytes))
    };
    match tokio::time::timeout(limits.body_timeout, read).await {
        Ok(Ok(bytes)) => Ok((bytes, held)),
        Ok(Err(failure)) => Err(failure),
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

/// A search that could not be run (the runtime is shutting down).
fn busy() -> Failure {
    Failure::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "ThrottlingException",
        "The emulator is shutting down; try again".to_owned(),
    )
}

fn too_busy(limits: &HttpLimits) -> Failure {
    Failure::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "ThrottlingException",
        format!(
            "The emulator already holds {} bytes of request bodies under way; try again",
            limits.max_bytes_in_flight
        ),
    )
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
    let (body, _held) = read_body(body, app).await?;
    let (called, lead) = if operation == "SearchGameSessions" {
        let _turn = app.searching.acquire().await.map_err(|_| busy())?;
        let emulator = Arc::clone(&app.emulator);
        let called = tokio::task::spawn_blocking(move || {
            emulator.call("SearchGameSessions", &body, protocol)
        })
        .await
        .map_err(|_| busy())?;
        (called, None)
    } else {
        app.emulator.call_deferring_lead(operation, &body, protocol)
    };
    // The answer goes out once what the operation changed is written.
    app.emulator.lead_then_written(called.seq, lead).await;
    Ok(called.answer?)
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
                operation = %Quoted(operation),
                status = 200,
                duration_us = started.elapsed().as_micros() as u64,
            );
            (StatusCode::OK, body)
        }
        Err(failure) => {
            tracing::info!(
                protocol = protocol.name(),
                operation = %Quoted(operation),
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
        StatusCode::REQUEST_TIMEOUT
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::SERVICE_UNAVAILABLE
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
