//! Matchmaking tickets (`StartMatchmaking`, `StartMatchBackfill`,
//! `DescribeMatchmaking`, `StopMatchmaking`, `AcceptMatch`) and the
//! matchmaker's rounds that move them on.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::configuration::{MATCHMAKING_ID_PATTERN, MatchmakingConfiguration, is_matchmaking_id};
use super::declarations::MAX_LARGE_MATCH;
use super::matcher::{ProposedMatch, match_pool};
use super::player::{AttributeValue, Player};
use super::pool::Candidate;
use super::rule_set::RuleSet;
use crate::model::echo::Cut;
use crate::model::enums::GameSessionStatus;
use crate::model::enums::{AcceptanceType, EnumValue, MatchmakingTicketStatus};
use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::shapes::{GameSession, redact};
use crate::model::validate::{FieldPath, Validator};
use crate::placement::lifecycle::GameSessionPlacement;
use crate::player_session::PlayerSession;

/// The most players one `StartMatchmaking` may bring.
pub const MAX_TICKET_PLAYERS: usize = 10;
/// The most attributes a player may bring (**decision**: the model sets
/// none; a bound keeps a ticket to kilobytes).
pub const MAX_PLAYER_ATTRIBUTES: usize = 32;
/// The most characters a player's attributes may hold in all: names,
/// strings, list items and map keys, and 8 for each number (**decision**).
pub const MAX_PLAYER_ATTRIBUTE_SIZE: usize = 4_096;
/// The most Regions a player may report latencies for (**decision**).
pub const MAX_PLAYER_LATENCIES: usize = 64;

/// A ticket's `StatusReason` when it timed out (the events' reason).
pub const REASON_TIMED_OUT: &str = "TimedOut";
/// A ticket's `StatusReason` when it was cancelled (the events' reason).
pub const REASON_CANCELLED: &str = "Cancelled";
/// A ticket's `StatusReason` when its match could not be made real (the
/// events' reason).
pub const REASON_FAILED: &str = "UNEXPECTED_ERROR";
/// The `StatusMessage` of a ticket cancelled by a newer ticket of one of
/// its players (the guide's words).
pub const DUPLICATE_PLAYER: &str = "Cancelled due to duplicate player";
/// The most tickets one `DescribeMatchmaking` may name.
pub(crate) const MAX_DESCRIBED_TICKETS: usize = 10;
/// The longest ticket id.
pub(crate) const MAX_TICKET_ID: usize = 128;

/// A player and the player session a match gave them (`MatchedPlayerSession`).
#[derive(Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MatchedPlayerSession {
    /// The player's id; sensitive.
    pub player_id: Option<String>,
    /// The player session's id.
    pub player_session_id: Option<String>,
}

object_only!(MatchedPlayerSession, wire::MatchedDef);

impl fmt::Debug for MatchedPlayerSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatchedPlayerSession")
            .field("player_id", &redact(self.player_id.as_ref()))
            .field("player_session_id", &self.player_session_id)
            .finish()
    }
}

/// Where a match's players connect (`GameSessionConnectionInfo`).
#[derive(Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GameSessionConnectionInfo {
    /// The game session's ARN.
    pub game_session_arn: Option<String>,
    /// Its address; sensitive.
    pub ip_address: Option<String>,
    /// Its DNS name.
    pub dns_name: Option<String>,
    /// Its port; sensitive.
    pub port: Option<i32>,
    /// Each player's player session.
    pub matched_player_sessions: Option<Vec<MatchedPlayerSession>>,
}

object_only!(GameSessionConnectionInfo, wire::ConnectionDef);

impl fmt::Debug for GameSessionConnectionInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GameSessionConnectionInfo")
            .field("game_session_arn", &self.game_session_arn)
            .field("ip_address", &redact(self.ip_address.as_ref()))
            .field("port", &redact(self.port.as_ref()))
            .field("matched_player_sessions", &self.matched_player_sessions)
            .finish_non_exhaustive()
    }
}

impl GameSessionConnectionInfo {
    /// Where to connect to `session`, with the player sessions `seated`.
    #[must_use]
    pub fn new(session: &GameSession, seated: &[PlayerSession]) -> Self {
        GameSessionConnectionInfo {
            game_session_arn: session.game_session_id.clone(),
            ip_address: session.ip_address.clone(),
            dns_name: session.dns_name.clone(),
            port: session.port,
            matched_player_sessions: Some(
                seated
                    .iter()
                    .map(|p| MatchedPlayerSession {
                        player_id: p.player_id.clone(),
                        player_session_id: p.player_session_id.clone(),
                    })
                    .collect(),
            ),
        }
    }

    /// Where to connect to the game session a `FULFILLED` placement made.
    #[must_use]
    pub fn of_placement(placement: &GameSessionPlacement) -> Self {
        GameSessionConnectionInfo {
            game_session_arn: placement.game_session_arn.clone(),
            ip_address: placement.ip_address.clone(),
            dns_name: placement.dns_name.clone(),
            port: placement.port,
            matched_player_sessions: Some(
                placement
                    .placed_player_sessions
                    .iter()
                    .flatten()
                    .map(|p| MatchedPlayerSession {
                        player_id: p.player_id.clone(),
                        player_session_id: p.player_session_id.clone(),
                    })
                    .collect(),
            ),
        }
    }
}

/// A matchmaking ticket (`MatchmakingTicket`).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct MatchmakingTicket {
    /// Its id.
    pub ticket_id: Option<String>,
    /// Its configuration's name.
    pub configuration_name: Option<String>,
    /// Its configuration's ARN.
    pub configuration_arn: Option<String>,
    /// Where it stands.
    pub status: Option<MatchmakingTicketStatus>,
    /// Why it stands there, in a word.
    pub status_reason: Option<String>,
    /// Why it stands there, in a sentence.
    pub status_message: Option<String>,
    /// When it started.
    pub start_time: Option<OffsetDateTime>,
    /// When it ended.
    pub end_time: Option<OffsetDateTime>,
    /// Its players; after a match, with their teams.
    pub players: Option<Vec<Player>>,
    /// Where to connect, once placed.
    pub game_session_connection_info: Option<GameSessionConnectionInfo>,
    /// The estimated wait, in seconds.
    pub estimated_wait_time: Option<i32>,
}

object_only!(MatchmakingTicket, wire::TicketDef);

impl MatchmakingTicket {
    /// Its players.
    #[must_use]
    pub fn players(&self) -> &[Player] {
        self.players.as_deref().unwrap_or_default()
    }

    /// Whether it has ended (completed, failed, cancelled or timed out).
    #[must_use]
    pub fn has_ended(&self) -> bool {
        matches!(
            self.status,
            Some(
                MatchmakingTicketStatus::Completed
                    | MatchmakingTicketStatus::Failed
                    | MatchmakingTicketStatus::Cancelled
                    | MatchmakingTicketStatus::TimedOut
            )
        )
    }
}

/// A ticket and what the matchmaker keeps beside it: the match it is in,
/// who accepted, and the game session a backfill ticket fills. The state
/// an embedder stores; [`Ticket::ticket`] is what `DescribeMatchmaking`
/// answers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Ticket {
    /// The ticket as AWS shows it.
    pub ticket: MatchmakingTicket,
    /// The match it is in, proposed or made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_id: Option<String>,
    /// When its match was proposed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::model::timestamp::option"
    )]
    pub proposed_at: Option<OffsetDateTime>,
    /// The players who accepted the proposed match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<String>,
    /// The game session a backfill ticket fills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill_game_session: Option<String>,
    /// The players its match holds at most, with the expansions in force
    /// when it was made: what its placement seats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_max_players: Option<u32>,
}

impl Ticket {
    fn id(&self) -> &str {
        self.ticket.ticket_id.as_deref().unwrap_or_default()
    }

    fn status(&self) -> Option<MatchmakingTicketStatus> {
        self.ticket.status
    }

    fn set(&mut self, status: MatchmakingTicketStatus, message: Option<&str>, now: OffsetDateTime) {
        self.ticket.status = Some(status);
        self.ticket.status_message = message.map(str::to_owned);
        self.ticket.status_reason = match status {
            MatchmakingTicketStatus::TimedOut => Some(REASON_TIMED_OUT.to_owned()),
            MatchmakingTicketStatus::Cancelled => Some(REASON_CANCELLED.to_owned()),
            MatchmakingTicketStatus::Failed => Some(REASON_FAILED.to_owned()),
            _ => None,
        };
        if self.ticket.has_ended() {
            self.ticket.end_time = Some(now);
        }
    }

    /// Back to searching: the proposed match is gone, and so are the teams.
    fn back_to_search(&mut self) {
        self.ticket.status = Some(MatchmakingTicketStatus::Searching);
        self.ticket.status_message = None;
        self.match_id = None;
        self.proposed_at = None;
        self.match_max_players = None;
        self.accepted.clear();
        if self.backfill_game_session.is_none() {
            for p in self.ticket.players.iter_mut().flatten() {
                p.team = None;
            }
        }
    }

    fn is_live(&self) -> bool {
        !self.ticket.has_ended()
    }
}

/// `NotFoundException` for a ticket no ticket has.
#[must_use]
pub fn ticket_not_found(ticket_id: &str) -> GameLiftError {
    GameLiftError::not_found(format!("Matchmaking ticket {} not found", Cut(ticket_id)))
}

fn check_ticket_id(v: &mut Validator, path: FieldPath, id: &str) {
    v.length(path, id, 0, MAX_TICKET_ID, false);
    v.pattern(path, id, MATCHMAKING_ID_PATTERN, is_matchmaking_id);
}

/// Each player attribute's value holds one form within the model's
/// sizes, and a player's attributes stay within
/// [`MAX_PLAYER_ATTRIBUTE_SIZE`]: said after the model's violations,
/// naming the attribute or the player.
fn check_attribute_values(players: &[Player]) -> Result<(), GameLiftError> {
    for (i, p) in players.iter().enumerate() {
        if let Some((name, _)) = p
            .player_attributes
            .iter()
            .flatten()
            .find(|(_, value)| !value.is_well_formed())
        {
            return Err(GameLiftError::invalid_request(format!(
                "Players[{}].PlayerAttributes[{}] must hold exactly one of S, N, SL or SDM, \
                 with strings of 1 to 100 characters, at most 100 SL items, \
                 at most 10 SDM entries and finite numbers",
                i + 1,
                Cut(name)
            )));
        }
        let size: usize = p
            .player_attributes
            .iter()
            .flatten()
            .map(|(name, value)| name.chars().count() + value_size(value))
            .sum();
        if size > MAX_PLAYER_ATTRIBUTE_SIZE {
            return Err(GameLiftError::invalid_request(format!(
                "Players[{}].PlayerAttributes hold {size} characters in all: \
                 at most {MAX_PLAYER_ATTRIBUTE_SIZE}",
                i + 1
            )));
        }
    }
    Ok(())
}

/// What a value counts towards [`MAX_PLAYER_ATTRIBUTE_SIZE`].
fn value_size(value: &AttributeValue) -> usize {
    let chars = |s: &String| s.chars().count();
    value.s.as_ref().map_or(0, chars)
        + value.n.map_or(0, |_| 8)
        + value.sl.iter().flatten().map(chars).sum::<usize>()
        + value
            .sdm
            .iter()
            .flatten()
            .map(|(k, _)| chars(k) + 8)
            .sum::<usize>()
}

fn check_players(v: &mut Validator, players: &[Player], limits: &Limits, backfill: bool) {
    let max = if backfill {
        MAX_LARGE_MATCH as usize
    } else {
        MAX_TICKET_PLAYERS
    };
    v.list_length(FieldPath::Member("players"), players.len(), 1, max);
    for (i, p) in players.iter().enumerate() {
        let at = |member| FieldPath::Item {
            list: "players",
            index: i + 1,
            member,
        };
        if let Some(id) = v.required(at("playerId"), p.player_id.as_deref()) {
            v.length(at("playerId"), id, 1, limits.max_player_id_length, true);
        }
        if let Some(team) = &p.team {
            v.length(at("team"), team, 1, 1024, false);
        }
        if let Some(attributes) = &p.player_attributes {
            v.list_length(
                at("playerAttributes"),
                attributes.len(),
                0,
                MAX_PLAYER_ATTRIBUTES,
            );
            for name in attributes.keys().take(MAX_PLAYER_ATTRIBUTES + 1) {
                v.length(at("playerAttributes"), name, 1, 1024, false);
            }
        }
        if let Some(latencies) = &p.latency_in_ms {
            v.list_length(at("latencyInMs"), latencies.len(), 0, MAX_PLAYER_LATENCIES);
            for (region, &ms) in latencies.iter().take(MAX_PLAYER_LATENCIES + 1) {
                v.length(at("latencyInMs"), region, 1, 64, false);
                v.min_value(at("latencyInMs"), i64::from(ms), 1);
            }
        }
    }
}

/// A request to matchmake players (`StartMatchmakingInput`).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct StartMatchmakingInput {
    /// The ticket's id: the caller's, or one made up.
    pub ticket_id: Option<String>,
    /// The configuration, by name or ARN: required.
    pub configuration_name: Option<String>,
    /// 1 to 10 players: required.
    pub players: Option<Vec<Player>>,
}

object_only!(StartMatchmakingInput, wire::StartDef);

/// A request to fill a game session's empty slots
/// (`StartMatchBackfillInput`).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct StartMatchBackfillInput {
    /// The ticket's id: the caller's, or one made up.
    pub ticket_id: Option<String>,
    /// The configuration, by name or ARN: required.
    pub configuration_name: Option<String>,
    /// The game session to fill: its ARN, required (**decision**).
    pub game_session_arn: Option<String>,
    /// The players already in it, each with the team they are on.
    pub players: Option<Vec<Player>>,
}

object_only!(StartMatchBackfillInput, wire::BackfillDef);

fn check_start(v: &mut Validator, ticket_id: Option<&str>, configuration: Option<&str>) {
    if let Some(id) = ticket_id {
        check_ticket_id(v, FieldPath::Member("ticketId"), id);
    }
    let path = FieldPath::Member("configurationName");
    if let Some(c) = v.required(path, configuration) {
        v.length(path, c, 1, 256, false);
    }
}

/// Checks a ticket's players against the rule set: attribute types, no
/// player twice, a backfill's players on the rule set's teams.
fn check_against(
    players: &[Player],
    rule_set: &RuleSet,
    backfill: bool,
) -> Result<(), GameLiftError> {
    for (i, p) in players.iter().enumerate() {
        rule_set
            .check_player(p)
            .map_err(|e| GameLiftError::invalid_request(format!("Players[{}]: {e}", i + 1)))?;
        if backfill {
            let team = p.team.as_deref().unwrap_or_default();
            if !rule_set.team_names().any(|t| t == team) {
                return Err(GameLiftError::invalid_request(format!(
                    "Players[{}] of a backfill must name a team of the rule set",
                    i + 1
                )));
            }
        }
        if players[..i].iter().any(|q| q.player_id == p.player_id) {
            return Err(GameLiftError::invalid_request(format!(
                "Players[{}] repeats a player of the ticket",
                i + 1
            )));
        }
    }
    Ok(())
}

/// The live (not backfill) tickets among `tickets` that hold one of
/// `players`: a new ticket cancels them (the guide: a player may be in
/// one active request). **Decision**: one whose match is being placed
/// cannot be cancelled, so the new ticket is refused.
fn duplicates(players: &[Player], tickets: &[Ticket]) -> Result<Vec<String>, GameLiftError> {
    let mut out = Vec::new();
    for t in tickets {
        if !t.is_live() || t.backfill_game_session.is_some() {
            continue;
        }
        let Some(i) = players.iter().position(|p| {
            t.ticket
                .players()
                .iter()
                .any(|q| q.player_id == p.player_id)
        }) else {
            continue;
        };
        if t.status() == Some(MatchmakingTicketStatus::Placing) {
            return Err(GameLiftError::invalid_request(format!(
                "Players[{}] is in matchmaking ticket {}, whose match is being placed",
                i + 1,
                Cut(t.id())
            )));
        }
        out.push(t.id().to_owned());
    }
    Ok(out)
}

/// What both starts give: the ticket's id, its players, and for a
/// backfill the game session it fills.
struct Request<'r> {
    ticket_id: Option<&'r str>,
    players: &'r [Player],
    backfill: Option<&'r str>,
}

impl Request<'_> {
    /// The new `QUEUED` ticket (a backfill's players keep the teams they
    /// name, the others' are cleared); a regular ticket cancels its
    /// players' older live tickets among `tickets`.
    fn start(
        &self,
        configuration: &MatchmakingConfiguration,
        rule_set: &RuleSet,
        tickets: &mut [Ticket],
        fresh_id: impl FnOnce() -> String,
        now: OffsetDateTime,
    ) -> Result<Ticket, GameLiftError> {
        let id = self
            .ticket_id
            .filter(|t| !t.is_empty())
            .map_or_else(fresh_id, str::to_owned);
        check_id_free(tickets, &id)?;
        let backfill = self.backfill.is_some();
        check_against(self.players, rule_set, backfill)?;
        if !backfill {
            for older in duplicates(self.players, tickets)? {
                cancel(tickets, &older, DUPLICATE_PLAYER, now);
            }
        }
        let mut ticket = Ticket {
            ticket: MatchmakingTicket {
                ticket_id: Some(id),
                configuration_name: configuration.name.clone(),
                configuration_arn: configuration.configuration_arn.clone(),
                status: Some(MatchmakingTicketStatus::Queued),
                start_time: Some(now),
                players: Some(self.players.to_vec()),
                ..MatchmakingTicket::default()
            },
            ..Ticket::default()
        };
        if backfill {
            ticket.backfill_game_session = self.backfill.map(str::to_owned);
        } else {
            for p in ticket.ticket.players.iter_mut().flatten() {
                p.team = None;
            }
        }
        Ok(ticket)
    }
}

/// Cancels the live ticket `id` with `message`: a proposed match it is in
/// is dropped, its other tickets searching again.
fn cancel(tickets: &mut [Ticket], id: &str, message: &str, now: OffsetDateTime) {
    let Some(i) = tickets.iter().position(|t| t.id() == id) else {
        return;
    };
    match (tickets[i].status(), tickets[i].match_id.clone()) {
        (Some(MatchmakingTicketStatus::RequiresAcceptance), Some(m)) => {
            drop_match(tickets, &m, Some((id, message)), now);
        }
        _ => tickets[i].set(MatchmakingTicketStatus::Cancelled, Some(message), now),
    }
}

fn check_id_free(tickets: &[Ticket], id: &str) -> Result<(), GameLiftError> {
    if tickets.iter().any(|t| t.id() == id) {
        return Err(GameLiftError::invalid_request(format!(
            "A matchmaking ticket with id {} already exists",
            Cut(id)
        )));
    }
    Ok(())
}

/// Checks the game session a `StartMatchBackfill` names: it exists
/// (`session`, as the store found it by `arn`), it is `ACTIVE`, and
/// FlexMatch made it through `configuration` (`made_by`: the
/// `matchmakingConfigurationArn` of its `MatchmakerData`).
///
/// # Errors
///
/// `InvalidRequestException` naming the game session and what is wrong.
///
/// ```
/// use gamelift_session::flexmatch::{MatchmakingConfiguration, check_backfill_session};
///
/// let mut c = MatchmakingConfiguration::default();
/// c.configuration_arn = Some("arn:aws:gamelift:us-west-2:1:matchmakingconfiguration/duel".to_owned());
/// let err = check_backfill_session("arn:aws:gamelift:us-west-2::gamesession/f/gs-1", None, None, &c)
///     .unwrap_err();
/// assert_eq!(err.code(), "InvalidRequestException");
/// assert_eq!(
///     err.to_string(),
///     "Game session arn:aws:gamelift:us-west-2::gamesession/f/gs-1 does not exist"
/// );
/// ```
pub fn check_backfill_session(
    arn: &str,
    session: Option<&GameSession>,
    made_by: Option<&str>,
    configuration: &MatchmakingConfiguration,
) -> Result<(), GameLiftError> {
    let Some(session) = session else {
        return Err(GameLiftError::invalid_request(format!(
            "Game session {} does not exist",
            Cut(arn)
        )));
    };
    if session.status != Some(GameSessionStatus::Active) {
        return Err(GameLiftError::invalid_request(format!(
            "Game session {} is {}: only an ACTIVE game session can be backfilled",
            Cut(arn),
            session
                .status
                .map_or("without a status", GameSessionStatus::as_str)
        )));
    }
    if made_by.is_none() || made_by != configuration.configuration_arn.as_deref() {
        return Err(GameLiftError::invalid_request(format!(
            "Game session {} was not made by FlexMatch through the matchmaking configuration {}",
            Cut(arn),
            Cut(configuration.name.as_deref().unwrap_or_default())
        )));
    }
    Ok(())
}

impl StartMatchmakingInput {
    /// A request for `players` in the configuration `configuration`.
    #[must_use]
    pub fn new(configuration: impl Into<String>, players: Vec<Player>) -> Self {
        StartMatchmakingInput {
            configuration_name: Some(configuration.into()),
            players: Some(players),
            ..StartMatchmakingInput::default()
        }
    }

    /// Validates the request against the model; answers the
    /// configuration's name or ARN.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation. Player ids and
    /// attribute values are never echoed.
    pub fn validate_with(&self, limits: &Limits) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        check_start(
            &mut v,
            self.ticket_id.as_deref(),
            self.configuration_name.as_deref(),
        );
        if let Some(players) = v.required(FieldPath::Member("players"), self.players.as_deref()) {
            check_players(&mut v, players, limits, false);
        }
        v.finish()?;
        check_attribute_values(self.players.as_deref().unwrap_or_default())?;
        Ok(self.configuration_name.as_deref().unwrap_or_default())
    }

    /// The `QUEUED` ticket of a validated request in `configuration`,
    /// whose rule set is `rule_set`, beside the stored `tickets` (those
    /// sharing a player or the id, and the tickets of their proposed
    /// matches); `fresh_id` is the id when the request gives none. A
    /// player's older live ticket is `CANCELLED` with
    /// [`DUPLICATE_PLAYER`] (a proposed match it is in dropped): store the
    /// changed `tickets` back.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for an attribute of the wrong type, a
    /// player twice in the ticket, a player whose older ticket's match is
    /// being placed (**decision**), or a ticket id already used
    /// (**decision**); `tickets` are then unchanged.
    pub fn start(
        &self,
        configuration: &MatchmakingConfiguration,
        rule_set: &RuleSet,
        tickets: &mut [Ticket],
        fresh_id: impl FnOnce() -> String,
        now: OffsetDateTime,
    ) -> Result<Ticket, GameLiftError> {
        let request = Request {
            ticket_id: self.ticket_id.as_deref(),
            players: self.players.as_deref().unwrap_or_default(),
            backfill: None,
        };
        request.start(configuration, rule_set, tickets, fresh_id, now)
    }
}

impl StartMatchBackfillInput {
    /// Validates the request against the model; answers the
    /// configuration's name or ARN.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate_with(&self, limits: &Limits) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        check_start(
            &mut v,
            self.ticket_id.as_deref(),
            self.configuration_name.as_deref(),
        );
        let path = FieldPath::Member("gameSessionArn");
        if let Some(arn) = v.required(path, self.game_session_arn.as_deref()) {
            v.arn_string(path, arn, limits);
        }
        if let Some(players) = v.required(FieldPath::Member("players"), self.players.as_deref()) {
            check_players(&mut v, players, limits, true);
        }
        v.finish()?;
        check_attribute_values(self.players.as_deref().unwrap_or_default())?;
        Ok(self.configuration_name.as_deref().unwrap_or_default())
    }

    /// The `QUEUED` backfill ticket of a validated request, whose game
    /// session [`check_backfill_session`] accepted.
    ///
    /// # Errors
    ///
    /// As [`StartMatchmakingInput::start`], and for a player naming no
    /// team of the rule set.
    pub fn start(
        &self,
        configuration: &MatchmakingConfiguration,
        rule_set: &RuleSet,
        tickets: &mut [Ticket],
        fresh_id: impl FnOnce() -> String,
        now: OffsetDateTime,
    ) -> Result<Ticket, GameLiftError> {
        let request = Request {
            ticket_id: self.ticket_id.as_deref(),
            players: self.players.as_deref().unwrap_or_default(),
            backfill: self.game_session_arn.as_deref(),
        };
        request.start(configuration, rule_set, tickets, fresh_id, now)
    }
}

/// A request naming one ticket (`StopMatchmakingInput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct TicketIdInput {
    /// The ticket: required.
    pub ticket_id: Option<String>,
}

object_only!(TicketIdInput, wire::TicketIdDef);

impl TicketIdInput {
    /// Validates the request; answers the ticket id.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate(&self) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        let path = FieldPath::Member("ticketId");
        if let Some(id) = v.required(path, self.ticket_id.as_deref()) {
            check_ticket_id(&mut v, path, id);
        }
        v.finish()?;
        Ok(self.ticket_id.as_deref().unwrap_or_default())
    }
}

/// A request for tickets (`DescribeMatchmakingInput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DescribeMatchmakingInput {
    /// Up to 10 ticket ids: required.
    pub ticket_ids: Option<Vec<String>>,
}

object_only!(DescribeMatchmakingInput, wire::DescribeDef);

/// The answer to `DescribeMatchmaking`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribeMatchmakingOutput<'a> {
    /// The tickets named that exist, in the order named.
    pub ticket_list: Vec<&'a MatchmakingTicket>,
}

impl DescribeMatchmakingInput {
    /// Validates the request and answers the tickets it names that exist,
    /// each found by `find` (a store's look-up by ticket id).
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn select<'a>(
        &self,
        find: impl Fn(&str) -> Option<&'a Ticket>,
    ) -> Result<DescribeMatchmakingOutput<'a>, GameLiftError> {
        let mut v = Validator::default();
        let path = FieldPath::Member("ticketIds");
        if let Some(ids) = v.required(path, self.ticket_ids.as_deref()) {
            v.list_length(path, ids.len(), 0, MAX_DESCRIBED_TICKETS);
            for (i, id) in ids.iter().enumerate() {
                check_ticket_id(
                    &mut v,
                    FieldPath::Element {
                        list: "ticketIds",
                        index: i + 1,
                    },
                    id,
                );
            }
        }
        v.finish()?;
        let ticket_list = self
            .ticket_ids
            .iter()
            .flatten()
            .filter_map(|id| find(id))
            .map(|t| &t.ticket)
            .collect();
        Ok(DescribeMatchmakingOutput { ticket_list })
    }
}

/// A player's answer to a proposed match (`AcceptMatchInput`).
#[derive(Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AcceptMatchInput {
    /// The ticket: required.
    pub ticket_id: Option<String>,
    /// The players answering, of that ticket: required; sensitive.
    pub player_ids: Option<Vec<String>>,
    /// `ACCEPT` or `REJECT`: required.
    pub acceptance_type: Option<EnumValue<AcceptanceType>>,
}

object_only!(AcceptMatchInput, wire::AcceptDef);

impl fmt::Debug for AcceptMatchInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcceptMatchInput")
            .field("ticket_id", &self.ticket_id)
            .field("player_ids", &self.player_ids.as_ref().map(Vec::len))
            .field("acceptance_type", &self.acceptance_type)
            .finish()
    }
}

impl AcceptMatchInput {
    /// A request for `players` of `ticket_id`.
    #[must_use]
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(
        ticket_id: impl Into<String>,
        players: I,
        acceptance: AcceptanceType,
    ) -> Self {
        AcceptMatchInput {
            ticket_id: Some(ticket_id.into()),
            player_ids: Some(players.into_iter().map(Into::into).collect()),
            acceptance_type: Some(acceptance.into()),
        }
    }

    /// Validates the request against the model.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate_with(&self, limits: &Limits) -> Result<(), GameLiftError> {
        let mut v = Validator::default();
        let path = FieldPath::Member("ticketId");
        if let Some(id) = v.required(path, self.ticket_id.as_deref()) {
            check_ticket_id(&mut v, path, id);
        }
        let path = FieldPath::Member("playerIds");
        if let Some(ids) = v.required(path, self.player_ids.as_deref()) {
            for (i, id) in ids.iter().enumerate() {
                v.length(
                    FieldPath::Element {
                        list: "playerIds",
                        index: i + 1,
                    },
                    id,
                    1,
                    limits.max_player_id_length,
                    true,
                );
            }
        }
        let path = FieldPath::Member("acceptanceType");
        if let Some(t) = v.required(path, self.acceptance_type.as_ref()) {
            v.enum_value(path, t);
        }
        v.finish()?;
        Ok(())
    }
}

fn ticket_index(tickets: &[Ticket], id: &str) -> Result<usize, GameLiftError> {
    tickets
        .iter()
        .position(|t| t.id() == id)
        .ok_or_else(|| ticket_not_found(id))
}

/// A made match is ready: placed through the queue (`PLACING`, also for
/// a backfill, whose players join its game session) or, standalone,
/// `COMPLETED`.
fn ready(tickets: &mut [Ticket], match_id: &str, with_queue: bool, now: OffsetDateTime) {
    let backfill = tickets
        .iter()
        .any(|t| t.match_id.as_deref() == Some(match_id) && t.backfill_game_session.is_some());
    for t in tickets
        .iter_mut()
        .filter(|t| t.match_id.as_deref() == Some(match_id))
    {
        if with_queue || backfill {
            t.set(MatchmakingTicketStatus::Placing, None, now);
        } else {
            t.set(MatchmakingTicketStatus::Completed, None, now);
        }
    }
}

/// The `StatusMessage` of a ticket stopped by `StopMatchmaking` (the
/// events' message).
const STOPPED: &str = "Cancelled by request.";

/// The `StatusMessage` of a ticket whose player rejected a match.
const REJECTED: &str = "A player rejected the match";

/// Drops the proposed match `match_id`: with `cancelled` (a ticket's id
/// and why), that ticket is `CANCELLED` and the others search again;
/// without, tickets whose players all accepted search again and the others
/// are `CANCELLED` (the acceptance timed out).
fn drop_match(
    tickets: &mut [Ticket],
    match_id: &str,
    cancelled: Option<(&str, &str)>,
    now: OffsetDateTime,
) {
    for t in tickets
        .iter_mut()
        .filter(|t| t.match_id.as_deref() == Some(match_id))
    {
        let all_accepted = t
            .ticket
            .players()
            .iter()
            .all(|p| t.accepted.iter().any(|a| a == p.id()));
        let why = match cancelled {
            Some((id, why)) if t.id() == id => Some(why),
            Some(_) => None,
            None if all_accepted => None,
            None => Some("A player did not accept the match in time"),
        };
        match why {
            Some(why) => t.set(MatchmakingTicketStatus::Cancelled, Some(why), now),
            None => t.back_to_search(),
        }
    }
}

/// The time-outs of a pass, over the tickets of `configuration` among
/// `tickets`: `QUEUED` tickets start searching (told the configuration's
/// recent average wait, `estimate`), proposals past
/// `AcceptanceTimeoutSeconds` are dropped, searches past
/// `RequestTimeoutSeconds` are `TIMED_OUT`. Answers whether a ticket
/// changed.
pub fn expire_tickets(
    tickets: &mut [Ticket],
    configuration: &MatchmakingConfiguration,
    now: OffsetDateTime,
    estimate: Option<i32>,
) -> bool {
    let ours = |t: &Ticket| t.ticket.configuration_name == configuration.name;
    let timeout = time::Duration::seconds(i64::from(
        configuration.request_timeout_seconds.unwrap_or(0),
    ));
    let acceptance = time::Duration::seconds(i64::from(
        configuration.acceptance_timeout_seconds.unwrap_or(0),
    ));
    let mut changed = false;
    let mut expired = Vec::new();
    for t in tickets.iter_mut().filter(|t| ours(t)) {
        match t.status() {
            Some(MatchmakingTicketStatus::Queued) => {
                t.set(MatchmakingTicketStatus::Searching, None, now);
                t.ticket.estimated_wait_time = estimate;
                changed = true;
            }
            Some(MatchmakingTicketStatus::RequiresAcceptance)
                if t.proposed_at.is_some_and(|p| now >= p + acceptance) =>
            {
                if let Some(m) = t.match_id.clone()
                    && !expired.contains(&m)
                {
                    expired.push(m);
                }
            }
            _ => {}
        }
    }
    for m in expired {
        drop_match(tickets, &m, None, now);
        changed = true;
    }
    for t in tickets.iter_mut().filter(|t| ours(t)) {
        if t.status() == Some(MatchmakingTicketStatus::Searching)
            && t.ticket.start_time.is_some_and(|s| now >= s + timeout)
        {
            t.set(
                MatchmakingTicketStatus::TimedOut,
                Some("Removed from matchmaking due to timing out."),
                now,
            );
            changed = true;
        }
    }
    changed
}

/// Makes the match `found`, whose tickets (`found.tickets`, indexes into
/// the candidates the matcher read) are `members`, in that order: each
/// player on their team, the match named `match_id` and sized
/// `found.max_players`; it needs acceptance, or is ready (`PLACING`, or
/// `COMPLETED` standalone). Answers `false`, changing nothing, when a
/// member is no longer `SEARCHING` (it changed while the matcher ran).
pub fn apply_match(
    members: &mut [Ticket],
    found: &ProposedMatch,
    configuration: &MatchmakingConfiguration,
    match_id: &str,
    now: OffsetDateTime,
) -> bool {
    if members.len() != found.tickets.len()
        || members
            .iter()
            .any(|t| t.status() != Some(MatchmakingTicketStatus::Searching))
    {
        return false;
    }
    for (team, seats) in &found.teams {
        for &(k, p) in seats {
            let Some(i) = found.tickets.iter().position(|&x| x == k) else {
                continue;
            };
            if let Some(player) = members[i]
                .ticket
                .players
                .as_mut()
                .and_then(|ps| ps.get_mut(p))
            {
                player.team = Some(team.clone());
            }
        }
    }
    let backfill = members.iter().any(|t| t.backfill_game_session.is_some());
    for t in members.iter_mut() {
        t.match_id = Some(match_id.to_owned());
        t.proposed_at = Some(now);
        t.match_max_players = Some(found.max_players);
        t.accepted.clear();
    }
    if configuration.acceptance_required == Some(true) && !backfill {
        for t in members.iter_mut() {
            t.set(MatchmakingTicketStatus::RequiresAcceptance, None, now);
        }
    } else {
        ready(members, match_id, configuration.with_queue(), now);
    }
    true
}

/// One pass of the matchmaker for `configuration` (whose rule set is
/// `rule_set`) at `now`, over every stored ticket: the time-outs of
/// [`expire_tickets`], then every match [`match_pool`] finds among the
/// searching tickets, each named by `new_match_id` and made by
/// [`apply_match`]. What an embedder whose store is at hand runs; an
/// embedder that matches off its store's lock runs the parts.
///
/// ```
/// use gamelift_session::{
///     flexmatch::{
///         MatchmakingConfiguration, Player, RuleSet, StartMatchmakingInput, Ticket,
///         advance_matchmaking,
///     },
///     model::MatchmakingTicketStatus,
/// };
/// use time::OffsetDateTime;
///
/// let rules: RuleSet = serde_json::from_str(r#"{"ruleLanguageVersion": "1.0",
///     "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 1},
///               {"name": "blue", "minPlayers": 1, "maxPlayers": 1}]}"#).expect("valid");
/// let mut config = MatchmakingConfiguration::default();
/// config.name = Some("duel".to_owned());
/// config.request_timeout_seconds = Some(60);
/// config.flex_match_mode = Some(gamelift_session::model::FlexMatchMode::Standalone);
/// let now = OffsetDateTime::UNIX_EPOCH;
/// let mut tickets: Vec<Ticket> = Vec::new();
/// for (id, player) in [("t1", "ana"), ("t2", "bo")] {
///     let start = StartMatchmakingInput::new("duel", vec![Player::new(player)]);
///     let ticket = start.start(&config, &rules, &mut tickets, || id.to_owned(), now)?;
///     tickets.push(ticket);
/// }
/// let mut n = 0;
/// advance_matchmaking(&mut tickets, &config, &rules, now, &mut || { n += 1; format!("m{n}") });
/// assert!(tickets.iter().all(|t| t.ticket.status == Some(MatchmakingTicketStatus::Completed)));
/// assert_eq!(tickets[0].ticket.players()[0].team.as_deref(), Some("red"));
/// assert_eq!(tickets[1].ticket.players()[0].team.as_deref(), Some("blue"));
/// # Ok::<(), gamelift_session::GameLiftError>(())
/// ```
pub fn advance_matchmaking(
    tickets: &mut [Ticket],
    configuration: &MatchmakingConfiguration,
    rule_set: &RuleSet,
    now: OffsetDateTime,
    new_match_id: &mut dyn FnMut() -> String,
) {
    expire_tickets(tickets, configuration, now, None);
    let searching: Vec<usize> = (0..tickets.len())
        .filter(|&i| {
            tickets[i].ticket.configuration_name == configuration.name
                && tickets[i].status() == Some(MatchmakingTicketStatus::Searching)
        })
        .collect();
    let pass = {
        let candidates: Vec<Candidate<'_>> = searching
            .iter()
            .map(|&i| tickets[i].candidate(now))
            .collect();
        match_pool(rule_set, &candidates, now)
    };
    for found in &pass.matches {
        let ids: Vec<usize> = found.tickets.iter().map(|&k| searching[k]).collect();
        let mut members: Vec<Ticket> = ids.iter().map(|&i| tickets[i].clone()).collect();
        if apply_match(&mut members, found, configuration, &new_match_id(), now) {
            for (i, t) in ids.into_iter().zip(members) {
                tickets[i] = t;
            }
        }
    }
}

impl Ticket {
    /// The ticket as the matcher reads it.
    #[must_use]
    pub fn candidate(&self, now: OffsetDateTime) -> Candidate<'_> {
        let c = Candidate::new(self.ticket.players(), self.ticket.start_time.unwrap_or(now));
        if self.backfill_game_session.is_some() {
            c.backfill()
        } else {
            c
        }
    }
}

/// How long a configuration's recent tickets waited for a match: the
/// last [`RecentWaits::KEPT`], averaged into a ticket's
/// `EstimatedWaitTime` (SPEC §13).
///
/// ```
/// use gamelift_session::flexmatch::RecentWaits;
///
/// let mut waits = RecentWaits::default();
/// assert_eq!(waits.estimate(), None);
/// waits.record(4.0);
/// waits.record(7.0);
/// assert_eq!(waits.estimate(), Some(6));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecentWaits {
    waits: std::collections::VecDeque<f64>,
}

impl RecentWaits {
    /// How many waits are kept.
    pub const KEPT: usize = 20;

    /// Records a ticket's wait, in seconds.
    pub fn record(&mut self, seconds: f64) {
        if self.waits.len() == Self::KEPT {
            self.waits.pop_front();
        }
        self.waits.push_back(seconds.max(0.0));
    }

    /// The average, in whole seconds (rounded), or `None` without data.
    #[must_use]
    pub fn estimate(&self) -> Option<i32> {
        if self.waits.is_empty() {
            return None;
        }
        let avg = self.waits.iter().sum::<f64>() / self.waits.len() as f64;
        Some(avg.round().min(f64::from(i32::MAX)) as i32)
    }
}

/// Applies a validated `AcceptMatch` to the stored tickets: each named
/// player of the ticket accepts or rejects. A rejection drops the match
/// (the rejecting ticket is `CANCELLED`, the others search again); once
/// every player of every ticket of the match accepted, the match is
/// ready (`PLACING`, or `COMPLETED` standalone).
///
/// # Errors
///
/// `NotFoundException` for an unknown ticket; `InvalidRequestException`
/// for a ticket not `REQUIRES_ACCEPTANCE`, or a player not of the ticket.
pub fn accept_match(
    tickets: &mut [Ticket],
    input: &AcceptMatchInput,
    with_queue: bool,
    now: OffsetDateTime,
) -> Result<(), GameLiftError> {
    let id = input.ticket_id.as_deref().unwrap_or_default();
    let i = ticket_index(tickets, id)?;
    if tickets[i].status() != Some(MatchmakingTicketStatus::RequiresAcceptance) {
        return Err(GameLiftError::invalid_request(format!(
            "Matchmaking ticket {} is {} and has no match to accept",
            Cut(id),
            tickets[i]
                .status()
                .map_or("unknown", MatchmakingTicketStatus::as_str)
        )));
    }
    let players = input.player_ids.as_deref().unwrap_or_default();
    if let Some(n) = players
        .iter()
        .position(|p| !tickets[i].ticket.players().iter().any(|q| q.id() == p))
    {
        return Err(GameLiftError::invalid_request(format!(
            "PlayerIds[{}] is not a player of matchmaking ticket {}",
            n + 1,
            Cut(id)
        )));
    }
    let match_id = tickets[i].match_id.clone().unwrap_or_default();
    if input.acceptance_type.as_ref().and_then(EnumValue::known) == Some(AcceptanceType::Reject) {
        drop_match(tickets, &match_id, Some((id, REJECTED)), now);
        return Ok(());
    }
    for p in players {
        if !tickets[i].accepted.contains(p) {
            tickets[i].accepted.push(p.clone());
        }
    }
    let everyone = tickets
        .iter()
        .filter(|t| t.match_id.as_deref() == Some(match_id.as_str()))
        .all(|t| {
            t.ticket
                .players()
                .iter()
                .all(|p| t.accepted.iter().any(|a| a == p.id()))
        });
    if everyone {
        ready(tickets, &match_id, with_queue, now);
    }
    Ok(())
}

/// `StopMatchmaking`: a ticket that is queued, searching or waiting for
/// acceptance is `CANCELLED` (its proposed match dropped, the other
/// tickets searching again). **Decision**: a ticket that has ended stays
/// as it is, and one being placed cannot be stopped
/// (`InvalidRequestException`).
///
/// # Errors
///
/// `NotFoundException` for an unknown ticket; `InvalidRequestException`
/// for a `PLACING` one.
pub fn stop_matchmaking(
    tickets: &mut [Ticket],
    ticket_id: &str,
    now: OffsetDateTime,
) -> Result<(), GameLiftError> {
    let i = ticket_index(tickets, ticket_id)?;
    match tickets[i].status() {
        Some(MatchmakingTicketStatus::Placing) => Err(GameLiftError::invalid_request(format!(
            "Matchmaking ticket {} is PLACING and can no longer be stopped",
            Cut(ticket_id)
        ))),
        _ if tickets[i].ticket.has_ended() => Ok(()),
        _ => {
            cancel(tickets, ticket_id, STOPPED, now);
            Ok(())
        }
    }
}

/// The match `match_id` was placed: its tickets are `COMPLETED` with
/// `connection` (each ticket gets the player sessions of its own players).
pub fn complete_match(
    tickets: &mut [Ticket],
    match_id: &str,
    connection: &GameSessionConnectionInfo,
    now: OffsetDateTime,
) {
    for t in tickets
        .iter_mut()
        .filter(|t| t.match_id.as_deref() == Some(match_id))
    {
        let own: Vec<MatchedPlayerSession> = connection
            .matched_player_sessions
            .iter()
            .flatten()
            .filter(|m| {
                t.ticket
                    .players()
                    .iter()
                    .any(|p| p.player_id == m.player_id)
            })
            .cloned()
            .collect();
        t.ticket.game_session_connection_info = Some(GameSessionConnectionInfo {
            matched_player_sessions: Some(own),
            ..connection.clone()
        });
        t.set(MatchmakingTicketStatus::Completed, None, now);
    }
}

/// The match `match_id` could not be placed: its tickets are `FAILED`,
/// with `why`.
pub fn fail_match(tickets: &mut [Ticket], match_id: &str, why: &str, now: OffsetDateTime) {
    for t in tickets
        .iter_mut()
        .filter(|t| t.match_id.as_deref() == Some(match_id))
    {
        t.set(MatchmakingTicketStatus::Failed, Some(why), now);
    }
}

/// The serde twins of the shapes.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "MatchedPlayerSession", rename_all = "PascalCase")]
    pub(super) struct MatchedDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_session_id: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "GameSessionConnectionInfo", rename_all = "PascalCase")]
    pub(super) struct ConnectionDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ip_address: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dns_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        port: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        matched_player_sessions: Option<Vec<MatchedPlayerSession>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "MatchmakingTicket", rename_all = "PascalCase")]
    pub(super) struct TicketDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        configuration_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        configuration_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<MatchmakingTicketStatus>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status_reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status_message: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        start_time: Option<OffsetDateTime>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        end_time: Option<OffsetDateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        players: Option<Vec<Player>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_connection_info: Option<GameSessionConnectionInfo>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        estimated_wait_time: Option<i32>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "StartMatchmakingInput", rename_all = "PascalCase")]
    pub(super) struct StartDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        configuration_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        players: Option<Vec<Player>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "StartMatchBackfillInput", rename_all = "PascalCase")]
    pub(super) struct BackfillDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        configuration_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        players: Option<Vec<Player>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "TicketIdInput", rename_all = "PascalCase")]
    pub(super) struct TicketIdDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket_id: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "DescribeMatchmakingInput", rename_all = "PascalCase")]
    pub(super) struct DescribeDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket_ids: Option<Vec<String>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "AcceptMatchInput", rename_all = "PascalCase")]
    pub(super) struct AcceptDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_ids: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acceptance_type: Option<EnumValue<AcceptanceType>>,
    }
}
