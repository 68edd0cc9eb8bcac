//! The session table against a model: a long random sequence of every
//! operation (creates, updates, joins, leaves, expired reservations,
//! activations, terminations) applied to a `SessionTable` through
//! `modify`, and to a plain list of sessions with a search index recorded
//! by hand. After every step the table holds the same sessions and index
//! as the model, and a random search over the table's rows (run directly
//! and prepared) answers exactly what the reference search over the
//! model's sessions answers. At the end, a table rebuilt from scratch
//! holds the same index and the same number of strings: no row is stale
//! and no string outlives the rows that held it.

mod util;

use gamelift_session::{
    GameProperty, GameSession, GameSessionDetail, GameSessionStatus, Limits, SessionTable,
    UpdateGameSessionInput,
    game_session::{
        Connection, TerminateGameSessionInput, activate_game_session, terminate_game_session,
        update_game_session_in_place,
    },
    model::{PlayerSessionCreationPolicy, TerminationMode},
    player_session::{
        CreatePlayerSessionsInput, PlayerSession, PlayerSessionChange, change_player_session,
        expire_reservations,
    },
    search::{FilterExpression, SearchGameSessionsInput, SearchIndex, SortExpression},
};
use proptest::prelude::*;
use time::{Duration, OffsetDateTime};
use util::proptest_config;
use util::search::{KEYS, STRINGS, filter, sort};

const FLEETS: [&str; 2] = ["fleet-1a2b", "fleet-other"];
const LOCATIONS: [&str; 2] = ["us-west-2", "eu-west-1"];

#[derive(Debug, Clone)]
enum Op {
    Create {
        fleet: usize,
        location: usize,
        status: GameSessionStatus,
        name: Option<&'static str>,
        max: Option<i32>,
        accept: Option<bool>,
        properties: Vec<(&'static str, &'static str)>,
    },
    Update {
        at: usize,
        name: Option<&'static str>,
        max: Option<i32>,
        accept: Option<bool>,
        properties: Vec<(&'static str, &'static str)>,
    },
    Join {
        at: usize,
        players: usize,
    },
    Accept {
        at: usize,
        which: usize,
    },
    Leave {
        at: usize,
        which: usize,
    },
    /// Time passes by this many seconds, and reservations of the session
    /// run out.
    Expire {
        at: usize,
        seconds: i64,
    },
    Activate {
        at: usize,
    },
    Terminate {
        at: usize,
    },
    /// The session is forgotten (an embedder's retention).
    Remove {
        at: usize,
    },
}

fn properties() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    prop::collection::vec(
        (
            prop::sample::select(&KEYS[..]),
            prop::sample::select(&STRINGS[..]),
        ),
        0..4,
    )
}

fn op() -> impl Strategy<Value = Op> {
    let at = 0usize..64;
    let name = prop::option::of(prop::sample::select(&STRINGS[..]));
    prop_oneof![
        3 => (
            0..2usize,
            0..2usize,
            prop_oneof![
                4 => Just(GameSessionStatus::Active),
                1 => Just(GameSessionStatus::Activating),
            ],
            name.clone(),
            prop::option::of(0i32..8),
            prop::option::of(any::<bool>()),
            properties(),
        )
            .prop_map(|(fleet, location, status, name, max, accept, properties)| Op::Create {
                fleet,
                location,
                status,
                name,
                max,
                accept,
                properties,
            }),
        4 => (at.clone(), name, prop::option::of(0i32..8), prop::option::of(any::<bool>()), properties())
            .prop_map(|(at, name, max, accept, properties)| Op::Update { at, name, max, accept, properties }),
        3 => (at.clone(), 1usize..4).prop_map(|(at, players)| Op::Join { at, players }),
        2 => (at.clone(), 0usize..8).prop_map(|(at, which)| Op::Accept { at, which }),
        2 => (at.clone(), 0usize..8).prop_map(|(at, which)| Op::Leave { at, which }),
        1 => (at.clone(), 0i64..90).prop_map(|(at, seconds)| Op::Expire { at, seconds }),
        1 => at.clone().prop_map(|at| Op::Activate { at }),
        1 => at.clone().prop_map(|at| Op::Terminate { at }),
        2 => at.prop_map(|at| Op::Remove { at }),
    ]
}

/// A search: a fleet, perhaps a location, a filter, a sort, a page size
/// and a token naming one of the sessions (by its place, modulo the count).
#[derive(Debug, Clone)]
struct Search {
    fleet: usize,
    location: Option<usize>,
    filter: Option<FilterExpression>,
    sort: Option<SortExpression>,
    limit: i32,
    after: Option<usize>,
}

fn search() -> impl Strategy<Value = Search> {
    (
        prop::sample::select(&[0usize, 0, 0, 1][..]),
        prop::option::of(0..2usize),
        prop::option::weighted(0.8, filter()),
        prop::option::of(sort()),
        1i32..25,
        prop::option::weighted(0.3, 0usize..64),
    )
        .prop_map(|(fleet, location, filter, sort, limit, after)| Search {
            fleet,
            location,
            filter,
            sort,
            limit,
            after,
        })
}

/// The model: sessions and their players in creation order, the index
/// recorded by hand after every change, and the clock.
struct Model {
    sessions: Vec<GameSessionDetail>,
    index: SearchIndex,
    now: OffsetDateTime,
}

fn id(i: usize, fleet: &str) -> String {
    format!("arn:aws:gamelift:us-west-2::gamesession/{fleet}/gs-{i}")
}

fn new_session(i: usize, op: &Op, now: OffsetDateTime) -> Option<GameSessionDetail> {
    let Op::Create {
        fleet,
        location,
        status,
        name,
        max,
        accept,
        properties,
    } = op
    else {
        return None;
    };
    let fleet = FLEETS[*fleet];
    let mut s = GameSession::default();
    s.game_session_id = Some(id(i, fleet));
    s.fleet_id = Some(fleet.to_owned());
    s.location = Some(LOCATIONS[*location].to_owned());
    s.status = Some(*status);
    s.name = name.map(str::to_owned);
    s.maximum_player_session_count = *max;
    s.current_player_session_count = Some(0);
    s.player_session_creation_policy = accept.map(policy);
    s.creation_time = Some(now);
    let mut props: Vec<GameProperty> = Vec::new();
    for (k, v) in properties {
        if !props.iter().any(|p| p.key == *k) {
            props.push(GameProperty::new(*k, *v));
        }
    }
    s.game_properties = Some(props);
    Some(GameSessionDetail::new(s, None))
}

/// The id of the model's session at `at`.
fn id_at(model: &Model, at: usize) -> String {
    model.sessions[at]
        .game_session
        .as_ref()
        .and_then(|s| s.game_session_id.clone())
        .expect("every session has an id")
}

fn policy(accept: bool) -> PlayerSessionCreationPolicy {
    if accept {
        PlayerSessionCreationPolicy::AcceptAll
    } else {
        PlayerSessionCreationPolicy::DenyAll
    }
}

/// Applies `op` to one session and its players, as an embedder would,
/// with the crate's own operations. Failures leave the session untouched
/// (each operation is all or nothing), so they are part of the sequence.
fn apply(
    op: &Op,
    detail: &mut GameSessionDetail,
    players: &mut Vec<PlayerSession>,
    now: OffsetDateTime,
    serial: &mut usize,
) {
    let id = detail
        .game_session
        .as_ref()
        .and_then(|s| s.game_session_id.clone())
        .unwrap_or_default();
    let limits = Limits::AWS;
    match op {
        Op::Create { .. } | Op::Remove { .. } => {}
        Op::Update {
            name,
            max,
            accept,
            properties,
            ..
        } => {
            let mut input = UpdateGameSessionInput::new(id);
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                input = input.name(name);
            }
            if let Some(max) = max {
                input = input.maximum_player_session_count(*max);
            }
            if let Some(accept) = accept {
                input = input.player_session_creation_policy(policy(*accept));
            }
            for (k, v) in properties {
                input = input.game_property(*k, *v);
            }
            let _ = update_game_session_in_place(detail, &input);
        }
        Op::Join { players: n, .. } => {
            let ids: Vec<String> = (0..*n).map(|p| format!("player-{p}")).collect();
            let input = CreatePlayerSessionsInput::new(id, ids);
            if let Ok(valid) = input.validate() {
                let mut new_id = || {
                    *serial += 1;
                    format!("psess-{serial}")
                };
                let _ = valid.admit(detail, players, now, &mut new_id, &limits);
            }
        }
        Op::Accept { which, .. } | Op::Leave { which, .. } => {
            let change = if matches!(op, Op::Accept { .. }) {
                PlayerSessionChange::Accept
            } else {
                PlayerSessionChange::Remove
            };
            if let Some(player) = players
                .get(*which)
                .and_then(|p| p.player_session_id.clone())
            {
                let _ = change_player_session(detail, players, &player, change, now, &limits);
            }
        }
        Op::Expire { .. } => {
            let _ = expire_reservations(detail, players, now, &limits);
        }
        Op::Activate { .. } => {
            let at =
                Connection::new(std::net::Ipv4Addr::LOCALHOST.into(), 7777).expect("a valid port");
            let _ = activate_game_session(detail, &at, now);
        }
        Op::Terminate { .. } => {
            let input =
                TerminateGameSessionInput::new(id, TerminationMode::TriggerOnProcessTerminate);
            let _ = terminate_game_session(detail, &input, now);
        }
    }
}

fn at_of(op: &Op) -> Option<usize> {
    match op {
        Op::Create { .. } | Op::Remove { .. } => None,
        Op::Update { at, .. }
        | Op::Join { at, .. }
        | Op::Accept { at, .. }
        | Op::Leave { at, .. }
        | Op::Expire { at, .. }
        | Op::Activate { at }
        | Op::Terminate { at } => Some(*at),
    }
}

fn input_of(s: &Search, model: &Model) -> SearchGameSessionsInput {
    let mut input = SearchGameSessionsInput::for_fleet(FLEETS[s.fleet]).limit(s.limit);
    input.location = s.location.map(|l| LOCATIONS[l].to_owned());
    input.filter_expression = s.filter.as_ref().map(ToString::to_string);
    input.sort_expression = s.sort.as_ref().map(ToString::to_string);
    input.next_token = s
        .after
        .filter(|_| !model.sessions.is_empty())
        .and_then(|a| model.sessions.get(a % model.sessions.len()))
        .and_then(|d| d.game_session.as_ref()?.game_session_id.clone());
    input
}

/// The table's answer, direct and prepared, against the reference's over
/// the model's sessions and index.
fn check_search(table: &SessionTable, model: &Model, s: &Search) -> Result<(), TestCaseError> {
    let input = input_of(s, model);
    let valid = input.validate().expect("a well-formed search");
    let expected = valid.select(
        model
            .sessions
            .iter()
            .filter_map(|d| d.game_session.as_ref()),
        &model.index,
        None,
    );
    let direct = table.search(&valid, None);
    prop_assert_eq!(&direct, &expected, "{:?}", input);
    let prepared = table.prepare(&valid, None).expect("it prepared");
    prop_assert_eq!(Ok(prepared.run()), expected);
    Ok(())
}

proptest! {
    #![proptest_config(proptest_config(96))]

    #[test]
    fn prop_the_table_agrees_with_a_model_of_every_operation(
        small_index in any::<bool>(),
        steps in prop::collection::vec((op(), search()), 1..120),
    ) {
        let mut limits = Limits::AWS;
        if small_index {
            // Some searchable keys are left out of the index.
            limits.max_search_index_keys = 3;
        }
        let mut table = SessionTable::new(&limits);
        let mut model = Model {
            sessions: Vec::new(),
            index: SearchIndex::new(&limits),
            now: OffsetDateTime::from_unix_timestamp(1_700_000_000).expect("a time"),
        };
        // Players live beside the table, as in an embedder's store: the
        // table's copy of the operation and the model's get their own.
        let mut table_players: Vec<Vec<PlayerSession>> = Vec::new();
        let mut model_players: Vec<Vec<PlayerSession>> = Vec::new();
        let (mut table_serial, mut model_serial) = (0, 0);
        let (mut created, mut removals) = (0, 0);
        for (op, s) in &steps {
            if let Op::Expire { seconds, .. } = op {
                model.now += Duration::seconds(*seconds);
            }
            if let Some(detail) = new_session(created, op, model.now) {
                created += 1;
                table.insert(detail.clone()).expect("a new id");
                if let Some(session) = &detail.game_session {
                    model.index.record(session);
                }
                model.sessions.push(detail);
                table_players.push(Vec::new());
                model_players.push(Vec::new());
            }
            if let Op::Remove { at } = op
                && !model.sessions.is_empty()
            {
                let at = at % model.sessions.len();
                let place = table.position(&id_at(&model, at)).expect("stored");
                let removed = model.sessions.remove(at);
                prop_assert_eq!(table.remove(place), Some(removed));
                prop_assert_eq!(table.remove(place), None);
                table_players.remove(at);
                model_players.remove(at);
                removals += 1;
            }
            if let Some(at) = at_of(op).filter(|_| !model.sessions.is_empty()) {
                let at = at % model.sessions.len();
                // Places move when the table closes gaps: found by id.
                let place = table.position(&id_at(&model, at)).expect("stored");
                let now = model.now;
                table.modify(place, |detail| {
                    apply(op, detail, &mut table_players[at], now, &mut table_serial);
                });
                apply(op, &mut model.sessions[at], &mut model_players[at], now, &mut model_serial);
                if let Some(session) = &model.sessions[at].game_session {
                    model.index.record(session);
                }
                prop_assert_eq!(table.get(place), model.sessions.get(at));
            }
            prop_assert_eq!(table.len(), model.sessions.len());
            prop_assert_eq!(table.index(), &model.index);
            check_search(&table, &model, s)?;
        }
        prop_assert!(table.iter().eq(model.sessions.iter()));
        for detail in &model.sessions {
            let id = detail.game_session.as_ref().and_then(|s| s.game_session_id.as_deref());
            let place = id.and_then(|id| table.position(id));
            prop_assert_eq!(place.and_then(|p| table.get(p)), Some(detail));
        }
        prop_assert_eq!(table_players, model_players);
        if !small_index {
            // Rebuilt from scratch: the same keys (the index never filled,
            // so the order of admission cannot differ) and the same number
            // of distinct strings (Debug shows the counts, never a value).
            let mut rebuilt = SessionTable::new(&limits);
            for detail in table.iter() {
                rebuilt.insert(detail.clone()).expect("distinct ids");
            }
            // A removed session's keys stay in the index, as the
            // service's do; its strings are let go.
            if removals == 0 {
                prop_assert_eq!(rebuilt.index(), table.index());
                prop_assert_eq!(format!("{rebuilt:?}"), format!("{table:?}"));
            }
            let strings = |t: &SessionTable| {
                let debug = format!("{t:?}");
                debug[debug.find("strings").expect("a count")..].to_owned()
            };
            prop_assert_eq!(strings(&rebuilt), strings(&table));
        }
    }
}
