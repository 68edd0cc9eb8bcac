//! The matchmaker: passes over each configuration's tickets, run by a
//! thread of their own on the emulator's clock (every
//! `--matchmaking-interval`), by the control API's `matchmaking/step`,
//! and when the control API moves the clock.
//!
//! A pass takes the store's lock three times, each briefly:
//!
//! 1. the time-outs (`QUEUED` tickets start searching, proposals and
//!    searches past their time end) and a snapshot of the searching
//!    tickets: pointers to what the store already shares, not copies;
//! 2. none: the matcher ([`match_pool`]) runs on the snapshot, with the
//!    lock let go, so no request waits for it;
//! 3. each match made is applied if its tickets are all still searching
//!    (one stopped meanwhile drops the match, the others search on), then
//!    the ready matches are placed.
//!
//! A ready `WITH_QUEUE` match is placed through the configuration's first
//! queue: a placement whose id is the match's, for a game session of the
//! match's players after the expansions in force when it was made
//! ([`ProposedMatch::max_players`](gamelift_session::flexmatch::ProposedMatch))
//! plus `AdditionalPlayerCount`, with the configuration's game properties
//! and data, seating every matched player. When it is `FULFILLED`, the
//! tickets are `COMPLETED` with the game session's connection and each
//! player's player session, and the game session's `MatchmakerData`
//! describes the match; a placement that fails or times out fails the
//! tickets. A backfill match seats its new players in the backfilled game
//! session directly, and its `MatchmakerData` then names every player.

use std::sync::Arc;

use gamelift_session::flexmatch::{
    GameSessionConnectionInfo, MatchmakerData, MatchmakingConfiguration, RecentWaits, RuleSet,
    Ticket, apply_match, complete_match, expire_tickets, fail_match, match_pool,
};
use gamelift_session::model::{GameSessionPlacementState, MatchmakingTicketStatus};
use gamelift_session::placement::{
    DesiredPlayerSession, PlayerLatency, StartGameSessionPlacementInput,
};
use gamelift_session::player_session::CreatePlayerSessionsInput;
use time::OffsetDateTime;

use super::{FlexMatchWorld, Matchmaking, Searching};
use crate::context::{Context, Env};
use crate::fleets::Fleets;
use crate::game_sessions::Sessions;
use crate::placements::{Placements, begin_placement, try_placement};
use crate::player_sessions::join;

/// The tables a pass reaches.
pub(crate) struct Tables<'a> {
    pub(crate) matchmaking: &'a mut Matchmaking,
    pub(crate) placements: &'a mut Placements,
    pub(crate) sessions: &'a mut Sessions,
    pub(crate) fleets: &'a mut Fleets,
}

/// The tables of a locked store.
pub(crate) fn tables<S: FlexMatchWorld>(store: &mut S) -> Tables<'_> {
    let (matchmaking, placements, sessions, fleets) = store.flexmatch();
    Tables {
        matchmaking,
        placements,
        sessions,
        fleets,
    }
}

/// What a pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PassReport {
    /// The tickets that were searching.
    pub(crate) searching: usize,
    /// The matches made.
    pub(crate) matches: usize,
    /// The searches given up for their work.
    pub(crate) given_up: usize,
}

/// One configuration's part of a pass, read under the lock.
struct Work {
    configuration: MatchmakingConfiguration,
    rules: Arc<RuleSet>,
    tickets: Vec<Arc<Searching>>,
}

/// The most tickets a pass changes, or copies pointers to, per hold of the
/// store's lock, and the most matches it applies per hold: each hold stays
/// short, so a request waits little for a pass however large the pool.
const TICKETS_PER_HOLD: usize = 16;
const POINTERS_PER_HOLD: usize = 1024;
const MATCHES_PER_HOLD: usize = 2;

/// One pass over every configuration.
pub(crate) fn pass<S: FlexMatchWorld>(cx: &Context<S>) -> PassReport {
    let env = cx.env();
    let now = env.now();
    let names = tables(&mut *cx.lock()).matchmaking.busy_configurations();
    let mut report = PassReport::default();
    for name in names {
        let Some(w) = prepare(cx, &name, now) else {
            continue;
        };
        let made = {
            let candidates: Vec<_> = w.tickets.iter().map(|s| s.candidate()).collect();
            match_pool(&w.rules, &candidates, now)
        };
        report.searching += w.tickets.len();
        report.matches += made.matches.len();
        report.given_up += made.given_up.len();
        for chunk in made.matches.chunks(MATCHES_PER_HOLD) {
            let mut store = cx.lock();
            let mut t = tables(&mut *store);
            let applied = env.now();
            for found in chunk {
                let ids: Vec<&str> = found
                    .tickets
                    .iter()
                    .map(|&k| w.tickets[k].id.as_str())
                    .collect();
                let mut members: Vec<Ticket> = ids
                    .iter()
                    .filter_map(|id| t.matchmaking.ticket(id).cloned())
                    .collect();
                let match_id = env.ids().match_id();
                if !apply_match(&mut members, found, &w.configuration, &match_id, applied) {
                    continue;
                }
                let waits = t.matchmaking.waits.entry(name.clone()).or_default();
                for m in members.iter().filter(|m| m.backfill_game_session.is_none()) {
                    if let Some(start) = m.ticket.start_time {
                        waits.record((applied - start).as_seconds_f64());
                    }
                }
                for m in members {
                    t.matchmaking.put(m);
                }
                settle_match(env, &mut t, &w.configuration, &match_id, applied);
            }
        }
    }
    if report.matches > 0 || report.given_up > 0 {
        tracing::debug!(
            searching = report.searching,
            matches = report.matches,
            given_up = report.given_up,
            "matchmaking pass"
        );
    }
    report
}

/// The time-outs of the configuration `name` at `now` (`QUEUED` tickets
/// start searching, searches and proposals past their time end), its
/// placements moved on, and a snapshot of its searching tickets: a few
/// tickets per hold of the lock.
fn prepare<S: FlexMatchWorld>(cx: &Context<S>, name: &str, now: OffsetDateTime) -> Option<Work> {
    let env = cx.env();
    let (configuration, rules) = tables(&mut *cx.lock())
        .matchmaking
        .configuration_and_rules(name)
        .ok()?;
    let timeout = time::Duration::seconds(i64::from(
        configuration.request_timeout_seconds.unwrap_or(0),
    ));
    let due = |t: &Tables<'_>, round: usize| match round {
        0 => t.matchmaking.queued(name, TICKETS_PER_HOLD),
        1 => t
            .matchmaking
            .timed_out(name, now - timeout, TICKETS_PER_HOLD),
        _ => t.matchmaking.proposed(name),
    };
    for round in 0..3 {
        loop {
            let mut store = cx.lock();
            let t = tables(&mut *store);
            let mut tickets = due(&t, round);
            if tickets.is_empty() {
                break;
            }
            let estimate = t
                .matchmaking
                .waits
                .get(name)
                .and_then(RecentWaits::estimate);
            let changed = expire_tickets(&mut tickets, &configuration, now, estimate);
            for ticket in tickets {
                t.matchmaking.put(ticket);
            }
            if round == 2 || !changed {
                break;
            }
        }
    }
    settle(env, &mut tables(&mut *cx.lock()), &configuration, now);
    let mut tickets = Vec::new();
    let mut after = None;
    loop {
        let (part, last) =
            tables(&mut *cx.lock())
                .matchmaking
                .searching_after(name, after, POINTERS_PER_HOLD);
        tickets.extend(part);
        if last.is_none() {
            break;
        }
        after = last;
    }
    (!tickets.is_empty()).then_some(Work {
        configuration,
        rules,
        tickets,
    })
}

/// Moves on the matches of `configuration` being placed: each ready
/// (`PLACING`) match is placed, or its backfill's new players seated, and
/// its tickets end when that is done.
pub(crate) fn settle(
    env: &Env,
    t: &mut Tables<'_>,
    configuration: &MatchmakingConfiguration,
    now: OffsetDateTime,
) {
    let name = configuration.name.clone().unwrap_or_default();
    for match_id in t.matchmaking.placing(&name) {
        settle_match(env, t, configuration, &match_id, now);
    }
}

/// Moves on the match `match_id`, if it is being placed.
pub(crate) fn settle_match(
    env: &Env,
    t: &mut Tables<'_>,
    configuration: &MatchmakingConfiguration,
    match_id: &str,
    now: OffsetDateTime,
) {
    let members = t.matchmaking.match_members(match_id);
    if !members
        .iter()
        .any(|m| m.ticket.status == Some(MatchmakingTicketStatus::Placing))
    {
        return;
    }
    match members.iter().find_map(|m| m.backfill_game_session.clone()) {
        Some(game_session) => seat_backfill(env, t, match_id, &game_session, &members, now),
        None => place_match(env, t, configuration, match_id, &members, now),
    }
}

fn seat_backfill(
    env: &Env,
    t: &mut Tables<'_>,
    match_id: &str,
    game_session: &str,
    members: &[Ticket],
    now: OffsetDateTime,
) {
    let new_players: Vec<String> = members
        .iter()
        .filter(|m| m.backfill_game_session.is_none())
        .flat_map(|m| {
            m.ticket
                .players()
                .iter()
                .filter_map(|p| p.player_id.clone())
        })
        .collect();
    let joined = if new_players.is_empty() {
        Ok(Vec::new())
    } else {
        CreatePlayerSessionsInput::new(game_session, new_players)
            .validate_with(env.limits())
            .and_then(|joins| join(env, t.sessions, t.fleets, &joins, now))
    };
    let mut members = members.to_vec();
    match joined {
        Ok(joined) => {
            let session = t
                .sessions
                .find(game_session)
                .and_then(|d| d.game_session.clone())
                .unwrap_or_default();
            let connection = GameSessionConnectionInfo::new(&session, &joined);
            complete_match(&mut members, match_id, &connection, now);
            // The game session's data names every player now in its match,
            // under the match id it had.
            let configuration_arn = members
                .first()
                .and_then(|m| m.ticket.configuration_arn.clone())
                .unwrap_or_default();
            let _ = t.sessions.change(game_session, |detail, _| {
                if let Some(s) = detail.game_session.as_mut() {
                    let old: Option<MatchmakerData> = s
                        .matchmaker_data
                        .as_deref()
                        .and_then(|d| serde_json::from_str(d).ok());
                    let mut configuration = MatchmakingConfiguration::default();
                    configuration.configuration_arn = Some(configuration_arn.clone());
                    let id = old.as_ref().map_or(match_id, |d| d.match_id.as_str());
                    let mut data = MatchmakerData::of_match(id, &configuration, &members);
                    if let Some(old) = old {
                        data.auto_backfill_mode = old.auto_backfill_mode;
                    }
                    s.matchmaker_data = serde_json::to_string(&data).ok();
                }
                Ok(())
            });
        }
        Err(e) => fail_match(
            &mut members,
            match_id,
            &format!("The backfilled game session could not seat the players: {e}"),
            now,
        ),
    }
    for m in members {
        t.matchmaking.put(m);
    }
}

fn place_match(
    env: &Env,
    t: &mut Tables<'_>,
    configuration: &MatchmakingConfiguration,
    match_id: &str,
    members: &[Ticket],
    now: OffsetDateTime,
) {
    if t.placements.placement(match_id).is_some() {
        try_placement(env, t.placements, t.sessions, t.fleets, match_id, now);
    } else if !start_placement(env, t, configuration, match_id, members, now) {
        return;
    }
    let Some(placement) = t.placements.placement(match_id).cloned() else {
        return;
    };
    let mut members = members.to_vec();
    match placement.status {
        Some(GameSessionPlacementState::Fulfilled) => {
            let connection = GameSessionConnectionInfo::of_placement(&placement);
            complete_match(&mut members, match_id, &connection, now);
            if let Some(gid) = placement.game_session_id.as_deref() {
                let data = MatchmakerData::of_match(match_id, configuration, &members);
                let _ = t.sessions.change(gid, |detail, _| {
                    if let Some(s) = detail.game_session.as_mut() {
                        s.matchmaker_data = serde_json::to_string(&data).ok();
                    }
                    Ok(())
                });
            }
        }
        Some(GameSessionPlacementState::Pending) | None => {}
        Some(other) => fail_match(
            &mut members,
            match_id,
            &format!("The match's game session placement is {}", other.as_str()),
            now,
        ),
    }
    for m in members {
        t.matchmaking.put(m);
    }
}

/// Starts the placement of the match `match_id`; `false` (the tickets
/// failed) when it cannot start.
fn start_placement(
    env: &Env,
    t: &mut Tables<'_>,
    configuration: &MatchmakingConfiguration,
    match_id: &str,
    members: &[Ticket],
    now: OffsetDateTime,
) -> bool {
    let fail = |t: &mut Tables<'_>, why: &str| {
        let mut members = members.to_vec();
        fail_match(&mut members, match_id, why, now);
        for m in members {
            t.matchmaking.put(m);
        }
    };
    let Some(queue) = configuration.queue() else {
        fail(t, "The configuration has no queue");
        return false;
    };
    // The match's size after the expansions in force when it was made.
    let players = members
        .iter()
        .find_map(|m| m.match_max_players)
        .unwrap_or_default();
    let seats = i32::try_from(players)
        .unwrap_or(i32::MAX)
        .saturating_add(configuration.additional_player_count.unwrap_or(0));
    let mut input = StartGameSessionPlacementInput::new(match_id, queue, seats);
    input.game_properties = configuration.game_properties.as_ref().map(|ps| {
        ps.iter()
            .map(|p| {
                gamelift_session::model::GamePropertyInput::new(p.key.clone(), p.value.clone())
            })
            .collect()
    });
    input
        .game_session_data
        .clone_from(&configuration.game_session_data);
    input.desired_player_sessions = Some(
        members
            .iter()
            .flat_map(|m| m.ticket.players())
            .filter_map(|p| {
                let mut d = DesiredPlayerSession::default();
                d.player_id = Some(p.player_id.clone()?);
                Some(d)
            })
            .collect(),
    );
    // The players' latencies go with the placement, as FlexMatch's do.
    let latencies: Vec<PlayerLatency> = members
        .iter()
        .flat_map(|m| m.ticket.players())
        .flat_map(|p| {
            p.latency_in_ms.iter().flatten().map(|(region, &ms)| {
                let mut l = PlayerLatency::default();
                l.player_id.clone_from(&p.player_id);
                l.region_identifier = Some(region.clone());
                l.latency_in_milliseconds = Some(ms as f32);
                l
            })
        })
        .collect();
    if !latencies.is_empty() {
        input.player_latencies = Some(latencies);
    }
    let data = MatchmakerData::of_match(match_id, configuration, members);
    let started = input.start(env.limits(), now).and_then(|mut placement| {
        placement.matchmaker_data = serde_json::to_string(&data).ok();
        begin_placement(
            env,
            t.placements,
            t.sessions,
            t.fleets,
            placement,
            &input,
            now,
        )
    });
    match started {
        Ok(_) => true,
        Err(e) => {
            fail(t, &format!("The match could not be placed: {e}"));
            false
        }
    }
}
