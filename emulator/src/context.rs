//! What every operation runs with: the settings, the clock and the ids
//! ([`Env`]), and the store under its one lock ([`Context::lock`]), whose
//! changes reach the journal when the lock is let go ([`Guard`]).
//!
//! The store's type is a parameter: each room states what it needs of
//! the store as a trait of its own, and the emulator's store (which holds
//! every room's tables) implements them all. So a room imports the rooms
//! below it and this plumbing, never the store that holds it.

use std::cell::Cell;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, PoisonError};

use gamelift_session::Limits;
use serde::Serialize;
use time::OffsetDateTime;

use crate::clock::{Clock, wire_now};
use crate::events::EventHub;
use crate::ids::Ids;
use crate::journal::{Journal, RecordWriter};
use crate::settings::Settings;

/// The settings, the clock and the ids: what an operation reads without
/// the store's lock.
#[derive(Debug)]
pub(crate) struct Env {
    settings: Settings,
    clock: Clock,
    ids: Ids,
    started: OffsetDateTime,
    /// The URL game servers dial, once the emulator listens.
    sdk_endpoint: std::sync::OnceLock<String>,
    /// The events published, and the SNS subscriptions they go to.
    events: EventHub,
}

impl Env {
    pub(crate) fn new(settings: Settings) -> Self {
        Env {
            settings,
            clock: Clock::default(),
            ids: Ids::default(),
            started: wire_now(),
            sdk_endpoint: std::sync::OnceLock::new(),
            events: EventHub::default(),
        }
    }

    /// The events published, and their subscribers.
    pub(crate) fn events(&self) -> &EventHub {
        &self.events
    }

    /// The URL game servers dial (a compute's `GameLiftServiceSdkEndpoint`):
    /// what the emulator was told it listens at, `ws://127.0.0.1:9080`
    /// until then.
    pub(crate) fn sdk_endpoint(&self) -> String {
        self.sdk_endpoint
            .get()
            .cloned()
            .unwrap_or_else(|| "ws://127.0.0.1:9080".to_owned())
    }

    /// Sets the URL game servers dial; the first call wins.
    pub(crate) fn set_sdk_endpoint(&self, url: String) {
        let _ = self.sdk_endpoint.set(url);
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    pub(crate) fn limits(&self) -> &Limits {
        &self.settings.limits
    }

    pub(crate) fn region(&self) -> &str {
        &self.settings.region
    }

    /// The emulator's clock.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    pub(crate) fn ids(&self) -> &Ids {
        &self.ids
    }

    /// When the emulator started: the creation time of the fleets it knows.
    pub(crate) fn started(&self) -> OffsetDateTime {
        self.started
    }
}

/// A store whose changes are journaled: it knows which rows changed since
/// the last record, and writes them.
pub(crate) trait Journaled {
    /// Whether anything changed since the last record.
    fn has_changes(&self) -> bool;
    /// Writes the rows changed since the last record, as they are now, and
    /// forgets them.
    fn write_changes(&mut self, record: &mut RecordWriter<'_>);
    /// Publishes the events of what changed since the last call.
    fn publish(&mut self, _env: &Env) {}
}

/// A store that can be saved whole: the snapshot of the state file.
pub(crate) trait Snapshot {
    type State: Serialize;
    /// The whole state, as holding the journal up to record `seq`.
    fn to_state(&self, seq: u64) -> Self::State;
}

thread_local! {
    /// The last journal record the operation under way on this thread
    /// queued: its answer waits until that record is written.
    static LAST_RECORD: Cell<u64> = const { Cell::new(0) };
    /// The record this thread queued as the leader, to write once the
    /// store is let go.
    static TO_LEAD: Cell<Option<u64>> = const { Cell::new(None) };
    /// The operation under way on this thread writes the journal later,
    /// when it leads ([`Context::deferring_lead`]), not as the store is
    /// let go.
    static DEFER_LEAD: Cell<bool> = const { Cell::new(false) };
}

/// The sequence number of the last record queued on this thread since the
/// last call (0: none), and forgets it.
pub(crate) fn take_receipt() -> u64 {
    LAST_RECORD.with(|r| r.replace(0))
}

/// The environment, and the store under its lock.
#[derive(Debug)]
pub(crate) struct Context<S> {
    env: Env,
    store: Mutex<S>,
    journal: Option<Journal>,
}

impl<S: Journaled> Context<S> {
    pub(crate) fn new(env: Env, store: S, journal: Option<Journal>) -> Self {
        Context {
            env,
            store: Mutex::new(store),
            journal,
        }
    }

    pub(crate) fn env(&self) -> &Env {
        &self.env
    }

    /// The store, locked. What the operation changes is journaled when the
    /// guard is let go, so before the operation's answer is sent.
    pub(crate) fn lock(&self) -> Guard<'_, S> {
        Guard {
            locked: Locked {
                // Every change is all or nothing, so a lock poisoned by a
                // panicking handler still guards a consistent store.
                store: self.store.lock().unwrap_or_else(PoisonError::into_inner),
                journal: self.journal.as_ref(),
                env: &self.env,
            },
            _lead: Lead {
                journal: self.journal.as_ref(),
            },
        }
    }

    /// The journal, with a state file.
    pub(crate) fn journal(&self) -> Option<&Journal> {
        self.journal.as_ref()
    }

    /// Waits until the record `seq` (a [`take_receipt`]) is written.
    pub(crate) fn wait(&self, seq: u64) {
        if let Some(journal) = &self.journal
            && seq > 0
        {
            journal.wait(seq);
        }
    }

    /// [`Context::wait`], for async code.
    pub(crate) async fn written(&self, seq: u64) {
        if let Some(journal) = &self.journal
            && seq > 0
        {
            journal.written(seq).await;
        }
    }

    /// Runs `operation` so that, when the journal's lead falls to it, the
    /// write waits for [`Context::lead_then_written`] instead of happening
    /// as the store is let go. Answers what `operation` answered, and the
    /// record to lead with, if any. A panic in `operation` writes at once,
    /// so that nobody waits for a leader that is gone.
    pub(crate) fn deferring_lead<R>(&self, operation: impl FnOnce() -> R) -> (R, Option<u64>) {
        struct Deferring<'a>(Option<&'a Journal>);
        impl Drop for Deferring<'_> {
            fn drop(&mut self) {
                DEFER_LEAD.with(|d| d.set(false));
                if std::thread::panicking()
                    && let (Some(journal), Some(seq)) = (self.0, TO_LEAD.with(Cell::take))
                {
                    journal.lead(seq);
                }
            }
        }
        if let (Some(journal), Some(seq)) = (&self.journal, TO_LEAD.with(Cell::take)) {
            // A lead left on this thread is never dropped: nobody else
            // writes while one is due.
            journal.lead(seq);
        }
        DEFER_LEAD.with(|d| d.set(true));
        let deferring = Deferring(self.journal.as_ref());
        let answer = operation();
        drop(deferring);
        (answer, TO_LEAD.with(Cell::take))
    }

    /// Writes the journal as the leader `lead` (from
    /// [`Context::deferring_lead`]), then waits until the record `seq` is
    /// written. The leader first lets every operation ready on its worker
    /// run, so that their records join its write: at 64 connections on
    /// two cores, one `write` then carries many answers instead of one
    /// (group commit, [`crate::journal`]). A leader whose answer is
    /// dropped on the way (its client went away) still writes.
    pub(crate) async fn lead_then_written(&self, seq: u64, lead: Option<u64>) {
        struct Leading<'a>(&'a Journal, u64);
        impl Drop for Leading<'_> {
            fn drop(&mut self) {
                self.0.lead(self.1);
            }
        }
        if let (Some(journal), Some(own)) = (&self.journal, lead) {
            let leading = Leading(journal, own);
            tokio::task::yield_now().await;
            drop(leading);
        }
        self.written(seq).await;
    }
}

impl<S: Journaled + Snapshot> Context<S> {
    /// Writes the whole state to the snapshot now and begins the journal
    /// again. `Ok(false)` without a state file.
    ///
    /// # Errors
    ///
    /// A sentence naming the file and the problem; the files on the disk
    /// then still read back to the last state they held.
    pub(crate) fn compact(&self) -> Result<bool, String> {
        let Some(journal) = &self.journal else {
            return Ok(false);
        };
        let (state, seq, receipt) = {
            let store = self.lock();
            let (seq, receipt) = journal.cut();
            (store.to_state(seq), seq, receipt)
        };
        if receipt.lead {
            journal.lead(seq);
        }
        journal.compact(seq, &state).map(|()| true)
    }
}

/// The store, locked: when it is let go, what the operation changed is
/// queued for the journal, so every change is on its way to the disk, in
/// the order they were made, before the operation's answer is sent; and
/// when nobody was writing the journal, this operation writes it, right
/// after the store is let go, or, run by [`Context::deferring_lead`], when
/// it calls [`Context::lead_then_written`] (group commit:
/// [`crate::journal`]).
pub(crate) struct Guard<'a, S: Journaled> {
    // Fields drop in order: the record is queued and the store let go,
    // then the journal is written.
    locked: Locked<'a, S>,
    _lead: Lead<'a>,
}

struct Locked<'a, S: Journaled> {
    store: MutexGuard<'a, S>,
    journal: Option<&'a Journal>,
    env: &'a Env,
}

struct Lead<'a> {
    journal: Option<&'a Journal>,
}

impl<S: Journaled> Deref for Guard<'_, S> {
    type Target = S;
    fn deref(&self) -> &S {
        &self.locked.store
    }
}

impl<S: Journaled> DerefMut for Guard<'_, S> {
    fn deref_mut(&mut self) -> &mut S {
        &mut self.locked.store
    }
}

impl<S: Journaled> Drop for Locked<'_, S> {
    fn drop(&mut self) {
        // The events of what the operation changed, in the order made.
        self.store.publish(self.env);
        if let Some(journal) = self.journal
            && self.store.has_changes()
        {
            let store = &mut *self.store;
            let receipt = journal.append(|record| store.write_changes(record));
            LAST_RECORD.with(|r| r.set(r.get().max(receipt.seq)));
            if receipt.lead {
                TO_LEAD.with(|l| l.set(Some(receipt.seq)));
            }
        }
    }
}

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        if DEFER_LEAD.with(Cell::get) {
            return;
        }
        if let (Some(journal), Some(seq)) = (self.journal, TO_LEAD.with(Cell::take)) {
            journal.lead(seq);
        }
    }
}
