//! The search index: which game property keys a search can see.
//!
//! GameLift indexes at most 500 distinct property keys across a Region and
//! never a key containing a period; a key it does not index cannot be
//! searched or sorted on, and is left out of the sessions a search returns.

use std::collections::{HashMap, HashSet};

use crate::model::limits::Limits;
use crate::model::shapes::{GameSession, is_searchable_key};

/// The property keys a search can see, admitted in the order they first
/// appear, up to [`Limits::max_search_index_keys`].
///
/// The embedder keeps one next to its sessions and records every session it
/// creates or updates; keys are never removed, as properties never are.
/// [`SearchIndex::left_out`] names the searchable keys that came after the
/// index was full.
///
/// ```
/// use gamelift_session::{GameProperty, GameSession, Limits, search::SearchIndex};
///
/// let mut limits = Limits::AWS;
/// limits.max_search_index_keys = 2;
/// let mut session = GameSession::default();
/// session.game_properties = Some(vec![
///     GameProperty::new("mode", "ranked"),
///     GameProperty::new("map.name", "harbor"),
///     GameProperty::new("region", "eu"),
///     GameProperty::new("skill", "gold"),
/// ]);
/// let mut index = SearchIndex::new(&limits);
/// index.record(&session);
/// assert!(index.holds("mode") && index.holds("region"));
/// assert!(!index.holds("map.name"), "a period key is never indexed");
/// assert!(!index.holds("skill"), "the index was full");
/// assert_eq!(index.left_out().collect::<Vec<_>>(), ["skill"]);
/// ```
#[derive(Debug, Clone)]
pub struct SearchIndex {
    capacity: usize,
    /// Each held key, with its place in the order of admission: the id
    /// rows of a [`SessionTable`](super::SessionTable) name it by.
    held: HashMap<String, u16>,
    /// The held keys by id.
    names: Vec<String>,
    left_out: Vec<String>,
    left_out_set: HashSet<String>,
}

impl SearchIndex {
    /// An empty index holding up to `limits.max_search_index_keys` keys.
    #[must_use]
    pub fn new(limits: &Limits) -> Self {
        SearchIndex {
            capacity: limits.max_search_index_keys,
            held: HashMap::new(),
            names: Vec::new(),
            left_out: Vec::new(),
            left_out_set: HashSet::new(),
        }
    }

    /// Forgets every key; the capacity stays.
    pub fn clear(&mut self) {
        self.held.clear();
        self.names.clear();
        self.left_out.clear();
        self.left_out_set.clear();
    }

    /// An index of `sessions`' keys, recorded in the order given.
    #[must_use]
    pub fn of<'s>(limits: &Limits, sessions: impl IntoIterator<Item = &'s GameSession>) -> Self {
        let mut index = SearchIndex::new(limits);
        for session in sessions {
            index.record(session);
        }
        index
    }

    /// Admits the searchable keys of `session` it does not hold yet, while
    /// there is room; notes the others as left out.
    pub fn record(&mut self, session: &GameSession) {
        for property in session.game_properties() {
            self.record_key(&property.key);
        }
    }

    /// Whether recording `session` would change nothing: each of its
    /// searchable keys is held already, or already left out. An embedder
    /// that shares the index (behind an `Arc`, say) copies it only when
    /// this is false.
    ///
    /// ```
    /// use gamelift_session::{GameProperty, GameSession, Limits, search::SearchIndex};
    ///
    /// let mut session = GameSession::default();
    /// session.game_properties = Some(vec![GameProperty::new("mode", "ranked")]);
    /// let mut index = SearchIndex::new(&Limits::AWS);
    /// assert!(!index.has_recorded(&session));
    /// index.record(&session);
    /// assert!(index.has_recorded(&session));
    /// ```
    #[must_use]
    pub fn has_recorded(&self, session: &GameSession) -> bool {
        session
            .game_properties()
            .iter()
            .all(|p| self.has_recorded_key(&p.key))
    }

    /// Admits one key, as [`SearchIndex::record`] does.
    pub fn record_key(&mut self, key: &str) {
        if !is_searchable_key(key) || self.held.contains_key(key) {
            return;
        }
        // Ids are u16: an index never holds more keys than that, whatever
        // its capacity says.
        if self.held.len() < self.capacity
            && let Ok(id) = u16::try_from(self.held.len())
        {
            self.held.insert(key.to_owned(), id);
            self.names.push(key.to_owned());
        } else if self.left_out_set.insert(key.to_owned()) {
            self.left_out.push(key.to_owned());
        }
    }

    /// Whether a search can see the property `key`.
    #[must_use]
    pub fn holds(&self, key: &str) -> bool {
        self.held.contains_key(key)
    }

    /// The id of a held key: its place in the order of admission.
    pub(crate) fn id(&self, key: &str) -> Option<u16> {
        self.held.get(key).copied()
    }

    /// The held key with this id.
    pub(crate) fn name(&self, id: u16) -> Option<&str> {
        self.names.get(usize::from(id)).map(String::as_str)
    }

    /// Whether recording `key` would change nothing, as
    /// [`SearchIndex::has_recorded`] asks of each key.
    pub(crate) fn has_recorded_key(&self, key: &str) -> bool {
        !is_searchable_key(key) || self.held.contains_key(key) || self.left_out_set.contains(key)
    }

    /// How many keys the index holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.held.len()
    }

    /// Whether the index holds no key.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    /// The searchable keys that came after the index was full, in the order
    /// they first appeared.
    pub fn left_out(&self) -> impl ExactSizeIterator<Item = &str> {
        self.left_out.iter().map(String::as_str)
    }

    /// Whether every property of `session` is one the index holds, so that
    /// a search shows it whole.
    pub(crate) fn holds_all(&self, session: &GameSession) -> bool {
        session.game_properties().iter().all(|p| self.holds(&p.key))
    }

    /// `session` without the properties the index does not hold.
    pub(crate) fn visible(&self, session: &GameSession) -> GameSession {
        let mut visible = session.clone();
        if let Some(properties) = visible.game_properties.as_mut() {
            properties.retain(|p| self.holds(&p.key));
        }
        visible
    }
}

impl PartialEq for SearchIndex {
    /// The same capacity, the same keys held and the same keys left out,
    /// in the same order; the ids rows name held keys by are not compared.
    fn eq(&self, other: &Self) -> bool {
        self.capacity == other.capacity
            && self.left_out == other.left_out
            && self.held.len() == other.held.len()
            && self.held.keys().all(|k| other.held.contains_key(k))
    }
}

impl Eq for SearchIndex {}

impl Default for SearchIndex {
    /// An empty index under [`Limits::AWS`]: 500 keys.
    fn default() -> Self {
        SearchIndex::new(&Limits::AWS)
    }
}
