//! Player sessions: `CreatePlayerSession`, `CreatePlayerSessions` and
//! `DescribePlayerSessions`, the simulated game server accepting players
//! (`--player-acceptance`), and the control API's `player-sessions/accept`
//! and `remove`. Player sessions are kept beside their game session in the
//! game sessions' table, where every change to both is one change; the
//! rules are the crate's (`gamelift_session::player_session`).

use gamelift_session::GameLiftError;
use gamelift_session::player_session::{
    CreatePlayerSessionInput, CreatePlayerSessionOutput, CreatePlayerSessionsInput,
    CreatePlayerSessionsOutput, DescribePlayerSessionsInput, Joins, PlayerSession,
    PlayerSessionChange, change_player_session,
};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::context::{Context, Env};
use crate::fleets::Fleets;
use crate::game_sessions::{Sessions, SessionsWorld};
use crate::log::Bounded;
use crate::protocol::{Answer, Protocol};
use crate::settings::PlayerAcceptance;

/// Admits players to a game session, and has the simulated game server
/// accept them when it does so at once. The answer is the new player
/// sessions as GameLift answers them, RESERVED: the game server accepts
/// them after, so the next describe shows them ACTIVE. A session a real
/// server process holds (`hosted`) leaves them RESERVED: its process
/// accepts them (`AcceptPlayerSession`), or they time out.
///
/// # Errors
///
/// What the crate's admission answers: the session is not found, not
/// ACTIVE, full or denying new players.
pub(crate) fn join(
    env: &Env,
    sessions: &mut Sessions,
    fleets: &Fleets,
    joins: &Joins<'_>,
    now: OffsetDateTime,
) -> Result<Vec<PlayerSession>, GameLiftError> {
    let limits = env.limits();
    let simulated = fleets.processes.host_of(joins.game_session_id()).is_none();
    sessions.change(joins.game_session_id(), |detail, players| {
        let mut new_id = || env.ids().player_session();
        let joined = joins
            .admit(detail, players, now, &mut new_id, limits)?
            .to_vec();
        if simulated && env.settings().player_acceptance == PlayerAcceptance::Immediate {
            for p in &joined {
                let id = p.player_session_id.as_deref().unwrap_or_default();
                change_player_session(
                    detail,
                    players,
                    id,
                    PlayerSessionChange::Accept,
                    now,
                    limits,
                )?;
            }
        }
        Ok(joined)
    })
}

fn join_locked<S: SessionsWorld>(
    cx: &Context<S>,
    joins: &Joins<'_>,
) -> Result<Vec<PlayerSession>, GameLiftError> {
    let env = cx.env();
    let now = env.now();
    let mut store = cx.lock();
    let (sessions, fleets) = store.game_sessions();
    sessions.expire(now, env.limits());
    join(env, sessions, fleets, joins, now)
}

pub(crate) fn create_player_session<S: SessionsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: CreatePlayerSessionInput = p.parse(body)?;
    let joined = join_locked(cx, &input.validate_with(cx.env().limits())?)?;
    p.write(&CreatePlayerSessionOutput::new(
        joined.into_iter().next().unwrap_or_default(),
    ))
}

pub(crate) fn create_player_sessions<S: SessionsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: CreatePlayerSessionsInput = p.parse(body)?;
    let joined = join_locked(cx, &input.validate_with(cx.env().limits())?)?;
    p.write(&CreatePlayerSessionsOutput::new(joined))
}

pub(crate) fn describe_player_sessions<S: SessionsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: DescribePlayerSessionsInput = p.parse(body)?;
    let env = cx.env();
    let mut store = cx.lock();
    let (sessions, _) = store.game_sessions();
    let output = input.select(sessions.candidates(&input), env.now(), env.limits())?;
    p.write(&output)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PlayerRequest {
    player_session_id: Option<String>,
}

/// `POST /_emulator/player-sessions/{accept|remove}`: what the simulated
/// game server does to a player session.
pub(crate) fn player_server<S: SessionsWorld>(
    cx: &Context<S>,
    change: PlayerSessionChange,
    body: &[u8],
) -> Answer {
    let request: PlayerRequest = Protocol::Json.parse(body)?;
    let Some(id) = request.player_session_id else {
        return Err(GameLiftError::invalid_request(
            "The body needs a PlayerSessionId: {\"PlayerSessionId\": \"psess-...\"}",
        ));
    };
    let env = cx.env();
    let now = env.now();
    let mut store = cx.lock();
    let (sessions, _) = store.game_sessions();
    let not_found =
        || GameLiftError::not_found(format!("Player session {} not found", Bounded(&id)));
    let owner = sessions.owner_of(&id).ok_or_else(not_found)?.to_owned();
    sessions.change(&owner, |detail, players| {
        let changed = change_player_session(detail, players, &id, change, now, env.limits())?;
        Protocol::Json.write(&serde_json::json!({ "PlayerSession": changed }))
    })
}
