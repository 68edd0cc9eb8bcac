//! Property tests of the matcher and the ticket lifecycle: every match a
//! pass makes keeps each rule of its rule set (checked here by a reference
//! written from the rules' definitions, not by the crate's evaluator) and
//! the team sizes; no player is in two matches; a brute-force oracle,
//! trying every subset of the tickets left searching on every team, finds
//! no match among them; a stopped ticket never completes, whatever
//! happens after.

mod util;

use std::collections::{BTreeMap, HashSet};

use gamelift_session::{
    flexmatch::{
        AcceptMatchInput, AttributeValue, MatchmakingConfiguration, Player, RuleSet,
        StartMatchmakingInput, Ticket, accept_match, advance_matchmaking, stop_matchmaking,
    },
    model::{AcceptanceType, FlexMatchMode, MatchmakingTicketStatus},
};
use proptest::prelude::*;
use serde_json::json;
use time::{Duration, OffsetDateTime};
use util::proptest_config;

/// A rule set of two or three teams and some of five rules, with its
/// numbers: the family the oracle knows.
#[derive(Debug, Clone)]
struct Rules {
    min: Vec<u32>,
    max: Vec<u32>,
    /// A distance rule on skill: the spread of (party-averaged) skills,
    /// and the spread it expands to after `WAIT` seconds.
    spread: Option<(f64, f64)>,
    /// A comparison rule: every player's mode the same.
    same_mode: bool,
    /// A comparison rule: as many players on the first two teams.
    even: bool,
    /// A distance rule: each team's average skill within this of the
    /// match's (not hereditary).
    fair: Option<f64>,
    /// A latency rule's maxLatency.
    latency: Option<f64>,
}

/// When the spread expands.
const WAIT: i64 = 10;
const NAMES: [&str; 3] = ["red", "blue", "green"];

impl Rules {
    fn body(&self) -> String {
        let mut rules = Vec::new();
        let mut expansions = Vec::new();
        if let Some((d, later)) = self.spread {
            rules.push(json!({"name": "spread", "type": "distance",
                "measurements": ["flatten(teams[*].players.attributes[skill])"], "maxDistance": d}));
            expansions.push(json!({"target": "rules[spread].maxDistance",
                "steps": [{"waitTimeSeconds": WAIT, "value": later}]}));
        }
        if self.same_mode {
            rules.push(json!({"name": "mode", "type": "comparison",
                "measurements": ["flatten(teams[*].players.attributes[mode])"], "operation": "="}));
        }
        if self.even {
            rules.push(json!({"name": "even", "type": "comparison",
                "measurements": ["count(teams[red].players)"],
                "referenceValue": "count(teams[blue].players)", "operation": "="}));
        }
        if let Some(d) = self.fair {
            rules.push(json!({"name": "fair", "type": "distance",
                "measurements": ["avg(teams[*].players.attributes[skill])"],
                "referenceValue": "avg(flatten(teams[*].players.attributes[skill]))",
                "maxDistance": d}));
        }
        if let Some(ms) = self.latency {
            rules.push(json!({"name": "near", "type": "latency", "maxLatency": ms}));
        }
        let teams: Vec<serde_json::Value> = (0..self.min.len())
            .map(
                |t| json!({"name": NAMES[t], "minPlayers": self.min[t], "maxPlayers": self.max[t]}),
            )
            .collect();
        json!({
            "ruleLanguageVersion": "1.0",
            "playerAttributes": [{"name": "skill", "type": "number"}, {"name": "mode", "type": "string"}],
            "teams": teams,
            "rules": rules,
            "expansions": expansions,
        })
        .to_string()
    }

    /// The reference: does this match (each team's seats) keep every rule
    /// and the team sizes, when its newest ticket is `age` seconds old?
    fn keeps(&self, teams: &[Vec<Seat>], age: i64) -> bool {
        for (t, team) in teams.iter().enumerate() {
            let n = u32::try_from(team.len()).expect("small");
            if n < self.min[t] || n > self.max[t] {
                return false;
            }
        }
        let everyone: Vec<&Seat> = teams.iter().flatten().collect();
        if everyone.is_empty() {
            return false;
        }
        if let Some((d, later)) = self.spread {
            let d = if age >= WAIT { later } else { d };
            let lo = everyone
                .iter()
                .map(|s| s.skill)
                .fold(f64::INFINITY, f64::min);
            let hi = everyone
                .iter()
                .map(|s| s.skill)
                .fold(f64::NEG_INFINITY, f64::max);
            if hi - lo > d {
                return false;
            }
        }
        if self.same_mode && everyone.windows(2).any(|w| w[0].mode != w[1].mode) {
            return false;
        }
        if self.even && teams[0].len() != teams[1].len() {
            return false;
        }
        if let Some(d) = self.fair {
            let avg =
                |seats: &[&Seat]| seats.iter().map(|s| s.skill).sum::<f64>() / seats.len() as f64;
            let all = avg(&everyone);
            for team in teams {
                let seats: Vec<&Seat> = team.iter().collect();
                // An empty team has no average: nothing to measure.
                if !seats.is_empty() && (avg(&seats) - all).abs() > d {
                    return false;
                }
            }
        }
        if let Some(max) = self.latency {
            let region_ok = |r: usize| {
                everyone
                    .iter()
                    .all(|s| s.latency[r].is_some_and(|ms| ms <= max))
            };
            if !(region_ok(0) || region_ok(1)) {
                return false;
            }
        }
        true
    }
}

/// A player in a match as the reference reads them: partyAggregation avg
/// applied (a ticket's players read their ticket's average).
#[derive(Debug, Clone)]
struct Seat {
    skill: f64,
    mode: bool,
    latency: [Option<f64>; 2],
}

fn rules() -> impl Strategy<Value = Rules> {
    let teams = prop_oneof![
        Just((vec![1, 1], vec![1, 1])),
        Just((vec![1, 1], vec![2, 2])),
        Just((vec![2, 2], vec![2, 2])),
        Just((vec![0, 1], vec![3, 2])),
        Just((vec![1, 1, 1], vec![1, 2, 1])),
        Just((vec![1, 1, 1], vec![2, 2, 2])),
    ];
    (
        teams,
        prop::option::of((0.0f64..40.0, 40.0f64..80.0)),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(0.0f64..20.0),
        prop::option::of(50.0f64..250.0),
    )
        .prop_map(
            |((min, max), spread, same_mode, even, fair, latency)| Rules {
                min,
                max,
                spread,
                same_mode,
                even,
                fair,
                latency,
            },
        )
}

/// A ticket of 1 or 2 players: skill, mode and latencies to two Regions
/// (each maybe missing), and how many seconds after the first it started.
#[derive(Debug, Clone)]
struct Party {
    players: Vec<(f64, bool, [Option<i32>; 2])>,
    after: i64,
}

fn party() -> impl Strategy<Value = Party> {
    (
        prop::collection::vec(
            (
                0.0f64..100.0,
                any::<bool>(),
                [
                    prop::option::weighted(0.9, 10i32..300),
                    prop::option::weighted(0.9, 10i32..300),
                ],
            ),
            1..3,
        ),
        0i64..20,
    )
        .prop_map(|(players, after)| Party { players, after })
}

fn configuration(acceptance: bool) -> MatchmakingConfiguration {
    let mut c = MatchmakingConfiguration::default();
    c.name = Some("c".to_owned());
    c.request_timeout_seconds = Some(100);
    c.acceptance_timeout_seconds = Some(10);
    c.acceptance_required = Some(acceptance);
    c.flex_match_mode = Some(FlexMatchMode::Standalone);
    c
}

fn players(serial: &mut usize, party: &Party) -> Vec<Player> {
    party
        .players
        .iter()
        .map(|&(skill, ranked, latency)| {
            *serial += 1;
            let mut p = Player::new(format!("p{serial}"))
                .attribute("skill", AttributeValue::number(skill))
                .attribute(
                    "mode",
                    AttributeValue::string(if ranked { "ranked" } else { "casual" }),
                );
            for (region, ms) in ["us-east-1", "eu-west-1"].iter().zip(latency) {
                if let Some(ms) = ms {
                    p = p.latency(*region, ms);
                }
            }
            p
        })
        .collect()
}

/// A ticket's players as the reference reads them: the party's average
/// skill and latencies (a Region only when all report it).
fn seats(party: &Party) -> Vec<Seat> {
    let n = party.players.len() as f64;
    let skill = party.players.iter().map(|p| p.0).sum::<f64>() / n;
    let latency = [0, 1].map(|r| {
        let all: Option<Vec<i32>> = party.players.iter().map(|p| p.2[r]).collect();
        all.map(|l| f64::from(l.iter().sum::<i32>()) / n)
    });
    party
        .players
        .iter()
        .map(|p| Seat {
            skill,
            mode: p.1,
            latency,
        })
        .collect()
}

/// The oracle: a match among `waiting` (indexes into `parties`), found by
/// trying every subset and every team for each ticket, or `None`.
fn oracle(r: &Rules, parties: &[Party], waiting: &[usize], now: i64) -> Option<Vec<Vec<usize>>> {
    fn go(
        r: &Rules,
        parties: &[Party],
        waiting: &[usize],
        now: i64,
        k: usize,
        teams: &mut Vec<Vec<usize>>,
    ) -> bool {
        if k == waiting.len() {
            let members: Vec<usize> = teams.iter().flatten().copied().collect();
            let Some(newest) = members.iter().map(|&i| parties[i].after).max() else {
                return false;
            };
            let seats: Vec<Vec<Seat>> = teams
                .iter()
                .map(|team| team.iter().flat_map(|&i| seats(&parties[i])).collect())
                .collect();
            return r.keeps(&seats, now - newest);
        }
        if go(r, parties, waiting, now, k + 1, teams) {
            return true;
        }
        let size = parties[waiting[k]].players.len();
        for t in 0..teams.len() {
            let held: usize = teams[t].iter().map(|&i| parties[i].players.len()).sum();
            if held + size <= r.max[t] as usize {
                teams[t].push(waiting[k]);
                if go(r, parties, waiting, now, k + 1, teams) {
                    return true;
                }
                teams[t].pop();
            }
        }
        false
    }
    let mut teams = vec![Vec::new(); r.min.len()];
    go(r, parties, waiting, now, 0, &mut teams).then_some(teams)
}

/// The matches among `tickets`: each match's tickets, by match id.
fn matches(tickets: &[Ticket]) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in tickets.iter().enumerate() {
        if t.ticket.status == Some(MatchmakingTicketStatus::Completed)
            && let Some(m) = &t.match_id
        {
            out.entry(m.clone()).or_default().push(i);
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Op {
    Start(Party),
    Stop(usize),
    Accept(usize, bool),
    Wait(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => party().prop_map(Op::Start),
        1 => (0usize..32).prop_map(Op::Stop),
        2 => (0usize..32, any::<bool>()).prop_map(|(i, yes)| Op::Accept(i, yes)),
        1 => (1i64..15).prop_map(Op::Wait),
    ]
}

proptest! {
    #![proptest_config(proptest_config(128))]

    #[test]
    fn prop_a_pass_makes_only_valid_matches_and_leaves_none_the_oracle_finds(
        r in rules(),
        parties in prop::collection::vec(party(), 1..13),
    ) {
        let rule_set: RuleSet = serde_json::from_str(&r.body()).expect("a valid rule set");
        let config = configuration(false);
        let epoch = OffsetDateTime::UNIX_EPOCH;
        let now = 25;
        let mut tickets: Vec<Ticket> = Vec::new();
        let mut serial = 0;
        for (k, party) in parties.iter().enumerate() {
            let input = StartMatchmakingInput::new("c", players(&mut serial, party));
            let ticket = input
                .start(&config, &rule_set, &mut tickets, || format!("t{k}"), epoch + Duration::seconds(party.after))
                .expect("a valid ticket");
            tickets.push(ticket);
        }
        // Start order is ticket order; ages differ.
        let mut n = 0;
        let mut new_match = || { n += 1; format!("m{n}") };
        let at = epoch + Duration::seconds(now);
        advance_matchmaking(&mut tickets, &config, &rule_set, at, &mut new_match);
        // Every match made keeps the rules, by the reference.
        let mut seen_players = HashSet::new();
        for members in matches(&tickets).values() {
            let mut teams: Vec<Vec<Seat>> = vec![Vec::new(); r.min.len()];
            for &i in members {
                let reference = seats(&parties[i]);
                for (p, seat) in tickets[i].ticket.players().iter().zip(reference) {
                    prop_assert!(seen_players.insert(p.player_id.clone()), "a player in two matches");
                    let team = NAMES.iter().position(|n| p.team.as_deref() == Some(*n));
                    let team = team.ok_or_else(|| TestCaseError::fail("a matched player without a team"))?;
                    teams[team].push(seat);
                }
            }
            let newest = members.iter().map(|&i| parties[i].after).max().unwrap_or(0);
            prop_assert!(r.keeps(&teams, now - newest), "{:?} breaks {:?}", teams, r);
        }
        // The pass leaves no match among the tickets it left searching.
        let waiting: Vec<usize> = (0..tickets.len())
            .filter(|&i| tickets[i].ticket.status == Some(MatchmakingTicketStatus::Searching))
            .collect();
        let left = oracle(&r, &parties, &waiting, now);
        prop_assert!(left.is_none(), "the oracle finds {:?} among the tickets left searching", left);
    }

    #[test]
    fn prop_a_stopped_ticket_never_completes(
        r in rules(),
        acceptance in any::<bool>(),
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let rule_set: RuleSet = serde_json::from_str(&r.body()).expect("a valid rule set");
        let config = configuration(acceptance);
        let mut now = OffsetDateTime::UNIX_EPOCH;
        let mut tickets: Vec<Ticket> = Vec::new();
        let mut stopped: HashSet<usize> = HashSet::new();
        let mut serial = 0;
        let mut n = 0;
        let mut new_match = || { n += 1; format!("m{n}") };
        for op in &ops {
            match op {
                Op::Start(party) => {
                    let k = tickets.len();
                    let input = StartMatchmakingInput::new("c", players(&mut serial, party));
                    let ticket = input
                        .start(&config, &rule_set, &mut tickets, || format!("t{k}"), now)
                        .expect("a valid ticket");
                    tickets.push(ticket);
                }
                Op::Stop(i) if !tickets.is_empty() => {
                    let i = i % tickets.len();
                    let id = tickets[i].ticket.ticket_id.clone().expect("an id");
                    let before = tickets[i].ticket.status;
                    let live = matches!(before, Some(
                        MatchmakingTicketStatus::Queued
                            | MatchmakingTicketStatus::Searching
                            | MatchmakingTicketStatus::RequiresAcceptance
                    ));
                    // Stopping a live ticket that is not being placed
                    // succeeds, and it never completes after.
                    let result = stop_matchmaking(&mut tickets, &id, now);
                    if live {
                        prop_assert!(result.is_ok());
                        stopped.insert(i);
                    }
                }
                Op::Accept(i, yes) if !tickets.is_empty() => {
                    let i = i % tickets.len();
                    let t = &tickets[i];
                    let input = AcceptMatchInput::new(
                        t.ticket.ticket_id.clone().expect("an id"),
                        t.ticket.players().iter().filter_map(|p| p.player_id.clone()),
                        if *yes { AcceptanceType::Accept } else { AcceptanceType::Reject },
                    );
                    let _ = accept_match(&mut tickets, &input, false, now);
                }
                Op::Wait(s) => now += Duration::seconds(*s),
                _ => {}
            }
            advance_matchmaking(&mut tickets, &config, &rule_set, now, &mut new_match);
            for &i in &stopped {
                prop_assert_eq!(tickets[i].ticket.status, Some(MatchmakingTicketStatus::Cancelled));
                prop_assert!(tickets[i].ticket.game_session_connection_info.is_none());
            }
            // A match waiting for acceptance never holds a ticket that ended.
            for t in &tickets {
                if t.ticket.status == Some(MatchmakingTicketStatus::RequiresAcceptance) {
                    let m = t.match_id.as_deref();
                    let together = tickets.iter().filter(|o| o.match_id.as_deref() == m).all(|o| {
                        o.ticket.status == Some(MatchmakingTicketStatus::RequiresAcceptance)
                    });
                    prop_assert!(together, "a proposed match holds a ticket in another status");
                }
            }
        }
    }
}
