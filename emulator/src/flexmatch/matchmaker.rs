//! The matchmaker: a round for a configuration after every change to its
//! tickets and before every `DescribeMatchmaking` of them, so a test never
//! waits on a timer: matches are made at once, and time-outs happen when
//! the clock (real, or moved by the control API) says.
//!
//! A ready `WITH_QUEUE` match is placed through the configuration's first
//! queue: a placement whose id is the match's, for a game session of the
//! rule set's players (its teams' `maxPlayers` in all, plus
//! `AdditionalPlayerCount`), with the configuration's game properties and
//! data, seating every matched player. When it is `FULFILLED`, the
//! tickets are `COMPLETED` with the game session's connection and each
//! player's player session, and the game session's `MatchmakerData`
//! describes the match; a placement that fails or times out fails the
//! tickets. A backfill match seats its new players in the backfilled game
//! session directly.

use std::collections::BTreeMap;

use gamelift_session::flexmatch::{
    GameSessionConnectionInfo, MatchmakingConfiguration, RuleSet, Ticket, advance_matchmaking,
    complete_match, fail_match,
};
use gamelift_session::model::{GameSessionPlacementState, MatchmakingTicketStatus};
use gamelift_session::placement::{
    DesiredPlayerSession, PlayerLatency, StartGameSessionPlacementInput,
};
use gamelift_session::player_session::CreatePlayerSessionsInput;
use serde_json::json;
use time::OffsetDateTime;

use super::Matchmaking;
use crate::context::Env;
use crate::fleets::Fleets;
use crate::game_sessions::Sessions;
use crate::placements::{Placements, begin_placement, try_placement};
use crate::player_sessions::join;

/// The tables a round reaches.
pub(crate) struct Tables<'a> {
    pub(crate) matchmaking: &'a mut Matchmaking,
    pub(crate) placements: &'a mut Placements,
    pub(crate) sessions: &'a mut Sessions,
    pub(crate) fleets: &'a Fleets,
}

/// One round of the matchmaker for the configuration `name`, then the
/// placing of its ready matches; every ticket it changes is journaled.
pub(crate) fn round(env: &Env, t: &mut Tables<'_>, name: &str, now: OffsetDateTime) {
    let Ok((configuration, rules)) = t.matchmaking.configuration_and_rules(name) else {
        return;
    };
    let key = configuration.name.clone().unwrap_or_default();
    let mut tickets = t.matchmaking.live_tickets(&key);
    let mut new_match_id = || env.ids().match_id();
    advance_matchmaking(&mut tickets, &configuration, &rules, now, &mut new_match_id);
    for ticket in tickets {
        t.matchmaking.put(ticket);
    }
    settle(env, t, &configuration, &rules, now);
}

/// Changes the live tickets of the configuration `name` with `change`, and
/// stores them back.
pub(crate) fn with_live<R>(
    matchmaking: &mut Matchmaking,
    name: &str,
    change: impl FnOnce(&mut Vec<Ticket>) -> R,
) -> R {
    let mut tickets = matchmaking.live_tickets(name);
    let answer = change(&mut tickets);
    for ticket in tickets {
        matchmaking.put(ticket);
    }
    answer
}

/// Places every ready (`PLACING`) match of `configuration`, or seats a
/// backfill's new players, and ends its tickets when that is done.
fn settle(
    env: &Env,
    t: &mut Tables<'_>,
    configuration: &MatchmakingConfiguration,
    rules: &RuleSet,
    now: OffsetDateTime,
) {
    let name = configuration.name.clone().unwrap_or_default();
    let live = t.matchmaking.live_tickets(&name);
    let mut matches: Vec<String> = Vec::new();
    for ticket in &live {
        if ticket.ticket.status == Some(MatchmakingTicketStatus::Placing)
            && let Some(m) = &ticket.match_id
            && !matches.contains(m)
        {
            matches.push(m.clone());
        }
    }
    for match_id in matches {
        let members: Vec<Ticket> = live
            .iter()
            .filter(|ticket| ticket.match_id.as_deref() == Some(match_id.as_str()))
            .cloned()
            .collect();
        match members.iter().find_map(|m| m.backfill_game_session.clone()) {
            Some(game_session) => seat_backfill(env, t, &match_id, &game_session, &members, now),
            None => place_match(env, t, configuration, rules, &match_id, &members, now),
        }
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
            .and_then(|joins| join(env, t.sessions, &joins, now))
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
    rules: &RuleSet,
    match_id: &str,
    members: &[Ticket],
    now: OffsetDateTime,
) {
    if t.placements.placement(match_id).is_some() {
        try_placement(env, t.placements, t.sessions, t.fleets, match_id, now);
    } else if !start_placement(env, t, configuration, rules, match_id, members, now) {
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
                let data = matchmaker_data(match_id, configuration, &members);
                let _ = t.sessions.change(gid, |detail, _| {
                    if let Some(s) = detail.game_session.as_mut() {
                        s.matchmaker_data = Some(data);
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
    rules: &RuleSet,
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
    let seats = i32::try_from(rules.max_players()).unwrap_or(i32::MAX)
        + configuration.additional_player_count.unwrap_or(0);
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
    let started = input.start(env.limits(), now).and_then(|placement| {
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

/// The game session's `MatchmakerData`: the match, its configuration, and
/// each team's players with their attributes, in GameLift's form.
fn matchmaker_data(
    match_id: &str,
    configuration: &MatchmakingConfiguration,
    members: &[Ticket],
) -> String {
    let mut teams: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for m in members {
        for p in m.ticket.players() {
            let attributes: serde_json::Map<String, serde_json::Value> = p
                .player_attributes
                .iter()
                .flatten()
                .map(|(name, v)| {
                    let value = if let Some(n) = v.n {
                        json!({"attributeType": "DOUBLE", "valueAttribute": n})
                    } else if let Some(s) = &v.s {
                        json!({"attributeType": "STRING", "valueAttribute": s})
                    } else if let Some(l) = &v.sl {
                        json!({"attributeType": "STRING_LIST", "valueAttribute": l})
                    } else {
                        json!({"attributeType": "STRING_DOUBLE_MAP", "valueAttribute": v.sdm})
                    };
                    (name.clone(), value)
                })
                .collect();
            teams
                .entry(p.team.clone().unwrap_or_default())
                .or_default()
                .push(json!({"playerId": p.player_id, "attributes": attributes}));
        }
    }
    let teams: Vec<serde_json::Value> = teams
        .into_iter()
        .map(|(name, players)| json!({"name": name, "players": players}))
        .collect();
    json!({
        "matchId": match_id,
        "matchmakingConfigurationArn": configuration.configuration_arn,
        "teams": teams,
        "autoBackfillMode": null,
        "autoBackfillTicketId": null,
    })
    .to_string()
}
