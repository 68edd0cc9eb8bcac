//! [`Emulator`]: the store under its lock, the clock, the state file, and
//! the operations run by name through the dispatch tables.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use gamelift_session::GameLiftError;
use serde_json::json;
use time::OffsetDateTime;

use crate::context::{Context, Env, Snapshot, take_receipt};
use crate::flexmatch::{PassReport, matchmaking_pass};
use crate::journal::{self, Journal, StateFileError};
use crate::log::Bounded;
use crate::operations::{action, operation};
use crate::protocol::{Answer, Protocol};
use crate::settings::Settings;
use crate::state::State;
use crate::store::{Forgotten, Store};

/// How often the housekeeping thread forgets what has ended and checks
/// whether the journal is due to be folded into the snapshot.
const HOUSEKEEPING_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// The emulator: its settings and its state, shared by every connection.
#[derive(Debug)]
pub struct Emulator {
    cx: Context<Store>,
    /// What was forgotten (and reset) since the allocator last gave memory
    /// back: see [`Emulator::start_housekeeping_with`].
    forgotten: std::sync::atomic::AtomicUsize,
    /// Held by the matchmaking pass under way: one at a time.
    passing: std::sync::Mutex<()>,
    /// Called on each thread that runs a matchmaking pass before it runs:
    /// see [`Emulator::start_matchmaker_with`].
    background: std::sync::OnceLock<fn()>,
    /// The number of the last game server connection opened.
    links: std::sync::atomic::AtomicU64,
}

/// How much forgetting makes the housekeeping thread give the memory back.
const RELEASE_AFTER: usize = 64;

/// An operation's answer, and the journal record it waits for.
#[derive(Debug)]
pub(crate) struct Called {
    pub(crate) answer: Answer,
    /// The last journal record the operation queued (0: none).
    pub(crate) seq: u64,
}

impl Emulator {
    /// An emulator with nothing in it but the fleets `settings` declares.
    #[must_use]
    pub fn new(settings: Settings) -> Self {
        let mut store = Store::new(&settings);
        store.emit_events();
        Emulator {
            cx: Context::new(Env::new(settings), store, None),
            forgotten: std::sync::atomic::AtomicUsize::new(0),
            passing: std::sync::Mutex::new(()),
            background: std::sync::OnceLock::new(),
            links: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// An emulator holding `state`, as read from a state file, without a
    /// journal (nothing is written).
    ///
    /// # Errors
    ///
    /// A sentence naming what breaks the state file's rules.
    pub fn with_state(settings: Settings, state: State) -> Result<Self, String> {
        let mut store = Store::from_state(state, &settings)?;
        store.emit_events();
        Ok(Emulator {
            cx: Context::new(Env::new(settings), store, None),
            forgotten: std::sync::atomic::AtomicUsize::new(0),
            passing: std::sync::Mutex::new(()),
            background: std::sync::OnceLock::new(),
            links: std::sync::atomic::AtomicU64::new(0),
        }
        .after_load())
    }

    /// An emulator serving the state file at `path`: the snapshot and the
    /// journal are read and checked, and only once the whole state has
    /// loaded are they folded into a fresh snapshot; from then on every
    /// change is journaled before it is answered. Answers the emulator and
    /// the sentences of what was repaired (a last line cut short, a blank
    /// line), to log.
    ///
    /// # Errors
    ///
    /// A sentence naming the file, the line and the problem; the files are
    /// then as they were.
    pub fn with_state_file(
        settings: Settings,
        path: &Path,
    ) -> Result<(Self, Vec<String>), StateFileError> {
        let read = journal::read::<State>(path)?;
        let mut store = match read.snapshot.clone() {
            Some(state) => {
                Store::from_state(state, &settings).map_err(|e| StateFileError::new(path, e))?
            }
            None => Store::new(&settings),
        };
        for line in &read.records {
            store
                .apply(line, &settings)
                .map_err(|problem| line.refuse(&problem))?;
        }
        // `--fleet` overrides the file's declaration of a fleet.
        for f in &settings.fleets {
            store.fleets.declare(f);
        }
        let _ = store.fleets.changes.take();
        let fold = read.needs_fold().then(|| store.to_state(read.seq));
        let journal = Journal::start(read.paths, read.seq, fold.as_ref())?;
        store.record_changes();
        store.emit_events();
        let emulator = Emulator {
            cx: Context::new(Env::new(settings), store, Some(journal)),
            forgotten: std::sync::atomic::AtomicUsize::new(0),
            passing: std::sync::Mutex::new(()),
            background: std::sync::OnceLock::new(),
            links: std::sync::atomic::AtomicU64::new(0),
        }
        .after_load();
        emulator.cx.wait(take_receipt());
        Ok((emulator, read.warnings))
    }

    /// What a loaded state needs before it serves: a session left live on
    /// a fleet that runs server processes lost its process with the last
    /// run, and ends `INTERRUPTED` (journaled).
    fn after_load(self) -> Self {
        let _ = take_receipt();
        let now = self.cx.env().now();
        let n = {
            let mut store = self.cx.lock();
            let store = &mut *store;
            crate::game_servers::interrupt_orphans(&mut store.sessions, &store.fleets, now)
        };
        if n > 0 {
            tracing::warn!(
                game_sessions = n,
                "game sessions whose server processes did not outlive the last run: TERMINATED (INTERRUPTED)"
            );
        }
        self
    }

    /// The events published, and their subscribers.
    pub(crate) fn events(&self) -> &crate::events::EventHub {
        self.cx.env().events()
    }

    /// The emulator's clock.
    pub(crate) fn now(&self) -> time::OffsetDateTime {
        self.cx.env().now()
    }

    /// Where the emulator listens (`http://127.0.0.1:9080`): the base of
    /// the `SubscribeURL`s and `UnsubscribeURL`s it sends. The first call
    /// wins.
    pub fn set_base_url(&self, url: impl Into<String>) {
        self.events().set_base_url(url.into());
    }

    /// Subscribes the `http://` `endpoint` to SNS `topic` (a configuration's
    /// or queue's `NotificationTarget`), as `POST /_emulator/sns/subscriptions`
    /// does; answers the subscription's ARN.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for a topic or endpoint that is not one,
    /// or past 100 subscriptions.
    pub fn subscribe(
        &self,
        topic: &str,
        endpoint: &str,
        auto_confirm: bool,
    ) -> Result<String, gamelift_session::GameLiftError> {
        self.events()
            .subscribe(topic, endpoint, auto_confirm, self.now())
    }

    /// Tells the emulator the URL game servers dial: every compute's
    /// `GameLiftServiceSdkEndpoint`, and what launched processes are given
    /// (`ws://127.0.0.1:9080` until told). The binary calls it once it
    /// listens; an embedder that serves [`crate::router`] should too. The
    /// first call wins.
    pub fn set_sdk_endpoint(&self, url: impl Into<String>) {
        self.cx.env().set_sdk_endpoint(url.into());
    }

    /// The URL game servers dial.
    #[must_use]
    pub fn sdk_endpoint(&self) -> String {
        self.cx.env().sdk_endpoint()
    }

    /// Checks a game server's handshake.
    pub(crate) fn check_handshake(
        &self,
        handshake: &gamelift_session::game_server::Handshake,
    ) -> Result<crate::game_servers::Accepted, gamelift_session::game_server::HandshakeError> {
        crate::game_servers::check_handshake(&self.cx, handshake)
    }

    /// A number for a new game server connection.
    pub(crate) fn next_link_id(&self) -> u64 {
        self.links.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Connects (or resumes) the process an accepted handshake names;
    /// answers whether it was resumed, or why it is not connected.
    pub(crate) fn connect_process(
        &self,
        accepted: crate::game_servers::Accepted,
        idempotency_token: Option<String>,
        link: crate::fleets::Link,
    ) -> Result<bool, gamelift_session::game_server::HandshakeError> {
        crate::game_servers::connect(&self.cx, accepted, idempotency_token, link)
    }

    /// Answers a game server's frame; answers the reply and the journal
    /// record to wait for before sending it.
    pub(crate) fn game_server_frame(
        &self,
        key: &gamelift_session::game_server::ProcessKey,
        text: &str,
    ) -> (String, u64) {
        let _ = take_receipt();
        let reply = crate::game_servers::handle(&self.cx, key, text);
        (reply, take_receipt())
    }

    /// A game server's connection closed.
    pub(crate) fn process_disconnected(
        &self,
        key: &gamelift_session::game_server::ProcessKey,
        link_id: u64,
    ) {
        crate::game_servers::disconnected(&self.cx, key, link_id);
    }

    /// The processes the launched fleets should run now.
    pub(crate) fn launch_plan(&self) -> Vec<crate::game_servers::Slot> {
        crate::game_servers::plan(&self.cx)
    }

    /// What a new process of the launched fleet `fleet` is given.
    pub(crate) fn prepare_launch(&self, fleet: &str) -> Option<crate::game_servers::Given> {
        let given = crate::game_servers::prepare(&self.cx, fleet);
        self.cx.wait(take_receipt());
        given
    }

    /// Where the process `key` is in its life; `None` once forgotten.
    pub(crate) fn process_status(
        &self,
        key: &gamelift_session::game_server::ProcessKey,
    ) -> Option<gamelift_session::game_server::ProcessStatus> {
        crate::game_servers::known(&self.cx, key)
    }

    /// A launched process exited: lost at once.
    pub(crate) fn process_exited(&self, key: &gamelift_session::game_server::ProcessKey) {
        let _ = take_receipt();
        crate::game_servers::exited(&self.cx, key);
        self.cx.wait(take_receipt());
    }

    /// Pushes `TerminateProcess` to `keys`.
    pub(crate) fn ask_to_end(
        &self,
        keys: &[gamelift_session::game_server::ProcessKey],
        grace: std::time::Duration,
    ) {
        crate::game_servers::ask_to_end(&self.cx, keys, grace);
    }

    /// Ends every server process (closing each socket with 1000, so the
    /// SDK does not reconnect) and their sessions (`INTERRUPTED`): what
    /// shutdown does last, before the state is saved.
    pub fn end_game_servers(&self) {
        let _ = take_receipt();
        crate::game_servers::shut_down(&self.cx);
        self.cx.wait(take_receipt());
    }

    /// The control API's `GET /_emulator/processes`.
    pub(crate) fn process_listing(&self) -> serde_json::Value {
        crate::game_servers::list_processes(&self.cx)
    }

    /// Writes the whole state to the snapshot now and begins the journal
    /// again (what shutdown does). `Ok(false)` without a state file.
    ///
    /// # Errors
    ///
    /// A sentence naming the file and the problem; the files on the disk
    /// then still read back to the last state they held, and the health
    /// endpoint reports the problem until a later save succeeds.
    pub fn save_state_file(&self) -> Result<bool, String> {
        self.cx.compact()
    }

    /// Starts the housekeeping thread: every second it forgets what has
    /// ended past its retention (journaled) and folds a journal that has
    /// grown into the snapshot, or tries a failing state file again. It
    /// runs until the returned handle is dropped.
    #[must_use]
    pub fn start_housekeeping(self: &Arc<Self>) -> Housekeeping {
        self.start_housekeeping_with(|| {})
    }

    /// [`Emulator::start_housekeeping`], calling `release_memory` on the
    /// housekeeping thread after a pass that follows much forgetting (or a
    /// reset): the place to ask the allocator to give freed memory back to
    /// the system (glibc keeps it otherwise: `malloc_trim`), which the
    /// binary does.
    #[must_use]
    pub fn start_housekeeping_with(self: &Arc<Self>, release_memory: fn()) -> Housekeeping {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let emulator = Arc::clone(self);
        let thread = std::thread::Builder::new()
            .name("housekeeping".to_owned())
            .spawn(move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(HOUSEKEEPING_INTERVAL)
                {
                    emulator.housekeeping();
                    if emulator.forgotten.load(Ordering::Relaxed) >= RELEASE_AFTER {
                        emulator.forgotten.store(0, Ordering::Relaxed);
                        release_memory();
                    }
                }
            })
            .ok();
        Housekeeping {
            stop: Some(stop),
            thread,
        }
    }

    /// Starts the matchmaker's thread: a matchmaking pass every
    /// [`Settings::matchmaking_interval`] on the emulator's clock, until the
    /// returned handle is dropped; `None` without an interval (passes run
    /// then only when the control API steps the matchmaker or moves the
    /// clock).
    #[must_use]
    pub fn start_matchmaker(self: &Arc<Self>) -> Option<Housekeeping> {
        self.start_matchmaker_with(|| {})
    }

    /// [`Emulator::start_matchmaker`], calling `on_start` on every thread
    /// that runs a matchmaking pass (the matchmaker's, and the one a
    /// control API step or clock move starts) before it runs: the place to
    /// lower the thread's priority, so that a long pass takes the processor
    /// only when requests leave it idle (the binary does, with `nice` 10).
    #[must_use]
    pub fn start_matchmaker_with(self: &Arc<Self>, on_start: fn()) -> Option<Housekeeping> {
        let _ = self.background.set(on_start);
        let interval = self.settings().matchmaking_interval?;
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let emulator = Arc::clone(self);
        let thread = std::thread::Builder::new()
            .name("matchmaker".to_owned())
            .spawn(move || {
                on_start();
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(interval)
                {
                    let (_, seq) = emulator.matchmaking_pass();
                    emulator.cx.wait(seq);
                }
            })
            .ok();
        Some(Housekeeping {
            stop: Some(stop),
            thread,
        })
    }

    /// Runs one matchmaking pass now, as the control API's
    /// `matchmaking/step` does, and waits until what it changed is
    /// written: for an embedder's tests, which then need no matchmaker
    /// thread. Answers how many matches it made.
    pub fn step_matchmaking(&self) -> usize {
        let (report, seq) = self.matchmaking_pass();
        self.cx.wait(seq);
        report.matches
    }

    /// Runs `work` on a thread of its own, prepared as the matchmaker's
    /// (see [`Emulator::start_matchmaker_with`]), and answers what it
    /// answers: for the control API, whose async workers must not run a
    /// long pass.
    pub(crate) async fn in_background<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Emulator) -> T + Send + 'static,
    ) -> Option<T> {
        let (done, answer) = tokio::sync::oneshot::channel();
        let emulator = Arc::clone(self);
        let prepare = self.background.get().copied();
        std::thread::Builder::new()
            .name("matchmaker-step".to_owned())
            .spawn(move || {
                if let Some(prepare) = prepare {
                    prepare();
                }
                let _ = done.send(work(&emulator));
            })
            .ok()?;
        answer.await.ok()
    }

    /// One matchmaking pass now (what the matchmaker's thread runs, and the
    /// control API's `matchmaking/step`); passes run one at a time. Answers
    /// what it did, and the journal record to wait for.
    pub(crate) fn matchmaking_pass(&self) -> (PassReport, u64) {
        let _one = self
            .passing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = take_receipt();
        let report = matchmaking_pass(&self.cx);
        (report, take_receipt())
    }

    /// One housekeeping pass (see [`Emulator::start_housekeeping`]).
    pub(crate) fn housekeeping(&self) {
        let (_, seq) = self.forget();
        self.cx.wait(seq);
        if let Some(journal) = self.cx.journal()
            && journal.compaction_due(Instant::now())
        {
            let _ = self.cx.compact();
        }
    }

    /// Forgets what has ended past its retention; answers what, and the
    /// journal record of it.
    fn forget(&self) -> (Forgotten, u64) {
        let env = self.cx.env();
        let _ = take_receipt();
        let forgotten =
            self.cx
                .lock()
                .housekeeping(env.now(), env.limits(), &env.settings().retention);
        crate::game_servers::housekeeping(&self.cx);
        let n = forgotten.game_sessions + forgotten.placements + forgotten.tickets;
        self.forgotten.fetch_add(n, Ordering::Relaxed);
        if n > 0 {
            tracing::debug!(
                game_sessions = forgotten.game_sessions,
                placements = forgotten.placements,
                tickets = forgotten.tickets,
                "forgotten past their retention"
            );
        }
        (forgotten, take_receipt())
    }

    /// The state file's last failure, while it cannot be written.
    #[must_use]
    pub fn state_file_failure(&self) -> Option<String> {
        self.cx.journal().and_then(Journal::failure)
    }

    /// Whether the emulator keeps a state file.
    #[must_use]
    pub fn has_state_file(&self) -> bool {
        self.cx.journal().is_some()
    }

    /// The settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        self.cx.env().settings()
    }

    /// Everything the emulator holds, as the snapshot would.
    #[must_use]
    pub fn state(&self) -> State {
        self.cx.lock().to_state(0)
    }

    /// Runs the GameLift operation `name` on a request body.
    pub(crate) fn call(&self, name: &str, body: &[u8], p: Protocol) -> Called {
        let _ = take_receipt();
        let answer = match operation(name) {
            Some(op) => op(&self.cx, body, p),
            None => Err(GameLiftError::unknown_operation(Bounded(name).to_string())),
        };
        Called {
            answer,
            seq: take_receipt(),
        }
    }

    /// Runs an operation and waits until what it changed is written: what
    /// code outside the async server (tests, an embedder) calls.
    #[cfg(test)]
    pub(crate) fn call_and_wait(&self, name: &str, body: &[u8], p: Protocol) -> Answer {
        let called = self.call(name, body, p);
        self.cx.wait(called.seq);
        called.answer
    }

    /// Runs the control action at `path`; `None` when there is none.
    pub(crate) fn control(&self, path: &str, body: &[u8]) -> Option<Called> {
        let action = action(path)?;
        let _ = take_receipt();
        let answer = action(&self.cx, body);
        Some(Called {
            answer,
            seq: take_receipt(),
        })
    }

    /// Waits until the journal record `seq` is written.
    pub(crate) async fn written(&self, seq: u64) {
        self.cx.written(seq).await;
    }

    /// [`Emulator::call`] for the async server: when the journal's lead
    /// falls to the operation, it is answered beside the result, to be
    /// taken by [`Emulator::lead_then_written`].
    pub(crate) fn call_deferring_lead(
        &self,
        name: &str,
        body: &[u8],
        p: Protocol,
    ) -> (Called, Option<u64>) {
        self.cx.deferring_lead(|| self.call(name, body, p))
    }

    /// Writes the journal when `lead` says this operation leads, letting
    /// the operations ready beside it queue their records first, then
    /// waits until the record `seq` is written.
    pub(crate) async fn lead_then_written(&self, seq: u64, lead: Option<u64>) {
        self.cx.lead_then_written(seq, lead).await;
    }

    /// Moves the emulator's clock ahead by `by` (the control API's
    /// `clock/advance`), forgets at once what that puts past its
    /// retention, and runs a matchmaking pass. Answers the clock's new reading, and the journal record
    /// to wait for.
    pub(crate) fn advance_clock(&self, by: time::Duration) -> (OffsetDateTime, u64) {
        let now = self.cx.env().clock().advance(by);
        let (_, forgotten) = self.forget();
        // What the new time ends (searches, proposals) ends at once.
        let (_, passed) = self.matchmaking_pass();
        (now, forgotten.max(passed))
    }

    /// Forgets everything but the declared fleets; answers how many game
    /// sessions there were, and the journal record to wait for.
    pub(crate) fn reset(&self) -> (usize, u64) {
        let _ = take_receipt();
        let n = {
            let mut store = self.cx.lock();
            let n = store.reset();
            store.after_reset(self.cx.env().settings());
            n
        };
        self.forgotten
            .fetch_add(RELEASE_AFTER.max(n), Ordering::Relaxed);
        (n, take_receipt())
    }

    /// The health endpoint's answer: what is kept, and the state file.
    pub(crate) fn health(&self) -> serde_json::Value {
        let store = self.cx.lock();
        let mut body = json!({
            "Status": "ok",
            "GameSessions": store.sessions.len(),
            "Kept": {
                "GameSessions": store.sessions.len(),
                "PlayerSessions": store.sessions.player_count(),
                "Aliases": store.fleets.alias_count(),
                "Placements": store.placements.placement_count(),
                "Tickets": store.matchmaking.ticket_count(),
                "ServerProcesses": store.fleets.processes.len(),
            },
        });
        drop(store);
        body["Kept"]["Events"] = json!(self.events().kept());
        body["Kept"]["SnsMessagesWaiting"] = json!(self.events().waiting());
        if self.has_state_file() {
            body["StateFile"] = json!(self.state_file_failure().unwrap_or_else(|| "ok".to_owned()));
        }
        body
    }

    /// The property keys searches can see.
    pub(crate) fn search_index(&self) -> serde_json::Value {
        let store = self.cx.lock();
        let index = store.sessions.index();
        json!({
            "Capacity": self.settings().limits.max_search_index_keys,
            "IndexedKeys": index.len(),
            "LeftOutKeys": index.left_out().collect::<Vec<_>>(),
        })
    }

    /// Writes down every reservation that ran out by now.
    #[cfg(test)]
    pub(crate) fn expire_now(&self) {
        let env = self.cx.env();
        self.cx.lock().sessions.expire(env.now(), env.limits());
        self.cx.wait(take_receipt());
    }

    /// Runs a control action and waits until what it changed is written.
    #[cfg(test)]
    pub(crate) fn control_and_wait(&self, path: &str, body: &serde_json::Value) -> Option<Answer> {
        let called = self.control(path, body.to_string().as_bytes())?;
        self.cx.wait(called.seq);
        Some(called.answer)
    }

    /// Waits until the journal record `seq` is written.
    #[cfg(test)]
    pub(crate) fn wait(&self, seq: u64) {
        self.cx.wait(seq);
    }

    /// Moves the clock ahead and nothing else.
    #[cfg(test)]
    pub(crate) fn advance_clock_only(&self, by: time::Duration) {
        self.cx.env().clock().advance(by);
    }
}

/// The housekeeping thread ([`Emulator::start_housekeeping`]); dropping it
/// stops the thread.
#[derive(Debug)]
pub struct Housekeeping {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Housekeeping {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
