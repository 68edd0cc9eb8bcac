//! A FlexMatch rule set: its document read into a [`RuleSet`], with every
//! fault named by its path.
//!
//! The members of the document are the guide's schema: `name`,
//! `ruleLanguageVersion` (`"1.0"`, required), `playerAttributes`,
//! `algorithm`, `teams`, `rules` and `expansions`. Each part is read by
//! its own module: [`declarations`](super::declarations) (attributes and
//! teams), [`rules`](super::rules), [`expansion`](super::expansion) and
//! [`algorithm`](super::algorithm). This one puts them together:
//!
//! - Rule names are unique.
//! - A large match (teams of more than 40 players) takes only `latency`
//!   rules (with `maxLatency`) and `batchDistance` rules, as the guide's
//!   large-match rules say; a compound rule forms matches of 40 or fewer
//!   (the guide).

use std::fmt;

use serde::{Deserialize, Deserializer};

use super::algorithm::{Algorithm, algorithm};
use super::declarations::{
    Attribute, MAX_SMALL_MATCH, TeamDefinition, TeamSpec, attributes, teams,
};
use super::document::{Json, Object, Path};
use super::expansion::{Expansion, Level, Target, check_levels, expansions, levels};
use super::expression::{Expr, Teams};
use super::player::Player;
use super::rules::{Declared, Property, Rule, RuleKind, hereditary, rule, team_agnostic};
use crate::model::echo::Cut;

/// A rule set, checked: what [`serde`] reads from a `RuleSetBody` (any
/// format; for JSON text that may hold comments, see
/// [`strip_comments`](super::strip_comments)).
///
/// ```
/// use gamelift_session::flexmatch::RuleSet;
///
/// let body = r#"{
///     "ruleLanguageVersion": "1.0",
///     "playerAttributes": [{"name": "skill", "type": "number", "default": 10}],
///     "teams": [{"name": "trio", "minPlayers": 2, "maxPlayers": 3, "quantity": 2}],
///     "rules": [{"name": "FairTeams", "type": "distance",
///                "measurements": ["avg(teams[*].players.attributes[skill])"],
///                "referenceValue": "avg(flatten(teams[*].players.attributes[skill]))",
///                "maxDistance": 10}]
/// }"#;
/// let rules: RuleSet = serde_json::from_str(body)?;
/// assert_eq!(rules.team_names().collect::<Vec<_>>(), ["trio_1", "trio_2"]);
/// assert_eq!(rules.max_players(), 6);
///
/// let err = serde_json::from_str::<RuleSet>(
///     r#"{"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 1}],
///         "rules": [{"name": "r", "type": "latency", "maxLatency": 50, "maxLatencey": 90}]}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().starts_with(
///     "rules[1].maxLatencey is not a member the rule set language defines here"
/// ));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub(crate) attributes: Vec<Attribute>,
    pub(crate) definitions: Vec<TeamDefinition>,
    pub(crate) teams: Vec<TeamSpec>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) expansions: Vec<Expansion>,
    pub(crate) algorithm: Algorithm,
    /// The waits at which the rule set changes.
    pub(crate) waits: Vec<f64>,
    /// The rule set at each level: before the first wait, then from each.
    pub(crate) levels: Vec<Level>,
    pub(crate) large: bool,
    /// Whether a rule reads players' ids (then no two tickets are alike).
    pub(crate) reads_ids: bool,
    /// Teams that may trade places in any match: the same group number.
    pub(crate) team_groups: Vec<usize>,
    /// Whether the rules tested while a match is built (the hereditary
    /// ones) answer alike whatever team a ticket is on.
    pub(crate) agnostic: bool,
}

/// Why a rule set cannot be read: a sentence naming the first fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetError(String);

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RuleSetError {}

impl<'de> Deserialize<'de> for RuleSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let json = Json::deserialize(d)?;
        RuleSet::read(&json).map_err(serde::de::Error::custom)
    }
}

impl RuleSet {
    /// The names of its teams, in order; a team with a `quantity` gives
    /// `<name>_1` ….
    pub fn team_names(&self) -> impl Iterator<Item = &str> {
        self.teams.iter().map(|t| t.name.as_str())
    }

    /// The most players a match can hold before any expansion: every
    /// team's `maxPlayers`.
    #[must_use]
    pub fn max_players(&self) -> u32 {
        self.levels.first().map_or(0, Level::max_players)
    }

    /// The names of its rules, in order.
    pub fn rule_names(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.name.as_str())
    }

    /// Whether it makes large matches (teams of more than 40 players).
    #[must_use]
    pub fn is_large(&self) -> bool {
        self.large
    }

    /// The level of a match `age_seconds` old: how many of the
    /// expansions' waits have passed.
    pub(crate) fn level_at(&self, age_seconds: f64) -> usize {
        self.waits.iter().take_while(|w| **w <= age_seconds).count()
    }

    /// Checks a player a ticket brings against the declared attributes:
    /// each declared attribute a player sets has the declared type.
    /// Answers a sentence naming the first fault.
    pub(crate) fn check_player(&self, player: &Player) -> Result<(), String> {
        for a in &self.attributes {
            if let Some(value) = player.attribute_value(&a.name)
                && !a.kind.holds(value)
            {
                return Err(format!(
                    "player attribute {} must be of type {}",
                    Cut(&a.name),
                    a.kind.name()
                ));
            }
        }
        Ok(())
    }

    fn read(json: &Json) -> Result<RuleSet, RuleSetError> {
        read(json).map_err(RuleSetError)
    }
}

fn read(json: &Json) -> Result<RuleSet, String> {
    let root = Path::default();
    let mut o = Object::of(json, root.clone())
        .map_err(|_| "a rule set must be a JSON object".to_owned())?;
    let _ = o.text("name")?;
    let version = match o.take("ruleLanguageVersion") {
        Some(Json::Text(v)) => Some(v.clone()),
        Some(Json::Number(n)) => Some(format!("{n:.1}")),
        _ => None,
    };
    if version.as_deref() != Some("1.0") {
        return Err("ruleLanguageVersion must be \"1.0\"".to_owned());
    }
    let attributes = attributes(
        o.list("playerAttributes")?,
        &root.member("playerAttributes"),
    )?;
    let (definitions, teams) = teams(o.list("teams")?, &root.member("teams"))?;
    let total: u32 = teams.iter().map(|t| t.max).sum();
    let large = total > MAX_SMALL_MATCH;
    let algorithm = algorithm(
        o.take("algorithm"),
        &root.member("algorithm"),
        &attributes,
        large,
    )?;
    let declared = Declared {
        attributes: &attributes,
        definitions: &definitions,
        teams: &teams,
    };
    let rules_path = root.member("rules");
    let mut rules: Vec<Rule> = Vec::new();
    for (i, item) in o.list("rules")?.unwrap_or_default().iter().enumerate() {
        let at = rules_path.item(i);
        let r = rule(item, &at, &declared, &rules)?;
        if rules.iter().any(|x| x.name == r.name) {
            return Err(format!("{at}: the rule {} is named twice", Cut(&r.name)));
        }
        if large && !fits_large_match(&r) {
            return Err(format!(
                "{at}: {} rule cannot be used in a large match (teams of more than 40 players): \
                 the guide allows latency rules with maxLatency, and batchDistance rules",
                super::rules::a_rule(r.kind.name())
            ));
        }
        rules.push(r);
    }
    let expansions = expansions(
        o.list("expansions")?,
        &root.member("expansions"),
        &rules,
        &definitions,
    )?;
    o.finish()?;
    // The rules a compound names are tested only inside it.
    let mut named = Vec::new();
    for r in &rules {
        if let RuleKind::Compound { statement } = &r.kind {
            statement.rules(&mut named);
        }
    }
    for i in named {
        if let Some(r) = rules.get_mut(i) {
            r.in_compound = true;
        }
    }
    // What an expansion adds counts for whether a rule is hereditary.
    for i in 0..rules.len() {
        let expanded: Vec<Property> = expansions
            .iter()
            .filter_map(|e| match e.target {
                Target::Rule(r, p) if r == i => Some(p),
                _ => None,
            })
            .collect();
        let h = hereditary(&rules[i], &rules[..i], &expanded);
        rules[i].hereditary = h;
    }
    let (waits, levels) = levels(&teams, &rules, &expansions);
    check_levels(&waits, &levels, &teams, large, &root.member("expansions"))?;
    let reads_ids = rules.iter().flat_map(expressions).any(Expr::reads_ids);
    let team_groups = team_groups(&rules, &teams, &definitions, &expansions);
    let agnostic = rules
        .iter()
        .filter(|r| r.hereditary && !r.in_compound)
        .all(|r| team_agnostic(r, &rules));
    Ok(RuleSet {
        attributes,
        definitions,
        teams,
        rules,
        expansions,
        algorithm,
        waits,
        levels,
        large,
        reads_ids,
        team_groups,
        agnostic,
    })
}

fn fits_large_match(r: &Rule) -> bool {
    match &r.kind {
        RuleKind::Latency { reference } => reference.is_none(),
        RuleKind::BatchDistance { .. } => true,
        _ => false,
    }
}

/// Every expression of a rule.
fn expressions(r: &Rule) -> Vec<&Expr> {
    match &r.kind {
        RuleKind::Comparison {
            measurements,
            reference,
            ..
        }
        | RuleKind::Distance {
            measurements,
            reference,
        }
        | RuleKind::Collection {
            measurements,
            reference,
            ..
        } => measurements.iter().chain(reference.iter()).collect(),
        _ => Vec::new(),
    }
}

/// Which teams may trade places in any match: the copies of a definition
/// that no expression tells apart, and teams of the same sizes that no
/// expression or expansion names. Each team's group number.
fn team_groups(
    rules: &[Rule],
    teams: &[TeamSpec],
    definitions: &[TeamDefinition],
    expansions: &[Expansion],
) -> Vec<usize> {
    let mut named_sets: Vec<Vec<usize>> = Vec::new();
    for e in rules.iter().flat_map(expressions) {
        collect_team_sets(e, &mut named_sets);
    }
    let expanded: Vec<usize> = expansions
        .iter()
        .filter_map(|e| match e.target {
            Target::TeamMin(d) | Target::TeamMax(d) => Some(d),
            Target::Rule(..) => None,
        })
        .collect();
    let copies = |d: usize| -> Vec<usize> {
        (0..teams.len())
            .filter(|&t| teams[t].definition == d)
            .collect()
    };
    // A definition whose copies are always named together keeps them alike.
    let whole = |d: usize| {
        let all = copies(d);
        named_sets.iter().all(|set| {
            let some = all.iter().any(|t| set.contains(t));
            !some || all.iter().all(|t| set.contains(t))
        })
    };
    let named = |t: usize| named_sets.iter().any(|set| set.contains(&t));
    let mut keys: Vec<(u8, usize, u32, u32)> = Vec::new();
    let mut groups = Vec::with_capacity(teams.len());
    for (t, spec) in teams.iter().enumerate() {
        let d = spec.definition;
        let key = if definitions[d].quantity > 1 && whole(d) {
            (0, d, 0, 0)
        } else if !named(t) && !expanded.contains(&d) {
            (1, 0, spec.min, spec.max)
        } else {
            (2, t, 0, 0)
        };
        let group = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
            keys.push(key);
            keys.len() - 1
        });
        groups.push(group);
    }
    groups
}

fn collect_team_sets(e: &Expr, out: &mut Vec<Vec<usize>>) {
    match e {
        Expr::Path(Teams::One(t), _) => out.push(vec![*t]),
        Expr::Path(Teams::Several(ts), _) => out.push(ts.clone()),
        Expr::Call(_, inner) => collect_team_sets(inner, out),
        _ => {}
    }
}
