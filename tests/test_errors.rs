//! SPEC section 3: one error type, AWS's shape names, statuses and bodies.

use gamelift_session::{ErrorBody, GameLiftError, GameSessionStatus, UpdateGameSessionInput};

fn all() -> Vec<(GameLiftError, &'static str, u16)> {
    let validation = UpdateGameSessionInput::default()
        .validate()
        .expect_err("no id");
    vec![
        (validation, "InvalidRequestException", 400),
        (
            GameLiftError::TooManyGameProperties {
                game_session_id: "gs-1".into(),
                count: 17,
                limit: 16,
            },
            "InvalidRequestException",
            400,
        ),
        (
            GameLiftError::game_session_not_found("gs-1"),
            "NotFoundException",
            400,
        ),
        (
            GameLiftError::GameSessionMismatch {
                requested: "gs-1".into(),
                actual: Some("gs-2".into()),
            },
            "NotFoundException",
            400,
        ),
        (
            GameLiftError::InvalidGameSessionStatus {
                game_session_id: "gs-1".into(),
                status: Some(GameSessionStatus::Activating),
                action: gamelift_session::SessionAction::Update,
            },
            "InvalidGameSessionStatusException",
            400,
        ),
        (
            GameLiftError::serialization("expected value at line 1 column 1"),
            "SerializationException",
            400,
        ),
        (
            GameLiftError::Conflict {
                message: "conflict".into(),
            },
            "ConflictException",
            400,
        ),
        (
            GameLiftError::InternalService {
                message: "boom".into(),
            },
            "InternalServiceException",
            500,
        ),
        (
            GameLiftError::Unauthorized {
                message: "who".into(),
            },
            "UnauthorizedException",
            400,
        ),
        (
            GameLiftError::NotReady {
                message: "soon".into(),
            },
            "NotReadyException",
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
        assert_eq!(
            body,
            ErrorBody {
                error_type: code,
                message: err.to_string()
            }
        );
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
    let body = GameLiftError::Conflict {
        message: message.into(),
    }
    .body();
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
