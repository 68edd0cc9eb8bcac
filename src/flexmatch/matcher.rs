//! The matcher: from tickets waiting in one configuration, a match that
//! fits the rule set's teams and keeps every rule.

use time::OffsetDateTime;

use super::player::Player;
use super::rule_set::{RuleSet, Seat};

/// The most tickets one search looks at: the oldest ones.
pub const MAX_BATCH: usize = 24;

/// The most steps one search takes before it gives up for this round; a
/// candidate placed is a step, a match tested against the rules is
/// [`LEAF_STEPS`]. A matchmaker round shares this budget among all its
/// searches, so a round's cost is bounded whatever waits.
pub const MAX_STEPS: usize = 50_000;

/// What testing one complete match against the rules costs, in steps.
pub const LEAF_STEPS: usize = 64;

/// A ticket waiting for a match, as the matcher reads it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Candidate<'t> {
    /// Its players. A backfill ticket's players name their teams.
    pub players: &'t [Player],
    /// When it started: its age decides which expansions apply.
    pub start: OffsetDateTime,
    /// A backfill ticket: its players keep the teams they name.
    pub backfill: bool,
}

impl<'t> Candidate<'t> {
    /// A ticket of `players` started at `start`.
    #[must_use]
    pub fn new(players: &'t [Player], start: OffsetDateTime) -> Self {
        Candidate {
            players,
            start,
            backfill: false,
        }
    }

    /// The same ticket, for backfill.
    #[must_use]
    pub fn backfill(mut self) -> Self {
        self.backfill = true;
        self
    }
}

/// A match the matcher proposes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProposedMatch {
    /// The tickets in it: indexes into the candidates, in order.
    pub tickets: Vec<usize>,
    /// Each team's name and its players, as `(ticket index, player index)`.
    pub teams: Vec<(String, Vec<(usize, usize)>)>,
}

/// Where a candidate goes: left out, or onto a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Out,
    Team(usize),
    /// A backfill ticket: each player on the team they name.
    Named,
}

/// A match among `candidates` (in the order given: the caller orders them
/// oldest first), built around the first of them, or `None`.
///
/// The search (**decision**: FlexMatch's algorithm is not public; this
/// one is documented and deterministic) looks at the oldest
/// [`MAX_BATCH`] candidates, depth first: the first candidate is always in,
/// each next one goes onto the first team that has room for all its
/// players (a ticket's players play together), or, failing a match that
/// way, onto the next team, or is left out. So the first match found holds
/// as many of the oldest tickets as the rules allow. A match is each team
/// between its `minPlayers` and `maxPlayers` and every rule kept, with the
/// expansions of its age: the newest ticket's, or the oldest's with
/// `expansionAgeSelection` `oldest`. A match of backfill tickets alone
/// is none: a backfill needs new players. A search gives up after
/// [`MAX_STEPS`] steps.
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
    let mut budget = MAX_STEPS;
    find_match_within(rule_set, candidates, now, &mut budget)
}

/// [`find_match`] spending at most `budget` steps, and leaving what it
/// did not spend.
pub(crate) fn find_match_within(
    rule_set: &RuleSet,
    candidates: &[Candidate<'_>],
    now: OffsetDateTime,
    budget: &mut usize,
) -> Option<ProposedMatch> {
    let candidates = candidates.get(..candidates.len().min(MAX_BATCH))?;
    if candidates.is_empty() {
        return None;
    }
    let mut search = Search {
        rule_set,
        candidates,
        now,
        widest: rule_set.widest_max(),
        counts: vec![0; rule_set.teams.len()],
        places: vec![Place::Out; candidates.len()],
        steps: 0,
        budget: *budget,
    };
    let found = search.step(0);
    *budget = budget.saturating_sub(search.steps);
    found.then(|| search.proposal())
}

struct Search<'a, 't> {
    rule_set: &'a RuleSet,
    candidates: &'a [Candidate<'t>],
    now: OffsetDateTime,
    widest: Vec<u32>,
    counts: Vec<u32>,
    places: Vec<Place>,
    steps: usize,
    budget: usize,
}

impl Search<'_, '_> {
    fn team_of(&self, player: &Player) -> Option<usize> {
        let name = player.team.as_deref()?;
        self.rule_set.teams.iter().position(|t| t.name == name)
    }

    /// Places candidate `k` and the ones after it; answers whether a match
    /// was found (then `places` holds it).
    fn step(&mut self, k: usize) -> bool {
        self.steps += 1;
        if self.steps > self.budget {
            return false;
        }
        let Some(candidate) = self.candidates.get(k) else {
            self.steps += LEAF_STEPS;
            return self.is_match();
        };
        let size = u32::try_from(candidate.players.len()).unwrap_or(u32::MAX);
        if candidate.backfill {
            let teams: Option<Vec<usize>> =
                candidate.players.iter().map(|p| self.team_of(p)).collect();
            if let Some(teams) = teams {
                for &t in &teams {
                    self.counts[t] += 1;
                }
                let fits = teams.iter().all(|&t| self.counts[t] <= self.widest[t]);
                self.places[k] = Place::Named;
                if fits && self.step(k + 1) {
                    return true;
                }
                for &t in &teams {
                    self.counts[t] -= 1;
                }
                self.places[k] = Place::Out;
            }
        } else {
            for t in 0..self.counts.len() {
                if self.counts[t] + size > self.widest[t] {
                    continue;
                }
                self.counts[t] += size;
                self.places[k] = Place::Team(t);
                let found = self.step(k + 1);
                if found {
                    return true;
                }
                self.counts[t] -= size;
                self.places[k] = Place::Out;
            }
        }
        // The first candidate is always in the match.
        k > 0 && self.step(k + 1)
    }

    fn is_match(&self) -> bool {
        // A backfill needs new players.
        let placed = |c: &Candidate<'_>, p: &Place| *p != Place::Out && !c.backfill;
        if !self
            .candidates
            .iter()
            .zip(&self.places)
            .any(|(c, p)| placed(c, p))
        {
            return false;
        }
        let starts = self
            .candidates
            .iter()
            .zip(&self.places)
            .filter(|(_, p)| **p != Place::Out)
            .map(|(c, _)| c.start);
        let start = if self.rule_set.age_of_oldest {
            starts.min()
        } else {
            starts.max()
        };
        let Some(start) = start else {
            return false;
        };
        let age = (self.now - start).as_seconds_f64().max(0.0);
        let x = self.rule_set.expanded(age);
        let sizes_fit = self
            .counts
            .iter()
            .enumerate()
            .all(|(t, &n)| n >= x.min[t] && n <= x.max[t]);
        if !sizes_fit {
            return false;
        }
        let teams = self.seats();
        self.rule_set.broken_rule(&teams, &x).is_none()
    }

    /// The seats of each team, as placed now.
    fn seats(&self) -> Vec<Vec<Seat<'_>>> {
        let mut teams: Vec<Vec<Seat<'_>>> = vec![Vec::new(); self.counts.len()];
        for (ticket, (candidate, place)) in self.candidates.iter().zip(&self.places).enumerate() {
            for player in candidate.players {
                let team = match place {
                    Place::Out => None,
                    Place::Team(t) => Some(*t),
                    Place::Named => self.team_of(player),
                };
                if let Some(seats) = team.and_then(|t| teams.get_mut(t)) {
                    seats.push(Seat { ticket, player });
                }
            }
        }
        teams
    }

    fn proposal(&self) -> ProposedMatch {
        let tickets = (0..self.places.len())
            .filter(|&k| self.places[k] != Place::Out)
            .collect();
        let mut teams: Vec<(String, Vec<(usize, usize)>)> = self
            .rule_set
            .teams
            .iter()
            .map(|t| (t.name.clone(), Vec::new()))
            .collect();
        for (ticket, (candidate, place)) in self.candidates.iter().zip(&self.places).enumerate() {
            for (i, player) in candidate.players.iter().enumerate() {
                let team = match place {
                    Place::Out => None,
                    Place::Team(t) => Some(*t),
                    Place::Named => self.team_of(player),
                };
                if let Some((_, seats)) = team.and_then(|t| teams.get_mut(t)) {
                    seats.push((ticket, i));
                }
            }
        }
        ProposedMatch { tickets, teams }
    }
}

/// Whether `found` is a match of `candidates` under `rule_set` at `now`:
/// each team's size within its bounds, every rule kept. The check
/// [`find_match`] makes of what it proposes, for callers and tests that
/// hold a match from elsewhere.
#[must_use]
pub fn is_valid_match(
    rule_set: &RuleSet,
    candidates: &[Candidate<'_>],
    found: &ProposedMatch,
    now: OffsetDateTime,
) -> bool {
    let starts = found
        .tickets
        .iter()
        .filter_map(|&k| candidates.get(k).map(|c| c.start));
    let start = if rule_set.age_of_oldest {
        starts.min()
    } else {
        starts.max()
    };
    let Some(start) = start else {
        return false;
    };
    if found
        .tickets
        .iter()
        .all(|&k| candidates.get(k).is_none_or(|c| c.backfill))
    {
        return false;
    }
    let x = rule_set.expanded((now - start).as_seconds_f64().max(0.0));
    if found.teams.len() != rule_set.teams.len() {
        return false;
    }
    let mut teams = Vec::new();
    for (t, (_, seats)) in found.teams.iter().enumerate() {
        let n = u32::try_from(seats.len()).unwrap_or(u32::MAX);
        if n < x.min[t] || n > x.max[t] {
            return false;
        }
        let mut team = Vec::new();
        for &(ticket, i) in seats {
            let Some(player) = candidates.get(ticket).and_then(|c| c.players.get(i)) else {
                return false;
            };
            team.push(Seat { ticket, player });
        }
        teams.push(team);
    }
    rule_set.broken_rule(&teams, &x).is_none()
}
