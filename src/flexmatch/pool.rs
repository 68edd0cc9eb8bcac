//! The tickets of one pass, read once: each player's attribute values
//! (with the declared defaults), each ticket's party aggregates, its
//! level (how many of the expansions' waits its age has passed), and the
//! class of tickets alike in everything the rules read.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use time::OffsetDateTime;

use super::declarations::AttributeKind;
use super::expression::Val;
use super::player::Player;
use super::rule_set::RuleSet;
use super::rules::{MatchView, Party, Seat};

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

/// A ticket of the pass.
#[derive(Debug)]
pub(crate) struct Entry<'t> {
    pub(crate) players: &'t [Player],
    pub(crate) start: OffsetDateTime,
    pub(crate) backfill: bool,
    /// Its players.
    pub(crate) size: u32,
    /// How many expansion waits its age has passed.
    pub(crate) level: usize,
    /// For a backfill ticket, the team each player names.
    pub(crate) named: Vec<Option<usize>>,
    /// `[player][attribute]`: the value a rule reads.
    values: Vec<Vec<Option<Val>>>,
    /// `[attribute]`: the ticket's aggregates, for a ticket of several
    /// players.
    party: Vec<Aggregates>,
    /// Tickets of the same class are alike in all the rules read.
    pub(crate) class: usize,
    /// Whether it can be matched at all (a backfill ticket's teams are the
    /// rule set's; a balanced rule set's attribute is given).
    pub(crate) usable: bool,
}

/// The tickets of a pass.
#[derive(Debug)]
pub(crate) struct Pool<'t> {
    pub(crate) rules: &'t RuleSet,
    pub(crate) entries: Vec<Entry<'t>>,
    /// The lowest and highest level of any ticket.
    pub(crate) lowest: usize,
    pub(crate) highest: usize,
    pub(crate) classes: usize,
}

impl<'t> Pool<'t> {
    pub(crate) fn new(
        rules: &'t RuleSet,
        candidates: &[Candidate<'t>],
        now: OffsetDateTime,
    ) -> Self {
        let mut classes: HashMap<String, usize> = HashMap::new();
        let mut entries = Vec::with_capacity(candidates.len());
        for c in candidates {
            let age = (now - c.start).as_seconds_f64().max(0.0);
            let level = rules.level_at(age);
            let values: Vec<Vec<Option<Val>>> = c
                .players
                .iter()
                .map(|p| {
                    rules
                        .attributes
                        .iter()
                        .map(|a| a.value_of(p.attribute_value(&a.name)))
                        .collect()
                })
                .collect();
            let party = if c.players.len() > 1 && !c.backfill {
                (0..rules.attributes.len())
                    .map(|a| Aggregates::of(values.iter().map(|v| v[a].as_ref())))
                    .collect()
            } else {
                Vec::new()
            };
            let named: Vec<Option<usize>> = if c.backfill {
                c.players
                    .iter()
                    .map(|p| {
                        let name = p.team.as_deref()?;
                        rules.teams.iter().position(|t| t.name == name)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let mut usable = !c.players.is_empty() && named.iter().all(Option::is_some);
            if let Some(b) = rules.algorithm.balanced
                && rules.attributes[b].kind == AttributeKind::Number
                && values.iter().any(|v| v[b].is_none())
            {
                // The guide: all players must report the balancing attribute.
                usable = false;
            }
            let class = if c.backfill {
                let n = classes.len();
                classes.insert(format!("backfill {n}"), n);
                n
            } else {
                let key = fingerprint(rules, c.players, &values, level);
                let n = classes.len();
                *classes.entry(key).or_insert(n)
            };
            entries.push(Entry {
                players: c.players,
                start: c.start,
                backfill: c.backfill,
                size: u32::try_from(c.players.len()).unwrap_or(u32::MAX),
                level,
                named,
                values,
                party,
                class,
                usable,
            });
        }
        let lowest = entries.iter().map(|e| e.level).min().unwrap_or(0);
        let highest = entries.iter().map(|e| e.level).max().unwrap_or(0);
        Pool {
            rules,
            entries,
            lowest,
            highest,
            classes: classes.len(),
        }
    }

    /// The seats of `ticket` on team `team` (all its players), or, for a
    /// backfill ticket, each on the team they name.
    pub(crate) fn seats(&self, ticket: usize) -> impl Iterator<Item = Seat> + '_ {
        (0..self.entries[ticket].players.len()).map(move |player| Seat { ticket, player })
    }

    /// A ticket's value of a number attribute: its party's average, for
    /// ordering and balancing.
    pub(crate) fn number(&self, ticket: usize, attribute: usize) -> Option<f64> {
        let e = &self.entries[ticket];
        if let Some(n) = e.party.get(attribute).and_then(|a| a.numbers) {
            return Some(n[0]);
        }
        match e.values.first()?.get(attribute)? {
            Some(Val::Number(n)) => Some(*n),
            _ => None,
        }
    }

    /// A ticket's Region of lowest latency (its first player's).
    pub(crate) fn fastest_region(&self, ticket: usize) -> Option<&str> {
        self.entries[ticket]
            .players
            .first()?
            .latency_in_ms
            .as_ref()?
            .iter()
            .min_by_key(|(_, ms)| **ms)
            .map(|(r, _)| r.as_str())
    }
}

/// What makes tickets alike: their size, level, and every player's values,
/// latencies and maps (and ids, when a rule reads them).
fn fingerprint(
    rules: &RuleSet,
    players: &[Player],
    values: &[Vec<Option<Val>>],
    level: usize,
) -> String {
    let mut key = format!("{} {level}", players.len());
    for (p, v) in players.iter().zip(values) {
        let _ = write!(key, "|{v:?}|{:?}", p.latency_in_ms);
        for (a, attribute) in rules.attributes.iter().enumerate() {
            if attribute.kind == AttributeKind::StringNumberMap {
                let _ = write!(
                    key,
                    "|{a}:{:?}",
                    attribute.map_of(p.attribute_value(&attribute.name))
                );
            }
        }
        if rules.reads_ids {
            let _ = write!(key, "|{}", p.id());
        }
    }
    key
}

/// A ticket's aggregates of one attribute over its players: `avg`,
/// `min` and `max` of numbers, `union` and `intersection` of lists. A
/// string has none: each player's own is read.
#[derive(Debug, Default)]
struct Aggregates {
    numbers: Option<[f64; 3]>,
    lists: Option<[Val; 2]>,
}

impl Aggregates {
    fn of<'v>(values: impl Iterator<Item = Option<&'v Val>>) -> Self {
        let values: Vec<&Val> = values.flatten().collect();
        let numbers: Vec<f64> = values
            .iter()
            .filter_map(|v| match v {
                Val::Number(n) => Some(*n),
                _ => None,
            })
            .collect();
        let lists: Vec<&Vec<Val>> = values
            .iter()
            .filter_map(|v| match v {
                Val::List(l) => Some(l),
                _ => None,
            })
            .collect();
        let numbers = (!numbers.is_empty()).then(|| {
            [
                numbers.iter().sum::<f64>() / numbers.len() as f64,
                numbers.iter().copied().fold(f64::INFINITY, f64::min),
                numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ]
        });
        let lists = (!lists.is_empty()).then(|| {
            let mut union: Vec<Val> = Vec::new();
            for l in &lists {
                for v in *l {
                    if !union.contains(v) {
                        union.push(v.clone());
                    }
                }
            }
            let mut common = union.clone();
            common.retain(|v| lists.iter().all(|l| l.contains(v)));
            [Val::List(union), Val::List(common)]
        });
        Aggregates { numbers, lists }
    }

    fn read(&self, party: Party) -> Option<Val> {
        match party {
            Party::Avg | Party::Min | Party::Max => {
                self.numbers.map(|n| Val::Number(n[party.slot()]))
            }
            Party::Union | Party::Intersection => {
                self.lists.as_ref().map(|l| l[party.slot()].clone())
            }
        }
    }
}

/// A proposed match over a pool: the view rules test.
pub(crate) struct Proposal<'p, 't> {
    pub(crate) pool: &'p Pool<'t>,
    pub(crate) teams: &'p [Vec<Seat>],
}

impl MatchView for Proposal<'_, '_> {
    fn teams(&self) -> &[Vec<Seat>] {
        self.teams
    }

    fn value(&self, seat: Seat, attribute: usize, party: Party) -> Option<Val> {
        let e = &self.pool.entries[seat.ticket];
        if let Some(v) = e.party.get(attribute).and_then(|a| a.read(party)) {
            return Some(v);
        }
        e.values.get(seat.player)?.get(attribute)?.clone()
    }

    fn player_id(&self, seat: Seat) -> &str {
        self.pool.entries[seat.ticket]
            .players
            .get(seat.player)
            .map_or("", Player::id)
    }

    fn regions(&self, seat: Seat) -> Vec<&str> {
        self.pool.entries[seat.ticket]
            .players
            .get(seat.player)
            .and_then(|p| p.latency_in_ms.as_ref())
            .map(|l| l.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn latency(&self, seat: Seat, region: &str, party: Party) -> Option<f64> {
        let e = &self.pool.entries[seat.ticket];
        let of = |p: &Player| {
            p.latency_in_ms
                .as_ref()?
                .get(region)
                .map(|ms| f64::from(*ms))
        };
        if e.backfill || e.players.len() == 1 {
            return of(e.players.get(seat.player)?);
        }
        let all: Option<Vec<f64>> = e.players.iter().map(of).collect();
        let all = all?;
        Some(match party {
            Party::Min => all.iter().copied().fold(f64::INFINITY, f64::min),
            Party::Max => all.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            _ => all.iter().sum::<f64>() / all.len() as f64,
        })
    }

    fn map(&self, seat: Seat, attribute: usize) -> Option<&BTreeMap<String, f64>> {
        let a = self.pool.rules.attributes.get(attribute)?;
        let p = self.pool.entries[seat.ticket].players.get(seat.player)?;
        a.map_of(p.attribute_value(&a.name))
    }
}
