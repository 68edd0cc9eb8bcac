//! `SessionTable`'s own rules: ids are unique, `modify` is the only way in
//! and answers `None` past the end, an id change moves the id's entry,
//! `Debug` shows sizes and never a value, `clear` forgets everything, and a
//! prepared search sees the table as it was.

use gamelift_session::{
    GameProperty, GameSession, GameSessionDetail, GameSessionStatus, Limits, SessionTable,
    search::SearchGameSessionsInput,
};

fn detail(id: &str, mode: &str) -> GameSessionDetail {
    let mut s = GameSession::default();
    s.game_session_id = Some(id.to_owned());
    s.fleet_id = Some("fleet-1".to_owned());
    s.status = Some(GameSessionStatus::Active);
    s.game_properties = Some(vec![GameProperty::new("mode", mode)]);
    GameSessionDetail::new(s, None)
}

fn ids(table: &SessionTable, filter: &str) -> Vec<String> {
    let input = SearchGameSessionsInput::for_fleet("fleet-1").filter(filter);
    let valid = input.validate().expect("a valid search");
    table
        .search(&valid, None)
        .expect("a search")
        .game_sessions
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.game_session_id.clone())
        .collect()
}

#[test]
fn a_taken_id_is_handed_back_and_the_table_is_unchanged() {
    let mut table = SessionTable::default();
    assert_eq!(table.insert(detail("gs-1", "ranked")), Ok(0));
    let again = table.insert(detail("gs-1", "casual")).unwrap_err();
    assert_eq!(*again, detail("gs-1", "casual"));
    assert_eq!(table.len(), 1);
    assert_eq!(table.find("gs-1"), Some(&detail("gs-1", "ranked")));
    assert_eq!(
        ids(&table, "gameSessionProperties.mode = 'casual'"),
        Vec::<String>::new()
    );
}

#[test]
fn modify_past_the_end_changes_nothing_and_answers_none() {
    let mut table = SessionTable::default();
    table.insert(detail("gs-1", "ranked")).expect("new");
    assert_eq!(table.modify(1, |_| 7), None);
    assert_eq!(table.modify(0, |_| 7), Some(7));
}

#[test]
fn a_changed_value_is_found_by_its_new_value_only() {
    let mut table = SessionTable::default();
    table.insert(detail("gs-1", "ranked")).expect("new");
    table.insert(detail("gs-2", "ranked")).expect("new");
    table.modify(1, |d| {
        if let Some(s) = d.game_session.as_mut() {
            s.game_properties = Some(vec![GameProperty::new("mode", "casual")]);
        }
    });
    assert_eq!(
        ids(&table, "gameSessionProperties.mode = 'ranked'"),
        ["gs-1"]
    );
    assert_eq!(
        ids(&table, "gameSessionProperties.mode = 'casual'"),
        ["gs-2"]
    );
    assert_eq!(
        ids(&table, "gameSessionProperties.mode <> 'casual'"),
        ["gs-1"]
    );
    // "ranked" is held by one session now, "casual" by one: two strings
    // of values, and the fleet and no location.
    assert_eq!(
        format!("{table:?}"),
        "SessionTable { sessions: 2, indexed_keys: 1, strings: 3, .. }"
    );
}

#[test]
fn an_id_changed_by_modify_moves_its_entry() {
    let mut table = SessionTable::default();
    table.insert(detail("gs-1", "ranked")).expect("new");
    table.modify(0, |d| {
        if let Some(s) = d.game_session.as_mut() {
            s.game_session_id = Some("gs-renamed".to_owned());
        }
    });
    assert_eq!(table.position("gs-1"), None);
    assert_eq!(table.position("gs-renamed"), Some(0));
    assert_eq!(ids(&table, "gameSessionId = 'gs-renamed'"), ["gs-renamed"]);
}

#[test]
fn debug_never_shows_a_value() {
    let mut table = SessionTable::default();
    table
        .insert(detail("gs-1", "secret-value-1234"))
        .expect("new");
    let input = SearchGameSessionsInput::for_fleet("fleet-1")
        .filter("gameSessionProperties.mode = 'secret-value-1234'");
    let prepared = table
        .prepare(&input.validate().expect("valid"), None)
        .expect("prepared");
    for text in [format!("{table:?}"), format!("{prepared:?}")] {
        assert!(!text.contains("secret"), "{text}");
    }
}

#[test]
fn clear_forgets_sessions_keys_and_strings_but_keeps_the_capacity() {
    let mut limits = Limits::AWS;
    limits.max_search_index_keys = 1;
    let mut table = SessionTable::new(&limits);
    let mut d = detail("gs-1", "ranked");
    if let Some(s) = d.game_session.as_mut() {
        s.game_properties
            .get_or_insert_default()
            .push(GameProperty::new("region", "eu"));
    }
    table.insert(d).expect("new");
    assert_eq!(table.index().left_out().collect::<Vec<_>>(), ["region"]);
    table.clear();
    assert!(table.is_empty());
    assert_eq!(table.position("gs-1"), None);
    assert_eq!(
        format!("{table:?}"),
        "SessionTable { sessions: 0, indexed_keys: 0, strings: 0, .. }"
    );
    table.insert(detail("gs-2", "casual")).expect("new");
    let mut other = detail("gs-3", "x");
    if let Some(s) = other.game_session.as_mut() {
        s.game_properties = Some(vec![GameProperty::new("region", "eu")]);
    }
    table.insert(other).expect("new");
    assert_eq!(
        table.index().left_out().collect::<Vec<_>>(),
        ["region"],
        "still one key"
    );
}

#[test]
fn a_prepared_search_sees_the_table_as_it_was() {
    let mut table = SessionTable::default();
    for i in 0..130 {
        table
            .insert(detail(&format!("gs-{i:03}"), "ranked"))
            .expect("new");
    }
    let input = SearchGameSessionsInput::for_fleet("fleet-1")
        .filter("gameSessionProperties.mode = 'ranked'")
        .sort("gameSessionId DESC");
    let valid = input.validate().expect("valid");
    let prepared = table.prepare(&valid, None).expect("prepared");
    // Every session changes after: the prepared search reads none of it.
    for i in 0..130 {
        table.modify(i, |d| {
            if let Some(s) = d.game_session.as_mut() {
                s.game_properties = Some(vec![GameProperty::new("mode", "casual")]);
            }
        });
    }
    let page = prepared.run().game_sessions.unwrap_or_default();
    assert_eq!(page.len(), 20);
    assert_eq!(page[0].game_session_id.as_deref(), Some("gs-129"));
    assert_eq!(page[0].game_property("mode"), Some("ranked"));
    assert_eq!(
        table.search(&valid, None).expect("a search").game_sessions,
        Some(vec![])
    );
}

#[test]
fn removed_sessions_leave_gaps_that_close_and_their_strings_go() {
    let mut table = SessionTable::default();
    for n in 0..300 {
        let mode = if n % 2 == 0 {
            "even"
        } else {
            format!("odd-{n}").leak()
        };
        table.insert(detail(&format!("gs-{n}"), mode)).expect("new");
    }
    let before = format!("{table:?}");
    // Every odd session goes, and then most of the even ones: the gaps
    // pass half the places, so the table closes them.
    for n in (1..300).step_by(2) {
        let place = table.position(&format!("gs-{n}")).expect("stored");
        let removed = table.remove(place).expect("a session");
        assert_eq!(removed, detail(&format!("gs-{n}"), &format!("odd-{n}")));
        assert_eq!(table.remove(place), None, "a place is emptied once");
        assert_eq!(
            table.modify(place, |_| ()),
            None,
            "an empty place is not modified"
        );
    }
    for n in (0..200).step_by(2) {
        let place = table.position(&format!("gs-{n}")).expect("stored");
        table.remove(place).expect("a session");
    }
    assert_eq!(table.len(), 50);
    assert!(
        table.position("gs-298").expect("stored") < 150,
        "the gaps closed: the last session moved down"
    );
    let left: Vec<String> = (200..300).step_by(2).map(|n| format!("gs-{n}")).collect();
    assert_eq!(
        ids(&table, "gameSessionProperties.mode = 'even'"),
        left[..20]
    );
    let iterated: Vec<String> = table
        .iter()
        .filter_map(|d| d.game_session.as_ref()?.game_session_id.clone())
        .collect();
    assert_eq!(iterated, left);
    for id in &left {
        let place = table.position(id).expect("stored");
        assert_eq!(table.get(place), Some(&detail(id, "even")));
    }
    // The odd values are let go: a table of the 50 holds as many strings.
    let mut rebuilt = SessionTable::default();
    for d in table.iter() {
        rebuilt.insert(d.clone()).expect("new");
    }
    let strings = |t: &SessionTable| {
        let debug = format!("{t:?}");
        debug[debug.find("strings").expect("a count")..].to_owned()
    };
    assert_eq!(strings(&rebuilt), strings(&table));
    assert_ne!(
        strings(&table),
        before[before.find("strings").expect("a count")..]
    );
    // A search prepared before a removal still sees the session.
    let input =
        SearchGameSessionsInput::for_fleet("fleet-1").filter("gameSessionProperties.mode = 'even'");
    let valid = input.validate().expect("valid");
    let prepared = table.prepare(&valid, None).expect("prepared");
    let first = table.position("gs-200").expect("stored");
    table.remove(first).expect("a session");
    let seen = prepared.run().game_sessions.unwrap_or_default();
    assert_eq!(seen[0].game_session_id.as_deref(), Some("gs-200"));
}
