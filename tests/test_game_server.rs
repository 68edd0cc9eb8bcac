//! The server SDK 5's side: frames in the Go SDK's exact JSON types, the
//! handshake's checks, a server process's life and which process a new
//! game session goes to.

use std::time::Duration;

use gamelift_session::game_server::{
    ActivateServerProcess, CreateGameSessionPush, FailedReply, FrameError, FrameHeader,
    HEARTBEAT_TIMEOUT, Handshake, NoResult, ProcessKey, ProcessStatus, RefreshConnectionPush,
    Reply, Request, RequestFrame, SdkPlayer, ServerProcess, TerminateProcessPush,
    UpdateGameSessionPush, UpdateReason, activation_timed_out, choose_process, end_hosted_session,
    heartbeat_lost, host_game_session,
};
use gamelift_session::model::{GameSessionStatusReason, PlayerSessionCreationPolicy};
use gamelift_session::{GameProperty, GameSession, GameSessionDetail, GameSessionStatus};
use serde_json::{Value, json};
use time::OffsetDateTime;

const T0: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

fn ready(port: i64) -> ActivateServerProcess {
    let mut r = ActivateServerProcess::default();
    r.port = Some(port);
    r
}

fn process(id: &str) -> ServerProcess {
    ServerProcess::connect(ProcessKey::new("fleet-1", "pc", id), None, T0)
}

fn session(status: GameSessionStatus) -> GameSessionDetail {
    let mut s = GameSession::default();
    s.game_session_id = Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1".into());
    s.fleet_id = Some("fleet-1".into());
    s.location = Some("custom-home".into());
    s.maximum_player_session_count = Some(4);
    s.status = Some(status);
    s.game_properties = Some(vec![GameProperty::new("mode", "duel")]);
    GameSessionDetail::new(s, None)
}

// ---- frames --------------------------------------------------------------

#[test]
fn every_request_action_reads_as_the_go_sdk_writes_it() {
    // The frames as `model/request/*.go` marshal them.
    let frames = [
        (
            r#"{"Action":"ActivateServerProcess","RequestId":"1","SdkVersion":"5.6.0","SdkLanguage":"Go","SdkToolName":"","SdkToolVersion":"","Port":7777,"LogPaths":["/tmp/a.log"]}"#,
            "ActivateServerProcess",
        ),
        (
            r#"{"Action":"HeartbeatServerProcess","RequestId":"2","HealthStatus":true}"#,
            "HeartbeatServerProcess",
        ),
        (
            r#"{"Action":"ActivateGameSession","RequestId":"3","GameSessionId":"gs"}"#,
            "ActivateGameSession",
        ),
        (
            r#"{"Action":"UpdatePlayerSessionCreationPolicy","RequestId":"4","GameSessionId":"gs","PlayerSessionPolicy":"DENY_ALL"}"#,
            "UpdatePlayerSessionCreationPolicy",
        ),
        (
            r#"{"Action":"AcceptPlayerSession","RequestId":"5","GameSessionId":"gs","PlayerSessionId":"psess-1"}"#,
            "AcceptPlayerSession",
        ),
        (
            r#"{"Action":"RemovePlayerSession","RequestId":"6","GameSessionId":"gs","PlayerSessionId":"psess-1"}"#,
            "RemovePlayerSession",
        ),
        (
            r#"{"Action":"DescribePlayerSessions","RequestId":"7","GameSessionId":"gs","PlayerId":"","PlayerSessionId":"","PlayerSessionStatusFilter":"ACTIVE","NextToken":"","Limit":10}"#,
            "DescribePlayerSessions",
        ),
        (
            r#"{"Action":"StartMatchBackfill","RequestId":"8","TicketId":"","GameSessionArn":"gs","MatchmakingConfigurationArn":"arn","Players":[{"PlayerId":"p","Team":"red","PlayerAttributes":{"skill":{"AttrType":"DOUBLE","N":10}},"LatencyInMs":{"us-west-2":40}}]}"#,
            "StartMatchBackfill",
        ),
        (
            r#"{"Action":"StopMatchBackfill","RequestId":"9","TicketId":"t","GameSessionArn":"gs","MatchmakingConfigurationArn":"arn"}"#,
            "StopMatchBackfill",
        ),
        (
            r#"{"Action":"GetComputeCertificate","RequestId":"10"}"#,
            "GetComputeCertificate",
        ),
        (
            r#"{"Action":"GetFleetRoleCredentials","RequestId":"11","RoleArn":"arn:aws:iam::1:role/r","RoleSessionName":""}"#,
            "GetFleetRoleCredentials",
        ),
    ];
    for (text, action) in frames {
        let frame: RequestFrame = serde_json::from_str(text).expect(action);
        assert_eq!(frame.request.action(), action);
        assert!(Request::is_action(action));
    }
    assert!(!Request::is_action("TerminateProcess"));
    // ProcessEnding is TerminateServerProcess, with no fields.
    let ending: RequestFrame =
        serde_json::from_str(r#"{"Action":"TerminateServerProcess","RequestId":"12"}"#)
            .expect("ProcessEnding");
    assert_eq!(ending.request.action(), "TerminateServerProcess");
}

#[test]
fn a_frame_that_is_not_a_request_still_gives_its_action_and_id_to_echo() {
    let header: FrameHeader =
        serde_json::from_str(r#"{"Action":"Dance","RequestId":"r-9","Speed":3}"#).expect("read");
    assert_eq!(header.action.as_deref(), Some("Dance"));
    assert_eq!(header.request_id.as_deref(), Some("r-9"));
    let odd: FrameHeader =
        serde_json::from_str(r#"{"Action":5,"RequestId":["x"]}"#).expect("read leniently");
    assert_eq!(odd, FrameHeader::default());
    assert!(serde_json::from_str::<RequestFrame>(r#"{"Action":"Dance","RequestId":"r"}"#).is_err());
    assert!(
        serde_json::from_str::<RequestFrame>(
            r#"{"Action":"HeartbeatServerProcess","RequestId":"r","HealthStatus":"yes"}"#
        )
        .is_err()
    );
}

#[test]
fn replies_echo_action_and_id_with_flat_results_or_the_error_message() {
    let ok = serde_json::to_value(Reply::new(
        "ActivateGameSession",
        "r-1",
        NoResult::default(),
    ))
    .expect("json");
    assert_eq!(
        ok,
        json!({"Action":"ActivateGameSession","RequestId":"r-1","StatusCode":200})
    );
    let error = FrameError::bad_request("The process has not called ProcessReady");
    assert_eq!(error.status_code, 400);
    let failed =
        serde_json::to_value(FailedReply::new("ActivateGameSession", "r-2", &error)).expect("json");
    assert_eq!(
        failed,
        json!({"Action":"ActivateGameSession","RequestId":"r-2","StatusCode":400,
               "ErrorMessage":"The process has not called ProcessReady"})
    );
}

/// The Go SDK unmarshals a push into its struct; one field of the wrong
/// JSON type and the whole push is dropped. So every field's type is
/// checked, not only its value.
fn types(v: &Value) -> Vec<(String, &'static str)> {
    let Value::Object(map) = v else {
        return vec![];
    };
    map.iter()
        .map(|(k, v)| {
            let t = match v {
                Value::String(_) => "string",
                Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
                Value::Number(_) => "float",
                Value::Object(_) => "object",
                Value::Array(_) => "array",
                Value::Bool(_) => "bool",
                Value::Null => "null",
            };
            (k.clone(), t)
        })
        .collect()
}

#[test]
fn the_create_game_session_push_has_every_field_of_its_go_type() {
    let mut detail = session(GameSessionStatus::Activating);
    let push = host_game_session(
        &mut detail,
        "127.0.0.1".parse().expect("an address"),
        7777,
        None,
    );
    let v = serde_json::to_value(&push).expect("json");
    let mut got = types(&v);
    got.sort();
    let want: Vec<(String, &str)> = [
        ("Action", "string"),
        ("DnsName", "string"),
        ("GameProperties", "object"),
        ("GameSessionData", "string"),
        ("GameSessionId", "string"),
        ("GameSessionName", "string"),
        ("IpAddress", "string"),
        ("MatchmakerData", "string"),
        ("MaximumPlayerSessionCount", "integer"),
        ("Port", "integer"),
        ("RequestId", "string"),
        ("StatusCode", "integer"),
    ]
    .iter()
    .map(|(k, t)| ((*k).to_owned(), *t))
    .collect();
    assert_eq!(got, want);
    assert_eq!(v["RequestId"], "");
    assert_eq!(v["Port"], 7777);
    assert_eq!(v["IpAddress"], "127.0.0.1");
    assert_eq!(v["GameProperties"], json!({"mode": "duel"}));
    // The session now carries the address and port players use.
    let s = detail.game_session.as_ref().expect("a session");
    assert_eq!(s.port, Some(7777));
    assert_eq!(s.ip_address.as_deref(), Some("127.0.0.1"));
    // Sensitive values stay out of Debug.
    let debug = format!("{push:?}");
    assert!(!debug.contains("127.0.0.1"), "{debug}");
    assert!(!debug.contains("duel"), "{debug}");
}

#[test]
fn the_other_pushes_have_every_field_of_their_go_types() {
    let v = serde_json::to_value(TerminateProcessPush::new(
        T0 + time::Duration::milliseconds(1_500),
    ))
    .expect("json");
    assert_eq!(
        v,
        json!({"Action":"TerminateProcess","RequestId":"","StatusCode":200,"TerminationTime":1500})
    );
    let refresh = RefreshConnectionPush::new("ws://127.0.0.1:9080", "secret-token");
    let v = serde_json::to_value(&refresh).expect("json");
    assert_eq!(
        v,
        json!({"Action":"RefreshConnection","RequestId":"","StatusCode":200,
               "RefreshConnectionEndpoint":"ws://127.0.0.1:9080","AuthToken":"secret-token"})
    );
    assert!(!format!("{refresh:?}").contains("secret-token"));

    let detail = session(GameSessionStatus::Active);
    let s = detail.game_session.as_ref().expect("a session");
    let v = serde_json::to_value(UpdateGameSessionPush::new(
        s,
        UpdateReason::MatchmakingDataUpdated,
        "ticket-1",
    ))
    .expect("json");
    assert_eq!(v["UpdateReason"], "MATCHMAKING_DATA_UPDATED");
    assert_eq!(v["BackfillTicketId"], "ticket-1");
    let mut inner = types(&v["GameSession"]);
    inner.sort();
    let want: Vec<(String, &str)> = [
        ("DnsName", "string"),
        ("FleetId", "string"),
        ("GameProperties", "object"),
        ("GameSessionData", "string"),
        ("GameSessionId", "string"),
        ("IpAddress", "string"),
        ("Location", "string"),
        ("MatchmakerData", "string"),
        ("MaximumPlayerSessionCount", "integer"),
        ("Name", "string"),
        ("Port", "integer"),
        ("Status", "string"),
        ("StatusReason", "string"),
    ]
    .iter()
    .map(|(k, t)| ((*k).to_owned(), *t))
    .collect();
    assert_eq!(inner, want);
    assert_eq!(v["GameSession"]["Status"], "ACTIVE");
    assert_eq!(v["GameSession"]["Location"], "custom-home");
}

#[test]
fn a_backfill_player_converts_with_its_attributes_and_latencies() {
    let player: SdkPlayer = serde_json::from_str(
        r#"{"PlayerId":"p-1","Team":"","PlayerAttributes":{"skill":{"AttrType":"DOUBLE","N":12.5},"modes":{"AttrType":"STRING_LIST","SL":["duel"]}},"LatencyInMs":{"us-west-2":99999999999}}"#,
    )
    .expect("read");
    let converted = player.to_player().expect("converted");
    assert_eq!(converted.player_id.as_deref(), Some("p-1"));
    assert_eq!(converted.team, None);
    let latencies = converted.latency_in_ms.expect("latencies");
    assert_eq!(latencies["us-west-2"], i32::MAX);
    assert!(!format!("{player:?}").contains("p-1"));
    let bad: SdkPlayer =
        serde_json::from_str(r#"{"PlayerId":"p","PlayerAttributes":{"x":{"AttrType":"BLOB"}}}"#)
            .expect("read");
    assert_eq!(
        bad.to_player().expect_err("refused").to_string(),
        "Player attribute x has AttrType BLOB, not one of STRING, DOUBLE, STRING_LIST, STRING_DOUBLE_MAP"
    );
}

// ---- the handshake -------------------------------------------------------

fn handshake(query: &str) -> Handshake {
    // The emulator reads the query string with serde_urlencoded; a JSON
    // object of the same pairs reads the same.
    let pairs: serde_json::Map<String, Value> = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect();
    serde_json::from_value(Value::Object(pairs)).expect("a handshake")
}

#[test]
fn a_handshake_names_its_process_and_each_fault_is_named() {
    let good = "Authorization=abc-123&ComputeId=my-pc&FleetId=fleet-1&IdempotencyToken=u&pID=p-1&sdkLanguage=Go&sdkVersion=5.6.0";
    let key = handshake(good).check().expect("accepted");
    assert_eq!(key, ProcessKey::new("fleet-1", "my-pc", "p-1"));
    let cases = [
        (
            "Authorization=abc&ComputeId=pc&pID=p",
            "The handshake has no FleetId",
        ),
        (
            "Authorization=abc&ComputeId=pc&FleetId=fleet_1&pID=p",
            "FleetId fleet_1 is not 1 to 128 characters of ^[a-zA-Z0-9.-]+$",
        ),
        (
            "Authorization=abc&FleetId=fleet-1&pID=p",
            "The handshake has no ComputeId",
        ),
        (
            "Authorization=abc&ComputeId=pc&FleetId=fleet-1",
            "The handshake has no pID",
        ),
        (
            "ComputeId=pc&FleetId=fleet-1&pID=p",
            "The handshake has no Authorization token",
        ),
        (
            "Authorization=a+b&ComputeId=pc&FleetId=fleet-1&pID=p",
            "The Authorization token is not one GetComputeAuthToken issued",
        ),
    ];
    for (query, message) in cases {
        let err = handshake(query).check().expect_err(query);
        assert_eq!(err.to_string(), message, "{query}");
    }
    let mut long = handshake(good);
    long.sdk_version = Some("9".repeat(129));
    assert_eq!(
        long.check().expect_err("too long").to_string(),
        "sdkVersion is longer than 128 characters"
    );
    let mut control = handshake(good);
    control.process_id = Some("p\n1".into());
    assert_eq!(
        control
            .check()
            .expect_err("a control character")
            .to_string(),
        "pID is not 1 to 1024 characters without control characters"
    );
    // The token is secret.
    let debug = format!("{:?}", handshake(good));
    assert!(!debug.contains("abc-123"), "{debug}");
}

// ---- a process's life ----------------------------------------------------

#[test]
fn a_process_is_ready_then_hosts_then_ends_with_its_session() {
    let mut p = process("p-1");
    assert_eq!(p.status, ProcessStatus::Connected);
    assert!(!p.is_available());
    assert_eq!(
        p.heartbeat(Some(true)).expect_err("not ready").message,
        "The process has not called ProcessReady"
    );
    assert_eq!(
        p.activate(&ready(0), T0).expect_err("port 0").message,
        "Port must be from 1 to 60000"
    );
    assert_eq!(
        p.status,
        ProcessStatus::Connected,
        "a refused request changes nothing"
    );
    assert_eq!(p.activate(&ready(7777), T0).expect("ready"), None);
    assert!(p.is_available());
    p.heartbeat(None).expect("a heartbeat");
    assert_eq!(p.healthy, Some(false), "no HealthStatus is unhealthy");
    p.host("gs-1");
    assert_eq!(p.status, ProcessStatus::Hosting);
    assert!(!p.is_available(), "one session per process");
    assert_eq!(p.check_holds(Some("gs-1")).expect("its own"), "gs-1");
    assert_eq!(
        p.check_holds(Some("gs-2")).expect_err("another's").message,
        "Game session gs-2 is not hosted by this process"
    );
    assert_eq!(
        p.check_holds(Some("")).expect_err("none").message,
        "GameSessionId is required"
    );
    p.release();
    assert_eq!(p.status, ProcessStatus::Ready);
    p.host("gs-3");
    let t = T0 + time::Duration::seconds(5);
    assert_eq!(
        p.end(t).as_deref(),
        Some("gs-3"),
        "its session ends with it"
    );
    assert_eq!(p.status, ProcessStatus::Ending);
    assert_eq!(
        p.check_ready().expect_err("ending").message,
        "The process has called ProcessEnding"
    );
    assert_eq!(
        p.activate(&ready(7777), t)
            .expect_err("no way back")
            .message,
        "The process has called ProcessEnding and cannot become ready again"
    );
    assert!(!p.is_lost(t + time::Duration::seconds(29), time::Duration::seconds(30)));
    assert!(p.is_lost(t + time::Duration::seconds(30), time::Duration::seconds(30)));
}

#[test]
fn a_restarted_game_reusing_its_id_gives_up_its_session() {
    let mut p = process("p-1");
    p.activate(&ready(7777), T0).expect("ready");
    p.host("gs-1");
    assert_eq!(
        p.activate(&ready(7778), T0)
            .expect("ready again")
            .as_deref(),
        Some("gs-1")
    );
    assert_eq!(p.status, ProcessStatus::Ready);
    assert_eq!(p.port, Some(7778));
}

#[test]
fn a_disconnected_process_keeps_its_place_for_the_grace_period_only() {
    let mut p = process("p-1");
    p.activate(&ready(7777), T0).expect("ready");
    p.disconnect(T0);
    assert!(!p.is_connected());
    assert!(!p.is_available(), "not chosen while away");
    let grace = time::Duration::seconds(30);
    assert!(!p.is_lost(T0 + time::Duration::seconds(29), grace));
    p.resume(Some("same".into()));
    assert!(p.is_connected());
    assert!(p.is_available());
    assert!(!p.is_lost(T0 + time::Duration::seconds(3_600), grace));
    p.disconnect(T0);
    assert!(p.is_lost(T0 + grace, grace));
    assert!(!heartbeat_lost(Duration::from_secs(180), HEARTBEAT_TIMEOUT));
    assert!(heartbeat_lost(Duration::from_secs(181), HEARTBEAT_TIMEOUT));
}

#[test]
fn a_new_session_goes_to_the_process_ready_longest_in_its_location() {
    let mut a = process("a");
    a.activate(&ready(1), T0 + time::Duration::seconds(2))
        .expect("ready");
    let mut b = process("b");
    b.activate(&ready(2), T0 + time::Duration::seconds(1))
        .expect("ready");
    let mut c = process("c");
    c.activate(&ready(3), T0).expect("ready");
    c.host("gs-busy");
    let mut d = process("d");
    d.activate(&ready(4), T0).expect("ready");
    let all = [
        (&a, "custom-home"),
        (&b, "custom-home"),
        (&c, "custom-home"),
        (&d, "custom-away"),
    ];
    let home = choose_process(all, Some("custom-home")).expect("one");
    assert_eq!(home.key.process_id, "b", "ready longest; c is busy");
    let anywhere = choose_process(all, None).expect("one");
    assert_eq!(anywhere.key.process_id, "d");
    assert!(choose_process(all, Some("custom-none")).is_none());
    let none: [(&ServerProcess, &str); 0] = [];
    assert!(choose_process(none, None).is_none());
}

// ---- the session a process holds -----------------------------------------

#[test]
fn a_hosted_session_waits_activating_until_activated_or_timed_out() {
    let mut detail = session(GameSessionStatus::Activating);
    let limit = time::Duration::seconds(600);
    assert!(!activation_timed_out(
        &detail,
        T0 + time::Duration::seconds(599),
        limit
    ));
    if let Some(s) = detail.game_session.as_mut() {
        s.creation_time = Some(T0);
    }
    assert!(activation_timed_out(&detail, T0 + limit, limit));
    gamelift_session::game_server::activate_hosted_session(&mut detail, T0).expect("activated");
    let s = detail.game_session.as_ref().expect("a session");
    assert_eq!(s.status, Some(GameSessionStatus::Active));
    assert!(!activation_timed_out(&detail, T0 + limit, limit));
}

#[test]
fn the_server_sets_the_policy_and_a_bad_one_changes_nothing() {
    let mut detail = session(GameSessionStatus::Active);
    gamelift_session::game_server::set_player_session_policy(&mut detail, Some("DENY_ALL"))
        .expect("set");
    let policy = |d: &GameSessionDetail| {
        d.game_session
            .as_ref()
            .and_then(|s| s.player_session_creation_policy)
    };
    assert_eq!(policy(&detail), Some(PlayerSessionCreationPolicy::DenyAll));
    let err = gamelift_session::game_server::set_player_session_policy(&mut detail, Some("MAYBE"))
        .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "PlayerSessionPolicy MAYBE is not one of [ACCEPT_ALL, DENY_ALL]"
    );
    assert_eq!(policy(&detail), Some(PlayerSessionCreationPolicy::DenyAll));
}

#[test]
fn a_session_ends_with_its_process_once_with_the_reason_given() {
    let mut detail = session(GameSessionStatus::Active);
    let t = T0 + time::Duration::seconds(9);
    assert!(end_hosted_session(
        &mut detail,
        &mut [],
        Some(GameSessionStatusReason::Interrupted),
        t
    ));
    let s = detail.game_session.as_ref().expect("a session");
    assert_eq!(s.status, Some(GameSessionStatus::Terminated));
    assert_eq!(s.status_reason, Some(GameSessionStatusReason::Interrupted));
    assert_eq!(s.termination_time, Some(t));
    assert!(!end_hosted_session(&mut detail, &mut [], None, t), "once");
    let mut errored = session(GameSessionStatus::Error);
    assert!(!end_hosted_session(&mut errored, &mut [], None, t));
}

#[test]
fn create_game_session_push_new_reads_absent_fields_as_go_zero_values() {
    let v =
        serde_json::to_value(CreateGameSessionPush::new(&GameSession::default())).expect("json");
    assert_eq!(v["Port"], 0);
    assert_eq!(v["MaximumPlayerSessionCount"], 0);
    assert_eq!(v["GameSessionName"], "");
    assert_eq!(v["GameProperties"], json!({}));
}
