//! The typed forms of filter and sort expressions: what a parsed expression
//! says, with every condition well typed.

use std::fmt;

use crate::model::shapes::Redacted;

/// A parsed filter expression: conditions joined by `AND`, `OR` and `NOT`.
///
/// `AND` and `OR` are binary and read left to right, so `A AND B AND C` is
/// `And(And(A, B), C)`; parentheses leave no trace beyond the tree's shape.
/// Parse one with [`str::parse`]; its `Display` writes the canonical text,
/// which parses back to an equal value.
///
/// ```
/// use gamelift_session::search::{Comparator, Condition, FilterExpression, Operand, Value};
///
/// let filter: FilterExpression = "NOT (maximumSessions < 4 OR playerSessionCount > 8)".parse()?;
/// let FilterExpression::Not(inner) = &filter else { panic!("a NOT") };
/// let FilterExpression::Or(left, _) = &**inner else { panic!("an OR") };
/// let expected = Condition::new(Operand::MaximumSessions, Comparator::Less, Value::Number(4))
///     .expect("a well-typed condition");
/// assert_eq!(**left, FilterExpression::Condition(expected));
/// assert_eq!(filter.to_string(), "NOT (maximumSessions < 4 OR playerSessionCount > 8)");
/// # Ok::<(), gamelift_session::search::ExpressionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FilterExpression {
    /// One condition: `operand comparator value`.
    Condition(Condition),
    /// `NOT x`: true when `x` is false.
    Not(Box<FilterExpression>),
    /// `x AND y`.
    And(Box<FilterExpression>, Box<FilterExpression>),
    /// `x OR y`.
    Or(Box<FilterExpression>, Box<FilterExpression>),
}

impl FilterExpression {
    /// `self AND other`.
    #[must_use]
    pub fn and(self, other: FilterExpression) -> Self {
        FilterExpression::And(Box::new(self), Box::new(other))
    }

    /// `self OR other`.
    #[must_use]
    pub fn or(self, other: FilterExpression) -> Self {
        FilterExpression::Or(Box::new(self), Box::new(other))
    }
}

impl std::ops::Not for FilterExpression {
    type Output = FilterExpression;

    /// `NOT self`.
    fn not(self) -> Self {
        FilterExpression::Not(Box::new(self))
    }
}

impl From<Condition> for FilterExpression {
    fn from(condition: Condition) -> Self {
        FilterExpression::Condition(condition)
    }
}

/// A condition: an operand, a comparator and a value of the operand's type.
///
/// Strings and booleans take `=` and `<>` only; [`Condition::new`] refuses
/// anything else, so every `Condition` is well typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Condition {
    operand: Operand,
    comparator: Comparator,
    value: Value,
}

impl Condition {
    /// The condition `operand comparator value`.
    ///
    /// ```
    /// use gamelift_session::search::{Comparator, Condition, Operand, OperandType, PropertyKey, Value};
    ///
    /// let mode = Operand::Property(PropertyKey::new("mode").expect("a key"));
    /// let ok = Condition::new(mode.clone(), Comparator::Equal, Value::from("ranked"));
    /// assert!(ok.is_ok());
    /// assert_eq!(
    ///     Condition::new(mode, Comparator::Less, Value::from("ranked")),
    ///     Err(OperandType::String),
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// The operand's type, when the value is of another type or the
    /// comparator is not `=` or `<>` for a string or boolean operand.
    pub fn new(
        operand: Operand,
        comparator: Comparator,
        value: Value,
    ) -> Result<Self, OperandType> {
        let ty = operand.operand_type();
        let equality = matches!(comparator, Comparator::Equal | Comparator::NotEqual);
        if value.operand_type() != ty || (ty != OperandType::Number && !equality) {
            return Err(ty);
        }
        Ok(Condition {
            operand,
            comparator,
            value,
        })
    }

    /// The operand.
    #[must_use]
    pub fn operand(&self) -> &Operand {
        &self.operand
    }

    /// The comparator.
    #[must_use]
    pub fn comparator(&self) -> Comparator {
        self.comparator
    }

    /// The value compared with.
    #[must_use]
    pub fn value(&self) -> &Value {
        &self.value
    }
}

/// What a condition or a sort reads from a game session.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operand {
    /// `gameSessionId`: the session's full ARN.
    GameSessionId,
    /// `gameSessionName`.
    GameSessionName,
    /// `gameSessionProperties.<key>`: the value of one game property.
    Property(PropertyKey),
    /// `maximumSessions`: `MaximumPlayerSessionCount`.
    MaximumSessions,
    /// `creationTimeMillis`: `CreationTime` in epoch milliseconds.
    CreationTimeMillis,
    /// `playerSessionCount`: `CurrentPlayerSessionCount`.
    PlayerSessionCount,
    /// `hasAvailablePlayerSessions`: whether the session takes a new player.
    HasAvailablePlayerSessions,
}

impl Operand {
    /// The operand names of the language, but for properties.
    pub(crate) const NAMED: [(&'static str, Operand); 6] = [
        ("gameSessionId", Operand::GameSessionId),
        ("gameSessionName", Operand::GameSessionName),
        ("maximumSessions", Operand::MaximumSessions),
        ("creationTimeMillis", Operand::CreationTimeMillis),
        ("playerSessionCount", Operand::PlayerSessionCount),
        (
            "hasAvailablePlayerSessions",
            Operand::HasAvailablePlayerSessions,
        ),
    ];

    /// The type of the values this operand reads.
    #[must_use]
    pub fn operand_type(&self) -> OperandType {
        match self {
            Operand::GameSessionId | Operand::GameSessionName | Operand::Property(_) => {
                OperandType::String
            }
            Operand::MaximumSessions
            | Operand::CreationTimeMillis
            | Operand::PlayerSessionCount => OperandType::Number,
            Operand::HasAvailablePlayerSessions => OperandType::Boolean,
        }
    }
}

/// The three types of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperandType {
    /// Strings, compared with `=` and `<>` only.
    String,
    /// Whole numbers, compared with every comparator.
    Number,
    /// `true` and `false`, compared with `=` and `<>` only.
    Boolean,
}

impl fmt::Display for OperandType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OperandType::String => "a string",
            OperandType::Number => "a number",
            OperandType::Boolean => "a boolean",
        })
    }
}

/// The key of a game property in an operand: `gameSessionProperties.<key>`.
///
/// A key in an expression ends at whitespace, a parenthesis, a quote or a
/// comparator, so it is one or more characters other than those. A key
/// containing a period parses, and matches nothing: the search index never
/// holds it.
///
/// ```
/// use gamelift_session::search::PropertyKey;
///
/// assert_eq!(PropertyKey::new("map.name").map(|k| k.len()), Some(8));
/// assert_eq!(PropertyKey::new("two words"), None);
/// assert_eq!(PropertyKey::new(""), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PropertyKey(String);

impl PropertyKey {
    /// The key `key`, or `None` when it is empty or holds a character that
    /// would end it in an expression.
    #[must_use]
    pub fn new(key: &str) -> Option<Self> {
        (!key.is_empty() && key.chars().all(is_word_char)).then(|| PropertyKey(key.to_owned()))
    }

    /// The key.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a key has at least one character.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether `c` can be part of a word: an operand, a key, a keyword.
pub(crate) fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '(' | ')' | '\'' | '"' | '=' | '<' | '>')
}

/// How a condition compares the operand's value with its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparator {
    /// `=`
    Equal,
    /// `<>`: always exactly `NOT (x = v)`.
    NotEqual,
    /// `<`
    Less,
    /// `>`
    Greater,
    /// `<=`
    LessOrEqual,
    /// `>=`
    GreaterOrEqual,
}

impl Comparator {
    /// The comparator as written.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Equal => "=",
            Comparator::NotEqual => "<>",
            Comparator::Less => "<",
            Comparator::Greater => ">",
            Comparator::LessOrEqual => "<=",
            Comparator::GreaterOrEqual => ">=",
        }
    }
}

/// The value of a condition.
///
/// `Debug` never shows a string value: a value searched for is a property
/// value, which is sensitive.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A string, compared exactly (case-sensitive).
    String(String),
    /// A whole number.
    Number(i64),
    /// `true` or `false`.
    Boolean(bool),
}

impl Value {
    /// The type of this value.
    #[must_use]
    pub fn operand_type(&self) -> OperandType {
        match self {
            Value::String(_) => OperandType::String,
            Value::Number(_) => OperandType::Number,
            Value::Boolean(_) => OperandType::Boolean,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(_) => f.debug_tuple("String").field(&Redacted).finish(),
            Value::Number(n) => f.debug_tuple("Number").field(n).finish(),
            Value::Boolean(b) => f.debug_tuple("Boolean").field(b).finish(),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Boolean(b)
    }
}

/// A parsed sort expression: one operand, ascending or descending.
///
/// ```
/// use gamelift_session::search::{Operand, SortExpression, SortOrder};
///
/// let sort: SortExpression = "playerSessionCount DESC".parse()?;
/// assert_eq!(sort, SortExpression::new(Operand::PlayerSessionCount, SortOrder::Descending));
/// # Ok::<(), gamelift_session::search::ExpressionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct SortExpression {
    /// What to sort by.
    pub operand: Operand,
    /// Which way.
    pub order: SortOrder,
}

impl SortExpression {
    /// Sorts by `operand` in `order`.
    #[must_use]
    pub fn new(operand: Operand, order: SortOrder) -> Self {
        SortExpression { operand, order }
    }
}

/// Which way a sort runs. Sessions without a value come last either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// `ASC`: smallest first.
    Ascending,
    /// `DESC`: largest first.
    Descending,
}
