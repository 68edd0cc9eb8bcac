//! A faithful, side-effect-free core of Amazon GameLift's `UpdateGameSession`.
//!
//! Give it a game session and an update request; it validates the request
//! against the AWS service model, applies it exactly as the service defines
//! it, and returns the new state, what changed and what to warn about, or
//! the exact AWS error with the session untouched. Its serde shapes are the
//! AWS wire format, so an emulator built on it answers real AWS clients:
//! with `serde_json` they are AWS JSON 1.1, and with a CBOR serde library
//! (ciborium) Smithy RPC v2 CBOR, timestamps in tag 1 included.
//!
//! The rules, in the order they run (SPEC section 4):
//!
//! 1. The request is validated against the model, and *every* violation is
//!    reported in one `InvalidRequestException`, in AWS's words.
//! 2. The session must be the one the request names (`NotFoundException`).
//! 3. Only `ACTIVE` sessions can be updated (`InvalidGameSessionStatusException`).
//! 4. Game properties merge by key: existing keys keep their place, new keys
//!    are appended, nothing is ever deleted. A key named twice takes its last
//!    value. A merge past the property limit is rejected.
//! 5. The other members present are applied. A player limit below the
//!    number of players connected is accepted with a warning.
//! 6. Keys containing a period are flagged: GameLift cannot search on them.
//! 7. The outcome lists each change; on any error nothing changed.
//!
//! # Example
//!
//! ```
//! use gamelift_session::{update_game_session, GameLiftError, GameProperty, GameSession,
//!     GameSessionDetail, GameSessionStatus, UpdateGameSessionInput, Warning};
//!
//! let id = "arn:aws:gamelift:us-west-2::gamesession/fleet-2a1b/gs-42";
//! let mut session = GameSession::default();
//! session.game_session_id = Some(id.to_owned());
//! session.name = Some("Friday night".to_owned());
//! session.status = Some(GameSessionStatus::Active);
//! session.current_player_session_count = Some(6);
//! session.game_properties = Some(vec![GameProperty::new("difficulty", "novice")]);
//! let detail = GameSessionDetail::new(session, None);
//!
//! // A successful update: one property changed, one added, a lower limit.
//! let input = UpdateGameSessionInput::new(id)
//!     .maximum_player_session_count(4)
//!     .game_property("difficulty", "expert")
//!     .game_property("map.name", "harbor");
//! let outcome = update_game_session(&detail, &input)?;
//! let new = outcome.detail().game_session.as_ref().expect("an updated session");
//! assert_eq!(new.game_property("difficulty"), Some("expert"));
//! assert_eq!(new.game_property("map.name"), Some("harbor"));
//! assert_eq!(outcome.changes().len(), 3);
//! assert_eq!(outcome.warnings()[1], Warning::UnsearchableKey { key: "map.name".into() });
//!
//! // A rejected update: every violation, AWS's code and message, nothing changed.
//! let bad = UpdateGameSessionInput::new(id).name("").game_property("k", "v".repeat(97));
//! let err: GameLiftError = update_game_session(&detail, &bad).unwrap_err();
//! assert_eq!(err.code(), "InvalidRequestException");
//! assert_eq!(
//!     err.to_string(),
//!     "2 validation errors detected: \
//!      Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; \
//!      Value at 'gameProperties.1.member.value' failed to satisfy constraint: \
//!      Member must have length less than or equal to 96"
//! );
//! # Ok::<(), GameLiftError>(())
//! ```
//!
//! # Decisions where AWS documents nothing
//!
//! - Applying a request to a session with another id is `NotFoundException`.
//! - Only `ACTIVE` sessions can be updated, even by an update that changes nothing.
//! - A key named twice in one request: the last value wins, with a
//!   [`Warning::DuplicateKey`]; the key takes the place of its first mention.
//! - A merge that would add keys past the limit is `InvalidRequestException`.
//! - A player limit below the players connected is accepted with a
//!   [`Warning::OverCapacity`].
//! - Sensitive values are never echoed in messages (`Value at '...'`); echoed
//!   values are cut to 256 characters and marked `...`.
//! - Limits are data ([`Limits`]); the defaults are AWS's.
//!
//! # The rest of a session's life
//!
//! An emulator needs more than the update, so the crate also holds, as pure
//! functions to the same standard: [`create_game_session`] (validating
//! `CreateGameSessionInput` and building the ARN from what the caller
//! knows), the game server's status changes ([`transition`]: ACTIVATING ->
//! ACTIVE or ERROR, ACTIVE -> TERMINATING -> TERMINATED; and
//! [`activate_game_session`], which gives the session the [`Connection`]
//! players use),
//! [`terminate_game_session`] in both modes, [`check_player_join`],
//! [`may_terminate_on_scale_down`] and [`describe_game_sessions`]; and the
//! player sessions through which the player limit and the creation policy
//! take effect: [`Joins::admit`] (from a validated
//! [`CreatePlayerSessionInput`] or [`CreatePlayerSessionsInput`]),
//! [`change_player_session`], [`expire_reservations`],
//! [`end_player_sessions`] and [`DescribePlayerSessionsInput::select`];
//! and the search that reads what updates write, [`search_game_sessions`]:
//! filter and sort expressions parsed into [`FilterExpression`] and
//! [`SortExpression`], over the properties a [`SearchIndex`] holds (no key
//! containing a period, only the first 500 keys); and [`SessionTable`],
//! sessions kept beside compact rows of what searches read, changed only
//! through [`SessionTable::modify`] so that every change reaches the
//! search, searched by [`SessionTable::search`] or, outside the embedder's
//! lock, by a [`PreparedSearch`].
//! Where most backends start, FlexMatch ([`flexmatch`], whose docs list
//! every rule and decision): [`RuleSet`]s, the matcher [`find_match`],
//! and tickets ([`StartMatchmakingInput::start`], [`advance_matchmaking`],
//! [`accept_match`], [`stop_matchmaking`]).
//! Around the sessions: [`Alias`]es ([`CreateAliasInput::create`],
//! [`resolve_alias`]: `SIMPLE` to a fleet, `TERMINAL` to
//! `TerminalRoutingStrategyException`), fleets ([`FleetAttributes`],
//! [`check_fleet_capacity`]), queues ([`GameSessionQueue`]) and
//! placements through them ([`StartGameSessionPlacementInput::start`],
//! [`GameSessionPlacement`]: `PENDING`, then `FULFILLED`, `TIMED_OUT` or
//! `CANCELLED`).
//! Decisions there: any session but an ERROR or TERMINATED one can be
//! terminated; a session that denies new players answers
//! `GameSessionFullException`; a repeated property in a create takes its
//! last value, as in an update.
//!
//! # Features
//!
//! - `aws-sdk` (off by default): conversions between this crate's shapes and
//!   the AWS SDK for Rust's (`aws_sdk_gamelift::types`), and from its
//!   `UpdateGameSessionInput`; its `SdkConversionError` says what cannot
//!   convert.
//! - `proptest` (off by default): `strategy`, with strategies for sessions
//!   in a given status and for valid and invalid update requests relative
//!   to a session and its limits, and `Arbitrary` for every wire enum, so
//!   that an embedder can check its own store against the crate.
//!
//! Without them the crate depends on serde, thiserror and time only.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod alias;
mod connection;
mod create;
mod describe;
mod enums;
mod error;
mod fleet;
pub mod flexmatch;
mod lifecycle;
mod limits;
mod object;
mod paging;
mod placement;
mod player_session;
mod queue;
mod request;
#[cfg(feature = "aws-sdk")]
mod sdk;
mod search;
mod shapes;
#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub mod strategy;
mod table;
mod timestamp;
mod update;
mod validate;

pub use alias::{
    Alias, AliasContext, AliasIdInput, CreateAliasInput, ListAliasesInput, ListAliasesOutput,
    MAX_ALIAS_TEXT, MAX_ROUTING_FLEET_ID, NON_BLANK_PATTERN, ROUTING_FLEET_ID_PATTERN,
    RoutingStrategy, UpdateAliasInput, find_alias, resolve_alias,
};
pub use connection::{Connection, MAX_PORT, activate_game_session, ec2_dns_name, holds_port};
pub use create::{
    CreateContext, CreateGameSessionInput, ValidatedCreate, create_game_session, fleet_id_of,
    game_session_arn, replay_create_game_session,
};
pub use describe::{
    DescribeGameSessionDetailsInput, DescribeGameSessionDetailsOutput, DescribeGameSessionsInput,
    DescribeGameSessionsOutput, Page, ValidatedDescribe, describe_game_sessions,
};
pub use enums::{
    AcceptanceType, BackfillMode, EnumValue, FlexMatchMode, GameSessionPlacementState,
    GameSessionStatus, GameSessionStatusReason, MatchmakingTicketStatus, PlayerGatewayStatus,
    PlayerSessionCreationPolicy, PlayerSessionStatus, ProtectionPolicy, RoutingStrategyType,
    TerminationMode, UnknownEnumValue, WireEnum,
};
pub use error::{ErrorBody, GameLiftError, SessionAction};
pub use fleet::{
    DescribeFleetAttributesInput, DescribeFleetAttributesOutput, FleetAttributes, ListFleetsInput,
    ListFleetsOutput, MAX_FLEET_IDS, check_fleet_capacity,
};
pub use flexmatch::{
    AcceptMatchInput, AttributeValue, Candidate, CreateMatchmakingRuleSetInput,
    DescribeMatchmakingConfigurationsInput, DescribeMatchmakingConfigurationsOutput,
    DescribeMatchmakingInput, DescribeMatchmakingOutput, DescribeMatchmakingRuleSetsInput,
    DescribeMatchmakingRuleSetsOutput, GameSessionConnectionInfo, LEAF_STEPS,
    MAX_ACCEPTANCE_TIMEOUT_SECONDS, MAX_BATCH, MAX_MATCH_PLAYERS, MAX_MATCHMAKING_NAME,
    MAX_REQUEST_TIMEOUT_SECONDS, MAX_RULE_SET_BODY, MAX_STEPS, MAX_TICKET_PLAYERS,
    MatchedPlayerSession, MatchmakingConfiguration, MatchmakingConfigurationInput,
    MatchmakingNameInput, MatchmakingRuleSet, MatchmakingTicket, Player, ProposedMatch, RuleSet,
    RuleSetError, StartMatchBackfillInput, StartMatchmakingInput, Ticket, TicketIdInput,
    accept_match, advance_matchmaking, complete_match, configuration_not_found, fail_match,
    find_match, invalid_rule_set, is_valid_match, rule_set_not_found, stop_matchmaking,
    ticket_not_found,
};
pub use lifecycle::{
    TerminateGameSessionInput, Transition, ValidatedTerminate, check_player_join,
    may_terminate_on_scale_down, terminate_game_session, transition,
};
pub use limits::Limits;
pub use placement::{
    DesiredPlayerSession, GameSessionPlacement, MAX_DESIRED_PLAYER_DATA,
    MAX_DESIRED_PLAYER_SESSIONS, PlacedPlayerSession, PlacementIdInput, PlayerLatency,
    StartGameSessionPlacementInput, placement_not_found,
};
pub use player_session::{
    CreatePlayerSessionInput, CreatePlayerSessionOutput, CreatePlayerSessionsInput,
    CreatePlayerSessionsOutput, DescribePlayerSessionsInput, DescribePlayerSessionsOutput, Joins,
    PlayerSession, PlayerSessionChange, change_player_session, end_player_sessions,
    expire_reservations, reservations_run_out,
};
pub use queue::{
    CreateGameSessionQueueInput, DEFAULT_QUEUE_TIMEOUT_SECONDS, DESTINATION_ARN_PATTERN,
    DeleteGameSessionQueueInput, DescribeGameSessionQueuesInput, DescribeGameSessionQueuesOutput,
    Destination, GameSessionQueue, GameSessionQueueDestination, MAX_QUEUE_ARN, MAX_QUEUE_NAME,
    PlayerLatencyPolicy, QUEUE_NAME_OR_ARN_PATTERN, QUEUE_NAME_PATTERN,
    UpdateGameSessionQueueInput, queue_name_of, queue_not_found,
};
pub use request::{
    CreateGameSessionOutput, GamePropertyInput, GameSessionOutput, TerminateGameSessionOutput,
    UpdateGameSessionInput, UpdateGameSessionOutput,
};
#[cfg(feature = "aws-sdk")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws-sdk")))]
pub use sdk::SdkConversionError;
pub use search::{
    Comparator, Condition, Expected, ExpressionError, ExpressionKind, FilterExpression, Found,
    MAX_CONDITIONS, MAX_NESTING, Operand, OperandType, PropertyKey, SearchGameSessionsInput,
    SearchGameSessionsOutput, SearchIndex, SortExpression, SortOrder, ValidatedSearch, Value,
    search_game_sessions,
};
pub use shapes::{GameProperty, GameSession, GameSessionDetail, REDACTED, is_searchable_key};
pub use table::{PreparedSearch, SessionTable};
pub use update::{
    Change, UpdateOutcome, UpdateReport, ValidatedUpdate, Warning, update_game_session,
    update_game_session_in_place,
};
pub use validate::{
    ALIAS_ID_OR_ARN_PATTERN, Constraint, ECHO_LIMIT, Echo, FLEET_ID_OR_ARN_PATTERN, FieldPath,
    GAME_SESSION_ID_PATTERN, ID_STRING_PATTERN, KEPT_VIOLATIONS, LOCATION_PATTERN,
    MAX_MESSAGE_BYTES, PLAYER_SESSION_ID_PATTERN, ValidationErrors, Violation,
};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
