//! A local GameLift endpoint that real AWS clients talk to.
//!
//! Serves `CreateGameSession`, `DescribeGameSessions`,
//! `DescribeGameSessionDetails`, `UpdateGameSession` and
//! `TerminateGameSession` over AWS JSON 1.1 (`POST /` with
//! `X-Amz-Target: GameLift.<Operation>`) on 127.0.0.1. Every rule is the
//! crate's; this program holds only the routing, the storage and the clock.
//! There is no game server behind it, so a new session becomes ACTIVE at
//! once, through the crate's own ACTIVATING -> ACTIVE transition, and a
//! `TRIGGER_ON_PROCESS_TERMINATE` leaves a session TERMINATING.
//!
//! ```sh
//! cargo run --example emulator -- --port 9080    # or GAMELIFT_EMULATOR_PORT=9080
//! ```
//!
//! `--activation` sets what the missing game server does with a new
//! session: `active` (the default) reports it ready, `never` never reports
//! in (the session stays ACTIVATING), `fail` fails to start it (ERROR).
//!
//! Requests are not authenticated: any credentials work. Each request is
//! logged as one line on standard error.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use gamelift_session::{
    CreateContext, CreateGameSessionInput, DescribeGameSessionsInput, GameLiftError,
    GameSessionDetail, GameSessionOutput, TerminateGameSessionInput, Transition,
    UpdateGameSessionInput, create_game_session, describe_game_sessions, fleet_id_of,
    terminate_game_session, transition,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

const JSON_CONTENT_TYPE: &str = "application/x-amz-json-1.1";
const ACCOUNT_ID: &str = "123456789012";
const DEFAULT_PORT: u16 = 9080;

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

/// What the simulated game server does with a new session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Activation {
    Active,
    Never,
    Fail,
}

#[derive(Debug)]
struct Emulator {
    region: String,
    activation: Activation,
    store: Mutex<Store>,
    next_id: AtomicU64,
}

impl Emulator {
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

    fn create(&self, body: &[u8]) -> Answer {
        let input: CreateGameSessionInput = parse(body)?;
        if let (None, Some(alias)) = (&input.fleet_id, &input.alias_id) {
            // The emulator has no aliases: validate, then report it unknown.
            input.validate_with(&gamelift_session::Limits::AWS)?;
            return Err(alias_not_found(alias));
        }
        let fleet = input.fleet_id.clone().unwrap_or_default();
        let fresh = self.fresh_id();
        let context = CreateContext::new(
            &self.region,
            ACCOUNT_ID,
            fleet_id_of(&fleet),
            OffsetDateTime::now_utc(),
            &fresh,
        );
        let mut detail = create_game_session(&input, &context)?;
        // No game server will report in; the session's fate is the setting's.
        let now = OffsetDateTime::now_utc();
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
        if let Some(&i) = store.by_id.get(&id) {
            return write(&session_output(store.sessions.get(i)));
        }
        let index = store.sessions.len();
        store.by_id.insert(id, index);
        store.sessions.push(detail);
        write(&session_output(store.sessions.get(index)))
    }

    fn describe(&self, body: &[u8], details: bool) -> Answer {
        let input: DescribeGameSessionsInput = parse(body)?;
        if let (None, None, Some(alias)) =
            (&input.fleet_id, &input.game_session_id, &input.alias_id)
        {
            return Err(alias_not_found(alias));
        }
        let store = self.store();
        let page = describe_game_sessions(&input, &store.sessions, None)?;
        if details {
            write(&page.details_output())
        } else {
            write(&page.game_sessions_output())
        }
    }

    fn update(&self, body: &[u8]) -> Answer {
        let input: UpdateGameSessionInput = parse(body)?;
        let update = input.validate()?;
        let mut store = self.store();
        let detail = store.get_mut(update.game_session_id())?;
        update.apply(detail)?;
        write(&session_output(Some(detail)))
    }

    fn terminate(&self, body: &[u8]) -> Answer {
        let input: TerminateGameSessionInput = parse(body)?;
        let (id, _) = input.validate_with(&gamelift_session::Limits::AWS)?;
        let mut store = self.store();
        let detail = store.get_mut(id)?;
        terminate_game_session(detail, &input, OffsetDateTime::now_utc())?;
        write(&session_output(Some(detail)))
    }
}

/// An operation's answer: a JSON body, or the error to report.
type Answer = Result<Vec<u8>, GameLiftError>;

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

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, GameLiftError> {
    serde_json::from_slice(body).map_err(GameLiftError::serialization)
}

fn write<T: Serialize>(value: &T) -> Answer {
    serde_json::to_vec(value).map_err(|e| GameLiftError::InternalService {
        message: e.to_string(),
    })
}

async fn handle(
    State(emulator): State<Arc<Emulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let operation = target.strip_prefix("GameLift.").unwrap_or(&target);
    let answer = match operation {
        "CreateGameSession" => emulator.create(&body),
        "DescribeGameSessions" => emulator.describe(&body, false),
        "DescribeGameSessionDetails" => emulator.describe(&body, true),
        "UpdateGameSession" => emulator.update(&body),
        "TerminateGameSession" => emulator.terminate(&body),
        _ => Err(GameLiftError::UnknownOperation {
            operation: target.clone(),
        }),
    };
    let request_id = format!("{:032x}", OffsetDateTime::now_utc().unix_timestamp_nanos());
    let (status, body, outcome) = match answer {
        Ok(body) => (StatusCode::OK, body, "ok".to_owned()),
        Err(e) => (
            StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
            e.body().to_json().into_bytes(),
            e.code().to_owned(),
        ),
    };
    eprintln!(
        "{} {target} {} {outcome} {}us",
        OffsetDateTime::now_utc().unix_timestamp(),
        status.as_u16(),
        started.elapsed().as_micros()
    );
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        h.insert("x-amzn-requestid", id);
    }
    response
}

/// The command line: `[--port N] [--activation active|never|fail]`.
fn options() -> Result<(u16, Activation), String> {
    let usage = "usage: emulator [--port N] [--activation active|never|fail]";
    let mut args = std::env::args().skip(1);
    let mut port = std::env::var("GAMELIFT_EMULATOR_PORT").ok();
    let mut activation = Activation::Active;
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--port", Some(p)) => port = Some(p),
            ("--activation", Some(a)) => {
                activation = match a.as_str() {
                    "active" => Activation::Active,
                    "never" => Activation::Never,
                    "fail" => Activation::Fail,
                    other => return Err(format!("unknown activation {other}; {usage}")),
                }
            }
            _ => return Err(format!("unexpected argument {arg}; {usage}")),
        }
    }
    let port = port.map_or(Ok(DEFAULT_PORT), |p| {
        p.parse().map_err(|_| format!("not a port: {p}"))
    })?;
    Ok((port, activation))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (port, activation) = options()?;
    let emulator = Arc::new(Emulator {
        region: std::env::var("AWS_REGION").unwrap_or_else(|_| "us-west-2".to_owned()),
        activation,
        store: Mutex::default(),
        next_id: AtomicU64::new(1),
    });
    let app = Router::new().route("/", post(handle)).with_state(emulator);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!(
        "gamelift emulator listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
