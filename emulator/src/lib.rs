//! A local Amazon GameLift endpoint, built on the `gamelift-session` crate.
//!
//! Real AWS clients talk to it: boto3, the AWS CLI and the AWS SDK for
//! JavaScript over AWS JSON 1.1, the AWS SDKs for Rust, Go, Java and others
//! over Smithy RPC v2 CBOR, both on one port. Every GameLift rule is the
//! crate's; this package holds the store, the clock, the state file and
//! the network, in rooms a newcomer finds by name:
//!
//! ```text
//! emulator/src
//! ├── main.rs             the command line
//! ├── emulator.rs         Emulator: the store under its lock, the clock, the state file, housekeeping
//! ├── operations.rs       the dispatch: every operation by name, every control action by path
//! ├── store.rs            Store: every room's tables, and which room reads each journal table
//! ├── state.rs            the snapshot's shape (the state file a person can write)
//! │   rooms, one per resource (each: its tables, its handlers, its journal rows)
//! ├── fleets/             fleets (declared, Anywhere, managed), locations, computes, processes, aliases
//! ├── game_sessions/      game sessions, their table and indexes, the simulated game server
//! ├── player_sessions.rs  player sessions (kept beside their game session)
//! ├── placements/         queues and placements
//! ├── flexmatch/          rule sets, configurations, tickets, the matchmaker
//! ├── game_servers/       real game servers (server SDK 5): handshakes, requests, how processes end
//! ├── events/             event documents published, listed and posted to SNS subscribers
//! │   plumbing, which imports no room
//! ├── context.rs          Context: the settings, clock and ids, the lock and its journal guard
//! ├── settings.rs         Settings, and what the command line declares
//! ├── journal/            the state file: records, group commit, reading back, snapshots
//! ├── table.rs            Table: rows by key in insertion order
//! ├── clock.rs, ids.rs    the emulator's clock; fresh ids
//! ├── ports.rs            the ports live game sessions hold
//! ├── http.rs, protocol.rs, serve.rs, failure.rs   HTTP, JSON 1.1 and CBOR, connections, errors
//! ├── sdk_socket.rs       the WebSocket game servers dial
//! ├── tls.rs              --tls: https:// and wss:// on the same port
//! ├── launcher.rs         the programs of the fleets the emulator launches
//! ├── control.rs          the control API under /_emulator/
//! └── log.rs              log lines, bounded and escaped
//! ```
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

mod clock;
mod context;
mod control;
#[cfg(test)]
mod crash_law;
mod emulator;
mod events;
mod failure;
mod fleets;
mod flexmatch;
mod game_servers;
mod game_sessions;
mod http;
mod ids;
pub mod journal;
mod launcher;
mod log;
mod operations;
mod placements;
mod player_sessions;
mod ports;
mod protocol;
mod sdk_socket;
mod serve;
mod settings;
pub mod state;
mod store;
mod table;
mod tls;

pub use emulator::{Emulator, Housekeeping};
pub use events::deliver_events;
pub use failure::Failure;
pub use http::{HttpLimits, MAX_BODY_BYTES, MAX_BYTES_IN_FLIGHT, router};
pub use launcher::Launcher;
pub use log::{Bounded, ECHO_CHARS, LogGuard, MAX_QUEUED_LOG_BYTES, Quoted, init as init_logging};
pub use protocol::{Protocol, check_headers};
pub use serve::{Timeouts, serve, serve_with_tls};
pub use settings::{
    ACCOUNT_ID, Activation, DEFAULT_PORTS, DeclaredFleet, GameServer, GameServers, LaunchedFleet,
    PlayerAcceptance, Retention, Settings,
};
pub use tls::self_signed as self_signed_tls;
