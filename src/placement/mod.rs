//! Game session queues, and placements through them.
//!
//! | file | what it holds |
//! |---|---|
//! | `queue.rs` | [`GameSessionQueue`]: `CreateGameSessionQueue` to `DeleteGameSessionQueue`, destinations |
//! | `lifecycle.rs` | [`GameSessionPlacement`]: `PENDING`, then `FULFILLED`, `TIMED_OUT`, `CANCELLED` or `FAILED` |

pub(crate) mod lifecycle;
pub(crate) mod queue;

pub use lifecycle::{
    DesiredPlayerSession, GameSessionPlacement, MAX_DESIRED_PLAYER_DATA,
    MAX_DESIRED_PLAYER_SESSIONS, PlacedPlayerSession, PlacementIdInput, PlayerLatency,
    StartGameSessionPlacementInput, placement_not_found,
};
pub use queue::{
    CreateGameSessionQueueInput, DEFAULT_QUEUE_TIMEOUT_SECONDS, DESTINATION_ARN_PATTERN,
    DeleteGameSessionQueueInput, DescribeGameSessionQueuesInput, DescribeGameSessionQueuesOutput,
    Destination, GameSessionQueue, GameSessionQueueDestination, MAX_CUSTOM_EVENT_DATA,
    MAX_NOTIFICATION_TARGET, MAX_QUEUE_ARN, MAX_QUEUE_NAME, MIN_QUEUE_TIMEOUT_SECONDS,
    NOTIFICATION_TARGET_PATTERN, PlayerLatencyPolicy, QUEUE_NAME_OR_ARN_PATTERN,
    QUEUE_NAME_PATTERN, UpdateGameSessionQueueInput, queue_name_of, queue_not_found,
};
