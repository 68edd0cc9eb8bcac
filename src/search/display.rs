//! The canonical text of an expression: what `Display` writes, which parses
//! back to an equal value.
//!
//! One space around comparators and keywords, strings in single quotes with
//! `\` and `'` escaped, and parentheses only where the tree needs them:
//! around an `OR` inside an `AND` or a `NOT`, around the right side of an
//! `AND` or `OR` that is itself one (`A AND (B AND C)` is another tree than
//! `A AND B AND C`), and around an `AND` inside a `NOT`.

use std::fmt::{self, Display, Formatter, Write};

use super::expression::{
    Comparator, Condition, FilterExpression, Operand, PropertyKey, SortExpression, SortOrder, Value,
};

impl Display for FilterExpression {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            FilterExpression::Condition(c) => c.fmt(f),
            FilterExpression::Not(x) => {
                f.write_str("NOT ")?;
                grouped(
                    f,
                    x,
                    matches!(**x, FilterExpression::And(..) | FilterExpression::Or(..)),
                )
            }
            FilterExpression::And(l, r) => {
                grouped(f, l, matches!(**l, FilterExpression::Or(..)))?;
                f.write_str(" AND ")?;
                grouped(
                    f,
                    r,
                    matches!(**r, FilterExpression::And(..) | FilterExpression::Or(..)),
                )
            }
            FilterExpression::Or(l, r) => {
                l.fmt(f)?;
                f.write_str(" OR ")?;
                grouped(f, r, matches!(**r, FilterExpression::Or(..)))
            }
        }
    }
}

/// Writes `x`, in parentheses when `parenthesize`.
fn grouped(f: &mut Formatter<'_>, x: &FilterExpression, parenthesize: bool) -> fmt::Result {
    if parenthesize {
        write!(f, "({x})")
    } else {
        x.fmt(f)
    }
}

impl Display for Condition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.operand(),
            self.comparator(),
            self.value()
        )
    }
}

impl Display for Operand {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Operand::Property(key) = self {
            return write!(f, "gameSessionProperties.{key}");
        }
        let name = Operand::NAMED
            .iter()
            .find(|(_, operand)| operand == self)
            .map_or("", |(name, _)| name);
        f.write_str(name)
    }
}

impl Display for PropertyKey {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Display for Comparator {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Writes the value as the language writes it: this is the wire text of a
/// value, so it shows a string in full (unlike `Debug`).
impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => {
                f.write_char('\'')?;
                for c in s.chars() {
                    if matches!(c, '\'' | '\\') {
                        f.write_char('\\')?;
                    }
                    f.write_char(c)?;
                }
                f.write_char('\'')
            }
            Value::Number(n) => n.fmt(f),
            Value::Boolean(b) => b.fmt(f),
        }
    }
}

impl Display for SortExpression {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let order = match self.order {
            SortOrder::Ascending => "ASC",
            SortOrder::Descending => "DESC",
        };
        write!(f, "{} {order}", self.operand)
    }
}
