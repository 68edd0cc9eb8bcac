//! The state shapes: `GameSession`, `GameProperty` and `GameSessionDetail`.
//!
//! These are plain wire shapes. Every member is optional, as in the model;
//! member names serialize in AWS's PascalCase; absent members are omitted
//! on output; unknown members and `null` are accepted on input. Sensitive
//! members (SPEC section 6) are redacted from `Debug` output.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::object::object_only;
use time::OffsetDateTime;

use crate::model::enums::{
    GameSessionStatus, GameSessionStatusReason, PlayerGatewayStatus, PlayerSessionCreationPolicy,
    ProtectionPolicy,
};

/// What `Debug` prints in place of a sensitive value, as the AWS SDKs do.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// A redacted stand-in for a sensitive member in `Debug` output.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// A key/value pair stored on a game session (`GameProperty`).
///
/// Players search game sessions by these. The value is sensitive: `Debug`
/// never shows it.
///
/// ```
/// use gamelift_session::GameProperty;
///
/// let p = GameProperty::new("difficulty", "novice");
/// assert!(p.is_searchable());
/// assert!(!GameProperty::new("map.name", "harbor").is_searchable());
/// assert_eq!(
///     format!("{p:?}"),
///     r#"GameProperty { key: "difficulty", value: *** Sensitive Data Redacted *** }"#
/// );
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct GameProperty {
    /// The property's key: at most 32 characters; may be empty.
    pub key: String,
    /// The property's value: at most 96 characters; sensitive.
    pub value: String,
}

object_only!(GameProperty, wire::GamePropertyDef);

impl GameProperty {
    /// A property with this key and value.
    #[must_use]
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        GameProperty {
            key: key.into(),
            value: value.into(),
        }
    }

    /// Whether game session searches can use this property.
    ///
    /// GameLift filters keys containing a period (`.`) out of search
    /// results, so such a property is stored but can never be searched on.
    #[must_use]
    pub fn is_searchable(&self) -> bool {
        is_searchable_key(&self.key)
    }
}

/// Whether a property key can be searched on: it contains no period.
#[must_use]
pub fn is_searchable_key(key: &str) -> bool {
    !key.contains('.')
}

impl fmt::Debug for GameProperty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GameProperty")
            .field("key", &self.key)
            .field("value", &Redacted)
            .finish()
    }
}

/// A game session as GameLift describes it (`GameSession`).
///
/// Every member is optional, as in the model. Timestamps serialize as
/// epoch seconds with a millisecond fraction. `IpAddress`, `Port`,
/// `GameSessionData` and `MatchmakerData` are sensitive: `Debug` never
/// shows them, while serialization writes them, as the wire requires.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct GameSession {
    /// The session's id, a full ARN: `arn:aws:gamelift:<region>::gamesession/<fleet-id>/<id>`.
    pub game_session_id: Option<String>,
    /// A descriptive label; need not be unique.
    pub name: Option<String>,
    /// The fleet the session runs on.
    pub fleet_id: Option<String>,
    /// The ARN of that fleet.
    pub fleet_arn: Option<String>,
    /// When the session was created.
    pub creation_time: Option<OffsetDateTime>,
    /// When the session ended.
    pub termination_time: Option<OffsetDateTime>,
    /// How many players are connected.
    pub current_player_session_count: Option<i32>,
    /// How many players may be connected at once.
    pub maximum_player_session_count: Option<i32>,
    /// The session's status; only `ACTIVE` sessions can be updated.
    pub status: Option<GameSessionStatus>,
    /// Why the session has its status.
    pub status_reason: Option<GameSessionStatusReason>,
    /// Key/value pairs players search on; at most 16.
    pub game_properties: Option<Vec<GameProperty>>,
    /// The address players connect to; sensitive.
    pub ip_address: Option<String>,
    /// The DNS name players connect to.
    pub dns_name: Option<String>,
    /// The port players connect to; sensitive.
    pub port: Option<i32>,
    /// Whether new players are accepted.
    pub player_session_creation_policy: Option<PlayerSessionCreationPolicy>,
    /// Who created the session.
    pub creator_id: Option<String>,
    /// Custom data for the game server; sensitive.
    pub game_session_data: Option<String>,
    /// Matchmaking data; sensitive.
    pub matchmaker_data: Option<String>,
    /// The fleet location the session runs in.
    pub location: Option<String>,
    /// The compute resource hosting the session.
    pub compute_name: Option<String>,
    /// Whether players connect through a player gateway.
    pub player_gateway_status: Option<PlayerGatewayStatus>,
}

object_only!(GameSession, wire::GameSessionDef);

impl GameSession {
    /// The game properties, or an empty slice when the member is absent.
    #[must_use]
    pub fn game_properties(&self) -> &[GameProperty] {
        self.game_properties.as_deref().unwrap_or_default()
    }

    /// The value stored under `key`, if any (exact, case-sensitive match).
    #[must_use]
    pub fn game_property(&self, key: &str) -> Option<&str> {
        self.game_properties()
            .iter()
            .find(|p| p.key == key)
            .map(|p| p.value.as_str())
    }
}

/// `Some(Redacted)` for a present sensitive member, `None` for an absent one,
/// so `Debug` still tells the two apart without showing the value.
pub(crate) fn redact<T>(value: Option<&T>) -> Option<Redacted> {
    value.map(|_| Redacted)
}

impl fmt::Debug for GameSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GameSession")
            .field("game_session_id", &self.game_session_id)
            .field("name", &self.name)
            .field("fleet_id", &self.fleet_id)
            .field("fleet_arn", &self.fleet_arn)
            .field("creation_time", &self.creation_time)
            .field("termination_time", &self.termination_time)
            .field(
                "current_player_session_count",
                &self.current_player_session_count,
            )
            .field(
                "maximum_player_session_count",
                &self.maximum_player_session_count,
            )
            .field("status", &self.status)
            .field("status_reason", &self.status_reason)
            .field("game_properties", &self.game_properties)
            .field("ip_address", &redact(self.ip_address.as_ref()))
            .field("dns_name", &self.dns_name)
            .field("port", &redact(self.port.as_ref()))
            .field(
                "player_session_creation_policy",
                &self.player_session_creation_policy,
            )
            .field("creator_id", &self.creator_id)
            .field(
                "game_session_data",
                &redact(self.game_session_data.as_ref()),
            )
            .field("matchmaker_data", &redact(self.matchmaker_data.as_ref()))
            .field("location", &self.location)
            .field("compute_name", &self.compute_name)
            .field("player_gateway_status", &self.player_gateway_status)
            .finish()
    }
}

/// A game session with its protection policy (`GameSessionDetail`).
///
/// The protection policy is not a member of [`GameSession`]; an update can
/// change it, so this detail is the state an update applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct GameSessionDetail {
    /// The game session.
    pub game_session: Option<GameSession>,
    /// Whether the session may be terminated on scale-down.
    pub protection_policy: Option<ProtectionPolicy>,
}

object_only!(GameSessionDetail, wire::GameSessionDetailDef);

impl GameSessionDetail {
    /// A detail holding `game_session` and `protection_policy`.
    #[must_use]
    pub fn new(game_session: GameSession, protection_policy: Option<ProtectionPolicy>) -> Self {
        GameSessionDetail {
            game_session: Some(game_session),
            protection_policy,
        }
    }
}

/// A game property as a request carries it: both members may be missing.
///
/// The model requires `Key` and `Value`; a request that omits one is still
/// parsed, and validation reports `Value null at 'gameProperties.N.member.key'
/// failed to satisfy constraint: Member must not be null`, as AWS does.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct GamePropertyInput {
    /// The property's key.
    pub key: Option<String>,
    /// The property's value; sensitive.
    pub value: Option<String>,
}

object_only!(GamePropertyInput, wire::GamePropertyInputDef);

impl GamePropertyInput {
    /// A property input with both members present.
    #[must_use]
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        GamePropertyInput {
            key: Some(key.into()),
            value: Some(value.into()),
        }
    }
}

impl From<GameProperty> for GamePropertyInput {
    fn from(p: GameProperty) -> Self {
        GamePropertyInput {
            key: Some(p.key),
            value: Some(p.value),
        }
    }
}

impl fmt::Debug for GamePropertyInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Value<'a>(Option<&'a String>);
        impl fmt::Debug for Value<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.0 {
                    Some(_) => write!(f, "Some({REDACTED})"),
                    None => f.write_str("None"),
                }
            }
        }
        f.debug_struct("GamePropertyInput")
            .field("key", &self.key)
            .field("value", &Value(self.value.as_ref()))
            .finish()
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
    #[serde(remote = "GamePropertyInput", rename_all = "PascalCase")]
    pub(super) struct GamePropertyInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "GameProperty", rename_all = "PascalCase")]
    pub(super) struct GamePropertyDef {
        key: String,
        value: String,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "GameSession", rename_all = "PascalCase")]
    pub(super) struct GameSessionDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_arn: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        creation_time: Option<OffsetDateTime>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        termination_time: Option<OffsetDateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        current_player_session_count: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maximum_player_session_count: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<GameSessionStatus>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status_reason: Option<GameSessionStatusReason>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_properties: Option<Vec<GameProperty>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ip_address: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dns_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        port: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_session_creation_policy: Option<PlayerSessionCreationPolicy>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        creator_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        matchmaker_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compute_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_gateway_status: Option<PlayerGatewayStatus>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "GameSessionDetail", rename_all = "PascalCase")]
    pub(super) struct GameSessionDetailDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session: Option<GameSession>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        protection_policy: Option<ProtectionPolicy>,
    }
}
