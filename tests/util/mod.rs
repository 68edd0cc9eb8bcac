//! Shared fixtures for the integration tests.
#![allow(dead_code)] // Each test file uses its own subset.

pub(crate) mod search;

use gamelift_session::{
    GameLiftError, GameProperty, GameSession, GameSessionDetail, GameSessionStatus,
    UpdateGameSessionInput,
    model::{PlayerSessionCreationPolicy, ProtectionPolicy},
    update_game_session,
};

pub(crate) const ID: &str = "arn:aws:gamelift:us-west-2::gamesession/fleet-2a1b3c4d/gs-5e6f7a8b";

/// An ACTIVE session with the given properties and a few other members set.
pub(crate) fn session_with(properties: &[(&str, &str)]) -> GameSession {
    let mut s = GameSession::default();
    s.game_session_id = Some(ID.to_owned());
    s.name = Some("Friday night".to_owned());
    s.fleet_id = Some("fleet-2a1b3c4d".to_owned());
    s.status = Some(GameSessionStatus::Active);
    s.current_player_session_count = Some(3);
    s.maximum_player_session_count = Some(10);
    s.player_session_creation_policy = Some(PlayerSessionCreationPolicy::AcceptAll);
    s.game_properties = Some(
        properties
            .iter()
            .map(|(k, v)| GameProperty::new(*k, *v))
            .collect(),
    );
    s
}

/// A detail holding `session_with(properties)` under `NoProtection`.
pub(crate) fn detail_with(properties: &[(&str, &str)]) -> GameSessionDetail {
    GameSessionDetail::new(
        session_with(properties),
        Some(ProtectionPolicy::NoProtection),
    )
}

/// The session of a detail.
#[track_caller]
pub(crate) fn session(detail: &GameSessionDetail) -> &GameSession {
    detail.game_session.as_ref().expect("detail has a session")
}

/// The (key, value) pairs of a detail's session, in order.
pub(crate) fn pairs(detail: &GameSessionDetail) -> Vec<(String, String)> {
    session(detail)
        .game_properties()
        .iter()
        .map(|p| (p.key.clone(), p.value.clone()))
        .collect()
}

/// Applies `input` to `detail`, expecting an error; checks the value form
/// and the in-place form agree and that neither touched the session.
#[track_caller]
pub(crate) fn reject(detail: &GameSessionDetail, input: &UpdateGameSessionInput) -> GameLiftError {
    let err = update_game_session(detail, input).expect_err("the update should fail");
    let mut copy = detail.clone();
    let err2 = gamelift_session::game_session::update_game_session_in_place(&mut copy, input)
        .expect_err("the in-place update should fail too");
    assert_eq!(err, err2, "both forms give the same error");
    assert_eq!(&copy, detail, "an error leaves the detail untouched");
    err
}

/// Expects `InvalidRequestException` with exactly `message`.
#[track_caller]
pub(crate) fn assert_invalid(
    detail: &GameSessionDetail,
    input: &UpdateGameSessionInput,
    message: &str,
) {
    let err = reject(detail, input);
    assert_eq!(err.code(), "InvalidRequestException");
    assert_eq!(err.http_status(), 400);
    assert_eq!(err.to_string(), message);
}

/// Expects the update to pass validation and succeed.
#[track_caller]
pub(crate) fn accept(
    detail: &GameSessionDetail,
    input: &UpdateGameSessionInput,
) -> GameSessionDetail {
    match update_game_session(detail, input) {
        Ok(outcome) => outcome.into_detail(),
        Err(e) => panic!("expected success, got {}: {e}", e.code()),
    }
}

/// The configuration of every property test: `default_cases` cases, or
/// `PROPTEST_CASES` from the environment for a longer run
/// (`PROPTEST_CASES=100000 cargo test --release prop_`); failures are saved
/// beside the test file (`tests/<file>.proptest-regressions`) and every
/// saved seed is replayed first.
pub(crate) fn proptest_config(default_cases: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default_cases);
    proptest::test_runner::Config {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..proptest::test_runner::Config::default()
    }
}

/// A status, ACTIVE six times in ten, every other one once.
pub(crate) fn status() -> impl proptest::strategy::Strategy<Value = GameSessionStatus> {
    use proptest::prelude::*;
    prop_oneof![
        6 => Just(GameSessionStatus::Active),
        1 => Just(GameSessionStatus::Activating),
        1 => Just(GameSessionStatus::Terminating),
        1 => Just(GameSessionStatus::Terminated),
        1 => Just(GameSessionStatus::Error),
    ]
}
