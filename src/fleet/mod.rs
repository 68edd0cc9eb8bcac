//! Fleets, where they run, and the aliases that name them.
//!
//! | file | what it holds |
//! |---|---|
//! | `attributes.rs` | [`FleetAttributes`], `DescribeFleetAttributes`, `ListFleets`, a fleet's capacity |
//! | `create.rs` | `CreateFleet` (Anywhere and managed fleets) and the [`Fleet`] it makes |
//! | `runtime.rs` | [`RuntimeConfiguration`]: the processes a managed fleet runs; `Describe`/`UpdateRuntimeConfiguration` |
//! | `capacity.rs` | `DescribeFleetCapacity`, `DescribeFleetUtilization` |
//! | `location.rs` | custom locations: `CreateLocation`, `ListLocations`, `DeleteLocation` |
//! | `compute.rs` | computes: `RegisterCompute` to `DeregisterCompute`, `GetComputeAuthToken` |
//! | `alias.rs` | [`Alias`]: `CreateAlias` to `DeleteAlias`, and [`resolve_alias`] |

pub(crate) mod alias;
pub(crate) mod attributes;
mod capacity;
mod compute;
mod create;
mod location;
mod runtime;

pub use alias::{
    Alias, AliasContext, AliasIdInput, CreateAliasInput, ListAliasesInput, ListAliasesOutput,
    MAX_ALIAS_TEXT, MAX_ROUTING_FLEET_ID, NON_BLANK_PATTERN, ROUTING_FLEET_ID_PATTERN,
    RoutingStrategy, UpdateAliasInput, find_alias, resolve_alias,
};
pub use attributes::{
    DescribeFleetAttributesInput, DescribeFleetAttributesOutput, FleetAttributes, ListFleetsInput,
    ListFleetsOutput, MAX_FLEET_IDS, check_fleet_capacity, check_fleet_room,
};
pub use capacity::{
    DescribeFleetCapacityOutput, DescribeFleetUtilizationOutput, FleetCapacity, FleetCounts,
    FleetUtilization, InstanceCounts,
};
pub use compute::{
    AUTH_TOKEN_LIFETIME, COMPUTE_NAME_PATTERN, Compute, ComputeAuthToken, ComputeNameInput,
    ListComputeInput, ListComputeOutput, RegisterComputeInput, compute_not_found, is_compute_name,
};
pub use create::{
    AnywhereConfiguration, COMPUTE_ANYWHERE, COMPUTE_EC2, CreateFleetInput, CreateFleetOutput,
    Fleet, LocationConfiguration, LocationState,
};
pub use location::{
    CUSTOM_LOCATION_PATTERN, CreateLocationInput, ListLocationsInput, ListLocationsOutput,
    Location, LocationNameInput, location_exists, location_not_found,
};
pub use runtime::{
    FleetIdInput, MAX_CONCURRENT_PROCESSES, RuntimeConfiguration, RuntimeConfigurationOutput,
    ServerProcessConfig, UpdateRuntimeConfigurationInput,
};
