//! The update itself: validate, find, gate on status, merge, apply, report.
//!
//! Every rule of SPEC section 4 lives here, in one implementation that both
//! forms share. An update is planned against the session first (id, status,
//! property positions, the merged count); only a plan that passes every
//! check is committed, and committing cannot fail. So an error always
//! leaves the session exactly as it was, and the value form is the
//! in-place form run on a copy.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use crate::game_session::request::{GameSessionOutput, UpdateGameSessionInput};
use crate::model::echo::Echo;
use crate::model::enums::{GameSessionStatus, PlayerSessionCreationPolicy, ProtectionPolicy};
use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::shapes::{
    GameProperty, GameSession, GameSessionDetail, REDACTED, is_searchable_key,
};
use crate::model::validate::{Constraint, FieldPath, ValidationErrors, Validator, Violation};

/// Applies `input` to a copy of `detail` under AWS's limits and returns the
/// new detail with what changed. Under other limits:
/// `input.validate_with(&limits)?.apply_to(&detail)`.
///
/// # Errors
///
/// In the order the service checks: `InvalidRequestException` listing every
/// violation of the request ([`GameLiftError::Validation`]);
/// `NotFoundException` when `detail` is not the requested session
/// ([`GameLiftError::GameSessionMismatch`]); `InvalidGameSessionStatusException`
/// unless the session is `ACTIVE`; `InvalidRequestException` when the merged
/// properties would exceed the limit ([`GameLiftError::TooManyGameProperties`]).
///
/// # Example
///
/// ```
/// use gamelift_session::{
///     GameSession, GameSessionDetail, GameSessionStatus, UpdateGameSessionInput, update_game_session,
/// };
///
/// let mut session = GameSession::default();
/// session.game_session_id = Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1".into());
/// session.status = Some(GameSessionStatus::Active);
/// let detail = GameSessionDetail::new(session, None);
///
/// let input = UpdateGameSessionInput::new("arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1")
///     .game_property("difficulty", "novice");
/// let outcome = update_game_session(&detail, &input)?;
/// let session = outcome.detail().game_session.as_ref().unwrap();
/// assert_eq!(session.game_property("difficulty"), Some("novice"));
///
/// let bad = UpdateGameSessionInput::new("arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1")
///     .maximum_player_session_count(-1);
/// let err = update_game_session(&detail, &bad).unwrap_err();
/// assert_eq!(err.code(), "InvalidRequestException");
/// assert_eq!(
///     err.to_string(),
///     "1 validation error detected: Value '-1' at 'maximumPlayerSessionCount' \
///      failed to satisfy constraint: Member must have value greater than or equal to 0"
/// );
/// # Ok::<(), gamelift_session::GameLiftError>(())
/// ```
pub fn update_game_session<'a>(
    detail: &GameSessionDetail,
    input: &'a UpdateGameSessionInput,
) -> Result<UpdateOutcome<'a>, GameLiftError> {
    input.validate()?.apply_to(detail)
}

/// Applies `input` to `detail` in place, under AWS's limits: all or nothing.
/// Under other limits: `input.validate_with(&limits)?.apply(&mut detail)`.
///
/// For embedders that keep sessions in their own store and must not pay for
/// a copy. On success `detail` holds the new state and the report says what
/// changed; on error `detail` is exactly as it was.
///
/// # Errors
///
/// As [`update_game_session`].
///
/// # Example
///
/// ```
/// use gamelift_session::{
///     GameSession, GameSessionDetail, GameSessionStatus, UpdateGameSessionInput,
///     game_session::update_game_session_in_place,
/// };
///
/// let id = "arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1";
/// let mut session = GameSession::default();
/// session.game_session_id = Some(id.into());
/// session.status = Some(GameSessionStatus::Terminated);
/// let mut detail = GameSessionDetail::new(session, None);
/// let before = detail.clone();
///
/// let err = update_game_session_in_place(&mut detail, &UpdateGameSessionInput::new(id).name("x"))
///     .unwrap_err();
/// assert_eq!(err.code(), "InvalidGameSessionStatusException");
/// assert_eq!(detail, before);
/// ```
pub fn update_game_session_in_place<'a>(
    detail: &mut GameSessionDetail,
    input: &'a UpdateGameSessionInput,
) -> Result<UpdateReport<'a>, GameLiftError> {
    input.validate()?.apply(detail)
}

impl UpdateGameSessionInput {
    /// Validates this request under AWS's limits.
    ///
    /// # Errors
    ///
    /// [`GameLiftError::Validation`] (`InvalidRequestException`) with every
    /// violation, in the order of the shape's members.
    pub fn validate(&self) -> Result<ValidatedUpdate<'_>, GameLiftError> {
        self.validate_with(&Limits::AWS)
    }

    /// Validates this request under `limits`.
    ///
    /// # Errors
    ///
    /// As [`UpdateGameSessionInput::validate`].
    ///
    /// # Example
    ///
    /// ```
    /// use gamelift_session::{Limits, UpdateGameSessionInput};
    ///
    /// let input = UpdateGameSessionInput::new("x y").maximum_player_session_count(-1);
    /// let err = input.validate_with(&Limits::AWS).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "2 validation errors detected: Value 'x y' at 'gameSessionId' failed to satisfy \
    ///      constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/-]+$; \
    ///      Value '-1' at 'maximumPlayerSessionCount' failed to satisfy constraint: \
    ///      Member must have value greater than or equal to 0"
    /// );
    ///
    /// let input = UpdateGameSessionInput::new("gs-1");
    /// let valid = input.validate_with(&Limits::AWS).unwrap();
    /// assert_eq!(valid.game_session_id(), "gs-1");
    /// ```
    pub fn validate_with(&self, limits: &Limits) -> Result<ValidatedUpdate<'_>, GameLiftError> {
        let game_session_id = check_update_input(self, limits)?;
        Ok(ValidatedUpdate {
            input: self,
            game_session_id,
            limits: *limits,
            player_session_creation_policy: self
                .player_session_creation_policy
                .as_ref()
                .and_then(crate::model::EnumValue::known),
            protection_policy: self
                .protection_policy
                .as_ref()
                .and_then(crate::model::EnumValue::known),
        })
    }
}

/// A request that passed validation, ready to apply to its session.
///
/// Holding one proves the request satisfies the model; what remains to
/// check depends on the session (its id, its status, how many properties
/// the merge leaves), and [`apply`](ValidatedUpdate::apply) checks it.
#[derive(Debug, Clone, Copy)]
pub struct ValidatedUpdate<'a> {
    input: &'a UpdateGameSessionInput,
    game_session_id: &'a str,
    limits: Limits,
    player_session_creation_policy: Option<PlayerSessionCreationPolicy>,
    protection_policy: Option<ProtectionPolicy>,
}

impl<'a> ValidatedUpdate<'a> {
    /// The requested session's id: the key to look the session up by.
    #[must_use]
    pub fn game_session_id(&self) -> &'a str {
        self.game_session_id
    }

    /// The request.
    #[must_use]
    pub fn input(&self) -> &'a UpdateGameSessionInput {
        self.input
    }

    /// Applies the update to `detail` in place: all or nothing.
    ///
    /// # Errors
    ///
    /// `NotFoundException` when `detail` is not the requested session,
    /// `InvalidGameSessionStatusException` unless it is `ACTIVE`,
    /// `InvalidRequestException` when the merged properties would exceed
    /// the limit. On error `detail` is untouched.
    pub fn apply(&self, detail: &mut GameSessionDetail) -> Result<UpdateReport<'a>, GameLiftError> {
        let Some(session) = &detail.game_session else {
            return Err(self.mismatch(None));
        };
        let plan = self.plan(session)?;
        Ok(self.commit(&plan, detail))
    }

    /// Applies the update to a copy of `detail`, which is left as it is.
    ///
    /// # Errors
    ///
    /// As [`ValidatedUpdate::apply`].
    pub fn apply_to(&self, detail: &GameSessionDetail) -> Result<UpdateOutcome<'a>, GameLiftError> {
        let Some(session) = &detail.game_session else {
            return Err(self.mismatch(None));
        };
        // Planning first means a rejected update costs no copy.
        let plan = self.plan(session)?;
        let mut detail = detail.clone();
        let report = self.commit(&plan, &mut detail);
        Ok(UpdateOutcome { detail, report })
    }

    fn mismatch(&self, actual: Option<&str>) -> GameLiftError {
        GameLiftError::GameSessionMismatch {
            requested: self.game_session_id.to_owned(),
            actual: actual.map(str::to_owned),
        }
    }

    /// Every check that depends on the session, and where each requested
    /// property goes. Reads the session only.
    fn plan(&self, session: &GameSession) -> Result<Plan<'a>, GameLiftError> {
        let actual = session.game_session_id.as_deref();
        if actual != Some(self.game_session_id) {
            return Err(self.mismatch(actual));
        }
        if session.status != Some(GameSessionStatus::Active) {
            return Err(GameLiftError::InvalidGameSessionStatus {
                game_session_id: self.game_session_id.to_owned(),
                status: session.status,
                action: crate::model::SessionAction::Update,
            });
        }
        let existing = session.game_properties();
        let plan = Plan::new(
            existing,
            self.input.game_properties.as_deref().unwrap_or_default(),
        );
        let count = existing.len() + plan.new_keys;
        if plan.new_keys > 0 && count > self.limits.max_game_properties {
            return Err(GameLiftError::TooManyGameProperties {
                game_session_id: self.game_session_id.to_owned(),
                count,
                limit: self.limits.max_game_properties,
            });
        }
        Ok(plan)
    }

    /// Writes a plan that passed every check. Cannot fail.
    fn commit(&self, plan: &Plan<'a>, detail: &mut GameSessionDetail) -> UpdateReport<'a> {
        let GameSessionDetail {
            game_session: Some(session),
            protection_policy,
        } = detail
        else {
            // The plan was made on this session, so it is there.
            return UpdateReport::default();
        };
        let mut changes = Changes {
            list: Vec::new(),
            bound: 4 + plan.steps.len(),
        };
        let mut warnings = Vec::new();

        if let Some(new) = self.input.maximum_player_session_count
            && session.maximum_player_session_count != Some(new)
        {
            let old = session.maximum_player_session_count.replace(new);
            changes.push(Change::MaximumPlayerSessionCount { old, new });
        }
        if let Some(new) = self.input.name.as_deref()
            && session.name.as_deref() != Some(new)
        {
            let old = session.name.replace(new.to_owned());
            changes.push(Change::Name {
                old,
                new: Cow::Borrowed(new),
            });
        }
        if let Some(new) = self.player_session_creation_policy
            && session.player_session_creation_policy != Some(new)
        {
            let old = session.player_session_creation_policy.replace(new);
            changes.push(Change::PlayerSessionCreationPolicy { old, new });
        }
        if let Some(new) = self.protection_policy
            && *protection_policy != Some(new)
        {
            let old = protection_policy.replace(new);
            changes.push(Change::ProtectionPolicy { old, new });
        }

        if !plan.steps.is_empty() {
            let properties = session.game_properties.get_or_insert_with(Vec::new);
            properties.reserve(plan.new_keys);
            for step in &plan.steps {
                // The plan was made on this very session, so a target is
                // always in range; `get_mut` keeps that an assumption that
                // cannot panic.
                match step.target.and_then(|i| properties.get_mut(i)) {
                    Some(property) if property.value == step.value => {}
                    Some(property) => {
                        let old = std::mem::replace(&mut property.value, step.value.to_owned());
                        changes.push(Change::GamePropertyChanged {
                            key: Cow::Borrowed(step.key),
                            old,
                            new: Cow::Borrowed(step.value),
                        });
                    }
                    None => {
                        properties.push(GameProperty::new(step.key, step.value));
                        changes.push(Change::GamePropertyAdded {
                            key: Cow::Borrowed(step.key),
                            value: Cow::Borrowed(step.value),
                        });
                    }
                }
            }
            warnings.extend(plan.duplicate_keys());
        }

        if let (Some(maximum), Some(current)) = (
            self.input.maximum_player_session_count,
            session.current_player_session_count,
        ) && maximum < current
        {
            warnings.push(Warning::OverCapacity {
                current_player_session_count: current,
                maximum_player_session_count: maximum,
            });
        }

        warnings.extend(plan.unsearchable_keys());

        UpdateReport {
            changes: changes.list,
            warnings,
        }
    }
}

/// The change list under construction: it allocates once, at the first
/// change, for as many changes as the request can make, and never for an
/// update that changes nothing.
struct Changes<'a> {
    list: Vec<Change<'a>>,
    bound: usize,
}

impl<'a> Changes<'a> {
    fn push(&mut self, change: Change<'a>) {
        if self.list.capacity() == 0 {
            self.list.reserve_exact(self.bound);
        }
        self.list.push(change);
    }
}

/// Where each distinct requested key goes, in the order keys first appear.
#[derive(Debug)]
struct Plan<'a> {
    steps: Vec<Step<'a>>,
    new_keys: usize,
}

#[derive(Debug)]
struct Step<'a> {
    key: &'a str,
    /// The value of the key's last occurrence: the last one wins.
    value: &'a str,
    /// The position of the key among the session's properties, or `None`
    /// for a key to append.
    target: Option<usize>,
    /// How many times the request names the key.
    occurrences: usize,
}

/// Up to this many keys, finding one by scanning beats hashing; past it, a
/// hash index keeps the merge linear in the number of properties.
const SCAN_LIMIT: usize = 32;

/// Whether two keys are equal. The keys of one game tend to share lengths
/// and prefixes (`key0001`, `key0003`), so comparing the last byte first
/// settles most mismatches of a scan without a call to `memcmp`.
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().last() == b.as_bytes().last() && a == b
}

/// Finds a key's position among a list of keys.
enum KeyIndex<'k> {
    Scan,
    Hashed(HashMap<&'k str, usize>),
}

impl<'k> KeyIndex<'k> {
    /// An index over `keys`, hashed when there are many; the first
    /// occurrence of a repeated key is the one found.
    fn new<I: ExactSizeIterator<Item = &'k str>>(keys: I, expected: usize) -> Self {
        if keys.len().max(expected) <= SCAN_LIMIT {
            return KeyIndex::Scan;
        }
        let mut map = HashMap::with_capacity(keys.len().max(expected));
        for (i, key) in keys.enumerate() {
            map.entry(key).or_insert(i);
        }
        KeyIndex::Hashed(map)
    }

    fn find<'s>(&self, key: &str, mut scan: impl Iterator<Item = &'s str>) -> Option<usize> {
        match self {
            KeyIndex::Scan => scan.position(|k| same_key(k, key)),
            KeyIndex::Hashed(map) => map.get(key).copied(),
        }
    }

    fn insert(&mut self, key: &'k str, position: usize) {
        if let KeyIndex::Hashed(map) = self {
            map.insert(key, position);
        }
    }
}

/// The properties a request names, merged by the update's rule (first
/// place, last value) as if onto a session with none: what a create stores.
pub(crate) fn merged_properties(
    requested: &[crate::model::GamePropertyInput],
) -> Vec<GameProperty> {
    Plan::new(&[], requested)
        .steps
        .iter()
        .map(|step| GameProperty::new(step.key, step.value))
        .collect()
}

/// What a create's properties warn about, by the update's rules: each key
/// named more than once, then each key searches cannot use.
pub(crate) fn property_warnings(requested: &[crate::model::GamePropertyInput]) -> Vec<Warning> {
    let plan = Plan::new(&[], requested);
    plan.duplicate_keys()
        .chain(plan.unsearchable_keys())
        .collect()
}

impl<'a> Plan<'a> {
    /// A [`Warning::DuplicateKey`] for each key the request names twice or more.
    fn duplicate_keys(&self) -> impl Iterator<Item = Warning> + '_ {
        self.steps
            .iter()
            .filter(|step| step.occurrences > 1)
            .map(|step| Warning::DuplicateKey {
                key: step.key.to_owned(),
                occurrences: step.occurrences,
            })
    }

    /// A [`Warning::UnsearchableKey`] for each key containing a period.
    fn unsearchable_keys(&self) -> impl Iterator<Item = Warning> + '_ {
        self.steps
            .iter()
            .filter(|step| !is_searchable_key(step.key))
            .map(|step| Warning::UnsearchableKey {
                key: step.key.to_owned(),
            })
    }

    fn new(existing: &[GameProperty], requested: &'a [crate::model::GamePropertyInput]) -> Self {
        let mut steps: Vec<Step<'a>> = Vec::with_capacity(requested.len());
        let mut new_keys = 0;
        if requested.is_empty() {
            return Plan { steps, new_keys };
        }
        let existing_index = KeyIndex::new(existing.iter().map(|p| p.key.as_str()), 0);
        let mut step_index = KeyIndex::new(std::iter::empty(), requested.len());
        // Validation guarantees both members; a property without them is skipped.
        let pairs = requested
            .iter()
            .filter_map(|p| Some((p.key.as_deref()?, p.value.as_deref()?)));
        for (key, value) in pairs {
            if let Some(i) = step_index.find(key, steps.iter().map(|s| s.key)) {
                let step = &mut steps[i];
                step.value = value;
                step.occurrences += 1;
                continue;
            }
            let target = existing_index.find(key, existing.iter().map(|p| p.key.as_str()));
            new_keys += usize::from(target.is_none());
            step_index.insert(key, steps.len());
            steps.push(Step {
                key,
                value,
                target,
                occurrences: 1,
            });
        }
        Plan { steps, new_keys }
    }
}

/// One member changed by an update, with its old and new value.
///
/// New values borrow from the request; old values were moved out of the
/// session, so a report costs no copies. [`Change::into_owned`] makes a
/// change that outlives the request. `Debug` and `Display` never show a
/// property value, which is sensitive.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change<'a> {
    /// `MaximumPlayerSessionCount` changed.
    MaximumPlayerSessionCount {
        /// The old limit, if there was one.
        old: Option<i32>,
        /// The new limit.
        new: i32,
    },
    /// `Name` changed.
    Name {
        /// The old name, if there was one.
        old: Option<String>,
        /// The new name.
        new: Cow<'a, str>,
    },
    /// `PlayerSessionCreationPolicy` changed.
    PlayerSessionCreationPolicy {
        /// The old policy, if there was one.
        old: Option<PlayerSessionCreationPolicy>,
        /// The new policy.
        new: PlayerSessionCreationPolicy,
    },
    /// `ProtectionPolicy` (of the detail) changed.
    ProtectionPolicy {
        /// The old policy, if there was one.
        old: Option<ProtectionPolicy>,
        /// The new policy.
        new: ProtectionPolicy,
    },
    /// A game property was added.
    GamePropertyAdded {
        /// Its key.
        key: Cow<'a, str>,
        /// Its value; sensitive.
        value: Cow<'a, str>,
    },
    /// A game property's value changed.
    GamePropertyChanged {
        /// Its key.
        key: Cow<'a, str>,
        /// The old value; sensitive.
        old: String,
        /// The new value; sensitive.
        new: Cow<'a, str>,
    },
}

impl Change<'_> {
    /// The same change, owning what it borrowed from the request.
    #[must_use]
    pub fn into_owned(self) -> Change<'static> {
        let own = |s: Cow<'_, str>| Cow::Owned(s.into_owned());
        match self {
            Change::MaximumPlayerSessionCount { old, new } => {
                Change::MaximumPlayerSessionCount { old, new }
            }
            Change::Name { old, new } => Change::Name { old, new: own(new) },
            Change::PlayerSessionCreationPolicy { old, new } => {
                Change::PlayerSessionCreationPolicy { old, new }
            }
            Change::ProtectionPolicy { old, new } => Change::ProtectionPolicy { old, new },
            Change::GamePropertyAdded { key, value } => Change::GamePropertyAdded {
                key: own(key),
                value: own(value),
            },
            Change::GamePropertyChanged { key, old, new } => Change::GamePropertyChanged {
                key: own(key),
                old,
                new: own(new),
            },
        }
    }
}

struct Absent<'v, T>(&'v Option<T>);

impl<T: fmt::Display> fmt::Display for Absent<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(v) => write!(f, "{v}"),
            None => f.write_str("(absent)"),
        }
    }
}

impl fmt::Display for Change<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::MaximumPlayerSessionCount { old, new } => {
                write!(f, "MaximumPlayerSessionCount: {} -> {new}", Absent(old))
            }
            Change::Name { old, new } => match old {
                Some(old) => write!(f, "Name: {old:?} -> {new:?}"),
                None => write!(f, "Name: (absent) -> {new:?}"),
            },
            Change::PlayerSessionCreationPolicy { old, new } => {
                write!(f, "PlayerSessionCreationPolicy: {} -> {new}", Absent(old))
            }
            Change::ProtectionPolicy { old, new } => {
                write!(f, "ProtectionPolicy: {} -> {new}", Absent(old))
            }
            Change::GamePropertyAdded { key, .. } => write!(f, "GameProperty {key:?}: added"),
            Change::GamePropertyChanged { key, .. } => {
                write!(f, "GameProperty {key:?}: value changed")
            }
        }
    }
}

impl fmt::Debug for Change<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted;
        impl fmt::Debug for Redacted {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(REDACTED)
            }
        }
        match self {
            Change::MaximumPlayerSessionCount { old, new } => f
                .debug_struct("MaximumPlayerSessionCount")
                .field("old", old)
                .field("new", new)
                .finish(),
            Change::Name { old, new } => f
                .debug_struct("Name")
                .field("old", old)
                .field("new", new)
                .finish(),
            Change::PlayerSessionCreationPolicy { old, new } => f
                .debug_struct("PlayerSessionCreationPolicy")
                .field("old", old)
                .field("new", new)
                .finish(),
            Change::ProtectionPolicy { old, new } => f
                .debug_struct("ProtectionPolicy")
                .field("old", old)
                .field("new", new)
                .finish(),
            Change::GamePropertyAdded { key, .. } => f
                .debug_struct("GamePropertyAdded")
                .field("key", key)
                .field("value", &Redacted)
                .finish(),
            Change::GamePropertyChanged { key, .. } => f
                .debug_struct("GamePropertyChanged")
                .field("key", key)
                .field("old", &Redacted)
                .field("new", &Redacted)
                .finish(),
        }
    }
}

/// Something a successful update wants its caller to know.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Warning {
    /// The request named a property key more than once; the last value won.
    DuplicateKey {
        /// The key.
        key: String,
        /// How many times the request named it.
        occurrences: usize,
    },
    /// The new player limit is below the number of players connected: they
    /// stay, but no new player fits until enough leave.
    OverCapacity {
        /// Players connected.
        current_player_session_count: i32,
        /// The new limit.
        maximum_player_session_count: i32,
    },
    /// The request set a property whose key contains a period; GameLift
    /// filters such keys out of searches, so nobody can search on it.
    UnsearchableKey {
        /// The key.
        key: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::DuplicateKey { key, occurrences } => write!(
                f,
                "game property key {key:?} appears {occurrences} times in the request; the last value wins"
            ),
            Warning::OverCapacity {
                current_player_session_count,
                maximum_player_session_count,
            } => write!(
                f,
                "the session is over capacity: {current_player_session_count} players are connected \
                 but at most {maximum_player_session_count} are allowed; they stay, and no new player can join"
            ),
            Warning::UnsearchableKey { key } => write!(
                f,
                "game property key {key:?} contains a period: it is stored, but searches cannot use it"
            ),
        }
    }
}

/// What an update changed and what it warns about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdateReport<'a> {
    changes: Vec<Change<'a>>,
    warnings: Vec<Warning>,
}

impl<'a> UpdateReport<'a> {
    /// The members that changed, request members first in the shape's
    /// order, then properties in the order the request first names them.
    /// Members set to the value they had are not listed.
    #[must_use]
    pub fn changes(&self) -> &[Change<'a>] {
        &self.changes
    }

    /// The warnings: duplicate keys, then over-capacity, then unsearchable keys.
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Whether the update changed nothing.
    #[must_use]
    pub fn is_unchanged(&self) -> bool {
        self.changes.is_empty()
    }

    /// The same report, owning what it borrowed from the request, so it can
    /// outlive the request (be returned, stored, sent to another task).
    #[must_use]
    pub fn into_owned(self) -> UpdateReport<'static> {
        UpdateReport {
            changes: self.changes.into_iter().map(Change::into_owned).collect(),
            warnings: self.warnings,
        }
    }
}

/// The result of [`update_game_session`]: the new detail and its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOutcome<'a> {
    detail: GameSessionDetail,
    report: UpdateReport<'a>,
}

impl<'a> UpdateOutcome<'a> {
    /// The game session detail after the update.
    #[must_use]
    pub fn detail(&self) -> &GameSessionDetail {
        &self.detail
    }

    /// The response to send back, borrowing the session.
    #[must_use]
    pub fn output(&self) -> GameSessionOutput<'_> {
        GameSessionOutput {
            game_session: self.detail.game_session.as_ref().map(Cow::Borrowed),
        }
    }

    /// The members that changed; see [`UpdateReport::changes`].
    #[must_use]
    pub fn changes(&self) -> &[Change<'a>] {
        self.report.changes()
    }

    /// The warnings; see [`UpdateReport::warnings`].
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        self.report.warnings()
    }

    /// What changed and what to warn about.
    #[must_use]
    pub fn report(&self) -> &UpdateReport<'a> {
        &self.report
    }

    /// The new detail, dropping the report.
    #[must_use]
    pub fn into_detail(self) -> GameSessionDetail {
        self.detail
    }

    /// The new detail and the report.
    #[must_use]
    pub fn into_parts(self) -> (GameSessionDetail, UpdateReport<'a>) {
        (self.detail, self.report)
    }

    /// The same outcome, owning what its report borrowed from the request.
    ///
    /// ```
    /// use gamelift_session::{
    ///     GameLiftError, GameSession, GameSessionDetail, GameSessionStatus, UpdateGameSessionInput,
    ///     UpdateOutcome, update_game_session,
    /// };
    ///
    /// // The request is the handler's own; the outcome outlives it.
    /// fn handle(detail: &GameSessionDetail, body: &str) -> Result<UpdateOutcome<'static>, GameLiftError> {
    ///     let input: UpdateGameSessionInput =
    ///         serde_json::from_str(body).map_err(GameLiftError::serialization)?;
    ///     Ok(update_game_session(detail, &input)?.into_owned())
    /// }
    ///
    /// let mut session = GameSession::default();
    /// session.game_session_id = Some("gs-1".into());
    /// session.status = Some(GameSessionStatus::Active);
    /// let outcome = handle(&GameSessionDetail::new(session, None), r#"{"GameSessionId": "gs-1", "Name": "n"}"#)?;
    /// assert_eq!(outcome.changes()[0].to_string(), r#"Name: (absent) -> "n""#);
    /// # Ok::<(), GameLiftError>(())
    /// ```
    #[must_use]
    pub fn into_owned(self) -> UpdateOutcome<'static> {
        UpdateOutcome {
            detail: self.detail,
            report: self.report.into_owned(),
        }
    }
}

/// Validates an `UpdateGameSessionInput` against the model and `limits`,
/// answering its `GameSessionId`.
pub(crate) fn check_update_input<'i>(
    input: &'i UpdateGameSessionInput,
    limits: &Limits,
) -> Result<&'i str, ValidationErrors> {
    let mut v = Validator::default();
    let id_path = FieldPath::Member("gameSessionId");
    let id = v.required(id_path, input.game_session_id.as_deref());
    if let Some(id) = id {
        v.arn_string(id_path, id, limits);
    }
    if let Some(count) = input.maximum_player_session_count {
        v.min_value(
            FieldPath::Member("maximumPlayerSessionCount"),
            i64::from(count),
            0,
        );
    }
    if let Some(name) = input.name.as_deref() {
        v.non_zero_and_max_string(FieldPath::Member("name"), name, limits.max_name_length);
    }
    if let Some(policy) = &input.player_session_creation_policy {
        v.enum_value(FieldPath::Member("playerSessionCreationPolicy"), policy);
    }
    if let Some(policy) = &input.protection_policy {
        v.enum_value(FieldPath::Member("protectionPolicy"), policy);
    }
    if let Some(properties) = input.game_properties.as_deref() {
        v.game_properties("gameProperties", properties, limits);
    }
    v.finish()?;
    // A missing id was recorded as a violation above, so `finish` failed.
    id.ok_or_else(|| ValidationErrors {
        violations: vec![Violation {
            path: id_path,
            value: Echo::Null,
            constraint: Constraint::NotNull,
        }],
        count: 1,
    })
}
