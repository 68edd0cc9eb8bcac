//! Everything the emulator holds, and the state file that outlives the process.
//!
//! The state file is JSON, versioned, and written in the same shapes the
//! AWS API uses, so a person can write one by hand as a test fixture:
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
//! of the file. Unknown top-level members are refused, so that a typo
//! in a fixture is an error and not silently lost state. Every game session
//! needs a `GameSessionId`, unique in the file. The file is written at
//! shutdown to a temporary file beside it, then renamed over it, so a crash
//! never leaves half a file.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use gamelift_session::{
    CreateGameSessionInput, GameLiftError, GameSessionDetail, Limits, PlayerSession, SearchIndex,
    expire_reservations, holds_port,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ports::Ports;

/// The version of the state file format this emulator reads and writes.
pub const STATE_VERSION: u32 = 1;

/// The emulator's state, as the state file holds it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
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
}

/// The sessions, in creation order, with an index by id, and the requests
/// that created the sessions with custom ids.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) sessions: Vec<GameSessionDetail>,
    /// The player sessions of each game session, at the same index.
    pub(crate) players: Vec<Vec<PlayerSession>>,
    by_id: HashMap<String, usize>,
    pub(crate) create_requests: BTreeMap<String, CreateGameSessionInput>,
    /// The property keys searches can see, recorded as sessions are
    /// created and updated.
    pub(crate) index: SearchIndex,
    /// The game server ports live sessions hold.
    pub(crate) ports: Ports,
}

fn id_of(detail: &GameSessionDetail) -> Option<&str> {
    detail.game_session.as_ref()?.game_session_id.as_deref()
}

impl Store {
    /// An empty store whose search index holds up to `limits`' keys and
    /// whose game servers listen on `ports`.
    pub(crate) fn new(limits: &Limits, ports: Ports) -> Self {
        Store {
            index: SearchIndex::new(limits),
            ports,
            ..Store::default()
        }
    }

    /// A store holding `state`'s sessions. The search index is rebuilt in
    /// the sessions' order: a key first set by an update to an older
    /// session may take another place than it had, which matters only past
    /// the index's limit. So are the ports live sessions hold.
    ///
    /// # Errors
    ///
    /// A sentence naming the first record that breaks the file's rules.
    pub(crate) fn from_state(
        mut state: State,
        limits: &Limits,
        ports: Ports,
    ) -> Result<Self, String> {
        if state.version != STATE_VERSION {
            return Err(format!(
                "unsupported Version {} (this emulator reads version {STATE_VERSION})",
                state.version
            ));
        }
        let mut store = Store::new(limits, ports);
        let details = std::mem::take(&mut state.game_session_details);
        for (i, detail) in details.into_iter().enumerate() {
            let Some(id) = id_of(&detail) else {
                return Err(format!(
                    "GameSessionDetails[{i}] has no GameSession.GameSessionId"
                ));
            };
            if store.by_id.contains_key(id) {
                return Err(format!(
                    "GameSessionDetails[{i}] repeats the GameSessionId {id}"
                ));
            }
            if let Some(session) = detail.game_session.as_ref().filter(|s| holds_port(s))
                && let (Some(address), Some(port)) = (&session.ip_address, session.port)
                && let Some(other) = store.ports.holder(address, port)
            {
                return Err(format!(
                    "GameSessionDetails[{i}] listens at the same IpAddress and Port as \
                     GameSessionDetails[{other}], and both are live"
                ));
            }
            store.insert(detail);
        }
        if let Some(id) = state
            .create_requests
            .keys()
            .find(|id| !store.by_id.contains_key(*id))
        {
            return Err(format!(
                "CreateRequests names {id}, which no game session has"
            ));
        }
        store.create_requests = state.create_requests;
        for (i, player) in state.player_sessions.into_iter().enumerate() {
            let index = player
                .game_session_id
                .as_deref()
                .and_then(|id| store.by_id.get(id).copied());
            let Some(index) = index else {
                return Err(format!(
                    "PlayerSessions[{i}] names no game session of GameSessionDetails"
                ));
            };
            store.players[index].push(player);
        }
        Ok(store)
    }

    /// The state to save.
    pub(crate) fn to_state(&self) -> State {
        State {
            version: STATE_VERSION,
            game_session_details: self.sessions.clone(),
            create_requests: self.create_requests.clone(),
            player_sessions: self.players.iter().flatten().cloned().collect(),
        }
    }

    /// The index of the session with this id.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The session with this id, and its player sessions.
    pub(crate) fn entry_mut(
        &mut self,
        id: &str,
    ) -> Result<(&mut GameSessionDetail, &mut Vec<PlayerSession>), GameLiftError> {
        let i = self
            .by_id
            .get(id)
            .copied()
            .ok_or_else(|| GameLiftError::game_session_not_found(id))?;
        match (self.sessions.get_mut(i), self.players.get_mut(i)) {
            (Some(detail), Some(players)) => Ok((detail, players)),
            _ => Err(GameLiftError::game_session_not_found(id)),
        }
    }

    /// Writes down every reservation that ran out by `now`, so that counts
    /// and statuses read from here agree with the clock.
    pub(crate) fn expire_all(&mut self, now: OffsetDateTime, limits: &Limits) {
        for (detail, players) in self.sessions.iter_mut().zip(&mut self.players) {
            if !players.is_empty() {
                expire_reservations(detail, players, now, limits);
            }
        }
    }

    /// Adds a session whose id is not in the store yet; answers its index.
    pub(crate) fn insert(&mut self, detail: GameSessionDetail) -> usize {
        let i = self.sessions.len();
        if let Some(id) = id_of(&detail) {
            self.by_id.insert(id.to_owned(), i);
        }
        if let Some(session) = &detail.game_session {
            self.index.record(session);
            // A new session's port is free: the caller picked it so, or
            // `from_state` checked it.
            let _ = self.ports.sync(i, session);
        }
        self.sessions.push(detail);
        self.players.push(Vec::new());
        i
    }

    /// Records the keys of the session at `i` in the search index, after
    /// an update may have added some.
    pub(crate) fn reindex(&mut self, i: usize) {
        if let Some(session) = self.sessions.get(i).and_then(|d| d.game_session.as_ref()) {
            self.index.record(session);
        }
    }

    /// Brings the port pool up to date after the session at `i` changed
    /// status: a TERMINATED session gives its port up.
    pub(crate) fn sync_port(&mut self, i: usize) {
        if let Some(session) = self.sessions.get(i).and_then(|d| d.game_session.as_ref()) {
            let _ = self.ports.sync(i, session);
        }
    }

    /// Forgets everything; answers how many sessions there were.
    pub(crate) fn clear(&mut self) -> usize {
        let n = self.sessions.len();
        let mut index = std::mem::take(&mut self.index);
        index.clear();
        let mut ports = std::mem::take(&mut self.ports);
        ports.clear();
        *self = Store {
            index,
            ports,
            ..Store::default()
        };
        n
    }
}

/// A state file that could not be read or written.
#[derive(Debug)]
pub struct StateFileError {
    path: PathBuf,
    problem: String,
}

impl fmt::Display for StateFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "state file {}: {}", self.path.display(), self.problem)
    }
}

impl std::error::Error for StateFileError {}

impl StateFileError {
    fn new(path: &Path, problem: impl Into<String>) -> Self {
        StateFileError {
            path: path.to_owned(),
            problem: problem.into(),
        }
    }
}

/// Reads the state file at `path`: `Ok(None)` when there is no file.
///
/// # Errors
///
/// A file that exists but cannot be read or is not JSON of the format. Its
/// rules (see the module docs) are checked by [`Emulator::with_state`](crate::Emulator::with_state),
/// which builds the store from it. The file is never changed.
pub fn load(path: &Path) -> Result<Option<State>, StateFileError> {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StateFileError::new(path, format!("cannot be read: {e}"))),
    };
    serde_json::from_slice(&text)
        .map(Some)
        .map_err(|e| StateFileError::new(path, format!("is not a valid state file: {e}")))
}

/// Writes `state` to `path` atomically: a temporary file beside it, then a rename.
///
/// # Errors
///
/// The file or its temporary could not be written or renamed.
pub fn save(path: &Path, state: &State) -> Result<(), StateFileError> {
    let mut text = serde_json::to_vec_pretty(state)
        .map_err(|e| StateFileError::new(path, format!("cannot be encoded: {e}")))?;
    text.push(b'\n');
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let written = std::fs::write(&temporary, &text).and_then(|()| {
        std::fs::File::open(&temporary)?.sync_all()?;
        std::fs::rename(&temporary, path)
    });
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        StateFileError::new(path, format!("cannot be written: {e}"))
    })
}
