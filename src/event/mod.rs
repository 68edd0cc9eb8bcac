//! Events: the EventBridge documents GameLift publishes for matchmaking
//! tickets and queue placements, and the SNS messages that carry them to
//! an HTTP subscriber (SPEC §12).
//!
//! The rules are pure: [`ticket_events`] says which events a ticket's
//! change makes, [`MatchmakingEvent::merge`] folds a match's tickets into
//! one event, [`matchmaking_document`] and [`placement_document`] write the
//! documents, [`SnsSubscription`] the messages and headers SNS posts. The
//! embedder keeps the clock, the subscriptions and the network.
//!
//! ```
//! use gamelift_session::event::{EventSource, PlacementEventType, placement_document};
//! use gamelift_session::model::GameSessionPlacementState;
//! use gamelift_session::placement::{GameSessionPlacement, GameSessionQueue};
//! use time::OffsetDateTime;
//!
//! let mut p = GameSessionPlacement::default();
//! p.placement_id = Some("p-1".into());
//! p.status = Some(GameSessionPlacementState::Fulfilled);
//! p.port = Some(7777);
//! let source = EventSource::new("e-1", OffsetDateTime::UNIX_EPOCH, "us-west-2", "123456789012");
//! let doc = placement_document(PlacementEventType::PlacementFulfilled, &p, None, &source);
//! assert_eq!(doc.detail.port.as_deref(), Some("7777"));
//! assert_eq!(doc.detail_type, "GameLift Queue Placement Event");
//! ```

mod envelope;
mod matchmaking;
mod placement;
mod sns;

pub use envelope::{EventDocument, EventSource, iso_millis};
pub use matchmaking::{
    Acceptance, EstimatedWait, EventGameSessionInfo, EventPlayer, EventTicket,
    MATCHMAKING_DETAIL_TYPE, MatchmakingDetail, MatchmakingEvent, MatchmakingEventType,
    RuleEvaluationMetric, matchmaking_document, ticket_events,
};
pub use placement::{
    EventPlacedPlayer, PLACEMENT_DETAIL_TYPE, PlacementDetail, PlacementEventType,
    placement_document, placement_event_type,
};
pub use sns::{
    DELIVERY_RETRIES, NOT_A_SIGNATURE, RETRY_DELAY, SNS_CONTENT_TYPE, SnsMessage, SnsMessageType,
    SnsSubscription, is_delivered,
};
