//! Every request a game server sends, answered as the service answers it:
//! `Action` and `RequestId` echoed, `StatusCode` 200 and the result's
//! fields, or a non-200 `StatusCode` and `ErrorMessage` (the crate's
//! `FrameError`). Each request is checked against the process that sent
//! it: nothing reaches another process's session.
//!
//! **Decisions** where the SDK's sources and the docs are silent:
//!
//! - A frame that is not a valid request is answered 400, its `Action`
//!   and `RequestId` echoed when it has them as strings; the message names
//!   where the frame breaks (line and column), never a value in it.
//! - `DescribePlayerSessions` lists the players of the process's own
//!   session only; naming another session is a 400.
//! - `StartMatchBackfill` and `StopMatchBackfill` are the client API's
//!   (`StartMatchBackfill`, `StopMatchmaking`) for the process's own
//!   session.
//! - `GetComputeCertificate` answers the compute's registered
//!   `CertificatePath` (or the emulator's TLS certificate, or `""`).
//! - `GetFleetRoleCredentials` on a fleet made without `InstanceRoleArn`
//!   is a 400; with one, made-up credentials for that role, valid one
//!   hour (`Expiration` in epoch milliseconds): the emulator has no IAM.

use std::time::Instant;

use gamelift_session::game_server::ProcessKey;
use gamelift_session::game_server::{
    DescribePlayerSessions, DescribePlayerSessionsResult, FailedReply, FrameError, FrameHeader,
    GetComputeCertificateResult, GetFleetRoleCredentials, NoResult, PlayerSessionRequest, Reply,
    Request, RequestFrame, StartMatchBackfill, StartMatchBackfillResult, StopMatchBackfill,
    activate_hosted_session, epoch_millis, set_player_session_policy,
};
use gamelift_session::model::GameSessionStatusReason;
use gamelift_session::player_session::{
    DescribePlayerSessionsInput, PlayerSessionChange, change_player_session,
};
use serde::Serialize;
use serde_json::json;

use super::GameServersWorld;
use crate::context::Context;
use crate::fleets::Process;
use crate::game_sessions::{end_with_process, frame};
use crate::protocol::Protocol;

/// The answer to a frame: a reply's JSON text.
pub(crate) fn handle<S: GameServersWorld>(cx: &Context<S>, key: &ProcessKey, text: &str) -> String {
    let parsed: RequestFrame = match serde_json::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let header: FrameHeader = serde_json::from_str(text).unwrap_or_default();
            let action = header.action.unwrap_or_default();
            let error = FrameError::bad_request(unreadable(&action, &e));
            return failed(
                bounded(&action),
                bounded(header.request_id.as_deref().unwrap_or_default()),
                &error,
            );
        }
    };
    let action = parsed.request.action();
    let id = bounded(&parsed.request_id);
    match answer(cx, key, &parsed.request) {
        Ok(result) => frame(&Reply::new(action, id, result)),
        Err(error) => failed(action, id, &error),
    }
}

/// At most 128 characters of an echoed id.
fn bounded(s: &str) -> &str {
    match s.char_indices().nth(128) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn failed(action: &str, id: &str, error: &FrameError) -> String {
    frame(&FailedReply::new(action, id, error))
}

/// Why a frame is no request, without a value from it.
fn unreadable(action: &str, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("line {}, column {}", e.line(), e.column());
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            format!("The frame is not a JSON object ({at})")
        }
        Category::Data if action.is_empty() => {
            "The frame has no Action naming a request".to_owned()
        }
        Category::Data if !Request::is_action(action) => format!(
            "{} is not an Action a game server sends",
            crate::log::Quoted(action)
        ),
        Category::Data => {
            format!("The {action} request has a member of the wrong type, or no RequestId ({at})")
        }
    }
}

/// The result fields of a request that succeeded.
#[derive(Serialize)]
#[serde(untagged)]
enum Answered {
    None(NoResult),
    Players(DescribePlayerSessionsResult),
    Backfill(StartMatchBackfillResult),
    Certificate(GetComputeCertificateResult),
    Credentials(serde_json::Value),
}

fn gone() -> FrameError {
    FrameError::bad_request("The process has ended; connect a new one")
}

fn process<'f>(
    fleets: &'f mut crate::fleets::Fleets,
    key: &ProcessKey,
) -> Result<&'f mut Process, FrameError> {
    fleets.processes.get_mut(key).ok_or_else(gone)
}

fn answer<S: GameServersWorld>(
    cx: &Context<S>,
    key: &ProcessKey,
    request: &Request,
) -> Result<Answered, FrameError> {
    let env = cx.env();
    let now = env.now();
    match request {
        Request::StartMatchBackfill(r) => return backfill(cx, key, r),
        Request::StopMatchBackfill(r) => return stop_backfill(cx, key, r),
        _ => {}
    }
    let mut store = cx.lock();
    let (_, placements, sessions, fleets) = store.flexmatch();
    let none = Ok(Answered::None(NoResult::default()));
    match request {
        Request::ActivateServerProcess(r) => {
            let p = process(fleets, key)?;
            let interrupted = p.state.activate(r, now)?;
            p.heard = Instant::now();
            if let Some(id) = interrupted {
                // A restarted game reusing its process id.
                fleets.processes.unhost(&id);
                end_with_process(
                    sessions,
                    &id,
                    Some(GameSessionStatusReason::Interrupted),
                    now,
                );
            }
            tracing::info!(process_id = key.process_id, "server process ready");
            none
        }
        Request::HeartbeatServerProcess(r) => {
            let p = process(fleets, key)?;
            p.state.heartbeat(r.health_status)?;
            p.heard = Instant::now();
            none
        }
        Request::ActivateGameSession(r) => {
            let id = process(fleets, key)?
                .state
                .check_holds(r.game_session_id.as_deref())?
                .to_owned();
            sessions.change(&id, |detail, _| activate_hosted_session(detail, now))?;
            crate::placements::seat_waiting(env, placements, sessions, fleets, &id, now);
            tracing::info!(
                game_session_id = id,
                "game session activated by its server process"
            );
            none
        }
        Request::UpdatePlayerSessionCreationPolicy(r) => {
            let id = process(fleets, key)?
                .state
                .check_holds(r.game_session_id.as_deref())?
                .to_owned();
            sessions.change(&id, |detail, _| {
                set_player_session_policy(detail, r.player_session_policy.as_deref())
            })?;
            none
        }
        Request::AcceptPlayerSession(r) => {
            change_player(cx, fleets, sessions, key, r, PlayerSessionChange::Accept)?;
            none
        }
        Request::RemovePlayerSession(r) => {
            change_player(cx, fleets, sessions, key, r, PlayerSessionChange::Remove)?;
            none
        }
        Request::DescribePlayerSessions(_)
        | Request::GetComputeCertificate(_)
        | Request::GetFleetRoleCredentials(_) => query(cx, fleets, sessions, key, request),
        Request::TerminateServerProcess(_) => {
            let p = process(fleets, key)?;
            let asked = p.state.termination_requested;
            if let Some(id) = p.state.end(now) {
                fleets.processes.unhost(&id);
                end_with_process(sessions, &id, None, now);
            }
            tracing::info!(process_id = key.process_id, asked, "server process ending");
            none
        }
        Request::StartMatchBackfill(_) | Request::StopMatchBackfill(_) => none,
        _ => Err(FrameError::bad_request("This Action is not served")),
    }
}

/// The requests that read and change nothing.
fn query<S: GameServersWorld>(
    cx: &Context<S>,
    fleets: &mut crate::fleets::Fleets,
    sessions: &crate::game_sessions::Sessions,
    key: &ProcessKey,
    request: &Request,
) -> Result<Answered, FrameError> {
    let env = cx.env();
    let now = env.now();
    match request {
        Request::DescribePlayerSessions(r) => {
            let held = process(fleets, key)?.state.clone();
            held.check_ready()?;
            let id = held
                .game_session_id
                .clone()
                .ok_or_else(|| FrameError::bad_request("The process holds no game session"))?;
            let input = player_query(r, &id)?;
            let page = input.select(sessions.players_of(&id), now, env.limits())?;
            Ok(Answered::Players(DescribePlayerSessionsResult::new(
                page.player_sessions.iter().flatten(),
                page.next_token,
            )))
        }
        Request::GetComputeCertificate(_) => {
            process(fleets, key)?.state.check_ready()?;
            let path = fleets
                .compute(&key.fleet_id, &key.compute_name)
                .and_then(|c| c.compute.certificate_path.clone())
                .or_else(|| env.settings().tls_certificate_path())
                .unwrap_or_default();
            Ok(Answered::Certificate(GetComputeCertificateResult::new(
                path,
                key.compute_name.clone(),
            )))
        }
        Request::GetFleetRoleCredentials(r) => {
            process(fleets, key)?.state.check_ready()?;
            let role = fleets
                .created(&key.fleet_id)
                .and_then(|f| f.instance_role_arn.clone())
                .ok_or_else(|| {
                    FrameError::bad_request(format!(
                        "Fleet {} was created without an InstanceRoleArn",
                        key.fleet_id
                    ))
                })?;
            Ok(Answered::Credentials(credentials(cx, &role, r, now)))
        }
        _ => Err(FrameError::bad_request("This Action is not served")),
    }
}

fn change_player<S: GameServersWorld>(
    cx: &Context<S>,
    fleets: &mut crate::fleets::Fleets,
    sessions: &mut crate::game_sessions::Sessions,
    key: &ProcessKey,
    r: &PlayerSessionRequest,
    change: PlayerSessionChange,
) -> Result<(), FrameError> {
    let env = cx.env();
    let p = fleets.processes.get(key).ok_or_else(gone)?;
    let id = p
        .state
        .check_holds(r.game_session_id.as_deref())?
        .to_owned();
    let player = r
        .player_session_id
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| FrameError::bad_request("PlayerSessionId is required"))?;
    let (now, limits) = (env.now(), env.limits());
    sessions.change(&id, |detail, players| {
        change_player_session(detail, players, player, change, now, limits).map(|_| ())
    })?;
    Ok(())
}

/// The client API's request for what the SDK asked, within the process's
/// session `id`.
fn player_query(
    r: &DescribePlayerSessions,
    id: &str,
) -> Result<DescribePlayerSessionsInput, FrameError> {
    if r.game_session_id
        .as_deref()
        .is_some_and(|g| !g.is_empty() && g != id)
    {
        return Err(FrameError::bad_request(
            "GameSessionId names a game session this process does not host",
        ));
    }
    let text = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
    let mut input = DescribePlayerSessionsInput::default();
    input.game_session_id = Some(id.to_owned());
    input.player_id = text(&r.player_id);
    input.player_session_id = text(&r.player_session_id);
    input.player_session_status_filter = text(&r.player_session_status_filter);
    input.next_token = text(&r.next_token);
    input.limit = r
        .limit
        .filter(|l| *l != 0)
        .map(|l| i32::try_from(l).unwrap_or(if l < 0 { i32::MIN } else { i32::MAX }));
    Ok(input)
}

/// The game session the process `key` holds, which `arn` must name.
fn held_session<S: GameServersWorld>(
    cx: &Context<S>,
    key: &ProcessKey,
    arn: Option<&str>,
) -> Result<String, FrameError> {
    let mut store = cx.lock();
    let p = store.fleets().processes.get(key).ok_or_else(gone)?;
    Ok(p.state.check_holds(arn)?.to_owned())
}

fn backfill<S: GameServersWorld>(
    cx: &Context<S>,
    key: &ProcessKey,
    r: &StartMatchBackfill,
) -> Result<Answered, FrameError> {
    let session = held_session(cx, key, r.game_session_arn.as_deref())?;
    let players = r
        .players
        .iter()
        .flatten()
        .map(gamelift_session::game_server::SdkPlayer::to_player)
        .collect::<Result<Vec<_>, _>>()?;
    let mut body = json!({
        "ConfigurationName": r.matchmaking_configuration_arn.clone().unwrap_or_default(),
        "GameSessionArn": session,
        "Players": players,
    });
    if let Some(t) = r.ticket_id.as_deref().filter(|t| !t.is_empty()) {
        body["TicketId"] = json!(t);
    }
    let answer =
        crate::flexmatch::start_match_backfill(cx, body.to_string().as_bytes(), Protocol::Json)?;
    let ticket: serde_json::Value = serde_json::from_slice(&answer).unwrap_or_default();
    let id = ticket["MatchmakingTicket"]["TicketId"]
        .as_str()
        .unwrap_or_default();
    Ok(Answered::Backfill(StartMatchBackfillResult::new(id)))
}

fn stop_backfill<S: GameServersWorld>(
    cx: &Context<S>,
    key: &ProcessKey,
    r: &StopMatchBackfill,
) -> Result<Answered, FrameError> {
    let session = held_session(cx, key, r.game_session_arn.as_deref())?;
    let ticket = r
        .ticket_id
        .clone()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| FrameError::bad_request("TicketId is required"))?;
    let belongs = cx
        .lock()
        .flexmatch()
        .0
        .ticket(&ticket)
        .is_some_and(|t| t.backfill_game_session.as_deref() == Some(session.as_str()));
    if !belongs {
        return Err(FrameError::new(
            404,
            format!(
                "Backfill ticket {} of this process's game session not found",
                crate::log::Bounded(&ticket)
            ),
        ));
    }
    let body = json!({ "TicketId": ticket });
    crate::flexmatch::stop_matchmaking(cx, body.to_string().as_bytes(), Protocol::Json)?;
    Ok(Answered::None(NoResult::default()))
}

/// Made-up credentials for `role`, an hour long.
fn credentials<S: GameServersWorld>(
    cx: &Context<S>,
    role: &str,
    r: &GetFleetRoleCredentials,
    now: time::OffsetDateTime,
) -> serde_json::Value {
    let ids = cx.env().ids();
    let hex = |n: usize| {
        let mut s = String::new();
        while s.len() < n {
            s.push_str(&ids.secret().replace('-', ""));
        }
        s.truncate(n);
        s
    };
    let session = r
        .role_session_name
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "gamelift-emulator".to_owned());
    let role_name = role.rsplit('/').next().unwrap_or(role);
    json!({
        "AssumedRoleUserArn": format!("arn:aws:sts::{}:assumed-role/{role_name}/{session}", crate::settings::ACCOUNT_ID),
        "AssumedRoleId": format!("AROA{}:{session}", hex(17).to_uppercase()),
        "AccessKeyId": format!("ASIA{}", hex(16).to_uppercase()),
        "SecretAccessKey": hex(40),
        "SessionToken": hex(64),
        "Expiration": epoch_millis(Some(now + time::Duration::hours(1))),
    })
}
