//! Benchmarks of the update and of player admission; see `harness` for
//! how cases run and what a line says. Run with `cargo bench --bench
//! update` (`-- --quick` for a short run).

mod harness;

use harness::{Case, ratio};

use std::hint::black_box;

use gamelift_session::{
    GameProperty, GameSession, GameSessionDetail, GameSessionStatus, Limits,
    UpdateGameSessionInput,
    game_session::{UpdateGameSessionOutput, update_game_session_in_place},
    model::{PlayerGatewayStatus, PlayerSessionCreationPolicy, ProtectionPolicy},
    player_session::{CreatePlayerSessionInput, CreatePlayerSessionsInput},
    update_game_session,
};

const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-24 12:00:00 UTC);
const ID: &str = "arn:aws:gamelift:us-west-2::gamesession/fleet-2a1b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d/gs-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";

/// An ACTIVE session with every member set and `n` properties.
fn session(n: usize) -> GameSessionDetail {
    let mut s = GameSession::default();
    s.game_session_id = Some(ID.to_owned());
    s.name = Some("Friday night ranked".to_owned());
    s.fleet_id = Some("fleet-2a1b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d".to_owned());
    s.fleet_arn = Some(
        "arn:aws:gamelift:us-west-2:111122223333:fleet/fleet-2a1b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"
            .to_owned(),
    );
    s.creation_time = Some(time::macros::datetime!(2026-11-23 19:00:00.123 UTC));
    s.current_player_session_count = Some(6);
    s.maximum_player_session_count = Some(10);
    s.status = Some(GameSessionStatus::Active);
    s.game_properties = Some(
        (0..n)
            .map(|i| GameProperty::new(format!("key{i:04}"), format!("value-{i:04}")))
            .collect(),
    );
    s.ip_address = Some("192.0.2.10".to_owned());
    s.dns_name = Some("ec2-192-0-2-10.us-west-2.compute.amazonaws.com".to_owned());
    s.port = Some(7777);
    s.player_session_creation_policy = Some(PlayerSessionCreationPolicy::AcceptAll);
    s.creator_id = Some("player-0f1e2d3c".to_owned());
    s.game_session_data = Some(r#"{"seed":42,"mode":"ranked","region":"us-west-2"}"#.to_owned());
    s.matchmaker_data = Some(r#"{"matchId":"m-0f1e2d3c","players":[]}"#.to_owned());
    s.location = Some("us-west-2".to_owned());
    s.compute_name = Some("compute-0f1e2d3c".to_owned());
    s.player_gateway_status = Some(PlayerGatewayStatus::Disabled);
    GameSessionDetail::new(s, Some(ProtectionPolicy::NoProtection))
}

/// 3 upserts of existing keys, 1 new key and a name change.
fn typical(tag: &str) -> UpdateGameSessionInput {
    UpdateGameSessionInput::new(ID)
        .name(format!("Friday night {tag}"))
        .game_property("key0001", format!("changed-{tag}-1"))
        .game_property("key0003", format!("changed-{tag}-3"))
        .game_property("key0005", format!("changed-{tag}-5"))
        .game_property("mode", format!("mode-{tag}"))
}

/// Upserts n/2 existing and n/2 new keys into an n/2-property session.
fn merge_case(n: usize) -> (GameSessionDetail, UpdateGameSessionInput, Limits) {
    let detail = session(n / 2);
    let mut input = UpdateGameSessionInput::new(ID);
    for i in 0..n {
        input = input.game_property(format!("key{i:04}"), format!("merged-{i:04}"));
    }
    let mut limits = Limits::AWS;
    limits.max_game_properties = n;
    (detail, input, limits)
}

fn main() {
    let cases = harness::run(build_cases());
    report(&cases);
}

fn build_cases() -> Vec<Case> {
    let mut cases = Vec::new();

    let detail = session(8);
    {
        let detail = detail.clone();
        cases.push(Case::new("clone_detail", move || {
            black_box(black_box(&detail).clone());
        }));
    }
    {
        let detail = detail.clone();
        let input = typical("a");
        cases.push(Case::new("apply_typical", move || {
            let outcome = update_game_session(black_box(&detail), black_box(&input));
            black_box(outcome.is_ok());
            drop(black_box(outcome));
        }));
    }
    {
        let mut detail = detail.clone();
        let inputs = [typical("a"), typical("b")];
        let mut turn = 0;
        cases.push(Case::new("apply_in_place", move || {
            turn ^= 1;
            let report = update_game_session_in_place(&mut detail, black_box(&inputs[turn]));
            black_box(report.is_ok());
            drop(black_box(report));
        }));
    }
    {
        let detail = detail.clone();
        let input = UpdateGameSessionInput::new(ID)
            .name("Friday night ranked")
            .maximum_player_session_count(10)
            .game_property("key0001", "value-0001")
            .game_property("key0003", "value-0003");
        cases.push(Case::new("apply_noop", move || {
            let outcome = update_game_session(black_box(&detail), black_box(&input));
            black_box(outcome.is_ok());
            drop(black_box(outcome));
        }));
    }
    {
        let detail = detail.clone();
        let input = UpdateGameSessionInput::new("x y")
            .maximum_player_session_count(-1)
            .game_property("k".repeat(40), "v");
        cases.push(Case::new("reject_invalid", move || {
            let outcome = update_game_session(black_box(&detail), black_box(&input));
            black_box(outcome.is_err());
            drop(black_box(outcome));
        }));
    }
    let request = serde_json::to_vec(&typical("a")).expect("the request serializes");
    {
        let detail = detail.clone();
        let request = request.clone();
        cases.push(Case::new("wire_update", move || {
            let response = wire_update(black_box(&detail), black_box(&request));
            black_box(response);
        }));
    }
    {
        let detail = detail.clone();
        let request = request.clone();
        let input = typical("a");
        let updated = update_game_session(&detail, &input)
            .expect("the typical update applies")
            .into_detail();
        cases.push(Case::new("wire_baseline", move || {
            let input: UpdateGameSessionInput =
                serde_json::from_slice(black_box(&request)).expect("the request parses");
            black_box(&input);
            let copy = black_box(&detail).clone();
            black_box(&copy);
            let session = updated.game_session.as_ref().expect("a session");
            let response = serde_json::to_vec(&UpdateGameSessionOutput::new(black_box(session)))
                .expect("the response serializes");
            black_box(response);
        }));
    }
    player_cases(&mut cases);
    for (name, n) in [
        ("merge_n16", 16),
        ("merge_n64", 64),
        ("merge_n256", 256),
        ("merge_n1024", 1024),
    ] {
        let (detail, input, limits) = merge_case(n);
        cases.push(Case::new(name, move || {
            let outcome = black_box(&input)
                .validate_with(&limits)
                .and_then(|v| v.apply_to(black_box(&detail)));
            black_box(outcome.is_ok());
            drop(black_box(outcome));
        }));
    }
    cases
}

/// Admission of players: one into a nearly full session, and a batch.
fn player_cases(cases: &mut Vec<Case>) {
    {
        // One player into a session holding 199 others (the 200-player
        // ceiling); the admitted one leaves again so every round is alike.
        let mut detail = session(8);
        if let Some(s) = detail.game_session.as_mut() {
            s.maximum_player_session_count = Some(200);
        }
        let mut players = Vec::new();
        let mut n = 0_u64;
        let mut new_id = move || {
            n += 1;
            format!("psess-{n:016x}")
        };
        // 199 players, in batches of at most 25 (the model's limit).
        let others: Vec<String> = (0..199).map(|i| format!("player-{i:04}")).collect();
        for batch in others.chunks(25) {
            CreatePlayerSessionsInput::new(ID, batch.iter().cloned())
                .validate()
                .and_then(|j| j.admit(&mut detail, &mut players, NOW, &mut new_id, &Limits::AWS))
                .expect("199 players fit");
        }
        let one = CreatePlayerSessionInput::new(ID, "player-new");
        cases.push(Case::new("admit_one_of_200", move || {
            let admitted = black_box(&one).validate().and_then(|j| {
                j.admit(
                    black_box(&mut detail),
                    &mut players,
                    NOW,
                    &mut new_id,
                    &Limits::AWS,
                )
            });
            black_box(admitted.is_ok());
            players.pop();
        }));
    }
    {
        // A batch of 25 into an empty session.
        let mut detail = session(8);
        if let Some(s) = detail.game_session.as_mut() {
            s.maximum_player_session_count = Some(200);
        }
        let mut players = Vec::with_capacity(25);
        let batch = CreatePlayerSessionsInput::new(ID, (0..25).map(|i| format!("player-{i:04}")));
        let mut n = 0_u64;
        let mut new_id = move || {
            n += 1;
            format!("psess-{n:016x}")
        };
        cases.push(Case::new("admit_batch_25", move || {
            let admitted = black_box(&batch).validate().and_then(|j| {
                j.admit(
                    black_box(&mut detail),
                    &mut players,
                    NOW,
                    &mut new_id,
                    &Limits::AWS,
                )
            });
            black_box(admitted.map_or(0, <[_]>::len));
            players.clear();
        }));
    }
}

fn report(cases: &[Case]) {
    let ns = |name: &str| harness::ns(cases, name);
    let clone = ns("clone_detail");
    ratio(
        "apply_typical/clone_detail",
        ns("apply_typical") / clone,
        1.5,
    );
    ratio(
        "apply_in_place/clone_detail",
        ns("apply_in_place") / clone,
        0.5,
    );
    ratio("apply_noop/clone_detail", ns("apply_noop") / clone, 1.25);
    ratio(
        "wire_update/wire_baseline",
        ns("wire_update") / ns("wire_baseline"),
        1.3,
    );
    ratio(
        "merge_n1024/merge_n16 per property",
        (ns("merge_n1024") / 1024.0) / (ns("merge_n16") / 16.0),
        2.0,
    );
}

/// JSON request bytes to JSON response bytes, or an error body.
fn wire_update(detail: &GameSessionDetail, request: &[u8]) -> Vec<u8> {
    let result = serde_json::from_slice::<UpdateGameSessionInput>(request)
        .map_err(gamelift_session::GameLiftError::serialization)
        .and_then(|input| {
            update_game_session(detail, &input).map(|outcome| {
                serde_json::to_vec(&outcome.output()).expect("the output serializes")
            })
        });
    match result {
        Ok(body) => body,
        Err(e) => e.body().to_json().into_bytes(),
    }
}
