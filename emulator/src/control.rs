//! The control API for tests, under `/_emulator/`, beside the AWS API.
//!
//! No AWS operation uses that path. JSON in, JSON out, errors in the AWS
//! JSON shape (`{"__type": ..., "Message": ...}`):
//!
//! | request | what it does | answer |
//! |---|---|---|
//! | `GET /_emulator/health` | readiness check | `{"Status": "ok", "GameSessions": N}`, and with `--state` `"StateFile": "ok"` or the sentence of its last failure |
//! | `POST /_emulator/reset` | forgets every session, alias, queue, placement, rule set, configuration and ticket (declared fleets stay) | `{"GameSessionsRemoved": N}` |
//! | `POST /_emulator/fleets` | declares a fleet, as `--fleet` does: `{"FleetId": "fleet-1", "Capacity": 2, "Locations": ["us-east-1"]}` (both optional) | `{"Fleet": ...}` |
//! | `POST /_emulator/clock/advance` | moves the emulator's clock ahead by `{"Seconds": S}` (reservations and placements time out by it) | `{"Now": <epoch seconds>}` |
//! | `GET /_emulator/search-index` | the property keys searches can see | `{"Capacity": 500, "IndexedKeys": N, "LeftOutKeys": [...]}` |
//! | `POST /_emulator/game-sessions/activate` | the game server reports the session ready: ACTIVATING -> ACTIVE | `{"GameSession": ...}` |
//! | `POST /_emulator/game-sessions/fail-activation` | the game server fails to start it: ACTIVATING -> ERROR | `{"GameSession": ...}` |
//! | `POST /_emulator/game-sessions/process-ended` | its server process ended: TERMINATING -> TERMINATED | `{"GameSession": ...}` |
//! | `POST /_emulator/player-sessions/accept` | the game server accepts the player: RESERVED -> ACTIVE | `{"PlayerSession": ...}` |
//! | `POST /_emulator/player-sessions/remove` | the player leaves: RESERVED or ACTIVE -> COMPLETED | `{"PlayerSession": ...}` |
//!
//! The `game-sessions` requests take `{"GameSessionId": "<arn>"}`;
//! `activate` may add where the game server listens, `"IpAddress"`,
//! `"Port"` and `"DnsName"`, each taking the emulator's own when left out
//! (see [`GameServer`](crate::GameServer)). The
//! `player-sessions` ones `{"PlayerSessionId": "psess-..."}`. A session
//! in the wrong status answers the crate's `InvalidGameSessionStatusException`,
//! an unknown id `NotFoundException`, a body without the id
//! `InvalidRequestException`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;

use gamelift_session::{
    GameLiftError,
    game_session::{MAX_PORT, Transition},
    player_session::PlayerSessionChange,
};
use serde::Deserialize;
use serde_json::json;

use crate::failure::Failure;
use crate::log::{Bounded, Quoted};
use crate::protocol::Protocol;
use crate::service::{Emulator, Reported};

/// `GET /_emulator/health`.
pub(crate) async fn health(State(emulator): State<Arc<Emulator>>) -> Response {
    let sessions = emulator.store().table.len();
    let mut body = json!({"Status": "ok", "GameSessions": sessions});
    if emulator.has_state_file() {
        body["StateFile"] = json!(
            emulator
                .state_file_failure()
                .unwrap_or_else(|| "ok".to_owned())
        );
    }
    json_response(StatusCode::OK, &body)
}

/// `GET /_emulator/search-index`: how full the search index is, and the
/// searchable keys it had no room for, in the order they appeared.
pub(crate) async fn search_index(State(emulator): State<Arc<Emulator>>) -> Response {
    let store = emulator.store();
    let body = json!({
        "Capacity": emulator.settings().limits.max_search_index_keys,
        "IndexedKeys": store.table.index().len(),
        "LeftOutKeys": store.table.index().left_out().collect::<Vec<_>>(),
    });
    drop(store);
    json_response(StatusCode::OK, &body)
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
        let now = emulator.advance_clock(time::Duration::seconds_f64(request.seconds));
        let seconds = now.unix_timestamp_nanos() as f64 / 1e9;
        Ok(json!({ "Now": seconds }).to_string().into_bytes())
    })();
    control_response("clock/advance", answer)
}

/// `POST /_emulator/fleets`: declares a fleet (or declares it again), as
/// `--fleet` does: `{"FleetId": "fleet-1", "Capacity": 2, "Locations":
/// ["us-east-1"]}`. Answers `{"Fleet": ...}`.
pub(crate) async fn declare_fleet(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Response {
    let answer = (|| {
        let fleet: crate::fleets::DeclaredFleet = Protocol::Json.parse(&body)?;
        fleet.check().map_err(GameLiftError::invalid_request)?;
        emulator
            .store()
            .declare_fleets(std::slice::from_ref(&fleet));
        tracing::info!(fleet_id = fleet.fleet_id, "control: fleet declared");
        Ok(json!({ "Fleet": fleet }).to_string().into_bytes())
    })();
    control_response("fleets", answer)
}

/// `POST /_emulator/reset`.
pub(crate) async fn reset(State(emulator): State<Arc<Emulator>>) -> Response {
    let removed = emulator.reset();
    tracing::info!(removed, "control: reset");
    json_response(StatusCode::OK, &json!({"GameSessionsRemoved": removed}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SessionRequest {
    game_session_id: Option<String>,
    /// For `activate`: where the game server says it listens.
    ip_address: Option<String>,
    port: Option<i64>,
    dns_name: Option<String>,
}

impl SessionRequest {
    /// What an `activate` request reports, checked.
    fn reported(&self) -> Result<Reported, GameLiftError> {
        let address = match &self.ip_address {
            Some(text) => Some(text.parse::<IpAddr>().map_err(|_| {
                GameLiftError::invalid_request("IpAddress must be an IPv4 or IPv6 address")
            })?),
            None => None,
        };
        let port = match self.port {
            Some(port) => Some(
                u16::try_from(port)
                    .ok()
                    .filter(|p| (1..=MAX_PORT).contains(p))
                    .ok_or_else(|| {
                        GameLiftError::invalid_request(format!("Port must be from 1 to {MAX_PORT}"))
                    })?,
            ),
            None => None,
        };
        if let Some(name) = &self.dns_name
            && (name.is_empty() || name.chars().count() > MAX_DNS_NAME)
        {
            return Err(GameLiftError::invalid_request(format!(
                "DnsName must have 1 to {MAX_DNS_NAME} characters"
            )));
        }
        Ok(Reported {
            address,
            port,
            dns_name: self.dns_name.clone(),
        })
    }
}

/// The longest DNS name a game server may report (RFC 1035: 253 characters).
const MAX_DNS_NAME: usize = 253;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PlayerRequest {
    player_session_id: Option<String>,
}

/// `POST /_emulator/player-sessions/{action}`.
pub(crate) async fn player_server(
    State(emulator): State<Arc<Emulator>>,
    Path(action): Path<String>,
    body: Bytes,
) -> Response {
    let change = match action.as_str() {
        "accept" => Ok(PlayerSessionChange::Accept),
        "remove" => Ok(PlayerSessionChange::Remove),
        other => Err(Failure::new(
            StatusCode::NOT_FOUND,
            "UnknownOperationException",
            format!(
                "No control action {}; there are accept and remove",
                Bounded(other)
            ),
        )),
    };
    let answer = change.and_then(|change| {
        let request: PlayerRequest = Protocol::Json.parse(&body)?;
        let Some(id) = request.player_session_id else {
            return Err(GameLiftError::invalid_request(
                "The body needs a PlayerSessionId: {\"PlayerSessionId\": \"psess-...\"}",
            )
            .into());
        };
        Ok(emulator.player_server(&id, change)?)
    });
    control_response(&action, answer)
}

/// `POST /_emulator/game-sessions/{action}`.
pub(crate) async fn game_server(
    State(emulator): State<Arc<Emulator>>,
    Path(action): Path<String>,
    body: Bytes,
) -> Response {
    let answer = run_game_server(&emulator, &action, &body);
    control_response(&action, answer)
}

fn control_response(action: &str, answer: Result<Vec<u8>, Failure>) -> Response {
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

fn run_game_server(emulator: &Emulator, action: &str, body: &[u8]) -> Result<Vec<u8>, Failure> {
    let change = match action {
        "activate" => Transition::Activate,
        "fail-activation" => Transition::FailActivation,
        "process-ended" => Transition::FinishTermination,
        other => {
            return Err(Failure::new(
                StatusCode::NOT_FOUND,
                "UnknownOperationException",
                format!(
                    "No control action {}; there are activate, fail-activation and process-ended",
                    Bounded(other)
                ),
            ));
        }
    };
    let request: SessionRequest = Protocol::Json.parse(body)?;
    let Some(id) = &request.game_session_id else {
        return Err(GameLiftError::invalid_request(
            "The body needs a GameSessionId: {\"GameSessionId\": \"<arn>\"}",
        )
        .into());
    };
    let reported = request.reported()?;
    Ok(emulator.game_server(id, change, &reported)?)
}
