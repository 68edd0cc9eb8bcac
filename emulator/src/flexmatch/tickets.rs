//! The ticket operations: `StartMatchmaking`, `StartMatchBackfill`,
//! `DescribeMatchmaking`, `StopMatchmaking` and `AcceptMatch`. None waits
//! for the matcher: a new ticket is `QUEUED` until the next pass (see
//! `matchmaker.rs`); `DescribeMatchmaking` moves on the placements of the
//! matches it shows, and `AcceptMatch` the match it completes.

use gamelift_session::flexmatch::{
    AcceptMatchInput, DescribeMatchmakingInput, MatchmakerData, MatchmakingConfiguration,
    RecentWaits, StartMatchBackfillInput, StartMatchmakingInput, Ticket, TicketIdInput,
    check_backfill_session, expire_tickets, ticket_not_found,
};
use gamelift_session::model::MatchmakingTicketStatus;
use serde_json::json;

use super::FlexMatchWorld;
use super::matchmaker::{Tables, settle_match, tables};
use crate::context::Context;
use crate::protocol::{Answer, Member, Protocol};

/// Stores each of `tickets` (the unchanged ones are left as they are).
fn put_all(t: &mut Tables<'_>, tickets: Vec<Ticket>) {
    for ticket in tickets {
        t.matchmaking.put(ticket);
    }
}

pub(crate) fn start_matchmaking<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: StartMatchmakingInput = p.parse(body)?;
    let name = input.validate_with(env.limits())?.to_owned();
    let now = env.now();
    let mut store = cx.lock();
    let mut t = tables(&mut *store);
    let (c, rules) = t.matchmaking.configuration_and_rules(&name)?;
    let players = input
        .players
        .iter()
        .flatten()
        .filter_map(|p| p.player_id.as_deref());
    let mut neighbours = t
        .matchmaking
        .neighbours(players, input.ticket_id.as_deref());
    let ticket = input.start(&c, &rules, &mut neighbours, || env.ids().ticket(), now)?;
    // A player's older ticket, cancelled, is stored before the new one.
    put_all(&mut t, neighbours);
    let answer = p.write(&Member("MatchmakingTicket", &ticket.ticket))?;
    t.matchmaking.put(ticket);
    Ok(answer)
}

pub(crate) fn start_match_backfill<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: StartMatchBackfillInput = p.parse(body)?;
    let name = input.validate_with(env.limits())?.to_owned();
    let now = env.now();
    let mut store = cx.lock();
    let t = tables(&mut *store);
    let (c, rules) = t.matchmaking.configuration_and_rules(&name)?;
    let arn = input.game_session_arn.as_deref().unwrap_or_default();
    let session = t.sessions.find(arn).and_then(|d| d.game_session.clone());
    let made_by = session
        .as_ref()
        .and_then(|s| s.matchmaker_data.as_deref())
        .and_then(|d| serde_json::from_str::<MatchmakerData>(d).ok())
        .map(|d| d.matchmaking_configuration_arn);
    check_backfill_session(arn, session.as_ref(), made_by.as_deref(), &c)?;
    let mut neighbours = t
        .matchmaking
        .neighbours(std::iter::empty(), input.ticket_id.as_deref());
    let ticket = input.start(&c, &rules, &mut neighbours, || env.ids().ticket(), now)?;
    let answer = p.write(&Member("MatchmakingTicket", &ticket.ticket))?;
    t.matchmaking.put(ticket);
    Ok(answer)
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
    // The matches being placed that it shows move on first.
    let mut placing: Vec<(String, String)> = Vec::new();
    for ticket in &input.select(|id| t.matchmaking.ticket(id))?.ticket_list {
        if ticket.status == Some(MatchmakingTicketStatus::Placing)
            && let Some(id) = &ticket.ticket_id
            && let Some(m) = t.matchmaking.ticket(id).and_then(|t| t.match_id.clone())
            && !placing.iter().any(|(x, _)| *x == m)
        {
            placing.push((m, ticket.configuration_name.clone().unwrap_or_default()));
        }
    }
    let now = env.now();
    for (match_id, configuration) in placing {
        if let Some(c) = t.matchmaking.configuration(&configuration).cloned() {
            settle_match(env, &mut t, &c, &match_id, now);
        }
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
    let mut t = tables(&mut *store);
    if t.matchmaking.ticket(id).is_none() {
        return Err(ticket_not_found(id));
    }
    let mut related = t.matchmaking.related(id);
    gamelift_session::flexmatch::stop_matchmaking(&mut related, id, env.now())?;
    put_all(&mut t, related);
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
    let configuration: MatchmakingConfiguration = t
        .matchmaking
        .ticket(&id)
        .and_then(|ticket| ticket.ticket.configuration_name.clone())
        .and_then(|c| t.matchmaking.configuration(&c).cloned())
        .ok_or_else(|| ticket_not_found(&id))?;
    let mut related = t.matchmaking.related(&id);
    // Time-outs first: an answer after the deadline finds the match
    // already dropped.
    let estimate = configuration
        .name
        .as_deref()
        .and_then(|n| t.matchmaking.waits.get(n))
        .and_then(RecentWaits::estimate);
    expire_tickets(&mut related, &configuration, now, estimate);
    let answer = gamelift_session::flexmatch::accept_match(
        &mut related,
        &input,
        configuration.with_queue(),
        now,
    );
    let match_id = related
        .iter()
        .find(|r| r.ticket.ticket_id.as_deref() == Some(id.as_str()))
        .and_then(|r| r.match_id.clone());
    put_all(&mut t, related);
    answer?;
    if let Some(m) = match_id {
        settle_match(env, &mut t, &configuration, &m, now);
    }
    p.write(&json!({}))
}
