//! Request validation in AWS's words.
//!
//! Validation walks every member of a request in the order of the model's
//! shape, collects *every* violation, and reports them together the way the
//! service does:
//!
//! `2 validation errors detected: Value 'x y' at 'gameSessionId' failed to
//! satisfy constraint: Member must satisfy regular expression pattern:
//! ^[a-zA-Z0-9:/-]+$; Value '-1' at 'maximumPlayerSessionCount' failed to
//! satisfy constraint: Member must have value greater than or equal to 0`
//!
//! Sensitive values are never echoed, and an echoed value is cut to its
//! first [`ECHO_LIMIT`] characters. A request may hold millions of
//! violations (a list of a million empty properties): the count stays
//! exact, but only the first [`KEPT_VIOLATIONS`] are kept, and the message
//! lists as many as fit in [`MAX_MESSAGE_BYTES`], then says how many more
//! there are. So no input, however large, makes a large message, and
//! rendering one costs what it shows.

use std::fmt;

use crate::model::echo::Echo;
use crate::model::enums::{EnumValue, WireEnum};
use crate::model::ids::{
    ALIAS_ID_OR_ARN_PATTERN, FLEET_ID_OR_ARN_PATTERN, GAME_SESSION_ID_PATTERN, ID_STRING_PATTERN,
    LOCATION_PATTERN, PLAYER_SESSION_ID_PATTERN, is_alias_id_or_arn, is_fleet_id_or_arn,
    is_game_session_id, is_id_string, is_location, is_player_session_id,
};
use crate::model::limits::Limits;
use crate::model::shapes::GamePropertyInput;

/// The most bytes of any error message the crate renders (4 KiB).
///
/// A validation message keeps its exact count and AWS's format, and lists
/// violations while they fit; every other message cuts what it echoes.
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// How many violations of one request are kept, in the order of the shape's
/// members; any more are only counted. Far more than a message can show.
pub const KEPT_VIOLATIONS: usize = 64;

/// Where in a request a violation is, printed as AWS prints it
/// (`gameSessionId`, `gameProperties.2.member.value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldPath {
    /// A member of the request itself, by its camelCase name.
    Member(&'static str),
    /// A member of an item of a list member.
    Item {
        /// The list member's camelCase name.
        list: &'static str,
        /// The item's position, counted from 1 as AWS counts.
        index: usize,
        /// The item's member's camelCase name.
        member: &'static str,
    },
    /// An item of a list of plain values (`playerIds.2.member`).
    Element {
        /// The list member's camelCase name.
        list: &'static str,
        /// The item's position, counted from 1 as AWS counts.
        index: usize,
    },
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Member(name) => f.write_str(name),
            FieldPath::Item {
                list,
                index,
                member,
            } => write!(f, "{list}.{index}.member.{member}"),
            FieldPath::Element { list, index } => write!(f, "{list}.{index}.member"),
        }
    }
}

/// A constraint of the model, printed in AWS's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Constraint {
    /// `Member must not be null`.
    NotNull,
    /// `Member must have length greater than or equal to N`.
    MinLength(usize),
    /// `Member must have length less than or equal to N`.
    MaxLength(usize),
    /// `Member must satisfy regular expression pattern: P`.
    Pattern(&'static str),
    /// `Member must have value greater than or equal to N`.
    MinValue(i64),
    /// `Member must have value less than or equal to N`.
    MaxValue(i64),
    /// `Member must satisfy enum value set: [A, B]`.
    EnumValueSet(&'static [&'static str]),
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::NotNull => f.write_str("Member must not be null"),
            Constraint::MinLength(n) => {
                write!(f, "Member must have length greater than or equal to {n}")
            }
            Constraint::MaxLength(n) => {
                write!(f, "Member must have length less than or equal to {n}")
            }
            Constraint::Pattern(p) => {
                write!(f, "Member must satisfy regular expression pattern: {p}")
            }
            Constraint::MinValue(n) => {
                write!(f, "Member must have value greater than or equal to {n}")
            }
            Constraint::MaxValue(n) => {
                write!(f, "Member must have value less than or equal to {n}")
            }
            Constraint::EnumValueSet(set) => {
                write!(
                    f,
                    "Member must satisfy enum value set: [{}]",
                    set.join(", ")
                )
            }
        }
    }
}

/// One member of a request failing one constraint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Violation {
    /// Where the member is.
    pub path: FieldPath,
    /// What the message shows of its value.
    pub value: Echo,
    /// The constraint it fails.
    pub constraint: Constraint,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at '{}' failed to satisfy constraint: {}",
            self.value, self.path, self.constraint
        )
    }
}

/// Every violation of one request; never empty.
///
/// It counts every violation but keeps only the first [`KEPT_VIOLATIONS`].
/// Its message lists violations while the message stays within
/// [`MAX_MESSAGE_BYTES`], then says how many more there are:
///
/// ```
/// use gamelift_session::{UpdateGameSessionInput, model::{GamePropertyInput, MAX_MESSAGE_BYTES}};
///
/// let mut input = UpdateGameSessionInput::new("gs-1");
/// input.game_properties = Some(vec![GamePropertyInput::default(); 100_000]);
/// let err = input.validate().unwrap_err();
/// let message = err.to_string();
/// assert!(message.starts_with("200001 validation errors detected: Value at 'gameProperties' \
///     failed to satisfy constraint: Member must have length less than or equal to 16; \
///     Value null at 'gameProperties.1.member.key' failed to satisfy constraint: Member must not be null; "));
/// assert!(message.ends_with("; and 199961 more"));
/// assert!(message.len() <= MAX_MESSAGE_BYTES);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValidationErrors {
    pub(crate) violations: Vec<Violation>,
    pub(crate) count: usize,
}

impl ValidationErrors {
    /// The violations kept: the first [`KEPT_VIOLATIONS`], in the order of
    /// the shape's members.
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// How many violations the request has, kept or not.
    #[must_use]
    pub fn count(&self) -> usize {
        self.count
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        let n = self.count;
        let noun = if n == 1 { "error" } else { "errors" };
        let mut message = String::with_capacity(256);
        let _ = write!(message, "{n} validation {noun} detected: ");
        // Room left for "; and N more" once a violation does not fit.
        let budget = MAX_MESSAGE_BYTES - "; and 18446744073709551615 more".len();
        let mut shown = 0;
        let mut one = String::with_capacity(256);
        for violation in &self.violations {
            one.clear();
            if shown > 0 {
                one.push_str("; ");
            }
            let _ = write!(one, "{violation}");
            // A violation is at most about 1.3 KB (an echo of 256
            // characters), so the first one always fits.
            if shown > 0 && message.len() + one.len() > budget {
                break;
            }
            message.push_str(&one);
            shown += 1;
        }
        if shown < n {
            let _ = write!(message, "; and {} more", n - shown);
        }
        f.write_str(&message)
    }
}

impl std::error::Error for ValidationErrors {}

/// Whether `s` has more than `max` Unicode scalar values. Bytes bound
/// characters from both sides (1 to 4 bytes each), so characters are only
/// counted when it can matter, and only in a string of at most `4 * max`
/// bytes: a megabyte value costs no more than one just over the limit.
pub(crate) fn longer_than(s: &str, max: usize) -> bool {
    // A character is at most 4 bytes: past 4 * max bytes the answer is
    // known, and below it the (vectorised) count reads a bounded string.
    s.len() > max && (s.len() / 4 > max || s.chars().count() > max)
}

/// Collects violations member by member: counts them all, keeps the first
/// [`KEPT_VIOLATIONS`].
#[derive(Debug, Default)]
pub(crate) struct Validator {
    violations: Vec<Violation>,
    count: usize,
}

impl Validator {
    /// Records a violation; the echo is only made for a violation kept.
    fn push(&mut self, path: FieldPath, value: impl FnOnce() -> Echo, constraint: Constraint) {
        self.count += 1;
        if self.violations.len() < KEPT_VIOLATIONS {
            self.violations.push(Violation {
                path,
                value: value(),
                constraint,
            });
        }
    }

    /// The value of a required member, or a `Member must not be null` violation.
    pub(crate) fn required<'v, T: ?Sized>(
        &mut self,
        path: FieldPath,
        value: Option<&'v T>,
    ) -> Option<&'v T> {
        if value.is_none() {
            self.push(path, || Echo::Null, Constraint::NotNull);
        }
        value
    }

    /// Checks a string's length in characters; `sensitive` values are not echoed.
    pub(crate) fn length(
        &mut self,
        path: FieldPath,
        value: &str,
        min: usize,
        max: usize,
        sensitive: bool,
    ) {
        let echo = || {
            if sensitive {
                Echo::Redacted
            } else {
                Echo::of(value)
            }
        };
        // Counting stops at the minimum: a huge value costs no more.
        if min > 0 && value.chars().take(min).count() < min {
            self.push(path, echo, Constraint::MinLength(min));
        }
        if longer_than(value, max) {
            self.push(path, echo, Constraint::MaxLength(max));
        }
    }

    /// Checks a string against a pattern, given as its text and its matcher.
    pub(crate) fn pattern(
        &mut self,
        path: FieldPath,
        value: &str,
        pattern: &'static str,
        matches: fn(&str) -> bool,
    ) {
        if !matches(value) {
            self.push(path, || Echo::of(value), Constraint::Pattern(pattern));
        }
    }

    /// Checks an integer's lower bound.
    pub(crate) fn min_value(&mut self, path: FieldPath, value: i64, min: i64) {
        if value < min {
            self.push(
                path,
                || Echo::of(&value.to_string()),
                Constraint::MinValue(min),
            );
        }
    }

    /// Checks an integer's upper bound.
    pub(crate) fn max_value(&mut self, path: FieldPath, value: i64, max: i64) {
        if value > max {
            self.push(
                path,
                || Echo::of(&value.to_string()),
                Constraint::MaxValue(max),
            );
        }
    }

    /// Checks that an enum member holds a value of its set.
    pub(crate) fn enum_value<T: WireEnum>(&mut self, path: FieldPath, value: &EnumValue<T>) {
        if let EnumValue::Unknown(raw) = value {
            self.push(
                path,
                || Echo::of(raw),
                Constraint::EnumValueSet(T::WIRE_NAMES),
            );
        }
    }

    /// Checks a list of game properties: its size, then each key and value.
    pub(crate) fn game_properties(
        &mut self,
        list: &'static str,
        properties: &[GamePropertyInput],
        limits: &Limits,
    ) {
        if properties.len() > limits.max_game_properties {
            // The list holds sensitive values, so it is not echoed.
            self.push(
                FieldPath::Member(list),
                || Echo::Redacted,
                Constraint::MaxLength(limits.max_game_properties),
            );
        }
        for (i, property) in properties.iter().enumerate() {
            let at = |member| FieldPath::Item {
                list,
                index: i + 1,
                member,
            };
            if let Some(key) = self.required(at("key"), property.key.as_deref()) {
                self.length(at("key"), key, 0, limits.max_property_key_length, false);
            }
            if let Some(value) = self.required(at("value"), property.value.as_deref()) {
                self.length(
                    at("value"),
                    value,
                    0,
                    limits.max_property_value_length,
                    true,
                );
            }
        }
    }

    /// Checks the number of items of a list; the list is not echoed (its
    /// items may be sensitive).
    pub(crate) fn list_length(&mut self, path: FieldPath, len: usize, min: usize, max: usize) {
        if len < min {
            self.push(path, || Echo::Redacted, Constraint::MinLength(min));
        }
        if len > max {
            self.push(path, || Echo::Redacted, Constraint::MaxLength(max));
        }
    }

    /// `PlayerSessionId`: 1 to the limit, `^psess-\S+$`.
    pub(crate) fn player_session_id(&mut self, path: FieldPath, value: &str, limits: &Limits) {
        self.length(path, value, 1, limits.max_player_session_id_length, false);
        self.pattern(path, value, PLAYER_SESSION_ID_PATTERN, is_player_session_id);
    }

    /// `ArnStringModel`: 1 to the id limit of `[a-zA-Z0-9:/-]`.
    pub(crate) fn arn_string(&mut self, path: FieldPath, value: &str, limits: &Limits) {
        self.length(path, value, 1, limits.max_game_session_id_length, false);
        self.pattern(path, value, GAME_SESSION_ID_PATTERN, is_game_session_id);
    }

    /// `NonZeroAndMaxString`: 1 to `max` characters of any kind.
    pub(crate) fn non_zero_and_max_string(&mut self, path: FieldPath, value: &str, max: usize) {
        self.length(path, value, 1, max, false);
    }

    /// `FleetIdOrArn`.
    pub(crate) fn fleet_id_or_arn(&mut self, path: FieldPath, value: &str, limits: &Limits) {
        self.length(path, value, 1, limits.max_fleet_or_alias_length, false);
        self.pattern(path, value, FLEET_ID_OR_ARN_PATTERN, is_fleet_id_or_arn);
    }

    /// `AliasIdOrArn`.
    pub(crate) fn alias_id_or_arn(&mut self, path: FieldPath, value: &str, limits: &Limits) {
        self.length(path, value, 1, limits.max_fleet_or_alias_length, false);
        self.pattern(path, value, ALIAS_ID_OR_ARN_PATTERN, is_alias_id_or_arn);
    }

    /// `LocationStringModel`.
    pub(crate) fn location(&mut self, path: FieldPath, value: &str, limits: &Limits) {
        self.length(path, value, 1, limits.max_location_length, false);
        self.pattern(path, value, LOCATION_PATTERN, is_location);
    }

    /// `IdStringModel`.
    pub(crate) fn id_string(&mut self, path: FieldPath, value: &str, limits: &Limits) {
        self.length(path, value, 1, limits.max_id_string_length, false);
        self.pattern(path, value, ID_STRING_PATTERN, is_id_string);
    }

    /// `Ok` when nothing was violated, else every violation.
    pub(crate) fn finish(self) -> Result<(), ValidationErrors> {
        if self.count == 0 {
            Ok(())
        } else {
            Err(ValidationErrors {
                violations: self.violations,
                count: self.count,
            })
        }
    }
}
