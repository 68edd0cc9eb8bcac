//! The AWS SDK for Rust, which speaks Smithy RPC v2 CBOR, against the
//! emulator started in process on an ephemeral port.

use std::sync::Arc;

use aws_sdk_gamelift::Client;
use aws_sdk_gamelift::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_gamelift::operation::terminate_game_session::TerminateGameSessionError;
use aws_sdk_gamelift::operation::update_game_session::UpdateGameSessionError;
use aws_sdk_gamelift::types::{
    GameProperty, GameSessionStatus, GameSessionStatusReason, PlayerSessionCreationPolicy,
    ProtectionPolicy, TerminationMode,
};
use gamelift_emulator::{Emulator, HttpLimits, Settings, Timeouts, router, serve};

async fn client() -> Client {
    with_emulator().await.0
}

/// A client, and the emulator it talks to (for a test to step its
/// matchmaker).
async fn with_emulator() -> (Client, Arc<Emulator>) {
    let emulator = Arc::new(Emulator::new(Settings::default()));
    let served = Arc::clone(&emulator);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(serve(
        listener,
        router(served, HttpLimits::default()),
        Timeouts::default(),
        std::future::pending(),
    ));
    let config = aws_sdk_gamelift::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .endpoint_url(url)
        .retry_config(aws_sdk_gamelift::config::retry::RetryConfig::disabled())
        .build();
    (Client::from_conf(config), emulator)
}

fn property(key: &str, value: &str) -> GameProperty {
    GameProperty::builder().key(key).value(value).build()
}

async fn create(client: &Client) -> aws_sdk_gamelift::types::GameSession {
    client
        .create_game_session()
        .fleet_id("fleet-1a2b3c4d")
        .maximum_player_session_count(10)
        .name("Friday night")
        .game_properties(property("difficulty", "novice"))
        .send()
        .await
        .expect("created")
        .game_session
        .expect("a session")
}

#[tokio::test]
async fn create_update_describe_and_terminate_through_the_sdk() {
    let client = client().await;
    let created = create(&client).await;
    let id = created.game_session_id().expect("an id").to_owned();
    assert!(id.starts_with("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b3c4d/"));
    assert_eq!(created.status(), Some(&GameSessionStatus::Active));
    assert_eq!(
        created.player_session_creation_policy(),
        Some(&PlayerSessionCreationPolicy::AcceptAll)
    );
    let creation = created.creation_time().expect("a creation time");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    assert!((creation.as_secs_f64() - now.as_secs_f64()).abs() < 60.0);
    assert_eq!(
        creation.subsec_nanos() % 1_000_000,
        0,
        "millisecond precision"
    );

    let updated = client
        .update_game_session()
        .game_session_id(&id)
        .name("Saturday")
        .maximum_player_session_count(20)
        .player_session_creation_policy(PlayerSessionCreationPolicy::DenyAll)
        .protection_policy(ProtectionPolicy::FullProtection)
        .game_properties(property("difficulty", "expert"))
        .game_properties(property("map.name", "harbor"))
        .send()
        .await
        .expect("updated")
        .game_session
        .expect("a session");
    assert_eq!(updated.name(), Some("Saturday"));
    assert_eq!(updated.maximum_player_session_count(), Some(20));
    assert_eq!(
        updated.player_session_creation_policy(),
        Some(&PlayerSessionCreationPolicy::DenyAll)
    );
    assert_eq!(
        updated.game_properties(),
        [
            property("difficulty", "expert"),
            property("map.name", "harbor")
        ]
    );
    assert_eq!(
        updated.creation_time(),
        created.creation_time(),
        "timestamps survive exactly"
    );

    let described = client
        .describe_game_sessions()
        .game_session_id(&id)
        .send()
        .await
        .expect("described");
    assert_eq!(described.game_sessions(), std::slice::from_ref(&updated));
    let details = client
        .describe_game_session_details()
        .game_session_id(&id)
        .send()
        .await
        .expect("described");
    let detail = &details.game_session_details()[0];
    assert_eq!(
        detail.protection_policy(),
        Some(&ProtectionPolicy::FullProtection)
    );
    assert_eq!(detail.game_session(), Some(&updated));

    let terminated = client
        .terminate_game_session()
        .game_session_id(&id)
        .termination_mode(TerminationMode::ForceTerminate)
        .send()
        .await
        .expect("terminated")
        .game_session
        .expect("a session");
    assert_eq!(terminated.status(), Some(&GameSessionStatus::Terminated));
    assert_eq!(
        terminated.status_reason(),
        Some(&GameSessionStatusReason::ForceTerminated)
    );
    assert!(terminated.termination_time().is_some());
}

#[tokio::test]
async fn every_error_arrives_as_its_typed_variant() {
    let client = client().await;
    let id = create(&client)
        .await
        .game_session_id()
        .expect("an id")
        .to_owned();

    // The SDK's builders do not validate: invalid values reach the emulator.
    let err = client
        .update_game_session()
        .game_session_id(&id)
        .maximum_player_session_count(-1)
        .name("")
        .send()
        .await
        .expect_err("invalid")
        .into_service_error();
    let UpdateGameSessionError::InvalidRequestException(e) = &err else {
        panic!("expected InvalidRequestException, got {err:?}");
    };
    assert_eq!(
        e.message(),
        Some(
            "2 validation errors detected: Value '-1' at 'maximumPlayerSessionCount' failed to satisfy constraint: \
             Member must have value greater than or equal to 0; Value '' at 'name' failed to satisfy constraint: \
             Member must have length greater than or equal to 1"
        )
    );

    let err = client
        .update_game_session()
        .game_session_id(&id)
        .player_session_creation_policy(PlayerSessionCreationPolicy::from("ACCEPT_SOME"))
        .send()
        .await
        .expect_err("invalid")
        .into_service_error();
    assert!(
        matches!(err, UpdateGameSessionError::InvalidRequestException(_)),
        "{err:?}"
    );

    let missing = "arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b3c4d/none";
    let err = client
        .update_game_session()
        .game_session_id(missing)
        .name("x")
        .send()
        .await
        .expect_err("unknown")
        .into_service_error();
    let UpdateGameSessionError::NotFoundException(e) = &err else {
        panic!("expected NotFoundException, got {err:?}");
    };
    assert_eq!(
        e.message(),
        Some(format!("Game session {missing} not found").as_str())
    );

    client
        .terminate_game_session()
        .game_session_id(&id)
        .termination_mode(TerminationMode::TriggerOnProcessTerminate)
        .send()
        .await
        .expect("terminating");
    let err = client
        .update_game_session()
        .game_session_id(&id)
        .name("x")
        .send()
        .await
        .expect_err("terminating")
        .into_service_error();
    let UpdateGameSessionError::InvalidGameSessionStatusException(e) = &err else {
        panic!("expected InvalidGameSessionStatusException, got {err:?}");
    };
    assert_eq!(e.message(), Some(format!("Game session {id} is in status TERMINATING; only ACTIVE game sessions can be updated").as_str()));

    client
        .terminate_game_session()
        .game_session_id(&id)
        .termination_mode(TerminationMode::ForceTerminate)
        .send()
        .await
        .expect("ended");
    let err = client
        .terminate_game_session()
        .game_session_id(&id)
        .termination_mode(TerminationMode::ForceTerminate)
        .send()
        .await
        .expect_err("already ended")
        .into_service_error();
    let TerminateGameSessionError::InvalidGameSessionStatusException(e) = &err else {
        panic!("expected InvalidGameSessionStatusException, got {err:?}");
    };
    assert_eq!(
        e.message(),
        Some(format!("Game session {id} has already ended (status TERMINATED)").as_str())
    );
}

#[tokio::test]
async fn the_merge_limit_and_paging_through_the_sdk() {
    let client = client().await;
    let mut create = client
        .create_game_session()
        .fleet_id("fleet-limit")
        .maximum_player_session_count(1);
    for i in 0..16 {
        create = create.game_properties(property(&format!("k{i}"), "v"));
    }
    let id = create
        .send()
        .await
        .expect("created")
        .game_session
        .and_then(|s| s.game_session_id)
        .expect("an id");
    let err = client
        .update_game_session()
        .game_session_id(&id)
        .game_properties(property("k16", "v"))
        .send()
        .await
        .expect_err("over the limit")
        .into_service_error();
    assert!(
        matches!(err, UpdateGameSessionError::InvalidRequestException(_)),
        "{err:?}"
    );
    for _ in 0..4 {
        client
            .create_game_session()
            .fleet_id("fleet-limit")
            .maximum_player_session_count(1)
            .send()
            .await
            .expect("created");
    }
    let pages: Vec<usize> = client
        .describe_game_sessions()
        .fleet_id("fleet-limit")
        .limit(2)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("pages")
        .iter()
        .map(|p| p.game_sessions().len())
        .collect();
    assert_eq!(pages, [2, 2, 1]);
}

/// A new ACTIVE game session of three slots: its id.
async fn game_of_three(client: &aws_sdk_gamelift::Client) -> String {
    client
        .create_game_session()
        .fleet_id("fleet-1a2b3c4d")
        .maximum_player_session_count(3)
        .send()
        .await
        .expect("created")
        .game_session
        .and_then(|g| g.game_session_id)
        .expect("a session with an id")
}

#[tokio::test]
async fn the_answer_says_reserved_and_the_game_server_accepts_after() {
    use aws_sdk_gamelift::types::PlayerSessionStatus;

    let client = client().await;
    let id = &game_of_three(&client).await;
    let one = client
        .create_player_session()
        .game_session_id(id)
        .player_id("alice")
        .send()
        .await
        .expect("joined")
        .player_session
        .expect("a player session");
    assert_eq!(one.status(), Some(&PlayerSessionStatus::Reserved));
    let described = client
        .describe_player_sessions()
        .game_session_id(id)
        .send()
        .await
        .expect("described");
    let statuses: Vec<_> = described
        .player_sessions()
        .iter()
        .map(|p| p.status())
        .collect();
    assert_eq!(statuses, [Some(&PlayerSessionStatus::Active)]);
}

#[tokio::test]
async fn players_join_until_full_through_the_sdk() {
    use aws_sdk_gamelift::operation::create_player_session::CreatePlayerSessionError;
    use aws_sdk_gamelift::operation::create_player_sessions::CreatePlayerSessionsError;
    use aws_sdk_gamelift::types::PlayerSessionStatus;

    let client = client().await;
    let id = game_of_three(&client).await;

    let batch = client
        .create_player_sessions()
        .game_session_id(&id)
        .player_ids("alice")
        .player_ids("bob")
        .player_data_map("bob", "team=blue")
        .send()
        .await
        .expect("two joined");
    let players = batch.player_sessions();
    assert_eq!(players.len(), 2);
    assert_eq!(players[1].player_data(), Some("team=blue"));
    // Answered RESERVED, as GameLift does (see `the_answer_says_reserved`).
    assert_eq!(players[0].status(), Some(&PlayerSessionStatus::Reserved));
    let creation = players[0].creation_time().expect("a creation time");
    assert_eq!(
        creation.subsec_nanos() % 1_000_000,
        0,
        "millisecond precision over CBOR"
    );

    // Two slots asked for, one free: none is created.
    let err = client
        .create_player_sessions()
        .game_session_id(&id)
        .player_ids("carol")
        .player_ids("dave")
        .send()
        .await
        .expect_err("too many")
        .into_service_error();
    assert!(
        matches!(err, CreatePlayerSessionsError::GameSessionFullException(_)),
        "{err:?}"
    );
    assert_eq!(
        err.meta().message(),
        Some(format!("Game session {id} is full: 2 of 3 players, 2 more requested").as_str())
    );
    client
        .create_player_session()
        .game_session_id(&id)
        .player_id("carol")
        .send()
        .await
        .expect("the last slot");
    let err = client
        .create_player_session()
        .game_session_id(&id)
        .player_id("dave")
        .send()
        .await
        .expect_err("full")
        .into_service_error();
    assert!(
        matches!(err, CreatePlayerSessionError::GameSessionFullException(_)),
        "{err:?}"
    );

    // The paginator walks every player session, and the count is live.
    let mut seen = Vec::new();
    let mut pages = client
        .describe_player_sessions()
        .game_session_id(&id)
        .limit(2)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        seen.extend(
            page.player_sessions()
                .iter()
                .filter_map(|p| p.player_id().map(str::to_owned)),
        );
    }
    assert_eq!(seen, ["alice", "bob", "carol"]);
    let described = client
        .describe_game_sessions()
        .game_session_id(&id)
        .send()
        .await
        .expect("described");
    assert_eq!(
        described.game_sessions()[0].current_player_session_count(),
        Some(3)
    );
}

#[tokio::test]
async fn search_reads_what_updates_and_joins_write_through_the_sdk() {
    let client = client().await;
    let fleet = "fleet-sdksearch";
    let mut ids = Vec::new();
    for (name, mode) in [("a", "casual"), ("b", "ranked"), ("c", "ranked")] {
        let created = client
            .create_game_session()
            .fleet_id(fleet)
            .name(name)
            .maximum_player_session_count(2)
            .game_properties(property("mode", mode))
            .game_properties(property("map.name", "harbor"))
            .send()
            .await
            .expect("created")
            .game_session
            .expect("a session");
        ids.push(created.game_session_id().expect("an id").to_owned());
    }
    let search = |filter: &'static str| {
        let client = client.clone();
        async move {
            client
                .search_game_sessions()
                .fleet_id(fleet)
                .filter_expression(filter)
                .sort_expression("gameSessionName DESC")
                .send()
                .await
                .expect("searched")
                .game_sessions()
                .iter()
                .map(|g| g.name().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let ranked_and_open =
        "gameSessionProperties.mode = 'ranked' AND hasAvailablePlayerSessions = true";
    assert_eq!(search(ranked_and_open).await, ["c", "b"]);

    // Properties set by an update are searched at once.
    client
        .update_game_session()
        .game_session_id(&ids[0])
        .game_properties(property("mode", "ranked"))
        .send()
        .await
        .expect("updated");
    assert_eq!(search(ranked_and_open).await, ["c", "b", "a"]);

    // DENY_ALL, and a full session, leave the open ones.
    client
        .update_game_session()
        .game_session_id(&ids[1])
        .player_session_creation_policy(PlayerSessionCreationPolicy::DenyAll)
        .send()
        .await
        .expect("updated");
    client
        .create_player_sessions()
        .game_session_id(&ids[2])
        .player_ids("p1")
        .player_ids("p2")
        .send()
        .await
        .expect("joined");
    assert_eq!(search(ranked_and_open).await, ["a"]);

    // The period key is left out of results, and still described.
    let found = client
        .search_game_sessions()
        .fleet_id(fleet)
        .limit(1)
        .send()
        .await
        .expect("searched");
    assert_eq!(
        found.next_token(),
        found.game_sessions()[0].game_session_id(),
        "the token names the page's last session"
    );
    let keys: Vec<_> = found.game_sessions()[0]
        .game_properties()
        .iter()
        .map(|p| p.key().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(keys, ["mode"]);
    let described = client
        .describe_game_sessions()
        .game_session_id(&ids[0])
        .send()
        .await
        .expect("described");
    assert_eq!(described.game_sessions()[0].game_properties().len(), 2);

    // The paginator walks every page.
    let pages: Vec<_> = client
        .search_game_sessions()
        .fleet_id(fleet)
        .limit(2)
        .into_paginator()
        .send()
        .collect::<Vec<_>>()
        .await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.as_ref().expect("a page").game_sessions().len())
        .collect();
    assert_eq!(sizes, [2, 1]);
}

#[tokio::test]
async fn a_bad_search_is_a_typed_error_with_its_position_through_the_sdk() {
    use aws_sdk_gamelift::operation::search_game_sessions::SearchGameSessionsError;

    let client = client().await;
    let fleet = "fleet-sdksearch";
    let err = client
        .search_game_sessions()
        .fleet_id(fleet)
        .filter_expression("maximumSessions = 'two'")
        .send()
        .await
        .expect_err("ill typed")
        .into_service_error();
    assert!(
        matches!(err, SearchGameSessionsError::InvalidRequestException(_)),
        "{err:?}"
    );
    assert_eq!(
        err.meta().message(),
        Some(
            "FilterExpression is invalid at character 19: \
             expected a whole number for a number operand, found a string"
        )
    );
}

#[tokio::test]
async fn a_placement_through_a_queue_and_an_alias_over_cbor() {
    use aws_sdk_gamelift::types::{
        DesiredPlayerSession, GameSessionPlacementState, GameSessionQueueDestination,
        RoutingStrategy, RoutingStrategyType,
    };

    let client = client().await;
    let alias = client
        .create_alias()
        .name("live")
        .routing_strategy(
            RoutingStrategy::builder()
                .r#type(RoutingStrategyType::Simple)
                .fleet_id("fleet-5db1")
                .build(),
        )
        .send()
        .await
        .expect("an alias")
        .alias
        .expect("the alias");
    let arn = alias.alias_arn().expect("an ARN").to_owned();
    client
        .create_game_session_queue()
        .name("sdk-queue")
        .destinations(
            GameSessionQueueDestination::builder()
                .destination_arn(arn)
                .build(),
        )
        .send()
        .await
        .expect("a queue");
    let started = client
        .start_game_session_placement()
        .placement_id("sdk-placement")
        .game_session_queue_name("sdk-queue")
        .maximum_player_session_count(2)
        .desired_player_sessions(
            DesiredPlayerSession::builder()
                .player_id("sdk-player")
                .build(),
        )
        .send()
        .await
        .expect("started")
        .game_session_placement
        .expect("a placement");
    assert_eq!(started.status(), Some(&GameSessionPlacementState::Pending));
    let placed = client
        .describe_game_session_placement()
        .placement_id("sdk-placement")
        .send()
        .await
        .expect("described")
        .game_session_placement
        .expect("a placement");
    assert_eq!(placed.status(), Some(&GameSessionPlacementState::Fulfilled));
    assert!(
        placed
            .game_session_arn()
            .is_some_and(|a| a.contains("/fleet-5db1/"))
    );
    assert_eq!(placed.placed_player_sessions().len(), 1);
    assert!(placed.start_time().is_some() && placed.end_time().is_some());
    let resolved = client
        .resolve_alias()
        .alias_id(alias.alias_id().expect("an id"))
        .send()
        .await
        .expect("resolved");
    assert_eq!(resolved.fleet_id(), Some("fleet-5db1"));
}

#[tokio::test]
async fn a_matchmaking_ticket_over_cbor() {
    use aws_sdk_gamelift::types::{
        AttributeValue, GameSessionQueueDestination, MatchmakingConfigurationStatus, Player,
    };

    let (client, emulator) = with_emulator().await;
    client
        .create_game_session_queue()
        .name("sdk-match-queue")
        .destinations(
            GameSessionQueueDestination::builder()
                .destination_arn("arn:aws:gamelift:us-west-2:123456789012:fleet/fleet-5db1")
                .build(),
        )
        .send()
        .await
        .expect("a queue");
    let body = r#"{"ruleLanguageVersion": "1.0",
        "playerAttributes": [{"name": "skill", "type": "number"}],
        "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 1},
                  {"name": "blue", "minPlayers": 1, "maxPlayers": 1}],
        "rules": [{"name": "close", "type": "distance",
                   "measurements": "flatten(teams[*].players.attributes[skill])", "maxDistance": 10}]}"#;
    let valid = client
        .validate_matchmaking_rule_set()
        .rule_set_body(body)
        .send()
        .await
        .expect("validated");
    assert_eq!(valid.valid(), Some(true));
    let rule_set = client
        .create_matchmaking_rule_set()
        .name("sdk-rules")
        .rule_set_body(body)
        .send()
        .await
        .expect("a rule set")
        .rule_set
        .expect("the rule set");
    assert!(rule_set.creation_time().is_some(), "a CBOR timestamp");
    client
        .create_matchmaking_configuration()
        .name("sdk-config")
        .rule_set_name("sdk-rules")
        .request_timeout_seconds(30)
        .acceptance_required(false)
        .game_session_queue_arns(
            "arn:aws:gamelift:us-west-2:123456789012:gamesessionqueue/sdk-match-queue",
        )
        .send()
        .await
        .expect("a configuration");
    for (ticket, player, skill) in [("sdk-t1", "sdk-p1", 20.0), ("sdk-t2", "sdk-p2", 25.0)] {
        let started = client
            .start_matchmaking()
            .configuration_name("sdk-config")
            .ticket_id(ticket)
            .players(
                Player::builder()
                    .player_id(player)
                    .player_attributes("skill", AttributeValue::builder().n(skill).build())
                    .build(),
            )
            .send()
            .await
            .expect("started")
            .matchmaking_ticket
            .expect("a ticket");
        assert_eq!(
            started.status(),
            Some(&MatchmakingConfigurationStatus::Queued)
        );
        assert!(started.start_time().is_some());
    }
    assert_eq!(emulator.step_matchmaking(), 1);
    let tickets = client
        .describe_matchmaking()
        .ticket_ids("sdk-t1")
        .ticket_ids("sdk-t2")
        .send()
        .await
        .expect("described")
        .ticket_list
        .unwrap_or_default();
    assert_eq!(tickets.len(), 2);
    for t in &tickets {
        assert_eq!(t.status(), Some(&MatchmakingConfigurationStatus::Completed));
        let info = t.game_session_connection_info().expect("where to connect");
        assert!(
            info.game_session_arn()
                .is_some_and(|a| a.contains("/fleet-5db1/"))
        );
        assert_eq!(info.matched_player_sessions().len(), 1);
    }
    let teams: Vec<_> = tickets
        .iter()
        .map(|t| t.players()[0].team().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(teams, ["red", "blue"]);
}

/// The guide's behaviours (SPEC §13) over CBOR: a player's new ticket
/// cancels the older one, a backfill is QUEUED and refused for a session
/// FlexMatch did not make, the session's data names every player after
/// one, tickets end with the events' reasons, a queue takes 10 seconds at
/// least, and STANDALONE takes no AUTOMATIC backfill.
#[tokio::test]
#[allow(clippy::too_many_lines)] // One story, told in order.
async fn the_guides_matchmaking_behaviours_over_cbor() {
    use aws_sdk_gamelift::types::{
        AttributeValue, BackfillMode, FlexMatchMode, GameSessionQueueDestination,
        MatchmakingConfigurationStatus as Status, Player,
    };

    let (client, emulator) = with_emulator().await;
    let fleet = "arn:aws:gamelift:us-west-2:123456789012:fleet/fleet-bf1";
    let queue_error = client
        .create_game_session_queue()
        .name("short")
        .timeout_in_seconds(5)
        .destinations(
            GameSessionQueueDestination::builder()
                .destination_arn(fleet)
                .build(),
        )
        .send()
        .await
        .expect_err("under 10 seconds");
    assert_eq!(
        queue_error.as_service_error().and_then(|e| e.meta().code()),
        Some("InvalidRequestException")
    );
    client
        .create_game_session_queue()
        .name("bf-queue")
        .destinations(
            GameSessionQueueDestination::builder()
                .destination_arn(fleet)
                .build(),
        )
        .send()
        .await
        .expect("a queue");
    let body = r#"{"ruleLanguageVersion": "1.0",
        "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 2},
                  {"name": "blue", "minPlayers": 1, "maxPlayers": 2}]}"#;
    client
        .create_matchmaking_rule_set()
        .name("bf-rules")
        .rule_set_body(body)
        .send()
        .await
        .expect("a rule set");
    let standalone = client
        .create_matchmaking_configuration()
        .name("solo")
        .rule_set_name("bf-rules")
        .request_timeout_seconds(30)
        .acceptance_required(false)
        .flex_match_mode(FlexMatchMode::Standalone)
        .backfill_mode(BackfillMode::Automatic)
        .send()
        .await
        .expect_err("AUTOMATIC with STANDALONE");
    assert_eq!(
        standalone
            .as_service_error()
            .map(ToString::to_string)
            .as_deref(),
        Some(
            "InvalidRequestException: BackfillMode AUTOMATIC is not available when FlexMatchMode is STANDALONE"
        )
    );
    client
        .create_matchmaking_configuration()
        .name("bf-config")
        .rule_set_name("bf-rules")
        .request_timeout_seconds(30)
        .acceptance_required(false)
        .game_session_queue_arns(
            "arn:aws:gamelift:us-west-2:123456789012:gamesessionqueue/bf-queue",
        )
        .send()
        .await
        .expect("a configuration");
    let start = |ticket: &'static str, player: &'static str| {
        client
            .start_matchmaking()
            .configuration_name("bf-config")
            .ticket_id(ticket)
            .players(Player::builder().player_id(player).build())
            .send()
    };
    let describe = |ids: &[&str]| {
        let mut call = client.describe_matchmaking();
        for id in ids {
            call = call.ticket_ids(*id);
        }
        call.send()
    };
    start("old", "dup").await.expect("started");
    start("new", "dup").await.expect("started again");
    let old = &describe(&["old"])
        .await
        .expect("described")
        .ticket_list
        .unwrap_or_default()[0];
    assert_eq!(old.status(), Some(&Status::Cancelled));
    assert_eq!(old.status_reason(), Some("Cancelled"));
    assert_eq!(
        old.status_message(),
        Some("Cancelled due to duplicate player")
    );
    start("mate", "mate").await.expect("started");
    assert_eq!(emulator.step_matchmaking(), 1);
    let made = describe(&["new", "mate"])
        .await
        .expect("described")
        .ticket_list
        .unwrap_or_default();
    assert!(made.iter().all(|t| t.status() == Some(&Status::Completed)));
    let arn = made[0]
        .game_session_connection_info()
        .and_then(|i| i.game_session_arn())
        .expect("a game session")
        .to_owned();
    // A session FlexMatch did not make cannot be backfilled.
    let plain = client
        .create_game_session()
        .fleet_id("fleet-bf1")
        .maximum_player_session_count(4)
        .send()
        .await
        .expect("a plain session")
        .game_session
        .and_then(|g| g.game_session_id)
        .expect("an id");
    let refused = client
        .start_match_backfill()
        .configuration_name("bf-config")
        .game_session_arn(&plain)
        .players(Player::builder().player_id("x").team("red").build())
        .send()
        .await
        .expect_err("not FlexMatch's");
    assert_eq!(
        refused.as_service_error().map(ToString::to_string),
        Some(format!(
            "InvalidRequestException: Game session {plain} was not made by FlexMatch through the matchmaking configuration bf-config"
        ))
    );
    let teams: Vec<(String, String)> = made
        .iter()
        .flat_map(aws_sdk_gamelift::types::MatchmakingTicket::players)
        .map(|p| {
            (
                p.player_id().unwrap_or_default().to_owned(),
                p.team().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut backfill = client
        .start_match_backfill()
        .configuration_name("bf-config")
        .ticket_id("bf")
        .game_session_arn(&arn);
    for (player, team) in &teams {
        backfill = backfill.players(
            Player::builder()
                .player_id(player)
                .team(team)
                .player_attributes("rank", AttributeValue::builder().n(1.0).build())
                .build(),
        );
    }
    let queued = backfill
        .send()
        .await
        .expect("a backfill")
        .matchmaking_ticket
        .expect("a ticket");
    assert_eq!(queued.status(), Some(&Status::Queued));
    start("late", "late").await.expect("started");
    assert_eq!(emulator.step_matchmaking(), 1);
    let done = describe(&["bf", "late"])
        .await
        .expect("described")
        .ticket_list
        .unwrap_or_default();
    assert!(
        done.iter().all(|t| t.status() == Some(&Status::Completed)),
        "{done:?}"
    );
    let session = client
        .describe_game_sessions()
        .game_session_id(&arn)
        .send()
        .await
        .expect("described")
        .game_sessions
        .unwrap_or_default();
    let data = session[0].matchmaker_data().expect("matchmaker data");
    for player in ["dup", "mate", "late"] {
        assert!(
            data.contains(&format!("\"playerId\":\"{player}\"")),
            "{player} in {data}"
        );
    }
    // With matches made, a new ticket is told the recent average wait.
    start("later", "later").await.expect("started");
    emulator.step_matchmaking();
    let later = &describe(&["later"])
        .await
        .expect("described")
        .ticket_list
        .unwrap_or_default()[0];
    assert_eq!(later.status(), Some(&Status::Searching));
    assert_eq!(
        later.estimated_wait_time(),
        Some(0),
        "matched within the second"
    );
}

#[tokio::test]
async fn the_anywhere_control_plane_over_cbor() {
    use aws_sdk_gamelift::operation::create_game_session::CreateGameSessionError;
    use aws_sdk_gamelift::operation::delete_location::DeleteLocationError;
    use aws_sdk_gamelift::types::{ComputeStatus, ComputeType, LocationConfiguration};
    let (client, emulator) = with_emulator().await;
    emulator.set_sdk_endpoint("ws://127.0.0.1:1");
    custom_location(&client).await;
    let fleet = client
        .create_fleet()
        .name("my-game")
        .compute_type(ComputeType::Anywhere)
        .locations(
            LocationConfiguration::builder()
                .location("custom-home")
                .build(),
        )
        .send()
        .await
        .expect("an Anywhere fleet")
        .fleet_attributes
        .expect("its attributes");
    let fleet_id = fleet.fleet_id().expect("an id").to_owned();
    assert_eq!(fleet.compute_type(), Some(&ComputeType::Anywhere));
    assert!(
        fleet
            .fleet_arn()
            .expect("an ARN")
            .starts_with("arn:aws:gamelift:us-west-2:123456789012:fleet/fleet-")
    );

    let compute = client
        .register_compute()
        .fleet_id(&fleet_id)
        .compute_name("my-pc")
        .ip_address("127.0.0.1")
        .location("custom-home")
        .send()
        .await
        .expect("registered")
        .compute
        .expect("its model");
    assert_eq!(
        compute.game_lift_service_sdk_endpoint(),
        Some("ws://127.0.0.1:1")
    );
    assert_eq!(compute.compute_status(), Some(&ComputeStatus::Active));
    token_lasts_three_hours(&client, &fleet_id).await;
    let listed = client
        .list_compute()
        .fleet_id(&fleet_id)
        .send()
        .await
        .expect("listed");
    assert_eq!(listed.compute_list().len(), 1);
    let capacity = client
        .describe_fleet_capacity()
        .fleet_ids(&fleet_id)
        .send()
        .await
        .expect("capacity");
    let counts = capacity.fleet_capacity()[0]
        .instance_counts()
        .expect("counts");
    assert_eq!(counts.active(), Some(1));

    // No process is connected: no session can be placed.
    let none = client
        .create_game_session()
        .fleet_id(&fleet_id)
        .maximum_player_session_count(4)
        .send()
        .await
        .expect_err("no process");
    assert!(matches!(
        none.as_service_error(),
        Some(CreateGameSessionError::FleetCapacityExceededException(_))
    ));
    let in_use = client
        .delete_location()
        .location_name("custom-home")
        .send()
        .await
        .expect_err("a fleet uses it");
    assert!(matches!(
        in_use.as_service_error(),
        Some(DeleteLocationError::InvalidRequestException(_))
    ));

    client
        .deregister_compute()
        .fleet_id(&fleet_id)
        .compute_name("my-pc")
        .send()
        .await
        .expect("deregistered");
    client
        .delete_fleet()
        .fleet_id(&fleet_id)
        .send()
        .await
        .expect("deleted");
}

#[tokio::test]
async fn a_managed_fleets_runtime_configuration_over_cbor() {
    use aws_sdk_gamelift::types::{RuntimeConfiguration, ServerProcess};
    let client = client().await;
    let managed = client
        .create_fleet()
        .name("managed")
        .build_id("build-1111aaaa-2222-bbbb-3333-cccc4444dddd")
        .ec2_instance_type(aws_sdk_gamelift::types::Ec2InstanceType::C5Large)
        .runtime_configuration(
            RuntimeConfiguration::builder()
                .server_processes(
                    ServerProcess::builder()
                        .launch_path("/local/game/server")
                        .concurrent_executions(2)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("a managed fleet")
        .fleet_attributes
        .expect("its attributes");
    let managed_id = managed.fleet_id().expect("an id").to_owned();
    let runtime = client
        .update_runtime_configuration()
        .fleet_id(&managed_id)
        .runtime_configuration(
            RuntimeConfiguration::builder()
                .server_processes(
                    ServerProcess::builder()
                        .launch_path("/local/game/server")
                        .concurrent_executions(3)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("updated")
        .runtime_configuration
        .expect("the configuration");
    assert_eq!(
        runtime.server_processes()[0].concurrent_executions(),
        Some(3)
    );
    let read = client
        .describe_runtime_configuration()
        .fleet_id(&managed_id)
        .send()
        .await
        .expect("read")
        .runtime_configuration
        .expect("the configuration");
    assert_eq!(read, runtime);
}

/// Makes `custom-home`, and checks a second is refused and the list.
async fn custom_location(client: &Client) {
    use aws_sdk_gamelift::operation::create_location::CreateLocationError;
    use aws_sdk_gamelift::types::LocationFilter;
    let location = client
        .create_location()
        .location_name("custom-home")
        .send()
        .await
        .expect("a location")
        .location
        .expect("its model");
    assert_eq!(
        location.location_arn(),
        Some("arn:aws:gamelift:us-west-2:123456789012:location/custom-home")
    );
    let again = client
        .create_location()
        .location_name("custom-home")
        .send()
        .await
        .expect_err("a second one conflicts");
    assert!(matches!(
        again.as_service_error(),
        Some(CreateLocationError::ConflictException(_))
    ));
    let custom = client
        .list_locations()
        .filters(LocationFilter::Custom)
        .send()
        .await
        .expect("listed");
    assert_eq!(custom.locations().len(), 1);
}

/// A compute's token, and its expiry three hours on.
async fn token_lasts_three_hours(client: &Client, fleet_id: &str) {
    let token = client
        .get_compute_auth_token()
        .fleet_id(fleet_id)
        .compute_name("my-pc")
        .send()
        .await
        .expect("a token");
    assert!(!token.auth_token().unwrap_or_default().is_empty());
    let expires = token.expiration_timestamp().expect("an expiry").secs();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let left = expires - i64::try_from(now).expect("a time");
    assert!((3 * 3600 - 60..=3 * 3600 + 60).contains(&left), "{left}");
}

/// An HTTP listener as a backend runs one: every POST's headers and body.
async fn sns_listener() -> (
    String,
    Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, String)>>>,
) {
    use axum::routing::post;
    let received = Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = Arc::clone(&received);
    let app = axum::Router::new().route(
        "/sns",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let kept = Arc::clone(&kept);
            async move {
                kept.lock().expect("the list").push((headers, body));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}/sns", listener.local_addr().expect("an address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

#[tokio::test]
async fn events_reach_an_sns_subscriber_for_a_match_made_over_cbor() {
    use aws_sdk_gamelift::types::{GameSessionQueueDestination, Player};

    let (client, emulator) = with_emulator().await;
    tokio::spawn(gamelift_emulator::deliver_events(Arc::clone(&emulator)));
    let (url, received) = sns_listener().await;
    let topic = "arn:aws:sns:us-west-2:123456789012:matches";
    emulator.subscribe(topic, &url, true).expect("subscribed");
    client
        .create_game_session_queue()
        .name("events-queue")
        .notification_target(topic)
        .custom_event_data("queue-data")
        .destinations(
            GameSessionQueueDestination::builder()
                .destination_arn("arn:aws:gamelift:us-west-2:123456789012:fleet/fleet-5db1")
                .build(),
        )
        .send()
        .await
        .expect("a queue");
    let body = r#"{"ruleLanguageVersion": "1.0",
        "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 1},
                  {"name": "blue", "minPlayers": 1, "maxPlayers": 1}]}"#;
    client
        .create_matchmaking_rule_set()
        .name("events-rules")
        .rule_set_body(body)
        .send()
        .await
        .expect("a rule set");
    client
        .create_matchmaking_configuration()
        .name("events-config")
        .rule_set_name("events-rules")
        .request_timeout_seconds(30)
        .acceptance_required(false)
        .notification_target(topic)
        .custom_event_data("config-data")
        .game_session_queue_arns(
            "arn:aws:gamelift:us-west-2:123456789012:gamesessionqueue/events-queue",
        )
        .send()
        .await
        .expect("a configuration");
    for (ticket, player) in [("ev-t1", "ev-p1"), ("ev-t2", "ev-p2")] {
        client
            .start_matchmaking()
            .configuration_name("events-config")
            .ticket_id(ticket)
            .players(Player::builder().player_id(player).build())
            .send()
            .await
            .expect("started");
    }
    for _ in 0..3 {
        emulator.step_matchmaking();
    }
    let want = [
        "MatchmakingSearching",
        "MatchmakingSearching",
        "PotentialMatchCreated",
        "PlacementFulfilled",
        "MatchmakingSucceeded",
    ];
    let mut documents = Vec::new();
    for _ in 0..100 {
        documents = received
            .lock()
            .expect("the list")
            .iter()
            .map(|(headers, body)| {
                assert_eq!(headers["content-type"], "text/plain; charset=UTF-8");
                assert_eq!(headers["x-amz-sns-message-type"], "Notification");
                assert_eq!(headers["x-amz-sns-topic-arn"], topic);
                let message: serde_json::Value = serde_json::from_str(body).expect("JSON");
                serde_json::from_str::<serde_json::Value>(
                    message["Message"].as_str().expect("a string"),
                )
                .expect("a document")
            })
            .collect::<Vec<_>>();
        if documents.len() >= want.len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let kinds: Vec<&str> = documents
        .iter()
        .map(|d| d["detail"]["type"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds, want);
    let succeeded = &documents[4]["detail"];
    assert_eq!(succeeded["customEventData"], "config-data");
    assert!(succeeded["gameSessionInfo"]["port"].is_number());
    let placed = &documents[3]["detail"];
    assert_eq!(placed["customEventData"], "queue-data");
    assert!(placed["port"].is_string());
    assert_eq!(
        placed["gameSessionArn"],
        succeeded["gameSessionInfo"]["gameSessionArn"]
    );
}
