//! The `SearchGameSessions` request: its validation, which sessions it
//! selects, in which order, a page at a time.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::eval::Key;
use super::expression::{FilterExpression, OperandType, SortExpression, SortOrder};
use super::index::SearchIndex;
use crate::model::enums::GameSessionStatus;
use crate::model::error::GameLiftError;
use crate::model::ids::fleet_id_of;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::paging;
use crate::model::shapes::{GameSession, redact};
use crate::model::validate::{FieldPath, Validator};

/// A request to search a fleet's active game sessions (`SearchGameSessionsInput`).
///
/// `Debug` does not show the filter expression: the values it searches for
/// are property values.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct SearchGameSessionsInput {
    /// The fleet to search (id or ARN); exactly one of this and `alias_id`.
    pub fleet_id: Option<String>,
    /// The alias of the fleet to search (id or ARN).
    pub alias_id: Option<String>,
    /// Only sessions in this location.
    pub location: Option<String>,
    /// Which sessions match; every `ACTIVE` session without one.
    pub filter_expression: Option<String>,
    /// The order of the results; the store's order without one.
    pub sort_expression: Option<String>,
    /// Most sessions in one page: at least 1, and never more than 20 are returned.
    pub limit: Option<i32>,
    /// Where the previous page ended.
    pub next_token: Option<String>,
}

object_only!(SearchGameSessionsInput, wire::SearchGameSessionsInputDef);

impl fmt::Debug for SearchGameSessionsInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchGameSessionsInput")
            .field("fleet_id", &self.fleet_id)
            .field("alias_id", &self.alias_id)
            .field("location", &self.location)
            .field(
                "filter_expression",
                &redact(self.filter_expression.as_ref()),
            )
            .field("sort_expression", &self.sort_expression)
            .field("limit", &self.limit)
            .field("next_token", &self.next_token)
            .finish()
    }
}

impl SearchGameSessionsInput {
    /// A search of the fleet `fleet_id` (id or ARN).
    #[must_use]
    pub fn for_fleet(fleet_id: impl Into<String>) -> Self {
        SearchGameSessionsInput {
            fleet_id: Some(fleet_id.into()),
            ..SearchGameSessionsInput::default()
        }
    }

    /// A search of the fleet the alias `alias_id` points to.
    #[must_use]
    pub fn for_alias(alias_id: impl Into<String>) -> Self {
        SearchGameSessionsInput {
            alias_id: Some(alias_id.into()),
            ..SearchGameSessionsInput::default()
        }
    }

    /// Sets the location.
    #[must_use]
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Sets the filter expression.
    #[must_use]
    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        self.filter_expression = Some(filter.into());
        self
    }

    /// Sets the sort expression.
    #[must_use]
    pub fn sort(mut self, sort: impl Into<String>) -> Self {
        self.sort_expression = Some(sort.into());
        self
    }

    /// Sets the page size.
    #[must_use]
    pub fn limit(mut self, limit: i32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sets where the page starts: a `NextToken` from an earlier page.
    #[must_use]
    pub fn next_token(mut self, token: impl Into<String>) -> Self {
        self.next_token = Some(token.into());
        self
    }

    /// Validates this request under AWS's limits.
    ///
    /// # Errors
    ///
    /// As [`SearchGameSessionsInput::validate_with`].
    pub fn validate(&self) -> Result<ValidatedSearch<'_>, GameLiftError> {
        self.validate_with(&Limits::AWS)
    }

    /// Validates this request against the model and `limits`, and parses
    /// its expressions.
    ///
    /// ```
    /// use gamelift_session::search::SearchGameSessionsInput;
    ///
    /// let zero = SearchGameSessionsInput::for_fleet("fleet-1").limit(0);
    /// assert_eq!(
    ///     zero.validate().unwrap_err().to_string(),
    ///     "1 validation error detected: \
    ///      Value '0' at 'limit' failed to satisfy constraint: \
    ///      Member must have value greater than or equal to 1"
    /// );
    /// let bad = SearchGameSessionsInput::for_fleet("fleet-1").filter("maximumSessions = 'ten'");
    /// assert_eq!(
    ///     bad.validate().unwrap_err().to_string(),
    ///     "FilterExpression is invalid at character 19: \
    ///      expected a whole number for a number operand, found a string"
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidRequestException`: every violation of the model (lengths,
    /// patterns, `Limit` below 1) in one message; then a request naming
    /// both or neither of a fleet and an alias; then an expression that
    /// does not parse or is not well typed, at its first fault.
    pub fn validate_with(&self, limits: &Limits) -> Result<ValidatedSearch<'_>, GameLiftError> {
        let mut v = Validator::default();
        let member = FieldPath::Member;
        if let Some(fleet) = self.fleet_id.as_deref() {
            v.fleet_id_or_arn(member("fleetId"), fleet, limits);
        }
        if let Some(alias) = self.alias_id.as_deref() {
            v.alias_id_or_arn(member("aliasId"), alias, limits);
        }
        if let Some(location) = self.location.as_deref() {
            v.location(member("location"), location, limits);
        }
        let max = limits.max_search_expression_length;
        if let Some(filter) = self.filter_expression.as_deref() {
            // The filter holds property values: never echoed.
            v.length(member("filterExpression"), filter, 1, max, true);
        }
        if let Some(sort) = self.sort_expression.as_deref() {
            v.non_zero_and_max_string(member("sortExpression"), sort, max);
        }
        if let Some(limit) = self.limit {
            v.min_value(member("limit"), i64::from(limit), 1);
        }
        if let Some(token) = self.next_token.as_deref() {
            v.non_zero_and_max_string(member("nextToken"), token, limits.max_next_token_length);
        }
        v.finish()?;
        if self.fleet_id.is_some() == self.alias_id.is_some() {
            return Err(GameLiftError::invalid_request(
                "Each request must reference either a FleetId or an AliasId, but not both",
            ));
        }
        let filter = self
            .filter_expression
            .as_deref()
            .map(str::parse::<FilterExpression>)
            .transpose()?;
        let sort = self
            .sort_expression
            .as_deref()
            .map(str::parse::<SortExpression>)
            .transpose()?;
        let page_size = self
            .limit
            .and_then(|l| usize::try_from(l).ok())
            .map_or(limits.max_search_page_size, |l| {
                l.min(limits.max_search_page_size)
            });
        let plan = filter.as_ref().map(FilterExpression::cheapest_first);
        Ok(ValidatedSearch {
            input: self,
            filter,
            plan,
            sort,
            page_size,
        })
    }
}

/// A search request that passed validation, its expressions parsed.
#[derive(Debug, Clone)]
pub struct ValidatedSearch<'a> {
    input: &'a SearchGameSessionsInput,
    filter: Option<FilterExpression>,
    /// The filter as evaluated: cheapest conditions first.
    plan: Option<FilterExpression>,
    sort: Option<SortExpression>,
    page_size: usize,
}

impl ValidatedSearch<'_> {
    /// The parsed filter, if the request has one.
    #[must_use]
    pub fn filter(&self) -> Option<&FilterExpression> {
        self.filter.as_ref()
    }

    /// The parsed sort, if the request has one.
    #[must_use]
    pub fn sort(&self) -> Option<&SortExpression> {
        self.sort.as_ref()
    }

    /// The most sessions a page of this search holds: `Limit`, at most 20.
    #[must_use]
    pub fn page_size(&self) -> usize {
        self.page_size
    }

    /// Searches `sessions` (in creation order) for one page; see
    /// [`search_game_sessions`].
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for a `NextToken` this crate did not
    /// issue; `NotFoundException` for an alias the caller could not
    /// resolve (`alias_fleet` is `None`).
    pub fn select<'s>(
        &self,
        sessions: impl IntoIterator<Item = &'s GameSession>,
        index: &SearchIndex,
        alias_fleet: Option<&str>,
    ) -> Result<SearchGameSessionsOutput<'s>, GameLiftError> {
        let input = self.input;
        let fleet = self.fleet(alias_fleet)?;
        // Whether the index holds a key is the same for every session, so
        // it is asked once per key of the request, not once per session.
        let mut keys = Vec::new();
        if let Some(filter) = &self.filter {
            filter.property_keys(&mut keys);
        }
        if let Some(SortExpression {
            operand: super::Operand::Property(key),
            ..
        }) = &self.sort
        {
            keys.push(key.as_str());
        }
        keys.retain(|k| !index.holds(k));
        let unheld = keys;
        let held = |key: &str| !unheld.contains(&key);

        let location = input.location.as_deref();
        let matches = |s: &GameSession| {
            s.status == Some(GameSessionStatus::Active)
                && s.fleet_id.as_deref() == Some(fleet)
                && location.is_none_or(|l| s.location.as_deref() == Some(l))
                && self.plan.as_ref().is_none_or(|f| f.eval(s, &held))
        };
        let after = input.next_token.as_deref();
        let (page, next_token) = match &self.sort {
            // Store order: the page is known once one more session matched.
            None => paging::page_after(
                sessions
                    .into_iter()
                    .map(|s| (s.game_session_id.as_deref(), matches(s).then_some(s))),
                after,
                self.page_size,
            )?,
            Some(sort) => sorted_page(
                sessions,
                matches,
                |s| after.is_some() && s.game_session_id.as_deref() == after,
                |s| sort.operand.read(s, &held),
                sort,
                after,
                |s| s.game_session_id.clone(),
                self.page_size,
            )?,
        };
        Ok(visible_page(page, index, next_token))
    }

    /// The request's fleet: its `FleetId`, or the fleet its alias
    /// resolves to.
    pub(crate) fn fleet<'f>(
        &'f self,
        alias_fleet: Option<&'f str>,
    ) -> Result<&'f str, GameLiftError> {
        match (
            self.input.fleet_id.as_deref(),
            self.input.alias_id.as_deref(),
        ) {
            (Some(fleet), _) => Ok(fleet_id_of(fleet)),
            (None, alias) => {
                alias_fleet.ok_or_else(|| GameLiftError::alias_not_found(alias.unwrap_or_default()))
            }
        }
    }

    pub(crate) fn input(&self) -> &SearchGameSessionsInput {
        self.input
    }

    /// The filter as evaluated: each chain cheapest first.
    pub(crate) fn plan(&self) -> Option<&FilterExpression> {
        self.plan.as_ref()
    }
}

/// The answer holding `page`, each session without the properties `index`
/// does not hold.
pub(crate) fn visible_page<'s>(
    page: impl IntoIterator<Item = &'s GameSession>,
    index: &SearchIndex,
    next_token: Option<String>,
) -> SearchGameSessionsOutput<'s> {
    let game_sessions = page
        .into_iter()
        .map(|s| {
            if index.holds_all(s) {
                Cow::Borrowed(s)
            } else {
                Cow::Owned(index.visible(s))
            }
        })
        .collect();
    SearchGameSessionsOutput {
        game_sessions: Some(game_sessions),
        next_token,
    }
}

/// The page of `size` matching items in `sort`'s order after the cursor
/// (the item the token `after` names), and the token of the next page
/// when more match. `read` is an item's value for the sort's operand.
/// Items without a value come last in both directions; ties keep the
/// store's order.
#[allow(clippy::too_many_arguments)]
pub(crate) fn sorted_page<'s, T: Copy>(
    items: impl IntoIterator<Item = T>,
    matches: impl Fn(T) -> bool,
    is_cursor: impl Fn(T) -> bool,
    read: impl Fn(T) -> Option<Key<'s>>,
    sort: &SortExpression,
    after: Option<&str>,
    id: impl Fn(T) -> Option<String>,
    size: usize,
) -> Result<(Vec<T>, Option<String>), GameLiftError> {
    let descending = sort.order == SortOrder::Descending;
    let walk = Walk {
        matches,
        is_cursor,
        after,
        id,
        size,
    };
    // Each operand type gets its own key type, so that comparing two
    // items is comparing two plain tuples.
    match sort.operand.operand_type() {
        OperandType::String => {
            let text = |t: T| match read(t) {
                Some(Key::Text(s)) => Some(s),
                _ => None,
            };
            if descending {
                walk.page_by(items, |t| text(t).map(Reverse))
            } else {
                walk.page_by(items, text)
            }
        }
        OperandType::Number | OperandType::Boolean => {
            let number = |t: T| match read(t) {
                Some(Key::Number(n)) => Some(n),
                Some(Key::Boolean(b)) => Some(i64::from(b)),
                _ => None,
            };
            if descending {
                walk.page_by(items, |t| number(t).map(Reverse))
            } else {
                walk.page_by(items, number)
            }
        }
    }
}

/// Where an item ranks: its key is missing, its key, its place in the store.
type Rank<K> = (bool, Option<K>, usize);

/// What a sorted page needs besides the key: which items match, which is
/// the cursor, an item's id.
struct Walk<'a, M, C, I> {
    matches: M,
    is_cursor: C,
    after: Option<&'a str>,
    id: I,
    size: usize,
}

impl<M, C, I> Walk<'_, M, C, I> {
    /// The first `size` matching items ordered by `(key is missing, key,
    /// place in the store)` that rank after the cursor (ranked by its key
    /// now, whether or not it still matches), and the next token. Only the
    /// page is sorted: the rest is partitioned around it in linear time.
    fn page_by<T: Copy, K: Ord>(
        &self,
        items: impl IntoIterator<Item = T>,
        key: impl Fn(T) -> Option<K>,
    ) -> Result<(Vec<T>, Option<String>), GameLiftError>
    where
        M: Fn(T) -> bool,
        C: Fn(T) -> bool,
        I: Fn(T) -> Option<String>,
    {
        let mut cursor: Option<Rank<K>> = None;
        let mut ranked: Vec<(Rank<K>, T)> = Vec::new();
        for (i, t) in items.into_iter().enumerate() {
            let is_cursor = self.after.is_some() && (self.is_cursor)(t);
            if !is_cursor && !(self.matches)(t) {
                continue;
            }
            let k = key(t);
            let rank = (k.is_none(), k, i);
            if is_cursor {
                cursor = Some(rank);
            } else {
                ranked.push((rank, t));
            }
        }
        if let Some(token) = self.after {
            let Some(cursor) = cursor else {
                return Err(paging::invalid_token(token));
            };
            ranked.retain(|(rank, _)| *rank > cursor);
        }
        let compare = |a: &(Rank<K>, T), b: &(Rank<K>, T)| Ord::cmp(&a.0, &b.0);
        let size = self.size;
        let more = ranked.len() > size;
        if more {
            ranked.select_nth_unstable_by(size, compare);
            ranked.truncate(size);
        }
        ranked.sort_unstable_by(compare);
        let next_token = ranked
            .last()
            .filter(|_| more)
            .and_then(|&(_, t)| (self.id)(t));
        Ok((ranked.into_iter().map(|(_, t)| t).collect(), next_token))
    }
}

/// Searches `sessions` (the embedder's store, in creation order) for one
/// page of the `ACTIVE` sessions of one fleet that match the request,
/// under AWS's limits.
///
/// The fleet is the request's `FleetId`, or `alias_fleet`, the fleet the
/// request's `AliasId` resolves to, which only the caller knows. The
/// properties a search can see, and those the returned sessions show, are
/// those `index` holds.
///
/// ```
/// use gamelift_session::{
///     GameProperty, GameSession, GameSessionStatus,
///     search::{SearchGameSessionsInput, SearchIndex, search_game_sessions},
/// };
///
/// let sessions: Vec<GameSession> = (1..=3)
///     .map(|n| {
///         let mut s = GameSession::default();
///         s.fleet_id = Some("fleet-1".to_owned());
///         s.status = Some(GameSessionStatus::Active);
///         s.maximum_player_session_count = Some(n * 4);
///         s.game_properties = Some(vec![
///             GameProperty::new("mode", if n == 2 { "casual" } else { "ranked" }),
///             GameProperty::new("map.name", "harbor"),
///         ]);
///         s
///     })
///     .collect();
/// let index = SearchIndex::of(&Default::default(), &sessions);
///
/// let input = SearchGameSessionsInput::for_fleet("fleet-1")
///     .filter("gameSessionProperties.mode = 'ranked'")
///     .sort("maximumSessions DESC");
/// let output = search_game_sessions(&input, &sessions, &index, None)?;
/// let found = output.game_sessions.as_deref().unwrap_or_default();
/// let limits: Vec<_> = found.iter().map(|s| s.maximum_player_session_count).collect();
/// assert_eq!(limits, [Some(12), Some(4)]);
/// // The index never holds a period key, so results leave it out.
/// assert_eq!(found[0].game_property("map.name"), None);
/// assert_eq!(output.next_token, None);
/// # Ok::<(), gamelift_session::GameLiftError>(())
/// ```
///
/// # Errors
///
/// As [`SearchGameSessionsInput::validate_with`] and
/// [`ValidatedSearch::select`].
pub fn search_game_sessions<'s>(
    input: &SearchGameSessionsInput,
    sessions: impl IntoIterator<Item = &'s GameSession>,
    index: &SearchIndex,
    alias_fleet: Option<&str>,
) -> Result<SearchGameSessionsOutput<'s>, GameLiftError> {
    input.validate()?.select(sessions, index, alias_fleet)
}

/// The answer to `SearchGameSessions` (`SearchGameSessionsOutput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SearchGameSessionsOutput<'a> {
    /// The matching sessions of this page, without the properties the
    /// search index does not hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game_sessions: Option<Vec<Cow<'a, GameSession>>>,
    /// The token for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The wire form, derived on a private twin as for every input shape.
// The twin names exactly the types its shape uses.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "SearchGameSessionsInput", rename_all = "PascalCase")]
    pub(super) struct SearchGameSessionsInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alias_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter_expression: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sort_expression: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }
}
