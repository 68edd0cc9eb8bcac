//! The one error type, carrying AWS's exception shape names.

use std::fmt;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::model::echo::Cut;
use crate::model::enums::GameSessionStatus;
use crate::model::validate::{MAX_MESSAGE_BYTES, ValidationErrors};

/// Every error an update can end in, each with its AWS exception shape.
///
/// [`code`](GameLiftError::code) answers the exact shape name a client
/// reads from `__type`, [`http_status`](GameLiftError::http_status) the
/// status to answer with, and [`body`](GameLiftError::body) the wire body.
/// The `Display` text is the `Message` member: it never contains a
/// sensitive value, every piece of a request it echoes is cut to
/// [`ECHO_LIMIT`](crate::model::ECHO_LIMIT) characters, and it is never longer
/// than [`MAX_MESSAGE_BYTES`].
///
/// The library raises the variants documented as raised by it; the
/// others exist so that an embedder (an emulator, a server) reports the
/// remaining exceptions of the operation through the same type, built with
/// [`not_found`](GameLiftError::not_found),
/// [`invalid_request`](GameLiftError::invalid_request) and their siblings.
/// Every variant is `#[non_exhaustive]`: read them with `..` patterns.
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
        "Game session {} would have {count} game properties after the update, \
         more than the limit of {limit}; game properties cannot be deleted",
        Cut(game_session_id)
    )]
    #[non_exhaustive]
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
    #[error("Game session {} not found", Cut(game_session_id))]
    #[non_exhaustive]
    GameSessionNotFound {
        /// The requested id.
        game_session_id: String,
    },

    /// `NotFoundException` for a resource other than a game session, such
    /// as an alias, raised by an embedder.
    #[error("{}", Capped(message))]
    #[non_exhaustive]
    NotFound {
        /// The message.
        message: String,
    },

    /// `NotFoundException`: the request was applied to a session whose id
    /// is not the requested one (or that has no id). Raised by the update,
    /// to guard embedders against applying a request to the wrong session.
    #[error(
        "Game session {} not found: the update was applied to {}",
        Cut(requested),
        .actual.as_deref().map_or_else(|| "a game session with no id".to_owned(), |id| format!("game session {}", Cut(id)))
    )]
    #[non_exhaustive]
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
    #[non_exhaustive]
    InvalidGameSessionStatus {
        /// The session's id.
        game_session_id: String,
        /// The session's status; `None` when the session has none.
        status: Option<GameSessionStatus>,
        /// What was refused.
        action: SessionAction,
    },

    /// `IdempotentParameterMismatchException`: a create's custom id
    /// (`IdempotencyToken`) already made a session in the fleet, with other
    /// parameters. Raised by
    /// [`replay_create_game_session`](crate::game_session::replay_create_game_session).
    #[error("A game session with this custom ID string already exists in this fleet")]
    #[non_exhaustive]
    IdempotentParameterMismatch {
        /// The token.
        idempotency_token: String,
    },

    /// `GameSessionFullException`: no player can join now. Raised by
    /// [`check_player_join`](crate::game_session::check_player_join).
    #[error(
        "Game session {} {}",
        Cut(game_session_id),
        if *accepting { format!("is full: {current} of {maximum} players, {requested} more requested") }
        else { "is not accepting new players (PlayerSessionCreationPolicy DENY_ALL)".to_owned() }
    )]
    #[non_exhaustive]
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
    #[error("{}", Capped(message))]
    #[non_exhaustive]
    InvalidRequest {
        /// The message.
        message: String,
    },

    /// `UnknownOperationException`: the protocol named an operation this
    /// service does not serve. Raised by an embedder's router.
    #[error("Unknown operation {}", Cut(operation))]
    #[non_exhaustive]
    UnknownOperation {
        /// The operation as the request named it.
        operation: String,
    },

    /// `SerializationException`: the body is not JSON, or a member has the
    /// wrong JSON type. Raised by the embedder's parser, through
    /// [`GameLiftError::serialization`].
    #[error("{}", Capped(message))]
    #[non_exhaustive]
    Serialization {
        /// What the parser said.
        message: String,
    },

    /// `ConflictException`, raised by an embedder.
    #[error("{}", Capped(message))]
    #[non_exhaustive]
    Conflict {
        /// The message.
        message: String,
    },

    /// `InternalServiceException` (HTTP 500), raised by an embedder.
    #[error("{}", Capped(message))]
    #[non_exhaustive]
    InternalService {
        /// The message.
        message: String,
    },

    /// `UnauthorizedException`, raised by an embedder.
    #[error("{}", Capped(message))]
    #[non_exhaustive]
    Unauthorized {
        /// The message.
        message: String,
    },

    /// `NotReadyException`, raised by an embedder.
    #[error("{}", Capped(message))]
    #[non_exhaustive]
    NotReady {
        /// The message.
        message: String,
    },

    /// `TerminalRoutingStrategyException`: the alias a request names has a
    /// `TERMINAL` routing strategy; the message is the strategy's own.
    #[error("{}", Capped(message))]
    #[non_exhaustive]
    TerminalRoutingStrategy {
        /// The routing strategy's message.
        message: String,
    },

    /// `FleetCapacityExceededException`: the fleet has no room for a new
    /// game session; raised by an embedder.
    #[error("{}", Capped(message))]
    #[non_exhaustive]
    FleetCapacityExceeded {
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
        let id = Cut(self.game_session_id);
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

/// A message given whole by an embedder, cut to [`MAX_MESSAGE_BYTES`].
struct Capped<'a>(&'a str);

impl fmt::Display for Capped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(cap(self.0))
    }
}

/// `text` cut to at most [`MAX_MESSAGE_BYTES`] bytes, on a character boundary.
fn cap(text: &str) -> &str {
    if text.len() <= MAX_MESSAGE_BYTES {
        return text;
    }
    let mut end = MAX_MESSAGE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Where [`ParserMessage`] is in a parser's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Scan {
    /// Copying.
    #[default]
    Text,
    /// After a marker, copying the kind of a value (`integer`, `string`)
    /// up to the value itself.
    Kind,
    /// Dropping a value quoted in backticks.
    Backticked,
    /// Dropping a value quoted as a Rust string literal.
    Quoted,
    /// Dropping the character after a backslash inside a quoted value.
    Escaped,
}

/// Serde's words before a value it quotes from the input.
const VALUE_MARKERS: [&str; 3] = ["invalid type: ", "invalid value: ", "unknown variant "];
/// The most characters kept from the start and from the end of a parser's message.
const PARSER_HEAD: usize = 384;
const PARSER_TAIL: usize = 96;

/// A parser's message as it streams in, with every value it quotes dropped
/// and only its start and its end (where `serde_json` says the position) kept.
#[derive(Debug, Default)]
struct ParserMessage {
    head: String,
    tail: std::collections::VecDeque<char>,
    chars: usize,
    scan: Scan,
    /// The last characters copied, to recognise a marker across writes.
    recent: String,
}

impl ParserMessage {
    fn emit(&mut self, c: char) {
        self.chars += 1;
        if self.chars <= PARSER_HEAD {
            self.head.push(c);
        } else {
            if self.tail.len() == PARSER_TAIL {
                self.tail.pop_front();
            }
            self.tail.push_back(c);
        }
        self.recent.push(c);
        if self.recent.len() > 32 {
            let cut = self.recent.len() - 16;
            let cut = (cut..self.recent.len())
                .find(|&i| self.recent.is_char_boundary(i))
                .unwrap_or(0);
            self.recent.drain(..cut);
        }
    }

    /// Drops the spaces just copied (before a dropped value).
    fn trim_space(&mut self) {
        while self.tail.back() == Some(&' ') {
            self.tail.pop_back();
            self.chars -= 1;
        }
        if self.tail.is_empty() {
            while self.head.ends_with(' ') {
                self.head.pop();
                self.chars -= 1;
            }
        }
    }

    fn finish(self) -> String {
        let mut message = self.head;
        if !self.tail.is_empty() {
            if self.chars > PARSER_HEAD + PARSER_TAIL {
                message.push_str("...");
            }
            message.extend(self.tail);
        }
        message
    }
}

impl fmt::Write for ParserMessage {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            self.scan = match (self.scan, c) {
                (Scan::Text, c) => {
                    self.emit(c);
                    if VALUE_MARKERS.iter().any(|m| self.recent.ends_with(m)) {
                        Scan::Kind
                    } else {
                        Scan::Text
                    }
                }
                (Scan::Kind, '`') => {
                    self.trim_space();
                    Scan::Backticked
                }
                (Scan::Kind, '"') => {
                    self.trim_space();
                    Scan::Quoted
                }
                (Scan::Kind, ',') => {
                    self.emit(c);
                    Scan::Text
                }
                (Scan::Kind, c) => {
                    self.emit(c);
                    Scan::Kind
                }
                (Scan::Backticked, '`') | (Scan::Quoted, '"') => {
                    self.recent.clear();
                    Scan::Text
                }
                (Scan::Quoted, '\\') => Scan::Escaped,
                (Scan::Escaped, _) => Scan::Quoted,
                (scan, _) => scan,
            };
        }
        Ok(())
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

    /// `NotFoundException` for a resource other than a game session (an
    /// alias, a fleet), with the embedder's message.
    #[must_use]
    pub fn not_found(message: impl Into<String>) -> Self {
        GameLiftError::NotFound {
            message: message.into(),
        }
    }

    /// `InvalidRequestException` for a rule that is not a member constraint.
    #[must_use]
    pub fn invalid_request(message: impl Into<String>) -> Self {
        GameLiftError::InvalidRequest {
            message: message.into(),
        }
    }

    /// `UnknownOperationException` for an operation the embedder does not serve.
    ///
    /// ```
    /// use gamelift_session::GameLiftError;
    ///
    /// let e = GameLiftError::unknown_operation("DeleteEverything");
    /// assert_eq!((e.code(), e.to_string().as_str()), ("UnknownOperationException", "Unknown operation DeleteEverything"));
    /// ```
    #[must_use]
    pub fn unknown_operation(operation: impl Into<String>) -> Self {
        GameLiftError::UnknownOperation {
            operation: operation.into(),
        }
    }

    /// `ConflictException`, with the embedder's message.
    #[must_use]
    pub fn conflict(message: impl Into<String>) -> Self {
        GameLiftError::Conflict {
            message: message.into(),
        }
    }

    /// `InternalServiceException` (HTTP 500), with the embedder's message.
    #[must_use]
    pub fn internal_service(message: impl Into<String>) -> Self {
        GameLiftError::InternalService {
            message: message.into(),
        }
    }

    /// `UnauthorizedException`, with the embedder's message.
    #[must_use]
    pub fn unauthorized(message: impl Into<String>) -> Self {
        GameLiftError::Unauthorized {
            message: message.into(),
        }
    }

    /// `NotReadyException`, with the embedder's message.
    #[must_use]
    pub fn not_ready(message: impl Into<String>) -> Self {
        GameLiftError::NotReady {
            message: message.into(),
        }
    }

    /// `NotFoundException` for an alias no alias has: `Alias X not found`,
    /// the id cut as every echoed id is.
    ///
    /// ```
    /// use gamelift_session::GameLiftError;
    ///
    /// assert_eq!(GameLiftError::alias_not_found("alias-1").to_string(), "Alias alias-1 not found");
    /// ```
    #[must_use]
    pub fn alias_not_found(alias_id: &str) -> Self {
        GameLiftError::not_found(format!("Alias {} not found", Cut(alias_id)))
    }

    /// `FleetCapacityExceededException`, with the embedder's message.
    ///
    /// ```
    /// use gamelift_session::GameLiftError;
    ///
    /// let e = GameLiftError::fleet_capacity_exceeded("No game server port is free");
    /// assert_eq!(e.code(), "FleetCapacityExceededException");
    /// assert_eq!(e.body().to_json(), r#"{"__type":"FleetCapacityExceededException","Message":"No game server port is free"}"#);
    /// ```
    #[must_use]
    pub fn fleet_capacity_exceeded(message: impl Into<String>) -> Self {
        GameLiftError::FleetCapacityExceeded {
            message: message.into(),
        }
    }

    /// The `SerializationException` for a body that could not be parsed.
    ///
    /// The parser's message keeps what it says of the position and of what
    /// was expected, but never a value it quotes from the body: a body's
    /// value may belong to a sensitive member (a property's `Value`,
    /// `GameSessionData`) or be megabytes long. The message is at most
    /// about 500 bytes, whatever the parser said.
    ///
    /// ```
    /// use gamelift_session::{GameLiftError, UpdateGameSessionInput};
    ///
    /// let body = r#"{"GameSessionId": "gs-1", "GameProperties": [{"Key": "k", "Value": 987654321}]}"#;
    /// let e = serde_json::from_str::<UpdateGameSessionInput>(body)
    ///     .map_err(GameLiftError::serialization)
    ///     .unwrap_err();
    /// assert_eq!(e.code(), "SerializationException");
    /// assert_eq!(e.http_status(), 400);
    /// assert_eq!(e.to_string(), "invalid type: integer, expected a string at line 1 column 76");
    /// ```
    #[must_use]
    pub fn serialization(cause: impl fmt::Display) -> Self {
        use fmt::Write;
        let mut message = ParserMessage::default();
        let _ = write!(message, "{cause}");
        GameLiftError::Serialization {
            message: message.finish(),
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
            GameLiftError::IdempotentParameterMismatch { .. } => {
                "IdempotentParameterMismatchException"
            }
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
            GameLiftError::FleetCapacityExceeded { .. } => "FleetCapacityExceededException",
            GameLiftError::TerminalRoutingStrategy { .. } => "TerminalRoutingStrategyException",
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

    /// The wire body of this error, to serialize as the response. Its
    /// message is at most [`MAX_MESSAGE_BYTES`] bytes.
    #[must_use]
    pub fn body(&self) -> ErrorBody {
        let mut message = self.to_string();
        message.truncate(cap(&message).len());
        ErrorBody {
            error_type: Cow::Borrowed(self.code()),
            message,
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
///
/// It also reads an error body from a client's side: `__type` as sent (a
/// bare name in AWS JSON 1.1, `com.amazonaws.gamelift#Name` in CBOR) and the
/// message from `Message` or `message`.
///
/// ```
/// use gamelift_session::model::ErrorBody;
///
/// let body: ErrorBody = serde_json::from_str(
///     r#"{"__type": "com.amazonaws.gamelift#NotFoundException", "message": "gone"}"#,
/// ).unwrap();
/// assert_eq!((body.code(), body.message.as_str()), ("NotFoundException", "gone"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The exception's shape name, as written on the wire.
    #[serde(rename = "__type")]
    pub error_type: Cow<'static, str>,
    /// The message.
    #[serde(rename = "Message", alias = "message", default)]
    pub message: String,
}

impl ErrorBody {
    /// The exception's shape name without a namespace: what follows the
    /// last `#` of `__type`, as clients read it.
    #[must_use]
    pub fn code(&self) -> &str {
        self.error_type
            .rsplit_once('#')
            .map_or(&*self.error_type, |(_, name)| name)
    }

    /// The body as JSON text, with no dependency on a JSON library.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.message.len() + self.error_type.len() + 32);
        out.push_str(r#"{"__type":"#);
        push_json_string(&mut out, &self.error_type);
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
