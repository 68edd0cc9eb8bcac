//! Custom locations: `CreateLocation`, `ListLocations`, `DeleteLocation`.
//! The rules are the crate's (`gamelift_session::fleet`, `location.rs`);
//! `ListLocations` answers the home Region first, then the custom
//! locations in the order made.

use gamelift_session::GameLiftError;
use gamelift_session::fleet::{
    CreateLocationInput, ListLocationsInput, Location, LocationNameInput, location_exists,
    location_not_found,
};

use super::FleetsWorld;
use crate::context::Context;
use crate::protocol::{Answer, Member, Protocol};
use crate::settings::ACCOUNT_ID;

pub(crate) fn create_location<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let env = cx.env();
    let input: CreateLocationInput = p.parse(body)?;
    let name = input.validate()?;
    let mut store = cx.lock();
    let fleets = store.fleets();
    if fleets.location(name).is_some() {
        return Err(location_exists(name));
    }
    let location = Location::custom(name, env.region(), ACCOUNT_ID);
    fleets.add_location(location.clone());
    tracing::info!(location = name, "location created");
    p.write(&Member("Location", &location))
}

pub(crate) fn list_locations<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let env = cx.env();
    let input: ListLocationsInput = p.parse(body)?;
    let home = Location::region(env.region());
    let mut store = cx.lock();
    let fleets = store.fleets();
    let all = std::iter::once(&home).chain(fleets.custom_locations());
    p.write(&input.select(all, env.limits())?)
}

pub(crate) fn delete_location<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let input: LocationNameInput = p.parse(body)?;
    let name = input.validate()?;
    let mut store = cx.lock();
    let fleets = store.fleets();
    if fleets.location(name).is_none() {
        return Err(location_not_found(name));
    }
    if let Some(f) = fleets.fleets_in(name).next() {
        return Err(GameLiftError::invalid_request(format!(
            "Location {name} is in use by fleet {}; delete the fleet first",
            f.fleet_id
        )));
    }
    fleets.remove_location(name);
    tracing::info!(location = name, "location deleted");
    p.write(&serde_json::json!({}))
}
