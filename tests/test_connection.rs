//! Where players connect: `Connection`, `activate_game_session`, and the
//! copy every player session takes.

mod util;

use std::net::IpAddr;

use gamelift_session::{
    GameSessionDetail, GameSessionStatus, Limits, Warning,
    game_session::{
        Connection, CreateGameSessionInput, TerminateGameSessionInput, activate_game_session,
        ec2_dns_name, holds_port, terminate_game_session,
    },
    model::{REDACTED, TerminationMode},
    player_session::CreatePlayerSessionsInput,
};
use time::OffsetDateTime;
use util::{ID, detail_with, session};

const NOW: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

fn ip(text: &str) -> IpAddr {
    text.parse().expect("an address")
}

fn activating() -> GameSessionDetail {
    let mut d = detail_with(&[("mode", "ranked")]);
    let s = d.game_session.as_mut().expect("a session");
    s.status = Some(GameSessionStatus::Activating);
    s.current_player_session_count = Some(0);
    d
}

#[test]
fn ports_outside_the_model_are_refused_without_echo() {
    for port in [0, 60_001, u16::MAX] {
        let err = Connection::new(ip("10.0.0.1"), port).unwrap_err();
        assert_eq!(err.code(), "InvalidRequestException");
        assert_eq!(err.to_string(), "Port must be from 1 to 60000");
    }
    for port in [1, 7777, 60_000] {
        assert_eq!(Connection::new(ip("10.0.0.1"), port).unwrap().port(), port);
    }
}

#[test]
fn the_dns_name_is_gamelifts_form_unless_one_is_given() {
    let c = Connection::new(ip("192.168.10.20"), 7777).unwrap();
    assert_eq!(c.dns_name(), "ec2-192-168-10-20.compute.amazonaws.com");
    assert_eq!(c.ip_address(), ip("192.168.10.20"));
    assert_eq!(
        ec2_dns_name(ip("2001:db8::7")),
        "ec2-2001-db8--7.compute.amazonaws.com"
    );
    let named = c.with_dns_name("localhost");
    assert_eq!(named.dns_name(), "localhost");
}

#[test]
fn debug_never_shows_the_address_or_the_port() {
    let c = Connection::new(ip("203.0.113.9"), 4321).unwrap();
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("203.0.113.9") && !shown.contains("4321"),
        "{shown}"
    );
    assert_eq!(shown.matches(REDACTED).count(), 2, "{shown}");
    let mut d = activating();
    activate_game_session(&mut d, &c, NOW).unwrap();
    let shown = format!("{d:?}");
    assert!(
        !shown.contains("203.0.113.9") && !shown.contains("4321"),
        "{shown}"
    );
}

#[test]
fn activation_writes_the_connection_and_the_wire_carries_it() {
    let mut d = activating();
    let c = Connection::new(ip("127.0.0.1"), 7778).unwrap();
    activate_game_session(&mut d, &c, NOW).unwrap();
    let s = session(&d);
    assert_eq!(s.status, Some(GameSessionStatus::Active));
    assert_eq!(
        (s.ip_address.as_deref(), s.port, s.dns_name.as_deref()),
        (
            Some("127.0.0.1"),
            Some(7778),
            Some("ec2-127-0-0-1.compute.amazonaws.com")
        )
    );
    assert!(holds_port(s));
    let wire = serde_json::to_value(s).unwrap();
    assert_eq!(wire["IpAddress"], "127.0.0.1");
    assert_eq!(wire["Port"], 7778);
    assert_eq!(wire["DnsName"], "ec2-127-0-0-1.compute.amazonaws.com");
}

#[test]
fn activation_of_a_session_not_activating_changes_nothing() {
    let before = detail_with(&[]);
    let mut d = before.clone();
    let c = Connection::new(ip("127.0.0.1"), 7777).unwrap();
    let err = activate_game_session(&mut d, &c, NOW).unwrap_err();
    assert_eq!(err.code(), "InvalidGameSessionStatusException");
    assert_eq!(
        err.to_string(),
        format!("Game session {ID} cannot move from status ACTIVE to ACTIVE")
    );
    assert_eq!(d, before, "no connection is written on error");
}

#[test]
fn player_sessions_copy_the_connection() {
    let mut d = activating();
    let c = Connection::new(ip("10.9.8.7"), 9000)
        .unwrap()
        .with_dns_name("game.local");
    activate_game_session(&mut d, &c, NOW).unwrap();
    let input = CreatePlayerSessionsInput::new(ID, ["alice", "bob"]);
    let joins = input.validate().unwrap();
    let mut players = Vec::new();
    let mut n = 0;
    let mut new_id = || {
        n += 1;
        format!("psess-{n}")
    };
    let joined = joins
        .admit(&mut d, &mut players, NOW, &mut new_id, &Limits::AWS)
        .unwrap();
    for p in joined {
        assert_eq!(p.ip_address.as_deref(), Some("10.9.8.7"));
        assert_eq!(p.port, Some(9000));
        assert_eq!(p.dns_name.as_deref(), Some("game.local"));
    }
}

#[test]
fn a_terminated_session_gives_its_port_up() {
    let mut d = activating();
    activate_game_session(
        &mut d,
        &Connection::new(ip("127.0.0.1"), 7777).unwrap(),
        NOW,
    )
    .unwrap();
    assert!(holds_port(session(&d)));
    let input = TerminateGameSessionInput::new(ID, TerminationMode::TriggerOnProcessTerminate);
    terminate_game_session(&mut d, &input, NOW).unwrap();
    assert_eq!(session(&d).status, Some(GameSessionStatus::Terminating));
    assert!(holds_port(session(&d)), "the process still runs");
    let input = TerminateGameSessionInput::new(ID, TerminationMode::ForceTerminate);
    let mut d2 = activating();
    activate_game_session(
        &mut d2,
        &Connection::new(ip("127.0.0.1"), 7777).unwrap(),
        NOW,
    )
    .unwrap();
    terminate_game_session(&mut d2, &input, NOW).unwrap();
    assert_eq!(session(&d2).status, Some(GameSessionStatus::Terminated));
    assert!(!holds_port(session(&d2)));
    assert_eq!(
        session(&d2).port,
        Some(7777),
        "the record keeps where it was"
    );
}

#[test]
fn a_create_warns_as_an_update_does() {
    let input = CreateGameSessionInput::new("fleet-1", 4)
        .game_property("map.name", "harbor")
        .game_property("mode", "casual")
        .game_property("mode", "ranked");
    let warnings = input.validate().unwrap().warnings();
    assert_eq!(
        warnings,
        [
            Warning::DuplicateKey {
                key: "mode".into(),
                occurrences: 2
            },
            Warning::UnsearchableKey {
                key: "map.name".into()
            },
        ]
    );
    assert_eq!(
        warnings[1].to_string(),
        "game property key \"map.name\" contains a period: it is stored, but searches cannot use it"
    );
    assert!(
        CreateGameSessionInput::new("fleet-1", 4)
            .validate()
            .unwrap()
            .warnings()
            .is_empty()
    );
}
