//! The handshake: the query string a game server dials with, and what it
//! must carry before the embedder checks the fleet, the compute and the
//! token.
//!
//! Read in the Go SDK 5.6.0 (`server/internal/websocket_client.go`,
//! `server/server_state.go`, `server/validation.go`): the SDK dials
//! `<WebSocketURL>?Authorization=<token>&ComputeId=<host id>&FleetId=<fleet id>&IdempotencyToken=<uuid>&pID=<process id>&sdkLanguage=<lang>&sdkVersion=<v>`,
//! the parameters sorted by key (read here by name, in any order). The
//! token is a query parameter, not a header. A refused handshake is HTTP
//! 403; the SDK tries again, backing off to 32 s.
//!
//! The rules (**decisions** where the SDK checks nothing):
//!
//! - `FleetId` is 1 to 128 characters of `^[a-zA-Z0-9.-]+$` (the SDK's
//!   own check); `ComputeId` a compute name (1 to 128 characters of
//!   [`COMPUTE_NAME_PATTERN`]); `pID` 1 to 1024 characters with no control
//!   character; `Authorization` a token as `GetComputeAuthToken` makes
//!   them (1 to 64 characters of `^[a-zA-Z0-9\-]+`).
//! - `IdempotencyToken`, `sdkVersion` and `sdkLanguage` may be absent; each
//!   is at most 128 characters.
//! - A handshake signed with `SigV4` instead of a token (containers) is
//!   refused: the emulator issues tokens.
//! - **Decision**: a compute holds at most [`MAX_PROCESSES_PER_COMPUTE`]
//!   (50) server processes, a managed instance's quota ("an instance is
//!   limited to 50 processes running concurrently", `RuntimeConfiguration`),
//!   held on Anywhere computes too, for which GameLift states no figure:
//!   the handshake of a 51st new process is refused
//!   ([`check_room_on_compute`]); one that resumes a live process is not.
//! - No message echoes the token.

use serde::Deserialize;

use crate::fleet::{COMPUTE_NAME_PATTERN, MAX_CONCURRENT_PROCESSES, is_compute_name};
use crate::model::echo::Cut;

/// The most server processes one compute holds at once: a managed
/// instance's quota ([`MAX_CONCURRENT_PROCESSES`]), on every compute.
pub const MAX_PROCESSES_PER_COMPUTE: usize = 50;

// The two figures are one quota.
#[allow(clippy::cast_possible_wrap)]
const _: () = assert!(MAX_PROCESSES_PER_COMPUTE as i64 == MAX_CONCURRENT_PROCESSES);

/// Whether a compute holding `held` server processes takes a new one.
///
/// ```
/// use gamelift_session::game_server::{MAX_PROCESSES_PER_COMPUTE, check_room_on_compute};
///
/// assert!(check_room_on_compute("my-pc", MAX_PROCESSES_PER_COMPUTE - 1).is_ok());
/// let full = check_room_on_compute("my-pc", MAX_PROCESSES_PER_COMPUTE).unwrap_err();
/// assert_eq!(
///     full.to_string(),
///     "Compute my-pc already holds 50 server processes, the most one compute runs at once: \
///      end one (ProcessEnding) or register another compute"
/// );
/// ```
///
/// # Errors
///
/// [`HandshakeError`] when the compute is full. `compute_name` is one
/// [`Handshake::check`] accepted (at most 128 characters).
pub fn check_room_on_compute(compute_name: &str, held: usize) -> Result<(), HandshakeError> {
    if held < MAX_PROCESSES_PER_COMPUTE {
        return Ok(());
    }
    Err(HandshakeError::new(format!(
        "Compute {compute_name} already holds {MAX_PROCESSES_PER_COMPUTE} server processes, \
         the most one compute runs at once: end one (ProcessEnding) or register another compute"
    )))
}

/// Who a server process is: its fleet, its compute (the SDK's host id) and
/// its process id. A handshake naming a live process resumes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub struct ProcessKey {
    /// The fleet's id.
    pub fleet_id: String,
    /// The compute's name.
    pub compute_name: String,
    /// The process id the game server gave (`pID`).
    pub process_id: String,
}

impl ProcessKey {
    /// The process `process_id` on `compute_name` of `fleet_id`.
    #[must_use]
    pub fn new(
        fleet_id: impl Into<String>,
        compute_name: impl Into<String>,
        process_id: impl Into<String>,
    ) -> Self {
        ProcessKey {
            fleet_id: fleet_id.into(),
            compute_name: compute_name.into(),
            process_id: process_id.into(),
        }
    }
}

/// The handshake's query parameters, by the names the SDK gives them.
///
/// ```
/// use gamelift_session::game_server::Handshake;
///
/// let mut h = Handshake::default();
/// h.fleet_id = Some("fleet-1".into());
/// h.compute_id = Some("my-pc".into());
/// h.process_id = Some("7f9b".into());
/// h.authorization = Some("6d1f-22ab".into());
/// let key = h.check()?;
/// assert_eq!(key.compute_name, "my-pc");
///
/// h.authorization = None;
/// assert_eq!(h.check().unwrap_err().to_string(), "The handshake has no Authorization token");
/// # Ok::<(), gamelift_session::game_server::HandshakeError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct Handshake {
    /// `pID`: the process id.
    #[serde(rename = "pID", default)]
    pub process_id: Option<String>,
    /// `ComputeId`: the compute's name (the SDK's host id).
    #[serde(rename = "ComputeId", default)]
    pub compute_id: Option<String>,
    /// `FleetId`.
    #[serde(rename = "FleetId", default)]
    pub fleet_id: Option<String>,
    /// `Authorization`: the compute's auth token; secret.
    #[serde(rename = "Authorization", default)]
    pub authorization: Option<String>,
    /// `IdempotencyToken`: the same on every reconnect of one connection.
    #[serde(rename = "IdempotencyToken", default)]
    pub idempotency_token: Option<String>,
    /// `sdkVersion`.
    #[serde(rename = "sdkVersion", default)]
    pub sdk_version: Option<String>,
    /// `sdkLanguage`.
    #[serde(rename = "sdkLanguage", default)]
    pub sdk_language: Option<String>,
}

impl std::fmt::Debug for Handshake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handshake")
            .field("process_id", &self.process_id)
            .field("compute_id", &self.compute_id)
            .field("fleet_id", &self.fleet_id)
            .field(
                "authorization",
                &crate::model::shapes::redact(self.authorization.as_ref()),
            )
            .field("idempotency_token", &self.idempotency_token)
            .field("sdk_version", &self.sdk_version)
            .field("sdk_language", &self.sdk_language)
            .finish()
    }
}

/// Why a handshake is refused (HTTP 403).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct HandshakeError {
    /// What is wrong, without the token.
    pub message: String,
}

impl HandshakeError {
    /// A refusal saying `message`.
    #[must_use]
    pub fn new(message: impl Into<String>) -> Self {
        HandshakeError {
            message: message.into(),
        }
    }
}

fn is_fleet_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Handshake {
    /// Checks the parameters' forms; answers the process they name. The
    /// embedder then checks that the fleet and the compute exist and that
    /// the token is one of the compute's, unexpired.
    ///
    /// # Errors
    ///
    /// [`HandshakeError`] naming the first parameter missing or malformed.
    pub fn check(&self) -> Result<ProcessKey, HandshakeError> {
        fn required<'v>(value: Option<&'v String>, name: &str) -> Result<&'v str, HandshakeError> {
            value
                .map(String::as_str)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| HandshakeError::new(format!("The handshake has no {name}")))
        }
        let fleet = required(self.fleet_id.as_ref(), "FleetId")?;
        if !is_fleet_id(fleet) {
            return Err(HandshakeError::new(format!(
                "FleetId {} is not 1 to 128 characters of ^[a-zA-Z0-9.-]+$",
                Cut(fleet)
            )));
        }
        let compute = required(self.compute_id.as_ref(), "ComputeId")?;
        if compute.chars().count() > 128 || !is_compute_name(compute) {
            return Err(HandshakeError::new(format!(
                "ComputeId {} is not 1 to 128 characters of {COMPUTE_NAME_PATTERN}",
                Cut(compute)
            )));
        }
        let process = required(self.process_id.as_ref(), "pID")?;
        if process.chars().count() > 1024 || process.chars().any(char::is_control) {
            return Err(HandshakeError::new(
                "pID is not 1 to 1024 characters without control characters",
            ));
        }
        let token = required(self.authorization.as_ref(), "Authorization token")?;
        if !is_token(token) {
            return Err(HandshakeError::new(
                "The Authorization token is not one GetComputeAuthToken issued",
            ));
        }
        for (value, name) in [
            (&self.idempotency_token, "IdempotencyToken"),
            (&self.sdk_version, "sdkVersion"),
            (&self.sdk_language, "sdkLanguage"),
        ] {
            if value.as_deref().is_some_and(|v| v.chars().count() > 128) {
                return Err(HandshakeError::new(format!(
                    "{name} is longer than 128 characters"
                )));
            }
        }
        Ok(ProcessKey::new(fleet, compute, process))
    }
}
