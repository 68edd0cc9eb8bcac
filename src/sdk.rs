//! Conversions between this crate's shapes and the AWS SDK for Rust's
//! (`aws_sdk_gamelift`), behind the `aws-sdk` feature.
//!
//! Going to the SDK never fails. Coming from it fails cleanly, with
//! [`SdkConversionError`], where the SDK holds what this crate's shapes
//! cannot: an enum value outside the model (the SDK's `Unknown` variants),
//! a property without its key or value, a timestamp outside years -9999 to
//! 9999. An SDK `UpdateGameSessionInput` converts without fail: an unknown
//! enum value becomes [`EnumValue::Unknown`], which validation reports in
//! AWS's words.

use aws_sdk_gamelift::operation::update_game_session::UpdateGameSessionInput as SdkUpdateGameSessionInput;
use aws_sdk_gamelift::primitives::DateTime;
use aws_sdk_gamelift::types as sdk;
use time::OffsetDateTime;

use crate::game_session::request::UpdateGameSessionInput;
use crate::model::enums::{
    EnumValue, GameSessionStatus, GameSessionStatusReason, PlayerGatewayStatus,
    PlayerSessionCreationPolicy, ProtectionPolicy, TerminationMode, WireEnum,
};
use crate::model::shapes::GamePropertyInput;
use crate::model::shapes::{GameProperty, GameSession, GameSessionDetail};

/// An SDK value this crate's shapes cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SdkConversionError {
    /// An enum value outside the model this crate implements.
    #[error("{shape} value '{value}' is not one of [{}]", expected.join(", "))]
    UnknownEnumValue {
        /// The enum's shape name.
        shape: &'static str,
        /// The value the SDK held.
        value: String,
        /// The values this crate knows.
        expected: &'static [&'static str],
    },
    /// A game property without its key or its value, both required.
    #[error("a GameProperty has no {member}")]
    MissingMember {
        /// `Key` or `Value`.
        member: &'static str,
    },
    /// A timestamp outside the years -9999 to 9999.
    #[error("timestamp {seconds} s is outside the supported range (years -9999 to 9999)")]
    TimestampOutOfRange {
        /// Its seconds since the epoch.
        seconds: i64,
    },
}

macro_rules! sdk_enum {
    ($ours:ident, $theirs:ident) => {
        impl From<$ours> for sdk::$theirs {
            fn from(value: $ours) -> Self {
                sdk::$theirs::from(value.as_str())
            }
        }

        impl TryFrom<sdk::$theirs> for $ours {
            type Error = SdkConversionError;

            fn try_from(value: sdk::$theirs) -> Result<Self, SdkConversionError> {
                <$ours as WireEnum>::from_wire(value.as_str()).ok_or_else(|| {
                    SdkConversionError::UnknownEnumValue {
                        shape: stringify!($theirs),
                        value: value.as_str().to_owned(),
                        expected: <$ours as WireEnum>::WIRE_NAMES,
                    }
                })
            }
        }

        impl From<sdk::$theirs> for EnumValue<$ours> {
            fn from(value: sdk::$theirs) -> Self {
                EnumValue::from(value.as_str())
            }
        }
    };
}

sdk_enum!(GameSessionStatus, GameSessionStatus);
sdk_enum!(GameSessionStatusReason, GameSessionStatusReason);
sdk_enum!(PlayerSessionCreationPolicy, PlayerSessionCreationPolicy);
sdk_enum!(ProtectionPolicy, ProtectionPolicy);
sdk_enum!(PlayerGatewayStatus, PlayerGatewayStatus);
sdk_enum!(TerminationMode, TerminationMode);

fn to_sdk_time(t: OffsetDateTime) -> DateTime {
    let nanos = t.unix_timestamp_nanos();
    // `time` holds years -9999 to 9999, well inside i64 seconds.
    let seconds = nanos.div_euclid(1_000_000_000) as i64;
    let subsec = nanos.rem_euclid(1_000_000_000) as u32;
    DateTime::from_secs_and_nanos(seconds, subsec)
}

fn from_sdk_time(t: DateTime) -> Result<OffsetDateTime, SdkConversionError> {
    let nanos = i128::from(t.secs()) * 1_000_000_000 + i128::from(t.subsec_nanos());
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map_err(|_| SdkConversionError::TimestampOutOfRange { seconds: t.secs() })
}

fn convert<A, B: TryFrom<A>>(value: Option<A>) -> Result<Option<B>, B::Error> {
    value.map(B::try_from).transpose()
}

impl From<GameProperty> for sdk::GameProperty {
    fn from(p: GameProperty) -> Self {
        sdk::GameProperty::builder()
            .key(p.key)
            .value(p.value)
            .build()
    }
}

impl TryFrom<sdk::GameProperty> for GameProperty {
    type Error = SdkConversionError;

    fn try_from(p: sdk::GameProperty) -> Result<Self, Self::Error> {
        let key = p
            .key
            .ok_or(SdkConversionError::MissingMember { member: "Key" })?;
        let value = p
            .value
            .ok_or(SdkConversionError::MissingMember { member: "Value" })?;
        Ok(GameProperty { key, value })
    }
}

impl From<sdk::GameProperty> for GamePropertyInput {
    fn from(p: sdk::GameProperty) -> Self {
        GamePropertyInput {
            key: p.key,
            value: p.value,
        }
    }
}

impl From<GameSession> for sdk::GameSession {
    fn from(s: GameSession) -> Self {
        sdk::GameSession::builder()
            .set_game_session_id(s.game_session_id)
            .set_name(s.name)
            .set_fleet_id(s.fleet_id)
            .set_fleet_arn(s.fleet_arn)
            .set_creation_time(s.creation_time.map(to_sdk_time))
            .set_termination_time(s.termination_time.map(to_sdk_time))
            .set_current_player_session_count(s.current_player_session_count)
            .set_maximum_player_session_count(s.maximum_player_session_count)
            .set_status(s.status.map(Into::into))
            .set_status_reason(s.status_reason.map(Into::into))
            .set_game_properties(
                s.game_properties
                    .map(|ps| ps.into_iter().map(Into::into).collect()),
            )
            .set_ip_address(s.ip_address)
            .set_dns_name(s.dns_name)
            .set_port(s.port)
            .set_player_session_creation_policy(s.player_session_creation_policy.map(Into::into))
            .set_creator_id(s.creator_id)
            .set_game_session_data(s.game_session_data)
            .set_matchmaker_data(s.matchmaker_data)
            .set_location(s.location)
            .set_compute_name(s.compute_name)
            .set_player_gateway_status(s.player_gateway_status.map(Into::into))
            .build()
    }
}

impl TryFrom<sdk::GameSession> for GameSession {
    type Error = SdkConversionError;

    fn try_from(s: sdk::GameSession) -> Result<Self, Self::Error> {
        Ok(GameSession {
            game_session_id: s.game_session_id,
            name: s.name,
            fleet_id: s.fleet_id,
            fleet_arn: s.fleet_arn,
            creation_time: s.creation_time.map(from_sdk_time).transpose()?,
            termination_time: s.termination_time.map(from_sdk_time).transpose()?,
            current_player_session_count: s.current_player_session_count,
            maximum_player_session_count: s.maximum_player_session_count,
            status: convert(s.status)?,
            status_reason: convert(s.status_reason)?,
            game_properties: s
                .game_properties
                .map(|ps| ps.into_iter().map(GameProperty::try_from).collect())
                .transpose()?,
            ip_address: s.ip_address,
            dns_name: s.dns_name,
            port: s.port,
            player_session_creation_policy: convert(s.player_session_creation_policy)?,
            creator_id: s.creator_id,
            game_session_data: s.game_session_data,
            matchmaker_data: s.matchmaker_data,
            location: s.location,
            compute_name: s.compute_name,
            player_gateway_status: convert(s.player_gateway_status)?,
        })
    }
}

impl From<GameSessionDetail> for sdk::GameSessionDetail {
    fn from(d: GameSessionDetail) -> Self {
        sdk::GameSessionDetail::builder()
            .set_game_session(d.game_session.map(Into::into))
            .set_protection_policy(d.protection_policy.map(Into::into))
            .build()
    }
}

impl TryFrom<sdk::GameSessionDetail> for GameSessionDetail {
    type Error = SdkConversionError;

    fn try_from(d: sdk::GameSessionDetail) -> Result<Self, Self::Error> {
        Ok(GameSessionDetail {
            game_session: convert(d.game_session)?,
            protection_policy: convert(d.protection_policy)?,
        })
    }
}

impl From<SdkUpdateGameSessionInput> for UpdateGameSessionInput {
    fn from(i: SdkUpdateGameSessionInput) -> Self {
        UpdateGameSessionInput {
            game_session_id: i.game_session_id,
            maximum_player_session_count: i.maximum_player_session_count,
            name: i.name,
            player_session_creation_policy: i.player_session_creation_policy.map(Into::into),
            protection_policy: i.protection_policy.map(Into::into),
            game_properties: i
                .game_properties
                .map(|ps| ps.into_iter().map(Into::into).collect()),
        }
    }
}
