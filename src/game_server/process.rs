//! A server process's life, as the service sees it, and which process gets
//! a new game session.
//!
//! ```text
//!  handshake           ActivateServerProcess        (a session pushed)
//! ───────────> CONNECTED ─────────────────> READY ─────────────────────> HOSTING
//!                  │                          ^  <── its session ended ──┘  │
//!                  │                          └── ActivateServerProcess ────┤ (a restarted game:
//!                  │                                                        │  the session INTERRUPTED)
//!                  └──────────── TerminateServerProcess (any state) ───> ENDING ──> gone
//! lost (no reconnect within the grace period, heartbeats stopped, exited) ──────────> gone
//! ```
//!
//! The rules (SPEC §10; **decisions** marked):
//!
//! - A process is known by its fleet, compute and `pID`
//!   ([`ProcessKey`]) from its first handshake. A handshake for a live
//!   process resumes it as it was (a reconnect, or a new connection after
//!   `RefreshConnection`): the SDK sends no second `ActivateServerProcess`.
//! - It can take a game session once it has sent `ActivateServerProcess`,
//!   is connected, and holds none: one game session per process. Its game
//!   port is the `Port` it declared (1 to 60000, the model's `PortNumber`).
//! - Every request but `ActivateServerProcess` and `TerminateServerProcess`
//!   needs a ready process (`The process has not called ProcessReady`); a
//!   request naming a game session needs that session to be the one the
//!   process holds: nothing a process says reaches another's session.
//! - **Decision**: an `ActivateServerProcess` from a process that holds a
//!   session is a restarted game reusing its id: that session ends
//!   (INTERRUPTED, [`ServerProcess::activate`] answers it) and the process
//!   is ready anew.
//! - **Decision**: a process whose session ended some other way than its
//!   own `ProcessEnding` (a time-out, `TerminateGameSession`) is ready again.
//! - While disconnected (inside the grace period) a process still holds
//!   its session and is not chosen for a new one.
//! - A new session goes to an available process in the requested location
//!   (any location without one): **decision**, the one ready longest.
//! - Heartbeats: **decision**, a process is lost after
//!   [`HEARTBEAT_TIMEOUT`] without one, counted in real time (a game
//!   server heartbeats in real time, whatever an emulator's clock says).

use std::time::Duration;

use time::OffsetDateTime;

use super::frames::{ActivateServerProcess, FrameError};
use super::handshake::ProcessKey;
use crate::game_session::MAX_PORT;
use crate::model::echo::Cut;

/// The SDK's heartbeat interval (`HEALTHCHECK_INTERVAL`, 60 s, ± 10 s of jitter).
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(60);

/// How long a ready process may go without a heartbeat before it is lost:
/// three intervals (**decision**).
pub const HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(180);

/// How long a disconnected process keeps its place before it is lost
/// (**decision**: 30 s on the embedder's clock).
pub const RECONNECT_GRACE: time::Duration = time::Duration::seconds(30);

/// How long a process has to exit after `ProcessEnding` (docs: 30 s).
pub const ENDING_GRACE: time::Duration = time::Duration::seconds(30);

/// The most `LogPaths` a process may declare (**decision**).
pub const MAX_LOG_PATHS: usize = 32;

/// The longest `LogPaths` entry, and the longest SDK name or version kept
/// (**decision**).
pub const MAX_DECLARED_TEXT: usize = 1024;

/// Where a server process is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum ProcessStatus {
    /// Connected; it has not sent `ActivateServerProcess` yet.
    #[serde(rename = "CONNECTED")]
    Connected,
    /// Ready for a game session.
    #[serde(rename = "READY")]
    Ready,
    /// Holding a game session.
    #[serde(rename = "HOSTING")]
    Hosting,
    /// It sent `TerminateServerProcess`; it is to exit.
    #[serde(rename = "ENDING")]
    Ending,
}

impl ProcessStatus {
    /// Its name: `CONNECTED`, `READY`, `HOSTING` or `ENDING`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ProcessStatus::Connected => "CONNECTED",
            ProcessStatus::Ready => "READY",
            ProcessStatus::Hosting => "HOSTING",
            ProcessStatus::Ending => "ENDING",
        }
    }
}

/// A server process.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerProcess {
    /// Who it is.
    pub key: ProcessKey,
    /// Where it is in its life.
    pub status: ProcessStatus,
    /// The port it declared.
    pub port: Option<u16>,
    /// The log files it declared.
    pub log_paths: Vec<String>,
    /// Its SDK's version, from the handshake or `ActivateServerProcess`.
    pub sdk_version: Option<String>,
    /// Its SDK's language.
    pub sdk_language: Option<String>,
    /// The engine plugin running it, if any.
    pub sdk_tool_name: Option<String>,
    /// The game session it holds.
    pub game_session_id: Option<String>,
    /// The `IdempotencyToken` of the connection that serves it.
    pub idempotency_token: Option<String>,
    /// When it first connected.
    pub connected_at: OffsetDateTime,
    /// When it became ready (last).
    pub ready_at: Option<OffsetDateTime>,
    /// Since when it has had no connection: `None` while one serves it.
    pub disconnected_at: Option<OffsetDateTime>,
    /// When it sent `TerminateServerProcess`.
    pub ending_at: Option<OffsetDateTime>,
    /// What its last heartbeat said.
    pub healthy: Option<bool>,
    /// Whether it has been asked to end (`TerminateProcess` pushed).
    pub termination_requested: bool,
}

fn kept(text: Option<&String>) -> Option<String> {
    text.filter(|t| !t.is_empty())
        .map(|t| t.chars().take(MAX_DECLARED_TEXT).collect())
}

/// The 400 for a request before `ActivateServerProcess`.
fn not_ready() -> FrameError {
    FrameError::bad_request("The process has not called ProcessReady")
}

impl ServerProcess {
    /// A process that has just connected (handshake accepted).
    #[must_use]
    pub fn connect(
        key: ProcessKey,
        idempotency_token: Option<String>,
        now: OffsetDateTime,
    ) -> Self {
        ServerProcess {
            key,
            status: ProcessStatus::Connected,
            port: None,
            log_paths: Vec::new(),
            sdk_version: None,
            sdk_language: None,
            sdk_tool_name: None,
            game_session_id: None,
            idempotency_token,
            connected_at: now,
            ready_at: None,
            disconnected_at: None,
            ending_at: None,
            healthy: None,
            termination_requested: false,
        }
    }

    /// A new connection serves it (a reconnect, or after `RefreshConnection`).
    pub fn resume(&mut self, idempotency_token: Option<String>) {
        self.idempotency_token = idempotency_token;
        self.disconnected_at = None;
    }

    /// The connection serving it closed at `now`.
    pub fn disconnect(&mut self, now: OffsetDateTime) {
        if self.disconnected_at.is_none() {
            self.disconnected_at = Some(now);
        }
    }

    /// Whether a connection serves it.
    #[must_use]
    pub fn is_connected(&self) -> bool {
        self.disconnected_at.is_none()
    }

    /// Whether it can take a new game session now.
    #[must_use]
    pub fn is_available(&self) -> bool {
        self.status == ProcessStatus::Ready
            && self.is_connected()
            && self.game_session_id.is_none()
            && !self.termination_requested
    }

    /// Whether it counts as an active server process (ready or hosting,
    /// connected or inside its grace period).
    #[must_use]
    pub fn is_active(&self) -> bool {
        matches!(self.status, ProcessStatus::Ready | ProcessStatus::Hosting)
    }

    /// `ActivateServerProcess` (`ProcessReady`): the process is ready, on
    /// the port it declares. Answers the session it held, which ends
    /// (a restarted game reusing the id).
    ///
    /// # Errors
    ///
    /// 400 after `ProcessEnding`, for a port outside 1 to 60000, or for too
    /// many or too long `LogPaths`; the process is then unchanged.
    ///
    /// ```
    /// use gamelift_session::game_server::{ActivateServerProcess, ProcessKey, ProcessStatus, ServerProcess};
    /// use time::OffsetDateTime;
    ///
    /// let now = OffsetDateTime::UNIX_EPOCH;
    /// let mut p = ServerProcess::connect(ProcessKey::new("fleet-1", "pc", "p-1"), None, now);
    /// let mut ready = ActivateServerProcess::default();
    /// ready.port = Some(7777);
    /// assert_eq!(p.activate(&ready, now)?, None);
    /// assert_eq!(p.status, ProcessStatus::Ready);
    /// assert_eq!(p.port, Some(7777));
    ///
    /// ready.port = Some(70000);
    /// assert_eq!(p.activate(&ready, now).unwrap_err().message, "Port must be from 1 to 60000");
    /// # Ok::<(), gamelift_session::game_server::FrameError>(())
    /// ```
    pub fn activate(
        &mut self,
        request: &ActivateServerProcess,
        now: OffsetDateTime,
    ) -> Result<Option<String>, FrameError> {
        if self.status == ProcessStatus::Ending {
            return Err(FrameError::bad_request(
                "The process has called ProcessEnding and cannot become ready again",
            ));
        }
        let port = request
            .port
            .and_then(|p| u16::try_from(p).ok())
            .filter(|p| (1..=MAX_PORT).contains(p))
            .ok_or_else(|| FrameError::bad_request(format!("Port must be from 1 to {MAX_PORT}")))?;
        let paths = request.log_paths.as_deref().unwrap_or_default();
        if paths.len() > MAX_LOG_PATHS {
            return Err(FrameError::bad_request(format!(
                "LogPaths names {} files; at most {MAX_LOG_PATHS} are allowed",
                paths.len()
            )));
        }
        if paths
            .iter()
            .any(|p| p.is_empty() || p.chars().count() > MAX_DECLARED_TEXT)
        {
            return Err(FrameError::bad_request(format!(
                "Every LogPaths entry must be 1 to {MAX_DECLARED_TEXT} characters"
            )));
        }
        self.port = Some(port);
        self.log_paths.clone_from(&paths.to_vec());
        if let Some(v) = kept(request.sdk_version.as_ref()) {
            self.sdk_version = Some(v);
        }
        if let Some(l) = kept(request.sdk_language.as_ref()) {
            self.sdk_language = Some(l);
        }
        self.sdk_tool_name = kept(request.sdk_tool_name.as_ref());
        self.status = ProcessStatus::Ready;
        self.ready_at = Some(now);
        Ok(self.game_session_id.take())
    }

    /// `HeartbeatServerProcess`.
    ///
    /// # Errors
    ///
    /// 400 before `ActivateServerProcess`.
    pub fn heartbeat(&mut self, health_status: Option<bool>) -> Result<(), FrameError> {
        if self.status == ProcessStatus::Connected {
            return Err(not_ready());
        }
        self.healthy = Some(health_status.unwrap_or(false));
        Ok(())
    }

    /// Whether the process has sent `ActivateServerProcess` and not ended.
    ///
    /// # Errors
    ///
    /// 400 before `ActivateServerProcess` or after `ProcessEnding`.
    pub fn check_ready(&self) -> Result<(), FrameError> {
        match self.status {
            ProcessStatus::Connected => Err(not_ready()),
            ProcessStatus::Ending => Err(FrameError::bad_request(
                "The process has called ProcessEnding",
            )),
            ProcessStatus::Ready | ProcessStatus::Hosting => Ok(()),
        }
    }

    /// Whether the game session `game_session_id` is the one this process
    /// holds; answers the id.
    ///
    /// # Errors
    ///
    /// 400 for a process not ready, a request without `GameSessionId`, or a
    /// session the process does not hold (whoever holds it).
    ///
    /// ```
    /// use gamelift_session::game_server::{ProcessKey, ServerProcess};
    /// use time::OffsetDateTime;
    ///
    /// let mut p = ServerProcess::connect(ProcessKey::new("fleet-1", "pc", "p-1"), None, OffsetDateTime::UNIX_EPOCH);
    /// let err = p.check_holds(Some("gs-2")).unwrap_err();
    /// assert_eq!(err.message, "The process has not called ProcessReady");
    /// ```
    pub fn check_holds<'a>(&self, game_session_id: Option<&'a str>) -> Result<&'a str, FrameError> {
        self.check_ready()?;
        let id = game_session_id
            .filter(|id| !id.is_empty())
            .ok_or_else(|| FrameError::bad_request("GameSessionId is required"))?;
        if self.game_session_id.as_deref() != Some(id) {
            return Err(FrameError::bad_request(format!(
                "Game session {} is not hosted by this process",
                Cut(id)
            )));
        }
        Ok(id)
    }

    /// The process takes the game session `game_session_id`.
    pub fn host(&mut self, game_session_id: impl Into<String>) {
        self.status = ProcessStatus::Hosting;
        self.game_session_id = Some(game_session_id.into());
    }

    /// Its game session ended without the process ending: it is ready again.
    pub fn release(&mut self) {
        self.game_session_id = None;
        if self.status == ProcessStatus::Hosting {
            self.status = ProcessStatus::Ready;
        }
    }

    /// `TerminateServerProcess` (`ProcessEnding`) at `now`: the process is
    /// ending. Answers the game session it held, which ends with it.
    pub fn end(&mut self, now: OffsetDateTime) -> Option<String> {
        self.status = ProcessStatus::Ending;
        self.ending_at.get_or_insert(now);
        self.game_session_id.take()
    }

    /// Whether it is lost by `now`: disconnected longer than `grace`, or
    /// ending for longer than [`ENDING_GRACE`] (the embedder stops it).
    #[must_use]
    pub fn is_lost(&self, now: OffsetDateTime, grace: time::Duration) -> bool {
        let gone = self.disconnected_at.is_some_and(|at| now - at >= grace);
        let overdue = self.ending_at.is_some_and(|at| now - at >= ENDING_GRACE);
        gone || overdue
    }
}

/// Whether a ready process whose last heartbeat (or readiness) was
/// `since_last` ago is lost, with heartbeats due every `timeout`.
///
/// ```
/// use std::time::Duration;
/// use gamelift_session::game_server::{HEARTBEAT_TIMEOUT, heartbeat_lost};
///
/// assert!(!heartbeat_lost(Duration::from_secs(70), HEARTBEAT_TIMEOUT));
/// assert!(heartbeat_lost(Duration::from_secs(181), HEARTBEAT_TIMEOUT));
/// ```
#[must_use]
pub fn heartbeat_lost(since_last: Duration, timeout: Duration) -> bool {
    since_last > timeout
}

/// The process a new game session goes to: among `processes` (each with
/// its compute's location), an available one in `location` (any, without
/// one), the one ready longest; ties go to the first.
///
/// ```
/// use gamelift_session::game_server::{ActivateServerProcess, ProcessKey, ServerProcess, choose_process};
/// use time::{Duration, OffsetDateTime};
///
/// let t = OffsetDateTime::UNIX_EPOCH;
/// let mut ready = ActivateServerProcess::default();
/// ready.port = Some(7777);
/// let mut a = ServerProcess::connect(ProcessKey::new("f", "pc", "a"), None, t);
/// a.activate(&ready, t + Duration::seconds(5)).unwrap();
/// let mut b = ServerProcess::connect(ProcessKey::new("f", "pc", "b"), None, t);
/// b.activate(&ready, t).unwrap();
/// let all = [(&a, "custom-home"), (&b, "custom-home")];
/// assert_eq!(choose_process(all, Some("custom-home")).unwrap().key.process_id, "b");
/// assert!(choose_process(all, Some("custom-away")).is_none());
/// ```
pub fn choose_process<'p>(
    processes: impl IntoIterator<Item = (&'p ServerProcess, &'p str)>,
    location: Option<&str>,
) -> Option<&'p ServerProcess> {
    processes
        .into_iter()
        .filter(|(p, at)| p.is_available() && location.is_none_or(|l| l == *at))
        .min_by_key(|(p, _)| p.ready_at)
        .map(|(p, _)| p)
}
