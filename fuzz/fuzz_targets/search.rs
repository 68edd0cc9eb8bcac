//! SearchGameSessions: the first byte picks what the rest is — a filter
//! expression, a sort expression, or a JSON `SearchGameSessionsInput` run
//! over a fixed store of sessions.
#![no_main]

mod laws;

use gamelift_session::{
    GameLiftError, GameProperty, GameSession, GameSessionDetail, GameSessionStatus, Limits,
    SessionTable,
    model::{MAX_MESSAGE_BYTES, PlayerSessionCreationPolicy},
    search::{
        FilterExpression, SearchGameSessionsInput, SearchIndex, SortExpression,
        search_game_sessions,
    },
};
use libfuzzer_sys::fuzz_target;
use time::OffsetDateTime;

/// Forty sessions over two fleets, every status, period keys and a key
/// index too small for all the keys; and a table of the same sessions.
fn store() -> (Vec<GameSession>, SearchIndex, SessionTable) {
    let statuses = [
        GameSessionStatus::Active,
        GameSessionStatus::Activating,
        GameSessionStatus::Terminated,
    ];
    let sessions: Vec<GameSession> = (0..40_i32)
        .map(|i| {
            let mut s = GameSession::default();
            let fleet = if i % 4 == 0 { "fleet-2" } else { "fleet-1" };
            s.game_session_id = Some(format!(
                "arn:aws:gamelift:us-west-2::gamesession/{fleet}/gs-{i}"
            ));
            s.fleet_id = Some(fleet.to_owned());
            s.name = (i % 5 != 0).then(|| format!("game {}", i % 7));
            s.status = Some(statuses[(i % 3) as usize]);
            s.location = Some(if i % 6 == 0 { "eu-west-1" } else { "us-west-2" }.to_owned());
            s.current_player_session_count = Some(i % 4);
            s.maximum_player_session_count = (i % 9 != 0).then_some(i % 5);
            s.player_session_creation_policy = Some(if i % 8 == 0 {
                PlayerSessionCreationPolicy::DenyAll
            } else {
                PlayerSessionCreationPolicy::AcceptAll
            });
            s.creation_time =
                OffsetDateTime::from_unix_timestamp(1_700_000_000 + i64::from(i % 10)).ok();
            s.game_properties = Some(vec![
                GameProperty::new("mode", ["ranked", "casual", "it's"][(i % 3) as usize]),
                GameProperty::new("map.name", "harbor"),
                GameProperty::new(format!("k{}", i % 6), "v"),
            ]);
            s
        })
        .collect();
    let mut limits = Limits::AWS;
    limits.max_search_index_keys = 5;
    let index = SearchIndex::of(&limits, &sessions);
    let mut table = SessionTable::new(&limits);
    for s in &sessions {
        table
            .insert(GameSessionDetail::new(s.clone(), None))
            .expect("distinct ids");
    }
    (sessions, index, table)
}

/// Built once: every input searches the same store.
static STORE: std::sync::LazyLock<(Vec<GameSession>, SearchIndex, SessionTable)> =
    std::sync::LazyLock::new(store);

fuzz_target!(|bytes: &[u8]| {
    let Some((&mode, body)) = bytes.split_first() else {
        return;
    };
    let (sessions, index, table) = &*STORE;
    match mode % 3 {
        0 | 1 => {
            let Ok(text) = std::str::from_utf8(body) else {
                return;
            };
            let result = if mode % 3 == 0 {
                text.parse::<FilterExpression>().map(|f| {
                    // Evaluation is total.
                    for s in sessions {
                        let _ = f.matches(s, &index);
                    }
                    let canonical = f.to_string();
                    assert_eq!(
                        canonical.parse::<FilterExpression>().as_ref(),
                        Ok(&f),
                        "{canonical}"
                    );
                })
            } else {
                text.parse::<SortExpression>().map(|s| {
                    let canonical = s.to_string();
                    assert_eq!(
                        canonical.parse::<SortExpression>().as_ref(),
                        Ok(&s),
                        "{canonical}"
                    );
                })
            };
            if let Err(e) = result {
                assert!(
                    e.position >= 1 && e.position <= text.chars().count() + 1,
                    "{e}"
                );
                let message = e.to_string();
                assert!(message.len() <= MAX_MESSAGE_BYTES);
                // The message is made of its parts, none of which is text
                // from the expression.
                assert_eq!(
                    message,
                    format!(
                        "{} is invalid at character {}: expected {}, found {}",
                        e.kind, e.position, e.expected, e.found
                    )
                );
                laws::check_error(&GameLiftError::from(e));
            }
        }
        _ => {
            let input: SearchGameSessionsInput = match serde_json::from_slice(body) {
                Ok(input) => input,
                Err(e) => {
                    laws::check_parse_error(GameLiftError::serialization(e));
                    return;
                }
            };
            let answer = search_game_sessions(&input, sessions, index, Some("fleet-1"));
            // The table's rows answer what the slice's sessions answer.
            let from_rows = input
                .validate()
                .and_then(|v| table.search(&v, Some("fleet-1")));
            assert_eq!(from_rows, answer);
            match answer {
                Ok(out) => {
                    let page = out.game_sessions.expect("always present");
                    assert!(page.len() <= 20);
                    for s in &page {
                        assert_eq!(s.status, Some(GameSessionStatus::Active));
                        assert!(s.game_properties().iter().all(|p| index.holds(&p.key)));
                    }
                    if let Some(token) = out.next_token {
                        // The token names the page's last session.
                        let last = page.last().and_then(|s| s.game_session_id.as_deref());
                        assert_eq!(Some(token.as_str()), last);
                    }
                }
                Err(e) => {
                    laws::check_error(&e);
                    if let Some(filter) = input.filter_expression.as_deref() {
                        // A filter's strings are property values: never echoed.
                        for literal in filter.split(['\'', '"']).skip(1).step_by(2) {
                            if literal.len() >= 8
                                && !input
                                    .fleet_id
                                    .as_deref()
                                    .unwrap_or_default()
                                    .contains(literal)
                                && !input
                                    .alias_id
                                    .as_deref()
                                    .unwrap_or_default()
                                    .contains(literal)
                                && !input
                                    .location
                                    .as_deref()
                                    .unwrap_or_default()
                                    .contains(literal)
                                && !input
                                    .sort_expression
                                    .as_deref()
                                    .unwrap_or_default()
                                    .contains(literal)
                                && !input
                                    .next_token
                                    .as_deref()
                                    .unwrap_or_default()
                                    .contains(literal)
                            {
                                // Echoed values are quoted: `Value '<text>'`. A
                                // literal that is also a word of the language
                                // ("ameSession" in every operand list) is no echo.
                                let echoed = format!("'{literal}");
                                assert!(!e.to_string().contains(&echoed), "{e}");
                            }
                        }
                    }
                }
            }
        }
    }
});
