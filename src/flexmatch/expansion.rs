//! Expansions: the numbers a rule set relaxes as tickets wait, and the
//! levels they make.
//!
//! - A `target` is `rules[NAME].PROPERTY`, a number the rule has
//!   (`minDistance`, `maxDistance`, `referenceValue`, `maxLatency`,
//!   `minCount`, `maxCount`), or `teams[NAME].minPlayers|maxPlayers`,
//!   where a definition with a `quantity` expands each of its teams (the
//!   guide). A compound rule cannot be expanded (the guide).
//! - `steps` hold a `waitTimeSeconds` (from 0) and a `value`, checked as
//!   the value it replaces is: a distance, latency or count from 0, a
//!   count or team size whole. A match uses each expansion's last step
//!   whose wait has passed.
//! - The waits of all steps cut time into *levels*; at every level each
//!   team's `minPlayers` is at most its `maxPlayers`, and the teams hold
//!   no more players than the rule set's kind of match allows (40 for a
//!   small match, 200 for a large one): a match is made with the rule
//!   set as it stands at its level.

use super::declarations::{MAX_LARGE_MATCH, MAX_SMALL_MATCH, TeamDefinition, TeamSpec, whole};
use super::document::{Fault, Json, Object, Path};
use super::rules::{Bounds, Property, Rule, RuleKind};
use crate::model::echo::Cut;

/// What an expansion changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Rule(usize, Property),
    /// The `minPlayers` of a team definition's teams.
    TeamMin(usize),
    /// The `maxPlayers` of a team definition's teams.
    TeamMax(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expansion {
    pub(crate) target: Target,
    /// `(waitTimeSeconds, value)`, by wait.
    pub(crate) steps: Vec<(f64, f64)>,
}

/// The rule set as it stands at one level: each team's sizes and each
/// rule's numbers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Level {
    pub(crate) min: Vec<u32>,
    pub(crate) max: Vec<u32>,
    pub(crate) bounds: Vec<Bounds>,
}

impl Level {
    /// The players the teams hold at most.
    pub(crate) fn max_players(&self) -> u32 {
        self.max.iter().copied().fold(0, u32::saturating_add)
    }
}

/// Reads `expansions`.
pub(crate) fn expansions(
    list: Option<&[Json]>,
    path: &Path,
    rules: &[Rule],
    definitions: &[TeamDefinition],
) -> Result<Vec<Expansion>, Fault> {
    let mut out = Vec::new();
    for (i, item) in list.unwrap_or_default().iter().enumerate() {
        let at = path.item(i);
        let mut o = Object::of(item, at.clone())?;
        let target_path = at.member("target");
        let text = o
            .text("target")?
            .ok_or_else(|| format!("{target_path} is required"))?;
        let target = target(text, &target_path, rules, definitions)?;
        let steps_path = at.member("steps");
        let list = o
            .list("steps")?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("{steps_path} must hold at least one step"))?;
        let mut steps = Vec::new();
        for (j, step) in list.iter().enumerate() {
            let step_at = steps_path.item(j);
            let mut s = Object::of(step, step_at.clone())?;
            let wait = s
                .number("waitTimeSeconds")?
                .ok_or_else(|| format!("{step_at}.waitTimeSeconds is required"))?;
            if wait < 0.0 {
                return Err(format!(
                    "{step_at}.waitTimeSeconds must be at least 0, not {wait}"
                ));
            }
            let value = s
                .number("value")?
                .ok_or_else(|| format!("{step_at}.value is required"))?;
            let value_at = step_at.member("value");
            match target {
                Target::Rule(_, property) => property.check(value, &value_at)?,
                Target::TeamMin(_) => {
                    whole(value, &value_at, 0..=MAX_LARGE_MATCH)?;
                }
                Target::TeamMax(_) => {
                    whole(value, &value_at, 1..=MAX_LARGE_MATCH)?;
                }
            }
            s.finish()?;
            steps.push((wait, value));
        }
        o.finish()?;
        steps.sort_by(|a, b| a.0.total_cmp(&b.0));
        out.push(Expansion { target, steps });
    }
    Ok(out)
}

fn target(
    text: &str,
    path: &Path,
    rules: &[Rule],
    definitions: &[TeamDefinition],
) -> Result<Target, Fault> {
    let shape = || {
        format!(
            "{path} must be rules[NAME].PROPERTY or teams[NAME].PROPERTY, not {}",
            Cut(text)
        )
    };
    let (kind, rest) = text.split_once('[').ok_or_else(shape)?;
    let (name, property) = rest.rsplit_once("].").ok_or_else(shape)?;
    match kind.trim() {
        "rules" => {
            let Some(r) = rules.iter().position(|r| r.name == name) else {
                return Err(format!(
                    "{path} names the rule {}, which rules does not declare",
                    Cut(name)
                ));
            };
            let kind = &rules[r].kind;
            if matches!(kind, RuleKind::Compound { .. }) {
                return Err(format!(
                    "{path}: the compound rule {} cannot be expanded (expand the rules it names)",
                    Cut(name)
                ));
            }
            let Some(p) = Property::of(kind, property) else {
                return Err(format!(
                    "{path}: {} rule has no number {} to expand",
                    super::rules::a_rule(kind.name()),
                    Cut(property)
                ));
            };
            Ok(Target::Rule(r, p))
        }
        "teams" => {
            let Some(d) = definitions.iter().position(|d| d.name == name) else {
                return Err(format!(
                    "{path} names the team {}, which teams does not declare",
                    Cut(name)
                ));
            };
            match property {
                "minPlayers" => Ok(Target::TeamMin(d)),
                "maxPlayers" => Ok(Target::TeamMax(d)),
                other => Err(format!(
                    "{path}: a team expands its minPlayers or maxPlayers, not {}",
                    Cut(other)
                )),
            }
        }
        _ => Err(shape()),
    }
}

/// The waits at which the rule set changes, in order, and the rule set at
/// each level: level 0 before the first wait, level `i` from the `i`th.
pub(crate) fn levels(
    teams: &[TeamSpec],
    rules: &[Rule],
    expansions: &[Expansion],
) -> (Vec<f64>, Vec<Level>) {
    let mut waits: Vec<f64> = expansions
        .iter()
        .flat_map(|e| e.steps.iter().map(|s| s.0))
        .filter(|w| *w > 0.0)
        .collect();
    waits.sort_by(f64::total_cmp);
    waits.dedup();
    let at = |age: f64| {
        let mut level = Level {
            min: teams.iter().map(|t| t.min).collect(),
            max: teams.iter().map(|t| t.max).collect(),
            bounds: rules.iter().map(|r| r.bounds).collect(),
        };
        for e in expansions {
            let Some(&(_, value)) = e.steps.iter().rev().find(|(wait, _)| *wait <= age) else {
                continue;
            };
            match e.target {
                Target::Rule(r, p) => {
                    if let Some(b) = level.bounds.get_mut(r) {
                        p.set(b, value);
                    }
                }
                Target::TeamMin(d) | Target::TeamMax(d) => {
                    let is_min = matches!(e.target, Target::TeamMin(_));
                    for (t, spec) in teams.iter().enumerate() {
                        if spec.definition == d {
                            let slot = if is_min {
                                &mut level.min[t]
                            } else {
                                &mut level.max[t]
                            };
                            // Checked whole, from 0 to 200, when read.
                            #[allow(clippy::cast_sign_loss)]
                            let size = value as u32;
                            *slot = size;
                        }
                    }
                }
            }
        }
        level
    };
    let mut levels = vec![at(0.0)];
    levels.extend(waits.iter().map(|w| at(*w)));
    (waits, levels)
}

/// Checks every level: sizes in order, and the match within its kind's
/// size.
pub(crate) fn check_levels(
    waits: &[f64],
    levels: &[Level],
    teams: &[TeamSpec],
    large: bool,
    path: &Path,
) -> Result<(), Fault> {
    let limit = if large {
        MAX_LARGE_MATCH
    } else {
        MAX_SMALL_MATCH
    };
    for (i, level) in levels.iter().enumerate().skip(1) {
        let wait = waits.get(i - 1).copied().unwrap_or_default();
        for (t, spec) in teams.iter().enumerate() {
            if level.min[t] > level.max[t] {
                return Err(format!(
                    "{path}: after {wait} seconds the team {} would take at least {} players and at most {}",
                    Cut(&spec.name),
                    level.min[t],
                    level.max[t]
                ));
            }
        }
        let total = level.max.iter().map(|m| u64::from(*m)).sum::<u64>();
        if total > u64::from(limit) {
            return Err(format!(
                "{path}: after {wait} seconds the teams would hold up to {total} players, more than {}",
                if large {
                    format!("a match's {MAX_LARGE_MATCH}")
                } else {
                    format!(
                        "a small match's {MAX_SMALL_MATCH} (the rule set's teams make small matches)"
                    )
                }
            ));
        }
    }
    Ok(())
}
