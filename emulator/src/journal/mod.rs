//! The state file: a snapshot, and a journal of every change since, so
//! that a crash loses nothing that was answered.
//!
//! With `--state FILE` there are two files. `FILE` is a snapshot of the
//! whole state (see [`crate::state`]), written atomically. `FILE.journal`
//! holds the changes since, one JSON record a line, after a header naming
//! the format's version:
//!
//! ```json
//! {"Journal":2}
//! {"Seq":7,"Rows":[{"Table":"GameSessions","Key":"arn:aws:gamelift:...","Row":{...}},{"Table":"PlayerSessions","Key":"psess-...","Row":{...}}]}
//! {"Seq":8,"Rows":[{"Table":"Tickets","Key":"ticket-1"}]}
//! {"Seq":9,"Reset":true,"Rows":[{"Table":"Fleets","Key":"fleet-1","Row":{...}}]}
//! ```
//!
//! **One record shape.** A record is what one operation changed: each
//! change the upsert (`Row` present) or the removal (`Row` absent) of one
//! row of one table, found by its key; `Reset` empties every table first.
//! A resource is one or more tables; adding one adds its rows, and nothing
//! else, to the journal. The journal does not know the rows' shapes: each
//! table reads and checks its own (the store's registry, `store.rs`).
//!
//! **Versions.** The header says the version ([`JOURNAL_VERSION`]); a
//! journal without one is of version 1, the format before the header,
//! whose records had a member per kind of change
//! (`{"Seq":7,"GameSessionDetail":{...},"PlayerSessions":[...]}`): it is
//! read into the same rows. A version this emulator does not know stops
//! start-up.
//!
//! **Durability.** A record is put in the writer's queue under the store's
//! lock, in the order the changes were made; the operation that finds
//! nobody writing leads, and appends what has queued up in one `write`
//! (group commit), outside the lock (`writer.rs` tells how);
//! the answer of each change waits until its record is written. So a
//! process killed at any moment, `kill -9` or the out-of-memory killer
//! included, loses nothing it answered, and a busy emulator makes one
//! system call for many answers. The journal is flushed to the disk
//! ([`SYNC_INTERVAL`]) at least every 100 ms, so a crash of the machine
//! loses at most the last 100 ms of answers.
//!
//! **Compaction.** When the journal outgrows [`COMPACT_BYTES`] (or twice
//! the snapshot), the state is copied under the lock and the writer is
//! told to begin a new journal at that record: what came before goes to
//! the old one, renamed `FILE.journal.old`, what comes after to the new
//! one. The snapshot is written outside the lock; then the old journal is
//! removed. A crash at any step leaves files that read back to the same
//! state: records at or below the snapshot's sequence number are in it.
//! Shutdown compacts the same way.
//!
//! **Loading** changes no file: the snapshot and the journals
//! are read, every record is checked and applied, and only when the whole
//! state has loaded is it folded into a fresh snapshot.
//! A last line cut short (the process stopped while writing it) is dropped
//! with a warning, and so is a blank line. Every other fault stops
//! start-up with a sentence naming the file, the line and what to do, and
//! leaves the files as they are: a line that is not a record, a sequence
//! number that skips one (records were lost) or does not move on, a row a
//! table's rules refuse, a version not known.
//!
//! **Failures.** A write that fails (disk full, read-only directory) is
//! logged once and reported by `GET /_emulator/health`; the emulator goes
//! on serving from memory, stops appending (so no later record can follow
//! a torn one), and tries a compaction every second until one succeeds,
//! which is then the state on the disk again.

mod changes;
mod record;
mod replay;
pub(crate) mod snapshot;
mod v1;
mod writer;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub(crate) use changes::Changes;
pub(crate) use record::{RecordWriter, RowChange};
pub(crate) use replay::{Line, Sequenced, read};
pub(crate) use writer::Journal;

/// The version of the journal format this emulator writes.
pub const JOURNAL_VERSION: u32 = 2;

/// The longest an answered change waits to be flushed to the disk.
pub const SYNC_INTERVAL: Duration = Duration::from_millis(100);

/// The journal size past which it is folded into the snapshot (or twice
/// the snapshot's size, when that is larger).
pub const COMPACT_BYTES: u64 = 64 * 1024 * 1024;

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

/// A state file that could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub(crate) fn new(path: &Path, problem: impl Into<String>) -> Self {
        StateFileError {
            path: path.to_owned(),
            problem: problem.into(),
        }
    }

    /// What went wrong, as the health endpoint says it: the file's name,
    /// then the problem (`/data/state.json cannot be written: ...`).
    pub(crate) fn problem(&self) -> String {
        format!("{} {}", self.path.display(), self.problem)
    }
}
