//! The placement operations, and placing itself. A placement is tried when
//! it starts (after its `PENDING` answer is built) and again whenever it is
//! described, until it is placed, times out or is stopped: room that frees
//! up in the meantime is found. **Decision**: the game session a placement
//! makes is launched like any other (`--activation`); one that does not
//! come up ACTIVE fails the placement (`FAILED`), as do more desired
//! players than the player limit (then no session is made) and a queue
//! deleted while a placement waits on it. On a fleet that runs server
//! processes the session is `ACTIVATING` until its process activates it:
//! the placement stays `PENDING`, waiting on it, and is fulfilled then
//! (its players seated), or fails if the session ends first.

use gamelift_session::GameLiftError;
use gamelift_session::GameSessionStatus;
use gamelift_session::game_session::CreateContext;
use gamelift_session::model::{GameSessionPlacementState, fleet_id_of};
use gamelift_session::placement::{
    Destination, GameSessionPlacement, PlacementIdInput, StartGameSessionPlacementInput,
    placement_not_found, queue_not_found,
};
use gamelift_session::player_session::CreatePlayerSessionsInput;
use time::OffsetDateTime;

use super::{PlacementRow, Placements, PlacementsWorld};
use crate::context::{Context, Env};
use crate::fleets::Fleets;
use crate::game_sessions::{Sessions, launch};
use crate::player_sessions::join;
use crate::protocol::{Answer, Member, Protocol};
use crate::settings::ACCOUNT_ID;

pub(crate) fn start_game_session_placement<S: PlacementsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: StartGameSessionPlacementInput = p.parse(body)?;
    let now = env.now();
    let placement = input.start(env.limits(), now)?;
    // GameLift answers PENDING; the placement is tried right after.
    let answer = p.write(&Member("GameSessionPlacement", &placement))?;
    let mut store = cx.lock();
    let (placements, sessions, fleets) = store.placements();
    begin_placement(env, placements, sessions, fleets, placement, &input, now)?;
    Ok(answer)
}

pub(crate) fn describe_game_session_placement<S: PlacementsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: PlacementIdInput = p.parse(body)?;
    let id = input.validate_with(env.limits())?;
    let mut store = cx.lock();
    let (placements, sessions, fleets) = store.placements();
    if placements.placement(id).is_none() {
        return Err(placement_not_found(id));
    }
    try_placement(env, placements, sessions, fleets, id, env.now());
    p.write(&Member("GameSessionPlacement", &placements.placement(id)))
}

pub(crate) fn stop_game_session_placement<S: PlacementsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: PlacementIdInput = p.parse(body)?;
    let id = input.validate_with(env.limits())?;
    let now = env.now();
    let mut store = cx.lock();
    let (placements, _, _) = store.placements();
    if placements.placement(id).is_none() {
        return Err(placement_not_found(id));
    }
    let mut stopped = placements.placement(id).cloned().unwrap_or_default();
    stopped.stop(now)?;
    placements.change(id, |row| row.placement = stopped);
    p.write(&Member("GameSessionPlacement", &placements.placement(id)))
}

/// Stores a new `PENDING` placement of `input` and tries it; answers its id.
///
/// # Errors
///
/// `NotFoundException` for no such queue; `InvalidRequestException` for
/// an id a placement has.
pub(crate) fn begin_placement(
    env: &Env,
    placements: &mut Placements,
    sessions: &mut Sessions,
    fleets: &mut Fleets,
    placement: GameSessionPlacement,
    input: &StartGameSessionPlacementInput,
    now: OffsetDateTime,
) -> Result<String, GameLiftError> {
    let id = placement.placement_id.clone().unwrap_or_default();
    let queue = placement
        .game_session_queue_name
        .clone()
        .unwrap_or_default();
    if placements.queue(&queue).is_none() {
        return Err(queue_not_found(&queue));
    }
    if placements.rows.contains(&id) {
        return Err(GameLiftError::invalid_request(format!(
            "A game session placement with id {id} already exists"
        )));
    }
    let row = PlacementRow {
        placement,
        desired_player_sessions: input.desired_player_sessions.clone().unwrap_or_default(),
        waiting_on: None,
    };
    placements.insert(&id, row);
    try_placement(env, placements, sessions, fleets, &id, now);
    Ok(id)
}

/// Moves the placement `id` on, if it is still `PENDING`: timed out,
/// placed on the first destination with room, or left waiting.
pub(crate) fn try_placement(
    env: &Env,
    placements: &mut Placements,
    sessions: &mut Sessions,
    fleets: &mut Fleets,
    id: &str,
    now: OffsetDateTime,
) {
    let Some(placement) = placements.placement(id) else {
        return;
    };
    if !placement.is_pending() {
        return;
    }
    if let Some(gid) = placements.rows.get(id).and_then(|r| r.waiting_on.clone()) {
        let status = sessions
            .find(&gid)
            .and_then(|d| d.game_session.as_ref())
            .and_then(|s| s.status);
        match status {
            Some(GameSessionStatus::Active) => {
                seat(env, placements, sessions, fleets, id, &gid, now);
            }
            Some(GameSessionStatus::Activating) => {}
            _ => fail(placements, id, now),
        }
        return;
    }
    let queue_name = placement
        .game_session_queue_name
        .clone()
        .unwrap_or_default();
    let Some(queue) = placements.queue(&queue_name).cloned() else {
        fail(placements, id, now);
        return;
    };
    let timeout = queue.timeout_in_seconds.unwrap_or(0);
    let mut timed_out = placement.clone();
    if timed_out.time_out_if_due(timeout, now) {
        placements.change(id, |row| row.placement = timed_out);
        return;
    }
    for arn in queue.destination_arns() {
        let fleet = match Destination::of(arn) {
            Some(Destination::Fleet(fleet)) => fleet.to_owned(),
            Some(Destination::Alias(alias)) => match fleets.resolve(alias) {
                Ok(fleet) => fleet,
                Err(_) => continue,
            },
            _ => continue,
        };
        if place_on(env, placements, sessions, fleets, id, &fleet, now) {
            return;
        }
    }
}

/// Tries to place the placement `id` on `fleet`; answers whether the
/// placement has ended (placed or failed).
fn place_on(
    env: &Env,
    placements: &mut Placements,
    sessions: &mut Sessions,
    fleets: &mut Fleets,
    id: &str,
    fleet: &str,
    now: OffsetDateTime,
) -> bool {
    let Some(row) = placements.rows.get(id) else {
        return true;
    };
    let request = row.placement.game_session_request(fleet);
    let matchmaker_data = row.placement.matchmaker_data.clone();
    let limits = env.limits();
    let seats = usize::try_from(request.maximum_player_session_count.unwrap_or(0)).unwrap_or(0);
    let desired = row.desired_player_sessions.clone();
    let Ok(validated) = request.validate_with(limits) else {
        fail(placements, id, now);
        return true;
    };
    if desired.len() > seats {
        // Its players could never all be seated: no session is made.
        fail(placements, id, now);
        return true;
    }
    let fresh = env.ids().game_session();
    let context = CreateContext::new(env.region(), ACCOUNT_ID, fleet_id_of(fleet), now, &fresh);
    let mut detail = validated.create(&context);
    // A match's session carries its MatchmakerData from the start: its
    // process reads it in OnStartGameSession.
    if let Some(s) = detail.game_session.as_mut() {
        s.matchmaker_data = matchmaker_data;
    }
    let launched = launch(env, sessions, fleets, detail, fleet, now);
    let Ok(gid) = launched else {
        // No room there: the next destination.
        return false;
    };
    let status = sessions
        .find(&gid)
        .and_then(|d| d.game_session.as_ref())
        .and_then(|s| s.status);
    match status {
        Some(GameSessionStatus::Active) => seat(env, placements, sessions, fleets, id, &gid, now),
        Some(GameSessionStatus::Activating) if fleets.runs_processes(fleet) => {
            // Its process activates it; the placement waits on it.
            placements.change(id, |row| row.waiting_on = Some(gid));
        }
        _ => fail(placements, id, now),
    }
    true
}

/// The placement `id` waits on the game session `game_session_id`, which
/// its process has just activated: it is fulfilled now.
pub(crate) fn seat_waiting(
    env: &Env,
    placements: &mut Placements,
    sessions: &mut Sessions,
    fleets: &mut Fleets,
    game_session_id: &str,
    now: OffsetDateTime,
) {
    if let Some(id) = placements.waiting_on(game_session_id).map(str::to_owned) {
        try_placement(env, placements, sessions, fleets, &id, now);
    }
}

/// Seats the placement `id`'s players in the ACTIVE session `gid` and
/// fulfils it; fails it when they cannot all be seated.
fn seat(
    env: &Env,
    placements: &mut Placements,
    sessions: &mut Sessions,
    fleets: &Fleets,
    id: &str,
    gid: &str,
    now: OffsetDateTime,
) {
    let Some(session) = sessions.find(gid).and_then(|d| d.game_session.clone()) else {
        fail(placements, id, now);
        return;
    };
    let limits = env.limits();
    let desired = placements
        .rows
        .get(id)
        .map(|r| r.desired_player_sessions.clone())
        .unwrap_or_default();
    let placed = if desired.is_empty() {
        Vec::new()
    } else {
        let mut join_input =
            CreatePlayerSessionsInput::new(gid, desired.iter().filter_map(|d| d.player_id.clone()));
        join_input.player_data_map = Some(
            desired
                .iter()
                .filter_map(|d| Some((d.player_id.clone()?, d.player_data.clone()?)))
                .collect(),
        );
        let joined = join_input
            .validate_with(limits)
            .and_then(|joins| join(env, sessions, fleets, &joins, now));
        let Ok(placed) = joined else {
            fail(placements, id, now);
            return;
        };
        placed
    };
    placements.change(id, |row| {
        row.waiting_on = None;
        row.placement.fulfil(&session, &placed, now);
    });
}

/// The placement `id` could not be placed: `FAILED`.
fn fail(placements: &mut Placements, id: &str, now: OffsetDateTime) {
    placements.change(id, |row| {
        row.placement.status = Some(GameSessionPlacementState::Failed);
        row.placement.end_time = Some(now);
    });
}
