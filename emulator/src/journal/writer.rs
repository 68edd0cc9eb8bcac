//! [`Journal`]: the open journal, written by group commit.
//!
//! Records are queued under the store's lock, in the order the changes
//! were made ([`Journal::append`]). Writing happens outside the lock: the
//! first operation to queue a record while nobody writes becomes the
//! leader, and once it has let the store go it appends everything queued
//! in one `write`, then what queued meanwhile, until the queue is empty or
//! its own record and one batch more are written. Every other operation
//! waits for its record ([`Journal::wait`], [`Journal::written`]); when a
//! leader stops with records still queued, a waiter takes over. So a busy
//! emulator makes one system call for many answers, no thread is woken to
//! write, and no answer leaves before its record is written. A background
//! thread flushes the file to the disk every [`SYNC_INTERVAL`], and writes
//! what nobody is left to write (the operations waiting for it went away).
//!
//! A leader in the async server does not write the moment it lets the
//! store go: it first lets the operations ready on its worker run
//! (`Context::lead_then_written`), so that their records join its batch.
//! Without that pause a busy emulator on two cores wrote once per answer,
//! since at most two operations are ever under way at once; with it, one
//! `write` carries about 16 answers (BENCHMARKS.md, "Durability").

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::record::{Header, RecordWriter};
use super::snapshot;
use super::{COMPACT_BYTES, JOURNAL_VERSION, Paths, SYNC_INTERVAL, StateFileError};

/// How often a failing state file is tried again.
pub(crate) const SNAPSHOT_RETRY: Duration = Duration::from_secs(1);

/// How many batches a leader writes past its own record before it hands
/// over, so that no one operation's answer waits on everyone else's.
const BATCHES_PAST_OWN: usize = 1;

/// The open journal.
#[derive(Debug)]
pub(crate) struct Journal {
    shared: Arc<Shared>,
    flusher: Option<std::thread::JoinHandle<()>>,
}

/// What queuing a record gave: its sequence number, and whether the
/// operation is the leader that writes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Receipt {
    pub(crate) seq: u64,
    pub(crate) lead: bool,
}

#[derive(Debug)]
struct Shared {
    paths: Paths,
    queue: Mutex<Queue>,
    status: Mutex<Status>,
    /// Wakes operations waiting outside async code.
    changed: Condvar,
    /// How many wait on `changed`: no wake-up when nobody does.
    sync_waiters: std::sync::atomic::AtomicUsize,
    /// Written since the last flush to the disk.
    unsynced: AtomicBool,
    stop: AtomicBool,
}

#[derive(Debug, Default)]
struct Queue {
    /// The sequence number the next record takes.
    next_seq: u64,
    /// Records waiting to be written, whole lines.
    bytes: Vec<u8>,
    /// The buffer the last batch was written from, kept for the next.
    spare: Vec<u8>,
    /// A compaction asked for a new journal from this byte of `bytes` on,
    /// after the record with this sequence number.
    cut: Option<(usize, u64)>,
    /// A leader is writing.
    writing: bool,
    file: Option<Arc<File>>,
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
    /// Answers waiting in async code: each is woken once its record is
    /// written, or when a leader hands over and someone must take on.
    waiters: Vec<(u64, Waker)>,
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
        let snapshot_path = paths.snapshot.clone();
        let shared = Arc::new(Shared {
            paths,
            queue: Mutex::new(Queue {
                next_seq: seq + 1,
                file: Some(Arc::new(file)),
                ..Queue::default()
            }),
            status: Mutex::new(Status {
                written: seq,
                journal_bytes,
                snapshot_bytes,
                ..Status::default()
            }),
            changed: Condvar::new(),
            sync_waiters: std::sync::atomic::AtomicUsize::new(0),
            unsynced: AtomicBool::new(false),
            stop: AtomicBool::new(false),
        });
        let flusher = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("state-journal".to_owned())
                .spawn(move || shared.flush_every_interval())
                .map_err(|e| {
                    StateFileError::new(&snapshot_path, format!("no flusher thread: {e}"))
                })?
        };
        Ok(Journal {
            shared,
            flusher: Some(flusher),
        })
    }

    /// Queues one record, which `write` fills. Called under the store's
    /// lock, so records queue in the order the changes were made. When
    /// nobody is writing, the caller becomes the leader: once it has let
    /// the store go, it must [`Journal::lead`].
    pub(crate) fn append(&self, write: impl FnOnce(&mut RecordWriter<'_>)) -> Receipt {
        let mut queue = lock(&self.shared.queue);
        let seq = queue.next_seq;
        queue.next_seq += 1;
        write(&mut RecordWriter::new(&mut queue.bytes, seq));
        let lead = !std::mem::replace(&mut queue.writing, true);
        Receipt { seq, lead }
    }

    /// Writes as the leader of the record `own` (a [`Receipt`] that says
    /// so), outside the store's lock.
    pub(crate) fn lead(&self, own: u64) {
        self.shared.lead(own);
    }

    /// Waits until the record `seq` is written (or, while the journal is
    /// broken, let go), taking the lead when a leader hands over.
    pub(crate) fn wait(&self, seq: u64) {
        loop {
            if self.shared.take_lead() {
                self.shared.lead(seq);
            }
            let mut status = lock(&self.shared.status);
            if status.written >= seq {
                return;
            }
            self.shared.sync_waiters.fetch_add(1, Ordering::AcqRel);
            status = self
                .shared
                .changed
                .wait_timeout(status, SYNC_INTERVAL)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            self.shared.sync_waiters.fetch_sub(1, Ordering::AcqRel);
            if status.written >= seq {
                return;
            }
        }
    }

    /// [`Journal::wait`], for async code: a waiter is woken once its
    /// record is written, and leads when a leader hands over to it.
    pub(crate) async fn written(&self, seq: u64) {
        std::future::poll_fn(|cx| {
            loop {
                {
                    let mut status = lock(&self.shared.status);
                    if status.written >= seq {
                        return Poll::Ready(());
                    }
                    status.waiters.push((seq, cx.waker().clone()));
                }
                if !self.shared.take_lead() {
                    return Poll::Pending;
                }
                self.shared.lead(seq);
            }
        })
        .await;
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
    /// the last record before the cut (the snapshot's), and the receipt
    /// to lead the cut with when nobody writes.
    pub(crate) fn cut(&self) -> (u64, Receipt) {
        {
            let mut status = lock(&self.shared.status);
            status.compacting = true;
            status.last_attempt = Some(Instant::now());
            status.rotated = None;
        }
        let mut queue = lock(&self.shared.queue);
        let seq = queue.next_seq - 1;
        queue.cut = Some((queue.bytes.len(), seq));
        let lead = !std::mem::replace(&mut queue.writing, true);
        (seq, Receipt { seq, lead })
    }

    /// Ends a compaction begun by [`Journal::cut`], outside the store's
    /// lock: sees the writer begin the new journal, writes `state` as the
    /// snapshot, and removes the old journal.
    ///
    /// # Errors
    ///
    /// A sentence naming the file and the problem; the files still read
    /// back to the last state they held.
    pub(crate) fn compact<T: Serialize>(&self, seq: u64, state: &T) -> Result<(), String> {
        let rotated = loop {
            self.wait(seq);
            if let Some(rotated) = lock(&self.shared.status).rotated.take() {
                break rotated;
            }
            // The cut is written after the record before it: it waits
            // for a leader too.
            if self.shared.take_lead() {
                self.shared.lead(seq);
            }
            std::thread::sleep(Duration::from_millis(1));
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
    /// Becomes the leader when nobody writes and records wait.
    fn take_lead(&self) -> bool {
        let mut queue = lock(&self.queue);
        if queue.writing || (queue.bytes.is_empty() && queue.cut.is_none()) {
            return false;
        }
        queue.writing = true;
        true
    }

    /// Writes as the leader: what is queued, batch after batch, until the
    /// queue is empty or the record `own` and one batch more are written;
    /// then hands over.
    fn lead(&self, own: u64) {
        let mut past_own = 0;
        loop {
            let (mut batch, cut, last, file) = {
                let mut queue = lock(&self.queue);
                let done = queue.bytes.is_empty() && queue.cut.is_none();
                if done || past_own > BATCHES_PAST_OWN {
                    queue.writing = false;
                    drop(queue);
                    if !done {
                        // Records wait: whoever waits for one takes over.
                        self.wake_all();
                    }
                    return;
                }
                let spare = std::mem::take(&mut queue.spare);
                let batch = std::mem::replace(&mut queue.bytes, spare);
                (
                    batch,
                    queue.cut.take(),
                    queue.next_seq - 1,
                    queue.file.clone(),
                )
            };
            let before = cut.map_or(batch.len(), |(at, _)| at.min(batch.len()));
            let (head, tail) = batch.split_at(before);
            self.write(file.as_deref(), head);
            if cut.is_some() {
                let file = self.rotate(file);
                self.write(file.as_deref(), tail);
                lock(&self.queue).file = file;
            }
            batch.clear();
            if batch.capacity() <= 1 << 20 {
                let mut queue = lock(&self.queue);
                if queue.spare.capacity() < batch.capacity() {
                    queue.spare = batch;
                }
            }
            self.publish(last);
            if last >= own {
                past_own += 1;
            }
        }
    }

    /// Records that everything up to `last` is written, and wakes who
    /// waited for it.
    fn publish(&self, last: u64) {
        let mut woken = Vec::new();
        {
            let mut status = lock(&self.status);
            status.written = status.written.max(last);
            let written = status.written;
            status.waiters.retain(|(seq, waker)| {
                if *seq <= written {
                    woken.push(waker.clone());
                    false
                } else {
                    true
                }
            });
        }
        if self.sync_waiters.load(Ordering::Acquire) > 0 {
            self.changed.notify_all();
        }
        for waker in woken {
            waker.wake();
        }
    }

    /// Wakes every waiter, for one to take the lead.
    fn wake_all(&self) {
        let woken = std::mem::take(&mut lock(&self.status).waiters);
        if self.sync_waiters.load(Ordering::Acquire) > 0 {
            self.changed.notify_all();
        }
        for (_, waker) in woken {
            waker.wake();
        }
    }

    /// Appends `bytes` unless the journal is broken.
    fn write(&self, file: Option<&File>, bytes: &[u8]) {
        if bytes.is_empty() || lock(&self.status).broken {
            return;
        }
        let written = match file {
            Some(mut f) => f.write_all(bytes),
            None => Err(io::Error::other("it is not open")),
        };
        let mut status = lock(&self.status);
        match written {
            Ok(()) => {
                status.journal_bytes += bytes.len() as u64;
                self.unsynced.store(true, Ordering::Release);
            }
            Err(e) => {
                status.broken = true;
                let problem = format!("{} cannot be written: {e}", self.paths.journal.display());
                fail(&mut status, &self.paths, &problem);
            }
        }
    }

    /// Renames the journal to the old journal and begins a new one; a
    /// broken journal is whole again once that works. An old journal not
    /// yet removed (the last compaction failed) holds records the snapshot
    /// may not: then the journal goes on as it is, still broken if it was
    /// (a torn record may end it), and the compaction removes the old one.
    fn rotate(&self, file: Option<Arc<File>>) -> Option<Arc<File>> {
        let paths = &self.paths;
        if paths.old.exists() {
            lock(&self.status).rotated = Some(Ok(()));
            self.changed.notify_all();
            return file;
        }
        if let Some(f) = &file
            && self.unsynced.swap(false, Ordering::AcqRel)
        {
            let _ = f.sync_data();
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
                Some(Arc::new(file))
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
        drop(status);
        self.changed.notify_all();
        file
    }

    /// The flusher thread: every [`SYNC_INTERVAL`], flushes what was
    /// written to the disk, and writes what waits with nobody to write it.
    fn flush_every_interval(&self) {
        loop {
            let stop = self.stop.load(Ordering::Acquire);
            if self.take_lead() {
                let last = lock(&self.queue).next_seq - 1;
                self.lead(if stop { u64::MAX } else { last });
            }
            if self.unsynced.swap(false, Ordering::AcqRel) {
                let file = lock(&self.queue).file.clone();
                if let Some(f) = file
                    && let Err(e) = f.sync_data()
                {
                    tracing::error!("state file journal cannot be flushed to the disk: {e}");
                }
            }
            if stop {
                return;
            }
            std::thread::park_timeout(SYNC_INTERVAL);
        }
    }
}

impl Drop for Journal {
    /// Writes what is queued, flushes it to the disk, and stops the flusher.
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(flusher) = self.flusher.take() {
            flusher.thread().unpark();
            let _ = flusher.join();
        }
        // A leader still writing has finished: the flusher led after it.
        if self.shared.take_lead() {
            self.shared.lead(u64::MAX);
        }
        if self.shared.unsynced.swap(false, Ordering::AcqRel)
            && let Some(f) = lock(&self.shared.queue).file.clone()
        {
            let _ = f.sync_data();
        }
    }
}
