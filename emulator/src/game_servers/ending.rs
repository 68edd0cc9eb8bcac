//! How server processes end, and their sessions with them (SPEC §10):
//!
//! - `TerminateServerProcess` (`requests.rs`) ends the session at once;
//!   the close that follows forgets the process ([`disconnected`]).
//! - Any other close leaves the process disconnected; it is lost when no
//!   handshake resumes it within the grace period (`--reconnect-grace`,
//!   30 s on the emulator's clock), or when it stops heartbeating for
//!   longer than `--heartbeat-timeout` (180 s, real time), or at once when
//!   a process the emulator launched exits. A lost process's session ends
//!   `TERMINATED` with `INTERRUPTED`, its players `COMPLETED`.
//! - A process that sent `ProcessEnding` is forgotten 30 s later if it
//!   has not closed (the launcher then stops it).
//! - A session left `ACTIVATING` past the fleet's activation time-out
//!   (600 s without one) ends `TERMINATED`; its process is ready again.
//! - Before a process's token expires (**decision**: 10 minutes before),
//!   it is pushed `RefreshConnection` with a new one.
//! - When the emulator ends a process itself (`DeregisterCompute`,
//!   `DeleteFleet`, a loss while the socket is still open, shutdown, a
//!   reset) it closes the socket with 1000, so the SDK does not reconnect.
//! - At start-up, a session left live on a fleet that runs processes has
//!   no process any more (processes are not kept across restarts): it ends
//!   `INTERRUPTED` ([`interrupt_orphans`]).

use gamelift_session::GameLiftError;
use gamelift_session::fleet::{ComputeNameInput, FleetIdInput, compute_not_found};
use gamelift_session::game_server::{
    DEFAULT_ACTIVATION_TIMEOUT, ProcessKey, ProcessStatus, RefreshConnectionPush,
    activation_timed_out,
};
use gamelift_session::model::{GameSessionStatus, GameSessionStatusReason};
use time::OffsetDateTime;

use super::GameServersWorld;
use crate::context::Context;
use crate::fleets::{Fleets, fleet_not_found};
use crate::game_sessions::{Sessions, end_with_process, frame};
use crate::protocol::{Answer, Protocol};

/// How long before its token expires a process is sent a new one.
const REFRESH_BEFORE: i64 = 600;

/// Forgets the process `key` (closing its socket with 1000 if it has
/// one); its session, if any, ends `INTERRUPTED`.
fn lose(
    fleets: &mut Fleets,
    sessions: &mut Sessions,
    key: &ProcessKey,
    now: OffsetDateTime,
    why: &'static str,
) {
    if let Some(p) = fleets.processes.close(key, 1000, why) {
        if let Some(id) = &p.state.game_session_id {
            end_with_process(
                sessions,
                id,
                Some(GameSessionStatusReason::Interrupted),
                now,
            );
        }
        tracing::warn!(
            process_id = key.process_id,
            fleet_id = key.fleet_id,
            why,
            "server process lost"
        );
    }
}

/// The connection `link_id` of `key` closed.
pub(crate) fn disconnected<S: GameServersWorld>(cx: &Context<S>, key: &ProcessKey, link_id: u64) {
    let now = cx.env().now();
    let mut store = cx.lock();
    let processes = &mut store.fleets().processes;
    if processes.disconnect(key, link_id, now)
        && processes
            .get(key)
            .is_some_and(|p| p.state.status == ProcessStatus::Ending)
    {
        // The close after ProcessEnding: the process is gone, as it said.
        processes.close(key, 1000, "process ended");
        tracing::info!(process_id = key.process_id, "server process ended");
    }
}

/// A process the emulator launched exited: lost at once.
pub(crate) fn exited<S: GameServersWorld>(cx: &Context<S>, key: &ProcessKey) {
    let now = cx.env().now();
    let mut store = cx.lock();
    let (_, _, sessions, fleets) = store.flexmatch();
    let ending = fleets
        .processes
        .get(key)
        .is_some_and(|p| p.state.status == ProcessStatus::Ending);
    if ending {
        fleets.processes.close(key, 1000, "process ended");
    } else {
        lose(fleets, sessions, key, now, "the program exited");
    }
}

/// One housekeeping pass over the processes: losses, activation
/// time-outs and token refreshes (see the module docs).
pub(crate) fn housekeeping<S: GameServersWorld>(cx: &Context<S>) {
    let env = cx.env();
    let now = env.now();
    let settings = &env.settings().game_servers;
    let mut store = cx.lock();
    let (_, _, sessions, fleets) = store.flexmatch();
    if fleets.processes.len() == 0 {
        return;
    }
    let mut lost = Vec::new();
    let mut timed_out = Vec::new();
    let mut refresh = Vec::new();
    for p in fleets.processes.iter() {
        let key = &p.state.key;
        let silent = p.heard.elapsed() > settings.heartbeat_timeout
            && p.state.status != ProcessStatus::Ending;
        if p.state.is_lost(now, settings.reconnect_grace) {
            lost.push((key.clone(), "no reconnect within the grace period"));
        } else if silent {
            lost.push((key.clone(), "no heartbeat within the time-out"));
        } else if let Some(id) = &p.state.game_session_id {
            let timeout = fleets
                .created(&key.fleet_id)
                .and_then(gamelift_session::fleet::Fleet::activation_timeout)
                .unwrap_or(DEFAULT_ACTIVATION_TIMEOUT);
            if sessions
                .find(id)
                .is_some_and(|d| activation_timed_out(d, now, timeout))
            {
                timed_out.push(id.clone());
            }
        }
        if p.state.is_connected()
            && p.token_expires > 0
            && p.token_expires - now.unix_timestamp() < REFRESH_BEFORE
        {
            refresh.push(key.clone());
        }
    }
    for (key, why) in lost {
        lose(fleets, sessions, &key, now, why);
    }
    for id in timed_out {
        end_with_process(sessions, &id, None, now);
        fleets.processes.release(&id);
        tracing::warn!(
            game_session_id = id,
            "game session not activated in time: TERMINATED"
        );
    }
    for key in refresh {
        let Some(issued) =
            fleets.issue_token(&key.fleet_id, &key.compute_name, env.ids().secret(), now)
        else {
            continue;
        };
        let push = RefreshConnectionPush::new(env.sdk_endpoint(), issued.auth_token);
        if let Some(p) = fleets.processes.get_mut(&key) {
            p.token_expires = issued
                .expiration_timestamp
                .map_or(0, OffsetDateTime::unix_timestamp);
        }
        fleets.processes.push(&key, frame(&push), now);
        tracing::info!(
            process_id = key.process_id,
            "server process sent a new token"
        );
    }
}

/// At start-up: every live session on a fleet that runs processes ends
/// `INTERRUPTED` (no process holds it any more).
pub(crate) fn interrupt_orphans(
    sessions: &mut Sessions,
    fleets: &Fleets,
    now: OffsetDateTime,
) -> usize {
    let orphans: Vec<String> = sessions
        .iter()
        .filter_map(|d| d.game_session.as_ref())
        .filter(|s| {
            matches!(
                s.status,
                Some(
                    GameSessionStatus::Activating
                        | GameSessionStatus::Active
                        | GameSessionStatus::Terminating
                )
            ) && s
                .fleet_id
                .as_deref()
                .is_some_and(|f| fleets.runs_processes(f))
        })
        .filter_map(|s| s.game_session_id.clone())
        .collect();
    for id in &orphans {
        end_with_process(
            sessions,
            id,
            Some(GameSessionStatusReason::Interrupted),
            now,
        );
    }
    orphans.len()
}

/// Shutdown: every process is closed with 1000 and its session ends
/// `INTERRUPTED`.
pub(crate) fn shut_down<S: GameServersWorld>(cx: &Context<S>) {
    let now = cx.env().now();
    let mut store = cx.lock();
    let (_, _, sessions, fleets) = store.flexmatch();
    let keys: Vec<ProcessKey> = fleets
        .processes
        .iter()
        .map(|p| p.state.key.clone())
        .collect();
    for key in keys {
        lose(fleets, sessions, &key, now, "the emulator is shutting down");
    }
}

pub(crate) fn deregister_compute<S: GameServersWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: ComputeNameInput = p.parse(body)?;
    let (fleet, name) = input.validate_with(env.limits())?;
    let now = env.now();
    let mut store = cx.lock();
    let (_, _, sessions, fleets) = store.flexmatch();
    if fleets.created(fleet).is_none() {
        return Err(fleet_not_found(fleet));
    }
    if fleets.compute(fleet, name).is_none() {
        return Err(compute_not_found(fleet, name));
    }
    for key in fleets.processes.keys_of(fleet, Some(name)) {
        lose(fleets, sessions, &key, now, "its compute was deregistered");
    }
    fleets.remove_compute(fleet, name);
    tracing::info!(
        fleet_id = fleet,
        compute_name = name,
        "compute deregistered"
    );
    p.write(&serde_json::json!({}))
}

pub(crate) fn delete_fleet<S: GameServersWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: FleetIdInput = p.parse(body)?;
    let fleet = input.validate_with(env.limits())?;
    let now = env.now();
    let mut store = cx.lock();
    let (_, _, sessions, fleets) = store.flexmatch();
    if fleets.created(fleet).is_none() {
        if fleets.is_declared(fleet) {
            return Err(GameLiftError::invalid_request(format!(
                "Fleet {fleet} was declared to the emulator (--fleet) and cannot be deleted"
            )));
        }
        return Err(fleet_not_found(fleet));
    }
    for key in fleets.processes.keys_of(fleet, None) {
        lose(fleets, sessions, &key, now, "its fleet was deleted");
    }
    fleets.remove_fleet(fleet);
    tracing::info!(fleet_id = fleet, "fleet deleted");
    p.write(&serde_json::json!({}))
}
