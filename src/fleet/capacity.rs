//! What a fleet runs now (`DescribeFleetCapacity`,
//! `DescribeFleetUtilization`): its computes, its server processes, its
//! game sessions and their players.
//!
//! Both take the request of `DescribeFleetAttributes` (`FleetIds`, or
//! every fleet in pages) and answer one entry per fleet, in the home
//! Region's or (Anywhere) the first custom location's name. The counts are
//! the embedder's ([`FleetCounts`]). **Decisions**: an Anywhere fleet's
//! instances are its registered computes, idle when none of their
//! processes holds a game session; a managed fleet the embedder runs
//! locally has one instance; a fleet without server processes (declared
//! to an emulator, its sessions played by a simulated server) counts one
//! simulated process per live game session.

use serde::Serialize;

use super::attributes::FleetAttributes;

/// What a fleet runs now, as its embedder counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct FleetCounts {
    /// Its instances (computes).
    pub instances: i32,
    /// Those whose processes hold no game session.
    pub idle_instances: i32,
    /// Server processes ready or hosting.
    pub active_server_processes: i32,
    /// Game sessions ACTIVATING, ACTIVE or TERMINATING.
    pub active_game_sessions: i32,
    /// Players RESERVED or ACTIVE in them.
    pub current_player_sessions: i32,
    /// The sum of their player limits.
    pub maximum_player_sessions: i32,
}

/// A fleet's instance counts (`EC2InstanceCounts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub struct InstanceCounts {
    /// What it is scaled to.
    pub desired: i32,
    /// Its floor.
    pub minimum: i32,
    /// Its ceiling.
    pub maximum: i32,
    /// Starting.
    pub pending: i32,
    /// Running.
    pub active: i32,
    /// Running and hosting no session.
    pub idle: i32,
    /// Stopping.
    pub terminating: i32,
}

/// One fleet's capacity (`FleetCapacity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FleetCapacity {
    /// The fleet.
    pub fleet_id: String,
    /// Its ARN.
    pub fleet_arn: String,
    /// Its instances.
    pub instance_counts: InstanceCounts,
    /// Where.
    pub location: String,
}

impl FleetCapacity {
    /// The capacity of `fleet` at `location`, from `counts`.
    ///
    /// ```
    /// use gamelift_session::fleet::{FleetAttributes, FleetCapacity, FleetCounts};
    /// use time::OffsetDateTime;
    ///
    /// let fleet = FleetAttributes::new("fleet-1", "us-west-2", "111122223333", OffsetDateTime::UNIX_EPOCH);
    /// let mut counts = FleetCounts::default();
    /// counts.instances = 2;
    /// counts.idle_instances = 1;
    /// let c = FleetCapacity::new(&fleet, "custom-home", &counts);
    /// let json = serde_json::to_value(&c).unwrap();
    /// assert_eq!(json["InstanceCounts"]["ACTIVE"], 2);
    /// assert_eq!(json["InstanceCounts"]["IDLE"], 1);
    /// assert_eq!(json["Location"], "custom-home");
    /// ```
    #[must_use]
    pub fn new(fleet: &FleetAttributes, location: &str, counts: &FleetCounts) -> Self {
        let n = counts.instances;
        FleetCapacity {
            fleet_id: fleet.fleet_id.clone(),
            fleet_arn: fleet.fleet_arn.clone(),
            instance_counts: InstanceCounts {
                desired: n,
                minimum: 0,
                maximum: n.max(1),
                pending: 0,
                active: n,
                idle: counts.idle_instances,
                terminating: 0,
            },
            location: location.to_owned(),
        }
    }
}

/// One fleet's use (`FleetUtilization`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FleetUtilization {
    /// The fleet.
    pub fleet_id: String,
    /// Its ARN.
    pub fleet_arn: String,
    /// Server processes ready or hosting.
    pub active_server_process_count: i32,
    /// Live game sessions.
    pub active_game_session_count: i32,
    /// Players in them.
    pub current_player_session_count: i32,
    /// The sum of their player limits.
    pub maximum_player_session_count: i32,
    /// Where.
    pub location: String,
}

impl FleetUtilization {
    /// The use of `fleet` at `location`, from `counts`.
    #[must_use]
    pub fn new(fleet: &FleetAttributes, location: &str, counts: &FleetCounts) -> Self {
        FleetUtilization {
            fleet_id: fleet.fleet_id.clone(),
            fleet_arn: fleet.fleet_arn.clone(),
            active_server_process_count: counts.active_server_processes,
            active_game_session_count: counts.active_game_sessions,
            current_player_session_count: counts.current_player_sessions,
            maximum_player_session_count: counts.maximum_player_sessions,
            location: location.to_owned(),
        }
    }
}

/// The answer to `DescribeFleetCapacity`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribeFleetCapacityOutput {
    /// One per fleet of the page.
    pub fleet_capacity: Vec<FleetCapacity>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The answer to `DescribeFleetUtilization`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribeFleetUtilizationOutput {
    /// One per fleet of the page.
    pub fleet_utilization: Vec<FleetUtilization>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}
