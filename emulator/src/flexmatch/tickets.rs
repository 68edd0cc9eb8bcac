//! The ticket operations: `StartMatchmaking`, `StartMatchBackfill`,
//! `DescribeMatchmaking`, `StopMatchmaking` and `AcceptMatch`. Each change
//! to a configuration's tickets is followed by a round of its matchmaker.

use gamelift_session::flexmatch::{
    AcceptMatchInput, DescribeMatchmakingInput, MatchmakingConfiguration, StartMatchBackfillInput,
    StartMatchmakingInput, TicketIdInput, ticket_not_found,
};
use serde_json::json;

use super::FlexMatchWorld;
use super::matchmaker::{Tables, round, with_live};
use crate::context::Context;
use crate::protocol::{Answer, Member, Protocol};

/// The tables of a locked store, for the matchmaker.
fn tables<S: FlexMatchWorld>(store: &mut S) -> Tables<'_> {
    let (matchmaking, placements, sessions, fleets) = store.flexmatch();
    Tables {
        matchmaking,
        placements,
        sessions,
        fleets,
    }
}

fn start<S: FlexMatchWorld>(cx: &Context<S>, body: &[u8], p: Protocol, backfill: bool) -> Answer {
    let env = cx.env();
    let limits = env.limits();
    let now = env.now();
    let fresh = || env.ids().ticket();
    let mut store = cx.lock();
    let mut t = tables(&mut *store);
    let ticket = if backfill {
        let input: StartMatchBackfillInput = p.parse(body)?;
        let name = input.validate_with(limits)?.to_owned();
        let (c, rules) = t.matchmaking.configuration_and_rules(&name)?;
        let players = input
            .players
            .iter()
            .flatten()
            .filter_map(|p| p.player_id.as_deref());
        let neighbours = t
            .matchmaking
            .neighbours(players, input.ticket_id.as_deref());
        input.start(&c, &rules, &neighbours, fresh, now)?
    } else {
        let input: StartMatchmakingInput = p.parse(body)?;
        let name = input.validate_with(limits)?.to_owned();
        let (c, rules) = t.matchmaking.configuration_and_rules(&name)?;
        let players = input
            .players
            .iter()
            .flatten()
            .filter_map(|p| p.player_id.as_deref());
        let neighbours = t
            .matchmaking
            .neighbours(players, input.ticket_id.as_deref());
        input.start(&c, &rules, &neighbours, fresh, now)?
    };
    // GameLift answers the ticket as it starts; the matchmaker runs right after.
    let answer = p.write(&Member("MatchmakingTicket", &ticket.ticket))?;
    let configuration = ticket.ticket.configuration_name.clone().unwrap_or_default();
    t.matchmaking.put(ticket);
    round(env, &mut t, &configuration, now);
    Ok(answer)
}

pub(crate) fn start_matchmaking<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    start(cx, body, p, false)
}

pub(crate) fn start_match_backfill<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    start(cx, body, p, true)
}

pub(crate) fn describe_matchmaking<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: DescribeMatchmakingInput = p.parse(body)?;
    let mut store = cx.lock();
    let mut t = tables(&mut *store);
    let mut configurations: Vec<String> = Vec::new();
    for ticket in input
        .select(|id| t.matchmaking.ticket(id))?
        .ticket_list
        .iter()
        .filter(|ticket| !ticket.has_ended())
    {
        if let Some(c) = &ticket.configuration_name
            && !configurations.contains(c)
        {
            configurations.push(c.clone());
        }
    }
    let now = env.now();
    for c in configurations {
        round(env, &mut t, &c, now);
    }
    p.write(&input.select(|id| t.matchmaking.ticket(id))?)
}

pub(crate) fn stop_matchmaking<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: TicketIdInput = p.parse(body)?;
    let id = input.validate()?;
    let mut store = cx.lock();
    let (matchmaking, ..) = store.flexmatch();
    let ticket = matchmaking.ticket(id).ok_or_else(|| ticket_not_found(id))?;
    if !ticket.ticket.has_ended() {
        let configuration = ticket.ticket.configuration_name.clone().unwrap_or_default();
        let now = env.now();
        with_live(matchmaking, &configuration, |tickets| {
            gamelift_session::flexmatch::stop_matchmaking(tickets, id, now)
        })?;
    }
    p.write(&json!({}))
}

pub(crate) fn accept_match<S: FlexMatchWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let env = cx.env();
    let input: AcceptMatchInput = p.parse(body)?;
    input.validate_with(env.limits())?;
    let id = input.ticket_id.clone().unwrap_or_default();
    let mut store = cx.lock();
    let mut t = tables(&mut *store);
    let now = env.now();
    let configuration = t
        .matchmaking
        .ticket(&id)
        .and_then(|ticket| ticket.ticket.configuration_name.clone())
        .ok_or_else(|| ticket_not_found(&id))?;
    // Time-outs first: an answer after the deadline finds the match
    // already dropped.
    round(env, &mut t, &configuration, now);
    let with_queue = t
        .matchmaking
        .configuration(&configuration)
        .is_none_or(MatchmakingConfiguration::with_queue);
    let ended = t
        .matchmaking
        .ticket(&id)
        .is_some_and(|ticket| ticket.ticket.has_ended());
    if ended {
        // An ended ticket has no match to accept: the crate says so.
        let mut alone = vec![t.matchmaking.ticket(&id).cloned().unwrap_or_default()];
        gamelift_session::flexmatch::accept_match(&mut alone, &input, with_queue, now)?;
    } else {
        with_live(t.matchmaking, &configuration, |tickets| {
            gamelift_session::flexmatch::accept_match(tickets, &input, with_queue, now)
        })?;
    }
    round(env, &mut t, &configuration, now);
    p.write(&json!({}))
}
