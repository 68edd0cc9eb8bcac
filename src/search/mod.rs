//! `SearchGameSessions`: the search that reads what updates write.
//!
//! A search names one fleet (or an alias of it), perhaps a location, a
//! filter and a sort, and answers the `ACTIVE` sessions that match, a page
//! of at most 20 at a time (SPEC section 7). The expressions are parsed
//! once into typed forms, [`FilterExpression`] and [`SortExpression`],
//! whose `Display` writes a
//! canonical text that parses back to the same value. The properties a
//! search can see are those its [`SearchIndex`] holds: never a key
//! containing a period, and only the first 500 distinct keys.
//!
//! # The filter language
//!
//! Conditions `operand comparator value`, joined by `AND`, `OR` and `NOT`
//! and grouped by parentheses. `NOT` binds tighter than `AND`, which binds
//! tighter than `OR`, as AWS documents: `A AND B OR C` is `(A AND B) OR C`
//! (one example in AWS's documentation reads it the other way; the stated
//! rule is followed here).
//!
//! | operand | type | read from |
//! |---|---|---|
//! | `gameSessionId` | string | `GameSessionId` (the full ARN) |
//! | `gameSessionName` | string | `Name` |
//! | `gameSessionProperties.<key>` | string | the value of the property `<key>` |
//! | `maximumSessions` | number | `MaximumPlayerSessionCount` |
//! | `creationTimeMillis` | number | `CreationTime`, in epoch milliseconds |
//! | `playerSessionCount` | number | `CurrentPlayerSessionCount` |
//! | `hasAvailablePlayerSessions` | boolean | policy `ACCEPT_ALL` and a free seat |
//!
//! - Comparators are `=`, `<>`, `<`, `>`, `<=` and `>=`; strings and
//!   booleans take `=` and `<>` only. Whitespace around them is optional.
//! - Strings are case-sensitive, in single or double quotes; a backslash
//!   makes the next character literal (`'Matt\'s game'`).
//! - Numbers are whole numbers that fit in 64 bits, optionally negative.
//! - The keywords `AND`, `OR`, `NOT`, `ASC`, `DESC` and the booleans `true`
//!   and `false` are read in any case; operand names are case-sensitive.
//! - Two-valued logic: a condition on a member or property the session
//!   lacks is false, except with `<>`, which is true. `x <> v` is always
//!   exactly `NOT (x = v)`.
//! - `hasAvailablePlayerSessions` is true when the session's creation
//!   policy is `ACCEPT_ALL`, its `MaximumPlayerSessionCount` is set and its
//!   `CurrentPlayerSessionCount` (0 when absent) is below it.
//! - Parentheses and `NOT` nest at most [`MAX_NESTING`] deep.
//!
//! A sort expression is one operand and `ASC` or `DESC`. Sessions without a
//! value for the operand come last in both directions; ties, and searches
//! without a sort, keep the order the sessions were given in (the store's
//! creation order, where AWS promises no order).
//!
//! ```
//! use gamelift_session::search::{FilterExpression, SortExpression};
//!
//! let filter: FilterExpression =
//!     "maximumSessions>=10 AND hasAvailablePlayerSessions=true".parse()?;
//! assert_eq!(filter.to_string(), "maximumSessions >= 10 AND hasAvailablePlayerSessions = true");
//!
//! let err = "gameSessionName < 'x'".parse::<FilterExpression>().unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "FilterExpression is invalid at character 17: \
//!      expected = or <> for a string operand, found <"
//! );
//!
//! let sort: SortExpression = "creationTimeMillis desc".parse()?;
//! assert_eq!(sort.to_string(), "creationTimeMillis DESC");
//! # Ok::<(), gamelift_session::search::ExpressionError>(())
//! ```

mod display;
mod eval;
mod expression;
mod index;
mod intern;
mod parse;
mod request;
mod rows;

pub use expression::{
    Comparator, Condition, FilterExpression, Operand, OperandType, PropertyKey, SortExpression,
    SortOrder, Value,
};
pub use index::SearchIndex;
pub(crate) use intern::Strings;
pub use parse::{Expected, ExpressionError, ExpressionKind, Found, MAX_CONDITIONS, MAX_NESTING};
pub use request::{
    SearchGameSessionsInput, SearchGameSessionsOutput, ValidatedSearch, search_game_sessions,
};
pub(crate) use rows::{Chunk, Plan, RowRef};
