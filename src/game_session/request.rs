//! The update's own shapes: `UpdateGameSessionInput`, and the output shape
//! that the operations returning one game session share.
//!
//! The input holds a request as it arrived, before validation: required
//! members may be missing and enum members may hold strings outside their
//! set, so that validation can report every violation in AWS's words.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::model::object::object_only;

use crate::model::enums::{EnumValue, PlayerSessionCreationPolicy, ProtectionPolicy};
use crate::model::shapes::{GamePropertyInput, GameSession};

/// A request to change a game session (`UpdateGameSessionInput`).
///
/// Build one in code with [`UpdateGameSessionInput::new`] and the setters,
/// or parse one from the wire with serde. Nothing is checked until
/// validation, which reports every violation at once.
///
/// ```
/// use gamelift_session::{UpdateGameSessionInput, model::PlayerSessionCreationPolicy};
///
/// let input = UpdateGameSessionInput::new("arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1")
///     .name("Friday night")
///     .maximum_player_session_count(12)
///     .player_session_creation_policy(PlayerSessionCreationPolicy::DenyAll)
///     .game_property("difficulty", "novice");
/// assert_eq!(input.game_properties.as_ref().map(Vec::len), Some(1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct UpdateGameSessionInput {
    /// The session to update: required, 1 to 512 of `[a-zA-Z0-9:/-]`.
    pub game_session_id: Option<String>,
    /// The new player limit: at least 0.
    pub maximum_player_session_count: Option<i32>,
    /// The new name: 1 to 1024 characters.
    pub name: Option<String>,
    /// Whether the session accepts new players.
    pub player_session_creation_policy: Option<EnumValue<PlayerSessionCreationPolicy>>,
    /// Whether the session may be terminated on scale-down.
    pub protection_policy: Option<EnumValue<ProtectionPolicy>>,
    /// Properties to add or change (never to delete): at most 16.
    pub game_properties: Option<Vec<GamePropertyInput>>,
}

object_only!(UpdateGameSessionInput, wire::UpdateGameSessionInputDef);

impl UpdateGameSessionInput {
    /// A request for the session `game_session_id` that changes nothing yet.
    #[must_use]
    pub fn new(game_session_id: impl Into<String>) -> Self {
        UpdateGameSessionInput {
            game_session_id: Some(game_session_id.into()),
            ..UpdateGameSessionInput::default()
        }
    }

    /// Sets the new name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the new player limit.
    #[must_use]
    pub fn maximum_player_session_count(mut self, count: i32) -> Self {
        self.maximum_player_session_count = Some(count);
        self
    }

    /// Sets whether the session accepts new players.
    #[must_use]
    pub fn player_session_creation_policy(
        mut self,
        policy: impl Into<EnumValue<PlayerSessionCreationPolicy>>,
    ) -> Self {
        self.player_session_creation_policy = Some(policy.into());
        self
    }

    /// Sets whether the session may be terminated on scale-down.
    #[must_use]
    pub fn protection_policy(mut self, policy: impl Into<EnumValue<ProtectionPolicy>>) -> Self {
        self.protection_policy = Some(policy.into());
        self
    }

    /// Appends a property to add or change.
    #[must_use]
    pub fn game_property(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.game_properties
            .get_or_insert_with(Vec::new)
            .push(GamePropertyInput::new(key, value));
        self
    }
}

/// The answer of an operation that returns one game session:
/// `UpdateGameSessionOutput`, `CreateGameSessionOutput` and
/// `TerminateGameSessionOutput` all have this one shape.
///
/// It borrows the session when built from an outcome, so answering a
/// request costs no copy of the session; parsed from the wire it owns it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GameSessionOutput<'a> {
    /// The game session as it is after the update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game_session: Option<Cow<'a, GameSession>>,
}

/// `UpdateGameSessionOutput`: `{"GameSession": ...}`.
pub type UpdateGameSessionOutput<'a> = GameSessionOutput<'a>;
/// `CreateGameSessionOutput`: `{"GameSession": ...}`.
pub type CreateGameSessionOutput<'a> = GameSessionOutput<'a>;
/// `TerminateGameSessionOutput`: `{"GameSession": ...}`.
pub type TerminateGameSessionOutput<'a> = GameSessionOutput<'a>;

impl<'a> GameSessionOutput<'a> {
    /// An output that borrows `game_session`.
    #[must_use]
    pub fn new(game_session: &'a GameSession) -> Self {
        GameSessionOutput {
            game_session: Some(Cow::Borrowed(game_session)),
        }
    }

    /// The same output, owning its session.
    #[must_use]
    pub fn into_owned(self) -> GameSessionOutput<'static> {
        GameSessionOutput {
            game_session: self.game_session.map(|s| Cow::Owned(s.into_owned())),
        }
    }
}

/// The wire form of each shape, derived on a private twin (`#[serde(remote)]`),
/// so the public types carry no inherent `serialize` or `deserialize` that
/// would bypass the object-only rule. A member missing here does not compile.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "UpdateGameSessionInput", rename_all = "PascalCase")]
    pub(super) struct UpdateGameSessionInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maximum_player_session_count: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_session_creation_policy: Option<EnumValue<PlayerSessionCreationPolicy>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        protection_policy: Option<EnumValue<ProtectionPolicy>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_properties: Option<Vec<GamePropertyInput>>,
    }
}
