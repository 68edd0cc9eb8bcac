//! Computes: the hosts an Anywhere fleet's game servers run on
//! (`RegisterCompute`, `DescribeCompute`, `ListCompute`,
//! `DeregisterCompute`, `GetComputeAuthToken`).
//!
//! The rules (SPEC §11, the model; decisions marked):
//!
//! - `ComputeName` is 1 to 128 characters of
//!   `^[a-zA-Z0-9\-]+(\/[a-zA-Z0-9\-]+)?$` (the server SDK checks a host id
//!   by the same pattern); `IpAddress` (1 to 128, required on an Anywhere
//!   fleet) and `Location` (a custom location of the fleet, required on an
//!   Anywhere fleet).
//! - **Decision**: registering a name again replaces the compute's address
//!   and location and keeps its tokens (the Unity and Unreal plugins
//!   register at every run).
//! - A compute is `ACTIVE` once registered; its
//!   `GameLiftServiceSdkEndpoint` is the endpoint game servers dial (the
//!   embedder's WebSocket URL).
//! - `GetComputeAuthToken` answers a token (`^[a-zA-Z0-9\-]+`, 1 to 64)
//!   and its `ExpirationTimestamp`: **decision** three hours
//!   ([`AUTH_TOKEN_LIFETIME`]), checked when a game server connects.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::location::check_location_name;
use crate::model::echo::Cut;
use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::paging;
use crate::model::validate::{FieldPath, Validator};

/// A compute's name, and a game server's host id.
pub const COMPUTE_NAME_PATTERN: &str = "^[a-zA-Z0-9\\-]+(\\/[a-zA-Z0-9\\-]+)?$";

/// How long an auth token lets a game server connect (**decision**).
pub const AUTH_TOKEN_LIFETIME: time::Duration = time::Duration::hours(3);

/// Whether `s` is a compute name.
#[must_use]
pub fn is_compute_name(s: &str) -> bool {
    let part = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    match s.split_once('/') {
        Some((a, b)) => part(a) && part(b),
        None => part(s),
    }
}

/// A compute (`Compute`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Compute {
    /// Its fleet.
    pub fleet_id: Option<String>,
    /// Its fleet's ARN.
    pub fleet_arn: Option<String>,
    /// Its name.
    pub compute_name: Option<String>,
    /// Its ARN.
    pub compute_arn: Option<String>,
    /// Where players reach its game servers.
    pub ip_address: Option<String>,
    /// Its DNS name.
    pub dns_name: Option<String>,
    /// `ACTIVE` (or `PENDING`, `TERMINATING`, `IMPAIRED`).
    pub compute_status: Option<String>,
    /// Its custom location.
    pub location: Option<String>,
    /// When it was registered.
    pub creation_time: Option<OffsetDateTime>,
    /// Where its game servers' TLS certificate is (as registered).
    pub certificate_path: Option<String>,
    /// The endpoint its game servers connect to.
    pub game_lift_service_sdk_endpoint: Option<String>,
    /// The endpoint a GameLift Agent would use: the same.
    pub game_lift_agent_endpoint: Option<String>,
}

object_only!(Compute, wire::ComputeDef);

/// A request to register a compute (`RegisterComputeInput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RegisterComputeInput {
    /// The fleet, by id or ARN: required.
    pub fleet_id: Option<String>,
    /// The compute's name: required.
    pub compute_name: Option<String>,
    /// Its address: required on an Anywhere fleet.
    pub ip_address: Option<String>,
    /// Its DNS name.
    pub dns_name: Option<String>,
    /// Its custom location: required on an Anywhere fleet.
    pub location: Option<String>,
    /// Where its certificate is.
    pub certificate_path: Option<String>,
}

object_only!(RegisterComputeInput, wire::RegisterComputeDef);

/// A request naming one compute: `DescribeCompute`, `DeregisterCompute`,
/// `GetComputeAuthToken` (`DescribeComputeInput` …: the same two members).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ComputeNameInput {
    /// The fleet, by id or ARN: required.
    pub fleet_id: Option<String>,
    /// The compute's name or ARN: required.
    pub compute_name: Option<String>,
}

object_only!(ComputeNameInput, wire::ComputeNameDef);

fn check_fleet(v: &mut Validator, id: Option<&str>, limits: &Limits) {
    let path = FieldPath::Member("fleetId");
    if let Some(id) = v.required(path, id) {
        v.fleet_id_or_arn(path, id, limits);
    }
}

fn check_compute_name(v: &mut Validator, path: FieldPath, name: &str) {
    v.length(path, name, 1, 128, false);
    v.pattern(path, name, COMPUTE_NAME_PATTERN, is_compute_name);
}

impl RegisterComputeInput {
    /// A request to register `compute_name` at `ip_address` in `location`.
    #[must_use]
    pub fn new(
        fleet_id: impl Into<String>,
        compute_name: impl Into<String>,
        ip_address: impl Into<String>,
        location: impl Into<String>,
    ) -> Self {
        RegisterComputeInput {
            fleet_id: Some(fleet_id.into()),
            compute_name: Some(compute_name.into()),
            ip_address: Some(ip_address.into()),
            location: Some(location.into()),
            ..RegisterComputeInput::default()
        }
    }

    /// Validates the request against the model and an Anywhere fleet's
    /// needs (`IpAddress` and `Location` required).
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    ///
    /// ```
    /// use gamelift_session::{Limits, fleet::RegisterComputeInput};
    ///
    /// let ok = RegisterComputeInput::new("fleet-1", "my-pc", "127.0.0.1", "custom-home");
    /// assert!(ok.validate_with(&Limits::AWS).is_ok());
    /// let bad = RegisterComputeInput::new("fleet-1", "my pc", "127.0.0.1", "custom-home");
    /// assert!(bad.validate_with(&Limits::AWS).unwrap_err().to_string().contains("at 'computeName'"));
    /// ```
    pub fn validate_with(&self, limits: &Limits) -> Result<(), GameLiftError> {
        let mut v = Validator::default();
        check_fleet(&mut v, self.fleet_id.as_deref(), limits);
        let path = FieldPath::Member("computeName");
        if let Some(name) = v.required(path, self.compute_name.as_deref()) {
            check_compute_name(&mut v, path, name);
        }
        let path = FieldPath::Member("ipAddress");
        if let Some(ip) = v.required(path, self.ip_address.as_deref()) {
            v.length(path, ip, 1, 128, false);
            v.pattern(path, ip, "^[0-9a-fA-F.:]+$", |s| {
                s.parse::<std::net::IpAddr>().is_ok()
            });
        }
        if let Some(d) = &self.dns_name {
            v.length(FieldPath::Member("dnsName"), d, 1, 256, false);
        }
        let path = FieldPath::Member("location");
        if let Some(l) = v.required(path, self.location.as_deref()) {
            check_location_name(&mut v, path, l);
        }
        if let Some(c) = &self.certificate_path {
            v.length(FieldPath::Member("certificatePath"), c, 1, 1024, false);
        }
        v.finish()?;
        Ok(())
    }

    /// The compute a validated request registers, on the fleet `fleet_arn`,
    /// in `region` of `account_id`, whose game servers dial `endpoint`.
    #[must_use]
    pub fn compute(
        &self,
        fleet_arn: &str,
        region: &str,
        account_id: &str,
        endpoint: &str,
        now: OffsetDateTime,
    ) -> Compute {
        let fleet = crate::model::ids::fleet_id_of(self.fleet_id.as_deref().unwrap_or_default());
        let name = self.compute_name.clone().unwrap_or_default();
        Compute {
            fleet_id: Some(fleet.to_owned()),
            fleet_arn: Some(fleet_arn.to_owned()),
            compute_arn: Some(format!(
                "arn:aws:gamelift:{region}:{account_id}:compute/{fleet}/{name}"
            )),
            compute_name: Some(name),
            ip_address: self.ip_address.clone(),
            dns_name: self.dns_name.clone(),
            compute_status: Some("ACTIVE".to_owned()),
            location: self.location.clone(),
            creation_time: Some(now),
            certificate_path: self.certificate_path.clone(),
            game_lift_service_sdk_endpoint: Some(endpoint.to_owned()),
            game_lift_agent_endpoint: Some(endpoint.to_owned()),
        }
    }
}

impl ComputeNameInput {
    /// A request naming `compute_name` of `fleet_id`.
    #[must_use]
    pub fn new(fleet_id: impl Into<String>, compute_name: impl Into<String>) -> Self {
        ComputeNameInput {
            fleet_id: Some(fleet_id.into()),
            compute_name: Some(compute_name.into()),
        }
    }

    /// Validates the request; answers the fleet id and the compute's name
    /// (an ARN gives its last part).
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate_with(&self, limits: &Limits) -> Result<(&str, &str), GameLiftError> {
        let mut v = Validator::default();
        check_fleet(&mut v, self.fleet_id.as_deref(), limits);
        let path = FieldPath::Member("computeName");
        if let Some(name) = v.required(path, self.compute_name.as_deref()) {
            v.length(path, name, 1, 1024, false);
        }
        v.finish()?;
        let fleet = crate::model::ids::fleet_id_of(self.fleet_id.as_deref().unwrap_or_default());
        let name = self.compute_name.as_deref().unwrap_or_default();
        let name = match name.strip_prefix("arn:") {
            Some(_) => name.rsplit('/').next().unwrap_or(name),
            None => name,
        };
        Ok((fleet, name))
    }
}

/// `NotFoundException` for a compute the fleet does not have.
#[must_use]
pub fn compute_not_found(fleet_id: &str, compute_name: &str) -> GameLiftError {
    GameLiftError::not_found(format!(
        "Compute {} not found in fleet {}",
        Cut(compute_name),
        Cut(fleet_id)
    ))
}

/// The answer to `GetComputeAuthToken`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ComputeAuthToken {
    /// The fleet.
    pub fleet_id: String,
    /// Its ARN.
    pub fleet_arn: String,
    /// The compute.
    pub compute_name: String,
    /// Its ARN.
    pub compute_arn: String,
    /// The token a game server gives when it connects.
    pub auth_token: String,
    /// When it stops being taken.
    #[serde(serialize_with = "crate::model::timestamp::option::serialize")]
    pub expiration_timestamp: Option<OffsetDateTime>,
}

impl ComputeAuthToken {
    /// The token `token` for `compute`, issued at `now`.
    #[must_use]
    pub fn new(compute: &Compute, token: String, now: OffsetDateTime) -> Self {
        ComputeAuthToken {
            fleet_id: compute.fleet_id.clone().unwrap_or_default(),
            fleet_arn: compute.fleet_arn.clone().unwrap_or_default(),
            compute_name: compute.compute_name.clone().unwrap_or_default(),
            compute_arn: compute.compute_arn.clone().unwrap_or_default(),
            auth_token: token,
            expiration_timestamp: Some(now + AUTH_TOKEN_LIFETIME),
        }
    }
}

/// A request for a fleet's computes (`ListComputeInput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ListComputeInput {
    /// The fleet, by id or ARN: required.
    pub fleet_id: Option<String>,
    /// Only the computes of this location.
    pub location: Option<String>,
    /// Only the computes of this status.
    pub compute_status: Option<String>,
    /// The page size.
    pub limit: Option<i32>,
    /// Where the page starts.
    pub next_token: Option<String>,
}

object_only!(ListComputeInput, wire::ListComputeDef);

/// The answer to `ListCompute`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListComputeOutput<'a> {
    /// The computes of the page.
    pub compute_list: Vec<&'a Compute>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl ListComputeInput {
    /// Validates the request; answers the fleet id.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate_with(&self, limits: &Limits) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        check_fleet(&mut v, self.fleet_id.as_deref(), limits);
        paging::check(&mut v, self.limit, self.next_token.as_deref(), limits);
        v.finish()?;
        Ok(crate::model::ids::fleet_id_of(
            self.fleet_id.as_deref().unwrap_or_default(),
        ))
    }

    /// One page of `computes` (the fleet's), filtered.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for a `NextToken` naming no compute.
    pub fn select<'a>(
        &self,
        computes: impl IntoIterator<Item = &'a Compute>,
        limits: &Limits,
    ) -> Result<ListComputeOutput<'a>, GameLiftError> {
        let items = computes
            .into_iter()
            .filter(|c| self.location.is_none() || c.location == self.location)
            .filter(|c| self.compute_status.is_none() || c.compute_status == self.compute_status)
            .map(|c| (c.compute_name.as_deref(), Some(c)));
        let size = paging::size(self.limit, limits.default_describe_page_size);
        let (page, next_token) = paging::page_after(items, self.next_token.as_deref(), size)?;
        Ok(ListComputeOutput {
            compute_list: page,
            next_token,
        })
    }
}

/// The serde twins of the shapes.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "Compute", rename_all = "PascalCase")]
    pub(super) struct ComputeDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compute_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compute_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ip_address: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dns_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compute_status: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        creation_time: Option<OffsetDateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        certificate_path: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            rename = "GameLiftServiceSdkEndpoint"
        )]
        game_lift_service_sdk_endpoint: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            rename = "GameLiftAgentEndpoint"
        )]
        game_lift_agent_endpoint: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "RegisterComputeInput", rename_all = "PascalCase")]
    pub(super) struct RegisterComputeDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compute_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ip_address: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dns_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        certificate_path: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "ComputeNameInput", rename_all = "PascalCase")]
    pub(super) struct ComputeNameDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compute_name: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "ListComputeInput", rename_all = "PascalCase")]
    pub(super) struct ListComputeDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compute_status: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }
}
