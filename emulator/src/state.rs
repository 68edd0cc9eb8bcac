//! The state file's snapshot: everything the emulator holds, in one JSON
//! document a person can write by hand as a test fixture.
//!
//! It is versioned, and written in the same shapes the AWS API uses:
//!
//! ```json
//! {
//!   "Version": 1,
//!   "GameSessionDetails": [
//!     {
//!       "GameSession": {
//!         "GameSessionId": "arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b3c4d/gs-1",
//!         "FleetId": "fleet-1a2b3c4d",
//!         "Name": "Friday night",
//!         "Status": "ACTIVE",
//!         "CurrentPlayerSessionCount": 0,
//!         "MaximumPlayerSessionCount": 8,
//!         "PlayerSessionCreationPolicy": "ACCEPT_ALL",
//!         "GameProperties": [{"Key": "mode", "Value": "ranked"}],
//!         "CreationTime": 1764000000.0
//!       },
//!       "ProtectionPolicy": "NoProtection"
//!     }
//!   ]
//! }
//! ```
//!
//! `Version` is required and must be [`STATE_VERSION`]; every other member
//! may be left out. `CreateRequests` maps the ARN of each session created
//! with an idempotency token to the request that created it, so that a
//! repeated create after a restart is still compared with it.
//! `PlayerSessions` lists every player session; each names a game session
//! of the file. Unknown top-level members are refused, so that a typo in a
//! fixture is an error and not silently lost state; so is an unknown member
//! at any depth, a value the API's rules refuse, a repeated id and a
//! `CurrentPlayerSessionCount` its player sessions contradict. Every game
//! session needs a `GameSessionId`, unique in the file. The file is written
//! to a new temporary file beside it, then renamed over it, so a crash
//! never leaves half a file; the changes since are in its journal
//! ([`crate::journal`]).

use std::collections::BTreeMap;
use std::path::Path;

use gamelift_session::GameSessionDetail;
use gamelift_session::fleet::{Alias, Compute, Fleet, Location};
use gamelift_session::flexmatch::{MatchmakingConfiguration, MatchmakingRuleSet, Ticket};
use gamelift_session::game_session::CreateGameSessionInput;
use gamelift_session::placement::{DesiredPlayerSession, GameSessionPlacement, GameSessionQueue};
use gamelift_session::player_session::PlayerSession;
use serde::{Deserialize, Serialize};

pub use crate::journal::StateFileError;
use crate::journal::snapshot;
use crate::settings::DeclaredFleet;

/// The version of the snapshot format this emulator reads and writes.
pub const STATE_VERSION: u32 = 1;

/// The emulator's state, as the snapshot holds it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct State {
    /// The format's version: [`STATE_VERSION`].
    pub version: u32,
    /// Every game session, in creation order.
    #[serde(default)]
    pub game_session_details: Vec<GameSessionDetail>,
    /// The request that created each session named by an idempotency
    /// token (or the deprecated custom `GameSessionId`), by the session's
    /// ARN: a repeated create is compared with it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub create_requests: BTreeMap<String, CreateGameSessionInput>,
    /// Every player session, by game session in creation order, then in
    /// the order they joined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub player_sessions: Vec<PlayerSession>,
    /// Every alias, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,
    /// Every game session queue, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub game_session_queues: Vec<GameSessionQueue>,
    /// Every game session placement kept, in the order they started.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub game_session_placements: Vec<GameSessionPlacement>,
    /// The players each `PENDING` placement is to seat, by placement id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub desired_player_sessions: BTreeMap<String, Vec<DesiredPlayerSession>>,
    /// The fleets declared, with their capacities and locations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fleets: Vec<DeclaredFleet>,
    /// The custom locations, in the order made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// The fleets made with `CreateFleet` (Anywhere and managed), in the
    /// order made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub created_fleets: Vec<Fleet>,
    /// The computes registered, with their unexpired tokens.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub computes: Vec<ComputeRecord>,
    /// Every matchmaking rule set, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchmaking_rule_sets: Vec<MatchmakingRuleSet>,
    /// Every matchmaking configuration, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchmaking_configurations: Vec<MatchmakingConfiguration>,
    /// Every matchmaking ticket kept, in the order they started, with what
    /// the matchmaker keeps beside each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchmaking_tickets: Vec<Ticket>,
    /// The sequence number of the last journal record this snapshot holds
    /// (see [`crate::journal`]); 0, and left out, for a file written by
    /// hand.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub journal_sequence: u64,
}

/// A registered compute and the tokens issued for it, which game servers
/// connect with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ComputeRecord {
    /// The compute, as `DescribeCompute` answers it.
    pub compute: Compute,
    /// Its unexpired tokens, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auth_tokens: Vec<AuthToken>,
}

/// A token a game server connects with; secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AuthToken {
    /// The token.
    pub auth_token: String,
    /// When it stops being taken, epoch seconds.
    pub expires: i64,
}

impl std::fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthToken")
            .field("auth_token", &gamelift_session::model::REDACTED)
            .field("expires", &self.expires)
            .finish()
    }
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's signature
fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl crate::journal::Sequenced for State {
    const NEWEST: u32 = STATE_VERSION;
    fn journal_sequence(&self) -> u64 {
        self.journal_sequence
    }
}

/// Reads the snapshot at `path`: `Ok(None)` when there is no file. Its
/// rules (see the module docs) are checked when the store is built from it.
///
/// # Errors
///
/// A file that exists but cannot be read, or is not JSON of the format.
/// The file is never changed.
pub fn load(path: &Path) -> Result<Option<State>, StateFileError> {
    snapshot::load(path, STATE_VERSION)
}

/// Writes `state` to `path` atomically (a temporary file beside it, then a
/// rename); answers the file's size. A `path` that is a symbolic link is
/// refused.
///
/// # Errors
///
/// The file or its temporary could not be written or renamed.
pub fn save(path: &Path, state: &State) -> Result<u64, StateFileError> {
    snapshot::save(path, state)
}
