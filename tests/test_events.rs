//! The event documents against the examples of the GameLift docs, field by
//! field: the FlexMatch guide's "FlexMatch events" pages and the queue
//! placement events. Each test builds the tickets or placement the
//! example describes, writes its document, and compares the whole JSON.

use gamelift_session::event::{
    Acceptance, EventSource, MatchmakingEvent, MatchmakingEventType, PlacementEventType,
    SnsMessageType, SnsSubscription, is_delivered, matchmaking_document, placement_document,
    placement_event_type, ticket_events,
};
use gamelift_session::flexmatch::{
    GameSessionConnectionInfo, MatchedPlayerSession, MatchmakingConfiguration, Player, Ticket,
};
use gamelift_session::model::{GameSessionPlacementState, MatchmakingTicketStatus as S};
use gamelift_session::placement::{GameSessionPlacement, GameSessionQueue, PlacedPlayerSession};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;

const CONFIG_ARN: &str =
    "arn:aws:gamelift:us-west-2:123456789012:matchmakingconfiguration/SampleConfiguration";
const RULES: [&str; 4] = [
    "EvenSkill",
    "EvenTeams",
    "FastConnection",
    "NoobSegregation",
];

fn configuration(acceptance: bool) -> MatchmakingConfiguration {
    let mut c = MatchmakingConfiguration::default();
    c.name = Some("SampleConfiguration".into());
    c.configuration_arn = Some(CONFIG_ARN.into());
    c.acceptance_required = Some(acceptance);
    c.acceptance_timeout_seconds = Some(600);
    c
}

fn ticket(id: &str, player: &str, start: OffsetDateTime, status: S) -> Ticket {
    let mut t = Ticket::default();
    t.ticket.ticket_id = Some(id.into());
    t.ticket.configuration_name = Some("SampleConfiguration".into());
    t.ticket.start_time = Some(start);
    t.ticket.players = Some(vec![Player::new(player)]);
    t.ticket.status = Some(status);
    t
}

fn teamed(mut t: Ticket, team: &str, match_id: &str) -> Ticket {
    if let Some(p) = t.ticket.players.as_mut() {
        p[0].team = Some(team.into());
    }
    t.match_id = Some(match_id.into());
    t
}

fn source(id: &str, time: OffsetDateTime) -> EventSource {
    EventSource::new(id, time, "us-west-2", "123456789012")
}

#[allow(clippy::needless_pass_by_value)]
fn envelope(id: &str, time: &str, resource: &str, detail_type: &str, detail: Value) -> Value {
    json!({
        "version": "0",
        "id": id,
        "detail-type": detail_type,
        "source": "aws.gamelift",
        "account": "123456789012",
        "time": time,
        "region": "us-west-2",
        "resources": [resource],
        "detail": detail,
    })
}

fn matchmaking(id: &str, time: &str, detail: Value) -> Value {
    envelope(id, time, CONFIG_ARN, "GameLift Matchmaking Event", detail)
}

fn one(events: Vec<MatchmakingEvent>, kind: MatchmakingEventType) -> MatchmakingEvent {
    events
        .into_iter()
        .find(|e| e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?}"))
}

#[test]
fn matchmaking_searching_as_the_docs_example() {
    let queued = ticket(
        "ticket-1",
        "player-1",
        datetime!(2017-08-08 21:15:35.676 UTC),
        S::Queued,
    );
    let mut searching = queued.clone();
    searching.ticket.status = Some(S::Searching);
    let event = one(
        ticket_events(Some(&queued), &searching),
        MatchmakingEventType::MatchmakingSearching,
    );
    let at = datetime!(2017-08-08 21:15:36.421 UTC);
    let doc = matchmaking_document(
        &event,
        &configuration(false),
        RULES,
        &source("cc3d3ebe-1d90-48f8-b268-c96655b8f013", at),
    );
    assert_eq!(
        serde_json::to_value(&doc).expect("json"),
        matchmaking(
            "cc3d3ebe-1d90-48f8-b268-c96655b8f013",
            "2017-08-08T21:15:36.421Z",
            json!({
                "tickets": [{"ticketId": "ticket-1", "startTime": "2017-08-08T21:15:35.676Z",
                             "players": [{"playerId": "player-1"}]}],
                "estimatedWaitMillis": "NOT_AVAILABLE",
                "type": "MatchmakingSearching",
                "gameSessionInfo": {"players": [{"playerId": "player-1"}]}
            })
        )
    );
    // With an estimate: seconds, despite the name.
    searching.ticket.estimated_wait_time = Some(42);
    let event = one(
        ticket_events(Some(&queued), &searching),
        MatchmakingEventType::MatchmakingSearching,
    );
    let doc = matchmaking_document(&event, &configuration(false), RULES, &source("e", at));
    assert_eq!(
        serde_json::to_value(&doc.detail).expect("json")["estimatedWaitMillis"],
        42
    );
}

fn proposal() -> (Ticket, Ticket, Ticket, Ticket) {
    let t1 = ticket(
        "ticket-1",
        "player-1",
        datetime!(2017-08-08 21:15:35.676 UTC),
        S::Searching,
    );
    let t2 = ticket(
        "ticket-2",
        "player-2",
        datetime!(2017-08-08 21:17:40.657 UTC),
        S::Searching,
    );
    let match_id = "3faf26ac-f06e-43e5-8d86-08feff26f692";
    let mut p1 = teamed(t1.clone(), "red", match_id);
    p1.ticket.status = Some(S::RequiresAcceptance);
    let mut p2 = teamed(t2.clone(), "blue", match_id);
    p2.ticket.status = Some(S::RequiresAcceptance);
    (t1, t2, p1, p2)
}

#[test]
fn potential_match_created_as_the_docs_example_one_document_for_the_match() {
    let (t1, t2, p1, p2) = proposal();
    let mut events = ticket_events(Some(&t1), &p1);
    events.extend(ticket_events(Some(&t2), &p2));
    let merged = MatchmakingEvent::merge(events);
    assert_eq!(merged.len(), 1, "{merged:?}");
    let doc = matchmaking_document(
        &merged[0],
        &configuration(true),
        RULES,
        &source(
            "fce8633f-aea3-45bc-aeba-99d639cad2d4",
            datetime!(2017-08-08 21:17:41.178 UTC),
        ),
    );
    let metrics: Vec<Value> = RULES
        .iter()
        .map(|r| json!({"ruleName": r, "passedCount": 2, "failedCount": 0}))
        .collect();
    assert_eq!(
        serde_json::to_value(&doc).expect("json"),
        matchmaking(
            "fce8633f-aea3-45bc-aeba-99d639cad2d4",
            "2017-08-08T21:17:41.178Z",
            json!({
                "tickets": [
                    {"ticketId": "ticket-1", "startTime": "2017-08-08T21:15:35.676Z",
                     "players": [{"playerId": "player-1", "team": "red"}]},
                    {"ticketId": "ticket-2", "startTime": "2017-08-08T21:17:40.657Z",
                     "players": [{"playerId": "player-2", "team": "blue"}]}
                ],
                "acceptanceTimeout": 600,
                "ruleEvaluationMetrics": metrics,
                "acceptanceRequired": true,
                "type": "PotentialMatchCreated",
                "gameSessionInfo": {"players": [{"playerId": "player-1", "team": "red"},
                                                {"playerId": "player-2", "team": "blue"}]},
                "matchId": "3faf26ac-f06e-43e5-8d86-08feff26f692"
            })
        )
    );
}

#[test]
fn accept_match_and_accept_match_completed_as_the_docs_examples() {
    let (_, _, p1, p2) = proposal();
    let mut a1 = p1.clone();
    a1.accepted = vec!["player-1".into()];
    let accept = ticket_events(Some(&p1), &a1);
    assert_eq!(accept.len(), 1);
    let doc = matchmaking_document(
        &accept[0],
        &configuration(true),
        RULES,
        &source(
            "b3f76d66-c8e5-416a-aa4c-aa1278153edc",
            datetime!(2017-08-09 20:04:42.660 UTC),
        ),
    );
    assert_eq!(
        serde_json::to_value(&doc.detail).expect("json"),
        json!({
            "tickets": [{"ticketId": "ticket-1", "startTime": "2017-08-08T21:15:35.676Z",
                         "players": [{"playerId": "player-1", "team": "red", "accepted": true}]}],
            "type": "AcceptMatch",
            "gameSessionInfo": {"players": [{"playerId": "player-1", "team": "red", "accepted": true}]},
            "matchId": "3faf26ac-f06e-43e5-8d86-08feff26f692"
        })
    );
    // The time runs out: the ticket whose players accepted searches again,
    // the other is cancelled; one AcceptMatchCompleted, TimedOut.
    let mut back = a1.clone();
    back.ticket.status = Some(S::Searching);
    back.match_id = None;
    let mut cancelled = p2.clone();
    cancelled.ticket.status = Some(S::Cancelled);
    cancelled.ticket.status_message = Some("A player did not accept the match in time".into());
    let mut events = ticket_events(Some(&a1), &back);
    events.extend(ticket_events(Some(&p2), &cancelled));
    let merged = MatchmakingEvent::merge(events);
    let kinds: Vec<_> = merged.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            MatchmakingEventType::MatchmakingSearching,
            MatchmakingEventType::AcceptMatchCompleted,
            MatchmakingEventType::MatchmakingCancelled
        ]
    );
    let completed = &merged[1];
    assert_eq!(completed.acceptance, Some(Acceptance::TimedOut));
    let doc = matchmaking_document(
        completed,
        &configuration(true),
        RULES,
        &source("e", datetime!(2017-08-09 20:16:36.516 UTC)),
    );
    let detail = serde_json::to_value(&doc.detail).expect("json");
    assert_eq!(detail["type"], "AcceptMatchCompleted");
    assert_eq!(detail["acceptance"], "TimedOut");
    assert_eq!(detail["matchId"], "3faf26ac-f06e-43e5-8d86-08feff26f692");
    assert_eq!(detail["tickets"].as_array().map(Vec::len), Some(2));
    assert_eq!(detail["tickets"][0]["players"][0]["accepted"], true);
    assert!(detail["tickets"][1]["players"][0].get("accepted").is_none());
}

#[test]
fn matchmaking_succeeded_as_the_docs_example() {
    let match_id = "c0ec1a54-7fec-4b55-8583-76d67adb7754";
    let arn =
        "arn:aws:gamelift:us-west-2:123456789012:gamesession/836cf48d-bcb0-4a2c-bec1-9c456541352a";
    let seat = |player: &str, session: &str| {
        let mut m = MatchedPlayerSession::default();
        m.player_id = Some(player.into());
        m.player_session_id = Some(session.into());
        m
    };
    let mut info = GameSessionConnectionInfo::default();
    info.game_session_arn = Some(arn.into());
    info.ip_address = Some("192.168.1.1".into());
    info.port = Some(10777);
    info.matched_player_sessions = Some(vec![
        seat("player-1", "psess-6e7c13cf-10d6-4756-a53f-db7de782ed67"),
        seat("player-2", "psess-786b342f-9c94-44eb-bb9e-c1de46c472ce"),
    ]);
    let mut events = Vec::new();
    for (id, player, start, team) in [
        (
            "ticket-1",
            "player-1",
            datetime!(2017-08-09 19:58:59.277 UTC),
            "red",
        ),
        (
            "ticket-2",
            "player-2",
            datetime!(2017-08-09 19:59:08.663 UTC),
            "blue",
        ),
    ] {
        let mut placing = teamed(ticket(id, player, start, S::Placing), team, match_id);
        let mut done = placing.clone();
        done.ticket.status = Some(S::Completed);
        done.ticket.game_session_connection_info = Some(info.clone());
        events.extend(ticket_events(Some(&placing), &done));
        placing.ticket.status = Some(S::Placing);
    }
    let merged = MatchmakingEvent::merge(events);
    assert_eq!(merged.len(), 1);
    let doc = matchmaking_document(
        &merged[0],
        &configuration(false),
        RULES,
        &source(
            "5ccb6523-0566-412d-b63c-1569e00d023d",
            datetime!(2017-08-09 19:59:09.159 UTC),
        ),
    );
    let p1 = json!({"playerId": "player-1", "playerSessionId": "psess-6e7c13cf-10d6-4756-a53f-db7de782ed67", "team": "red"});
    let p2 = json!({"playerId": "player-2", "playerSessionId": "psess-786b342f-9c94-44eb-bb9e-c1de46c472ce", "team": "blue"});
    assert_eq!(
        serde_json::to_value(&doc).expect("json"),
        matchmaking(
            "5ccb6523-0566-412d-b63c-1569e00d023d",
            "2017-08-09T19:59:09.159Z",
            json!({
                "tickets": [
                    {"ticketId": "ticket-1", "startTime": "2017-08-09T19:58:59.277Z", "players": [p1]},
                    {"ticketId": "ticket-2", "startTime": "2017-08-09T19:59:08.663Z", "players": [p2]}
                ],
                "type": "MatchmakingSucceeded",
                "gameSessionInfo": {"gameSessionArn": arn, "ipAddress": "192.168.1.1", "port": 10777,
                                    "players": [p1, p2]},
                "matchId": match_id
            })
        )
    );
}

#[test]
fn timed_out_cancelled_and_failed_as_the_docs_examples() {
    let start = datetime!(2017-08-09 20:01:35.305 UTC);
    let searching = ticket("ticket-1", "player-1", start, S::Searching);
    let cases = [
        (
            S::TimedOut,
            "TimedOut",
            "Removed from matchmaking due to timing out.",
            MatchmakingEventType::MatchmakingTimedOut,
        ),
        (
            S::Cancelled,
            "Cancelled",
            "Cancelled by request.",
            MatchmakingEventType::MatchmakingCancelled,
        ),
    ];
    for (status, reason, message, kind) in cases {
        let mut ended = searching.clone();
        ended.ticket.status = Some(status);
        ended.ticket.status_reason = Some(reason.into());
        ended.ticket.status_message = Some(message.into());
        let event = one(ticket_events(Some(&searching), &ended), kind);
        let mut c = configuration(false);
        c.custom_event_data = Some("tournament".into());
        let doc = matchmaking_document(&event, &c, RULES, &source("e", start));
        let metrics: Vec<Value> = RULES
            .iter()
            .map(|r| json!({"ruleName": r, "passedCount": 0, "failedCount": 0}))
            .collect();
        assert_eq!(
            serde_json::to_value(&doc.detail).expect("json"),
            json!({
                "reason": reason,
                "tickets": [{"ticketId": "ticket-1", "startTime": "2017-08-09T20:01:35.305Z",
                             "players": [{"playerId": "player-1"}]}],
                "ruleEvaluationMetrics": metrics,
                "type": serde_json::to_value(kind).expect("json"),
                "message": message,
                "gameSessionInfo": {"players": [{"playerId": "player-1"}]},
                "customEventData": "tournament"
            })
        );
    }
    // A match that could not be placed: failed, with its match id.
    let mut placing = teamed(
        ticket("ticket-1", "player-1", start, S::Placing),
        "red",
        "m-1",
    );
    placing.ticket.status = Some(S::Placing);
    let mut failed = placing.clone();
    failed.ticket.status = Some(S::Failed);
    failed.ticket.status_reason = Some("UNEXPECTED_ERROR".into());
    failed.ticket.status_message = Some("The placement timed out".into());
    let event = one(
        ticket_events(Some(&placing), &failed),
        MatchmakingEventType::MatchmakingFailed,
    );
    let doc = matchmaking_document(&event, &configuration(false), RULES, &source("e", start));
    let detail = serde_json::to_value(&doc.detail).expect("json");
    assert_eq!(detail["reason"], "UNEXPECTED_ERROR");
    assert_eq!(detail["matchId"], "m-1");
    assert!(detail.get("ruleEvaluationMetrics").is_none());
}

#[test]
fn a_match_made_without_acceptance_proposes_then_succeeds_standalone() {
    let searching = ticket("t", "p", datetime!(2020-01-01 0:00 UTC), S::Searching);
    let mut done = teamed(searching.clone(), "red", "m");
    done.ticket.status = Some(S::Completed);
    let kinds: Vec<_> = ticket_events(Some(&searching), &done)
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            MatchmakingEventType::PotentialMatchCreated,
            MatchmakingEventType::MatchmakingSucceeded
        ]
    );
    let mut placing = done.clone();
    placing.ticket.status = Some(S::Placing);
    let kinds: Vec<_> = ticket_events(Some(&searching), &placing)
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, [MatchmakingEventType::PotentialMatchCreated]);
    // A new ticket, QUEUED, makes none.
    let queued = ticket("t", "p", datetime!(2020-01-01 0:00 UTC), S::Queued);
    assert!(ticket_events(None, &queued).is_empty());
}

#[test]
fn placement_events_as_the_docs_examples() {
    let mut q = GameSessionQueue::default();
    q.game_session_queue_arn =
        Some("arn:aws:gamelift:us-west-2:123456789012:gamesessionqueue/MyQueue".into());
    q.custom_event_data = Some("queue-data".into());
    let mut p = GameSessionPlacement::default();
    p.placement_id = Some("9e2cbc4d-3aac-4fc3-9e03-f4f3f2a6a5d5".into());
    p.status = Some(GameSessionPlacementState::Fulfilled);
    p.start_time = Some(datetime!(2017-09-06 18:27:06.054 UTC));
    p.end_time = Some(datetime!(2017-09-06 18:27:06.374 UTC));
    p.port = Some(10777);
    p.ip_address = Some("192.168.1.1".into());
    p.dns_name = Some("ec2-192-168-1-1.us-west-2.compute.amazonaws.com".into());
    p.game_session_arn =
        Some("arn:aws:gamelift:us-west-2:123456789012:gamesession/fleet-1/gs-1".into());
    p.game_session_region = Some("us-west-2".into());
    let mut seated = PlacedPlayerSession::default();
    seated.player_id = Some("player-1".into());
    seated.player_session_id = Some("psess-1".into());
    p.placed_player_sessions = Some(vec![seated]);
    let kind = placement_event_type(
        Some(GameSessionPlacementState::Pending),
        Some(GameSessionPlacementState::Fulfilled),
    )
    .expect("an event");
    let doc = placement_document(
        kind,
        &p,
        Some(&q),
        &source(
            "1a1b0c9d-ac85-4b12-9a2b-0cf4c3d1e6c0",
            datetime!(2017-09-06 18:27:06.374 UTC),
        ),
    );
    assert_eq!(
        serde_json::to_value(&doc).expect("json"),
        envelope(
            "1a1b0c9d-ac85-4b12-9a2b-0cf4c3d1e6c0",
            "2017-09-06T18:27:06.374Z",
            "arn:aws:gamelift:us-west-2:123456789012:gamesessionqueue/MyQueue",
            "GameLift Queue Placement Event",
            json!({
                "type": "PlacementFulfilled",
                "placementId": "9e2cbc4d-3aac-4fc3-9e03-f4f3f2a6a5d5",
                "port": "10777",
                "gameSessionArn": "arn:aws:gamelift:us-west-2:123456789012:gamesession/fleet-1/gs-1",
                "ipAddress": "192.168.1.1",
                "dnsName": "ec2-192-168-1-1.us-west-2.compute.amazonaws.com",
                "startTime": "2017-09-06T18:27:06.054Z",
                "endTime": "2017-09-06T18:27:06.374Z",
                "gameSessionRegion": "us-west-2",
                "placedPlayerSessions": [{"playerId": "player-1", "playerSessionId": "psess-1"}],
                "customEventData": "queue-data"
            })
        )
    );
    for (state, kind, name) in [
        (
            GameSessionPlacementState::Cancelled,
            PlacementEventType::PlacementCancelled,
            "PlacementCancelled",
        ),
        (
            GameSessionPlacementState::TimedOut,
            PlacementEventType::PlacementTimedOut,
            "PlacementTimedOut",
        ),
        (
            GameSessionPlacementState::Failed,
            PlacementEventType::PlacementFailed,
            "PlacementFailed",
        ),
    ] {
        assert_eq!(
            placement_event_type(Some(GameSessionPlacementState::Pending), Some(state)),
            Some(kind)
        );
        p.status = Some(state);
        let doc = placement_document(kind, &p, Some(&q), &source("e", OffsetDateTime::UNIX_EPOCH));
        assert_eq!(
            serde_json::to_value(&doc.detail).expect("json"),
            json!({
                "type": name,
                "placementId": "9e2cbc4d-3aac-4fc3-9e03-f4f3f2a6a5d5",
                "startTime": "2017-09-06T18:27:06.054Z",
                "endTime": "2017-09-06T18:27:06.374Z",
                "customEventData": "queue-data"
            })
        );
    }
    assert_eq!(
        placement_event_type(
            Some(GameSessionPlacementState::Fulfilled),
            Some(GameSessionPlacementState::Fulfilled)
        ),
        None
    );
}

#[test]
fn sns_messages_carry_the_document_as_sns_posts_it() {
    let sub = SnsSubscription::new(
        "arn:aws:sns:us-west-2:123456789012:events",
        "arn:aws:sns:us-west-2:123456789012:events:sub-1",
        "token-1",
        "http://127.0.0.1:9080/_emulator/sns/confirm?SubscriptionArn=x&Token=token-1",
        "http://127.0.0.1:9080/_emulator/sns/unsubscribe?SubscriptionArn=x",
        "http://127.0.0.1:9080/_emulator/sns/certificate.pem",
    );
    let at = datetime!(2012-04-26 20:45:04.751 UTC);
    let note = sub.notification("m-1".into(), r#"{"detail":{}}"#.into(), at);
    let value = serde_json::to_value(&note).expect("json");
    assert_eq!(
        value,
        json!({
            "Type": "Notification",
            "MessageId": "m-1",
            "TopicArn": "arn:aws:sns:us-west-2:123456789012:events",
            "Message": "{\"detail\":{}}",
            "Timestamp": "2012-04-26T20:45:04.751Z",
            "SignatureVersion": "1",
            "Signature": "bm90IGEgcmVhbCBzaWduYXR1cmU=",
            "SigningCertURL": "http://127.0.0.1:9080/_emulator/sns/certificate.pem",
            "UnsubscribeURL": "http://127.0.0.1:9080/_emulator/sns/unsubscribe?SubscriptionArn=x"
        })
    );
    assert_eq!(
        sub.headers(&note),
        vec![
            ("Content-Type", "text/plain; charset=UTF-8".to_owned()),
            ("x-amz-sns-message-type", "Notification".to_owned()),
            ("x-amz-sns-message-id", "m-1".to_owned()),
            (
                "x-amz-sns-topic-arn",
                "arn:aws:sns:us-west-2:123456789012:events".to_owned()
            ),
            (
                "x-amz-sns-subscription-arn",
                "arn:aws:sns:us-west-2:123456789012:events:sub-1".to_owned()
            ),
        ]
    );
    let confirm = serde_json::to_value(sub.confirmation("m-0".into(), at)).expect("json");
    assert_eq!(confirm["Type"], "SubscriptionConfirmation");
    assert_eq!(confirm["Token"], "token-1");
    assert_eq!(
        confirm["SubscribeURL"],
        "http://127.0.0.1:9080/_emulator/sns/confirm?SubscriptionArn=x&Token=token-1"
    );
    assert!(confirm.get("UnsubscribeURL").is_none());
    let gone = sub.unsubscribed("m-9".into(), at);
    assert_eq!(gone.kind, SnsMessageType::UnsubscribeConfirmation);
    assert!(gone.message.starts_with(
        "You have chosen to deactivate subscription arn:aws:sns:us-west-2:123456789012:events:sub-1."
    ));
    for (status, delivered) in [
        (200, true),
        (204, true),
        (404, true),
        (301, false),
        (500, false),
        (503, false),
    ] {
        assert_eq!(is_delivered(status), delivered, "{status}");
    }
}

#[test]
fn debug_leaves_out_players_addresses_messages_and_tokens() {
    let sub = SnsSubscription::example();
    let debug = format!("{sub:?}");
    assert!(
        !debug.contains("Token=") && !debug.contains("\"t\""),
        "{debug}"
    );
    let note = sub.notification(
        "m-1".into(),
        r#"{"playerId":"player-secret","ipAddress":"10.1.2.3"}"#.into(),
        OffsetDateTime::UNIX_EPOCH,
    );
    let debug = format!("{note:?}");
    assert!(
        !debug.contains("player-secret") && !debug.contains("10.1.2.3"),
        "{debug}"
    );
    let mut p = GameSessionPlacement::default();
    p.ip_address = Some("10.1.2.3".into());
    let mut seated = PlacedPlayerSession::default();
    seated.player_id = Some("player-secret".into());
    p.placed_player_sessions = Some(vec![seated]);
    let doc = placement_document(
        PlacementEventType::PlacementFulfilled,
        &p,
        None,
        &source("e", OffsetDateTime::UNIX_EPOCH),
    );
    let debug = format!("{doc:?}");
    assert!(
        !debug.contains("player-secret") && !debug.contains("10.1.2.3"),
        "{debug}"
    );
    let mut t = ticket(
        "t",
        "player-secret",
        OffsetDateTime::UNIX_EPOCH,
        S::Completed,
    );
    let mut info = GameSessionConnectionInfo::default();
    info.ip_address = Some("10.1.2.3".into());
    t.ticket.game_session_connection_info = Some(info);
    let before = ticket("t", "player-secret", OffsetDateTime::UNIX_EPOCH, S::Placing);
    let event = one(
        ticket_events(Some(&before), &t),
        MatchmakingEventType::MatchmakingSucceeded,
    );
    let doc = matchmaking_document(
        &event,
        &configuration(false),
        RULES,
        &source("e", OffsetDateTime::UNIX_EPOCH),
    );
    let debug = format!("{:?}", doc.detail);
    assert!(
        !debug.contains("player-secret") && !debug.contains("10.1.2.3"),
        "{debug}"
    );
}
