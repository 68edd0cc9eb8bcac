//! Fleets as a stand-in knows them: their attributes (`DescribeFleetAttributes`,
//! `ListFleets`) and the room they have for game sessions.
//!
//! The rules (decisions marked):
//!
//! - A fleet hosts at most its capacity of live game sessions (ACTIVATING,
//!   ACTIVE or TERMINATING); a create past it is
//!   `FleetCapacityExceededException`. **Decision**: the capacity is a
//!   number of game sessions, what a fleet's instances and their server
//!   processes come to; a fleet with no capacity set has no limit.
//! - `DescribeFleetAttributes` with `FleetIds` answers the fleets of the list
//!   that exist, in the list's order, and ignores `Limit` and `NextToken`;
//!   without, every fleet, in pages. `ListFleets` lists the fleet ids.
//!   Fleets are listed in the order the caller gives them.

use serde::Serialize;
use time::OffsetDateTime;

use crate::model::echo::Cut;
use crate::model::enums::GameSessionStatus;
use crate::model::error::GameLiftError;
use crate::model::ids::fleet_id_of;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::paging;
use crate::model::shapes::GameSession;
use crate::model::validate::{FieldPath, Validator};

/// A fleet's attributes (`FleetAttributes`), as far as a stand-in has them:
/// an `ON_DEMAND` fleet that is `ACTIVE`, `EC2` or `ANYWHERE`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FleetAttributes {
    /// Its id: `fleet-...`.
    pub fleet_id: String,
    /// Its ARN.
    pub fleet_arn: String,
    /// `ON_DEMAND`.
    pub fleet_type: &'static str,
    /// `EC2` or `ANYWHERE`.
    pub compute_type: &'static str,
    /// Its name: the id, for a fleet a stand-in did not create.
    pub name: String,
    /// What it is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The role its processes may assume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_role_arn: Option<String>,
    /// `ACTIVE`.
    pub status: &'static str,
    /// When it came to be.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::model::timestamp::option::serialize"
    )]
    pub creation_time: Option<OffsetDateTime>,
}

impl FleetAttributes {
    /// The attributes of the fleet `fleet_id` of `region` and `account_id`,
    /// there since `creation_time`.
    #[must_use]
    pub fn new(
        fleet_id: &str,
        region: &str,
        account_id: &str,
        creation_time: OffsetDateTime,
    ) -> Self {
        FleetAttributes {
            fleet_id: fleet_id.to_owned(),
            fleet_arn: format!("arn:aws:gamelift:{region}:{account_id}:fleet/{fleet_id}"),
            fleet_type: "ON_DEMAND",
            compute_type: "EC2",
            name: fleet_id.to_owned(),
            description: None,
            instance_role_arn: None,
            status: "ACTIVE",
            creation_time: Some(creation_time),
        }
    }
}

/// Whether the fleet `fleet_id`, of `capacity` game sessions, has room for
/// one more among `sessions`.
///
/// # Errors
///
/// `FleetCapacityExceededException` when its live sessions fill it.
///
/// ```
/// use gamelift_session::{GameSession, GameSessionStatus, fleet::check_fleet_capacity};
///
/// let mut live = GameSession::default();
/// live.fleet_id = Some("fleet-1".into());
/// live.status = Some(GameSessionStatus::Active);
/// let mut ended = live.clone();
/// ended.status = Some(GameSessionStatus::Terminated);
/// assert!(check_fleet_capacity([&live, &ended], "fleet-1", 2).is_ok());
/// let err = check_fleet_capacity([&live, &ended], "fleet-1", 1).unwrap_err();
/// assert_eq!(err.code(), "FleetCapacityExceededException");
/// assert_eq!(err.to_string(), "Fleet fleet-1 has no room for a new game session: 1 of 1 are live");
/// ```
pub fn check_fleet_capacity<'s>(
    sessions: impl IntoIterator<Item = &'s GameSession>,
    fleet_id: &str,
    capacity: usize,
) -> Result<(), GameLiftError> {
    let fleet_id = fleet_id_of(fleet_id);
    let live = sessions
        .into_iter()
        .filter(|s| {
            s.fleet_id.as_deref() == Some(fleet_id)
                && matches!(
                    s.status,
                    Some(
                        GameSessionStatus::Activating
                            | GameSessionStatus::Active
                            | GameSessionStatus::Terminating
                    )
                )
        })
        .count();
    check_fleet_room(fleet_id, live, capacity)
}

/// [`check_fleet_capacity`] for an embedder that counts the live game
/// sessions of each fleet itself: `live` of them, against `capacity`.
///
/// ```
/// use gamelift_session::fleet::check_fleet_room;
///
/// assert!(check_fleet_room("fleet-1", 1, 2).is_ok());
/// let err = check_fleet_room("fleet-1", 2, 2).unwrap_err();
/// assert_eq!(err.to_string(), "Fleet fleet-1 has no room for a new game session: 2 of 2 are live");
/// ```
///
/// # Errors
///
/// `FleetCapacityExceededException` when `live` has reached `capacity`.
pub fn check_fleet_room(fleet_id: &str, live: usize, capacity: usize) -> Result<(), GameLiftError> {
    if live >= capacity {
        return Err(GameLiftError::fleet_capacity_exceeded(format!(
            "Fleet {} has no room for a new game session: {live} of {capacity} are live",
            Cut(fleet_id_of(fleet_id))
        )));
    }
    Ok(())
}

/// A request for fleets' attributes (`DescribeFleetAttributesInput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct DescribeFleetAttributesInput {
    /// The fleets, by id or ARN; all of them when absent.
    pub fleet_ids: Option<Vec<String>>,
    /// The page size, without `FleetIds`: at least 1.
    pub limit: Option<i32>,
    /// Where the page starts, without `FleetIds`.
    pub next_token: Option<String>,
}

object_only!(
    DescribeFleetAttributesInput,
    wire::DescribeFleetAttributesInputDef
);

/// The answer to `DescribeFleetAttributes`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribeFleetAttributesOutput<'a> {
    /// The fleets of the page.
    pub fleet_attributes: Vec<&'a FleetAttributes>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The most fleets one `DescribeFleetAttributes` may name (`FleetIdOrArnList`).
pub const MAX_FLEET_IDS: usize = 50;

impl DescribeFleetAttributesInput {
    /// Validates the request and answers it over `fleets`.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation, or for a `NextToken`
    /// naming no fleet.
    pub fn select<'a>(
        &self,
        fleets: impl IntoIterator<Item = &'a FleetAttributes, IntoIter: Clone>,
        limits: &Limits,
    ) -> Result<DescribeFleetAttributesOutput<'a>, GameLiftError> {
        let mut v = Validator::default();
        if let Some(ids) = &self.fleet_ids {
            v.list_length(FieldPath::Member("fleetIds"), ids.len(), 1, MAX_FLEET_IDS);
            for (i, id) in ids.iter().enumerate() {
                let path = FieldPath::Element {
                    list: "fleetIds",
                    index: i + 1,
                };
                v.fleet_id_or_arn(path, id, limits);
            }
        }
        paging::check(&mut v, self.limit, self.next_token.as_deref(), limits);
        v.finish()?;
        let fleets = fleets.into_iter();
        if let Some(ids) = &self.fleet_ids {
            let found = ids
                .iter()
                .filter_map(|id| fleets.clone().find(|f| f.fleet_id == fleet_id_of(id)))
                .collect();
            return Ok(DescribeFleetAttributesOutput {
                fleet_attributes: found,
                next_token: None,
            });
        }
        let items = fleets.map(|f| (Some(f.fleet_id.as_str()), Some(f)));
        let size = paging::size(self.limit, limits.default_describe_page_size);
        let (page, next_token) = paging::page_after(items, self.next_token.as_deref(), size)?;
        Ok(DescribeFleetAttributesOutput {
            fleet_attributes: page,
            next_token,
        })
    }
}

/// A request for the fleet ids (`ListFleetsInput`). `BuildId` and
/// `ScriptId` are accepted and ignored: a stand-in's fleets have neither.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct ListFleetsInput {
    /// The page size: at least 1.
    pub limit: Option<i32>,
    /// Where the page starts.
    pub next_token: Option<String>,
}

object_only!(ListFleetsInput, wire::ListFleetsInputDef);

/// The answer to `ListFleets`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListFleetsOutput<'a> {
    /// The fleet ids of the page.
    pub fleet_ids: Vec<&'a str>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl ListFleetsInput {
    /// Validates the request and lists one page of `fleets`' ids.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation, or for a `NextToken`
    /// naming no fleet.
    pub fn select<'a>(
        &self,
        fleets: impl IntoIterator<Item = &'a FleetAttributes>,
        limits: &Limits,
    ) -> Result<ListFleetsOutput<'a>, GameLiftError> {
        let mut v = Validator::default();
        paging::check(&mut v, self.limit, self.next_token.as_deref(), limits);
        v.finish()?;
        let items = fleets
            .into_iter()
            .map(|f| (Some(f.fleet_id.as_str()), Some(f.fleet_id.as_str())));
        let size = paging::size(self.limit, limits.default_describe_page_size);
        let (fleet_ids, next_token) = paging::page_after(items, self.next_token.as_deref(), size)?;
        Ok(ListFleetsOutput {
            fleet_ids,
            next_token,
        })
    }
}

/// The serde twins of the inputs.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "DescribeFleetAttributesInput", rename_all = "PascalCase")]
    pub(super) struct DescribeFleetAttributesInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_ids: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "ListFleetsInput", rename_all = "PascalCase")]
    pub(super) struct ListFleetsInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }
}
