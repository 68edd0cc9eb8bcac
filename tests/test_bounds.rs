//! Every message the crate renders is bounded, whatever the size of the
//! input: the reproducers of hostile sizes, and a property over them.

mod util;

use gamelift_session::{
    GameLiftError, UpdateGameSessionInput,
    game_session::{DescribeGameSessionsInput, describe_game_sessions},
    model::{GamePropertyInput, KEPT_VIOLATIONS, MAX_MESSAGE_BYTES},
};
use proptest::prelude::*;

fn empty_properties(n: usize) -> UpdateGameSessionInput {
    let mut input = UpdateGameSessionInput::new("gs-1");
    input.game_properties = Some(vec![GamePropertyInput::default(); n]);
    input
}

#[track_caller]
fn message_of(result: Result<impl Sized, GameLiftError>) -> String {
    let message = match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    };
    assert!(
        message.len() <= MAX_MESSAGE_BYTES,
        "{} bytes: {}...",
        message.len(),
        &message[..200]
    );
    message
}

#[test]
fn twenty_empty_properties_keep_the_exact_count_and_fit() {
    // {"GameSessionId":"gs-1","GameProperties":[{},{},...20 items]}: 103 bytes
    // once made a 4,157-byte message.
    let body = format!(
        r#"{{"GameSessionId":"gs-1","GameProperties":[{}]}}"#,
        vec!["{}"; 20].join(",")
    );
    assert_eq!(body.len(), 103);
    let input: UpdateGameSessionInput = serde_json::from_str(&body).expect("parses");
    let err = input.validate().expect_err("invalid");
    let GameLiftError::Validation(errors) = &err else {
        panic!("a validation error")
    };
    assert_eq!(errors.count(), 41);
    assert_eq!(errors.violations().len(), 41);
    let message = message_of(Err::<(), _>(err));
    assert!(message.starts_with(
        "41 validation errors detected: Value at 'gameProperties' failed to satisfy constraint: \
         Member must have length less than or equal to 16; Value null at \
         'gameProperties.1.member.key' failed to satisfy constraint: Member must not be null; \
         Value null at 'gameProperties.1.member.value' failed to satisfy constraint: Member must not be null; "
    ));
    // Every violation listed is whole, and the rest are counted.
    let listed = message.matches("failed to satisfy constraint").count();
    assert!(listed < 41);
    assert!(
        message.ends_with(&format!("; and {} more", 41 - listed)),
        "{message}"
    );
}

#[test]
fn a_million_empty_properties_are_counted_not_kept() {
    let input = empty_properties(1_000_000);
    let err = input.validate().expect_err("invalid");
    let GameLiftError::Validation(errors) = &err else {
        panic!("a validation error")
    };
    assert_eq!(errors.count(), 2_000_001);
    assert_eq!(errors.violations().len(), KEPT_VIOLATIONS);
    let message = message_of(Err::<(), _>(err.clone()));
    assert!(message.starts_with("2000001 validation errors detected: "));
    assert!(message.ends_with(" more"));
    assert!(err.body().to_json().len() <= MAX_MESSAGE_BYTES + 64);
}

#[test]
fn one_violation_is_never_cut_short() {
    // The longest violation: an echo of 256 four-byte characters.
    let input = UpdateGameSessionInput::new("gs-1").name("🎮".repeat(5000));
    let message = message_of(input.validate());
    assert_eq!(
        message,
        format!(
            "1 validation error detected: Value '{}...' at 'name' failed to satisfy constraint: \
             Member must have length less than or equal to 1024",
            "🎮".repeat(256)
        )
    );
}

#[test]
fn sensitive_values_of_any_type_are_never_echoed_by_the_parser() {
    for body in [
        r#"{"GameSessionId":"gs-1","GameProperties":[{"Key":"k","Value":987654321}]}"#,
        r#"{"GameSessionId":"gs-1","GameProperties":[{"Key":"k","Value":true}]}"#,
        r#"{"GameSessionId":"gs-1","GameProperties":[{"Key":"k","Value":98765.4321}]}"#,
    ] {
        let parse = serde_json::from_str::<UpdateGameSessionInput>(body).expect_err("wrong type");
        let message = GameLiftError::serialization(&parse).to_string();
        assert!(message.starts_with("invalid type: "), "{message}");
        assert!(
            message.contains(", expected a string at line 1 column "),
            "{message}"
        );
        for secret in ["987654321", "true", "98765.4321"] {
            assert!(!message.contains(secret), "{message}");
        }
    }
    // A string with quotes and escapes inside is dropped whole.
    let parse =
        serde_json::from_str::<gamelift_session::GameSession>(r#"{"Port": "se\"cr,et`value"}"#)
            .expect_err("a string where an integer belongs");
    assert_eq!(
        GameLiftError::serialization(&parse).to_string(),
        "invalid type: string, expected i32 at line 1 column 26"
    );
}

#[test]
fn a_two_megabyte_string_body_answers_a_short_message_with_its_position() {
    let body = format!("\"{}\"", "x".repeat(2_000_000));
    let parse = serde_json::from_str::<UpdateGameSessionInput>(&body).expect_err("not an object");
    assert!(parse.to_string().len() > 2_000_000, "serde echoes it all");
    let message = GameLiftError::serialization(&parse).to_string();
    assert_eq!(
        message,
        "invalid type: string, expected a JSON object at line 1 column 2000002"
    );
}

#[test]
fn a_long_parser_message_keeps_its_start_and_its_end() {
    let long = format!("start {} end at line 9 column 9", "word ".repeat(10_000));
    let message = GameLiftError::serialization(&long).to_string();
    assert!(message.len() < 500, "{}", message.len());
    assert!(message.starts_with("start word word "));
    assert!(message.ends_with("word  end at line 9 column 9"));
    assert!(message.contains("..."));
}

#[test]
fn unknown_operations_and_ids_are_cut() {
    let err = GameLiftError::unknown_operation("X".repeat(300_000));
    let message = message_of(Err::<(), _>(err));
    assert_eq!(message, format!("Unknown operation {}...", "X".repeat(256)));
    let message = message_of(Err::<(), _>(GameLiftError::game_session_not_found(
        "g".repeat(100_000),
    )));
    assert_eq!(
        message,
        format!("Game session {}... not found", "g".repeat(256))
    );
}

#[test]
fn a_next_token_of_emoji_is_cut() {
    let mut input = DescribeGameSessionsInput::for_fleet("fleet-1");
    input.next_token = Some("🎮".repeat(1024));
    let message = message_of(describe_game_sessions(&input, [], None));
    assert_eq!(
        message,
        format!("Invalid NextToken: {}...", "🎮".repeat(256))
    );
}

#[test]
fn an_embedders_message_is_capped_on_a_character_boundary() {
    let err = GameLiftError::conflict("é".repeat(10_000));
    let message = message_of(Err::<(), _>(err.clone()));
    assert_eq!(message, "é".repeat(MAX_MESSAGE_BYTES / 2));
    assert_eq!(err.body().message, message);
}

proptest! {
    #![proptest_config(util::proptest_config(64))]

    /// Whatever the number of violations and the size of each value, the
    /// message fits, counts every violation and lists at least one.
    #[test]
    fn prop_every_validation_message_fits(
        items in 0usize..3000,
        name_chars in 0usize..20_000,
        key in "\\PC{0,40}",
        count in any::<i32>(),
    ) {
        let mut input = UpdateGameSessionInput::new("x y").maximum_player_session_count(count);
        if name_chars > 0 {
            input = input.name("n".repeat(name_chars));
        }
        let mut properties = vec![GamePropertyInput::default(); items];
        properties.push(GamePropertyInput::new(key, "v".repeat(200)));
        input.game_properties = Some(properties);
        let err = input.validate().expect_err("the id alone is invalid");
        let GameLiftError::Validation(errors) = &err else { panic!("a validation error") };
        let message = err.to_string();
        prop_assert!(message.len() <= MAX_MESSAGE_BYTES);
        let count = errors.count();
        let prefix = format!("{count} validation error");
        prop_assert!(message.starts_with(&prefix));
        let listed = message.matches(" failed to satisfy constraint: ").count();
        prop_assert!(listed >= 1 && listed <= count);
        if listed < count {
            let suffix = format!("; and {} more", count - listed);
            prop_assert!(message.ends_with(&suffix));
        }
    }
}
