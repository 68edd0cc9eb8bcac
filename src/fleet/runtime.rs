//! A managed fleet's runtime configuration: which server processes run on
//! each of its computes (`RuntimeConfiguration`,
//! `DescribeRuntimeConfiguration`, `UpdateRuntimeConfiguration`).
//!
//! The rules (the model; **decisions** marked):
//!
//! - `ServerProcesses` lists 1 to 50 launch configurations, each a
//!   `LaunchPath` (1 to 1024 characters), optional `Parameters` (1 to
//!   1024) and `ConcurrentExecutions` (at least 1); the executions add up
//!   to at most 50 per compute (the service's quota).
//! - `GameSessionActivationTimeoutSeconds` is 1 to 600; a session not
//!   activated by then ends. `MaxConcurrentGameSessionActivations` is 1 to
//!   2147483647.
//! - **Decision**: `Parameters` are split at whitespace into the program's
//!   arguments, as the service does; no shell reads them.

use serde::{Deserialize, Serialize};

use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::validate::{FieldPath, Validator};

/// The most server processes that run at once on one compute.
pub const MAX_CONCURRENT_PROCESSES: i64 = 50;

/// One kind of server process (`ServerProcess`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct ServerProcessConfig {
    /// The program: required.
    pub launch_path: Option<String>,
    /// Its arguments, separated by spaces.
    pub parameters: Option<String>,
    /// How many run at once: at least 1, required.
    pub concurrent_executions: Option<i32>,
}

object_only!(ServerProcessConfig, wire::ServerProcessDef);

impl ServerProcessConfig {
    /// `concurrent_executions` processes of `launch_path` with `parameters`.
    #[must_use]
    pub fn new(
        launch_path: impl Into<String>,
        parameters: Option<String>,
        concurrent_executions: i32,
    ) -> Self {
        ServerProcessConfig {
            launch_path: Some(launch_path.into()),
            parameters,
            concurrent_executions: Some(concurrent_executions),
        }
    }

    /// The program's arguments: `Parameters` split at whitespace.
    ///
    /// ```
    /// use gamelift_session::fleet::ServerProcessConfig;
    ///
    /// let p = ServerProcessConfig::new("./server", Some("--port 7777  -v".into()), 1);
    /// assert_eq!(p.arguments(), ["--port", "7777", "-v"]);
    /// ```
    #[must_use]
    pub fn arguments(&self) -> Vec<&str> {
        self.parameters
            .as_deref()
            .map(|p| p.split_whitespace().collect())
            .unwrap_or_default()
    }
}

/// Which server processes run on each compute (`RuntimeConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct RuntimeConfiguration {
    /// The processes to run.
    pub server_processes: Option<Vec<ServerProcessConfig>>,
    /// The most sessions activating at once on a compute.
    pub max_concurrent_game_session_activations: Option<i32>,
    /// How long a session may take to activate, in seconds: 1 to 600.
    pub game_session_activation_timeout_seconds: Option<i32>,
}

object_only!(RuntimeConfiguration, wire::RuntimeConfigurationDef);

impl RuntimeConfiguration {
    /// A configuration running `processes`.
    #[must_use]
    pub fn new(processes: Vec<ServerProcessConfig>) -> Self {
        RuntimeConfiguration {
            server_processes: Some(processes),
            ..RuntimeConfiguration::default()
        }
    }

    /// Checks it as the member `runtimeConfiguration`.
    pub(crate) fn check(&self, v: &mut Validator) {
        let member = FieldPath::Member;
        if let Some(list) = &self.server_processes {
            v.list_length(
                member("runtimeConfiguration.serverProcesses"),
                list.len(),
                1,
                50,
            );
            let mut total = 0_i64;
            for (i, p) in list.iter().enumerate() {
                let at = |m: &'static str| FieldPath::Item {
                    list: "runtimeConfiguration.serverProcesses",
                    index: i + 1,
                    member: m,
                };
                if let Some(l) = v.required(at("launchPath"), p.launch_path.as_deref()) {
                    v.length(at("launchPath"), l, 1, 1024, false);
                }
                if let Some(params) = &p.parameters {
                    v.length(at("parameters"), params, 1, 1024, false);
                }
                if let Some(n) =
                    v.required(at("concurrentExecutions"), p.concurrent_executions.as_ref())
                {
                    v.min_value(at("concurrentExecutions"), i64::from(*n), 1);
                    total += i64::from(*n).max(0);
                }
            }
            if total > MAX_CONCURRENT_PROCESSES {
                v.max_value(
                    member("runtimeConfiguration.serverProcesses"),
                    total,
                    MAX_CONCURRENT_PROCESSES,
                );
            }
        }
        if let Some(n) = self.max_concurrent_game_session_activations {
            v.min_value(
                member("runtimeConfiguration.maxConcurrentGameSessionActivations"),
                i64::from(n),
                1,
            );
        }
        if let Some(n) = self.game_session_activation_timeout_seconds {
            let at = member("runtimeConfiguration.gameSessionActivationTimeoutSeconds");
            v.min_value(at, i64::from(n), 1);
            v.max_value(at, i64::from(n), 600);
        }
    }

    /// How long a session may stay ACTIVATING, when set.
    #[must_use]
    pub fn activation_timeout(&self) -> Option<time::Duration> {
        self.game_session_activation_timeout_seconds
            .map(|s| time::Duration::seconds(i64::from(s)))
    }

    /// The processes to run, each as many times as it runs at once.
    pub fn processes(&self) -> impl Iterator<Item = &ServerProcessConfig> {
        self.server_processes.iter().flatten().flat_map(|p| {
            let n = usize::try_from(p.concurrent_executions.unwrap_or(0)).unwrap_or(0);
            std::iter::repeat_n(p, n)
        })
    }
}

/// A request for a fleet's runtime configuration
/// (`DescribeRuntimeConfigurationInput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct FleetIdInput {
    /// The fleet, by id or ARN: required.
    pub fleet_id: Option<String>,
}

object_only!(FleetIdInput, wire::FleetIdDef);

impl FleetIdInput {
    /// A request naming `fleet_id`.
    #[must_use]
    pub fn new(fleet_id: impl Into<String>) -> Self {
        FleetIdInput {
            fleet_id: Some(fleet_id.into()),
        }
    }

    /// Validates the request; answers the fleet id.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate_with(&self, limits: &Limits) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        let path = FieldPath::Member("fleetId");
        if let Some(id) = v.required(path, self.fleet_id.as_deref()) {
            v.fleet_id_or_arn(path, id, limits);
        }
        v.finish()?;
        Ok(crate::model::ids::fleet_id_of(
            self.fleet_id.as_deref().unwrap_or_default(),
        ))
    }
}

/// A request to change a fleet's runtime configuration
/// (`UpdateRuntimeConfigurationInput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct UpdateRuntimeConfigurationInput {
    /// The fleet, by id or ARN: required.
    pub fleet_id: Option<String>,
    /// The new configuration: required.
    pub runtime_configuration: Option<RuntimeConfiguration>,
}

object_only!(
    UpdateRuntimeConfigurationInput,
    wire::UpdateRuntimeConfigurationDef
);

impl UpdateRuntimeConfigurationInput {
    /// Validates the request; answers the fleet id and the configuration.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    ///
    /// ```
    /// use gamelift_session::Limits;
    /// use gamelift_session::fleet::{RuntimeConfiguration, ServerProcessConfig, UpdateRuntimeConfigurationInput};
    ///
    /// let mut input = UpdateRuntimeConfigurationInput::default();
    /// input.fleet_id = Some("fleet-1".into());
    /// input.runtime_configuration = Some(RuntimeConfiguration::new(vec![ServerProcessConfig::new("./server", None, 51)]));
    /// assert_eq!(
    ///     input.validate_with(&Limits::AWS).unwrap_err().to_string(),
    ///     "1 validation error detected: Value '51' at 'runtimeConfiguration.serverProcesses' \
    ///      failed to satisfy constraint: Member must have value less than or equal to 50"
    /// );
    /// ```
    pub fn validate_with(
        &self,
        limits: &Limits,
    ) -> Result<(&str, &RuntimeConfiguration), GameLiftError> {
        let mut v = Validator::default();
        let path = FieldPath::Member("fleetId");
        if let Some(id) = v.required(path, self.fleet_id.as_deref()) {
            v.fleet_id_or_arn(path, id, limits);
        }
        let path = FieldPath::Member("runtimeConfiguration");
        if let Some(r) = v.required(path, self.runtime_configuration.as_ref()) {
            r.check(&mut v);
        }
        v.finish()?;
        let fleet = crate::model::ids::fleet_id_of(self.fleet_id.as_deref().unwrap_or_default());
        match &self.runtime_configuration {
            Some(r) => Ok((fleet, r)),
            None => Err(GameLiftError::invalid_request(
                "RuntimeConfiguration is required",
            )),
        }
    }
}

/// The answer to `DescribeRuntimeConfiguration` and
/// `UpdateRuntimeConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RuntimeConfigurationOutput<'a> {
    /// The configuration (empty for a fleet without one).
    pub runtime_configuration: &'a RuntimeConfiguration,
}

impl<'a> RuntimeConfigurationOutput<'a> {
    /// The answer showing `runtime_configuration`.
    #[must_use]
    pub fn new(runtime_configuration: &'a RuntimeConfiguration) -> Self {
        RuntimeConfigurationOutput {
            runtime_configuration,
        }
    }
}

/// The serde twins of the shapes.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "ServerProcessConfig", rename_all = "PascalCase")]
    pub(super) struct ServerProcessDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        launch_path: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parameters: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        concurrent_executions: Option<i32>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "RuntimeConfiguration", rename_all = "PascalCase")]
    pub(super) struct RuntimeConfigurationDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        server_processes: Option<Vec<ServerProcessConfig>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_concurrent_game_session_activations: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_activation_timeout_seconds: Option<i32>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "FleetIdInput", rename_all = "PascalCase")]
    pub(super) struct FleetIdDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "UpdateRuntimeConfigurationInput", rename_all = "PascalCase")]
    pub(super) struct UpdateRuntimeConfigurationDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        runtime_configuration: Option<RuntimeConfiguration>,
    }
}
