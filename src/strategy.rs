//! Strategies for property tests of code built on this crate (feature
//! `proptest`): sessions in a given status, and update requests that are
//! valid, or invalid, relative to a given session and [`Limits`].
//!
//! The crate's own property tests use them. An embedder uses them to check
//! its store (a database row, an actor, a cache) against the crate: apply
//! the same generated requests to both and compare.
//!
//! ```
//! use std::collections::HashMap;
//! use gamelift_session::strategy::{game_session_detail, valid_update};
//! use gamelift_session::{GameSessionDetail, GameSessionStatus, Limits, update_game_session};
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//!
//! /// An embedder's store: it keeps properties in a map, by key.
//! struct MyStore {
//!     properties: HashMap<String, String>,
//! }
//!
//! impl MyStore {
//!     fn apply(&mut self, input: &gamelift_session::UpdateGameSessionInput) {
//!         for p in input.game_properties.iter().flatten() {
//!             if let (Some(k), Some(v)) = (&p.key, &p.value) {
//!                 self.properties.insert(k.clone(), v.clone());
//!             }
//!         }
//!     }
//! }
//!
//! // A session, then a request valid for it, under AWS's limits.
//! let cases = game_session_detail(GameSessionStatus::Active).prop_flat_map(|detail| {
//!     let update = valid_update(&detail, &Limits::AWS);
//!     (Just(detail), update)
//! });
//! TestRunner::default()
//!     .run(&cases, |(detail, input)| {
//!         let session = detail.game_session.as_ref().expect("a session");
//!         let mut store = MyStore {
//!             properties: session.game_properties().iter().map(|p| (p.key.clone(), p.value.clone())).collect(),
//!         };
//!         store.apply(&input);
//!         let outcome = update_game_session(&detail, &input).expect("a valid update of an ACTIVE session");
//!         let expected = outcome.detail().game_session.as_ref().expect("a session").game_properties();
//!         prop_assert_eq!(store.properties.len(), expected.len());
//!         for p in expected {
//!             prop_assert_eq!(store.properties.get(&p.key), Some(&p.value));
//!         }
//!         Ok(())
//!     })
//!     .expect("the store agrees with the crate");
//! ```

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::game_session::request::UpdateGameSessionInput;
use crate::model::enums::{
    EnumValue, GameSessionStatus, PlayerSessionCreationPolicy, ProtectionPolicy,
};
use crate::model::limits::Limits;
use crate::model::shapes::GamePropertyInput;
use crate::model::shapes::{GameProperty, GameSession, GameSessionDetail};

/// A game session in `status`, with a valid id (a full ARN), up to 16
/// properties with distinct keys (some containing a period), a player
/// count and limit, and both policies, each sometimes absent.
pub fn game_session_detail(status: GameSessionStatus) -> impl Strategy<Value = GameSessionDetail> {
    (
        "[a-z0-9]{4,8}",
        "[a-zA-Z0-9-]{1,16}",
        option::of("\\PC{1,20}"),
        vec(("[a-z.]{1,6}", "\\PC{0,12}"), 0..=16),
        option::of(0..=20i32),
        option::of(0..=20i32),
        option::of(any::<PlayerSessionCreationPolicy>()),
        option::of(any::<ProtectionPolicy>()),
    )
        .prop_map(
            move |(fleet, id, name, pairs, current, maximum, policy, protection)| {
                let mut properties: Vec<GameProperty> = Vec::new();
                for (key, value) in pairs {
                    if !properties.iter().any(|p| p.key == key) {
                        properties.push(GameProperty::new(key, value));
                    }
                }
                let session = GameSession {
                    game_session_id: Some(format!(
                        "arn:aws:gamelift:us-west-2::gamesession/fleet-{fleet}/{id}"
                    )),
                    fleet_id: Some(format!("fleet-{fleet}")),
                    name,
                    status: Some(status),
                    current_player_session_count: current,
                    maximum_player_session_count: maximum,
                    player_session_creation_policy: policy,
                    game_properties: Some(properties),
                    ..GameSession::default()
                };
                GameSessionDetail::new(session, protection)
            },
        )
}

/// Text of `min..=max` printable characters: ASCII, other scripts, emoji.
fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
    let c = prop_oneof![
        4 => proptest::char::range(' ', '~'),
        1 => proptest::char::range('\u{a0}', '\u{2fff}'),
        1 => proptest::char::range('\u{1f300}', '\u{1f64f}'),
    ];
    vec(c, min..=max.max(min)).prop_map(|chars| chars.into_iter().collect())
}

/// Keys of up to `max` characters from a small alphabet with a period, so
/// that requests and sessions share keys and some keys are unsearchable.
fn key(max: usize) -> impl Strategy<Value = String> {
    vec(proptest::sample::select(&['a', 'b', 'c', '.'][..]), 0..=max)
        .prop_map(|chars| chars.into_iter().collect())
}

/// The session's id, or a valid stand-in for a session that has none.
fn id_of(detail: &GameSessionDetail) -> String {
    detail
        .game_session
        .as_ref()
        .and_then(|s| s.game_session_id.clone())
        .unwrap_or_else(|| "gs-1".to_owned())
}

/// Update requests that pass validation under `limits` and whose merge
/// fits the session's property limit: applied to `detail` when it is
/// ACTIVE, every one succeeds. Requests change existing keys and add new
/// ones (some containing a period), sometimes name a key twice, and set
/// each other member or leave it absent.
pub fn valid_update(
    detail: &GameSessionDetail,
    limits: &Limits,
) -> impl Strategy<Value = UpdateGameSessionInput> + use<> {
    let id = id_of(detail);
    let existing: Vec<String> = detail
        .game_session
        .as_ref()
        .map(|s| s.game_properties().iter().map(|p| p.key.clone()).collect())
        .unwrap_or_default();
    let room = limits.max_game_properties.saturating_sub(existing.len());
    let most = limits.max_game_properties;
    let key_chars = limits.max_property_key_length.min(6);
    let value_chars = limits.max_property_value_length.min(12);
    let name_chars = limits.max_name_length.clamp(1, 20);
    // Existing keys the request may name: those within the key limit.
    let known: Vec<String> = existing
        .iter()
        .filter(|k| k.chars().count() <= limits.max_property_key_length)
        .cloned()
        .collect();
    let key = prop_oneof![
        // An existing key, when there is one; else a new one.
        (0..known.len().max(1)).prop_map(move |i| known.get(i).cloned()),
        key(key_chars).prop_map(Some),
    ];
    (
        option::of(0..=1000i32),
        option::of(text(1, name_chars)),
        option::of(any::<PlayerSessionCreationPolicy>()),
        option::of(any::<ProtectionPolicy>()),
        option::of(vec((key, text(0, value_chars)), 0..=most)),
    )
        .prop_map(move |(count, name, policy, protection, pairs)| {
            let mut input = UpdateGameSessionInput::new(id.clone());
            input.maximum_player_session_count = count;
            input.name = name;
            input.player_session_creation_policy = policy.map(EnumValue::Known);
            input.protection_policy = protection.map(EnumValue::Known);
            input.game_properties = pairs.map(|pairs| {
                // Keep new keys within the room the session has left.
                let mut added: Vec<String> = Vec::new();
                let mut properties = Vec::new();
                for (key, value) in pairs {
                    let key = key.unwrap_or_default();
                    let is_new = !existing.contains(&key) && !added.contains(&key);
                    if is_new && added.len() == room {
                        continue;
                    }
                    if is_new {
                        added.push(key.clone());
                    }
                    properties.push(GamePropertyInput::new(key, value));
                }
                properties
            });
            input
        })
}

/// One way a request can break the model.
#[derive(Debug, Clone, Copy)]
enum Breakage {
    NegativeCount,
    EmptyName,
    LongName,
    UnknownPolicy,
    UnknownProtection,
    LongKey,
    LongValue,
    MissingKey,
    TooManyProperties,
    BadId,
}

const BREAKAGES: [Breakage; 10] = [
    Breakage::NegativeCount,
    Breakage::EmptyName,
    Breakage::LongName,
    Breakage::UnknownPolicy,
    Breakage::UnknownProtection,
    Breakage::LongKey,
    Breakage::LongValue,
    Breakage::MissingKey,
    Breakage::TooManyProperties,
    Breakage::BadId,
];

/// Update requests that fail validation under `limits`: a valid request
/// for `detail` with one to three of its members broken (a negative player
/// limit, an empty or over-long name, an enum value outside its set, an
/// over-long key or value, a property without its key, too many
/// properties, an id outside its pattern).
pub fn invalid_update(
    detail: &GameSessionDetail,
    limits: &Limits,
) -> impl Strategy<Value = UpdateGameSessionInput> + use<> {
    let limits = *limits;
    (
        valid_update(detail, &limits),
        vec(proptest::sample::select(&BREAKAGES[..]), 1..=3),
        i32::MIN..0,
    )
        .prop_map(move |(mut input, breakages, negative)| {
            for breakage in breakages {
                let properties = input.game_properties.get_or_insert_with(Vec::new);
                match breakage {
                    Breakage::NegativeCount => input.maximum_player_session_count = Some(negative),
                    Breakage::EmptyName => input.name = Some(String::new()),
                    Breakage::LongName => {
                        input.name = Some("n".repeat(limits.max_name_length + 1));
                    }
                    Breakage::UnknownPolicy => {
                        input.player_session_creation_policy =
                            Some(EnumValue::Unknown("ACCEPT_SOME".to_owned()));
                    }
                    Breakage::UnknownProtection => {
                        input.protection_policy = Some(EnumValue::Unknown("Partial".to_owned()));
                    }
                    Breakage::LongKey => properties.push(GamePropertyInput::new(
                        "k".repeat(limits.max_property_key_length + 1),
                        "v",
                    )),
                    Breakage::LongValue => properties.push(GamePropertyInput::new(
                        "k",
                        "v".repeat(limits.max_property_value_length + 1),
                    )),
                    Breakage::MissingKey => properties.push(GamePropertyInput {
                        key: None,
                        value: Some("v".to_owned()),
                    }),
                    Breakage::TooManyProperties => {
                        while properties.len() <= limits.max_game_properties {
                            properties.push(GamePropertyInput::new("k", "v"));
                        }
                    }
                    Breakage::BadId => input.game_session_id = Some("not an id".to_owned()),
                }
            }
            input
        })
}

/// Any status, ACTIVE more often than the others, as in a live fleet.
pub fn game_session_status() -> impl Strategy<Value = GameSessionStatus> {
    prop_oneof![
        4 => Just(GameSessionStatus::Active),
        1 => any::<GameSessionStatus>(),
    ]
}
