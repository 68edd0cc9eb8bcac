//! The rule types of the FlexMatch guide, each read from its document
//! and tested against a proposed match.
//!
//! | type | what a match must do |
//! |---|---|
//! | `comparison` | every measured value compares with `referenceValue` by `operation` (`<` `<=` `=` `!=` `>` `>=`); without a reference, `=` all equal and `!=` all different |
//! | `distance` | every measured number within `minDistance`/`maxDistance` of `referenceValue`; without a reference, the spread of the numbers |
//! | `collection` | a count within `minCount`/`maxCount`: `intersection`, the values every collection holds; `contains`, the collections holding `referenceValue`; `reference_intersection_count`, for each collection, its values also in `referenceValue` |
//! | `latency` | a Region where every ticket reports at most `maxLatency`, and, with `distanceReference` (`min` or `avg` of the tickets' latencies there), each within `maxDistance` of it |
//! | `batchDistance` | the `batchAttribute` of every ticket within `maxDistance` of each other (numbers), or the same (strings) |
//! | `compound` | its `statement` (`and`, `or`, `not`, `xor` of rules defined before it) holds; the rules it names are tested only inside it (**decision**: else `or` could never relax them) |
//! | `absoluteSort`, `distanceSort` | nothing: they order the tickets a match is built from, by the attribute itself or by its distance from the first ticket's |
//!
//! `partyAggregation` makes a ticket of several players read as one:
//! `avg` (the default), `min` or `max` of its players' numbers and
//! latencies, `union` (the default) or `intersection` of their
//! collections. A measured value that is missing (no value and no
//! default) is left out; a reference that has no value fails the rule.
//!
//! A rule is *hereditary* when every part of a match that keeps it keeps
//! it too (each value tested on its own against a constant, all values
//! equal or distinct, a spread at most a distance, a latency at most a
//! limit). The matcher tests hereditary rules while it builds a match and
//! gives up a branch as soon as one fails: that search is provably
//! fruitless. The others are tested only on a whole match.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::declarations::{Attribute, AttributeKind, TeamDefinition, TeamSpec, teams_named};
use super::document::{Fault, Json, Object, Path};
use super::expression::{Expr, Function, Read, Source, Val, collections, leaves};
use crate::model::echo::Cut;

/// What a rule set declares, as its rules read it.
pub(crate) struct Declared<'a> {
    pub(crate) attributes: &'a [Attribute],
    pub(crate) definitions: &'a [TeamDefinition],
    pub(crate) teams: &'a [TeamSpec],
}

/// How a ticket of several players reads as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Party {
    Avg,
    Min,
    Max,
    Union,
    Intersection,
}

impl Party {
    /// Its place in a ticket's table of aggregates: numbers are `avg`,
    /// `min`, `max`; collections `union`, `intersection`.
    pub(crate) fn slot(self) -> usize {
        match self {
            Party::Avg | Party::Union => 0,
            Party::Min | Party::Intersection => 1,
            Party::Max => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CollectionOperation {
    Intersection,
    Contains,
    ReferenceIntersectionCount,
}

/// A latency rule's `distanceReference`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LatencyReference {
    Min,
    Avg,
}

/// A compound rule's statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Logic {
    Rule(usize),
    And(Vec<Logic>),
    Or(Vec<Logic>),
    Not(Box<Logic>),
    Xor(Vec<Logic>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RuleKind {
    Comparison {
        measurements: Vec<Expr>,
        reference: Option<Expr>,
        operation: Operation,
    },
    Distance {
        measurements: Vec<Expr>,
        reference: Option<Expr>,
    },
    Collection {
        measurements: Vec<Expr>,
        reference: Option<Expr>,
        operation: CollectionOperation,
    },
    Latency {
        reference: Option<LatencyReference>,
    },
    BatchDistance {
        attribute: usize,
    },
    Compound {
        statement: Logic,
    },
    Sort {
        absolute: bool,
        descending: bool,
        attribute: usize,
        /// For a map attribute: the first ticket's key of the highest
        /// (`true`) or lowest value.
        map_key: Option<bool>,
    },
}

impl RuleKind {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            RuleKind::Comparison { .. } => "comparison",
            RuleKind::Distance { .. } => "distance",
            RuleKind::Collection { .. } => "collection",
            RuleKind::Latency { .. } => "latency",
            RuleKind::BatchDistance { .. } => "batchDistance",
            RuleKind::Compound { .. } => "compound",
            RuleKind::Sort { absolute: true, .. } => "absoluteSort",
            RuleKind::Sort { .. } => "distanceSort",
        }
    }
}

/// A rule's numbers, which expansions may change.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Bounds {
    pub(crate) min_distance: Option<f64>,
    pub(crate) max_distance: Option<f64>,
    pub(crate) reference: Option<f64>,
    pub(crate) max_latency: Option<f64>,
    pub(crate) min_count: Option<f64>,
    pub(crate) max_count: Option<f64>,
}

/// A number of a rule that an expansion may target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Property {
    MinDistance,
    MaxDistance,
    Reference,
    MaxLatency,
    MinCount,
    MaxCount,
}

impl Property {
    /// The property `name` of a rule of `kind`, if it has it as a number.
    pub(crate) fn of(kind: &RuleKind, name: &str) -> Option<Property> {
        Some(match (kind, name) {
            (RuleKind::Distance { .. }, "minDistance") => Property::MinDistance,
            (
                RuleKind::Distance { .. }
                | RuleKind::Latency { reference: Some(_) }
                | RuleKind::BatchDistance { .. },
                "maxDistance",
            ) => Property::MaxDistance,
            (RuleKind::Comparison { .. } | RuleKind::Distance { .. }, "referenceValue") => {
                Property::Reference
            }
            (RuleKind::Latency { .. }, "maxLatency") => Property::MaxLatency,
            (RuleKind::Collection { .. }, "minCount") => Property::MinCount,
            (RuleKind::Collection { .. }, "maxCount") => Property::MaxCount,
            _ => return None,
        })
    }

    /// Checks a value for it, as the rule's own is checked.
    pub(crate) fn check(self, value: f64, path: &Path) -> Result<(), Fault> {
        match self {
            Property::Reference => Ok(()),
            Property::MinCount | Property::MaxCount => {
                if value < 0.0 || value.fract() != 0.0 {
                    Err(format!("{path} must be a whole number from 0, not {value}"))
                } else {
                    Ok(())
                }
            }
            _ => at_least_zero(value, path),
        }
    }

    pub(crate) fn set(self, bounds: &mut Bounds, value: f64) {
        let slot = match self {
            Property::MinDistance => &mut bounds.min_distance,
            Property::MaxDistance => &mut bounds.max_distance,
            Property::Reference => &mut bounds.reference,
            Property::MaxLatency => &mut bounds.max_latency,
            Property::MinCount => &mut bounds.min_count,
            Property::MaxCount => &mut bounds.max_count,
        };
        *slot = Some(value);
    }
}

fn at_least_zero(value: f64, path: &Path) -> Result<(), Fault> {
    if value < 0.0 {
        Err(format!("{path} must be at least 0, not {value}"))
    } else {
        Ok(())
    }
}

/// A rule of the rule set, checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    pub(crate) name: String,
    pub(crate) kind: RuleKind,
    pub(crate) party: Party,
    pub(crate) bounds: Bounds,
    /// Whether every part of a match keeping it keeps it.
    pub(crate) hereditary: bool,
    /// Named by a compound rule: tested only inside it.
    pub(crate) in_compound: bool,
}

/// Whether `text` reads as a property expression: a path, or a function
/// of one.
fn looks_like_expression(text: &str) -> bool {
    let t = text.trim_start();
    let word: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let rest = t[word.len()..].trim_start();
    ((word == "teams" || word == "team") && rest.starts_with('['))
        || (!word.is_empty() && rest.starts_with('('))
}

/// "a distance", "an absoluteSort": a rule type with its article.
pub(crate) fn a_rule(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

/// The members each rule type defines, beside `name`, `description` and
/// `type`.
fn members_of(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "comparison" => &[
            "measurements",
            "referenceValue",
            "operation",
            "partyAggregation",
        ],
        "distance" => &[
            "measurements",
            "referenceValue",
            "minDistance",
            "maxDistance",
            "partyAggregation",
        ],
        "collection" => &[
            "measurements",
            "referenceValue",
            "operation",
            "minCount",
            "maxCount",
            "partyAggregation",
        ],
        "latency" => &[
            "maxLatency",
            "maxDistance",
            "distanceReference",
            "partyAggregation",
        ],
        "batchDistance" => &["batchAttribute", "maxDistance", "partyAggregation"],
        "compound" => &["statement"],
        "absoluteSort" | "distanceSort" => &[
            "sortDirection",
            "sortAttribute",
            "mapKey",
            "partyAggregation",
        ],
        _ => return None,
    })
}

const TYPES: &str = "absoluteSort, batchDistance, collection, comparison, compound, distance, distanceSort, latency";

/// Reads the rule at `at`; `earlier` are the rules before it, which a
/// compound rule may name.
pub(crate) fn rule(
    item: &Json,
    at: &Path,
    declared: &Declared<'_>,
    earlier: &[Rule],
) -> Result<Rule, Fault> {
    let mut o = Object::of(item, at.clone())?;
    let name = o
        .text("name")?
        .filter(|n| !n.is_empty())
        .ok_or_else(|| format!("{at}.name is required"))?
        .to_owned();
    let _ = o.text("description")?;
    let kind = o
        .text("type")?
        .ok_or_else(|| format!("{at}.type is required"))?;
    let Some(members) = members_of(kind) else {
        return Err(format!(
            "{at}.type must be one of {TYPES}, not {}",
            Cut(kind)
        ));
    };
    let mut r = Reading {
        o,
        at,
        kind,
        declared,
        bounds: Bounds::default(),
    };
    let party = r.party()?;
    let kind = r.kind(earlier)?;
    let Reading { o, bounds, .. } = r;
    // A member of another type is named as such; anything else as unknown.
    if let Some(member) = o.leftover()
        && !members.contains(&member)
        && let Some(other) = types_with(member)
    {
        return Err(format!(
            "{} is not a member of {} rule (it is one of {} rule)",
            at.member(member),
            a_rule(kind.name()),
            a_rule(other)
        ));
    }
    o.finish()?;
    if let RuleKind::Latency { reference } = &kind
        && reference.is_some() != bounds.max_distance.is_some()
    {
        return Err(format!(
            "{at}: a latency rule's maxDistance and distanceReference go together"
        ));
    }
    if let RuleKind::BatchDistance { attribute } = &kind
        && declared.attributes[*attribute].kind == AttributeKind::String
        && bounds.max_distance.is_some()
    {
        return Err(format!(
            "{at}.maxDistance measures numbers: the batchAttribute {} is a string",
            Cut(&declared.attributes[*attribute].name)
        ));
    }
    let mut rule = Rule {
        name,
        kind,
        party,
        bounds,
        hereditary: false,
        in_compound: false,
    };
    rule.hereditary = hereditary(&rule, earlier, &[]);
    Ok(rule)
}

fn types_with(member: &str) -> Option<&'static str> {
    [
        "comparison",
        "distance",
        "collection",
        "latency",
        "batchDistance",
        "compound",
        "absoluteSort",
        "distanceSort",
    ]
    .into_iter()
    .find(|t| members_of(t).is_some_and(|m| m.contains(&member)))
}

struct Reading<'d, 'a> {
    o: Object<'d>,
    at: &'a Path,
    kind: &'d str,
    declared: &'a Declared<'a>,
    bounds: Bounds,
}

impl Reading<'_, '_> {
    fn party(&mut self) -> Result<Party, Fault> {
        let collection = self.kind == "collection";
        let given = self.o.text("partyAggregation")?;
        let path = self.at.member("partyAggregation");
        Ok(match (collection, given) {
            (false, None | Some("avg")) => Party::Avg,
            (false, Some("min")) => Party::Min,
            (false, Some("max")) => Party::Max,
            (true, None | Some("union")) => Party::Union,
            (true, Some("intersection")) => Party::Intersection,
            (false, Some(other)) => {
                return Err(format!(
                    "{path} must be avg, min or max, not {}",
                    Cut(other)
                ));
            }
            (true, Some(other)) => {
                return Err(format!(
                    "{path} must be union or intersection, not {}",
                    Cut(other)
                ));
            }
        })
    }

    fn number(&mut self, member: &str, property: Property) -> Result<Option<f64>, Fault> {
        let Some(n) = self.o.number(member)? else {
            return Ok(None);
        };
        property.check(n, &self.at.member(member))?;
        property.set(&mut self.bounds, n);
        Ok(Some(n))
    }

    fn attribute(&mut self, member: &str) -> Result<usize, Fault> {
        let path = self.at.member(member);
        let name = self
            .o
            .text(member)?
            .ok_or_else(|| format!("{path} is required"))?;
        self.declared
            .attributes
            .iter()
            .position(|a| a.name == name)
            .ok_or_else(|| {
                format!(
                    "{path} names the attribute {}, which playerAttributes does not declare",
                    Cut(name)
                )
            })
    }

    fn expression(&self, value: &Json, path: &Path) -> Result<Expr, Fault> {
        let declared = self.declared;
        let team = |name: &str| teams_named(declared.definitions, declared.teams, name);
        let attribute = |name: &str| declared.attributes.iter().position(|a| a.name == name);
        match value {
            Json::Number(n) => Ok(Expr::Number(*n)),
            Json::Text(text) => {
                if let Ok(n) = text.trim().parse::<f64>()
                    && n.is_finite()
                {
                    return Ok(Expr::Number(n));
                }
                // A reference that is no expression is a string to compare
                // with (the guide's `"referenceValue": "medic"`).
                if path.to_string().ends_with("referenceValue") && !looks_like_expression(text) {
                    return Ok(Expr::Text(Arc::from(text.as_str())));
                }
                Expr::parse(text, &team, &attribute).map_err(|e| format!("{path}: {e}"))
            }
            Json::List(items) if self.kind == "collection" => {
                let mut texts = Vec::new();
                for item in items {
                    match item {
                        Json::Text(s) => texts.push(Arc::from(s.as_str())),
                        _ => return Err(format!("{path} must be a list of strings")),
                    }
                }
                Ok(Expr::Strings(texts))
            }
            _ => Err(format!("{path} must be a number or an expression")),
        }
    }

    /// `measurements`: one expression or a list of them; each attribute it
    /// reads of a type the rule can measure.
    fn measurements(&mut self, allowed: &[AttributeKind], what: &str) -> Result<Vec<Expr>, Fault> {
        let path = self.at.member("measurements");
        let given = self
            .o
            .take("measurements")
            .ok_or_else(|| format!("{path} is required for {} rule", a_rule(self.kind)))?;
        let items: Vec<(&Json, Path)> = match given {
            Json::List(items) if items.is_empty() => {
                return Err(format!("{path} is empty"));
            }
            Json::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (v, path.item(i)))
                .collect(),
            one => vec![(one, path.clone())],
        };
        let mut out = Vec::new();
        for (value, at) in items {
            let e = self.expression(value, &at)?;
            self.check_reads(&e, allowed, what, &at)?;
            out.push(e);
        }
        Ok(out)
    }

    fn check_reads(
        &self,
        e: &Expr,
        allowed: &[AttributeKind],
        what: &str,
        path: &Path,
    ) -> Result<(), Fault> {
        let mut read = Vec::new();
        e.attributes(&mut read);
        for a in read {
            let attribute = &self.declared.attributes[a];
            if !allowed.contains(&attribute.kind) {
                return Err(format!(
                    "{path} reads the attribute {}, of type {}: {what}",
                    Cut(&attribute.name),
                    attribute.kind.name()
                ));
            }
        }
        Ok(())
    }

    fn reference(&mut self, allowed: &[AttributeKind], what: &str) -> Result<Option<Expr>, Fault> {
        let path = self.at.member("referenceValue");
        let Some(value) = self.o.take("referenceValue") else {
            return Ok(None);
        };
        let e = self.expression(value, &path)?;
        self.check_reads(&e, allowed, what, &path)?;
        if let Expr::Number(n) = e {
            self.bounds.reference = Some(n);
        }
        Ok(Some(e))
    }

    fn kind(&mut self, earlier: &[Rule]) -> Result<RuleKind, Fault> {
        match self.kind {
            "comparison" => self.comparison(),
            "distance" => self.distance(),
            "collection" => self.collection(),
            "latency" => self.latency(),
            "batchDistance" => self.batch_distance(),
            "compound" => self.compound(earlier),
            _ => self.sort(),
        }
    }

    fn comparison(&mut self) -> Result<RuleKind, Fault> {
        use AttributeKind as K;
        let at = self.at;
        let comparable = [K::Number, K::String, K::StringList];
        let op_path = at.member("operation");
        let op = self
            .o
            .text("operation")?
            .ok_or_else(|| format!("{op_path} is required for a comparison rule"))?;
        let operation = Operation::of(op).ok_or_else(|| {
            format!(
                "{op_path} must be one of <, <=, =, !=, >, >=, not {}",
                Cut(op)
            )
        })?;
        let measurements = self.measurements(&comparable, "a comparison cannot compare maps")?;
        let reference = self.reference(&comparable, "a comparison cannot compare maps")?;
        if reference.is_none() && !matches!(operation, Operation::Equal | Operation::NotEqual) {
            return Err(format!(
                "{op_path}: without a referenceValue, the operation must be = or !="
            ));
        }
        Ok(RuleKind::Comparison {
            measurements,
            reference,
            operation,
        })
    }

    fn distance(&mut self) -> Result<RuleKind, Fault> {
        use AttributeKind as K;
        let at = self.at;
        let measurements = self.measurements(&[K::Number], "a distance measures numbers")?;
        let reference = self.reference(&[K::Number], "a distance measures numbers")?;
        let min = self.number("minDistance", Property::MinDistance)?;
        let max = self.number("maxDistance", Property::MaxDistance)?;
        if min.is_none() && max.is_none() {
            return Err(format!(
                "{at}: a distance rule needs maxDistance or minDistance"
            ));
        }
        Ok(RuleKind::Distance {
            measurements,
            reference,
        })
    }

    fn collection(&mut self) -> Result<RuleKind, Fault> {
        use AttributeKind as K;
        let at = self.at;
        let op_path = at.member("operation");
        let op = self
            .o
            .text("operation")?
            .ok_or_else(|| format!("{op_path} is required for a collection rule"))?;
        let operation = match op {
            "intersection" => CollectionOperation::Intersection,
            "contains" => CollectionOperation::Contains,
            "reference_intersection_count" => CollectionOperation::ReferenceIntersectionCount,
            other => {
                return Err(format!(
                    "{op_path} must be one of intersection, contains, reference_intersection_count, not {}",
                    Cut(other)
                ));
            }
        };
        let what = "a collection holds strings";
        let measurements = self.measurements(&[K::StringList, K::String], what)?;
        let reference = self.reference(&[K::StringList, K::String], what)?;
        if operation != CollectionOperation::Intersection && reference.is_none() {
            return Err(format!(
                "{at}.referenceValue is required for the operation {op}"
            ));
        }
        let min = self.number("minCount", Property::MinCount)?;
        let max = self.number("maxCount", Property::MaxCount)?;
        if min.is_none() && max.is_none() {
            return Err(format!(
                "{at}: a collection rule needs minCount or maxCount"
            ));
        }
        Ok(RuleKind::Collection {
            measurements,
            reference,
            operation,
        })
    }

    fn latency(&mut self) -> Result<RuleKind, Fault> {
        let at = self.at;
        let max = self.number("maxLatency", Property::MaxLatency)?;
        if max.is_none() {
            return Err(format!("{at}.maxLatency is required for a latency rule"));
        }
        self.number("maxDistance", Property::MaxDistance)?;
        let path = at.member("distanceReference");
        let reference = match self.o.text("distanceReference")? {
            None => None,
            Some("min") => Some(LatencyReference::Min),
            Some("avg") => Some(LatencyReference::Avg),
            Some(other) => {
                return Err(format!("{path} must be min or avg, not {}", Cut(other)));
            }
        };
        Ok(RuleKind::Latency { reference })
    }

    fn batch_distance(&mut self) -> Result<RuleKind, Fault> {
        use AttributeKind as K;
        let at = self.at;
        let attribute = self.attribute("batchAttribute")?;
        let kind = self.declared.attributes[attribute].kind;
        if !matches!(kind, K::Number | K::String) {
            return Err(format!(
                "{}: a batch is formed on a number or a string, not a {}",
                at.member("batchAttribute"),
                kind.name()
            ));
        }
        self.number("maxDistance", Property::MaxDistance)?;
        Ok(RuleKind::BatchDistance { attribute })
    }

    fn compound(&mut self, earlier: &[Rule]) -> Result<RuleKind, Fault> {
        let at = self.at;
        let path = at.member("statement");
        let text = self
            .o
            .text("statement")?
            .ok_or_else(|| format!("{path} is required for a compound rule"))?;
        let statement = statement(text, earlier).map_err(|e| format!("{path}: {e}"))?;
        Ok(RuleKind::Compound { statement })
    }

    fn sort(&mut self) -> Result<RuleKind, Fault> {
        use AttributeKind as K;
        let at = self.at;
        let sort = self.kind;
        let absolute = sort == "absoluteSort";
        let direction = at.member("sortDirection");
        let descending = match self.o.text("sortDirection")? {
            Some("ascending") => false,
            Some("descending") => true,
            None => return Err(format!("{direction} is required for a {sort} rule")),
            Some(other) => {
                return Err(format!(
                    "{direction} must be ascending or descending, not {}",
                    Cut(other)
                ));
            }
        };
        let attribute = self.attribute("sortAttribute")?;
        let kind = self.declared.attributes[attribute].kind;
        let key_path = at.member("mapKey");
        let map_key = match self.o.text("mapKey")? {
            None => None,
            Some("maxValue") => Some(true),
            Some("minValue") => Some(false),
            Some(other) => {
                return Err(format!(
                    "{key_path} must be minValue or maxValue, not {}",
                    Cut(other)
                ));
            }
        };
        let fits = match kind {
            K::Number => map_key.is_none(),
            K::String => absolute && map_key.is_none(),
            K::StringNumberMap => map_key.is_some(),
            K::StringList => false,
        };
        if !fits {
            return Err(format!(
                "{}: {} rule sorts by a number{}, or by a string_number_map with a mapKey, not by a {}{}",
                at.member("sortAttribute"),
                a_rule(sort),
                if absolute { " or a string" } else { "" },
                kind.name(),
                if map_key.is_some() && kind != K::StringNumberMap {
                    " with a mapKey"
                } else {
                    ""
                }
            ));
        }
        Ok(RuleKind::Sort {
            absolute,
            descending,
            attribute,
            map_key,
        })
    }
}

/// Parses a compound statement naming `earlier` rules.
fn statement(text: &str, earlier: &[Rule]) -> Result<Logic, String> {
    fn parse(s: &str, earlier: &[Rule], depth: usize) -> Result<Logic, String> {
        let s = s.trim();
        if depth > super::expression::MAX_DEPTH {
            return Err(format!(
                "nests more than {} operators",
                super::expression::MAX_DEPTH
            ));
        }
        if let Some(open) = s.find('(') {
            if !s.ends_with(')') {
                return Err(format!("'{}' does not end with ')'", Cut(s)));
            }
            let op = s[..open].trim();
            let inner = &s[open + 1..s.len() - 1];
            let mut args = Vec::new();
            let mut level = 0usize;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '(' => level += 1,
                    ')' => {
                        level = level
                            .checked_sub(1)
                            .ok_or_else(|| format!("'{}' closes more than it opens", Cut(s)))?;
                    }
                    ',' if level == 0 => {
                        args.push(parse(&inner[start..i], earlier, depth + 1)?);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            if level != 0 {
                return Err(format!("'{}' opens more than it closes", Cut(s)));
            }
            args.push(parse(&inner[start..], earlier, depth + 1)?);
            return match (op, args.len()) {
                ("and", n) if n >= 2 => Ok(Logic::And(args)),
                ("or", n) if n >= 2 => Ok(Logic::Or(args)),
                ("xor", n) if n >= 2 => Ok(Logic::Xor(args)),
                ("not", 1) => Ok(Logic::Not(Box::new(args.remove(0)))),
                ("and" | "or" | "xor", _) => Err(format!("{op} takes two arguments or more")),
                ("not", _) => Err("not takes one argument".to_owned()),
                (other, _) => Err(format!(
                    "the operator must be and, or, not or xor, not {}",
                    Cut(other)
                )),
            };
        }
        if s.is_empty() {
            return Err("an argument is empty".to_owned());
        }
        let Some(i) = earlier.iter().position(|r| r.name == s) else {
            return Err(format!(
                "names the rule {}, which is not defined before it",
                Cut(s)
            ));
        };
        if matches!(earlier[i].kind, RuleKind::BatchDistance { .. }) {
            return Err(format!(
                "names the batchDistance rule {}: a compound rule cannot use one",
                Cut(s)
            ));
        }
        Ok(Logic::Rule(i))
    }
    parse(text, earlier, 0)
}

impl Logic {
    pub(crate) fn rules(&self, out: &mut Vec<usize>) {
        match self {
            Logic::Rule(i) => out.push(*i),
            Logic::And(xs) | Logic::Or(xs) | Logic::Xor(xs) => {
                for x in xs {
                    x.rules(out);
                }
            }
            Logic::Not(x) => x.rules(out),
        }
    }
}

/// Whether `rule` is hereditary, given the rules before it and the
/// expansion targets `expanded` (a `minDistance` or `maxCount` an
/// expansion adds later counts).
pub(crate) fn hereditary(rule: &Rule, earlier: &[Rule], expanded: &[Property]) -> bool {
    let b = &rule.bounds;
    let has = |p: Property, given: Option<f64>| given.is_some() || expanded.contains(&p);
    let per_player = |ms: &[Expr]| ms.iter().all(Expr::is_per_player);
    let constant =
        |r: &Option<Expr>| matches!(r, Some(Expr::Number(_) | Expr::Text(_) | Expr::Strings(_)));
    match &rule.kind {
        RuleKind::Comparison {
            measurements,
            reference,
            ..
        } => per_player(measurements) && (reference.is_none() || constant(reference)),
        RuleKind::Distance {
            measurements,
            reference,
        } => {
            let spread_only = !has(Property::MinDistance, b.min_distance);
            (per_player(measurements)
                && (constant(reference) || (reference.is_none() && spread_only)))
                || (spread_only && is_spread(measurements, reference.as_ref()))
        }
        RuleKind::Collection {
            measurements,
            reference,
            operation,
        } => {
            let no_min = !has(Property::MinCount, b.min_count);
            let no_max = !has(Property::MaxCount, b.max_count);
            per_player(measurements)
                && match operation {
                    CollectionOperation::Intersection => no_max,
                    CollectionOperation::Contains => constant(reference) && no_min,
                    CollectionOperation::ReferenceIntersectionCount => match reference {
                        Some(Expr::Call(Function::SetIntersection, inner)) => {
                            inner.is_per_player() && no_max
                        }
                        Some(e) if e.is_per_player() => no_min,
                        r => constant(r),
                    },
                }
        }
        RuleKind::Latency { reference } => reference.is_none(),
        RuleKind::BatchDistance { .. } | RuleKind::Sort { .. } => true,
        RuleKind::Compound { statement } => logic_hereditary(statement, earlier),
    }
}

fn logic_hereditary(l: &Logic, earlier: &[Rule]) -> bool {
    match l {
        Logic::Rule(i) => earlier.get(*i).is_some_and(|r| r.hereditary),
        Logic::And(xs) | Logic::Or(xs) => xs.iter().all(|x| logic_hereditary(x, earlier)),
        Logic::Not(_) | Logic::Xor(_) => false,
    }
}

/// Whether a rule's outcome does not depend on which team each player is
/// on: it reads every team alike, and tests each player's value (so
/// trying a ticket on one team answers for all).
pub(crate) fn team_agnostic(rule: &Rule, rules: &[Rule]) -> bool {
    let all = |exprs: &[Expr], r: Option<&Expr>| exprs.iter().chain(r).all(Expr::reads_all_teams);
    match &rule.kind {
        RuleKind::Comparison {
            measurements,
            reference,
            ..
        }
        | RuleKind::Distance {
            measurements,
            reference,
        } => all(measurements, reference.as_ref()),
        RuleKind::Collection {
            measurements,
            reference,
            ..
        } => {
            all(measurements, reference.as_ref())
                && measurements
                    .iter()
                    .all(|m| matches!(m, Expr::Call(Function::Flatten, _)))
        }
        RuleKind::Latency { .. } | RuleKind::BatchDistance { .. } | RuleKind::Sort { .. } => true,
        RuleKind::Compound { statement } => {
            let mut named = Vec::new();
            statement.rules(&mut named);
            named
                .iter()
                .all(|&i| rules.get(i).is_some_and(|r| team_agnostic(r, rules)))
        }
    }
}

/// `max(X)` measured against `min(X)` (or the other way), `X` one value
/// per player: the spread of `X`.
fn is_spread(measurements: &[Expr], reference: Option<&Expr>) -> bool {
    let [Expr::Call(f, m)] = measurements else {
        return false;
    };
    let Some(Expr::Call(g, r)) = reference else {
        return false;
    };
    matches!(
        (f, g),
        (Function::Max, Function::Min) | (Function::Min, Function::Max)
    ) && m == r
        && m.is_per_player()
}

/// One player of a proposed match: the ticket (its place in the pool)
/// and the player's place in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seat {
    pub(crate) ticket: usize,
    pub(crate) player: usize,
}

/// A proposed match, as rules read it.
pub(crate) trait MatchView {
    /// The seats of each team.
    fn teams(&self) -> &[Vec<Seat>];
    /// A seat's value of `attribute`, as `party` reads a ticket.
    fn value(&self, seat: Seat, attribute: usize, party: Party) -> Option<Val>;
    /// A seat's player's id.
    fn player_id(&self, seat: Seat) -> &str;
    /// The Regions a seat's ticket reports latencies for.
    fn regions(&self, seat: Seat) -> Vec<&str>;
    /// A seat's latency to `region`, as `party` reads its ticket; `None`
    /// when not reported.
    fn latency(&self, seat: Seat, region: &str, party: Party) -> Option<f64>;
    /// A seat's map for a `string_number_map` attribute.
    fn map(&self, seat: Seat, attribute: usize) -> Option<&BTreeMap<String, f64>>;
}

/// Reads a match for one rule's expressions.
struct RuleSource<'v> {
    view: &'v dyn MatchView,
    party: Party,
}

impl Source for RuleSource<'_> {
    fn team(&self, team: usize, read: &Read, out: &mut Vec<Val>) {
        let Some(seats) = self.view.teams().get(team) else {
            return;
        };
        for &seat in seats {
            match read {
                Read::Players => out.push(Val::Player),
                Read::PlayerId => out.push(Val::Text(self.view.player_id(seat).into())),
                Read::Attribute(a) => out.extend(self.view.value(seat, *a, self.party)),
            }
        }
    }

    fn teams(&self) -> usize {
        self.view.teams().len()
    }
}

impl Rule {
    /// Whether the match `view` keeps the rule `index` of `rules`, with
    /// `bounds` each rule's numbers after expansions; `cost` grows by the
    /// work done.
    pub(crate) fn kept(
        rules: &[Rule],
        index: usize,
        bounds: &[Bounds],
        view: &dyn MatchView,
        cost: &mut u64,
    ) -> bool {
        let Some(rule) = rules.get(index) else {
            return true;
        };
        rule.keeps(
            bounds.get(index).copied().unwrap_or(rule.bounds),
            bounds,
            rules,
            view,
            cost,
        )
    }

    fn keeps(
        &self,
        b: Bounds,
        bounds: &[Bounds],
        rules: &[Rule],
        view: &dyn MatchView,
        cost: &mut u64,
    ) -> bool {
        let m = Measure {
            source: RuleSource {
                view,
                party: self.party,
            },
            bounds: b,
        };
        match &self.kind {
            RuleKind::Comparison {
                measurements,
                reference,
                operation,
            } => m.comparison(measurements, reference.as_ref(), *operation, cost),
            RuleKind::Distance {
                measurements,
                reference,
            } => m.distance(measurements, reference.as_ref(), cost),
            RuleKind::Collection {
                measurements,
                reference,
                operation,
            } => m.collection(measurements, reference.as_ref(), *operation, cost),
            RuleKind::Latency { reference } => self.latency_kept(&b, *reference, view, cost),
            RuleKind::BatchDistance { attribute } => m.batch(*attribute, cost),
            RuleKind::Compound { statement } => logic(statement, bounds, rules, view, cost),
            RuleKind::Sort { .. } => true,
        }
    }

    fn latency_kept(
        &self,
        b: &Bounds,
        reference: Option<LatencyReference>,
        view: &dyn MatchView,
        cost: &mut u64,
    ) -> bool {
        let max = b.max_latency.unwrap_or(f64::INFINITY);
        let seats: Vec<Seat> = view.teams().iter().flatten().copied().collect();
        let Some(first) = seats.first() else {
            return true;
        };
        // A Region every ticket reports, within the limit for all; a player
        // reporting no latency cannot be matched (the guide).
        view.regions(*first).into_iter().any(|region| {
            *cost += seats.len() as u64;
            let mut latencies = Vec::with_capacity(seats.len());
            for seat in &seats {
                match view.latency(*seat, region, self.party) {
                    Some(ms) if ms <= max => latencies.push(ms),
                    _ => return false,
                }
            }
            let Some(reference) = reference else {
                return true;
            };
            let r = match reference {
                LatencyReference::Min => latencies.iter().copied().fold(f64::INFINITY, f64::min),
                LatencyReference::Avg => latencies.iter().sum::<f64>() / latencies.len() as f64,
            };
            let distance = b.max_distance.unwrap_or(f64::INFINITY);
            latencies.iter().all(|ms| ms - r <= distance)
        })
    }
}

/// What a rule measures in a match, with its numbers after expansions.
struct Measure<'v> {
    source: RuleSource<'v>,
    bounds: Bounds,
}

/// A rule's reference value in a match.
enum Reference {
    /// The rule has none.
    None,
    /// It has one, which has no value here: the rule fails.
    Missing,
    Value(Val),
}

impl Measure<'_> {
    /// Every value at the leaves of `exprs`.
    fn values(&self, exprs: &[Expr], cost: &mut u64) -> Vec<Val> {
        let mut out = Vec::new();
        for e in exprs {
            leaves(e.eval(&self.source, cost), &mut out);
        }
        out
    }

    /// The reference: an expansion's number, or the expression's first
    /// value.
    fn reference(&self, expr: Option<&Expr>, cost: &mut u64) -> Reference {
        if let Some(n) = self.bounds.reference {
            return Reference::Value(Val::Number(n));
        }
        let Some(e) = expr else {
            return Reference::None;
        };
        let mut out = Vec::new();
        leaves(e.eval(&self.source, cost), &mut out);
        out.into_iter()
            .next()
            .map_or(Reference::Missing, Reference::Value)
    }

    fn comparison(
        &self,
        measurements: &[Expr],
        reference: Option<&Expr>,
        operation: Operation,
        cost: &mut u64,
    ) -> bool {
        let values = self.values(measurements, cost);
        *cost += values.len() as u64;
        match self.reference(reference, cost) {
            Reference::Value(r) => values.iter().all(|v| operation.holds(v, &r)),
            Reference::Missing => false,
            Reference::None if operation == Operation::Equal => {
                values.windows(2).all(|w| operation.holds(&w[0], &w[1]))
            }
            Reference::None => {
                *cost += (values.len() * values.len()) as u64 / 2;
                values
                    .iter()
                    .enumerate()
                    .all(|(i, a)| values.iter().skip(i + 1).all(|c| operation.holds(a, c)))
            }
        }
    }

    fn distance(&self, measurements: &[Expr], reference: Option<&Expr>, cost: &mut u64) -> bool {
        let values: Vec<f64> = self
            .values(measurements, cost)
            .into_iter()
            .filter_map(|v| match v {
                Val::Number(n) => Some(n),
                _ => None,
            })
            .collect();
        let b = &self.bounds;
        let within =
            |d: f64| b.max_distance.is_none_or(|m| d <= m) && b.min_distance.is_none_or(|m| d >= m);
        match self.reference(reference, cost) {
            Reference::Value(Val::Number(r)) => values.iter().all(|v| within((v - r).abs())),
            Reference::Value(_) | Reference::Missing => false,
            Reference::None => {
                let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                values.is_empty() || within(hi - lo)
            }
        }
    }

    fn collection(
        &self,
        measurements: &[Expr],
        reference: Option<&Expr>,
        operation: CollectionOperation,
        cost: &mut u64,
    ) -> bool {
        let mut sets: Vec<Vec<Val>> = Vec::new();
        for e in measurements {
            collections(e.eval(&self.source, cost), &mut sets);
        }
        for s in &mut sets {
            dedup(s);
            *cost += s.len() as u64;
        }
        let b = &self.bounds;
        let within = |n: usize| {
            let n = n as f64;
            b.min_count.is_none_or(|m| n >= m) && b.max_count.is_none_or(|m| n <= m)
        };
        let mut wanted: Vec<Val> = Vec::new();
        if let Some(e) = reference {
            leaves(e.eval(&self.source, cost), &mut wanted);
        }
        match operation {
            CollectionOperation::Intersection => {
                let mut common: Vec<Val> = sets.first().cloned().unwrap_or_default();
                for s in sets.iter().skip(1) {
                    *cost += (common.len() * s.len()) as u64;
                    common.retain(|v| s.contains(v));
                }
                within(common.len())
            }
            CollectionOperation::Contains => {
                *cost += (sets.len() * wanted.len()) as u64;
                within(
                    sets.iter()
                        .filter(|s| wanted.iter().any(|w| s.contains(w)))
                        .count(),
                )
            }
            CollectionOperation::ReferenceIntersectionCount => {
                dedup(&mut wanted);
                sets.iter().all(|s| {
                    *cost += (s.len() * wanted.len()) as u64;
                    within(s.iter().filter(|v| wanted.contains(v)).count())
                })
            }
        }
    }

    fn batch(&self, attribute: usize, cost: &mut u64) -> bool {
        let view = self.source.view;
        let mut numbers: Vec<f64> = Vec::new();
        let mut texts: Vec<Val> = Vec::new();
        for seat in view.teams().iter().flatten() {
            *cost += 1;
            match view.value(*seat, attribute, self.source.party) {
                Some(Val::Number(n)) => numbers.push(n),
                Some(other) => texts.push(other),
                None => {}
            }
        }
        let max = self.bounds.max_distance.unwrap_or(0.0);
        let lo = numbers.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (numbers.is_empty() || hi - lo <= max) && texts.windows(2).all(|w| w[0] == w[1])
    }
}

fn dedup(values: &mut Vec<Val>) {
    let mut seen: Vec<Val> = Vec::with_capacity(values.len());
    values.retain(|v| {
        if seen.contains(v) {
            false
        } else {
            seen.push(v.clone());
            true
        }
    });
}

fn logic(
    l: &Logic,
    bounds: &[Bounds],
    rules: &[Rule],
    view: &dyn MatchView,
    cost: &mut u64,
) -> bool {
    match l {
        Logic::Rule(i) => Rule::kept(rules, *i, bounds, view, cost),
        Logic::And(xs) => xs.iter().all(|x| logic(x, bounds, rules, view, cost)),
        Logic::Or(xs) => xs.iter().any(|x| logic(x, bounds, rules, view, cost)),
        Logic::Not(x) => !logic(x, bounds, rules, view, cost),
        Logic::Xor(xs) => {
            xs.iter()
                .filter(|x| logic(x, bounds, rules, view, cost))
                .count()
                == 1
        }
    }
}

/// A ticket's sort key for a sort rule, against the first ticket's
/// (`anchor`): smaller sorts first.
pub(crate) fn sort_key(rule: &Rule, view: &dyn MatchView, seats: &[Seat], anchor: &[Seat]) -> f64 {
    let RuleKind::Sort {
        absolute,
        descending,
        attribute,
        map_key,
    } = &rule.kind
    else {
        return 0.0;
    };
    let read = |seats: &[Seat], key: Option<&str>| -> Option<Val> {
        let seat = *seats.first()?;
        match key {
            Some(k) => view.map(seat, *attribute)?.get(k).map(|n| Val::Number(*n)),
            None => view.value(seat, *attribute, rule.party),
        }
    };
    let key: Option<String> = map_key.and_then(|highest| {
        let map = view.map(*anchor.first()?, *attribute)?;
        let pick = map.iter().reduce(|a, b| {
            let better = if highest { b.1 > a.1 } else { b.1 < a.1 };
            if better { b } else { a }
        })?;
        Some(pick.0.clone())
    });
    if map_key.is_some() && key.is_none() {
        return f64::INFINITY;
    }
    let mine = read(seats, key.as_deref());
    let theirs = read(anchor, key.as_deref());
    let sign = if *descending { -1.0 } else { 1.0 };
    match (mine, theirs) {
        (Some(Val::Number(m)), Some(Val::Number(_))) if *absolute => sign * m,
        (Some(Val::Number(m)), Some(Val::Number(a))) => sign * (m - a).abs(),
        (Some(Val::Number(m)), None) if *absolute => sign * m,
        (Some(m), Some(a)) if *absolute => {
            // A string: the anchor's first.
            if m == a { -sign } else { sign }
        }
        _ => f64::INFINITY,
    }
}
