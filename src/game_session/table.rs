//! [`SessionTable`]: game sessions in creation order, with the compact
//! rows searches scan and the search index, kept up to date by the only
//! way in which a stored session can change.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::paging;
use crate::model::shapes::GameSessionDetail;
use crate::search::{
    Chunk, Plan, RowRef, SearchGameSessionsOutput, SearchIndex, Strings, ValidatedSearch,
};

/// Rows per chunk: what a write copies when a prepared search still holds
/// the chunk.
const CHUNK: usize = 64;

/// The game sessions an embedder stores, in creation order, searchable
/// without reading them.
///
/// Beside each session the table keeps a compact row of what searches read
/// (fleet, location, status, counts, policy, creation time, name, and the
/// properties the [`SearchIndex`] holds, its strings as counted ids), and
/// the index itself. A session changes only through
/// [`SessionTable::modify`], which rebuilds its row and records its keys
/// when the change is done, so an update, a join, an expired reservation,
/// a status change or a termination reaches the search whatever code
/// made it. A search ([`SessionTable::search`]) scans the rows and reads a
/// session only to answer it, or to sort on one of its strings; it returns
/// exactly what [`search_game_sessions`](crate::search::search_game_sessions)
/// returns over the same sessions and index.
///
/// Rows and sessions are shared, in chunks of 64 rows, with the searches
/// [`SessionTable::prepare`] hands out: a prepared search owns what it
/// reads and runs without the table (on another thread, outside a lock),
/// and a change to a chunk or a session it holds writes a new copy, so it
/// sees each session as it was when it was prepared.
///
/// ```
/// use gamelift_session::{
///     GameProperty, GameSession, GameSessionDetail, GameSessionStatus, Limits, SessionTable,
///     model::PlayerSessionCreationPolicy, search::SearchGameSessionsInput,
/// };
///
/// let mut table = SessionTable::new(&Limits::AWS);
/// for n in 1..=3 {
///     let mut s = GameSession::default();
///     s.game_session_id = Some(format!("gs-{n}"));
///     s.fleet_id = Some("fleet-1".to_owned());
///     s.status = Some(GameSessionStatus::Active);
///     s.maximum_player_session_count = Some(4);
///     s.player_session_creation_policy = Some(PlayerSessionCreationPolicy::AcceptAll);
///     s.game_properties = Some(vec![GameProperty::new("mode", "ranked")]);
///     table.insert(GameSessionDetail::new(s, None)).expect("a new id");
/// }
/// // Every change goes through `modify`, so the next search sees it.
/// let second = table.position("gs-2").expect("stored");
/// table.modify(second, |detail| {
///     if let Some(s) = detail.game_session.as_mut() {
///         s.current_player_session_count = Some(4);
///     }
/// });
/// let input = SearchGameSessionsInput::for_fleet("fleet-1")
///     .filter("gameSessionProperties.mode = 'ranked' AND hasAvailablePlayerSessions = true");
/// let page = table.search(&input.validate()?, None)?;
/// let ids: Vec<_> = page
///     .game_sessions
///     .iter()
///     .flatten()
///     .map(|s| s.game_session_id.as_deref())
///     .collect();
/// assert_eq!(ids, [Some("gs-1"), Some("gs-3")]);
/// # Ok::<(), gamelift_session::GameLiftError>(())
/// ```
#[derive(Clone)]
pub struct SessionTable {
    chunks: Vec<Arc<Chunk>>,
    /// Rows in `chunks`, dead ones included: the places handed out.
    len: usize,
    /// Rows whose session was removed, waiting for compaction.
    dead: usize,
    by_id: HashMap<String, usize>,
    index: Arc<SearchIndex>,
    strings: Strings,
}

impl fmt::Debug for SessionTable {
    /// The size of the table, never its sessions' values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionTable")
            .field("sessions", &self.len())
            .field("indexed_keys", &self.index.len())
            .field("strings", &self.strings.len())
            .finish_non_exhaustive()
    }
}

impl Default for SessionTable {
    /// An empty table under [`Limits::AWS`].
    fn default() -> Self {
        SessionTable::new(&Limits::AWS)
    }
}

impl SessionTable {
    /// An empty table whose index holds up to
    /// `limits.max_search_index_keys` keys.
    #[must_use]
    pub fn new(limits: &Limits) -> Self {
        SessionTable {
            chunks: Vec::new(),
            len: 0,
            dead: 0,
            by_id: HashMap::new(),
            index: Arc::new(SearchIndex::new(limits)),
            strings: Strings::default(),
        }
    }

    /// How many sessions the table holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len - self.dead
    }

    /// Whether the table holds no session.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The property keys searches of this table can see.
    #[must_use]
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The place of the session with this `GameSessionId`.
    #[must_use]
    pub fn position(&self, game_session_id: &str) -> Option<usize> {
        self.by_id.get(game_session_id).copied()
    }

    /// The session at `position` (its place in creation order); `None`
    /// past the end and for a session removed.
    #[must_use]
    pub fn get(&self, position: usize) -> Option<&GameSessionDetail> {
        let chunk = self.chunks.get(position / CHUNK)?;
        chunk
            .get(position % CHUNK)
            .filter(|r| !r.row.is_dead())
            .map(|r| &*r.row.detail)
    }

    /// The session with this `GameSessionId`.
    #[must_use]
    pub fn find(&self, game_session_id: &str) -> Option<&GameSessionDetail> {
        self.get(self.position(game_session_id)?)
    }

    /// Every session, in creation order.
    pub fn iter(&self) -> impl Iterator<Item = &GameSessionDetail> + Clone {
        rows(&self.chunks, self.len)
            .filter(|r| !r.row.is_dead())
            .map(|r| &*r.row.detail)
    }

    /// Adds a session after the others, recording its keys in the index;
    /// answers its place. A session whose `GameSessionId` the table holds
    /// already is handed back, the table unchanged.
    ///
    /// # Errors
    ///
    /// The detail itself, when its id is taken.
    pub fn insert(&mut self, detail: GameSessionDetail) -> Result<usize, Box<GameSessionDetail>> {
        let id = detail
            .game_session
            .as_ref()
            .and_then(|s| s.game_session_id.clone());
        if let Some(id) = &id
            && self.by_id.contains_key(id)
        {
            return Err(Box::new(detail));
        }
        let position = self.len;
        if let Some(id) = id {
            self.by_id.insert(id, position);
        }
        if self.chunks.last().is_none_or(|c| c.len() >= CHUNK) {
            self.chunks.push(Arc::default());
        }
        if let Some(chunk) = self.chunks.last_mut() {
            Arc::make_mut(chunk).push(Arc::new(detail), &mut self.index, &mut self.strings);
        }
        self.len += 1;
        Ok(position)
    }

    /// Changes the session at `position` with `change`, then rebuilds its
    /// row and records its keys: the one way a stored session changes.
    /// Answers what `change` answers; `None` when there is no such session.
    ///
    /// A change of `GameSessionId` (which no operation makes) moves the
    /// session's entry in the id map, a walk of the whole map (a session
    /// that has no id, and had none, costs nothing); an id
    /// another session holds is then found at this one.
    pub fn modify<R>(
        &mut self,
        position: usize,
        change: impl FnOnce(&mut GameSessionDetail) -> R,
    ) -> Option<R> {
        let chunk = Arc::make_mut(self.chunks.get_mut(position / CHUNK)?);
        let i = position % CHUNK;
        if chunk.get(i).is_none_or(|r| r.row.is_dead()) {
            return None;
        }
        let had_id = chunk.get(i).is_some_and(|r| r.row.has_id());
        let detail = chunk.detail_mut(i)?;
        let answer = change(detail);
        let detail: &GameSessionDetail = detail;
        let id = detail
            .game_session
            .as_ref()
            .and_then(|s| s.game_session_id.as_deref());
        // The id is kept unless `change` changed it: then the entry that
        // pointed here goes, and the new id points here.
        let moved = match id {
            Some(id) => self.by_id.get(id) != Some(&position),
            None => had_id,
        };
        if moved {
            self.by_id.retain(|_, at| *at != position);
            if let Some(id) = id {
                self.by_id.insert(id.to_owned(), position);
            }
        }
        chunk.rebuild(i, &mut self.index, &mut self.strings);
        Some(answer)
    }

    /// Removes the session at `position` and answers it; `None` when there
    /// is none. Its strings are let go; the keys it brought stay in the
    /// index, as the service's index keeps them.
    ///
    /// The place is left empty until enough places are (as many as hold
    /// sessions, and at least 64): then the table closes the gaps, and
    /// every later session moves to a lower place. So a place is good only
    /// until the next removal: hold ids, and find their places again with
    /// [`SessionTable::position`]. A removal costs O(1) amortized.
    ///
    /// ```
    /// use gamelift_session::{GameSession, GameSessionDetail, SessionTable};
    ///
    /// let mut table = SessionTable::default();
    /// for n in 1..=3 {
    ///     let mut s = GameSession::default();
    ///     s.game_session_id = Some(format!("gs-{n}"));
    ///     table.insert(GameSessionDetail::new(s, None)).expect("a new id");
    /// }
    /// let second = table.position("gs-2").expect("stored");
    /// let removed = table.remove(second).expect("a session");
    /// assert_eq!(removed.game_session.and_then(|s| s.game_session_id).as_deref(), Some("gs-2"));
    /// assert_eq!(table.len(), 2);
    /// assert!(table.find("gs-2").is_none());
    /// assert!(table.find("gs-3").is_some());
    /// ```
    pub fn remove(&mut self, position: usize) -> Option<GameSessionDetail> {
        let chunk = Arc::make_mut(self.chunks.get_mut(position / CHUNK)?);
        let detail = chunk.kill(position % CHUNK, &mut self.strings)?;
        self.dead += 1;
        if let Some(id) = detail
            .game_session
            .as_ref()
            .and_then(|s| s.game_session_id.as_deref())
            && self.by_id.get(id) == Some(&position)
        {
            self.by_id.remove(id);
        }
        if self.dead >= CHUNK && self.dead * 2 >= self.len {
            self.compact();
        }
        Some(Arc::unwrap_or_clone(detail))
    }

    /// Closes the gaps removed sessions left: the live rows move down, in
    /// order, their strings still held, and the id map follows them.
    fn compact(&mut self) {
        let mut chunks: Vec<Arc<Chunk>> = Vec::with_capacity(self.len().div_ceil(CHUNK));
        let mut len = 0;
        for row in rows(&self.chunks, self.len).filter(|r| !r.row.is_dead()) {
            if chunks.last().is_none_or(|c| c.len() >= CHUNK) {
                chunks.push(Arc::default());
            }
            if let Some(chunk) = chunks.last_mut() {
                Arc::make_mut(chunk).push_moved(row);
            }
            if let Some(id) = row.row.session().and_then(|s| s.game_session_id.as_deref())
                && let Some(at) = self.by_id.get_mut(id)
            {
                *at = len;
            }
            len += 1;
        }
        self.chunks = chunks;
        self.len = len;
        self.dead = 0;
        // The map of ids gives back the room of the sessions that went.
        if self.by_id.capacity() > 64 && self.by_id.len() * 4 < self.by_id.capacity() {
            self.by_id.shrink_to_fit();
        }
    }

    /// Forgets every session and every key; the index's capacity stays.
    pub fn clear(&mut self) {
        self.chunks.clear();
        self.len = 0;
        self.dead = 0;
        self.by_id.clear();
        Arc::make_mut(&mut self.index).clear();
        self.strings = Strings::default();
    }

    /// One page of the search, over the rows: the same answer as
    /// [`ValidatedSearch::select`] over [`SessionTable::iter`]'s sessions
    /// and [`SessionTable::index`].
    ///
    /// # Errors
    ///
    /// As [`ValidatedSearch::select`]: a `NextToken` naming no session of
    /// the table, or an alias the caller could not resolve (`alias_fleet`
    /// is `None`).
    pub fn search(
        &self,
        search: &ValidatedSearch<'_>,
        alias_fleet: Option<&str>,
    ) -> Result<SearchGameSessionsOutput<'_>, GameLiftError> {
        let plan = self.plan(search, alias_fleet)?;
        Ok(plan.run(rows(&self.chunks, self.len), &self.index))
    }

    /// The search resolved against the table as it is now, to run later
    /// without it ([`PreparedSearch::run`]). Preparing copies one handle
    /// per 64 sessions; nothing the table does afterwards changes what the
    /// prepared search finds.
    ///
    /// ```
    /// use gamelift_session::{
    ///     GameSession, GameSessionDetail, GameSessionStatus, SessionTable,
    ///     search::SearchGameSessionsInput,
    /// };
    ///
    /// let mut table = SessionTable::default();
    /// let mut s = GameSession::default();
    /// s.game_session_id = Some("gs-1".to_owned());
    /// s.fleet_id = Some("fleet-1".to_owned());
    /// s.status = Some(GameSessionStatus::Active);
    /// table.insert(GameSessionDetail::new(s, None)).expect("a new id");
    ///
    /// let input = SearchGameSessionsInput::for_fleet("fleet-1");
    /// let prepared = table.prepare(&input.validate()?, None)?;
    /// // The session ends after the search was prepared: the search still
    /// // sees it as it was.
    /// table.modify(0, |d| {
    ///     if let Some(s) = d.game_session.as_mut() {
    ///         s.status = Some(GameSessionStatus::Terminated);
    ///     }
    /// });
    /// let found = std::thread::spawn(move || prepared.run().game_sessions.map_or(0, |g| g.len()))
    ///     .join()
    ///     .expect("the search");
    /// assert_eq!(found, 1);
    /// assert!(table.search(&input.validate()?, None)?.game_sessions.is_some_and(|g| g.is_empty()));
    /// # Ok::<(), gamelift_session::GameLiftError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`SessionTable::search`].
    pub fn prepare(
        &self,
        search: &ValidatedSearch<'_>,
        alias_fleet: Option<&str>,
    ) -> Result<PreparedSearch, GameLiftError> {
        Ok(PreparedSearch {
            plan: self.plan(search, alias_fleet)?,
            chunks: self.chunks.clone(),
            len: self.len,
            index: Arc::clone(&self.index),
        })
    }

    fn plan(
        &self,
        search: &ValidatedSearch<'_>,
        alias_fleet: Option<&str>,
    ) -> Result<Plan, GameLiftError> {
        let fleet = search.fleet(alias_fleet)?;
        let input = search.input();
        let after = match input.next_token.as_deref() {
            Some(token) => Some((
                self.position(token)
                    .ok_or_else(|| paging::invalid_token(token))?,
                token.to_owned(),
            )),
            None => None,
        };
        Ok(Plan::new(
            search,
            fleet,
            after,
            &self.index,
            &self.strings,
            &|id| self.position(id),
        ))
    }
}

/// A search resolved against a [`SessionTable`] and holding what it reads
/// ([`SessionTable::prepare`]): `Send`, `'static`, and unchanged by
/// anything the table does after.
#[derive(Clone)]
pub struct PreparedSearch {
    plan: Plan,
    chunks: Vec<Arc<Chunk>>,
    len: usize,
    index: Arc<SearchIndex>,
}

impl fmt::Debug for PreparedSearch {
    /// The plan's shape and size, never a searched value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedSearch")
            .field("sessions", &self.len)
            .finish_non_exhaustive()
    }
}

impl PreparedSearch {
    /// One page of the search over the sessions as they were prepared.
    #[must_use]
    pub fn run(&self) -> SearchGameSessionsOutput<'_> {
        self.plan.run(rows(&self.chunks, self.len), &self.index)
    }
}

/// The rows of `chunks`, `len` of them, in order.
fn rows(chunks: &[Arc<Chunk>], len: usize) -> Rows<impl Iterator<Item = RowRef<'_>> + Clone> {
    Rows {
        rows: chunks.iter().flat_map(|c| c.iter()),
        left: len,
    }
}

/// The rows of a table, with their count known.
#[derive(Clone)]
struct Rows<I> {
    rows: I,
    left: usize,
}

impl<'t, I: Iterator<Item = RowRef<'t>>> Iterator for Rows<I> {
    type Item = RowRef<'t>;

    fn next(&mut self) -> Option<RowRef<'t>> {
        let row = self.rows.next()?;
        self.left = self.left.saturating_sub(1);
        Some(row)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<'t, I: Iterator<Item = RowRef<'t>>> ExactSizeIterator for Rows<I> {}
