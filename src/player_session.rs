//! Player sessions: where `MaximumPlayerSessionCount` and
//! `PlayerSessionCreationPolicy` take effect (SPEC section 8).
//!
//! The crate holds no store and no clock. The embedder keeps each game
//! session's player sessions (a `Vec<PlayerSession>` per game session is
//! enough) and passes them with the time; these functions validate, admit,
//! change and describe them, all or nothing, and keep the game session's
//! `CurrentPlayerSessionCount` equal to its RESERVED + ACTIVE player
//! sessions. Time-outs are computed from the clock, so no timer is needed:
//! a RESERVED player session older than
//! [`Limits::player_reservation_timeout`] counts as TIMEDOUT, and
//! [`expire_reservations`] writes that down.
//!
//! **Decisions** where the model is silent:
//! - A player id that already holds a RESERVED or ACTIVE player session in
//!   the game session cannot join it again: `InvalidRequestException`.
//! - A player id named twice in one `CreatePlayerSessions`:
//!   `InvalidRequestException`, naming the position, never the id.
//! - `DENY_ALL`, no free slot, or a batch larger than the free slots:
//!   `GameSessionFullException`, and none of the batch is created.
//! - An unknown `PlayerSessionStatusFilter`: `InvalidRequestException`
//!   listing the statuses.
//! - `PlayerDataMap` entries are checked in key order, and reported as
//!   `playerDataMap.N.member.key` / `.value` without their text: both are
//!   sensitive.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::model::echo::Cut;
use crate::model::enums::{
    GameSessionStatus, PlayerSessionCreationPolicy, PlayerSessionStatus, WireEnum,
};
use crate::model::error::{GameLiftError, SessionAction};
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::paging;
use crate::model::shapes::{GameSession, GameSessionDetail, REDACTED};
use crate::model::validate::{FieldPath, Validator};

/// A player's seat in a game session (`PlayerSession`).
///
/// `PlayerId`, `IpAddress`, `Port` and `PlayerData` are sensitive: `Debug`
/// never shows them.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct PlayerSession {
    /// The player session's id: `psess-...`.
    pub player_session_id: Option<String>,
    /// The player's id; sensitive.
    pub player_id: Option<String>,
    /// The game session's id.
    pub game_session_id: Option<String>,
    /// The fleet of the game session.
    pub fleet_id: Option<String>,
    /// The ARN of that fleet.
    pub fleet_arn: Option<String>,
    /// When the player session was created.
    pub creation_time: Option<OffsetDateTime>,
    /// When it ended (COMPLETED or TIMEDOUT).
    pub termination_time: Option<OffsetDateTime>,
    /// Its status.
    pub status: Option<PlayerSessionStatus>,
    /// The address to connect to; sensitive.
    pub ip_address: Option<String>,
    /// The DNS name to connect to.
    pub dns_name: Option<String>,
    /// The port to connect to; sensitive.
    pub port: Option<i32>,
    /// Data for the game server about the player; sensitive.
    pub player_data: Option<String>,
}

object_only!(PlayerSession, wire::PlayerSessionDef);

impl fmt::Debug for PlayerSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hide = |present: bool| present.then_some(REDACTED);
        f.debug_struct("PlayerSession")
            .field("player_session_id", &self.player_session_id)
            .field("player_id", &hide(self.player_id.is_some()))
            .field("game_session_id", &self.game_session_id)
            .field("fleet_id", &self.fleet_id)
            .field("fleet_arn", &self.fleet_arn)
            .field("creation_time", &self.creation_time)
            .field("termination_time", &self.termination_time)
            .field("status", &self.status)
            .field("ip_address", &hide(self.ip_address.is_some()))
            .field("dns_name", &self.dns_name)
            .field("port", &hide(self.port.is_some()))
            .field("player_data", &hide(self.player_data.is_some()))
            .finish()
    }
}

impl PlayerSession {
    /// Whether the player session holds a slot: RESERVED or ACTIVE.
    #[must_use]
    pub fn holds_a_slot(&self) -> bool {
        matches!(
            self.status,
            Some(PlayerSessionStatus::Reserved | PlayerSessionStatus::Active)
        )
    }

    /// Whether it is RESERVED and was created at or before `cutoff` (see
    /// [`cutoff`]): its reservation has run out.
    fn reservation_ran_out(&self, cutoff: OffsetDateTime) -> bool {
        self.status == Some(PlayerSessionStatus::Reserved)
            && self.creation_time.is_some_and(|t| t <= cutoff)
    }
}

/// A request for one player's seat (`CreatePlayerSessionInput`).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct CreatePlayerSessionInput {
    /// The game session to join: required.
    pub game_session_id: Option<String>,
    /// The player: required, 1 to 1024 characters; sensitive.
    pub player_id: Option<String>,
    /// Data for the game server: 1 to 2048 characters; sensitive.
    pub player_data: Option<String>,
}

object_only!(CreatePlayerSessionInput, wire::CreatePlayerSessionInputDef);

impl fmt::Debug for CreatePlayerSessionInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatePlayerSessionInput")
            .field("game_session_id", &self.game_session_id)
            .field("player_id", &self.player_id.as_ref().map(|_| REDACTED))
            .field("player_data", &self.player_data.as_ref().map(|_| REDACTED))
            .finish()
    }
}

impl CreatePlayerSessionInput {
    /// A request for `player_id` to join `game_session_id`.
    #[must_use]
    pub fn new(game_session_id: impl Into<String>, player_id: impl Into<String>) -> Self {
        CreatePlayerSessionInput {
            game_session_id: Some(game_session_id.into()),
            player_id: Some(player_id.into()),
            player_data: None,
        }
    }

    /// Sets the player data.
    #[must_use]
    pub fn player_data(mut self, data: impl Into<String>) -> Self {
        self.player_data = Some(data.into());
        self
    }

    /// Validates this request under AWS's limits.
    ///
    /// # Errors
    ///
    /// As [`CreatePlayerSessionInput::validate_with`].
    pub fn validate(&self) -> Result<Joins<'_>, GameLiftError> {
        self.validate_with(&Limits::AWS)
    }

    /// Validates this request against the model and `limits`; no value of
    /// a sensitive member is ever echoed.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate_with(&self, limits: &Limits) -> Result<Joins<'_>, GameLiftError> {
        let mut v = Validator::default();
        let id = game_session_id(&mut v, self.game_session_id.as_deref(), limits);
        let path = FieldPath::Member("playerId");
        let player = v.required(path, self.player_id.as_deref());
        if let Some(player) = player {
            v.length(path, player, 1, limits.max_player_id_length, true);
        }
        if let Some(data) = self.player_data.as_deref() {
            let path = FieldPath::Member("playerData");
            v.length(path, data, 1, limits.max_player_data_length, true);
        }
        v.finish()?;
        Ok(Joins {
            game_session_id: id.unwrap_or_default(),
            players: player
                .map(|p| (p, self.player_data.as_deref()))
                .into_iter()
                .collect(),
        })
    }
}

/// A request for seats for several players at once (`CreatePlayerSessionsInput`).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct CreatePlayerSessionsInput {
    /// The game session to join: required.
    pub game_session_id: Option<String>,
    /// The players: required, 1 to 25 ids of 1 to 1024 characters; sensitive.
    pub player_ids: Option<Vec<String>>,
    /// Data for the game server by player id; entries for ids not in
    /// `PlayerIds` are ignored; sensitive.
    pub player_data_map: Option<BTreeMap<String, String>>,
}

object_only!(
    CreatePlayerSessionsInput,
    wire::CreatePlayerSessionsInputDef
);

impl fmt::Debug for CreatePlayerSessionsInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatePlayerSessionsInput")
            .field("game_session_id", &self.game_session_id)
            .field("player_ids", &self.player_ids.as_ref().map(Vec::len))
            .field(
                "player_data_map",
                &self.player_data_map.as_ref().map(BTreeMap::len),
            )
            .finish()
    }
}

impl CreatePlayerSessionsInput {
    /// A request for `player_ids` to join `game_session_id`.
    #[must_use]
    pub fn new<I, S>(game_session_id: impl Into<String>, player_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CreatePlayerSessionsInput {
            game_session_id: Some(game_session_id.into()),
            player_ids: Some(player_ids.into_iter().map(Into::into).collect()),
            player_data_map: None,
        }
    }

    /// Validates this request under AWS's limits.
    ///
    /// # Errors
    ///
    /// As [`CreatePlayerSessionsInput::validate_with`].
    pub fn validate(&self) -> Result<Joins<'_>, GameLiftError> {
        self.validate_with(&Limits::AWS)
    }

    /// Validates this request against the model and `limits`; no player
    /// id or data is ever echoed.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation, or naming the first
    /// position that repeats an earlier player id.
    pub fn validate_with(&self, limits: &Limits) -> Result<Joins<'_>, GameLiftError> {
        let mut v = Validator::default();
        let id = game_session_id(&mut v, self.game_session_id.as_deref(), limits);
        let path = FieldPath::Member("playerIds");
        let ids = v.required(path, self.player_ids.as_deref());
        if let Some(ids) = ids {
            v.list_length(path, ids.len(), 1, limits.max_player_ids);
            for (i, player) in ids.iter().enumerate() {
                let at = FieldPath::Element {
                    list: "playerIds",
                    index: i + 1,
                };
                v.length(at, player, 1, limits.max_player_id_length, true);
            }
        }
        for (i, (player, data)) in self.player_data_map.iter().flatten().enumerate() {
            let at = |member| FieldPath::Item {
                list: "playerDataMap",
                index: i + 1,
                member,
            };
            v.length(at("key"), player, 1, limits.max_player_id_length, true);
            v.length(at("value"), data, 1, limits.max_player_data_length, true);
        }
        v.finish()?;
        let ids = ids.unwrap_or_default();
        if let Some(repeat) = (1..ids.len()).find(|&i| ids[..i].contains(&ids[i])) {
            return Err(GameLiftError::invalid_request(format!(
                "PlayerIds.{} repeats an earlier player id: a player joins once",
                repeat + 1
            )));
        }
        let data = self.player_data_map.as_ref();
        Ok(Joins {
            game_session_id: id.unwrap_or_default(),
            players: ids
                .iter()
                .map(|p| (p.as_str(), data.and_then(|m| m.get(p)).map(String::as_str)))
                .collect(),
        })
    }
}

fn game_session_id<'i>(v: &mut Validator, id: Option<&'i str>, limits: &Limits) -> Option<&'i str> {
    let path = FieldPath::Member("gameSessionId");
    let id = v.required(path, id);
    if let Some(id) = id {
        v.arn_string(path, id, limits);
    }
    id
}

/// Players asking to join a game session: a validated `CreatePlayerSession`
/// (one player) or `CreatePlayerSessions` (a batch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joins<'a> {
    game_session_id: &'a str,
    /// Each player's id and data, in request order.
    players: Vec<(&'a str, Option<&'a str>)>,
}

impl Joins<'_> {
    /// The game session's id: the key to look it up by.
    #[must_use]
    pub fn game_session_id(&self) -> &str {
        self.game_session_id
    }

    /// How many players ask to join.
    #[must_use]
    pub fn len(&self) -> usize {
        self.players.len()
    }

    /// Whether no player asks to join (never, once validated).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.players.is_empty()
    }

    /// Admits every player to the game session, or none.
    ///
    /// `players` holds the game session's player sessions; each new one is
    /// appended RESERVED, with an id from `new_id`, and the game session's
    /// `CurrentPlayerSessionCount` becomes its RESERVED + ACTIVE count.
    /// Reservations that ran out by `now` are written down as TIMEDOUT
    /// first (their slots are free). Answers the new player sessions: the
    /// end of `players`.
    ///
    /// # Errors
    ///
    /// `NotFoundException` when `detail` is not the requested game session;
    /// `InvalidGameSessionStatusException` unless it is ACTIVE;
    /// `GameSessionFullException` when it denies new players or has fewer
    /// free slots than players asking (free slots: the smaller of
    /// `MaximumPlayerSessionCount` and
    /// [`Limits::max_players_per_game_session`], less RESERVED + ACTIVE);
    /// `InvalidRequestException` when a player already holds a seat in it.
    /// On error nothing changes.
    ///
    /// # Example
    ///
    /// ```
    /// use gamelift_session::{
    ///     GameSession, GameSessionDetail, GameSessionStatus, Limits, model::PlayerSessionStatus,
    ///     player_session::CreatePlayerSessionsInput,
    /// };
    /// use time::OffsetDateTime;
    ///
    /// let mut session = GameSession::default();
    /// session.game_session_id = Some("gs-1".into());
    /// session.status = Some(GameSessionStatus::Active);
    /// session.maximum_player_session_count = Some(2);
    /// let mut detail = GameSessionDetail::new(session, None);
    /// let mut players = Vec::new();
    /// let mut n = 0;
    /// let mut new_id = || { n += 1; format!("psess-{n}") };
    ///
    /// let input = CreatePlayerSessionsInput::new("gs-1", ["alice", "bob"]);
    /// let admitted = input.validate()?.admit(&mut detail, &mut players, OffsetDateTime::UNIX_EPOCH, &mut new_id, &Limits::AWS)?;
    /// assert_eq!(admitted.len(), 2);
    /// assert_eq!(admitted[0].status, Some(PlayerSessionStatus::Reserved));
    /// assert_eq!(detail.game_session.as_ref().unwrap().current_player_session_count, Some(2));
    ///
    /// let one_more = CreatePlayerSessionsInput::new("gs-1", ["carol"]);
    /// let err = one_more.validate()?.admit(&mut detail, &mut players, OffsetDateTime::UNIX_EPOCH, &mut new_id, &Limits::AWS).unwrap_err();
    /// assert_eq!(err.code(), "GameSessionFullException");
    /// assert_eq!(err.to_string(), "Game session gs-1 is full: 2 of 2 players, 1 more requested");
    /// # Ok::<(), gamelift_session::GameLiftError>(())
    /// ```
    pub fn admit<'p>(
        &self,
        detail: &mut GameSessionDetail,
        players: &'p mut Vec<PlayerSession>,
        now: OffsetDateTime,
        new_id: &mut dyn FnMut() -> String,
        limits: &Limits,
    ) -> Result<&'p [PlayerSession], GameLiftError> {
        let id = self.game_session_id;
        let Some(session) = detail.game_session.as_ref() else {
            return Err(mismatch(id, None));
        };
        let actual = session.game_session_id.as_deref();
        if actual != Some(id) {
            return Err(mismatch(id, actual));
        }
        let cutoff = cutoff(now, limits);
        let seated = |p: &PlayerSession| p.holds_a_slot() && !p.reservation_ran_out(cutoff);
        let occupied = players.iter().filter(|p| seated(p)).count();
        check_admission(session, id, occupied, self.players.len(), limits)?;
        let holds_a_seat = |player: &str| {
            players
                .iter()
                .any(|p| seated(p) && p.player_id.as_deref() == Some(player))
        };
        if self.players.iter().any(|(player, _)| holds_a_seat(player)) {
            return Err(GameLiftError::invalid_request(format!(
                "A player in the request already holds a player session in game session {}",
                Cut(id)
            )));
        }
        // Every check passed: commit.
        expire(players, now, limits);
        let start = players.len();
        players.extend(self.players.iter().map(|&(player, data)| PlayerSession {
            player_session_id: Some(new_id()),
            player_id: Some(player.to_owned()),
            game_session_id: Some(id.to_owned()),
            fleet_id: session.fleet_id.clone(),
            fleet_arn: session.fleet_arn.clone(),
            creation_time: Some(now),
            termination_time: None,
            status: Some(PlayerSessionStatus::Reserved),
            ip_address: session.ip_address.clone(),
            dns_name: session.dns_name.clone(),
            port: session.port,
            player_data: data.map(str::to_owned),
        }));
        set_count(detail, players);
        Ok(&players[start..])
    }
}

/// The creation time at or before which a reservation has run out at
/// `now`: computed once per call, so a scan compares timestamps only.
fn cutoff(now: OffsetDateTime, limits: &Limits) -> OffsetDateTime {
    now.checked_sub(limits.player_reservation_timeout)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH - time::Duration::days(365 * 10_000))
}

/// The rule of who may join, in one place: an ACTIVE game session that
/// accepts new players and has `requested` free slots, counted as the
/// smaller of its player limit and the player ceiling, less the `occupied`
/// ones.
pub(crate) fn check_admission(
    session: &GameSession,
    id: &str,
    occupied: usize,
    requested: usize,
    limits: &Limits,
) -> Result<(), GameLiftError> {
    if session.status != Some(GameSessionStatus::Active) {
        return Err(GameLiftError::InvalidGameSessionStatus {
            game_session_id: id.to_owned(),
            status: session.status,
            action: SessionAction::JoinPlayer,
        });
    }
    let maximum = session.maximum_player_session_count.unwrap_or(0);
    let capacity = usize::try_from(maximum)
        .unwrap_or(0)
        .min(limits.max_players_per_game_session);
    let accepting =
        session.player_session_creation_policy != Some(PlayerSessionCreationPolicy::DenyAll);
    if !accepting || requested > capacity.saturating_sub(occupied) {
        return Err(GameLiftError::GameSessionFull {
            game_session_id: id.to_owned(),
            accepting,
            current: i32::try_from(occupied).unwrap_or(i32::MAX),
            maximum: i32::try_from(capacity).unwrap_or(i32::MAX),
            requested,
        });
    }
    Ok(())
}

fn mismatch(requested: &str, actual: Option<&str>) -> GameLiftError {
    GameLiftError::GameSessionMismatch {
        requested: requested.to_owned(),
        actual: actual.map(str::to_owned),
    }
}

/// Marks reservations that ran out by `now` TIMEDOUT; answers how many.
fn expire(players: &mut [PlayerSession], now: OffsetDateTime, limits: &Limits) -> usize {
    let mut n = 0;
    let cutoff = cutoff(now, limits);
    for p in players.iter_mut().filter(|p| p.reservation_ran_out(cutoff)) {
        p.status = Some(PlayerSessionStatus::Timedout);
        p.termination_time = p
            .creation_time
            .map(|t| t + limits.player_reservation_timeout);
        n += 1;
    }
    n
}

/// Sets the game session's `CurrentPlayerSessionCount` to its RESERVED +
/// ACTIVE player sessions.
fn set_count(detail: &mut GameSessionDetail, players: &[PlayerSession]) {
    let seated = players.iter().filter(|p| p.holds_a_slot()).count();
    if let Some(session) = detail.game_session.as_mut() {
        session.current_player_session_count = Some(i32::try_from(seated).unwrap_or(i32::MAX));
    }
}

/// Writes down the reservations of a game session that ran out by `now`
/// (RESERVED older than [`Limits::player_reservation_timeout`] becomes
/// TIMEDOUT, its `TerminationTime` the moment it ran out) and sets the
/// game session's `CurrentPlayerSessionCount`. Answers how many timed out.
/// Call it before reading a game session, so that what a reader sees
/// agrees with the clock.
pub fn expire_reservations(
    detail: &mut GameSessionDetail,
    players: &mut [PlayerSession],
    now: OffsetDateTime,
    limits: &Limits,
) -> usize {
    let n = expire(players, now, limits);
    set_count(detail, players);
    n
}

/// Whether [`expire_reservations`] would change anything at `now`: some
/// RESERVED player session of `players` has run out. An embedder that
/// shares its sessions (with searches under way, say) calls it to leave a
/// session it would not change uncopied.
///
/// ```
/// use gamelift_session::{
///     Limits,
///     model::PlayerSessionStatus,
///     player_session::{PlayerSession, reservations_run_out},
/// };
/// use time::{Duration, OffsetDateTime};
///
/// let mut p = PlayerSession::default();
/// p.status = Some(PlayerSessionStatus::Reserved);
/// p.creation_time = Some(OffsetDateTime::UNIX_EPOCH);
/// let players = [p];
/// let now = OffsetDateTime::UNIX_EPOCH + Duration::seconds(59);
/// assert!(!reservations_run_out(&players, now, &Limits::AWS));
/// assert!(reservations_run_out(&players, now + Duration::seconds(1), &Limits::AWS));
/// ```
#[must_use]
pub fn reservations_run_out(
    players: &[PlayerSession],
    now: OffsetDateTime,
    limits: &Limits,
) -> bool {
    // The cutoff is a date computation: made only for a reservation.
    if !players
        .iter()
        .any(|p| p.status == Some(PlayerSessionStatus::Reserved))
    {
        return false;
    }
    let cutoff = cutoff(now, limits);
    players.iter().any(|p| p.reservation_ran_out(cutoff))
}

/// What the game server does with a player session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlayerSessionChange {
    /// The game server accepts the player: RESERVED -> ACTIVE.
    Accept,
    /// The player leaves: RESERVED or ACTIVE -> COMPLETED; the slot is free.
    Remove,
}

/// Applies what the game server does to the player session
/// `player_session_id` of the game session: all or nothing, with the game
/// session's count kept. Reservations that ran out by `now` are written
/// down first.
///
/// # Errors
///
/// `NotFoundException` for an unknown player session;
/// `InvalidRequestException` naming the status for a change the status
/// does not allow (accepting a player session that is not RESERVED, or
/// removing one that has ended).
pub fn change_player_session<'p>(
    detail: &mut GameSessionDetail,
    players: &'p mut [PlayerSession],
    player_session_id: &str,
    change: PlayerSessionChange,
    now: OffsetDateTime,
    limits: &Limits,
) -> Result<&'p PlayerSession, GameLiftError> {
    let Some(i) = players
        .iter()
        .position(|p| p.player_session_id.as_deref() == Some(player_session_id))
    else {
        return Err(GameLiftError::not_found(format!(
            "Player session {} not found",
            Cut(player_session_id)
        )));
    };
    let status = if players[i].reservation_ran_out(cutoff(now, limits)) {
        Some(PlayerSessionStatus::Timedout)
    } else {
        players[i].status
    };
    let allowed = match change {
        PlayerSessionChange::Accept => status == Some(PlayerSessionStatus::Reserved),
        PlayerSessionChange::Remove => matches!(
            status,
            Some(PlayerSessionStatus::Reserved | PlayerSessionStatus::Active)
        ),
    };
    if !allowed {
        let shown = status.map_or("(none)", PlayerSessionStatus::as_str);
        let rule = match change {
            PlayerSessionChange::Accept => "only a RESERVED player session can be accepted",
            PlayerSessionChange::Remove => "only a RESERVED or ACTIVE player session can end",
        };
        return Err(GameLiftError::invalid_request(format!(
            "Player session {} is in status {shown}; {rule}",
            Cut(player_session_id)
        )));
    }
    expire(players, now, limits);
    let p = &mut players[i];
    match change {
        PlayerSessionChange::Accept => p.status = Some(PlayerSessionStatus::Active),
        PlayerSessionChange::Remove => {
            p.status = Some(PlayerSessionStatus::Completed);
            p.termination_time = Some(now);
        }
    }
    set_count(detail, players);
    Ok(&players[i])
}

/// Ends the player sessions of a game session that has ended: every
/// RESERVED or ACTIVE one becomes COMPLETED at `now`, and the count is 0.
/// Answers how many ended.
pub fn end_player_sessions(
    detail: &mut GameSessionDetail,
    players: &mut [PlayerSession],
    now: OffsetDateTime,
) -> usize {
    let mut n = 0;
    for p in players.iter_mut().filter(|p| p.holds_a_slot()) {
        p.status = Some(PlayerSessionStatus::Completed);
        p.termination_time = Some(now);
        n += 1;
    }
    set_count(detail, players);
    n
}

/// A request to list player sessions (`DescribePlayerSessionsInput`).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct DescribePlayerSessionsInput {
    /// The player sessions of this game session.
    pub game_session_id: Option<String>,
    /// The player sessions of this player; sensitive.
    pub player_id: Option<String>,
    /// The one player session with this id.
    pub player_session_id: Option<String>,
    /// Only player sessions in this status (`RESERVED`, `ACTIVE`, ...).
    pub player_session_status_filter: Option<String>,
    /// Most player sessions in one page: at least 1.
    pub limit: Option<i32>,
    /// Where the previous page ended.
    pub next_token: Option<String>,
}

object_only!(
    DescribePlayerSessionsInput,
    wire::DescribePlayerSessionsInputDef
);

impl fmt::Debug for DescribePlayerSessionsInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DescribePlayerSessionsInput")
            .field("game_session_id", &self.game_session_id)
            .field("player_id", &self.player_id.as_ref().map(|_| REDACTED))
            .field("player_session_id", &self.player_session_id)
            .field(
                "player_session_status_filter",
                &self.player_session_status_filter,
            )
            .field("limit", &self.limit)
            .field("next_token", &self.next_token)
            .finish()
    }
}

/// One page of player sessions (`DescribePlayerSessionsOutput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribePlayerSessionsOutput {
    /// The player sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub player_sessions: Option<Vec<PlayerSession>>,
    /// The token for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl DescribePlayerSessionsInput {
    /// Selects the player sessions this request asks for from `players`
    /// (all the embedder's, of every game session), one page, under `limits`.
    ///
    /// The docs: "If you provide a specific `PlayerSessionId` or `PlayerId`,
    /// Amazon GameLift Servers ignores the filter criteria"; with a
    /// `PlayerSessionId`, `Limit` and `NextToken` are ignored too. A
    /// player session whose reservation ran out by `now` is shown TIMEDOUT.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for every violation, for a request that
    /// names no game session, player or player session, for an unknown
    /// status filter, and for a `NextToken` this function did not issue.
    pub fn select<'p>(
        &self,
        players: impl IntoIterator<Item = &'p PlayerSession>,
        now: OffsetDateTime,
        limits: &Limits,
    ) -> Result<DescribePlayerSessionsOutput, GameLiftError> {
        let filter = self.check(limits)?;
        let cutoff = cutoff(now, limits);
        let as_now = |p: &PlayerSession| {
            let mut p = p.clone();
            if p.reservation_ran_out(cutoff) {
                p.status = Some(PlayerSessionStatus::Timedout);
                p.termination_time = p
                    .creation_time
                    .map(|t| t + limits.player_reservation_timeout);
            }
            p
        };
        if let Some(id) = self.player_session_id.as_deref() {
            let found = players
                .into_iter()
                .filter(|p| p.player_session_id.as_deref() == Some(id))
                .map(as_now)
                .collect();
            return Ok(DescribePlayerSessionsOutput {
                player_sessions: Some(found),
                next_token: None,
            });
        }
        // With a player id, the filter is ignored.
        let filter = if self.player_id.is_some() {
            None
        } else {
            filter
        };
        let items = players.into_iter().map(|p| {
            let selected = self
                .game_session_id
                .as_deref()
                .is_none_or(|id| p.game_session_id.as_deref() == Some(id))
                && self
                    .player_id
                    .as_deref()
                    .is_none_or(|player| p.player_id.as_deref() == Some(player));
            let item = selected
                .then(|| as_now(p))
                .filter(|p| filter.is_none_or(|f| p.status == Some(f)));
            (p.player_session_id.as_deref(), item)
        });
        let size = paging::size(self.limit, limits.default_player_sessions_page_size);
        let (page, next_token) = paging::page_after(items, self.next_token.as_deref(), size)?;
        Ok(DescribePlayerSessionsOutput {
            player_sessions: Some(page),
            next_token,
        })
    }

    /// Every violation of the request, then the selector and filter rules;
    /// answers the status filter.
    fn check(&self, limits: &Limits) -> Result<Option<PlayerSessionStatus>, GameLiftError> {
        let mut v = Validator::default();
        let member = FieldPath::Member;
        if let Some(id) = self.game_session_id.as_deref() {
            v.arn_string(member("gameSessionId"), id, limits);
        }
        if let Some(player) = self.player_id.as_deref() {
            v.length(
                member("playerId"),
                player,
                1,
                limits.max_player_id_length,
                true,
            );
        }
        if let Some(id) = self.player_session_id.as_deref() {
            v.player_session_id(member("playerSessionId"), id, limits);
        }
        if let Some(filter) = self.player_session_status_filter.as_deref() {
            v.non_zero_and_max_string(
                member("playerSessionStatusFilter"),
                filter,
                limits.max_status_filter_length,
            );
        }
        if let Some(limit) = self.limit {
            v.min_value(member("limit"), i64::from(limit), 1);
        }
        if let Some(token) = self.next_token.as_deref() {
            v.non_zero_and_max_string(member("nextToken"), token, limits.max_next_token_length);
        }
        v.finish()?;
        if self.game_session_id.is_none()
            && self.player_id.is_none()
            && self.player_session_id.is_none()
        {
            return Err(GameLiftError::invalid_request(
                "Specify a GameSessionId, a PlayerId or a PlayerSessionId",
            ));
        }
        self.player_session_status_filter
            .as_deref()
            .map(|f| {
                PlayerSessionStatus::from_wire(f).ok_or_else(|| {
                    GameLiftError::invalid_request(format!(
                        "PlayerSessionStatusFilter '{}' is not one of [{}]",
                        Cut(f),
                        PlayerSessionStatus::WIRE_NAMES.join(", ")
                    ))
                })
            })
            .transpose()
    }
}

/// The answer to `CreatePlayerSession` (`CreatePlayerSessionOutput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CreatePlayerSessionOutput {
    /// The new player session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub player_session: Option<PlayerSession>,
}

impl CreatePlayerSessionOutput {
    /// The output holding `player_session`.
    #[must_use]
    pub fn new(player_session: PlayerSession) -> Self {
        CreatePlayerSessionOutput {
            player_session: Some(player_session),
        }
    }
}

/// The answer to `CreatePlayerSessions` (`CreatePlayerSessionsOutput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CreatePlayerSessionsOutput {
    /// The new player sessions, in request order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub player_sessions: Option<Vec<PlayerSession>>,
}

impl CreatePlayerSessionsOutput {
    /// The output holding `player_sessions`.
    #[must_use]
    pub fn new(player_sessions: Vec<PlayerSession>) -> Self {
        CreatePlayerSessionsOutput {
            player_sessions: Some(player_sessions),
        }
    }
}

/// The wire form of each shape, derived on a private twin (`#[serde(remote)]`),
/// so the public types carry no inherent `serialize` or `deserialize` that
/// would bypass the object-only rule. A member missing here does not compile.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "PlayerSession", rename_all = "PascalCase")]
    pub(super) struct PlayerSessionDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_arn: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        creation_time: Option<OffsetDateTime>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        termination_time: Option<OffsetDateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<PlayerSessionStatus>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ip_address: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dns_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        port: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_data: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "CreatePlayerSessionInput", rename_all = "PascalCase")]
    pub(super) struct CreatePlayerSessionInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_data: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "CreatePlayerSessionsInput", rename_all = "PascalCase")]
    pub(super) struct CreatePlayerSessionsInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_ids: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_data_map: Option<BTreeMap<String, String>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "DescribePlayerSessionsInput", rename_all = "PascalCase")]
    pub(super) struct DescribePlayerSessionsInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_session_status_filter: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }
}
