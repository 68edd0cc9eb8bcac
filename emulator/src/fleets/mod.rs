//! Fleets: those declared up front (their capacity and locations), those
//! made with `CreateFleet` (Anywhere and managed), the custom locations
//! and computes they run on, the server processes connected to them, and
//! the aliases that name fleets.
//!
//! | file | what it holds |
//! |---|---|
//! | `declared.rs` | `DescribeFleetAttributes`, `ListFleets`, the control API's `fleets`, the room a fleet has |
//! | `created.rs` | `CreateFleet`, runtime configurations, `DescribeFleetCapacity`, `DescribeFleetUtilization` |
//! | `locations.rs` | `CreateLocation`, `ListLocations`, `DeleteLocation` |
//! | `computes.rs` | `RegisterCompute`, `DescribeCompute`, `ListCompute`, `GetComputeAuthToken`; tokens |
//! | `processes.rs` | the connected server processes (in memory), their connections and waiting pushes |
//! | `aliases.rs` | `CreateAlias`, `DescribeAlias`, `ListAliases`, `ResolveAlias`, `UpdateAlias`, `DeleteAlias` |
//!
//! Its tables: `Fleets` (declared fleets, by id), `Locations` (custom
//! locations, by name), `CreatedFleets` (by id), `Computes` (by
//! `<fleet id>/<compute name>`, with their tokens) and `Aliases` (by alias
//! id, found by id or ARN). The rules are the crate's
//! (`gamelift_session::fleet`, `gamelift_session::game_server`).

mod aliases;
mod computes;
mod created;
mod declared;
mod locations;
mod processes;

pub(crate) use aliases::{
    create_alias, delete_alias, describe_alias, list_aliases, resolve_alias, update_alias,
};
pub(crate) use computes::{
    ComputeRow, compute_key, describe_compute, get_compute_auth_token, list_compute,
    register_compute,
};
pub(crate) use created::{
    create_fleet, describe_fleet_capacity, describe_fleet_utilization,
    describe_runtime_configuration, fleet_not_found, update_runtime_configuration,
};
pub(crate) use declared::{declare_fleet, describe_fleet_attributes, list_fleets};
pub(crate) use locations::{create_location, delete_location, list_locations};
pub(crate) use processes::{Link, Outgoing, Placement, Process, Processes};

use gamelift_session::GameLiftError;
use gamelift_session::fleet::{
    Alias, Compute, ComputeAuthToken, Fleet, FleetCounts, Location, RuntimeConfiguration,
    check_fleet_room,
};
use gamelift_session::model::fleet_id_of;
use time::OffsetDateTime;

use crate::context::Journaled;
use crate::journal::{Changes, RecordWriter};
use crate::log::Bounded;
use crate::settings::DeclaredFleet;
use crate::table::Table;

/// The journal's table of declared fleets.
pub(crate) const FLEETS: &str = "Fleets";
/// The journal's table of aliases.
pub(crate) const ALIASES: &str = "Aliases";
/// The journal's table of custom locations.
pub(crate) const LOCATIONS: &str = "Locations";
/// The journal's table of fleets made with `CreateFleet`.
pub(crate) const CREATED_FLEETS: &str = "CreatedFleets";
/// The journal's table of computes.
pub(crate) const COMPUTES: &str = "Computes";

/// What a store offers this room: its tables, the fleets game sessions
/// name, and what each fleet runs.
pub(crate) trait FleetsWorld: Journaled {
    fn fleets(&mut self) -> &mut Fleets;
    /// Every fleet a game session names, in the order they first appeared.
    fn fleets_in_use(&self) -> Vec<String>;
    /// What `fleet` runs now, and the location it is counted in
    /// (`region`, its home, unless it is an Anywhere fleet).
    fn fleet_counts(&self, fleet: &str, region: &str) -> (String, FleetCounts);
}

/// The fleets, their locations, computes and processes, and the aliases.
#[derive(Debug, Default)]
pub(crate) struct Fleets {
    declared: Table<DeclaredFleet>,
    aliases: Table<Alias>,
    locations: Table<Location>,
    created: Table<Fleet>,
    computes: Table<ComputeRow>,
    /// The server processes connected now (not journaled).
    pub(crate) processes: Processes,
    pub(crate) changes: Changes,
}

/// The alias id an alias id or ARN names: what follows the last `/`.
fn alias_key(id_or_arn: &str) -> &str {
    id_or_arn.rsplit_once('/').map_or(id_or_arn, |(_, id)| id)
}

impl Fleets {
    /// Declares `fleet` (a fleet declared again takes the new declaration).
    pub(crate) fn declare(&mut self, fleet: &DeclaredFleet) {
        self.declared.insert(&fleet.fleet_id, fleet.clone());
        self.changes.record(FLEETS, &fleet.fleet_id);
    }

    /// The declared fleets, in the order first declared.
    pub(crate) fn declared(&self) -> impl Iterator<Item = &DeclaredFleet> {
        self.declared.values()
    }

    /// The alias `id_or_arn` names.
    ///
    /// # Errors
    ///
    /// `NotFoundException` for no such alias.
    pub(crate) fn alias(&self, id_or_arn: &str) -> Result<&Alias, GameLiftError> {
        self.aliases
            .get(alias_key(id_or_arn))
            .filter(|a| a.is_named_by(id_or_arn))
            .ok_or_else(|| GameLiftError::alias_not_found(id_or_arn))
    }

    /// The fleet the alias `id_or_arn` resolves to now.
    ///
    /// # Errors
    ///
    /// `NotFoundException` for no such alias; `TerminalRoutingStrategyException`
    /// for a `TERMINAL` one.
    pub(crate) fn resolve(&self, id_or_arn: &str) -> Result<String, GameLiftError> {
        Ok(self.alias(id_or_arn)?.resolve()?.to_owned())
    }

    fn alias_mut(&mut self, id_or_arn: &str) -> Result<&mut Alias, GameLiftError> {
        self.alias(id_or_arn)?;
        let key = alias_key(id_or_arn);
        self.changes.record(ALIASES, key);
        self.aliases
            .get_mut(key)
            .ok_or_else(|| GameLiftError::alias_not_found(id_or_arn))
    }

    /// Whether `fleet` has room for a new game session at `location` (the
    /// home Region, `region`, when `None`), with `live` game sessions now.
    ///
    /// # Errors
    ///
    /// `FleetCapacityExceededException` past a declared capacity;
    /// `InvalidRequestException` for a location a declared fleet lacks
    /// (**decision**).
    pub(crate) fn check_room(
        &self,
        region: &str,
        fleet: &str,
        location: Option<&str>,
        live: usize,
    ) -> Result<(), GameLiftError> {
        let fleet = fleet_id_of(fleet);
        let declared = self.declared.get(fleet);
        if let (Some(f), Some(location)) = (declared, location)
            && !f.locations.is_empty()
            && location != region
            && !f.locations.iter().any(|l| l == location)
        {
            return Err(GameLiftError::invalid_request(format!(
                "Location {} is not a location of fleet {fleet}",
                location.chars().take(64).collect::<String>()
            )));
        }
        match declared.and_then(|f| f.capacity) {
            Some(capacity) => check_fleet_room(fleet, live, capacity),
            None => Ok(()),
        }
    }

    /// Whether `fleet` was declared up front.
    pub(crate) fn is_declared(&self, fleet: &str) -> bool {
        self.declared.contains(fleet)
    }

    /// The fleet `id` made with `CreateFleet`.
    pub(crate) fn created(&self, id: &str) -> Option<&Fleet> {
        self.created.get(fleet_id_of(id))
    }

    /// Every fleet made with `CreateFleet`, in the order made.
    pub(crate) fn created_fleets(&self) -> impl Iterator<Item = &Fleet> {
        self.created.values()
    }

    /// Whether `fleet` runs server processes (it was made with
    /// `CreateFleet`): its sessions go to them, not to the simulated
    /// game server.
    pub(crate) fn runs_processes(&self, fleet: &str) -> bool {
        self.created.contains(fleet_id_of(fleet))
    }

    pub(crate) fn create_fleet(&mut self, fleet: Fleet) {
        self.changes.record(CREATED_FLEETS, &fleet.fleet_id);
        self.created.insert(&fleet.fleet_id.clone(), fleet);
    }

    /// Forgets the fleet `id` and its computes; answers it.
    pub(crate) fn remove_fleet(&mut self, id: &str) -> Option<Fleet> {
        let fleet = self.created.remove(id)?;
        self.changes.record(CREATED_FLEETS, id);
        let computes: Vec<String> = self
            .computes
            .iter()
            .filter(|(_, c)| c.compute.fleet_id.as_deref() == Some(id))
            .map(|(k, _)| k.to_owned())
            .collect();
        for key in computes {
            self.computes.remove(&key);
            self.changes.record(COMPUTES, &key);
        }
        Some(fleet)
    }

    pub(crate) fn set_runtime_configuration(&mut self, id: &str, runtime: RuntimeConfiguration) {
        if let Some(f) = self.created.get_mut(id) {
            f.runtime_configuration = Some(runtime);
            self.changes.record(CREATED_FLEETS, id);
        }
    }

    /// The custom location `name`.
    pub(crate) fn location(&self, name: &str) -> Option<&Location> {
        self.locations.get(name)
    }

    /// Every custom location, in the order made.
    pub(crate) fn custom_locations(&self) -> impl Iterator<Item = &Location> {
        self.locations.values()
    }

    pub(crate) fn add_location(&mut self, location: Location) {
        let name = location.location_name.clone().unwrap_or_default();
        self.locations.insert(&name, location);
        self.changes.record(LOCATIONS, &name);
    }

    pub(crate) fn remove_location(&mut self, name: &str) {
        self.locations.remove(name);
        self.changes.record(LOCATIONS, name);
    }

    /// The fleets made with `CreateFleet` that use the location `name`.
    pub(crate) fn fleets_in<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Fleet> + 'a {
        self.created
            .values()
            .filter(move |f| f.locations.iter().any(|l| l == name))
    }

    /// Registers `compute` on `fleet` (again: its tokens are kept).
    pub(crate) fn register_compute(&mut self, fleet: &str, compute: Compute) {
        let key = compute_key(fleet, compute.compute_name.as_deref().unwrap_or_default());
        let auth_tokens = self
            .computes
            .get(&key)
            .map(|c| c.auth_tokens.clone())
            .unwrap_or_default();
        self.computes.insert(
            &key,
            ComputeRow {
                compute,
                auth_tokens,
            },
        );
        self.changes.record(COMPUTES, &key);
    }

    /// The compute `name` of `fleet`.
    pub(crate) fn compute(&self, fleet: &str, name: &str) -> Option<&ComputeRow> {
        self.computes.get(&compute_key(fleet, name))
    }

    /// The computes of `fleet`, in the order registered.
    pub(crate) fn computes_of<'a>(
        &'a self,
        fleet: &'a str,
    ) -> impl Iterator<Item = &'a ComputeRow> + 'a {
        self.computes
            .values()
            .filter(move |c| c.compute.fleet_id.as_deref() == Some(fleet))
    }

    /// Forgets the compute `name` of `fleet`; answers whether it was there.
    pub(crate) fn remove_compute(&mut self, fleet: &str, name: &str) -> bool {
        let key = compute_key(fleet, name);
        self.changes.record(COMPUTES, &key);
        self.computes.remove(&key).is_some()
    }

    /// Issues a token for the compute `name` of `fleet`.
    pub(crate) fn issue_token(
        &mut self,
        fleet: &str,
        name: &str,
        token: String,
        now: OffsetDateTime,
    ) -> Option<ComputeAuthToken> {
        let key = compute_key(fleet, name);
        let row = self.computes.get_mut(&key)?;
        let issued = row.issue(token, now);
        self.changes.record(COMPUTES, &key);
        Some(issued)
    }

    /// Forgets the aliases, the locations, the fleets made with
    /// `CreateFleet` and their computes, and closes every process; the
    /// declared fleets stay (they are the emulator's setup, as `--fleet`
    /// is) and are recorded again.
    pub(crate) fn reset(&mut self) {
        self.aliases = Table::default();
        self.locations = Table::default();
        self.created = Table::default();
        self.computes = Table::default();
        self.processes.clear();
        let declared: Vec<String> = self.declared.iter().map(|(k, _)| k.to_owned()).collect();
        for id in declared {
            self.changes.record(FLEETS, &id);
        }
    }

    /// How many aliases there are.
    pub(crate) fn alias_count(&self) -> usize {
        self.aliases.len()
    }

    /// Writes the row `key` of `table`, as it is now.
    pub(crate) fn write_row(
        &self,
        table: &str,
        key: &str,
        record: &mut RecordWriter<'_>,
    ) -> Result<(), serde_json::Error> {
        match table {
            FLEETS => record.row(table, key, self.declared.get(key)),
            LOCATIONS => record.row(table, key, self.locations.get(key)),
            CREATED_FLEETS => record.row(table, key, self.created.get(key)),
            COMPUTES => record.row(table, key, self.computes.get(key)),
            _ => record.row(table, key, self.aliases.get(key)),
        }
    }

    /// Loads a declared fleet from a state file.
    ///
    /// # Errors
    ///
    /// A sentence naming what breaks the declaration's rules.
    pub(crate) fn load_fleet(
        &mut self,
        key: &str,
        fleet: Option<DeclaredFleet>,
    ) -> Result<(), String> {
        match fleet {
            Some(f) => {
                f.check()?;
                if f.fleet_id != key {
                    return Err(format!(
                        "is keyed {} but declares {}",
                        Bounded(key),
                        f.fleet_id
                    ));
                }
                self.declared.insert(key, f);
            }
            None => {
                self.declared.remove(key);
            }
        }
        Ok(())
    }

    /// Loads an alias from a state file.
    ///
    /// # Errors
    ///
    /// A sentence for an alias without its id.
    pub(crate) fn load_alias(&mut self, key: &str, alias: Option<Alias>) -> Result<(), String> {
        match alias {
            Some(a) => {
                if a.alias_id.as_deref() != Some(key) {
                    return Err(format!(
                        "has an Alias whose AliasId is not {}",
                        Bounded(key)
                    ));
                }
                self.aliases.insert(key, a);
            }
            None => {
                self.aliases.remove(key);
            }
        }
        Ok(())
    }

    /// Every alias, in creation order.
    pub(crate) fn aliases(&self) -> impl Iterator<Item = &Alias> + Clone {
        self.aliases.values()
    }

    /// Loads a custom location from a state file.
    ///
    /// # Errors
    ///
    /// A sentence for a location that is not custom or not keyed by its name.
    pub(crate) fn load_location(
        &mut self,
        key: &str,
        location: Option<Location>,
    ) -> Result<(), String> {
        match location {
            Some(l) => {
                if l.location_name.as_deref() != Some(key) || !l.is_custom() {
                    return Err(format!(
                        "has a Location whose LocationName is not {} or not custom-...",
                        Bounded(key)
                    ));
                }
                self.locations.insert(key, l);
            }
            None => {
                self.locations.remove(key);
            }
        }
        Ok(())
    }

    /// Loads a fleet made with `CreateFleet` from a state file.
    ///
    /// # Errors
    ///
    /// A sentence for a fleet not keyed by its id, or of another kind.
    pub(crate) fn load_created(&mut self, key: &str, fleet: Option<Fleet>) -> Result<(), String> {
        match fleet {
            Some(f) => {
                if f.fleet_id != key {
                    return Err(format!("has a fleet whose FleetId is not {}", Bounded(key)));
                }
                if !matches!(f.compute_type.as_str(), "EC2" | "ANYWHERE") {
                    return Err("has a fleet whose ComputeType is not EC2 or ANYWHERE".to_owned());
                }
                self.created.insert(key, f);
            }
            None => {
                self.created.remove(key);
            }
        }
        Ok(())
    }

    /// Loads a compute from a state file.
    ///
    /// # Errors
    ///
    /// A sentence for a compute not keyed `<fleet id>/<compute name>`.
    pub(crate) fn load_compute(
        &mut self,
        key: &str,
        row: Option<ComputeRow>,
    ) -> Result<(), String> {
        match row {
            Some(r) => {
                let expected = compute_key(
                    r.compute.fleet_id.as_deref().unwrap_or_default(),
                    r.compute.compute_name.as_deref().unwrap_or_default(),
                );
                if expected != key {
                    return Err(format!(
                        "has a Compute whose FleetId/ComputeName is not {}",
                        Bounded(key)
                    ));
                }
                self.computes.insert(key, r);
            }
            None => {
                self.computes.remove(key);
            }
        }
        Ok(())
    }

    /// Every compute and its tokens, in the order registered.
    pub(crate) fn computes(&self) -> impl Iterator<Item = &ComputeRow> {
        self.computes.values()
    }
}
