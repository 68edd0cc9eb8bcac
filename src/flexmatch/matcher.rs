//! The matcher: from the tickets waiting in one configuration, every
//! match the pool allows, built as the guide's "How FlexMatch builds a
//! match" describes.
//!
//! # A pass
//!
//! [`match_pool`] takes the searching tickets and tries each as the
//! *anchor* of a match, oldest first (backfill tickets first or last as
//! `backfillPriority` says). A match is built around its anchor from the
//! tickets after it, in the order the rule set gives (age; or
//! `sortByAttributes` with `sorted` batching; or the sort rules, from the
//! anchor's values), each ticket's players together on one team, filling
//! the teams towards their `maxPlayers`, and is made when every team holds
//! at least its `minPlayers` and every rule holds, with the expansions of
//! the match's age (its newest ticket's, or its oldest's with
//! `expansionAgeSelection` `oldest`). The tickets of a match leave the
//! pool; the next anchor is the next oldest ticket left.
//!
//! **Decision** (the guide's "a ticket waits for its expansions or its
//! timeout"): a ticket that cannot anchor a match now does not hold the
//! pool back. Its search is exhaustive, so it is then proven that no
//! match holds it among the tickets left, and it is left out of the
//! searches after it in this pass; the pass goes on with the next oldest.
//! So a pass leaves no match unmade that the pool allows (for small
//! matches; a large match is built greedily, as the guide describes).
//!
//! # The search
//!
//! Depth first, the earlier tickets in before the later ones, so the
//! first match found holds as many of the first tickets as the rules
//! allow. It gives up a branch only when the branch is provably
//! fruitless: a hereditary rule is broken (see [`rules`](super::rules)),
//! or a ticket does not fit. Two tickets alike in everything the rules
//! read are interchangeable, so of alike tickets the older is always
//! tried first; teams alike (copies of one definition, or teams no
//! expression names) are filled in order. Each anchor's search may do
//! [`ANCHOR_WORK`] units of work, counted as the values rules read and
//! the tickets scanned; a search that spends it all is given up for the
//! pass (its anchor is reported in [`Pass::given_up`] and stays in the
//! pool for the others), so no rule set can stall a pass.

use time::OffsetDateTime;

use super::algorithm::{BackfillPriority, Batching, Strategy};
use super::expansion::Level;
use super::expression::Val;
use super::large_match;
use super::pool::{Candidate, Pool, Proposal};
use super::rule_set::RuleSet;
use super::rules::{MatchView, Party, Rule, RuleKind, Seat, sort_key};
use super::search::{
    ANCHOR_WORK, Found, Left, Seq, fits_alone, match_level, small_match, valid_at,
};

/// A match the matcher proposes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProposedMatch {
    /// The tickets in it: indexes into the candidates, the anchor first.
    pub tickets: Vec<usize>,
    /// Each team's name and its players, as `(ticket index, player index)`.
    pub teams: Vec<(String, Vec<(usize, usize)>)>,
    /// The players its teams hold at most: the rule set's, with the
    /// expansions in force for it (a placement seats this many).
    pub max_players: u32,
}

/// What a pass made.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Pass {
    /// The matches, in the order made.
    pub matches: Vec<ProposedMatch>,
    /// The anchors whose search spent [`ANCHOR_WORK`] without an answer.
    pub given_up: Vec<usize>,
    /// The work done, in the units of [`ANCHOR_WORK`].
    pub work: u64,
}

/// Every match among `candidates` (in any order) at `now`: see the
/// module's docs.
///
/// ```
/// use gamelift_session::flexmatch::{AttributeValue, Candidate, Player, RuleSet, match_pool};
/// use time::{Duration, OffsetDateTime};
///
/// let rules: RuleSet = serde_json::from_str(r#"{
///     "ruleLanguageVersion": "1.0",
///     "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 1},
///               {"name": "blue", "minPlayers": 1, "maxPlayers": 1}],
///     "rules": [{"name": "near", "type": "latency", "maxLatency": 150}]
/// }"#).expect("a valid rule set");
/// let at = |ms: i32, id: &str| vec![Player::new(id).latency("us-east-1", ms)];
/// let (far, a, b, c, d) = (at(300, "far"), at(20, "a"), at(30, "b"), at(40, "c"), at(50, "d"));
/// let t0 = OffsetDateTime::UNIX_EPOCH;
/// let tickets: Vec<Candidate> = [&far, &a, &b, &c, &d]
///     .iter()
///     .enumerate()
///     .map(|(i, p)| Candidate::new(p, t0 + Duration::seconds(i as i64)))
///     .collect();
/// // The oldest ticket can be in no match: it holds no one back.
/// let pass = match_pool(&rules, &tickets, t0 + Duration::seconds(5));
/// let made: Vec<Vec<usize>> = pass.matches.iter().map(|m| m.tickets.clone()).collect();
/// assert_eq!(made, [vec![1, 2], vec![3, 4]]);
/// assert_eq!(pass.matches[0].max_players, 2);
/// ```
#[must_use]
pub fn match_pool(rule_set: &RuleSet, candidates: &[Candidate<'_>], now: OffsetDateTime) -> Pass {
    let pool = Pool::new(rule_set, candidates, now);
    let mut pass = Pass::default();
    let mut run = Run::new(&pool, &mut pass.work);
    let sorts: Vec<&Rule> = rule_set
        .rules
        .iter()
        .filter(|r| matches!(r.kind, RuleKind::Sort { .. }))
        .collect();
    for a in run.anchors.clone() {
        if run.state[a] != State::Alive {
            continue;
        }
        let order = (rule_set.large || !sorts.is_empty()).then(|| run.order(a, &sorts));
        let seq = match &order {
            Some(list) => Seq::list(&pool, list),
            None => run.seq(a),
        };
        let outcome = if rule_set.large {
            large_match::build(&pool, a, &seq, ANCHOR_WORK)
        } else {
            small_match(&pool, a, &seq)
        };
        pass.work += outcome.work;
        match outcome.found {
            Some(found) => {
                let found = if rule_set.algorithm.strategy == Strategy::Balanced {
                    large_match::balance(&pool, found, &mut pass.work)
                } else {
                    found
                };
                run.matched(&found.members);
                pass.matches.push(proposal(&pool, &found));
            }
            None if outcome.exhausted => {
                pass.given_up.push(a);
                run.defer(a);
            }
            None => run.out(a),
        }
    }
    pass
}

/// A pass under way: each ticket's state, the order anchors are tried in,
/// and the order their matches take tickets in.
struct Run<'p, 't> {
    pool: &'p Pool<'t>,
    state: Vec<State>,
    anchors: Vec<usize>,
    /// The tickets matches take from (not backfill), in the pass's order.
    base: Vec<usize>,
    /// Each ticket's place in `base`.
    place_of: Vec<Option<usize>>,
    left: Left,
    /// Tickets whose own search was given up: tried last by the others.
    deferred: Vec<usize>,
}

impl<'p, 't> Run<'p, 't> {
    fn new(pool: &'p Pool<'t>, work: &mut u64) -> Self {
        let rules = pool.rules;
        let n = pool.entries.len();
        // A ticket no match can hold, alone, is out of the pass.
        let state: Vec<State> = (0..n)
            .map(|k| {
                if pool.entries[k].usable && fits_alone(pool, k, work) {
                    State::Alive
                } else {
                    State::Out
                }
            })
            .collect();
        let priority = |k: usize| match (pool.entries[k].backfill, rules.algorithm.backfill) {
            (true, BackfillPriority::High) => 0,
            (true, BackfillPriority::Low) | (false, BackfillPriority::High) => 2,
            _ => 1,
        };
        let mut anchors: Vec<usize> = (0..n).collect();
        anchors.sort_by_key(|&k| (priority(k), pool.entries[k].start, k));
        let mut base: Vec<usize> = (0..n).filter(|&k| !pool.entries[k].backfill).collect();
        base.sort_by_key(|&k| (pool.entries[k].start, k));
        if rules.algorithm.batching == Batching::Sorted {
            let keys = &rules.algorithm.sort_by;
            base.sort_by(|&x, &y| {
                keys.iter()
                    .map(|&a| {
                        first_value(pool, x, a)
                            .partial_cmp(&first_value(pool, y, a))
                            .unwrap_or(std::cmp::Ordering::Equal)
                    })
                    .find(|o| o.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        let left = Left::new(
            base.iter()
                .map(|&k| u64::from(pool.entries[k].size))
                .collect(),
        );
        let mut place_of = vec![None; n];
        for (p, &k) in base.iter().enumerate() {
            place_of[k] = Some(p);
        }
        Run {
            pool,
            state,
            anchors,
            base,
            place_of,
            left,
            deferred: Vec::new(),
        }
    }

    /// The tickets a match around `a` may take, in the order tried, for a
    /// large match or a rule set with sort rules.
    fn order(&self, a: usize, sorts: &[&Rule]) -> Vec<usize> {
        let alive = |k: &usize| *k != a && self.state[*k] == State::Alive;
        let mut list: Vec<usize> = self
            .base
            .iter()
            .copied()
            .filter(|k| alive(k) && !self.deferred.contains(k))
            .collect();
        if self.pool.rules.large {
            large_match::order(self.pool, a, &mut list);
        } else {
            order_by_sorts(self.pool, sorts, a, &mut list);
        }
        list.extend(self.deferred.iter().copied().filter(alive));
        list
    }

    /// The pass's order for a match around `a`.
    fn seq(&self, a: usize) -> Seq<'_> {
        let entries = &self.pool.entries;
        Seq::Base {
            base: &self.base,
            left: &self.left,
            last: &self.deferred,
            anchor: a,
            anchor_place: self.place_of[a].filter(|_| !self.deferred.contains(&a)),
            anchor_size: u64::from(entries[a].size),
            last_players: self
                .deferred
                .iter()
                .filter(|&&k| k != a)
                .map(|&k| u64::from(entries[k].size))
                .sum(),
        }
    }

    /// Takes a match's tickets out of the pool.
    fn matched(&mut self, members: &[usize]) {
        for &k in members {
            self.state[k] = State::Matched;
            if let Some(p) = self.place_of[k]
                && !self.deferred.contains(&k)
            {
                self.left.remove(p);
            }
        }
        let state = &self.state;
        self.deferred.retain(|k| state[*k] == State::Alive);
    }

    /// `a`'s search was given up: the others try it last.
    fn defer(&mut self, a: usize) {
        if let Some(p) = self.place_of[a] {
            self.left.remove(p);
            self.deferred.push(a);
        }
    }

    /// Proven: no match holds `a` among the tickets left.
    fn out(&mut self, a: usize) {
        self.state[a] = State::Out;
        if let Some(p) = self.place_of[a]
            && !self.deferred.contains(&a)
        {
            self.left.remove(p);
        }
    }
}

/// A match among `candidates` built around the first of them (the others
/// in the order given), or `None`: one anchor's search of
/// [`match_pool`].
///
/// ```
/// use gamelift_session::flexmatch::{AttributeValue, Candidate, Player, RuleSet, find_match};
/// use time::OffsetDateTime;
///
/// let rules: RuleSet = serde_json::from_str(r#"{
///     "ruleLanguageVersion": "1.0",
///     "playerAttributes": [{"name": "skill", "type": "number"}],
///     "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 1},
///               {"name": "blue", "minPlayers": 1, "maxPlayers": 1}],
///     "rules": [{"name": "close", "type": "distance",
///                "measurements": "flatten(teams[*].players.attributes[skill])",
///                "maxDistance": 5}]
/// }"#).expect("a valid rule set");
/// let skilled = |id: &str, skill: f64| vec![Player::new(id).attribute("skill", AttributeValue::number(skill))];
/// let (a, b, c) = (skilled("a", 10.0), skilled("b", 30.0), skilled("c", 12.0));
/// let now = OffsetDateTime::UNIX_EPOCH;
/// let tickets = [Candidate::new(&a, now), Candidate::new(&b, now), Candidate::new(&c, now)];
/// let found = find_match(&rules, &tickets, now).expect("a and c are close");
/// assert_eq!(found.tickets, [0, 2]);
/// assert_eq!(found.teams[0], ("red".to_owned(), vec![(0, 0)]));
/// assert_eq!(found.teams[1], ("blue".to_owned(), vec![(2, 0)]));
/// ```
#[must_use]
pub fn find_match(
    rule_set: &RuleSet,
    candidates: &[Candidate<'_>],
    now: OffsetDateTime,
) -> Option<ProposedMatch> {
    let pool = Pool::new(rule_set, candidates, now);
    if pool.entries.is_empty() || !pool.entries[0].usable {
        return None;
    }
    let list: Vec<usize> = (1..pool.entries.len())
        .filter(|&k| !pool.entries[k].backfill && pool.entries[k].usable)
        .collect();
    let seq = Seq::list(&pool, &list);
    let outcome = if rule_set.large {
        large_match::build(&pool, 0, &seq, ANCHOR_WORK)
    } else {
        small_match(&pool, 0, &seq)
    };
    let found = outcome.found?;
    let found = if rule_set.algorithm.strategy == Strategy::Balanced {
        let mut work = 0;
        large_match::balance(&pool, found, &mut work)
    } else {
        found
    };
    Some(proposal(&pool, &found))
}

/// Whether `found` is a match of `candidates` under `rule_set` at `now`:
/// each ticket's players on one team (a backfill ticket's on the teams
/// they name), at most one backfill ticket and one other at least, each
/// team's size within its bounds and every rule kept, with the
/// expansions of the match's age. The check [`match_pool`] makes of what
/// it proposes, for callers and tests that hold a match from elsewhere.
#[must_use]
pub fn is_valid_match(
    rule_set: &RuleSet,
    candidates: &[Candidate<'_>],
    found: &ProposedMatch,
    now: OffsetDateTime,
) -> bool {
    let pool = Pool::new(rule_set, candidates, now);
    if found.teams.len() != rule_set.teams.len()
        || found.tickets.iter().any(|&k| k >= pool.entries.len())
    {
        return false;
    }
    let mut teams: Vec<Vec<Seat>> = vec![Vec::new(); rule_set.teams.len()];
    let mut team_of: Vec<Vec<Option<usize>>> = pool
        .entries
        .iter()
        .map(|e| vec![None; e.players.len()])
        .collect();
    for (t, (name, seats)) in found.teams.iter().enumerate() {
        if *name != rule_set.teams[t].name {
            return false;
        }
        for &(ticket, player) in seats {
            if !found.tickets.contains(&ticket)
                || player >= pool.entries[ticket].players.len()
                || team_of[ticket][player].is_some()
            {
                return false;
            }
            team_of[ticket][player] = Some(t);
            teams[t].push(Seat { ticket, player });
        }
    }
    let backfills = found
        .tickets
        .iter()
        .filter(|&&k| pool.entries[k].backfill)
        .count();
    if backfills > 1 || backfills == found.tickets.len() {
        return false;
    }
    for &k in &found.tickets {
        let e = &pool.entries[k];
        let placed = &team_of[k];
        let whole = if e.backfill {
            placed.iter().zip(&e.named).all(|(p, n)| p == n)
        } else {
            placed.iter().all(|p| p.is_some() && *p == placed[0])
        };
        if !whole || !e.usable {
            return false;
        }
    }
    let level = match_level(&pool, found.tickets.iter().copied());
    let mut work = 0;
    valid_at(&pool, &teams, level, &mut work)
}

/// A ticket's state in a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Alive,
    Matched,
    /// Proven to be in no match this pass.
    Out,
}

fn first_value(pool: &Pool<'_>, k: usize, attribute: usize) -> SortValue {
    let view = Proposal { pool, teams: &[] };
    match view.value(
        Seat {
            ticket: k,
            player: 0,
        },
        attribute,
        Party::Avg,
    ) {
        Some(Val::Number(n)) => SortValue::Number(n),
        Some(Val::Text(t)) => SortValue::Text(t.to_string()),
        _ => SortValue::Missing,
    }
}

/// A value `sorted` batching orders by: numbers, then strings, then none.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum SortValue {
    Number(f64),
    Text(String),
    Missing,
}

/// Orders `alive` by the sort rules, from the anchor's values, then age.
fn order_by_sorts(pool: &Pool<'_>, sorts: &[&Rule], anchor: usize, alive: &mut [usize]) {
    let view = Proposal { pool, teams: &[] };
    let anchor_seats: Vec<Seat> = pool.seats(anchor).collect();
    let mut keyed: Vec<(Vec<f64>, usize)> = alive
        .iter()
        .map(|&k| {
            let seats: Vec<Seat> = pool.seats(k).collect();
            let keys = sorts
                .iter()
                .map(|r| sort_key(r, &view, &seats, &anchor_seats))
                .collect();
            (keys, k)
        })
        .collect();
    keyed.sort_by(|(x, kx), (y, ky)| {
        x.iter()
            .zip(y)
            .map(|(a, b)| a.total_cmp(b))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| (pool.entries[*kx].start, *kx).cmp(&(pool.entries[*ky].start, *ky)))
    });
    for (slot, (_, k)) in alive.iter_mut().zip(keyed) {
        *slot = k;
    }
}

/// The public form of a match found.
fn proposal(pool: &Pool<'_>, found: &Found) -> ProposedMatch {
    let rules = pool.rules;
    ProposedMatch {
        tickets: found.members.clone(),
        teams: rules
            .teams
            .iter()
            .zip(&found.teams)
            .map(|(spec, seats)| {
                (
                    spec.name.clone(),
                    seats.iter().map(|s| (s.ticket, s.player)).collect(),
                )
            })
            .collect(),
        max_players: rules.levels.get(found.level).map_or(0, Level::max_players),
    }
}
