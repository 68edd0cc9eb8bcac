//! The same shapes in Smithy RPC v2 CBOR: timestamps in tag 1, all else as in JSON.

use ciborium::Value;
use gamelift_session::{
    GameProperty, GameSession, GameSessionDetail, GameSessionStatus, UpdateGameSessionInput,
    game_session::UpdateGameSessionOutput, model::ProtectionPolicy,
};
use time::macros::datetime;

fn to_cbor<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).expect("serializes");
    out
}

fn session() -> GameSession {
    let mut s = GameSession::default();
    s.game_session_id = Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1".into());
    s.creation_time = Some(datetime!(2016-07-26 02:01:08.057 UTC));
    s.termination_time = Some(datetime!(2016-07-26 03:01:08 UTC));
    s.status = Some(GameSessionStatus::Terminated);
    s.maximum_player_session_count = Some(10);
    s.port = Some(7777);
    s.game_properties = Some(vec![GameProperty::new("difficulty", "novice")]);
    s
}

#[test]
fn timestamps_are_tag_1_epoch_seconds() {
    let bytes = to_cbor(&session());
    let value: Value = ciborium::from_reader(bytes.as_slice()).expect("CBOR");
    let map = value.as_map().expect("a map");
    let get = |k: &str| {
        map.iter()
            .find(|(key, _)| key.as_text() == Some(k))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        get("CreationTime"),
        Some(Value::Tag(1, Box::new(Value::Float(1_469_498_468.057))))
    );
    assert_eq!(
        get("TerminationTime"),
        Some(Value::Tag(1, Box::new(Value::Float(1_469_502_068.0))))
    );
    assert_eq!(get("Status"), Some(Value::Text("TERMINATED".into())));
    assert_eq!(
        get("MaximumPlayerSessionCount"),
        Some(Value::Integer(10.into()))
    );
    assert_eq!(get("Port"), Some(Value::Integer(7777.into())));
    assert_eq!(get("Name"), None, "absent members are omitted");
}

#[test]
fn shapes_round_trip_through_cbor() {
    let detail = GameSessionDetail::new(session(), Some(ProtectionPolicy::FullProtection));
    let back: GameSessionDetail =
        ciborium::from_reader(to_cbor(&detail).as_slice()).expect("parses");
    assert_eq!(back, detail);
    let output = UpdateGameSessionOutput::new(detail.game_session.as_ref().expect("a session"));
    let back: UpdateGameSessionOutput<'static> =
        ciborium::from_reader(to_cbor(&output).as_slice()).expect("parses");
    assert_eq!(back, output);
}

#[test]
fn integer_and_untagged_timestamps_are_read() {
    for time in [
        Value::Tag(1, Box::new(Value::Integer(1_469_498_468.into()))),
        Value::Integer(1_469_498_468.into()),
        Value::Tag(1, Box::new(Value::Float(1_469_498_468.0))),
    ] {
        let value = Value::Map(vec![(Value::Text("CreationTime".into()), time.clone())]);
        let s: GameSession = ciborium::from_reader(to_cbor(&value).as_slice()).expect("parses");
        assert_eq!(
            s.creation_time,
            Some(datetime!(2016-07-26 02:01:08 UTC)),
            "{time:?}"
        );
    }
}

#[test]
fn requests_parse_from_cbor_maps_only() {
    let input = UpdateGameSessionInput::new("gs-1")
        .name("n")
        .maximum_player_session_count(3)
        .game_property("k", "v");
    let back: UpdateGameSessionInput =
        ciborium::from_reader(to_cbor(&input).as_slice()).expect("parses");
    assert_eq!(back, input);
    for bad in [
        Value::Array(vec![Value::Text("gs-1".into())]),
        Value::Map(vec![(
            Value::Text("MaximumPlayerSessionCount".into()),
            Value::Text("ten".into()),
        )]),
        Value::Map(vec![(
            Value::Text("MaximumPlayerSessionCount".into()),
            Value::Integer(3_000_000_000_i64.into()),
        )]),
    ] {
        assert!(
            ciborium::from_reader::<UpdateGameSessionInput, _>(to_cbor(&bad).as_slice()).is_err(),
            "{bad:?}"
        );
    }
    assert!(ciborium::from_reader::<UpdateGameSessionInput, _>(&b"\xff\x00"[..]).is_err());
}
