//! Property tests: the laws an update obeys, over generated sessions and requests.

mod util;

use gamelift_session::{
    Change, GameProperty, GameSession, GameSessionDetail, GameSessionStatus, Limits,
    UpdateGameSessionInput,
    game_session::{UpdateGameSessionOutput, update_game_session_in_place},
    model::{EnumValue, GamePropertyInput, PlayerSessionCreationPolicy, ProtectionPolicy},
    update_game_session,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use util::{ID, pairs, session, status};

/// Keys from a tiny alphabet, so requests and sessions share keys often;
/// sometimes a long or exotic one.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[ab.]{0,2}",
        1 => "\\PC{0,32}",
    ]
}

/// Keys that may run past the 32-character limit.
fn any_key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => key(),
        1 => "\\PC{33,40}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[xyz]{0,3}",
        1 => "\\PC{0,96}",
    ]
}

/// Distinct-key properties, as a session built by this crate holds.
fn properties(max: usize) -> impl Strategy<Value = Vec<GameProperty>> {
    vec((key(), value()), 0..=max).prop_map(|pairs| {
        let mut out: Vec<GameProperty> = Vec::new();
        for (k, v) in pairs {
            if !out.iter().any(|p| p.key == k) {
                out.push(GameProperty::new(k, v));
            }
        }
        out
    })
}

fn detail(active_only: bool) -> impl Strategy<Value = GameSessionDetail> {
    let status = if active_only {
        Just(GameSessionStatus::Active).boxed()
    } else {
        status().boxed()
    };
    (
        properties(16),
        status,
        option::of("\\PC{1,20}"),
        option::of(0..20i32),
        option::of(0..20i32),
        option::of(prop_oneof![
            Just(PlayerSessionCreationPolicy::AcceptAll),
            Just(PlayerSessionCreationPolicy::DenyAll)
        ]),
        option::of(prop_oneof![
            Just(ProtectionPolicy::NoProtection),
            Just(ProtectionPolicy::FullProtection)
        ]),
        any::<bool>(),
    )
        .prop_map(
            |(props, status, name, current, max, pscp, protection, absent)| {
                let mut s = GameSession::default();
                s.game_session_id = Some(ID.to_owned());
                s.status = Some(status);
                s.name = name;
                s.current_player_session_count = current;
                s.maximum_player_session_count = max;
                s.player_session_creation_policy = pscp;
                s.game_properties = if absent && props.is_empty() {
                    None
                } else {
                    Some(props)
                };
                GameSessionDetail::new(s, protection)
            },
        )
}

/// Requests that are valid, unless `invalid` lets in out-of-range values.
fn request(invalid: bool) -> impl Strategy<Value = UpdateGameSessionInput> {
    let count = if invalid {
        (-3..30i32).boxed()
    } else {
        (0..30i32).boxed()
    };
    let name = if invalid {
        "\\PC{0,3}".boxed()
    } else {
        "\\PC{1,20}".boxed()
    };
    let pscp = if invalid {
        prop_oneof![Just("ACCEPT_ALL"), Just("DENY_ALL"), Just("accept_all")].boxed()
    } else {
        prop_oneof![Just("ACCEPT_ALL"), Just("DENY_ALL")].boxed()
    };
    let id = if invalid {
        prop_oneof![4 => Just(ID.to_owned()), 1 => Just(String::new()), 1 => Just("gs-other".to_owned())].boxed()
    } else {
        Just(ID.to_owned()).boxed()
    };
    let max_props = if invalid { 18 } else { 16 };
    let key = if invalid {
        any_key().boxed()
    } else {
        key().boxed()
    };
    (
        id,
        option::of(count),
        option::of(name),
        option::of(pscp),
        option::of(prop_oneof![Just("NoProtection"), Just("FullProtection")]),
        option::of(vec((key, value()), 0..=max_props)),
    )
        .prop_map(|(id, count, name, pscp, protection, props)| {
            let mut input = UpdateGameSessionInput::new(id);
            input.maximum_player_session_count = count;
            input.name = name;
            input.player_session_creation_policy = pscp.map(EnumValue::from);
            input.protection_policy = protection.map(EnumValue::from);
            input.game_properties = props.map(|ps| {
                ps.into_iter()
                    .map(|(k, v)| GamePropertyInput::new(k, v))
                    .collect()
            });
            input
        })
}

fn requested(input: &UpdateGameSessionInput) -> Vec<(String, String)> {
    input
        .game_properties
        .iter()
        .flatten()
        .map(|p| {
            (
                p.key.clone().unwrap_or_default(),
                p.value.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// The reference model of the merge: a plain list, upserted in request order.
fn model_merge(model: &mut Vec<(String, String)>, request: &[(String, String)]) {
    for (k, v) in request {
        match model.iter_mut().find(|(mk, _)| mk == k) {
            Some(entry) => entry.1.clone_from(v),
            None => model.push((k.clone(), v.clone())),
        }
    }
}

/// The seed saved in `test_props.proptest-regressions`, as a plain case: a
/// key of 33 characters (one past the limit), many of them outside the
/// Basic Multilingual Plane. The sequence property once expected every
/// request to merge; a key over the limit is rejected and changes nothing.
#[test]
fn saved_regression_a_key_of_33_characters_is_rejected_and_changes_nothing() {
    let key = " \u{9aa}\u{10f30}0\u{2ff0}\u{d54} \u{fb00}a\u{104b0}\u{1135d}\u{180f} \u{1ee5d} A\u{fffc}  0\u{1f300}A\u{1f50}\u{a1}0\u{cdd}A0aaA\u{9e6}\u{3a3}";
    assert_eq!(key.chars().count(), 33);
    let mut s = GameSession::default();
    s.game_session_id = Some(ID.to_owned());
    s.status = Some(GameSessionStatus::Active);
    let mut detail = GameSessionDetail::new(s, None);
    let input = UpdateGameSessionInput::new(ID).game_property(key, "");
    let err = update_game_session_in_place(&mut detail, &input).expect_err("33 characters");
    assert_eq!(
        err.to_string(),
        format!(
            "1 validation error detected: Value '{key}' at 'gameProperties.1.member.key' \
             failed to satisfy constraint: Member must have length less than or equal to 32"
        )
    );
    assert_eq!(pairs(&detail), Vec::<(String, String)>::new());
}

proptest! {
    #![proptest_config(util::proptest_config(512))]

    #[test]
    fn prop_no_property_is_ever_deleted(d in detail(true), input in request(false)) {
        if let Ok(outcome) = update_game_session(&d, &input) {
            let after = session(outcome.detail());
            for p in session(&d).game_properties() {
                prop_assert!(after.game_property(&p.key).is_some(), "{:?} was deleted", p.key);
            }
            prop_assert!(after.game_properties().len() >= session(&d).game_properties().len());
        }
    }

    #[test]
    fn prop_every_requested_key_ends_with_its_last_requested_value(d in detail(true), input in request(false)) {
        if let Ok(outcome) = update_game_session(&d, &input) {
            let after = session(outcome.detail());
            for (k, _) in requested(&input) {
                let last = requested(&input).into_iter().rev().find(|(rk, _)| *rk == k).map(|(_, v)| v);
                prop_assert_eq!(after.game_property(&k).map(str::to_owned), last);
            }
        }
    }

    #[test]
    fn prop_untouched_keys_and_members_are_unchanged(d in detail(true), input in request(false)) {
        if let Ok(outcome) = update_game_session(&d, &input) {
            let before = session(&d);
            let after = session(outcome.detail());
            let req = requested(&input);
            for p in before.game_properties() {
                if !req.iter().any(|(k, _)| *k == p.key) {
                    prop_assert_eq!(after.game_property(&p.key), Some(p.value.as_str()));
                }
            }
            // Every member but the updatable ones is exactly as it was.
            let mut expected = before.clone();
            expected.name.clone_from(&after.name);
            expected.maximum_player_session_count = after.maximum_player_session_count;
            expected.player_session_creation_policy = after.player_session_creation_policy;
            expected.game_properties.clone_from(&after.game_properties);
            prop_assert_eq!(&expected, after);
            if input.name.is_none() { prop_assert_eq!(&before.name, &after.name); }
            if input.maximum_player_session_count.is_none() {
                prop_assert_eq!(before.maximum_player_session_count, after.maximum_player_session_count);
            }
            if input.protection_policy.is_none() {
                prop_assert_eq!(d.protection_policy, outcome.detail().protection_policy);
            }
        }
    }

    #[test]
    fn prop_an_error_leaves_the_detail_untouched(d in detail(false), input in request(true)) {
        let before = d.clone();
        let value_form = update_game_session(&d, &input);
        prop_assert_eq!(&d, &before);
        let mut in_place = d.clone();
        let report = update_game_session_in_place(&mut in_place, &input);
        match (value_form, report) {
            (Err(e1), Err(e2)) => {
                prop_assert_eq!(&e1, &e2);
                prop_assert_eq!(&in_place, &before);
                prop_assert!(!e1.to_string().is_empty());
            }
            (Ok(outcome), Ok(report)) => {
                prop_assert_eq!(outcome.detail(), &in_place);
                prop_assert_eq!(outcome.report(), &report);
            }
            (a, b) => prop_assert!(false, "the forms disagree: {:?} / {:?}", a.map(|_| ()), b.map(|_| ())),
        }
    }

    #[test]
    fn prop_applying_an_update_twice_equals_applying_it_once(d in detail(true), input in request(false)) {
        if let Ok(once) = update_game_session(&d, &input) {
            let twice = update_game_session(once.detail(), &input).expect("the same update applies again");
            prop_assert_eq!(twice.detail(), once.detail());
            prop_assert!(twice.changes().is_empty(), "{:?}", twice.changes());
        }
    }

    #[test]
    fn prop_changes_list_exactly_what_differs(d in detail(true), input in request(false)) {
        if let Ok(outcome) = update_game_session(&d, &input) {
            let before = session(&d);
            let after = session(outcome.detail());
            for change in outcome.changes() {
                match change {
                    Change::Name { old, new } => {
                        prop_assert_eq!(old, &before.name);
                        prop_assert_eq!(after.name.as_deref(), Some(new.as_ref()));
                    }
                    Change::MaximumPlayerSessionCount { old, new } => {
                        prop_assert_eq!(*old, before.maximum_player_session_count);
                        prop_assert_eq!(after.maximum_player_session_count, Some(*new));
                    }
                    Change::GamePropertyAdded { key, value } => {
                        prop_assert!(before.game_property(key).is_none());
                        prop_assert_eq!(after.game_property(key), Some(value.as_ref()));
                    }
                    Change::GamePropertyChanged { key, old, new } => {
                        prop_assert_eq!(before.game_property(key), Some(old.as_str()));
                        prop_assert_eq!(after.game_property(key), Some(new.as_ref()));
                    }
                    _ => {}
                }
            }
            let changed_props = outcome.changes().iter().filter(|c| matches!(c, Change::GamePropertyAdded { .. } | Change::GamePropertyChanged { .. })).count();
            let differing = after.game_properties().iter().filter(|p| before.game_property(&p.key) != Some(p.value.as_str())).count();
            prop_assert_eq!(changed_props, differing);
            prop_assert_eq!(outcome.changes().is_empty(), outcome.detail() == &d);
        }
    }

    #[test]
    fn prop_a_sequence_of_updates_agrees_with_a_plain_list(
        start in properties(8),
        requests in vec(vec((key(), value()), 0..6), 1..20),
    ) {
        let mut s = GameSession::default();
        s.game_session_id = Some(ID.to_owned());
        s.status = Some(GameSessionStatus::Active);
        s.game_properties = Some(start.clone());
        let mut detail = GameSessionDetail::new(s, None);
        let mut model: Vec<(String, String)> = start.into_iter().map(|p| (p.key, p.value)).collect();
        for props in requests {
            let mut input = UpdateGameSessionInput::new(ID);
            input.game_properties = Some(props.iter().map(|(k, v)| GamePropertyInput::new(k.clone(), v.clone())).collect());
            let mut next = model.clone();
            model_merge(&mut next, &props);
            let result = update_game_session_in_place(&mut detail, &input);
            let too_long = props.iter().any(|(k, v)| k.chars().count() > 32 || v.chars().count() > 96);
            if too_long {
                let err = result.expect_err("a key or value over its limit");
                prop_assert_eq!(err.code(), "InvalidRequestException");
            } else if next.len() > 16 {
                let err = result.expect_err("the merge exceeds 16");
                prop_assert_eq!(err.code(), "InvalidRequestException");
            } else {
                prop_assert!(result.is_ok(), "{:?}", result.err());
                model = next;
            }
            prop_assert_eq!(pairs(&detail), model.clone());
        }
    }

    #[test]
    fn prop_period_keys_are_exactly_the_unsearchable_warnings(d in detail(true), input in request(false)) {
        if let Ok(outcome) = update_game_session(&d, &input) {
            let mut flagged: Vec<&str> = outcome.warnings().iter().filter_map(|w| match w {
                gamelift_session::Warning::UnsearchableKey { key } => Some(key.as_str()),
                _ => None,
            }).collect();
            let mut expected: Vec<String> = requested(&input).into_iter().map(|(k, _)| k).filter(|k| k.contains('.')).collect();
            expected.dedup();
            let mut seen = Vec::new();
            expected.retain(|k| { let fresh = !seen.contains(k); seen.push(k.clone()); fresh });
            flagged.sort_unstable();
            expected.sort_unstable();
            prop_assert_eq!(flagged, expected);
            for p in session(outcome.detail()).game_properties() {
                prop_assert_eq!(p.is_searchable(), !p.key.contains('.'));
            }
        }
    }

    #[test]
    fn prop_shapes_round_trip_through_json(d in detail(false), input in request(true), ms in -2_000_000_000_000i64..4_000_000_000_000i64) {
        let mut d = d;
        let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).expect("in range");
        d.game_session.as_mut().expect("a session").creation_time = Some(t);
        let json = serde_json::to_string(&d).expect("serializes");
        prop_assert_eq!(serde_json::from_str::<GameSessionDetail>(&json).expect("parses"), d.clone());
        let json = serde_json::to_string(&input).expect("serializes");
        prop_assert_eq!(serde_json::from_str::<UpdateGameSessionInput>(&json).expect("parses"), input);
        let s = session(&d);
        let output = UpdateGameSessionOutput::new(s);
        let json = serde_json::to_string(&output).expect("serializes");
        let back: UpdateGameSessionOutput<'static> = serde_json::from_str(&json).expect("parses");
        prop_assert_eq!(back.game_session.as_deref(), Some(s));
        for p in s.game_properties() {
            let json = serde_json::to_string(p).expect("serializes");
            prop_assert_eq!(&serde_json::from_str::<GameProperty>(&json).expect("parses"), p);
        }
    }

    #[test]
    fn prop_arbitrary_json_never_panics(body in json_value(), d in detail(false)) {
        let text = body.to_string();
        if let Ok(input) = serde_json::from_str::<UpdateGameSessionInput>(&text) {
            let before = d.clone();
            if update_game_session(&d, &input).is_err() {
                prop_assert_eq!(d, before);
            }
        }
        let _ = serde_json::from_str::<GameSessionDetail>(&text);
        let _ = serde_json::from_str::<GameSession>(&text);
    }

    #[test]
    fn prop_arbitrary_strings_never_panic(text in "\\PC{0,200}", raw in ".{0,64}") {
        let _ = serde_json::from_str::<UpdateGameSessionInput>(&text);
        let input = UpdateGameSessionInput::new(raw.clone()).name(raw.clone()).game_property(raw.clone(), raw.clone())
            .player_session_creation_policy(raw.as_str()).protection_policy(raw.as_str());
        let d = util::detail_with(&[]);
        // Either the request is invalid, or it is valid and names another session.
        let err = update_game_session(&d, &input).expect_err("the ids differ");
        prop_assert!(
            matches!(err.code(), "InvalidRequestException" | "NotFoundException"),
            "{}", err.code()
        );
        // Echoes are cut, so the message stays small whatever came in.
        prop_assert!(err.to_string().chars().count() <= 6 * (256 + 200), "{}", err);
    }

    #[test]
    fn prop_validation_reports_every_violation_with_its_count(input in request(true)) {
        if let Err(gamelift_session::GameLiftError::Validation(errors)) = input.validate_with(&Limits::AWS) {
            let n = errors.violations().len();
            prop_assert!(n > 0);
            let message = errors.to_string();
            let noun = if n == 1 { "error" } else { "errors" };
            let prefix = format!("{n} validation {noun} detected: ");
            prop_assert!(message.starts_with(&prefix));
            prop_assert_eq!(message.matches(" failed to satisfy constraint: ").count(), n);
        }
    }
}

/// Arbitrary JSON, biased toward objects with the request's member names.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let member = prop_oneof![
        Just("GameSessionId".to_owned()),
        Just("Name".to_owned()),
        Just("MaximumPlayerSessionCount".to_owned()),
        Just("PlayerSessionCreationPolicy".to_owned()),
        Just("ProtectionPolicy".to_owned()),
        Just("GameProperties".to_owned()),
        Just("Key".to_owned()),
        Just("Value".to_owned()),
        Just("GameSession".to_owned()),
        Just("CreationTime".to_owned()),
        "\\PC{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(Value::String(ID.to_owned())),
        "\\PC{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((member.clone(), inner), 0..6)
                .prop_map(|kvs| Value::Object(kvs.into_iter().collect())),
        ]
    })
}
