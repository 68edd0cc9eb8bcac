//! The `algorithm` block: how the matchmaker builds matches.
//!
//! - `strategy`: `exhaustiveSearch` (the default) builds a match around
//!   the oldest ticket, for matches of up to 40 players; `balanced` is
//!   required for large matches (41 to 200 players) and balances the
//!   teams on `balancedAttribute` (a declared number) once a match is
//!   built. The guide's compound example uses `balanced` with a match of
//!   40, so a small match may use it too: it is built as any small match,
//!   then balanced where the rules allow.
//! - `batchingPreference`: with `exhaustiveSearch`, `random` (the
//!   default: **decision**, the pool is one batch, so which match is made
//!   does not depend on chance) or `sorted` (tickets are tried in the
//!   order of `sortByAttributes`, then age); with `balanced`,
//!   `largestPopulation` (the default) or `fastestRegion` (tickets whose
//!   fastest Region is the first ticket's are tried first).
//! - `expansionAgeSelection`: a match's expansions follow the age of its
//!   `newest` ticket (the default) or its `oldest`.
//! - `backfillPriority`: backfill tickets anchor matches before (`high`),
//!   after (`low`) or among (`normal`, by age) the others; a large match's
//!   `normal` is `high` (the guide: backfill comes first there).

use super::declarations::{Attribute, AttributeKind};
use super::document::{Fault, Json, Object, Path};
use crate::model::echo::Cut;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    ExhaustiveSearch,
    Balanced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Batching {
    Random,
    Sorted,
    LargestPopulation,
    FastestRegion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BackfillPriority {
    Normal,
    High,
    Low,
}

/// The `algorithm` block, checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Algorithm {
    pub(crate) strategy: Strategy,
    pub(crate) batching: Batching,
    /// The attributes `sorted` orders tickets by.
    pub(crate) sort_by: Vec<usize>,
    /// The attribute `balanced` balances teams on.
    pub(crate) balanced: Option<usize>,
    /// Expansions follow the oldest ticket's age.
    pub(crate) age_of_oldest: bool,
    pub(crate) backfill: BackfillPriority,
}

/// The declared attribute `name` names, of one of `kinds`.
fn attribute(
    attributes: &[Attribute],
    name: &str,
    at: &Path,
    kinds: &[AttributeKind],
) -> Result<usize, Fault> {
    let i = attributes
        .iter()
        .position(|a| a.name == name)
        .ok_or_else(|| {
            format!(
                "{at} names the attribute {}, which playerAttributes does not declare",
                Cut(name)
            )
        })?;
    if !kinds.contains(&attributes[i].kind) {
        return Err(format!(
            "{at} names the attribute {}, of type {}: it must be a {}",
            Cut(name),
            attributes[i].kind.name(),
            kinds
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    Ok(i)
}

/// `batchingPreference`, for the strategy.
fn batching(strategy: Strategy, given: Option<&str>, path: &Path) -> Result<Batching, Fault> {
    Ok(match (strategy, given) {
        (Strategy::ExhaustiveSearch, None | Some("random")) => Batching::Random,
        (Strategy::ExhaustiveSearch, Some("sorted")) => Batching::Sorted,
        (Strategy::Balanced, None | Some("largestPopulation")) => Batching::LargestPopulation,
        (Strategy::Balanced, Some("fastestRegion")) => Batching::FastestRegion,
        (Strategy::ExhaustiveSearch, Some(other)) => {
            return Err(format!(
                "{path} must be random or sorted with exhaustiveSearch, not {}",
                Cut(other)
            ));
        }
        (Strategy::Balanced, Some(other)) => {
            return Err(format!(
                "{path} must be largestPopulation or fastestRegion with balanced, not {}",
                Cut(other)
            ));
        }
    })
}

/// `expansionAgeSelection` (`true`: the oldest) and `backfillPriority`.
fn ages_and_backfill(
    o: &mut Object<'_>,
    path: &Path,
    large: bool,
) -> Result<(bool, BackfillPriority), Fault> {
    let age_of_oldest = match o.text("expansionAgeSelection")? {
        None | Some("newest") => false,
        Some("oldest") => true,
        Some(other) => {
            return Err(format!(
                "{} must be newest or oldest, not {}",
                path.member("expansionAgeSelection"),
                Cut(other)
            ));
        }
    };
    let backfill = match o.text("backfillPriority")? {
        None | Some("normal") if large => BackfillPriority::High,
        None | Some("normal") => BackfillPriority::Normal,
        Some("high") => BackfillPriority::High,
        Some("low") => BackfillPriority::Low,
        Some(other) => {
            return Err(format!(
                "{} must be normal, high or low, not {}",
                path.member("backfillPriority"),
                Cut(other)
            ));
        }
    };
    Ok((age_of_oldest, backfill))
}

/// Reads `algorithm` for a rule set whose teams make a large match or not.
pub(crate) fn algorithm(
    value: Option<&Json>,
    path: &Path,
    attributes: &[Attribute],
    large: bool,
) -> Result<Algorithm, Fault> {
    let Some(value) = value else {
        if large {
            return Err(format!(
                "{path}.strategy must be balanced for a large match (teams of more than 40 players)"
            ));
        }
        return Ok(Algorithm {
            strategy: Strategy::ExhaustiveSearch,
            batching: Batching::Random,
            sort_by: Vec::new(),
            balanced: None,
            age_of_oldest: false,
            backfill: BackfillPriority::Normal,
        });
    };
    let mut o = Object::of(value, path.clone())?;
    let strategy_path = path.member("strategy");
    let strategy = match o.text("strategy")? {
        None | Some("exhaustiveSearch") => Strategy::ExhaustiveSearch,
        Some("balanced") => Strategy::Balanced,
        Some(other) => {
            return Err(format!(
                "{strategy_path} must be exhaustiveSearch or balanced, not {}",
                Cut(other)
            ));
        }
    };
    if large && strategy != Strategy::Balanced {
        return Err(format!(
            "{strategy_path} must be balanced for a large match (teams of more than 40 players): \
             exhaustiveSearch builds matches of up to 40"
        ));
    }
    let batching_path = path.member("batchingPreference");
    let batching = batching(strategy, o.text("batchingPreference")?, &batching_path)?;
    let sort_path = path.member("sortByAttributes");
    let mut sort_by = Vec::new();
    for (i, item) in o
        .list("sortByAttributes")?
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let at = sort_path.item(i);
        let Json::Text(name) = item else {
            return Err(format!("{at} must be a string"));
        };
        sort_by.push(attribute(
            attributes,
            name,
            &at,
            &[AttributeKind::Number, AttributeKind::String],
        )?);
    }
    if batching == Batching::Sorted && sort_by.is_empty() {
        return Err(format!(
            "{sort_path} must name at least one attribute when batchingPreference is sorted"
        ));
    }
    let balanced_path = path.member("balancedAttribute");
    let balanced = match o.text("balancedAttribute")? {
        Some(name) => Some(attribute(
            attributes,
            name,
            &balanced_path,
            &[AttributeKind::Number],
        )?),
        None => None,
    };
    if strategy == Strategy::Balanced && balanced.is_none() {
        return Err(format!(
            "{balanced_path} is required with the strategy balanced"
        ));
    }
    let (age_of_oldest, backfill) = ages_and_backfill(&mut o, path, large)?;
    o.finish()?;
    Ok(Algorithm {
        strategy,
        batching,
        sort_by,
        balanced,
        age_of_oldest,
        backfill,
    })
}
