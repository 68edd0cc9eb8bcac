//! The laws every fuzz target checks, shared by the targets.
// Each target uses its own subset.
#![allow(dead_code)]

use gamelift_session::{
    GameLiftError, GameProperty, GameSession, GameSessionDetail, GameSessionStatus,
    UpdateGameSessionInput,
    game_session::update_game_session_in_place,
    model::{MAX_MESSAGE_BYTES, PlayerSessionCreationPolicy, ProtectionPolicy},
    update_game_session,
};

pub const ID: &str = "arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1";

/// The session every update is applied to: ACTIVE, 8 properties, players in.
pub fn session() -> GameSessionDetail {
    let mut s = GameSession::default();
    s.game_session_id = Some(ID.to_owned());
    s.name = Some("fuzz".to_owned());
    s.status = Some(GameSessionStatus::Active);
    s.current_player_session_count = Some(3);
    s.maximum_player_session_count = Some(10);
    s.player_session_creation_policy = Some(PlayerSessionCreationPolicy::AcceptAll);
    s.ip_address = Some("10.1.2.3".to_owned());
    s.game_session_data = Some("secret-game-data".to_owned());
    s.game_properties = Some(
        (0..8)
            .map(|i| GameProperty::new(format!("k{i}"), format!("v{i}")))
            .collect(),
    );
    GameSessionDetail::new(s, Some(ProtectionPolicy::NoProtection))
}

/// An error's message is bounded and its body is its message.
pub fn check_error(e: &GameLiftError) {
    let message = e.to_string();
    assert!(
        message.len() <= MAX_MESSAGE_BYTES,
        "{} bytes",
        message.len()
    );
    assert_eq!(e.body().message, message);
    assert!(!message.is_empty());
}

/// Values of sensitive members long enough that finding one in a message
/// means it was echoed, not that it happens to be a common word.
pub fn secrets(input: &UpdateGameSessionInput) -> Vec<&str> {
    let public: Vec<&str> = [input.game_session_id.as_deref(), input.name.as_deref()]
        .into_iter()
        .flatten()
        .chain(
            input
                .game_properties
                .iter()
                .flatten()
                .filter_map(|p| p.key.as_deref()),
        )
        .collect();
    input
        .game_properties
        .iter()
        .flatten()
        .filter_map(|p| p.value.as_deref())
        .filter(|v| v.chars().count() >= 6)
        .filter(|v| !public.iter().any(|p| p.contains(v)))
        .collect()
}

/// Applies `input` by value and in place: the forms agree, an error leaves
/// the session untouched, messages are bounded and echo no secret.
pub fn check_update(input: &UpdateGameSessionInput) {
    let detail = session();
    let by_value = update_game_session(&detail, input);
    let mut in_place = detail.clone();
    let report = update_game_session_in_place(&mut in_place, input);
    match (&by_value, &report) {
        (Ok(outcome), Ok(report)) => {
            assert_eq!(outcome.detail(), &in_place, "the forms agree");
            assert_eq!(outcome.changes(), report.changes());
            assert_eq!(outcome.warnings(), report.warnings());
            // No property is ever deleted.
            let after = in_place
                .game_session
                .as_ref()
                .map(GameSession::game_properties);
            for p in detail
                .game_session
                .as_ref()
                .map(GameSession::game_properties)
                .unwrap_or_default()
            {
                assert!(after.unwrap_or_default().iter().any(|q| q.key == p.key));
            }
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "the forms agree");
            assert_eq!(in_place, detail, "an error leaves the session untouched");
            check_error(a);
            // Values are echoed as `Value '<text>'`: look for that, since a
            // short value may be a piece of the message's own words
            // ("pertie" is in "gameProperties").
            let message = a.to_string();
            for secret in secrets(input) {
                let echoed = format!("'{secret}");
                assert!(!message.contains(&echoed), "a property value was echoed");
            }
        }
        _ => panic!("one form failed and the other did not"),
    }
}

/// A parse failure is a bounded `SerializationException` that echoes none
/// of the input's string values longer than a few characters.
pub fn check_parse_error(e: GameLiftError) {
    assert_eq!(e.code(), "SerializationException");
    check_error(&e);
    assert!(e.to_string().len() < 600);
}
