//! The simulated game server: the fate a new session meets
//! (`--activation`), where it listens (`--game-server-*`), and the control
//! API's `game-sessions/activate`, `fail-activation` and `process-ended`.

use std::net::IpAddr;

use gamelift_session::game_session::{
    Connection, GameSessionOutput, MAX_PORT, Transition, activate_game_session, transition,
};
use gamelift_session::model::fleet_id_of;
use gamelift_session::player_session::end_player_sessions;
use gamelift_session::{GameLiftError, GameSessionDetail, GameSessionStatus};
use serde::Deserialize;
use time::OffsetDateTime;

use super::hosted::launch_on_process;
use super::{Sessions, SessionsWorld};
use crate::context::{Context, Env};
use crate::fleets::Fleets;
use crate::protocol::{Answer, Protocol};
use crate::settings::Activation;

/// `{"GameSession": ...}` of a session, borrowed.
pub(crate) fn session_output(detail: Option<&GameSessionDetail>) -> GameSessionOutput<'_> {
    detail
        .and_then(|d| d.game_session.as_ref())
        .map_or_else(GameSessionOutput::default, GameSessionOutput::new)
}

/// Puts a new session on `fleet`: on one of its server processes, when it
/// runs them (see `hosted.rs`); else, when it has room, with the fate the
/// simulated game server gives it (`--activation`). Answers its id.
///
/// # Errors
///
/// `FleetCapacityExceededException` when the fleet, its processes or the
/// ports are full; `InvalidRequestException` for a location the fleet lacks.
pub(crate) fn launch(
    env: &Env,
    sessions: &mut Sessions,
    fleets: &mut Fleets,
    mut detail: GameSessionDetail,
    fleet: &str,
    now: OffsetDateTime,
) -> Result<String, GameLiftError> {
    if fleets.runs_processes(fleet) {
        return launch_on_process(env.region(), sessions, fleets, detail, fleet, now);
    }
    let location = detail
        .game_session
        .as_ref()
        .and_then(|s| s.location.as_deref());
    let live = sessions.live_in(fleet_id_of(fleet));
    fleets.check_room(env.region(), fleet, location, live)?;
    // No game server will report in; the session's fate is the setting's.
    match env.settings().activation {
        Activation::Active => {
            let connection = connection(env, sessions, &Reported::default())?;
            activate_game_session(&mut detail, &connection, now)?;
        }
        Activation::Fail => transition(&mut detail, Transition::FailActivation, now)?,
        Activation::Never => {}
    }
    let id = detail
        .game_session
        .as_ref()
        .and_then(|s| s.game_session_id.clone())
        .unwrap_or_default();
    sessions.insert(detail)?;
    Ok(id)
}

/// What the control API's `activate` names: where the game server says it
/// listens. What it leaves out comes from the settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reported {
    pub(crate) address: Option<IpAddr>,
    pub(crate) port: Option<u16>,
    pub(crate) dns_name: Option<String>,
}

/// Where a game server that `reported` listens: what it named, the rest
/// from the settings, and a port no live session holds at that address.
fn connection(
    env: &Env,
    sessions: &mut Sessions,
    reported: &Reported,
) -> Result<Connection, GameLiftError> {
    let server = &env.settings().game_server;
    let address = reported.address.unwrap_or(server.address);
    let text = address.to_string();
    let port = match reported.port {
        Some(port) => {
            if sessions.ports.holder(&text, i32::from(port)).is_some() {
                return Err(GameLiftError::invalid_request(
                    "Another live game session already listens at that IpAddress and Port",
                ));
            }
            port
        }
        None => sessions.ports.free(&text).ok_or_else(|| {
            let range = sessions.ports.range();
            GameLiftError::fleet_capacity_exceeded(format!(
                "No game server port is free: live game sessions hold every port from {} to {}",
                range.start(),
                range.end()
            ))
        })?,
    };
    let connection = Connection::new(address, port)?;
    let dns_name = match (&reported.dns_name, reported.address, &server.dns_name) {
        (Some(name), _, _) | (None, None, Some(name)) => Some(name.clone()),
        _ => None,
    };
    Ok(match dns_name {
        Some(name) => connection.with_dns_name(name),
        None => connection,
    })
}

/// When a game session has ended, its player sessions end with it.
pub(crate) fn end_players_if_ended(
    detail: &mut GameSessionDetail,
    players: &mut [gamelift_session::player_session::PlayerSession],
    now: OffsetDateTime,
) {
    let ended = detail
        .game_session
        .as_ref()
        .is_some_and(|s| s.status == Some(GameSessionStatus::Terminated));
    if ended {
        end_player_sessions(detail, players, now);
    }
}

/// What the simulated game server reports about a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GameServerAction {
    /// `activate`: ACTIVATING -> ACTIVE, where it listens.
    Activate,
    /// `fail-activation`: ACTIVATING -> ERROR.
    FailActivation,
    /// `process-ended`: TERMINATING -> TERMINATED.
    ProcessEnded,
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

/// The longest DNS name a game server may report (RFC 1035: 253 characters).
const MAX_DNS_NAME: usize = 253;

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

/// `POST /_emulator/game-sessions/{action}`: applies what the simulated
/// game server reports about a session; an activation listens where the
/// request says (`IpAddress`, `Port`, `DnsName`), the rest from the settings.
pub(crate) fn game_server<S: SessionsWorld>(
    cx: &Context<S>,
    action: GameServerAction,
    body: &[u8],
) -> Answer {
    let request: SessionRequest = Protocol::Json.parse(body)?;
    let Some(id) = &request.game_session_id else {
        return Err(GameLiftError::invalid_request(
            "The body needs a GameSessionId: {\"GameSessionId\": \"<arn>\"}",
        ));
    };
    let reported = request.reported()?;
    let env = cx.env();
    let now = env.now();
    let mut store = cx.lock();
    let (sessions, _) = store.game_sessions();
    if sessions.find(id).is_none() {
        return Err(GameLiftError::game_session_not_found(id));
    }
    let connection = match action {
        GameServerAction::Activate => Some(connection(env, sessions, &reported)?),
        _ => None,
    };
    sessions.change(id, |detail, players| {
        match (&connection, action) {
            (Some(connection), _) => activate_game_session(detail, connection, now)?,
            (None, GameServerAction::FailActivation) => {
                transition(detail, Transition::FailActivation, now)?;
            }
            (None, _) => transition(detail, Transition::FinishTermination, now)?,
        }
        end_players_if_ended(detail, players, now);
        Protocol::Json.write(&session_output(Some(detail)))
    })
}
