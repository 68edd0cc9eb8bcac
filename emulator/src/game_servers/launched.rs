//! Fleets whose server processes the emulator launches: a managed fleet
//! (made with `CreateFleet` and a runtime configuration, `--launch`, or
//! the control API's `fleets/launch`) runs on this machine, as the compute
//! [`LOCAL_COMPUTE`] at 127.0.0.1. This file says which processes should
//! run and hands each what the SDK reads from its environment; the
//! programs themselves are `launcher.rs`'s.

use gamelift_session::GameLiftError;
use gamelift_session::fleet::{
    CreateFleetInput, Fleet, RegisterComputeInput, RuntimeConfiguration, ServerProcessConfig,
};
use gamelift_session::game_server::{ProcessKey, ProcessStatus, TerminateProcessPush};
use serde::Deserialize;

use super::GameServersWorld;
use crate::context::Context;
use crate::game_sessions::frame;
use crate::protocol::{Answer, Protocol};
use crate::settings::{ACCOUNT_ID, LaunchedFleet};

/// The compute a launched fleet's processes run on: this machine.
pub(crate) const LOCAL_COMPUTE: &str = "localhost";

/// The managed fleet `--launch` declares: its runtime configuration runs
/// the command, as many times at once as it says.
pub(crate) fn launched_fleet(l: &LaunchedFleet, region: &str) -> Fleet {
    let process = ServerProcessConfig::new(
        l.launch_path.clone(),
        l.parameters.clone(),
        i32::try_from(l.concurrent_executions).unwrap_or(1),
    );
    let input =
        CreateFleetInput::managed(l.fleet_id.clone(), RuntimeConfiguration::new(vec![process]));
    input.fleet(&l.fleet_id, region, crate::clock::wire_now())
}

/// One process a launched fleet should run: its fleet, its place among
/// the fleet's processes, and its program.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Slot {
    pub(crate) fleet_id: String,
    pub(crate) index: usize,
    pub(crate) launch_path: String,
    pub(crate) arguments: Vec<String>,
}

/// Every process the launched fleets should run now.
pub(crate) fn plan<S: GameServersWorld>(cx: &Context<S>) -> Vec<Slot> {
    let mut store = cx.lock();
    store
        .fleets()
        .created_fleets()
        .filter(|f| !f.is_anywhere())
        .flat_map(|f| {
            f.runtime_configuration
                .iter()
                .flat_map(RuntimeConfiguration::processes)
                .enumerate()
                .map(|(index, p)| Slot {
                    fleet_id: f.fleet_id.clone(),
                    index,
                    launch_path: p.launch_path.clone().unwrap_or_default(),
                    arguments: p.arguments().into_iter().map(str::to_owned).collect(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What a launched process is given in its environment (the
/// `GAMELIFT_SDK_*` variables, SPEC §10).
#[derive(Clone)]
pub(crate) struct Given {
    pub(crate) key: ProcessKey,
    pub(crate) websocket_url: String,
    pub(crate) auth_token: String,
}

impl std::fmt::Debug for Given {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Given")
            .field("key", &self.key)
            .field("websocket_url", &self.websocket_url)
            .finish_non_exhaustive()
    }
}

impl Given {
    /// The environment variables, by name.
    pub(crate) fn variables(&self) -> [(&'static str, &str); 5] {
        [
            ("GAMELIFT_SDK_WEBSOCKET_URL", &self.websocket_url),
            ("GAMELIFT_SDK_PROCESS_ID", &self.key.process_id),
            ("GAMELIFT_SDK_HOST_ID", &self.key.compute_name),
            ("GAMELIFT_SDK_FLEET_ID", &self.key.fleet_id),
            ("GAMELIFT_SDK_AUTH_TOKEN", &self.auth_token),
        ]
    }
}

/// Prepares a new process of the launched fleet `fleet`: registers the
/// local compute if it is not, issues a token, and makes up a process id.
/// `None` when the fleet is gone.
pub(crate) fn prepare<S: GameServersWorld>(cx: &Context<S>, fleet: &str) -> Option<Given> {
    let env = cx.env();
    let now = env.now();
    let endpoint = env.sdk_endpoint();
    let mut store = cx.lock();
    let fleets = store.fleets();
    let arn = fleets
        .created(fleet)?
        .attributes(env.region(), ACCOUNT_ID)
        .fleet_arn;
    if fleets.compute(fleet, LOCAL_COMPUTE).is_none() {
        let input = RegisterComputeInput::new(fleet, LOCAL_COMPUTE, "127.0.0.1", env.region());
        let mut compute = input.compute(&arn, env.region(), ACCOUNT_ID, &endpoint, now);
        compute.dns_name = Some(
            env.settings()
                .game_server
                .dns_name
                .clone()
                .unwrap_or_else(|| "localhost".to_owned()),
        );
        fleets.register_compute(fleet, compute);
    }
    let issued = fleets.issue_token(fleet, LOCAL_COMPUTE, env.ids().secret(), now)?;
    Some(Given {
        key: ProcessKey::new(fleet, LOCAL_COMPUTE, env.ids().secret()),
        websocket_url: endpoint,
        auth_token: issued.auth_token,
    })
}

/// Whether the process `key` is connected (or ending), and whether it is
/// still known at all.
pub(crate) fn known<S: GameServersWorld>(
    cx: &Context<S>,
    key: &ProcessKey,
) -> Option<ProcessStatus> {
    cx.lock()
        .fleets()
        .processes
        .get(key)
        .map(|p| p.state.status)
}

/// Pushes `TerminateProcess` to each of `keys` (due in `grace`): what
/// shutdown does first.
pub(crate) fn ask_to_end<S: GameServersWorld>(
    cx: &Context<S>,
    keys: &[ProcessKey],
    grace: std::time::Duration,
) {
    let now = cx.env().now();
    let due = now + time::Duration::try_from(grace).unwrap_or(time::Duration::ZERO);
    let push = frame(&TerminateProcessPush::new(due));
    let mut store = cx.lock();
    let processes = &mut store.fleets().processes;
    for key in keys {
        if let Some(p) = processes.get_mut(key) {
            p.state.termination_requested = true;
            processes.push(key, push.clone(), now);
        }
    }
}

/// The control API's `fleets/launch` body.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct LaunchRequest {
    fleet_id: String,
    launch_path: String,
    #[serde(default)]
    parameters: Option<String>,
    #[serde(default = "one")]
    concurrent_executions: u32,
}

fn one() -> u32 {
    1
}

/// `POST /_emulator/fleets/launch`: makes (or makes again) a fleet whose
/// processes the emulator launches, as `--launch` does:
/// `{"FleetId": "fleet-game", "LaunchPath": "python3", "Parameters":
/// "server.py", "ConcurrentExecutions": 2}`. Answers `{"FleetAttributes": ...}`.
pub(crate) fn launch_fleet<S: GameServersWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let r: LaunchRequest = p.parse(body)?;
    let l = LaunchedFleet {
        fleet_id: r.fleet_id,
        concurrent_executions: r.concurrent_executions,
        launch_path: r.launch_path,
        parameters: r.parameters.filter(|p| !p.trim().is_empty()),
    };
    let text = format!(
        "{}:{}:{} {}",
        l.fleet_id,
        l.concurrent_executions,
        l.launch_path,
        l.parameters.clone().unwrap_or_default()
    );
    LaunchedFleet::parse(&text).map_err(GameLiftError::invalid_request)?;
    let env = cx.env();
    let fleet = launched_fleet(&l, env.region());
    let answer = p.write(&serde_json::json!({
        "FleetAttributes": fleet.attributes(env.region(), ACCOUNT_ID),
    }));
    cx.lock().fleets().create_fleet(fleet);
    tracing::info!(fleet_id = l.fleet_id, "control: fleet to launch");
    answer
}
