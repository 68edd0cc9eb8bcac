//! Benchmarks of `SearchGameSessions`; see `harness` for how cases run and
//! what a line says. Run with `cargo bench --bench search` (`-- --quick`
//! for a short run).
//!
//! - `search_parse`: parsing a typical three-condition filter.
//! - `search_n<N>`: one search, with that filter and a sort, over a
//!   `SessionTable` of N sessions of one fleet (8 properties each; 80%
//!   ACTIVE, the rest ACTIVATING or TERMINATED), from the request to the
//!   first page.
//! - `search_slice_n10000`: the same search over the same sessions held in
//!   a plain slice (`search_game_sessions`, the reference the table's
//!   answers are tested against).
//! - `update_table` and `update_slice`: one `UpdateGameSession` (a name and
//!   a property) of a session of the 10,000, through
//!   `SessionTable::modify` (which rebuilds the session's row) and in place
//!   in a slice: what the rows cost a write.
//! - `search_floor_n10000`: only scanning the same 10,000 sessions for the
//!   fleet and ACTIVE status, collecting them; `search_floor_n100000`, the
//!   same over 100,000, shows what the caches do to a plain scan.

mod harness;

use std::hint::black_box;

use gamelift_session::{
    GameProperty, GameSession, GameSessionDetail, GameSessionStatus, Limits, SessionTable,
    UpdateGameSessionInput,
    game_session::update_game_session_in_place,
    model::PlayerSessionCreationPolicy,
    search::{FilterExpression, SearchGameSessionsInput, SearchIndex, search_game_sessions},
};
use harness::{Case, ratio};

const FLEET: &str = "fleet-2a1b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";
const FILTER: &str = "gameSessionProperties.mode = 'ranked' AND maximumSessions >= 8 AND hasAvailablePlayerSessions = true";
const SORT: &str = "creationTimeMillis DESC";

/// `n` sessions of one fleet, as an emulator's store holds them, and their index.
fn store(n: usize) -> (Vec<GameSession>, SearchIndex) {
    let base = time::macros::datetime!(2026-11-24 12:00:00 UTC);
    let sessions: Vec<GameSession> = (0..n)
        .map(|i| {
            let mut s = GameSession::default();
            s.game_session_id = Some(format!(
                "arn:aws:gamelift:us-west-2::gamesession/{FLEET}/gs-{i:08}"
            ));
            s.name = Some(format!("game {i}"));
            s.fleet_id = Some(FLEET.to_owned());
            s.status = Some(match i % 10 {
                8 => GameSessionStatus::Activating,
                9 => GameSessionStatus::Terminated,
                _ => GameSessionStatus::Active,
            });
            s.location = Some("us-west-2".to_owned());
            s.creation_time = Some(base + time::Duration::seconds(i64::try_from(i).unwrap_or(0)));
            s.current_player_session_count = Some(i32::try_from(i % 9).unwrap_or(0));
            s.maximum_player_session_count = Some(4 + i32::try_from(i % 13).unwrap_or(0));
            s.player_session_creation_policy = Some(if i % 11 == 0 {
                PlayerSessionCreationPolicy::DenyAll
            } else {
                PlayerSessionCreationPolicy::AcceptAll
            });
            let mode = ["ranked", "casual", "coop"][i % 3];
            s.game_properties = Some(vec![
                GameProperty::new("region", "eu"),
                GameProperty::new("skill", format!("{}", i % 50)),
                GameProperty::new("map", ["harbor", "desert", "arctic"][i % 3]),
                GameProperty::new("language", "en"),
                GameProperty::new("mode", mode),
                GameProperty::new("season", "7"),
                GameProperty::new("build", "1.42.0"),
                GameProperty::new("voice", "on"),
            ]);
            s
        })
        .collect();
    let index = SearchIndex::of(&Limits::AWS, &sessions);
    (sessions, index)
}

fn table(sessions: Vec<GameSession>) -> SessionTable {
    let mut table = SessionTable::new(&Limits::AWS);
    for s in sessions {
        let _ = table.insert(GameSessionDetail::new(s, None));
    }
    table
}

fn input() -> SearchGameSessionsInput {
    SearchGameSessionsInput::for_fleet(FLEET)
        .filter(FILTER)
        .sort(SORT)
}

fn search_case(name: &'static str, n: usize) -> Case {
    let table = table(store(n).0);
    let input = input();
    Case::new(name, move || {
        let out = input.validate().and_then(|v| {
            black_box(&table)
                .search(&v, None)
                .map(|o| o.game_sessions.map_or(0, |g| g.len()))
        });
        black_box(out.ok());
    })
}

fn slice_case(name: &'static str, n: usize) -> Case {
    let (sessions, index) = store(n);
    let input = input();
    Case::new(name, move || {
        let out = search_game_sessions(black_box(&input), &sessions, &index, None);
        black_box(out.map(|o| o.game_sessions.map_or(0, |g| g.len())).ok());
    })
}

/// The update of one session of 10,000 (the name, and one property's
/// value in turn), through the table or in place in a slice.
fn update_case(name: &'static str, through_table: bool) -> Case {
    let sessions = store(10_000).0;
    let id = sessions[4_321].game_session_id.clone().unwrap_or_default();
    let inputs: Vec<UpdateGameSessionInput> = (0..16)
        .map(|i| {
            UpdateGameSessionInput::new(id.clone())
                .name(format!("game {i}"))
                .game_property("skill", format!("{i}"))
        })
        .collect();
    let mut turn = 0;
    if through_table {
        let mut table = table(sessions);
        let at = table.position(&id).unwrap_or_default();
        Case::new(name, move || {
            turn = (turn + 1) % inputs.len();
            let input = &inputs[turn];
            let ok = table.modify(at, |d| update_game_session_in_place(d, input).is_ok());
            black_box(ok);
        })
    } else {
        let mut details: Vec<GameSessionDetail> = sessions
            .into_iter()
            .map(|s| GameSessionDetail::new(s, None))
            .collect();
        Case::new(name, move || {
            turn = (turn + 1) % inputs.len();
            let ok = update_game_session_in_place(&mut details[4_321], &inputs[turn]).is_ok();
            black_box(ok);
        })
    }
}

/// What a table's rows, ids and strings cost beyond its sessions, per
/// session: the bytes a table of `n` holds less those of the same
/// sessions in a vector.
fn index_bytes_per_session(n: usize) -> f64 {
    let sessions = store(n).0;
    let copy = sessions.clone();
    let (details, plain) = harness::bytes_of(move || {
        copy.into_iter()
            .map(|s| GameSessionDetail::new(s, None))
            .collect::<Vec<_>>()
    });
    let (table, tabled) = harness::bytes_of(move || table(sessions));
    let per_session = (tabled - plain) as f64 / n as f64;
    black_box((details.len(), table.len()));
    per_session
}

/// The floor: only the scan for the fleet and ACTIVE status.
fn floor_case(name: &'static str, n: usize) -> Case {
    let (sessions, _) = store(n);
    Case::new(name, move || {
        let found: Vec<&GameSession> = black_box(&sessions)
            .iter()
            .filter(|s| {
                s.status == Some(GameSessionStatus::Active) && s.fleet_id.as_deref() == Some(FLEET)
            })
            .collect();
        black_box(found.len());
    })
}

fn main() {
    let mut cases = vec![Case::new("search_parse", || {
        black_box(black_box(FILTER).parse::<FilterExpression>().is_ok());
    })];
    cases.push(search_case("search_n1000", 1_000));
    cases.push(search_case("search_n10000", 10_000));
    cases.push(search_case("search_n100000", 100_000));
    cases.push(slice_case("search_slice_n10000", 10_000));
    cases.push(update_case("update_table", true));
    cases.push(update_case("update_slice", false));
    cases.push(floor_case("search_floor_n10000", 10_000));
    cases.push(floor_case("search_floor_n100000", 100_000));
    let cases = harness::run(cases);
    let ns = |name: &str| harness::ns(&cases, name);
    let per_session = |name: &str, n: f64| ns(name) / n;
    let small = per_session("search_n1000", 1_000.0);
    ratio(
        "search_n10000/search_n1000 per session",
        per_session("search_n10000", 10_000.0) / small,
        1.5,
    );
    ratio(
        "search_n100000/search_n1000 per session",
        per_session("search_n100000", 100_000.0) / small,
        2.5,
    );
    // Not a target: how much a plain scan itself slows per session once the
    // store outgrows the caches, for reading the ratio above.
    println!(
        "info search_floor_n100000/search_floor_n10000 per session {:.2}",
        per_session("search_floor_n100000", 100_000.0)
            / per_session("search_floor_n10000", 10_000.0)
    );
    ratio(
        "search_n10000/search_floor_n10000",
        ns("search_n10000") / ns("search_floor_n10000"),
        3.0,
    );
    println!(
        "info search_slice_n10000/search_n10000 {:.2}",
        ns("search_slice_n10000") / ns("search_n10000")
    );
    println!(
        "info update_table/update_slice {:.2}",
        ns("update_table") / ns("update_slice")
    );
    println!(
        "info table bytes per session beyond the sessions (n = 10000) {:.0}",
        index_bytes_per_session(10_000)
    );
}
