//! Strategies for search expressions: well-typed filters and sorts over
//! a small pool of keys and strings, so that they often match.

use gamelift_session::search::{
    Comparator, Condition, FilterExpression, Operand, OperandType, PropertyKey, SortExpression,
    SortOrder, Value,
};
use proptest::prelude::*;

pub(crate) const KEYS: [&str; 6] = ["mode", "level", "Mode", "k0", "map.name", "a.b"];
pub(crate) const STRINGS: [&str; 10] = [
    "",
    "ranked",
    "Ranked",
    "it's",
    "a\\b",
    "say \"hi\"",
    "é",
    "10",
    "9",
    " x ",
];

pub(crate) fn key() -> impl Strategy<Value = PropertyKey> {
    prop::sample::select(&KEYS[..]).prop_map(|k| PropertyKey::new(k).expect("a valid key"))
}

pub(crate) fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(&STRINGS[..]).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

pub(crate) fn number() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => -2i64..14,
        1 => Just(1_700_000_003_000),
        1 => any::<i64>(),
    ]
}

pub(crate) fn operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        Just(Operand::GameSessionId),
        Just(Operand::GameSessionName),
        key().prop_map(Operand::Property),
        key().prop_map(Operand::Property),
        Just(Operand::MaximumSessions),
        Just(Operand::CreationTimeMillis),
        Just(Operand::PlayerSessionCount),
        Just(Operand::HasAvailablePlayerSessions),
    ]
}

pub(crate) fn comparator() -> impl Strategy<Value = Comparator> {
    prop::sample::select(
        &[
            Comparator::Equal,
            Comparator::NotEqual,
            Comparator::Less,
            Comparator::Greater,
            Comparator::LessOrEqual,
            Comparator::GreaterOrEqual,
        ][..],
    )
}

/// A well-typed condition: the operand decides the value's type, and the
/// comparator falls back to `=` or `<>` where the type takes no other.
pub(crate) fn condition() -> impl Strategy<Value = Condition> {
    (operand(), comparator(), text(), number(), any::<bool>()).prop_map(|(op, cmp, s, n, b)| {
        let value = match op.operand_type() {
            OperandType::String => Value::String(s),
            OperandType::Number => Value::Number(n),
            OperandType::Boolean => Value::Boolean(b),
        };
        let cmp = match (op.operand_type(), cmp) {
            (OperandType::Number, c) => c,
            (_, Comparator::Equal | Comparator::Less | Comparator::LessOrEqual) => {
                Comparator::Equal
            }
            _ => Comparator::NotEqual,
        };
        Condition::new(op, cmp, value).expect("well typed by construction")
    })
}

pub(crate) fn filter() -> impl Strategy<Value = FilterExpression> {
    condition()
        .prop_map(FilterExpression::Condition)
        .prop_recursive(5, 24, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|x| !x),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| a.and(b)),
                (inner.clone(), inner).prop_map(|(a, b)| a.or(b)),
            ]
        })
}

pub(crate) fn sort() -> impl Strategy<Value = SortExpression> {
    (operand(), any::<bool>()).prop_map(|(op, asc)| {
        SortExpression::new(
            op,
            if asc {
                SortOrder::Ascending
            } else {
                SortOrder::Descending
            },
        )
    })
}
