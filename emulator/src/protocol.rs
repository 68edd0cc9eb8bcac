//! The two wire protocols of the GameLift model, on one port.
//!
//! - AWS JSON 1.1: `POST /` with `X-Amz-Target: GameLift.<Operation>` (boto3,
//!   the AWS CLI, the AWS SDK for JavaScript v3).
//! - Smithy RPC v2 CBOR: `POST /service/GameLift/operation/<Operation>` with
//!   `smithy-protocol: rpc-v2-cbor` (the AWS SDKs for Rust, Go v2, Java 2.x, ...).
//!
//! Both read and write the crate's serde shapes; only the encoding differs.
//! What each protocol requires of a request's headers is checked here, with
//! the choices written down in [`check_headers`].

use axum::http::{HeaderMap, StatusCode, header};
use gamelift_session::GameLiftError;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::failure::Failure;

/// The namespace of GameLift's shapes, for CBOR error shape ids.
const NAMESPACE: &str = "com.amazonaws.gamelift";

/// The content types an AWS JSON 1.1 request may declare. AWS's JSON
/// services also take 1.0 and plain JSON; anything else is refused.
const JSON_TYPES: [&str; 3] = [
    "application/x-amz-json-1.1",
    "application/x-amz-json-1.0",
    "application/json",
];
const CBOR_TYPE: &str = "application/cbor";

/// An operation's answer: the encoded output, or the error to report.
pub(crate) type Answer = Result<Vec<u8>, GameLiftError>;

/// The wire protocol of one request, and so of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// AWS JSON 1.1.
    Json,
    /// Smithy RPC v2 CBOR.
    Cbor,
}

impl Protocol {
    /// The protocol's name in log lines.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Json => "json",
            Protocol::Cbor => "cbor",
        }
    }

    /// Parses a request body into an operation's input shape.
    ///
    /// # Errors
    ///
    /// `SerializationException` for a body that is not the protocol's
    /// encoding of an object, or has a member of the wrong type.
    pub fn parse<T: DeserializeOwned>(self, body: &[u8]) -> Result<T, GameLiftError> {
        match self {
            Protocol::Json => serde_json::from_slice(body).map_err(GameLiftError::serialization),
            // An operation's input may come as an empty body: an empty map.
            Protocol::Cbor if body.is_empty() => {
                ciborium::from_reader(&[0xa0_u8][..]).map_err(cbor_error)
            }
            Protocol::Cbor => ciborium::from_reader(body).map_err(cbor_error),
        }
    }

    /// Encodes an operation's output.
    ///
    /// # Errors
    ///
    /// `InternalServiceException` if the encoder fails, which writing a
    /// shape to memory does not.
    pub fn write<T: Serialize>(self, value: &T) -> Result<Vec<u8>, GameLiftError> {
        let internal = |e: &dyn std::fmt::Display| GameLiftError::internal_service(e.to_string());
        // One allocation for a typical answer (a game session is about
        // 700 bytes), instead of a buffer doubling from 128.
        let mut out = Vec::with_capacity(1024);
        match self {
            Protocol::Json => serde_json::to_writer(&mut out, value).map_err(|e| internal(&e))?,
            Protocol::Cbor => ciborium::into_writer(value, &mut out).map_err(|e| internal(&e))?,
        }
        Ok(out)
    }

    /// The body of an error: `{"__type": ..., "Message": ...}`, the type a
    /// bare shape name in JSON and a namespaced shape id in CBOR.
    #[must_use]
    pub fn error_body(self, code: &str, message: &str) -> Vec<u8> {
        #[derive(Serialize)]
        struct ErrorBody<'a> {
            #[serde(rename = "__type")]
            error_type: &'a str,
            #[serde(rename = "Message")]
            message: &'a str,
        }
        match self {
            Protocol::Json => {
                let body = ErrorBody {
                    error_type: code,
                    message,
                };
                // Writing two strings to a Vec cannot fail.
                serde_json::to_vec(&body).unwrap_or_default()
            }
            Protocol::Cbor => {
                let error_type = format!("{NAMESPACE}#{code}");
                let body = ErrorBody {
                    error_type: &error_type,
                    message,
                };
                let mut out = Vec::new();
                let _ = ciborium::into_writer(&body, &mut out);
                out
            }
        }
    }

    /// The `Content-Type` of the protocol's answers.
    #[must_use]
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::Json => JSON_TYPES[0],
            Protocol::Cbor => CBOR_TYPE,
        }
    }
}

/// The `SerializationException` for a CBOR body, in words: ciborium's
/// errors display as their `Debug` form.
fn cbor_error(error: ciborium::de::Error<std::io::Error>) -> GameLiftError {
    use ciborium::de::Error;
    match error {
        Error::Io(_) => GameLiftError::serialization("the CBOR body ended early"),
        Error::Syntax(offset) => {
            GameLiftError::serialization(format_args!("invalid CBOR at byte {offset}"))
        }
        Error::Semantic(Some(offset), message) => {
            GameLiftError::serialization(format_args!("{message} at byte {offset}"))
        }
        Error::Semantic(None, message) => GameLiftError::serialization(message),
        Error::RecursionLimitExceeded => {
            GameLiftError::serialization("the CBOR body is nested too deeply")
        }
    }
}

/// The media type of a `Content-Type` or `Accept` value, without parameters
/// (`application/json; charset=utf-8` is `application/json`).
fn media_type(value: &str) -> &str {
    value.split(';').next().unwrap_or_default().trim()
}

/// Checks what a protocol requires of a request's headers.
///
/// Smithy RPC v2 CBOR (the specification's "Requests" section): a request
/// MUST carry `smithy-protocol: rpc-v2-cbor`, MUST NOT carry `X-Amz-Target`
/// or `X-Amzn-Target` ("Server-side implementations MUST reject such
/// requests"), and a request with a body has `Content-Type:
/// application/cbor`; its `Accept` is `application/cbor`. A request that
/// breaks the first two rules is not an RPC v2 CBOR request, so no operation
/// is routed: `UnknownOperationException`. A wrong `Content-Type` is 415
/// `UnsupportedMediaTypeException` and a wrong `Accept` 406
/// `NotAcceptableException`, as Smithy's server frameworks answer.
///
/// AWS JSON 1.1: a declared `Content-Type` must be a JSON type (415
/// otherwise); a request with none is read as JSON, as AWS's JSON services do.
///
/// # Errors
///
/// The [`Failure`] to answer instead of running the operation.
pub fn check_headers(
    protocol: Protocol,
    headers: &HeaderMap,
    has_body: bool,
) -> Result<(), Failure> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().map(media_type));
    match protocol {
        Protocol::Json => match content_type {
            None => Ok(()),
            Some(Ok(t)) if JSON_TYPES.iter().any(|j| t.eq_ignore_ascii_case(j)) => Ok(()),
            Some(_) => Err(Failure::unsupported_media_type(
                "application/x-amz-json-1.1",
            )),
        },
        Protocol::Cbor => {
            if text("smithy-protocol") != Some("rpc-v2-cbor") {
                return Err(Failure::unroutable(
                    "A Smithy RPC v2 CBOR request needs the header smithy-protocol: rpc-v2-cbor",
                ));
            }
            if headers.contains_key("x-amz-target") || headers.contains_key("x-amzn-target") {
                return Err(Failure::unroutable(
                    "A Smithy RPC v2 CBOR request must not carry X-Amz-Target or X-Amzn-Target",
                ));
            }
            match content_type {
                None if !has_body => {}
                Some(Ok(t)) if t.eq_ignore_ascii_case(CBOR_TYPE) => {}
                _ => return Err(Failure::unsupported_media_type(CBOR_TYPE)),
            }
            let accepted = headers.get_all(header::ACCEPT).iter().all(|v| {
                v.to_str().is_ok_and(|v| {
                    v.split(',').map(media_type).any(|t| {
                        t.eq_ignore_ascii_case(CBOR_TYPE) || t == "*/*" || t == "application/*"
                    })
                })
            });
            if accepted {
                Ok(())
            } else {
                Err(Failure::new(
                    StatusCode::NOT_ACCEPTABLE,
                    "NotAcceptableException",
                    "Smithy RPC v2 CBOR answers application/cbor, which the Accept header does not allow",
                ))
            }
        }
    }
}

/// An answer of one member, `{"<name>": value}`, serialized straight from
/// `value`: its timestamps stay CBOR's tag 1 (a `serde_json::Value` in
/// between would turn them into plain numbers).
pub(crate) struct Member<'a, T: ?Sized>(pub(crate) &'static str, pub(crate) &'a T);

impl<T: serde::Serialize + ?Sized> serde::Serialize for Member<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}
