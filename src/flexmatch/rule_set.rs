//! A FlexMatch rule set: its JSON document, checked into a [`RuleSet`],
//! and the test of a proposed match against its teams and rules.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::expression::{Expr, Read, Val, leaves};
use super::player::{AttributeValue, Player};
use crate::model::echo::Cut;

/// The most players a match of this emulator may hold: FlexMatch's small
/// matches. Larger (large-match) rule sets are refused by name.
pub const MAX_MATCH_PLAYERS: u32 = 40;

/// A rule set, checked: what [`serde`] reads from a `RuleSetBody`.
///
/// Reading one checks it; a rule set that breaks a rule, or uses what this
/// crate does not support, is an error naming both (see the module docs of
/// `flexmatch` for what is supported).
///
/// ```
/// use gamelift_session::flexmatch::RuleSet;
///
/// let body = r#"{
///     "ruleLanguageVersion": "1.0",
///     "playerAttributes": [{"name": "skill", "type": "number", "default": 10}],
///     "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 2},
///               {"name": "blue", "minPlayers": 1, "maxPlayers": 2}],
///     "rules": [{"name": "FairTeams", "type": "distance",
///                "measurements": ["avg(teams[*].players.attributes[skill])"],
///                "referenceValue": "avg(flatten(teams[*].players.attributes[skill]))",
///                "maxDistance": 10}]
/// }"#;
/// let rules: RuleSet = serde_json::from_str(body)?;
/// assert_eq!(rules.team_names().collect::<Vec<_>>(), ["red", "blue"]);
///
/// let err = serde_json::from_str::<RuleSet>(
///     r#"{"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 1}],
///         "rules": [{"name": "r", "type": "collection"}]}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().starts_with(
///     "rule r: the rule type collection is not supported by this emulator \
///      (supported: comparison, distance, latency)"
/// ));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "doc::RuleSetDoc")]
pub struct RuleSet {
    attributes: Vec<Attribute>,
    pub(crate) teams: Vec<TeamSpec>,
    rules: Vec<Rule>,
    expansions: Vec<Expansion>,
    pub(crate) age_of_oldest: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Attribute {
    name: String,
    kind: AttributeKind,
    default: Option<AttributeValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttributeKind {
    String,
    Number,
    StringList,
    StringNumberMap,
}

impl AttributeKind {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "string" => AttributeKind::String,
            "number" => AttributeKind::Number,
            "string_list" => AttributeKind::StringList,
            "string_number_map" => AttributeKind::StringNumberMap,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            AttributeKind::String => "string",
            AttributeKind::Number => "number",
            AttributeKind::StringList => "string_list",
            AttributeKind::StringNumberMap => "string_number_map",
        }
    }

    fn holds(self, value: &AttributeValue) -> bool {
        value.forms() == 1
            && match self {
                AttributeKind::String => value.s.is_some(),
                AttributeKind::Number => value.n.is_some(),
                AttributeKind::StringList => value.sl.is_some(),
                AttributeKind::StringNumberMap => value.sdm.is_some(),
            }
    }
}

/// A team of the rule set, and how many players it takes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TeamSpec {
    pub(crate) name: String,
    pub(crate) min: u32,
    pub(crate) max: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Party {
    Avg,
    Min,
    Max,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    Less,
    LessOrEqual,
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
}

impl Operation {
    fn of(s: &str) -> Option<Self> {
        Some(match s {
            "<" => Operation::Less,
            "<=" => Operation::LessOrEqual,
            "=" => Operation::Equal,
            "!=" => Operation::NotEqual,
            ">" => Operation::Greater,
            ">=" => Operation::GreaterOrEqual,
            _ => return None,
        })
    }

    fn holds(self, a: &Val, b: &Val) -> bool {
        let ordering = match (a, b) {
            (Val::Number(x), Val::Number(y)) => x.partial_cmp(y),
            (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
            _ => None,
        };
        let Some(o) = ordering else {
            return self == Operation::NotEqual;
        };
        match self {
            Operation::Less => o.is_lt(),
            Operation::LessOrEqual => o.is_le(),
            Operation::Equal => o.is_eq(),
            Operation::NotEqual => o.is_ne(),
            Operation::Greater => o.is_gt(),
            Operation::GreaterOrEqual => o.is_ge(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum RuleKind {
    Comparison {
        measurements: Vec<Expr>,
        reference: Option<Expr>,
        operation: Operation,
    },
    Distance {
        measurements: Vec<Expr>,
        reference: Option<Expr>,
    },
    Latency,
}

/// A rule's numbers that expansions may change.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Bounds {
    min_distance: Option<f64>,
    max_distance: Option<f64>,
    reference: Option<f64>,
    max_latency: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
struct Rule {
    name: String,
    kind: RuleKind,
    party: Party,
    limits: Bounds,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    MinDistance(usize),
    MaxDistance(usize),
    Reference(usize),
    MaxLatency(usize),
    MinPlayers(usize),
    MaxPlayers(usize),
}

#[derive(Debug, Clone, PartialEq)]
struct Expansion {
    target: Target,
    /// `(waitTimeSeconds, value)`, by wait.
    steps: Vec<(f64, f64)>,
}

/// A count of players from a number the checks made whole and not
/// negative; clamped all the same.
#[allow(clippy::cast_sign_loss)]
fn players(n: f64) -> u32 {
    if n <= 0.0 {
        0
    } else if n >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        n as u32
    }
}

/// One player of a proposed match: which ticket brought them, and who.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seat<'p> {
    pub(crate) ticket: usize,
    pub(crate) player: &'p Player,
}

/// The teams' sizes and the rules' numbers for a match whose age (the
/// newest ticket's, or the oldest's) is known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expanded {
    pub(crate) min: Vec<u32>,
    pub(crate) max: Vec<u32>,
    limits: Vec<Bounds>,
}

impl RuleSet {
    /// The names of its teams, in order.
    pub fn team_names(&self) -> impl Iterator<Item = &str> {
        self.teams.iter().map(|t| t.name.as_str())
    }

    /// The most players a match can hold: every team's `maxPlayers`.
    #[must_use]
    pub fn max_players(&self) -> u32 {
        self.teams
            .iter()
            .map(|t| t.max)
            .fold(0, u32::saturating_add)
    }

    /// The names of its rules, in order.
    pub fn rule_names(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.name.as_str())
    }

    /// The most players any team may grow to, with every expansion: the
    /// bound a search for a match may prune on.
    pub(crate) fn widest_max(&self) -> Vec<u32> {
        let mut max: Vec<u32> = self.teams.iter().map(|t| t.max).collect();
        for e in &self.expansions {
            if let Target::MaxPlayers(t) = e.target
                && let Some(slot) = max.get_mut(t)
            {
                for &(_, v) in &e.steps {
                    *slot = (*slot).max(players(v));
                }
            }
        }
        max
    }

    /// The teams' sizes and the rules' numbers once `age_seconds` have
    /// passed: each expansion's last step whose wait has passed.
    pub(crate) fn expanded(&self, age_seconds: f64) -> Expanded {
        let mut x = Expanded {
            min: self.teams.iter().map(|t| t.min).collect(),
            max: self.teams.iter().map(|t| t.max).collect(),
            limits: self.rules.iter().map(|r| r.limits).collect(),
        };
        for e in &self.expansions {
            let Some(&(_, value)) = e.steps.iter().rev().find(|(wait, _)| *wait <= age_seconds)
            else {
                continue;
            };
            match e.target {
                Target::MinDistance(i) => {
                    if let Some(l) = x.limits.get_mut(i) {
                        l.min_distance = Some(value);
                    }
                }
                Target::MaxDistance(i) => {
                    if let Some(l) = x.limits.get_mut(i) {
                        l.max_distance = Some(value);
                    }
                }
                Target::Reference(i) => {
                    if let Some(l) = x.limits.get_mut(i) {
                        l.reference = Some(value);
                    }
                }
                Target::MaxLatency(i) => {
                    if let Some(l) = x.limits.get_mut(i) {
                        l.max_latency = Some(value);
                    }
                }
                Target::MinPlayers(t) => {
                    if let Some(m) = x.min.get_mut(t) {
                        *m = players(value);
                    }
                }
                Target::MaxPlayers(t) => {
                    if let Some(m) = x.max.get_mut(t) {
                        *m = players(value);
                    }
                }
            }
        }
        x
    }

    /// Checks the players a ticket brings against the declared
    /// attributes: each declared attribute a player sets has the declared
    /// type. Answers a sentence naming the first fault.
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

    /// The value of `attribute` for `player`: theirs, or the declared
    /// default.
    fn value_of(&self, player: &Player, attribute: &str) -> Option<Val> {
        let declared = self.attributes.iter().find(|a| a.name == attribute)?;
        let value = player
            .attribute_value(attribute)
            .filter(|v| declared.kind.holds(v))
            .or(declared.default.as_ref())?;
        if let Some(n) = value.n {
            Some(Val::Number(n))
        } else if let Some(s) = &value.s {
            Some(Val::Text(s.clone()))
        } else {
            value
                .sl
                .as_ref()
                .map(|l| Val::List(l.iter().cloned().map(Val::Text).collect()))
        }
    }

    /// The name of the first rule the proposed match `teams` (one list of
    /// seats per team, in the rule set's order) breaks, with `x` the
    /// expanded numbers; `None` when it keeps every rule. Team sizes are
    /// the caller's to check.
    pub(crate) fn broken_rule<'r>(
        &'r self,
        teams: &[Vec<Seat<'_>>],
        x: &Expanded,
    ) -> Option<&'r str> {
        self.rules
            .iter()
            .enumerate()
            .find(|(i, rule)| {
                let limits = x.limits.get(*i).copied().unwrap_or(rule.limits);
                !self.keeps(rule, &limits, teams)
            })
            .map(|(_, rule)| rule.name.as_str())
    }

    fn keeps(&self, rule: &Rule, limits: &Bounds, teams: &[Vec<Seat<'_>>]) -> bool {
        let read = |team: Option<&str>, read: &Read| -> Vec<Vec<Val>> {
            self.teams
                .iter()
                .zip(teams)
                .filter(|(spec, _)| team.is_none_or(|name| spec.name == name))
                .map(|(_, seats)| {
                    seats
                        .iter()
                        .filter_map(|seat| match read {
                            Read::Players => Some(Val::Player),
                            Read::Attribute(a) => self.party_value(rule.party, seat, a, teams),
                        })
                        .collect()
                })
                .collect()
        };
        let measure = |exprs: &[Expr]| {
            let mut out = Vec::new();
            for e in exprs {
                leaves(e.eval(&read), &mut out);
            }
            out
        };
        let reference = |expr: &Option<Expr>| -> Option<Val> {
            if let Some(n) = limits.reference {
                return Some(Val::Number(n));
            }
            let mut out = Vec::new();
            leaves(expr.as_ref()?.eval(&read), &mut out);
            out.into_iter().next()
        };
        match &rule.kind {
            RuleKind::Comparison {
                measurements,
                reference: r,
                operation,
            } => {
                let values = measure(measurements);
                match reference(r) {
                    Some(r) => values.iter().all(|v| operation.holds(v, &r)),
                    None if *operation == Operation::Equal => {
                        values.windows(2).all(|w| operation.holds(&w[0], &w[1]))
                    }
                    None => values
                        .iter()
                        .enumerate()
                        .all(|(i, a)| values.iter().skip(i + 1).all(|b| operation.holds(a, b))),
                }
            }
            RuleKind::Distance {
                measurements,
                reference: r,
            } => {
                let values: Vec<f64> = measure(measurements)
                    .into_iter()
                    .filter_map(|v| match v {
                        Val::Number(n) => Some(n),
                        _ => None,
                    })
                    .collect();
                let within = |d: f64| {
                    limits.max_distance.is_none_or(|m| d <= m)
                        && limits.min_distance.is_none_or(|m| d >= m)
                };
                match reference(r) {
                    Some(Val::Number(r)) => values.iter().all(|v| within((v - r).abs())),
                    Some(_) => false,
                    None => {
                        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        values.is_empty() || within(hi - lo)
                    }
                }
            }
            RuleKind::Latency => {
                let max = limits.max_latency.unwrap_or(f64::INFINITY);
                let seats: Vec<&Player> = teams.iter().flatten().map(|s| s.player).collect();
                let reported: Vec<&BTreeMap<String, i32>> = seats
                    .iter()
                    .filter_map(|p| p.latency_in_ms.as_ref())
                    .collect();
                if reported.is_empty() {
                    return true;
                }
                // A Region every player reports, within the limit for all.
                let regions = reported.first().map(|r| r.keys()).into_iter().flatten();
                let mut ok = false;
                for region in regions {
                    if seats.iter().all(|p| {
                        p.latency_in_ms
                            .as_ref()
                            .and_then(|l| l.get(region))
                            .is_some_and(|&ms| f64::from(ms) <= max)
                    }) {
                        ok = true;
                        break;
                    }
                }
                ok
            }
        }
    }

    /// A seat's value of `attribute` as a rule reads it: numbers are the
    /// party's (the seat's ticket's players in the match) aggregate.
    fn party_value(
        &self,
        party: Party,
        seat: &Seat<'_>,
        attribute: &str,
        teams: &[Vec<Seat<'_>>],
    ) -> Option<Val> {
        let own = self.value_of(seat.player, attribute)?;
        if !matches!(own, Val::Number(_)) {
            return Some(own);
        }
        let party_values: Vec<f64> = teams
            .iter()
            .flatten()
            .filter(|s| s.ticket == seat.ticket)
            .filter_map(|s| match self.value_of(s.player, attribute) {
                Some(Val::Number(n)) => Some(n),
                _ => None,
            })
            .collect();
        if party_values.len() <= 1 {
            return Some(own);
        }
        let n = party_values.len() as f64;
        Some(Val::Number(match party {
            Party::Avg => party_values.iter().sum::<f64>() / n,
            Party::Min => party_values.iter().copied().fold(f64::INFINITY, f64::min),
            Party::Max => party_values
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max),
        }))
    }
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

fn fail<T>(message: String) -> Result<T, RuleSetError> {
    Err(RuleSetError(message))
}

/// The document as written: every member optional and loosely typed, so
/// that the checks can say what is wrong in their own words.
mod doc {
    use super::{BTreeMap, Deserialize};

    /// A number, or a string (numbers are often quoted in rule sets).
    #[derive(Debug, Clone, Deserialize)]
    #[serde(untagged)]
    pub(super) enum Scalar {
        Number(f64),
        Text(String),
    }

    impl Scalar {
        pub(super) fn number(&self) -> Option<f64> {
            match self {
                Scalar::Number(n) => Some(*n),
                Scalar::Text(t) => t.trim().parse().ok(),
            }
            .filter(|n: &f64| n.is_finite())
        }

        pub(super) fn text(&self) -> String {
            match self {
                Scalar::Number(n) => n.to_string(),
                Scalar::Text(t) => t.clone(),
            }
        }
    }

    #[derive(Debug, Clone, Deserialize)]
    #[serde(untagged)]
    pub(super) enum OneOrMany {
        One(Scalar),
        Many(Vec<Scalar>),
    }

    #[derive(Debug, Clone, Deserialize)]
    #[serde(untagged)]
    pub(super) enum DefaultValue {
        Scalar(Scalar),
        List(Vec<String>),
        Map(BTreeMap<String, f64>),
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct AttributeDoc {
        pub(super) name: Option<String>,
        #[serde(rename = "type")]
        pub(super) kind: Option<String>,
        pub(super) default: Option<DefaultValue>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct TeamDoc {
        pub(super) name: Option<String>,
        pub(super) min_players: Option<Scalar>,
        pub(super) max_players: Option<Scalar>,
        pub(super) quantity: Option<Scalar>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct RuleDoc {
        pub(super) name: Option<String>,
        #[serde(rename = "type")]
        pub(super) kind: Option<String>,
        pub(super) measurements: Option<OneOrMany>,
        pub(super) reference_value: Option<Scalar>,
        pub(super) operation: Option<String>,
        pub(super) min_distance: Option<Scalar>,
        pub(super) max_distance: Option<Scalar>,
        pub(super) party_aggregation: Option<String>,
        pub(super) max_latency: Option<Scalar>,
        pub(super) distance_reference: Option<Scalar>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct StepDoc {
        pub(super) wait_time_seconds: Option<Scalar>,
        pub(super) value: Option<Scalar>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct ExpansionDoc {
        pub(super) target: Option<String>,
        pub(super) steps: Option<Vec<StepDoc>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct AlgorithmDoc {
        pub(super) strategy: Option<String>,
        pub(super) expansion_age_selection: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct RuleSetDoc {
        pub(super) rule_language_version: Option<Scalar>,
        pub(super) player_attributes: Option<Vec<AttributeDoc>>,
        pub(super) algorithm: Option<AlgorithmDoc>,
        pub(super) teams: Option<Vec<TeamDoc>>,
        pub(super) rules: Option<Vec<RuleDoc>>,
        pub(super) expansions: Option<Vec<ExpansionDoc>>,
    }
}

impl TryFrom<doc::RuleSetDoc> for RuleSet {
    type Error = RuleSetError;

    fn try_from(d: doc::RuleSetDoc) -> Result<Self, RuleSetError> {
        if d.rule_language_version
            .as_ref()
            .map(doc::Scalar::text)
            .as_deref()
            != Some("1.0")
        {
            return fail("ruleLanguageVersion must be \"1.0\"".to_owned());
        }
        let age_of_oldest = match d.algorithm {
            None => false,
            Some(a) => {
                if let Some(s) = a.strategy.as_deref()
                    && s != "exhaustiveSearch"
                {
                    return fail(format!(
                        "algorithm: the strategy {} is not supported by this emulator (supported: exhaustiveSearch)",
                        Cut(s)
                    ));
                }
                match a.expansion_age_selection.as_deref() {
                    None | Some("newest") => false,
                    Some("oldest") => true,
                    Some(other) => {
                        return fail(format!(
                            "algorithm: expansionAgeSelection must be newest or oldest, not {}",
                            Cut(other)
                        ));
                    }
                }
            }
        };
        let attributes = attributes(d.player_attributes.unwrap_or_default())?;
        let teams = teams(d.teams.unwrap_or_default())?;
        let mut rules = Vec::new();
        for (i, r) in d.rules.unwrap_or_default().into_iter().enumerate() {
            let rule = rule(i, &r, &attributes, &teams)?;
            if rules.iter().any(|x: &Rule| x.name == rule.name) {
                return fail(format!("rule {} is named twice", Cut(&rule.name)));
            }
            rules.push(rule);
        }
        let mut expansions = Vec::new();
        for (i, e) in d.expansions.unwrap_or_default().into_iter().enumerate() {
            expansions.push(expansion(i + 1, e, &rules, &teams)?);
        }
        Ok(RuleSet {
            attributes,
            teams,
            rules,
            expansions,
            age_of_oldest,
        })
    }
}

fn attributes(docs: Vec<doc::AttributeDoc>) -> Result<Vec<Attribute>, RuleSetError> {
    let mut out: Vec<Attribute> = Vec::new();
    for (i, a) in docs.into_iter().enumerate() {
        let Some(name) = a.name.filter(|n| !n.is_empty()) else {
            return fail(format!("player attribute {} has no name", i + 1));
        };
        if out.iter().any(|x| x.name == name) {
            return fail(format!("player attribute {} is declared twice", Cut(&name)));
        }
        let Some(kind) = a.kind.as_deref().and_then(AttributeKind::of) else {
            return fail(format!(
                "player attribute {}: type must be one of string, number, string_list, string_number_map",
                Cut(&name)
            ));
        };
        let given = a.default.is_some();
        let default = match (kind, a.default) {
            (AttributeKind::Number, Some(doc::DefaultValue::Scalar(s))) => {
                s.number().map(AttributeValue::number)
            }
            (AttributeKind::String, Some(doc::DefaultValue::Scalar(s))) => {
                Some(AttributeValue::string(s.text()))
            }
            (AttributeKind::StringList, Some(doc::DefaultValue::List(l))) => {
                Some(AttributeValue::string_list(l))
            }
            (AttributeKind::StringNumberMap, Some(doc::DefaultValue::Map(m))) => {
                Some(AttributeValue {
                    sdm: Some(m),
                    ..AttributeValue::default()
                })
            }
            _ => None,
        };
        if default.is_none() && given {
            return fail(format!(
                "player attribute {}: its default is not a {}",
                Cut(&name),
                kind.name()
            ));
        }
        out.push(Attribute {
            name,
            kind,
            default,
        });
    }
    Ok(out)
}

fn whole(s: Option<&doc::Scalar>) -> Option<u32> {
    let n = s?.number()?;
    (n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n)).then_some(players(n))
}

fn teams(docs: Vec<doc::TeamDoc>) -> Result<Vec<TeamSpec>, RuleSetError> {
    if docs.is_empty() {
        return fail("teams must declare at least one team".to_owned());
    }
    let mut out: Vec<TeamSpec> = Vec::new();
    for (i, t) in docs.into_iter().enumerate() {
        let Some(name) = t.name.filter(|n| !n.is_empty()) else {
            return fail(format!("team {} has no name", i + 1));
        };
        if out.iter().any(|x| x.name == name) {
            return fail(format!("team {} is named twice", Cut(&name)));
        }
        let Some(max) = whole(t.max_players.as_ref()).filter(|&m| m >= 1) else {
            return fail(format!(
                "team {}: maxPlayers must be a whole number of at least 1",
                Cut(&name)
            ));
        };
        let min = match &t.min_players {
            None => 0,
            Some(s) => whole(Some(s)).ok_or_else(|| {
                RuleSetError(format!(
                    "team {}: minPlayers must be a whole number of at least 0",
                    Cut(&name)
                ))
            })?,
        };
        if min > max {
            return fail(format!(
                "team {}: minPlayers ({min}) is more than maxPlayers ({max})",
                Cut(&name)
            ));
        }
        if whole(t.quantity.as_ref()).is_some_and(|q| q > 1) {
            return fail(format!(
                "team {}: a quantity above 1 is not supported by this emulator",
                Cut(&name)
            ));
        }
        out.push(TeamSpec { name, min, max });
    }
    let total: u32 = out.iter().map(|t| t.max).fold(0, u32::saturating_add);
    if total > MAX_MATCH_PLAYERS {
        return fail(format!(
            "the teams hold up to {total} players: matches of more than {MAX_MATCH_PLAYERS} players \
             (large matches) are not supported by this emulator"
        ));
    }
    Ok(out)
}

fn expressions(
    rule: &str,
    member: &str,
    texts: Vec<doc::Scalar>,
    attributes: &[Attribute],
    teams: &[TeamSpec],
    numeric: bool,
) -> Result<Vec<Expr>, RuleSetError> {
    let mut out = Vec::new();
    for t in texts {
        let e = match &t {
            doc::Scalar::Number(n) => Expr::Number(*n),
            doc::Scalar::Text(text) => Expr::parse(text)
                .map_err(|e| RuleSetError(format!("rule {}: {member}: {e}", Cut(rule))))?,
        };
        let mut named = Vec::new();
        e.attributes(&mut named);
        for a in named {
            let Some(declared) = attributes.iter().find(|x| x.name == a) else {
                return fail(format!(
                    "rule {} reads the attribute {}, which playerAttributes does not declare",
                    Cut(rule),
                    Cut(a)
                ));
            };
            if declared.kind == AttributeKind::StringNumberMap
                || (numeric && declared.kind != AttributeKind::Number)
            {
                return fail(format!(
                    "rule {} measures the attribute {}, of type {}: {}",
                    Cut(rule),
                    Cut(a),
                    declared.kind.name(),
                    if numeric {
                        "a distance needs numbers"
                    } else {
                        "this emulator cannot compare maps"
                    }
                ));
            }
        }
        let mut named = Vec::new();
        e.teams(&mut named);
        if let Some(t) = named.iter().find(|t| !teams.iter().any(|x| x.name == **t)) {
            return fail(format!(
                "rule {} names the team {}, which teams does not declare",
                Cut(rule),
                Cut(t)
            ));
        }
        out.push(e);
    }
    Ok(out)
}

fn rule(
    i: usize,
    r: &doc::RuleDoc,
    attributes: &[Attribute],
    teams: &[TeamSpec],
) -> Result<Rule, RuleSetError> {
    let Some(name) = r.name.clone().filter(|n| !n.is_empty()) else {
        return fail(format!("rule {} has no name", i + 1));
    };
    let party = match r.party_aggregation.as_deref() {
        None | Some("avg") => Party::Avg,
        Some("min") => Party::Min,
        Some("max") => Party::Max,
        Some(_) => {
            return fail(format!(
                "rule {}: partyAggregation must be avg, min or max",
                Cut(&name)
            ));
        }
    };
    let mut limits = Bounds::default();
    let kind = kind_of(&name, r, attributes, teams, &mut limits)?;
    Ok(Rule {
        name,
        kind,
        party,
        limits,
    })
}

/// The rule `name` of `r`'s type, its numbers written to `limits`.
fn kind_of(
    name: &str,
    r: &doc::RuleDoc,
    attributes: &[Attribute],
    teams: &[TeamSpec],
    limits: &mut Bounds,
) -> Result<RuleKind, RuleSetError> {
    let n = Cut(name);
    let number = |member: &str, s: Option<&doc::Scalar>| -> Result<Option<f64>, RuleSetError> {
        match s {
            None => Ok(None),
            Some(s) => s
                .number()
                .map(Some)
                .ok_or_else(|| RuleSetError(format!("rule {n}: {member} must be a number"))),
        }
    };
    let measurements = |numeric: bool| -> Result<Vec<Expr>, RuleSetError> {
        let texts = match r.measurements.clone() {
            None => return fail(format!("rule {n}: measurements is required")),
            Some(doc::OneOrMany::One(s)) => vec![s],
            Some(doc::OneOrMany::Many(v)) if !v.is_empty() => v,
            Some(doc::OneOrMany::Many(_)) => {
                return fail(format!("rule {n}: measurements is empty"));
            }
        };
        expressions(name, "measurements", texts, attributes, teams, numeric)
    };
    let reference = |numeric: bool| -> Result<Option<Expr>, RuleSetError> {
        r.reference_value
            .clone()
            .map(|s| expressions(name, "referenceValue", vec![s], attributes, teams, numeric))
            .transpose()
            .map(|v| v.and_then(|mut v| v.pop()))
    };
    Ok(match r.kind.as_deref() {
        Some("comparison") => {
            let Some(operation) = r.operation.as_deref().and_then(Operation::of) else {
                return fail(format!(
                    "rule {n}: operation must be one of <, <=, =, !=, >, >="
                ));
            };
            let reference = reference(false)?;
            if reference.is_none() && !matches!(operation, Operation::Equal | Operation::NotEqual) {
                return fail(format!(
                    "rule {n}: without a referenceValue, operation must be = or !="
                ));
            }
            RuleKind::Comparison {
                measurements: measurements(false)?,
                reference,
                operation,
            }
        }
        Some("distance") => {
            limits.min_distance = number("minDistance", r.min_distance.as_ref())?;
            limits.max_distance = number("maxDistance", r.max_distance.as_ref())?;
            if limits.min_distance.is_none() && limits.max_distance.is_none() {
                return fail(format!("rule {n}: maxDistance or minDistance is required"));
            }
            RuleKind::Distance {
                measurements: measurements(true)?,
                reference: reference(true)?,
            }
        }
        Some("latency") => {
            for (given, member) in [
                (r.max_distance.is_some(), "maxDistance"),
                (r.distance_reference.is_some(), "distanceReference"),
            ] {
                if given {
                    return fail(format!(
                        "rule {n}: the latency rule's {member} is not supported by this emulator (supported: maxLatency)"
                    ));
                }
            }
            limits.max_latency = number("maxLatency", r.max_latency.as_ref())?;
            if limits.max_latency.is_none() {
                return fail(format!("rule {n}: maxLatency is required"));
            }
            RuleKind::Latency
        }
        Some(other) => {
            return fail(format!(
                "rule {n}: the rule type {} is not supported by this emulator (supported: comparison, distance, latency)",
                Cut(other)
            ));
        }
        None => return fail(format!("rule {n}: type is required")),
    })
}

fn expansion(
    i: usize,
    e: doc::ExpansionDoc,
    rules: &[Rule],
    teams: &[TeamSpec],
) -> Result<Expansion, RuleSetError> {
    let target = e.target.unwrap_or_default();
    let shape = || {
        RuleSetError(format!(
            "expansion {i}: target must be rules[NAME].PROPERTY or teams[NAME].PROPERTY"
        ))
    };
    let (kind, rest) = target.split_once('[').ok_or_else(shape)?;
    let (name, property) = rest.split_once("].").ok_or_else(shape)?;
    let target = match kind.trim() {
        "rules" => {
            let Some(r) = rules.iter().position(|r| r.name == name) else {
                return fail(format!(
                    "expansion {i}: the target names the rule {}, which rules does not declare",
                    Cut(name)
                ));
            };
            let kind = match rules[r].kind {
                RuleKind::Comparison { .. } => "comparison",
                RuleKind::Distance { .. } => "distance",
                RuleKind::Latency => "latency",
            };
            let fits = matches!(
                (property, kind),
                ("minDistance" | "maxDistance", "distance")
                    | ("referenceValue", "comparison" | "distance")
                    | ("maxLatency", "latency")
            );
            if !fits
                && matches!(
                    property,
                    "minDistance" | "maxDistance" | "referenceValue" | "maxLatency"
                )
            {
                return fail(format!(
                    "expansion {i}: rules[{}].{property} cannot be expanded here: a {kind} rule has no {property}",
                    Cut(name)
                ));
            }
            match property {
                "minDistance" => Target::MinDistance(r),
                "maxDistance" => Target::MaxDistance(r),
                "referenceValue" => Target::Reference(r),
                "maxLatency" => Target::MaxLatency(r),
                _ => {
                    return fail(format!(
                        "expansion {i}: rules[{}].{} cannot be expanded here (supported: minDistance, maxDistance, referenceValue, maxLatency)",
                        Cut(name),
                        Cut(property)
                    ));
                }
            }
        }
        "teams" => {
            let Some(t) = teams.iter().position(|t| t.name == name) else {
                return fail(format!(
                    "expansion {i}: the target names the team {}, which teams does not declare",
                    Cut(name)
                ));
            };
            match property {
                "minPlayers" => Target::MinPlayers(t),
                "maxPlayers" => Target::MaxPlayers(t),
                _ => {
                    return fail(format!(
                        "expansion {i}: teams[{}].{} cannot be expanded (supported: minPlayers, maxPlayers)",
                        Cut(name),
                        Cut(property)
                    ));
                }
            }
        }
        _ => return Err(shape()),
    };
    let mut steps = Vec::new();
    for (j, s) in e.steps.unwrap_or_default().into_iter().enumerate() {
        let (Some(wait), Some(value)) = (
            s.wait_time_seconds.as_ref().and_then(doc::Scalar::number),
            s.value.as_ref().and_then(doc::Scalar::number),
        ) else {
            return fail(format!(
                "expansion {i}: step {} needs a waitTimeSeconds and a value, both numbers",
                j + 1
            ));
        };
        steps.push((wait, value));
    }
    if steps.is_empty() {
        return fail(format!("expansion {i}: steps is required"));
    }
    steps.sort_by(|a, b| a.0.total_cmp(&b.0));
    if matches!(target, Target::MaxPlayers(_) | Target::MinPlayers(_))
        && steps.iter().any(|&(_, v)| v < 0.0 || v.fract() != 0.0)
    {
        return fail(format!(
            "expansion {i}: a team's size must expand to whole numbers"
        ));
    }
    Ok(Expansion { target, steps })
}
