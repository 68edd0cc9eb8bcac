//! The control API for tests, under `/_emulator/`, beside the AWS API.
//!
//! No AWS operation uses that path. JSON in, JSON out, errors in the AWS
//! JSON shape (`{"__type": ..., "Message": ...}`):
//!
//! | request | what it does | answer |
//! |---|---|---|
//! | `GET /_emulator/health` | readiness check, and what is kept | `{"Status": "ok", "GameSessions": N, "Kept": {...}}`, and with `--state` `"StateFile": "ok"` or the sentence of its last failure |
//! | `POST /_emulator/reset` | forgets every session, alias, queue, placement, rule set, configuration and ticket (declared fleets stay) | `{"GameSessionsRemoved": N}` |
//! | `POST /_emulator/clock/advance` | moves the emulator's clock ahead by `{"Seconds": S}` (reservations, placements and tickets time out by it, what ended is forgotten past its retention, and a matchmaking pass runs) | `{"Now": <epoch seconds>}` |
//! | `POST /_emulator/matchmaking/step` | runs one matchmaking pass now (`QUEUED` tickets start searching, time-outs, every match the pools allow, placements moved on) | `{"Searching": N, "Matches": N, "GivenUp": N}` |
//! | `GET /_emulator/search-index` | the property keys searches can see | `{"Capacity": 500, "IndexedKeys": N, "LeftOutKeys": [...]}` |
//! | `GET /_emulator/processes` | every compute and every connected game server process, with its state (`CONNECTED`, `READY`, `HOSTING`, `ENDING`), its port and session | `{"Computes": [...], "Processes": [...]}` |
//! | `POST /_emulator/fleets/launch` | makes a fleet whose processes the emulator launches, as `--launch` does: `{"FleetId": "fleet-game", "LaunchPath": "python3", "Parameters": "server.py", "ConcurrentExecutions": 2}` | `{"FleetAttributes": ...}` |
//! | `POST /_emulator/fleets` | declares a fleet, as `--fleet` does: `{"FleetId": "fleet-1", "Capacity": 2, "Locations": ["us-east-1"]}` (both optional) | `{"Fleet": ...}` |
//! | `POST /_emulator/game-sessions/activate` | the game server reports the session ready: ACTIVATING -> ACTIVE | `{"GameSession": ...}` |
//! | `POST /_emulator/game-sessions/fail-activation` | the game server fails to start it: ACTIVATING -> ERROR | `{"GameSession": ...}` |
//! | `POST /_emulator/game-sessions/process-ended` | its server process ended: TERMINATING -> TERMINATED | `{"GameSession": ...}` |
//! | `POST /_emulator/player-sessions/accept` | the game server accepts the player: RESERVED -> ACTIVE | `{"PlayerSession": ...}` |
//! | `POST /_emulator/player-sessions/remove` | the player leaves: RESERVED or ACTIVE -> COMPLETED | `{"PlayerSession": ...}` |
//!
//! The `game-sessions` requests take `{"GameSessionId": "<arn>"}`;
//! `activate` may add where the game server listens, `"IpAddress"`,
//! `"Port"` and `"DnsName"`, each taking the emulator's own when left out
//! (see [`GameServer`](crate::GameServer)). The `player-sessions` ones
//! `{"PlayerSessionId": "psess-..."}`. A session in the wrong status
//! answers the crate's `InvalidGameSessionStatusException`, an unknown id
//! `NotFoundException`, a body without the id `InvalidRequestException`.
//! The rooms' actions are found in [`crate::operations`]; health, reset
//! and the clock are this module's own.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gamelift_session::GameLiftError;
use serde::Deserialize;
use serde_json::json;

use crate::emulator::Emulator;
use crate::failure::Failure;
use crate::log::Quoted;
use crate::operations::unknown_action;
use crate::protocol::Protocol;

/// `GET /_emulator/health`.
pub(crate) async fn health(State(emulator): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, &emulator.health())
}

/// `GET /_emulator/processes`: every compute and every connected server
/// process, with its state.
pub(crate) async fn processes(State(emulator): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, &emulator.process_listing())
}

/// `GET /_emulator/search-index`: how full the search index is, and the
/// searchable keys it had no room for, in the order they appeared.
pub(crate) async fn search_index(State(emulator): State<Arc<Emulator>>) -> Response {
    json_response(StatusCode::OK, &emulator.search_index())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AdvanceRequest {
    seconds: f64,
}

/// `POST /_emulator/clock/advance`: moves the emulator's clock ahead, so
/// that tests need not sleep for reservations and placements to time out.
pub(crate) async fn advance_clock(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Response {
    let answer = (|| {
        let request: AdvanceRequest = Protocol::Json.parse(&body)?;
        if !(request.seconds.is_finite() && (0.0..=31_536_000.0).contains(&request.seconds)) {
            return Err(GameLiftError::invalid_request(
                "Seconds must be a number from 0 to 31536000 (a year)",
            )
            .into());
        }
        Ok(time::Duration::seconds_f64(request.seconds))
    })();
    let answer = match answer {
        Ok(by) => {
            // The pass it runs may take long: off the async workers.
            match emulator.in_background(move |e| e.advance_clock(by)).await {
                Some((now, seq)) => {
                    emulator.written(seq).await;
                    Ok(now)
                }
                None => Err(GameLiftError::internal_service("the clock could not be moved").into()),
            }
        }
        Err(e) => Err(e),
    };
    let answer = answer.map(|now| {
        let seconds = now.unix_timestamp_nanos() as f64 / 1e9;
        json!({ "Now": seconds }).to_string().into_bytes()
    });
    control_response("clock/advance", answer)
}

/// `POST /_emulator/matchmaking/step`: one matchmaking pass now, so that
/// tests need not wait for the matchmaker's thread.
pub(crate) async fn matchmaking_step(State(emulator): State<Arc<Emulator>>) -> Response {
    // A pass may take long: off the async workers, which serve requests.
    let Some((report, seq)) = emulator.in_background(Emulator::matchmaking_pass).await else {
        return json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({"__type": "InternalServiceException", "Message": "the matchmaking pass failed"}),
        );
    };
    emulator.written(seq).await;
    tracing::info!(control = "matchmaking/step", matches = report.matches);
    json_response(
        StatusCode::OK,
        &json!({
            "Searching": report.searching,
            "Matches": report.matches,
            "GivenUp": report.given_up,
        }),
    )
}

/// `POST /_emulator/reset`.
pub(crate) async fn reset(State(emulator): State<Arc<Emulator>>) -> Response {
    let (removed, seq) = emulator.reset();
    emulator.written(seq).await;
    tracing::info!(removed, "control: reset");
    json_response(StatusCode::OK, &json!({"GameSessionsRemoved": removed}))
}

/// `POST /_emulator/{*action}`: a room's control action.
pub(crate) async fn action(
    State(emulator): State<Arc<Emulator>>,
    Path(path): Path<String>,
    body: Bytes,
) -> Response {
    let answer = match emulator.control(&path, &body) {
        Some(called) => {
            emulator.written(called.seq).await;
            called.answer.map_err(Failure::from)
        }
        None => Err(Failure::new(
            StatusCode::NOT_FOUND,
            "UnknownOperationException",
            unknown_action(&path),
        )),
    };
    let name = path.rsplit_once('/').map_or(path.as_str(), |(_, n)| n);
    control_response(name, answer)
}

pub(crate) fn control_response(action: &str, answer: Result<Vec<u8>, Failure>) -> Response {
    let (status, body) = match answer {
        Ok(body) => (StatusCode::OK, body),
        Err(f) => (f.status, Protocol::Json.error_body(f.code, &f.message)),
    };
    tracing::info!(control = %Quoted(action), status = status.as_u16());
    with_json_type((status, body).into_response())
}

fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    with_json_type((status, value.to_string()).into_response())
}

fn with_json_type(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
