//! Matchmaking tickets (`StartMatchmaking`, `StartMatchBackfill`,
//! `DescribeMatchmaking`, `StopMatchmaking`, `AcceptMatch`) and the
//! matchmaker's rounds that move them on.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::configuration::{MATCHMAKING_ID_PATTERN, MatchmakingConfiguration, is_matchmaking_id};
use super::matcher::{Candidate, MAX_STEPS, find_match_within};
use super::player::Player;
use super::rule_set::RuleSet;
use crate::model::echo::Cut;
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
/// sizes: said after the model's violations, naming the attribute.
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
    }
    Ok(())
}

fn check_players(v: &mut Validator, players: &[Player], limits: &Limits, backfill: bool) {
    let max = if backfill {
        usize::MAX
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
        for name in p.player_attributes.iter().flatten().map(|(name, _)| name) {
            v.length(at("playerAttributes"), name, 1, 1024, false);
        }
        for (region, &ms) in p.latency_in_ms.iter().flatten() {
            v.length(at("latencyInMs"), region, 1, usize::MAX, false);
            v.min_value(at("latencyInMs"), i64::from(ms), 1);
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

/// Checks a ticket's players against the rule set and the live tickets.
fn check_against(
    players: &[Player],
    rule_set: &RuleSet,
    tickets: &[Ticket],
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
        } else if players[..i].iter().any(|q| q.player_id == p.player_id) {
            return Err(GameLiftError::invalid_request(format!(
                "Players[{}] repeats a player of the ticket",
                i + 1
            )));
        }
        if !backfill
            && tickets.iter().any(|t| {
                t.is_live()
                    && t.backfill_game_session.is_none()
                    && t.ticket
                        .players()
                        .iter()
                        .any(|q| q.player_id == p.player_id)
            })
        {
            return Err(GameLiftError::invalid_request(format!(
                "Players[{}] is already in a matchmaking ticket that has not ended",
                i + 1
            )));
        }
    }
    Ok(())
}

/// What both starts give: the ticket's id, its players, and for a
/// backfill the game session it fills.
struct Request<'r> {
    ticket_id: Option<&'r str>,
    players: &'r [Player],
    backfill: Option<&'r str>,
}

impl Request<'_> {
    /// The new ticket: `QUEUED`, its players' teams cleared; or, for a
    /// backfill, `SEARCHING` with the teams its players name.
    fn start(
        &self,
        configuration: &MatchmakingConfiguration,
        rule_set: &RuleSet,
        tickets: &[Ticket],
        fresh_id: impl FnOnce() -> String,
        now: OffsetDateTime,
    ) -> Result<Ticket, GameLiftError> {
        let id = self
            .ticket_id
            .filter(|t| !t.is_empty())
            .map_or_else(fresh_id, str::to_owned);
        check_id_free(tickets, &id)?;
        let backfill = self.backfill.is_some();
        check_against(self.players, rule_set, tickets, backfill)?;
        let status = if backfill {
            MatchmakingTicketStatus::Searching
        } else {
            MatchmakingTicketStatus::Queued
        };
        let mut ticket = Ticket {
            ticket: MatchmakingTicket {
                ticket_id: Some(id),
                configuration_name: configuration.name.clone(),
                configuration_arn: configuration.configuration_arn.clone(),
                status: Some(status),
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

fn check_id_free(tickets: &[Ticket], id: &str) -> Result<(), GameLiftError> {
    if tickets.iter().any(|t| t.id() == id) {
        return Err(GameLiftError::invalid_request(format!(
            "A matchmaking ticket with id {} already exists",
            Cut(id)
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
    /// whose rule set is `rule_set`, beside the stored `tickets`;
    /// `fresh_id` is the id when the request gives none.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for an attribute of the wrong type, a
    /// player twice in the ticket or already in a live ticket
    /// (**decision**), or a ticket id already used (**decision**).
    pub fn start(
        &self,
        configuration: &MatchmakingConfiguration,
        rule_set: &RuleSet,
        tickets: &[Ticket],
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

    /// The `SEARCHING` backfill ticket of a validated request.
    ///
    /// # Errors
    ///
    /// As [`StartMatchmakingInput::start`], and for a player naming no
    /// team of the rule set.
    pub fn start(
        &self,
        configuration: &MatchmakingConfiguration,
        rule_set: &RuleSet,
        tickets: &[Ticket],
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

/// Drops the proposed match `match_id`: tickets whose players all
/// accepted (or, `timed_out` false, had not answered yet) search again;
/// the others are `CANCELLED`.
fn drop_match(tickets: &mut [Ticket], match_id: &str, rejected: Option<&str>, now: OffsetDateTime) {
    for t in tickets
        .iter_mut()
        .filter(|t| t.match_id.as_deref() == Some(match_id))
    {
        let all_accepted = t
            .ticket
            .players()
            .iter()
            .all(|p| t.accepted.iter().any(|a| a == p.id()));
        let cancel = match rejected {
            Some(id) => t.id() == id,
            None => !all_accepted,
        };
        if cancel {
            let why = if rejected.is_some() {
                "A player rejected the match"
            } else {
                "A player did not accept the match in time"
            };
            t.set(MatchmakingTicketStatus::Cancelled, Some(why), now);
        } else {
            t.back_to_search();
        }
    }
}

/// The time-outs of a round: `QUEUED` tickets start searching,
/// proposals past `AcceptanceTimeoutSeconds` are dropped, searches past
/// `RequestTimeoutSeconds` are `TIMED_OUT`.
fn expire(tickets: &mut [Ticket], configuration: &MatchmakingConfiguration, now: OffsetDateTime) {
    let ours = |t: &Ticket| t.ticket.configuration_name == configuration.name;
    let timeout = time::Duration::seconds(i64::from(
        configuration.request_timeout_seconds.unwrap_or(0),
    ));
    let acceptance = time::Duration::seconds(i64::from(
        configuration.acceptance_timeout_seconds.unwrap_or(0),
    ));
    let mut expired = Vec::new();
    for t in tickets.iter_mut().filter(|t| ours(t)) {
        match t.status() {
            Some(MatchmakingTicketStatus::Queued) => {
                t.set(MatchmakingTicketStatus::Searching, None, now);
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
    }
    for t in tickets.iter_mut().filter(|t| ours(t)) {
        if t.status() == Some(MatchmakingTicketStatus::Searching)
            && t.ticket.start_time.is_some_and(|s| now >= s + timeout)
        {
            t.set(
                MatchmakingTicketStatus::TimedOut,
                Some("No match was found within the configuration's RequestTimeoutSeconds"),
                now,
            );
        }
    }
}

/// One round of the matchmaker for `configuration` (whose rule set is
/// `rule_set`) at `now`, over every stored ticket: `QUEUED` tickets
/// start searching; searches past `RequestTimeoutSeconds` are
/// `TIMED_OUT`; proposals past `AcceptanceTimeoutSeconds` are dropped;
/// then matches are made among the searching tickets, oldest first, each
/// named by `new_match_id`, within one budget of
/// [`MAX_STEPS`](crate::flexmatch::MAX_STEPS) for the round (what is left waits for
/// the next). Made matches need acceptance, or are ready.
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
///     let ticket = start.start(&config, &rules, &tickets, || id.to_owned(), now)?;
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
    let ours = |t: &Ticket| t.ticket.configuration_name == configuration.name;
    expire(tickets, configuration, now);
    // Backfill tickets first, then by age.
    let mut waiting: Vec<usize> = (0..tickets.len())
        .filter(|&i| {
            ours(&tickets[i]) && tickets[i].status() == Some(MatchmakingTicketStatus::Searching)
        })
        .collect();
    waiting.sort_by_key(|&i| {
        (
            tickets[i].backfill_game_session.is_none(),
            tickets[i].ticket.start_time,
        )
    });
    let mut anchor = 0;
    let mut budget = MAX_STEPS;
    while anchor < waiting.len() && budget > 0 {
        let found = {
            let candidates: Vec<Candidate<'_>> = waiting[anchor..]
                .iter()
                .map(|&i| {
                    let t = &tickets[i];
                    let c = Candidate::new(t.ticket.players(), t.ticket.start_time.unwrap_or(now));
                    if t.backfill_game_session.is_some() {
                        c.backfill()
                    } else {
                        c
                    }
                })
                .collect();
            find_match_within(rule_set, &candidates, now, &mut budget)
        };
        let Some(found) = found else {
            anchor += 1;
            continue;
        };
        let match_id = new_match_id();
        let members: Vec<usize> = found.tickets.iter().map(|&k| waiting[anchor + k]).collect();
        for (team, seats) in &found.teams {
            for &(k, p) in seats {
                let i = waiting[anchor + k];
                if let Some(player) = tickets[i]
                    .ticket
                    .players
                    .as_mut()
                    .and_then(|ps| ps.get_mut(p))
                {
                    player.team = Some(team.clone());
                }
            }
        }
        let backfill = members
            .iter()
            .any(|&i| tickets[i].backfill_game_session.is_some());
        for &i in &members {
            tickets[i].match_id = Some(match_id.clone());
            tickets[i].proposed_at = Some(now);
            tickets[i].accepted.clear();
        }
        if configuration.acceptance_required == Some(true) && !backfill {
            for &i in &members {
                tickets[i].set(MatchmakingTicketStatus::RequiresAcceptance, None, now);
            }
        } else {
            ready(tickets, &match_id, configuration.with_queue(), now);
        }
        waiting.retain(|i| !members.contains(i));
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
        drop_match(tickets, &match_id, Some(id), now);
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
        Some(MatchmakingTicketStatus::RequiresAcceptance) => {
            let m = tickets[i].match_id.clone().unwrap_or_default();
            drop_match(tickets, &m, Some(ticket_id), now);
            tickets[i].ticket.status_message = Some("Stopped".to_owned());
            Ok(())
        }
        _ if tickets[i].ticket.has_ended() => Ok(()),
        _ => {
            tickets[i].set(MatchmakingTicketStatus::Cancelled, Some("Stopped"), now);
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
