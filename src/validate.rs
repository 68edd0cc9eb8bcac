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

use crate::enums::{EnumValue, WireEnum};
use crate::limits::Limits;
use crate::request::{GamePropertyInput, UpdateGameSessionInput};

/// How many characters of an offending value a message echoes before `...`.
pub const ECHO_LIMIT: usize = 256;

/// The most bytes of any error message the crate renders (4 KiB).
///
/// A validation message keeps its exact count and AWS's format, and lists
/// violations while they fit; every other message cuts what it echoes.
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// How many violations of one request are kept, in the order of the shape's
/// members; any more are only counted. Far more than a message can show.
pub const KEPT_VIOLATIONS: usize = 64;

/// The pattern the model sets for `GameSessionId` in requests.
pub const GAME_SESSION_ID_PATTERN: &str = "^[a-zA-Z0-9:/-]+$";

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

/// The offending value as a message shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Echo {
    /// The member was missing: `Value null at ...`.
    Null,
    /// The member is sensitive and is not shown: `Value at ...`.
    Redacted,
    /// The value, cut to [`ECHO_LIMIT`] characters: `Value 'x' at ...`.
    Value {
        /// The first [`ECHO_LIMIT`] characters of the value.
        text: String,
        /// Whether the value was longer, which the message marks with `...`.
        truncated: bool,
    },
}

impl Echo {
    /// The echo of `value`, cut to [`ECHO_LIMIT`] characters.
    #[must_use]
    pub fn of(value: &str) -> Echo {
        let (text, truncated) = cut(value, ECHO_LIMIT);
        Echo::Value {
            text: text.to_owned(),
            truncated,
        }
    }
}

/// The first `max` characters of `value`, and whether anything was cut.
pub(crate) fn cut(value: &str, max: usize) -> (&str, bool) {
    match value.char_indices().nth(max) {
        Some((end, _)) => (&value[..end], true),
        None => (value, false),
    }
}

/// Text taken from a request, shown in a message: cut to [`ECHO_LIMIT`]
/// characters and marked `...` when longer.
pub(crate) struct Cut<'a>(pub(crate) &'a str);

impl fmt::Display for Cut<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (text, truncated) = cut(self.0, ECHO_LIMIT);
        f.write_str(text)?;
        if truncated {
            f.write_str("...")?;
        }
        Ok(())
    }
}

impl fmt::Display for Echo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Echo::Null => f.write_str("Value null"),
            Echo::Redacted => f.write_str("Value"),
            Echo::Value { text, truncated } => {
                let more = if *truncated { "..." } else { "" };
                write!(f, "Value '{text}{more}'")
            }
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
/// use gamelift_session::{GamePropertyInput, UpdateGameSessionInput, MAX_MESSAGE_BYTES};
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
    violations: Vec<Violation>,
    count: usize,
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
        // Every minimum in the model is 0 or 1, so emptiness decides it.
        if min > 0 && value.is_empty() {
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

/// Whether `id` matches `^[a-zA-Z0-9:/-]+$`.
pub(crate) fn is_game_session_id(id: &str) -> bool {
    // Bitwise, not lazy, operators keep every test branch-free.
    #[allow(clippy::needless_bitwise_bool)]
    fn allowed(b: u8) -> bool {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        letter | digit | (b == b':') | (b == b'/') | (b == b'-')
    }
    // Ids are checked on every update and run to hundreds of bytes; a fold
    // without early exit, of branch-free tests, lets the compiler check
    // many bytes per instruction.
    !id.is_empty() && id.bytes().fold(true, |ok, b| ok & allowed(b))
}

/// The pattern of `IdStringModel` (`GameSessionId`, `IdempotencyToken` of a create).
pub const ID_STRING_PATTERN: &str = "^[a-zA-Z0-9-]+$";
/// The pattern of a fleet location.
pub const LOCATION_PATTERN: &str = "^[A-Za-z0-9\\-]+$";
/// The pattern of a fleet id or fleet ARN in a request.
pub const FLEET_ID_OR_ARN_PATTERN: &str =
    "^[a-z]*fleet-[a-zA-Z0-9\\-]+$|^arn:.*:[a-z]*fleet\\/[a-z]*fleet-[a-zA-Z0-9\\-]+$";
/// The pattern of an alias id or alias ARN in a request.
pub const ALIAS_ID_OR_ARN_PATTERN: &str = "^(alias-\\S+|arn:.*:alias\\/alias-\\S+)$";

fn all_bytes(s: &str, allowed: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.bytes().all(allowed)
}

/// Whether `s` matches `^[a-zA-Z0-9-]+$`.
pub(crate) fn is_id_string(s: &str) -> bool {
    all_bytes(s, |b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Whether `s` matches `^[A-Za-z0-9\-]+$`.
pub(crate) fn is_location(s: &str) -> bool {
    is_id_string(s)
}

/// Whether `s` matches `^[a-z]*fleet-[a-zA-Z0-9\-]+$`.
pub(crate) fn is_fleet_id(s: &str) -> bool {
    // `[a-z]*fleet` is a run of lowercase letters ending in "fleet"; the
    // first byte after the run must be the '-'.
    let run = s.bytes().take_while(u8::is_ascii_lowercase).count();
    s[..run].ends_with("fleet") && s[run..].strip_prefix('-').is_some_and(is_id_string)
}

/// Whether `s` matches the fleet id or fleet ARN pattern.
pub(crate) fn is_fleet_id_or_arn(s: &str) -> bool {
    if is_fleet_id(s) {
        return true;
    }
    // `^arn:.*:[a-z]*fleet\/<fleet id>$`: the fleet id follows the last '/',
    // and the segment before it, after the last ':', is `[a-z]*fleet`;
    // what `.*` covers, before that ':', holds no newline (`.` never
    // matches one).
    let Some(rest) = s.strip_prefix("arn:") else {
        return false;
    };
    let Some((head, id)) = rest.rsplit_once('/') else {
        return false;
    };
    let Some((any, kind)) = head.rsplit_once(':') else {
        return false;
    };
    !any.contains('\n')
        && kind.ends_with("fleet")
        && kind.bytes().all(|b| b.is_ascii_lowercase())
        && is_fleet_id(id)
}

/// The pattern of a `PlayerSessionId`.
pub const PLAYER_SESSION_ID_PATTERN: &str = "^psess-\\S+$";

/// Java's and `regex-lite`'s `\S+`: one or more characters, none of them
/// ASCII white space.
fn non_space(t: &str) -> bool {
    !t.is_empty() && !t.contains([' ', '\t', '\n', '\u{b}', '\u{c}', '\r'])
}

/// Whether `s` matches `^psess-\S+$`.
pub(crate) fn is_player_session_id(s: &str) -> bool {
    s.strip_prefix("psess-").is_some_and(non_space)
}

/// What stands between the ARN's `.*` and the alias id's `\S+`.
const ALIAS_MARK: &str = ":alias/alias-";

/// Whether `s` matches `^(alias-\S+|arn:.*:alias\/alias-\S+)$`.
pub(crate) fn is_alias_id_or_arn(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("alias-") {
        return non_space(rest);
    }
    // `\S+` may itself hold ":alias/alias-", so any occurrence can be the
    // one the pattern anchors on: `.*` before it (no newline), `\S+` after.
    let Some(rest) = s.strip_prefix("arn:") else {
        return false;
    };
    rest.match_indices(ALIAS_MARK)
        .any(|(at, _)| !rest[..at].contains('\n') && non_space(&rest[at + ALIAS_MARK.len()..]))
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
