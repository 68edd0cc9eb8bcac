//! The game session operations over JSON 1.1 and CBOR. Every rule is the
//! crate's; a handler parses and validates outside the store's lock, and
//! holds the lock only to read or change the sessions.

use gamelift_session::UpdateGameSessionInput;
use gamelift_session::game_session::{
    CreateContext, CreateGameSessionInput, DescribeGameSessionsInput, TerminateGameSessionInput,
    replay_create_game_session,
};
use gamelift_session::model::fleet_id_of;
use gamelift_session::search::SearchGameSessionsInput;

use super::SessionsWorld;
use super::hosted::terminate_on_process;
use super::server::{end_players_if_ended, launch, session_output};
use crate::context::Context;
use crate::protocol::{Answer, Protocol};
use crate::settings::ACCOUNT_ID;

pub(crate) fn create_game_session<S: SessionsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let mut input: CreateGameSessionInput = p.parse(body)?;
    input.validate_with(env.limits())?;
    let fresh = env.ids().game_session();
    let now = env.now();
    let mut store = cx.lock();
    let (sessions, fleets) = store.game_sessions();
    let fleet = match (&input.fleet_id, &input.alias_id) {
        (Some(fleet), _) => fleet.clone(),
        (None, Some(alias)) => fleets.resolve(alias)?,
        (None, None) => String::new(),
    };
    // A session on an Anywhere fleet lives in a custom location: without
    // one named, the fleet's first (**decision**), so that its ARN, which
    // names the location, is known before a process is chosen.
    if input.location.is_none()
        && let Some(f) = fleets.created(&fleet).filter(|f| f.is_anywhere())
    {
        input.location = f.locations.first().cloned();
    }
    let validated = input.validate_with(env.limits())?;
    let context = CreateContext::new(env.region(), ACCOUNT_ID, fleet_id_of(&fleet), now, &fresh);
    let detail = validated.create(&context);
    let warnings = validated.warnings();
    let id = detail
        .game_session
        .as_ref()
        .and_then(|s| s.game_session_id.clone())
        .unwrap_or_default();
    // A repeated idempotency token answers the session it made, or a
    // mismatch; a session from a hand-written state file has no request
    // to compare with, and is answered.
    if let Some(existing) = sessions.find(&id) {
        let answer = match sessions.create_request(&id) {
            Some(original) => replay_create_game_session(original, existing, &input)?,
            None => existing,
        };
        return p.write(&session_output(Some(answer)));
    }
    // On a fleet with processes the session's ARN names the location its
    // process is in, which may not be the one asked.
    let id = launch(env, sessions, fleets, detail, &fleet, now)?;
    let answer = p.write(&session_output(sessions.find(&id)));
    if input.requested_id().is_some() {
        sessions.keep_create_request(&id, input);
    }
    drop(store);
    for warning in warnings {
        tracing::warn!(game_session_id = id, "CreateGameSession: {warning}");
    }
    answer
}

fn describe<S: SessionsWorld>(cx: &Context<S>, body: &[u8], p: Protocol, details: bool) -> Answer {
    let env = cx.env();
    let input: DescribeGameSessionsInput = p.parse(body)?;
    let validated = input.validate_with(env.limits())?;
    let mut store = cx.lock();
    let (sessions, fleets) = store.game_sessions();
    let alias_fleet = match (&input.fleet_id, &input.game_session_id, &input.alias_id) {
        (None, None, Some(alias)) => Some(fleets.resolve(alias)?),
        _ => None,
    };
    sessions.expire(env.now(), env.limits());
    // One session is looked up, not searched for.
    let page = match input.game_session_id.as_deref() {
        Some(id) => validated.select(sessions.find(id), alias_fleet.as_deref())?,
        None => validated.select(sessions.iter(), alias_fleet.as_deref())?,
    };
    if details {
        p.write(&page.details_output())
    } else {
        p.write(&page.game_sessions_output())
    }
}

pub(crate) fn describe_game_sessions<S: SessionsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    describe(cx, body, p, false)
}

pub(crate) fn describe_game_session_details<S: SessionsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    describe(cx, body, p, true)
}

pub(crate) fn update_game_session<S: SessionsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: UpdateGameSessionInput = p.parse(body)?;
    let update = input.validate_with(env.limits())?;
    let mut store = cx.lock();
    let (sessions, _) = store.game_sessions();
    sessions.expire(env.now(), env.limits());
    let (answer, report) = sessions.change(update.game_session_id(), |detail, _| {
        let report = update.apply(detail)?;
        Ok((p.write(&session_output(Some(detail))), report))
    })?;
    drop(store);
    for warning in report.warnings() {
        tracing::warn!(
            game_session_id = update.game_session_id(),
            "UpdateGameSession: {warning}"
        );
    }
    answer
}

pub(crate) fn search_game_sessions<S: SessionsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: SearchGameSessionsInput = p.parse(body)?;
    let search = input.validate_with(env.limits())?;
    // The lock is held to write the time-outs down and prepare the search
    // (a handle per 64 sessions), not for the scan: writers go on while
    // searches read.
    let prepared = {
        let mut store = cx.lock();
        let (sessions, fleets) = store.game_sessions();
        let alias_fleet = match (&input.fleet_id, &input.alias_id) {
            (None, Some(alias)) => Some(fleets.resolve(alias)?),
            _ => None,
        };
        sessions.expire(env.now(), env.limits());
        sessions.prepare(&search, alias_fleet.as_deref())?
    };
    p.write(&prepared.run())
}

pub(crate) fn terminate_game_session<S: SessionsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: TerminateGameSessionInput = p.parse(body)?;
    let terminate = input.validate_with(env.limits())?;
    let now = env.now();
    let mut store = cx.lock();
    let (sessions, fleets) = store.game_sessions();
    let id = terminate.game_session_id();
    // The crate's rule first, on a copy: a session it refuses reaches no
    // process.
    let mut check = sessions
        .find(id)
        .cloned()
        .ok_or_else(|| gamelift_session::GameLiftError::game_session_not_found(id))?;
    terminate.apply(&mut check, now)?;
    terminate_on_process(fleets, id, terminate.mode(), now)?;
    let answer = sessions.change(id, |detail, players| {
        terminate.apply(detail, now)?;
        end_players_if_ended(detail, players, now);
        Ok(p.write(&session_output(Some(detail))))
    })?;
    if terminate.mode() == gamelift_session::model::TerminationMode::ForceTerminate {
        fleets.processes.unhost(id);
    }
    answer
}
