//! The life of a game session after its creation: the status changes a game
//! server drives, `TerminateGameSession`, and the rules the updatable
//! members drive (who may join, what a scale-down may end).
//!
//! ```text
//!              Activate                 BeginTermination            FinishTermination
//! ACTIVATING ───────────> ACTIVE ───────────────────────> TERMINATING ─────────────────> TERMINATED
//!      │                    │   TerminateGameSession(TRIGGER_ON_PROCESS_TERMINATE) ─┘        ^
//!      │ FailActivation     └── TerminateGameSession(FORCE_TERMINATE) ───────────────────────┘
//!      v
//!    ERROR
//! ```

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::model::enums::{
    EnumValue, GameSessionStatus, GameSessionStatusReason, ProtectionPolicy, TerminationMode,
};
use crate::model::error::{GameLiftError, SessionAction};
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::shapes::{GameSession, GameSessionDetail};
use crate::model::validate::{FieldPath, Validator};
use crate::player_session::check_admission;

/// A status change driven by the game server hosting a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transition {
    /// The server process is ready: `ACTIVATING` -> `ACTIVE`.
    Activate,
    /// The server process failed to start the session: `ACTIVATING` -> `ERROR`.
    FailActivation,
    /// The session is shutting down: `ACTIVE` -> `TERMINATING`.
    BeginTermination,
    /// The server process ended: `TERMINATING` -> `TERMINATED`, with `TerminationTime`.
    FinishTermination,
}

impl Transition {
    /// The status a session must have for this transition, and the one it gets.
    #[must_use]
    pub fn statuses(self) -> (GameSessionStatus, GameSessionStatus) {
        use GameSessionStatus::{Activating, Active, Error, Terminated, Terminating};
        match self {
            Transition::Activate => (Activating, Active),
            Transition::FailActivation => (Activating, Error),
            Transition::BeginTermination => (Active, Terminating),
            Transition::FinishTermination => (Terminating, Terminated),
        }
    }
}

fn session_of(detail: &GameSessionDetail) -> Result<&GameSession, GameLiftError> {
    detail
        .game_session
        .as_ref()
        .ok_or_else(|| GameLiftError::InvalidRequest {
            message: "The game session detail holds no game session".to_owned(),
        })
}

fn id_of(session: &GameSession) -> String {
    session.game_session_id.clone().unwrap_or_default()
}

/// Applies a game-server-driven status change to `detail`: all or nothing.
///
/// # Errors
///
/// `InvalidGameSessionStatusException` when the session's status is not the
/// one the transition starts from; the session is then untouched.
///
/// # Example
///
/// ```
/// use gamelift_session::{
///     GameSession, GameSessionDetail, GameSessionStatus,
///     game_session::{Transition, transition},
/// };
/// use time::OffsetDateTime;
///
/// let mut session = GameSession::default();
/// session.game_session_id = Some("gs-1".into());
/// session.status = Some(GameSessionStatus::Activating);
/// let mut detail = GameSessionDetail::new(session, None);
/// transition(&mut detail, Transition::Activate, OffsetDateTime::UNIX_EPOCH).unwrap();
/// assert_eq!(detail.game_session.as_ref().unwrap().status, Some(GameSessionStatus::Active));
///
/// let err = transition(&mut detail, Transition::Activate, OffsetDateTime::UNIX_EPOCH).unwrap_err();
/// assert_eq!(err.to_string(), "Game session gs-1 cannot move from status ACTIVE to ACTIVE");
/// ```
pub fn transition(
    detail: &mut GameSessionDetail,
    transition: Transition,
    now: OffsetDateTime,
) -> Result<(), GameLiftError> {
    let (from, to) = transition.statuses();
    let session = session_of(detail)?;
    if session.status != Some(from) {
        return Err(GameLiftError::InvalidGameSessionStatus {
            game_session_id: id_of(session),
            status: session.status,
            action: SessionAction::Transition { to },
        });
    }
    if let Some(session) = detail.game_session.as_mut() {
        session.status = Some(to);
        if to == GameSessionStatus::Terminated {
            session.termination_time = Some(now);
        }
    }
    Ok(())
}

/// A request to end a game session (`TerminateGameSessionInput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct TerminateGameSessionInput {
    /// The session to end: required, 1 to 512 of `[a-zA-Z0-9:/-]`.
    pub game_session_id: Option<String>,
    /// How to end it: required.
    pub termination_mode: Option<EnumValue<TerminationMode>>,
}

object_only!(
    TerminateGameSessionInput,
    wire::TerminateGameSessionInputDef
);

impl TerminateGameSessionInput {
    /// A request to end `game_session_id` in `mode`.
    #[must_use]
    pub fn new(game_session_id: impl Into<String>, mode: TerminationMode) -> Self {
        TerminateGameSessionInput {
            game_session_id: Some(game_session_id.into()),
            termination_mode: Some(EnumValue::Known(mode)),
        }
    }

    /// Validates this request under AWS's limits.
    ///
    /// # Errors
    ///
    /// As [`TerminateGameSessionInput::validate_with`].
    pub fn validate(&self) -> Result<ValidatedTerminate<'_>, GameLiftError> {
        self.validate_with(&Limits::AWS)
    }

    /// Validates this request against the model and `limits`.
    ///
    /// # Errors
    ///
    /// [`GameLiftError::Validation`] with every violation.
    pub fn validate_with(&self, limits: &Limits) -> Result<ValidatedTerminate<'_>, GameLiftError> {
        let mut v = Validator::default();
        let id_path = FieldPath::Member("gameSessionId");
        let id = v.required(id_path, self.game_session_id.as_deref());
        if let Some(id) = id {
            v.arn_string(id_path, id, limits);
        }
        let mode_path = FieldPath::Member("terminationMode");
        let mode = v.required(mode_path, self.termination_mode.as_ref());
        if let Some(mode) = mode {
            v.enum_value(mode_path, mode);
        }
        v.finish()?;
        match (id, mode.and_then(EnumValue::known)) {
            (Some(game_session_id), Some(mode)) => Ok(ValidatedTerminate {
                game_session_id,
                mode,
            }),
            // Unreachable: both were checked above, and `finish` passed.
            _ => Err(GameLiftError::invalid_request(
                "GameSessionId and TerminationMode are required",
            )),
        }
    }
}

/// A terminate request that passed validation (under some [`Limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidatedTerminate<'a> {
    game_session_id: &'a str,
    mode: TerminationMode,
}

impl<'a> ValidatedTerminate<'a> {
    /// The requested session's id: the key to look the session up by.
    #[must_use]
    pub fn game_session_id(&self) -> &'a str {
        self.game_session_id
    }

    /// How the session is to end.
    #[must_use]
    pub fn mode(&self) -> TerminationMode {
        self.mode
    }

    /// Ends `detail`; see [`terminate_game_session`].
    ///
    /// # Errors
    ///
    /// `NotFoundException` when `detail` is not the requested session,
    /// `InvalidGameSessionStatusException` for an `ERROR` or `TERMINATED`
    /// session. The session is then untouched.
    pub fn apply(
        &self,
        detail: &mut GameSessionDetail,
        now: OffsetDateTime,
    ) -> Result<(), GameLiftError> {
        let (id, mode) = (self.game_session_id, self.mode);
        let actual = detail
            .game_session
            .as_ref()
            .and_then(|s| s.game_session_id.as_deref());
        if actual != Some(id) {
            return Err(GameLiftError::GameSessionMismatch {
                requested: id.to_owned(),
                actual: actual.map(str::to_owned),
            });
        }
        let Some(session) = detail.game_session.as_mut() else {
            return Ok(()); // unreachable: the id matched a session
        };
        match session.status {
            Some(
                GameSessionStatus::Activating
                | GameSessionStatus::Active
                | GameSessionStatus::Terminating,
            ) => {}
            status => {
                return Err(GameLiftError::InvalidGameSessionStatus {
                    game_session_id: id.to_owned(),
                    status,
                    action: SessionAction::Terminate,
                });
            }
        }
        match mode {
            TerminationMode::TriggerOnProcessTerminate => {
                session.status = Some(GameSessionStatus::Terminating);
                session.status_reason = Some(GameSessionStatusReason::TriggeredOnProcessTerminate);
            }
            TerminationMode::ForceTerminate => {
                session.status = Some(GameSessionStatus::Terminated);
                session.status_reason = Some(GameSessionStatusReason::ForceTerminated);
                session.termination_time = Some(now);
            }
        }
        Ok(())
    }
}

/// Applies `TerminateGameSession` to `detail`: all or nothing.
///
/// `TRIGGER_ON_PROCESS_TERMINATE` asks the game server to end the session:
/// it becomes `TERMINATING` with reason `TRIGGERED_ON_PROCESS_TERMINATE`,
/// and [`Transition::FinishTermination`] ends it. `FORCE_TERMINATE` ends it
/// at once: `TERMINATED`, reason `FORCE_TERMINATED`, `TerminationTime` set.
/// Any session but an `ERROR` or `TERMINATED` one can be terminated.
///
/// # Errors
///
/// `InvalidRequestException` for an invalid request, `NotFoundException`
/// when `detail` is not the requested session,
/// `InvalidGameSessionStatusException` for an `ERROR` or `TERMINATED`
/// session. The session is then untouched.
pub fn terminate_game_session(
    detail: &mut GameSessionDetail,
    input: &TerminateGameSessionInput,
    now: OffsetDateTime,
) -> Result<(), GameLiftError> {
    input.validate()?.apply(detail, now)
}

/// Whether `players` more players may join the session now.
///
/// A player may join an `ACTIVE` session that accepts new players
/// (`ACCEPT_ALL`, or no policy) and has a free slot for each: the smaller
/// of `MaximumPlayerSessionCount` and the 200-player ceiling, less
/// `CurrentPlayerSessionCount`. The same rule as [`Joins::admit`](crate::player_session::Joins::admit),
/// which counts the player sessions themselves.
///
/// # Errors
///
/// `InvalidGameSessionStatusException` unless the session is `ACTIVE`;
/// `GameSessionFullException` when it denies new players (**decision**:
/// AWS names no exception for `DENY_ALL`; this one says to retry later,
/// which is what a client should do) or has too few free slots.
pub fn check_player_join(detail: &GameSessionDetail, players: usize) -> Result<(), GameLiftError> {
    let session = session_of(detail)?;
    let occupied = usize::try_from(session.current_player_session_count.unwrap_or(0)).unwrap_or(0);
    let id = session.game_session_id.as_deref().unwrap_or_default();
    check_admission(session, id, occupied, players, &Limits::AWS)
}

/// Whether a fleet scale-down may terminate the session: not while it is
/// `ACTIVE` under `FullProtection`.
#[must_use]
pub fn may_terminate_on_scale_down(detail: &GameSessionDetail) -> bool {
    let active = detail
        .game_session
        .as_ref()
        .is_some_and(|s| s.status == Some(GameSessionStatus::Active));
    !(active && detail.protection_policy == Some(ProtectionPolicy::FullProtection))
}

/// The wire form of each shape, derived on a private twin (`#[serde(remote)]`),
/// so the public types carry no inherent `serialize` or `deserialize` that
/// would bypass the object-only rule. A member missing here does not compile.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "TerminateGameSessionInput", rename_all = "PascalCase")]
    pub(super) struct TerminateGameSessionInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        termination_mode: Option<EnumValue<TerminationMode>>,
    }
}
