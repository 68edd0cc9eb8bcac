//! Large matches (teams of 41 to 200 players) and the `balanced`
//! strategy, as the guide's "Design a large-match rule set" describes.
//!
//! - Tickets are tried from the ones whose `balancedAttribute` is closest
//!   to the anchor's ("FlexMatch sorts the available player pool
//!   according to this attribute"); with `fastestRegion` batching, those
//!   whose fastest Region is the anchor's come first. Ties go by age.
//! - Each ticket joins, whole, the team the guide's filling order picks:
//!   a team that has not reached its `minPlayers`, with the most open
//!   slots; once every team has, the team with the most open slots (the
//!   first declared on a tie). A ticket that breaks a rule, or fits no
//!   team, is passed over. The match is made when every team holds its
//!   `minPlayers` (with the expansions of the match's age), as full as the
//!   pool allows.
//! - `balanced` then balances the teams: keeping each team's size, the
//!   tickets are dealt out from the highest `balancedAttribute` down, each
//!   to the team whose players' total is lowest for its size. A small
//!   match is balanced only where its rules still hold after (**decision**).

use super::pool::Pool;
use super::rules::Seat;
use super::search::{Found, Outcome, Seq, match_level, rules_keep, valid_at};

/// Orders the tickets a large match around `anchor` may take.
pub(crate) fn order(pool: &Pool<'_>, anchor: usize, alive: &mut [usize]) {
    let rules = pool.rules;
    let attribute = rules.algorithm.balanced;
    let fastest = (rules.algorithm.batching == super::algorithm::Batching::FastestRegion)
        .then(|| pool.fastest_region(anchor).map(str::to_owned))
        .flatten();
    let mine = attribute.and_then(|a| pool.number(anchor, a));
    alive.sort_by(|&x, &y| {
        let region = |k: usize| match &fastest {
            Some(r) => pool.fastest_region(k) != Some(r.as_str()),
            None => false,
        };
        let distance = |k: usize| match (attribute.and_then(|a| pool.number(k, a)), mine) {
            (Some(v), Some(m)) => (v - m).abs(),
            _ => f64::INFINITY,
        };
        region(x)
            .cmp(&region(y))
            .then(distance(x).total_cmp(&distance(y)))
            .then((pool.entries[x].start, x).cmp(&(pool.entries[y].start, y)))
    });
}

/// The team the guide's filling order puts `size` players on, at `level`.
fn fill_team(pool: &Pool<'_>, teams: &[Vec<Seat>], level: usize, size: u32) -> Option<usize> {
    let l = &pool.rules.levels[level];
    (0..teams.len())
        .filter(|&t| teams[t].len() as u32 + size <= l.max[t])
        .min_by_key(|&t| {
            let n = teams[t].len() as u32;
            (n >= l.min[t], std::cmp::Reverse(l.max[t] - n), t)
        })
}

/// Builds a large match around `anchor` from the tickets of `seq`,
/// spending at most `budget` work.
pub(crate) fn build(pool: &Pool<'_>, anchor: usize, seq: &Seq<'_>, budget: u64) -> Outcome {
    let rules = pool.rules;
    let mut work = 0;
    let mut teams: Vec<Vec<Seat>> = vec![Vec::new(); rules.teams.len()];
    let first = &pool.entries[anchor];
    if first.backfill {
        for (player, t) in first.named.iter().enumerate() {
            if let Some(t) = t {
                teams[*t].push(Seat {
                    ticket: anchor,
                    player,
                });
            }
        }
    } else {
        let Some(t) = fill_team(pool, &teams, first.level, first.size) else {
            return Outcome {
                found: None,
                exhausted: false,
                work,
            };
        };
        teams[t].extend(pool.seats(anchor));
    }
    let mut members = vec![anchor];
    let mut level = first.level;
    let mut exhausted = false;
    let mut p = 0;
    while let Some((place, k)) = seq.next(p) {
        p = place + 1;
        work += 1;
        if work > budget {
            exhausted = true;
            break;
        }
        let l = &rules.levels[level];
        if teams
            .iter()
            .enumerate()
            .all(|(t, s)| s.len() as u32 >= l.max[t])
        {
            break;
        }
        let e = &pool.entries[k];
        if e.backfill {
            continue;
        }
        let next = match_level(pool, members.iter().copied().chain([k]));
        let Some(t) = fill_team(pool, &teams, next, e.size) else {
            continue;
        };
        teams[t].extend(pool.seats(k));
        let lv = &rules.levels[next];
        let fits = teams
            .iter()
            .enumerate()
            .all(|(u, s)| s.len() as u32 <= lv.max[u])
            && rules_keep(pool, &teams, lv, false, &mut work);
        if fits {
            members.push(k);
            level = next;
        } else {
            let keep = teams[t].len() - e.players.len();
            teams[t].truncate(keep);
        }
    }
    let found = (!exhausted && members.iter().any(|&k| !pool.entries[k].backfill))
        .then(|| {
            let level = match_level(pool, members.iter().copied());
            valid_at(pool, &teams, level, &mut work).then_some(Found {
                members,
                teams,
                level,
            })
        })
        .flatten();
    Outcome {
        found,
        exhausted,
        work,
    }
}

/// Balances a match's teams on the `balancedAttribute`, keeping their
/// sizes; the match as found when a backfill holds players to their
/// teams, when the tickets cannot be dealt out so, or when a rule would
/// break.
pub(crate) fn balance(pool: &Pool<'_>, found: Found, work: &mut u64) -> Found {
    let Some(attribute) = pool.rules.algorithm.balanced else {
        return found;
    };
    if found.members.iter().any(|&k| pool.entries[k].backfill) {
        return found;
    }
    let targets: Vec<u32> = found.teams.iter().map(|s| s.len() as u32).collect();
    let mut tickets: Vec<(f64, usize)> = found
        .members
        .iter()
        .map(|&k| (pool.number(k, attribute).unwrap_or(0.0), k))
        .collect();
    tickets.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then((pool.entries[x.1].start, x.1).cmp(&(pool.entries[y.1].start, y.1)))
    });
    let mut teams: Vec<Vec<Seat>> = vec![Vec::new(); targets.len()];
    let mut sums = vec![0.0_f64; targets.len()];
    for (value, k) in tickets {
        let size = pool.entries[k].size;
        let Some(t) = (0..teams.len())
            .filter(|&t| teams[t].len() as u32 + size <= targets[t])
            .min_by(|&x, &y| {
                let share = |t: usize| sums[t] / f64::from(targets[t].max(1));
                share(x).total_cmp(&share(y)).then(x.cmp(&y))
            })
        else {
            return found;
        };
        teams[t].extend(pool.seats(k));
        sums[t] += value * f64::from(size);
    }
    if valid_at(pool, &teams, found.level, work) {
        Found { teams, ..found }
    } else {
        found
    }
}
