//! Reading a state file back: the snapshot, then the records of the
//! journals after it, each checked; no file is changed.

use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::record::{Header, Record};
use super::snapshot::{self, refuse_link};
use super::{JOURNAL_VERSION, Paths, StateFileError, v1};

/// What to do about a line that cannot be read: said once, the same way
/// for every kind of damage.
const CUT_HINT: &str = "to start from the changes before it, cut the journal at that line \
     (what it and the lines after it held is then lost), or restore the file from a copy";

/// A snapshot that knows the last journal record it holds.
pub(crate) trait Sequenced {
    /// The sequence number of the last record the snapshot holds (0 for
    /// a snapshot written by hand).
    fn journal_sequence(&self) -> u64;
    /// The newest snapshot `Version` this emulator reads.
    const NEWEST: u32;
}

/// A record read, with where it was.
#[derive(Debug)]
pub(crate) struct Line {
    pub(crate) file: PathBuf,
    pub(crate) number: usize,
    pub(crate) record: Record,
}

impl Line {
    /// The error for a record that cannot be applied: `problem` names it,
    /// and the message says where and what to do.
    pub(crate) fn refuse(&self, problem: &str) -> StateFileError {
        StateFileError::new(
            &self.file,
            format!("line {} {problem}; {CUT_HINT}", self.number),
        )
    }
}

/// A state file as read: the snapshot, the records after it in order,
/// what was repaired on the way, and where the sequence ends.
#[derive(Debug)]
pub(crate) struct Read<T> {
    pub(crate) paths: Paths,
    pub(crate) snapshot: Option<T>,
    pub(crate) records: Vec<Line>,
    /// What was dropped (a line cut short, a blank line), one sentence each.
    pub(crate) warnings: Vec<String>,
    /// The sequence number of the last record: the snapshot's, or the last
    /// record's.
    pub(crate) seq: u64,
}

impl<T> Read<T> {
    /// Whether loading must write a fresh snapshot: records were read over
    /// the old one, or an old journal is left from a compaction.
    pub(crate) fn needs_fold(&self) -> bool {
        !self.records.is_empty() || self.paths.old.exists()
    }
}

/// Reads the state file at `path`: the snapshot, then the old journal and
/// the journal. Changes no file.
///
/// # Errors
///
/// A sentence naming the file, the line and the problem.
pub(crate) fn read<T: Serialize + DeserializeOwned + Sequenced>(
    path: &Path,
) -> Result<Read<T>, StateFileError> {
    let paths = Paths::of(path);
    for p in [&paths.snapshot, &paths.journal, &paths.old] {
        refuse_link(p)?;
    }
    let snapshot: Option<T> = snapshot::load(path, T::NEWEST)?;
    let base = snapshot.as_ref().map_or(0, Sequenced::journal_sequence);
    let mut reader = Reader {
        base,
        last: None,
        records: Vec::new(),
        warnings: Vec::new(),
    };
    for file in [&paths.old, &paths.journal] {
        reader.read(file)?;
    }
    let seq = reader.last.map_or(base, |last| last.max(base));
    Ok(Read {
        paths,
        snapshot,
        records: reader.records,
        warnings: reader.warnings,
        seq,
    })
}

struct Reader {
    /// The snapshot's sequence number: records at or below it are in it.
    base: u64,
    /// The last sequence number read.
    last: Option<u64>,
    records: Vec<Line>,
    warnings: Vec<String>,
}

impl Reader {
    fn read(&mut self, path: &Path) -> Result<(), StateFileError> {
        let text = match std::fs::read(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(StateFileError::new(path, format!("cannot be read: {e}"))),
        };
        if text.is_empty() {
            return Ok(());
        }
        let complete = text.ends_with(b"\n");
        let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        if complete {
            // `split` yields an empty last piece after a final newline.
            lines.pop();
        }
        let count = lines.len();
        let mut version = 1;
        for (i, line) in lines.into_iter().enumerate() {
            let number = i + 1;
            // Only a last line without its newline was cut short: a batch
            // of records is written in one `write`, and nothing is
            // appended after a write that failed.
            if number == count && !complete {
                self.warnings.push(format!(
                    "state journal {}: line {number} is cut short (the process stopped while writing it) and was dropped",
                    path.display()
                ));
                return Ok(());
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                self.warnings.push(format!(
                    "state journal {}: line {number} is blank and was skipped",
                    path.display()
                ));
                continue;
            }
            if number == 1
                && let Ok(header) = serde_json::from_slice::<Header>(line)
            {
                if header.journal == 0 || header.journal > JOURNAL_VERSION {
                    return Err(StateFileError::new(
                        path,
                        format!(
                            "line 1 says journal version {}, which this emulator does not read \
                             (it reads versions 1 to {JOURNAL_VERSION}); start the emulator that wrote it",
                            header.journal
                        ),
                    ));
                }
                version = header.journal;
                continue;
            }
            let record = if version == 1 {
                v1::read(line)
            } else {
                serde_json::from_slice::<Record>(line)
                    .map_err(|e| format!("is not a journal record: {e}"))
            };
            let line = Line {
                file: path.to_owned(),
                number,
                record: record.map_err(|problem| {
                    StateFileError::new(path, format!("line {number} {problem}; {CUT_HINT}"))
                })?,
            };
            self.take(line)?;
        }
        Ok(())
    }

    /// Checks a record's place in the sequence and keeps it when it is
    /// not in the snapshot already.
    fn take(&mut self, line: Line) -> Result<(), StateFileError> {
        let seq = line.record.seq;
        if !line.record.reset && line.record.rows.is_empty() {
            return Err(line.refuse("names no row and is no Reset"));
        }
        if let Some(last) = self.last {
            if seq == last {
                return Err(line.refuse(&format!(
                    "repeats Seq {seq}: a change would be applied twice"
                )));
            }
            if seq < last {
                return Err(line.refuse(&format!(
                    "has Seq {seq} after Seq {last}: the journal's records are out of order"
                )));
            }
        }
        self.last = Some(seq);
        if seq <= self.base {
            // Written before the snapshot that holds it was taken.
            return Ok(());
        }
        let expected = self.records.last().map_or(self.base, |l| l.record.seq) + 1;
        if seq != expected {
            return Err(line.refuse(&format!(
                "has Seq {seq} where Seq {expected} belongs: the records between are missing"
            )));
        }
        self.records.push(line);
        Ok(())
    }
}
