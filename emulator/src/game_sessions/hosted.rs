//! Game sessions on real server processes: a new session on a fleet that
//! runs processes goes to one (the crate's `choose_process`), ACTIVATING,
//! with the process's address and port, and the process is pushed
//! `CreateGameSession`; `TerminateGameSession` asks the process to end
//! (`TerminateProcess`) or, on a fleet the emulator launched, ends it; and
//! a session ends with its process.

use gamelift_session::game_server::{TerminateProcessPush, end_hosted_session, host_game_session};
use gamelift_session::game_session::game_session_arn;
use gamelift_session::model::fleet_id_of;
use gamelift_session::model::{GameSessionStatusReason, TerminationMode};
use gamelift_session::{GameLiftError, GameSessionDetail};
use time::OffsetDateTime;

use super::Sessions;
use crate::fleets::Fleets;

/// The message the service gives when no process can take a session.
pub(crate) fn no_process(fleet: &str) -> GameLiftError {
    GameLiftError::fleet_capacity_exceeded(format!(
        "Unable to reserve a process on fleet {}",
        fleet_id_of(fleet)
    ))
}

/// Puts the new session `detail` on an available process of `fleet` (in
/// its location), pushes `CreateGameSession` to it, and stores the
/// session; answers its id.
///
/// # Errors
///
/// `FleetCapacityExceededException` ("Unable to reserve a process on
/// fleet …") when no process is available there; `InvalidRequestException`
/// for a location the fleet lacks.
pub(crate) fn launch_on_process(
    region: &str,
    sessions: &mut Sessions,
    fleets: &mut Fleets,
    mut detail: GameSessionDetail,
    fleet: &str,
    now: OffsetDateTime,
) -> Result<String, GameLiftError> {
    let fleet = fleet_id_of(fleet);
    let anywhere = fleets
        .created(fleet)
        .is_some_and(gamelift_session::fleet::Fleet::is_anywhere);
    // A session made without a location names the home Region: on an
    // Anywhere fleet, which has computes only in custom locations, that
    // is any of them.
    let location = detail
        .game_session
        .as_ref()
        .and_then(|s| s.location.clone())
        .filter(|l| !(anywhere && l == region));
    if let (Some(f), Some(l)) = (fleets.created(fleet), &location)
        && f.is_anywhere()
        && !f.locations.iter().any(|x| x == l)
    {
        return Err(GameLiftError::invalid_request(format!(
            "Location {} is not a location of fleet {fleet}",
            crate::log::Bounded(l)
        )));
    }
    let key = fleets
        .processes
        .choose(fleet, location.as_deref())
        .ok_or_else(|| no_process(fleet))?;
    let Some(process) = fleets.processes.get(&key) else {
        return Err(no_process(fleet));
    };
    let (address, port, dns) = (
        process.address,
        process.state.port.unwrap_or_default(),
        process.dns_name.clone(),
    );
    if let Some(s) = detail.game_session.as_mut()
        && s.location.as_deref() != Some(process.location.as_str())
    {
        // Its ARN names the location it is in.
        s.location = Some(process.location.clone());
        if let Some(id) = &s.game_session_id {
            let own = id.rsplit('/').next().unwrap_or(id);
            s.game_session_id = Some(game_session_arn(region, fleet, s.location.as_deref(), own));
        }
    }
    let push = host_game_session(&mut detail, address, port, dns.as_deref());
    let id = detail
        .game_session
        .as_ref()
        .and_then(|s| s.game_session_id.clone())
        .unwrap_or_default();
    sessions.insert(detail)?;
    fleets.processes.host(&key, &id);
    fleets.processes.push(&key, frame(&push), now);
    tracing::info!(
        game_session_id = id,
        process_id = key.process_id,
        "game session given to a server process"
    );
    Ok(id)
}

/// A frame's JSON text; encoding these shapes to memory does not fail.
pub(crate) fn frame<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// What `TerminateGameSession` does to a session a process holds, before
/// the crate's rule changes the session: `TRIGGER_ON_PROCESS_TERMINATE`
/// pushes `TerminateProcess` to the process (due by `now` + 30 s, the time
/// a process has to end); `FORCE_TERMINATE` on a fleet the emulator
/// launched closes the process's connection with 1000 and forgets it (the
/// launcher then stops the program), and on an Anywhere fleet is refused.
///
/// # Errors
///
/// `InvalidRequestException` for `FORCE_TERMINATE` on an Anywhere fleet:
/// the model says it needs the GameLift Agent, which the emulator does not
/// run.
pub(crate) fn terminate_on_process(
    fleets: &mut Fleets,
    game_session_id: &str,
    mode: TerminationMode,
    now: OffsetDateTime,
) -> Result<(), GameLiftError> {
    let Some(key) = fleets.processes.host_of(game_session_id).cloned() else {
        return Ok(());
    };
    let anywhere = fleets
        .created(&key.fleet_id)
        .is_some_and(gamelift_session::fleet::Fleet::is_anywhere);
    match mode {
        TerminationMode::ForceTerminate if anywhere => Err(GameLiftError::invalid_request(
            "FORCE_TERMINATE needs the GameLift Agent on the compute, which this ANYWHERE fleet \
             does not run; use TRIGGER_ON_PROCESS_TERMINATE",
        )),
        TerminationMode::ForceTerminate => {
            fleets.processes.close(&key, 1000, "force terminated");
            Ok(())
        }
        _ => {
            if let Some(p) = fleets.processes.get_mut(&key) {
                p.state.termination_requested = true;
            }
            let push = TerminateProcessPush::new(now + gamelift_session::game_server::ENDING_GRACE);
            fleets.processes.push(&key, frame(&push), now);
            Ok(())
        }
    }
}

/// Ends the game session `id` with its process: TERMINATED (`reason`, or
/// the one it has), its players COMPLETED. Answers whether it ended now.
pub(crate) fn end_with_process(
    sessions: &mut Sessions,
    id: &str,
    reason: Option<GameSessionStatusReason>,
    now: OffsetDateTime,
) -> bool {
    sessions
        .change(id, |detail, players| {
            Ok(end_hosted_session(detail, players, reason, now))
        })
        .unwrap_or(false)
}
