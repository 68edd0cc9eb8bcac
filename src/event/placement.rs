//! Queue placement events (`detail-type` `GameLift Queue Placement
//! Event`; the GameLift guide's "Game session placement events", SPEC §12):
//! one when a placement ends.
//!
//! | the placement goes | the event | detail |
//! |---|---|---|
//! | to `FULFILLED` | `PlacementFulfilled` | placementId, port (a **string**, as the docs' example), gameSessionArn, ipAddress, dnsName, startTime, endTime, gameSessionRegion, placedPlayerSessions |
//! | to `CANCELLED` | `PlacementCancelled` | placementId, startTime, endTime |
//! | to `TIMED_OUT` | `PlacementTimedOut` | placementId, startTime, endTime |
//! | to `FAILED` | `PlacementFailed` | placementId, startTime, endTime |
//!
//! Each carries the queue's `CustomEventData` when it has one.

use serde::Serialize;

use super::envelope::{EventDocument, EventSource, iso_millis};
use crate::model::enums::GameSessionPlacementState as State;
use crate::model::shapes::redact;
use crate::placement::{GameSessionPlacement, GameSessionQueue};

/// The `detail-type` of placement events.
pub const PLACEMENT_DETAIL_TYPE: &str = "GameLift Queue Placement Event";

/// What happened to a placement (`detail.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum PlacementEventType {
    /// It found a game session.
    PlacementFulfilled,
    /// It was stopped.
    PlacementCancelled,
    /// Its queue's time ran out.
    PlacementTimedOut,
    /// It could not be placed.
    PlacementFailed,
}

/// A placed player.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EventPlacedPlayer {
    /// The player; sensitive.
    pub player_id: String,
    /// Their player session.
    pub player_session_id: String,
}

impl std::fmt::Debug for EventPlacedPlayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventPlacedPlayer")
            .field("player_id", &crate::model::REDACTED)
            .field("player_session_id", &self.player_session_id)
            .finish()
    }
}

/// `detail` of a placement event.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PlacementDetail {
    /// What happened.
    #[serde(rename = "type")]
    pub kind: PlacementEventType,
    /// The placement.
    pub placement_id: String,
    /// The game session's port, as a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// The game session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub game_session_arn: Option<String>,
    /// Where players connect; sensitive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// Its DNS name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<String>,
    /// When the placement started.
    pub start_time: String,
    /// When it ended.
    pub end_time: String,
    /// The game session's Region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub game_session_region: Option<String>,
    /// The players placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placed_player_sessions: Option<Vec<EventPlacedPlayer>>,
    /// The queue's `CustomEventData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_event_data: Option<String>,
}

impl std::fmt::Debug for PlacementDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlacementDetail")
            .field("kind", &self.kind)
            .field("placement_id", &self.placement_id)
            .field("game_session_arn", &self.game_session_arn)
            .field("ip_address", &redact(self.ip_address.as_ref()))
            .field("port", &redact(self.port.as_ref()))
            .field("placed_player_sessions", &self.placed_player_sessions)
            .finish_non_exhaustive()
    }
}

/// The event a placement's change from `was` to its status now makes:
/// one when it ends, none otherwise.
///
/// ```
/// use gamelift_session::event::{PlacementEventType, placement_event_type};
/// use gamelift_session::model::GameSessionPlacementState;
///
/// assert_eq!(
///     placement_event_type(Some(GameSessionPlacementState::Pending), Some(GameSessionPlacementState::Fulfilled)),
///     Some(PlacementEventType::PlacementFulfilled)
/// );
/// assert_eq!(placement_event_type(None, Some(GameSessionPlacementState::Pending)), None);
/// ```
#[must_use]
pub fn placement_event_type(was: Option<State>, now: Option<State>) -> Option<PlacementEventType> {
    if was == now {
        return None;
    }
    match now? {
        State::Fulfilled => Some(PlacementEventType::PlacementFulfilled),
        State::Cancelled => Some(PlacementEventType::PlacementCancelled),
        State::TimedOut => Some(PlacementEventType::PlacementTimedOut),
        State::Failed => Some(PlacementEventType::PlacementFailed),
        _ => None,
    }
}

/// The document of the placement `p` of `queue` (gone: no `resources`)
/// that has ended as `kind`.
#[must_use]
pub fn placement_document(
    kind: PlacementEventType,
    p: &GameSessionPlacement,
    queue: Option<&GameSessionQueue>,
    source: &EventSource,
) -> EventDocument<PlacementDetail> {
    let fulfilled = kind == PlacementEventType::PlacementFulfilled;
    let start = p.start_time.unwrap_or(source.time);
    let detail = PlacementDetail {
        kind,
        placement_id: p.placement_id.clone().unwrap_or_default(),
        port: p.port.filter(|_| fulfilled).map(|n| n.to_string()),
        game_session_arn: p.game_session_arn.clone().filter(|_| fulfilled),
        ip_address: p.ip_address.clone().filter(|_| fulfilled),
        dns_name: p.dns_name.clone().filter(|_| fulfilled),
        start_time: iso_millis(start),
        end_time: iso_millis(p.end_time.unwrap_or(source.time)),
        game_session_region: p.game_session_region.clone().filter(|_| fulfilled),
        placed_player_sessions: fulfilled.then(|| {
            p.placed_player_sessions
                .iter()
                .flatten()
                .map(|s| EventPlacedPlayer {
                    player_id: s.player_id.clone().unwrap_or_default(),
                    player_session_id: s.player_session_id.clone().unwrap_or_default(),
                })
                .collect()
        }),
        custom_event_data: queue.and_then(|q| q.custom_event_data.clone()),
    };
    EventDocument::new(
        source,
        PLACEMENT_DETAIL_TYPE,
        queue.and_then(|q| q.game_session_queue_arn.as_deref()),
        detail,
    )
}
