//! `DescribeGameSessions` and `DescribeGameSessionDetails`: which sessions a
//! request selects, a page at a time.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::model::enums::GameSessionStatus;
use crate::model::error::GameLiftError;
use crate::model::ids::fleet_id_of;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::paging;
use crate::model::shapes::{GameSession, GameSessionDetail};
use crate::model::validate::{FieldPath, Validator};

/// A request to list game sessions (`DescribeGameSessionsInput`, and
/// `DescribeGameSessionDetailsInput`, which has the same members).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct DescribeGameSessionsInput {
    /// Sessions on this fleet (id or ARN).
    pub fleet_id: Option<String>,
    /// The one session with this id.
    pub game_session_id: Option<String>,
    /// Sessions on the fleet this alias points to.
    pub alias_id: Option<String>,
    /// Only sessions in this location.
    pub location: Option<String>,
    /// Only sessions in this status (`ACTIVE`, `TERMINATED`, ...).
    pub status_filter: Option<String>,
    /// Most sessions in one page: at least 1.
    pub limit: Option<i32>,
    /// Where the previous page ended.
    pub next_token: Option<String>,
}

object_only!(
    DescribeGameSessionsInput,
    wire::DescribeGameSessionsInputDef
);

/// `DescribeGameSessionDetailsInput`: the same members as [`DescribeGameSessionsInput`].
pub type DescribeGameSessionDetailsInput = DescribeGameSessionsInput;

impl DescribeGameSessionsInput {
    /// The request for the one session `game_session_id`.
    #[must_use]
    pub fn for_game_session(game_session_id: impl Into<String>) -> Self {
        DescribeGameSessionsInput {
            game_session_id: Some(game_session_id.into()),
            ..DescribeGameSessionsInput::default()
        }
    }

    /// The request for every session on `fleet_id`.
    #[must_use]
    pub fn for_fleet(fleet_id: impl Into<String>) -> Self {
        DescribeGameSessionsInput {
            fleet_id: Some(fleet_id.into()),
            ..DescribeGameSessionsInput::default()
        }
    }

    /// Validates this request under AWS's limits.
    ///
    /// # Errors
    ///
    /// As [`DescribeGameSessionsInput::validate_with`].
    pub fn validate(&self) -> Result<ValidatedDescribe<'_>, GameLiftError> {
        self.validate_with(&Limits::AWS)
    }

    /// Validates this request against the model and `limits`.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for every violation, for a request that
    /// names no fleet, alias or session, and for an unknown `StatusFilter`.
    pub fn validate_with(&self, limits: &Limits) -> Result<ValidatedDescribe<'_>, GameLiftError> {
        let status = self.check(limits)?;
        Ok(ValidatedDescribe {
            input: self,
            status,
            page_size: limits.default_describe_page_size,
        })
    }

    fn check(&self, limits: &Limits) -> Result<Option<GameSessionStatus>, GameLiftError> {
        let mut v = Validator::default();
        let member = FieldPath::Member;
        if let Some(fleet) = self.fleet_id.as_deref() {
            v.fleet_id_or_arn(member("fleetId"), fleet, limits);
        }
        if let Some(id) = self.game_session_id.as_deref() {
            v.arn_string(member("gameSessionId"), id, limits);
        }
        if let Some(alias) = self.alias_id.as_deref() {
            v.alias_id_or_arn(member("aliasId"), alias, limits);
        }
        if let Some(location) = self.location.as_deref() {
            v.location(member("location"), location, limits);
        }
        if let Some(status) = self.status_filter.as_deref() {
            v.non_zero_and_max_string(
                member("statusFilter"),
                status,
                limits.max_status_filter_length,
            );
        }
        if let Some(limit) = self.limit {
            v.min_value(member("limit"), i64::from(limit), 1);
        }
        if let Some(token) = self.next_token.as_deref() {
            v.non_zero_and_max_string(member("nextToken"), token, limits.max_next_token_length);
        }
        v.finish()?;
        if self.fleet_id.is_none() && self.game_session_id.is_none() && self.alias_id.is_none() {
            return Err(GameLiftError::InvalidRequest {
                message: "Specify a FleetId, an AliasId or a GameSessionId".to_owned(),
            });
        }
        self.status_filter
            .as_deref()
            .map(|s| {
                s.parse::<GameSessionStatus>()
                    .map_err(|e| GameLiftError::InvalidRequest {
                        message: format!("StatusFilter {e}"),
                    })
            })
            .transpose()
    }

    /// Whether `detail` is one this request selects (ignoring paging).
    /// An alias is resolved by the caller, which passes its fleet.
    fn selects(
        &self,
        detail: &GameSessionDetail,
        status: Option<GameSessionStatus>,
        alias_fleet: Option<&str>,
    ) -> bool {
        let Some(s) = detail.game_session.as_ref() else {
            return false;
        };
        let fleet = self.fleet_id.as_deref().map(fleet_id_of).or(alias_fleet);
        fleet.is_none_or(|f| s.fleet_id.as_deref() == Some(f))
            && self
                .game_session_id
                .as_deref()
                .is_none_or(|id| s.game_session_id.as_deref() == Some(id))
            && self
                .location
                .as_deref()
                .is_none_or(|l| s.location.as_deref() == Some(l))
            && status.is_none_or(|st| s.status == Some(st))
    }
}

/// One page of a describe: the selected sessions, and where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Page<'s> {
    /// The sessions of this page, in the order they were given.
    pub details: Vec<&'s GameSessionDetail>,
    /// The token for the next page; `None` on the last page.
    pub next_token: Option<String>,
}

impl<'s> Page<'s> {
    /// The `DescribeGameSessions` response.
    #[must_use]
    pub fn game_sessions_output(&self) -> DescribeGameSessionsOutput<'s> {
        DescribeGameSessionsOutput {
            game_sessions: Some(
                self.details
                    .iter()
                    .filter_map(|d| d.game_session.as_ref().map(Cow::Borrowed))
                    .collect(),
            ),
            next_token: self.next_token.clone(),
        }
    }

    /// The `DescribeGameSessionDetails` response.
    #[must_use]
    pub fn details_output(&self) -> DescribeGameSessionDetailsOutput<'s> {
        DescribeGameSessionDetailsOutput {
            game_session_details: Some(self.details.iter().map(|d| Cow::Borrowed(*d)).collect()),
            next_token: self.next_token.clone(),
        }
    }
}

/// Selects the sessions `input` asks for from `sessions`, one page.
///
/// `alias_fleet` is the fleet the request's `AliasId` resolves to, which
/// only the caller knows.
///
/// # Errors
///
/// `InvalidRequestException` for an invalid request (every violation), one
/// that names no fleet, alias or session, an unknown `StatusFilter` or a
/// `NextToken` this function did not issue; `NotFoundException` when the
/// request names a `GameSessionId` no session has.
pub fn describe_game_sessions<'s>(
    input: &DescribeGameSessionsInput,
    sessions: impl IntoIterator<Item = &'s GameSessionDetail>,
    alias_fleet: Option<&str>,
) -> Result<Page<'s>, GameLiftError> {
    input.validate()?.select(sessions, alias_fleet)
}

/// A describe request that passed validation (under some [`Limits`]).
#[derive(Debug, Clone, Copy)]
pub struct ValidatedDescribe<'a> {
    input: &'a DescribeGameSessionsInput,
    status: Option<GameSessionStatus>,
    page_size: usize,
}

impl ValidatedDescribe<'_> {
    /// Selects one page of the sessions the request asks for; see
    /// [`describe_game_sessions`].
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for a `NextToken` this crate did not
    /// issue; `NotFoundException` when the request names a `GameSessionId`
    /// no session has.
    pub fn select<'s>(
        &self,
        sessions: impl IntoIterator<Item = &'s GameSessionDetail>,
        alias_fleet: Option<&str>,
    ) -> Result<Page<'s>, GameLiftError> {
        let (input, status) = (self.input, self.status);
        let items = sessions.into_iter().map(|d| {
            let id = d
                .game_session
                .as_ref()
                .and_then(|s| s.game_session_id.as_deref());
            (id, input.selects(d, status, alias_fleet).then_some(d))
        });
        let size = paging::size(input.limit, self.page_size);
        let (details, next_token) = paging::page_after(items, input.next_token.as_deref(), size)?;
        if let Some(id) = input.game_session_id.as_deref()
            && details.is_empty()
            && input.next_token.is_none()
        {
            return Err(GameLiftError::game_session_not_found(id));
        }
        Ok(Page {
            details,
            next_token,
        })
    }
}

/// The answer to `DescribeGameSessions` (`DescribeGameSessionsOutput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribeGameSessionsOutput<'a> {
    /// The sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game_sessions: Option<Vec<Cow<'a, GameSession>>>,
    /// The token for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The answer to `DescribeGameSessionDetails` (`DescribeGameSessionDetailsOutput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribeGameSessionDetailsOutput<'a> {
    /// The sessions with their protection policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game_session_details: Option<Vec<Cow<'a, GameSessionDetail>>>,
    /// The token for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The wire form of each shape, derived on a private twin (`#[serde(remote)]`),
/// so the public types carry no inherent `serialize` or `deserialize` that
/// would bypass the object-only rule. A member missing here does not compile.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "DescribeGameSessionsInput", rename_all = "PascalCase")]
    pub(super) struct DescribeGameSessionsInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alias_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status_filter: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }
}
