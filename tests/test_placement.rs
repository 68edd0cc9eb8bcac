//! Queues and placements: validation in AWS's words, the placement's state
//! machine, and what Debug never shows.

use gamelift_session::{
    GameSession, Limits,
    model::GameSessionPlacementState,
    placement::{
        CreateGameSessionQueueInput, DescribeGameSessionQueuesInput, DesiredPlayerSession,
        Destination, GameSessionQueueDestination, PlacementIdInput, StartGameSessionPlacementInput,
        UpdateGameSessionQueueInput, queue_name_of,
    },
    player_session::PlayerSession,
};
use time::{Duration, OffsetDateTime};

const T0: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

#[test]
fn a_placement_starts_pending_and_is_fulfilled_by_a_session_and_its_players() {
    let mut input = StartGameSessionPlacementInput::new(
        "p-1",
        "arn:aws:gamelift:us-west-2:1:gamesessionqueue/main",
        4,
    );
    input.game_session_name = Some("placed".into());
    input.game_session_data = Some("secret-data".into());
    let mut p = input.start(&Limits::AWS, T0).unwrap();
    assert_eq!(p.status, Some(GameSessionPlacementState::Pending));
    assert_eq!(
        p.game_session_queue_name.as_deref(),
        Some("main"),
        "the queue's name, not its ARN"
    );
    let request = p.game_session_request("fleet-1");
    assert_eq!(request.fleet_id.as_deref(), Some("fleet-1"));
    assert_eq!(request.name.as_deref(), Some("placed"));
    assert_eq!(request.maximum_player_session_count, Some(4));
    let mut session = GameSession::default();
    session.game_session_id = Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1".into());
    session.location = Some("us-west-2".into());
    session.ip_address = Some("10.0.0.1".into());
    session.port = Some(7777);
    let mut seat = PlayerSession::default();
    seat.player_id = Some("alice".into());
    seat.player_session_id = Some("psess-1".into());
    p.fulfil(&session, &[seat], T0 + Duration::seconds(1));
    assert_eq!(p.status, Some(GameSessionPlacementState::Fulfilled));
    assert_eq!(p.game_session_arn, session.game_session_id);
    assert_eq!(
        (p.ip_address.as_deref(), p.port),
        (Some("10.0.0.1"), Some(7777))
    );
    let shown = format!("{p:?}");
    assert!(
        !shown.contains("alice") && !shown.contains("10.0.0.1") && !shown.contains("secret-data"),
        "{shown}"
    );
    assert_eq!(
        p.stop(T0).unwrap_err().to_string(),
        "Game session placement p-1 is FULFILLED and cannot be stopped"
    );
}

#[test]
fn a_pending_placement_times_out_at_its_queues_timeout_exactly() {
    let mut p = StartGameSessionPlacementInput::new("p-2", "main", 2)
        .start(&Limits::AWS, T0)
        .unwrap();
    assert!(!p.time_out_if_due(10, T0 + Duration::milliseconds(9_999)));
    assert!(p.time_out_if_due(10, T0 + Duration::seconds(10)));
    assert_eq!(p.status, Some(GameSessionPlacementState::TimedOut));
    assert_eq!(p.end_time, Some(T0 + Duration::seconds(10)));
    assert!(!p.time_out_if_due(10, T0 + Duration::seconds(99)), "once");
    let mut q = StartGameSessionPlacementInput::new("p-3", "main", 2)
        .start(&Limits::AWS, T0)
        .unwrap();
    q.stop(T0).unwrap();
    assert_eq!(q.status, Some(GameSessionPlacementState::Cancelled));
}

#[test]
fn every_violation_of_a_start_is_reported() {
    let mut input = StartGameSessionPlacementInput::default();
    input.desired_player_sessions = Some(
        (0..26)
            .map(|i| {
                let mut d = DesiredPlayerSession::default();
                d.player_id = Some(format!("player-{i}"));
                d
            })
            .collect(),
    );
    let err = input.start(&Limits::AWS, T0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "4 validation errors detected: \
         Value null at 'placementId' failed to satisfy constraint: Member must not be null; \
         Value null at 'gameSessionQueueName' failed to satisfy constraint: Member must not be null; \
         Value null at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must not be null; \
         Value at 'desiredPlayerSessions' failed to satisfy constraint: Member must have length less than or equal to 25"
    );
    assert!(
        !err.to_string().contains("player-1"),
        "player ids are never echoed"
    );
    assert_eq!(
        PlacementIdInput::default()
            .validate_with(&Limits::AWS)
            .unwrap_err()
            .to_string(),
        "1 validation error detected: Value null at 'placementId' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn queues_name_their_destinations_and_change_by_update() {
    let mut queue = CreateGameSessionQueueInput::new(
        "main",
        [
            "arn:aws:gamelift:us-west-2:1:fleet/fleet-1",
            "arn:aws:gamelift:us-west-2:1:alias/alias-1",
        ],
    )
    .create("us-west-2", "1")
    .unwrap();
    let destinations: Vec<_> = queue
        .destination_arns()
        .filter_map(Destination::of)
        .collect();
    assert_eq!(
        destinations,
        [Destination::Fleet("fleet-1"), Destination::Alias("alias-1")]
    );
    assert!(queue.is_named_by("arn:aws:gamelift:us-west-2:1:gamesessionqueue/main"));
    assert_eq!(queue_name_of("main"), "main");
    let mut update = UpdateGameSessionQueueInput::default();
    update.name = Some("main".into());
    update.timeout_in_seconds = Some(9);
    update.destinations = Some(vec![GameSessionQueueDestination::new(
        "arn:aws:gamelift:us-west-2:1:fleet/fleet-2",
    )]);
    // The docs ask for 10 seconds at least; the model has no minimum.
    assert_eq!(
        update.validate_with(&Limits::AWS).unwrap_err().to_string(),
        "1 validation error detected: Value '9' at 'timeoutInSeconds' failed to satisfy constraint: \
         Member must have value greater than or equal to 10"
    );
    update.timeout_in_seconds = Some(10);
    assert_eq!(update.validate_with(&Limits::AWS).unwrap(), "main");
    update.apply(&mut queue);
    assert_eq!(queue.timeout_in_seconds, Some(10));
    assert_eq!(queue.destination_arns().count(), 1);
    let queues = [queue];
    let mut describe = DescribeGameSessionQueuesInput::default();
    describe.names = Some(vec!["nope".into(), "main".into()]);
    assert_eq!(
        describe
            .select(&queues, &Limits::AWS)
            .unwrap()
            .game_session_queues
            .len(),
        1
    );
    describe.names = Some(vec!["bad name".into()]);
    assert_eq!(
        describe
            .select(&queues, &Limits::AWS)
            .unwrap_err()
            .to_string(),
        "1 validation error detected: Value 'bad name' at 'names.1.member' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: [a-zA-Z0-9-]+|^arn:.*:gamesessionqueue\\/[a-zA-Z0-9-]+"
    );
}
