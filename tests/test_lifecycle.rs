//! Creating sessions, their status changes, termination, joining and
//! scale-down protection.

// Table-driven tests read best as one long function with plain matches.
#![allow(
    clippy::too_many_lines,
    clippy::single_match_else,
    clippy::match_same_arms
)]

mod util;

use gamelift_session::{
    GameLiftError, GameProperty, GameSessionDetail, GameSessionStatus, UpdateGameSessionInput,
    game_session::{
        CreateContext, CreateGameSessionInput, DescribeGameSessionsInput,
        TerminateGameSessionInput, Transition, check_player_join, create_game_session,
        describe_game_sessions, may_terminate_on_scale_down, terminate_game_session, transition,
    },
    model::{
        GameSessionStatusReason, PlayerSessionCreationPolicy, ProtectionPolicy, SessionAction,
        TerminationMode,
    },
    update_game_session,
};
use proptest::prelude::*;
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-23 20:00:00.250 UTC);

fn context(fleet: &str) -> CreateContext<'_> {
    CreateContext::new("us-west-2", "111122223333", fleet, NOW, "fresh-0001")
}

fn created(input: &CreateGameSessionInput) -> GameSessionDetail {
    create_game_session(input, &context("fleet-1a2b")).expect("the session is created")
}

fn active(input: &CreateGameSessionInput) -> GameSessionDetail {
    let mut d = created(input);
    transition(&mut d, Transition::Activate, NOW).expect("activates");
    d
}

fn s(d: &GameSessionDetail) -> &gamelift_session::GameSession {
    d.game_session.as_ref().expect("a session")
}

#[test]
fn a_created_session_has_the_services_defaults() {
    let input = CreateGameSessionInput::new("fleet-1a2b", 8)
        .name("Friday")
        .game_property("mode", "ranked")
        .game_property("mode", "casual")
        .game_property("map", "harbor");
    let d = created(&input);
    let g = s(&d);
    assert_eq!(
        g.game_session_id.as_deref(),
        Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/fresh-0001")
    );
    assert_eq!(g.fleet_id.as_deref(), Some("fleet-1a2b"));
    assert_eq!(
        g.fleet_arn.as_deref(),
        Some("arn:aws:gamelift:us-west-2:111122223333:fleet/fleet-1a2b")
    );
    assert_eq!(g.status, Some(GameSessionStatus::Activating));
    assert_eq!(g.creation_time, Some(NOW));
    assert_eq!(g.current_player_session_count, Some(0));
    assert_eq!(g.maximum_player_session_count, Some(8));
    assert_eq!(
        g.player_session_creation_policy,
        Some(PlayerSessionCreationPolicy::AcceptAll)
    );
    assert_eq!(g.location.as_deref(), Some("us-west-2"));
    assert_eq!(
        g.game_properties(),
        [
            GameProperty::new("mode", "casual"),
            GameProperty::new("map", "harbor")
        ]
    );
    assert_eq!(d.protection_policy, Some(ProtectionPolicy::NoProtection));
}

#[test]
fn the_id_is_the_requested_one_in_the_arn_and_remote_locations_name_themselves() {
    let d = created(&CreateGameSessionInput::new("fleet-1a2b", 1).game_session_id("my-game-1"));
    assert_eq!(
        s(&d).game_session_id.as_deref(),
        Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/my-game-1")
    );
    let mut token = CreateGameSessionInput::new("fleet-1a2b", 1);
    token.idempotency_token = Some("tok-9".into());
    assert!(
        s(&created(&token))
            .game_session_id
            .as_deref()
            .is_some_and(|id| id.ends_with("/fleet-1a2b/tok-9"))
    );
    let remote = created(
        &CreateGameSessionInput::new("fleet-1a2b", 1)
            .location("sa-east-1")
            .game_session_id("g"),
    );
    assert_eq!(
        s(&remote).game_session_id.as_deref(),
        Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/sa-east-1/g")
    );
    assert_eq!(s(&remote).location.as_deref(), Some("sa-east-1"));
    let home = created(
        &CreateGameSessionInput::new("fleet-1a2b", 1)
            .location("us-west-2")
            .game_session_id("g"),
    );
    assert_eq!(
        s(&home).game_session_id.as_deref(),
        Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/g")
    );
    // A fleet ARN resolves to its id.
    let arn = "arn:aws:gamelift:us-west-2:111122223333:fleet/fleet-1a2b";
    let d = create_game_session(&CreateGameSessionInput::new(arn, 1), &context(arn)).unwrap();
    assert_eq!(s(&d).fleet_id.as_deref(), Some("fleet-1a2b"));
}

#[test]
fn create_validation_collects_every_violation() {
    let mut input = CreateGameSessionInput::new("not a fleet", -1)
        .name("")
        .game_session_id("x".repeat(49))
        .location("us_west");
    input.creator_id = Some(String::new());
    input.game_session_data = Some(String::new());
    input.alias_id = Some("alias-".into());
    let err = create_game_session(&input, &context("fleet-1a2b")).unwrap_err();
    assert_eq!(err.code(), "InvalidRequestException");
    assert_eq!(
        err.to_string(),
        format!(
            "8 validation errors detected: \
             Value 'not a fleet' at 'fleetId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z]*fleet-[a-zA-Z0-9\\-]+$|^arn:.*:[a-z]*fleet\\/[a-z]*fleet-[a-zA-Z0-9\\-]+$; \
             Value 'alias-' at 'aliasId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(alias-\\S+|arn:.*:alias\\/alias-\\S+)$; \
             Value '-1' at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must have value greater than or equal to 0; \
             Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value '' at 'creatorId' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value '{0}' at 'gameSessionId' failed to satisfy constraint: Member must have length less than or equal to 48; \
             Value at 'gameSessionData' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value 'us_west' at 'location' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9\\-]+$",
            "x".repeat(49)
        )
    );
}

#[test]
fn create_requires_a_player_limit_and_one_fleet_or_alias() {
    let mut input = CreateGameSessionInput::new("fleet-1a2b", 1);
    input.maximum_player_session_count = None;
    assert_eq!(
        create_game_session(&input, &context("fleet-1a2b"))
            .unwrap_err()
            .to_string(),
        "1 validation error detected: Value null at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must not be null"
    );
    input.maximum_player_session_count = Some(0);
    input.fleet_id = None;
    let err = create_game_session(&input, &context("fleet-1a2b")).unwrap_err();
    assert_eq!(
        (err.code(), err.to_string().as_str()),
        (
            "InvalidRequestException",
            "A game session needs a fleet: specify FleetId or AliasId"
        )
    );
    input.fleet_id = Some("fleet-1".into());
    input.alias_id = Some("alias-1".into());
    assert_eq!(
        create_game_session(&input, &context("fleet-1a2b"))
            .unwrap_err()
            .to_string(),
        "Specify FleetId or AliasId, not both"
    );
}

#[test]
fn fleet_and_alias_patterns() {
    for ok in [
        "fleet-1",
        "containerfleet-a-B-9",
        "arn:aws:gamelift:us-west-2:1:fleet/fleet-1",
        "arn::containerfleet/containerfleet-x",
    ] {
        assert!(
            CreateGameSessionInput::new(ok, 1)
                .validate_with(&gamelift_session::Limits::AWS)
                .is_ok(),
            "{ok}"
        );
    }
    for bad in [
        "fleet",
        "fleet-",
        "Fleet-1",
        "fleet_1",
        "xfleet-1/",
        "arn:aws:gamelift::fleet/fleet",
        "arn:fleet/fleet-1",
        "arn::FLEET/fleet-1",
        "fleet-1 ",
    ] {
        assert!(
            CreateGameSessionInput::new(bad, 1)
                .validate_with(&gamelift_session::Limits::AWS)
                .is_err(),
            "{bad}"
        );
    }
    let mut input = CreateGameSessionInput::new("fleet-1", 1);
    input.fleet_id = None;
    for ok in [
        "alias-1",
        "alias-é!",
        "arn:aws:gamelift:us-west-2:1:alias/alias-x",
        "arn::alias/alias-x",
    ] {
        input.alias_id = Some(ok.into());
        assert!(
            input.validate_with(&gamelift_session::Limits::AWS).is_ok(),
            "{ok}"
        );
    }
    for bad in [
        "alias-",
        "alias-a b",
        "alias1",
        "arn:aws:alias/alias-",
        "arn:x:alias/alias-a\tb",
    ] {
        input.alias_id = Some(bad.into());
        assert!(
            input.validate_with(&gamelift_session::Limits::AWS).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn every_transition_from_every_status() {
    use GameSessionStatus::*;
    let statuses = [Activating, Active, Terminating, Terminated, Error];
    for t in [
        Transition::Activate,
        Transition::FailActivation,
        Transition::BeginTermination,
        Transition::FinishTermination,
    ] {
        let (from, to) = t.statuses();
        for status in statuses {
            let mut d = created(&CreateGameSessionInput::new("fleet-1a2b", 4).game_session_id("g"));
            d.game_session.as_mut().unwrap().status = Some(status);
            let before = d.clone();
            let later = datetime!(2026-11-23 21:00 UTC);
            match transition(&mut d, t, later) {
                Ok(()) => {
                    assert_eq!(status, from);
                    assert_eq!(s(&d).status, Some(to));
                    assert_eq!(s(&d).termination_time, (to == Terminated).then_some(later));
                }
                Err(e) => {
                    assert_ne!(status, from, "{t:?} from {status}");
                    assert_eq!(d, before);
                    assert_eq!(e.code(), "InvalidGameSessionStatusException");
                    assert_eq!(
                        e.to_string(),
                        format!(
                            "Game session arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/g cannot move from status {status} to {to}"
                        )
                    );
                    let expected_to = to;
                    assert!(matches!(
                        &e,
                        GameLiftError::InvalidGameSessionStatus {
                            game_session_id,
                            status: Some(found),
                            action: SessionAction::Transition { to },
                            ..
                        } if Some(game_session_id) == s(&d).game_session_id.as_ref()
                            && *found == status && *to == expected_to
                    ));
                }
            }
        }
    }
}

#[test]
fn terminate_in_both_modes_from_every_status() {
    use GameSessionStatus::*;
    for status in [Activating, Active, Terminating, Terminated, Error] {
        for mode in [
            TerminationMode::TriggerOnProcessTerminate,
            TerminationMode::ForceTerminate,
        ] {
            let mut d = created(&CreateGameSessionInput::new("fleet-1a2b", 4).game_session_id("g"));
            d.game_session.as_mut().unwrap().status = Some(status);
            let id = s(&d).game_session_id.clone().unwrap();
            let before = d.clone();
            let result = terminate_game_session(
                &mut d,
                &TerminateGameSessionInput::new(id.clone(), mode),
                NOW,
            );
            if matches!(status, Terminated | Error) {
                let e = result.unwrap_err();
                assert_eq!(d, before);
                assert_eq!(e.code(), "InvalidGameSessionStatusException");
                let expected = if status == Terminated {
                    format!("Game session {id} has already ended (status TERMINATED)")
                } else {
                    format!(
                        "Game session {id} is in status ERROR; game sessions in status ERROR or TERMINATED cannot be terminated"
                    )
                };
                assert_eq!(e.to_string(), expected);
                continue;
            }
            result.unwrap();
            match mode {
                TerminationMode::TriggerOnProcessTerminate => {
                    assert_eq!(s(&d).status, Some(Terminating));
                    assert_eq!(
                        s(&d).status_reason,
                        Some(GameSessionStatusReason::TriggeredOnProcessTerminate)
                    );
                    assert_eq!(s(&d).termination_time, None);
                }
                _ => {
                    assert_eq!(s(&d).status, Some(Terminated));
                    assert_eq!(
                        s(&d).status_reason,
                        Some(GameSessionStatusReason::ForceTerminated)
                    );
                    assert_eq!(s(&d).termination_time, Some(NOW));
                }
            }
        }
    }
}

#[test]
fn terminate_validates_and_matches_the_id() {
    let mut d = active(&CreateGameSessionInput::new("fleet-1a2b", 4));
    let err =
        terminate_game_session(&mut d, &TerminateGameSessionInput::default(), NOW).unwrap_err();
    assert_eq!(
        err.to_string(),
        "2 validation errors detected: Value null at 'gameSessionId' failed to satisfy constraint: Member must not be null; Value null at 'terminationMode' failed to satisfy constraint: Member must not be null"
    );
    let mut bad = TerminateGameSessionInput::new("gs-1", TerminationMode::ForceTerminate);
    bad.termination_mode = Some("KILL".into());
    assert_eq!(
        terminate_game_session(&mut d, &bad, NOW)
            .unwrap_err()
            .to_string(),
        "1 validation error detected: Value 'KILL' at 'terminationMode' failed to satisfy constraint: Member must satisfy enum value set: [TRIGGER_ON_PROCESS_TERMINATE, FORCE_TERMINATE]"
    );
    let other = TerminateGameSessionInput::new("gs-other", TerminationMode::ForceTerminate);
    assert_eq!(
        terminate_game_session(&mut d, &other, NOW)
            .unwrap_err()
            .code(),
        "NotFoundException"
    );
    assert_eq!(s(&d).status, Some(GameSessionStatus::Active));
}

#[test]
fn joining_needs_an_active_accepting_session_with_free_slots() {
    let mut d = active(&CreateGameSessionInput::new("fleet-1a2b", 3).game_session_id("g"));
    let id = s(&d).game_session_id.clone().unwrap();
    check_player_join(&d, 3).unwrap();
    let full = check_player_join(&d, 4).unwrap_err();
    assert_eq!(
        (full.code(), full.to_string()),
        (
            "GameSessionFullException",
            format!("Game session {id} is full: 0 of 3 players, 4 more requested")
        )
    );
    d.game_session
        .as_mut()
        .unwrap()
        .current_player_session_count = Some(3);
    assert_eq!(
        check_player_join(&d, 1).unwrap_err().code(),
        "GameSessionFullException"
    );
    check_player_join(&d, 0).unwrap();
    // A limit lowered below the players connected leaves no free slot.
    d.game_session
        .as_mut()
        .unwrap()
        .maximum_player_session_count = Some(1);
    assert_eq!(
        check_player_join(&d, 1).unwrap_err().code(),
        "GameSessionFullException"
    );
    let input = UpdateGameSessionInput::new(id.clone())
        .maximum_player_session_count(10)
        .player_session_creation_policy(PlayerSessionCreationPolicy::DenyAll);
    let d = update_game_session(&d, &input).unwrap().into_detail();
    let denied = check_player_join(&d, 1).unwrap_err();
    assert_eq!(
        (denied.code(), denied.to_string()),
        (
            "GameSessionFullException",
            format!(
                "Game session {id} is not accepting new players (PlayerSessionCreationPolicy DENY_ALL)"
            )
        )
    );
    let activating = created(&CreateGameSessionInput::new("fleet-1a2b", 3).game_session_id("g"));
    let e = check_player_join(&activating, 1).unwrap_err();
    assert_eq!(
        (e.code(), e.to_string()),
        (
            "InvalidGameSessionStatusException",
            format!(
                "Game session {id} is in status ACTIVATING; players can join only ACTIVE game sessions"
            )
        )
    );
}

#[test]
fn scale_down_spares_only_active_fully_protected_sessions() {
    let mut d = active(&CreateGameSessionInput::new("fleet-1a2b", 3));
    assert!(may_terminate_on_scale_down(&d));
    let id = s(&d).game_session_id.clone().unwrap();
    let protect =
        UpdateGameSessionInput::new(id.clone()).protection_policy(ProtectionPolicy::FullProtection);
    d = update_game_session(&d, &protect).unwrap().into_detail();
    assert!(!may_terminate_on_scale_down(&d));
    terminate_game_session(
        &mut d,
        &TerminateGameSessionInput::new(id, TerminationMode::TriggerOnProcessTerminate),
        NOW,
    )
    .unwrap();
    assert!(may_terminate_on_scale_down(&d));
}

#[test]
fn describe_selects_filters_and_pages() {
    let mut store = Vec::new();
    for i in 0..5 {
        let fleet = if i < 4 { "fleet-1a2b" } else { "fleet-other" };
        let mut d = create_game_session(
            &CreateGameSessionInput::new(fleet, 2).game_session_id(format!("g{i}")),
            &context(fleet),
        )
        .unwrap();
        if i % 2 == 0 {
            transition(&mut d, Transition::Activate, NOW).unwrap();
        }
        store.push(d);
    }
    let ids = |page: &gamelift_session::game_session::Page<'_>| -> Vec<String> {
        page.details
            .iter()
            .map(|d| {
                s(d).game_session_id
                    .clone()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let all = describe_game_sessions(
        &DescribeGameSessionsInput::for_fleet("fleet-1a2b"),
        &store,
        None,
    )
    .unwrap();
    assert_eq!(ids(&all), ["g0", "g1", "g2", "g3"]);
    assert_eq!(all.next_token, None);
    let mut active = DescribeGameSessionsInput::for_fleet("fleet-1a2b");
    active.status_filter = Some("ACTIVE".into());
    assert_eq!(
        ids(&describe_game_sessions(&active, &store, None).unwrap()),
        ["g0", "g2"]
    );
    let mut paged = DescribeGameSessionsInput::for_fleet("fleet-1a2b");
    paged.limit = Some(3);
    let first = describe_game_sessions(&paged, &store, None).unwrap();
    assert_eq!(
        (ids(&first), first.next_token.as_deref()),
        (
            vec!["g0".to_owned(), "g1".into(), "g2".into()],
            Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/g2")
        ),
        "the token names the page's last session"
    );
    paged.next_token = first.next_token.clone();
    let second = describe_game_sessions(&paged, &store, None).unwrap();
    assert_eq!(
        (ids(&second), second.next_token),
        (vec!["g3".to_owned()], None)
    );
    let one = s(&store[4]).game_session_id.clone().unwrap();
    assert_eq!(
        ids(&describe_game_sessions(
            &DescribeGameSessionsInput::for_game_session(one),
            &store,
            None
        )
        .unwrap()),
        ["g4"]
    );
    let missing = describe_game_sessions(
        &DescribeGameSessionsInput::for_game_session("gs-none"),
        &store,
        None,
    )
    .unwrap_err();
    assert_eq!(
        (missing.code(), missing.to_string()),
        (
            "NotFoundException",
            "Game session gs-none not found".to_owned()
        )
    );
    let e =
        describe_game_sessions(&DescribeGameSessionsInput::default(), &store, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Specify a FleetId, an AliasId or a GameSessionId"
    );
    let mut bad = DescribeGameSessionsInput::for_fleet("fleet-1a2b");
    bad.status_filter = Some("RUNNING".into());
    bad.limit = Some(0);
    assert_eq!(
        describe_game_sessions(&bad, &store, None)
            .unwrap_err()
            .to_string(),
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    bad.limit = None;
    assert_eq!(
        describe_game_sessions(&bad, &store, None)
            .unwrap_err()
            .to_string(),
        "StatusFilter 'RUNNING' is not one of [ACTIVE, ACTIVATING, TERMINATED, TERMINATING, ERROR]"
    );
    let mut token = DescribeGameSessionsInput::for_fleet("fleet-1a2b");
    token.next_token = Some("abc".into());
    assert_eq!(
        describe_game_sessions(&token, &store, None)
            .unwrap_err()
            .to_string(),
        "Invalid NextToken: abc"
    );
    // The responses: sessions without, details with the protection policy.
    let json = serde_json::to_value(all.game_sessions_output()).unwrap();
    assert_eq!(json["GameSessions"].as_array().map(Vec::len), Some(4));
    assert!(json.get("NextToken").is_none());
    let json = serde_json::to_value(all.details_output()).unwrap();
    assert_eq!(
        json["GameSessionDetails"][0]["ProtectionPolicy"],
        "NoProtection"
    );
}

proptest! {
    #![proptest_config(util::proptest_config(256))]

    #[test]
    fn prop_transitions_follow_the_table_and_errors_change_nothing(
        steps in proptest::collection::vec(0..6usize, 0..12)
    ) {
        let mut d = created(&CreateGameSessionInput::new("fleet-1a2b", 2));
        for step in steps {
            let before = d.clone();
            let status = s(&d).status;
            let ok = match step {
                0..=3 => {
                    let t = [Transition::Activate, Transition::FailActivation, Transition::BeginTermination, Transition::FinishTermination][step];
                    let allowed = status == Some(t.statuses().0);
                    prop_assert_eq!(transition(&mut d, t, NOW).is_ok(), allowed);
                    allowed
                }
                _ => {
                    let mode = if step == 4 { TerminationMode::TriggerOnProcessTerminate } else { TerminationMode::ForceTerminate };
                    let id = s(&d).game_session_id.clone().unwrap();
                    let allowed = !matches!(status, Some(GameSessionStatus::Terminated | GameSessionStatus::Error));
                    prop_assert_eq!(terminate_game_session(&mut d, &TerminateGameSessionInput::new(id, mode), NOW).is_ok(), allowed);
                    allowed
                }
            };
            if !ok { prop_assert_eq!(&d, &before); }
            // TERMINATED and ERROR are final.
            if matches!(before.game_session.as_ref().unwrap().status, Some(GameSessionStatus::Terminated | GameSessionStatus::Error)) {
                prop_assert_eq!(&d, &before);
            }
            // Only ACTIVE sessions take updates and players.
            let active = s(&d).status == Some(GameSessionStatus::Active);
            let id = s(&d).game_session_id.clone().unwrap();
            prop_assert_eq!(update_game_session(&d, &UpdateGameSessionInput::new(id)).is_ok(), active);
            prop_assert_eq!(check_player_join(&d, 1).is_ok(), active);
        }
    }

    #[test]
    fn prop_join_admits_exactly_the_free_slots(current in 0..20i32, maximum in 0..20i32, players in 0..25usize, deny in any::<bool>()) {
        let mut d = active(&CreateGameSessionInput::new("fleet-1a2b", maximum));
        let g = d.game_session.as_mut().unwrap();
        g.current_player_session_count = Some(current);
        if deny { g.player_session_creation_policy = Some(PlayerSessionCreationPolicy::DenyAll); }
        let free = usize::try_from((maximum - current).max(0)).unwrap();
        prop_assert_eq!(check_player_join(&d, players).is_ok(), !deny && players <= free);
    }

    #[test]
    fn prop_created_sessions_round_trip_and_hold_their_request(
        name in "\\PC{1,30}", max in 0..100i32, id in "[a-zA-Z0-9-]{1,48}",
        props in proptest::collection::vec(("[a-c]{0,3}", "\\PC{0,20}"), 0..16),
    ) {
        let mut input = CreateGameSessionInput::new("fleet-1a2b", max).name(name.clone()).game_session_id(id.clone());
        for (k, v) in &props { input = input.game_property(k.clone(), v.clone()); }
        let d = created(&input);
        let g = s(&d);
        prop_assert_eq!(g.name.as_deref(), Some(name.as_str()));
        prop_assert_eq!(g.maximum_player_session_count, Some(max));
        let expected_id = format!("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/{id}");
        prop_assert_eq!(g.game_session_id.as_deref(), Some(expected_id.as_str()));
        for (k, _) in &props {
            let last = props.iter().rev().find(|(rk, _)| rk == k).map(|(_, v)| v.as_str());
            prop_assert_eq!(g.game_property(k), last);
        }
        let json = serde_json::to_string(&d).unwrap();
        prop_assert_eq!(serde_json::from_str::<GameSessionDetail>(&json).unwrap(), d.clone());
    }
}

#[test]
fn describe_validates_every_member() {
    let mut input = DescribeGameSessionsInput::for_fleet("fleet 1");
    input.game_session_id = Some("gs 1".into());
    input.alias_id = Some("alias 1".into());
    input.location = Some("us_west".into());
    input.next_token = Some(String::new());
    let err = describe_game_sessions(&input, &[], None).unwrap_err();
    assert_eq!(err.code(), "InvalidRequestException");
    assert_eq!(
        err.to_string(),
        "5 validation errors detected: \
         Value 'fleet 1' at 'fleetId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z]*fleet-[a-zA-Z0-9\\-]+$|^arn:.*:[a-z]*fleet\\/[a-z]*fleet-[a-zA-Z0-9\\-]+$; \
         Value 'gs 1' at 'gameSessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/-]+$; \
         Value 'alias 1' at 'aliasId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(alias-\\S+|arn:.*:alias\\/alias-\\S+)$; \
         Value 'us_west' at 'location' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9\\-]+$; \
         Value '' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
}

#[test]
fn create_never_echoes_game_session_data_and_checks_the_token() {
    let mut input = CreateGameSessionInput::new("fleet-1a2b", 1);
    input.game_session_data = Some("secret".repeat(50_000));
    input.idempotency_token = Some("tok_1".into());
    let err = create_game_session(&input, &context("fleet-1a2b")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "2 validation errors detected: \
         Value 'tok_1' at 'idempotencyToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9-]+$; \
         Value at 'gameSessionData' failed to satisfy constraint: Member must have length less than or equal to 262144"
    );
    assert!(!format!("{input:?}").contains("secret"));
}

// -- idempotent create (SPEC section 9) ------------------------------------------

#[test]
fn the_idempotency_token_wins_over_the_deprecated_game_session_id() {
    let input = CreateGameSessionInput::new("fleet-1a2b", 1)
        .game_session_id("old-name")
        .idempotency_token("token-1");
    assert_eq!(input.requested_id(), Some("token-1"));
    assert_eq!(
        s(&created(&input)).game_session_id.as_deref(),
        Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/token-1")
    );
    let legacy = CreateGameSessionInput::new("fleet-1a2b", 1).game_session_id("old-name");
    assert_eq!(legacy.requested_id(), Some("old-name"));
}

#[test]
fn a_repeated_create_replays_only_the_same_request() {
    use gamelift_session::{game_session::replay_create_game_session, model::GamePropertyInput};
    let original = CreateGameSessionInput::new("fleet-1a2b", 8)
        .name("Friday")
        .idempotency_token("match-1")
        .game_property("mode", "casual")
        .game_property("mode", "ranked");
    let session = created(&original);
    let replay =
        |input: &CreateGameSessionInput| replay_create_game_session(&original, &session, input);
    // The same request, with the fleet as an ARN and the repeated key
    // already merged: the same session.
    let mut same = original.clone();
    same.fleet_id = Some("arn:aws:gamelift:us-west-2:111122223333:fleet/fleet-1a2b".into());
    same.game_properties = Some(vec![GamePropertyInput::new("mode", "ranked")]);
    assert_eq!(replay(&same).expect("the same request"), &session);

    let mismatch = |change: &dyn Fn(&mut CreateGameSessionInput)| {
        let mut input = original.clone();
        change(&mut input);
        let err = replay(&input).expect_err("another request");
        assert_eq!(err.code(), "IdempotentParameterMismatchException");
        assert_eq!(err.http_status(), 400);
        assert_eq!(
            err.to_string(),
            "A game session with this custom ID string already exists in this fleet"
        );
    };
    mismatch(&|i| i.maximum_player_session_count = Some(9));
    mismatch(&|i| i.name = None);
    mismatch(&|i| i.creator_id = Some("someone".into()));
    mismatch(&|i| i.game_session_data = Some("data".into()));
    mismatch(&|i| i.location = Some("us-east-1".into()));
    mismatch(&|i| i.game_properties = None);
    mismatch(&|i| i.fleet_id = Some("fleet-other".into()));

    // An invalid repeat is reported as invalid first, as every create.
    let mut invalid = original.clone();
    invalid.maximum_player_session_count = Some(-1);
    assert_eq!(
        replay(&invalid).expect_err("invalid").code(),
        "InvalidRequestException"
    );
}

// -- one Limits for every operation ---------------------------------------------

#[test]
fn every_operation_takes_its_limits_from_one_value() {
    use gamelift_session::Limits;
    let mut limits = Limits::AWS;
    limits.max_name_length = 5;
    limits.default_describe_page_size = 2;
    limits.max_game_session_data_length = 4;

    // CreatorId has its own limit: a name limit of 5 does not reach it.
    let mut input = CreateGameSessionInput::new("fleet-1a2b", 1);
    input.creator_id = Some("a-long-creator".into());
    assert!(input.validate_with(&limits).is_ok());
    input.game_session_data = Some("12345".into());
    assert_eq!(
        input
            .validate_with(&limits)
            .map(|_| ())
            .expect_err("data over 4")
            .to_string(),
        "1 validation error detected: Value at 'gameSessionData' failed to satisfy constraint: \
         Member must have length less than or equal to 4"
    );

    // The describe page size when no Limit is set.
    let sessions: Vec<GameSessionDetail> = (0..5)
        .map(|i| {
            created(
                &CreateGameSessionInput::new("fleet-1a2b", 1).idempotency_token(format!("g{i}")),
            )
        })
        .collect();
    let describe = DescribeGameSessionsInput::for_fleet("fleet-1a2b");
    let page = describe
        .validate_with(&limits)
        .expect("valid")
        .select(&sessions, None)
        .expect("a page");
    assert_eq!(
        (page.details.len(), page.next_token.as_deref()),
        (
            2,
            Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/g1")
        )
    );
    let page = describe_game_sessions(&describe, &sessions, None).expect("a page");
    assert_eq!((page.details.len(), page.next_token), (5, None));

    // Terminate validates under the same value.
    let mut long = Limits::AWS;
    long.max_game_session_id_length = 10;
    let terminate = TerminateGameSessionInput::new(
        "arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/g0",
        TerminationMode::ForceTerminate,
    );
    assert!(terminate.validate().is_ok());
    assert!(terminate.validate_with(&long).is_err());
}
