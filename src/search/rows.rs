//! Compact rows of what searches read, and the search over them.
//!
//! A [`Row`] holds, for one session, the members a search filters, sorts
//! and pages on (status, fleet, location, name, counts, policy, creation
//! time, and the properties the index holds) as numbers: strings are ids
//! of the table's [`Strings`]. A [`Plan`] is a search resolved against the
//! table once (the fleet, the location, each literal and each key to its
//! id, the token to a place), so the scan compares numbers and reads a
//! session only to answer it or to sort on one of its strings. The rules
//! are the reference's own: the comparators ([`Comparator::holds`]),
//! `hasAvailablePlayerSessions`, the index's keys, the paging.

use std::cmp::Ordering;
use std::sync::Arc;

use super::eval::{Key, has_available_player_sessions};
use super::expression::{Comparator, FilterExpression, Operand, SortExpression, Value};
use super::index::SearchIndex;
use super::intern::{NONE, Strings};
use super::request::{SearchGameSessionsOutput, ValidatedSearch, sorted_page, visible_page};
use crate::model::enums::GameSessionStatus;
use crate::model::paging;
use crate::model::shapes::{GameSession, GameSessionDetail};
use crate::model::timestamp::to_epoch_millis;

const HAS_MAXIMUM: u8 = 1;
const HAS_CURRENT: u8 = 1 << 1;
const HAS_CREATION: u8 = 1 << 2;
const AVAILABLE: u8 = 1 << 3;
const HAS_ID: u8 = 1 << 4;
/// The row's session was removed; the row waits for the table's compaction.
const DEAD: u8 = 1 << 5;

/// One session as a search reads it: 40 bytes, beside a handle on the
/// session itself; its visible properties are in its chunk's list.
#[derive(Clone)]
pub(crate) struct Row {
    pub(crate) detail: Arc<GameSessionDetail>,
    creation_millis: i64,
    maximum: i32,
    current: i32,
    fleet: u32,
    location: u32,
    /// Where the visible properties start in the chunk's list.
    properties: u32,
    /// How many visible properties the session has.
    property_count: u16,
    status: Option<GameSessionStatus>,
    flags: u8,
}

/// The rows of up to 64 sessions, and their visible properties as
/// `(key id, value id)` in one list, so that a scan reads both in order.
#[derive(Clone, Default)]
pub(crate) struct Chunk {
    rows: Vec<Row>,
    properties: Vec<(u16, u32)>,
    /// Entries of `properties` no row points at any more.
    garbage: usize,
}

/// A row with its properties.
#[derive(Clone, Copy)]
pub(crate) struct RowRef<'t> {
    pub(crate) row: &'t Row,
    properties: &'t [(u16, u32)],
}

impl Chunk {
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    pub(crate) fn get(&self, i: usize) -> Option<RowRef<'_>> {
        let row = self.rows.get(i)?;
        Some(RowRef {
            row,
            properties: self.properties_of(row),
        })
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = RowRef<'_>> + Clone {
        self.rows.iter().map(|row| RowRef {
            row,
            properties: self.properties_of(row),
        })
    }

    fn properties_of(&self, row: &Row) -> &[(u16, u32)] {
        let start = row.properties as usize;
        self.properties
            .get(start..start + usize::from(row.property_count))
            .unwrap_or_default()
    }

    /// Adds the row of `detail`, its strings acquired from `strings`.
    pub(crate) fn push(
        &mut self,
        detail: Arc<GameSessionDetail>,
        index: &mut Arc<SearchIndex>,
        strings: &mut Strings,
    ) {
        let start = self.properties.len();
        let row = Row::new(detail, None, &mut self.properties, index, strings);
        self.rows.push(Row {
            properties: u32::try_from(start).unwrap_or(u32::MAX),
            ..row
        });
    }

    /// The session of row `i`, to change; [`Chunk::rebuild`] must follow.
    pub(crate) fn detail_mut(&mut self, i: usize) -> Option<&mut GameSessionDetail> {
        self.rows
            .get_mut(i)
            .map(|row| Arc::make_mut(&mut row.detail))
    }

    /// Builds row `i` again from its session, after a change. Each string
    /// the old row held is tried first (no hashing when it is unchanged),
    /// and the new strings are acquired before the old ones are let go, so
    /// a value both hold is never freed and interned again.
    pub(crate) fn rebuild(
        &mut self,
        i: usize,
        index: &mut Arc<SearchIndex>,
        strings: &mut Strings,
    ) {
        let Some(old) = self.rows.get(i).cloned() else {
            return;
        };
        let old_count = usize::from(old.property_count);
        let old_start = old.properties as usize;
        let end = self.properties.len();
        // The new properties go at the end first, where they may read the
        // old ones for hints; then they move into the old place if they fit.
        let row = Row::new(
            Arc::clone(&old.detail),
            Some((&old, old_start..old_start + old_count)),
            &mut self.properties,
            index,
            strings,
        );
        for &(_, value) in self
            .properties
            .get(old_start..old_start + old_count)
            .unwrap_or_default()
        {
            strings.release(value);
        }
        old.release(strings);
        let count = usize::from(row.property_count);
        let start = if count <= old_count {
            self.properties.copy_within(end..end + count, old_start);
            self.properties.truncate(end);
            self.garbage += old_count - count;
            old_start
        } else {
            self.garbage += old_count;
            end
        };
        if let Some(slot) = self.rows.get_mut(i) {
            *slot = Row {
                properties: u32::try_from(start).unwrap_or(u32::MAX),
                ..row
            };
        }
        if self.garbage > 64 && self.garbage * 2 > self.properties.len() {
            self.compact();
        }
    }

    /// Removes the session of row `i`: lets go of every string the row
    /// holds and leaves a dead row in its place, which no search matches
    /// and the table skips, until the table is compacted. Answers the
    /// session; `None` when the row is dead already.
    pub(crate) fn kill(
        &mut self,
        i: usize,
        strings: &mut Strings,
    ) -> Option<Arc<GameSessionDetail>> {
        let row = self.rows.get(i).filter(|r| !r.has(DEAD))?.clone();
        let start = row.properties as usize;
        let count = usize::from(row.property_count);
        for &(_, value) in self
            .properties
            .get(start..start + count)
            .unwrap_or_default()
        {
            strings.release(value);
        }
        row.release(strings);
        self.garbage += count;
        let slot = self.rows.get_mut(i)?;
        *slot = Row {
            detail: Arc::default(),
            creation_millis: 0,
            maximum: 0,
            current: 0,
            fleet: NONE,
            location: NONE,
            properties: 0,
            property_count: 0,
            status: None,
            flags: DEAD,
        };
        Some(row.detail)
    }

    /// Adds a live row moved from another chunk, its strings still held.
    pub(crate) fn push_moved(&mut self, moved: RowRef<'_>) {
        let start = u32::try_from(self.properties.len()).unwrap_or(u32::MAX);
        self.properties.extend_from_slice(moved.properties);
        self.rows.push(Row {
            properties: start,
            ..moved.row.clone()
        });
    }

    /// Writes the properties again in row order, without the garbage.
    fn compact(&mut self) {
        let mut properties = Vec::with_capacity(self.properties.len() - self.garbage);
        for row in &mut self.rows {
            let start = row.properties as usize;
            if let Some(held) = self
                .properties
                .get(start..start + usize::from(row.property_count))
            {
                row.properties = u32::try_from(properties.len()).unwrap_or(u32::MAX);
                properties.extend_from_slice(held);
            }
        }
        self.properties = properties;
        self.garbage = 0;
    }
}

impl Row {
    /// The row of `detail`, its keys recorded in `index` (copied only when
    /// that changes it) and its strings acquired from `strings`, and its
    /// visible properties pushed onto `list`: only the keys `index` holds
    /// are kept. What `old` held (its properties at `old.1` in `list`) is
    /// tried first, so an unchanged key or value costs no hashing. The
    /// row's `properties` is for the caller to set.
    fn new(
        detail: Arc<GameSessionDetail>,
        old: Option<(&Row, std::ops::Range<usize>)>,
        list: &mut Vec<(u16, u32)>,
        index: &mut Arc<SearchIndex>,
        strings: &mut Strings,
    ) -> Self {
        let mut row = Row {
            creation_millis: 0,
            maximum: 0,
            current: 0,
            fleet: NONE,
            location: NONE,
            properties: 0,
            property_count: 0,
            status: None,
            flags: 0,
            detail,
        };
        let Some(session) = row.detail.game_session.as_ref() else {
            return row;
        };
        let hint = |pick: fn(&Row) -> u32| old.as_ref().map_or(NONE, |(r, _)| pick(r));
        let mut acquire =
            |s: Option<&str>, hint: u32| s.map_or(NONE, |s| strings.acquire_as(s, hint));
        let fleet = acquire(session.fleet_id.as_deref(), hint(|r| r.fleet));
        let location = acquire(session.location.as_deref(), hint(|r| r.location));
        let old_properties = old.map(|(_, range)| range).unwrap_or_default();
        let mut cursor = old_properties.start;
        let start = list.len();
        for p in session.game_properties() {
            if list.len() - start == usize::from(u16::MAX) {
                break;
            }
            // The old row's next key, when it is this one.
            let hinted = list
                .get(cursor)
                .filter(|_| cursor < old_properties.end)
                .copied()
                .filter(|&(k, _)| index.name(k) == Some(p.key.as_str()));
            let (key, hint) = if let Some(hinted) = hinted {
                cursor += 1;
                hinted
            } else {
                if index.id(&p.key).is_none() && !index.has_recorded_key(&p.key) {
                    Arc::make_mut(index).record_key(&p.key);
                }
                let Some(key) = index.id(&p.key) else {
                    continue;
                };
                (key, NONE)
            };
            let value = strings.acquire_as(&p.value, hint);
            list.push((key, value));
        }
        let mut flags = 0;
        let mut set = |flag: u8, on: bool| {
            if on {
                flags |= flag;
            }
        };
        let creation = session
            .creation_time
            .and_then(|t| i64::try_from(to_epoch_millis(t)).ok());
        set(HAS_CREATION, creation.is_some());
        set(HAS_MAXIMUM, session.maximum_player_session_count.is_some());
        set(HAS_CURRENT, session.current_player_session_count.is_some());
        set(AVAILABLE, has_available_player_sessions(session));
        set(HAS_ID, session.game_session_id.is_some());
        let status = session.status;
        let maximum = session.maximum_player_session_count.unwrap_or(0);
        let current = session.current_player_session_count.unwrap_or(0);
        row.property_count = u16::try_from(list.len() - start).unwrap_or(u16::MAX);
        row.creation_millis = creation.unwrap_or(0);
        row.maximum = maximum;
        row.current = current;
        row.fleet = fleet;
        row.location = location;
        row.status = status;
        row.flags = flags;
        row
    }

    /// Lets go of the strings this row holds, but its properties'.
    fn release(&self, strings: &mut Strings) {
        for id in [self.fleet, self.location] {
            if id != NONE {
                strings.release(id);
            }
        }
    }

    pub(crate) fn session(&self) -> Option<&GameSession> {
        self.detail.game_session.as_ref()
    }

    /// Whether its session was removed ([`Chunk::kill`]).
    pub(crate) fn is_dead(&self) -> bool {
        self.has(DEAD)
    }

    /// Whether its session has a `GameSessionId`.
    pub(crate) fn has_id(&self) -> bool {
        self.has(HAS_ID)
    }

    fn id(&self) -> Option<&str> {
        self.session()?.game_session_id.as_deref()
    }

    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    fn number(&self, field: NumberField) -> Option<i64> {
        match field {
            NumberField::Maximum => self.has(HAS_MAXIMUM).then_some(i64::from(self.maximum)),
            NumberField::Current => self.has(HAS_CURRENT).then_some(i64::from(self.current)),
            NumberField::Creation => self.has(HAS_CREATION).then_some(self.creation_millis),
        }
    }

    /// What this row holds for `operand`, as the reference reads it from
    /// the session: strings from the session itself, the rest from here.
    fn read(&self, operand: &Operand, held: bool) -> Option<Key<'_>> {
        match operand {
            Operand::GameSessionId | Operand::GameSessionName | Operand::Property(_) => {
                let session = self.session()?;
                match operand {
                    Operand::GameSessionId => session.game_session_id.as_deref(),
                    Operand::GameSessionName => session.name.as_deref(),
                    Operand::Property(key) if held => session.game_property(key.as_str()),
                    _ => None,
                }
                .map(Key::Text)
            }
            Operand::MaximumSessions => self.number(NumberField::Maximum).map(Key::Number),
            Operand::PlayerSessionCount => self.number(NumberField::Current).map(Key::Number),
            Operand::CreationTimeMillis => self.number(NumberField::Creation).map(Key::Number),
            Operand::HasAvailablePlayerSessions => Some(Key::Boolean(self.has(AVAILABLE))),
        }
    }
}

impl RowRef<'_> {
    fn property(&self, key: u16) -> Option<u32> {
        self.properties
            .iter()
            .find(|&&(k, _)| k == key)
            .map(|&(_, v)| v)
    }
}

#[derive(Debug, Clone, Copy)]
enum NumberField {
    Maximum,
    Current,
    Creation,
}

/// A filter with every string resolved to what rows hold.
#[derive(Debug, Clone)]
enum Test {
    Number(NumberField, Comparator, i64),
    Available(Comparator, bool),
    /// `gameSessionId`: the place of the session it names, if any.
    Place(Comparator, Option<usize>),
    /// `gameSessionName`, read from the session: names are mostly one a
    /// session, so interning them would cost every rename and save little.
    Name(Comparator, String),
    /// A property: the key's id (`None` when the index does not hold it)
    /// and the value's.
    Property(Comparator, Option<u16>, u32),
    Not(Box<Test>),
    And(Box<Test>, Box<Test>),
    Or(Box<Test>, Box<Test>),
}

/// How an id a row holds (`NONE`: none) orders against the literal's:
/// strings take `=` and `<>` only, so equal or not is all there is.
fn same(held: u32, literal: u32) -> Option<Ordering> {
    (held != NONE).then_some(if held == literal {
        Ordering::Equal
    } else {
        Ordering::Greater
    })
}

impl Test {
    fn of(
        filter: &FilterExpression,
        index: &SearchIndex,
        strings: &Strings,
        place: &impl Fn(&str) -> Option<usize>,
    ) -> Test {
        let of = |f: &FilterExpression| Box::new(Test::of(f, index, strings, place));
        match filter {
            FilterExpression::Condition(c) => {
                let cmp = c.comparator();
                let text = || match c.value() {
                    Value::String(s) => Some(s.as_str()),
                    _ => None,
                };
                let number = match c.value() {
                    Value::Number(n) => *n,
                    _ => 0,
                };
                let literal = || text().and_then(|s| strings.find(s)).unwrap_or(NONE);
                match c.operand() {
                    Operand::MaximumSessions => Test::Number(NumberField::Maximum, cmp, number),
                    Operand::PlayerSessionCount => Test::Number(NumberField::Current, cmp, number),
                    Operand::CreationTimeMillis => Test::Number(NumberField::Creation, cmp, number),
                    Operand::HasAvailablePlayerSessions => {
                        Test::Available(cmp, matches!(c.value(), Value::Boolean(true)))
                    }
                    Operand::GameSessionId => Test::Place(cmp, text().and_then(place)),
                    Operand::GameSessionName => {
                        Test::Name(cmp, text().unwrap_or_default().to_owned())
                    }
                    Operand::Property(key) => {
                        Test::Property(cmp, index.id(key.as_str()), literal())
                    }
                }
            }
            FilterExpression::Not(x) => Test::Not(of(x)),
            FilterExpression::And(l, r) => Test::And(of(l), of(r)),
            FilterExpression::Or(l, r) => Test::Or(of(l), of(r)),
        }
    }

    fn eval(&self, at: usize, r: RowRef<'_>) -> bool {
        let row = r.row;
        match self {
            Test::Number(field, cmp, n) => cmp.holds(row.number(*field).map(|v| v.cmp(n))),
            Test::Available(cmp, b) => cmp.holds(Some(row.has(AVAILABLE).cmp(b))),
            Test::Place(cmp, place) => cmp.holds(row.has(HAS_ID).then(|| {
                if Some(at) == *place {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            })),
            Test::Name(cmp, name) => cmp.holds(
                row.session()
                    .and_then(|s| s.name.as_deref())
                    .map(|n| n.cmp(name.as_str())),
            ),
            Test::Property(cmp, key, id) => cmp.holds(
                key.and_then(|k| r.property(k))
                    .and_then(|held| same(held, *id)),
            ),
            Test::Not(x) => !x.eval(at, r),
            Test::And(a, b) => a.eval(at, r) && b.eval(at, r),
            Test::Or(a, b) => a.eval(at, r) || b.eval(at, r),
        }
    }
}

/// A search resolved against one table: owned, small, and enough with the
/// table's rows to run the scan.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// The fleet's id; `None` when no row names the fleet, or the request
    /// names a location no row names, so that nothing matches.
    fleet: Option<u32>,
    location: Option<u32>,
    test: Option<Test>,
    sort: Option<(SortExpression, bool)>,
    /// The place of the session the token names.
    after: Option<(usize, String)>,
    page_size: usize,
}

impl Plan {
    /// Resolves `search` for `fleet` (its fleet, or its alias's), with
    /// the token resolved to `after`; `place` finds a session's place by
    /// id. The filter is the plan the reference evaluates (cheapest first:
    /// a property's list is read last).
    pub(crate) fn new(
        search: &ValidatedSearch<'_>,
        fleet: &str,
        after: Option<(usize, String)>,
        index: &SearchIndex,
        strings: &Strings,
        place: &impl Fn(&str) -> Option<usize>,
    ) -> Plan {
        let location = search.input().location.as_deref().map(|l| strings.find(l));
        Plan {
            fleet: strings.find(fleet).filter(|_| location != Some(None)),
            location: location.flatten(),
            test: search.plan().map(|f| Test::of(f, index, strings, place)),
            sort: search.sort().map(|s| {
                let held = match &s.operand {
                    Operand::Property(key) => index.holds(key.as_str()),
                    _ => true,
                };
                (s.clone(), held)
            }),
            after,
            page_size: search.page_size(),
        }
    }

    fn matches(&self, at: usize, r: RowRef<'_>) -> bool {
        let Some(fleet) = self.fleet else {
            return false;
        };
        let row = r.row;
        row.status == Some(GameSessionStatus::Active)
            && row.fleet == fleet
            && self.location.is_none_or(|l| l == row.location)
            && self.test.as_ref().is_none_or(|t| t.eval(at, r))
    }

    /// One page of `rows` (every row of the table, in order), with the
    /// properties the index does not hold left out.
    pub(crate) fn run<'t>(
        &self,
        rows: impl Iterator<Item = RowRef<'t>>,
        index: &SearchIndex,
    ) -> SearchGameSessionsOutput<'t> {
        let id = |(_, r): (usize, RowRef<'t>)| r.row.id().map(str::to_owned);
        let (page, next_token) = match &self.sort {
            None => {
                let start = self.after.as_ref().map_or(0, |(at, _)| at + 1);
                paging::take_page(
                    rows.enumerate()
                        .skip(start)
                        .filter(|&(at, row)| self.matches(at, row)),
                    self.page_size,
                    |&item| id(item),
                )
            }
            Some((sort, held)) => {
                let cursor = self.after.as_ref().map(|(at, _)| *at);
                let token = self.after.as_ref().map(|(_, t)| t.as_str());
                // The token was resolved to a place, so the cursor is found.
                sorted_page(
                    rows.enumerate(),
                    |(at, row)| self.matches(at, row),
                    |(at, _)| Some(at) == cursor,
                    |(_, r)| r.row.read(&sort.operand, *held),
                    sort,
                    token,
                    id,
                    self.page_size,
                )
                .unwrap_or_default()
            }
        };
        visible_page(
            page.into_iter().filter_map(|(_, r)| r.row.session()),
            index,
            next_token,
        )
    }
}
