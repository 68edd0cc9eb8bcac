//! The handshake: the crate checks the query's forms, then the fleet must
//! be one made with `CreateFleet`, the compute registered on it, and the
//! token one of the compute's, unexpired. A process is then connected, or
//! resumed by the new connection.

use gamelift_session::game_server::{Handshake, HandshakeError, ProcessKey};

use super::GameServersWorld;
use crate::context::Context;
use crate::fleets::{Fleets, Link, Placement};
use crate::log::Bounded;

/// What an accepted handshake names: the process, and where it runs.
#[derive(Debug, Clone)]
pub(crate) struct Accepted {
    pub(crate) key: ProcessKey,
    pub(crate) at: Placement,
    /// When the token it connected with expires, epoch seconds.
    pub(crate) token_expires: i64,
}

fn where_it_runs(
    fleets: &Fleets,
    key: &ProcessKey,
    token: &str,
    region: &str,
    now: time::OffsetDateTime,
) -> Result<(Placement, i64), HandshakeError> {
    let fleet = fleets.created(&key.fleet_id).ok_or_else(|| {
        HandshakeError::new(format!(
            "Fleet {} does not run server processes: create it with CreateFleet",
            Bounded(&key.fleet_id)
        ))
    })?;
    let row = fleets
        .compute(&key.fleet_id, &key.compute_name)
        .ok_or_else(|| {
            HandshakeError::new(format!(
                "Compute {} is not registered on fleet {}",
                Bounded(&key.compute_name),
                fleet.fleet_id
            ))
        })?;
    if !row.accepts(token, now) {
        return Err(HandshakeError::new(format!(
            "The Authorization token is not one GetComputeAuthToken issued for compute {}, or it has expired",
            Bounded(&key.compute_name)
        )));
    }
    let c = &row.compute;
    let address = c
        .ip_address
        .as_deref()
        .and_then(|a| a.parse().ok())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    let placement = Placement {
        location: c.location.clone().unwrap_or_else(|| region.to_owned()),
        address,
        dns_name: c.dns_name.clone(),
        launched: !fleet.is_anywhere(),
    };
    Ok((placement, row.expiry_of(token).unwrap_or(0)))
}

/// Checks `handshake`: answers the process it names and where it runs.
///
/// # Errors
///
/// [`HandshakeError`] (HTTP 403) naming what is wrong; never the token.
pub(crate) fn check_handshake<S: GameServersWorld>(
    cx: &Context<S>,
    handshake: &Handshake,
) -> Result<Accepted, HandshakeError> {
    let key = handshake.check()?;
    let env = cx.env();
    let token = handshake.authorization.as_deref().unwrap_or_default();
    let mut store = cx.lock();
    let (at, token_expires) = where_it_runs(store.fleets(), &key, token, env.region(), env.now())?;
    store.fleets().processes.check_room(&key)?;
    Ok(Accepted {
        key,
        at,
        token_expires,
    })
}

/// Connects the process `accepted` names through `link`, or resumes it;
/// answers whether it was resumed.
///
/// # Errors
///
/// The compute filled up between the handshake and now (other handshakes
/// ran meanwhile): the process is not connected.
pub(crate) fn connect<S: GameServersWorld>(
    cx: &Context<S>,
    accepted: Accepted,
    idempotency_token: Option<String>,
    link: Link,
) -> Result<bool, HandshakeError> {
    let now = cx.env().now();
    let mut store = cx.lock();
    let processes = &mut store.fleets().processes;
    let resumed = processes.connect(&accepted.key, accepted.at, idempotency_token, link, now)?;
    if let Some(p) = processes.get_mut(&accepted.key) {
        p.token_expires = accepted.token_expires;
    }
    Ok(resumed)
}
