//! What a rule set declares before its rules: `playerAttributes` (each a
//! name, a type and an optional default) and `teams` (each a name, sizes
//! and a `quantity`).
//!
//! - An attribute's `name` is required and unique; its `type` is one of
//!   `string`, `number`, `string_list`, `string_number_map`; a `default`
//!   must be of that type.
//! - A team's `name` is required and unique; `maxPlayers` a whole number
//!   from 1; `minPlayers` (required by the guide, **decision**: 0 when
//!   left out, as AWS's examples of old did) a whole number from 0 to
//!   `maxPlayers`; `quantity` (default 1) a whole number from 1 that
//!   makes that many teams of the definition, named `<name>_1` ….
//! - The teams' `maxPlayers` add up to the match's size: more than
//!   [`MAX_SMALL_MATCH`] makes a large match, and no match holds more
//!   than [`MAX_LARGE_MATCH`] (the guide's figures).

use std::collections::BTreeMap;

use super::document::{Fault, Json, Object, Path, number_at};
use super::expression::Val;
use super::player::AttributeValue;
use crate::model::echo::Cut;

/// The most players a small match holds; a rule set whose teams hold more
/// makes large matches.
pub const MAX_SMALL_MATCH: u32 = 40;

/// The most players any match holds.
pub const MAX_LARGE_MATCH: u32 = 200;

/// A declared player attribute.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attribute {
    pub(crate) name: String,
    pub(crate) kind: AttributeKind,
    pub(crate) default: Option<AttributeValue>,
}

/// The type of a player attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttributeKind {
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

    pub(crate) fn name(self) -> &'static str {
        match self {
            AttributeKind::String => "string",
            AttributeKind::Number => "number",
            AttributeKind::StringList => "string_list",
            AttributeKind::StringNumberMap => "string_number_map",
        }
    }

    /// Whether `value` is of this type.
    pub(crate) fn holds(self, value: &AttributeValue) -> bool {
        value.forms() == 1
            && match self {
                AttributeKind::String => value.s.is_some(),
                AttributeKind::Number => value.n.is_some(),
                AttributeKind::StringList => value.sl.is_some(),
                AttributeKind::StringNumberMap => value.sdm.is_some(),
            }
    }
}

impl Attribute {
    /// The value a rule reads for a player who gives `given`: theirs when
    /// of the declared type, else the default. Maps read as nothing (no
    /// expression reads one; sort rules read them through
    /// [`Attribute::map_of`]).
    pub(crate) fn value_of(&self, given: Option<&AttributeValue>) -> Option<Val> {
        let value = given
            .filter(|v| self.kind.holds(v))
            .or(self.default.as_ref())?;
        if let Some(n) = value.n {
            Some(Val::Number(n))
        } else if let Some(s) = &value.s {
            Some(Val::Text(s.as_str().into()))
        } else {
            value
                .sl
                .as_ref()
                .map(|l| Val::List(l.iter().map(|s| Val::Text(s.as_str().into())).collect()))
        }
    }

    /// The map a player gives for a `string_number_map` attribute, or the
    /// default.
    pub(crate) fn map_of<'v>(
        &'v self,
        given: Option<&'v AttributeValue>,
    ) -> Option<&'v BTreeMap<String, f64>> {
        given
            .filter(|v| self.kind.holds(v))
            .or(self.default.as_ref())?
            .sdm
            .as_ref()
    }
}

/// A team definition as written: what `quantity` copies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TeamDefinition {
    pub(crate) name: String,
    pub(crate) min: u32,
    pub(crate) max: u32,
    pub(crate) quantity: u32,
}

/// A team of the match: one of a definition's copies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TeamSpec {
    pub(crate) name: String,
    /// Its definition's place among the definitions.
    pub(crate) definition: usize,
    pub(crate) min: u32,
    pub(crate) max: u32,
}

/// Reads `playerAttributes`.
pub(crate) fn attributes(list: Option<&[Json]>, path: &Path) -> Result<Vec<Attribute>, Fault> {
    let mut out: Vec<Attribute> = Vec::new();
    for (i, item) in list.unwrap_or_default().iter().enumerate() {
        let at = path.item(i);
        let mut o = Object::of(item, at.clone())?;
        let name = o
            .text("name")?
            .filter(|n| !n.is_empty())
            .ok_or_else(|| format!("{at}.name is required"))?
            .to_owned();
        if out.iter().any(|x| x.name == name) {
            return Err(format!(
                "{at}: the player attribute {} is declared twice",
                Cut(&name)
            ));
        }
        let kind_name = o
            .text("type")?
            .ok_or_else(|| format!("{at}.type is required"))?;
        let kind = AttributeKind::of(kind_name).ok_or_else(|| {
            format!(
                "{at}.type must be one of string, number, string_list, string_number_map, not {}",
                Cut(kind_name)
            )
        })?;
        let default = match o.take("default") {
            None => None,
            Some(value) => Some(
                default_of(kind, value)
                    .ok_or_else(|| format!("{at}.default must be a {} value", kind.name()))?,
            ),
        };
        o.finish()?;
        out.push(Attribute {
            name,
            kind,
            default,
        });
    }
    Ok(out)
}

fn default_of(kind: AttributeKind, value: &Json) -> Option<AttributeValue> {
    let text = |v: &Json| match v {
        Json::Text(s) => Some(s.clone()),
        _ => None,
    };
    Some(match (kind, value) {
        (AttributeKind::Number, v) => AttributeValue::number(number_at(v, &Path::default()).ok()?),
        (AttributeKind::String, Json::Text(s)) => AttributeValue::string(s.clone()),
        (AttributeKind::StringList, Json::List(items)) => {
            AttributeValue::string_list(items.iter().map(text).collect::<Option<Vec<_>>>()?)
        }
        (AttributeKind::StringNumberMap, Json::Object(members)) => {
            let mut map = BTreeMap::new();
            for (k, v) in members {
                map.insert(k.clone(), number_at(v, &Path::default()).ok()?);
            }
            AttributeValue {
                sdm: Some(map),
                ..AttributeValue::default()
            }
        }
        _ => return None,
    })
}

/// A whole number within `range`, or a sentence naming `path`.
pub(crate) fn whole(
    n: f64,
    path: &Path,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, Fault> {
    let (lo, hi) = (*range.start(), *range.end());
    if n.fract() != 0.0 || n < f64::from(lo) || n > f64::from(hi) {
        return Err(format!(
            "{path} must be a whole number from {lo} to {hi}, not {n}"
        ));
    }
    // Whole, and within `lo..=hi`: it fits.
    #[allow(clippy::cast_sign_loss)]
    Ok(n as u32)
}

/// Reads `teams`: the definitions, and the teams they make.
pub(crate) fn teams(
    list: Option<&[Json]>,
    path: &Path,
) -> Result<(Vec<TeamDefinition>, Vec<TeamSpec>), Fault> {
    let list = list.unwrap_or_default();
    if list.is_empty() {
        return Err(format!("{path} must declare at least one team"));
    }
    let mut definitions: Vec<TeamDefinition> = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let at = path.item(i);
        let mut o = Object::of(item, at.clone())?;
        let name = o
            .text("name")?
            .filter(|n| !n.is_empty())
            .ok_or_else(|| format!("{at}.name is required"))?
            .to_owned();
        if definitions.iter().any(|d| d.name == name) {
            return Err(format!("{at}: the team {} is named twice", Cut(&name)));
        }
        let max = o
            .number("maxPlayers")?
            .ok_or_else(|| format!("{at}.maxPlayers is required"))?;
        let max = whole(max, &at.member("maxPlayers"), 1..=MAX_LARGE_MATCH)?;
        let min = match o.number("minPlayers")? {
            None => 0,
            Some(n) => whole(n, &at.member("minPlayers"), 0..=max)?,
        };
        let quantity = match o.number("quantity")? {
            None => 1,
            Some(n) => whole(n, &at.member("quantity"), 1..=MAX_LARGE_MATCH)?,
        };
        o.finish()?;
        definitions.push(TeamDefinition {
            name,
            min,
            max,
            quantity,
        });
    }
    let mut teams = Vec::new();
    for (d, def) in definitions.iter().enumerate() {
        for copy in 1..=def.quantity {
            let name = if def.quantity == 1 {
                def.name.clone()
            } else {
                format!("{}_{copy}", def.name)
            };
            teams.push(TeamSpec {
                name,
                definition: d,
                min: def.min,
                max: def.max,
            });
        }
    }
    for (i, t) in teams.iter().enumerate() {
        if teams[..i].iter().any(|u| u.name == t.name) {
            return Err(format!(
                "{path}: the team {} is named twice (a quantity names its teams <name>_1, <name>_2, …)",
                Cut(&t.name)
            ));
        }
    }
    let total = teams.iter().map(|t| u64::from(t.max)).sum::<u64>();
    if total > u64::from(MAX_LARGE_MATCH) {
        return Err(format!(
            "{path} hold up to {total} players: a match holds at most {MAX_LARGE_MATCH}"
        ));
    }
    Ok((definitions, teams))
}

/// The teams a name in an expression or a target names: a team, or every
/// team of a definition.
pub(crate) fn teams_named(
    definitions: &[TeamDefinition],
    teams: &[TeamSpec],
    name: &str,
) -> Option<Vec<usize>> {
    if let Some(d) = definitions.iter().position(|d| d.name == name) {
        return Some(
            teams
                .iter()
                .enumerate()
                .filter(|(_, t)| t.definition == d)
                .map(|(i, _)| i)
                .collect(),
        );
    }
    teams.iter().position(|t| t.name == name).map(|i| vec![i])
}
