//! What the emulator answers instead of an operation's output.

use axum::http::StatusCode;
use gamelift_session::GameLiftError;

/// An error answer: a status, an AWS-style error code and a message.
///
/// Most come from the crate ([`GameLiftError`]); the rest are the HTTP
/// layer's own (a body too large or too slow, a media type the protocol
/// does not speak), which are no GameLift rule and so not the crate's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The HTTP status.
    pub status: StatusCode,
    /// The error shape's name, e.g. `InvalidRequestException`.
    pub code: &'static str,
    /// The message; never holds a sensitive value.
    pub message: String,
}

impl Failure {
    /// A failure with this status, code and message.
    #[must_use]
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            status,
            code,
            message: message.into(),
        }
    }

    /// A request that names no operation this endpoint can route.
    #[must_use]
    pub fn unroutable(message: impl Into<String>) -> Self {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "UnknownOperationException",
            message,
        )
    }

    /// A request body in a media type the protocol does not speak.
    #[must_use]
    pub fn unsupported_media_type(expected: &str) -> Self {
        Failure::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaTypeException",
            format!("The request's Content-Type is not {expected}"),
        )
    }
}

impl From<GameLiftError> for Failure {
    fn from(error: GameLiftError) -> Self {
        Failure {
            status: StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
            code: error.code(),
            message: error.to_string(),
        }
    }
}
