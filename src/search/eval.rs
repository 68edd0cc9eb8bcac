//! Evaluating a filter against a game session, and reading the values a
//! sort orders by. Two-valued: a missing value fails every comparison but
//! `<>`, and `<>` is `NOT =` by construction.

use std::cmp::Ordering;

use super::expression::{Comparator, Condition, FilterExpression, Operand, Value};
use super::index::SearchIndex;
use crate::model::enums::PlayerSessionCreationPolicy;
use crate::model::shapes::GameSession;
use crate::model::timestamp::to_epoch_millis;

/// A session's value for an operand, as a search compares and sorts it.
/// One operand always reads the same variant, so the derived order is the
/// order of the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key<'s> {
    Text(&'s str),
    Number(i64),
    Boolean(bool),
}

impl Operand {
    /// What `session` holds for this operand; `held` says which property
    /// keys the search index holds.
    pub(crate) fn read<'s>(
        &self,
        session: &'s GameSession,
        held: &impl Fn(&str) -> bool,
    ) -> Option<Key<'s>> {
        match self {
            Operand::GameSessionId => session.game_session_id.as_deref().map(Key::Text),
            Operand::GameSessionName => session.name.as_deref().map(Key::Text),
            Operand::Property(key) => session
                .game_property(key.as_str())
                .filter(|_| held(key.as_str()))
                .map(Key::Text),
            Operand::MaximumSessions => session
                .maximum_player_session_count
                .map(|n| Key::Number(n.into())),
            Operand::CreationTimeMillis => session
                .creation_time
                .and_then(|t| i64::try_from(to_epoch_millis(t)).ok())
                .map(Key::Number),
            Operand::PlayerSessionCount => session
                .current_player_session_count
                .map(|n| Key::Number(n.into())),
            Operand::HasAvailablePlayerSessions => {
                Some(Key::Boolean(has_available_player_sessions(session)))
            }
        }
    }
}

/// Whether `session` takes a new player: its policy is `ACCEPT_ALL`, and it
/// has fewer players (0 when unset) than its set maximum.
pub(crate) fn has_available_player_sessions(session: &GameSession) -> bool {
    let accepts =
        session.player_session_creation_policy == Some(PlayerSessionCreationPolicy::AcceptAll);
    let players = session.current_player_session_count.unwrap_or(0);
    accepts
        && session
            .maximum_player_session_count
            .is_some_and(|max| players < max)
}

impl Condition {
    fn eval(&self, session: &GameSession, held: &impl Fn(&str) -> bool) -> bool {
        let ordering = match (self.operand().read(session, held), self.value()) {
            (Some(Key::Text(a)), Value::String(b)) => Some(a.cmp(b.as_str())),
            (Some(Key::Number(a)), Value::Number(b)) => Some(a.cmp(b)),
            (Some(Key::Boolean(a)), Value::Boolean(b)) => Some(a.cmp(b)),
            _ => None,
        };
        self.comparator().holds(ordering)
    }
}

impl Comparator {
    /// Whether a session's value, ordered against the condition's value as
    /// `ordering` (`None` when the session has no value), satisfies this
    /// comparator: two-valued, so only `<>` holds for a missing value.
    pub(crate) fn holds(self, ordering: Option<Ordering>) -> bool {
        match self {
            Comparator::Equal => ordering == Some(Ordering::Equal),
            Comparator::NotEqual => ordering != Some(Ordering::Equal),
            Comparator::Less => ordering == Some(Ordering::Less),
            Comparator::Greater => ordering == Some(Ordering::Greater),
            Comparator::LessOrEqual => matches!(ordering, Some(Ordering::Less | Ordering::Equal)),
            Comparator::GreaterOrEqual => {
                matches!(ordering, Some(Ordering::Greater | Ordering::Equal))
            }
        }
    }
}

impl FilterExpression {
    /// Whether `session` matches this filter, seeing only the properties
    /// `index` holds. Status, fleet and location are the search's to check,
    /// not the filter's.
    ///
    /// ```
    /// use gamelift_session::{GameProperty, GameSession, search::{FilterExpression, SearchIndex}};
    ///
    /// let mut session = GameSession::default();
    /// session.game_properties = Some(vec![
    ///     GameProperty::new("mode", "ranked"),
    ///     GameProperty::new("map.name", "harbor"),
    /// ]);
    /// let index = SearchIndex::of(&Default::default(), [&session]);
    ///
    /// let ranked: FilterExpression = "gameSessionProperties.mode = 'ranked'".parse()?;
    /// assert!(ranked.matches(&session, &index));
    /// // A period key is never indexed: the condition reads it as absent.
    /// let harbor: FilterExpression = "gameSessionProperties.map.name = 'harbor'".parse()?;
    /// assert!(!harbor.matches(&session, &index));
    /// let not_harbor: FilterExpression = "gameSessionProperties.map.name <> 'harbor'".parse()?;
    /// assert!(not_harbor.matches(&session, &index));
    /// # Ok::<(), gamelift_session::search::ExpressionError>(())
    /// ```
    #[must_use]
    pub fn matches(&self, session: &GameSession, index: &SearchIndex) -> bool {
        self.eval(session, &|key: &str| index.holds(key))
    }

    pub(crate) fn eval(&self, session: &GameSession, held: &impl Fn(&str) -> bool) -> bool {
        match self {
            FilterExpression::Condition(c) => c.eval(session, held),
            FilterExpression::Not(x) => !x.eval(session, held),
            FilterExpression::And(l, r) => l.eval(session, held) && r.eval(session, held),
            FilterExpression::Or(l, r) => l.eval(session, held) || r.eval(session, held),
        }
    }

    /// Every property key a condition of this filter reads.
    pub(crate) fn property_keys<'f>(&'f self, keys: &mut Vec<&'f str>) {
        match self {
            FilterExpression::Condition(c) => {
                if let Operand::Property(key) = c.operand() {
                    keys.push(key.as_str());
                }
            }
            FilterExpression::Not(x) => x.property_keys(keys),
            FilterExpression::And(l, r) | FilterExpression::Or(l, r) => {
                l.property_keys(keys);
                r.property_keys(keys);
            }
        }
    }
}

/// What reading an operand costs: members held in the session itself come
/// first, then the time (a date computation), then strings behind a
/// pointer, then properties (a list to walk, and two strings).
pub(crate) fn cost(filter: &FilterExpression) -> u32 {
    match filter {
        FilterExpression::Condition(c) => match c.operand() {
            Operand::MaximumSessions
            | Operand::PlayerSessionCount
            | Operand::HasAvailablePlayerSessions => 0,
            Operand::CreationTimeMillis => 1,
            Operand::GameSessionId | Operand::GameSessionName => 2,
            Operand::Property(_) => 3,
        },
        FilterExpression::Not(x) => cost(x),
        FilterExpression::And(l, r) | FilterExpression::Or(l, r) => cost(l) + cost(r),
    }
}

impl FilterExpression {
    /// The same filter with the terms of each `AND` and each `OR` chain
    /// reordered cheapest first. Evaluation has no side effects and the
    /// logic is two-valued, so the order changes only how soon a chain is
    /// decided: a session failing `maximumSessions >= 8` is rejected before
    /// its properties are read.
    pub(crate) fn cheapest_first(&self) -> FilterExpression {
        match self {
            FilterExpression::Condition(_) => self.clone(),
            FilterExpression::Not(x) => !x.cheapest_first(),
            FilterExpression::And(..) => rebuild(self, true),
            FilterExpression::Or(..) => rebuild(self, false),
        }
    }
}

/// Flattens the chain of `AND`s (or `OR`s) at `filter`, orders its terms by
/// cost (ties keep their order), and joins them again.
fn rebuild(filter: &FilterExpression, and: bool) -> FilterExpression {
    fn terms<'f>(f: &'f FilterExpression, and: bool, out: &mut Vec<&'f FilterExpression>) {
        match (f, and) {
            (FilterExpression::And(l, r), true) | (FilterExpression::Or(l, r), false) => {
                terms(l, and, out);
                terms(r, and, out);
            }
            _ => out.push(f),
        }
    }
    let mut chain = Vec::new();
    terms(filter, and, &mut chain);
    let mut chain: Vec<FilterExpression> = chain
        .into_iter()
        .map(FilterExpression::cheapest_first)
        .collect();
    chain.sort_by_cached_key(cost);
    let mut terms = chain.into_iter();
    let first = terms.next().unwrap_or_else(|| filter.clone());
    terms.fold(first, |acc, t| if and { acc.and(t) } else { acc.or(t) })
}
