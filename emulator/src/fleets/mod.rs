//! Fleets and aliases: the fleets declared up front (their capacity and
//! locations), the aliases that name fleets, and the operations on them.
//!
//! | file | what it holds |
//! |---|---|
//! | `declared.rs` | `DescribeFleetAttributes`, `ListFleets`, the control API's `fleets`, the room a fleet has |
//! | `aliases.rs` | `CreateAlias`, `DescribeAlias`, `ListAliases`, `ResolveAlias`, `UpdateAlias`, `DeleteAlias` |
//!
//! Its tables: `Fleets` (declared fleets, by id) and `Aliases` (by alias
//! id, found by id or ARN). The rules are the crate's
//! (`gamelift_session::fleet`).

mod aliases;
mod declared;

pub(crate) use aliases::{
    create_alias, delete_alias, describe_alias, list_aliases, resolve_alias, update_alias,
};
pub(crate) use declared::{declare_fleet, describe_fleet_attributes, list_fleets};

use gamelift_session::GameLiftError;
use gamelift_session::fleet::{Alias, check_fleet_room};
use gamelift_session::model::fleet_id_of;

use crate::context::Journaled;
use crate::journal::{Changes, RecordWriter};
use crate::log::Bounded;
use crate::settings::DeclaredFleet;
use crate::table::Table;

/// The journal's table of declared fleets.
pub(crate) const FLEETS: &str = "Fleets";
/// The journal's table of aliases.
pub(crate) const ALIASES: &str = "Aliases";

/// What a store offers this room: its tables, and the fleets game
/// sessions name.
pub(crate) trait FleetsWorld: Journaled {
    fn fleets(&mut self) -> &mut Fleets;
    /// Every fleet a game session names, in the order they first appeared.
    fn fleets_in_use(&self) -> Vec<String>;
}

/// The declared fleets and the aliases.
#[derive(Debug, Default)]
pub(crate) struct Fleets {
    declared: Table<DeclaredFleet>,
    aliases: Table<Alias>,
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

    /// Forgets the aliases; the declared fleets stay (they are the
    /// emulator's setup, as `--fleet` is) and are recorded again.
    pub(crate) fn reset(&mut self) {
        self.aliases = Table::default();
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
}
