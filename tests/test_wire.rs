//! SPEC section 2: the AWS JSON 1.1 shapes, member by member.

mod util;

use gamelift_session::{
    GameLiftError, GameProperty, GameSession, GameSessionDetail, GameSessionStatus,
    UpdateGameSessionInput,
    game_session::UpdateGameSessionOutput,
    model::{
        EnumValue, GamePropertyInput, GameSessionStatusReason, PlayerGatewayStatus,
        PlayerSessionCreationPolicy, ProtectionPolicy,
    },
    update_game_session,
};
use serde_json::{Value, json};
use time::macros::datetime;
use util::ID;

const FULL_SESSION: &str = r#"{
    "GameSessionId": "arn:aws:gamelift:us-west-2::gamesession/fleet-2a1b3c4d/gs-5e6f7a8b",
    "Name": "Friday night",
    "FleetId": "fleet-2a1b3c4d",
    "FleetArn": "arn:aws:gamelift:us-west-2:111122223333:fleet/fleet-2a1b3c4d",
    "CreationTime": 1469498468.057,
    "TerminationTime": 1469502068,
    "CurrentPlayerSessionCount": 3,
    "MaximumPlayerSessionCount": 10,
    "Status": "ACTIVE",
    "StatusReason": "INTERRUPTED",
    "GameProperties": [{"Key": "difficulty", "Value": "novice"}, {"Key": "map.name", "Value": "harbor"}],
    "IpAddress": "192.0.2.10",
    "DnsName": "ec2-192-0-2-10.us-west-2.compute.amazonaws.com",
    "Port": 7777,
    "PlayerSessionCreationPolicy": "ACCEPT_ALL",
    "CreatorId": "player-1",
    "GameSessionData": "{\"seed\": 42}",
    "MatchmakerData": "{\"matchId\": \"m-1\"}",
    "Location": "us-west-2",
    "ComputeName": "compute-1/child-2",
    "PlayerGatewayStatus": "ENABLED"
}"#;

fn full_session() -> GameSession {
    serde_json::from_str(FULL_SESSION).expect("the full session parses")
}

#[test]
fn the_seed_property_example_parses() {
    let p: GameProperty =
        serde_json::from_str(r#"{"Key": "difficulty", "Value": "novice"}"#).unwrap();
    assert_eq!(p, GameProperty::new("difficulty", "novice"));
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        r#"{"Key":"difficulty","Value":"novice"}"#
    );
}

#[test]
fn a_full_session_parses_every_member() {
    let s = full_session();
    assert_eq!(s.game_session_id.as_deref(), Some(ID));
    assert_eq!(s.name.as_deref(), Some("Friday night"));
    assert_eq!(s.fleet_id.as_deref(), Some("fleet-2a1b3c4d"));
    assert_eq!(
        s.fleet_arn.as_deref(),
        Some("arn:aws:gamelift:us-west-2:111122223333:fleet/fleet-2a1b3c4d")
    );
    assert_eq!(
        s.creation_time,
        Some(datetime!(2016-07-26 02:01:08.057 UTC))
    );
    assert_eq!(s.termination_time, Some(datetime!(2016-07-26 03:01:08 UTC)));
    assert_eq!(s.current_player_session_count, Some(3));
    assert_eq!(s.maximum_player_session_count, Some(10));
    assert_eq!(s.status, Some(GameSessionStatus::Active));
    assert_eq!(s.status_reason, Some(GameSessionStatusReason::Interrupted));
    assert_eq!(
        s.game_properties(),
        [
            GameProperty::new("difficulty", "novice"),
            GameProperty::new("map.name", "harbor")
        ]
    );
    assert_eq!(s.ip_address.as_deref(), Some("192.0.2.10"));
    assert_eq!(
        s.dns_name.as_deref(),
        Some("ec2-192-0-2-10.us-west-2.compute.amazonaws.com")
    );
    assert_eq!(s.port, Some(7777));
    assert_eq!(
        s.player_session_creation_policy,
        Some(PlayerSessionCreationPolicy::AcceptAll)
    );
    assert_eq!(s.creator_id.as_deref(), Some("player-1"));
    assert_eq!(s.game_session_data.as_deref(), Some("{\"seed\": 42}"));
    assert_eq!(s.matchmaker_data.as_deref(), Some("{\"matchId\": \"m-1\"}"));
    assert_eq!(s.location.as_deref(), Some("us-west-2"));
    assert_eq!(s.compute_name.as_deref(), Some("compute-1/child-2"));
    assert_eq!(s.player_gateway_status, Some(PlayerGatewayStatus::Enabled));
}

#[test]
fn a_full_session_serializes_member_by_member() {
    let written = serde_json::to_value(full_session()).unwrap();
    let Value::Object(written) = written else {
        panic!("an object")
    };
    let Value::Object(source) = serde_json::from_str::<Value>(FULL_SESSION).unwrap() else {
        panic!("an object")
    };
    assert_eq!(written.len(), 21, "all 21 members are written");
    for (member, expected) in &source {
        let got = &written[member];
        match member.as_str() {
            // Numbers compare by value: 1469502068 is written 1469502068.0.
            "CreationTime" | "TerminationTime" => {
                assert_eq!(got.as_f64(), expected.as_f64(), "{member}");
            }
            _ => assert_eq!(got, expected, "{member}"),
        }
    }
}

#[test]
fn timestamps_are_epoch_seconds_with_a_millisecond_fraction() {
    let mut s = GameSession::default();
    s.creation_time = Some(datetime!(2016-07-26 02:01:08.057 UTC));
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"{"CreationTime":1469498468.057}"#
    );
    // Rounded to the nearest millisecond, not truncated.
    s.creation_time = Some(datetime!(2016-07-26 02:01:08.056_6 UTC));
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"{"CreationTime":1469498468.057}"#
    );
    s.creation_time = Some(datetime!(2016-07-26 02:01:08.056_4 UTC));
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"{"CreationTime":1469498468.056}"#
    );
    s.creation_time = Some(datetime!(2016-07-26 02:01:08.999_7 UTC));
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"{"CreationTime":1469498469.0}"#
    );
    s.creation_time = Some(datetime!(1969-12-31 23:59:59.5 UTC));
    assert_eq!(
        serde_json::to_string(&s).unwrap(),
        r#"{"CreationTime":-0.5}"#
    );
}

#[test]
fn timestamps_read_integers_and_fractions() {
    for (json, expected) in [
        ("1469498468", datetime!(2016-07-26 02:01:08 UTC)),
        ("1469498468.057", datetime!(2016-07-26 02:01:08.057 UTC)),
        ("1469498468.0566", datetime!(2016-07-26 02:01:08.057 UTC)),
        ("1.469498468057E9", datetime!(2016-07-26 02:01:08.057 UTC)),
        ("0", datetime!(1970-01-01 0:00 UTC)),
        ("-1.5", datetime!(1969-12-31 23:59:58.5 UTC)),
    ] {
        let s: GameSession =
            serde_json::from_str(&format!(r#"{{"CreationTime": {json}}}"#)).unwrap();
        assert_eq!(s.creation_time, Some(expected), "{json}");
    }
}

#[test]
fn timestamps_out_of_range_or_of_the_wrong_type_are_errors() {
    for json in ["1e300", "-1e20", "\"1469498468\"", "true", "{}"] {
        let r = serde_json::from_str::<GameSession>(&format!(r#"{{"CreationTime": {json}}}"#));
        let err = GameLiftError::serialization(r.unwrap_err());
        assert_eq!(err.code(), "SerializationException", "{json}");
    }
    let r = serde_json::from_str::<GameSession>(r#"{"CreationTime": 1e300}"#);
    let message = r.unwrap_err().to_string();
    assert!(
        message.starts_with("timestamp 1e300 is outside the supported range (years -9999 to 9999)"),
        "{message}"
    );
}

#[test]
fn absent_members_are_omitted_and_null_means_absent() {
    assert_eq!(
        serde_json::to_string(&GameSession::default()).unwrap(),
        "{}"
    );
    let s: GameSession = serde_json::from_str(
        r#"{"Name": null, "Port": null, "GameProperties": null, "Status": null, "CreationTime": null}"#,
    )
    .unwrap();
    assert_eq!(s, GameSession::default());
    let input: UpdateGameSessionInput = serde_json::from_str(
        r#"{"GameSessionId": "gs-1", "Name": null, "MaximumPlayerSessionCount": null,
            "PlayerSessionCreationPolicy": null, "ProtectionPolicy": null, "GameProperties": null}"#,
    )
    .unwrap();
    assert_eq!(input, UpdateGameSessionInput::new("gs-1"));
    assert_eq!(
        serde_json::to_string(&input).unwrap(),
        r#"{"GameSessionId":"gs-1"}"#
    );
}

#[test]
fn unknown_members_are_ignored() {
    let input: UpdateGameSessionInput = serde_json::from_str(
        r#"{"GameSessionId": "gs-1", "FutureMember": {"nested": [1, 2]}, "name": "lower-case is another member"}"#,
    )
    .unwrap();
    assert_eq!(input, UpdateGameSessionInput::new("gs-1"));
    let s: GameSession = serde_json::from_str(r#"{"Name": "n", "Unknown": 1}"#).unwrap();
    assert_eq!(s.name.as_deref(), Some("n"));
}

#[test]
fn a_request_parses_every_member() {
    let input: UpdateGameSessionInput = serde_json::from_str(
        r#"{
            "GameSessionId": "gs-1",
            "MaximumPlayerSessionCount": 12,
            "Name": "n",
            "PlayerSessionCreationPolicy": "DENY_ALL",
            "ProtectionPolicy": "FullProtection",
            "GameProperties": [{"Key": "difficulty", "Value": "novice"}, {"Key": "k"}]
        }"#,
    )
    .unwrap();
    assert_eq!(input.game_session_id.as_deref(), Some("gs-1"));
    assert_eq!(input.maximum_player_session_count, Some(12));
    assert_eq!(input.name.as_deref(), Some("n"));
    assert_eq!(
        input.player_session_creation_policy,
        Some(EnumValue::Known(PlayerSessionCreationPolicy::DenyAll))
    );
    assert_eq!(
        input.protection_policy,
        Some(EnumValue::Known(ProtectionPolicy::FullProtection))
    );
    assert_eq!(
        input.game_properties,
        Some(vec![
            GamePropertyInput::new("difficulty", "novice"),
            GamePropertyInput {
                key: Some("k".into()),
                value: None
            }
        ])
    );
}

#[test]
fn unknown_enum_strings_survive_parsing_for_validation() {
    let input: UpdateGameSessionInput = serde_json::from_str(
        r#"{"GameSessionId": "gs-1", "PlayerSessionCreationPolicy": "ALLOW_SOME", "ProtectionPolicy": "fullprotection"}"#,
    )
    .unwrap();
    assert_eq!(
        input.player_session_creation_policy,
        Some(EnumValue::Unknown("ALLOW_SOME".into()))
    );
    assert_eq!(
        input.protection_policy,
        Some(EnumValue::Unknown("fullprotection".into()))
    );
    // And they round-trip verbatim.
    let back = serde_json::to_value(&input).unwrap();
    assert_eq!(back["PlayerSessionCreationPolicy"], "ALLOW_SOME");
}

#[test]
fn wrong_json_types_and_malformed_json_are_serialization_errors() {
    for body in [
        "",
        "not json",
        "{",
        "[]",
        r#"["gs-1", 10]"#,
        r#"{"GameSessionId": "gs-1", "GameProperties": [["k", "v"]]}"#,
        "null",
        r#"{"GameSessionId": 5}"#,
        r#"{"GameSessionId": "gs-1", "MaximumPlayerSessionCount": "10"}"#,
        r#"{"GameSessionId": "gs-1", "MaximumPlayerSessionCount": 1.5}"#,
        r#"{"GameSessionId": "gs-1", "MaximumPlayerSessionCount": 2147483648}"#,
        r#"{"GameSessionId": "gs-1", "MaximumPlayerSessionCount": -2147483649}"#,
        r#"{"GameSessionId": "gs-1", "MaximumPlayerSessionCount": 1e3}"#,
        r#"{"GameSessionId": "gs-1", "PlayerSessionCreationPolicy": 1}"#,
        r#"{"GameSessionId": "gs-1", "GameProperties": {"Key": "k", "Value": "v"}}"#,
        r#"{"GameSessionId": "gs-1", "GameProperties": [{"Key": 1, "Value": "v"}]}"#,
        r#"{"GameSessionId": "gs-1", "GameProperties": ["k=v"]}"#,
        r#"{"GameSessionId": "gs-1", "Name": ["n"]}"#,
        "{\"GameSessionId\": \"\\ud800\"}",
    ] {
        let result = serde_json::from_str::<UpdateGameSessionInput>(body);
        let err = GameLiftError::serialization(result.expect_err(body));
        assert_eq!(err.code(), "SerializationException", "{body}");
        assert_eq!(err.http_status(), 400);
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn the_largest_and_smallest_i32_parse_and_reach_validation() {
    let input: UpdateGameSessionInput = serde_json::from_str(
        r#"{"GameSessionId": "gs-1", "MaximumPlayerSessionCount": -2147483648}"#,
    )
    .unwrap();
    assert_eq!(
        input.validate().unwrap_err().to_string(),
        "1 validation error detected: Value '-2147483648' at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must have value greater than or equal to 0"
    );
}

#[test]
fn the_detail_carries_protection_policy_beside_the_session() {
    let detail = GameSessionDetail::new(full_session(), Some(ProtectionPolicy::FullProtection));
    let json = serde_json::to_value(&detail).unwrap();
    assert_eq!(json["ProtectionPolicy"], "FullProtection");
    assert!(json["GameSession"].get("ProtectionPolicy").is_none());
    let back: GameSessionDetail = serde_json::from_value(json).unwrap();
    assert_eq!(back, detail);
    assert_eq!(
        serde_json::to_string(&GameSessionDetail::default()).unwrap(),
        "{}"
    );
}

#[test]
fn an_update_over_the_wire_answers_the_aws_response_shape() {
    let detail = GameSessionDetail::new(full_session(), Some(ProtectionPolicy::NoProtection));
    let request = format!(
        r#"{{"GameSessionId": "{ID}", "Name": "Saturday", "ProtectionPolicy": "FullProtection",
            "GameProperties": [{{"Key": "difficulty", "Value": "expert"}}, {{"Key": "mode", "Value": "ranked"}}]}}"#
    );
    let input: UpdateGameSessionInput = serde_json::from_str(&request).unwrap();
    let outcome = update_game_session(&detail, &input).unwrap();
    let response = serde_json::to_value(outcome.output()).unwrap();
    let mut expected = serde_json::from_str::<Value>(FULL_SESSION).unwrap();
    expected["Name"] = json!("Saturday");
    expected["GameProperties"] = json!([
        {"Key": "difficulty", "Value": "expert"},
        {"Key": "map.name", "Value": "harbor"},
        {"Key": "mode", "Value": "ranked"}
    ]);
    expected["TerminationTime"] = json!(1_469_502_068.0);
    assert_eq!(response, json!({ "GameSession": expected }));
    // A client parses the response back to the same session.
    let parsed: UpdateGameSessionOutput<'static> = serde_json::from_value(response).unwrap();
    assert_eq!(
        parsed.game_session.as_deref(),
        outcome.detail().game_session.as_ref()
    );
}

#[test]
fn sensitive_members_are_redacted_in_debug_but_written_on_the_wire() {
    let s = full_session();
    let debug = format!("{s:?}");
    for secret in ["192.0.2.10", "7777", "seed", "matchId", "novice", "harbor"] {
        assert!(!debug.contains(secret), "Debug shows {secret}: {debug}");
    }
    assert!(
        debug.contains("ip_address: Some(*** Sensitive Data Redacted ***)"),
        "{debug}"
    );
    assert!(
        debug.contains("port: Some(*** Sensitive Data Redacted ***)"),
        "{debug}"
    );
    assert!(
        debug.contains("Friday night"),
        "non-sensitive members show: {debug}"
    );
    let mut bare = GameSession::default();
    bare.name = Some("n".into());
    assert!(format!("{bare:?}").contains("ip_address: None"));
    let wire = serde_json::to_string(&s).unwrap();
    for secret in ["192.0.2.10", "7777", "seed", "matchId", "novice"] {
        assert!(wire.contains(secret), "the wire carries {secret}");
    }
    let input = UpdateGameSessionInput::new("gs-1").game_property("k", "hidden-value");
    let debug = format!("{input:?}");
    assert!(!debug.contains("hidden-value"), "{debug}");
    assert!(
        debug.contains(r#"key: Some("k"), value: Some(*** Sensitive Data Redacted ***)"#),
        "{debug}"
    );
}

#[test]
fn every_enum_has_its_exact_wire_strings() {
    fn check<T>(values: &[(T, &str)])
    where
        T: serde::Serialize
            + serde::de::DeserializeOwned
            + PartialEq
            + std::fmt::Debug
            + std::fmt::Display
            + std::str::FromStr,
        <T as std::str::FromStr>::Err: std::fmt::Debug,
    {
        for (value, wire) in values {
            assert_eq!(
                serde_json::to_value(value).unwrap(),
                Value::String((*wire).to_owned())
            );
            assert_eq!(&serde_json::from_value::<T>(json!(wire)).unwrap(), value);
            assert_eq!(&wire.parse::<T>().unwrap(), value);
            assert_eq!(value.to_string(), *wire);
        }
    }
    check(&[
        (GameSessionStatus::Active, "ACTIVE"),
        (GameSessionStatus::Activating, "ACTIVATING"),
        (GameSessionStatus::Terminated, "TERMINATED"),
        (GameSessionStatus::Terminating, "TERMINATING"),
        (GameSessionStatus::Error, "ERROR"),
    ]);
    check(&[
        (GameSessionStatusReason::Interrupted, "INTERRUPTED"),
        (
            GameSessionStatusReason::TriggeredOnProcessTerminate,
            "TRIGGERED_ON_PROCESS_TERMINATE",
        ),
        (GameSessionStatusReason::ForceTerminated, "FORCE_TERMINATED"),
    ]);
    check(&[
        (PlayerSessionCreationPolicy::AcceptAll, "ACCEPT_ALL"),
        (PlayerSessionCreationPolicy::DenyAll, "DENY_ALL"),
    ]);
    check(&[
        (ProtectionPolicy::NoProtection, "NoProtection"),
        (ProtectionPolicy::FullProtection, "FullProtection"),
    ]);
    check(&[
        (PlayerGatewayStatus::Disabled, "DISABLED"),
        (PlayerGatewayStatus::Enabled, "ENABLED"),
    ]);
    let err = "active".parse::<GameSessionStatus>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "'active' is not one of [ACTIVE, ACTIVATING, TERMINATED, TERMINATING, ERROR]"
    );
    assert!(serde_json::from_str::<GameSession>(r#"{"Status": "active"}"#).is_err());
}
