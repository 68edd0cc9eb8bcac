//! Game session placement through a queue (`StartGameSessionPlacement`,
//! `DescribeGameSessionPlacement`, `StopGameSessionPlacement`): a request
//! for a new game session wherever the queue finds room, and the players
//! to seat in it.
//!
//! The rules (decisions marked):
//!
//! - A placement starts `PENDING`; its answer says so, as GameLift's does.
//! - The queue's destinations are tried in order; the first fleet with
//!   room (its capacity, and a free game server port) gets the game
//!   session, made as `CreateGameSession` makes one from the placement's
//!   name, properties, player limit and data, and each desired player gets
//!   a player session in it. The placement is then `FULFILLED`, with the
//!   game session's id (its ARN, as every `GameSessionId`), ARN, Region,
//!   address, DNS name, port and the placed player sessions.
//!   **Decision**: a destination alias that resolves to no fleet
//!   (`TERMINAL`, or unknown) is passed over.
//! - A placement still `PENDING` when the queue's `TimeoutInSeconds` has
//!   passed since its start is `TIMED_OUT`, with its `EndTime`.
//! - `StopGameSessionPlacement` cancels a `PENDING` placement
//!   (`CANCELLED`). **Decision**: stopping one that has ended is
//!   `InvalidRequestException` naming its status.
//! - **Decision**: a `PlacementId` already used is `InvalidRequestException`.
//! - Player ids, player data, game session data, addresses and ports are
//!   sensitive: `Debug` never shows them.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::game_session::create::CreateGameSessionInput;
use crate::model::echo::Cut;
use crate::model::enums::GameSessionPlacementState;
use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::shapes::GamePropertyInput;
use crate::model::shapes::{GameProperty, GameSession};
use crate::model::validate::{FieldPath, Validator};
use crate::placement::queue::queue_name_of;
use crate::player_session::PlayerSession;

/// The most desired player sessions one placement may ask for.
pub const MAX_DESIRED_PLAYER_SESSIONS: usize = 25;
/// The longest `PlayerData` of a desired player session.
pub const MAX_DESIRED_PLAYER_DATA: usize = 2048;

/// A player's latency to a Region (`PlayerLatency`).
#[derive(Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct PlayerLatency {
    /// The player; sensitive.
    pub player_id: Option<String>,
    /// The Region, `us-west-2`.
    pub region_identifier: Option<String>,
    /// The latency.
    pub latency_in_milliseconds: Option<f32>,
}

object_only!(PlayerLatency, wire::LatencyDef);

impl fmt::Debug for PlayerLatency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlayerLatency")
            .field(
                "player_id",
                &self.player_id.as_ref().map(|_| crate::model::REDACTED),
            )
            .field("region_identifier", &self.region_identifier)
            .field("latency_in_milliseconds", &self.latency_in_milliseconds)
            .finish()
    }
}

/// A player to seat in the placed game session (`DesiredPlayerSession`).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct DesiredPlayerSession {
    /// The player; sensitive.
    pub player_id: Option<String>,
    /// Data for the game server; sensitive.
    pub player_data: Option<String>,
}

object_only!(DesiredPlayerSession, wire::DesiredDef);

impl fmt::Debug for DesiredPlayerSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DesiredPlayerSession")
            .field(
                "player_id",
                &self.player_id.as_ref().map(|_| crate::model::REDACTED),
            )
            .field(
                "player_data",
                &self.player_data.as_ref().map(|_| crate::model::REDACTED),
            )
            .finish()
    }
}

/// A player seated by a placement (`PlacedPlayerSession`).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct PlacedPlayerSession {
    /// The player; sensitive.
    pub player_id: Option<String>,
    /// The player session: `psess-...`.
    pub player_session_id: Option<String>,
}

object_only!(PlacedPlayerSession, wire::PlacedDef);

impl fmt::Debug for PlacedPlayerSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlacedPlayerSession")
            .field(
                "player_id",
                &self.player_id.as_ref().map(|_| crate::model::REDACTED),
            )
            .field("player_session_id", &self.player_session_id)
            .finish()
    }
}

/// A placement (`GameSessionPlacement`).
#[derive(Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct GameSessionPlacement {
    /// Its id, the caller's.
    pub placement_id: Option<String>,
    /// The queue it goes through.
    pub game_session_queue_name: Option<String>,
    /// `PENDING`, `FULFILLED`, `CANCELLED`, `TIMED_OUT` or `FAILED`.
    pub status: Option<GameSessionPlacementState>,
    /// The properties of the game session to make.
    pub game_properties: Option<Vec<GameProperty>>,
    /// Its player limit.
    pub maximum_player_session_count: Option<i32>,
    /// Its name.
    pub game_session_name: Option<String>,
    /// The game session made: its id.
    pub game_session_id: Option<String>,
    /// The game session made: its ARN.
    pub game_session_arn: Option<String>,
    /// The game session's Region.
    pub game_session_region: Option<String>,
    /// The players' latencies.
    pub player_latencies: Option<Vec<PlayerLatency>>,
    /// When it started.
    pub start_time: Option<OffsetDateTime>,
    /// When it ended.
    pub end_time: Option<OffsetDateTime>,
    /// Where to connect; sensitive.
    pub ip_address: Option<String>,
    /// The DNS name to connect to.
    pub dns_name: Option<String>,
    /// The port to connect to; sensitive.
    pub port: Option<i32>,
    /// The players seated.
    pub placed_player_sessions: Option<Vec<PlacedPlayerSession>>,
    /// The game session's data; sensitive.
    pub game_session_data: Option<String>,
    /// The match that made it (FlexMatch), as the game session will carry
    /// it; sensitive (it names the players).
    pub matchmaker_data: Option<String>,
}

object_only!(GameSessionPlacement, wire::PlacementDef);

impl fmt::Debug for GameSessionPlacement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GameSessionPlacement")
            .field("placement_id", &self.placement_id)
            .field("game_session_queue_name", &self.game_session_queue_name)
            .field("status", &self.status)
            .field("game_session_id", &self.game_session_id)
            .field("start_time", &self.start_time)
            .field("end_time", &self.end_time)
            .finish_non_exhaustive()
    }
}

impl GameSessionPlacement {
    /// Whether it is still `PENDING`.
    #[must_use]
    pub fn is_pending(&self) -> bool {
        self.status == Some(GameSessionPlacementState::Pending)
    }

    /// The request for the game session this placement makes on
    /// `fleet_id`.
    #[must_use]
    pub fn game_session_request(&self, fleet_id: &str) -> CreateGameSessionInput {
        let mut input =
            CreateGameSessionInput::new(fleet_id, self.maximum_player_session_count.unwrap_or(0));
        input.name.clone_from(&self.game_session_name);
        input.game_session_data.clone_from(&self.game_session_data);
        input.game_properties = self.game_properties.as_ref().map(|ps| {
            ps.iter()
                .map(|p| GamePropertyInput::new(p.key.clone(), p.value.clone()))
                .collect()
        });
        input
    }

    /// `FULFILLED` by `session`, with the player sessions made for it.
    pub fn fulfil(&mut self, session: &GameSession, placed: &[PlayerSession], now: OffsetDateTime) {
        self.status = Some(GameSessionPlacementState::Fulfilled);
        self.game_session_id.clone_from(&session.game_session_id);
        self.game_session_arn.clone_from(&session.game_session_id);
        self.game_session_region.clone_from(&session.location);
        self.ip_address.clone_from(&session.ip_address);
        self.dns_name.clone_from(&session.dns_name);
        self.port = session.port;
        self.placed_player_sessions = Some(
            placed
                .iter()
                .map(|p| PlacedPlayerSession {
                    player_id: p.player_id.clone(),
                    player_session_id: p.player_session_id.clone(),
                })
                .collect(),
        );
        self.end_time = Some(now);
    }

    /// `TIMED_OUT` when still `PENDING` `timeout_seconds` after its start;
    /// answers whether it did.
    pub fn time_out_if_due(&mut self, timeout_seconds: i32, now: OffsetDateTime) -> bool {
        let due = self.start_time.is_some_and(|start| {
            now >= start + time::Duration::seconds(i64::from(timeout_seconds))
        });
        if self.is_pending() && due {
            self.status = Some(GameSessionPlacementState::TimedOut);
            self.end_time = Some(now);
            return true;
        }
        false
    }

    /// Cancels a `PENDING` placement.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` naming its status when it has ended.
    pub fn stop(&mut self, now: OffsetDateTime) -> Result<(), GameLiftError> {
        if !self.is_pending() {
            return Err(GameLiftError::invalid_request(format!(
                "Game session placement {} is {} and cannot be stopped",
                Cut(self.placement_id.as_deref().unwrap_or_default()),
                self.status
                    .map_or("unknown", GameSessionPlacementState::as_str)
            )));
        }
        self.status = Some(GameSessionPlacementState::Cancelled);
        self.end_time = Some(now);
        Ok(())
    }
}

/// `NotFoundException` for a placement no placement has.
#[must_use]
pub fn placement_not_found(placement_id: &str) -> GameLiftError {
    GameLiftError::not_found(format!(
        "Game session placement {} not found",
        Cut(placement_id)
    ))
}

/// A request for a placement (`StartGameSessionPlacementInput`).
/// `PriorityConfigurationOverride` is accepted and ignored.
#[derive(Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct StartGameSessionPlacementInput {
    /// The placement's id: required, 1 to 48 of `[a-zA-Z0-9-]`.
    pub placement_id: Option<String>,
    /// The queue: its name or ARN, required.
    pub game_session_queue_name: Option<String>,
    /// The game session's properties: at most 16.
    pub game_properties: Option<Vec<GamePropertyInput>>,
    /// The game session's player limit: required, at least 0.
    pub maximum_player_session_count: Option<i32>,
    /// The game session's name.
    pub game_session_name: Option<String>,
    /// The players' latencies.
    pub player_latencies: Option<Vec<PlayerLatency>>,
    /// Players to seat: at most 25.
    pub desired_player_sessions: Option<Vec<DesiredPlayerSession>>,
    /// The game session's data; sensitive.
    pub game_session_data: Option<String>,
}

object_only!(StartGameSessionPlacementInput, wire::StartDef);

impl fmt::Debug for StartGameSessionPlacementInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StartGameSessionPlacementInput")
            .field("placement_id", &self.placement_id)
            .field("game_session_queue_name", &self.game_session_queue_name)
            .field(
                "maximum_player_session_count",
                &self.maximum_player_session_count,
            )
            .finish_non_exhaustive()
    }
}

impl StartGameSessionPlacementInput {
    /// A request for placement `placement_id` through `queue`, for a game
    /// session of `maximum_player_session_count` players.
    #[must_use]
    pub fn new(
        placement_id: impl Into<String>,
        queue: impl Into<String>,
        maximum_player_session_count: i32,
    ) -> Self {
        StartGameSessionPlacementInput {
            placement_id: Some(placement_id.into()),
            game_session_queue_name: Some(queue.into()),
            maximum_player_session_count: Some(maximum_player_session_count),
            ..StartGameSessionPlacementInput::default()
        }
    }

    /// Validates the request and makes the `PENDING` placement, started at
    /// `now`.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    ///
    /// ```
    /// use gamelift_session::{
    ///     Limits, model::GameSessionPlacementState, placement::StartGameSessionPlacementInput,
    /// };
    /// use time::OffsetDateTime;
    ///
    /// let p = StartGameSessionPlacementInput::new("p-1", "main", 8)
    ///     .start(&Limits::AWS, OffsetDateTime::UNIX_EPOCH)?;
    /// assert_eq!(p.status, Some(GameSessionPlacementState::Pending));
    /// let err = StartGameSessionPlacementInput::new("p 1", "main", -1)
    ///     .start(&Limits::AWS, OffsetDateTime::UNIX_EPOCH)
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "2 validation errors detected: \
    ///     Value 'p 1' at 'placementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9-]+$; \
    ///     Value '-1' at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must have value greater than or equal to 0");
    /// # Ok::<(), gamelift_session::GameLiftError>(())
    /// ```
    pub fn start(
        &self,
        limits: &Limits,
        now: OffsetDateTime,
    ) -> Result<GameSessionPlacement, GameLiftError> {
        let mut v = Validator::default();
        let path = FieldPath::Member("placementId");
        if let Some(id) = v.required(path, self.placement_id.as_deref()) {
            v.id_string(path, id, limits);
        }
        let path = FieldPath::Member("gameSessionQueueName");
        if let Some(queue) = v.required(path, self.game_session_queue_name.as_deref()) {
            v.length(
                path,
                queue,
                1,
                crate::placement::queue::MAX_QUEUE_ARN,
                false,
            );
        }
        if let Some(properties) = &self.game_properties {
            v.game_properties("gameProperties", properties, limits);
        }
        let path = FieldPath::Member("maximumPlayerSessionCount");
        if let Some(&max) = v.required(path, self.maximum_player_session_count.as_ref()) {
            v.min_value(path, i64::from(max), 0);
        }
        if let Some(name) = &self.game_session_name {
            v.length(
                FieldPath::Member("gameSessionName"),
                name,
                1,
                limits.max_name_length,
                false,
            );
        }
        for (i, l) in self.player_latencies.iter().flatten().enumerate() {
            let at = |member| FieldPath::Item {
                list: "playerLatencies",
                index: i + 1,
                member,
            };
            if let Some(player) = &l.player_id {
                v.length(at("playerId"), player, 1, limits.max_player_id_length, true);
            }
            if let Some(ms) = l.latency_in_milliseconds
                && (ms.is_nan() || ms < 0.0)
            {
                let shown = if ms.is_nan() { -1 } else { ms.floor() as i64 };
                v.min_value(at("latencyInMilliseconds"), shown, 0);
            }
        }
        let desired = self.desired_player_sessions.as_deref().unwrap_or_default();
        v.list_length(
            FieldPath::Member("desiredPlayerSessions"),
            desired.len(),
            0,
            MAX_DESIRED_PLAYER_SESSIONS,
        );
        for (i, d) in desired.iter().enumerate() {
            let at = |member| FieldPath::Item {
                list: "desiredPlayerSessions",
                index: i + 1,
                member,
            };
            if let Some(player) = &d.player_id {
                v.length(at("playerId"), player, 1, limits.max_player_id_length, true);
            }
            if let Some(data) = &d.player_data {
                v.length(at("playerData"), data, 1, MAX_DESIRED_PLAYER_DATA, true);
            }
        }
        if let Some(data) = &self.game_session_data {
            v.length(
                FieldPath::Member("gameSessionData"),
                data,
                1,
                limits.max_game_session_data_length,
                true,
            );
        }
        v.finish()?;
        let properties = crate::game_session::update::merged_properties(
            self.game_properties.as_deref().unwrap_or_default(),
        );
        Ok(GameSessionPlacement {
            placement_id: self.placement_id.clone(),
            game_session_queue_name: self
                .game_session_queue_name
                .as_deref()
                .map(|q| queue_name_of(q).to_owned()),
            status: Some(GameSessionPlacementState::Pending),
            game_properties: Some(properties),
            maximum_player_session_count: self.maximum_player_session_count,
            game_session_name: self.game_session_name.clone(),
            player_latencies: self.player_latencies.clone(),
            start_time: Some(now),
            game_session_data: self.game_session_data.clone(),
            ..GameSessionPlacement::default()
        })
    }

    /// The players to seat, with their data.
    pub fn desired_players(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.desired_player_sessions
            .iter()
            .flatten()
            .filter_map(|d| Some((d.player_id.as_deref()?, d.player_data.as_deref())))
    }
}

/// A request naming one placement: `DescribeGameSessionPlacement` and
/// `StopGameSessionPlacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct PlacementIdInput {
    /// The placement's id: required.
    pub placement_id: Option<String>,
}

object_only!(PlacementIdInput, wire::PlacementIdDef);

impl PlacementIdInput {
    /// Validates the request: the placement id it names.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for a missing or malformed id.
    pub fn validate_with(&self, limits: &Limits) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        let path = FieldPath::Member("placementId");
        let id = v.required(path, self.placement_id.as_deref());
        if let Some(id) = id {
            v.id_string(path, id, limits);
        }
        v.finish()?;
        Ok(id.unwrap_or_default())
    }
}

/// The serde twins of the shapes.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "PlayerLatency", rename_all = "PascalCase")]
    pub(super) struct LatencyDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region_identifier: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_in_milliseconds: Option<f32>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "DesiredPlayerSession", rename_all = "PascalCase")]
    pub(super) struct DesiredDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_data: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "PlacedPlayerSession", rename_all = "PascalCase")]
    pub(super) struct PlacedDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_session_id: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "GameSessionPlacement", rename_all = "PascalCase")]
    pub(super) struct PlacementDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        placement_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_queue_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<GameSessionPlacementState>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_properties: Option<Vec<GameProperty>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maximum_player_session_count: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_region: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_latencies: Option<Vec<PlayerLatency>>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        start_time: Option<OffsetDateTime>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        end_time: Option<OffsetDateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ip_address: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dns_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        port: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        placed_player_sessions: Option<Vec<PlacedPlayerSession>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        matchmaker_data: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "StartGameSessionPlacementInput", rename_all = "PascalCase")]
    pub(super) struct StartDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        placement_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_queue_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_properties: Option<Vec<GamePropertyInput>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maximum_player_session_count: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_latencies: Option<Vec<PlayerLatency>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        desired_player_sessions: Option<Vec<DesiredPlayerSession>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_data: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "PlacementIdInput", rename_all = "PascalCase")]
    pub(super) struct PlacementIdDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        placement_id: Option<String>,
    }
}
