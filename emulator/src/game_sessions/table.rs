//! [`Sessions`]: the game sessions and their player sessions, by id, with
//! the indexes the operations look up by (player sessions by id and by
//! player, live sessions by fleet, the ports live sessions hold,
//! reservations by when they run out, TERMINATED sessions by when they
//! ended) kept up to date by [`Sessions::change`], the one way a stored
//! session changes.

use std::collections::{BTreeSet, HashMap};

use gamelift_session::game_session::{CreateGameSessionInput, PreparedSearch};
use gamelift_session::model::{GamePropertyInput, PlayerSessionStatus};
use gamelift_session::player_session::{
    CreatePlayerSessionInput, DescribePlayerSessionsInput, PlayerSession, expire_reservations,
};
use gamelift_session::search::{SearchIndex, ValidatedSearch};
use gamelift_session::{
    GameLiftError, GameSession, GameSessionDetail, GameSessionStatus, Limits, SessionTable,
    UpdateGameSessionInput,
};
use time::OffsetDateTime;

use crate::journal::{Changes, RecordWriter};
use crate::log::Bounded;
use crate::ports::Ports;
use crate::table::Table;

/// The journal's table of game sessions, by id: `GameSessionDetail`.
pub(crate) const GAME_SESSIONS: &str = "GameSessions";
/// The journal's table of player sessions, by id.
pub(crate) const PLAYER_SESSIONS: &str = "PlayerSessions";
/// The journal's table of the requests that created game sessions with an
/// idempotency token, by the game session's id.
pub(crate) const CREATE_REQUESTS: &str = "CreateRequests";

/// What of a session the indexes follow.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Facts {
    fleet: Option<String>,
    live: bool,
    terminated: Option<OffsetDateTime>,
}

impl Facts {
    fn of(session: Option<&GameSession>) -> Facts {
        let status = session.and_then(|s| s.status);
        Facts {
            fleet: session.and_then(|s| s.fleet_id.clone()),
            live: matches!(
                status,
                Some(
                    GameSessionStatus::Activating
                        | GameSessionStatus::Active
                        | GameSessionStatus::Terminating
                )
            ),
            terminated: (status == Some(GameSessionStatus::Terminated)).then(|| {
                session
                    .and_then(|s| s.termination_time.or(s.creation_time))
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            }),
        }
    }
}

/// The game sessions, their player sessions, and the indexes.
#[derive(Debug)]
pub(crate) struct Sessions {
    /// The sessions, their search rows and index. Shared with searches
    /// under way: a search is prepared under the lock and runs outside it.
    table: SessionTable,
    /// The player sessions of each game session, in the order they joined.
    players: HashMap<String, Vec<PlayerSession>>,
    /// The game session of each player session.
    owners: HashMap<String, String>,
    /// The player sessions of each player, in the order they joined.
    by_player: HashMap<String, Vec<String>>,
    create_requests: HashMap<String, CreateGameSessionInput>,
    /// The game server ports live sessions hold.
    pub(crate) ports: Ports,
    /// How many live (ACTIVATING, ACTIVE, TERMINATING) sessions each fleet has.
    live: HashMap<String, usize>,
    /// How many sessions each fleet has, in the order fleets first appeared.
    fleets: Table<usize>,
    /// Sessions holding a RESERVED player session, by the earliest one's
    /// creation: the reservations that run out first come first.
    reserved: BTreeSet<(OffsetDateTime, String)>,
    reserved_since: HashMap<String, OffsetDateTime>,
    /// TERMINATED sessions by when they ended, then in the order they did.
    terminated: BTreeSet<(OffsetDateTime, u64, String)>,
    terminated_at: HashMap<String, (OffsetDateTime, u64)>,
    /// The most TERMINATED sessions kept: past it the oldest to end go.
    max_terminated: usize,
    order: u64,
    pub(crate) changes: Changes,
}

impl Sessions {
    /// No sessions; a search index of up to `limits`' keys, game servers
    /// listening on `ports`, at most `max_terminated` TERMINATED sessions.
    pub(crate) fn new(limits: &Limits, ports: Ports, max_terminated: usize) -> Self {
        Sessions {
            table: SessionTable::new(limits),
            players: HashMap::new(),
            owners: HashMap::new(),
            by_player: HashMap::new(),
            create_requests: HashMap::new(),
            ports,
            live: HashMap::new(),
            fleets: Table::default(),
            reserved: BTreeSet::new(),
            reserved_since: HashMap::new(),
            terminated: BTreeSet::new(),
            terminated_at: HashMap::new(),
            max_terminated,
            order: 0,
            changes: Changes::default(),
        }
    }

    /// How many game sessions there are.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// How many player sessions there are.
    pub(crate) fn player_count(&self) -> usize {
        self.owners.len()
    }

    /// The game session with this id.
    pub(crate) fn find(&self, id: &str) -> Option<&GameSessionDetail> {
        self.table.find(id)
    }

    /// Every game session, in creation order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &GameSessionDetail> + Clone {
        self.table.iter()
    }

    /// The keys searches can see.
    pub(crate) fn index(&self) -> &SearchIndex {
        self.table.index()
    }

    /// A search resolved against the sessions now, to run outside the lock.
    pub(crate) fn prepare(
        &self,
        search: &ValidatedSearch<'_>,
        alias_fleet: Option<&str>,
    ) -> Result<PreparedSearch, GameLiftError> {
        self.table.prepare(search, alias_fleet)
    }

    /// The player sessions of the game session `id`.
    pub(crate) fn players_of(&self, id: &str) -> &[PlayerSession] {
        self.players.get(id).map_or(&[], Vec::as_slice)
    }

    /// The game session holding the player session `id`.
    pub(crate) fn owner_of(&self, player_session_id: &str) -> Option<&str> {
        self.owners.get(player_session_id).map(String::as_str)
    }

    /// The player sessions a `DescribePlayerSessions` request can select:
    /// the one it names, a game session's, a player's, in the order they
    /// joined; none when it names none of them (the crate refuses that).
    pub(crate) fn candidates<'s>(
        &'s self,
        input: &DescribePlayerSessionsInput,
    ) -> Box<dyn Iterator<Item = &'s PlayerSession> + 's> {
        if let Some(id) = input.player_session_id.clone() {
            let owner = self.owner_of(&id).unwrap_or_default();
            return Box::new(
                self.players_of(owner)
                    .iter()
                    .filter(move |p| p.player_session_id.as_deref() == Some(id.as_str())),
            );
        }
        if let Some(id) = input.game_session_id.as_deref() {
            return Box::new(self.players_of(id).iter());
        }
        if let Some(player) = input.player_id.as_deref() {
            let ids = self.by_player.get(player).map_or(&[][..], Vec::as_slice);
            return Box::new(ids.iter().filter_map(|id| {
                let owner = self.owner_of(id)?;
                self.players_of(owner)
                    .iter()
                    .find(|p| p.player_session_id.as_deref() == Some(id.as_str()))
            }));
        }
        Box::new(std::iter::empty())
    }

    /// How many live game sessions `fleet` has.
    pub(crate) fn live_in(&self, fleet: &str) -> usize {
        self.live.get(fleet).copied().unwrap_or(0)
    }

    /// Every fleet a game session names, in the order they first appeared.
    pub(crate) fn fleet_ids(&self) -> Vec<String> {
        self.fleets.iter().map(|(k, _)| k.to_owned()).collect()
    }

    /// The request that created the session `id` with an idempotency token.
    pub(crate) fn create_request(&self, id: &str) -> Option<&CreateGameSessionInput> {
        self.create_requests.get(id)
    }

    /// Keeps the request that created the session `id`, for a repeat.
    pub(crate) fn keep_create_request(&mut self, id: &str, input: CreateGameSessionInput) {
        self.create_requests.insert(id.to_owned(), input);
        self.changes.record(CREATE_REQUESTS, id);
    }

    /// Adds a session whose id is new; its port must be free (the caller
    /// picked it so).
    ///
    /// # Errors
    ///
    /// A session without an id, or with one the table holds.
    pub(crate) fn insert(&mut self, detail: GameSessionDetail) -> Result<(), GameLiftError> {
        let id = detail
            .game_session
            .as_ref()
            .and_then(|s| s.game_session_id.clone())
            .ok_or_else(|| GameLiftError::internal_service("a game session without an id"))?;
        let facts = Facts::of(detail.game_session.as_ref());
        if let Some(session) = &detail.game_session {
            let _ = self.ports.sync(session);
        }
        self.table.insert(detail).map_err(|_| {
            GameLiftError::internal_service(format!("game session {} exists", Bounded(&id)))
        })?;
        if let Some(fleet) = &facts.fleet {
            match self.fleets.get_mut(fleet) {
                Some(n) => *n += 1,
                None => {
                    self.fleets.insert(fleet, 1);
                }
            }
        }
        self.follow(&id, None, &facts);
        self.changes.record(GAME_SESSIONS, &id);
        Ok(())
    }

    /// Changes the session `id` and its player sessions with `change`: the
    /// one way a stored session changes. The search row is rebuilt, the
    /// indexes follow, and the journal records the session and the player
    /// sessions the change made or moved. `change` must leave everything as
    /// it was when it fails, as the crate's operations do.
    ///
    /// # Errors
    ///
    /// `NotFoundException` for no such session, or what `change` answers.
    pub(crate) fn change<R>(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut GameSessionDetail, &mut Vec<PlayerSession>) -> Result<R, GameLiftError>,
    ) -> Result<R, GameLiftError> {
        let position = self
            .table
            .position(id)
            .ok_or_else(|| GameLiftError::game_session_not_found(id))?;
        let before = Facts::of(
            self.table
                .get(position)
                .and_then(|d| d.game_session.as_ref()),
        );
        if !self.players.contains_key(id) {
            self.players.insert(id.to_owned(), Vec::new());
        }
        let Some(players) = self.players.get_mut(id) else {
            return Err(GameLiftError::game_session_not_found(id));
        };
        let count = players.len();
        let statuses: Vec<Option<PlayerSessionStatus>> = if self.changes.is_on() {
            players.iter().map(|p| p.status).collect()
        } else {
            Vec::new()
        };
        let answer = self
            .table
            .modify(position, |detail| change(detail, players))
            .ok_or_else(|| GameLiftError::game_session_not_found(id))??;
        let after = Facts::of(
            self.table
                .get(position)
                .and_then(|d| d.game_session.as_ref()),
        );
        if let Some(session) = self
            .table
            .get(position)
            .and_then(|d| d.game_session.as_ref())
        {
            let _ = self.ports.sync(session);
        }
        let players = self.players.get(id).map_or(&[][..], Vec::as_slice);
        for p in players.get(count..).unwrap_or_default() {
            if let (Some(psess), Some(player)) = (&p.player_session_id, &p.player_id) {
                self.owners.insert(psess.clone(), id.to_owned());
                self.by_player
                    .entry(player.clone())
                    .or_default()
                    .push(psess.clone());
            }
        }
        if self.changes.is_on() {
            self.changes.record(GAME_SESSIONS, id);
            for (i, p) in players.iter().enumerate() {
                if (i >= count || statuses.get(i) != Some(&p.status))
                    && let Some(psess) = &p.player_session_id
                {
                    self.changes.record(PLAYER_SESSIONS, psess);
                }
            }
        }
        self.follow(id, Some(&before), &after);
        Ok(answer)
    }

    /// Brings the indexes up to date with the session `id`, which had
    /// `before` (`None`: it is new) and has `after`.
    fn follow(&mut self, id: &str, before: Option<&Facts>, after: &Facts) {
        let was_live = before.is_some_and(|b| b.live);
        let old_fleet = before.and_then(|b| b.fleet.as_deref());
        if was_live
            && (!after.live || old_fleet != after.fleet.as_deref())
            && let Some(n) = old_fleet.and_then(|f| self.live.get_mut(f))
        {
            *n = n.saturating_sub(1);
        }
        if after.live
            && (!was_live || old_fleet != after.fleet.as_deref())
            && let Some(fleet) = &after.fleet
        {
            *self.live.entry(fleet.clone()).or_default() += 1;
        }
        if let Some(ended) = after.terminated
            && !self.terminated_at.contains_key(id)
        {
            self.order += 1;
            self.terminated.insert((ended, self.order, id.to_owned()));
            self.terminated_at
                .insert(id.to_owned(), (ended, self.order));
            while self.terminated.len() > self.max_terminated {
                let Some((_, _, oldest)) = self.terminated.first().cloned() else {
                    break;
                };
                self.remove(&oldest);
            }
        }
        let earliest = self
            .players
            .get(id)
            .into_iter()
            .flatten()
            .filter(|p| p.status == Some(PlayerSessionStatus::Reserved))
            .filter_map(|p| p.creation_time)
            .min();
        let old = self.reserved_since.get(id).copied();
        if old != earliest {
            if let Some(old) = old {
                self.reserved.remove(&(old, id.to_owned()));
                self.reserved_since.remove(id);
            }
            if let Some(new) = earliest {
                self.reserved.insert((new, id.to_owned()));
                self.reserved_since.insert(id.to_owned(), new);
            }
        }
    }

    /// Writes down every reservation that ran out by `now`, so that counts
    /// and statuses read from here agree with the clock. Only sessions
    /// whose earliest reservation ran out are visited.
    pub(crate) fn expire(&mut self, now: OffsetDateTime, limits: &Limits) {
        let Some(cutoff) = now.checked_sub(limits.player_reservation_timeout) else {
            return;
        };
        let due: Vec<String> = self
            .reserved
            .iter()
            .take_while(|(since, _)| *since <= cutoff)
            .map(|(_, id)| id.clone())
            .collect();
        for id in due {
            let _ = self.change(&id, |detail, players| {
                Ok(expire_reservations(detail, players, now, limits))
            });
        }
    }

    /// Forgets the TERMINATED sessions (with their player sessions and
    /// requests) that ended `keep` or longer before `now`. Answers how many
    /// were forgotten. (Past the most kept, the oldest go as soon as
    /// another ends.)
    pub(crate) fn forget_ended(&mut self, now: OffsetDateTime, keep: time::Duration) -> usize {
        let gone: Vec<String> = self
            .terminated
            .iter()
            .take_while(|(ended, _, _)| *ended + keep <= now)
            .map(|(_, _, id)| id.clone())
            .collect();
        for id in &gone {
            self.remove(id);
        }
        if !gone.is_empty() {
            self.shrink();
        }
        gone.len()
    }

    /// Gives back the memory of indexes grown far past what they hold.
    fn shrink(&mut self) {
        use crate::table::shrink;
        shrink(&mut self.players);
        shrink(&mut self.owners);
        shrink(&mut self.by_player);
        shrink(&mut self.create_requests);
        shrink(&mut self.live);
        shrink(&mut self.reserved_since);
        shrink(&mut self.terminated_at);
        self.fleets.shrink();
    }

    /// Forgets the session `id`, its player sessions and its request.
    fn remove(&mut self, id: &str) {
        let Some(position) = self.table.position(id) else {
            return;
        };
        let Some(detail) = self.table.remove(position) else {
            return;
        };
        let facts = Facts::of(detail.game_session.as_ref());
        if let Some(mut session) = detail.game_session {
            // A live session removed (by a reset) gives its port up.
            session.status = Some(GameSessionStatus::Terminated);
            let _ = self.ports.sync(&session);
        }
        if facts.live
            && let Some(n) = facts.fleet.as_deref().and_then(|f| self.live.get_mut(f))
        {
            *n = n.saturating_sub(1);
        }
        if let Some(fleet) = &facts.fleet
            && let Some(n) = self.fleets.get_mut(fleet)
        {
            *n -= 1;
            if *n == 0 {
                self.fleets.remove(fleet);
            }
        }
        for p in self.players.remove(id).unwrap_or_default() {
            let Some(psess) = p.player_session_id else {
                continue;
            };
            self.owners.remove(&psess);
            if let Some(player) = &p.player_id
                && let Some(ids) = self.by_player.get_mut(player)
            {
                ids.retain(|i| *i != psess);
                if ids.is_empty() {
                    self.by_player.remove(player);
                }
            }
            self.changes.record(PLAYER_SESSIONS, &psess);
        }
        if self.create_requests.remove(id).is_some() {
            self.changes.record(CREATE_REQUESTS, id);
        }
        if let Some(since) = self.reserved_since.remove(id) {
            self.reserved.remove(&(since, id.to_owned()));
        }
        if let Some((ended, order)) = self.terminated_at.remove(id) {
            self.terminated.remove(&(ended, order, id.to_owned()));
        }
        self.changes.record(GAME_SESSIONS, id);
    }

    /// Forgets everything; answers how many sessions there were.
    pub(crate) fn clear(&mut self) -> usize {
        let n = self.table.len();
        let mut table = std::mem::take(&mut self.table);
        table.clear();
        let mut ports = std::mem::take(&mut self.ports);
        ports.clear();
        let changes = std::mem::take(&mut self.changes);
        let max_terminated = self.max_terminated;
        *self = Sessions {
            table,
            ports,
            changes,
            ..Sessions::new(&Limits::AWS, Ports::default(), max_terminated)
        };
        n
    }

    /// Writes the row `key` of `table`, as it is now.
    pub(crate) fn write_row(
        &self,
        table: &str,
        key: &str,
        record: &mut RecordWriter<'_>,
    ) -> Result<(), serde_json::Error> {
        match table {
            GAME_SESSIONS => record.row(table, key, self.find(key)),
            CREATE_REQUESTS => record.row(table, key, self.create_requests.get(key)),
            _ => {
                let player = self.owner_of(key).and_then(|owner| {
                    self.players_of(owner)
                        .iter()
                        .find(|p| p.player_session_id.as_deref() == Some(key))
                });
                record.row(table, key, player)
            }
        }
    }

    /// Loads a game session from a state file: checked against the API's
    /// rules, its port free. A session loaded again (a journal's later
    /// record) replaces the one held.
    ///
    /// # Errors
    ///
    /// A sentence naming what breaks the rules.
    pub(crate) fn load_session(
        &mut self,
        key: &str,
        detail: Option<GameSessionDetail>,
        limits: &Limits,
    ) -> Result<(), String> {
        let Some(detail) = detail else {
            self.remove(key);
            return Ok(());
        };
        let session = detail.game_session.as_ref();
        let id = session.and_then(|s| s.game_session_id.as_deref());
        if id != Some(key) {
            return Err("has no GameSession.GameSessionId".to_owned());
        }
        if let Some(session) = session
            && let Err(e) = stored_session_input(session).validate_with(limits)
        {
            return Err(format!("breaks the API's rules: {e}"));
        }
        if let Some(session) = session.filter(|s| gamelift_session::game_session::holds_port(s))
            && let (Some(address), Some(port)) = (&session.ip_address, session.port)
            && let Some(other) = self.ports.holder(address, port)
            && other != key
        {
            return Err(format!(
                "listens at the same IpAddress and Port as the game session {}, and both are live",
                Bounded(other)
            ));
        }
        if self.table.position(key).is_some() {
            self.change(key, |d, _| {
                *d = detail;
                Ok(())
            })
            .map_err(|e| e.to_string())
        } else {
            self.insert(detail).map_err(|e| e.to_string())
        }
    }

    /// Loads a player session from a state file: its game session must be
    /// held, and it must keep the API's rules.
    ///
    /// # Errors
    ///
    /// A sentence naming what breaks the rules.
    pub(crate) fn load_player(
        &mut self,
        key: &str,
        player: Option<PlayerSession>,
        limits: &Limits,
    ) -> Result<(), String> {
        let Some(player) = player else {
            if let Some(owner) = self.owners.get(key).cloned() {
                let _ = self.change(&owner, |_, players| {
                    players.retain(|p| p.player_session_id.as_deref() != Some(key));
                    Ok(())
                });
                self.owners.remove(key);
            }
            return Ok(());
        };
        if player.player_session_id.as_deref() != Some(key) {
            return Err("has no PlayerSessionId".to_owned());
        }
        let Some(owner) = player
            .game_session_id
            .clone()
            .filter(|id| self.table.position(id).is_some())
        else {
            return Err("names no game session of the file".to_owned());
        };
        check_player_session(&player, limits)
            .map_err(|e| format!("breaks the API's rules: {e}"))?;
        if let Some(held) = self.owners.get(key)
            && *held != owner
        {
            return Err("moves a player session to another game session".to_owned());
        }
        self.change(&owner, |_, players| {
            match players
                .iter_mut()
                .find(|p| p.player_session_id.as_deref() == Some(key))
            {
                Some(slot) => *slot = player,
                None => players.push(player),
            }
            Ok(())
        })
        .map_err(|e| e.to_string())
    }

    /// Loads the request that created the session `key`.
    ///
    /// # Errors
    ///
    /// A request for a session the file does not hold.
    pub(crate) fn load_create_request(
        &mut self,
        key: &str,
        input: Option<CreateGameSessionInput>,
    ) -> Result<(), String> {
        match input {
            Some(input) => {
                if self.table.position(key).is_none() {
                    return Err("names a game session the file does not hold".to_owned());
                }
                self.create_requests.insert(key.to_owned(), input);
            }
            None => {
                self.create_requests.remove(key);
            }
        }
        Ok(())
    }

    /// Whether the session `id` holds as many players as its
    /// `CurrentPlayerSessionCount` says.
    ///
    /// # Errors
    ///
    /// A sentence naming both counts.
    pub(crate) fn check_count(&self, id: &str) -> Result<(), String> {
        let Some(detail) = self.find(id) else {
            return Ok(());
        };
        let seated = self
            .players_of(id)
            .iter()
            .filter(|p| p.holds_a_slot())
            .count();
        let count = detail
            .game_session
            .as_ref()
            .and_then(|s| s.current_player_session_count);
        match count {
            Some(count) if usize::try_from(count).ok() != Some(seated) => Err(format!(
                "says CurrentPlayerSessionCount {count}, but {seated} of its PlayerSessions are RESERVED or ACTIVE"
            )),
            _ => Ok(()),
        }
    }

    /// Every player session, by game session in creation order, then in
    /// the order they joined.
    pub(crate) fn all_players(&self) -> impl Iterator<Item = &PlayerSession> {
        self.iter()
            .filter_map(|d| d.game_session.as_ref()?.game_session_id.as_deref())
            .flat_map(|id| self.players_of(id))
    }

    /// Every request kept, by the id of the session it made.
    pub(crate) fn create_requests(&self) -> &HashMap<String, CreateGameSessionInput> {
        &self.create_requests
    }
}

/// The members of a stored game session that a request could set, as the
/// request that would set them: validating it checks the stored values
/// against the model with the crate's own rules (patterns, lengths, the
/// property limit), in AWS's words.
fn stored_session_input(session: &GameSession) -> UpdateGameSessionInput {
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
