//! SPEC section 3: one error type, AWS's shape names, statuses and bodies.

mod util;

use gamelift_session::{
    GameLiftError, GameSessionStatus, UpdateGameSessionInput, model::ErrorBody, update_game_session,
};
use util::{ID, detail_with};

/// The errors the library raises, raised for real.
fn raised() -> (GameLiftError, GameLiftError, GameLiftError) {
    // 8 on the session and 9 new ones: 17 after the merge.
    let existing: Vec<(String, String)> =
        (0..8).map(|i| (format!("e{i}"), "v".to_owned())).collect();
    let existing: Vec<(&str, &str)> = existing
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut input = UpdateGameSessionInput::new(ID);
    for i in 0..9 {
        input = input.game_property(format!("k{i}"), "v");
    }
    let too_many = update_game_session(&detail_with(&existing), &input).expect_err("17 properties");
    let mut other = detail_with(&[]);
    if let Some(s) = other.game_session.as_mut() {
        s.game_session_id = Some("gs-2".into());
    }
    let mismatch =
        update_game_session(&other, &UpdateGameSessionInput::new(ID)).expect_err("another id");
    let mut activating = detail_with(&[]);
    if let Some(s) = activating.game_session.as_mut() {
        s.status = Some(GameSessionStatus::Activating);
    }
    let status =
        update_game_session(&activating, &UpdateGameSessionInput::new(ID)).expect_err("not ACTIVE");
    (too_many, mismatch, status)
}

fn all() -> Vec<(GameLiftError, &'static str, u16)> {
    let validation = UpdateGameSessionInput::default()
        .validate()
        .expect_err("no id");
    let (too_many, mismatch, status) = raised();
    assert!(matches!(
        too_many,
        GameLiftError::TooManyGameProperties {
            count: 17,
            limit: 16,
            ..
        }
    ));
    assert!(matches!(
        &mismatch,
        GameLiftError::GameSessionMismatch { actual: Some(id), .. } if id == "gs-2"
    ));
    assert!(matches!(
        status,
        GameLiftError::InvalidGameSessionStatus {
            status: Some(GameSessionStatus::Activating),
            action: gamelift_session::model::SessionAction::Update,
            ..
        }
    ));
    vec![
        (validation, "InvalidRequestException", 400),
        (too_many, "InvalidRequestException", 400),
        (
            GameLiftError::game_session_not_found("gs-1"),
            "NotFoundException",
            400,
        ),
        (mismatch, "NotFoundException", 400),
        (status, "InvalidGameSessionStatusException", 400),
        (
            GameLiftError::not_found("Alias alias-1 not found"),
            "NotFoundException",
            400,
        ),
        (
            GameLiftError::invalid_request("Specify FleetId or AliasId, not both"),
            "InvalidRequestException",
            400,
        ),
        (
            GameLiftError::unknown_operation("DeleteEverything"),
            "UnknownOperationException",
            400,
        ),
        (
            GameLiftError::serialization("expected value at line 1 column 1"),
            "SerializationException",
            400,
        ),
        (
            GameLiftError::conflict("conflict"),
            "ConflictException",
            400,
        ),
        (
            GameLiftError::internal_service("boom"),
            "InternalServiceException",
            500,
        ),
        (
            GameLiftError::unauthorized("who"),
            "UnauthorizedException",
            400,
        ),
        (GameLiftError::not_ready("soon"), "NotReadyException", 400),
        (
            GameLiftError::fleet_capacity_exceeded("full"),
            "FleetCapacityExceededException",
            400,
        ),
    ]
}

#[test]
fn every_error_answers_its_shape_name_and_status() {
    for (err, code, status) in all() {
        assert_eq!(err.code(), code, "{err:?}");
        assert_eq!(err.http_status(), status, "{err:?}");
        assert!(
            !err.to_string().is_empty(),
            "Message is never empty: {err:?}"
        );
    }
}

#[test]
fn the_body_is_the_aws_json_error_shape() {
    for (err, code, _) in all() {
        let body = err.body();
        assert_eq!((body.code(), &*body.error_type), (code, code));
        assert_eq!(body.message, err.to_string());
        let read: ErrorBody = serde_json::from_str(&body.to_json()).expect("reads back");
        assert_eq!(read, body);
        let parsed: serde_json::Value =
            serde_json::from_str(&body.to_json()).expect("the body is JSON");
        assert_eq!(parsed["__type"], code);
        assert_eq!(parsed["Message"], err.to_string());
        assert_eq!(parsed.as_object().map(serde_json::Map::len), Some(2));
        assert_eq!(
            serde_json::to_string(&body).expect("serializes"),
            body.to_json()
        );
    }
}

#[test]
fn bodies_escape_every_character_json_requires() {
    let message = "quote \" backslash \\ newline \n tab \t cr \r nul \u{0} bell \u{7} unicode é 🎮";
    let body = GameLiftError::conflict(message).body();
    let json = body.to_json();
    assert_eq!(
        json,
        r#"{"__type":"ConflictException","Message":"quote \" backslash \\ newline \n tab \t cr \r nul \u0000 bell \u0007 unicode é 🎮"}"#
    );
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("the body is JSON");
    assert_eq!(parsed["Message"], message);
}

#[test]
fn validation_errors_carry_structured_violations() {
    let err = UpdateGameSessionInput::new("a b")
        .maximum_player_session_count(-2)
        .validate()
        .expect_err("invalid");
    let GameLiftError::Validation(errors) = &err else {
        panic!("{err:?}")
    };
    let paths: Vec<String> = errors
        .violations()
        .iter()
        .map(|v| v.path.to_string())
        .collect();
    assert_eq!(paths, ["gameSessionId", "maximumPlayerSessionCount"]);
    let constraints: Vec<String> = errors
        .violations()
        .iter()
        .map(|v| v.constraint.to_string())
        .collect();
    assert_eq!(
        constraints,
        [
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/-]+$",
            "Member must have value greater than or equal to 0"
        ]
    );
    // The error's source chain does not repeat the message.
    assert!(std::error::Error::source(&err).is_none());
}

#[test]
fn a_serialization_error_keeps_the_parsers_words_but_not_its_values() {
    let parse =
        serde_json::from_str::<UpdateGameSessionInput>("{\"Name\": 5}").expect_err("wrong type");
    assert_eq!(
        parse.to_string(),
        "invalid type: integer `5`, expected a string at line 1 column 10"
    );
    let err = GameLiftError::serialization(&parse);
    assert_eq!(
        err.to_string(),
        "invalid type: integer, expected a string at line 1 column 10"
    );
}
