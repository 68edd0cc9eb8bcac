//! The fleets the emulator knows: those declared (with `--fleet`, in the
//! state file's `Fleets`, or through `POST /_emulator/fleets`), with a
//! capacity or none and their locations, then every other fleet a game
//! session names, in the order they first appear. `DescribeFleetAttributes`
//! and `ListFleets` answer them; a declared fleet's capacity bounds its
//! live game sessions (the crate's `check_fleet_capacity`), and a declared
//! fleet with locations takes game sessions only in its home Region and
//! those locations (**decision**: `InvalidRequestException` naming the
//! location otherwise).

use gamelift_session::{
    GameLiftError,
    fleet::{DescribeFleetAttributesInput, FleetAttributes, ListFleetsInput, check_fleet_capacity},
    model::fleet_id_of,
};
use serde::{Deserialize, Serialize};

use crate::protocol::Protocol;
use crate::service::{ACCOUNT_ID, Answer, Emulator};
use crate::state::Store;

/// A fleet declared up front: its id, how many live game sessions it can
/// host (`None`: no limit), and the locations it has besides its home
/// Region (none: any location is taken, as for fleets not declared).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DeclaredFleet {
    /// The fleet's id: `fleet-...`.
    pub fleet_id: String,
    /// The most live game sessions it hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<usize>,
    /// Its remote locations (`us-east-1`, `eu-west-1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
}

impl DeclaredFleet {
    /// Checks the declaration: a fleet id (`fleet-` and letters, digits or
    /// `-`) and locations of lower-case letters, digits and `-`.
    ///
    /// # Errors
    ///
    /// A sentence naming the first fault.
    pub fn check(&self) -> Result<(), String> {
        let valid = self.fleet_id.strip_prefix("fleet-").is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if !valid {
            return Err("expected a fleet id: fleet- and letters, digits or -".to_owned());
        }
        if let Some(l) = self.locations.iter().find(|l| {
            l.is_empty()
                || l.len() > 64
                || !l
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }) {
            return Err(format!(
                "expected locations of lower-case letters, digits and -, not {:?}",
                l.chars().take(64).collect::<String>()
            ));
        }
        Ok(())
    }
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
        let mut ids: Vec<&str> = store.fleets.iter().map(|f| f.fleet_id.as_str()).collect();
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

    /// Whether `fleet` has room for a new game session in `store`, at
    /// `location` (the home Region when `None`).
    pub(crate) fn check_room(
        &self,
        store: &Store,
        fleet: &str,
        location: Option<&str>,
    ) -> Result<(), GameLiftError> {
        let fleet = fleet_id_of(fleet);
        let declared = store.fleets.iter().find(|f| f.fleet_id == fleet);
        if let (Some(f), Some(location)) = (declared, location)
            && !f.locations.is_empty()
            && location != self.settings().region
            && !f.locations.iter().any(|l| l == location)
        {
            return Err(GameLiftError::invalid_request(format!(
                "Location {} is not a location of fleet {fleet}",
                location.chars().take(64).collect::<String>()
            )));
        }
        match declared.and_then(|f| f.capacity) {
            Some(capacity) => check_fleet_capacity(
                store.table.iter().filter_map(|d| d.game_session.as_ref()),
                fleet,
                capacity,
            ),
            None => Ok(()),
        }
    }
}
