//! Every shape reads only from an object: a sequence of its members is a
//! parse error, through `serde_json` and through the `Deserialize` trait
//! called directly. The shapes have no inherent `serialize` or
//! `deserialize`: `Shape::deserialize` below resolves to the trait's, so it
//! would reach an inherent bypass if one existed (it did, before the
//! derives moved to private twins).

use gamelift_session::{
    GameProperty, GameSession, GameSessionDetail, UpdateGameSessionInput,
    game_session::{CreateGameSessionInput, DescribeGameSessionsInput, TerminateGameSessionInput},
    model::GamePropertyInput,
};
use serde::{Deserialize, Serialize};

#[track_caller]
fn rejects_sequences<T>(sequence: &str, object: &str)
where
    T: for<'de> Deserialize<'de> + Serialize + std::fmt::Debug,
{
    assert!(serde_json::from_str::<T>(sequence).is_err(), "{sequence}");
    let mut de = serde_json::Deserializer::from_str(sequence);
    let direct = T::deserialize(&mut de);
    assert!(direct.is_err(), "{sequence}: {direct:?}");
    let message = direct.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.starts_with("invalid type: sequence, expected a JSON object"),
        "{message}"
    );
    // The object form parses, through both paths, and writes back the same.
    let mut de = serde_json::Deserializer::from_str(object);
    let parsed = T::deserialize(&mut de).expect("an object parses");
    assert_eq!(serde_json::to_string(&parsed).expect("writes"), object);
    // CBOR too: an array where a map belongs.
    let mut cbor = Vec::new();
    ciborium::into_writer(
        &serde_json::from_str::<serde_json::Value>(sequence).expect("json"),
        &mut cbor,
    )
    .expect("cbor");
    assert!(
        ciborium::from_reader::<T, _>(&cbor[..]).is_err(),
        "{sequence} as CBOR"
    );
}

#[test]
fn game_property() {
    rejects_sequences::<GameProperty>(r#"["k", "v"]"#, r#"{"Key":"k","Value":"v"}"#);
}

#[test]
fn game_session() {
    rejects_sequences::<GameSession>(
        r#"["gs-1", "name"]"#,
        r#"{"GameSessionId":"gs-1","Name":"n"}"#,
    );
}

#[test]
fn game_session_detail() {
    rejects_sequences::<GameSessionDetail>(
        r#"[{"GameSessionId": "gs-1"}, "NoProtection"]"#,
        r#"{"GameSession":{"GameSessionId":"gs-1"},"ProtectionPolicy":"NoProtection"}"#,
    );
}

#[test]
fn game_property_input() {
    rejects_sequences::<GamePropertyInput>(r#"["k", "v"]"#, r#"{"Key":"k","Value":"v"}"#);
}

#[test]
fn update_game_session_input() {
    // The example of the bypass: this once parsed through the inherent method.
    rejects_sequences::<UpdateGameSessionInput>(
        r#"["arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1", 10]"#,
        r#"{"GameSessionId":"gs-1","MaximumPlayerSessionCount":10}"#,
    );
}

#[test]
fn create_game_session_input() {
    rejects_sequences::<CreateGameSessionInput>(
        r#"["fleet-1", null, 8]"#,
        r#"{"FleetId":"fleet-1","MaximumPlayerSessionCount":8}"#,
    );
}

#[test]
fn terminate_game_session_input() {
    rejects_sequences::<TerminateGameSessionInput>(
        r#"["gs-1", "FORCE_TERMINATE"]"#,
        r#"{"GameSessionId":"gs-1","TerminationMode":"FORCE_TERMINATE"}"#,
    );
}

#[test]
fn describe_game_sessions_input() {
    rejects_sequences::<DescribeGameSessionsInput>(r#"["fleet-1"]"#, r#"{"FleetId":"fleet-1"}"#);
}
