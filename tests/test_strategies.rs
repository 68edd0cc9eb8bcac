//! The strategies of the `proptest` feature keep their promises, and state
//! the update's laws over them: what they call valid always applies to an
//! ACTIVE session and deletes nothing; what they call invalid is always
//! rejected with the session untouched; both under AWS's limits and under
//! tiny ones.

mod util;

use gamelift_session::strategy::{
    game_session_detail, game_session_status, invalid_update, valid_update,
};
use gamelift_session::{
    GameSessionStatus, Limits,
    game_session::update_game_session_in_place,
    model::{PlayerSessionCreationPolicy, ProtectionPolicy},
    update_game_session,
};
use proptest::prelude::*;

fn tiny() -> Limits {
    let mut limits = Limits::AWS;
    limits.max_game_properties = 4;
    limits.max_property_key_length = 3;
    limits.max_property_value_length = 5;
    limits.max_name_length = 8;
    limits
}

fn limits() -> impl Strategy<Value = Limits> {
    prop_oneof![Just(Limits::AWS), Just(tiny())]
}

proptest! {
    #![proptest_config(util::proptest_config(256))]

    #[test]
    fn prop_a_generated_session_has_its_status_and_a_valid_id(
        status in game_session_status(),
        detail in game_session_detail(GameSessionStatus::Terminating),
    ) {
        let session = detail.game_session.as_ref().expect("a session");
        prop_assert_eq!(session.status, Some(GameSessionStatus::Terminating));
        prop_assert!(session.game_properties().len() <= 16);
        let id = session.game_session_id.as_deref().expect("an id");
        prop_assert!(gamelift_session::UpdateGameSessionInput::new(id).validate().is_ok());
        let _ = status;
    }

    #[test]
    fn prop_valid_updates_apply_and_delete_nothing(
        (detail, limits, input) in (game_session_detail(GameSessionStatus::Active), limits())
            .prop_flat_map(|(d, l)| (Just(d.clone()), Just(l), valid_update(&d, &l)))
    ) {
        if limits == Limits::AWS {
            let outcome = update_game_session(&detail, &input).expect("valid");
            let after = outcome.detail().game_session.as_ref().expect("a session");
            for p in detail.game_session.as_ref().expect("a session").game_properties() {
                prop_assert!(after.game_property(&p.key).is_some());
            }
        }
        // Under any limits the request validates, and a session holding no
        // more than the limit takes it.
        let validated = input.validate_with(&limits).expect("valid under its limits");
        let session_fits = detail.game_session.as_ref().expect("a session").game_properties().len()
            <= limits.max_game_properties;
        if session_fits {
            prop_assert!(validated.apply_to(&detail).is_ok());
        }
    }

    #[test]
    fn prop_invalid_updates_are_rejected_and_change_nothing(
        (detail, limits, input) in (game_session_detail(GameSessionStatus::Active), limits())
            .prop_flat_map(|(d, l)| (Just(d.clone()), Just(l), invalid_update(&d, &l)))
    ) {
        let err = input.validate_with(&limits).map(|_| ()).expect_err("invalid");
        prop_assert_eq!(err.code(), "InvalidRequestException");
        if limits == Limits::AWS {
            let mut copy = detail.clone();
            prop_assert!(update_game_session_in_place(&mut copy, &input).is_err());
            prop_assert_eq!(copy, detail);
        }
    }
}

#[test]
fn arbitrary_covers_every_wire_enum_value() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        let status = any::<GameSessionStatus>()
            .new_tree(&mut runner)
            .expect("a value")
            .current();
        seen.insert(status.as_str());
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
    let policy = any::<PlayerSessionCreationPolicy>()
        .new_tree(&mut runner)
        .expect("a value");
    let protection = any::<ProtectionPolicy>()
        .new_tree(&mut runner)
        .expect("a value");
    assert!(["ACCEPT_ALL", "DENY_ALL"].contains(&policy.current().as_str()));
    assert!(["NoProtection", "FullProtection"].contains(&protection.current().as_str()));
}
