//! The GameLift operations the emulator serves, over its store. Every rule
//! is the crate's; this module holds the store, the clock and the ids.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use gamelift_session::{
    CreateContext, CreateGameSessionInput, DescribeGameSessionsInput, GameLiftError,
    GameSessionDetail, GameSessionOutput, TerminateGameSessionInput, Transition,
    UpdateGameSessionInput, create_game_session, describe_game_sessions, fleet_id_of,
    replay_create_game_session, transition,
};
use time::OffsetDateTime;

use crate::log::Bounded;
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

/// How the emulator behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The home Region, in every ARN.
    pub region: String,
    /// What the simulated game server does with a new session.
    pub activation: Activation,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            region: "us-west-2".to_owned(),
            activation: Activation::Active,
        }
    }
}

/// The emulator: its settings and its state, shared by every connection.
#[derive(Debug)]
pub struct Emulator {
    settings: Settings,
    store: Mutex<Store>,
    next_id: AtomicU64,
}

/// An operation's answer: the encoded output, or the error to report.
pub(crate) type Answer = Result<Vec<u8>, GameLiftError>;

impl Emulator {
    /// An emulator with no sessions.
    #[must_use]
    pub fn new(settings: Settings) -> Self {
        Emulator {
            settings,
            store: Mutex::default(),
            next_id: AtomicU64::new(1),
        }
    }

    /// An emulator holding `state`, as read from a state file.
    ///
    /// # Errors
    ///
    /// A sentence naming what breaks the state file's rules.
    pub fn with_state(settings: Settings, state: State) -> Result<Self, String> {
        let emulator = Emulator::new(settings);
        *emulator.store() = Store::from_state(state)?;
        Ok(emulator)
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

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // Every change to a session is all or nothing, so a lock poisoned
        // by a panicking handler still guards consistent sessions.
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn fresh_id(&self) -> String {
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
            other => Err(GameLiftError::unknown_operation(Bounded(other).to_string())),
        }
    }

    fn create(&self, body: &[u8], p: Protocol) -> Answer {
        let input: CreateGameSessionInput = p.parse(body)?;
        if let (None, Some(alias)) = (&input.fleet_id, &input.alias_id) {
            // The emulator has no aliases: validate, then report it unknown.
            input.validate()?;
            return Err(alias_not_found(alias));
        }
        let fleet = input.fleet_id.clone().unwrap_or_default();
        let fresh = self.fresh_id();
        let now = OffsetDateTime::now_utc();
        let context = CreateContext::new(
            &self.settings.region,
            ACCOUNT_ID,
            fleet_id_of(&fleet),
            now,
            &fresh,
        );
        let mut detail = create_game_session(&input, &context)?;
        let id = detail
            .game_session
            .as_ref()
            .and_then(|s| s.game_session_id.clone())
            .unwrap_or_default();
        let mut store = self.store();
        // A repeated idempotency token answers the session it made, or a
        // mismatch; a session from a hand-written state file has no
        // request to compare with, and is answered.
        if let Some(existing) = store.position(&id).and_then(|i| store.sessions.get(i)) {
            let answer = match store.create_requests.get(&id) {
                Some(original) => replay_create_game_session(original, existing, &input)?,
                None => existing,
            };
            return p.write(&session_output(Some(answer)));
        }
        // No game server will report in; the session's fate is the setting's.
        match self.settings.activation {
            Activation::Active => transition(&mut detail, Transition::Activate, now)?,
            Activation::Fail => transition(&mut detail, Transition::FailActivation, now)?,
            Activation::Never => {}
        }
        if input.requested_id().is_some() {
            store.create_requests.insert(id, input);
        }
        let index = store.insert(detail);
        p.write(&session_output(store.sessions.get(index)))
    }

    fn describe(&self, body: &[u8], p: Protocol, details: bool) -> Answer {
        let input: DescribeGameSessionsInput = p.parse(body)?;
        if let (None, None, Some(alias)) =
            (&input.fleet_id, &input.game_session_id, &input.alias_id)
        {
            return Err(alias_not_found(alias));
        }
        let store = self.store();
        let page = describe_game_sessions(&input, &store.sessions, None)?;
        if details {
            p.write(&page.details_output())
        } else {
            p.write(&page.game_sessions_output())
        }
    }

    fn update(&self, body: &[u8], p: Protocol) -> Answer {
        let input: UpdateGameSessionInput = p.parse(body)?;
        let update = input.validate()?;
        let mut store = self.store();
        let detail = store.get_mut(update.game_session_id())?;
        let report = update.apply(detail)?;
        let answer = p.write(&session_output(Some(detail)));
        drop(store);
        for warning in report.warnings() {
            tracing::warn!(
                game_session_id = update.game_session_id(),
                "UpdateGameSession: {warning}"
            );
        }
        answer
    }

    fn terminate(&self, body: &[u8], p: Protocol) -> Answer {
        let input: TerminateGameSessionInput = p.parse(body)?;
        let terminate = input.validate()?;
        let mut store = self.store();
        let detail = store.get_mut(terminate.game_session_id())?;
        terminate.apply(detail, OffsetDateTime::now_utc())?;
        p.write(&session_output(Some(detail)))
    }

    /// Applies what the simulated game server reports about a session.
    pub(crate) fn game_server(&self, id: &str, change: Transition) -> Answer {
        let mut store = self.store();
        let detail = store.get_mut(id)?;
        transition(detail, change, OffsetDateTime::now_utc())?;
        Protocol::Json.write(&session_output(Some(detail)))
    }

    /// Forgets every session; answers how many there were.
    pub(crate) fn reset(&self) -> usize {
        self.store().clear()
    }
}

fn session_output(detail: Option<&GameSessionDetail>) -> GameSessionOutput<'_> {
    detail
        .and_then(|d| d.game_session.as_ref())
        .map_or_else(GameSessionOutput::default, GameSessionOutput::new)
}

fn alias_not_found(alias: &str) -> GameLiftError {
    GameLiftError::not_found(format!("Alias {} not found", Bounded(alias)))
}
