//! Game servers: the service side of Amazon's server SDK 5, which a game
//! server speaks over a WebSocket (SPEC §10).
//!
//! A game server built with the SDK (Go, C++ for Unreal, C# for Unity)
//! dials the service with a [`Handshake`], sends `ActivateServerProcess`
//! (`ProcessReady`), is pushed `CreateGameSession` (`OnStartGameSession`),
//! answers `ActivateGameSession`, accepts and removes players, and is told
//! `TerminateProcess` (`OnProcessTerminate`) before it sends
//! `TerminateServerProcess` (`ProcessEnding`). This module holds the rules
//! as pure functions and the frames as serde types; the embedder holds the
//! sockets, the clock and the store.
//!
//! Every frame and rule was read in the Go SDK 5.6.0's sources
//! (github.com/amazon-gamelift/amazon-gamelift-servers-go-server-sdk), each
//! file named where its rule is written.
//!
//! | file | what it holds |
//! |---|---|
//! | `frames.rs` | [`RequestFrame`] and every request, [`Reply`], [`FailedReply`], [`FrameError`], the four pushes |
//! | `handshake.rs` | [`Handshake`]: the query parameters and their checks; [`ProcessKey`]; [`check_room_on_compute`] |
//! | `process.rs` | [`ServerProcess`]: a process's life; [`choose_process`]; the time-outs |
//! | `session.rs` | what a process does to its game session, and how a session ends with its process |
//!
//! # Example: a process's life
//!
//! ```
//! use gamelift_session::game_server::{
//!     ActivateServerProcess, Handshake, ProcessStatus, RequestFrame, Request, ServerProcess,
//! };
//! use time::OffsetDateTime;
//!
//! let now = OffsetDateTime::UNIX_EPOCH;
//! let mut h = Handshake::default();
//! h.fleet_id = Some("fleet-1".into());
//! h.compute_id = Some("my-pc".into());
//! h.process_id = Some("p-1".into());
//! h.authorization = Some("0a1b-2c3d".into());
//! let mut process = ServerProcess::connect(h.check().unwrap(), None, now);
//!
//! let frame: RequestFrame = serde_json::from_str(
//!     r#"{"Action":"ActivateServerProcess","RequestId":"r-1","SdkVersion":"5.6.0","SdkLanguage":"Go","Port":7777,"LogPaths":null}"#,
//! ).unwrap();
//! let Request::ActivateServerProcess(ready) = &frame.request else { unreachable!() };
//! process.activate(ready, now).unwrap();
//! assert_eq!(process.status, ProcessStatus::Ready);
//! assert!(process.is_available());
//! ```

mod frames;
mod handshake;
mod process;
mod session;

pub use frames::{
    ActivateServerProcess, CreateGameSessionPush, DescribePlayerSessions,
    DescribePlayerSessionsResult, Empty, FailedReply, FrameError, FrameHeader, GameSessionRequest,
    GetComputeCertificateResult, GetFleetRoleCredentials, HeartbeatServerProcess, MAX_FRAME_BYTES,
    NoResult, PlayerSessionRequest, RefreshConnectionPush, Reply, Request, RequestFrame, STATUS_OK,
    SdkAttributeValue, SdkGameSession, SdkPlayer, SdkPlayerSession, StartMatchBackfill,
    StartMatchBackfillResult, StopMatchBackfill, TerminateProcessPush, UpdateGameSessionPush,
    UpdatePlayerSessionCreationPolicy, UpdateReason, epoch_millis,
};
pub use handshake::{
    Handshake, HandshakeError, MAX_PROCESSES_PER_COMPUTE, ProcessKey, check_room_on_compute,
};
pub use process::{
    ENDING_GRACE, HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT, MAX_DECLARED_TEXT, MAX_LOG_PATHS,
    ProcessStatus, RECONNECT_GRACE, ServerProcess, choose_process, heartbeat_lost,
};
pub use session::{
    DEFAULT_ACTIVATION_TIMEOUT, activate_hosted_session, activation_timed_out, end_hosted_session,
    host_game_session, set_player_session_policy,
};
