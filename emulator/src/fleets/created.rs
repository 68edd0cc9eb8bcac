//! Fleets made through the API: `CreateFleet` (Anywhere, and managed
//! fleets whose processes the emulator launches),
//! `DescribeRuntimeConfiguration`, `UpdateRuntimeConfiguration`,
//! `DescribeFleetCapacity` and `DescribeFleetUtilization` (`DeleteFleet`
//! ends processes and sessions: the game servers' room has it). The rules
//! are the crate's (`gamelift_session::fleet`: `create.rs`, `runtime.rs`,
//! `capacity.rs`).
//!
//! **Decisions**: a fleet declared up front (`--fleet`) or only named by
//! game sessions has no runtime configuration: describing it answers an
//! empty one, and updating it is `InvalidRequestException` (it runs no
//! processes). Capacity and utilization are counted per fleet, in its
//! first location (a custom one for Anywhere, else the home Region).

use gamelift_session::GameLiftError;
use gamelift_session::fleet::{
    CreateFleetInput, CreateFleetOutput, DescribeFleetAttributesInput, DescribeFleetCapacityOutput,
    DescribeFleetUtilizationOutput, FleetAttributes, FleetCapacity, FleetCounts, FleetIdInput,
    FleetUtilization, RuntimeConfiguration, RuntimeConfigurationOutput,
    UpdateRuntimeConfigurationInput, location_not_found,
};

use super::FleetsWorld;
use super::declared::known;
use crate::context::Context;
use crate::protocol::{Answer, Protocol};
use crate::settings::ACCOUNT_ID;

pub(crate) fn create_fleet<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let env = cx.env();
    let input: CreateFleetInput = p.parse(body)?;
    input.validate_with(env.limits())?;
    let id = env.ids().uuid_shaped("fleet-");
    let fleet = input.fleet(&id, env.region(), env.now());
    let mut store = cx.lock();
    let fleets = store.fleets();
    if fleet.is_anywhere()
        && let Some(missing) = fleet
            .locations
            .iter()
            .find(|l| fleets.location(l).is_none())
    {
        return Err(location_not_found(missing));
    }
    let answer = p.write(&CreateFleetOutput::new(&fleet, env.region(), ACCOUNT_ID));
    fleets.create_fleet(fleet);
    drop(store);
    tracing::info!(fleet_id = id, "fleet created");
    answer
}

pub(crate) fn describe_runtime_configuration<S: FleetsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: FleetIdInput = p.parse(body)?;
    let fleet = input.validate_with(env.limits())?;
    let empty = RuntimeConfiguration::default();
    let mut store = cx.lock();
    let in_use = store.fleets_in_use().iter().any(|f| f == fleet);
    let fleets = store.fleets();
    match fleets.created(fleet) {
        Some(f) => p.write(&RuntimeConfigurationOutput::new(
            f.runtime_configuration.as_ref().unwrap_or(&empty),
        )),
        None if fleets.is_declared(fleet) || in_use => {
            p.write(&RuntimeConfigurationOutput::new(&empty))
        }
        None => Err(fleet_not_found(fleet)),
    }
}

/// `NotFoundException` for a fleet the emulator does not know.
pub(crate) fn fleet_not_found(fleet: &str) -> GameLiftError {
    GameLiftError::not_found(format!("Fleet {} not found", crate::log::Bounded(fleet)))
}

pub(crate) fn update_runtime_configuration<S: FleetsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: UpdateRuntimeConfigurationInput = p.parse(body)?;
    let (fleet, runtime) = input.validate_with(env.limits())?;
    let mut store = cx.lock();
    let fleets = store.fleets();
    if fleets.created(fleet).is_none() {
        if fleets.is_declared(fleet) {
            return Err(GameLiftError::invalid_request(format!(
                "Fleet {fleet} was declared to the emulator and runs no server processes; \
                 create a fleet with CreateFleet to run them"
            )));
        }
        return Err(fleet_not_found(fleet));
    }
    fleets.set_runtime_configuration(fleet, runtime.clone());
    tracing::info!(fleet_id = fleet, "runtime configuration updated");
    p.write(&RuntimeConfigurationOutput::new(runtime))
}

/// The counts of the page of fleets `body` asks for, each made into `T`;
/// and the next page's token.
fn counted_page<S: FleetsWorld, T>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
    make: impl Fn(&FleetAttributes, &str, &FleetCounts) -> T,
) -> Result<(Vec<T>, Option<String>), GameLiftError> {
    let input: DescribeFleetAttributesInput = p.parse(body)?;
    let (fleets, store) = (known(cx), cx.lock());
    let page = input.select(&fleets, cx.env().limits())?;
    let rows = page
        .fleet_attributes
        .iter()
        .map(|f| {
            let (location, counts) = store.fleet_counts(&f.fleet_id, cx.env().region());
            make(f, &location, &counts)
        })
        .collect();
    Ok((rows, page.next_token))
}

pub(crate) fn describe_fleet_capacity<S: FleetsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let mut out = DescribeFleetCapacityOutput::default();
    (out.fleet_capacity, out.next_token) = counted_page(cx, body, p, FleetCapacity::new)?;
    p.write(&out)
}

pub(crate) fn describe_fleet_utilization<S: FleetsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let mut out = DescribeFleetUtilizationOutput::default();
    (out.fleet_utilization, out.next_token) = counted_page(cx, body, p, FleetUtilization::new)?;
    p.write(&out)
}
