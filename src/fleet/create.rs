//! Fleets made through the API (`CreateFleet`, `DeleteFleet`): Anywhere
//! fleets, whose computes a developer registers, and managed fleets, whose
//! server processes an embedder launches from their runtime configuration.
//!
//! The rules (SPEC §11, the model; **decisions** marked):
//!
//! - `Name` is required, 1 to 1024 characters; `Description` 1 to 1024.
//! - `ComputeType` is `EC2` (the default) or `ANYWHERE`; **decision**:
//!   `CONTAINER` is refused, the emulator runs no containers.
//! - An `ANYWHERE` fleet needs `Locations`, 1 to 100 custom locations
//!   (`custom-…`) that exist; it has no runtime configuration to run
//!   (**decision**: one given is kept for its activation time-out, and no
//!   process is launched: the emulator runs no GameLift Agent).
//! - An `EC2` fleet needs a `RuntimeConfiguration` with `ServerProcesses`
//!   (**decision**: `BuildId`, `ScriptId`, `EC2InstanceType` and the other
//!   EC2 members are accepted and ignored; the processes are launched on
//!   the embedder's machine). Its `Locations` are Regions.
//! - Every fleet made is `ACTIVE` at once, `ON_DEMAND`, and has an ARN in
//!   the embedder's Region.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::attributes::FleetAttributes;
use super::location::check_location_name;
use super::runtime::RuntimeConfiguration;
use crate::model::echo::Cut;
use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::validate::{FieldPath, Validator};

/// `ComputeType` `EC2`: a managed fleet.
pub const COMPUTE_EC2: &str = "EC2";
/// `ComputeType` `ANYWHERE`: the developer's own computes.
pub const COMPUTE_ANYWHERE: &str = "ANYWHERE";

/// One location of a new fleet (`LocationConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct LocationConfiguration {
    /// A Region, or a custom location for an Anywhere fleet.
    pub location: Option<String>,
}

object_only!(LocationConfiguration, wire::LocationConfigurationDef);

/// An Anywhere fleet's settings (`AnywhereConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct AnywhereConfiguration {
    /// What a compute costs per hour, as a decimal string.
    pub cost: Option<String>,
}

object_only!(AnywhereConfiguration, wire::AnywhereConfigurationDef);

/// A request for a fleet (`CreateFleetInput`), as far as a local stand-in
/// reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CreateFleetInput {
    /// Its name: required.
    pub name: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// `EC2` (default) or `ANYWHERE`.
    pub compute_type: Option<String>,
    /// Its locations.
    pub locations: Option<Vec<LocationConfiguration>>,
    /// The processes a managed fleet runs.
    pub runtime_configuration: Option<RuntimeConfiguration>,
    /// The role its processes may assume.
    pub instance_role_arn: Option<String>,
    /// An Anywhere fleet's settings.
    pub anywhere_configuration: Option<AnywhereConfiguration>,
}

object_only!(CreateFleetInput, wire::CreateFleetDef);

/// A fleet made through the API: what an embedder keeps of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Fleet {
    /// Its id: `fleet-…`.
    pub fleet_id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// `EC2` or `ANYWHERE`.
    pub compute_type: String,
    /// Its locations besides the home Region (custom ones for Anywhere).
    pub locations: Vec<String>,
    /// The processes it runs (managed fleets).
    pub runtime_configuration: Option<RuntimeConfiguration>,
    /// The role its processes may assume.
    pub instance_role_arn: Option<String>,
    /// When it was made.
    pub creation_time: Option<OffsetDateTime>,
}

object_only!(Fleet, wire::FleetDef);

impl Fleet {
    /// Whether it is an Anywhere fleet.
    #[must_use]
    pub fn is_anywhere(&self) -> bool {
        self.compute_type == COMPUTE_ANYWHERE
    }

    /// Its attributes, in `region` of `account_id`.
    #[must_use]
    pub fn attributes(&self, region: &str, account_id: &str) -> FleetAttributes {
        let mut a = FleetAttributes::new(
            &self.fleet_id,
            region,
            account_id,
            self.creation_time.unwrap_or(OffsetDateTime::UNIX_EPOCH),
        );
        a.name.clone_from(&self.name);
        a.description.clone_from(&self.description);
        a.compute_type = if self.is_anywhere() {
            COMPUTE_ANYWHERE
        } else {
            COMPUTE_EC2
        };
        a.instance_role_arn.clone_from(&self.instance_role_arn);
        a
    }

    /// How long its sessions may stay ACTIVATING, when its runtime
    /// configuration says.
    #[must_use]
    pub fn activation_timeout(&self) -> Option<time::Duration> {
        self.runtime_configuration
            .as_ref()
            .and_then(RuntimeConfiguration::activation_timeout)
    }
}

impl CreateFleetInput {
    /// An Anywhere fleet named `name` in the custom location `location`.
    #[must_use]
    pub fn anywhere(name: impl Into<String>, location: impl Into<String>) -> Self {
        CreateFleetInput {
            name: Some(name.into()),
            compute_type: Some(COMPUTE_ANYWHERE.to_owned()),
            locations: Some(vec![LocationConfiguration {
                location: Some(location.into()),
            }]),
            ..CreateFleetInput::default()
        }
    }

    /// A managed fleet named `name`, running `runtime`.
    #[must_use]
    pub fn managed(name: impl Into<String>, runtime: RuntimeConfiguration) -> Self {
        CreateFleetInput {
            name: Some(name.into()),
            runtime_configuration: Some(runtime),
            ..CreateFleetInput::default()
        }
    }

    /// Validates the request; the embedder then checks that its custom
    /// locations exist.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation, then for a fleet
    /// its kind forbids (see the module docs).
    ///
    /// ```
    /// use gamelift_session::Limits;
    /// use gamelift_session::fleet::CreateFleetInput;
    ///
    /// assert!(CreateFleetInput::anywhere("home", "custom-home").validate_with(&Limits::AWS).is_ok());
    /// let err = CreateFleetInput::anywhere("home", "us-west-2").validate_with(&Limits::AWS).unwrap_err();
    /// assert_eq!(err.to_string(), "An ANYWHERE fleet's locations must be custom locations; us-west-2 is not");
    /// ```
    pub fn validate_with(&self, limits: &Limits) -> Result<(), GameLiftError> {
        let mut v = Validator::default();
        let path = FieldPath::Member("name");
        if let Some(name) = v.required(path, self.name.as_deref()) {
            v.length(path, name, 1, 1024, false);
        }
        if let Some(d) = &self.description {
            v.length(FieldPath::Member("description"), d, 1, 1024, false);
        }
        if let Some(t) = &self.compute_type {
            v.pattern(
                FieldPath::Member("computeType"),
                t,
                "EC2|ANYWHERE|CONTAINER",
                |s| matches!(s, "EC2" | "ANYWHERE" | "CONTAINER"),
            );
        }
        if let Some(list) = &self.locations {
            v.list_length(FieldPath::Member("locations"), list.len(), 1, 100);
            for (i, l) in list.iter().enumerate() {
                let path = FieldPath::Item {
                    list: "locations",
                    index: i + 1,
                    member: "location",
                };
                if let Some(l) = v.required(path, l.location.as_deref()) {
                    v.location(path, l, limits);
                }
            }
        }
        if let Some(r) = &self.runtime_configuration {
            r.check(&mut v);
        }
        if let Some(role) = &self.instance_role_arn {
            v.length(FieldPath::Member("instanceRoleArn"), role, 1, 256, false);
        }
        if let Some(cost) = self
            .anywhere_configuration
            .as_ref()
            .and_then(|a| a.cost.as_deref())
        {
            let path = FieldPath::Member("anywhereConfiguration.cost");
            v.length(path, cost, 1, 11, false);
            v.pattern(path, cost, "^\\d{1,5}(?:\\.\\d{1,5})?$", is_cost);
        }
        v.finish()?;
        let kind = self.compute_type.as_deref().unwrap_or(COMPUTE_EC2);
        let locations = self.location_names();
        match kind {
            "CONTAINER" => Err(GameLiftError::invalid_request(
                "ComputeType CONTAINER is not supported: the emulator runs no containers",
            )),
            COMPUTE_ANYWHERE => {
                if locations.is_empty() {
                    return Err(GameLiftError::invalid_request(
                        "An ANYWHERE fleet needs Locations: at least one custom location",
                    ));
                }
                if let Some(l) = locations.iter().find(|l| !l.starts_with("custom-")) {
                    return Err(GameLiftError::invalid_request(format!(
                        "An ANYWHERE fleet's locations must be custom locations; {} is not",
                        Cut(l)
                    )));
                }
                let mut v = Validator::default();
                for (i, l) in locations.iter().enumerate() {
                    check_location_name(
                        &mut v,
                        FieldPath::Item {
                            list: "locations",
                            index: i + 1,
                            member: "location",
                        },
                        l,
                    );
                }
                v.finish()?;
                Ok(())
            }
            _ => {
                if let Some(l) = locations.iter().find(|l| l.starts_with("custom-")) {
                    return Err(GameLiftError::invalid_request(format!(
                        "Custom location {} needs an ANYWHERE fleet",
                        Cut(l)
                    )));
                }
                let runs = self
                    .runtime_configuration
                    .as_ref()
                    .is_some_and(|r| r.server_processes.as_ref().is_some_and(|p| !p.is_empty()));
                if runs {
                    Ok(())
                } else {
                    Err(GameLiftError::invalid_request(
                        "A managed (EC2) fleet needs a RuntimeConfiguration with ServerProcesses",
                    ))
                }
            }
        }
    }

    /// The names of its locations, in order, each once.
    #[must_use]
    pub fn location_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for l in self.locations.iter().flatten() {
            if let Some(name) = l.location.as_deref()
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
        names
    }

    /// The fleet a validated request makes, with id `fleet_id`, at `now`.
    /// The home Region is left out of its locations.
    #[must_use]
    pub fn fleet(&self, fleet_id: &str, region: &str, now: OffsetDateTime) -> Fleet {
        let kind = self.compute_type.as_deref().unwrap_or(COMPUTE_EC2);
        Fleet {
            fleet_id: fleet_id.to_owned(),
            name: self.name.clone().unwrap_or_default(),
            description: self.description.clone(),
            compute_type: kind.to_owned(),
            locations: self
                .location_names()
                .into_iter()
                .filter(|l| *l != region)
                .map(str::to_owned)
                .collect(),
            runtime_configuration: self.runtime_configuration.clone(),
            instance_role_arn: self.instance_role_arn.clone(),
            creation_time: Some(now),
        }
    }
}

fn is_cost(s: &str) -> bool {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "1"));
    let digits = |p: &str, max: usize| {
        !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit())
    };
    digits(whole, 5) && digits(fraction, 5)
}

/// A fleet's location and its status (`LocationState`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct LocationState {
    /// The location.
    pub location: String,
    /// `ACTIVE`.
    pub status: &'static str,
}

/// The answer to `CreateFleet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CreateFleetOutput {
    /// The new fleet.
    pub fleet_attributes: FleetAttributes,
    /// Its locations (the home Region first for a managed fleet), all `ACTIVE`.
    pub location_states: Vec<LocationState>,
}

impl CreateFleetOutput {
    /// The answer for `fleet`, made in `region` of `account_id`.
    #[must_use]
    pub fn new(fleet: &Fleet, region: &str, account_id: &str) -> Self {
        let home = (!fleet.is_anywhere()).then(|| region.to_owned());
        CreateFleetOutput {
            fleet_attributes: fleet.attributes(region, account_id),
            location_states: home
                .into_iter()
                .chain(fleet.locations.iter().cloned())
                .map(|location| LocationState {
                    location,
                    status: "ACTIVE",
                })
                .collect(),
        }
    }
}

/// The serde twins of the shapes.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "LocationConfiguration", rename_all = "PascalCase")]
    pub(super) struct LocationConfigurationDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "AnywhereConfiguration", rename_all = "PascalCase")]
    pub(super) struct AnywhereConfigurationDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cost: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "CreateFleetInput", rename_all = "PascalCase")]
    pub(super) struct CreateFleetDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compute_type: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locations: Option<Vec<LocationConfiguration>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        runtime_configuration: Option<RuntimeConfiguration>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instance_role_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        anywhere_configuration: Option<AnywhereConfiguration>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "Fleet", rename_all = "PascalCase")]
    pub(super) struct FleetDef {
        fleet_id: String,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        compute_type: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        locations: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        runtime_configuration: Option<RuntimeConfiguration>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instance_role_arn: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        creation_time: Option<OffsetDateTime>,
    }
}
