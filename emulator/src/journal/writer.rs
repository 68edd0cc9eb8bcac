//! [`Journal`]: the open journal and the thread that writes it. Records
//! are queued under the store's lock and appended in batches outside it;
//! an answer waits for its record ([`Journal::wait`]).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::record::{Header, RecordWriter};
use super::snapshot;
use super::{COMPACT_BYTES, JOURNAL_VERSION, Paths, SYNC_INTERVAL, StateFileError};

/// How often a failing state file is tried again.
pub(crate) const SNAPSHOT_RETRY: Duration = Duration::from_secs(1);

/// The open journal: the queue the store's changes go to, and the thread
/// that writes them.
#[derive(Debug)]
pub(crate) struct Journal {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[derive(Debug)]
struct Shared {
    paths: Paths,
    queue: Mutex<Queue>,
    wake: Condvar,
    status: Mutex<Status>,
    changed: Condvar,
    /// The last record written (or let go, while the journal is broken),
    /// for answers that wait in async code.
    written: tokio::sync::watch::Sender<u64>,
}

#[derive(Debug, Default)]
struct Queue {
    /// The sequence number the next record takes.
    next_seq: u64,
    /// Records waiting to be written, whole lines.
    bytes: Vec<u8>,
    /// A compaction asked for a new journal from this byte of `bytes` on,
    /// after the record with this sequence number.
    cut: Option<(usize, u64)>,
    stop: bool,
}

#[derive(Debug, Default)]
struct Status {
    /// The last record written, or let go while broken.
    written: u64,
    /// A write failed: nothing is written until a compaction succeeds.
    broken: bool,
    /// The last failure, reported by the health endpoint.
    failure: Option<String>,
    journal_bytes: u64,
    snapshot_bytes: u64,
    compacting: bool,
    last_attempt: Option<Instant>,
    /// What the last cut asked of the writer gave, once it is done.
    rotated: Option<Result<(), String>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section leaves its value whole: a panic in one does
    // not make the value unusable.
    m.lock().unwrap_or_else(PoisonError::into_inner)
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
    let mut file = options.open(path)?;
    if file.metadata()?.len() == 0 {
        let mut header = serde_json::to_vec(&Header {
            journal: JOURNAL_VERSION,
        })?;
        header.push(b'\n');
        file.write_all(&header)?;
    }
    Ok(file)
}

fn remove_if_there(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

impl Journal {
    /// Begins writing the state file of `paths`, after a load that read
    /// up to record `seq`. With `fold`, the state loaded is written as the
    /// new snapshot first and the journals it holds are removed; the new
    /// journal then starts empty.
    ///
    /// # Errors
    ///
    /// A file that cannot be written or removed.
    pub(crate) fn start<T: Serialize>(
        paths: Paths,
        seq: u64,
        fold: Option<&T>,
    ) -> Result<Journal, StateFileError> {
        let mut snapshot_bytes = std::fs::metadata(&paths.snapshot).map_or(0, |m| m.len());
        if let Some(state) = fold {
            snapshot_bytes = snapshot::save(&paths.snapshot, state)?;
            for p in [&paths.old, &paths.journal] {
                remove_if_there(p).map_err(|e| {
                    StateFileError::new(
                        &paths.snapshot,
                        format!("{} cannot be removed: {e}", p.display()),
                    )
                })?;
            }
        }
        let file = open_journal(&paths.journal).map_err(|e| {
            StateFileError::new(
                &paths.snapshot,
                format!("{} cannot be written: {e}", paths.journal.display()),
            )
        })?;
        let journal_bytes = file.metadata().map_or(0, |m| m.len());
        let shared = Arc::new(Shared {
            paths,
            queue: Mutex::new(Queue {
                next_seq: seq + 1,
                ..Queue::default()
            }),
            wake: Condvar::new(),
            status: Mutex::new(Status {
                written: seq,
                journal_bytes,
                snapshot_bytes,
                ..Status::default()
            }),
            changed: Condvar::new(),
            written: tokio::sync::watch::channel(seq).0,
        });
        let paths_of_snapshot = shared.paths.snapshot.clone();
        let thread = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("state-journal".to_owned())
                .spawn(move || shared.run(Some(file)))
                .map_err(|e| {
                    StateFileError::new(&paths_of_snapshot, format!("no writer thread: {e}"))
                })?
        };
        Ok(Journal {
            shared,
            thread: Some(thread),
        })
    }

    /// Queues one record, which `write` fills; answers its sequence
    /// number. Called under the store's lock, so records queue in the
    /// order the changes were made.
    pub(crate) fn append(&self, write: impl FnOnce(&mut RecordWriter<'_>)) -> u64 {
        let mut queue = lock(&self.shared.queue);
        let seq = queue.next_seq;
        queue.next_seq += 1;
        write(&mut RecordWriter::new(&mut queue.bytes, seq));
        drop(queue);
        self.shared.wake.notify_one();
        seq
    }

    /// Waits until the record `seq` is written (or, while the journal is
    /// broken, let go).
    pub(crate) fn wait(&self, seq: u64) {
        let mut status = lock(&self.shared.status);
        while status.written < seq {
            status = self
                .shared
                .changed
                .wait(status)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// [`Journal::wait`], for async code.
    pub(crate) async fn written(&self, seq: u64) {
        let mut watch = self.shared.written.subscribe();
        let _ = watch.wait_for(|&written| written >= seq).await;
    }

    /// The health endpoint's word on the state file: `None` while it is
    /// written, the last failure otherwise.
    pub(crate) fn failure(&self) -> Option<String> {
        lock(&self.shared.status).failure.clone()
    }

    /// Whether a compaction is due now: the journal is large, or the state
    /// file is failing and due for another try.
    pub(crate) fn compaction_due(&self, now: Instant) -> bool {
        let status = lock(&self.shared.status);
        if status.compacting {
            return false;
        }
        if status.broken || status.failure.is_some() {
            return status
                .last_attempt
                .is_none_or(|t| now.duration_since(t) >= SNAPSHOT_RETRY);
        }
        status.journal_bytes > COMPACT_BYTES.max(status.snapshot_bytes.saturating_mul(2))
    }

    /// Begins a compaction, under the store's lock: the records queued so
    /// far go to the journal as it is, which then becomes the old journal,
    /// and the records after to a new one. Answers the sequence number of
    /// the last record before the cut: the snapshot's.
    pub(crate) fn cut(&self) -> u64 {
        {
            let mut status = lock(&self.shared.status);
            status.compacting = true;
            status.last_attempt = Some(Instant::now());
            status.rotated = None;
        }
        let mut queue = lock(&self.shared.queue);
        let seq = queue.next_seq - 1;
        queue.cut = Some((queue.bytes.len(), seq));
        drop(queue);
        self.shared.wake.notify_one();
        seq
    }

    /// Ends a compaction begun by [`Journal::cut`], outside the store's
    /// lock: waits for the writer to begin the new journal, writes
    /// `state` as the snapshot, and removes the old journal.
    ///
    /// # Errors
    ///
    /// A sentence naming the file and the problem; the files still read
    /// back to the last state they held.
    pub(crate) fn compact<T: Serialize>(&self, state: &T) -> Result<(), String> {
        let rotated = {
            let mut status = lock(&self.shared.status);
            loop {
                if let Some(rotated) = status.rotated.take() {
                    break rotated;
                }
                status = self
                    .shared
                    .changed
                    .wait(status)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        let paths = &self.shared.paths;
        // The snapshot holds every record up to the cut, so it is written
        // even when the journal could not begin again: the state is then on
        // the disk, and the next compaction tries the journal again.
        let written = snapshot::save(&paths.snapshot, state)
            .map_err(|e| e.problem())
            .and_then(|bytes| {
                remove_if_there(&paths.old)
                    .map_err(|e| format!("{} cannot be removed: {e}", paths.old.display()))?;
                rotated.map(|()| bytes)
            });
        let mut status = lock(&self.shared.status);
        status.compacting = false;
        match written {
            Ok(bytes) => {
                status.snapshot_bytes = bytes;
                if !status.broken && status.failure.take().is_some() {
                    tracing::info!("state file {}: written again", paths.snapshot.display());
                }
                Ok(())
            }
            Err(problem) => {
                fail(&mut status, paths, &problem);
                Err(problem)
            }
        }
    }
}

/// Records a failure: logged the first time, reported until a compaction
/// succeeds.
fn fail(status: &mut Status, paths: &Paths, problem: &str) {
    if status.failure.is_none() {
        tracing::error!(
            "state file {}: {problem}; serving on from memory, and trying a whole snapshot every second",
            paths.snapshot.display()
        );
    }
    status.failure = Some(problem.to_owned());
}

impl Shared {
    /// The writer thread: writes what has queued up, a batch at a time,
    /// begins new journals when told, and flushes to the disk at least
    /// every [`SYNC_INTERVAL`].
    fn run(&self, mut file: Option<File>) {
        let mut batch = Vec::new();
        let mut unsynced = false;
        let mut last_sync = Instant::now();
        loop {
            let (cut, last, stop) = {
                let mut queue = lock(&self.queue);
                while queue.bytes.is_empty() && queue.cut.is_none() && !queue.stop {
                    let (q, timeout) = self
                        .wake
                        .wait_timeout(queue, SYNC_INTERVAL)
                        .unwrap_or_else(PoisonError::into_inner);
                    queue = q;
                    if timeout.timed_out() && unsynced {
                        break;
                    }
                }
                std::mem::swap(&mut queue.bytes, &mut batch);
                (queue.cut.take(), queue.next_seq - 1, queue.stop)
            };
            let before = cut.map_or(batch.len(), |(at, _)| at.min(batch.len()));
            unsynced |= self.write(file.as_mut(), &batch[..before]);
            if cut.is_some() {
                if let Some(f) = file.as_ref()
                    && unsynced
                {
                    let _ = f.sync_data();
                }
                file = self.rotate(file);
                unsynced = self.write(file.as_mut(), &batch[before..]);
                last_sync = Instant::now();
            }
            batch.clear();
            if batch.capacity() > 1 << 20 {
                batch = Vec::new();
            }
            {
                let mut status = lock(&self.status);
                status.written = last;
                self.changed.notify_all();
            }
            self.written.send_replace(last);
            if unsynced && (stop || last_sync.elapsed() >= SYNC_INTERVAL) {
                if let Some(f) = file.as_ref()
                    && let Err(e) = f.sync_data()
                {
                    tracing::error!("state file journal cannot be flushed to the disk: {e}");
                }
                unsynced = false;
                last_sync = Instant::now();
            }
            if stop {
                return;
            }
        }
    }

    /// Appends `bytes` unless the journal is broken; answers whether
    /// anything was written.
    fn write(&self, file: Option<&mut File>, bytes: &[u8]) -> bool {
        if bytes.is_empty() {
            return false;
        }
        if lock(&self.status).broken {
            return false;
        }
        let written = match file {
            Some(f) => f.write_all(bytes),
            None => Err(io::Error::other("it is not open")),
        };
        let mut status = lock(&self.status);
        match written {
            Ok(()) => {
                status.journal_bytes += bytes.len() as u64;
                true
            }
            Err(e) => {
                status.broken = true;
                let problem = format!("{} cannot be written: {e}", self.paths.journal.display());
                fail(&mut status, &self.paths, &problem);
                false
            }
        }
    }

    /// Renames the journal to the old journal and begins a new one; a
    /// broken journal is whole again once that works. An old journal not
    /// yet removed (the last compaction failed) holds records the snapshot
    /// may not: then the journal goes on as it is, still broken if it was
    /// (a torn record may end it), and the compaction removes the old one.
    fn rotate(&self, file: Option<File>) -> Option<File> {
        let paths = &self.paths;
        if paths.old.exists() {
            let mut status = lock(&self.status);
            status.rotated = Some(Ok(()));
            self.changed.notify_all();
            return file;
        }
        drop(file);
        let opened = match std::fs::rename(&paths.journal, &paths.old) {
            // A journal that could not be begun again last time is not there.
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => open_journal(&paths.journal),
        };
        let mut status = lock(&self.status);
        let file = match opened {
            Ok(file) => {
                status.journal_bytes = file.metadata().map_or(0, |m| m.len());
                status.broken = false;
                status.rotated = Some(Ok(()));
                Some(file)
            }
            Err(e) => {
                let problem = format!(
                    "{} cannot be renamed or begun again: {e}",
                    paths.journal.display()
                );
                status.broken = true;
                fail(&mut status, paths, &problem);
                status.rotated = Some(Err(problem));
                None
            }
        };
        self.changed.notify_all();
        file
    }
}

impl Drop for Journal {
    /// Writes what is queued, flushes it to the disk, and stops the thread.
    fn drop(&mut self) {
        lock(&self.shared.queue).stop = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
