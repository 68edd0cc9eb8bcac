//! The fleets the emulator knows: those declared (with `--fleet`, in the
//! state file's `Fleets`, or through `POST /_emulator/fleets`), with a
//! capacity or none and their locations, then those made with
//! `CreateFleet`, then every other fleet a game session names, in the
//! order they first appear. `DescribeFleetAttributes`
//! and `ListFleets` answer them; a declared fleet's capacity bounds its
//! live game sessions (the crate's `check_fleet_room`), and a declared
//! fleet with locations takes game sessions only in its home Region and
//! those locations (**decision**: `InvalidRequestException` naming the
//! location otherwise).

use gamelift_session::GameLiftError;
use gamelift_session::fleet::{DescribeFleetAttributesInput, FleetAttributes, ListFleetsInput};
use serde_json::json;

use super::FleetsWorld;
use crate::context::Context;
use crate::protocol::{Answer, Protocol};
use crate::settings::{ACCOUNT_ID, DeclaredFleet};

/// Every fleet the emulator knows: declared, then made through the API,
/// then named by game sessions.
pub(super) fn known<S: FleetsWorld>(cx: &Context<S>) -> Vec<FleetAttributes> {
    let env = cx.env();
    let mut store = cx.lock();
    let in_use = store.fleets_in_use();
    let fleets = store.fleets();
    let mut out: Vec<FleetAttributes> = fleets
        .declared()
        .map(|f| FleetAttributes::new(&f.fleet_id, env.region(), ACCOUNT_ID, env.started()))
        .collect();
    out.extend(
        fleets
            .created_fleets()
            .map(|f| f.attributes(env.region(), ACCOUNT_ID)),
    );
    let seen: std::collections::HashSet<String> = out.iter().map(|f| f.fleet_id.clone()).collect();
    out.extend(
        in_use
            .into_iter()
            .filter(|id| !seen.contains(id))
            .map(|id| FleetAttributes::new(&id, env.region(), ACCOUNT_ID, env.started())),
    );
    out
}

pub(crate) fn describe_fleet_attributes<S: FleetsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: DescribeFleetAttributesInput = p.parse(body)?;
    let fleets = known(cx);
    p.write(&input.select(&fleets, cx.env().limits())?)
}

pub(crate) fn list_fleets<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let input: ListFleetsInput = p.parse(body)?;
    let fleets = known(cx);
    p.write(&input.select(&fleets, cx.env().limits())?)
}

/// `POST /_emulator/fleets`: declares a fleet (or declares it again), as
/// `--fleet` does: `{"FleetId": "fleet-1", "Capacity": 2, "Locations":
/// ["us-east-1"]}`. Answers `{"Fleet": ...}`.
pub(crate) fn declare_fleet<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let fleet: DeclaredFleet = p.parse(body)?;
    fleet.check().map_err(GameLiftError::invalid_request)?;
    cx.lock().fleets().declare(&fleet);
    tracing::info!(fleet_id = fleet.fleet_id, "control: fleet declared");
    p.write(&json!({ "Fleet": fleet }))
}
