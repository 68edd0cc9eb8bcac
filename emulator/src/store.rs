//! [`Store`]: every room's tables under the one lock, and the registry of
//! the journal's tables: which room writes and reads each.
//!
//! It implements what each room asks of a store (`FleetsWorld`,
//! `SessionsWorld`, `PlacementsWorld`, `FlexMatchWorld`), so the rooms
//! never name it; a new room adds its tables here, its rows to the two
//! registries below, and nothing to the journal.

use std::collections::HashSet;

use gamelift_session::Limits;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use time::OffsetDateTime;

use crate::context::{Journaled, Snapshot};
use crate::fleets::{ALIASES, COMPUTES, CREATED_FLEETS, FLEETS, Fleets, FleetsWorld, LOCATIONS};
use crate::flexmatch::{CONFIGURATIONS, FlexMatchWorld, Matchmaking, RULE_SETS, TICKETS};
use crate::game_sessions::{
    CREATE_REQUESTS, GAME_SESSIONS, PLAYER_SESSIONS, Sessions, SessionsWorld,
};
use crate::journal::{Line, RecordWriter};
use crate::placements::{PLACEMENTS, PlacementRow, Placements, PlacementsWorld, QUEUES};
use crate::ports::Ports;
use crate::settings::{Retention, Settings};
use crate::state::{STATE_VERSION, State};

/// The journal's tables, in the order a record's upserts are read (a row
/// after the rows it names) and, reversed, its removals.
const TABLES: [&str; 13] = [
    FLEETS,
    LOCATIONS,
    CREATED_FLEETS,
    COMPUTES,
    ALIASES,
    QUEUES,
    RULE_SETS,
    CONFIGURATIONS,
    GAME_SESSIONS,
    CREATE_REQUESTS,
    PLAYER_SESSIONS,
    PLACEMENTS,
    TICKETS,
];

/// Everything the emulator holds.
#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) fleets: Fleets,
    pub(crate) sessions: Sessions,
    pub(crate) placements: Placements,
    pub(crate) matchmaking: Matchmaking,
    /// A reset is waiting for the next journal record.
    reset: bool,
}

/// What a housekeeping pass forgot.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Forgotten {
    pub(crate) game_sessions: usize,
    pub(crate) placements: usize,
    pub(crate) tickets: usize,
}

impl Store {
    /// An empty store for `settings`, its fleets declared.
    pub(crate) fn new(settings: &Settings) -> Self {
        let mut store = Store {
            fleets: Fleets::default(),
            sessions: Sessions::new(
                &settings.limits,
                Ports::new(settings.game_server.ports.clone()),
                settings.retention.max_terminated,
            ),
            placements: Placements::default(),
            matchmaking: Matchmaking::default(),
            reset: false,
        };
        for f in &settings.fleets {
            store.fleets.declare(f);
        }
        store.create_launched_fleets(settings);
        store
    }

    /// Makes the fleets `--launch` names (again: the command line
    /// overrides the state file, and a reset keeps them).
    fn create_launched_fleets(&mut self, settings: &Settings) {
        for l in &settings.game_servers.launch {
            self.fleets
                .create_fleet(crate::game_servers::launched_fleet(l, &settings.region));
        }
    }

    /// Starts collecting the events of ticket and placement changes (after
    /// the state is loaded: loading publishes nothing).
    pub(crate) fn emit_events(&mut self) {
        self.matchmaking.emits = true;
        self.placements.emits = true;
    }

    /// Starts recording changes for the journal.
    pub(crate) fn record_changes(&mut self) {
        self.fleets.changes.turn_on();
        self.sessions.changes.turn_on();
        self.placements.changes.turn_on();
        self.matchmaking.changes.turn_on();
    }

    /// Forgets everything but the declared fleets; answers how many game
    /// sessions there were.
    pub(crate) fn reset(&mut self) -> usize {
        let n = self.sessions.clear();
        self.placements.clear();
        self.matchmaking.clear();
        self.fleets.reset();
        // The rows changed before the reset are gone with it.
        let _ = self.sessions.changes.take();
        let _ = self.placements.changes.take();
        let _ = self.matchmaking.changes.take();
        self.reset = true;
        n
    }

    /// Makes the launched fleets again after a reset (recorded after it).
    pub(crate) fn after_reset(&mut self, settings: &Settings) {
        self.create_launched_fleets(settings);
    }

    /// Writes down what ran out by `now` and forgets what has ended past
    /// `retention`: reservations time out, TERMINATED game sessions past
    /// 30 days go, and so do ended placements and tickets past the
    /// retention period. Every removal is journaled.
    pub(crate) fn housekeeping(
        &mut self,
        now: OffsetDateTime,
        limits: &Limits,
        retention: &Retention,
    ) -> Forgotten {
        self.sessions.expire(now, limits);
        Forgotten {
            game_sessions: self.sessions.forget_ended(now, retention.terminated),
            placements: self.placements.forget_ended(now, retention.ended),
            tickets: self.matchmaking.forget_ended(now, retention.ended),
        }
    }

    /// A store holding `state`, with its settings' fleets declared over
    /// the file's (`--fleet` overrides the file): one step per member of
    /// the file, in the order one names another.
    ///
    /// # Errors
    ///
    /// A sentence naming the first item that breaks the file's rules.
    #[allow(clippy::too_many_lines)]
    pub(crate) fn from_state(state: State, settings: &Settings) -> Result<Self, String> {
        if state.version == 0 || state.version > STATE_VERSION {
            return Err(format!(
                "unsupported Version {} (this emulator reads version {STATE_VERSION})",
                state.version
            ));
        }
        let limits = &settings.limits;
        let mut store = Store::new(&Settings {
            fleets: Vec::new(),
            ..settings.clone()
        });
        let mut seen = HashSet::new();
        // `name` is the member's path in the item; a repeat names the member.
        let mut each = |what: &str, i: usize, key: Option<&str>, name: &str| {
            let Some(key) = key else {
                return Err(format!("{what}[{i}] has no {name}"));
            };
            if !seen.insert((what.to_owned(), key.to_owned())) {
                let member = name.rsplit('.').next().unwrap_or(name);
                return Err(format!("{what}[{i}] repeats the {member} {key}"));
            }
            Ok(key.to_owned())
        };
        for (i, f) in state.fleets.into_iter().enumerate() {
            f.check().map_err(|e| format!("Fleets[{i}]: {e}"))?;
            let key = each("Fleets", i, Some(&f.fleet_id), "FleetId")?;
            store.fleets.load_fleet(&key, Some(f))?;
        }
        for (i, l) in state.locations.into_iter().enumerate() {
            let key = each(
                "Locations",
                i,
                l.location_name.clone().as_deref(),
                "LocationName",
            )?;
            store
                .fleets
                .load_location(&key, Some(l))
                .map_err(|e| format!("Locations[{i}] {e}"))?;
        }
        for (i, f) in state.created_fleets.into_iter().enumerate() {
            let key = each("CreatedFleets", i, Some(&f.fleet_id.clone()), "FleetId")?;
            store
                .fleets
                .load_created(&key, Some(f))
                .map_err(|e| format!("CreatedFleets[{i}] {e}"))?;
        }
        for (i, c) in state.computes.into_iter().enumerate() {
            let id = c
                .compute
                .fleet_id
                .as_deref()
                .zip(c.compute.compute_name.as_deref());
            let key = id.map(|(f, n)| crate::fleets::compute_key(f, n));
            let key = each("Computes", i, key.as_deref(), "Compute.ComputeName")?;
            store
                .fleets
                .load_compute(&key, Some(c))
                .map_err(|e| format!("Computes[{i}] {e}"))?;
        }
        for (i, a) in state.aliases.into_iter().enumerate() {
            let key = each("Aliases", i, a.alias_id.as_deref(), "AliasId")?;
            store.fleets.load_alias(&key, Some(a))?;
        }
        for (i, q) in state.game_session_queues.into_iter().enumerate() {
            let key = each("GameSessionQueues", i, q.name.as_deref(), "Name")?;
            store.placements.load_queue(&key, Some(q))?;
        }
        for (i, r) in state.matchmaking_rule_sets.into_iter().enumerate() {
            let key = each(
                "MatchmakingRuleSets",
                i,
                r.rule_set_name.as_deref(),
                "RuleSetName",
            )?;
            store
                .matchmaking
                .load_rule_set(&key, Some(r))
                .map_err(|e| format!("MatchmakingRuleSets[{i}] {e}"))?;
        }
        for (i, c) in state.matchmaking_configurations.into_iter().enumerate() {
            let key = each("MatchmakingConfigurations", i, c.name.as_deref(), "Name")?;
            store
                .matchmaking
                .load_configuration(&key, Some(c))
                .map_err(|e| format!("MatchmakingConfigurations[{i}] {e}"))?;
        }
        let mut places = std::collections::HashMap::new();
        for (i, d) in state.game_session_details.into_iter().enumerate() {
            let id = d
                .game_session
                .as_ref()
                .and_then(|s| s.game_session_id.as_deref());
            let key = each("GameSessionDetails", i, id, "GameSession.GameSessionId")?;
            if let Some(s) = d
                .game_session
                .as_ref()
                .filter(|s| gamelift_session::game_session::holds_port(s))
                && let (Some(address), Some(port)) = (&s.ip_address, s.port)
                && let Some(other) = store.sessions.ports.holder(address, port)
            {
                return Err(format!(
                    "GameSessionDetails[{i}] listens at the same IpAddress and Port as \
                     GameSessionDetails[{}], and both are live",
                    places.get(other).copied().unwrap_or(0)
                ));
            }
            places.insert(key.clone(), i);
            store
                .sessions
                .load_session(&key, Some(d), limits)
                .map_err(|e| format!("GameSessionDetails[{i}] {e}"))?;
        }
        for (id, request) in state.create_requests {
            store
                .sessions
                .load_create_request(&id, Some(request))
                .map_err(|_| format!("CreateRequests names {id}, which no game session has"))?;
        }
        for (i, p) in state.player_sessions.into_iter().enumerate() {
            if p.game_session_id
                .as_deref()
                .is_none_or(|g| store.sessions.find(g).is_none())
            {
                return Err(format!(
                    "PlayerSessions[{i}] names no game session of GameSessionDetails"
                ));
            }
            let key = each(
                "PlayerSessions",
                i,
                p.player_session_id.as_deref(),
                "PlayerSessionId",
            )
            .map_err(|e| {
                if p.player_session_id.is_none() {
                    format!("PlayerSessions[{i}] breaks the API's rules: It has no PlayerSessionId")
                } else {
                    e
                }
            })?;
            store
                .sessions
                .load_player(&key, Some(p), limits)
                .map_err(|e| format!("PlayerSessions[{i}] {e}"))?;
        }
        for (i, id) in places
            .iter()
            .map(|(id, i)| (*i, id))
            .collect::<std::collections::BTreeMap<_, _>>()
        {
            store
                .sessions
                .check_count(id)
                .map_err(|e| format!("GameSessionDetails[{i}] {e}"))?;
        }
        let mut desired = state.desired_player_sessions;
        let mut placement_ids = HashSet::new();
        for (i, placement) in state.game_session_placements.into_iter().enumerate() {
            let key = each(
                "GameSessionPlacements",
                i,
                placement.placement_id.as_deref(),
                "PlacementId",
            )?;
            placement_ids.insert(key.clone());
            let row = PlacementRow {
                desired_player_sessions: desired.remove(&key).unwrap_or_default(),
                placement,
                waiting_on: None,
            };
            store
                .placements
                .load_placement(&key, Some(row))
                .map_err(|e| format!("GameSessionPlacements[{i}] {e}"))?;
        }
        if let Some(id) = desired.keys().next() {
            return Err(format!(
                "DesiredPlayerSessions names {id}, which no placement has"
            ));
        }
        for (i, t) in state.matchmaking_tickets.into_iter().enumerate() {
            let key = each(
                "MatchmakingTickets",
                i,
                t.ticket.ticket_id.as_deref(),
                "Ticket.TicketId",
            )?;
            store.matchmaking.load_ticket(&key, Some(t))?;
        }
        for f in &settings.fleets {
            store.fleets.declare(f);
        }
        store.create_launched_fleets(settings);
        Ok(store)
    }

    /// Applies a journal record read at `line`: every row is checked by its
    /// table as a snapshot's is, and the game sessions it touched must
    /// agree with their player sessions after it.
    ///
    /// # Errors
    ///
    /// A sentence naming the row and the problem.
    pub(crate) fn apply(&mut self, line: &Line, settings: &Settings) -> Result<(), String> {
        let record = &line.record;
        if record.reset {
            self.reset();
            self.reset = false;
        }
        let rank = |table: &str| TABLES.iter().position(|t| *t == table);
        for change in &record.rows {
            if rank(&change.table).is_none() {
                return Err(format!(
                    "names the table {}, which no room has",
                    crate::log::Bounded(&change.table)
                ));
            }
        }
        let mut order: Vec<&crate::journal::RowChange> = record.rows.iter().collect();
        // Removals first, each after the rows that name it; then upserts,
        // each after the rows it names.
        order.sort_by_key(|c| match c.row {
            None => (0, usize::MAX - rank(&c.table).unwrap_or(0)),
            Some(_) => (1, rank(&c.table).unwrap_or(0)),
        });
        let mut touched = Vec::new();
        for change in order {
            let at = |e: String| {
                format!(
                    "has a row {} {}: {e}",
                    change.table,
                    crate::log::Bounded(&change.key)
                )
            };
            self.load_row(
                &change.table,
                &change.key,
                change.row.as_deref(),
                &settings.limits,
            )
            .map_err(at)?;
            match change.table.as_str() {
                GAME_SESSIONS => touched.push(change.key.clone()),
                PLAYER_SESSIONS => {
                    if let Some(owner) = self.sessions.owner_of(&change.key) {
                        touched.push(owner.to_owned());
                    }
                }
                _ => {}
            }
        }
        for id in touched {
            self.sessions.check_count(&id).map_err(|e| {
                format!(
                    "leaves the game session {} that {e}",
                    crate::log::Bounded(&id)
                )
            })?;
        }
        Ok(())
    }

    /// Reads one row into its table: the registry of the journal's tables.
    fn load_row(
        &mut self,
        table: &str,
        key: &str,
        row: Option<&RawValue>,
        limits: &Limits,
    ) -> Result<(), String> {
        match table {
            FLEETS => self.fleets.load_fleet(key, parse(row)?),
            LOCATIONS => self.fleets.load_location(key, parse(row)?),
            CREATED_FLEETS => self.fleets.load_created(key, parse(row)?),
            COMPUTES => self.fleets.load_compute(key, parse(row)?),
            ALIASES => self.fleets.load_alias(key, parse(row)?),
            QUEUES => self.placements.load_queue(key, parse(row)?),
            RULE_SETS => self.matchmaking.load_rule_set(key, parse(row)?),
            CONFIGURATIONS => self.matchmaking.load_configuration(key, parse(row)?),
            GAME_SESSIONS => self.sessions.load_session(key, parse(row)?, limits),
            CREATE_REQUESTS => self.sessions.load_create_request(key, parse(row)?),
            PLAYER_SESSIONS => self.sessions.load_player(key, parse(row)?, limits),
            PLACEMENTS => self.placements.load_placement(key, parse(row)?),
            _ => self.matchmaking.load_ticket(key, parse(row)?),
        }
    }
}

/// A row of the journal in its table's shape.
fn parse<T: DeserializeOwned>(row: Option<&RawValue>) -> Result<Option<T>, String> {
    row.map(|raw| serde_json::from_str(raw.get()).map_err(|e| format!("it cannot be read: {e}")))
        .transpose()
}

impl Journaled for Store {
    fn has_changes(&self) -> bool {
        self.reset
            || !self.fleets.changes.is_empty()
            || !self.sessions.changes.is_empty()
            || !self.placements.changes.is_empty()
            || !self.matchmaking.changes.is_empty()
    }

    fn publish(&mut self, env: &crate::context::Env) {
        crate::events::publish(
            &mut self.matchmaking,
            &mut self.placements,
            &self.sessions,
            &mut self.fleets,
            env,
        );
    }

    fn write_changes(&mut self, record: &mut RecordWriter<'_>) {
        if std::mem::take(&mut self.reset) {
            record.reset();
        }
        // The rows are written as the tables hold them now; encoding a
        // shape to memory does not fail.
        for (table, key) in self.fleets.changes.take() {
            let _ = self.fleets.write_row(table, &key, record);
        }
        for (table, key) in self.sessions.changes.take() {
            let _ = self.sessions.write_row(table, &key, record);
        }
        for (table, key) in self.placements.changes.take() {
            let _ = self.placements.write_row(table, &key, record);
        }
        for (table, key) in self.matchmaking.changes.take() {
            let _ = self.matchmaking.write_row(table, &key, record);
        }
    }
}

impl Snapshot for Store {
    type State = State;

    fn to_state(&self, seq: u64) -> State {
        let mut desired = std::collections::BTreeMap::new();
        let mut placements = Vec::new();
        for row in self.placements.rows() {
            if !row.desired_player_sessions.is_empty()
                && let Some(id) = &row.placement.placement_id
            {
                desired.insert(id.clone(), row.desired_player_sessions.clone());
            }
            placements.push(row.placement.clone());
        }
        State {
            version: STATE_VERSION,
            game_session_details: self.sessions.iter().cloned().collect(),
            create_requests: self
                .sessions
                .create_requests()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            player_sessions: self.sessions.all_players().cloned().collect(),
            aliases: self.fleets.aliases().cloned().collect(),
            game_session_queues: self.placements.queues().cloned().collect(),
            game_session_placements: placements,
            desired_player_sessions: desired,
            fleets: self.fleets.declared().cloned().collect(),
            locations: self.fleets.custom_locations().cloned().collect(),
            created_fleets: self.fleets.created_fleets().cloned().collect(),
            computes: self.fleets.computes().cloned().collect(),
            matchmaking_rule_sets: self
                .matchmaking
                .rule_sets()
                .map(|r| r.resource.clone())
                .collect(),
            matchmaking_configurations: self.matchmaking.configurations().cloned().collect(),
            matchmaking_tickets: self.matchmaking.tickets().cloned().collect(),
            journal_sequence: seq,
        }
    }
}

impl FleetsWorld for Store {
    fn fleets(&mut self) -> &mut Fleets {
        &mut self.fleets
    }

    fn fleets_in_use(&self) -> Vec<String> {
        self.sessions.fleet_ids()
    }

    fn fleet_counts(
        &self,
        fleet: &str,
        region: &str,
    ) -> (String, gamelift_session::fleet::FleetCounts) {
        crate::game_servers::fleet_counts(&self.fleets, &self.sessions, fleet, region)
    }
}

impl SessionsWorld for Store {
    fn game_sessions(&mut self) -> (&mut Sessions, &mut Fleets) {
        (&mut self.sessions, &mut self.fleets)
    }
}

impl PlacementsWorld for Store {
    fn placements(&mut self) -> (&mut Placements, &mut Sessions, &mut Fleets) {
        (&mut self.placements, &mut self.sessions, &mut self.fleets)
    }
}

impl FlexMatchWorld for Store {
    fn flexmatch(
        &mut self,
    ) -> (
        &mut Matchmaking,
        &mut Placements,
        &mut Sessions,
        &mut Fleets,
    ) {
        (
            &mut self.matchmaking,
            &mut self.placements,
            &mut self.sessions,
            &mut self.fleets,
        )
    }
}
