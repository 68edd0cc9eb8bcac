//! The state file's journal: every accepted change is appended to it before
//! its answer is sent, so that a crash loses nothing that was answered.
//!
//! With `--state FILE` there are two files. `FILE` is a snapshot, the
//! whole state as [`State`] (see [`crate::state`]), written atomically.
//! `FILE.journal` lists the changes since, one JSON record a line, each
//! with a sequence number above the snapshot's `JournalSequence`:
//!
//! ```json
//! {"Seq":7,"GameSessionDetail":{"GameSession":{...}},"PlayerSessions":[...],"CreateRequest":{...}}
//! {"Seq":8,"Reset":true}
//! ```
//!
//! A record holds the whole new state of the one game session a change
//! touched, the player sessions of it that the change created or moved to
//! another status, and, for a session created with an idempotency token,
//! its request. Reading the records in order over the snapshot gives the
//! state: a game session or player session is replaced by id, or added.
//! Reservations that time out are not recorded: the clock gives them again.
//!
//! **Durability.** A record is written (one `write` to the journal, under
//! the store's lock, in the order the changes were made) before its answer
//! is sent, so a process killed at any moment, `kill -9` or the
//! out-of-memory killer included, loses nothing it answered. The journal is
//! flushed to the disk ([`SYNC_INTERVAL`]) at least every 100 ms, so a power
//! loss or a crash of the machine loses at most the last 100 ms of answers.
//!
//! **Compaction.** When the journal outgrows [`COMPACT_BYTES`] (or twice the
//! snapshot), the state is copied under the lock, the journal is renamed
//! `FILE.journal.old` and a new one begun, and the snapshot is written
//! outside the lock; then `FILE.journal.old` is removed. A crash at any step
//! leaves files that read back to the same state: records at or below the
//! snapshot's sequence are skipped. Shutdown compacts the same way.
//!
//! **Damage.** A last record cut short (the process stopped while writing
//! it) is dropped with a warning. Any other damage stops start-up with a
//! sentence naming the file, the record and the problem, and leaves the
//! files as they are. A write that fails (disk full, read-only directory)
//! is logged once and reported by `GET /_emulator/health`; the emulator
//! goes on serving from memory, stops appending (so no later record can
//! follow a torn one), and tries a whole snapshot every second until one
//! succeeds, which is then the state on the disk again.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gamelift_session::{
    GameSessionDetail,
    fleet::Alias,
    flexmatch::{MatchmakingConfiguration, MatchmakingRuleSet, Ticket},
    game_session::CreateGameSessionInput,
    placement::{DesiredPlayerSession, GameSessionPlacement, GameSessionQueue},
    player_session::PlayerSession,
};
use serde::{Deserialize, Serialize};

use crate::fleets::DeclaredFleet;
use crate::state::{self, State, StateFileError};

/// The longest an answered change waits to be flushed to the disk.
pub const SYNC_INTERVAL: Duration = Duration::from_millis(100);

/// The journal size past which it is folded into the snapshot (or twice
/// the snapshot's size, when that is larger).
pub const COMPACT_BYTES: u64 = 64 * 1024 * 1024;

/// How often a failing state file is tried again.
const RETRY_INTERVAL: Duration = Duration::from_secs(1);

/// One line of the journal, as read.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Record {
    seq: u64,
    #[serde(default)]
    reset: bool,
    game_session_detail: Option<GameSessionDetail>,
    #[serde(default)]
    player_sessions: Vec<PlayerSession>,
    create_request: Option<CreateGameSessionInput>,
    alias: Option<Alias>,
    deleted_alias: Option<String>,
    queue: Option<GameSessionQueue>,
    deleted_queue: Option<String>,
    placement: Option<GameSessionPlacement>,
    desired_player_sessions: Option<Vec<DesiredPlayerSession>>,
    rule_set: Option<MatchmakingRuleSet>,
    deleted_rule_set: Option<String>,
    configuration: Option<MatchmakingConfiguration>,
    deleted_configuration: Option<String>,
    ticket: Option<Ticket>,
    fleet: Option<DeclaredFleet>,
}

/// One line of the journal, as written: borrowed from the store.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct RecordOut<'a> {
    seq: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reset: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    game_session_detail: Option<&'a GameSessionDetail>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    player_sessions: &'a [&'a PlayerSession],
    #[serde(skip_serializing_if = "Option::is_none")]
    create_request: Option<&'a CreateGameSessionInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<&'a Alias>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted_alias: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    queue: Option<&'a GameSessionQueue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted_queue: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    placement: Option<&'a GameSessionPlacement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    desired_player_sessions: Option<&'a [DesiredPlayerSession]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_set: Option<&'a MatchmakingRuleSet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted_rule_set: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    configuration: Option<&'a MatchmakingConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted_configuration: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket: Option<&'a Ticket>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fleet: Option<&'a DeclaredFleet>,
}

/// What one change touched, for its record; all `None` is a reset.
#[derive(Default)]
pub(crate) struct Change<'a> {
    /// The game session's new state.
    pub(crate) detail: Option<&'a GameSessionDetail>,
    /// Its player sessions that the change created or moved.
    pub(crate) players: Vec<&'a PlayerSession>,
    /// The request that created it, for a new session with an id.
    pub(crate) create_request: Option<&'a CreateGameSessionInput>,
    /// An alias's new state.
    pub(crate) alias: Option<&'a Alias>,
    /// The id of an alias deleted.
    pub(crate) deleted_alias: Option<&'a str>,
    /// A queue's new state.
    pub(crate) queue: Option<&'a GameSessionQueue>,
    /// The name of a queue deleted.
    pub(crate) deleted_queue: Option<&'a str>,
    /// A placement's new state.
    pub(crate) placement: Option<&'a GameSessionPlacement>,
    /// The players a `PENDING` placement is to seat.
    pub(crate) desired_players: Option<&'a [DesiredPlayerSession]>,
    /// A rule set's state.
    pub(crate) rule_set: Option<&'a MatchmakingRuleSet>,
    /// The name of a rule set deleted.
    pub(crate) deleted_rule_set: Option<&'a str>,
    /// A configuration's new state.
    pub(crate) configuration: Option<&'a MatchmakingConfiguration>,
    /// The name of a configuration deleted.
    pub(crate) deleted_configuration: Option<&'a str>,
    /// A ticket's new state.
    pub(crate) ticket: Option<&'a Ticket>,
    /// A fleet's declaration.
    pub(crate) fleet: Option<&'a DeclaredFleet>,
}

impl Change<'_> {
    /// Whether it names nothing: a reset.
    fn is_reset(&self) -> bool {
        self.detail.is_none()
            && self.alias.is_none()
            && self.deleted_alias.is_none()
            && self.queue.is_none()
            && self.deleted_queue.is_none()
            && self.placement.is_none()
            && self.rule_set.is_none()
            && self.deleted_rule_set.is_none()
            && self.configuration.is_none()
            && self.deleted_configuration.is_none()
            && self.ticket.is_none()
            && self.fleet.is_none()
    }
}

/// The three files of a state file.
#[derive(Debug, Clone)]
pub(crate) struct Paths {
    pub(crate) snapshot: PathBuf,
    pub(crate) journal: PathBuf,
    pub(crate) old: PathBuf,
}

impl Paths {
    pub(crate) fn of(snapshot: &Path) -> Self {
        let with = |suffix: &str| {
            let mut p = snapshot.as_os_str().to_owned();
            p.push(suffix);
            PathBuf::from(p)
        };
        Paths {
            snapshot: snapshot.to_owned(),
            journal: with(".journal"),
            old: with(".journal.old"),
        }
    }
}

/// The open journal, kept in the store and written under its lock.
#[derive(Debug)]
pub(crate) struct Journal {
    paths: Paths,
    file: Arc<File>,
    /// The sequence number of the last record written (or of the snapshot).
    seq: u64,
    /// The journal's size.
    bytes: u64,
    /// The snapshot's size, for the compaction threshold.
    snapshot_bytes: u64,
    /// Written since the last flush to the disk.
    unsynced: bool,
    /// A write failed: nothing is appended until a snapshot succeeds.
    broken: bool,
    /// A snapshot is being written outside the lock.
    compacting: bool,
    /// The last failure, reported by the health endpoint.
    failure: Option<String>,
    last_attempt: Option<Instant>,
    line: Vec<u8>,
}

/// What a compaction needs from the store, taken under its lock.
#[derive(Debug)]
pub(crate) struct Compaction {
    state: State,
    paths: Paths,
    /// The journal was broken: truncate it once the snapshot is written.
    was_broken: bool,
}

impl Journal {
    /// The health endpoint's word on the state file: `None` while it is
    /// written, the last failure otherwise.
    pub(crate) fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Appends the record of one change. A failure is logged the first
    /// time, reported by [`Journal::failure`], and stops appending until a
    /// snapshot succeeds.
    pub(crate) fn append(&mut self, change: &Change<'_>) {
        self.seq += 1;
        if self.broken {
            return;
        }
        let record = RecordOut {
            seq: self.seq,
            reset: change.is_reset(),
            game_session_detail: change.detail,
            player_sessions: &change.players,
            create_request: change.create_request,
            alias: change.alias,
            deleted_alias: change.deleted_alias,
            queue: change.queue,
            deleted_queue: change.deleted_queue,
            placement: change.placement,
            desired_player_sessions: change.desired_players,
            rule_set: change.rule_set,
            deleted_rule_set: change.deleted_rule_set,
            configuration: change.configuration,
            deleted_configuration: change.deleted_configuration,
            ticket: change.ticket,
            fleet: change.fleet,
        };
        self.line.clear();
        if let Err(e) = serde_json::to_writer(&mut self.line, &record) {
            self.fail(&format!("a record cannot be encoded: {e}"));
            return;
        }
        self.line.push(b'\n');
        match (&*self.file).write_all(&self.line) {
            Ok(()) => {
                self.bytes += self.line.len() as u64;
                self.unsynced = true;
            }
            Err(e) => self.fail(&format!(
                "{} cannot be written: {e}",
                self.paths.journal.display()
            )),
        }
        if self.line.capacity() > 1 << 20 {
            self.line = Vec::new();
        }
    }

    fn fail(&mut self, problem: &str) {
        self.broken = true;
        if self.failure.is_none() {
            tracing::error!(
                "state file {}: {problem}; serving on from memory, and trying a whole snapshot every second",
                self.paths.snapshot.display()
            );
        }
        self.failure = Some(problem.to_owned());
    }

    /// The file to flush, when something was written since the last flush.
    pub(crate) fn take_unsynced(&mut self) -> Option<Arc<File>> {
        std::mem::take(&mut self.unsynced).then(|| Arc::clone(&self.file))
    }

    /// Whether a compaction is due now: the journal is large, or broken
    /// and due for another try.
    pub(crate) fn compaction_due(&self, now: Instant) -> bool {
        if self.compacting {
            return false;
        }
        if self.broken || self.failure.is_some() {
            return self
                .last_attempt
                .is_none_or(|t| now.duration_since(t) >= RETRY_INTERVAL);
        }
        self.bytes > COMPACT_BYTES.max(self.snapshot_bytes.saturating_mul(2))
    }

    /// Begins a compaction under the store's lock: the state as it is, and,
    /// unless the journal is broken or an earlier `.old` is still there, a
    /// fresh journal for the changes to come.
    pub(crate) fn begin_compaction(&mut self, mut state: State) -> Compaction {
        self.compacting = true;
        self.last_attempt = Some(Instant::now());
        state.journal_sequence = self.seq;
        if !self.broken && !self.paths.old.exists() {
            let rotated = std::fs::rename(&self.paths.journal, &self.paths.old)
                .and_then(|()| open_journal(&self.paths.journal));
            match rotated {
                Ok(file) => {
                    self.file = Arc::new(file);
                    self.bytes = 0;
                    self.unsynced = false;
                }
                Err(e) => self.fail(&format!(
                    "{} cannot be renamed or begun again: {e}",
                    self.paths.journal.display()
                )),
            }
        }
        Compaction {
            state,
            paths: self.paths.clone(),
            was_broken: self.broken,
        }
    }

    /// Ends a compaction under the store's lock, with what writing the
    /// snapshot gave.
    pub(crate) fn end_compaction(&mut self, written: Result<u64, String>, was_broken: bool) {
        self.compacting = false;
        match written {
            Ok(bytes) => {
                self.snapshot_bytes = bytes;
                if was_broken {
                    // Every record in the journal is in the snapshot now,
                    // and the last may be torn: start it again.
                    match self.file.set_len(0) {
                        Ok(()) => {
                            self.bytes = 0;
                            self.broken = false;
                        }
                        Err(e) => {
                            self.failure = Some(format!(
                                "{} cannot be emptied: {e}",
                                self.paths.journal.display()
                            ));
                            return;
                        }
                    }
                }
                if self.failure.take().is_some() {
                    tracing::info!(
                        "state file {}: written again",
                        self.paths.snapshot.display()
                    );
                }
            }
            Err(problem) => self.fail(&problem),
        }
    }
}

impl Compaction {
    /// Writes the snapshot, outside the store's lock, then removes the old
    /// journal it replaces. Answers the snapshot's size.
    pub(crate) fn write(&self) -> Result<u64, String> {
        let bytes = state::save(&self.paths.snapshot, &self.state).map_err(|e| e.problem())?;
        match std::fs::remove_file(&self.paths.old) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(format!(
                    "{} cannot be removed: {e}",
                    self.paths.old.display()
                ));
            }
        }
        Ok(bytes)
    }

    pub(crate) fn was_broken(&self) -> bool {
        self.was_broken
    }
}

fn open_journal(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A journal that is a symbolic link is refused, so that a link
        // planted in the directory cannot redirect the writes.
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// What start-up found: the state to serve, the journal to go on with, and
/// warnings to log once logging is up.
#[derive(Debug)]
pub struct Opened {
    /// The state: the snapshot with the journal's records read over it.
    pub state: Option<State>,
    pub(crate) journal: Journal,
    /// What was repaired (a torn last record), one sentence each.
    pub warnings: Vec<String>,
}

/// Opens the state file at `path`: reads the snapshot and the journals,
/// writes a fresh snapshot when the journals held anything, and opens the
/// journal for the changes to come.
///
/// # Errors
///
/// A sentence naming the file, the record and the problem; the files are
/// then as they were.
pub fn open(path: &Path) -> Result<Opened, StateFileError> {
    let paths = Paths::of(path);
    for p in [&paths.snapshot, &paths.journal, &paths.old] {
        refuse_link(p)?;
    }
    let snapshot = state::load(path)?;
    let snapshot_seq = snapshot.as_ref().map_or(0, |s| s.journal_sequence);
    let mut replay = Replay::new(snapshot, snapshot_seq);
    let mut warnings = Vec::new();
    for file in [&paths.old, &paths.journal] {
        replay.read(file, &mut warnings)?;
    }
    let Replay {
        mut state,
        seq,
        applied,
        ..
    } = replay;
    let mut snapshot_bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    if applied > 0 || paths.old.exists() {
        // Fold what the journals held into a fresh snapshot, so that the
        // new journal starts empty.
        let whole = state.get_or_insert_with(|| State {
            version: state::STATE_VERSION,
            ..State::default()
        });
        whole.journal_sequence = seq;
        snapshot_bytes = state::save(path, whole)?;
        for p in [&paths.old, &paths.journal] {
            match std::fs::remove_file(p) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(StateFileError::new(
                        path,
                        format!("{} cannot be removed: {e}", p.display()),
                    ));
                }
            }
        }
    }
    let file = open_journal(&paths.journal).map_err(|e| {
        StateFileError::new(
            path,
            format!("{} cannot be written: {e}", paths.journal.display()),
        )
    })?;
    let bytes = file.metadata().map_or(0, |m| m.len());
    Ok(Opened {
        state,
        journal: Journal {
            paths,
            file: Arc::new(file),
            seq,
            bytes,
            snapshot_bytes,
            unsynced: false,
            broken: false,
            compacting: false,
            failure: None,
            last_attempt: None,
            line: Vec::new(),
        },
        warnings,
    })
}

fn refuse_link(path: &Path) -> Result<(), StateFileError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(StateFileError::new(
            path,
            "is a symbolic link; name the file itself".to_owned(),
        )),
        _ => Ok(()),
    }
}

/// Reads journal records over a snapshot.
struct Replay {
    state: Option<State>,
    /// The last sequence number seen: the snapshot's, then each record's.
    seq: u64,
    /// How many records were read over the snapshot.
    applied: usize,
    sessions: HashMap<String, usize>,
    players: HashMap<String, usize>,
}

impl Replay {
    fn new(state: Option<State>, seq: u64) -> Self {
        let mut replay = Replay {
            state,
            seq,
            applied: 0,
            sessions: HashMap::new(),
            players: HashMap::new(),
        };
        replay.index();
        replay
    }

    fn index(&mut self) {
        self.sessions.clear();
        self.players.clear();
        if let Some(state) = &self.state {
            for (i, d) in state.game_session_details.iter().enumerate() {
                if let Some(id) = d
                    .game_session
                    .as_ref()
                    .and_then(|s| s.game_session_id.clone())
                {
                    self.sessions.insert(id, i);
                }
            }
            for (i, p) in state.player_sessions.iter().enumerate() {
                if let Some(id) = p.player_session_id.clone() {
                    self.players.insert(id, i);
                }
            }
        }
    }

    fn read(&mut self, path: &Path, warnings: &mut Vec<String>) -> Result<(), StateFileError> {
        let text = match std::fs::read(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(StateFileError::new(path, format!("cannot be read: {e}"))),
        };
        let complete = text.ends_with(b"\n");
        let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        // `split` yields an empty last piece after a final newline.
        let count = if complete {
            lines.len() - 1
        } else {
            lines.len()
        };
        for (i, line) in lines.iter().take(count).enumerate() {
            let number = i + 1;
            // Only a last line without its newline was cut short: a record
            // and its newline are written in one `write`, and nothing is
            // appended after a write that failed.
            if number == count && !complete {
                warnings.push(format!(
                    "state journal {}: record {number} is cut short (the process stopped while writing it) and was dropped",
                    path.display()
                ));
                return Ok(());
            }
            let record = serde_json::from_slice::<Record>(line).map_err(|e| {
                StateFileError::new(
                    path,
                    format!("record {number} is not a valid journal record: {e}"),
                )
            })?;
            self.apply(record).map_err(|problem| {
                StateFileError::new(path, format!("record {number} {problem}"))
            })?;
        }
        Ok(())
    }

    fn apply(&mut self, mut record: Record) -> Result<(), String> {
        if record.seq <= self.seq {
            // Already in the snapshot (written after this journal was begun).
            return Ok(());
        }
        self.seq = record.seq;
        self.applied += 1;
        let state = self.state.get_or_insert_with(|| State {
            version: state::STATE_VERSION,
            ..State::default()
        });
        if record.reset {
            *state = State {
                version: state::STATE_VERSION,
                ..State::default()
            };
            self.index();
            return Ok(());
        }
        if let Some(done) = apply_named(state, &mut record) {
            return done;
        }
        let Some(detail) = record.game_session_detail else {
            return Err(
                "names no game session, alias, queue, placement, rule set, configuration, ticket or fleet, and is no Reset".to_owned(),
            );
        };
        let Some(id) = detail
            .game_session
            .as_ref()
            .and_then(|s| s.game_session_id.clone())
        else {
            return Err("has no GameSessionDetail.GameSession.GameSessionId".to_owned());
        };
        if let Some(slot) = self
            .sessions
            .get(&id)
            .and_then(|&i| state.game_session_details.get_mut(i))
        {
            *slot = detail;
        } else {
            self.sessions
                .insert(id.clone(), state.game_session_details.len());
            state.game_session_details.push(detail);
        }
        for player in record.player_sessions {
            if player.game_session_id.as_deref() != Some(id.as_str()) {
                return Err("holds a player session of another game session".to_owned());
            }
            let Some(pid) = player.player_session_id.clone() else {
                return Err("holds a player session without a PlayerSessionId".to_owned());
            };
            if let Some(slot) = self
                .players
                .get(&pid)
                .and_then(|&i| state.player_sessions.get_mut(i))
            {
                *slot = player;
            } else {
                self.players.insert(pid, state.player_sessions.len());
                state.player_sessions.push(player);
            }
        }
        if let Some(request) = record.create_request {
            state.create_requests.insert(id, request);
        }
        Ok(())
    }
}

/// Reads a record of an alias, a queue or a placement into `state`; `None`
/// for a record of a game session.
fn apply_named(state: &mut State, record: &mut Record) -> Option<Result<(), String>> {
    if let Some(alias) = record.alias.take() {
        return Some(upsert(
            &mut state.aliases,
            alias,
            "an Alias without an AliasId",
            |a| a.alias_id.as_deref(),
        ));
    }
    if let Some(id) = record.deleted_alias.take() {
        state
            .aliases
            .retain(|a| a.alias_id.as_deref() != Some(id.as_str()));
        return Some(Ok(()));
    }
    if let Some(queue) = record.queue.take() {
        return Some(upsert(
            &mut state.game_session_queues,
            queue,
            "a Queue without a Name",
            |q| q.name.as_deref(),
        ));
    }
    if let Some(name) = record.deleted_queue.take() {
        state
            .game_session_queues
            .retain(|q| q.name.as_deref() != Some(name.as_str()));
        return Some(Ok(()));
    }
    if let Some(placement) = record.placement.take() {
        let id = placement.placement_id.clone().unwrap_or_default();
        match record.desired_player_sessions.take() {
            Some(desired) if placement.is_pending() => {
                state.desired_player_sessions.insert(id, desired);
            }
            _ => {
                state.desired_player_sessions.remove(&id);
            }
        }
        return Some(upsert(
            &mut state.game_session_placements,
            placement,
            "a Placement without a PlacementId",
            |p| p.placement_id.as_deref(),
        ));
    }
    if let Some(rule_set) = record.rule_set.take() {
        return Some(upsert(
            &mut state.matchmaking_rule_sets,
            rule_set,
            "a RuleSet without a RuleSetName",
            |r| r.rule_set_name.as_deref(),
        ));
    }
    if let Some(name) = record.deleted_rule_set.take() {
        state
            .matchmaking_rule_sets
            .retain(|r| r.rule_set_name.as_deref() != Some(name.as_str()));
        return Some(Ok(()));
    }
    if let Some(c) = record.configuration.take() {
        return Some(upsert(
            &mut state.matchmaking_configurations,
            c,
            "a Configuration without a Name",
            |c| c.name.as_deref(),
        ));
    }
    if let Some(name) = record.deleted_configuration.take() {
        state
            .matchmaking_configurations
            .retain(|c| c.name.as_deref() != Some(name.as_str()));
        return Some(Ok(()));
    }
    if let Some(f) = record.fleet.take() {
        match state.fleets.iter_mut().find(|d| d.fleet_id == f.fleet_id) {
            Some(slot) => *slot = f,
            None => state.fleets.push(f),
        }
        return Some(Ok(()));
    }
    if let Some(t) = record.ticket.take() {
        return Some(upsert(
            &mut state.matchmaking_tickets,
            t,
            "a Ticket without a TicketId",
            |t| t.ticket.ticket_id.as_deref(),
        ));
    }
    None
}

/// Replaces the item of `items` with `item`'s key, or adds it.
fn upsert<T>(
    items: &mut Vec<T>,
    item: T,
    keyless: &str,
    key: impl Fn(&T) -> Option<&str>,
) -> Result<(), String> {
    let Some(wanted) = key(&item).map(str::to_owned) else {
        return Err(format!("has {keyless}"));
    };
    match items.iter_mut().find(|i| key(i) == Some(wanted.as_str())) {
        Some(slot) => *slot = item,
        None => items.push(item),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! The law of the journal: whatever sequence of operations the emulator
    //! answers, the state read back from the files after a crash (no
    //! snapshot at shutdown) is the state it was serving.

    use std::sync::atomic::{AtomicU64, Ordering};

    use gamelift_session::{Limits, game_session::Transition, player_session::PlayerSessionChange};
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::protocol::Protocol;
    use crate::service::{Activation, Emulator, PlayerAcceptance, Reported, Settings};

    #[derive(Debug, Clone)]
    enum Op {
        Create { token: Option<u8>, max: u8 },
        Update { session: u8, name: u8, key: u8 },
        Join { session: u8, players: u8 },
        Accept { player: u8 },
        Remove { player: u8 },
        Activate { session: u8 },
        Terminate { session: u8, force: bool },
        ProcessEnded { session: u8 },
        Describe,
        Reset,
        Compact,
        CreateQueue { fleet: u8 },
        Place { id: u8, players: u8 },
        StopPlacement { id: u8 },
        Advance { seconds: u8 },
        CreateAlias { terminal: bool },
        UpdateAlias { alias: u8, fleet: u8 },
        DeleteAlias { alias: u8 },
        Matchmake { players: u8, queued: bool },
        AcceptTicket { ticket: u8, yes: bool },
        StopTicket { ticket: u8 },
        DeclareFleet { capacity: u8 },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (proptest::option::of(0u8..4), 1u8..4).prop_map(|(token, max)| Op::Create { token, max }),
            4 => (any::<u8>(), 0u8..4, 0u8..20).prop_map(|(session, name, key)| Op::Update { session, name, key }),
            4 => (any::<u8>(), 1u8..3).prop_map(|(session, players)| Op::Join { session, players }),
            2 => any::<u8>().prop_map(|player| Op::Accept { player }),
            2 => any::<u8>().prop_map(|player| Op::Remove { player }),
            2 => any::<u8>().prop_map(|session| Op::Activate { session }),
            2 => (any::<u8>(), any::<bool>()).prop_map(|(session, force)| Op::Terminate { session, force }),
            1 => any::<u8>().prop_map(|session| Op::ProcessEnded { session }),
            2 => Just(Op::Describe),
            1 => Just(Op::Reset),
            1 => Just(Op::Compact),
            1 => (0u8..3).prop_map(|fleet| Op::CreateQueue { fleet }),
            3 => (0u8..6, 0u8..3).prop_map(|(id, players)| Op::Place { id, players }),
            1 => (0u8..6).prop_map(|id| Op::StopPlacement { id }),
            1 => (0u8..30).prop_map(|seconds| Op::Advance { seconds }),
            2 => any::<bool>().prop_map(|terminal| Op::CreateAlias { terminal }),
            2 => (any::<u8>(), 0u8..3).prop_map(|(alias, fleet)| Op::UpdateAlias { alias, fleet }),
            1 => any::<u8>().prop_map(|alias| Op::DeleteAlias { alias }),
            3 => (1u8..3, any::<bool>()).prop_map(|(players, queued)| Op::Matchmake { players, queued }),
            2 => (any::<u8>(), any::<bool>()).prop_map(|(ticket, yes)| Op::AcceptTicket { ticket, yes }),
            1 => any::<u8>().prop_map(|ticket| Op::StopTicket { ticket }),
            1 => (0u8..4).prop_map(|capacity| Op::DeclareFleet { capacity }),
        ]
    }

    fn scratch() -> PathBuf {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "gamelift-journal-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir.join("state.json")
    }

    fn settings(activation: Activation, acceptance: PlayerAcceptance) -> Settings {
        let mut limits = Limits::AWS;
        // Reservations run out at once, so that reads time them out.
        limits.player_reservation_timeout = time::Duration::milliseconds(1);
        Settings {
            activation,
            player_acceptance: acceptance,
            limits,
            ..Settings::default()
        }
    }

    fn open_emulator(path: &Path, settings: Settings) -> Emulator {
        let opened = open(path).expect("the state file opens");
        Emulator::with_state_file(settings, opened).expect("the state file loads")
    }

    fn nth<T: Clone>(items: &[T], n: u8) -> Option<T> {
        (!items.is_empty()).then(|| items[usize::from(n) % items.len()].clone())
    }

    // One arm per operation: a table, read top to bottom.
    #[allow(clippy::too_many_lines)]
    fn run(emulator: &Emulator, op: &Op) {
        let state = emulator.state();
        let sessions: Vec<String> = state
            .game_session_details
            .iter()
            .filter_map(|d| d.game_session.as_ref()?.game_session_id.clone())
            .collect();
        let players: Vec<String> = state
            .player_sessions
            .iter()
            .filter_map(|p| p.player_session_id.clone())
            .collect();
        let call = |operation: &str, body: serde_json::Value| {
            let _ = emulator.call(operation, body.to_string().as_bytes(), Protocol::Json);
        };
        match *op {
            Op::Create { token, max } => {
                let mut body = json!({"FleetId": "fleet-1a2b", "MaximumPlayerSessionCount": max,
                    "GameProperties": [{"Key": "mode", "Value": "ranked"}]});
                if let Some(t) = token {
                    body["IdempotencyToken"] = json!(format!("token-{t}"));
                }
                call("CreateGameSession", body);
            }
            Op::Update { session, name, key } => {
                if let Some(id) = nth(&sessions, session) {
                    call(
                        "UpdateGameSession",
                        json!({"GameSessionId": id, "Name": format!("n{name}"),
                        "GameProperties": [{"Key": format!("k{key}"), "Value": "v"}]}),
                    );
                }
            }
            Op::Join {
                session,
                players: n,
            } => {
                if let Some(id) = nth(&sessions, session) {
                    let ids: Vec<String> = (0..n)
                        .map(|i| format!("player-{}-{i}", players.len()))
                        .collect();
                    call(
                        "CreatePlayerSessions",
                        json!({"GameSessionId": id, "PlayerIds": ids}),
                    );
                }
            }
            Op::Accept { player } | Op::Remove { player } => {
                if let Some(id) = nth(&players, player) {
                    let change = if matches!(op, Op::Accept { .. }) {
                        PlayerSessionChange::Accept
                    } else {
                        PlayerSessionChange::Remove
                    };
                    let _ = emulator.player_server(&id, change);
                }
            }
            Op::Activate { session } => {
                if let Some(id) = nth(&sessions, session) {
                    let _ = emulator.game_server(&id, Transition::Activate, &Reported::default());
                }
            }
            Op::ProcessEnded { session } => {
                if let Some(id) = nth(&sessions, session) {
                    let _ = emulator.game_server(
                        &id,
                        Transition::FinishTermination,
                        &Reported::default(),
                    );
                }
            }
            Op::Terminate { session, force } => {
                if let Some(id) = nth(&sessions, session) {
                    let mode = if force {
                        "FORCE_TERMINATE"
                    } else {
                        "TRIGGER_ON_PROCESS_TERMINATE"
                    };
                    call(
                        "TerminateGameSession",
                        json!({"GameSessionId": id, "TerminationMode": mode}),
                    );
                }
            }
            Op::Describe => {
                call("DescribeGameSessions", json!({"FleetId": "fleet-1a2b"}));
                call("SearchGameSessions", json!({"FleetId": "fleet-1a2b"}));
            }
            Op::Reset => {
                emulator.reset();
            }
            Op::Compact => {
                let _ = emulator.save_state_file();
            }
            Op::CreateAlias { .. } | Op::UpdateAlias { .. } | Op::DeleteAlias { .. } => {
                run_alias(emulator, &state, op);
            }
            Op::CreateQueue { fleet } => {
                let fleets = ["fleet-1a2b", "fleet-9z"];
                let arns: Vec<_> = fleets
                    .iter()
                    .skip(usize::from(fleet % 2))
                    .map(|f| json!({"DestinationArn": format!("arn:aws:gamelift:us-west-2:1:fleet/{f}")}))
                    .collect();
                call(
                    "CreateGameSessionQueue",
                    json!({"Name": format!("q{fleet}"),
                    "TimeoutInSeconds": 10, "Destinations": arns}),
                );
            }
            Op::Place { id, players } => {
                let desired: Vec<_> = (0..players)
                    .map(|i| json!({"PlayerId": format!("placed-{id}-{i}"), "PlayerData": "d"}))
                    .collect();
                call(
                    "StartGameSessionPlacement",
                    json!({"PlacementId": format!("p{id}"),
                    "GameSessionQueueName": format!("q{}", id % 3), "MaximumPlayerSessionCount": 2,
                    "DesiredPlayerSessions": desired}),
                );
                call(
                    "DescribeGameSessionPlacement",
                    json!({"PlacementId": format!("p{}", id / 2)}),
                );
            }
            Op::StopPlacement { id } => {
                call(
                    "StopGameSessionPlacement",
                    json!({"PlacementId": format!("p{id}")}),
                );
            }
            Op::Advance { seconds } => {
                emulator.advance_clock(time::Duration::seconds(i64::from(seconds)));
            }
            Op::Matchmake { .. } | Op::AcceptTicket { .. } | Op::StopTicket { .. } => {
                run_matchmaking(emulator, &state, op);
            }
            Op::DeclareFleet { capacity } => {
                let fleet = DeclaredFleet {
                    fleet_id: "fleet-1a2b".to_owned(),
                    capacity: Some(usize::from(capacity) * 2),
                    locations: vec!["us-east-1".to_owned()],
                };
                emulator.store().declare_fleets(&[fleet]);
            }
        }
    }

    /// Rule sets, configurations (standalone, and through the queue `q0`
    /// when it exists) and tickets, accepted, rejected and stopped.
    fn run_matchmaking(emulator: &Emulator, state: &State, op: &Op) {
        let call = |operation: &str, body: serde_json::Value| {
            let _ = emulator.call(operation, body.to_string().as_bytes(), Protocol::Json);
        };
        let tickets: Vec<(String, Vec<String>)> = state
            .matchmaking_tickets
            .iter()
            .map(|t| {
                let players = t
                    .ticket
                    .players()
                    .iter()
                    .filter_map(|p| p.player_id.clone())
                    .collect();
                (t.ticket.ticket_id.clone().unwrap_or_default(), players)
            })
            .collect();
        match *op {
            Op::Matchmake { players, queued } => {
                let rules = json!({"ruleLanguageVersion": "1.0",
                    "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 2},
                              {"name": "blue", "minPlayers": 1, "maxPlayers": 2}]});
                call(
                    "CreateMatchmakingRuleSet",
                    json!({"Name": "r", "RuleSetBody": rules.to_string()}),
                );
                call(
                    "CreateMatchmakingConfiguration",
                    json!({"Name": "solo", "RuleSetName": "r",
                    "RequestTimeoutSeconds": 20, "AcceptanceRequired": true, "AcceptanceTimeoutSeconds": 5,
                    "FlexMatchMode": "STANDALONE"}),
                );
                call(
                    "CreateMatchmakingConfiguration",
                    json!({"Name": "placed", "RuleSetName": "r",
                    "RequestTimeoutSeconds": 20, "AcceptanceRequired": false,
                    "GameSessionQueueArns": ["arn:aws:gamelift:us-west-2:1:gamesessionqueue/q0"]}),
                );
                let ids: Vec<_> = (0..players)
                    .map(|i| json!({"PlayerId": format!("mm-{}-{i}", tickets.len())}))
                    .collect();
                let config = if queued { "placed" } else { "solo" };
                call(
                    "StartMatchmaking",
                    json!({"ConfigurationName": config, "Players": ids}),
                );
            }
            Op::AcceptTicket { ticket, yes } => {
                if let Some((id, players)) = nth(&tickets, ticket) {
                    let answer = if yes { "ACCEPT" } else { "REJECT" };
                    call(
                        "AcceptMatch",
                        json!({"TicketId": id, "PlayerIds": players, "AcceptanceType": answer}),
                    );
                    call("DescribeMatchmaking", json!({"TicketIds": [id]}));
                }
            }
            Op::StopTicket { ticket } => {
                if let Some((id, _)) = nth(&tickets, ticket) {
                    call("StopMatchmaking", json!({"TicketId": id}));
                }
            }
            _ => {}
        }
    }

    fn run_alias(emulator: &Emulator, state: &State, op: &Op) {
        let aliases: Vec<String> = state
            .aliases
            .iter()
            .filter_map(|a| a.alias_id.clone())
            .collect();
        let call = |operation: &str, body: serde_json::Value| {
            let _ = emulator.call(operation, body.to_string().as_bytes(), Protocol::Json);
        };
        match *op {
            Op::CreateAlias { terminal } => {
                let strategy = if terminal {
                    json!({"Type": "TERMINAL", "Message": "closed"})
                } else {
                    json!({"Type": "SIMPLE", "FleetId": "fleet-1a2b"})
                };
                call(
                    "CreateAlias",
                    json!({"Name": "a", "RoutingStrategy": strategy}),
                );
            }
            Op::UpdateAlias { alias, fleet } => {
                if let Some(id) = nth(&aliases, alias) {
                    call(
                        "UpdateAlias",
                        json!({"AliasId": id, "Name": format!("a{fleet}"),
                        "RoutingStrategy": {"Type": "SIMPLE", "FleetId": format!("fleet-{fleet}")}}),
                    );
                }
            }
            Op::DeleteAlias { alias } => {
                if let Some(id) = nth(&aliases, alias) {
                    call("DeleteAlias", json!({"AliasId": id}));
                }
            }
            _ => {}
        }
    }

    /// The state as served, with reads' time-outs written down, and
    /// without the bookkeeping of where the journal stood.
    fn served(emulator: &Emulator) -> State {
        emulator.expire_now();
        let mut state = emulator.state();
        state.journal_sequence = 0;
        state
    }

    /// How far the operations moved the clock ahead.
    fn emulator_offset(ops: &[Op]) -> time::Duration {
        let seconds: i64 = ops
            .iter()
            .map(|op| match op {
                Op::Advance { seconds } => i64::from(*seconds),
                _ => 0,
            })
            .sum();
        time::Duration::seconds(seconds)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn prop_a_crash_reads_back_the_state_served(
            ops in proptest::collection::vec(op(), 1..40),
            never in any::<bool>(),
            manual in any::<bool>(),
        ) {
            let activation = if never { Activation::Never } else { Activation::Active };
            let acceptance = if manual { PlayerAcceptance::Manual } else { PlayerAcceptance::Immediate };
            let path = scratch();
            let emulator = open_emulator(&path, settings(activation, acceptance));
            for op in &ops {
                run(&emulator, op);
            }
            // Every reservation has run out by now, on both sides.
            std::thread::sleep(std::time::Duration::from_millis(3));
            let before = served(&emulator);
            // The crash: no snapshot, the journal as it is.
            drop(emulator);
            let again = open_emulator(&path, settings(activation, acceptance));
            // The control API's clock offset is a test device, not state:
            // the reopened emulator is moved as far ahead.
            let ahead = emulator_offset(&ops);
            again.advance_clock(ahead);
            prop_assert_eq!(served(&again), before);
            let _ = std::fs::remove_dir_all(path.parent().expect("a directory"));
        }
    }
}
