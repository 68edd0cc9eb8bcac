//! What an anchor's search is made of: the order it takes tickets in,
//! the match it finds, the tests a match and a part of one must pass, and
//! the exhaustive search of a small match (see [`matcher`](super::matcher)
//! for how a pass uses them).

use super::expansion::Level;
use super::pool::{Pool, Proposal};
use super::rules::{Rule, Seat};

/// The most work one anchor's search may do in a pass: values read by
/// rules and tickets scanned.
pub const ANCHOR_WORK: u64 = 4_000_000;

/// A match found: its tickets and teams, and its level.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) members: Vec<usize>,
    pub(crate) teams: Vec<Vec<Seat>>,
    pub(crate) level: usize,
}

/// What one anchor's search came to.
pub(crate) struct Outcome {
    pub(crate) found: Option<Found>,
    /// Whether it spent its work without an answer.
    pub(crate) exhausted: bool,
    pub(crate) work: u64,
}

/// The order of the tickets an anchor's match may take from.
pub(crate) enum Seq<'s> {
    /// The pass's order, skipping what left the pool and the anchor, then
    /// the tickets whose own search was given up, tried last.
    Base {
        base: &'s [usize],
        left: &'s Left,
        last: &'s [usize],
        anchor: usize,
        /// The anchor's place in `base`, if it is there.
        anchor_place: Option<usize>,
        anchor_size: u64,
        /// The players of `last`.
        last_players: u64,
    },
    /// A list of its own, and how many players its tickets from each
    /// place on bring.
    List { list: &'s [usize], suffix: Vec<u64> },
}

impl<'s> Seq<'s> {
    /// A sequence of `list`, tickets of `pool`.
    pub(crate) fn list(pool: &Pool<'_>, list: &'s [usize]) -> Self {
        let mut suffix = vec![0; list.len() + 1];
        for (i, &k) in list.iter().enumerate().rev() {
            suffix[i] = suffix[i + 1] + u64::from(pool.entries[k].size);
        }
        Seq::List { list, suffix }
    }

    /// The first ticket at or after place `p`, and its place.
    pub(crate) fn next(&self, p: usize) -> Option<(usize, usize)> {
        match self {
            Seq::Base {
                base,
                left,
                last,
                anchor,
                ..
            } => {
                let mut p = if p < base.len() { left.find(p) } else { p };
                while let Some(&k) = base.get(p) {
                    if k != *anchor {
                        return Some((p, k));
                    }
                    p = left.find(p + 1);
                }
                let from = p.max(base.len());
                last.iter()
                    .enumerate()
                    .skip(from - base.len())
                    .find(|(_, k)| **k != *anchor)
                    .map(|(i, &k)| (base.len() + i, k))
            }
            Seq::List { list, .. } => list.get(p).map(|&k| (p, k)),
        }
    }

    /// How many players the tickets from place `p` on bring.
    pub(crate) fn players_from(&self, p: usize) -> u64 {
        match self {
            Seq::Base {
                base,
                left,
                last_players,
                anchor_place,
                anchor_size,
                ..
            } => {
                let all = left.players_from(p.min(base.len())) + last_players;
                match anchor_place {
                    Some(a) if *a >= p => all.saturating_sub(*anchor_size),
                    _ => all,
                }
            }
            Seq::List { suffix, .. } => suffix.get(p).copied().unwrap_or(0),
        }
    }
}

/// The places of the pass's order that are left, found in near-constant
/// time (each removed place points on to the next), and the players the
/// places left hold from any place on (a Fenwick tree).
#[derive(Debug)]
pub(crate) struct Left {
    next: std::cell::RefCell<Vec<usize>>,
    sizes: Vec<u64>,
    tree: Vec<u64>,
}

impl Left {
    /// The places of tickets of `sizes` players, all left.
    pub(crate) fn new(sizes: Vec<u64>) -> Self {
        let n = sizes.len();
        let mut left = Left {
            next: std::cell::RefCell::new((0..=n).collect()),
            sizes: vec![0; n],
            tree: vec![0; n + 1],
        };
        for (p, size) in sizes.into_iter().enumerate() {
            left.add(p, size);
        }
        left
    }

    fn add(&mut self, p: usize, size: u64) {
        self.sizes[p] = self.sizes[p].wrapping_add(size);
        let mut i = p + 1;
        while i < self.tree.len() {
            self.tree[i] = self.tree[i].wrapping_add(size);
            i += i & i.wrapping_neg();
        }
    }

    /// The players of the places before `p`.
    fn before(&self, p: usize) -> u64 {
        let mut i = p.min(self.sizes.len());
        let mut sum = 0u64;
        while i > 0 {
            sum = sum.wrapping_add(self.tree[i]);
            i -= i & i.wrapping_neg();
        }
        sum
    }

    fn players_from(&self, p: usize) -> u64 {
        self.before(self.sizes.len()).wrapping_sub(self.before(p))
    }

    /// The first place at or after `p` not removed.
    fn find(&self, p: usize) -> usize {
        let mut next = self.next.borrow_mut();
        let end = next.len() - 1;
        let mut root = p.min(end);
        while next[root] != root {
            root = next[root];
        }
        let mut q = p.min(end);
        while next[q] != root {
            let up = next[q];
            next[q] = root;
            q = up;
        }
        root
    }

    /// Removes place `p`.
    pub(crate) fn remove(&mut self, p: usize) {
        let size = self.sizes[p];
        if size > 0 {
            self.add(p, size.wrapping_neg());
        }
        let next = self.next.get_mut();
        if p + 1 < next.len() {
            next[p] = p + 1;
        }
    }
}

/// The level of a match of `members`: its newest ticket's, or its oldest's.
pub(crate) fn match_level(pool: &Pool<'_>, members: impl Iterator<Item = usize>) -> usize {
    let levels = members.map(|k| pool.entries[k].level);
    if pool.rules.algorithm.age_of_oldest {
        levels.max().unwrap_or(0)
    } else {
        levels.min().unwrap_or(0)
    }
}

/// Whether `teams` is a match at `level`: sizes within bounds, every rule
/// tested on its own kept.
pub(crate) fn valid_at(pool: &Pool<'_>, teams: &[Vec<Seat>], level: usize, work: &mut u64) -> bool {
    let rules = pool.rules;
    let Some(l) = rules.levels.get(level) else {
        return false;
    };
    let sizes = teams
        .iter()
        .enumerate()
        .all(|(t, seats)| seats.len() as u32 >= l.min[t] && seats.len() as u32 <= l.max[t]);
    sizes && rules_keep(pool, teams, l, false, work)
}

/// Whether the rules tested on their own (all, or only the hereditary
/// ones) keep `teams` at `l`.
pub(crate) fn rules_keep(
    pool: &Pool<'_>,
    teams: &[Vec<Seat>],
    l: &Level,
    hereditary_only: bool,
    work: &mut u64,
) -> bool {
    let view = Proposal { pool, teams };
    let rules = &pool.rules.rules;
    rules.iter().enumerate().all(|(i, r)| {
        r.in_compound
            || (hereditary_only && !r.hereditary)
            || Rule::kept(rules, i, &l.bounds, &view, work)
    })
}

/// Whether ticket `k` could be in a match at all: alone on some team it
/// fits, the hereditary rules keep it at some level it could be matched
/// at.
pub(crate) fn fits_alone(pool: &Pool<'_>, k: usize, work: &mut u64) -> bool {
    let e = &pool.entries[k];
    let rules = pool.rules;
    let levels = level_range(pool, e.level);
    let placements: Vec<Vec<Vec<Seat>>> = if e.backfill {
        let mut teams = vec![Vec::new(); rules.teams.len()];
        for (player, t) in e.named.iter().enumerate() {
            if let Some(t) = t {
                teams[*t].push(Seat { ticket: k, player });
            }
        }
        vec![teams]
    } else {
        (0..rules.teams.len())
            .map(|t| {
                let mut teams = vec![Vec::new(); rules.teams.len()];
                teams[t] = pool.seats(k).collect();
                teams
            })
            .collect()
    };
    placements.iter().any(|teams| {
        levels.clone().any(|l| {
            let level = &rules.levels[l];
            teams
                .iter()
                .enumerate()
                .all(|(t, s)| s.len() as u32 <= level.max[t])
                && rules_keep(pool, teams, level, true, work)
        })
    })
}

/// The levels a match holding a ticket (or tickets) of level `level` may
/// have: newer tickets lower a match's level when the newest decides;
/// older ones raise it when the oldest does.
pub(crate) fn level_range(pool: &Pool<'_>, level: usize) -> std::ops::RangeInclusive<usize> {
    if pool.rules.algorithm.age_of_oldest {
        level..=pool.highest.max(level)
    } else {
        pool.lowest.min(level)..=level
    }
}

/// One anchor's search for a small match. Only the tickets of `seq` that
/// can share a match with the anchor (with it alone, the hereditary rules
/// hold on some teams) can be in one: they are gathered a batch at a
/// time, in order, and searched exhaustively; a search that finds no
/// match among all of them has proven there is none.
pub(crate) fn small_match(pool: &Pool<'_>, anchor: usize, seq: &Seq<'_>) -> Outcome {
    let rules = pool.rules;
    let widest: u64 = (0..rules.teams.len())
        .map(|t| u64::from(rules.levels.iter().map(|l| l.max[t]).max().unwrap_or(0)))
        .sum();
    let mut target = usize::try_from(widest).unwrap_or(usize::MAX).max(8);
    let mut compatible: Vec<usize> = Vec::new();
    let mut work = 0;
    let mut p = 0;
    let mut complete = false;
    loop {
        while compatible.len() < target {
            let Some((place, k)) = seq.next(p) else {
                complete = true;
                break;
            };
            p = place + 1;
            work += 1;
            if work > ANCHOR_WORK {
                return Outcome {
                    found: None,
                    exhausted: true,
                    work,
                };
            }
            if pair_fits(pool, anchor, k, &mut work) {
                compatible.push(k);
            }
        }
        let mut search = Search::new(pool, anchor, Seq::list(pool, &compatible));
        search.work = work;
        let outcome = search.run();
        if outcome.found.is_some() || outcome.exhausted || complete {
            return outcome;
        }
        work = outcome.work;
        target = target.saturating_mul(4);
    }
}

/// Whether tickets `a` and `k` could share a match: on some teams, at
/// some level, they fit and keep the hereditary rules.
fn pair_fits(pool: &Pool<'_>, a: usize, k: usize, work: &mut u64) -> bool {
    let rules = pool.rules;
    let n = rules.teams.len();
    let e = &pool.entries[a];
    let anchors: Vec<Vec<Vec<Seat>>> = if e.backfill {
        let mut teams = vec![Vec::new(); n];
        for (player, t) in e.named.iter().enumerate() {
            if let Some(t) = t {
                teams[*t].push(Seat { ticket: a, player });
            }
        }
        vec![teams]
    } else {
        (0..n)
            .map(|t| {
                let mut teams = vec![Vec::new(); n];
                teams[t] = pool.seats(a).collect();
                teams
            })
            .collect()
    };
    let range = level_range(pool, match_level(pool, [a, k].into_iter()));
    let widest = |t: usize| rules.levels.iter().map(|l| l.max[t]).max().unwrap_or(0);
    for mut teams in anchors {
        for t in 0..n {
            let held = teams[t].len();
            if held as u32 + pool.entries[k].size > widest(t) {
                continue;
            }
            teams[t].extend(pool.seats(k));
            let mut sized = false;
            let fits = range.clone().any(|l| {
                let lv = &rules.levels[l];
                let size = teams
                    .iter()
                    .enumerate()
                    .all(|(u, s)| s.len() as u32 <= lv.max[u]);
                sized |= size;
                size && rules_keep(pool, &teams, lv, true, work)
            });
            teams[t].truncate(held);
            if fits || (sized && rules.agnostic) {
                // Team-agnostic rules answer alike on every other team.
                return fits;
            }
        }
    }
    false
}

/// What placing a ticket changed: its class's last team before.
#[derive(Debug, Clone, Copy)]
struct Undo(Option<usize>);

/// One anchor's exhaustive search for a small match.
pub(crate) struct Search<'s, 't> {
    pool: &'s Pool<'t>,
    seq: Seq<'s>,
    anchor: usize,
    teams: Vec<Vec<Seat>>,
    members: Vec<usize>,
    /// Per class: how many of its tickets this branch passed over.
    skipped: Vec<u32>,
    /// Per class: the team its last ticket in the match is on.
    class_team: Vec<Option<usize>>,
    /// Per team: the most players it may hold at any level.
    widest: Vec<u32>,
    work: u64,
    exhausted: bool,
    backfill: bool,
    /// The last [`Search::pruned`] was the rules' doing, and they are
    /// team-agnostic.
    rules_refused: bool,
}

impl<'s, 't> Search<'s, 't> {
    pub(crate) fn new(pool: &'s Pool<'t>, anchor: usize, seq: Seq<'s>) -> Self {
        let rules = pool.rules;
        let widest = (0..rules.teams.len())
            .map(|t| rules.levels.iter().map(|l| l.max[t]).max().unwrap_or(0))
            .collect();
        Search {
            pool,
            seq,
            anchor,
            teams: vec![Vec::new(); rules.teams.len()],
            members: Vec::new(),
            skipped: vec![0; pool.classes],
            class_team: vec![None; pool.classes],
            widest,
            work: 0,
            exhausted: false,
            backfill: pool.entries[anchor].backfill,
            rules_refused: false,
        }
    }

    pub(crate) fn run(mut self) -> Outcome {
        let anchor = self.anchor;
        let mut found = None;
        for t in self.teams_for(anchor) {
            if let Some(undo) = self.place(anchor, t) {
                if self.pruned(0) {
                    self.unplace(anchor, undo);
                    continue;
                }
                found = self.extend(0);
                if found.is_some() || self.exhausted {
                    break;
                }
                self.unplace(anchor, undo);
            }
        }
        Outcome {
            found,
            exhausted: self.exhausted,
            work: self.work,
        }
    }

    /// The teams ticket `k` may go on now (for a backfill ticket, one
    /// placement: the teams its players name).
    fn teams_for(&self, k: usize) -> Vec<Option<usize>> {
        if self.pool.entries[k].backfill {
            return vec![None];
        }
        (0..self.teams.len()).map(Some).collect()
    }

    /// Places ticket `k` on team `t` (or, `None`, each player on the team
    /// they name) if it fits and the branch is canonical; answers what to
    /// undo.
    fn place(&mut self, k: usize, t: Option<usize>) -> Option<Undo> {
        let e = &self.pool.entries[k];
        let rules = self.pool.rules;
        match t {
            None => {
                for (player, named) in e.named.iter().enumerate() {
                    let t = (*named)?;
                    if self.teams[t].len() as u32 + 1 > self.widest[t] {
                        for seats in &mut self.teams {
                            seats.retain(|s| s.ticket != k);
                        }
                        return None;
                    }
                    self.teams[t].push(Seat { ticket: k, player });
                }
            }
            Some(t) => {
                if self.teams[t].len() as u32 + e.size > self.widest[t] {
                    return None;
                }
                if let Some(last) = self.class_team[e.class]
                    && t < last
                {
                    return None;
                }
                if !self.backfill {
                    let group = rules.team_groups[t];
                    if (0..t).any(|u| rules.team_groups[u] == group && self.teams[u].is_empty()) {
                        return None;
                    }
                }
                self.teams[t].extend(self.pool.seats(k));
            }
        }
        self.members.push(k);
        let undo = Undo(self.class_team[e.class]);
        self.class_team[e.class] = t;
        Some(undo)
    }

    fn unplace(&mut self, k: usize, undo: Undo) {
        for seats in &mut self.teams {
            while seats.last().is_some_and(|s| s.ticket == k) {
                seats.pop();
            }
        }
        self.members.pop();
        let class = self.pool.entries[k].class;
        self.class_team[class] = undo.0;
    }

    /// Whether the branch is provably fruitless: at no level its
    /// completions may have do the teams fit, can the tickets from place
    /// `from` on bring the players the teams still need, and do the
    /// hereditary rules hold.
    fn pruned(&mut self, from: usize) -> bool {
        let level = match_level(self.pool, self.members.iter().copied());
        let range = level_range(self.pool, level);
        let rules = self.pool.rules;
        let available = self.seq.players_from(from);
        let mut work = 0;
        let mut sized = false;
        let fine = range.into_iter().any(|l| {
            let lv = &rules.levels[l];
            let needed: u64 = self
                .teams
                .iter()
                .enumerate()
                .map(|(t, s)| u64::from(lv.min[t].saturating_sub(s.len() as u32)))
                .sum();
            let fits = needed <= available
                && self
                    .teams
                    .iter()
                    .enumerate()
                    .all(|(t, s)| s.len() as u32 <= lv.max[t]);
            sized |= fits;
            fits && rules_keep(self.pool, &self.teams, lv, true, &mut work)
        });
        self.work += work;
        self.rules_refused = !fine && sized && rules.agnostic;
        !fine
    }

    fn full(&self) -> bool {
        self.teams
            .iter()
            .enumerate()
            .all(|(t, s)| s.len() as u32 >= self.widest[t])
    }

    /// Extends the match with tickets from place `from` on; the match as
    /// it stands is tried last.
    fn extend(&mut self, from: usize) -> Option<Found> {
        if !self.full() {
            let mut passed: Vec<usize> = Vec::new();
            let mut p = from;
            let mut found = None;
            while let Some((place, k)) = self.seq.next(p) {
                p = place + 1;
                self.work += 1;
                if self.work > ANCHOR_WORK {
                    self.exhausted = true;
                    break;
                }
                let class = self.pool.entries[k].class;
                if self.skipped[class] > 0 {
                    continue;
                }
                for t in 0..self.teams.len() {
                    let Some(undo) = self.place(k, Some(t)) else {
                        continue;
                    };
                    let pruned = self.pruned(p);
                    if !pruned {
                        found = self.extend(p);
                    }
                    if found.is_some() || self.exhausted {
                        break;
                    }
                    self.unplace(k, undo);
                    if pruned && self.rules_refused {
                        // The rules, not the sizes, refused it: with
                        // team-agnostic rules, every team would.
                        break;
                    }
                }
                if found.is_some() || self.exhausted {
                    break;
                }
                self.skipped[class] += 1;
                passed.push(class);
            }
            for class in passed {
                self.skipped[class] -= 1;
            }
            if found.is_some() || self.exhausted {
                return found;
            }
        }
        self.leaf()
    }

    /// The match as it stands, if it is one.
    fn leaf(&mut self) -> Option<Found> {
        if self.members.iter().all(|&k| self.pool.entries[k].backfill) {
            return None;
        }
        let level = match_level(self.pool, self.members.iter().copied());
        let mut work = 0;
        let valid = valid_at(self.pool, &self.teams, level, &mut work);
        self.work += work;
        valid.then(|| Found {
            members: self.members.clone(),
            teams: self.teams.clone(),
            level,
        })
    }
}
