//! Game sessions: `CreateGameSession`, `DescribeGameSessions`,
//! `DescribeGameSessionDetails`, `UpdateGameSession`, `SearchGameSessions`
//! and `TerminateGameSession`, and the simulated game server that brings a
//! session up and reports it ended.
//!
//! | file | what it holds |
//! |---|---|
//! | `table.rs` | [`Sessions`]: sessions and player sessions by id, and their indexes |
//! | `operations.rs` | the operations' handlers |
//! | `server.rs` | the simulated game server: where it listens, `--activation`, the control API's `game-sessions/...` |
//! | `hosted.rs` | sessions on real server processes: given to one, terminated through it, ended with it |
//!
//! Its tables: `GameSessions`, `PlayerSessions` and `CreateRequests`. The
//! rules are the crate's (`gamelift_session::game_session`).

mod hosted;
mod operations;
mod server;
mod table;

pub(crate) use hosted::{end_with_process, frame};
pub(crate) use operations::{
    create_game_session, describe_game_session_details, describe_game_sessions,
    search_game_sessions, terminate_game_session, update_game_session,
};
pub(crate) use server::{GameServerAction, game_server, launch};
pub(crate) use table::{CREATE_REQUESTS, GAME_SESSIONS, PLAYER_SESSIONS, Sessions};

use crate::fleets::{Fleets, FleetsWorld};

/// What a store offers this room: the sessions, beside the fleets (for
/// aliases, room, and the server processes sessions go to).
pub(crate) trait SessionsWorld: FleetsWorld {
    fn game_sessions(&mut self) -> (&mut Sessions, &mut Fleets);
}
