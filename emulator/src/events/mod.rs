//! Events: the EventBridge documents of every matchmaking and placement
//! change, kept for `GET /_emulator/events` and delivered to SNS HTTP
//! subscribers as SNS delivers them; and the `UpdateGameSession` push a
//! backfill's end sends to the game server holding its session.
//!
//! Tickets and placements change through one door each
//! (`Matchmaking::put`, `Placements::change`); with events on, each door
//! writes the crate's events for the change into its room's outbox. When
//! an operation lets the store go, [`publish`] folds a match's tickets into
//! one event, writes the documents (`gamelift_session::event`) and queues
//! them in the [`EventHub`]; the delivery task ([`deliver_events`]) posts
//! them. So a document is published once its change is made, in the order
//! the changes were made, and no request waits for a subscriber.

mod control;
mod delivery;
mod hub;

pub(crate) use control::{
    confirm, events_listing, subscribe, subscriptions, unsubscribe, unsubscribe_url,
};
pub use delivery::deliver_events;
pub(crate) use hub::EventHub;

use gamelift_session::event::{
    EventSource, MatchmakingEvent, MatchmakingEventType, matchmaking_document, placement_document,
};
use gamelift_session::flexmatch::MatchmakingConfiguration;
use gamelift_session::game_server::{UpdateGameSessionPush, UpdateReason};

use crate::context::Env;
use crate::fleets::Fleets;
use crate::flexmatch::Matchmaking;
use crate::game_sessions::Sessions;
use crate::placements::Placements;
use crate::settings::ACCOUNT_ID;

/// Publishes what the tickets and placements changed since the last call.
pub(crate) fn publish(
    matchmaking: &mut Matchmaking,
    placements: &mut Placements,
    sessions: &Sessions,
    fleets: &mut Fleets,
    env: &Env,
) {
    if matchmaking.outbox.is_empty() && placements.outbox.is_empty() {
        return;
    }
    let now = env.now();
    let hub = env.events();
    let source = || EventSource::new(crate::ids::secret_uuid(0), now, env.region(), ACCOUNT_ID);
    let mut tickets = MatchmakingEvent::merge(std::mem::take(&mut matchmaking.outbox))
        .into_iter()
        .peekable();
    let mut ended = std::mem::take(&mut placements.outbox)
        .into_iter()
        .peekable();
    // Both in the order the changes happened.
    loop {
        let ticket_first = match (tickets.peek(), ended.peek()) {
            (Some(t), Some((seq, _, _))) => t.seq < *seq,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if ticket_first {
            if let Some(event) = tickets.next() {
                publish_ticket_event(&event, matchmaking, sessions, fleets, env, &source());
            }
        } else if let Some((_, kind, placement)) = ended.next() {
            let queue = placement
                .game_session_queue_name
                .as_deref()
                .and_then(|q| placements.queue(q));
            let document = placement_document(kind, &placement, queue, &source());
            hub.publish(
                queue.and_then(|q| q.notification_target.as_deref()),
                serde_json::to_string(&document).unwrap_or_default(),
                now,
            );
        }
    }
}

fn publish_ticket_event(
    event: &MatchmakingEvent,
    matchmaking: &Matchmaking,
    sessions: &Sessions,
    fleets: &mut Fleets,
    env: &Env,
    source: &EventSource,
) {
    let now = env.now();
    let Some(first) = event.tickets.first() else {
        return;
    };
    let name = first.ticket.configuration_name.clone().unwrap_or_default();
    let fallback;
    let configuration = if let Some(c) = matchmaking.configuration(&name) {
        c
    } else {
        // Deleted since: the document still names its ARN.
        let mut c = MatchmakingConfiguration::default();
        c.configuration_arn
            .clone_from(&first.ticket.configuration_arn);
        fallback = c;
        &fallback
    };
    let rules: Vec<&str> = configuration
        .rule_set_name
        .as_deref()
        .and_then(|r| matchmaking.rule_set(r))
        .map(|r| r.rules.rule_names().collect())
        .unwrap_or_default();
    let document = matchmaking_document(event, configuration, rules, source);
    env.events().publish(
        configuration.notification_target.as_deref(),
        serde_json::to_string(&document).unwrap_or_default(),
        now,
    );
    backfill_push(event, sessions, fleets, now);
}

/// A backfill that ended tells the game server holding its session
/// (SPEC §10, §13): `MATCHMAKING_DATA_UPDATED` with the session's new
/// `MatchmakerData` when it succeeded, `BACKFILL_FAILED`,
/// `BACKFILL_TIMED_OUT` or `BACKFILL_CANCELLED` otherwise.
fn backfill_push(
    event: &MatchmakingEvent,
    sessions: &Sessions,
    fleets: &mut Fleets,
    now: time::OffsetDateTime,
) {
    let reason = match event.kind {
        MatchmakingEventType::MatchmakingSucceeded => UpdateReason::MatchmakingDataUpdated,
        MatchmakingEventType::MatchmakingFailed => UpdateReason::BackfillFailed,
        MatchmakingEventType::MatchmakingTimedOut => UpdateReason::BackfillTimedOut,
        MatchmakingEventType::MatchmakingCancelled => UpdateReason::BackfillCancelled,
        _ => return,
    };
    for ticket in &event.tickets {
        let Some(game_session_id) = ticket.backfill_game_session.as_deref() else {
            continue;
        };
        let Some(session) = sessions
            .find(game_session_id)
            .and_then(|d| d.game_session.as_ref())
        else {
            continue;
        };
        let Some(key) = fleets.processes.host_of(game_session_id).cloned() else {
            continue;
        };
        let ticket_id = ticket.ticket.ticket_id.clone().unwrap_or_default();
        let push = UpdateGameSessionPush::new(session, reason, ticket_id);
        if let Ok(text) = serde_json::to_string(&push) {
            fleets.processes.push(&key, text, now);
        }
    }
}
