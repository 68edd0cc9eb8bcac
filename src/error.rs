//! The one error type, carrying AWS's exception shape names.

use std::fmt;

use serde::Serialize;

use crate::enums::GameSessionStatus;
use crate::validate::ValidationErrors;

/// Every error an update can end in, each with its AWS exception shape.
///
/// [`code`](GameLiftError::code) answers the exact shape name a client
/// reads from `__type`, [`http_status`](GameLiftError::http_status) the
/// status to answer with, and [`body`](GameLiftError::body) the wire body.
/// The `Display` text is the `Message` member: it never contains a
/// sensitive value.
///
/// The library raises the variants documented as raised by it; the
/// others exist so that an embedder (an emulator, a server) reports the
/// remaining exceptions of the operation through the same type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GameLiftError {
    /// `InvalidRequestException`: the request violates the model's
    /// constraints. Raised by validation, listing every violation.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),

    /// `InvalidRequestException`: merging the request's properties would
    /// leave the session with more properties than the limit allows.
    #[error(
        "Game session {game_session_id} would have {count} game properties after the update, \
         more than the limit of {limit}; game properties cannot be deleted"
    )]
    TooManyGameProperties {
        /// The session's id.
        game_session_id: String,
        /// How many properties the merge would leave.
        count: usize,
        /// The most a session may hold.
        limit: usize,
    },

    /// `NotFoundException`: no session has the requested id. Raised by the
    /// embedder's lookup, through [`GameLiftError::game_session_not_found`].
    #[error("Game session {game_session_id} not found")]
    GameSessionNotFound {
        /// The requested id.
        game_session_id: String,
    },

    /// `NotFoundException` for a resource other than a game session, such
    /// as an alias, raised by an embedder.
    #[error("{message}")]
    NotFound {
        /// The message.
        message: String,
    },

    /// `NotFoundException`: the request was applied to a session whose id
    /// is not the requested one (or that has no id). Raised by the update,
    /// to guard embedders against applying a request to the wrong session.
    #[error(
        "Game session {requested} not found: the update was applied to {}",
        .actual.as_deref().map_or_else(|| "a game session with no id".to_owned(), |id| format!("game session {id}"))
    )]
    GameSessionMismatch {
        /// The id the request names.
        requested: String,
        /// The id of the session it was applied to.
        actual: Option<String>,
    },

    /// `InvalidGameSessionStatusException`: the session's status does not
    /// allow the action. Raised by the update for every status but ACTIVE,
    /// and by the lifecycle functions for transitions the status forbids.
    #[error("{}", StatusMessage { game_session_id, status: *status, action: *action })]
    InvalidGameSessionStatus {
        /// The session's id.
        game_session_id: String,
        /// The session's status; `None` when the session has none.
        status: Option<GameSessionStatus>,
        /// What was refused.
        action: SessionAction,
    },

    /// `GameSessionFullException`: no player can join now. Raised by
    /// [`check_player_join`](crate::check_player_join).
    #[error(
        "Game session {game_session_id} {}",
        if *accepting { format!("is full: {current} of {maximum} players, {requested} more requested") }
        else { "is not accepting new players (PlayerSessionCreationPolicy DENY_ALL)".to_owned() }
    )]
    GameSessionFull {
        /// The session's id.
        game_session_id: String,
        /// Whether the session accepts new players at all.
        accepting: bool,
        /// Players connected.
        current: i32,
        /// The player limit.
        maximum: i32,
        /// Players asking to join.
        requested: usize,
    },

    /// `InvalidRequestException` for a rule that is not a member
    /// constraint, such as a request that names neither a fleet nor an alias.
    #[error("{message}")]
    InvalidRequest {
        /// The message.
        message: String,
    },

    /// `UnknownOperationException`: the protocol named an operation this
    /// service does not serve. Raised by an embedder's router.
    #[error("Unknown operation {operation}")]
    UnknownOperation {
        /// The operation as the request named it.
        operation: String,
    },

    /// `SerializationException`: the body is not JSON, or a member has the
    /// wrong JSON type. Raised by the embedder's parser, through
    /// [`GameLiftError::serialization`].
    #[error("{message}")]
    Serialization {
        /// What the parser said.
        message: String,
    },

    /// `ConflictException`, raised by an embedder.
    #[error("{message}")]
    Conflict {
        /// The message.
        message: String,
    },

    /// `InternalServiceException` (HTTP 500), raised by an embedder.
    #[error("{message}")]
    InternalService {
        /// The message.
        message: String,
    },

    /// `UnauthorizedException`, raised by an embedder.
    #[error("{message}")]
    Unauthorized {
        /// The message.
        message: String,
    },

    /// `NotReadyException`, raised by an embedder.
    #[error("{message}")]
    NotReady {
        /// The message.
        message: String,
    },
}

/// What a status refused, for [`GameLiftError::InvalidGameSessionStatus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionAction {
    /// `UpdateGameSession`: only ACTIVE sessions.
    Update,
    /// `TerminateGameSession`: not ERROR or TERMINATED sessions.
    Terminate,
    /// Creating a player session: only ACTIVE sessions.
    JoinPlayer,
    /// A status change driven by the game server.
    Transition {
        /// The status the session was to move to.
        to: GameSessionStatus,
    },
}

struct StatusMessage<'a> {
    game_session_id: &'a str,
    status: Option<GameSessionStatus>,
    action: SessionAction,
}

impl fmt::Display for StatusMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.game_session_id;
        let Some(status) = self.status else {
            return write!(f, "Game session {id} has no status; {}", Rule(self.action));
        };
        match (self.action, status) {
            (SessionAction::Update, GameSessionStatus::Terminated) => write!(
                f,
                "Game session {id} has ended (status TERMINATED) and can never be updated"
            ),
            (SessionAction::Terminate, GameSessionStatus::Terminated) => {
                write!(f, "Game session {id} has already ended (status TERMINATED)")
            }
            (SessionAction::Transition { to }, _) => write!(
                f,
                "Game session {id} cannot move from status {status} to {to}"
            ),
            (action, _) => write!(
                f,
                "Game session {id} is in status {status}; {}",
                Rule(action)
            ),
        }
    }
}

/// The rule a refused action broke, as the end of a message.
struct Rule(SessionAction);

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            SessionAction::Update => f.write_str("only ACTIVE game sessions can be updated"),
            SessionAction::Terminate => {
                f.write_str("game sessions in status ERROR or TERMINATED cannot be terminated")
            }
            SessionAction::JoinPlayer => f.write_str("players can join only ACTIVE game sessions"),
            SessionAction::Transition { to } => write!(f, "it cannot move to {to}"),
        }
    }
}

impl GameLiftError {
    /// The `NotFoundException` for a lookup that found no session.
    ///
    /// ```
    /// use gamelift_session::GameLiftError;
    ///
    /// let e = GameLiftError::game_session_not_found("arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-9");
    /// assert_eq!(e.code(), "NotFoundException");
    /// assert_eq!(e.to_string(), "Game session arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-9 not found");
    /// ```
    #[must_use]
    pub fn game_session_not_found(game_session_id: impl Into<String>) -> Self {
        GameLiftError::GameSessionNotFound {
            game_session_id: game_session_id.into(),
        }
    }

    /// The `SerializationException` for a body that could not be parsed.
    ///
    /// ```
    /// use gamelift_session::{GameLiftError, UpdateGameSessionInput};
    ///
    /// let e = serde_json::from_str::<UpdateGameSessionInput>(r#"{"MaximumPlayerSessionCount": "ten"}"#)
    ///     .map_err(GameLiftError::serialization)
    ///     .unwrap_err();
    /// assert_eq!(e.code(), "SerializationException");
    /// assert_eq!(e.http_status(), 400);
    /// ```
    #[must_use]
    pub fn serialization(cause: impl fmt::Display) -> Self {
        GameLiftError::Serialization {
            message: cause.to_string(),
        }
    }

    /// The exact AWS shape name of this error, e.g. `"InvalidRequestException"`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            GameLiftError::Validation(_)
            | GameLiftError::TooManyGameProperties { .. }
            | GameLiftError::InvalidRequest { .. } => "InvalidRequestException",
            GameLiftError::GameSessionFull { .. } => "GameSessionFullException",
            GameLiftError::UnknownOperation { .. } => "UnknownOperationException",
            GameLiftError::GameSessionNotFound { .. }
            | GameLiftError::GameSessionMismatch { .. }
            | GameLiftError::NotFound { .. } => "NotFoundException",
            GameLiftError::InvalidGameSessionStatus { .. } => "InvalidGameSessionStatusException",
            GameLiftError::Serialization { .. } => "SerializationException",
            GameLiftError::Conflict { .. } => "ConflictException",
            GameLiftError::InternalService { .. } => "InternalServiceException",
            GameLiftError::Unauthorized { .. } => "UnauthorizedException",
            GameLiftError::NotReady { .. } => "NotReadyException",
        }
    }

    /// The HTTP status to answer with: 500 for `InternalServiceException`,
    /// 400 for every client error.
    #[must_use]
    pub fn http_status(&self) -> u16 {
        match self {
            GameLiftError::InternalService { .. } => 500,
            _ => 400,
        }
    }

    /// The wire body of this error, to serialize as the response.
    #[must_use]
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error_type: self.code(),
            message: self.to_string(),
        }
    }
}

/// The wire body of an error: `{"__type": "<ShapeName>", "Message": "<text>"}`.
///
/// ```
/// use gamelift_session::GameLiftError;
///
/// let body = GameLiftError::game_session_not_found("gs-1").body();
/// assert_eq!(body.to_json(), r#"{"__type":"NotFoundException","Message":"Game session gs-1 not found"}"#);
/// assert_eq!(serde_json::to_string(&body).unwrap(), body.to_json());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// The exception's shape name.
    #[serde(rename = "__type")]
    pub error_type: &'static str,
    /// The message.
    #[serde(rename = "Message")]
    pub message: String,
}

impl ErrorBody {
    /// The body as JSON text, with no dependency on a JSON library.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.message.len() + self.error_type.len() + 32);
        out.push_str(r#"{"__type":"#);
        push_json_string(&mut out, self.error_type);
        out.push_str(r#","Message":"#);
        push_json_string(&mut out, &self.message);
        out.push('}');
        out
    }
}

/// Appends `s` as a JSON string literal (RFC 8259 escaping).
fn push_json_string(out: &mut String, s: &str) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
