//! Game servers: real server processes built with Amazon's server SDK 5,
//! connected over a WebSocket (SPEC §10). The socket itself is
//! `sdk_socket.rs`'s and the programs the emulator starts `launcher.rs`'s;
//! this room holds what they do to the store.
//!
//! | file | what it holds |
//! |---|---|
//! | `handshake.rs` | checking a handshake (fleet, compute, token) and connecting or resuming a process |
//! | `requests.rs` | every request Action a game server sends, answered |
//! | `ending.rs` | how processes end: `ProcessEnding`, a close, loss, time-outs, `DeregisterCompute`, `DeleteFleet`, shutdown |
//! | `counts.rs` | what a fleet runs (`DescribeFleetCapacity`, `DescribeFleetUtilization`), the control API's list |
//! | `launched.rs` | fleets the emulator launches: which processes should run, what each is given |
//!
//! It has no table of its own: processes live in the fleets room (in
//! memory), their sessions in the game sessions room. The rules are the
//! crate's (`gamelift_session::game_server`).

mod counts;
mod ending;
mod handshake;
mod launched;
mod requests;

pub(crate) use counts::{fleet_counts, list_processes};
pub(crate) use ending::{
    delete_fleet, deregister_compute, disconnected, exited, housekeeping, interrupt_orphans,
    shut_down,
};
pub(crate) use handshake::{Accepted, check_handshake, connect};
pub(crate) use launched::{
    Given, Slot, ask_to_end, known, launch_fleet, launched_fleet, plan, prepare,
};
pub(crate) use requests::handle;

use crate::flexmatch::FlexMatchWorld;
/// What a store offers this room: every room below it (a backfill reaches
/// FlexMatch, an activation the placement waiting on it).
pub(crate) trait GameServersWorld: FlexMatchWorld {}

impl<S: FlexMatchWorld> GameServersWorld for S {}
