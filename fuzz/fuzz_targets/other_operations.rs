//! Every other operation's input, as JSON: the first byte picks the
//! operation, the rest is the body.
#![no_main]

mod laws;

use gamelift_session::{
    CreateContext, CreateGameSessionInput, DescribeGameSessionsInput, GameLiftError,
    TerminateGameSessionInput, create_game_session, describe_game_sessions, terminate_game_session,
};
use libfuzzer_sys::fuzz_target;
use time::OffsetDateTime;

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
    match serde_json::from_slice(body) {
        Ok(input) => Some(input),
        Err(e) => {
            laws::check_parse_error(GameLiftError::serialization(e));
            None
        }
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&op, body)) = bytes.split_first() else {
        return;
    };
    let sessions = [laws::session()];
    match op % 3 {
        0 => {
            let Some(input) = parse::<CreateGameSessionInput>(body) else {
                return;
            };
            let context = CreateContext::new(
                "us-west-2",
                "1",
                "fleet-1",
                OffsetDateTime::UNIX_EPOCH,
                "gs-9",
            );
            match create_game_session(&input, &context) {
                Ok(detail) => {
                    let session = detail.game_session.expect("a session");
                    assert!(session.game_properties().len() <= 16);
                }
                Err(e) => {
                    laws::check_error(&e);
                    // Echoed values are quoted: `Value '<text>'`. Data that is
                    // also in a member shown by right is no finding.
                    let keys = input
                        .game_properties
                        .iter()
                        .flatten()
                        .map(|p| p.key.as_deref());
                    let shown: Vec<Option<&str>> = [
                        input.fleet_id.as_deref(),
                        input.alias_id.as_deref(),
                        input.name.as_deref(),
                        input.creator_id.as_deref(),
                        input.game_session_id.as_deref(),
                        input.idempotency_token.as_deref(),
                        input.location.as_deref(),
                    ]
                    .into_iter()
                    .chain(keys)
                    .collect();
                    if let Some(data) = input
                        .game_session_data
                        .as_deref()
                        .filter(|d| d.chars().count() >= 6)
                        .filter(|d| !shown.iter().flatten().any(|s| s.contains(d)))
                    {
                        let echoed = format!("'{data}");
                        assert!(
                            !e.to_string().contains(&echoed),
                            "GameSessionData was echoed"
                        );
                    }
                }
            }
        }
        1 => {
            let Some(input) = parse::<DescribeGameSessionsInput>(body) else {
                return;
            };
            match describe_game_sessions(&input, &sessions, None) {
                Ok(page) => assert!(page.details.len() <= 1),
                Err(e) => laws::check_error(&e),
            }
        }
        _ => {
            let Some(input) = parse::<TerminateGameSessionInput>(body) else {
                return;
            };
            let mut detail = laws::session();
            let before = detail.clone();
            if let Err(e) = terminate_game_session(&mut detail, &input, OffsetDateTime::UNIX_EPOCH)
            {
                laws::check_error(&e);
                assert_eq!(detail, before, "an error leaves the session untouched");
            }
        }
    }
});
