//! Property tests of the search: the parser never panics and reads back
//! what `Display` writes; evaluation agrees with a reference written
//! directly from the grammar; `x <> v` is `NOT (x = v)`; paging through a
//! search yields the unpaged result; and no search returns a non-ACTIVE
//! session or a key the index does not hold.

mod util;

use std::collections::{BTreeMap, HashSet};

use gamelift_session::{
    GameProperty, GameSession, GameSessionStatus, Limits,
    model::{MAX_MESSAGE_BYTES, PlayerSessionCreationPolicy},
    search::{
        Comparator, Condition, FilterExpression, SearchGameSessionsInput, SearchIndex,
        SortExpression, SortOrder, Value, search_game_sessions,
    },
};
use proptest::prelude::*;
use time::OffsetDateTime;
use util::search::{KEYS, STRINGS, condition, filter, sort};
use util::{proptest_config, status};

const FLEET: &str = "fleet-1a2b";

/// Sessions of two fleets and two locations, in every status, with
/// properties from a small pool so that filters often match.
fn sessions() -> impl Strategy<Value = Vec<GameSession>> {
    let one = (
        status(),
        prop::bool::weighted(0.85),
        prop::bool::weighted(0.8),
        prop::option::weighted(0.9, prop::sample::select(&STRINGS[..])),
        prop::option::weighted(0.9, 0i32..12),
        prop::option::weighted(0.9, 0i32..12),
        prop::option::weighted(0.9, any::<bool>()),
        prop::option::weighted(0.9, 0i64..6),
        prop::collection::vec(
            (
                prop::sample::select(&KEYS[..]),
                prop::sample::select(&STRINGS[..]),
            ),
            0..5,
        ),
    );
    prop::collection::vec(one, 0..40).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(
                |(i, (status, ours, home, name, count, max, accept, created, props))| {
                    let mut s = GameSession::default();
                    let fleet = if ours { FLEET } else { "fleet-other" };
                    s.game_session_id = Some(format!(
                        "arn:aws:gamelift:us-west-2::gamesession/{fleet}/gs-{i}"
                    ));
                    s.fleet_id = Some(fleet.to_owned());
                    s.status = Some(status);
                    s.location = Some(if home { "us-west-2" } else { "eu-west-1" }.to_owned());
                    s.name = name.map(str::to_owned);
                    s.current_player_session_count = count;
                    s.maximum_player_session_count = max;
                    s.player_session_creation_policy = accept.map(|a| {
                        if a {
                            PlayerSessionCreationPolicy::AcceptAll
                        } else {
                            PlayerSessionCreationPolicy::DenyAll
                        }
                    });
                    s.creation_time = created
                        .and_then(|c| OffsetDateTime::from_unix_timestamp(1_700_000_000 + c).ok());
                    let mut seen = HashSet::new();
                    s.game_properties = Some(
                        props
                            .into_iter()
                            .filter(|(k, _)| seen.insert(*k))
                            .map(|(k, v)| GameProperty::new(k, v))
                            .collect(),
                    );
                    s
                },
            )
            .collect()
    })
}

/// A small index, so that some searchable keys are left out of it.
fn limits() -> Limits {
    let mut limits = Limits::AWS;
    limits.max_search_index_keys = 3;
    limits
}

// ---- The reference ------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Plain {
    Text(String),
    Number(i64),
    Flag(bool),
}

/// A session as the search sees it: operand text to value, straight from
/// the members, holding only the properties the index holds.
fn record(s: &GameSession, index: &SearchIndex) -> BTreeMap<String, Plain> {
    let mut r = BTreeMap::new();
    if let Some(id) = &s.game_session_id {
        r.insert("gameSessionId".to_owned(), Plain::Text(id.clone()));
    }
    if let Some(name) = &s.name {
        r.insert("gameSessionName".to_owned(), Plain::Text(name.clone()));
    }
    for p in s.game_properties() {
        if index.holds(&p.key) {
            r.insert(
                format!("gameSessionProperties.{}", p.key),
                Plain::Text(p.value.clone()),
            );
        }
    }
    if let Some(max) = s.maximum_player_session_count {
        r.insert("maximumSessions".to_owned(), Plain::Number(max.into()));
    }
    if let Some(count) = s.current_player_session_count {
        r.insert("playerSessionCount".to_owned(), Plain::Number(count.into()));
    }
    if let Some(t) = s.creation_time {
        r.insert(
            "creationTimeMillis".to_owned(),
            Plain::Number(t.unix_timestamp() * 1000),
        );
    }
    let open = s.player_session_creation_policy == Some(PlayerSessionCreationPolicy::AcceptAll)
        && s.maximum_player_session_count
            .is_some_and(|m| s.current_player_session_count.unwrap_or(0) < m);
    r.insert("hasAvailablePlayerSessions".to_owned(), Plain::Flag(open));
    r
}

/// The grammar's meaning, case by case: a condition on a missing value is
/// false, but for `<>`, which is true.
fn reference(expr: &FilterExpression, rec: &BTreeMap<String, Plain>) -> bool {
    match expr {
        FilterExpression::Not(x) => !reference(x, rec),
        FilterExpression::And(a, b) => reference(a, rec) && reference(b, rec),
        FilterExpression::Or(a, b) => reference(a, rec) || reference(b, rec),
        FilterExpression::Condition(cond) => {
            let actual = rec.get(&cond.operand().to_string());
            match (cond.comparator(), actual, cond.value()) {
                (Comparator::Equal, Some(Plain::Text(a)), Value::String(b)) => a == b,
                (Comparator::Equal, Some(Plain::Number(a)), Value::Number(b)) => a == b,
                (Comparator::Equal, Some(Plain::Flag(a)), Value::Boolean(b)) => a == b,
                (Comparator::NotEqual, Some(Plain::Text(a)), Value::String(b)) => a != b,
                (Comparator::NotEqual, Some(Plain::Number(a)), Value::Number(b)) => a != b,
                (Comparator::NotEqual, Some(Plain::Flag(a)), Value::Boolean(b)) => a != b,
                (Comparator::NotEqual, None, _) => true,
                (Comparator::Less, Some(Plain::Number(a)), Value::Number(b)) => a < b,
                (Comparator::Greater, Some(Plain::Number(a)), Value::Number(b)) => a > b,
                (Comparator::LessOrEqual, Some(Plain::Number(a)), Value::Number(b)) => a <= b,
                (Comparator::GreaterOrEqual, Some(Plain::Number(a)), Value::Number(b)) => a >= b,
                _ => false,
            }
        }
    }
}

/// The whole search by the reference: ACTIVE sessions of the fleet that
/// match, stably sorted with missing values last.
fn unpaged<'s>(
    sessions: &'s [GameSession],
    index: &SearchIndex,
    filter: Option<&FilterExpression>,
    sort: Option<&SortExpression>,
) -> Vec<&'s GameSession> {
    let mut found: Vec<(&GameSession, BTreeMap<String, Plain>)> = sessions
        .iter()
        .filter(|s| {
            s.status == Some(GameSessionStatus::Active) && s.fleet_id.as_deref() == Some(FLEET)
        })
        .map(|s| (s, record(s, index)))
        .filter(|(_, r)| filter.is_none_or(|f| reference(f, r)))
        .collect();
    if let Some(sort) = sort {
        let name = sort.operand.to_string();
        found.sort_by(|(_, a), (_, b)| {
            let rank = |p: &Plain| match p {
                Plain::Text(t) => (0, t.clone(), 0),
                Plain::Number(n) => (0, String::new(), *n),
                Plain::Flag(f) => (0, String::new(), i64::from(*f)),
            };
            match (a.get(&name).map(rank), b.get(&name).map(rank)) {
                (Some(x), Some(y)) if sort.order == SortOrder::Ascending => x.cmp(&y),
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        });
    }
    found.into_iter().map(|(s, _)| s).collect()
}

fn ids<'a>(sessions: impl IntoIterator<Item = &'a GameSession>) -> Vec<String> {
    sessions
        .into_iter()
        .map(|s| s.game_session_id.clone().unwrap_or_default())
        .collect()
}

proptest! {
    #![proptest_config(proptest_config(512))]

    #[test]
    fn prop_the_parser_never_panics_and_errors_stay_small(text in prop_oneof![
        any::<String>(),
        "[a-zA-Z.() <>=!'\"\\\\0-9-]{0,80}",
        prop::collection::vec(prop::sample::select(&[
            "maximumSessions", "gameSessionProperties.mode", "gameSessionName", "hasAvailablePlayerSessions",
            "AND", "OR", "NOT", "(", ")", "=", "<>", "<", ">=", "'x'", "\"y\"", "3", "-1", "true", " ", "'", "\\",
        ][..]), 0..16).prop_map(|parts| parts.concat()),
    ]) {
        for kind in 0..2 {
            let result = if kind == 0 {
                text.parse::<FilterExpression>().map(|e| e.to_string())
            } else {
                text.parse::<SortExpression>().map(|e| e.to_string())
            };
            match result {
                Ok(canonical) => {
                    // What parses once parses again from its canonical text.
                    if kind == 0 {
                        prop_assert_eq!(canonical.parse::<FilterExpression>().ok(), text.parse().ok());
                    } else {
                        prop_assert_eq!(canonical.parse::<SortExpression>().ok(), text.parse().ok());
                    }
                }
                Err(e) => {
                    prop_assert!(e.position >= 1 && e.position <= text.chars().count() + 1, "{}", e);
                    prop_assert!(e.to_string().len() <= MAX_MESSAGE_BYTES);
                }
            }
        }
    }

    #[test]
    fn prop_display_parses_back_to_the_same_expression(f in filter(), s in sort()) {
        let text = f.to_string();
        prop_assert_eq!(text.parse::<FilterExpression>(), Ok(f), "{}", text);
        let text = s.to_string();
        prop_assert_eq!(text.parse::<SortExpression>(), Ok(s), "{}", text);
    }

    #[test]
    fn prop_evaluation_agrees_with_the_reference(f in filter(), sessions in sessions()) {
        let index = SearchIndex::of(&limits(), &sessions);
        for s in &sessions {
            prop_assert_eq!(f.matches(s, &index), reference(&f, &record(s, &index)), "{}", f);
        }
    }

    #[test]
    fn prop_not_equal_is_not_of_equal(c in condition(), sessions in sessions()) {
        let index = SearchIndex::of(&limits(), &sessions);
        let equal = Condition::new(c.operand().clone(), Comparator::Equal, c.value().clone())
            .expect("= fits every type");
        let not_equal = Condition::new(c.operand().clone(), Comparator::NotEqual, c.value().clone())
            .expect("<> fits every type");
        let negated = !FilterExpression::from(equal);
        let not_equal = FilterExpression::from(not_equal);
        for s in &sessions {
            prop_assert_eq!(not_equal.matches(s, &index), negated.matches(s, &index));
        }
    }

    #[test]
    fn prop_paging_yields_the_unpaged_result_in_order_once(
        sessions in sessions(),
        f in prop::option::of(filter()),
        s in prop::option::of(sort()),
        limit in 1i32..25,
    ) {
        let index = SearchIndex::of(&limits(), &sessions);
        let expected = ids(unpaged(&sessions, &index, f.as_ref(), s.as_ref()));
        let mut input = SearchGameSessionsInput::for_fleet(FLEET).limit(limit);
        input.filter_expression = f.as_ref().map(ToString::to_string);
        input.sort_expression = s.as_ref().map(ToString::to_string);
        let mut seen = Vec::new();
        for _ in 0..=sessions.len() {
            let out = search_game_sessions(&input, &sessions, &index, None).expect("a valid search");
            let page = out.game_sessions.expect("always present");
            prop_assert!(page.len() <= usize::try_from(limit.min(20)).expect("positive"));
            for g in &page {
                prop_assert_eq!(g.status, Some(GameSessionStatus::Active));
                prop_assert!(g.game_properties().iter().all(|p| index.holds(&p.key)));
                prop_assert!(g.game_properties().iter().all(|p| !p.key.contains('.')));
            }
            seen.extend(ids(page.iter().map(AsRef::as_ref)));
            match out.next_token {
                Some(token) => input.next_token = Some(token),
                None => break,
            }
        }
        let distinct: HashSet<&String> = seen.iter().collect();
        prop_assert_eq!(distinct.len(), seen.len(), "no session twice");
        prop_assert_eq!(seen, expected);
    }
}
