//! SPEC sections 4.2 to 4.7: one case per rule of the update.

mod util;

use gamelift_session::{
    Change, GameLiftError, GameSessionDetail, GameSessionStatus, Limits, UpdateGameSessionInput,
    Warning,
    game_session::{UpdateReport, update_game_session_in_place},
    model::{PlayerSessionCreationPolicy, ProtectionPolicy},
    update_game_session,
};
use util::{ID, accept, detail_with, pairs, reject, session};

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

// 4.2 Find the session.

#[test]
fn a_session_with_another_id_is_not_found() {
    let detail = detail_with(&[]);
    let other = "arn:aws:gamelift:us-west-2::gamesession/fleet-2a1b3c4d/gs-other";
    let err = reject(&detail, &UpdateGameSessionInput::new(other).name("n"));
    assert_eq!(err.code(), "NotFoundException");
    assert_eq!(
        err.to_string(),
        format!("Game session {other} not found: the update was applied to game session {ID}")
    );
    assert!(matches!(
        &err,
        GameLiftError::GameSessionMismatch { requested, actual: Some(actual), .. }
            if requested == other && actual == ID
    ));
}

#[test]
fn a_detail_without_a_session_or_id_is_not_found() {
    let empty = GameSessionDetail::default();
    let err = reject(&empty, &UpdateGameSessionInput::new(ID));
    assert_eq!(err.code(), "NotFoundException");
    assert_eq!(
        err.to_string(),
        format!("Game session {ID} not found: the update was applied to a game session with no id")
    );
    let mut no_id = detail_with(&[]);
    no_id.game_session.as_mut().unwrap().game_session_id = None;
    assert_eq!(
        reject(&no_id, &UpdateGameSessionInput::new(ID)).code(),
        "NotFoundException"
    );
}

#[test]
fn ids_match_exactly() {
    let detail = detail_with(&[]);
    let upper = ID.to_uppercase();
    assert_eq!(
        reject(&detail, &UpdateGameSessionInput::new(upper)).code(),
        "NotFoundException"
    );
}

#[test]
fn the_embedders_lookup_error_is_not_found() {
    let err = GameLiftError::game_session_not_found(ID);
    assert_eq!(err.code(), "NotFoundException");
    assert_eq!(err.to_string(), format!("Game session {ID} not found"));
}

// 4.3 Status gate.

fn with_status(status: Option<GameSessionStatus>) -> GameSessionDetail {
    let mut detail = detail_with(&[("a", "1")]);
    detail.game_session.as_mut().unwrap().status = status;
    detail
}

#[test]
fn every_status_but_active_is_rejected_even_for_a_noop() {
    let cases = [
        (
            GameSessionStatus::Activating,
            format!(
                "Game session {ID} is in status ACTIVATING; only ACTIVE game sessions can be updated"
            ),
        ),
        (
            GameSessionStatus::Terminating,
            format!(
                "Game session {ID} is in status TERMINATING; only ACTIVE game sessions can be updated"
            ),
        ),
        (
            GameSessionStatus::Error,
            format!(
                "Game session {ID} is in status ERROR; only ACTIVE game sessions can be updated"
            ),
        ),
        (
            GameSessionStatus::Terminated,
            format!("Game session {ID} has ended (status TERMINATED) and can never be updated"),
        ),
    ];
    for (status, message) in cases {
        let detail = with_status(Some(status));
        for input in [
            UpdateGameSessionInput::new(ID),
            UpdateGameSessionInput::new(ID)
                .name("n")
                .game_property("a", "2"),
        ] {
            let err = reject(&detail, &input);
            assert_eq!(err.code(), "InvalidGameSessionStatusException");
            assert_eq!(err.http_status(), 400);
            assert_eq!(err.to_string(), message);
            assert!(matches!(
                &err,
                GameLiftError::InvalidGameSessionStatus {
                    game_session_id,
                    status: Some(s),
                    action: gamelift_session::model::SessionAction::Update,
                    ..
                } if game_session_id == ID && *s == status
            ));
        }
    }
}

#[test]
fn a_session_without_status_is_rejected() {
    let err = reject(&with_status(None), &UpdateGameSessionInput::new(ID));
    assert_eq!(err.code(), "InvalidGameSessionStatusException");
    assert_eq!(
        err.to_string(),
        format!("Game session {ID} has no status; only ACTIVE game sessions can be updated")
    );
}

#[test]
fn an_active_session_accepts_a_noop_and_reports_nothing() {
    let detail = detail_with(&[("a", "1")]);
    let input = UpdateGameSessionInput::new(ID)
        .name("Friday night")
        .maximum_player_session_count(10)
        .player_session_creation_policy(PlayerSessionCreationPolicy::AcceptAll)
        .protection_policy(ProtectionPolicy::NoProtection)
        .game_property("a", "1");
    let outcome = update_game_session(&detail, &input).unwrap();
    assert_eq!(outcome.detail(), &detail);
    assert!(outcome.changes().is_empty());
    assert!(outcome.report().is_unchanged());
    assert!(outcome.warnings().is_empty());
    let bare_input = UpdateGameSessionInput::new(ID);
    let bare = update_game_session(&detail, &bare_input).unwrap();
    assert_eq!(bare.detail(), &detail);
    assert!(bare.changes().is_empty());
}

// 4.4 Merge the game properties.

#[test]
fn properties_upsert_in_place_and_append_new_keys_in_request_order() {
    let detail = detail_with(&[("a", "1"), ("b", "2"), ("c", "3")]);
    let input = UpdateGameSessionInput::new(ID)
        .game_property("z", "26")
        .game_property("b", "two")
        .game_property("y", "25");
    let new = accept(&detail, &input);
    assert_eq!(
        pairs(&new),
        owned(&[
            ("a", "1"),
            ("b", "two"),
            ("c", "3"),
            ("z", "26"),
            ("y", "25")
        ])
    );
}

#[test]
fn no_property_is_ever_deleted() {
    let detail = detail_with(&[("a", "1"), ("b", "2")]);
    let mut input = UpdateGameSessionInput::new(ID);
    input.game_properties = Some(vec![]);
    assert_eq!(
        pairs(&accept(&detail, &input)),
        owned(&[("a", "1"), ("b", "2")])
    );
    // An empty value is a value, not a deletion.
    let input = UpdateGameSessionInput::new(ID).game_property("a", "");
    assert_eq!(
        pairs(&accept(&detail, &input)),
        owned(&[("a", ""), ("b", "2")])
    );
}

#[test]
fn keys_match_case_sensitively_and_exactly() {
    let detail = detail_with(&[("Mode", "1"), ("é", "e-acute")]);
    let input = UpdateGameSessionInput::new(ID)
        .game_property("mode", "2")
        .game_property("e\u{301}", "decomposed")
        .game_property("Mode ", "3");
    assert_eq!(
        pairs(&accept(&detail, &input)),
        owned(&[
            ("Mode", "1"),
            ("é", "e-acute"),
            ("mode", "2"),
            ("e\u{301}", "decomposed"),
            ("Mode ", "3")
        ])
    );
}

#[test]
fn an_empty_key_is_a_key() {
    let detail = detail_with(&[]);
    let first = accept(
        &detail,
        &UpdateGameSessionInput::new(ID).game_property("", "x"),
    );
    let second = accept(
        &first,
        &UpdateGameSessionInput::new(ID).game_property("", "y"),
    );
    assert_eq!(pairs(&second), owned(&[("", "y")]));
}

#[test]
fn a_session_without_properties_gains_them() {
    let mut detail = detail_with(&[]);
    detail.game_session.as_mut().unwrap().game_properties = None;
    let new = accept(
        &detail,
        &UpdateGameSessionInput::new(ID).game_property("k", "v"),
    );
    assert_eq!(pairs(&new), owned(&[("k", "v")]));
    // A request without properties leaves an absent member absent.
    let same = accept(&detail, &UpdateGameSessionInput::new(ID).name("x"));
    assert_eq!(session(&same).game_properties, None);
}

#[test]
fn a_repeated_key_takes_its_last_value_at_its_first_place_and_is_reported() {
    let detail = detail_with(&[("a", "1")]);
    let input = UpdateGameSessionInput::new(ID)
        .game_property("n", "first")
        .game_property("a", "x")
        .game_property("m", "only")
        .game_property("n", "second")
        .game_property("a", "1")
        .game_property("n", "third");
    let outcome = update_game_session(&detail, &input).unwrap();
    assert_eq!(
        pairs(outcome.detail()),
        owned(&[("a", "1"), ("n", "third"), ("m", "only")])
    );
    assert_eq!(
        outcome.warnings(),
        [
            Warning::DuplicateKey {
                key: "n".into(),
                occurrences: 3
            },
            Warning::DuplicateKey {
                key: "a".into(),
                occurrences: 2
            },
        ]
    );
    // "a" ends with the value it had: no change is reported for it.
    assert_eq!(
        outcome.changes(),
        [
            Change::GamePropertyAdded {
                key: "n".into(),
                value: "third".into()
            },
            Change::GamePropertyAdded {
                key: "m".into(),
                value: "only".into()
            },
        ]
    );
    assert_eq!(
        outcome.warnings()[0].to_string(),
        "game property key \"n\" appears 3 times in the request; the last value wins"
    );
}

#[test]
fn a_merge_past_16_properties_is_rejected_whole() {
    let existing: Vec<(String, String)> = (0..12).map(|i| (format!("k{i}"), "v".into())).collect();
    let refs: Vec<(&str, &str)> = existing
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let detail = detail_with(&refs);
    // 4 new keys: exactly 16, accepted.
    let mut input = UpdateGameSessionInput::new(ID).name("renamed");
    for i in 12..16 {
        input = input.game_property(format!("k{i}"), "v");
    }
    assert_eq!(
        session(&accept(&detail, &input)).game_properties().len(),
        16
    );
    // 5 new keys and an update of an old one: 17, rejected, nothing changes.
    let input = input
        .game_property("k16", "v")
        .game_property("k0", "changed");
    let err = reject(&detail, &input);
    assert_eq!(err.code(), "InvalidRequestException");
    assert_eq!(
        err.to_string(),
        format!(
            "Game session {ID} would have 17 game properties after the update, more than the limit of 16; game properties cannot be deleted"
        )
    );
    assert!(matches!(
        &err,
        GameLiftError::TooManyGameProperties { game_session_id, count: 17, limit: 16, .. }
            if game_session_id == ID
    ));
}

#[test]
fn a_full_session_still_takes_updates_of_its_keys() {
    let existing: Vec<(String, String)> = (0..16).map(|i| (format!("k{i}"), "v".into())).collect();
    let refs: Vec<(&str, &str)> = existing
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let detail = detail_with(&refs);
    let new = accept(
        &detail,
        &UpdateGameSessionInput::new(ID).game_property("k15", "w"),
    );
    assert_eq!(session(&new).game_property("k15"), Some("w"));
    let err = reject(
        &detail,
        &UpdateGameSessionInput::new(ID).game_property("k16", "w"),
    );
    assert_eq!(err.code(), "InvalidRequestException");
}

#[test]
fn repeated_new_keys_count_once_toward_the_limit() {
    let existing: Vec<(String, String)> = (0..15).map(|i| (format!("k{i}"), "v".into())).collect();
    let refs: Vec<(&str, &str)> = existing
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let detail = detail_with(&refs);
    let input = UpdateGameSessionInput::new(ID)
        .game_property("new", "1")
        .game_property("new", "2");
    assert_eq!(
        session(&accept(&detail, &input)).game_properties().len(),
        16
    );
}

#[test]
fn raised_limits_allow_larger_merges() {
    let mut limits = Limits::AWS;
    limits.max_game_properties = 100;
    let detail = detail_with(&[]);
    let mut input = UpdateGameSessionInput::new(ID);
    for i in 0..100 {
        input = input.game_property(format!("k{i}"), format!("{i}"));
    }
    let outcome = input
        .validate_with(&limits)
        .unwrap()
        .apply_to(&detail)
        .unwrap();
    let s = outcome.detail().game_session.as_ref().unwrap();
    assert_eq!(s.game_properties().len(), 100);
    assert_eq!(s.game_property("k99"), Some("99"));
    assert!(update_game_session(&detail, &input).is_err());
}

// 4.5 Apply the scalar members.

#[test]
fn every_scalar_member_is_applied_and_reported_old_to_new() {
    let mut detail = detail_with(&[]);
    detail.protection_policy = None;
    let input = UpdateGameSessionInput::new(ID)
        .name("Saturday")
        .maximum_player_session_count(20)
        .player_session_creation_policy(PlayerSessionCreationPolicy::DenyAll)
        .protection_policy(ProtectionPolicy::FullProtection);
    let outcome = update_game_session(&detail, &input).unwrap();
    let s = session(outcome.detail());
    assert_eq!(s.name.as_deref(), Some("Saturday"));
    assert_eq!(s.maximum_player_session_count, Some(20));
    assert_eq!(
        s.player_session_creation_policy,
        Some(PlayerSessionCreationPolicy::DenyAll)
    );
    assert_eq!(
        outcome.detail().protection_policy,
        Some(ProtectionPolicy::FullProtection)
    );
    assert_eq!(
        outcome.changes(),
        [
            Change::MaximumPlayerSessionCount {
                old: Some(10),
                new: 20
            },
            Change::Name {
                old: Some("Friday night".into()),
                new: "Saturday".into()
            },
            Change::PlayerSessionCreationPolicy {
                old: Some(PlayerSessionCreationPolicy::AcceptAll),
                new: PlayerSessionCreationPolicy::DenyAll
            },
            Change::ProtectionPolicy {
                old: None,
                new: ProtectionPolicy::FullProtection
            },
        ]
    );
    let shown: Vec<String> = outcome.changes().iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "MaximumPlayerSessionCount: 10 -> 20",
            "Name: \"Friday night\" -> \"Saturday\"",
            "PlayerSessionCreationPolicy: ACCEPT_ALL -> DENY_ALL",
            "ProtectionPolicy: (absent) -> FullProtection",
        ]
    );
    // Everything the request did not name is as it was.
    let mut expected = detail.game_session.clone().unwrap();
    expected.name = Some("Saturday".into());
    expected.maximum_player_session_count = Some(20);
    expected.player_session_creation_policy = Some(PlayerSessionCreationPolicy::DenyAll);
    assert_eq!(s, &expected);
}

#[test]
fn lowering_the_limit_below_the_players_connected_warns() {
    let detail = detail_with(&[]); // 3 players connected
    for (limit, warns) in [(4, false), (3, false), (2, true), (0, true)] {
        let input = UpdateGameSessionInput::new(ID).maximum_player_session_count(limit);
        let outcome = update_game_session(&detail, &input).unwrap();
        assert_eq!(
            session(outcome.detail()).maximum_player_session_count,
            Some(limit)
        );
        let expected: Vec<Warning> = if warns {
            vec![Warning::OverCapacity {
                current_player_session_count: 3,
                maximum_player_session_count: limit,
            }]
        } else {
            vec![]
        };
        assert_eq!(outcome.warnings(), expected, "limit {limit}");
    }
    let input = UpdateGameSessionInput::new(ID).maximum_player_session_count(2);
    let outcome = update_game_session(&detail, &input).unwrap();
    assert_eq!(
        outcome.warnings()[0].to_string(),
        "the session is over capacity: 3 players are connected but at most 2 are allowed; they stay, and no new player can join"
    );
}

// 4.6 Flag unsearchable keys.

#[test]
fn every_period_key_the_request_sets_is_flagged_once() {
    let detail = detail_with(&[("map.name", "harbor")]);
    let input = UpdateGameSessionInput::new(ID)
        .game_property("map.name", "harbor") // unchanged, still set by the request
        .game_property("plain", "1")
        .game_property(".", "dot")
        .game_property("a.b.c", "1")
        .game_property("a.b.c", "2");
    let outcome = update_game_session(&detail, &input).unwrap();
    let unsearchable: Vec<&Warning> = outcome
        .warnings()
        .iter()
        .filter(|w| matches!(w, Warning::UnsearchableKey { .. }))
        .collect();
    assert_eq!(
        unsearchable,
        [
            &Warning::UnsearchableKey {
                key: "map.name".into()
            },
            &Warning::UnsearchableKey { key: ".".into() },
            &Warning::UnsearchableKey {
                key: "a.b.c".into()
            },
        ]
    );
    assert_eq!(
        unsearchable[0].to_string(),
        "game property key \"map.name\" contains a period: it is stored, but searches cannot use it"
    );
    let s = session(outcome.detail());
    assert!(!s.game_properties()[0].is_searchable());
    assert!(s.game_properties()[1].is_searchable());
}

// 4.7 Return.

#[test]
fn property_changes_are_reported_and_never_show_values() {
    let detail = detail_with(&[("a", "old-secret")]);
    let input = UpdateGameSessionInput::new(ID)
        .game_property("a", "new-secret")
        .game_property("b", "added-secret");
    let outcome = update_game_session(&detail, &input).unwrap();
    assert_eq!(
        outcome.changes(),
        [
            Change::GamePropertyChanged {
                key: "a".into(),
                old: "old-secret".into(),
                new: "new-secret".into()
            },
            Change::GamePropertyAdded {
                key: "b".into(),
                value: "added-secret".into()
            },
        ]
    );
    let debug = format!("{outcome:?}");
    let display: Vec<String> = outcome.changes().iter().map(ToString::to_string).collect();
    assert_eq!(
        display,
        [
            "GameProperty \"a\": value changed",
            "GameProperty \"b\": added"
        ]
    );
    assert!(!debug.contains("secret"), "{debug}");
}

#[test]
fn the_output_is_the_new_session_without_protection_policy() {
    let detail = detail_with(&[]);
    let input = UpdateGameSessionInput::new(ID).protection_policy(ProtectionPolicy::FullProtection);
    let outcome = update_game_session(&detail, &input).unwrap();
    let output = outcome.output();
    assert_eq!(
        output.game_session.as_deref(),
        outcome.detail().game_session.as_ref()
    );
    let json = serde_json::to_value(&output).unwrap();
    assert!(json.get("ProtectionPolicy").is_none());
    assert!(json["GameSession"].get("ProtectionPolicy").is_none());
    assert_eq!(json["GameSession"]["GameSessionId"], ID);
}

#[test]
fn in_place_and_value_forms_agree() {
    let detail = detail_with(&[("a", "1"), ("b", "2")]);
    let input = UpdateGameSessionInput::new(ID)
        .name("x")
        .maximum_player_session_count(1)
        .game_property("b", "3")
        .game_property("c.d", "4");
    let outcome = update_game_session(&detail, &input).unwrap();
    let mut in_place = detail.clone();
    let report = update_game_session_in_place(&mut in_place, &input).unwrap();
    assert_eq!(&in_place, outcome.detail());
    assert_eq!(&report, outcome.report());
    let (d, r) = outcome.into_parts();
    assert_eq!(d, in_place);
    assert_eq!(r, report);
}

#[test]
fn the_input_detail_of_the_value_form_is_never_changed() {
    let detail = detail_with(&[("a", "1")]);
    let before = detail.clone();
    let _ = update_game_session(
        &detail,
        &UpdateGameSessionInput::new(ID)
            .name("n")
            .game_property("a", "2"),
    );
    assert_eq!(detail, before);
}

#[test]
fn validated_updates_apply_to_the_session_found_by_their_key() {
    let mut store = std::collections::HashMap::new();
    store.insert(ID.to_owned(), detail_with(&[]));
    let input = UpdateGameSessionInput::new(ID).name("found");
    let valid = input.validate().unwrap();
    let detail = store.get_mut(valid.game_session_id()).unwrap();
    let report = valid.apply(detail).unwrap();
    assert_eq!(report.changes().len(), 1);
    assert_eq!(session(&store[ID]).name.as_deref(), Some("found"));
    let missing = UpdateGameSessionInput::new("gs-missing");
    let valid = missing.validate().unwrap();
    let err = store
        .get_mut(valid.game_session_id())
        .ok_or_else(|| GameLiftError::game_session_not_found(valid.game_session_id()))
        .unwrap_err();
    assert_eq!(err.to_string(), "Game session gs-missing not found");
}

#[test]
fn a_report_outlives_the_request_it_came_from() {
    // The request is this function's own: without into_owned, E0515.
    fn apply(detail: &mut GameSessionDetail) -> UpdateReport<'static> {
        let input = UpdateGameSessionInput::new(ID)
            .name("Saturday")
            .game_property("k", "v");
        update_game_session_in_place(detail, &input)
            .expect("applies")
            .into_owned()
    }
    let mut detail = detail_with(&[]);
    let report = apply(&mut detail);
    assert_eq!(
        report.changes(),
        [
            Change::Name {
                old: Some("Friday night".to_owned()),
                new: "Saturday".into()
            },
            Change::GamePropertyAdded {
                key: "k".into(),
                value: "v".into()
            },
        ]
    );
    assert!(matches!(
        &report.changes()[0],
        Change::Name {
            new: std::borrow::Cow::Owned(_),
            ..
        }
    ));
}
