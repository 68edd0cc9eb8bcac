//! Game sessions: created, updated, described, activated and terminated,
//! and the table that keeps them searchable.
//!
//! | file | what it holds |
//! |---|---|
//! | `update.rs` | `UpdateGameSession`: [`update_game_session`], [`UpdateOutcome`], [`Warning`] |
//! | `request.rs` | the update's input and the one-session output shape |
//! | `create.rs` | `CreateGameSession`: [`create_game_session`], the ARN, idempotency |
//! | `describe.rs` | `DescribeGameSessions` and `DescribeGameSessionDetails` |
//! | `lifecycle.rs` | the status machine, `TerminateGameSession`, who may join |
//! | `connection.rs` | where players connect: [`Connection`], [`activate_game_session`] |
//! | `table.rs` | [`SessionTable`]: sessions beside the rows searches scan |

pub(crate) mod connection;
pub(crate) mod create;
pub(crate) mod describe;
pub(crate) mod lifecycle;
pub(crate) mod request;
pub(crate) mod table;
pub(crate) mod update;

pub use connection::{Connection, MAX_PORT, activate_game_session, ec2_dns_name, holds_port};
pub use create::{
    CreateContext, CreateGameSessionInput, ValidatedCreate, create_game_session, game_session_arn,
    replay_create_game_session,
};
pub use describe::{
    DescribeGameSessionDetailsInput, DescribeGameSessionDetailsOutput, DescribeGameSessionsInput,
    DescribeGameSessionsOutput, Page, ValidatedDescribe, describe_game_sessions,
};
pub use lifecycle::{
    TerminateGameSessionInput, Transition, ValidatedTerminate, check_player_join,
    may_terminate_on_scale_down, terminate_game_session, transition,
};
pub use request::{
    CreateGameSessionOutput, GameSessionOutput, TerminateGameSessionOutput, UpdateGameSessionInput,
    UpdateGameSessionOutput,
};
pub use table::{PreparedSearch, SessionTable};
pub use update::{
    Change, UpdateOutcome, UpdateReport, ValidatedUpdate, Warning, update_game_session,
    update_game_session_in_place,
};
