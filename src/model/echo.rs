//! How a message shows what a request sent: cut to [`ECHO_LIMIT`]
//! characters, sensitive values never.

use std::fmt;

/// How many characters of an offending value a message echoes before `...`.
pub const ECHO_LIMIT: usize = 256;

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
