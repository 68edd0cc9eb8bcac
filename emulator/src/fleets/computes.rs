//! Computes: `RegisterCompute`, `DescribeCompute`, `ListCompute` and
//! `GetComputeAuthToken` (`DeregisterCompute` ends processes and sessions:
//! the game servers' room has it), and the tokens game servers connect
//! with.
//!
//! **Decisions**: `GetComputeAuthToken` issues a new token each call
//! (three hours, the crate's `AUTH_TOKEN_LIFETIME`); a compute keeps its
//! unexpired tokens, at most [`MAX_TOKENS`], the newest, so that a game
//! server given any recent one connects. A launched fleet's compute (the
//! emulator's own machine) is registered by the emulator.

use gamelift_session::GameLiftError;
use gamelift_session::fleet::{
    Compute, ComputeAuthToken, ComputeNameInput, ListComputeInput, RegisterComputeInput,
    compute_not_found,
};
use gamelift_session::model::fleet_id_of;
use time::OffsetDateTime;

use super::{Fleets, FleetsWorld};
use crate::context::Context;
use crate::protocol::{Answer, Member, Protocol};
use crate::settings::ACCOUNT_ID;
use crate::state::AuthToken;
pub(crate) use crate::state::ComputeRecord as ComputeRow;

/// The most unexpired tokens a compute keeps.
pub(crate) const MAX_TOKENS: usize = 16;

/// The key of `compute` of `fleet` in the `Computes` table.
pub(crate) fn compute_key(fleet: &str, compute: &str) -> String {
    format!("{fleet}/{compute}")
}

impl ComputeRow {
    /// Issues a new token at `now`, forgetting the expired and the oldest
    /// past [`MAX_TOKENS`].
    pub(crate) fn issue(&mut self, token: String, now: OffsetDateTime) -> ComputeAuthToken {
        self.auth_tokens
            .retain(|t| t.expires > now.unix_timestamp());
        if self.auth_tokens.len() >= MAX_TOKENS {
            self.auth_tokens.remove(0);
        }
        let issued = ComputeAuthToken::new(&self.compute, token, now);
        self.auth_tokens.push(AuthToken {
            auth_token: issued.auth_token.clone(),
            expires: issued.expiration_timestamp.unwrap_or(now).unix_timestamp(),
        });
        issued
    }

    /// Whether `token` is one of its tokens, unexpired at `now`.
    pub(crate) fn accepts(&self, token: &str, now: OffsetDateTime) -> bool {
        self.auth_tokens
            .iter()
            .any(|t| t.auth_token == token && t.expires > now.unix_timestamp())
    }

    /// When `token` expires, epoch seconds.
    pub(crate) fn expiry_of(&self, token: &str) -> Option<i64> {
        self.auth_tokens
            .iter()
            .find(|t| t.auth_token == token)
            .map(|t| t.expires)
    }
}

/// The fleet `id` as a host of computes: it must be an Anywhere fleet for
/// `RegisterCompute`, and exist for the rest.
fn check_fleet(fleets: &Fleets, fleet: &str, registering: bool) -> Result<(), GameLiftError> {
    match fleets.created(fleet) {
        None => Err(GameLiftError::not_found(format!(
            "Fleet {} not found",
            crate::log::Bounded(fleet)
        ))),
        Some(f) if registering && !f.is_anywhere() => Err(GameLiftError::invalid_request(format!(
            "Fleet {} is not an ANYWHERE fleet: its computes are the emulator's",
            f.fleet_id
        ))),
        Some(_) => Ok(()),
    }
}

pub(crate) fn register_compute<S: FleetsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: RegisterComputeInput = p.parse(body)?;
    input.validate_with(env.limits())?;
    let fleet = fleet_id_of(input.fleet_id.as_deref().unwrap_or_default()).to_owned();
    let endpoint = env.sdk_endpoint();
    let now = env.now();
    let mut store = cx.lock();
    let fleets = store.fleets();
    check_fleet(fleets, &fleet, true)?;
    let location = input.location.as_deref().unwrap_or_default();
    let f = fleets.created(&fleet).cloned().unwrap_or_default();
    if !f.locations.iter().any(|l| l == location) {
        return Err(GameLiftError::invalid_request(format!(
            "Location {} is not a location of fleet {fleet}",
            crate::log::Bounded(location)
        )));
    }
    let arn = f.attributes(env.region(), ACCOUNT_ID).fleet_arn;
    let compute = input.compute(&arn, env.region(), ACCOUNT_ID, &endpoint, now);
    let name = compute.compute_name.clone().unwrap_or_default();
    fleets.register_compute(&fleet, compute);
    tracing::info!(fleet_id = fleet, compute_name = name, "compute registered");
    let row = fleets
        .compute(&fleet, &name)
        .ok_or_else(|| compute_not_found(&fleet, &name))?;
    p.write(&Member("Compute", &row.compute))
}

pub(crate) fn describe_compute<S: FleetsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: ComputeNameInput = p.parse(body)?;
    let (fleet, name) = input.validate_with(env.limits())?;
    let mut store = cx.lock();
    let fleets = store.fleets();
    check_fleet(fleets, fleet, false)?;
    let row = fleets
        .compute(fleet, name)
        .ok_or_else(|| compute_not_found(fleet, name))?;
    p.write(&Member("Compute", &row.compute))
}

pub(crate) fn list_compute<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let env = cx.env();
    let input: ListComputeInput = p.parse(body)?;
    let fleet = input.validate_with(env.limits())?;
    let mut store = cx.lock();
    let fleets = store.fleets();
    check_fleet(fleets, fleet, false)?;
    let computes: Vec<&Compute> = fleets.computes_of(fleet).map(|r| &r.compute).collect();
    p.write(&input.select(computes, env.limits())?)
}

pub(crate) fn get_compute_auth_token<S: FleetsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: ComputeNameInput = p.parse(body)?;
    let (fleet, name) = input.validate_with(env.limits())?;
    let token = env.ids().secret();
    let now = env.now();
    let mut store = cx.lock();
    let fleets = store.fleets();
    check_fleet(fleets, fleet, false)?;
    let issued = fleets
        .issue_token(fleet, name, token, now)
        .ok_or_else(|| compute_not_found(fleet, name))?;
    p.write(&issued)
}
