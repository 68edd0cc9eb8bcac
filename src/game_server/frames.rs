//! The frames of the server SDK 5's WebSocket protocol, as serde types: what
//! a game server sends ([`RequestFrame`]), what the service answers
//! ([`Reply`], [`FrameError`]) and what it pushes ([`CreateGameSessionPush`],
//! [`UpdateGameSessionPush`], [`TerminateProcessPush`],
//! [`RefreshConnectionPush`]).
//!
//! Read in the Go SDK 5.6.0 (`model/message/message.go`,
//! `model/request/*.go`, `model/message/*.go`, `model/result/*.go`,
//! `model/player.go`, `model/attribute_value.go`,
//! `model/update_game_session.go`); the C++ SDK's
//! `internal/network/WebSocketppClientWrapper.cpp` reads the same fields:
//!
//! - Every frame is a JSON text frame, an object with `Action` and
//!   `RequestId`. A request's fields sit flat beside them; the Go SDK leaves
//!   out empty strings and zero numbers (`omitempty`), so every field of a
//!   request is optional here.
//! - A reply echoes `Action` and `RequestId`, carries `"StatusCode": 200`
//!   and its result fields flat; a failure a non-200 `StatusCode` and
//!   `ErrorMessage`. The Go SDK maps 400, 401, 403, 404, 409 and 429 to its
//!   own error kinds and anything else to an internal error.
//! - A push carries `"RequestId": ""` and `"StatusCode": 200`, and every
//!   field in the exact JSON type the SDK declares: the Go SDK drops a push
//!   whose one field has another type, with a line in its own log only. So
//!   the pushes here have no optional member: strings are `""` when empty,
//!   numbers are numbers, `GameProperties` is an object (a map, not the
//!   client API's list), and `TerminationTime` is epoch milliseconds.
//!
//! A frame parsed by another serde format than JSON is the embedder's
//! business: the SDKs speak JSON only.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::flexmatch::{AttributeValue, Player};
use crate::model::enums::GameSessionStatus;
use crate::model::error::GameLiftError;
use crate::model::shapes::{GameSession, Redacted, redact};
use crate::player_session::PlayerSession;

/// The largest text frame a game server may send, in bytes: far above the
/// largest valid request (a `StartMatchBackfill` of many players with
/// their attributes).
pub const MAX_FRAME_BYTES: usize = 1024 * 1024;

/// The `StatusCode` of a reply that succeeded, and of every push.
pub const STATUS_OK: u16 = 200;

/// `Action` and `RequestId` alone: what the embedder reads from a frame
/// that is not a valid request, so that its failure still echoes them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FrameHeader {
    /// The frame's action, when it names one as a string.
    #[serde(default, deserialize_with = "lenient_string")]
    pub action: Option<String>,
    /// The frame's request id, when it has one as a string.
    #[serde(default, deserialize_with = "lenient_string")]
    pub request_id: Option<String>,
}

/// A string, or `None` for a value of any other type.
fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Maybe {
        S(String),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Maybe::deserialize(d)? {
        Maybe::S(s) => Some(s),
        Maybe::Other(_) => None,
    })
}

/// A request a game server sends: its `RequestId` and what it asks.
///
/// ```
/// use gamelift_session::game_server::{Request, RequestFrame};
///
/// let frame: RequestFrame = serde_json::from_str(
///     r#"{"Action":"ActivateGameSession","RequestId":"r-1","GameSessionId":"arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1"}"#,
/// )?;
/// assert_eq!(frame.request_id, "r-1");
/// assert!(matches!(frame.request, Request::ActivateGameSession(_)));
/// assert_eq!(frame.request.action(), "ActivateGameSession");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RequestFrame {
    /// The id the reply echoes.
    #[serde(rename = "RequestId")]
    pub request_id: String,
    /// The action and its fields.
    #[serde(flatten)]
    pub request: Request,
}

/// What a game server asks, by `Action` (SPEC §10, "Requests a game server
/// sends").
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "Action")]
#[non_exhaustive]
pub enum Request {
    /// `ProcessReady`: the process can host a game session.
    ActivateServerProcess(ActivateServerProcess),
    /// The process is alive (every 60 s ± 10 s).
    HeartbeatServerProcess(HeartbeatServerProcess),
    /// The process has started the game session it was given.
    ActivateGameSession(GameSessionRequest),
    /// The process lets players join its session, or not.
    UpdatePlayerSessionCreationPolicy(UpdatePlayerSessionCreationPolicy),
    /// A player connected to the process.
    AcceptPlayerSession(PlayerSessionRequest),
    /// A player left the process.
    RemovePlayerSession(PlayerSessionRequest),
    /// The process lists player sessions.
    DescribePlayerSessions(DescribePlayerSessions),
    /// The process asks FlexMatch for players to fill its session.
    StartMatchBackfill(StartMatchBackfill),
    /// The process cancels a backfill.
    StopMatchBackfill(StopMatchBackfill),
    /// The process asks where its compute's TLS certificate is.
    GetComputeCertificate(Empty),
    /// The process asks for credentials of the fleet's role.
    GetFleetRoleCredentials(GetFleetRoleCredentials),
    /// `ProcessEnding`: the process is shutting down.
    TerminateServerProcess(Empty),
}

impl Request {
    /// Every `Action` a game server sends.
    pub const ACTIONS: [&'static str; 12] = [
        "ActivateServerProcess",
        "HeartbeatServerProcess",
        "ActivateGameSession",
        "UpdatePlayerSessionCreationPolicy",
        "AcceptPlayerSession",
        "RemovePlayerSession",
        "DescribePlayerSessions",
        "StartMatchBackfill",
        "StopMatchBackfill",
        "GetComputeCertificate",
        "GetFleetRoleCredentials",
        "TerminateServerProcess",
    ];

    /// Its `Action`.
    #[must_use]
    pub fn action(&self) -> &'static str {
        match self {
            Request::ActivateServerProcess(_) => "ActivateServerProcess",
            Request::HeartbeatServerProcess(_) => "HeartbeatServerProcess",
            Request::ActivateGameSession(_) => "ActivateGameSession",
            Request::UpdatePlayerSessionCreationPolicy(_) => "UpdatePlayerSessionCreationPolicy",
            Request::AcceptPlayerSession(_) => "AcceptPlayerSession",
            Request::RemovePlayerSession(_) => "RemovePlayerSession",
            Request::DescribePlayerSessions(_) => "DescribePlayerSessions",
            Request::StartMatchBackfill(_) => "StartMatchBackfill",
            Request::StopMatchBackfill(_) => "StopMatchBackfill",
            Request::GetComputeCertificate(_) => "GetComputeCertificate",
            Request::GetFleetRoleCredentials(_) => "GetFleetRoleCredentials",
            Request::TerminateServerProcess(_) => "TerminateServerProcess",
        }
    }

    /// Whether `action` is one a game server sends.
    #[must_use]
    pub fn is_action(action: &str) -> bool {
        Request::ACTIONS.contains(&action)
    }
}

/// A request with no fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct Empty {}

/// `ActivateServerProcess` (`ProcessReady`): `model/request/activate_server_process.go`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ActivateServerProcess {
    /// The SDK's version (`5.6.0`).
    #[serde(default)]
    pub sdk_version: Option<String>,
    /// The SDK's language (`Go`, `Cpp`, `CSharp`).
    #[serde(default)]
    pub sdk_language: Option<String>,
    /// The engine plugin, when one runs the server.
    #[serde(default)]
    pub sdk_tool_name: Option<String>,
    /// Its version.
    #[serde(default)]
    pub sdk_tool_version: Option<String>,
    /// The port the process listens on for players.
    #[serde(default)]
    pub port: Option<i64>,
    /// Files the service would upload when the process ends (`null` when
    /// the game gives none).
    #[serde(default)]
    pub log_paths: Option<Vec<String>>,
}

/// `HeartbeatServerProcess`: `model/request/heartbeat_server_process.go`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct HeartbeatServerProcess {
    /// What the game's `OnHealthCheck` said (`false` without one).
    #[serde(default)]
    pub health_status: Option<bool>,
}

/// A request naming a game session: `ActivateGameSession`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GameSessionRequest {
    /// The game session's id (its ARN).
    #[serde(default)]
    pub game_session_id: Option<String>,
}

/// `UpdatePlayerSessionCreationPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdatePlayerSessionCreationPolicy {
    /// The game session's id.
    #[serde(default)]
    pub game_session_id: Option<String>,
    /// `ACCEPT_ALL` or `DENY_ALL`.
    #[serde(default)]
    pub player_session_policy: Option<String>,
}

/// `AcceptPlayerSession` and `RemovePlayerSession`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PlayerSessionRequest {
    /// The game session's id.
    #[serde(default)]
    pub game_session_id: Option<String>,
    /// The player session's id.
    #[serde(default)]
    pub player_session_id: Option<String>,
}

/// `DescribePlayerSessions`: `model/request/describe_player_sessions.go`.
#[derive(Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribePlayerSessions {
    /// The player sessions of this game session.
    #[serde(default)]
    pub game_session_id: Option<String>,
    /// The player sessions of this player; sensitive.
    #[serde(default)]
    pub player_id: Option<String>,
    /// The one player session with this id.
    #[serde(default)]
    pub player_session_id: Option<String>,
    /// Only player sessions in this status.
    #[serde(default)]
    pub player_session_status_filter: Option<String>,
    /// Where the previous page ended.
    #[serde(default)]
    pub next_token: Option<String>,
    /// Most player sessions in one page.
    #[serde(default)]
    pub limit: Option<i64>,
}

impl fmt::Debug for DescribePlayerSessions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DescribePlayerSessions")
            .field("game_session_id", &self.game_session_id)
            .field("player_id", &redact(self.player_id.as_ref()))
            .field("player_session_id", &self.player_session_id)
            .field(
                "player_session_status_filter",
                &self.player_session_status_filter,
            )
            .field("next_token", &self.next_token)
            .field("limit", &self.limit)
            .finish()
    }
}

/// `StartMatchBackfill`: `model/request/start_match_backfill.go`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct StartMatchBackfill {
    /// The game session to fill.
    #[serde(default)]
    pub game_session_arn: Option<String>,
    /// The matchmaking configuration, by ARN.
    #[serde(default)]
    pub matchmaking_configuration_arn: Option<String>,
    /// The ticket's id; one is made up when empty.
    #[serde(default)]
    pub ticket_id: Option<String>,
    /// The players in the session now, with their teams.
    #[serde(default)]
    pub players: Option<Vec<SdkPlayer>>,
}

/// `StopMatchBackfill`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct StopMatchBackfill {
    /// The game session being filled.
    #[serde(default)]
    pub game_session_arn: Option<String>,
    /// The matchmaking configuration, by ARN.
    #[serde(default)]
    pub matchmaking_configuration_arn: Option<String>,
    /// The backfill ticket.
    #[serde(default)]
    pub ticket_id: Option<String>,
}

/// `GetFleetRoleCredentials`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetFleetRoleCredentials {
    /// The role to assume.
    #[serde(default)]
    pub role_arn: Option<String>,
    /// The name of the role session.
    #[serde(default)]
    pub role_session_name: Option<String>,
}

/// A player as the server SDK sends it (`model/player.go`): attributes
/// typed by `AttrType`, latencies as integers.
#[derive(Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SdkPlayer {
    /// The player's id; sensitive.
    #[serde(default)]
    pub player_id: Option<String>,
    /// The player's team.
    #[serde(default)]
    pub team: Option<String>,
    /// The player's attributes, by name.
    #[serde(default)]
    pub player_attributes: Option<BTreeMap<String, SdkAttributeValue>>,
    /// Latency to each Region, in milliseconds.
    #[serde(default, rename = "LatencyInMs")]
    pub latency_in_ms: Option<BTreeMap<String, i64>>,
}

impl fmt::Debug for SdkPlayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkPlayer")
            .field("player_id", &redact(self.player_id.as_ref()))
            .field("team", &self.team)
            .field(
                "player_attributes",
                &self.player_attributes.as_ref().map(BTreeMap::len),
            )
            .field("latency_in_ms", &self.latency_in_ms)
            .finish()
    }
}

/// An attribute as the server SDK sends it (`model/attribute_value.go`):
/// `AttrType` (`STRING`, `DOUBLE`, `STRING_LIST`, `STRING_DOUBLE_MAP`,
/// read without regard to case as the SDK does) and the one value it names.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[non_exhaustive]
pub struct SdkAttributeValue {
    /// Which of the values it holds.
    #[serde(rename = "AttrType", default)]
    pub attr_type: Option<String>,
    /// A string.
    #[serde(rename = "S", default)]
    pub s: Option<String>,
    /// A number.
    #[serde(rename = "N", default)]
    pub n: Option<f64>,
    /// A list of strings.
    #[serde(rename = "SL", default)]
    pub sl: Option<Vec<String>>,
    /// Strings with a number each.
    #[serde(rename = "SDM", default)]
    pub sdm: Option<BTreeMap<String, f64>>,
}

impl SdkPlayer {
    /// The player as FlexMatch reads it: the value each `AttrType` names
    /// (an absent one is its zero, as the Go SDK marshals it), latencies
    /// past `i32` cut to its bounds.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` naming the attribute for an `AttrType`
    /// that is none of the four.
    ///
    /// ```
    /// use gamelift_session::game_server::SdkPlayer;
    ///
    /// let p: SdkPlayer = serde_json::from_str(
    ///     r#"{"PlayerId":"p1","Team":"red","PlayerAttributes":{"skill":{"AttrType":"DOUBLE","N":23}},"LatencyInMs":{"us-west-2":40}}"#,
    /// ).unwrap();
    /// let player = p.to_player().unwrap();
    /// assert_eq!(player.team.as_deref(), Some("red"));
    /// assert_eq!(player.player_attributes.unwrap()["skill"].n, Some(23.0));
    /// ```
    pub fn to_player(&self) -> Result<Player, GameLiftError> {
        let mut attributes = BTreeMap::new();
        for (name, value) in self.player_attributes.iter().flatten() {
            let kind = value.attr_type.as_deref().unwrap_or("NONE");
            let converted = if kind.eq_ignore_ascii_case("STRING") {
                AttributeValue::string(value.s.clone().unwrap_or_default())
            } else if kind.eq_ignore_ascii_case("DOUBLE") {
                AttributeValue::number(value.n.unwrap_or(0.0))
            } else if kind.eq_ignore_ascii_case("STRING_LIST") {
                AttributeValue::string_list(value.sl.clone().unwrap_or_default())
            } else if kind.eq_ignore_ascii_case("STRING_DOUBLE_MAP") {
                AttributeValue::string_number_map(value.sdm.clone().unwrap_or_default())
            } else {
                return Err(GameLiftError::invalid_request(format!(
                    "Player attribute {} has AttrType {}, not one of STRING, DOUBLE, STRING_LIST, STRING_DOUBLE_MAP",
                    crate::model::echo::Cut(name),
                    crate::model::echo::Cut(kind)
                )));
            };
            attributes.insert(name.clone(), converted);
        }
        let latencies = self.latency_in_ms.as_ref().map(|l| {
            l.iter()
                .map(|(region, ms)| {
                    let ms =
                        i32::try_from(*ms).unwrap_or(if *ms < 0 { i32::MIN } else { i32::MAX });
                    (region.clone(), ms)
                })
                .collect()
        });
        let mut player = Player::new(self.player_id.clone().unwrap_or_default());
        player.team = self.team.clone().filter(|t| !t.is_empty());
        player.player_attributes = Some(attributes);
        player.latency_in_ms = latencies;
        Ok(player)
    }
}

/// A failed request's answer: its `StatusCode` and `ErrorMessage`.
///
/// A [`GameLiftError`] becomes one by its code: `InvalidRequestException`
/// and the other faults of the request 400, `UnauthorizedException` 401,
/// `NotFoundException` 404, `ConflictException` 409,
/// `LimitExceededException` 429, anything else 500 (the codes the Go SDK's
/// `websocket_client.go` tells apart).
///
/// ```
/// use gamelift_session::GameLiftError;
/// use gamelift_session::game_server::FrameError;
///
/// let e = FrameError::from(GameLiftError::not_found("Player session psess-1 not found"));
/// assert_eq!(e.status_code, 404);
/// assert_eq!(e.message, "Player session psess-1 not found");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FrameError {
    /// The reply's `StatusCode`: never 200.
    pub status_code: u16,
    /// The reply's `ErrorMessage`.
    pub message: String,
}

impl FrameError {
    /// A failure with `status_code` and `message`.
    #[must_use]
    pub fn new(status_code: u16, message: impl Into<String>) -> Self {
        FrameError {
            status_code: if status_code == STATUS_OK {
                500
            } else {
                status_code
            },
            message: message.into(),
        }
    }

    /// A 400: the request is at fault.
    #[must_use]
    pub fn bad_request(message: impl Into<String>) -> Self {
        FrameError::new(400, message)
    }
}

impl From<GameLiftError> for FrameError {
    fn from(e: GameLiftError) -> Self {
        let status = match e.code() {
            "UnauthorizedException" => 401,
            "NotFoundException" => 404,
            "ConflictException" => 409,
            "LimitExceededException" => 429,
            "InternalServiceException" => 500,
            _ => 400,
        };
        FrameError::new(status, e.to_string())
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status_code, self.message)
    }
}

impl std::error::Error for FrameError {}

/// A reply that succeeded: `Action` and `RequestId` echoed,
/// `"StatusCode": 200`, and `result`'s fields flat beside them.
///
/// ```
/// use gamelift_session::game_server::{NoResult, Reply};
///
/// let reply = Reply::new("HeartbeatServerProcess", "r-7", NoResult::default());
/// assert_eq!(
///     serde_json::to_string(&reply).unwrap(),
///     r#"{"Action":"HeartbeatServerProcess","RequestId":"r-7","StatusCode":200}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Reply<'a, T> {
    /// The request's action.
    pub action: &'a str,
    /// The request's id.
    pub request_id: &'a str,
    /// 200.
    pub status_code: u16,
    /// The result's fields.
    #[serde(flatten)]
    pub result: T,
}

impl<'a, T: Serialize> Reply<'a, T> {
    /// The reply to the request `request_id` of `action`, with `result`.
    #[must_use]
    pub fn new(action: &'a str, request_id: &'a str, result: T) -> Self {
        Reply {
            action,
            request_id,
            status_code: STATUS_OK,
            result,
        }
    }
}

/// A reply that failed: `Action` and `RequestId` echoed (empty strings
/// when the frame had none), `StatusCode` and `ErrorMessage`.
///
/// ```
/// use gamelift_session::game_server::{FailedReply, FrameError};
///
/// let e = FrameError::bad_request("The process has not called ProcessReady");
/// let reply = FailedReply::new("ActivateGameSession", "r-2", &e);
/// assert_eq!(
///     serde_json::to_string(&reply).unwrap(),
///     r#"{"Action":"ActivateGameSession","RequestId":"r-2","StatusCode":400,"ErrorMessage":"The process has not called ProcessReady"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FailedReply<'a> {
    /// The request's action.
    pub action: &'a str,
    /// The request's id.
    pub request_id: &'a str,
    /// Not 200.
    pub status_code: u16,
    /// Why.
    pub error_message: &'a str,
}

impl<'a> FailedReply<'a> {
    /// The failed reply to the request `request_id` of `action`.
    #[must_use]
    pub fn new(action: &'a str, request_id: &'a str, error: &'a FrameError) -> Self {
        FailedReply {
            action,
            request_id,
            status_code: error.status_code,
            error_message: &error.message,
        }
    }
}

/// The result of a request that answers nothing but its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct NoResult {}

/// A player session as the server SDK reads it (`model/player.go`):
/// times in epoch milliseconds, 0 when unset.
#[derive(Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SdkPlayerSession {
    /// The player; sensitive.
    pub player_id: String,
    /// The player session's id.
    pub player_session_id: String,
    /// Its game session.
    pub game_session_id: String,
    /// Its fleet.
    pub fleet_id: String,
    /// Data about the player; sensitive.
    pub player_data: String,
    /// Where to connect; sensitive.
    pub ip_address: String,
    /// Where to connect; sensitive.
    pub port: i32,
    /// When it was made, epoch milliseconds.
    pub creation_time: i64,
    /// When it ended, epoch milliseconds; 0 while it lasts.
    pub termination_time: i64,
    /// Where to connect.
    pub dns_name: String,
    /// `RESERVED`, `ACTIVE`, `COMPLETED` or `TIMEDOUT`.
    pub status: &'static str,
}

impl fmt::Debug for SdkPlayerSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkPlayerSession")
            .field("player_id", &Redacted)
            .field("player_session_id", &self.player_session_id)
            .field("game_session_id", &self.game_session_id)
            .field("fleet_id", &self.fleet_id)
            .field("player_data", &Redacted)
            .field("ip_address", &Redacted)
            .field("port", &Redacted)
            .field("creation_time", &self.creation_time)
            .field("termination_time", &self.termination_time)
            .field("dns_name", &self.dns_name)
            .field("status", &self.status)
            .finish()
    }
}

/// Epoch milliseconds of `t`, 0 for none.
#[must_use]
pub fn epoch_millis(t: Option<OffsetDateTime>) -> i64 {
    t.map_or(0, |t| {
        i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
    })
}

impl From<&PlayerSession> for SdkPlayerSession {
    fn from(p: &PlayerSession) -> Self {
        SdkPlayerSession {
            player_id: p.player_id.clone().unwrap_or_default(),
            player_session_id: p.player_session_id.clone().unwrap_or_default(),
            game_session_id: p.game_session_id.clone().unwrap_or_default(),
            fleet_id: p.fleet_id.clone().unwrap_or_default(),
            player_data: p.player_data.clone().unwrap_or_default(),
            ip_address: p.ip_address.clone().unwrap_or_default(),
            port: p.port.unwrap_or(0),
            creation_time: epoch_millis(p.creation_time),
            termination_time: epoch_millis(p.termination_time),
            dns_name: p.dns_name.clone().unwrap_or_default(),
            status: p.status.map_or("", |s| s.as_str()),
        }
    }
}

/// The result of `DescribePlayerSessions` (`model/result/describe_player_session.go`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribePlayerSessionsResult {
    /// Where the next page starts; `""` for the last.
    pub next_token: String,
    /// The page.
    pub player_sessions: Vec<SdkPlayerSession>,
}

impl DescribePlayerSessionsResult {
    /// The result listing `players`, with `next_token`.
    #[must_use]
    pub fn new<'p>(
        players: impl IntoIterator<Item = &'p PlayerSession>,
        next_token: Option<String>,
    ) -> Self {
        DescribePlayerSessionsResult {
            next_token: next_token.unwrap_or_default(),
            player_sessions: players.into_iter().map(SdkPlayerSession::from).collect(),
        }
    }
}

/// The result of `StartMatchBackfill`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct StartMatchBackfillResult {
    /// The backfill ticket's id.
    pub ticket_id: String,
}

impl StartMatchBackfillResult {
    /// The result naming `ticket_id`.
    #[must_use]
    pub fn new(ticket_id: impl Into<String>) -> Self {
        StartMatchBackfillResult {
            ticket_id: ticket_id.into(),
        }
    }
}

/// The result of `GetComputeCertificate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetComputeCertificateResult {
    /// Where the compute's TLS certificate is; `""` without one.
    pub certificate_path: String,
    /// The compute's name.
    pub compute_name: String,
}

impl GetComputeCertificateResult {
    /// The result for `compute_name`, whose certificate is at `certificate_path`.
    #[must_use]
    pub fn new(certificate_path: impl Into<String>, compute_name: impl Into<String>) -> Self {
        GetComputeCertificateResult {
            certificate_path: certificate_path.into(),
            compute_name: compute_name.into(),
        }
    }
}

/// The `CreateGameSession` push: the process is to start this game session
/// (`model/message/create_game_session.go`). The SDK calls the game's
/// `OnStartGameSession`, which answers with `ActivateGameSession`.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CreateGameSessionPush {
    /// `CreateGameSession`.
    pub action: &'static str,
    /// `""`: a push answers no request.
    pub request_id: &'static str,
    /// 200.
    pub status_code: u16,
    /// The player limit.
    pub maximum_player_session_count: i32,
    /// The port players connect to.
    pub port: i32,
    /// The address players connect to; sensitive.
    pub ip_address: String,
    /// The game session's id (its ARN).
    pub game_session_id: String,
    /// Its name.
    pub game_session_name: String,
    /// Its data; sensitive.
    pub game_session_data: String,
    /// The match that made it, for FlexMatch; sensitive.
    pub matchmaker_data: String,
    /// The DNS name players connect to.
    pub dns_name: String,
    /// Its properties, key to value; sensitive values.
    pub game_properties: BTreeMap<String, String>,
}

/// A session's properties as the SDK's map; a key named twice keeps its
/// last value.
fn properties_map(session: &GameSession) -> BTreeMap<String, String> {
    session
        .game_properties
        .iter()
        .flatten()
        .map(|p| (p.key.clone(), p.value.clone()))
        .collect()
}

impl CreateGameSessionPush {
    /// The push that gives `session` to its process.
    ///
    /// ```
    /// use gamelift_session::{GameProperty, GameSession};
    /// use gamelift_session::game_server::CreateGameSessionPush;
    ///
    /// let mut s = GameSession::default();
    /// s.game_session_id = Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1/custom-home/gs-1".into());
    /// s.maximum_player_session_count = Some(4);
    /// s.ip_address = Some("127.0.0.1".into());
    /// s.port = Some(7777);
    /// s.game_properties = Some(vec![GameProperty::new("mode", "duel")]);
    /// let json = serde_json::to_value(CreateGameSessionPush::new(&s)).unwrap();
    /// assert_eq!(json["Action"], "CreateGameSession");
    /// assert_eq!(json["RequestId"], "");
    /// assert_eq!(json["StatusCode"], 200);
    /// assert_eq!(json["Port"], 7777);
    /// assert_eq!(json["GameSessionName"], "");
    /// assert_eq!(json["GameProperties"]["mode"], "duel");
    /// ```
    #[must_use]
    pub fn new(session: &GameSession) -> Self {
        CreateGameSessionPush {
            action: "CreateGameSession",
            request_id: "",
            status_code: STATUS_OK,
            maximum_player_session_count: session.maximum_player_session_count.unwrap_or(0),
            port: session.port.unwrap_or(0),
            ip_address: session.ip_address.clone().unwrap_or_default(),
            game_session_id: session.game_session_id.clone().unwrap_or_default(),
            game_session_name: session.name.clone().unwrap_or_default(),
            game_session_data: session.game_session_data.clone().unwrap_or_default(),
            matchmaker_data: session.matchmaker_data.clone().unwrap_or_default(),
            dns_name: session.dns_name.clone().unwrap_or_default(),
            game_properties: properties_map(session),
        }
    }
}

impl fmt::Debug for CreateGameSessionPush {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateGameSessionPush")
            .field("game_session_id", &self.game_session_id)
            .field("game_session_name", &self.game_session_name)
            .field(
                "maximum_player_session_count",
                &self.maximum_player_session_count,
            )
            .field("ip_address", &Redacted)
            .field("port", &Redacted)
            .field("dns_name", &self.dns_name)
            .field("game_session_data", &Redacted)
            .field("matchmaker_data", &Redacted)
            .field("game_properties", &self.game_properties.len())
            .finish_non_exhaustive()
    }
}

/// Why an `UpdateGameSession` push is sent (`model/update_reason.go`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum UpdateReason {
    /// A backfill added players: `MatchmakerData` names them.
    #[serde(rename = "MATCHMAKING_DATA_UPDATED")]
    MatchmakingDataUpdated,
    /// A backfill failed.
    #[serde(rename = "BACKFILL_FAILED")]
    BackfillFailed,
    /// A backfill timed out.
    #[serde(rename = "BACKFILL_TIMED_OUT")]
    BackfillTimedOut,
    /// A backfill was cancelled.
    #[serde(rename = "BACKFILL_CANCELLED")]
    BackfillCancelled,
}

/// A game session as the `UpdateGameSession` push carries it
/// (`model/game_session.go`).
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SdkGameSession {
    /// Its id.
    pub game_session_id: String,
    /// Its data; sensitive.
    pub game_session_data: String,
    /// Its name.
    pub name: String,
    /// The match data; sensitive.
    pub matchmaker_data: String,
    /// Its fleet.
    pub fleet_id: String,
    /// Its location.
    pub location: String,
    /// The player limit.
    pub maximum_player_session_count: i32,
    /// Where to connect; sensitive.
    pub ip_address: String,
    /// Where to connect; sensitive.
    pub port: i32,
    /// Where to connect.
    pub dns_name: String,
    /// Its properties; sensitive values.
    pub game_properties: BTreeMap<String, String>,
    /// `ACTIVE`, `ACTIVATING`, `TERMINATED` or `TERMINATING`.
    pub status: &'static str,
    /// Why it has its status; `""`.
    pub status_reason: &'static str,
}

impl fmt::Debug for SdkGameSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkGameSession")
            .field("game_session_id", &self.game_session_id)
            .field("name", &self.name)
            .field("fleet_id", &self.fleet_id)
            .field("location", &self.location)
            .field(
                "maximum_player_session_count",
                &self.maximum_player_session_count,
            )
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl From<&GameSession> for SdkGameSession {
    fn from(s: &GameSession) -> Self {
        SdkGameSession {
            game_session_id: s.game_session_id.clone().unwrap_or_default(),
            game_session_data: s.game_session_data.clone().unwrap_or_default(),
            name: s.name.clone().unwrap_or_default(),
            matchmaker_data: s.matchmaker_data.clone().unwrap_or_default(),
            fleet_id: s.fleet_id.clone().unwrap_or_default(),
            location: s.location.clone().unwrap_or_default(),
            maximum_player_session_count: s.maximum_player_session_count.unwrap_or(0),
            ip_address: s.ip_address.clone().unwrap_or_default(),
            port: s.port.unwrap_or(0),
            dns_name: s.dns_name.clone().unwrap_or_default(),
            game_properties: properties_map(s),
            // The SDK knows these four; ERROR is never pushed.
            status: match s.status {
                Some(
                    status @ (GameSessionStatus::Active
                    | GameSessionStatus::Activating
                    | GameSessionStatus::Terminated
                    | GameSessionStatus::Terminating),
                ) => status.as_str(),
                _ => "NOT_SET",
            },
            status_reason: "",
        }
    }
}

/// The `UpdateGameSession` push: FlexMatch backfill changed the session or
/// gave up (`model/message/update_game_session.go`). The SDK calls the
/// game's `OnUpdateGameSession`.
///
/// ```
/// use gamelift_session::GameSession;
/// use gamelift_session::game_server::{UpdateGameSessionPush, UpdateReason};
///
/// let mut s = GameSession::default();
/// s.game_session_id = Some("gs-1".into());
/// let push = UpdateGameSessionPush::new(&s, UpdateReason::BackfillTimedOut, "t-1");
/// let json = serde_json::to_value(&push).unwrap();
/// assert_eq!(json["UpdateReason"], "BACKFILL_TIMED_OUT");
/// assert_eq!(json["BackfillTicketId"], "t-1");
/// assert_eq!(json["GameSession"]["GameProperties"], serde_json::json!({}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdateGameSessionPush {
    /// `UpdateGameSession`.
    pub action: &'static str,
    /// `""`.
    pub request_id: &'static str,
    /// 200.
    pub status_code: u16,
    /// The session as it is now.
    pub game_session: SdkGameSession,
    /// Why.
    pub update_reason: UpdateReason,
    /// The backfill ticket.
    pub backfill_ticket_id: String,
}

impl UpdateGameSessionPush {
    /// The push telling the process of `session` about `reason`, for the
    /// backfill ticket `ticket_id`.
    #[must_use]
    pub fn new(session: &GameSession, reason: UpdateReason, ticket_id: impl Into<String>) -> Self {
        UpdateGameSessionPush {
            action: "UpdateGameSession",
            request_id: "",
            status_code: STATUS_OK,
            game_session: SdkGameSession::from(session),
            update_reason: reason,
            backfill_ticket_id: ticket_id.into(),
        }
    }
}

/// The `TerminateProcess` push: the process is to shut down by
/// `TerminationTime`, epoch milliseconds (`model/message/terminate_process.go`).
///
/// ```
/// use gamelift_session::game_server::TerminateProcessPush;
/// use time::OffsetDateTime;
///
/// let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
/// assert_eq!(
///     serde_json::to_string(&TerminateProcessPush::new(at)).unwrap(),
///     r#"{"Action":"TerminateProcess","RequestId":"","StatusCode":200,"TerminationTime":1800000000000}"#
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct TerminateProcessPush {
    /// `TerminateProcess`.
    pub action: &'static str,
    /// `""`.
    pub request_id: &'static str,
    /// 200.
    pub status_code: u16,
    /// When the process will be stopped, epoch milliseconds.
    pub termination_time: i64,
}

impl TerminateProcessPush {
    /// The push asking the process to end by `termination_time`.
    #[must_use]
    pub fn new(termination_time: OffsetDateTime) -> Self {
        TerminateProcessPush {
            action: "TerminateProcess",
            request_id: "",
            status_code: STATUS_OK,
            termination_time: epoch_millis(Some(termination_time)),
        }
    }
}

/// The `RefreshConnection` push: the process is to connect again at
/// `RefreshConnectionEndpoint` with `AuthToken` (`model/message/refresh_connection.go`).
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RefreshConnectionPush {
    /// `RefreshConnection`.
    pub action: &'static str,
    /// `""`.
    pub request_id: &'static str,
    /// 200.
    pub status_code: u16,
    /// Where to connect.
    pub refresh_connection_endpoint: String,
    /// The token to connect with; secret.
    pub auth_token: String,
}

impl RefreshConnectionPush {
    /// The push sending the process to `endpoint` with `auth_token`.
    #[must_use]
    pub fn new(endpoint: impl Into<String>, auth_token: impl Into<String>) -> Self {
        RefreshConnectionPush {
            action: "RefreshConnection",
            request_id: "",
            status_code: STATUS_OK,
            refresh_connection_endpoint: endpoint.into(),
            auth_token: auth_token.into(),
        }
    }
}

impl fmt::Debug for RefreshConnectionPush {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshConnectionPush")
            .field(
                "refresh_connection_endpoint",
                &self.refresh_connection_endpoint,
            )
            .field("auth_token", &Redacted)
            .finish_non_exhaustive()
    }
}
