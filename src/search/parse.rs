//! Reading filter and sort expressions: a lexer that hands out one token at
//! a time, and a recursive-descent parser over AWS's precedence (`NOT`,
//! then `AND`, then `OR`). Every error names the character where reading
//! stopped, what was expected there and what kind of thing was found; it
//! never quotes the expression, whose strings are property values.

use std::fmt;
use std::str::FromStr;

use super::expression::{
    Comparator, Condition, FilterExpression, Operand, OperandType, PropertyKey, SortExpression,
    SortOrder, Value, is_word_char,
};
use crate::model::error::GameLiftError;

/// How deep parentheses and `NOT`s may nest in a filter expression.
pub const MAX_NESTING: usize = 64;

/// How many conditions a filter expression may hold. A 1,024-character
/// expression holds at most about 60; the bound keeps every walk of the
/// tree shallow whatever text reaches the parser.
pub const MAX_CONDITIONS: usize = 256;

/// The operand prefix of a game property.
const PROPERTIES: &str = "gameSessionProperties";

/// Which expression an [`ExpressionError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpressionKind {
    /// The request's `FilterExpression`.
    Filter,
    /// The request's `SortExpression`.
    Sort,
}

impl fmt::Display for ExpressionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExpressionKind::Filter => "FilterExpression",
            ExpressionKind::Sort => "SortExpression",
        })
    }
}

/// A filter or sort expression that does not parse, or is not well typed.
///
/// `position` counts characters (Unicode scalar values) from 1; the end of
/// the expression is one past its last character. The message is bounded:
/// it never quotes the expression.
///
/// ```
/// use gamelift_session::search::{Expected, ExpressionError, FilterExpression, Found};
///
/// let err = "maximumSessions >= 'ten'".parse::<FilterExpression>().unwrap_err();
/// assert_eq!((err.position, err.found), (20, Found::String));
/// assert_eq!(
///     err.to_string(),
///     "FilterExpression is invalid at character 20: \
///      expected a whole number for a number operand, found a string"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{kind} is invalid at character {position}: expected {expected}, found {found}")]
#[non_exhaustive]
pub struct ExpressionError {
    /// The expression in error.
    pub kind: ExpressionKind,
    /// Where reading stopped, in characters from 1.
    pub position: usize,
    /// What the language allows there.
    pub expected: Expected,
    /// What was there instead.
    pub found: Found,
}

impl From<ExpressionError> for GameLiftError {
    fn from(e: ExpressionError) -> Self {
        GameLiftError::invalid_request(e.to_string())
    }
}

/// What an expression must have where it went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Expected {
    /// An operand name.
    Operand,
    /// A key after `gameSessionProperties.`.
    PropertyKey,
    /// One of the six comparators.
    Comparator,
    /// `=` or `<>`: the operand is a string or a boolean.
    Equality(OperandType),
    /// A value of the operand's type.
    Value(OperandType),
    /// What may follow a condition: `AND`, `OR`, the end, and `)` inside
    /// parentheses.
    Connective {
        /// Whether a `)` would close an open parenthesis.
        in_parentheses: bool,
    },
    /// The quote that closes a string.
    ClosingQuote,
    /// `ASC` or `DESC`.
    Order,
    /// Nothing more.
    End,
    /// No deeper nesting than [`MAX_NESTING`].
    ShallowerNesting,
    /// No more conditions than [`MAX_CONDITIONS`].
    FewerConditions,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Operand => f.write_str(
                "an operand (gameSessionId, gameSessionName, gameSessionProperties.<key>, \
                 maximumSessions, creationTimeMillis, playerSessionCount or \
                 hasAvailablePlayerSessions)",
            ),
            Expected::PropertyKey => f.write_str("a property key after gameSessionProperties."),
            Expected::Comparator => f.write_str("a comparator (=, <>, <, >, <= or >=)"),
            Expected::Equality(ty) => write!(f, "= or <> for {ty} operand"),
            Expected::Value(ty) => {
                let value = match ty {
                    OperandType::String => "a string in quotes",
                    OperandType::Number => "a whole number",
                    OperandType::Boolean => "true or false",
                };
                write!(f, "{value} for {ty} operand")
            }
            Expected::Connective {
                in_parentheses: true,
            } => f.write_str("AND, OR or )"),
            Expected::Connective {
                in_parentheses: false,
            } => f.write_str("AND, OR or the end of the expression"),
            Expected::ClosingQuote => f.write_str("the closing quote of the string"),
            Expected::Order => f.write_str("ASC or DESC"),
            Expected::End => f.write_str("the end of the expression"),
            Expected::ShallowerNesting => {
                write!(f, "at most {MAX_NESTING} nested parentheses and NOTs")
            }
            Expected::FewerConditions => write!(f, "at most {MAX_CONDITIONS} conditions"),
        }
    }
}

/// What an expression had where it went wrong: a kind of token, never its
/// text, except for the language's own symbols and keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Found {
    /// The end of the expression.
    End,
    /// A parenthesis or comparator, as written.
    Symbol(&'static str),
    /// A keyword or boolean, in its canonical spelling.
    Keyword(&'static str),
    /// An operand name.
    Operand,
    /// A word that is none of the language's.
    Word,
    /// A whole number.
    Number,
    /// A number with a fraction or an exponent.
    Fraction,
    /// A whole number too large for 64 bits.
    OutOfRange,
    /// A quoted string.
    String,
    /// One level of nesting, or one condition, too many.
    OneMore,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::End => f.write_str("the end of the expression"),
            Found::Symbol(s) | Found::Keyword(s) => f.write_str(s),
            Found::Operand => f.write_str("an operand"),
            Found::Word => f.write_str("an unknown word"),
            Found::Number => f.write_str("a number"),
            Found::Fraction => f.write_str("a number that is not whole"),
            Found::OutOfRange => f.write_str("a number beyond 64 bits"),
            Found::String => f.write_str("a string"),
            Found::OneMore => f.write_str("one more"),
        }
    }
}

/// The words the language reserves, in their canonical spelling; they are
/// read in any case.
const KEYWORDS: [&str; 7] = ["AND", "OR", "NOT", "ASC", "DESC", "true", "false"];

/// One token, and the character it starts at (from 1).
#[derive(Debug, Clone, PartialEq)]
struct Token<'a> {
    at: usize,
    kind: Tok<'a>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    End,
    Open,
    Close,
    Compare(Comparator),
    String(String),
    Word(&'a str),
}

impl Tok<'_> {
    fn found(&self) -> Found {
        match self {
            Tok::End => Found::End,
            Tok::Open => Found::Symbol("("),
            Tok::Close => Found::Symbol(")"),
            Tok::Compare(c) => Found::Symbol(c.as_str()),
            Tok::String(_) => Found::String,
            Tok::Word(w) => {
                if let Some(k) = keyword(w) {
                    Found::Keyword(k)
                } else if Operand::NAMED.iter().any(|(n, _)| n == w)
                    || w.strip_prefix(PROPERTIES)
                        .is_some_and(|k| k.starts_with('.'))
                {
                    Found::Operand
                } else {
                    match number(w) {
                        Ok(_) => Found::Number,
                        Err(found) => found,
                    }
                }
            }
        }
    }

    fn is_keyword(&self, canonical: &str) -> bool {
        matches!(self, Tok::Word(w) if w.eq_ignore_ascii_case(canonical))
    }
}

/// The canonical spelling of `word` when it is a keyword.
fn keyword(word: &str) -> Option<&'static str> {
    KEYWORDS.into_iter().find(|k| k.eq_ignore_ascii_case(word))
}

/// `word` as a whole number, or what kind of word it is instead.
fn number(word: &str) -> Result<i64, Found> {
    let digits = word.strip_prefix(['-', '+']).unwrap_or(word);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().map_err(|_| Found::OutOfRange);
    }
    let numeric =
        digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') && word.parse::<f64>().is_ok();
    Err(if numeric {
        Found::Fraction
    } else {
        Found::Word
    })
}

/// Hands out the tokens of an expression one at a time, with one of lookahead.
struct Parser<'a> {
    kind: ExpressionKind,
    rest: &'a str,
    /// Characters consumed so far.
    consumed: usize,
    peeked: Option<Token<'a>>,
    depth: usize,
    conditions: usize,
}

impl<'a> Parser<'a> {
    fn new(kind: ExpressionKind, text: &'a str) -> Self {
        Parser {
            kind,
            rest: text,
            consumed: 0,
            peeked: None,
            depth: 0,
            conditions: 0,
        }
    }

    fn error(&self, at: usize, expected: Expected, found: Found) -> ExpressionError {
        ExpressionError {
            kind: self.kind,
            position: at,
            expected,
            found,
        }
    }

    fn bump(&mut self, c: char) {
        self.rest = &self.rest[c.len_utf8()..];
        self.consumed += 1;
    }

    fn lex(&mut self) -> Result<Token<'a>, ExpressionError> {
        while let Some(c) = self.rest.chars().next().filter(|c| c.is_whitespace()) {
            self.bump(c);
        }
        let at = self.consumed + 1;
        let Some(c) = self.rest.chars().next() else {
            return Ok(Token { at, kind: Tok::End });
        };
        let kind = match c {
            '(' | ')' => {
                self.bump(c);
                if c == '(' { Tok::Open } else { Tok::Close }
            }
            '=' | '<' | '>' => {
                self.bump(c);
                let next = self.rest.chars().next();
                let (comparator, second) = match (c, next) {
                    ('<', Some('>')) => (Comparator::NotEqual, next),
                    ('<', Some('=')) => (Comparator::LessOrEqual, next),
                    ('>', Some('=')) => (Comparator::GreaterOrEqual, next),
                    ('<', _) => (Comparator::Less, None),
                    ('>', _) => (Comparator::Greater, None),
                    _ => (Comparator::Equal, None),
                };
                if let Some(second) = second {
                    self.bump(second);
                }
                Tok::Compare(comparator)
            }
            '\'' | '"' => Tok::String(self.string(c)?),
            _ => {
                let len = self
                    .rest
                    .find(|c: char| !is_word_char(c))
                    .unwrap_or(self.rest.len());
                let (word, rest) = self.rest.split_at(len);
                self.consumed += word.chars().count();
                self.rest = rest;
                Tok::Word(word)
            }
        };
        Ok(Token { at, kind })
    }

    /// The string whose opening `quote` is next; a backslash makes the
    /// character after it literal.
    fn string(&mut self, quote: char) -> Result<String, ExpressionError> {
        self.bump(quote);
        let mut value = String::new();
        let mut escaped = false;
        while let Some(c) = self.rest.chars().next() {
            self.bump(c);
            if escaped {
                value.push(c);
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == quote {
                return Ok(value);
            } else {
                value.push(c);
            }
        }
        Err(self.error(self.consumed + 1, Expected::ClosingQuote, Found::End))
    }

    fn peek(&mut self) -> Result<&Token<'a>, ExpressionError> {
        let token = match self.peeked.take() {
            Some(token) => token,
            None => self.lex()?,
        };
        Ok(self.peeked.insert(token))
    }

    fn next(&mut self) -> Result<Token<'a>, ExpressionError> {
        match self.peeked.take() {
            Some(token) => Ok(token),
            None => self.lex(),
        }
    }

    /// Consumes the keyword `canonical` if it is next.
    fn eat_keyword(&mut self, canonical: &str) -> Result<bool, ExpressionError> {
        let found = self.peek()?.kind.is_keyword(canonical);
        if found {
            self.next()?;
        }
        Ok(found)
    }

    /// Checks that nothing is left, or reports `expected` at what is.
    fn end(&mut self, expected: Expected) -> Result<(), ExpressionError> {
        let token = self.next()?;
        if token.kind == Tok::End {
            Ok(())
        } else {
            Err(self.error(token.at, expected, token.kind.found()))
        }
    }

    /// One level deeper, at the token starting at `at`.
    fn nest(&mut self, at: usize) -> Result<(), ExpressionError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error(at, Expected::ShallowerNesting, Found::OneMore));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<FilterExpression, ExpressionError> {
        let mut left = self.and()?;
        while self.eat_keyword("OR")? {
            left = left.or(self.and()?);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<FilterExpression, ExpressionError> {
        let mut left = self.unary()?;
        while self.eat_keyword("AND")? {
            left = left.and(self.unary()?);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<FilterExpression, ExpressionError> {
        let token = self.peek()?;
        let at = token.at;
        if token.kind.is_keyword("NOT") {
            self.next()?;
            self.nest(at)?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(!inner);
        }
        if token.kind == Tok::Open {
            self.next()?;
            self.nest(at)?;
            let inner = self.or()?;
            let close = self.next()?;
            if close.kind != Tok::Close {
                let expected = Expected::Connective {
                    in_parentheses: true,
                };
                return Err(self.error(close.at, expected, close.kind.found()));
            }
            self.depth -= 1;
            return Ok(inner);
        }
        self.condition().map(FilterExpression::Condition)
    }

    fn condition(&mut self) -> Result<Condition, ExpressionError> {
        let start = self.peek()?.at;
        self.conditions += 1;
        if self.conditions > MAX_CONDITIONS {
            return Err(self.error(start, Expected::FewerConditions, Found::OneMore));
        }
        let operand = self.operand()?;
        let ty = operand.operand_type();
        let token = self.next()?;
        let Tok::Compare(comparator) = token.kind else {
            return Err(self.error(token.at, Expected::Comparator, token.kind.found()));
        };
        let token_at = token.at;
        let value_token = self.next()?;
        let value = self.value(ty, &value_token)?;
        // The value's type was checked against the operand's; only the
        // comparator can still be refused.
        Condition::new(operand, comparator, value).map_err(|ty| {
            self.error(
                token_at,
                Expected::Equality(ty),
                Found::Symbol(comparator.as_str()),
            )
        })
    }

    fn operand(&mut self) -> Result<Operand, ExpressionError> {
        let token = self.next()?;
        let Tok::Word(word) = token.kind else {
            return Err(self.error(token.at, Expected::Operand, token.kind.found()));
        };
        if let Some((_, operand)) = Operand::NAMED.iter().find(|(name, _)| *name == word) {
            return Ok(operand.clone());
        }
        let Some(suffix) = word.strip_prefix(PROPERTIES) else {
            return Err(self.error(token.at, Expected::Operand, token.kind.found()));
        };
        let key = match suffix.strip_prefix('.') {
            Some(key) => key,
            None if suffix.is_empty() => suffix,
            // `gameSessionPropertiesX`: no operand at all.
            None => return Err(self.error(token.at, Expected::Operand, Found::Word)),
        };
        // The word ended where a key cannot go on, so a key is all of it.
        if let Some(key) = PropertyKey::new(key) {
            return Ok(Operand::Property(key));
        }
        let at = token.at + word.chars().count();
        let found = self.peek()?.kind.found();
        Err(self.error(at, Expected::PropertyKey, found))
    }

    fn value(&self, ty: OperandType, token: &Token<'_>) -> Result<Value, ExpressionError> {
        let found = match (&token.kind, ty) {
            (Tok::String(s), OperandType::String) => return Ok(Value::String(s.clone())),
            (Tok::Word(w), OperandType::Number) => match number(w) {
                Ok(n) => return Ok(Value::Number(n)),
                Err(Found::Word) => token.kind.found(),
                Err(found) => found,
            },
            (Tok::Word(w), OperandType::Boolean) if keyword(w) == Some("true") => {
                return Ok(Value::Boolean(true));
            }
            (Tok::Word(w), OperandType::Boolean) if keyword(w) == Some("false") => {
                return Ok(Value::Boolean(false));
            }
            (other, _) => other.found(),
        };
        Err(self.error(token.at, Expected::Value(ty), found))
    }

    fn sort(&mut self) -> Result<SortExpression, ExpressionError> {
        let operand = self.operand()?;
        let token = self.next()?;
        let order = if token.kind.is_keyword("ASC") {
            SortOrder::Ascending
        } else if token.kind.is_keyword("DESC") {
            SortOrder::Descending
        } else {
            return Err(self.error(token.at, Expected::Order, token.kind.found()));
        };
        self.end(Expected::End)?;
        Ok(SortExpression::new(operand, order))
    }
}

impl FromStr for FilterExpression {
    type Err = ExpressionError;

    /// Parses a filter expression.
    ///
    /// # Errors
    ///
    /// An [`ExpressionError`] at the first character that breaks the
    /// grammar or the types.
    fn from_str(text: &str) -> Result<Self, ExpressionError> {
        let mut parser = Parser::new(ExpressionKind::Filter, text);
        let filter = parser.or()?;
        parser.end(Expected::Connective {
            in_parentheses: false,
        })?;
        Ok(filter)
    }
}

impl FromStr for SortExpression {
    type Err = ExpressionError;

    /// Parses a sort expression.
    ///
    /// # Errors
    ///
    /// An [`ExpressionError`] at the first character that breaks the grammar.
    fn from_str(text: &str) -> Result<Self, ExpressionError> {
        Parser::new(ExpressionKind::Sort, text).sort()
    }
}
