//! Game session queues: where a placement looks for room, destination by
//! destination (`CreateGameSessionQueue`, `DescribeGameSessionQueues`,
//! `UpdateGameSessionQueue`, `DeleteGameSessionQueue`).
//!
//! The rules (decisions marked):
//!
//! - A queue has a name unique among the queues (**decision**: a second
//!   queue of the same name is `InvalidRequestException`), an ARN
//!   (`arn:aws:gamelift:<region>:<account>:gamesessionqueue/<name>`), a
//!   `TimeoutInSeconds` (default 600, at least 10 as the docs ask; the
//!   model has no minimum) after which a pending placement times out, and
//!   its `Destinations`, fleet or alias ARNs, tried in order.
//! - `PlayerLatencyPolicies` are kept and answered; **decision**: they do
//!   not change where a placement goes.
//! - A queue is named by its name or its ARN.

use serde::{Deserialize, Serialize};

use crate::model::echo::Cut;
use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::paging;
use crate::model::validate::{FieldPath, Validator};

/// The shortest `TimeoutInSeconds` a queue takes (the docs').
pub const MIN_QUEUE_TIMEOUT_SECONDS: i32 = 10;

/// A queue's default `TimeoutInSeconds`.
pub const DEFAULT_QUEUE_TIMEOUT_SECONDS: i32 = 600;
/// The longest queue name (`GameSessionQueueName`).
pub const MAX_QUEUE_NAME: usize = 128;
/// The longest queue name or ARN, and destination ARN.
pub const MAX_QUEUE_ARN: usize = 256;
/// The pattern of a queue name.
pub const QUEUE_NAME_PATTERN: &str = "[a-zA-Z0-9-]+";
/// The pattern of a queue name or ARN.
pub const QUEUE_NAME_OR_ARN_PATTERN: &str =
    "[a-zA-Z0-9-]+|^arn:.*:gamesessionqueue\\/[a-zA-Z0-9-]+";
/// The pattern of a destination's ARN (`ArnStringModel`).
pub const DESTINATION_ARN_PATTERN: &str = "[a-zA-Z0-9:/-]+";
/// A queue's `NotificationTarget` (`QueueSnsArnStringModel`).
pub const NOTIFICATION_TARGET_PATTERN: &str = "[a-zA-Z0-9:_/-]*(.fifo)?";
/// The longest `NotificationTarget`.
pub const MAX_NOTIFICATION_TARGET: usize = 300;
/// The longest `CustomEventData` (`QueueCustomEventData`).
pub const MAX_CUSTOM_EVENT_DATA: usize = 256;

fn is_queue_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn is_queue_name_or_arn(s: &str) -> bool {
    is_queue_name(s)
        || (s.starts_with("arn:")
            && s.rsplit_once(":gamesessionqueue/")
                .is_some_and(|(_, name)| is_queue_name(name)))
}

fn is_destination_arn(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'/' | b'-'))
}

/// The queue name a name or queue ARN names.
#[must_use]
pub fn queue_name_of(name_or_arn: &str) -> &str {
    name_or_arn
        .rsplit_once(":gamesessionqueue/")
        .map_or(name_or_arn, |(_, name)| name)
}

/// Where a destination ARN sends a placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Destination<'a> {
    /// A fleet, by id.
    Fleet(&'a str),
    /// An alias, by id: it resolves to a fleet, or to none.
    Alias(&'a str),
}

impl<'a> Destination<'a> {
    /// The destination an ARN (or a bare fleet or alias id) names; `None`
    /// for anything else.
    ///
    /// ```
    /// use gamelift_session::placement::Destination;
    ///
    /// assert_eq!(Destination::of("arn:aws:gamelift:us-west-2:1:fleet/fleet-1"), Some(Destination::Fleet("fleet-1")));
    /// assert_eq!(Destination::of("arn:aws:gamelift:us-west-2:1:alias/alias-2"), Some(Destination::Alias("alias-2")));
    /// assert_eq!(Destination::of("arn:aws:s3:::bucket"), None);
    /// ```
    #[must_use]
    pub fn of(arn: &'a str) -> Option<Self> {
        let last = arn.rsplit('/').next().unwrap_or(arn);
        if last.starts_with("alias-") {
            Some(Destination::Alias(last))
        } else if crate::model::ids::is_fleet_id(last) {
            Some(Destination::Fleet(last))
        } else {
            None
        }
    }
}

/// One place a queue looks for room (`GameSessionQueueDestination`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct GameSessionQueueDestination {
    /// A fleet or alias ARN.
    pub destination_arn: Option<String>,
}

object_only!(GameSessionQueueDestination, wire::DestinationDef);

impl GameSessionQueueDestination {
    /// A destination at `arn`.
    #[must_use]
    pub fn new(arn: impl Into<String>) -> Self {
        GameSessionQueueDestination {
            destination_arn: Some(arn.into()),
        }
    }
}

/// A latency limit for a while of a placement (`PlayerLatencyPolicy`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct PlayerLatencyPolicy {
    /// The most latency any player may have, in milliseconds.
    pub maximum_individual_player_latency_milliseconds: Option<i32>,
    /// How long the policy holds, in seconds.
    pub policy_duration_seconds: Option<i32>,
}

object_only!(PlayerLatencyPolicy, wire::PolicyDef);

/// A game session queue (`GameSessionQueue`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct GameSessionQueue {
    /// Its name.
    pub name: Option<String>,
    /// Its ARN.
    pub game_session_queue_arn: Option<String>,
    /// How long a placement may wait for room.
    pub timeout_in_seconds: Option<i32>,
    /// Its latency policies.
    pub player_latency_policies: Option<Vec<PlayerLatencyPolicy>>,
    /// Where it looks for room, in order.
    pub destinations: Option<Vec<GameSessionQueueDestination>>,
    /// The SNS topic its placement events go to.
    pub notification_target: Option<String>,
    /// Added to each of its placement events as `customEventData`.
    pub custom_event_data: Option<String>,
}

object_only!(GameSessionQueue, wire::QueueDef);

impl GameSessionQueue {
    /// Whether `name_or_arn` names this queue.
    #[must_use]
    pub fn is_named_by(&self, name_or_arn: &str) -> bool {
        self.name.as_deref() == Some(queue_name_of(name_or_arn))
    }

    /// Its destinations' ARNs, in order.
    pub fn destination_arns(&self) -> impl Iterator<Item = &str> {
        self.destinations
            .iter()
            .flatten()
            .filter_map(|d| d.destination_arn.as_deref())
    }
}

/// `NotFoundException` for a queue no queue has.
#[must_use]
pub fn queue_not_found(name: &str) -> GameLiftError {
    GameLiftError::not_found(format!(
        "Game session queue {} not found",
        Cut(queue_name_of(name))
    ))
}

/// Checks a queue's `NotificationTarget` and `CustomEventData`.
fn check_queue_events(v: &mut Validator, target: Option<&str>, data: Option<&str>) {
    if let Some(t) = target {
        let path = FieldPath::Member("notificationTarget");
        v.length(path, t, 0, MAX_NOTIFICATION_TARGET, false);
        v.pattern(path, t, NOTIFICATION_TARGET_PATTERN, is_notification_target);
    }
    if let Some(d) = data {
        v.length(
            FieldPath::Member("customEventData"),
            d,
            0,
            MAX_CUSTOM_EVENT_DATA,
            false,
        );
    }
}

fn is_notification_target(s: &str) -> bool {
    let body = s.strip_suffix(".fifo").unwrap_or(s);
    body.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'/' | b'-'))
}

fn check_queue_members(
    v: &mut Validator,
    timeout: Option<i32>,
    policies: Option<&[PlayerLatencyPolicy]>,
    destinations: Option<&[GameSessionQueueDestination]>,
) {
    if let Some(timeout) = timeout {
        // The model has no minimum; the docs ask for 10 seconds at least
        // (SPEC §13: refused below, as a violation naming the member).
        v.min_value(
            FieldPath::Member("timeoutInSeconds"),
            i64::from(timeout),
            MIN_QUEUE_TIMEOUT_SECONDS.into(),
        );
    }
    for (i, p) in policies.unwrap_or_default().iter().enumerate() {
        let at = |member| FieldPath::Item {
            list: "playerLatencyPolicies",
            index: i + 1,
            member,
        };
        if let Some(ms) = p.maximum_individual_player_latency_milliseconds {
            v.min_value(
                at("maximumIndividualPlayerLatencyMilliseconds"),
                i64::from(ms),
                0,
            );
        }
        if let Some(s) = p.policy_duration_seconds {
            v.min_value(at("policyDurationSeconds"), i64::from(s), 0);
        }
    }
    for (i, d) in destinations.unwrap_or_default().iter().enumerate() {
        let path = FieldPath::Item {
            list: "destinations",
            index: i + 1,
            member: "destinationArn",
        };
        if let Some(arn) = v.required(path, d.destination_arn.as_deref()) {
            v.length(path, arn, 1, MAX_QUEUE_ARN, false);
            v.pattern(path, arn, DESTINATION_ARN_PATTERN, is_destination_arn);
        }
    }
}

fn check_name_or_arn<'a>(v: &mut Validator, name: Option<&'a str>) -> Option<&'a str> {
    let path = FieldPath::Member("name");
    let name = v.required(path, name);
    if let Some(name) = name {
        v.length(path, name, 1, MAX_QUEUE_ARN, false);
        v.pattern(path, name, QUEUE_NAME_OR_ARN_PATTERN, is_queue_name_or_arn);
    }
    name
}

/// A request for a new queue (`CreateGameSessionQueueInput`). The members
/// this stand-in has no use for (filters, priorities, notifications, tags)
/// are accepted and ignored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct CreateGameSessionQueueInput {
    /// Its name: required, 1 to 128 of `[a-zA-Z0-9-]`.
    pub name: Option<String>,
    /// How long a placement may wait: at least 0, 600 when absent.
    pub timeout_in_seconds: Option<i32>,
    /// Latency policies.
    pub player_latency_policies: Option<Vec<PlayerLatencyPolicy>>,
    /// Destinations, in order.
    pub destinations: Option<Vec<GameSessionQueueDestination>>,
    /// An SNS topic ARN: 0 to 300 characters of `[a-zA-Z0-9:_/-]*(.fifo)?`.
    pub notification_target: Option<String>,
    /// 0 to 256 characters.
    pub custom_event_data: Option<String>,
}

object_only!(CreateGameSessionQueueInput, wire::CreateQueueDef);

impl CreateGameSessionQueueInput {
    /// A request for a queue named `name` over `destinations` (ARNs).
    #[must_use]
    pub fn new<I, S>(name: impl Into<String>, destinations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CreateGameSessionQueueInput {
            name: Some(name.into()),
            destinations: Some(
                destinations
                    .into_iter()
                    .map(GameSessionQueueDestination::new)
                    .collect(),
            ),
            ..CreateGameSessionQueueInput::default()
        }
    }

    /// Validates the request and builds the queue in `region` of `account_id`.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    ///
    /// ```
    /// use gamelift_session::placement::CreateGameSessionQueueInput;
    ///
    /// let q = CreateGameSessionQueueInput::new("main", ["arn:aws:gamelift:us-west-2:1:fleet/fleet-1"])
    ///     .create("us-west-2", "1")?;
    /// assert_eq!(q.game_session_queue_arn.as_deref(), Some("arn:aws:gamelift:us-west-2:1:gamesessionqueue/main"));
    /// assert_eq!(q.timeout_in_seconds, Some(600));
    /// let err = CreateGameSessionQueueInput::new("main queue", ["x y"]).create("us-west-2", "1").unwrap_err();
    /// assert_eq!(err.to_string(), "2 validation errors detected: \
    ///     Value 'main queue' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-]+; \
    ///     Value 'x y' at 'destinations.1.member.destinationArn' failed to satisfy constraint: \
    ///     Member must satisfy regular expression pattern: [a-zA-Z0-9:/-]+");
    /// # Ok::<(), gamelift_session::GameLiftError>(())
    /// ```
    pub fn create(
        &self,
        region: &str,
        account_id: &str,
    ) -> Result<GameSessionQueue, GameLiftError> {
        let mut v = Validator::default();
        let path = FieldPath::Member("name");
        let name = v.required(path, self.name.as_deref());
        if let Some(name) = name {
            v.length(path, name, 1, MAX_QUEUE_NAME, false);
            v.pattern(path, name, QUEUE_NAME_PATTERN, is_queue_name);
        }
        check_queue_members(
            &mut v,
            self.timeout_in_seconds,
            self.player_latency_policies.as_deref(),
            self.destinations.as_deref(),
        );
        check_queue_events(
            &mut v,
            self.notification_target.as_deref(),
            self.custom_event_data.as_deref(),
        );
        v.finish()?;
        let name = name.unwrap_or_default();
        Ok(GameSessionQueue {
            name: Some(name.to_owned()),
            game_session_queue_arn: Some(format!(
                "arn:aws:gamelift:{region}:{account_id}:gamesessionqueue/{name}"
            )),
            timeout_in_seconds: Some(
                self.timeout_in_seconds
                    .unwrap_or(DEFAULT_QUEUE_TIMEOUT_SECONDS),
            ),
            player_latency_policies: self.player_latency_policies.clone(),
            destinations: self.destinations.clone(),
            notification_target: self.notification_target.clone().filter(|t| !t.is_empty()),
            custom_event_data: self.custom_event_data.clone().filter(|d| !d.is_empty()),
        })
    }
}

/// A request to change a queue (`UpdateGameSessionQueueInput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct UpdateGameSessionQueueInput {
    /// The queue: its name or ARN, required.
    pub name: Option<String>,
    /// A new timeout.
    pub timeout_in_seconds: Option<i32>,
    /// New latency policies, replacing the old.
    pub player_latency_policies: Option<Vec<PlayerLatencyPolicy>>,
    /// New destinations, replacing the old.
    pub destinations: Option<Vec<GameSessionQueueDestination>>,
    /// An SNS topic ARN: 0 to 300 characters of `[a-zA-Z0-9:_/-]*(.fifo)?`.
    pub notification_target: Option<String>,
    /// 0 to 256 characters.
    pub custom_event_data: Option<String>,
}

object_only!(UpdateGameSessionQueueInput, wire::UpdateQueueDef);

impl UpdateGameSessionQueueInput {
    /// Validates the request: the queue it names.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate_with(&self, _limits: &Limits) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        let name = check_name_or_arn(&mut v, self.name.as_deref());
        check_queue_members(
            &mut v,
            self.timeout_in_seconds,
            self.player_latency_policies.as_deref(),
            self.destinations.as_deref(),
        );
        check_queue_events(
            &mut v,
            self.notification_target.as_deref(),
            self.custom_event_data.as_deref(),
        );
        v.finish()?;
        Ok(name.unwrap_or_default())
    }

    /// Applies the validated request to `queue`.
    pub fn apply(&self, queue: &mut GameSessionQueue) {
        if let Some(t) = self.timeout_in_seconds {
            queue.timeout_in_seconds = Some(t);
        }
        if let Some(p) = &self.player_latency_policies {
            queue.player_latency_policies = Some(p.clone());
        }
        if let Some(d) = &self.destinations {
            queue.destinations = Some(d.clone());
        }
        // An empty string clears them, as for a configuration.
        if let Some(t) = &self.notification_target {
            queue.notification_target = Some(t.clone()).filter(|t| !t.is_empty());
        }
        if let Some(d) = &self.custom_event_data {
            queue.custom_event_data = Some(d.clone()).filter(|d| !d.is_empty());
        }
    }
}

/// A request naming one queue: `DeleteGameSessionQueue`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct DeleteGameSessionQueueInput {
    /// The queue: its name or ARN, required.
    pub name: Option<String>,
}

object_only!(DeleteGameSessionQueueInput, wire::DeleteQueueDef);

impl DeleteGameSessionQueueInput {
    /// Validates the request: the queue it names.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate_with(&self, _limits: &Limits) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        let name = check_name_or_arn(&mut v, self.name.as_deref());
        v.finish()?;
        Ok(name.unwrap_or_default())
    }
}

/// A request for queues (`DescribeGameSessionQueuesInput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct DescribeGameSessionQueuesInput {
    /// The queues, by name or ARN; all when absent.
    pub names: Option<Vec<String>>,
    /// The page size: at least 1.
    pub limit: Option<i32>,
    /// Where the page starts.
    pub next_token: Option<String>,
}

object_only!(DescribeGameSessionQueuesInput, wire::DescribeQueuesDef);

/// The answer to `DescribeGameSessionQueues`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribeGameSessionQueuesOutput<'a> {
    /// The queues of the page.
    pub game_session_queues: Vec<&'a GameSessionQueue>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl DescribeGameSessionQueuesInput {
    /// Validates the request and answers one page of `queues`; with
    /// `Names`, the queues of the list that exist, in pages of the list.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation, or a `NextToken`
    /// naming no queue.
    pub fn select<'a>(
        &self,
        queues: impl IntoIterator<Item = &'a GameSessionQueue>,
        limits: &Limits,
    ) -> Result<DescribeGameSessionQueuesOutput<'a>, GameLiftError> {
        let mut v = Validator::default();
        for (i, name) in self.names.iter().flatten().enumerate() {
            let path = FieldPath::Element {
                list: "names",
                index: i + 1,
            };
            v.length(path, name, 1, MAX_QUEUE_ARN, false);
            v.pattern(path, name, QUEUE_NAME_OR_ARN_PATTERN, is_queue_name_or_arn);
        }
        paging::check(&mut v, self.limit, self.next_token.as_deref(), limits);
        v.finish()?;
        let (page, next_token) = paging::page_of(
            queues,
            |q| q.name.as_deref(),
            |q| {
                self.names
                    .as_ref()
                    .is_none_or(|names| names.iter().any(|n| q.is_named_by(n)))
            },
            (self.limit, limits.default_describe_page_size),
            self.next_token.as_deref(),
        )?;
        Ok(DescribeGameSessionQueuesOutput {
            game_session_queues: page,
            next_token,
        })
    }
}

/// The serde twins of the shapes.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "GameSessionQueueDestination", rename_all = "PascalCase")]
    pub(super) struct DestinationDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        destination_arn: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "PlayerLatencyPolicy", rename_all = "PascalCase")]
    pub(super) struct PolicyDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maximum_individual_player_latency_milliseconds: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy_duration_seconds: Option<i32>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "GameSessionQueue", rename_all = "PascalCase")]
    pub(super) struct QueueDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_queue_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_in_seconds: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_latency_policies: Option<Vec<PlayerLatencyPolicy>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        destinations: Option<Vec<GameSessionQueueDestination>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notification_target: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        custom_event_data: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "CreateGameSessionQueueInput", rename_all = "PascalCase")]
    pub(super) struct CreateQueueDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_in_seconds: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_latency_policies: Option<Vec<PlayerLatencyPolicy>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        destinations: Option<Vec<GameSessionQueueDestination>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notification_target: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        custom_event_data: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "UpdateGameSessionQueueInput", rename_all = "PascalCase")]
    pub(super) struct UpdateQueueDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_in_seconds: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player_latency_policies: Option<Vec<PlayerLatencyPolicy>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        destinations: Option<Vec<GameSessionQueueDestination>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notification_target: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        custom_event_data: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "DeleteGameSessionQueueInput", rename_all = "PascalCase")]
    pub(super) struct DeleteQueueDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "DescribeGameSessionQueuesInput", rename_all = "PascalCase")]
    pub(super) struct DescribeQueuesDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        names: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }
}
