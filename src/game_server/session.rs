//! What a server process does to the game session it holds, and how a
//! session ends with its process.
//!
//! The rules (SPEC §10; **decisions** marked):
//!
//! - A session given to a process is `ACTIVATING` with the process's
//!   address (its compute's `IpAddress`, and `DnsName` when the compute has
//!   one) and port from the start: the `CreateGameSession` push carries
//!   them ([`host_game_session`]).
//! - `ActivateGameSession` from the holding process: `ACTIVATING` →
//!   `ACTIVE` ([`activate_hosted_session`]); for a session in another
//!   status, `InvalidGameSessionStatusException` (a 400 reply).
//! - A session not activated within the activation timeout
//!   ([`activation_timed_out`]; the fleet's
//!   `GameSessionActivationTimeoutSeconds`, **decision** 600 s without
//!   one) ends `TERMINATED`.
//! - `UpdatePlayerSessionCreationPolicy` from the process sets the
//!   session's policy (`ACCEPT_ALL` or `DENY_ALL`).
//! - A session ends with its process ([`end_hosted_session`]):
//!   `TERMINATED`, with the reason given (`INTERRUPTED` for a lost process,
//!   `FORCE_TERMINATED`), or without one for a `ProcessEnding`, which keeps
//!   `TRIGGERED_ON_PROCESS_TERMINATE` when it answers a
//!   `TerminateGameSession`; its RESERVED and ACTIVE player sessions end
//!   `COMPLETED`.

use std::net::IpAddr;

use time::OffsetDateTime;

use super::frames::CreateGameSessionPush;
use crate::game_session::{Transition, transition};
use crate::model::echo::Cut;
use crate::model::enums::{
    GameSessionStatus, GameSessionStatusReason, PlayerSessionCreationPolicy, WireEnum,
};
use crate::model::error::GameLiftError;
use crate::model::shapes::GameSessionDetail;
use crate::player_session::{PlayerSession, end_player_sessions};

/// How long a session may stay `ACTIVATING` on a fleet without a
/// `GameSessionActivationTimeoutSeconds` (**decision**: the model's most).
pub const DEFAULT_ACTIVATION_TIMEOUT: time::Duration = time::Duration::seconds(600);

/// Gives the new session `detail` (ACTIVATING) to a process listening on
/// `port` at `ip_address` (with `dns_name`, when its compute has one), and
/// answers the push that tells the process.
///
/// ```
/// use gamelift_session::{GameSession, GameSessionDetail, GameSessionStatus};
/// use gamelift_session::game_server::host_game_session;
///
/// let mut s = GameSession::default();
/// s.game_session_id = Some("gs-1".into());
/// s.status = Some(GameSessionStatus::Activating);
/// let mut detail = GameSessionDetail::new(s, None);
/// let push = host_game_session(&mut detail, "10.0.0.5".parse().unwrap(), 7777, None);
/// let s = detail.game_session.as_ref().unwrap();
/// assert_eq!(s.port, Some(7777));
/// assert_eq!(s.dns_name, None);
/// assert_eq!(push.port, 7777);
/// assert_eq!(push.ip_address, "10.0.0.5");
/// ```
pub fn host_game_session(
    detail: &mut GameSessionDetail,
    ip_address: IpAddr,
    port: u16,
    dns_name: Option<&str>,
) -> CreateGameSessionPush {
    if let Some(session) = detail.game_session.as_mut() {
        session.ip_address = Some(ip_address.to_string());
        session.port = Some(i32::from(port));
        session.dns_name = dns_name.map(str::to_owned);
    }
    let empty = crate::model::shapes::GameSession::default();
    CreateGameSessionPush::new(detail.game_session.as_ref().unwrap_or(&empty))
}

/// `ActivateGameSession` from the process holding the session:
/// `ACTIVATING` → `ACTIVE`, its address kept.
///
/// # Errors
///
/// `InvalidGameSessionStatusException` for a session not `ACTIVATING`; it
/// is then untouched.
pub fn activate_hosted_session(
    detail: &mut GameSessionDetail,
    now: OffsetDateTime,
) -> Result<(), GameLiftError> {
    transition(detail, Transition::Activate, now)
}

/// `UpdatePlayerSessionCreationPolicy` from the process holding the session.
///
/// # Errors
///
/// `InvalidRequestException` for a policy that is neither `ACCEPT_ALL`
/// nor `DENY_ALL`; the session is then untouched.
///
/// ```
/// use gamelift_session::{GameSession, GameSessionDetail};
/// use gamelift_session::model::PlayerSessionCreationPolicy;
/// use gamelift_session::game_server::set_player_session_policy;
///
/// let mut detail = GameSessionDetail::new(GameSession::default(), None);
/// set_player_session_policy(&mut detail, Some("DENY_ALL")).unwrap();
/// assert_eq!(
///     detail.game_session.unwrap().player_session_creation_policy,
///     Some(PlayerSessionCreationPolicy::DenyAll)
/// );
/// ```
pub fn set_player_session_policy(
    detail: &mut GameSessionDetail,
    policy: Option<&str>,
) -> Result<(), GameLiftError> {
    let policy = policy
        .and_then(PlayerSessionCreationPolicy::from_wire)
        .ok_or_else(|| {
            GameLiftError::invalid_request(format!(
                "PlayerSessionPolicy {} is not one of [ACCEPT_ALL, DENY_ALL]",
                Cut(policy.unwrap_or("(none)"))
            ))
        })?;
    if let Some(session) = detail.game_session.as_mut() {
        session.player_session_creation_policy = Some(policy);
    }
    Ok(())
}

/// Whether the session has stayed `ACTIVATING` for `timeout` by `now`.
#[must_use]
pub fn activation_timed_out(
    detail: &GameSessionDetail,
    now: OffsetDateTime,
    timeout: time::Duration,
) -> bool {
    detail.game_session.as_ref().is_some_and(|s| {
        s.status == Some(GameSessionStatus::Activating)
            && s.creation_time.is_some_and(|t| now - t >= timeout)
    })
}

/// Ends a session with its process at `now`: `TERMINATED`, with `reason`
/// (or, without one, the reason it has: `TRIGGERED_ON_PROCESS_TERMINATE`
/// when a `TerminateGameSession` asked for it), its RESERVED and ACTIVE
/// player sessions `COMPLETED`. A session already `TERMINATED` or in
/// `ERROR` is left as it is. Answers whether it ended now.
///
/// ```
/// use gamelift_session::{GameSession, GameSessionDetail, GameSessionStatus};
/// use gamelift_session::model::GameSessionStatusReason;
/// use gamelift_session::game_server::end_hosted_session;
/// use time::OffsetDateTime;
///
/// let mut s = GameSession::default();
/// s.status = Some(GameSessionStatus::Active);
/// let mut detail = GameSessionDetail::new(s, None);
/// let now = OffsetDateTime::UNIX_EPOCH;
/// assert!(end_hosted_session(&mut detail, &mut [], Some(GameSessionStatusReason::Interrupted), now));
/// let s = detail.game_session.as_ref().unwrap();
/// assert_eq!(s.status, Some(GameSessionStatus::Terminated));
/// assert_eq!(s.status_reason, Some(GameSessionStatusReason::Interrupted));
/// assert!(!end_hosted_session(&mut detail, &mut [], None, now));
/// ```
pub fn end_hosted_session(
    detail: &mut GameSessionDetail,
    players: &mut [PlayerSession],
    reason: Option<GameSessionStatusReason>,
    now: OffsetDateTime,
) -> bool {
    let Some(session) = detail.game_session.as_mut() else {
        return false;
    };
    if !matches!(
        session.status,
        Some(
            GameSessionStatus::Activating
                | GameSessionStatus::Active
                | GameSessionStatus::Terminating
        )
    ) {
        return false;
    }
    session.status = Some(GameSessionStatus::Terminated);
    if reason.is_some() {
        session.status_reason = reason;
    }
    session.termination_time = Some(now);
    end_player_sessions(detail, players, now);
    true
}
