//! The law of the journal: whatever sequence of operations the emulator
//! answers, the state read back from the files after a crash (no
//! snapshot at shutdown) is the state it was serving.

use std::sync::atomic::{AtomicU64, Ordering};

use std::path::{Path, PathBuf};

use gamelift_session::Limits;
use proptest::prelude::*;
use serde_json::json;

use crate::emulator::Emulator;
use crate::protocol::Protocol;
use crate::settings::{Activation, DeclaredFleet, PlayerAcceptance, Retention, Settings};
use crate::state::State;

#[derive(Debug, Clone)]
enum Op {
    Create { token: Option<u8>, max: u8 },
    Update { session: u8, name: u8, key: u8 },
    Join { session: u8, players: u8 },
    Accept { player: u8 },
    Remove { player: u8 },
    Activate { session: u8 },
    Terminate { session: u8, force: bool },
    ProcessEnded { session: u8 },
    Describe,
    Reset,
    Compact,
    CreateQueue { fleet: u8 },
    Place { id: u8, players: u8 },
    StopPlacement { id: u8 },
    Advance { seconds: u8 },
    CreateAlias { terminal: bool },
    UpdateAlias { alias: u8, fleet: u8 },
    DeleteAlias { alias: u8 },
    Matchmake { players: u8, queued: bool },
    AcceptTicket { ticket: u8, yes: bool },
    StopTicket { ticket: u8 },
    DeclareFleet { capacity: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (proptest::option::of(0u8..4), 1u8..4).prop_map(|(token, max)| Op::Create { token, max }),
        4 => (any::<u8>(), 0u8..4, 0u8..20).prop_map(|(session, name, key)| Op::Update { session, name, key }),
        4 => (any::<u8>(), 1u8..3).prop_map(|(session, players)| Op::Join { session, players }),
        2 => any::<u8>().prop_map(|player| Op::Accept { player }),
        2 => any::<u8>().prop_map(|player| Op::Remove { player }),
        2 => any::<u8>().prop_map(|session| Op::Activate { session }),
        2 => (any::<u8>(), any::<bool>()).prop_map(|(session, force)| Op::Terminate { session, force }),
        1 => any::<u8>().prop_map(|session| Op::ProcessEnded { session }),
        2 => Just(Op::Describe),
        1 => Just(Op::Reset),
        1 => Just(Op::Compact),
        1 => (0u8..3).prop_map(|fleet| Op::CreateQueue { fleet }),
        3 => (0u8..6, 0u8..3).prop_map(|(id, players)| Op::Place { id, players }),
        1 => (0u8..6).prop_map(|id| Op::StopPlacement { id }),
        1 => (0u8..30).prop_map(|seconds| Op::Advance { seconds }),
        2 => any::<bool>().prop_map(|terminal| Op::CreateAlias { terminal }),
        2 => (any::<u8>(), 0u8..3).prop_map(|(alias, fleet)| Op::UpdateAlias { alias, fleet }),
        1 => any::<u8>().prop_map(|alias| Op::DeleteAlias { alias }),
        3 => (1u8..3, any::<bool>()).prop_map(|(players, queued)| Op::Matchmake { players, queued }),
        2 => (any::<u8>(), any::<bool>()).prop_map(|(ticket, yes)| Op::AcceptTicket { ticket, yes }),
        1 => any::<u8>().prop_map(|ticket| Op::StopTicket { ticket }),
        1 => (0u8..4).prop_map(|capacity| Op::DeclareFleet { capacity }),
    ]
}

fn scratch() -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "gamelift-journal-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir.join("state.json")
}

fn settings(activation: Activation, acceptance: PlayerAcceptance) -> Settings {
    let mut limits = Limits::AWS;
    // Reservations run out at once, so that reads time them out.
    limits.player_reservation_timeout = time::Duration::milliseconds(1);
    Settings {
        activation,
        player_acceptance: acceptance,
        limits,
        // Short, so that the clock's steps forget tickets, placements and
        // TERMINATED sessions, and the count bound forgets them too.
        retention: Retention {
            ended: time::Duration::seconds(40),
            terminated: time::Duration::seconds(50),
            max_terminated: 3,
        },
        ..Settings::default()
    }
}

fn open_emulator(path: &Path, settings: Settings) -> Emulator {
    Emulator::with_state_file(settings, path)
        .expect("the state file loads")
        .0
}

fn nth<T: Clone>(items: &[T], n: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[usize::from(n) % items.len()].clone())
}

// One arm per operation: a table, read top to bottom.
#[allow(clippy::too_many_lines)]
fn run(emulator: &Emulator, op: &Op) {
    let state = emulator.state();
    let sessions: Vec<String> = state
        .game_session_details
        .iter()
        .filter_map(|d| d.game_session.as_ref()?.game_session_id.clone())
        .collect();
    let players: Vec<String> = state
        .player_sessions
        .iter()
        .filter_map(|p| p.player_session_id.clone())
        .collect();
    let call = |operation: &str, body: serde_json::Value| {
        let _ = emulator.call_and_wait(operation, body.to_string().as_bytes(), Protocol::Json);
    };
    match *op {
        Op::Create { token, max } => {
            let mut body = json!({"FleetId": "fleet-1a2b", "MaximumPlayerSessionCount": max,
                "GameProperties": [{"Key": "mode", "Value": "ranked"}]});
            if let Some(t) = token {
                body["IdempotencyToken"] = json!(format!("token-{t}"));
            }
            call("CreateGameSession", body);
        }
        Op::Update { session, name, key } => {
            if let Some(id) = nth(&sessions, session) {
                call(
                    "UpdateGameSession",
                    json!({"GameSessionId": id, "Name": format!("n{name}"),
                    "GameProperties": [{"Key": format!("k{key}"), "Value": "v"}]}),
                );
            }
        }
        Op::Join {
            session,
            players: n,
        } => {
            if let Some(id) = nth(&sessions, session) {
                let ids: Vec<String> = (0..n)
                    .map(|i| format!("player-{}-{i}", players.len()))
                    .collect();
                call(
                    "CreatePlayerSessions",
                    json!({"GameSessionId": id, "PlayerIds": ids}),
                );
            }
        }
        Op::Accept { player } | Op::Remove { player } => {
            if let Some(id) = nth(&players, player) {
                let change = if matches!(op, Op::Accept { .. }) {
                    "player-sessions/accept"
                } else {
                    "player-sessions/remove"
                };
                let _ = emulator.control_and_wait(change, &json!({"PlayerSessionId": id}));
            }
        }
        Op::Activate { session } => {
            if let Some(id) = nth(&sessions, session) {
                let _ = emulator
                    .control_and_wait("game-sessions/activate", &json!({"GameSessionId": id}));
            }
        }
        Op::ProcessEnded { session } => {
            if let Some(id) = nth(&sessions, session) {
                let _ = emulator
                    .control_and_wait("game-sessions/process-ended", &json!({"GameSessionId": id}));
            }
        }
        Op::Terminate { session, force } => {
            if let Some(id) = nth(&sessions, session) {
                let mode = if force {
                    "FORCE_TERMINATE"
                } else {
                    "TRIGGER_ON_PROCESS_TERMINATE"
                };
                call(
                    "TerminateGameSession",
                    json!({"GameSessionId": id, "TerminationMode": mode}),
                );
            }
        }
        Op::Describe => {
            call("DescribeGameSessions", json!({"FleetId": "fleet-1a2b"}));
            call("SearchGameSessions", json!({"FleetId": "fleet-1a2b"}));
        }
        Op::Reset => {
            let (_, seq) = emulator.reset();
            emulator.wait(seq);
        }
        Op::Compact => {
            let _ = emulator.save_state_file();
        }
        Op::CreateAlias { .. } | Op::UpdateAlias { .. } | Op::DeleteAlias { .. } => {
            run_alias(emulator, &state, op);
        }
        Op::CreateQueue { fleet } => {
            let fleets = ["fleet-1a2b", "fleet-9z"];
            let arns: Vec<_> = fleets
                .iter()
                .skip(usize::from(fleet % 2))
                .map(|f| json!({"DestinationArn": format!("arn:aws:gamelift:us-west-2:1:fleet/{f}")}))
                .collect();
            call(
                "CreateGameSessionQueue",
                json!({"Name": format!("q{fleet}"),
                "TimeoutInSeconds": 10, "Destinations": arns}),
            );
        }
        Op::Place { id, players } => {
            let desired: Vec<_> = (0..players)
                .map(|i| json!({"PlayerId": format!("placed-{id}-{i}"), "PlayerData": "d"}))
                .collect();
            call(
                "StartGameSessionPlacement",
                json!({"PlacementId": format!("p{id}"),
                "GameSessionQueueName": format!("q{}", id % 3), "MaximumPlayerSessionCount": 2,
                "DesiredPlayerSessions": desired}),
            );
            call(
                "DescribeGameSessionPlacement",
                json!({"PlacementId": format!("p{}", id / 2)}),
            );
        }
        Op::StopPlacement { id } => {
            call(
                "StopGameSessionPlacement",
                json!({"PlacementId": format!("p{id}")}),
            );
        }
        Op::Advance { seconds } => {
            let (_, seq) = emulator.advance_clock(time::Duration::seconds(i64::from(seconds)));
            emulator.wait(seq);
        }
        Op::Matchmake { .. } | Op::AcceptTicket { .. } | Op::StopTicket { .. } => {
            run_matchmaking(emulator, &state, op);
        }
        Op::DeclareFleet { capacity } => {
            let fleet = DeclaredFleet {
                fleet_id: "fleet-1a2b".to_owned(),
                capacity: Some(usize::from(capacity) * 2),
                locations: vec!["us-east-1".to_owned()],
            };
            let _ = emulator.control_and_wait(
                "fleets",
                &serde_json::to_value(&fleet).expect("a declaration"),
            );
        }
    }
}

/// Rule sets, configurations (standalone, and through the queue `q0`
/// when it exists) and tickets, accepted, rejected and stopped.
fn run_matchmaking(emulator: &Emulator, state: &State, op: &Op) {
    let call = |operation: &str, body: serde_json::Value| {
        let _ = emulator.call_and_wait(operation, body.to_string().as_bytes(), Protocol::Json);
    };
    let tickets: Vec<(String, Vec<String>)> = state
        .matchmaking_tickets
        .iter()
        .map(|t| {
            let players = t
                .ticket
                .players()
                .iter()
                .filter_map(|p| p.player_id.clone())
                .collect();
            (t.ticket.ticket_id.clone().unwrap_or_default(), players)
        })
        .collect();
    match *op {
        Op::Matchmake { players, queued } => {
            let rules = json!({"ruleLanguageVersion": "1.0",
                "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 2},
                          {"name": "blue", "minPlayers": 1, "maxPlayers": 2}]});
            call(
                "CreateMatchmakingRuleSet",
                json!({"Name": "r", "RuleSetBody": rules.to_string()}),
            );
            call(
                "CreateMatchmakingConfiguration",
                json!({"Name": "solo", "RuleSetName": "r",
                "RequestTimeoutSeconds": 20, "AcceptanceRequired": true, "AcceptanceTimeoutSeconds": 5,
                "FlexMatchMode": "STANDALONE"}),
            );
            call(
                "CreateMatchmakingConfiguration",
                json!({"Name": "placed", "RuleSetName": "r",
                "RequestTimeoutSeconds": 20, "AcceptanceRequired": false,
                "GameSessionQueueArns": ["arn:aws:gamelift:us-west-2:1:gamesessionqueue/q0"]}),
            );
            let ids: Vec<_> = (0..players)
                .map(|i| json!({"PlayerId": format!("mm-{}-{i}", tickets.len())}))
                .collect();
            let config = if queued { "placed" } else { "solo" };
            call(
                "StartMatchmaking",
                json!({"ConfigurationName": config, "Players": ids}),
            );
        }
        Op::AcceptTicket { ticket, yes } => {
            if let Some((id, players)) = nth(&tickets, ticket) {
                let answer = if yes { "ACCEPT" } else { "REJECT" };
                call(
                    "AcceptMatch",
                    json!({"TicketId": id, "PlayerIds": players, "AcceptanceType": answer}),
                );
                call("DescribeMatchmaking", json!({"TicketIds": [id]}));
            }
        }
        Op::StopTicket { ticket } => {
            if let Some((id, _)) = nth(&tickets, ticket) {
                call("StopMatchmaking", json!({"TicketId": id}));
            }
        }
        _ => {}
    }
}

fn run_alias(emulator: &Emulator, state: &State, op: &Op) {
    let aliases: Vec<String> = state
        .aliases
        .iter()
        .filter_map(|a| a.alias_id.clone())
        .collect();
    let call = |operation: &str, body: serde_json::Value| {
        let _ = emulator.call_and_wait(operation, body.to_string().as_bytes(), Protocol::Json);
    };
    match *op {
        Op::CreateAlias { terminal } => {
            let strategy = if terminal {
                json!({"Type": "TERMINAL", "Message": "closed"})
            } else {
                json!({"Type": "SIMPLE", "FleetId": "fleet-1a2b"})
            };
            call(
                "CreateAlias",
                json!({"Name": "a", "RoutingStrategy": strategy}),
            );
        }
        Op::UpdateAlias { alias, fleet } => {
            if let Some(id) = nth(&aliases, alias) {
                call(
                    "UpdateAlias",
                    json!({"AliasId": id, "Name": format!("a{fleet}"),
                    "RoutingStrategy": {"Type": "SIMPLE", "FleetId": format!("fleet-{fleet}")}}),
                );
            }
        }
        Op::DeleteAlias { alias } => {
            if let Some(id) = nth(&aliases, alias) {
                call("DeleteAlias", json!({"AliasId": id}));
            }
        }
        _ => {}
    }
}

/// The state as served, with reads' time-outs written down, and
/// without the bookkeeping of where the journal stood.
fn served(emulator: &Emulator) -> State {
    emulator.expire_now();
    let mut state = emulator.state();
    state.journal_sequence = 0;
    state
}

/// How far the operations moved the clock ahead.
fn emulator_offset(ops: &[Op]) -> time::Duration {
    let seconds: i64 = ops
        .iter()
        .map(|op| match op {
            Op::Advance { seconds } => i64::from(*seconds),
            _ => 0,
        })
        .sum();
    time::Duration::seconds(seconds)
}

proptest! {
    // 48 cases in CI; PROPTEST_CASES=1000 for a deeper run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(48)
    ))]

    #[test]
    fn prop_a_crash_reads_back_the_state_served(
        ops in proptest::collection::vec(op(), 1..40),
        never in any::<bool>(),
        manual in any::<bool>(),
    ) {
        let activation = if never { Activation::Never } else { Activation::Active };
        let acceptance = if manual { PlayerAcceptance::Manual } else { PlayerAcceptance::Immediate };
        let path = scratch();
        let emulator = open_emulator(&path, settings(activation, acceptance));
        for op in &ops {
            run(&emulator, op);
        }
        // Every reservation has run out by now, on both sides.
        std::thread::sleep(std::time::Duration::from_millis(3));
        let before = served(&emulator);
        // The crash: no snapshot, the journal as it is.
        drop(emulator);
        let again = open_emulator(&path, settings(activation, acceptance));
        // The control API's clock offset is a test device, not state:
        // the reopened emulator is moved as far ahead.
        let ahead = emulator_offset(&ops);
        // Moved without forgetting: what was forgotten must be forgotten
        // by the journal, not again by the clock.
        again.advance_clock_only(ahead);
        prop_assert_eq!(served(&again), before);
        let _ = std::fs::remove_dir_all(path.parent().expect("a directory"));
    }
}

/// Whether the journal beside `path` holds the record `seq`, on the disk.
fn journal_holds(path: &Path, seq: u64) -> bool {
    let journal = crate::journal::Paths::of(path).journal;
    let text = std::fs::read_to_string(journal).expect("the journal reads");
    text.lines()
        .any(|line| line.starts_with(&format!("{{\"Seq\":{seq},")))
}

/// A session on the declared fleet.
const CREATE: &[u8] = br#"{"FleetId": "fleet-1a2b", "MaximumPlayerSessionCount": 2}"#;

/// An emulator with a state file in a scratch directory, and that file.
fn journaled() -> (PathBuf, Emulator) {
    let path = scratch();
    let emulator = open_emulator(
        &path,
        settings(Activation::Active, PlayerAcceptance::Immediate),
    );
    (path, emulator)
}

/// Stops `emulator` and removes its scratch directory.
fn remove(path: &Path, emulator: Emulator) {
    drop(emulator);
    let _ = std::fs::remove_dir_all(path.parent().expect("a directory"));
}

fn create_session(emulator: &Emulator) -> (crate::emulator::Called, Option<u64>) {
    emulator.call_deferring_lead("CreateGameSession", CREATE, Protocol::Json)
}

/// Polls `future` once, with a waker that does nothing.
fn poll_once<F: std::future::Future>(future: std::pin::Pin<&mut F>) -> std::task::Poll<F::Output> {
    future.poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
}

#[test]
fn a_deferred_leader_writes_the_records_queued_behind_it_before_any_answer() {
    let (path, emulator) = journaled();
    let (first, lead) = create_session(&emulator);
    let (second, follower) = create_session(&emulator);
    assert!(first.answer.is_ok() && second.answer.is_ok());
    // The first leads; the second queued while a leader was due.
    assert_eq!((lead, follower), (Some(first.seq), None));
    // Nothing is written while the leader lets the others run.
    assert!(!journal_holds(&path, first.seq) && !journal_holds(&path, second.seq));

    {
        let mut follows = std::pin::pin!(emulator.lead_then_written(second.seq, follower));
        assert!(
            poll_once(follows.as_mut()).is_pending(),
            "the follower waits for the leader"
        );
        let mut leads = std::pin::pin!(emulator.lead_then_written(first.seq, lead));
        assert!(
            poll_once(leads.as_mut()).is_pending(),
            "the leader lets the others run first"
        );
        assert!(!journal_holds(&path, first.seq));
        assert!(poll_once(leads.as_mut()).is_ready());
        // One write carried both records, before either answer went out.
        assert!(journal_holds(&path, first.seq) && journal_holds(&path, second.seq));
        assert!(poll_once(follows.as_mut()).is_ready());
    }
    remove(&path, emulator);
}

#[test]
fn a_deferred_leader_whose_answer_is_dropped_still_writes() {
    let (path, emulator) = journaled();
    let (called, lead) = create_session(&emulator);
    assert_eq!(lead, Some(called.seq));
    {
        // The client went away while its leader let the others run.
        let mut leads = std::pin::pin!(emulator.lead_then_written(called.seq, lead));
        assert!(poll_once(leads.as_mut()).is_pending());
        assert!(!journal_holds(&path, called.seq));
    }
    assert!(
        journal_holds(&path, called.seq),
        "dropping the leader wrote its record"
    );
    // The next operation leads at once: nobody is left writing.
    let (next, lead) = create_session(&emulator);
    assert_eq!(lead, Some(next.seq));
    remove(&path, emulator);
}

#[test]
fn an_operation_that_does_not_defer_writes_as_it_lets_the_store_go() {
    let (path, emulator) = journaled();
    let called = emulator.call("CreateGameSession", CREATE, Protocol::Json);
    assert!(called.answer.is_ok());
    assert!(journal_holds(&path, called.seq));
    remove(&path, emulator);
}
