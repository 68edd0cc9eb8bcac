//! Every other operation's input, as JSON: the first byte picks the
//! operation (create, describe, terminate, create one player session,
//! create a batch, describe player sessions, the alias operations, the
//! fleet descriptions), the rest is the body.
#![no_main]

mod laws;

use gamelift_session::{
    GameLiftError, Limits,
    fleet::{
        AliasContext, CreateAliasInput, DescribeFleetAttributesInput, FleetAttributes,
        ListAliasesInput, ListFleetsInput, RoutingStrategy, UpdateAliasInput,
    },
    game_session::{
        CreateContext, CreateGameSessionInput, DescribeGameSessionsInput,
        TerminateGameSessionInput, create_game_session, describe_game_sessions,
        terminate_game_session,
    },
    player_session::{
        CreatePlayerSessionInput, CreatePlayerSessionsInput, DescribePlayerSessionsInput, Joins,
    },
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
    match op % 8 {
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
        3 | 4 => {
            // Players joining the fixture session, one or a batch: all or
            // nothing, the count kept, no player id or data echoed.
            let single;
            let batch;
            // The game session id is shown by right: a secret that is also
            // in it is no finding.
            let shown;
            let (joins, secrets): (Result<Joins<'_>, GameLiftError>, Vec<String>) = if op % 6 == 3 {
                let Some(input) = parse::<CreatePlayerSessionInput>(body) else {
                    return;
                };
                single = input;
                shown = single.game_session_id.clone().unwrap_or_default();
                let secrets = [single.player_id.clone(), single.player_data.clone()];
                (single.validate(), secrets.into_iter().flatten().collect())
            } else {
                let Some(input) = parse::<CreatePlayerSessionsInput>(body) else {
                    return;
                };
                batch = input;
                shown = batch.game_session_id.clone().unwrap_or_default();
                let mut secrets = batch.player_ids.clone().unwrap_or_default();
                let data = batch.player_data_map.iter().flatten();
                secrets.extend(data.flat_map(|(k, v)| [k.clone(), v.clone()]));
                (batch.validate(), secrets)
            };
            let mut detail = laws::session();
            let before = detail.clone();
            let mut players = Vec::new();
            let mut n = 0;
            let mut new_id = || {
                n += 1;
                format!("psess-{n}")
            };
            let now = OffsetDateTime::UNIX_EPOCH;
            let admitted = joins.and_then(|j| {
                j.admit(&mut detail, &mut players, now, &mut new_id, &Limits::AWS)
                    .map(<[_]>::len)
            });
            match admitted {
                Ok(_) => {
                    let count = detail
                        .game_session
                        .as_ref()
                        .and_then(|s| s.current_player_session_count);
                    assert_eq!(
                        count,
                        i32::try_from(players.len()).ok(),
                        "the count is the seated players"
                    );
                    assert!(players.len() <= 10, "no more than the session's limit");
                }
                Err(e) => {
                    laws::check_error(&e);
                    assert_eq!(detail, before, "an error leaves the session untouched");
                    assert!(players.is_empty());
                    let message = e.to_string();
                    let secret_only =
                        |s: &&String| s.chars().count() >= 6 && !shown.contains(s.as_str());
                    for secret in secrets.iter().filter(secret_only) {
                        assert!(
                            !message.contains(&format!("'{secret}")),
                            "a player id or data was echoed"
                        );
                    }
                }
            }
        }
        5 => {
            let Some(input) = parse::<DescribePlayerSessionsInput>(body) else {
                return;
            };
            if let Err(e) = input.select(&[], OffsetDateTime::UNIX_EPOCH, &Limits::AWS) {
                laws::check_error(&e);
                let shown = [
                    input.game_session_id.as_deref(),
                    input.player_session_id.as_deref(),
                ];
                let shown_by_right = |p: &str| shown.iter().flatten().any(|s| s.contains(p));
                if let Some(player) = input
                    .player_id
                    .as_deref()
                    .filter(|p| p.chars().count() >= 6 && !shown_by_right(p))
                {
                    assert!(
                        !e.to_string().contains(&format!("'{player}")),
                        "a player id was echoed"
                    );
                }
            }
        }
        6 => {
            let context =
                AliasContext::new("us-west-2", "1", OffsetDateTime::UNIX_EPOCH, "alias-9");
            let existing = CreateAliasInput::new("live", RoutingStrategy::simple("fleet-1"))
                .create(&context)
                .expect("a valid alias");
            if let Some(input) = parse::<CreateAliasInput>(body) {
                match input.create(&context) {
                    Ok(alias) => {
                        assert!(alias.resolve().is_ok() || alias.routing_strategy.is_some())
                    }
                    Err(e) => laws::check_error(&e),
                }
            }
            if let Some(input) = parse::<UpdateAliasInput>(body) {
                let mut alias = existing.clone();
                match input.validate_with(&Limits::AWS) {
                    Ok(_) => input.apply(&mut alias, OffsetDateTime::UNIX_EPOCH),
                    Err(e) => {
                        laws::check_error(&e);
                        assert_eq!(alias, existing, "an error changes nothing");
                    }
                }
            }
            if let Some(input) = parse::<ListAliasesInput>(body) {
                match input.select([&existing], &Limits::AWS) {
                    Ok(out) => assert!(out.aliases.len() <= 1),
                    Err(e) => laws::check_error(&e),
                }
            }
        }
        7 => {
            let fleets = [FleetAttributes::new(
                "fleet-1",
                "us-west-2",
                "1",
                OffsetDateTime::UNIX_EPOCH,
            )];
            if let Some(input) = parse::<DescribeFleetAttributesInput>(body) {
                match input.select(&fleets, &Limits::AWS) {
                    Ok(out) => assert!(out.fleet_attributes.len() <= 50),
                    Err(e) => laws::check_error(&e),
                }
            }
            if let Some(input) = parse::<ListFleetsInput>(body)
                && let Err(e) = input.select(&fleets, &Limits::AWS)
            {
                laws::check_error(&e);
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
