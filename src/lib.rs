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
//! # Where things are
//!
//! The root holds the dozen names an update needs; every other rule lives
//! in the module named for the resource it governs, with its decisions in
//! that module's docs:
//!
//! | module | what it holds |
//! |---|---|
//! | [`game_session`] | create, update, describe, activate and terminate a game session; [`SessionTable`] |
//! | [`player_session`] | players joining through the player limit and creation policy, reservations, describe |
//! | [`search`] | `SearchGameSessions`: filter and sort expressions, the index of searchable keys |
//! | [`fleet`] | fleets (declared, Anywhere, managed), locations, computes, capacity, aliases (`SIMPLE` or `TERMINAL`) |
//! | [`event`] | the EventBridge documents of matchmaking and placement changes, and SNS's HTTP delivery |
//! | [`game_server`] | the server SDK 5's side: frames, the handshake, a server process's life, what it does to its session |
//! | [`placement`] | game session queues, and placements through them |
//! | [`flexmatch`] | rule sets, configurations, tickets and the matcher |
//! | [`model`] | the shared vocabulary: shapes, wire enums, the error, limits, id patterns, validation |
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

pub mod event;
pub mod fleet;
pub mod flexmatch;
pub mod game_server;
pub mod game_session;
pub mod model;
pub mod placement;
pub mod player_session;
#[cfg(feature = "aws-sdk")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws-sdk")))]
pub mod sdk;
pub mod search;
#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub mod strategy;

pub use game_session::{
    Change, SessionTable, UpdateGameSessionInput, UpdateOutcome, Warning, update_game_session,
};
pub use model::{
    GameLiftError, GameProperty, GameSession, GameSessionDetail, GameSessionStatus, Limits,
};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
