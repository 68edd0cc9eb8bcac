//! FlexMatch's events: which a ticket's change makes, and their documents
//! (`detail-type` `GameLift Matchmaking Event`; the FlexMatch guide's
//! "FlexMatch events" pages, SPEC §12).
//!
//! Which change makes which event (**decisions** marked):
//!
//! | the ticket goes | the event |
//! |---|---|
//! | to `SEARCHING` from `QUEUED` or from a dropped match | `MatchmakingSearching` |
//! | from `SEARCHING` into a match (`REQUIRES_ACCEPTANCE`, or `PLACING`/`COMPLETED` without acceptance) | `PotentialMatchCreated` |
//! | stays `REQUIRES_ACCEPTANCE`, one more of its players accepted | `AcceptMatch` |
//! | from `REQUIRES_ACCEPTANCE` to `PLACING`/`COMPLETED` | `AcceptMatch` (the last answer), then `AcceptMatchCompleted` with `acceptance` `Accepted` |
//! | from `REQUIRES_ACCEPTANCE` back to `SEARCHING` or `CANCELLED` | `AcceptMatchCompleted`, `Rejected` or `TimedOut` (**decision**: the docs' example shows `TimedOut` only) |
//! | to `COMPLETED` | `MatchmakingSucceeded` |
//! | to `TIMED_OUT` | `MatchmakingTimedOut` |
//! | to `CANCELLED` | `MatchmakingCancelled` (**decision**: also for a player's rejection, with its message) |
//! | to `FAILED` | `MatchmakingFailed` |
//!
//! The tickets of one match that change in one step make one event that
//! lists them all ([`MatchmakingEvent::merge`]). `gameSessionInfo` is
//! always present, with `players` at least. `estimatedWaitMillis` is in
//! seconds, as the docs say, or `"NOT_AVAILABLE"`. `ruleEvaluationMetrics`
//! lists the rule set's rules: **decision**, a potential match counts one
//! pass per ticket it holds for each rule and no failure (each ticket was
//! added while every rule passed); a ticket that ends without a match
//! counts none (the matcher does not keep per-ticket evaluations).

use serde::Serialize;
use time::OffsetDateTime;

use super::envelope::{EventDocument, EventSource, iso_millis};
use crate::flexmatch::{MatchmakingConfiguration, Ticket};
use crate::model::enums::MatchmakingTicketStatus as Status;
use crate::model::shapes::redact;

/// The `detail-type` of FlexMatch's events.
pub const MATCHMAKING_DETAIL_TYPE: &str = "GameLift Matchmaking Event";

/// What happened to a ticket (`detail.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum MatchmakingEventType {
    /// It is searching.
    MatchmakingSearching,
    /// A match was proposed.
    PotentialMatchCreated,
    /// A player answered a proposal.
    AcceptMatch,
    /// Every player answered, or the time ran out.
    AcceptMatchCompleted,
    /// Its game session is ready.
    MatchmakingSucceeded,
    /// It searched too long.
    MatchmakingTimedOut,
    /// It was stopped.
    MatchmakingCancelled,
    /// Its match could not be made real.
    MatchmakingFailed,
}

/// How a proposal's acceptance ended (`detail.acceptance`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Acceptance {
    /// Every player accepted.
    Accepted,
    /// A player rejected it.
    Rejected,
    /// A player did not answer in time.
    TimedOut,
}

/// One event a ticket's change makes: its type, the match it concerns
/// (the one it was proposed, for an acceptance that failed), and the
/// ticket as it is now.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MatchmakingEvent {
    /// What happened.
    pub kind: MatchmakingEventType,
    /// The match, if any.
    pub match_id: Option<String>,
    /// How an acceptance ended, for `AcceptMatchCompleted`.
    pub acceptance: Option<Acceptance>,
    /// The tickets, as they are after the change.
    pub tickets: Vec<Ticket>,
    /// The embedder's number for when it happened (0 from
    /// [`ticket_events`]); a merged event keeps its last change's.
    pub seq: u64,
}

impl MatchmakingEvent {
    /// Whether `other` is the same event for another ticket of the same
    /// match, so that both go in one document.
    #[must_use]
    pub fn is_same_as(&self, other: &MatchmakingEvent) -> bool {
        self.kind == other.kind
            && self.match_id.is_some()
            && self.match_id == other.match_id
            && !matches!(
                self.kind,
                MatchmakingEventType::MatchmakingSearching | MatchmakingEventType::AcceptMatch
            )
    }

    /// Folds `events`, in the order they happened, into one event per match
    /// and type: the tickets of one match that changed in one step make
    /// one document, which takes the place of its last ticket's change (a
    /// match's event has happened once its last ticket changed: the last
    /// `AcceptMatch` comes before the `AcceptMatchCompleted` it causes).
    #[must_use]
    pub fn merge(events: Vec<MatchmakingEvent>) -> Vec<MatchmakingEvent> {
        let mut merged: Vec<MatchmakingEvent> = Vec::new();
        for mut e in events {
            if let Some(i) = merged.iter().position(|m| m.is_same_as(&e)) {
                let mut earlier = merged.remove(i);
                earlier.tickets.append(&mut e.tickets);
                e.tickets = earlier.tickets;
                // A ticket sent back to search does not know why its
                // match failed; the one whose player rejected it does.
                if earlier.acceptance == Some(Acceptance::Rejected) {
                    e.acceptance = earlier.acceptance;
                }
            }
            merged.push(e);
        }
        merged
    }
}

fn event(
    kind: MatchmakingEventType,
    match_id: Option<&String>,
    acceptance: Option<Acceptance>,
    after: &Ticket,
) -> MatchmakingEvent {
    MatchmakingEvent {
        kind,
        match_id: match_id.cloned(),
        acceptance,
        tickets: vec![after.clone()],
        seq: 0,
    }
}

/// The events a ticket's change from `before` (none: it is new) to
/// `after` makes, in order.
///
/// ```
/// use gamelift_session::event::{MatchmakingEventType, ticket_events};
/// use gamelift_session::flexmatch::Ticket;
/// use gamelift_session::model::MatchmakingTicketStatus;
///
/// let mut before = Ticket::default();
/// before.ticket.status = Some(MatchmakingTicketStatus::Queued);
/// let mut after = before.clone();
/// after.ticket.status = Some(MatchmakingTicketStatus::Searching);
/// let events = ticket_events(Some(&before), &after);
/// assert_eq!(events.len(), 1);
/// assert_eq!(events[0].kind, MatchmakingEventType::MatchmakingSearching);
/// assert!(ticket_events(Some(&after), &after).is_empty());
/// ```
#[must_use]
pub fn ticket_events(before: Option<&Ticket>, after: &Ticket) -> Vec<MatchmakingEvent> {
    use MatchmakingEventType as E;
    let was = before.and_then(|b| b.ticket.status);
    let now = after.ticket.status;
    let mut out = Vec::new();
    let Some(now) = now else { return out };
    if was == Some(now) {
        if now == Status::RequiresAcceptance
            && before.is_some_and(|b| b.accepted.len() < after.accepted.len())
        {
            out.push(event(E::AcceptMatch, after.match_id.as_ref(), None, after));
        }
        return out;
    }
    let proposed = before.and_then(|b| b.match_id.as_ref());
    match (was, now) {
        (_, Status::Searching) => {
            if was == Some(Status::RequiresAcceptance) {
                let how = acceptance_failure(after);
                out.push(event(E::AcceptMatchCompleted, proposed, Some(how), after));
            }
            out.push(event(E::MatchmakingSearching, None, None, after));
        }
        (Some(Status::Searching) | None, Status::RequiresAcceptance | Status::Placing) => {
            out.push(event(
                E::PotentialMatchCreated,
                after.match_id.as_ref(),
                None,
                after,
            ));
        }
        (Some(Status::Searching) | None, Status::Completed) => {
            out.push(event(
                E::PotentialMatchCreated,
                after.match_id.as_ref(),
                None,
                after,
            ));
            out.push(event(
                E::MatchmakingSucceeded,
                after.match_id.as_ref(),
                None,
                after,
            ));
        }
        (Some(Status::RequiresAcceptance), Status::Placing | Status::Completed) => {
            if before.is_some_and(|b| b.accepted.len() < after.accepted.len()) {
                out.push(event(E::AcceptMatch, after.match_id.as_ref(), None, after));
            }
            let accepted = Some(Acceptance::Accepted);
            out.push(event(
                E::AcceptMatchCompleted,
                after.match_id.as_ref(),
                accepted,
                after,
            ));
            if now == Status::Completed {
                out.push(event(
                    E::MatchmakingSucceeded,
                    after.match_id.as_ref(),
                    None,
                    after,
                ));
            }
        }
        (_, Status::Completed) => {
            out.push(event(
                E::MatchmakingSucceeded,
                after.match_id.as_ref(),
                None,
                after,
            ));
        }
        (_, Status::TimedOut) => out.push(event(E::MatchmakingTimedOut, None, None, after)),
        (_, Status::Cancelled) => {
            if was == Some(Status::RequiresAcceptance) {
                let how = acceptance_failure(after);
                out.push(event(E::AcceptMatchCompleted, proposed, Some(how), after));
            }
            out.push(event(E::MatchmakingCancelled, None, None, after));
        }
        (_, Status::Failed) => out.push(event(
            E::MatchmakingFailed,
            after.match_id.as_ref().or(proposed),
            None,
            after,
        )),
        _ => {}
    }
    out
}

/// Why a proposal a ticket was in fell through.
fn acceptance_failure(after: &Ticket) -> Acceptance {
    // A ticket whose own players all accepted goes back to search without
    // a message: another ticket's players did not answer in time.
    let message = after.ticket.status_message.as_deref().unwrap_or_default();
    if message.contains("rejected") {
        Acceptance::Rejected
    } else {
        Acceptance::TimedOut
    }
}

/// `estimatedWaitMillis`: seconds, despite the name, or `"NOT_AVAILABLE"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum EstimatedWait {
    /// Seconds.
    Seconds(i32),
    /// `"NOT_AVAILABLE"`.
    NotAvailable(&'static str),
}

/// A player in an event.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EventPlayer {
    /// The player.
    pub player_id: String,
    /// Their team, once matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Whether they accepted, once they answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<bool>,
    /// Their player session, once placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub player_session_id: Option<String>,
}

impl std::fmt::Debug for EventPlayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventPlayer")
            .field("player_id", &crate::model::REDACTED)
            .field("team", &self.team)
            .field("accepted", &self.accepted)
            .finish_non_exhaustive()
    }
}

/// A ticket in an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EventTicket {
    /// The ticket.
    pub ticket_id: String,
    /// When it started.
    pub start_time: String,
    /// Its players.
    pub players: Vec<EventPlayer>,
}

/// `detail.gameSessionInfo`: always present.
#[derive(Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EventGameSessionInfo {
    /// The game session, once placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub game_session_arn: Option<String>,
    /// Where players connect; sensitive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// Its DNS name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<String>,
    /// Its port (a number here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    /// Every player of the event's tickets.
    pub players: Vec<EventPlayer>,
}

impl std::fmt::Debug for EventGameSessionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventGameSessionInfo")
            .field("game_session_arn", &self.game_session_arn)
            .field("ip_address", &redact(self.ip_address.as_ref()))
            .field("dns_name", &self.dns_name)
            .field("port", &redact(self.port.as_ref()))
            .field("players", &self.players)
            .finish()
    }
}

/// One rule's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RuleEvaluationMetric {
    /// The rule.
    pub rule_name: String,
    /// Evaluations that passed.
    pub passed_count: u32,
    /// Evaluations that failed.
    pub failed_count: u32,
}

/// `detail` of a matchmaking event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MatchmakingDetail {
    /// What happened.
    #[serde(rename = "type")]
    pub kind: MatchmakingEventType,
    /// The tickets.
    pub tickets: Vec<EventTicket>,
    /// `MatchmakingSearching`: the wait expected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_wait_millis: Option<EstimatedWait>,
    /// `PotentialMatchCreated`: seconds to accept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptance_timeout: Option<i32>,
    /// `PotentialMatchCreated`: whether players must accept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptance_required: Option<bool>,
    /// `AcceptMatchCompleted`: how it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<Acceptance>,
    /// The rule set's rules and their counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_evaluation_metrics: Option<Vec<RuleEvaluationMetric>>,
    /// Why it ended (`TimedOut`, `Cancelled`, `UNEXPECTED_ERROR`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What ended it, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The game session, always.
    pub game_session_info: EventGameSessionInfo,
    /// The match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_id: Option<String>,
    /// The configuration's `CustomEventData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_event_data: Option<String>,
}

fn players_of(t: &Ticket, kind: MatchmakingEventType) -> Vec<EventPlayer> {
    use MatchmakingEventType as E;
    let sessions = t
        .ticket
        .game_session_connection_info
        .as_ref()
        .and_then(|c| c.matched_player_sessions.as_ref());
    t.ticket
        .players()
        .iter()
        .map(|p| {
            let id = p.player_id.clone().unwrap_or_default();
            let accepted = matches!(kind, E::AcceptMatch | E::AcceptMatchCompleted)
                .then(|| t.accepted.contains(&id))
                .filter(|a| *a);
            let player_session_id = sessions.and_then(|s| {
                s.iter()
                    .find(|m| m.player_id.as_deref() == Some(id.as_str()))
                    .and_then(|m| m.player_session_id.clone())
            });
            EventPlayer {
                team: p.team.clone().filter(|_| kind != E::MatchmakingSearching),
                accepted,
                player_session_id,
                player_id: id,
            }
        })
        .collect()
}

/// The document of `event`, for the tickets of `configuration`, whose
/// rule set has the rules `rule_names`.
///
/// ```
/// use gamelift_session::event::{EventSource, MatchmakingEventType, matchmaking_document, ticket_events};
/// use gamelift_session::flexmatch::{MatchmakingConfiguration, Ticket};
/// use gamelift_session::model::MatchmakingTicketStatus;
/// use gamelift_session::flexmatch::Player;
/// use time::OffsetDateTime;
///
/// let mut c = MatchmakingConfiguration::default();
/// c.configuration_arn = Some("arn:aws:gamelift:us-west-2:123456789012:matchmakingconfiguration/duel".into());
/// let mut t = Ticket::default();
/// t.ticket.ticket_id = Some("ticket-1".into());
/// t.ticket.start_time = Some(OffsetDateTime::UNIX_EPOCH);
/// t.ticket.players = Some(vec![Player::new("player-1")]);
/// t.ticket.status = Some(MatchmakingTicketStatus::Searching);
/// let event = ticket_events(None, &t).remove(0);
/// let source = EventSource::new("e-1", OffsetDateTime::UNIX_EPOCH, "us-west-2", "123456789012");
/// let doc = matchmaking_document(&event, &c, ["skill"], &source);
/// assert_eq!(doc.detail.kind, MatchmakingEventType::MatchmakingSearching);
/// assert_eq!(doc.resources, vec![c.configuration_arn.clone().unwrap()]);
/// assert_eq!(doc.detail.game_session_info.players.len(), 1);
/// ```
#[must_use]
pub fn matchmaking_document<'r>(
    event: &MatchmakingEvent,
    configuration: &MatchmakingConfiguration,
    rule_names: impl IntoIterator<Item = &'r str>,
    source: &EventSource,
) -> EventDocument<MatchmakingDetail> {
    use MatchmakingEventType as E;
    let kind = event.kind;
    let tickets: Vec<EventTicket> = event
        .tickets
        .iter()
        .map(|t| EventTicket {
            ticket_id: t.ticket.ticket_id.clone().unwrap_or_default(),
            start_time: iso_millis(t.ticket.start_time.unwrap_or(OffsetDateTime::UNIX_EPOCH)),
            players: players_of(t, kind),
        })
        .collect();
    let mut info = EventGameSessionInfo {
        players: tickets.iter().flat_map(|t| t.players.clone()).collect(),
        ..EventGameSessionInfo::default()
    };
    if kind == E::MatchmakingSucceeded
        && let Some(c) = event
            .tickets
            .iter()
            .find_map(|t| t.ticket.game_session_connection_info.as_ref())
    {
        info.game_session_arn.clone_from(&c.game_session_arn);
        info.ip_address.clone_from(&c.ip_address);
        info.dns_name.clone_from(&c.dns_name);
        info.port = c.port;
    }
    let metrics = |passed: u32| {
        rule_names
            .into_iter()
            .map(|r| RuleEvaluationMetric {
                rule_name: r.to_owned(),
                passed_count: passed,
                failed_count: 0,
            })
            .collect::<Vec<_>>()
    };
    let first = event.tickets.first().map(|t| &t.ticket);
    let count = u32::try_from(event.tickets.len()).unwrap_or(u32::MAX);
    let detail = MatchmakingDetail {
        kind,
        estimated_wait_millis: (kind == E::MatchmakingSearching).then(|| {
            first.and_then(|t| t.estimated_wait_time).map_or(
                EstimatedWait::NotAvailable("NOT_AVAILABLE"),
                EstimatedWait::Seconds,
            )
        }),
        acceptance_timeout: (kind == E::PotentialMatchCreated)
            .then_some(configuration.acceptance_timeout_seconds)
            .flatten(),
        acceptance_required: (kind == E::PotentialMatchCreated)
            .then(|| configuration.acceptance_required.unwrap_or(false)),
        acceptance: event.acceptance,
        rule_evaluation_metrics: match kind {
            E::PotentialMatchCreated => Some(metrics(count)),
            E::MatchmakingTimedOut | E::MatchmakingCancelled => Some(metrics(0)),
            _ => None,
        },
        reason: matches!(
            kind,
            E::MatchmakingTimedOut | E::MatchmakingCancelled | E::MatchmakingFailed
        )
        .then(|| first.and_then(|t| t.status_reason.clone()))
        .flatten(),
        message: matches!(
            kind,
            E::MatchmakingTimedOut | E::MatchmakingCancelled | E::MatchmakingFailed
        )
        .then(|| first.and_then(|t| t.status_message.clone()))
        .flatten(),
        tickets,
        game_session_info: info,
        match_id: event.match_id.clone(),
        custom_event_data: configuration
            .custom_event_data
            .clone()
            .filter(|d| !d.is_empty()),
    };
    EventDocument::new(
        source,
        MATCHMAKING_DETAIL_TYPE,
        configuration.configuration_arn.as_deref(),
        detail,
    )
}
