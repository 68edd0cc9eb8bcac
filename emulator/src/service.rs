//! The GameLift operations the emulator serves, over its store. Every rule
//! is the crate's; this module holds the store, the clock and the ids.

use std::net::{IpAddr, Ipv4Addr};
use std::ops::RangeInclusive;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use gamelift_session::{
    GameLiftError, GameSessionDetail, GameSessionStatus, Limits, UpdateGameSessionInput,
    game_session::{
        Connection, CreateContext, CreateGameSessionInput, DescribeGameSessionsInput,
        GameSessionOutput, MAX_PORT, TerminateGameSessionInput, Transition, activate_game_session,
        replay_create_game_session, transition,
    },
    model::fleet_id_of,
    player_session::{
        CreatePlayerSessionInput, CreatePlayerSessionOutput, CreatePlayerSessionsInput,
        CreatePlayerSessionsOutput, DescribePlayerSessionsInput, Joins, PlayerSession,
        PlayerSessionChange, change_player_session, end_player_sessions,
    },
    search::SearchGameSessionsInput,
};
use time::OffsetDateTime;

use crate::fleets::DeclaredFleet;
use crate::journal::{self, Opened};
use crate::log::Bounded;
use crate::ports::Ports;
use crate::protocol::Protocol;
use crate::state::{State, Store};

/// The account id in the fleet ARNs the emulator builds.
pub const ACCOUNT_ID: &str = "123456789012";

/// What the simulated game server does with a new session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Activation {
    /// It reports the session ready: ACTIVE at once.
    #[default]
    Active,
    /// It never reports in: the session stays ACTIVATING until the control
    /// API says otherwise.
    Never,
    /// It fails to start the session: ERROR.
    Fail,
}

/// What the simulated game server does with a new player session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlayerAcceptance {
    /// It accepts every player right after the answer, which says
    /// RESERVED as GameLift's does: the next describe shows ACTIVE.
    #[default]
    Immediate,
    /// It accepts no one by itself: players stay RESERVED until the control
    /// API accepts them, or time out.
    Manual,
}

/// The ports game servers listen on unless told otherwise: from 7777, a
/// game engine's usual first port, to the model's largest.
pub const DEFAULT_PORTS: RangeInclusive<u16> = 7777..=MAX_PORT;

/// Where the simulated game servers listen: what an ACTIVE session's
/// `IpAddress`, `DnsName` and `Port` say.
#[derive(Clone, PartialEq, Eq)]
pub struct GameServer {
    /// The address every game server reports.
    pub address: IpAddr,
    /// The DNS name it reports; `None` for GameLift's form of the address
    /// (`ec2-127-0-0-1.compute.amazonaws.com`).
    pub dns_name: Option<String>,
    /// The ports handed out, one per live session, in turn.
    pub ports: RangeInclusive<u16>,
}

impl Default for GameServer {
    fn default() -> Self {
        GameServer {
            address: IpAddr::V4(Ipv4Addr::LOCALHOST),
            dns_name: None,
            ports: DEFAULT_PORTS,
        }
    }
}

impl std::fmt::Debug for GameServer {
    // The address is sensitive (SPEC section 6): never in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GameServer")
            .field("address", &gamelift_session::model::REDACTED)
            .field("dns_name", &self.dns_name)
            .field("ports", &self.ports)
            .finish()
    }
}

/// What the control API's `activate` names: where the game server says it
/// listens. What it leaves out comes from [`GameServer`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reported {
    pub(crate) address: Option<IpAddr>,
    pub(crate) port: Option<u16>,
    pub(crate) dns_name: Option<String>,
}

/// How the emulator behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The home Region, in every ARN.
    pub region: String,
    /// What the simulated game server does with a new session.
    pub activation: Activation,
    /// What the simulated game server does with a new player session.
    pub player_acceptance: PlayerAcceptance,
    /// The service's limits (the reservation timeout among them).
    pub limits: Limits,
    /// Where the simulated game servers listen.
    pub game_server: GameServer,
    /// The fleets declared up front, with their capacities.
    pub fleets: Vec<DeclaredFleet>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            region: "us-west-2".to_owned(),
            activation: Activation::Active,
            player_acceptance: PlayerAcceptance::Immediate,
            limits: Limits::AWS,
            game_server: GameServer::default(),
            fleets: Vec::new(),
        }
    }
}

/// The emulator: its settings and its state, shared by every connection.
#[derive(Debug)]
pub struct Emulator {
    settings: Settings,
    store: Mutex<Store>,
    pub(crate) next_id: AtomicU64,
    started: OffsetDateTime,
    /// How far the control API moved the clock ahead, in milliseconds.
    clock_offset_ms: AtomicI64,
}

/// An operation's answer: the encoded output, or the error to report.
pub(crate) type Answer = Result<Vec<u8>, GameLiftError>;

impl Emulator {
    /// An emulator with no sessions.
    #[must_use]
    pub fn new(settings: Settings) -> Self {
        let mut store = Store::new(
            &settings.limits,
            Ports::new(settings.game_server.ports.clone()),
        );
        store.declare_fleets(&settings.fleets);
        Emulator {
            store: Mutex::new(store),
            settings,
            next_id: AtomicU64::new(1),
            started: wire_now(),
            clock_offset_ms: AtomicI64::new(0),
        }
    }

    /// An emulator holding `state`, as read from a state file.
    ///
    /// # Errors
    ///
    /// A sentence naming what breaks the state file's rules.
    pub fn with_state(settings: Settings, state: State) -> Result<Self, String> {
        let ports = Ports::new(settings.game_server.ports.clone());
        let mut store = Store::from_state(state, &settings.limits, ports)?;
        // `--fleet` overrides the state file's declaration of a fleet.
        store.declare_fleets(&settings.fleets);
        let emulator = Emulator::new(settings);
        *emulator.store() = store;
        Ok(emulator)
    }

    /// An emulator serving the state file `opened` (see [`journal::open`]):
    /// every change is appended to its journal before it is answered.
    ///
    /// # Errors
    ///
    /// A sentence naming what breaks the state file's rules.
    pub fn with_state_file(settings: Settings, opened: Opened) -> Result<Self, String> {
        let emulator = match opened.state {
            Some(state) => Emulator::with_state(settings, state)?,
            None => Emulator::new(settings),
        };
        emulator.store().journal = Some(opened.journal);
        Ok(emulator)
    }

    /// Flushes the journal to the disk if anything was written since the
    /// last flush, and folds it into the snapshot when that is due. Call
    /// it every [`journal::SYNC_INTERVAL`]; [`Emulator::persist`] does.
    pub fn sync_state_file(&self) {
        let file = self
            .store()
            .journal
            .as_mut()
            .and_then(journal::Journal::take_unsynced);
        if let Some(file) = file
            && let Err(e) = file.sync_data()
        {
            tracing::error!("state file journal cannot be flushed to the disk: {e}");
        }
        let due = self
            .store()
            .journal
            .as_ref()
            .is_some_and(|j| j.compaction_due(std::time::Instant::now()));
        if due {
            let _ = self.save_state_file();
        }
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
        let compaction = {
            let mut store = self.store();
            if store.journal.is_none() {
                return Ok(false);
            }
            let state = store.to_state();
            match store.journal.as_mut() {
                Some(journal) => journal.begin_compaction(state),
                None => return Ok(false),
            }
        };
        let written = compaction.write();
        if let Some(journal) = self.store().journal.as_mut() {
            journal.end_compaction(written.clone(), compaction.was_broken());
        }
        written.map(|_| true)
    }

    /// Keeps the state file: flushes and compacts every
    /// [`journal::SYNC_INTERVAL`] on a thread of its own, until the
    /// returned handle is dropped.
    #[must_use]
    pub fn persist(self: &std::sync::Arc<Self>) -> Persisting {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let emulator = std::sync::Arc::clone(self);
        let thread = std::thread::Builder::new()
            .name("state-file".to_owned())
            .spawn(move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(journal::SYNC_INTERVAL)
                {
                    emulator.sync_state_file();
                }
            })
            .ok();
        Persisting {
            stop: Some(stop),
            thread,
        }
    }

    /// The state file's last failure, while it cannot be written.
    #[must_use]
    pub fn state_file_failure(&self) -> Option<String> {
        self.store()
            .journal
            .as_ref()
            .and_then(|j| j.failure().map(str::to_owned))
    }

    /// Whether the emulator keeps a state file.
    #[must_use]
    pub fn has_state_file(&self) -> bool {
        self.store().journal.is_some()
    }

    /// Writes down every reservation that ran out by now.
    #[cfg(test)]
    pub(crate) fn expire_now(&self) {
        self.store().expire_all(self.now(), &self.settings.limits);
    }

    /// The emulator's clock: the machine's, at the wire's precision, plus
    /// what the control API moved it ahead.
    pub(crate) fn now(&self) -> OffsetDateTime {
        wire_now() + time::Duration::milliseconds(self.clock_offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the emulator's clock ahead by `by` (the control API's
    /// `clock/advance`): reservations time out, placements time out.
    /// Answers the clock's new reading.
    pub(crate) fn advance_clock(&self, by: time::Duration) -> OffsetDateTime {
        let ms = i64::try_from(by.whole_milliseconds()).unwrap_or(i64::MAX);
        self.clock_offset_ms.fetch_add(ms, Ordering::Relaxed);
        self.now()
    }

    /// When the emulator started: the creation time of the fleets it knows.
    pub(crate) fn started(&self) -> OffsetDateTime {
        self.started
    }

    /// The settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Everything the emulator holds, to save.
    #[must_use]
    pub fn state(&self) -> State {
        self.store().to_state()
    }

    pub(crate) fn store(&self) -> StoreGuard<'_> {
        // Every change to a session is all or nothing, so a lock poisoned
        // by a panicking handler still guards consistent sessions.
        StoreGuard(
            self.store
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    pub(crate) fn fresh_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
        format!("gsess-{nanos:x}-{n}")
    }

    /// Runs one GameLift operation on a request body.
    pub(crate) fn call(&self, operation: &str, body: &[u8], p: Protocol) -> Answer {
        match operation {
            "CreateGameSession" => self.create(body, p),
            "DescribeGameSessions" => self.describe(body, p, false),
            "DescribeGameSessionDetails" => self.describe(body, p, true),
            "UpdateGameSession" => self.update(body, p),
            "TerminateGameSession" => self.terminate(body, p),
            "CreatePlayerSession" => {
                let input: CreatePlayerSessionInput = p.parse(body)?;
                let joined = self.join(&input.validate_with(&self.settings.limits)?)?;
                p.write(&CreatePlayerSessionOutput::new(
                    joined.into_iter().next().unwrap_or_default(),
                ))
            }
            "CreatePlayerSessions" => {
                let input: CreatePlayerSessionsInput = p.parse(body)?;
                let joined = self.join(&input.validate_with(&self.settings.limits)?)?;
                p.write(&CreatePlayerSessionsOutput::new(joined))
            }
            "DescribePlayerSessions" => self.describe_players(body, p),
            "SearchGameSessions" => self.search(body, p),
            other => self
                .alias_call(other, body, p)
                .or_else(|| self.fleet_call(other, body, p))
                .or_else(|| self.placement_call(other, body, p))
                .or_else(|| self.matchmaking_call(other, body, p))
                .unwrap_or_else(|| {
                    Err(GameLiftError::unknown_operation(Bounded(other).to_string()))
                }),
        }
    }

    fn create(&self, body: &[u8], p: Protocol) -> Answer {
        let input: CreateGameSessionInput = p.parse(body)?;
        let fleet = match (&input.fleet_id, &input.alias_id) {
            (Some(fleet), _) => fleet.clone(),
            (None, Some(alias)) => {
                input.validate_with(&self.settings.limits)?;
                self.alias_fleet(alias)?
            }
            (None, None) => String::new(),
        };
        let fresh = self.fresh_id();
        let now = self.now();
        let context = CreateContext::new(
            &self.settings.region,
            ACCOUNT_ID,
            fleet_id_of(&fleet),
            now,
            &fresh,
        );
        let validated = input.validate_with(&self.settings.limits)?;
        let detail = validated.create(&context);
        let warnings = validated.warnings();
        let id = detail
            .game_session
            .as_ref()
            .and_then(|s| s.game_session_id.clone())
            .unwrap_or_default();
        let mut store = self.store();
        // A repeated idempotency token answers the session it made, or a
        // mismatch; a session from a hand-written state file has no
        // request to compare with, and is answered.
        if let Some(existing) = store.table.find(&id) {
            let answer = match store.create_requests.get(&id) {
                Some(original) => replay_create_game_session(original, existing, &input)?,
                None => existing,
            };
            return p.write(&session_output(Some(answer)));
        }
        let index = self.launch(&mut store, detail, &fleet, now)?;
        let answer = p.write(&session_output(store.session_at(index)));
        if input.requested_id().is_some() {
            store.create_requests.insert(id.clone(), input);
        }
        drop(store);
        for warning in warnings {
            tracing::warn!(game_session_id = id, "CreateGameSession: {warning}");
        }
        answer
    }

    /// Puts a new session on `fleet` when it has room, with the fate the
    /// simulated game server gives it (`--activation`); answers its index.
    pub(crate) fn launch(
        &self,
        store: &mut Store,
        mut detail: GameSessionDetail,
        fleet: &str,
        now: OffsetDateTime,
    ) -> Result<usize, GameLiftError> {
        let location = detail
            .game_session
            .as_ref()
            .and_then(|s| s.location.as_deref());
        self.check_room(store, fleet, location)?;
        // No game server will report in; the session's fate is the setting's.
        match self.settings.activation {
            Activation::Active => {
                let connection = self.connection(store, &Reported::default())?;
                activate_game_session(&mut detail, &connection, now)?;
            }
            Activation::Fail => transition(&mut detail, Transition::FailActivation, now)?,
            Activation::Never => {}
        }
        Ok(store.insert(detail))
    }

    /// Where a game server that `reported` listens: what it named, the
    /// rest from the settings, and a port no live session holds at that
    /// address.
    fn connection(
        &self,
        store: &mut Store,
        reported: &Reported,
    ) -> Result<Connection, GameLiftError> {
        let server = &self.settings.game_server;
        let address = reported.address.unwrap_or(server.address);
        let text = address.to_string();
        let port = match reported.port {
            Some(port) => {
                if store.ports.holder(&text, i32::from(port)).is_some() {
                    return Err(GameLiftError::invalid_request(
                        "Another live game session already listens at that IpAddress and Port",
                    ));
                }
                port
            }
            None => store.ports.free(&text).ok_or_else(|| {
                let range = store.ports.range();
                GameLiftError::fleet_capacity_exceeded(format!(
                    "No game server port is free: live game sessions hold every port from {} to {}",
                    range.start(),
                    range.end()
                ))
            })?,
        };
        let connection = Connection::new(address, port)?;
        let dns_name = match (&reported.dns_name, reported.address, &server.dns_name) {
            (Some(name), _, _) | (None, None, Some(name)) => Some(name.clone()),
            _ => None,
        };
        Ok(match dns_name {
            Some(name) => connection.with_dns_name(name),
            None => connection,
        })
    }

    fn describe(&self, body: &[u8], p: Protocol, details: bool) -> Answer {
        let input: DescribeGameSessionsInput = p.parse(body)?;
        let validated = input.validate_with(&self.settings.limits)?;
        let alias_fleet = match (&input.fleet_id, &input.game_session_id, &input.alias_id) {
            (None, None, Some(alias)) => Some(self.alias_fleet(alias)?),
            _ => None,
        };
        let mut store = self.store();
        store.expire_all(self.now(), &self.settings.limits);
        let page = validated.select(store.table.iter(), alias_fleet.as_deref())?;
        if details {
            p.write(&page.details_output())
        } else {
            p.write(&page.game_sessions_output())
        }
    }

    fn update(&self, body: &[u8], p: Protocol) -> Answer {
        let input: UpdateGameSessionInput = p.parse(body)?;
        let update = input.validate_with(&self.settings.limits)?;
        let mut store = self.store();
        let now = self.now();
        let (answer, report) = store.change(update.game_session_id(), |detail, players| {
            if !players.is_empty() {
                let limits = &self.settings.limits;
                gamelift_session::player_session::expire_reservations(detail, players, now, limits);
            }
            let report = update.apply(detail)?;
            Ok((p.write(&session_output(Some(detail))), report))
        })?;
        drop(store);
        for warning in report.warnings() {
            tracing::warn!(
                game_session_id = update.game_session_id(),
                "UpdateGameSession: {warning}"
            );
        }
        answer
    }

    fn search(&self, body: &[u8], p: Protocol) -> Answer {
        let input: SearchGameSessionsInput = p.parse(body)?;
        let limits = &self.settings.limits;
        let search = input.validate_with(limits)?;
        let alias_fleet = match (&input.fleet_id, &input.alias_id) {
            (None, Some(alias)) => Some(self.alias_fleet(alias)?),
            _ => None,
        };
        // The lock is held to write the time-outs down and prepare the
        // search (a handle per 64 sessions), not for the scan: writers go
        // on while searches read.
        let prepared = {
            let mut store = self.store();
            store.expire_all(self.now(), limits);
            store.table.prepare(&search, alias_fleet.as_deref())?
        };
        p.write(&prepared.run())
    }

    fn terminate(&self, body: &[u8], p: Protocol) -> Answer {
        let input: TerminateGameSessionInput = p.parse(body)?;
        let terminate = input.validate_with(&self.settings.limits)?;
        let now = self.now();
        self.store()
            .change(terminate.game_session_id(), |detail, players| {
                terminate.apply(detail, now)?;
                end_players_if_ended(detail, players, now);
                Ok(p.write(&session_output(Some(detail))))
            })?
    }

    /// Applies what the simulated game server reports about a session;
    /// an activation listens where `reported` says.
    pub(crate) fn game_server(&self, id: &str, change: Transition, reported: &Reported) -> Answer {
        let mut store = self.store();
        let i = store
            .position(id)
            .ok_or_else(|| GameLiftError::game_session_not_found(id))?;
        let connection = match change {
            Transition::Activate => Some(self.connection(&mut store, reported)?),
            _ => None,
        };
        let now = self.now();
        store
            .change_at(i, |detail, players| {
                match &connection {
                    Some(connection) => activate_game_session(detail, connection, now)?,
                    None => transition(detail, change, now)?,
                }
                end_players_if_ended(detail, players, now);
                Ok(Protocol::Json.write(&session_output(Some(detail))))
            })
            .unwrap_or_else(|| Err(GameLiftError::game_session_not_found(id)))?
    }

    /// Admits players to a game session, and has the simulated game server
    /// accept them when it does so at once. The answer is the new player
    /// sessions as GameLift answers them, RESERVED: the game server accepts
    /// them after, so the next describe shows them ACTIVE.
    fn join(&self, joins: &Joins<'_>) -> Result<Vec<PlayerSession>, GameLiftError> {
        self.join_in(&mut self.store(), joins, self.now())
    }

    /// [`Emulator::join`] on a store already locked.
    pub(crate) fn join_in(
        &self,
        store: &mut Store,
        joins: &Joins<'_>,
        now: OffsetDateTime,
    ) -> Result<Vec<PlayerSession>, GameLiftError> {
        let limits = &self.settings.limits;
        store.change(joins.game_session_id(), |detail, players| {
            let mut new_id = || {
                let n = self.next_id.fetch_add(1, Ordering::Relaxed);
                format!("psess-{:x}-{n}", now.unix_timestamp_nanos())
            };
            let joined = joins
                .admit(detail, players, now, &mut new_id, limits)?
                .to_vec();
            if self.settings.player_acceptance == PlayerAcceptance::Immediate {
                for p in &joined {
                    let id = p.player_session_id.as_deref().unwrap_or_default();
                    change_player_session(
                        detail,
                        players,
                        id,
                        PlayerSessionChange::Accept,
                        now,
                        limits,
                    )?;
                }
            }
            Ok(joined)
        })
    }

    fn describe_players(&self, body: &[u8], p: Protocol) -> Answer {
        let input: DescribePlayerSessionsInput = p.parse(body)?;
        let store = self.store();
        let output = input.select(
            store.players.iter().flatten(),
            self.now(),
            &self.settings.limits,
        )?;
        p.write(&output)
    }

    /// Applies what the simulated game server does to a player session.
    pub(crate) fn player_server(&self, id: &str, change: PlayerSessionChange) -> Answer {
        let limits = &self.settings.limits;
        let mut store = self.store();
        let index = store
            .players
            .iter()
            .position(|ps| {
                ps.iter()
                    .any(|p| p.player_session_id.as_deref() == Some(id))
            })
            .ok_or_else(|| {
                GameLiftError::not_found(format!("Player session {} not found", Bounded(id)))
            })?;
        let now = self.now();
        store
            .change_at(index, |detail, players| {
                let changed = change_player_session(detail, players, id, change, now, limits)?;
                Protocol::Json.write(&serde_json::json!({ "PlayerSession": changed }))
            })
            .unwrap_or_else(|| {
                Err(GameLiftError::not_found(format!(
                    "Player session {} not found",
                    Bounded(id)
                )))
            })
    }

    /// Forgets every session; answers how many there were.
    pub(crate) fn reset(&self) -> usize {
        self.store().clear()
    }
}

/// The store, locked: when it is let go, the journal gets what the
/// operation changed, so every change is on its way to the disk before the
/// operation's answer is sent.
pub(crate) struct StoreGuard<'a>(MutexGuard<'a, Store>);

impl Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.0
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.0
    }
}

impl Drop for StoreGuard<'_> {
    fn drop(&mut self) {
        self.0.commit();
    }
}

/// The thread that keeps the state file ([`Emulator::persist`]); dropping
/// it stops the thread.
#[derive(Debug)]
pub struct Persisting {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Persisting {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// When a game session has ended, its player sessions end with it.
fn end_players_if_ended(
    detail: &mut GameSessionDetail,
    players: &mut [PlayerSession],
    now: OffsetDateTime,
) {
    let ended = detail
        .game_session
        .as_ref()
        .is_some_and(|s| s.status == Some(GameSessionStatus::Terminated));
    if ended {
        end_player_sessions(detail, players, now);
    }
}

/// The clock, at the wire's precision (milliseconds): what the emulator
/// holds is what it answers and what its state file reads back, to the
/// nanosecond.
pub(crate) fn wire_now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_millisecond(t.millisecond()).unwrap_or(t)
}

fn session_output(detail: Option<&GameSessionDetail>) -> GameSessionOutput<'_> {
    detail
        .and_then(|d| d.game_session.as_ref())
        .map_or_else(GameSessionOutput::default, GameSessionOutput::new)
}
