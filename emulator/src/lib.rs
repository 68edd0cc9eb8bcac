//! A local Amazon GameLift endpoint, built on the `gamelift-session` crate.
//!
//! Real AWS clients talk to it: boto3, the AWS CLI and the AWS SDK for
//! JavaScript over AWS JSON 1.1, the AWS SDKs for Rust, Go, Java and others
//! over Smithy RPC v2 CBOR, both on one port. Every GameLift rule is the
//! crate's; this package holds the routing ([`router`]), the store and the
//! clock ([`Emulator`]: game and player sessions in `service`, aliases,
//! fleets, queues and placements in modules of their own), the state file
//! ([`state`]) and its journal ([`journal`]), the game server ports, the
//! control API for tests (under `/_emulator/`) and the network ([`serve`]).
//!
//! The `gamelift-emulator` binary is the usual way in; embed the library to
//! run the emulator inside a test process:
//!
//! ```no_run
//! use std::sync::Arc;
//! use gamelift_emulator::{Emulator, HttpLimits, Settings, Timeouts, router, serve};
//!
//! # async fn run() -> std::io::Result<()> {
//! let emulator = Arc::new(Emulator::new(Settings::default()));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let app = router(emulator, HttpLimits::default());
//! serve(listener, app, Timeouts::default(), std::future::pending()).await;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

mod aliases;
mod control;
mod failure;
mod fleets;
mod http;
pub mod journal;
mod log;
mod matchmaking;
mod placements;
mod ports;
mod protocol;
mod serve;
mod service;
pub mod state;

pub use failure::Failure;
pub use fleets::DeclaredFleet;
pub use http::{HttpLimits, MAX_BODY_BYTES, MAX_BYTES_IN_FLIGHT, router};
pub use log::{Bounded, ECHO_CHARS, LogGuard, MAX_QUEUED_LOG_BYTES, Quoted, init as init_logging};
pub use protocol::{Protocol, check_headers};
pub use serve::{Timeouts, serve};
pub use service::{
    ACCOUNT_ID, Activation, DEFAULT_PORTS, Emulator, GameServer, Persisting, PlayerAcceptance,
    Settings,
};
