//! Everything the emulator holds, and the state file that outlives the process.
//!
//! The state file is JSON, versioned, and written in the same shapes the
//! AWS API uses, so a person can write one by hand as a test fixture:
//!
//! ```json
//! {
//!   "Version": 1,
//!   "GameSessionDetails": [
//!     {
//!       "GameSession": {
//!         "GameSessionId": "arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b3c4d/gs-1",
//!         "FleetId": "fleet-1a2b3c4d",
//!         "Name": "Friday night",
//!         "Status": "ACTIVE",
//!         "CurrentPlayerSessionCount": 0,
//!         "MaximumPlayerSessionCount": 8,
//!         "PlayerSessionCreationPolicy": "ACCEPT_ALL",
//!         "GameProperties": [{"Key": "mode", "Value": "ranked"}],
//!         "CreationTime": 1764000000.0
//!       },
//!       "ProtectionPolicy": "NoProtection"
//!     }
//!   ]
//! }
//! ```
//!
//! `Version` is required and must be [`STATE_VERSION`]; every other member
//! may be left out. `CreateRequests` maps the ARN of each session created
//! with an idempotency token to the request that created it, so that a
//! repeated create after a restart is still compared with it.
//! `PlayerSessions` lists every player session; each names a game session
//! of the file. Unknown top-level members are refused, so that a typo
//! in a fixture is an error and not silently lost state; so is an unknown
//! member at any depth, a value the API's rules refuse, a repeated
//! `PlayerSessionId` and a `CurrentPlayerSessionCount` its player sessions
//! contradict. Every game session needs a `GameSessionId`, unique in the
//! file. The file is a snapshot: written to a new temporary file beside it,
//! then renamed over it, so a crash never leaves half a file; the changes
//! since are in its journal ([`crate::journal`]).

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io;
use std::path::{Path, PathBuf};

use gamelift_session::{
    GameLiftError, GameSessionDetail, Limits, SessionTable, UpdateGameSessionInput,
    fleet::Alias,
    flexmatch::{MatchmakingConfiguration, MatchmakingRuleSet, RuleSet, Ticket},
    game_session::{CreateGameSessionInput, holds_port},
    model::{GamePropertyInput, PlayerSessionStatus},
    placement::{DesiredPlayerSession, GameSessionPlacement, GameSessionQueue},
    player_session::{
        CreatePlayerSessionInput, DescribePlayerSessionsInput, PlayerSession, expire_reservations,
        reservations_run_out,
    },
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::fleets::DeclaredFleet;
use crate::journal::{self, Journal};
use crate::ports::Ports;

/// The version of the state file format this emulator reads and writes.
pub const STATE_VERSION: u32 = 1;

/// The emulator's state, as the state file holds it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct State {
    /// The format's version: [`STATE_VERSION`].
    pub version: u32,
    /// Every game session, in creation order.
    #[serde(default)]
    pub game_session_details: Vec<GameSessionDetail>,
    /// The request that created each session named by an idempotency
    /// token (or the deprecated custom `GameSessionId`), by the session's
    /// ARN: a repeated create is compared with it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub create_requests: BTreeMap<String, CreateGameSessionInput>,
    /// Every player session, by game session in creation order, then in
    /// the order they joined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub player_sessions: Vec<PlayerSession>,
    /// Every alias, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,
    /// Every game session queue, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub game_session_queues: Vec<GameSessionQueue>,
    /// Every game session placement, in the order they started.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub game_session_placements: Vec<GameSessionPlacement>,
    /// The players each `PENDING` placement is to seat, by placement id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub desired_player_sessions: BTreeMap<String, Vec<DesiredPlayerSession>>,
    /// The fleets declared, with their capacities and locations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fleets: Vec<DeclaredFleet>,
    /// Every matchmaking rule set, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchmaking_rule_sets: Vec<MatchmakingRuleSet>,
    /// Every matchmaking configuration, in creation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchmaking_configurations: Vec<MatchmakingConfiguration>,
    /// Every matchmaking ticket, in the order they started, with what the
    /// matchmaker keeps beside each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchmaking_tickets: Vec<Ticket>,
    /// The sequence number of the last journal record this snapshot holds
    /// (see [`crate::journal`]); 0, and left out, for a file written by
    /// hand.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub journal_sequence: u64,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's signature
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The sessions, in creation order, with their player sessions, and the
/// requests that created the sessions with custom ids.
#[derive(Debug, Default)]
pub(crate) struct Store {
    /// The sessions, their search rows and index: a session changes only
    /// through [`Store::change_at`], so every change reaches the search.
    /// Shared with the searches under way: a search is prepared under the
    /// lock (a handle per 64 sessions) and runs outside it, and a change
    /// to what a search still holds writes a new copy, so no search sees
    /// half a change and none holds up a writer for its scan.
    pub(crate) table: SessionTable,
    /// The player sessions of each game session, at the same index.
    pub(crate) players: Vec<Vec<PlayerSession>>,
    pub(crate) create_requests: BTreeMap<String, CreateGameSessionInput>,
    /// The game server ports live sessions hold.
    pub(crate) ports: Ports,
    /// Every alias, in creation order.
    pub(crate) aliases: Vec<Alias>,
    /// Every queue, in creation order.
    pub(crate) queues: Vec<GameSessionQueue>,
    /// Every placement, in the order they started.
    pub(crate) placements: Vec<GameSessionPlacement>,
    /// The players each `PENDING` placement is to seat.
    pub(crate) desired_players: BTreeMap<String, Vec<DesiredPlayerSession>>,
    /// The fleets declared, in the order they were.
    pub(crate) fleets: Vec<DeclaredFleet>,
    /// Every matchmaking rule set, in creation order, with its rules read.
    pub(crate) rule_sets: Vec<StoredRuleSet>,
    /// Every matchmaking configuration, in creation order.
    pub(crate) configurations: Vec<MatchmakingConfiguration>,
    /// Every matchmaking ticket, in the order they started.
    pub(crate) tickets: Vec<Ticket>,
    /// The state file's journal, with `--state`.
    pub(crate) journal: Option<Journal>,
    /// What the operation under way touched, for its journal records.
    touched: Vec<Touched>,
}

/// What [`Store::touch_matchmaking`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MatchmakingRecord {
    RuleSet,
    RuleSetDeleted,
    Configuration,
    ConfigurationDeleted,
    Ticket,
}

/// A rule set resource and its rules, read once.
#[derive(Debug, Clone)]
pub(crate) struct StoredRuleSet {
    pub(crate) resource: MatchmakingRuleSet,
    /// Shared with the matchmaker's rounds, which run without copying it.
    pub(crate) rules: std::sync::Arc<RuleSet>,
}

/// What one operation touched, written to the journal when it lets the
/// store go ([`Store::commit`]).
#[derive(Debug)]
enum Touched {
    Reset,
    /// An alias was created or changed: its id.
    Alias(String),
    /// An alias was deleted: its id.
    AliasDeleted(String),
    /// A queue was created or changed: its name.
    Queue(String),
    /// A queue was deleted: its name.
    QueueDeleted(String),
    /// A placement started or moved on: its id.
    Placement(String),
    /// A rule set was created: its name.
    RuleSet(String),
    /// A rule set was deleted: its name.
    RuleSetDeleted(String),
    /// A configuration was created or changed: its name.
    Configuration(String),
    /// A configuration was deleted: its name.
    ConfigurationDeleted(String),
    /// A ticket started or moved on: its id.
    Ticket(String),
    /// A fleet was declared or declared again: its id.
    Fleet(String),
    Entry {
        index: usize,
        /// It was created by this operation.
        new: bool,
        /// Its player sessions and their statuses before: a player session
        /// past them, or whose status differs, goes in the record.
        players_before: usize,
        statuses: Vec<Option<PlayerSessionStatus>>,
    },
}

fn id_of(detail: &GameSessionDetail) -> Option<&str> {
    detail.game_session.as_ref()?.game_session_id.as_deref()
}

/// The members of a stored game session that a request could set, as the
/// request that would set them: validating it checks the stored values
/// against the model with the crate's own rules (patterns, lengths, the
/// property limit), in AWS's words.
fn stored_session_input(session: &gamelift_session::GameSession) -> UpdateGameSessionInput {
    let mut input =
        UpdateGameSessionInput::new(session.game_session_id.clone().unwrap_or_default());
    input.name.clone_from(&session.name);
    input.maximum_player_session_count = session.maximum_player_session_count;
    input.game_properties = session.game_properties.as_ref().map(|ps| {
        ps.iter()
            .map(|p| GamePropertyInput::new(p.key.clone(), p.value.clone()))
            .collect()
    });
    input
}

/// A stored player session against the model: its id, its game session's
/// id, the player's id and data, by the crate's rules.
fn check_player_session(player: &PlayerSession, limits: &Limits) -> Result<(), GameLiftError> {
    let Some(id) = player.player_session_id.clone() else {
        return Err(GameLiftError::invalid_request("It has no PlayerSessionId"));
    };
    let mut describe = DescribePlayerSessionsInput::default();
    describe.player_session_id = Some(id);
    describe.select(std::iter::empty(), OffsetDateTime::UNIX_EPOCH, limits)?;
    let mut join = CreatePlayerSessionInput::new(
        player.game_session_id.clone().unwrap_or_default(),
        player.player_id.clone().unwrap_or_default(),
    );
    join.player_data.clone_from(&player.player_data);
    join.validate_with(limits).map(|_| ())
}

/// Moves the aliases, queues and placements of `state` into `store`, each
/// named once.
fn take_named_records(state: &mut State, store: &mut Store) -> Result<(), String> {
    let mut alias_ids = std::collections::HashSet::new();
    for (i, alias) in state.aliases.iter().enumerate() {
        let Some(id) = alias.alias_id.as_deref() else {
            return Err(format!("Aliases[{i}] has no AliasId"));
        };
        if !alias_ids.insert(id) {
            return Err(format!("Aliases[{i}] repeats the AliasId {id}"));
        }
    }
    store.aliases = std::mem::take(&mut state.aliases);
    let mut names = std::collections::HashSet::new();
    for (i, queue) in state.game_session_queues.iter().enumerate() {
        let Some(name) = queue.name.as_deref() else {
            return Err(format!("GameSessionQueues[{i}] has no Name"));
        };
        if !names.insert(name) {
            return Err(format!("GameSessionQueues[{i}] repeats the Name {name}"));
        }
    }
    let mut ids = std::collections::HashSet::new();
    for (i, placement) in state.game_session_placements.iter().enumerate() {
        let Some(id) = placement.placement_id.as_deref() else {
            return Err(format!("GameSessionPlacements[{i}] has no PlacementId"));
        };
        if !ids.insert(id) {
            return Err(format!(
                "GameSessionPlacements[{i}] repeats the PlacementId {id}"
            ));
        }
    }
    store.queues = std::mem::take(&mut state.game_session_queues);
    if let Some(id) = state
        .desired_player_sessions
        .keys()
        .find(|id| !ids.contains(id.as_str()))
    {
        return Err(format!(
            "DesiredPlayerSessions names {id}, which no placement has"
        ));
    }
    store.placements = std::mem::take(&mut state.game_session_placements);
    store.desired_players = std::mem::take(&mut state.desired_player_sessions);
    take_matchmaking(state, store)
}

/// Moves the rule sets (read again), configurations and tickets of
/// `state` into `store`, each named once, each configuration's rule set
/// present.
fn take_matchmaking(state: &mut State, store: &mut Store) -> Result<(), String> {
    for (i, f) in state.fleets.iter().enumerate() {
        f.check().map_err(|e| format!("Fleets[{i}]: {e}"))?;
        if state.fleets[..i].iter().any(|o| o.fleet_id == f.fleet_id) {
            return Err(format!("Fleets[{i}] repeats the FleetId {}", f.fleet_id));
        }
    }
    store.fleets = std::mem::take(&mut state.fleets);
    for (i, resource) in std::mem::take(&mut state.matchmaking_rule_sets)
        .into_iter()
        .enumerate()
    {
        let Some(name) = resource.rule_set_name.clone() else {
            return Err(format!("MatchmakingRuleSets[{i}] has no RuleSetName"));
        };
        if store
            .rule_sets
            .iter()
            .any(|r| r.resource.rule_set_name.as_deref() == Some(&name))
        {
            return Err(format!(
                "MatchmakingRuleSets[{i}] repeats the RuleSetName {name}"
            ));
        }
        let rules =
            serde_json::from_str::<RuleSet>(resource.rule_set_body.as_deref().unwrap_or_default())
                .map_err(|e| {
                    format!("MatchmakingRuleSets[{i}] has a RuleSetBody that cannot be read: {e}")
                })?;
        store.rule_sets.push(StoredRuleSet {
            resource,
            rules: rules.into(),
        });
    }
    for (i, c) in state.matchmaking_configurations.iter().enumerate() {
        let Some(name) = c.name.as_deref() else {
            return Err(format!("MatchmakingConfigurations[{i}] has no Name"));
        };
        if state.matchmaking_configurations[..i]
            .iter()
            .any(|o| o.name.as_deref() == Some(name))
        {
            return Err(format!(
                "MatchmakingConfigurations[{i}] repeats the Name {name}"
            ));
        }
        let rule_set = c.rule_set_name.as_deref().unwrap_or_default();
        if !store
            .rule_sets
            .iter()
            .any(|r| r.resource.is_named_by(rule_set))
        {
            return Err(format!(
                "MatchmakingConfigurations[{i}] names the rule set {rule_set}, which MatchmakingRuleSets does not hold"
            ));
        }
    }
    store.configurations = std::mem::take(&mut state.matchmaking_configurations);
    for (i, t) in state.matchmaking_tickets.iter().enumerate() {
        let Some(id) = t.ticket.ticket_id.as_deref() else {
            return Err(format!("MatchmakingTickets[{i}] has no Ticket.TicketId"));
        };
        if state.matchmaking_tickets[..i]
            .iter()
            .any(|o| o.ticket.ticket_id.as_deref() == Some(id))
        {
            return Err(format!("MatchmakingTickets[{i}] repeats the TicketId {id}"));
        }
    }
    store.tickets = std::mem::take(&mut state.matchmaking_tickets);
    Ok(())
}

impl Store {
    /// An empty store whose search index holds up to `limits`' keys and
    /// whose game servers listen on `ports`.
    pub(crate) fn new(limits: &Limits, ports: Ports) -> Self {
        Store {
            table: SessionTable::new(limits),
            ports,
            ..Store::default()
        }
    }

    /// A store holding `state`'s sessions. The search index is rebuilt in
    /// the sessions' order: a key first set by an update to an older
    /// session may take another place than it had, which matters only past
    /// the index's limit. So are the ports live sessions hold.
    ///
    /// # Errors
    ///
    /// A sentence naming the first record that breaks the file's rules.
    pub(crate) fn from_state(
        mut state: State,
        limits: &Limits,
        ports: Ports,
    ) -> Result<Self, String> {
        if state.version != STATE_VERSION {
            return Err(format!(
                "unsupported Version {} (this emulator reads version {STATE_VERSION})",
                state.version
            ));
        }
        let mut store = Store::new(limits, ports);
        let details = std::mem::take(&mut state.game_session_details);
        for (i, detail) in details.into_iter().enumerate() {
            let Some(id) = id_of(&detail) else {
                return Err(format!(
                    "GameSessionDetails[{i}] has no GameSession.GameSessionId"
                ));
            };
            if store.table.position(id).is_some() {
                return Err(format!(
                    "GameSessionDetails[{i}] repeats the GameSessionId {id}"
                ));
            }
            if let Some(session) = &detail.game_session
                && let Err(e) = stored_session_input(session).validate_with(limits)
            {
                return Err(format!(
                    "GameSessionDetails[{i}] breaks the API's rules: {e}"
                ));
            }
            if let Some(session) = detail.game_session.as_ref().filter(|s| holds_port(s))
                && let (Some(address), Some(port)) = (&session.ip_address, session.port)
                && let Some(other) = store.ports.holder(address, port)
            {
                return Err(format!(
                    "GameSessionDetails[{i}] listens at the same IpAddress and Port as \
                     GameSessionDetails[{other}], and both are live"
                ));
            }
            store.insert(detail);
        }
        if let Some(id) = state
            .create_requests
            .keys()
            .find(|id| store.table.position(id).is_none())
        {
            return Err(format!(
                "CreateRequests names {id}, which no game session has"
            ));
        }
        store.create_requests = std::mem::take(&mut state.create_requests);
        take_named_records(&mut state, &mut store)?;
        let mut player_ids = std::collections::HashSet::new();
        for (i, player) in state.player_sessions.into_iter().enumerate() {
            let index = player
                .game_session_id
                .as_deref()
                .and_then(|id| store.table.position(id));
            let Some(index) = index else {
                return Err(format!(
                    "PlayerSessions[{i}] names no game session of GameSessionDetails"
                ));
            };
            check_player_session(&player, limits)
                .map_err(|e| format!("PlayerSessions[{i}] breaks the API's rules: {e}"))?;
            let id = player.player_session_id.clone().unwrap_or_default();
            if !player_ids.insert(id) {
                return Err(format!(
                    "PlayerSessions[{i}] repeats the PlayerSessionId {}",
                    player.player_session_id.as_deref().unwrap_or_default()
                ));
            }
            store.players[index].push(player);
        }
        for (i, (detail, players)) in store.table.iter().zip(&store.players).enumerate() {
            let seated = players.iter().filter(|p| p.holds_a_slot()).count();
            let count = detail
                .game_session
                .as_ref()
                .and_then(|s| s.current_player_session_count);
            if let Some(count) = count
                && usize::try_from(count).ok() != Some(seated)
            {
                return Err(format!(
                    "GameSessionDetails[{i}] says CurrentPlayerSessionCount {count}, but {seated} of its PlayerSessions are RESERVED or ACTIVE"
                ));
            }
        }
        Ok(store)
    }

    /// The state to save.
    pub(crate) fn to_state(&self) -> State {
        State {
            version: STATE_VERSION,
            game_session_details: self.table.iter().cloned().collect(),
            create_requests: self.create_requests.clone(),
            player_sessions: self.players.iter().flatten().cloned().collect(),
            aliases: self.aliases.clone(),
            game_session_queues: self.queues.clone(),
            game_session_placements: self.placements.clone(),
            desired_player_sessions: self.desired_players.clone(),
            fleets: self.fleets.clone(),
            matchmaking_rule_sets: self.rule_sets.iter().map(|r| r.resource.clone()).collect(),
            matchmaking_configurations: self.configurations.clone(),
            matchmaking_tickets: self.tickets.clone(),
            journal_sequence: 0,
        }
    }

    /// The index of the session with this id.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.table.position(id)
    }

    /// The session at index `i`.
    pub(crate) fn session_at(&self, i: usize) -> Option<&GameSessionDetail> {
        self.table.get(i)
    }

    /// Changes the session with this id and its player sessions with
    /// `change`; see [`Store::change_at`].
    pub(crate) fn change<R>(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut GameSessionDetail, &mut Vec<PlayerSession>) -> Result<R, GameLiftError>,
    ) -> Result<R, GameLiftError> {
        let i = self
            .position(id)
            .ok_or_else(|| GameLiftError::game_session_not_found(id))?;
        self.change_at(i, change)
            .unwrap_or_else(|| Err(GameLiftError::game_session_not_found(id)))
    }

    /// Changes the session at index `i` and its player sessions with
    /// `change`: the one way a stored session changes. The table rebuilds
    /// its search row, the port pool follows its status (a TERMINATED
    /// session gives its port up), and the journal records what the change
    /// leaves. `None` when there is no such session.
    pub(crate) fn change_at<R>(
        &mut self,
        i: usize,
        change: impl FnOnce(&mut GameSessionDetail, &mut Vec<PlayerSession>) -> R,
    ) -> Option<R> {
        let players = self.players.get_mut(i)?;
        if self.journal.is_some()
            && !self
                .touched
                .iter()
                .any(|t| matches!(t, Touched::Entry { index, .. } if *index == i))
        {
            self.touched.push(Touched::Entry {
                index: i,
                new: false,
                players_before: players.len(),
                statuses: players.iter().map(|p| p.status).collect(),
            });
        }
        let answer = self.table.modify(i, |detail| change(detail, players))?;
        if let Some(session) = self.table.get(i).and_then(|d| d.game_session.as_ref()) {
            let _ = self.ports.sync(i, session);
        }
        Some(answer)
    }

    /// Writes what the operation under way changed to the journal: called
    /// when the operation lets the store go, so before its answer is sent.
    pub(crate) fn commit(&mut self) {
        if self.touched.is_empty() {
            return;
        }
        let mut touched = std::mem::take(&mut self.touched);
        if let Some(mut journal) = self.journal.take() {
            for t in &touched {
                if let Some(change) = self.change_of(t) {
                    journal.append(&change);
                }
            }
            self.journal = Some(journal);
        }
        touched.clear();
        self.touched = touched;
    }

    /// The journal record of what `t` touched, as the store holds it now.
    fn change_of<'s>(&'s self, t: &'s Touched) -> Option<journal::Change<'s>> {
        Some(match t {
            Touched::Reset => journal::Change::default(),
            Touched::Alias(id) => journal::Change {
                alias: self
                    .aliases
                    .iter()
                    .find(|a| a.alias_id.as_deref() == Some(id)),
                ..journal::Change::default()
            },
            Touched::AliasDeleted(id) => journal::Change {
                deleted_alias: Some(id),
                ..journal::Change::default()
            },
            Touched::Queue(name) => journal::Change {
                queue: self.queues.iter().find(|q| q.name.as_deref() == Some(name)),
                ..journal::Change::default()
            },
            Touched::QueueDeleted(name) => journal::Change {
                deleted_queue: Some(name),
                ..journal::Change::default()
            },
            Touched::Placement(id) => journal::Change {
                placement: self
                    .placements
                    .iter()
                    .find(|p| p.placement_id.as_deref() == Some(id)),
                desired_players: self.desired_players.get(id).map(Vec::as_slice),
                ..journal::Change::default()
            },
            Touched::RuleSet(name) => journal::Change {
                rule_set: self
                    .rule_sets
                    .iter()
                    .find(|r| r.resource.rule_set_name.as_deref() == Some(name))
                    .map(|r| &r.resource),
                ..journal::Change::default()
            },
            Touched::RuleSetDeleted(name) => journal::Change {
                deleted_rule_set: Some(name),
                ..journal::Change::default()
            },
            Touched::Configuration(name) => journal::Change {
                configuration: self
                    .configurations
                    .iter()
                    .find(|c| c.name.as_deref() == Some(name)),
                ..journal::Change::default()
            },
            Touched::ConfigurationDeleted(name) => journal::Change {
                deleted_configuration: Some(name),
                ..journal::Change::default()
            },
            Touched::Fleet(id) => journal::Change {
                fleet: self.fleets.iter().find(|f| f.fleet_id == *id),
                ..journal::Change::default()
            },
            Touched::Ticket(id) => journal::Change {
                ticket: self
                    .tickets
                    .iter()
                    .find(|t| t.ticket.ticket_id.as_deref() == Some(id)),
                ..journal::Change::default()
            },
            Touched::Entry {
                index,
                new,
                players_before,
                statuses,
            } => {
                let (Some(detail), Some(players)) =
                    (self.table.get(*index), self.players.get(*index))
                else {
                    return None;
                };
                let players = players
                    .iter()
                    .enumerate()
                    .filter(|&(i, p)| i >= *players_before || statuses.get(i) != Some(&p.status))
                    .map(|(_, p)| p)
                    .collect();
                let create_request = if *new {
                    id_of(detail).and_then(|id| self.create_requests.get(id))
                } else {
                    None
                };
                journal::Change {
                    detail: Some(detail),
                    players,
                    create_request,
                    ..journal::Change::default()
                }
            }
        })
    }

    /// Writes down every reservation that ran out by `now`, so that counts
    /// and statuses read from here agree with the clock.
    /// What times out is journaled like any change, so that a later record
    /// of the game session (with the count after it) never meets player
    /// sessions the journal still holds RESERVED.
    pub(crate) fn expire_all(&mut self, now: OffsetDateTime, limits: &Limits) {
        // Only a session with a reservation that ran out changes; every
        // other session's count is already its players' (each change sets
        // it), so it is left alone, and not copied from under a search.
        for i in 0..self.players.len() {
            if !self
                .players
                .get(i)
                .is_some_and(|players| reservations_run_out(players, now, limits))
            {
                continue;
            }
            self.change_at(i, |detail, players| {
                expire_reservations(detail, players, now, limits)
            });
        }
    }

    /// Adds a session whose id is not in the store yet; answers its index.
    pub(crate) fn insert(&mut self, detail: GameSessionDetail) -> usize {
        let i = self.table.len();
        if let Some(session) = &detail.game_session {
            // A new session's port is free: the caller picked it so, or
            // `from_state` checked it.
            let _ = self.ports.sync(i, session);
        }
        // The callers checked the id is new.
        let i = self.table.insert(detail).unwrap_or(i);
        self.players.push(Vec::new());
        if self.journal.is_some() {
            self.touched.push(Touched::Entry {
                index: i,
                new: true,
                players_before: 0,
                statuses: Vec::new(),
            });
        }
        i
    }

    /// Records that the queue `name` was created or changed.
    pub(crate) fn touch_queue(&mut self, name: &str, deleted: bool) {
        if self.journal.is_some() {
            self.touched.push(if deleted {
                Touched::QueueDeleted(name.to_owned())
            } else {
                Touched::Queue(name.to_owned())
            });
        }
    }

    /// Records that the placement `id` started or moved on.
    pub(crate) fn touch_placement(&mut self, id: &str) {
        if self.journal.is_some()
            && !self
                .touched
                .iter()
                .any(|t| matches!(t, Touched::Placement(p) if p == id))
        {
            self.touched.push(Touched::Placement(id.to_owned()));
        }
    }

    /// Declares `fleets` (a fleet declared again takes the new
    /// declaration), each journaled.
    pub(crate) fn declare_fleets(&mut self, fleets: &[DeclaredFleet]) {
        for f in fleets {
            match self.fleets.iter_mut().find(|d| d.fleet_id == f.fleet_id) {
                Some(slot) => slot.clone_from(f),
                None => self.fleets.push(f.clone()),
            }
            if self.journal.is_some() {
                self.touched.push(Touched::Fleet(f.fleet_id.clone()));
            }
        }
    }

    /// Records that a rule set, a configuration or a ticket changed (or
    /// was deleted).
    pub(crate) fn touch_matchmaking(&mut self, what: MatchmakingRecord, name: &str) {
        if self.journal.is_none() {
            return;
        }
        let name = name.to_owned();
        let touched = match what {
            MatchmakingRecord::RuleSet => Touched::RuleSet(name),
            MatchmakingRecord::RuleSetDeleted => Touched::RuleSetDeleted(name),
            MatchmakingRecord::Configuration => Touched::Configuration(name),
            MatchmakingRecord::ConfigurationDeleted => Touched::ConfigurationDeleted(name),
            MatchmakingRecord::Ticket => {
                if self
                    .touched
                    .iter()
                    .any(|t| matches!(t, Touched::Ticket(id) if *id == name))
                {
                    return;
                }
                Touched::Ticket(name)
            }
        };
        self.touched.push(touched);
    }

    /// Adds a new alias.
    pub(crate) fn insert_alias(&mut self, alias: Alias) {
        if self.journal.is_some() {
            self.touched
                .push(Touched::Alias(alias.alias_id.clone().unwrap_or_default()));
        }
        self.aliases.push(alias);
    }

    /// The alias `id_or_arn` names, to change.
    pub(crate) fn alias_mut(&mut self, id_or_arn: &str) -> Result<&mut Alias, GameLiftError> {
        let i = self
            .aliases
            .iter()
            .position(|a| a.is_named_by(id_or_arn))
            .ok_or_else(|| GameLiftError::alias_not_found(id_or_arn))?;
        if self.journal.is_some()
            && let Some(id) = self.aliases.get(i).and_then(|a| a.alias_id.clone())
        {
            self.touched.push(Touched::Alias(id));
        }
        self.aliases
            .get_mut(i)
            .ok_or_else(|| GameLiftError::alias_not_found(id_or_arn))
    }

    /// Deletes the alias `id_or_arn` names.
    pub(crate) fn delete_alias(&mut self, id_or_arn: &str) -> Result<(), GameLiftError> {
        let i = self
            .aliases
            .iter()
            .position(|a| a.is_named_by(id_or_arn))
            .ok_or_else(|| GameLiftError::alias_not_found(id_or_arn))?;
        let alias = self.aliases.remove(i);
        if self.journal.is_some() {
            self.touched
                .push(Touched::AliasDeleted(alias.alias_id.unwrap_or_default()));
        }
        Ok(())
    }

    /// Forgets everything; answers how many sessions there were.
    pub(crate) fn clear(&mut self) -> usize {
        let n = self.table.len();
        let mut table = std::mem::take(&mut self.table);
        table.clear();
        let mut ports = std::mem::take(&mut self.ports);
        ports.clear();
        let journal = self.journal.take();
        let fleets = std::mem::take(&mut self.fleets);
        // Reset forgets the aliases too: a clean slate for the next test.
        // The declared fleets stay: they are the emulator's setup, as
        // `--fleet` is.
        *self = Store {
            table,
            ports,
            ..Store::default()
        };
        if journal.is_some() {
            self.journal = journal;
            self.touched.push(Touched::Reset);
        }
        self.declare_fleets(&fleets);
        n
    }
}

/// A state file that could not be read or written.
#[derive(Debug)]
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

/// Reads the state file at `path`: `Ok(None)` when there is no file.
///
/// # Errors
///
/// A file that exists but cannot be read or is not JSON of the format. Its
/// rules (see the module docs) are checked by [`Emulator::with_state`](crate::Emulator::with_state),
/// which builds the store from it. The file is never changed.
pub fn load(path: &Path) -> Result<Option<State>, StateFileError> {
    /// The version alone: a newer file's members are not this one's to judge.
    #[derive(Deserialize)]
    struct VersionOnly {
        #[serde(rename = "Version")]
        version: Option<serde_json::Value>,
    }
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StateFileError::new(path, format!("cannot be read: {e}"))),
    };
    let invalid =
        |e: serde_json::Error| StateFileError::new(path, format!("is not a valid state file: {e}"));
    if let Ok(VersionOnly {
        version: Some(version),
    }) = serde_json::from_slice(&text)
        && version
            .as_u64()
            .is_some_and(|v| v > u64::from(STATE_VERSION))
    {
        return Err(StateFileError::new(
            path,
            format!(
                "was written by a newer emulator (Version {version}; this one reads version {STATE_VERSION})"
            ),
        ));
    }
    let state: State = serde_json::from_slice(&text).map_err(invalid)?;
    // Nested shapes take unknown members, as the wire does; in a file
    // written by hand an unknown member is a typo that would lose state.
    let written: serde_json::Value = serde_json::from_slice(&text).map_err(invalid)?;
    let read = serde_json::to_value(&state).map_err(invalid)?;
    let mut at = String::new();
    if let Some(member) = unknown_member(&written, &read, &mut at) {
        return Err(StateFileError::new(
            path,
            format!("has an unknown member {member}"),
        ));
    }
    Ok(Some(state))
}

/// The first member of `written` (not `null`) that reading it into the
/// state's shapes did not keep: its path, `GameSessionDetails[0].GameSession.Nmae`.
fn unknown_member(
    written: &serde_json::Value,
    read: &serde_json::Value,
    at: &mut String,
) -> Option<String> {
    use serde_json::Value;
    match (written, read) {
        (Value::Object(written), Value::Object(read)) => {
            for (key, value) in written {
                if value.is_null() {
                    continue;
                }
                let len = at.len();
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(key);
                let found = match read.get(key) {
                    None => Some(at.clone()),
                    Some(kept) => unknown_member(value, kept, at),
                };
                at.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Value::Array(written), Value::Array(read)) => {
            for (i, (value, kept)) in written.iter().zip(read).enumerate() {
                let len = at.len();
                let _ = write!(at, "[{i}]");
                let found = unknown_member(value, kept, at);
                at.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        _ => None,
    }
}

/// Writes `state` to `path` atomically: a temporary file beside it, then a
/// rename. Answers the file's size.
///
/// The temporary file is created new (`O_EXCL`, so a link planted under its
/// name is refused, never followed) with the permissions of the file it
/// replaces, or owner read and write only (0600) for a new file. A `path`
/// that is a symbolic link is refused.
///
/// # Errors
///
/// The file or its temporary could not be written or renamed.
pub fn save(path: &Path, state: &State) -> Result<u64, StateFileError> {
    let mut text = serde_json::to_vec_pretty(state)
        .map_err(|e| StateFileError::new(path, format!("cannot be encoded: {e}")))?;
    text.push(b'\n');
    let existing = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(StateFileError::new(
                path,
                "is a symbolic link; name the file itself",
            ));
        }
        Ok(m) => Some(m.permissions()),
        Err(_) => None,
    };
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let written = write_new(&temporary, &text, existing).and_then(|()| {
        std::fs::rename(&temporary, path)?;
        // The rename reaches the disk with its directory.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    });
    match written {
        Ok(()) => Ok(text.len() as u64),
        Err(e) => {
            if e.kind() != io::ErrorKind::AlreadyExists {
                let _ = std::fs::remove_file(&temporary);
            }
            Err(StateFileError::new(path, format!("cannot be written: {e}")))
        }
    }
}

fn write_new(
    path: &Path,
    text: &[u8],
    permissions: Option<std::fs::Permissions>,
) -> io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    if let Some(permissions) = permissions {
        file.set_permissions(permissions)?;
    }
    file.write_all(text)?;
    file.sync_all()
}
