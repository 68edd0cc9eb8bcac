//! `SearchGameSessions`, one test per rule of SPEC section 7, with the
//! examples of AWS's documentation.

use gamelift_session::{
    GameLiftError, GameProperty, GameSession, GameSessionDetail, GameSessionStatus, Limits,
    game_session::{DescribeGameSessionsInput, describe_game_sessions},
    model::PlayerSessionCreationPolicy,
    search::{
        Expected, ExpressionKind, FilterExpression, Found, MAX_NESTING, OperandType,
        SearchGameSessionsInput, SearchGameSessionsOutput, SearchIndex, SortExpression,
        search_game_sessions,
    },
};
use time::OffsetDateTime;

const FLEET: &str = "fleet-1a2b";

/// An ACTIVE session of `FLEET` in the home Region named `game <n>`,
/// created `n` seconds after a fixed instant, with room for 10 players.
fn game(n: i64) -> GameSession {
    let mut s = GameSession::default();
    s.game_session_id = Some(format!(
        "arn:aws:gamelift:us-west-2::gamesession/{FLEET}/gs-{n}"
    ));
    s.name = Some(format!("game {n}"));
    s.fleet_id = Some(FLEET.to_owned());
    s.status = Some(GameSessionStatus::Active);
    s.location = Some("us-west-2".to_owned());
    s.creation_time = OffsetDateTime::from_unix_timestamp(1_700_000_000 + n).ok();
    s.current_player_session_count = Some(0);
    s.maximum_player_session_count = Some(10);
    s.player_session_creation_policy = Some(PlayerSessionCreationPolicy::AcceptAll);
    s.game_properties = Some(Vec::new());
    s
}

fn with_props(mut s: GameSession, props: &[(&str, &str)]) -> GameSession {
    s.game_properties = Some(
        props
            .iter()
            .map(|(k, v)| GameProperty::new(*k, *v))
            .collect(),
    );
    s
}

/// The output of `input` over `sessions`, indexed in their order.
#[track_caller]
fn run<'s>(
    input: &SearchGameSessionsInput,
    sessions: &'s [GameSession],
) -> SearchGameSessionsOutput<'s> {
    let index = SearchIndex::of(&Limits::AWS, sessions);
    search_game_sessions(input, sessions, &index, None)
        .unwrap_or_else(|e| panic!("the search should succeed: {e}"))
}

/// The names found by `input` over `sessions`, one page.
#[track_caller]
fn names(input: &SearchGameSessionsInput, sessions: &[GameSession]) -> Vec<String> {
    run(input, sessions)
        .game_sessions
        .expect("GameSessions is always present")
        .iter()
        .map(|s| s.name.clone().unwrap_or_default())
        .collect()
}

/// The names found with `filter` over `sessions`.
#[track_caller]
fn filtered(filter: &str, sessions: &[GameSession]) -> Vec<String> {
    names(
        &SearchGameSessionsInput::for_fleet(FLEET).filter(filter),
        sessions,
    )
}

#[track_caller]
fn invalid(input: &SearchGameSessionsInput, sessions: &[GameSession]) -> String {
    let index = SearchIndex::of(&Limits::AWS, sessions);
    let err =
        search_game_sessions(input, sessions, &index, None).expect_err("the search should fail");
    assert_eq!(err.code(), "InvalidRequestException", "{err}");
    err.to_string()
}

#[track_caller]
fn filter_error(filter: &str) -> String {
    invalid(
        &SearchGameSessionsInput::for_fleet(FLEET).filter(filter),
        &[],
    )
}

fn n(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

// ---- Request: model constraints, fleet xor alias -------------------------

#[test]
fn every_model_violation_is_reported_at_once() {
    let mut input = SearchGameSessionsInput::for_fleet("fleet one");
    input.location = Some("us west".to_owned());
    input.sort_expression = Some(String::new());
    input.limit = Some(0);
    input.next_token = Some("t".repeat(1025));
    assert_eq!(
        invalid(&input, &[]),
        "5 validation errors detected: \
         Value 'fleet one' at 'fleetId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z]*fleet-[a-zA-Z0-9\\-]+$|^arn:.*:[a-z]*fleet\\/[a-z]*fleet-[a-zA-Z0-9\\-]+$; \
         Value 'us west' at 'location' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9\\-]+$; \
         Value '' at 'sortExpression' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; \
         Value '".to_owned()
            + &"t".repeat(256)
            + "...' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 1024"
    );
}

#[test]
fn a_filter_is_never_echoed_in_a_message() {
    let long = format!("gameSessionProperties.password = '{}'", "s".repeat(1000));
    let input = SearchGameSessionsInput::for_fleet(FLEET).filter(long);
    assert_eq!(
        invalid(&input, &[]),
        "1 validation error detected: Value at 'filterExpression' failed to satisfy constraint: \
         Member must have length less than or equal to 1024"
    );
    let empty = SearchGameSessionsInput::for_fleet(FLEET).filter("");
    assert_eq!(
        invalid(&empty, &[]),
        "1 validation error detected: Value at 'filterExpression' failed to satisfy constraint: \
         Member must have length greater than or equal to 1"
    );
}

#[test]
fn an_alias_must_match_its_pattern() {
    let input = SearchGameSessionsInput::for_alias("fleet-1");
    assert_eq!(
        invalid(&input, &[]),
        "1 validation error detected: Value 'fleet-1' at 'aliasId' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: ^(alias-\\S+|arn:.*:alias\\/alias-\\S+)$"
    );
}

#[test]
fn a_request_names_a_fleet_or_an_alias_not_both_nor_neither() {
    let message = "Each request must reference either a FleetId or an AliasId, but not both";
    assert_eq!(invalid(&SearchGameSessionsInput::default(), &[]), message);
    let mut both = SearchGameSessionsInput::for_fleet(FLEET);
    both.alias_id = Some("alias-1".to_owned());
    assert_eq!(invalid(&both, &[]), message);
}

#[test]
fn model_violations_come_before_the_fleet_rule_and_the_expressions() {
    let mut input = SearchGameSessionsInput::default()
        .filter("nonsense")
        .limit(-1);
    input.alias_id = None;
    assert_eq!(
        invalid(&input, &[]),
        "1 validation error detected: Value '-1' at 'limit' failed to satisfy constraint: \
         Member must have value greater than or equal to 1"
    );
}

#[test]
fn an_alias_resolves_to_the_fleet_the_caller_names() {
    let sessions = [game(1), game(2)];
    let index = SearchIndex::of(&Limits::AWS, &sessions);
    let input = SearchGameSessionsInput::for_alias("alias-42");
    let found = search_game_sessions(&input, &sessions, &index, Some(FLEET)).expect("resolved");
    assert_eq!(found.game_sessions.map(|g| g.len()), Some(2));
    let err = search_game_sessions(&input, &sessions, &index, None).expect_err("unresolved");
    assert_eq!(err, GameLiftError::not_found("Alias alias-42 not found"));
    assert_eq!(err.code(), "NotFoundException");
}

#[test]
fn the_wire_shapes_are_awss() {
    let input: SearchGameSessionsInput = serde_json::from_str(
        r#"{"FleetId":"fleet-1","AliasId":null,"Location":"us-west-2","FilterExpression":"maximumSessions > 1",
            "SortExpression":"maximumSessions ASC","Limit":5,"NextToken":"20","Unknown":1}"#,
    )
    .expect("the AWS shape parses");
    assert_eq!(input.fleet_id.as_deref(), Some("fleet-1"));
    assert_eq!(input.limit, Some(5));
    assert_eq!(input.next_token.as_deref(), Some("20"));
    let json = serde_json::to_string(&input).expect("serializes");
    assert_eq!(
        json,
        r#"{"FleetId":"fleet-1","Location":"us-west-2","FilterExpression":"maximumSessions > 1","SortExpression":"maximumSessions ASC","Limit":5,"NextToken":"20"}"#
    );
    assert!(serde_json::from_str::<SearchGameSessionsInput>(r#"["fleet-1"]"#).is_err());

    let sessions: Vec<GameSession> = (1..=3).map(game).collect();
    let out = run(
        &SearchGameSessionsInput::for_fleet(FLEET).limit(2),
        &sessions,
    );
    let value = serde_json::to_value(&out).expect("serializes");
    assert_eq!(value["GameSessions"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        value["NextToken"], "arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/gs-2",
        "the token names the page's last session"
    );
    let none = run(
        &SearchGameSessionsInput::for_fleet("fleet-empty"),
        &sessions,
    );
    assert_eq!(
        serde_json::to_string(&none).expect("serializes"),
        r#"{"GameSessions":[]}"#
    );
}

#[test]
fn debug_hides_the_filter_and_its_values() {
    let input =
        SearchGameSessionsInput::for_fleet(FLEET).filter("gameSessionProperties.pin = '1234'");
    let debug = format!("{input:?}");
    assert!(!debug.contains("1234"), "{debug}");
    assert!(
        debug.contains("filter_expression: Some(*** Sensitive Data Redacted ***)"),
        "{debug}"
    );
    let filter: FilterExpression = "gameSessionProperties.pin = '1234'"
        .parse()
        .expect("parses");
    let debug = format!("{filter:?}");
    assert!(
        !debug.contains("1234") && debug.contains("String(*** Sensitive Data Redacted ***)"),
        "{debug}"
    );
}

// ---- Which sessions -------------------------------------------------------

#[test]
fn only_active_sessions_are_found() {
    let statuses = [
        GameSessionStatus::Activating,
        GameSessionStatus::Active,
        GameSessionStatus::Terminating,
        GameSessionStatus::Terminated,
        GameSessionStatus::Error,
    ];
    let sessions: Vec<GameSession> = statuses
        .iter()
        .enumerate()
        .map(|(i, status)| {
            let mut s = game(i64::try_from(i).expect("small"));
            s.status = Some(*status);
            s
        })
        .collect();
    assert_eq!(
        names(&SearchGameSessionsInput::for_fleet(FLEET), &sessions),
        n(&["game 1"])
    );
    assert_eq!(filtered("maximumSessions > 0", &sessions), n(&["game 1"]));
    assert_eq!(
        filtered("NOT maximumSessions > 0", &sessions),
        Vec::<String>::new()
    );
}

#[test]
fn one_fleet_every_location_or_the_one_named() {
    let mut other_fleet = game(2);
    other_fleet.fleet_id = Some("fleet-9z".to_owned());
    let mut remote = game(3);
    remote.location = Some("eu-west-1".to_owned());
    let sessions = [game(1), other_fleet, remote];
    let everywhere = SearchGameSessionsInput::for_fleet(FLEET);
    assert_eq!(names(&everywhere, &sessions), n(&["game 1", "game 3"]));
    let by_arn = SearchGameSessionsInput::for_fleet(format!(
        "arn:aws:gamelift:us-west-2:123456789012:fleet/{FLEET}"
    ));
    assert_eq!(names(&by_arn, &sessions), n(&["game 1", "game 3"]));
    assert_eq!(
        names(&everywhere.clone().location("eu-west-1"), &sessions),
        n(&["game 3"])
    );
    assert_eq!(
        names(&everywhere.location("us-west-2"), &sessions),
        n(&["game 1"])
    );
}

#[test]
fn a_page_holds_at_most_twenty_sessions() {
    let sessions: Vec<GameSession> = (0..45).map(game).collect();
    let input = SearchGameSessionsInput::for_fleet(FLEET);
    let page = run(&input, &sessions);
    assert_eq!(page.game_sessions.map(|g| g.len()), Some(20));
    let id = |i: usize| format!("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/gs-{i}");
    assert_eq!(page.next_token, Some(id(19)));
    let page = run(&input.clone().limit(50), &sessions);
    assert_eq!(
        page.game_sessions.map(|g| g.len()),
        Some(20),
        "Limit above 20 is 20"
    );
    let page = run(&input.clone().limit(7).next_token(id(39)), &sessions);
    assert_eq!(page.game_sessions.map(|g| g.len()), Some(5));
    assert_eq!(page.next_token, None, "the last page has no token");
    let past = run(&input.clone().next_token(id(44)), &sessions);
    assert_eq!(past.game_sessions.map(|g| g.len()), Some(0));
    for token in ["page-2", "20"] {
        assert_eq!(
            invalid(&input.clone().next_token(token), &sessions),
            format!("Invalid NextToken: {token}"),
            "a token names a session of the store"
        );
    }
}

#[test]
fn without_a_sort_sessions_come_in_store_order() {
    let sessions = [game(3), game(1), game(2)];
    assert_eq!(
        names(&SearchGameSessionsInput::for_fleet(FLEET), &sessions),
        n(&["game 3", "game 1", "game 2"])
    );
}

// ---- Filter: operands and their types --------------------------------------

#[test]
fn each_operand_reads_its_member() {
    let mut a = with_props(game(1), &[("mode", "ranked")]);
    a.current_player_session_count = Some(4);
    a.maximum_player_session_count = Some(8);
    let b = with_props(game(2), &[("mode", "casual")]);
    let sessions = [a, b];
    let id = "arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/gs-2";
    assert_eq!(
        filtered(&format!("gameSessionId = '{id}'"), &sessions),
        n(&["game 2"])
    );
    assert_eq!(
        filtered("gameSessionId = 'gs-2'", &sessions),
        Vec::<String>::new(),
        "the full ARN"
    );
    assert_eq!(
        filtered("gameSessionName = 'game 1'", &sessions),
        n(&["game 1"])
    );
    assert_eq!(
        filtered("gameSessionProperties.mode = 'casual'", &sessions),
        n(&["game 2"])
    );
    assert_eq!(filtered("maximumSessions = 8", &sessions), n(&["game 1"]));
    assert_eq!(
        filtered("playerSessionCount >= 1", &sessions),
        n(&["game 1"])
    );
    let created = 1_700_000_001_000_i64;
    assert_eq!(
        filtered(&format!("creationTimeMillis = {created}"), &sessions),
        n(&["game 1"])
    );
    assert_eq!(
        filtered(&format!("creationTimeMillis > {created}"), &sessions),
        n(&["game 2"])
    );
}

#[test]
fn has_available_player_sessions_needs_accept_all_and_a_free_seat() {
    let open = game(1);
    let mut full = game(2);
    full.current_player_session_count = Some(10);
    let mut denying = game(3);
    denying.player_session_creation_policy = Some(PlayerSessionCreationPolicy::DenyAll);
    let mut no_count = game(4);
    no_count.current_player_session_count = None;
    let mut no_policy = game(5);
    no_policy.player_session_creation_policy = None;
    let mut no_maximum = game(6);
    no_maximum.maximum_player_session_count = None;
    let sessions = [open, full, denying, no_count, no_policy, no_maximum];
    assert_eq!(
        filtered("hasAvailablePlayerSessions = true", &sessions),
        n(&["game 1", "game 4"])
    );
    assert_eq!(
        filtered("hasAvailablePlayerSessions <> true", &sessions),
        n(&["game 2", "game 3", "game 5", "game 6"])
    );
    assert_eq!(
        filtered("hasAvailablePlayerSessions = false", &sessions),
        n(&["game 2", "game 3", "game 5", "game 6"])
    );
}

#[test]
fn numbers_take_every_comparator() {
    let sessions: Vec<GameSession> = (1..=3)
        .map(|i| {
            let mut s = game(i);
            s.maximum_player_session_count = Some(i32::try_from(i).expect("small") * 10);
            s
        })
        .collect();
    let cases = [
        ("maximumSessions = 20", vec!["game 2"]),
        ("maximumSessions <> 20", vec!["game 1", "game 3"]),
        ("maximumSessions < 20", vec!["game 1"]),
        ("maximumSessions > 20", vec!["game 3"]),
        ("maximumSessions <= 20", vec!["game 1", "game 2"]),
        ("maximumSessions >= 20", vec!["game 2", "game 3"]),
        ("maximumSessions > -5", vec!["game 1", "game 2", "game 3"]),
    ];
    for (filter, expected) in cases {
        assert_eq!(filtered(filter, &sessions), n(&expected), "{filter}");
    }
}

#[test]
fn strings_and_booleans_take_only_equality() {
    assert_eq!(
        filter_error("gameSessionName < 'a'"),
        "FilterExpression is invalid at character 17: expected = or <> for a string operand, found <"
    );
    assert_eq!(
        filter_error("gameSessionProperties.level >= '10'"),
        "FilterExpression is invalid at character 29: expected = or <> for a string operand, found >="
    );
    assert_eq!(
        filter_error("hasAvailablePlayerSessions > false"),
        "FilterExpression is invalid at character 28: expected = or <> for a boolean operand, found >"
    );
}

#[test]
fn a_value_of_the_wrong_type_is_refused() {
    assert_eq!(
        filter_error("gameSessionName = 7"),
        "FilterExpression is invalid at character 19: expected a string in quotes for a string operand, found a number"
    );
    assert_eq!(
        filter_error("gameSessionProperties.mode = ranked"),
        "FilterExpression is invalid at character 30: expected a string in quotes for a string operand, found an unknown word"
    );
    assert_eq!(
        filter_error("maximumSessions >= '10'"),
        "FilterExpression is invalid at character 20: expected a whole number for a number operand, found a string"
    );
    assert_eq!(
        filter_error("playerSessionCount < 2.5"),
        "FilterExpression is invalid at character 22: expected a whole number for a number operand, found a number that is not whole"
    );
    assert_eq!(
        filter_error("creationTimeMillis > 99999999999999999999"),
        "FilterExpression is invalid at character 22: expected a whole number for a number operand, found a number beyond 64 bits"
    );
    assert_eq!(
        filter_error("hasAvailablePlayerSessions = 'true'"),
        "FilterExpression is invalid at character 30: expected true or false for a boolean operand, found a string"
    );
    assert_eq!(
        filter_error("maximumSessions = playerSessionCount"),
        "FilterExpression is invalid at character 19: expected a whole number for a number operand, found an operand"
    );
}

#[test]
fn an_unknown_operand_is_refused() {
    let expected = "expected an operand (gameSessionId, gameSessionName, gameSessionProperties.<key>, \
                    maximumSessions, creationTimeMillis, playerSessionCount or hasAvailablePlayerSessions)";
    assert_eq!(
        filter_error("maximumSessions > 1 AND gameSessionMode = 'x'"),
        format!("FilterExpression is invalid at character 25: {expected}, found an unknown word")
    );
    assert_eq!(
        filter_error("MaximumSessions > 1"),
        format!("FilterExpression is invalid at character 1: {expected}, found an unknown word"),
        "operand names are case-sensitive"
    );
    assert_eq!(
        filter_error("gameSessionProperties = 'x'"),
        "FilterExpression is invalid at character 22: expected a property key after gameSessionProperties., found ="
    );
    assert_eq!(
        filter_error("gameSessionProperties. = 'x'"),
        "FilterExpression is invalid at character 23: expected a property key after gameSessionProperties., found ="
    );
}

// ---- Filter: strings, whitespace, precedence --------------------------------

#[test]
fn the_documented_name_example_with_an_escaped_quote() {
    let mut matt = game(1);
    matt.name = Some("Matt's Awesome Game 1".to_owned());
    let sessions = [matt, game(2)];
    let found = filtered(r"gameSessionName = 'Matt\'s Awesome Game 1'", &sessions);
    assert_eq!(found, n(&["Matt's Awesome Game 1"]));
    let filter: FilterExpression = r"gameSessionName = 'Matt\'s Awesome Game 1'"
        .parse()
        .expect("parses");
    assert_eq!(
        filter.to_string(),
        r"gameSessionName = 'Matt\'s Awesome Game 1'"
    );
}

#[test]
fn strings_are_case_sensitive_and_either_quote_works() {
    let sessions = [
        with_props(game(1), &[("difficulty", "novice")]),
        with_props(game(2), &[("difficulty", "Novice")]),
        with_props(game(3), &[("difficulty", r#"say "hi"\"#)]),
    ];
    assert_eq!(
        filtered(r#"gameSessionProperties.difficulty = "novice""#, &sessions),
        n(&["game 1"])
    );
    assert_eq!(
        filtered("gameSessionProperties.difficulty = 'novice'", &sessions),
        n(&["game 1"])
    );
    assert_eq!(
        filtered("gameSessionProperties.difficulty = 'Novice'", &sessions),
        n(&["game 2"])
    );
    assert_eq!(
        filtered(
            r#"gameSessionProperties.difficulty = "say \"hi\"\\""#,
            &sessions
        ),
        n(&["game 3"])
    );
    assert_eq!(
        filtered(
            r#"gameSessionProperties.difficulty = 'say "hi"\\'"#,
            &sessions
        ),
        n(&["game 3"])
    );
    assert_eq!(
        filter_error("gameSessionName = 'open"),
        "FilterExpression is invalid at character 24: expected the closing quote of the string, found the end of the expression"
    );
}

#[test]
fn the_documented_example_without_spaces() {
    let mut small = game(1);
    small.maximum_player_session_count = Some(8);
    let mut full = game(2);
    full.maximum_player_session_count = Some(12);
    full.current_player_session_count = Some(12);
    let mut open = game(3);
    open.maximum_player_session_count = Some(10);
    let sessions = [small, full, open];
    let filter = "maximumSessions>=10 AND hasAvailablePlayerSessions=true";
    assert_eq!(filtered(filter, &sessions), n(&["game 3"]));
    assert_eq!(
        filtered(
            "maximumSessions >= 10 AND hasAvailablePlayerSessions = true",
            &sessions
        ),
        n(&["game 3"])
    );
}

#[test]
fn and_binds_tighter_than_or() {
    // A false, B false, C true: (A AND B) OR C is true; A AND (B OR C) is false.
    let mut s = game(1);
    s.maximum_player_session_count = Some(4);
    let sessions = [s];
    let a = "maximumSessions > 5";
    let b = "gameSessionName = 'nope'";
    let c = "playerSessionCount = 0";
    assert_eq!(
        filtered(&format!("{a} AND {b} OR {c}"), &sessions),
        n(&["game 1"])
    );
    assert_eq!(
        filtered(&format!("({a} AND {b}) OR {c}"), &sessions),
        n(&["game 1"])
    );
    assert!(filtered(&format!("{a} AND ({b} OR {c})"), &sessions).is_empty());
    let parsed: FilterExpression = format!("{a} AND {b} OR {c}").parse().expect("parses");
    assert!(matches!(parsed, FilterExpression::Or(..)), "{parsed}");
}

#[test]
fn not_binds_tighter_than_and_and_groups_with_parentheses() {
    let sessions = [game(1)];
    // NOT A AND B == (NOT A) AND B, with A false and B true: true.
    let a = "maximumSessions > 50";
    let b = "playerSessionCount = 0";
    assert_eq!(
        filtered(&format!("NOT {a} AND {b}"), &sessions),
        n(&["game 1"])
    );
    assert!(filtered(&format!("NOT ({a} OR {b})"), &sessions).is_empty());
    assert_eq!(
        filtered(&format!("{b} AND {b} AND NOT {a}"), &sessions),
        n(&["game 1"])
    );
    assert_eq!(
        filtered(&format!("not {a} and {b} or {a}"), &sessions),
        n(&["game 1"]),
        "keywords in any case"
    );
}

#[test]
fn a_missing_value_is_false_except_under_not_equal() {
    let mut nameless = with_props(game(1), &[("other", "x")]);
    nameless.name = None;
    nameless.maximum_player_session_count = None;
    let sessions = [nameless];
    for filter in [
        "gameSessionProperties.mode = 'x'",
        "gameSessionName = 'game 1'",
        "maximumSessions = 1",
        "maximumSessions < 1",
        "maximumSessions > 1",
        "maximumSessions <= 1",
        "maximumSessions >= 1",
    ] {
        assert!(filtered(filter, &sessions).is_empty(), "{filter}");
    }
    for filter in [
        "gameSessionProperties.mode <> 'x'",
        "gameSessionName <> 'game 1'",
        "maximumSessions <> 1",
        "NOT maximumSessions = 1",
        "NOT maximumSessions < 1",
    ] {
        assert_eq!(filtered(filter, &sessions).len(), 1, "{filter}");
    }
}

#[test]
fn malformed_expressions_name_the_position_and_what_was_expected() {
    let cases = [
        (
            "maximumSessions",
            "at character 16: expected a comparator (=, <>, <, >, <= or >=), found the end of the expression",
        ),
        (
            "maximumSessions 10",
            "at character 17: expected a comparator (=, <>, <, >, <= or >=), found a number",
        ),
        (
            "maximumSessions > 1 playerSessionCount > 1",
            "at character 21: expected AND, OR or the end of the expression, found an operand",
        ),
        (
            "(maximumSessions > 1",
            "at character 21: expected AND, OR or ), found the end of the expression",
        ),
        (
            "maximumSessions > 1)",
            "at character 20: expected AND, OR or the end of the expression, found )",
        ),
        (
            "maximumSessions > 1 AND",
            "at character 24: expected an operand (gameSessionId, gameSessionName, gameSessionProperties.<key>, maximumSessions, creationTimeMillis, playerSessionCount or hasAvailablePlayerSessions), found the end of the expression",
        ),
        (
            "AND maximumSessions > 1",
            "at character 1: expected an operand (gameSessionId, gameSessionName, gameSessionProperties.<key>, maximumSessions, creationTimeMillis, playerSessionCount or hasAvailablePlayerSessions), found AND",
        ),
        (
            "maximumSessions == 1",
            "at character 18: expected a whole number for a number operand, found =",
        ),
        (
            "é = 'x'",
            "at character 1: expected an operand (gameSessionId, gameSessionName, gameSessionProperties.<key>, maximumSessions, creationTimeMillis, playerSessionCount or hasAvailablePlayerSessions), found an unknown word",
        ),
        (
            "gameSessionName = 'é' OR",
            "at character 25: expected an operand (gameSessionId, gameSessionName, gameSessionProperties.<key>, maximumSessions, creationTimeMillis, playerSessionCount or hasAvailablePlayerSessions), found the end of the expression",
        ),
    ];
    for (filter, message) in cases {
        assert_eq!(
            filter_error(filter),
            format!("FilterExpression is invalid {message}"),
            "{filter}"
        );
    }
}

#[test]
fn expression_errors_carry_their_parts() {
    let err = "gameSessionName = 'x' AND (maximumSessions"
        .parse::<FilterExpression>()
        .expect_err("bad");
    assert_eq!(err.kind, ExpressionKind::Filter);
    assert_eq!(err.position, 43);
    assert_eq!(err.expected, Expected::Comparator);
    assert_eq!(err.found, Found::End);
    let err = "gameSessionName > 'x'"
        .parse::<FilterExpression>()
        .expect_err("bad");
    assert_eq!(err.expected, Expected::Equality(OperandType::String));
    assert_eq!(err.found, Found::Symbol(">"));
}

#[test]
fn nesting_is_bounded() {
    let deep = |levels: usize| {
        format!(
            "{}maximumSessions > 1{}",
            "(".repeat(levels),
            ")".repeat(levels)
        )
    };
    assert!(deep(MAX_NESTING).parse::<FilterExpression>().is_ok());
    assert_eq!(
        deep(MAX_NESTING + 1)
            .parse::<FilterExpression>()
            .expect_err("too deep")
            .to_string(),
        format!(
            "FilterExpression is invalid at character 65: expected at most {MAX_NESTING} nested parentheses and NOTs, found one more"
        )
    );
    let nots = format!("{}maximumSessions > 1", "NOT ".repeat(MAX_NESTING + 1));
    assert_eq!(
        nots.parse::<FilterExpression>()
            .expect_err("too deep")
            .position,
        4 * MAX_NESTING + 1
    );
    // A long flat chain is not nesting: it parses, and deep walks stay shallow.
    let chain = vec!["maximumSessions > 1"; 256].join(" AND ");
    assert!(chain.parse::<FilterExpression>().is_ok());
    let longer = vec!["maximumSessions > 1"; 257].join(" OR ");
    assert_eq!(
        longer
            .parse::<FilterExpression>()
            .expect_err("too many")
            .to_string(),
        "FilterExpression is invalid at character 5889: expected at most 256 conditions, found one more"
    );
}

// ---- Keys containing a period, and the 500-key index -------------------------

#[test]
fn a_period_key_cannot_be_searched_and_is_left_out_of_results() {
    let s = with_props(game(1), &[("map.name", "harbor"), ("mode", "ranked")]);
    let sessions = [s];
    assert!(filtered("gameSessionProperties.map.name = 'harbor'", &sessions).is_empty());
    assert_eq!(
        filtered("gameSessionProperties.map.name <> 'harbor'", &sessions).len(),
        1
    );
    let out = run(&SearchGameSessionsInput::for_fleet(FLEET), &sessions);
    let found = &out.game_sessions.expect("present")[0];
    assert_eq!(
        found.game_properties(),
        [GameProperty::new("mode", "ranked")]
    );

    let details: Vec<GameSessionDetail> = sessions
        .iter()
        .map(|s| GameSessionDetail::new(s.clone(), None))
        .collect();
    let page = describe_game_sessions(&DescribeGameSessionsInput::for_fleet(FLEET), &details, None)
        .expect("describes");
    let described = page.details[0].game_session.as_ref().expect("a session");
    assert_eq!(
        described.game_property("map.name"),
        Some("harbor"),
        "DescribeGameSessions shows it"
    );
}

#[test]
fn the_index_holds_the_first_500_keys_and_names_the_rest() {
    assert_eq!(Limits::AWS.max_search_index_keys, 500);
    // 32 sessions of 16 keys: 512 distinct keys, plus a period key each.
    let sessions: Vec<GameSession> = (0..32)
        .map(|i| {
            let mut s = game(i);
            s.game_properties = Some(
                (0..16)
                    .map(|j| GameProperty::new(format!("k{}", i * 16 + j), "v"))
                    .chain(std::iter::once(GameProperty::new("a.b", "v")))
                    .collect(),
            );
            s
        })
        .collect();
    let index = SearchIndex::of(&Limits::AWS, &sessions);
    assert_eq!(index.len(), 500);
    assert!(
        index.holds("k0") && index.holds("k499") && !index.holds("k500") && !index.holds("a.b")
    );
    let left_out: Vec<&str> = index.left_out().collect();
    assert_eq!(
        left_out,
        (500..512).map(|k| format!("k{k}")).collect::<Vec<_>>()
    );

    let search = |filter: &str| {
        let input = SearchGameSessionsInput::for_fleet(FLEET).filter(filter);
        let out = search_game_sessions(&input, &sessions, &index, None).expect("searches");
        out.game_sessions
            .expect("present")
            .into_iter()
            .map(std::borrow::Cow::into_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(search("gameSessionProperties.k499 = 'v'").len(), 1);
    assert!(
        search("gameSessionProperties.k500 = 'v'").is_empty(),
        "past the limit: as if absent"
    );
    let last = search("gameSessionName = 'game 31'");
    assert_eq!(
        last[0].game_properties().len(),
        4,
        "k496..k499 only: k500.. and a.b are left out"
    );

    // Recording again changes nothing; a key once admitted stays.
    let mut again = index.clone();
    for s in &sessions {
        again.record(s);
    }
    assert_eq!(again, index);
}

// ---- Sort ---------------------------------------------------------------------

fn sorted(sort: &str, sessions: &[GameSession]) -> Vec<String> {
    names(
        &SearchGameSessionsInput::for_fleet(FLEET).sort(sort),
        sessions,
    )
}

#[test]
fn numbers_sort_both_ways_with_missing_values_last() {
    let limits = [Some(5), None, Some(9), Some(1), None, Some(5)];
    let sessions: Vec<GameSession> = limits
        .iter()
        .zip(1..)
        .map(|(max, i)| {
            let mut s = game(i);
            s.maximum_player_session_count = *max;
            s
        })
        .collect();
    assert_eq!(
        sorted("maximumSessions ASC", &sessions),
        n(&["game 4", "game 1", "game 6", "game 3", "game 2", "game 5"])
    );
    assert_eq!(
        sorted("maximumSessions DESC", &sessions),
        n(&["game 3", "game 1", "game 6", "game 4", "game 2", "game 5"])
    );
}

#[test]
fn properties_sort_as_strings_with_missing_values_last() {
    let sessions = [
        with_props(game(1), &[("level", "9")]),
        with_props(game(2), &[]),
        with_props(game(3), &[("level", "10")]),
        with_props(game(4), &[("level", "b")]),
        with_props(game(5), &[("level.x", "a")]),
    ];
    assert_eq!(
        sorted("gameSessionProperties.level ASC", &sessions),
        n(&["game 3", "game 1", "game 4", "game 2", "game 5"])
    );
    assert_eq!(
        sorted("gameSessionProperties.level DESC", &sessions),
        n(&["game 4", "game 1", "game 3", "game 2", "game 5"])
    );
    // A period key is not indexed: every session lacks it, creation order stays.
    assert_eq!(
        sorted("gameSessionProperties.level.x DESC", &sessions),
        n(&["game 1", "game 2", "game 3", "game 4", "game 5"])
    );
}

#[test]
fn ties_keep_creation_order_and_sorted_pages_continue() {
    let sessions: Vec<GameSession> = (0..30)
        .map(|i| {
            let mut s = game(i);
            s.maximum_player_session_count = Some(i32::try_from(i % 3).expect("small"));
            s
        })
        .collect();
    let input = SearchGameSessionsInput::for_fleet(FLEET)
        .sort("maximumSessions DESC")
        .limit(8);
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let mut page_input = input.clone();
        page_input.next_token = token.clone();
        let out = run(&page_input, &sessions);
        all.extend(
            out.game_sessions
                .expect("present")
                .iter()
                .map(|s| s.name.clone().unwrap_or_default()),
        );
        token = out.next_token;
        if token.is_none() {
            break;
        }
    }
    let expected: Vec<String> = [2, 1, 0]
        .iter()
        .flat_map(|r| (0..30).filter(move |i| i % 3 == *r))
        .map(|i| format!("game {i}"))
        .collect();
    assert_eq!(all, expected);
}

#[test]
fn booleans_names_ids_and_times_sort_too() {
    let mut full = game(2);
    full.current_player_session_count = Some(10);
    let sessions = [game(1), full, game(3)];
    assert_eq!(
        sorted("hasAvailablePlayerSessions DESC", &sessions),
        n(&["game 1", "game 3", "game 2"])
    );
    assert_eq!(
        sorted("creationTimeMillis DESC", &sessions),
        n(&["game 3", "game 2", "game 1"])
    );
    assert_eq!(
        sorted("gameSessionName DESC", &sessions),
        n(&["game 3", "game 2", "game 1"])
    );
    assert_eq!(
        sorted("gameSessionId ASC", &sessions),
        n(&["game 1", "game 2", "game 3"])
    );
}

#[test]
fn sort_expressions_are_an_operand_and_an_order() {
    let sort: SortExpression = "playerSessionCount asc".parse().expect("parses");
    assert_eq!(sort.to_string(), "playerSessionCount ASC");
    let cases = [
        (
            "maximumSessions",
            "at character 16: expected ASC or DESC, found the end of the expression",
        ),
        (
            "maximumSessions UP",
            "at character 17: expected ASC or DESC, found an unknown word",
        ),
        (
            "maximumSessions ASC DESC",
            "at character 21: expected the end of the expression, found DESC",
        ),
        (
            "ASC",
            "at character 1: expected an operand (gameSessionId, gameSessionName, gameSessionProperties.<key>, maximumSessions, creationTimeMillis, playerSessionCount or hasAvailablePlayerSessions), found ASC",
        ),
    ];
    for (sort, message) in cases {
        let input = SearchGameSessionsInput::for_fleet(FLEET).sort(sort);
        assert_eq!(
            invalid(&input, &[]),
            format!("SortExpression is invalid {message}"),
            "{sort}"
        );
    }
}

/// Pages `input` over a store that changes between pages: before each
/// page after the first, `change` may end sessions. Answers the names of
/// every page, in order.
fn page_through(
    input: &SearchGameSessionsInput,
    sessions: &mut [GameSession],
    mut change: impl FnMut(usize, &mut [GameSession]),
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    for page in 0.. {
        if page > 0 {
            change(page, sessions);
        }
        let mut this = input.clone();
        this.next_token.clone_from(&token);
        let out = run(&this, sessions);
        seen.extend(
            out.game_sessions
                .unwrap_or_default()
                .iter()
                .map(|s| s.name.clone().unwrap_or_default()),
        );
        token = out.next_token;
        if token.is_none() {
            break;
        }
    }
    seen
}

#[test]
fn sessions_that_end_mid_paging_make_no_page_skip_a_session() {
    for sort in [
        None,
        Some("creationTimeMillis ASC"),
        Some("creationTimeMillis DESC"),
    ] {
        let mut sessions: Vec<GameSession> = (0..10).map(game).collect();
        let mut input = SearchGameSessionsInput::for_fleet(FLEET).limit(3);
        if let Some(sort) = sort {
            input = input.sort(sort);
        }
        let order: Vec<i64> = if sort == Some("creationTimeMillis DESC") {
            (0..10).rev().collect()
        } else {
            (0..10).collect()
        };
        // After each page, the sessions already returned end, and so does
        // the page's last one: with position tokens every later page would
        // start too far on.
        let ended = order.clone();
        let seen = page_through(&input, &mut sessions, |page, sessions| {
            for &n in &ended[..page * 3] {
                sessions[usize::try_from(n).expect("small")].status =
                    Some(GameSessionStatus::Terminated);
            }
        });
        let want: Vec<String> = order.iter().map(|n| format!("game {n}")).collect();
        assert_eq!(seen, want, "sort {sort:?}: each session once, in order");
    }
}

#[test]
fn a_session_that_stops_matching_ahead_of_the_cursor_is_left_out_and_none_is_skipped() {
    let mut sessions: Vec<GameSession> = (0..9).map(game).collect();
    let input = SearchGameSessionsInput::for_fleet(FLEET)
        .limit(3)
        .sort("creationTimeMillis ASC");
    let seen = page_through(&input, &mut sessions, |page, sessions| {
        if page == 1 {
            // Ends a session of the next page, and one of the page after.
            sessions[4].status = Some(GameSessionStatus::Terminated);
            sessions[7].status = Some(GameSessionStatus::Terminated);
        }
    });
    assert_eq!(
        seen,
        [
            "game 0", "game 1", "game 2", "game 3", "game 5", "game 6", "game 8"
        ]
    );
}
