//! The fleets the emulator knows: those declared with `--fleet` (with a
//! capacity, or none), then every other fleet a game session names, in the
//! order they first appear. `DescribeFleetAttributes` and `ListFleets`
//! answer them; a declared fleet's capacity bounds its live game sessions
//! (the crate's `check_fleet_capacity`).

use gamelift_session::{
    DescribeFleetAttributesInput, FleetAttributes, GameLiftError, ListFleetsInput,
    check_fleet_capacity, fleet_id_of,
};

use crate::protocol::Protocol;
use crate::service::{ACCOUNT_ID, Answer, Emulator};
use crate::state::Store;

/// A fleet declared up front: its id, and how many live game sessions it
/// can host (`None`: no limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredFleet {
    /// The fleet's id: `fleet-...`.
    pub fleet_id: String,
    /// The most live game sessions it hosts.
    pub capacity: Option<usize>,
}

impl Emulator {
    pub(crate) fn fleet_call(&self, operation: &str, body: &[u8], p: Protocol) -> Option<Answer> {
        let limits = &self.settings().limits;
        Some(match operation {
            "DescribeFleetAttributes" => (|| {
                let input: DescribeFleetAttributesInput = p.parse(body)?;
                let fleets = self.known_fleets(&self.store());
                p.write(&input.select(&fleets, limits)?)
            })(),
            "ListFleets" => (|| {
                let input: ListFleetsInput = p.parse(body)?;
                let fleets = self.known_fleets(&self.store());
                p.write(&input.select(&fleets, limits)?)
            })(),
            _ => return None,
        })
    }

    /// Every fleet the emulator knows, declared first.
    pub(crate) fn known_fleets(&self, store: &Store) -> Vec<FleetAttributes> {
        let settings = self.settings();
        let mut ids: Vec<&str> = settings
            .fleets
            .iter()
            .map(|f| f.fleet_id.as_str())
            .collect();
        for session in store.table.iter().filter_map(|d| d.game_session.as_ref()) {
            if let Some(fleet) = session.fleet_id.as_deref()
                && !ids.contains(&fleet)
            {
                ids.push(fleet);
            }
        }
        ids.into_iter()
            .map(|id| FleetAttributes::new(id, &settings.region, ACCOUNT_ID, self.started()))
            .collect()
    }

    /// Whether `fleet` has room for a new game session in `store`.
    pub(crate) fn check_room(&self, store: &Store, fleet: &str) -> Result<(), GameLiftError> {
        let fleet = fleet_id_of(fleet);
        let declared = self
            .settings()
            .fleets
            .iter()
            .find(|f| f.fleet_id == fleet)
            .and_then(|f| f.capacity);
        match declared {
            Some(capacity) => check_fleet_capacity(
                store.table.iter().filter_map(|d| d.game_session.as_ref()),
                fleet,
                capacity,
            ),
            None => Ok(()),
        }
    }
}
