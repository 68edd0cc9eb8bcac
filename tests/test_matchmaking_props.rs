//! Property tests of the matcher and the ticket lifecycle: every match
//! made keeps each rule of its rule set (checked here by a reference
//! written from the rules' definitions, not by the crate's evaluator) and
//! the team sizes; no player and no ticket is in two matches; a stopped
//! ticket never completes, whatever happens after.

mod util;

use std::collections::{BTreeMap, HashMap, HashSet};

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

/// A rule set of two teams and some of three rules, with its numbers.
#[derive(Debug, Clone)]
struct Rules {
    min: [u32; 2],
    max: [u32; 2],
    /// A distance rule on skill: the spread of (party-averaged) skills.
    spread: Option<f64>,
    /// A comparison rule: every player's mode the same.
    same_mode: bool,
    /// A comparison rule: as many players on each team.
    even: bool,
}

impl Rules {
    fn body(&self) -> String {
        let mut rules = Vec::new();
        if let Some(d) = self.spread {
            rules.push(json!({"name": "spread", "type": "distance",
                "measurements": ["flatten(teams[*].players.attributes[skill])"], "maxDistance": d}));
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
        json!({
            "ruleLanguageVersion": "1.0",
            "playerAttributes": [{"name": "skill", "type": "number"}, {"name": "mode", "type": "string"}],
            "teams": [
                {"name": "red", "minPlayers": self.min[0], "maxPlayers": self.max[0]},
                {"name": "blue", "minPlayers": self.min[1], "maxPlayers": self.max[1]},
            ],
            "rules": rules,
        })
        .to_string()
    }

    /// The reference: does this match (each team's players, as
    /// `(ticket, skill, mode)`) keep every rule and both team sizes?
    fn keeps(&self, teams: &[Vec<(usize, f64, String)>; 2]) -> bool {
        for (t, team) in teams.iter().enumerate() {
            let n = u32::try_from(team.len()).expect("small");
            if n < self.min[t] || n > self.max[t] {
                return false;
            }
        }
        let everyone: Vec<&(usize, f64, String)> = teams.iter().flatten().collect();
        if let Some(d) = self.spread {
            // partyAggregation avg: a player's skill is their ticket's mean.
            let mut sums: HashMap<usize, (f64, f64)> = HashMap::new();
            for (ticket, skill, _) in &everyone {
                let e = sums.entry(*ticket).or_default();
                e.0 += skill;
                e.1 += 1.0;
            }
            let skills: Vec<f64> = everyone
                .iter()
                .map(|(t, _, _)| sums[t].0 / sums[t].1)
                .collect();
            let lo = skills.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = skills.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if hi - lo > d {
                return false;
            }
        }
        if self.same_mode && everyone.windows(2).any(|w| w[0].2 != w[1].2) {
            return false;
        }
        if self.even && teams[0].len() != teams[1].len() {
            return false;
        }
        true
    }
}

fn rules() -> impl Strategy<Value = Rules> {
    (
        (0u32..3, 1u32..4),
        (0u32..3, 1u32..4),
        prop::option::of(0.0f64..40.0),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |((min0, extra0), (min1, extra1), spread, same_mode, even)| Rules {
                min: [min0, min1],
                max: [min0.max(1) + extra0 - 1, min1.max(1) + extra1 - 1],
                spread,
                same_mode,
                even,
            },
        )
}

/// A ticket of 1 to 3 players: skills and a mode each.
fn party() -> impl Strategy<Value = Vec<(f64, bool)>> {
    prop::collection::vec((0.0f64..100.0, any::<bool>()), 1..4)
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

fn players(serial: &mut usize, party: &[(f64, bool)]) -> Vec<Player> {
    party
        .iter()
        .map(|&(skill, ranked)| {
            *serial += 1;
            Player::new(format!("p{serial}"))
                .attribute("skill", AttributeValue::number(skill))
                .attribute(
                    "mode",
                    AttributeValue::string(if ranked { "ranked" } else { "casual" }),
                )
        })
        .collect()
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
    Start(Vec<(f64, bool)>),
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
    fn prop_every_match_keeps_its_rules_and_no_player_is_matched_twice(
        r in rules(),
        parties in prop::collection::vec(party(), 1..14),
    ) {
        let rule_set: RuleSet = serde_json::from_str(&r.body()).expect("a valid rule set");
        let config = configuration(false);
        let start = OffsetDateTime::UNIX_EPOCH;
        let mut tickets: Vec<Ticket> = Vec::new();
        let mut serial = 0;
        let mut n = 0;
        let mut new_match = || { n += 1; format!("m{n}") };
        // Tickets arrive one at a time, a round after each.
        for (k, party) in parties.iter().enumerate() {
            let input = StartMatchmakingInput::new("c", players(&mut serial, party));
            let ticket = input
                .start(&config, &rule_set, &tickets, || format!("t{k}"), start)
                .expect("a valid ticket");
            tickets.push(ticket);
            advance_matchmaking(&mut tickets, &config, &rule_set, start, &mut new_match);
        }
        let made = matches(&tickets);
        let mut seen_players = HashSet::new();
        for members in made.values() {
            let mut teams: [Vec<(usize, f64, String)>; 2] = [Vec::new(), Vec::new()];
            for &i in members {
                for p in tickets[i].ticket.players() {
                    prop_assert!(seen_players.insert(p.player_id.clone()), "a player in two matches");
                    let skill = p.attribute_value("skill").and_then(|v| v.n).expect("a skill");
                    let mode = p.attribute_value("mode").and_then(|v| v.s.clone()).expect("a mode");
                    let team = match p.team.as_deref() {
                        Some("red") => 0,
                        Some("blue") => 1,
                        other => return Err(TestCaseError::fail(format!("no team: {other:?}"))),
                    };
                    teams[team].push((i, skill, mode));
                }
            }
            prop_assert!(r.keeps(&teams), "{:?} breaks {:?}", teams, r);
        }
        // Every ticket is matched at most once, and the unmatched ones
        // still search: none was lost.
        for t in &tickets {
            let status = t.ticket.status;
            prop_assert!(matches!(status, Some(MatchmakingTicketStatus::Completed | MatchmakingTicketStatus::Searching)));
            prop_assert_eq!(t.match_id.is_some(), status == Some(MatchmakingTicketStatus::Completed));
        }
        // The matcher leaves no two searching tickets that the reference
        // says could be matched alone, in a 1-against-1 rule set.
        if r.min == [1, 1] && r.max == [1, 1] {
            let waiting: Vec<usize> = (0..tickets.len())
                .filter(|&i| tickets[i].ticket.status == Some(MatchmakingTicketStatus::Searching))
                .collect();
            for (x, &a) in waiting.iter().enumerate() {
                for &b in &waiting[x + 1..] {
                    let one = |i: usize| {
                        let p = &tickets[i].ticket.players();
                        (p.len() == 1).then(|| {
                            (i, p[0].attribute_value("skill").and_then(|v| v.n).unwrap_or(0.0),
                             p[0].attribute_value("mode").and_then(|v| v.s.clone()).unwrap_or_default())
                        })
                    };
                    if let (Some(pa), Some(pb)) = (one(a), one(b)) {
                        prop_assert!(!r.keeps(&[vec![pa], vec![pb]]), "tickets {} and {} could have been matched", a, b);
                    }
                }
            }
        }
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
                        .start(&config, &rule_set, &tickets, || format!("t{k}"), now)
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
