//! Fleets and the aliases that name them.
//!
//! | file | what it holds |
//! |---|---|
//! | `attributes.rs` | [`FleetAttributes`], `DescribeFleetAttributes`, `ListFleets`, a fleet's capacity |
//! | `alias.rs` | [`Alias`]: `CreateAlias` to `DeleteAlias`, and [`resolve_alias`] |

pub(crate) mod alias;
pub(crate) mod attributes;

pub use alias::{
    Alias, AliasContext, AliasIdInput, CreateAliasInput, ListAliasesInput, ListAliasesOutput,
    MAX_ALIAS_TEXT, MAX_ROUTING_FLEET_ID, NON_BLANK_PATTERN, ROUTING_FLEET_ID_PATTERN,
    RoutingStrategy, UpdateAliasInput, find_alias, resolve_alias,
};
pub use attributes::{
    DescribeFleetAttributesInput, DescribeFleetAttributesOutput, FleetAttributes, ListFleetsInput,
    ListFleetsOutput, MAX_FLEET_IDS, check_fleet_capacity, check_fleet_room,
};
