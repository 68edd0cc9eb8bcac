//! SPEC section 4.1: every member, every boundary, AWS's exact messages.

mod util;

use gamelift_session::{
    GameLiftError, Limits, UpdateGameSessionInput,
    model::{Constraint, Echo, FieldPath, GamePropertyInput},
};
use util::{ID, accept, assert_invalid, detail_with, reject};

fn one(violation: &str) -> String {
    format!("1 validation error detected: {violation}")
}

/// A request for a session whose id is `id`, with the session carrying it.
fn with_id(id: &str) -> (gamelift_session::GameSessionDetail, UpdateGameSessionInput) {
    let mut detail = detail_with(&[]);
    detail.game_session.as_mut().unwrap().game_session_id = Some(id.to_owned());
    (detail, UpdateGameSessionInput::new(id))
}

#[test]
fn game_session_id_missing_is_not_null() {
    let detail = detail_with(&[]);
    let input = UpdateGameSessionInput::default();
    assert_invalid(
        &detail,
        &input,
        &one("Value null at 'gameSessionId' failed to satisfy constraint: Member must not be null"),
    );
}

#[test]
fn game_session_id_empty_fails_length_and_pattern() {
    let (detail, input) = with_id("");
    assert_invalid(
        &detail,
        &input,
        "2 validation errors detected: \
         Value '' at 'gameSessionId' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value '' at 'gameSessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/-]+$",
    );
}

#[test]
fn game_session_id_length_boundaries() {
    let (detail, input) = with_id("a");
    accept(&detail, &input);
    let id512 = "a".repeat(512);
    let (detail, input) = with_id(&id512);
    accept(&detail, &input);
    let id513 = "a".repeat(513);
    let (detail, input) = with_id(&id513);
    assert_invalid(
        &detail,
        &input,
        &one(&format!(
            "Value '{}...' at 'gameSessionId' failed to satisfy constraint: Member must have length less than or equal to 512",
            "a".repeat(256)
        )),
    );
}

#[test]
fn game_session_id_pattern() {
    for ok in [
        "arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1",
        "A-z:0/9",
    ] {
        let (detail, input) = with_id(ok);
        accept(&detail, &input);
    }
    for bad in ["x y", "gs_1", "gs.1", "gs-é", "gs\n1", "gs\u{0}"] {
        let (detail, input) = with_id(bad);
        assert_invalid(
            &detail,
            &input,
            &one(&format!(
                "Value '{bad}' at 'gameSessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/-]+$"
            )),
        );
    }
}

#[test]
fn maximum_player_session_count_bounds() {
    let detail = detail_with(&[]);
    for ok in [0, 1, i32::MAX] {
        accept(
            &detail,
            &UpdateGameSessionInput::new(ID).maximum_player_session_count(ok),
        );
    }
    for (bad, text) in [(-1, "-1"), (i32::MIN, "-2147483648")] {
        assert_invalid(
            &detail,
            &UpdateGameSessionInput::new(ID).maximum_player_session_count(bad),
            &one(&format!(
                "Value '{text}' at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must have value greater than or equal to 0"
            )),
        );
    }
}

#[test]
fn name_length_boundaries() {
    let detail = detail_with(&[]);
    for ok in [
        "x".to_owned(),
        " ".to_owned(),
        "\t \n".to_owned(),
        "n".repeat(1024),
        "é".repeat(1024),
    ] {
        accept(&detail, &UpdateGameSessionInput::new(ID).name(ok));
    }
    assert_invalid(
        &detail,
        &UpdateGameSessionInput::new(ID).name(""),
        &one(
            "Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ),
    );
    assert_invalid(
        &detail,
        &UpdateGameSessionInput::new(ID).name("n".repeat(1025)),
        &one(&format!(
            "Value '{}...' at 'name' failed to satisfy constraint: Member must have length less than or equal to 1024",
            "n".repeat(256)
        )),
    );
}

#[test]
fn lengths_count_unicode_scalar_values_not_bytes() {
    let detail = detail_with(&[]);
    // 32 four-byte characters: 128 bytes, 32 characters.
    let key = "🎮".repeat(32);
    accept(
        &detail,
        &UpdateGameSessionInput::new(ID).game_property(key, "v"),
    );
    let key33 = "🎮".repeat(33);
    assert_invalid(
        &detail,
        &UpdateGameSessionInput::new(ID).game_property(key33.clone(), "v"),
        &one(&format!(
            "Value '{key33}' at 'gameProperties.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 32"
        )),
    );
    // A combining sequence counts each scalar value.
    let combining = "e\u{301}".repeat(16); // 32 scalar values
    accept(
        &detail,
        &UpdateGameSessionInput::new(ID).game_property(combining, "v"),
    );
}

#[test]
fn echo_is_cut_at_256_characters_not_bytes() {
    let detail = detail_with(&[]);
    let name = "ж".repeat(2000);
    let err = reject(&detail, &UpdateGameSessionInput::new(ID).name(name));
    let GameLiftError::Validation(errors) = &err else {
        panic!("expected a validation error, got {err:?}");
    };
    let v = &errors.violations()[0];
    assert_eq!(v.path, FieldPath::Member("name"));
    assert_eq!(v.constraint, Constraint::MaxLength(1024));
    assert_eq!(
        v.value,
        Echo::Value {
            text: "ж".repeat(256),
            truncated: true
        }
    );
    // A megabyte of input cannot make a megabyte of message.
    let huge = UpdateGameSessionInput::new(ID).name("x".repeat(1 << 20));
    assert!(reject(&detail, &huge).to_string().len() < 500);
}

#[test]
fn echo_of_exactly_256_characters_is_not_marked() {
    let mut limits = Limits::AWS;
    limits.max_name_length = 10;
    let input = UpdateGameSessionInput::new(ID).name("q".repeat(256));
    let err = input.validate_with(&limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        one(&format!(
            "Value '{}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 10",
            "q".repeat(256)
        ))
    );
}

#[test]
fn enum_values_outside_the_set_are_violations() {
    let detail = detail_with(&[]);
    let mut input = UpdateGameSessionInput::new(ID)
        .player_session_creation_policy("accept_all")
        .protection_policy("FULL_PROTECTION");
    assert_invalid(
        &detail,
        &input,
        "2 validation errors detected: \
         Value 'accept_all' at 'playerSessionCreationPolicy' failed to satisfy constraint: Member must satisfy enum value set: [ACCEPT_ALL, DENY_ALL]; \
         Value 'FULL_PROTECTION' at 'protectionPolicy' failed to satisfy constraint: Member must satisfy enum value set: [NoProtection, FullProtection]",
    );
    input = UpdateGameSessionInput::new(ID).player_session_creation_policy("");
    assert_invalid(
        &detail,
        &input,
        &one(
            "Value '' at 'playerSessionCreationPolicy' failed to satisfy constraint: Member must satisfy enum value set: [ACCEPT_ALL, DENY_ALL]",
        ),
    );
}

#[test]
fn every_enum_value_in_the_set_is_accepted() {
    let detail = detail_with(&[]);
    for p in ["ACCEPT_ALL", "DENY_ALL"] {
        accept(
            &detail,
            &UpdateGameSessionInput::new(ID).player_session_creation_policy(p),
        );
    }
    for p in ["NoProtection", "FullProtection"] {
        accept(
            &detail,
            &UpdateGameSessionInput::new(ID).protection_policy(p),
        );
    }
}

#[test]
fn property_count_boundaries() {
    let detail = detail_with(&[]);
    let mut input = UpdateGameSessionInput::new(ID);
    for i in 0..16 {
        input = input.game_property(format!("k{i}"), "v");
    }
    accept(&detail, &input);
    input = input.game_property("k16", "v");
    assert_invalid(
        &detail,
        &input,
        &one(
            "Value at 'gameProperties' failed to satisfy constraint: Member must have length less than or equal to 16",
        ),
    );
}

#[test]
fn property_key_and_value_boundaries() {
    let detail = detail_with(&[]);
    for (k, v) in [("", ""), ("k", ""), (&*"k".repeat(32), &*"v".repeat(96))] {
        accept(
            &detail,
            &UpdateGameSessionInput::new(ID).game_property(k, v),
        );
    }
    assert_invalid(
        &detail,
        &UpdateGameSessionInput::new(ID).game_property("k".repeat(33), "v"),
        &one(&format!(
            "Value '{}' at 'gameProperties.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 32",
            "k".repeat(33)
        )),
    );
    // The value is sensitive: it is never echoed.
    let secret = "s3cr3t".repeat(17);
    let err = reject(
        &detail,
        &UpdateGameSessionInput::new(ID)
            .game_property("a", "ok")
            .game_property("b", secret.clone()),
    );
    assert_eq!(
        err.to_string(),
        one(
            "Value at 'gameProperties.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 96"
        )
    );
    assert!(!format!("{err:?}").contains("s3cr3t"));
}

#[test]
fn property_members_missing_are_not_null() {
    let detail = detail_with(&[]);
    let mut input = UpdateGameSessionInput::new(ID);
    input.game_properties = Some(vec![
        GamePropertyInput::new("a", "b"),
        GamePropertyInput {
            key: None,
            value: Some("v".into()),
        },
        GamePropertyInput {
            key: Some("k".into()),
            value: None,
        },
    ]);
    assert_invalid(
        &detail,
        &input,
        "2 validation errors detected: \
         Value null at 'gameProperties.2.member.key' failed to satisfy constraint: Member must not be null; \
         Value null at 'gameProperties.3.member.value' failed to satisfy constraint: Member must not be null",
    );
}

#[test]
fn every_violation_is_collected_in_shape_order() {
    let detail = detail_with(&[]);
    let mut input = UpdateGameSessionInput::new("x y")
        .maximum_player_session_count(-1)
        .name("")
        .player_session_creation_policy("NOPE")
        .protection_policy("nope")
        .game_property("k".repeat(33), "v".repeat(97));
    for i in 0..16 {
        input = input.game_property(format!("k{i}"), "v");
    }
    let err = reject(&detail, &input);
    assert_eq!(
        err.to_string(),
        format!(
            "8 validation errors detected: \
             Value 'x y' at 'gameSessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/-]+$; \
             Value '-1' at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must have value greater than or equal to 0; \
             Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value 'NOPE' at 'playerSessionCreationPolicy' failed to satisfy constraint: Member must satisfy enum value set: [ACCEPT_ALL, DENY_ALL]; \
             Value 'nope' at 'protectionPolicy' failed to satisfy constraint: Member must satisfy enum value set: [NoProtection, FullProtection]; \
             Value at 'gameProperties' failed to satisfy constraint: Member must have length less than or equal to 16; \
             Value '{}' at 'gameProperties.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 32; \
             Value at 'gameProperties.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 96",
            "k".repeat(33)
        )
    );
}

#[test]
fn validation_comes_before_the_session_is_looked_at() {
    // The session is TERMINATED and another id, yet the request's own
    // violations are what is reported.
    let mut detail = detail_with(&[]);
    let s = detail.game_session.as_mut().unwrap();
    s.status = Some(gamelift_session::GameSessionStatus::Terminated);
    s.game_session_id = Some("other".into());
    assert_invalid(
        &detail,
        &UpdateGameSessionInput::new(ID).maximum_player_session_count(-5),
        &one(
            "Value '-5' at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must have value greater than or equal to 0",
        ),
    );
}

#[test]
fn limits_are_data() {
    let mut limits = Limits::AWS;
    limits.max_game_properties = 2;
    limits.max_property_key_length = 3;
    limits.max_property_value_length = 4;
    limits.max_name_length = 5;
    limits.max_game_session_id_length = 6;
    let input = UpdateGameSessionInput::new("abcdefg")
        .name("abcdef")
        .game_property("abcd", "abcde")
        .game_property("b", "c")
        .game_property("c", "d");
    let err = input.validate_with(&limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        "5 validation errors detected: \
         Value 'abcdefg' at 'gameSessionId' failed to satisfy constraint: Member must have length less than or equal to 6; \
         Value 'abcdef' at 'name' failed to satisfy constraint: Member must have length less than or equal to 5; \
         Value at 'gameProperties' failed to satisfy constraint: Member must have length less than or equal to 2; \
         Value 'abcd' at 'gameProperties.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 3; \
         Value at 'gameProperties.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 4"
    );
    assert_eq!(Limits::default(), Limits::AWS);
    assert_eq!(Limits::AWS.max_game_properties, 16);
    assert_eq!(Limits::AWS.max_property_key_length, 32);
    assert_eq!(Limits::AWS.max_property_value_length, 96);
    assert_eq!(Limits::AWS.max_name_length, 1024);
    assert_eq!(Limits::AWS.max_game_session_id_length, 512);
}

#[test]
fn validated_update_offers_the_lookup_key() {
    let input = UpdateGameSessionInput::new(ID).name("n");
    let valid = input.validate().unwrap();
    assert_eq!(valid.game_session_id(), ID);
    assert_eq!(valid.input(), &input);
}
