//! What a fleet runs now, counted for `DescribeFleetCapacity` and
//! `DescribeFleetUtilization` (the crate's `FleetCounts`, its decisions in
//! `gamelift_session::fleet`'s `capacity.rs`), and the control API's list
//! of computes and processes (`GET /_emulator/processes`).

use gamelift_session::fleet::FleetCounts;
use gamelift_session::model::GameSessionStatus;
use serde_json::{Value, json};

use super::GameServersWorld;
use crate::context::Context;
use crate::fleets::Fleets;
use crate::game_sessions::Sessions;

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// What `fleet` runs, and the location it is counted in.
pub(crate) fn fleet_counts(
    fleets: &Fleets,
    sessions: &Sessions,
    fleet: &str,
    region: &str,
) -> (String, FleetCounts) {
    let mut c = FleetCounts::default();
    let mut live = 0;
    for s in sessions
        .iter()
        .filter_map(|d| d.game_session.as_ref())
        .filter(|s| s.fleet_id.as_deref() == Some(fleet))
    {
        if matches!(
            s.status,
            Some(
                GameSessionStatus::Activating
                    | GameSessionStatus::Active
                    | GameSessionStatus::Terminating
            )
        ) {
            live += 1;
            c.current_player_sessions = c
                .current_player_sessions
                .saturating_add(s.current_player_session_count.unwrap_or(0));
            c.maximum_player_sessions = c
                .maximum_player_sessions
                .saturating_add(s.maximum_player_session_count.unwrap_or(0));
        }
    }
    c.active_game_sessions = count(live);
    let Some(f) = fleets.created(fleet) else {
        c.active_server_processes = count(live);
        c.instances = 1;
        c.idle_instances = i32::from(live == 0);
        return (region.to_owned(), c);
    };
    let processes: Vec<_> = fleets.processes.of_fleet(fleet).collect();
    c.active_server_processes = count(processes.iter().filter(|p| p.state.is_active()).count());
    let busy = |compute: &str| {
        processes
            .iter()
            .any(|p| p.state.key.compute_name == compute && p.state.game_session_id.is_some())
    };
    if f.is_anywhere() {
        let computes: Vec<_> = fleets.computes_of(fleet).collect();
        c.instances = count(computes.len());
        c.idle_instances = count(
            computes
                .iter()
                .filter(|r| !busy(r.compute.compute_name.as_deref().unwrap_or_default()))
                .count(),
        );
        let location = f
            .locations
            .first()
            .cloned()
            .unwrap_or_else(|| region.to_owned());
        (location, c)
    } else {
        c.instances = 1;
        c.idle_instances = i32::from(live == 0);
        (region.to_owned(), c)
    }
}

/// `GET /_emulator/processes`: every compute, and every connected server
/// process with its state, so that a test waits for `READY` without
/// sleeping.
pub(crate) fn list_processes<S: GameServersWorld>(cx: &Context<S>) -> Value {
    let now = cx.env().now();
    let mut store = cx.lock();
    let fleets = store.fleets();
    let computes: Vec<Value> = fleets
        .computes()
        .map(|r| {
            json!({
                "FleetId": r.compute.fleet_id,
                "ComputeName": r.compute.compute_name,
                "Location": r.compute.location,
                "ComputeStatus": r.compute.compute_status,
            })
        })
        .collect();
    let processes: Vec<Value> = fleets
        .processes
        .iter()
        .map(|p| {
            let s = &p.state;
            json!({
                "FleetId": s.key.fleet_id,
                "ComputeName": s.key.compute_name,
                "ProcessId": s.key.process_id,
                "Status": s.status.as_str(),
                "Connected": s.is_connected(),
                "DisconnectedSeconds": s.disconnected_at.map(|t| (now - t).whole_seconds()),
                "Location": p.location,
                "Port": s.port,
                "GameSessionId": s.game_session_id,
                "Launched": p.launched,
                "SdkVersion": s.sdk_version,
                "SdkLanguage": s.sdk_language,
                "Healthy": s.healthy,
                "TerminationRequested": s.termination_requested,
            })
        })
        .collect();
    json!({ "Computes": computes, "Processes": processes })
}
