//! The emulator's server: routing for both protocols, the in-memory store
//! and the clock. Every GameLift rule is the crate's.
//!
//! Both protocols share one port and one set of shapes:
//! - AWS JSON 1.1: `POST /` with `X-Amz-Target: GameLift.<Operation>`;
//! - Smithy RPC v2 CBOR: `POST /service/GameLift/operation/<Operation>` with
//!   `smithy-protocol: rpc-v2-cbor`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use gamelift_session::{
    CreateContext, CreateGameSessionInput, DescribeGameSessionsInput, GameLiftError,
    GameSessionDetail, GameSessionOutput, Limits, TerminateGameSessionInput, Transition,
    UpdateGameSessionInput, create_game_session, describe_game_sessions, fleet_id_of,
    terminate_game_session, transition,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

const ACCOUNT_ID: &str = "123456789012";
/// The namespace of GameLift's shapes, for CBOR error shape ids.
const NAMESPACE: &str = "com.amazonaws.gamelift";

/// What the simulated game server does with a new session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activation {
    /// It reports the session ready: ACTIVE.
    Active,
    /// It never reports in: the session stays ACTIVATING.
    Never,
    /// It fails to start the session: ERROR.
    Fail,
}

/// The wire protocol of one request, and so of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Json,
    Cbor,
}

impl Protocol {
    fn parse<T: DeserializeOwned>(self, body: &[u8]) -> Result<T, GameLiftError> {
        match self {
            Protocol::Json => serde_json::from_slice(body).map_err(GameLiftError::serialization),
            // An operation's input may come as an empty body.
            Protocol::Cbor if body.is_empty() => {
                ciborium::from_reader(&[0xa0_u8][..]).map_err(GameLiftError::serialization)
            }
            Protocol::Cbor => ciborium::from_reader(body).map_err(GameLiftError::serialization),
        }
    }

    fn write<T: Serialize>(self, value: &T) -> Answer {
        let internal = |e: &dyn std::fmt::Display| GameLiftError::InternalService {
            message: e.to_string(),
        };
        match self {
            Protocol::Json => serde_json::to_vec(value).map_err(|e| internal(&e)),
            Protocol::Cbor => {
                let mut out = Vec::new();
                ciborium::into_writer(value, &mut out).map_err(|e| internal(&e))?;
                Ok(out)
            }
        }
    }

    fn error_body(self, error: &GameLiftError) -> Vec<u8> {
        match self {
            Protocol::Json => error.body().to_json().into_bytes(),
            Protocol::Cbor => {
                #[derive(Serialize)]
                struct CborError {
                    #[serde(rename = "__type")]
                    error_type: String,
                    #[serde(rename = "Message")]
                    message: String,
                }
                let body = CborError {
                    error_type: format!("{NAMESPACE}#{}", error.code()),
                    message: error.to_string(),
                };
                let mut out = Vec::new();
                // Writing a map of two strings to a Vec cannot fail.
                let _ = ciborium::into_writer(&body, &mut out);
                out
            }
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Protocol::Json => "application/x-amz-json-1.1",
            Protocol::Cbor => "application/cbor",
        }
    }
}

/// An operation's answer: an encoded body, or the error to report.
type Answer = Result<Vec<u8>, GameLiftError>;

/// The sessions, in creation order, with an index by id.
#[derive(Debug, Default)]
struct Store {
    sessions: Vec<GameSessionDetail>,
    by_id: HashMap<String, usize>,
}

impl Store {
    fn get_mut(&mut self, id: &str) -> Result<&mut GameSessionDetail, GameLiftError> {
        self.by_id
            .get(id)
            .and_then(|&i| self.sessions.get_mut(i))
            .ok_or_else(|| GameLiftError::game_session_not_found(id))
    }
}

/// The emulator's state.
#[derive(Debug)]
pub(crate) struct Emulator {
    region: String,
    activation: Activation,
    store: Mutex<Store>,
    next_id: AtomicU64,
}

impl Emulator {
    /// An empty emulator for `region`.
    pub(crate) fn new(region: impl Into<String>, activation: Activation) -> Self {
        Emulator {
            region: region.into(),
            activation,
            store: Mutex::default(),
            next_id: AtomicU64::new(1),
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // Every change to a session is all or nothing, so a lock poisoned
        // by a panicking handler still guards consistent sessions.
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn fresh_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
        format!("gsess-{nanos:x}-{n}")
    }

    fn call(&self, operation: &str, body: &[u8], p: Protocol) -> Answer {
        match operation {
            "CreateGameSession" => self.create(body, p),
            "DescribeGameSessions" => self.describe(body, p, false),
            "DescribeGameSessionDetails" => self.describe(body, p, true),
            "UpdateGameSession" => self.update(body, p),
            "TerminateGameSession" => self.terminate(body, p),
            other => Err(GameLiftError::UnknownOperation {
                operation: other.to_owned(),
            }),
        }
    }

    fn create(&self, body: &[u8], p: Protocol) -> Answer {
        let input: CreateGameSessionInput = p.parse(body)?;
        if let (None, Some(alias)) = (&input.fleet_id, &input.alias_id) {
            // The emulator has no aliases: validate, then report it unknown.
            input.validate_with(&Limits::AWS)?;
            return Err(alias_not_found(alias));
        }
        let fleet = input.fleet_id.clone().unwrap_or_default();
        let fresh = self.fresh_id();
        let now = OffsetDateTime::now_utc();
        let context =
            CreateContext::new(&self.region, ACCOUNT_ID, fleet_id_of(&fleet), now, &fresh);
        let mut detail = create_game_session(&input, &context)?;
        // No game server will report in; the session's fate is the setting's.
        match self.activation {
            Activation::Active => transition(&mut detail, Transition::Activate, now)?,
            Activation::Fail => transition(&mut detail, Transition::FailActivation, now)?,
            Activation::Never => {}
        }
        let id = detail
            .game_session
            .as_ref()
            .and_then(|s| s.game_session_id.clone())
            .unwrap_or_default();
        let mut store = self.store();
        // A repeated custom id returns the session it created, as AWS does
        // for a repeated idempotency token.
        let index = if let Some(&i) = store.by_id.get(&id) {
            i
        } else {
            let i = store.sessions.len();
            store.by_id.insert(id, i);
            store.sessions.push(detail);
            i
        };
        p.write(&session_output(store.sessions.get(index)))
    }

    fn describe(&self, body: &[u8], p: Protocol, details: bool) -> Answer {
        let input: DescribeGameSessionsInput = p.parse(body)?;
        if let (None, None, Some(alias)) =
            (&input.fleet_id, &input.game_session_id, &input.alias_id)
        {
            return Err(alias_not_found(alias));
        }
        let store = self.store();
        let page = describe_game_sessions(&input, &store.sessions, None)?;
        if details {
            p.write(&page.details_output())
        } else {
            p.write(&page.game_sessions_output())
        }
    }

    fn update(&self, body: &[u8], p: Protocol) -> Answer {
        let input: UpdateGameSessionInput = p.parse(body)?;
        let update = input.validate()?;
        let mut store = self.store();
        let detail = store.get_mut(update.game_session_id())?;
        update.apply(detail)?;
        p.write(&session_output(Some(detail)))
    }

    fn terminate(&self, body: &[u8], p: Protocol) -> Answer {
        let input: TerminateGameSessionInput = p.parse(body)?;
        let (id, _) = input.validate_with(&Limits::AWS)?;
        let mut store = self.store();
        let detail = store.get_mut(id)?;
        terminate_game_session(detail, &input, OffsetDateTime::now_utc())?;
        p.write(&session_output(Some(detail)))
    }
}

fn session_output(detail: Option<&GameSessionDetail>) -> GameSessionOutput<'_> {
    GameSessionOutput {
        game_session: detail
            .and_then(|d| d.game_session.as_ref())
            .map(std::borrow::Cow::Borrowed),
    }
}

fn alias_not_found(alias: &str) -> GameLiftError {
    GameLiftError::NotFound {
        message: format!("Alias {alias} not found"),
    }
}

/// Runs one request and logs it as one line.
fn respond(
    emulator: &Emulator,
    p: Protocol,
    label: &str,
    operation: &str,
    body: &[u8],
) -> Response {
    let started = Instant::now();
    let (status, body, outcome) = match emulator.call(operation, body, p) {
        Ok(body) => (StatusCode::OK, body, "ok"),
        Err(e) => (
            StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
            p.error_body(&e),
            e.code(),
        ),
    };
    eprintln!(
        "{} {p:?} {label} {} {outcome} {}us",
        OffsetDateTime::now_utc().unix_timestamp(),
        status.as_u16(),
        started.elapsed().as_micros()
    );
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(p.content_type()),
    );
    if p == Protocol::Cbor {
        headers.insert("smithy-protocol", HeaderValue::from_static("rpc-v2-cbor"));
    }
    let request_id = format!("{:032x}", OffsetDateTime::now_utc().unix_timestamp_nanos());
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

async fn json(State(emulator): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // An operation of another service is unknown here too.
    let operation = target.strip_prefix("GameLift.").unwrap_or("");
    let operation = if operation.is_empty() {
        target
    } else {
        operation
    };
    respond(&emulator, Protocol::Json, target, operation, &body)
}

async fn cbor(
    State(emulator): State<Arc<Emulator>>,
    Path(operation): Path<String>,
    body: Bytes,
) -> Response {
    respond(&emulator, Protocol::Cbor, &operation, &operation, &body)
}

/// The routes of both protocols over `emulator`.
pub(crate) fn router(emulator: Arc<Emulator>) -> Router {
    Router::new()
        .route("/", post(json))
        .route("/service/GameLift/operation/{operation}", post(cbor))
        .with_state(emulator)
}
