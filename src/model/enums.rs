//! The enumerations of the GameLift model that a game session carries.
//!
//! Each enum serializes as AWS's exact wire string and parses only those
//! strings. Requests carry enums as [`EnumValue`] so that a value outside the
//! set survives parsing and is reported by validation, as the service does.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod sealed {
    /// Only this crate's enums are wire enums: the trait may grow.
    pub trait Sealed {}
}

/// A closed AWS enumeration: its wire strings and the conversion between them.
///
/// Sealed: only the enums of this crate implement it.
pub trait WireEnum: sealed::Sealed + Copy + Sized + 'static {
    /// Every value, in the model's order.
    const ALL: &'static [Self];
    /// The wire strings of [`Self::ALL`], in the same order.
    const WIRE_NAMES: &'static [&'static str];

    /// The exact wire string of this value.
    fn as_str(self) -> &'static str;

    /// The value whose wire string is exactly `s` (case-sensitive).
    #[must_use]
    fn from_wire(s: &str) -> Option<Self> {
        Self::WIRE_NAMES
            .iter()
            .position(|name| *name == s)
            .map(|i| Self::ALL[i])
    }
}

/// The error of parsing an enum from a string outside its value set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{}' is not one of [{}]", crate::model::echo::Cut(value), expected.join(", "))]
pub struct UnknownEnumValue {
    /// The string that was given.
    pub value: String,
    /// The strings that would have been accepted.
    pub expected: &'static [&'static str],
}

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl sealed::Sealed for $name {}

        impl WireEnum for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            const WIRE_NAMES: &'static [&'static str] = &[$($wire),+];

            fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }
        }

        impl $name {
            /// The exact wire string of this value.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                WireEnum::as_str(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownEnumValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as WireEnum>::from_wire(s).ok_or_else(|| UnknownEnumValue {
                    value: s.to_owned(),
                    expected: <Self as WireEnum>::WIRE_NAMES,
                })
            }
        }

        #[cfg(feature = "proptest")]
        impl proptest::arbitrary::Arbitrary for $name {
            type Parameters = ();
            type Strategy = proptest::sample::Select<Self>;

            /// Every value of the set, uniformly.
            fn arbitrary_with((): ()) -> Self::Strategy {
                proptest::sample::select(<Self as WireEnum>::ALL)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

wire_enum! {
    /// Where a game session placement stands (`GameSessionPlacementState`).
    pub enum GameSessionPlacementState {
        /// Looking for room.
        Pending = "PENDING",
        /// Placed: the game session is made and its players seated.
        Fulfilled = "FULFILLED",
        /// Stopped before it was placed.
        Cancelled = "CANCELLED",
        /// No destination had room within the queue's timeout.
        TimedOut = "TIMED_OUT",
        /// It could not be placed.
        Failed = "FAILED",
    }
}

wire_enum! {
    /// Where a matchmaking ticket stands (`MatchmakingConfigurationStatus`).
    pub enum MatchmakingTicketStatus {
        /// The match was stopped, or a player rejected it or did not answer.
        Cancelled = "CANCELLED",
        /// Matched: with a game session through a queue, or on its own.
        Completed = "COMPLETED",
        /// It could not be placed.
        Failed = "FAILED",
        /// Matched, its game session being placed.
        Placing = "PLACING",
        /// Received, not yet searching.
        Queued = "QUEUED",
        /// Matched, waiting for every player to accept.
        RequiresAcceptance = "REQUIRES_ACCEPTANCE",
        /// Looking for a match.
        Searching = "SEARCHING",
        /// No match within the configuration's `RequestTimeoutSeconds`.
        TimedOut = "TIMED_OUT",
    }
}

wire_enum! {
    /// A player's answer to a proposed match (`AcceptanceType`).
    pub enum AcceptanceType {
        /// The player accepts.
        Accept = "ACCEPT",
        /// The player rejects.
        Reject = "REJECT",
    }
}

wire_enum! {
    /// How a configuration backfills (`BackfillMode`).
    pub enum BackfillMode {
        /// FlexMatch backfills on its own.
        Automatic = "AUTOMATIC",
        /// Backfill only by `StartMatchBackfill`.
        Manual = "MANUAL",
    }
}

wire_enum! {
    /// Whether matches get a game session (`FlexMatchMode`).
    pub enum FlexMatchMode {
        /// Matches only: no game session is made.
        Standalone = "STANDALONE",
        /// Each match is placed through the configuration's queue.
        WithQueue = "WITH_QUEUE",
    }
}

wire_enum! {
    /// How an alias routes (`RoutingStrategyType`).
    pub enum RoutingStrategyType {
        /// To one fleet.
        Simple = "SIMPLE",
        /// To no fleet: every request naming the alias fails with its message.
        Terminal = "TERMINAL",
    }
}

wire_enum! {
    /// The status of a game session (`GameSessionStatus`).
    pub enum GameSessionStatus {
        /// The session is running and can accept players and updates.
        Active = "ACTIVE",
        /// The session is being started by its game server process.
        Activating = "ACTIVATING",
        /// The session has ended; it can never change again.
        Terminated = "TERMINATED",
        /// The session is shutting down.
        Terminating = "TERMINATING",
        /// The session failed to start.
        Error = "ERROR",
    }
}

wire_enum! {
    /// Why a game session has its status (`GameSessionStatusReason`).
    pub enum GameSessionStatusReason {
        /// The process hosting the session was interrupted.
        Interrupted = "INTERRUPTED",
        /// The session was ended by `TerminateGameSession` in
        /// `TRIGGER_ON_PROCESS_TERMINATE` mode.
        TriggeredOnProcessTerminate = "TRIGGERED_ON_PROCESS_TERMINATE",
        /// The session was ended by `TerminateGameSession` in `FORCE_TERMINATE` mode.
        ForceTerminated = "FORCE_TERMINATED",
    }
}

wire_enum! {
    /// Whether a game session accepts new players (`PlayerSessionCreationPolicy`).
    pub enum PlayerSessionCreationPolicy {
        /// New player sessions may be created.
        AcceptAll = "ACCEPT_ALL",
        /// No new player session may be created.
        DenyAll = "DENY_ALL",
    }
}

wire_enum! {
    /// The status of a player session (`PlayerSessionStatus`).
    pub enum PlayerSessionStatus {
        /// The player has a slot; the game server has not accepted them yet.
        Reserved = "RESERVED",
        /// The game server accepted the player, who is connected.
        Active = "ACTIVE",
        /// The player left; the slot is free again.
        Completed = "COMPLETED",
        /// The game server did not accept the player in time; the slot is free again.
        Timedout = "TIMEDOUT",
    }
}

wire_enum! {
    /// Whether a game session may be terminated on scale-down (`ProtectionPolicy`).
    pub enum ProtectionPolicy {
        /// The session may be terminated during a scale-down event.
        NoProtection = "NoProtection",
        /// While ACTIVE, the session may not be terminated during a scale-down event.
        FullProtection = "FullProtection",
    }
}

wire_enum! {
    /// Whether a game session routes players through a gateway (`PlayerGatewayStatus`).
    pub enum PlayerGatewayStatus {
        /// Player gateway is not in use.
        Disabled = "DISABLED",
        /// Player gateway is in use.
        Enabled = "ENABLED",
    }
}

wire_enum! {
    /// How `TerminateGameSession` ends a session (`TerminationMode`).
    pub enum TerminationMode {
        /// Ask the game server to end the session through its normal
        /// shutdown (`OnProcessTerminate`): the session becomes TERMINATING.
        TriggerOnProcessTerminate = "TRIGGER_ON_PROCESS_TERMINATE",
        /// Stop the server process at once: the session becomes TERMINATED.
        ForceTerminate = "FORCE_TERMINATE",
    }
}

/// An enum member of a request as it arrived: a known value, or a string
/// outside the value set.
///
/// AWS reports a value outside the set as a validation error
/// (`Member must satisfy enum value set: [...]`), listed with every other
/// violation of the request, not as a parse failure. Holding the unknown
/// string until validation is what makes that possible. A JSON value that is
/// not a string at all is still a parse failure (`SerializationException`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EnumValue<T> {
    /// A value of the set.
    Known(T),
    /// A string outside the set, kept verbatim.
    Unknown(String),
}

impl<T: WireEnum> EnumValue<T> {
    /// The wire string, known or not.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            EnumValue::Known(value) => value.as_str(),
            EnumValue::Unknown(raw) => raw,
        }
    }

    /// The known value, or `None` for a string outside the set.
    #[must_use]
    pub fn known(&self) -> Option<T> {
        match self {
            EnumValue::Known(value) => Some(*value),
            EnumValue::Unknown(_) => None,
        }
    }
}

impl<T: WireEnum> From<T> for EnumValue<T> {
    fn from(value: T) -> Self {
        EnumValue::Known(value)
    }
}

impl<T: WireEnum> From<&str> for EnumValue<T> {
    fn from(s: &str) -> Self {
        T::from_wire(s).map_or_else(|| EnumValue::Unknown(s.to_owned()), EnumValue::Known)
    }
}

impl<T: WireEnum> fmt::Display for EnumValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<T: WireEnum> Serialize for EnumValue<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de, T: WireEnum> Deserialize<'de> for EnumValue<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(match T::from_wire(&s) {
            Some(value) => EnumValue::Known(value),
            None => EnumValue::Unknown(s),
        })
    }
}
