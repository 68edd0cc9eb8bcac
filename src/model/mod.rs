//! The vocabulary every operation shares: the state shapes
//! ([`GameSession`], [`GameSessionDetail`], [`GameProperty`]), the wire
//! enums, the one error type, the limits, the id patterns, and validation
//! in AWS's words.
//!
//! Nothing here belongs to one resource; the resource modules
//! ([`game_session`](crate::game_session), [`player_session`](crate::player_session),
//! [`search`](crate::search), [`fleet`](crate::fleet),
//! [`placement`](crate::placement), [`flexmatch`](crate::flexmatch)) build
//! on it, and it imports none of them.
//!
//! | file | what it holds |
//! |---|---|
//! | `shapes.rs` | `GameSession`, `GameSessionDetail`, `GameProperty`, `GamePropertyInput` |
//! | `enums.rs` | every wire enum, and [`EnumValue`] for a value outside its set |
//! | `error.rs` | [`GameLiftError`], its codes, statuses and wire body |
//! | `limits.rs` | [`Limits`]: every number of the model, as data |
//! | `ids.rs` | the id patterns and their matchers, [`fleet_id_of`] |
//! | `validate.rs` | [`Constraint`], [`Violation`], [`ValidationErrors`] |
//! | `echo.rs` | how a message shows a request's value ([`Echo`]) |
//! | `paging.rs` | `Limit` and `NextToken` for every describe |
//! | `timestamp.rs` | epoch seconds on the wire, tag 1 in CBOR |

pub(crate) mod echo;
pub(crate) mod enums;
pub(crate) mod error;
pub(crate) mod ids;
pub(crate) mod limits;
pub(crate) mod object;
pub(crate) mod paging;
pub(crate) mod shapes;
pub(crate) mod timestamp;
pub(crate) mod validate;

pub use echo::{ECHO_LIMIT, Echo};
pub use enums::{
    AcceptanceType, BackfillMode, EnumValue, FlexMatchMode, GameSessionPlacementState,
    GameSessionStatus, GameSessionStatusReason, MatchmakingTicketStatus, PlayerGatewayStatus,
    PlayerSessionCreationPolicy, PlayerSessionStatus, ProtectionPolicy, RoutingStrategyType,
    TerminationMode, UnknownEnumValue, WireEnum,
};
pub use error::{ErrorBody, GameLiftError, SessionAction};
pub use ids::{
    ALIAS_ID_OR_ARN_PATTERN, FLEET_ID_OR_ARN_PATTERN, GAME_SESSION_ID_PATTERN, ID_STRING_PATTERN,
    LOCATION_PATTERN, PLAYER_SESSION_ID_PATTERN, fleet_id_of,
};
pub use limits::Limits;
pub use shapes::{
    GameProperty, GamePropertyInput, GameSession, GameSessionDetail, REDACTED, is_searchable_key,
};
pub use validate::{
    Constraint, FieldPath, KEPT_VIOLATIONS, MAX_MESSAGE_BYTES, ValidationErrors, Violation,
};
