//! Every pattern the crate checks agrees exactly with a regex engine
//! (`regex-lite`) running the model's own pattern text, over generated
//! strings built to hit the patterns' edges: newlines, repeated
//! separators, non-ASCII, pieces of ids and ARNs.

mod util;

use gamelift_session::{
    GameLiftError, Limits, UpdateGameSessionInput,
    game_session::CreateGameSessionInput,
    model::{
        ALIAS_ID_OR_ARN_PATTERN, Constraint, FLEET_ID_OR_ARN_PATTERN, GAME_SESSION_ID_PATTERN,
        ID_STRING_PATTERN, LOCATION_PATTERN,
    },
};
use proptest::prelude::*;

/// Whether validation reported a pattern violation at `member`.
fn pattern_violated(result: Result<(), GameLiftError>, member: &str) -> bool {
    match result {
        Err(GameLiftError::Validation(errors)) => errors.violations().iter().any(|v| {
            v.path.to_string() == member && matches!(v.constraint, Constraint::Pattern(_))
        }),
        _ => false,
    }
}

/// The crate's answer for each pattern, through the public validation.
fn crate_matches(pattern: &str, s: &str) -> bool {
    let create = |input: CreateGameSessionInput, member: &str| {
        !pattern_violated(input.validate_with(&Limits::AWS).map(|_| ()), member)
    };
    let mut input = CreateGameSessionInput::new("fleet-1", 1);
    match pattern {
        FLEET_ID_OR_ARN_PATTERN => {
            input.fleet_id = Some(s.to_owned());
            create(input, "fleetId")
        }
        ALIAS_ID_OR_ARN_PATTERN => {
            input.fleet_id = None;
            input.alias_id = Some(s.to_owned());
            create(input, "aliasId")
        }
        LOCATION_PATTERN => create(input.location(s), "location"),
        ID_STRING_PATTERN => {
            input.idempotency_token = Some(s.to_owned());
            create(input, "idempotencyToken")
        }
        GAME_SESSION_ID_PATTERN => !pattern_violated(
            UpdateGameSessionInput::new(s).validate().map(|_| ()),
            "gameSessionId",
        ),
        _ => unreachable!(),
    }
}

const PATTERNS: [&str; 5] = [
    FLEET_ID_OR_ARN_PATTERN,
    ALIAS_ID_OR_ARN_PATTERN,
    LOCATION_PATTERN,
    ID_STRING_PATTERN,
    GAME_SESSION_ID_PATTERN,
];

/// Strings made of the patterns' own pieces.
fn pieces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("arn:"),
        Just(":"),
        Just("/"),
        Just("fleet"),
        Just("fleet-"),
        Just("fleet/"),
        Just("alias/alias-"),
        Just(":alias/alias-"),
        Just("alias-"),
        Just("aws"),
        Just("gamelift"),
        Just("us-west-2"),
        Just("a"),
        Just("Z"),
        Just("0"),
        Just("-"),
        Just("\n"),
        Just(" "),
        Just("\t"),
        Just("\r"),
        Just("\u{b}"),
        Just("\u{c}"),
        Just("é"),
        Just("\u{85}"),
        Just("\u{2028}"),
        Just("🎮"),
        Just("x:"),
        Just("ab"),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![6 => pieces(), 1 => "\\PC{0,20}", 1 => ".{0,20}"]
}

#[track_caller]
fn agree(s: &str) {
    for pattern in PATTERNS {
        let regex = regex_lite::Regex::new(pattern).expect("the model's pattern compiles");
        assert_eq!(
            crate_matches(pattern, s),
            regex.is_match(s),
            "{pattern} on {s:?}"
        );
    }
}

#[test]
fn the_two_cases_that_once_disagreed() {
    // `.*` never matches a newline.
    agree("arn:aws:gamelift:us-west-2:1\n:fleet/fleet-1");
    assert!(!crate_matches(
        FLEET_ID_OR_ARN_PATTERN,
        "arn:aws:gamelift:us-west-2:1\n:fleet/fleet-1"
    ));
    // `\S+` may hold another ":alias/alias-"; the first one anchors.
    agree("arn:aws:gamelift:us-west-2::alias/alias-x:alias/alias-");
    assert!(crate_matches(
        ALIAS_ID_OR_ARN_PATTERN,
        "arn:aws:gamelift:us-west-2::alias/alias-x:alias/alias-"
    ));
}

#[test]
fn known_ids_and_arns() {
    for s in [
        "fleet-1a2b",
        "arn:aws:gamelift:us-west-2:111122223333:fleet/fleet-1a2b",
        "containerfleet-1",
        "arn::fleet/fleet-1",
        "alias-1",
        "arn:aws:gamelift:us-west-2::alias/alias-1",
        "us-west-2",
        "gs-1",
        "arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1",
        "",
        "-",
        "fleet-",
        "Fleet-1",
        "arn:aws:fleet/fleet-1",
        "alias-",
        "alias- x",
    ] {
        agree(s);
    }
}

proptest! {
    #![proptest_config(util::proptest_config(4096))]

    #[test]
    fn prop_every_pattern_agrees_with_the_regex(s in any_string()) {
        agree(&s);
    }
}
