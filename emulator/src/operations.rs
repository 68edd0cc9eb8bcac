//! The dispatch: every GameLift operation the emulator serves, by name, to
//! the room that handles it; and every control action under
//! `/_emulator/`, by path. One table each, in one place.

use gamelift_session::player_session::PlayerSessionChange;

use crate::context::Context;
use crate::game_sessions::GameServerAction;
use crate::protocol::{Answer, Protocol};
use crate::store::Store;
use crate::{fleets, flexmatch, game_servers, game_sessions, placements, player_sessions};

/// A GameLift operation: a request body in, an answer out.
pub(crate) type Operation = fn(&Context<Store>, &[u8], Protocol) -> Answer;

/// Every operation served, by name.
pub(crate) const OPERATIONS: &[(&str, Operation)] = &[
    // Game sessions.
    ("CreateGameSession", game_sessions::create_game_session),
    (
        "DescribeGameSessions",
        game_sessions::describe_game_sessions,
    ),
    (
        "DescribeGameSessionDetails",
        game_sessions::describe_game_session_details,
    ),
    ("UpdateGameSession", game_sessions::update_game_session),
    ("SearchGameSessions", game_sessions::search_game_sessions),
    (
        "TerminateGameSession",
        game_sessions::terminate_game_session,
    ),
    // Player sessions.
    (
        "CreatePlayerSession",
        player_sessions::create_player_session,
    ),
    (
        "CreatePlayerSessions",
        player_sessions::create_player_sessions,
    ),
    (
        "DescribePlayerSessions",
        player_sessions::describe_player_sessions,
    ),
    // Fleets and aliases.
    ("DescribeFleetAttributes", fleets::describe_fleet_attributes),
    ("ListFleets", fleets::list_fleets),
    ("CreateAlias", fleets::create_alias),
    ("DescribeAlias", fleets::describe_alias),
    ("ListAliases", fleets::list_aliases),
    ("ResolveAlias", fleets::resolve_alias),
    ("UpdateAlias", fleets::update_alias),
    ("DeleteAlias", fleets::delete_alias),
    // Anywhere and managed fleets, their locations and computes.
    ("CreateLocation", fleets::create_location),
    ("ListLocations", fleets::list_locations),
    ("DeleteLocation", fleets::delete_location),
    ("CreateFleet", fleets::create_fleet),
    ("DeleteFleet", game_servers::delete_fleet),
    (
        "DescribeRuntimeConfiguration",
        fleets::describe_runtime_configuration,
    ),
    (
        "UpdateRuntimeConfiguration",
        fleets::update_runtime_configuration,
    ),
    ("DescribeFleetCapacity", fleets::describe_fleet_capacity),
    (
        "DescribeFleetUtilization",
        fleets::describe_fleet_utilization,
    ),
    ("RegisterCompute", fleets::register_compute),
    ("DescribeCompute", fleets::describe_compute),
    ("ListCompute", fleets::list_compute),
    ("DeregisterCompute", game_servers::deregister_compute),
    ("GetComputeAuthToken", fleets::get_compute_auth_token),
    // Queues and placements.
    (
        "CreateGameSessionQueue",
        placements::create_game_session_queue,
    ),
    (
        "DescribeGameSessionQueues",
        placements::describe_game_session_queues,
    ),
    (
        "UpdateGameSessionQueue",
        placements::update_game_session_queue,
    ),
    (
        "DeleteGameSessionQueue",
        placements::delete_game_session_queue,
    ),
    (
        "StartGameSessionPlacement",
        placements::start_game_session_placement,
    ),
    (
        "DescribeGameSessionPlacement",
        placements::describe_game_session_placement,
    ),
    (
        "StopGameSessionPlacement",
        placements::stop_game_session_placement,
    ),
    // FlexMatch.
    (
        "CreateMatchmakingRuleSet",
        flexmatch::create_matchmaking_rule_set,
    ),
    (
        "ValidateMatchmakingRuleSet",
        flexmatch::validate_matchmaking_rule_set,
    ),
    (
        "DescribeMatchmakingRuleSets",
        flexmatch::describe_matchmaking_rule_sets,
    ),
    (
        "DeleteMatchmakingRuleSet",
        flexmatch::delete_matchmaking_rule_set,
    ),
    (
        "CreateMatchmakingConfiguration",
        flexmatch::create_matchmaking_configuration,
    ),
    (
        "DescribeMatchmakingConfigurations",
        flexmatch::describe_matchmaking_configurations,
    ),
    (
        "UpdateMatchmakingConfiguration",
        flexmatch::update_matchmaking_configuration,
    ),
    (
        "DeleteMatchmakingConfiguration",
        flexmatch::delete_matchmaking_configuration,
    ),
    ("StartMatchmaking", flexmatch::start_matchmaking),
    ("StartMatchBackfill", flexmatch::start_match_backfill),
    ("DescribeMatchmaking", flexmatch::describe_matchmaking),
    ("StopMatchmaking", flexmatch::stop_matchmaking),
    ("AcceptMatch", flexmatch::accept_match),
];

/// The operation `name`, if the emulator serves it.
pub(crate) fn operation(name: &str) -> Option<Operation> {
    OPERATIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, op)| op)
}

/// A control action: a JSON body in, a JSON answer out.
pub(crate) type Action = fn(&Context<Store>, &[u8]) -> Answer;

/// Every control action of the rooms, by its path under `/_emulator/`
/// (health, reset and the clock are the control API's own).
pub(crate) const ACTIONS: &[(&str, Action)] = &[
    ("fleets", |cx, body| {
        fleets::declare_fleet(cx, body, Protocol::Json)
    }),
    ("fleets/launch", |cx, body| {
        game_servers::launch_fleet(cx, body, Protocol::Json)
    }),
    ("game-sessions/activate", |cx, body| {
        game_sessions::game_server(cx, GameServerAction::Activate, body)
    }),
    ("game-sessions/fail-activation", |cx, body| {
        game_sessions::game_server(cx, GameServerAction::FailActivation, body)
    }),
    ("game-sessions/process-ended", |cx, body| {
        game_sessions::game_server(cx, GameServerAction::ProcessEnded, body)
    }),
    ("player-sessions/accept", |cx, body| {
        player_sessions::player_server(cx, PlayerSessionChange::Accept, body)
    }),
    ("player-sessions/remove", |cx, body| {
        player_sessions::player_server(cx, PlayerSessionChange::Remove, body)
    }),
];

/// The control action at `path`, if there is one.
pub(crate) fn action(path: &str) -> Option<Action> {
    ACTIONS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|&(_, action)| action)
}

/// The sentence for a control path no action has: the actions of its
/// group (`game-sessions/...`), or every action.
pub(crate) fn unknown_action(path: &str) -> String {
    let (group, name) = path.rsplit_once('/').unwrap_or(("", path));
    let mut names: Vec<&str> = ACTIONS
        .iter()
        .filter_map(|(p, _)| match p.rsplit_once('/') {
            Some((g, n)) if g == group => Some(n),
            _ => None,
        })
        .collect();
    if names.is_empty() {
        names = ACTIONS.iter().map(|(p, _)| *p).collect();
    }
    let list = match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    format!(
        "No control action {}; there are {list}",
        crate::log::Bounded(name)
    )
}
