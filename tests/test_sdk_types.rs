//! Conversions to and from the AWS SDK for Rust's types (feature `aws-sdk`).
#![cfg(feature = "aws-sdk")]

mod util;

use aws_sdk_gamelift::operation::update_game_session::UpdateGameSessionInput as SdkInput;
use aws_sdk_gamelift::types as sdk;
use gamelift_session::{
    GameProperty, GameSession, GameSessionDetail, GameSessionStatus, UpdateGameSessionInput,
    model::{
        EnumValue, GameSessionStatusReason, PlayerGatewayStatus, PlayerSessionCreationPolicy,
        ProtectionPolicy, TerminationMode, WireEnum,
    },
    sdk::SdkConversionError,
};
use proptest::prelude::*;
use time::macros::datetime;

fn full() -> GameSession {
    let mut s = GameSession::default();
    s.game_session_id = Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1".into());
    s.name = Some("n".into());
    s.fleet_id = Some("fleet-1".into());
    s.fleet_arn = Some("arn:aws:gamelift:us-west-2:1:fleet/fleet-1".into());
    s.creation_time = Some(datetime!(2016-07-26 02:01:08.057 UTC));
    s.termination_time = Some(datetime!(1969-12-31 23:59:59.123_456_789 UTC));
    s.current_player_session_count = Some(3);
    s.maximum_player_session_count = Some(10);
    s.status = Some(GameSessionStatus::Terminated);
    s.status_reason = Some(GameSessionStatusReason::ForceTerminated);
    s.game_properties = Some(vec![
        GameProperty::new("difficulty", "novice"),
        GameProperty::new("", ""),
    ]);
    s.ip_address = Some("192.0.2.10".into());
    s.dns_name = Some("example.com".into());
    s.port = Some(7777);
    s.player_session_creation_policy = Some(PlayerSessionCreationPolicy::DenyAll);
    s.creator_id = Some("c".into());
    s.game_session_data = Some("d".into());
    s.matchmaker_data = Some("m".into());
    s.location = Some("us-west-2".into());
    s.compute_name = Some("compute-1".into());
    s.player_gateway_status = Some(PlayerGatewayStatus::Enabled);
    s
}

#[test]
fn a_full_session_round_trips_through_the_sdk_type() {
    let ours = full();
    let theirs = sdk::GameSession::from(ours.clone());
    assert_eq!(theirs.status(), Some(&sdk::GameSessionStatus::Terminated));
    assert_eq!(theirs.port(), Some(7777));
    assert_eq!(
        theirs.creation_time().map(|t| (t.secs(), t.subsec_nanos())),
        Some((1_469_498_468, 57_000_000))
    );
    assert_eq!(
        theirs
            .termination_time()
            .map(|t| (t.secs(), t.subsec_nanos())),
        Some((-1, 123_456_789))
    );
    assert_eq!(GameSession::try_from(theirs), Ok(ours.clone()));
    let detail = GameSessionDetail::new(ours, Some(ProtectionPolicy::FullProtection));
    let theirs = sdk::GameSessionDetail::from(detail.clone());
    assert_eq!(
        theirs.protection_policy(),
        Some(&sdk::ProtectionPolicy::FullProtection)
    );
    assert_eq!(GameSessionDetail::try_from(theirs), Ok(detail));
}

#[test]
fn every_enum_converts_both_ways() {
    for s in GameSessionStatus::ALL {
        assert_eq!(
            GameSessionStatus::try_from(sdk::GameSessionStatus::from(*s)),
            Ok(*s)
        );
    }
    for s in GameSessionStatusReason::ALL {
        assert_eq!(
            GameSessionStatusReason::try_from(sdk::GameSessionStatusReason::from(*s)),
            Ok(*s)
        );
    }
    for s in PlayerSessionCreationPolicy::ALL {
        assert_eq!(
            PlayerSessionCreationPolicy::try_from(sdk::PlayerSessionCreationPolicy::from(*s)),
            Ok(*s)
        );
    }
    for s in ProtectionPolicy::ALL {
        assert_eq!(
            ProtectionPolicy::try_from(sdk::ProtectionPolicy::from(*s)),
            Ok(*s)
        );
    }
    for s in PlayerGatewayStatus::ALL {
        assert_eq!(
            PlayerGatewayStatus::try_from(sdk::PlayerGatewayStatus::from(*s)),
            Ok(*s)
        );
    }
    for s in TerminationMode::ALL {
        assert_eq!(
            TerminationMode::try_from(sdk::TerminationMode::from(*s)),
            Ok(*s)
        );
    }
}

#[test]
fn unknown_sdk_values_are_clean_errors() {
    let err = GameSessionStatus::try_from(sdk::GameSessionStatus::from("PAUSED")).unwrap_err();
    assert_eq!(
        err,
        SdkConversionError::UnknownEnumValue {
            shape: "GameSessionStatus",
            value: "PAUSED".into(),
            expected: &["ACTIVE", "ACTIVATING", "TERMINATED", "TERMINATING", "ERROR"],
        }
    );
    assert_eq!(
        err.to_string(),
        "GameSessionStatus value 'PAUSED' is not one of [ACTIVE, ACTIVATING, TERMINATED, TERMINATING, ERROR]"
    );
    let session = sdk::GameSession::builder()
        .status(sdk::GameSessionStatus::from("PAUSED"))
        .build();
    assert!(GameSession::try_from(session).is_err());
    let property = sdk::GameProperty::builder().key("k").build();
    assert_eq!(
        GameProperty::try_from(property).unwrap_err().to_string(),
        "a GameProperty has no Value"
    );
    let far = sdk::GameSession::builder()
        .creation_time(aws_sdk_gamelift::primitives::DateTime::from_secs(1 << 40))
        .build();
    assert_eq!(
        GameSession::try_from(far).unwrap_err(),
        SdkConversionError::TimestampOutOfRange { seconds: 1 << 40 }
    );
}

#[test]
fn an_sdk_update_request_converts_and_validation_judges_it() {
    let theirs = SdkInput::builder()
        .game_session_id("gs-1")
        .name("n")
        .maximum_player_session_count(-1)
        .player_session_creation_policy(sdk::PlayerSessionCreationPolicy::from("SOMETIMES"))
        .protection_policy(sdk::ProtectionPolicy::FullProtection)
        .game_properties(sdk::GameProperty::builder().key("k").value("v").build())
        .game_properties(sdk::GameProperty::builder().value("v").build())
        .build()
        .expect("builds");
    let ours = UpdateGameSessionInput::from(theirs);
    assert_eq!(ours.game_session_id.as_deref(), Some("gs-1"));
    assert_eq!(
        ours.protection_policy,
        Some(EnumValue::Known(ProtectionPolicy::FullProtection))
    );
    assert_eq!(
        ours.player_session_creation_policy,
        Some(EnumValue::Unknown("SOMETIMES".into()))
    );
    assert_eq!(
        ours.validate().unwrap_err().to_string(),
        "3 validation errors detected: \
         Value '-1' at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must have value greater than or equal to 0; \
         Value 'SOMETIMES' at 'playerSessionCreationPolicy' failed to satisfy constraint: Member must satisfy enum value set: [ACCEPT_ALL, DENY_ALL]; \
         Value null at 'gameProperties.2.member.key' failed to satisfy constraint: Member must not be null"
    );
}

proptest! {
    #![proptest_config(util::proptest_config(256))]

    #[test]
    fn prop_sessions_round_trip_through_the_sdk(
        name in proptest::option::of("\\PC{0,20}"),
        nanos in -377_705_116_800_000_000_000i128..253_402_300_799_000_000_000i128,
        counts in (proptest::option::of(any::<i32>()), proptest::option::of(any::<i32>())),
        props in proptest::option::of(proptest::collection::vec(("\\PC{0,8}", "\\PC{0,8}"), 0..5)),
        status in proptest::option::of(0..5usize),
    ) {
        let mut s = GameSession::default();
        s.name = name;
        s.creation_time = Some(time::OffsetDateTime::from_unix_timestamp_nanos(nanos).expect("in range"));
        (s.current_player_session_count, s.maximum_player_session_count) = counts;
        s.game_properties = props.map(|ps| ps.into_iter().map(|(k, v)| GameProperty::new(k, v)).collect());
        s.status = status.map(|i| GameSessionStatus::ALL[i]);
        prop_assert_eq!(GameSession::try_from(sdk::GameSession::from(s.clone())), Ok(s));
    }
}
