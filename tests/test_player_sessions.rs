//! SPEC section 8: player sessions, where the player limit and the creation
//! policy take effect. Exact messages; all or nothing; no sensitive echo.

mod util;

use gamelift_session::{
    GameLiftError, GameSessionDetail, GameSessionStatus, Limits, UpdateGameSessionInput, Warning,
    game_session::update_game_session_in_place,
    model::{PlayerSessionCreationPolicy, PlayerSessionStatus},
    player_session::{
        CreatePlayerSessionInput, CreatePlayerSessionsInput, DescribePlayerSessionsInput,
        PlayerSession, PlayerSessionChange, change_player_session, end_player_sessions,
        expire_reservations,
    },
};
use time::{Duration, OffsetDateTime};
use util::{ID, detail_with, session};

const T0: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

/// An ACTIVE game session with no players and room for `maximum`.
fn open(maximum: i32) -> GameSessionDetail {
    let mut d = detail_with(&[]);
    if let Some(s) = d.game_session.as_mut() {
        s.current_player_session_count = Some(0);
        s.maximum_player_session_count = Some(maximum);
        s.ip_address = Some("192.0.2.10".into());
        s.port = Some(7777);
    }
    d
}

struct Table {
    detail: GameSessionDetail,
    players: Vec<PlayerSession>,
    next: usize,
}

impl Table {
    fn new(maximum: i32) -> Self {
        Table {
            detail: open(maximum),
            players: Vec::new(),
            next: 0,
        }
    }

    fn join(
        &mut self,
        ids: &[&str],
        now: OffsetDateTime,
    ) -> Result<Vec<PlayerSession>, GameLiftError> {
        self.join_under(ids, now, &Limits::AWS)
    }

    fn join_under(
        &mut self,
        ids: &[&str],
        now: OffsetDateTime,
        limits: &Limits,
    ) -> Result<Vec<PlayerSession>, GameLiftError> {
        let input = CreatePlayerSessionsInput::new(ID, ids.iter().copied());
        let joins = input.validate_with(limits)?;
        let before = (self.detail.clone(), self.players.clone());
        let next = &mut self.next;
        let result = joins
            .admit(
                &mut self.detail,
                &mut self.players,
                now,
                &mut || {
                    *next += 1;
                    format!("psess-{next}")
                },
                limits,
            )
            .map(<[_]>::to_vec);
        if result.is_err() {
            assert_eq!(
                (self.detail.clone(), self.players.clone()),
                before,
                "an error changes nothing"
            );
        }
        result
    }

    fn count(&self) -> Option<i32> {
        session(&self.detail).current_player_session_count
    }

    fn change(
        &mut self,
        id: &str,
        change: PlayerSessionChange,
        now: OffsetDateTime,
    ) -> Result<PlayerSessionStatus, GameLiftError> {
        change_player_session(
            &mut self.detail,
            &mut self.players,
            id,
            change,
            now,
            &Limits::AWS,
        )
        .map(|p| p.status.expect("a status"))
    }
}

#[test]
fn players_join_until_the_session_is_full() {
    let mut t = Table::new(3);
    let first = t.join(&["alice"], T0).expect("a slot");
    let p = &first[0];
    assert_eq!(p.player_session_id.as_deref(), Some("psess-1"));
    assert_eq!(p.status, Some(PlayerSessionStatus::Reserved));
    assert_eq!(p.game_session_id.as_deref(), Some(ID));
    assert_eq!(p.fleet_id.as_deref(), Some("fleet-2a1b3c4d"));
    assert_eq!(
        (p.ip_address.as_deref(), p.port),
        (Some("192.0.2.10"), Some(7777))
    );
    assert_eq!(p.creation_time, Some(T0));
    t.join(&["bob", "carol"], T0).expect("two slots");
    assert_eq!(t.count(), Some(3));
    let err = t.join(&["dave"], T0).expect_err("full");
    assert_eq!(err.code(), "GameSessionFullException");
    assert_eq!(
        err.to_string(),
        format!("Game session {ID} is full: 3 of 3 players, 1 more requested")
    );
}

#[test]
fn a_batch_larger_than_the_free_slots_creates_none() {
    let mut t = Table::new(4);
    t.join(&["a", "b"], T0).expect("two");
    let err = t
        .join(&["c", "d", "e"], T0)
        .expect_err("three do not fit in two");
    assert_eq!(
        err.to_string(),
        format!("Game session {ID} is full: 2 of 4 players, 3 more requested")
    );
    assert_eq!(t.players.len(), 2);
    assert_eq!(t.count(), Some(2));
}

#[test]
fn deny_all_then_accept_all_through_the_update() {
    let mut t = Table::new(4);
    let deny = UpdateGameSessionInput::new(ID)
        .player_session_creation_policy(PlayerSessionCreationPolicy::DenyAll);
    update_game_session_in_place(&mut t.detail, &deny).expect("updated");
    let err = t.join(&["a"], T0).expect_err("denied");
    assert_eq!(err.code(), "GameSessionFullException");
    assert_eq!(
        err.to_string(),
        format!(
            "Game session {ID} is not accepting new players (PlayerSessionCreationPolicy DENY_ALL)"
        )
    );
    let accept = UpdateGameSessionInput::new(ID)
        .player_session_creation_policy(PlayerSessionCreationPolicy::AcceptAll);
    update_game_session_in_place(&mut t.detail, &accept).expect("updated");
    t.join(&["a"], T0).expect("accepted again");
}

#[test]
fn a_limit_lowered_below_the_count_is_accepted_with_a_warning_and_refuses_the_next_join() {
    let mut t = Table::new(4);
    t.join(&["a", "b", "c"], T0).expect("three");
    let lower = UpdateGameSessionInput::new(ID).maximum_player_session_count(1);
    let report = update_game_session_in_place(&mut t.detail, &lower).expect("accepted");
    assert_eq!(
        report.warnings(),
        [Warning::OverCapacity {
            current_player_session_count: 3,
            maximum_player_session_count: 1
        }]
    );
    let err = t.join(&["d"], T0).expect_err("over capacity");
    assert_eq!(
        err.to_string(),
        format!("Game session {ID} is full: 3 of 1 players, 1 more requested")
    );
}

#[test]
fn no_game_session_holds_more_than_the_player_ceiling() {
    let mut t = Table::new(500);
    let mut limits = Limits::AWS;
    limits.max_players_per_game_session = 5;
    t.join_under(&["a", "b", "c", "d", "e"], T0, &limits)
        .expect("five");
    let err = t.join_under(&["f"], T0, &limits).expect_err("the ceiling");
    assert_eq!(
        err.to_string(),
        format!("Game session {ID} is full: 5 of 5 players, 1 more requested")
    );
    assert_eq!(Limits::AWS.max_players_per_game_session, 200);
}

#[test]
fn joins_need_an_active_session_and_the_right_one() {
    for (status, message) in [
        (
            GameSessionStatus::Activating,
            format!(
                "Game session {ID} is in status ACTIVATING; players can join only ACTIVE game sessions"
            ),
        ),
        (
            GameSessionStatus::Terminated,
            format!(
                "Game session {ID} is in status TERMINATED; players can join only ACTIVE game sessions"
            ),
        ),
    ] {
        let mut t = Table::new(4);
        if let Some(s) = t.detail.game_session.as_mut() {
            s.status = Some(status);
        }
        let err = t.join(&["a"], T0).expect_err("not ACTIVE");
        assert_eq!(
            (err.code(), err.to_string()),
            ("InvalidGameSessionStatusException", message)
        );
    }
    let mut t = Table::new(4);
    if let Some(s) = t.detail.game_session.as_mut() {
        s.game_session_id = Some("gs-other".into());
    }
    let err = t.join(&["a"], T0).expect_err("another session");
    assert_eq!(err.code(), "NotFoundException");
}

#[test]
fn a_player_joins_a_game_session_once() {
    let mut t = Table::new(4);
    t.join(&["secret-player-1"], T0).expect("joined");
    let err = t
        .join(&["secret-player-1"], T0)
        .expect_err("already seated");
    assert_eq!(err.code(), "InvalidRequestException");
    assert_eq!(
        err.to_string(),
        format!("A player in the request already holds a player session in game session {ID}")
    );
    let err = CreatePlayerSessionsInput::new(ID, ["x", "secret-y", "secret-y"])
        .validate()
        .expect_err("repeated");
    assert_eq!(
        err.to_string(),
        "PlayerIds.3 repeats an earlier player id: a player joins once"
    );
    // Once the seat is freed, the player may join again.
    t.change("psess-1", PlayerSessionChange::Remove, T0)
        .expect("left");
    t.join(&["secret-player-1"], T0).expect("joined again");
}

#[test]
fn a_reservation_not_accepted_in_time_frees_its_slot() {
    let mut t = Table::new(1);
    t.join(&["a"], T0).expect("reserved");
    assert!(t.join(&["b"], T0 + Duration::seconds(59)).is_err());
    // At 60 seconds the reservation has run out: the slot is free.
    let later = T0 + Duration::seconds(60);
    t.join(&["b"], later).expect("the slot reopened");
    assert_eq!(t.players[0].status, Some(PlayerSessionStatus::Timedout));
    assert_eq!(t.players[0].termination_time, Some(later));
    assert_eq!(t.count(), Some(1));
    let err = t
        .change("psess-1", PlayerSessionChange::Accept, later)
        .expect_err("too late");
    assert_eq!(
        err.to_string(),
        "Player session psess-1 is in status TIMEDOUT; only a RESERVED player session can be accepted"
    );
    // expire_reservations writes it down without a join.
    let mut t = Table::new(2);
    t.join(&["a"], T0).expect("reserved");
    assert_eq!(
        expire_reservations(
            &mut t.detail,
            &mut t.players,
            T0 + Duration::seconds(61),
            &Limits::AWS
        ),
        1
    );
    assert_eq!(t.count(), Some(0));
}

#[test]
fn the_game_server_accepts_and_removes_players() {
    let mut t = Table::new(2);
    t.join(&["a", "b"], T0).expect("two");
    assert_eq!(
        t.change("psess-1", PlayerSessionChange::Accept, T0),
        Ok(PlayerSessionStatus::Active)
    );
    // An accepted player does not time out.
    t.change("psess-1", PlayerSessionChange::Accept, T0)
        .expect_err("already ACTIVE");
    assert_eq!(
        t.change("psess-2", PlayerSessionChange::Remove, T0),
        Ok(PlayerSessionStatus::Completed)
    );
    assert_eq!(t.count(), Some(1));
    let err = t
        .change("psess-2", PlayerSessionChange::Remove, T0)
        .expect_err("ended");
    assert_eq!(
        err.to_string(),
        "Player session psess-2 is in status COMPLETED; only a RESERVED or ACTIVE player session can end"
    );
    let err = t
        .change("psess-9", PlayerSessionChange::Remove, T0)
        .expect_err("unknown");
    assert_eq!(
        (err.code(), err.to_string().as_str()),
        ("NotFoundException", "Player session psess-9 not found")
    );
    t.join(&["c"], T0 + Duration::seconds(3600))
        .expect("the freed slot");
}

#[test]
fn the_end_of_a_game_session_completes_its_player_sessions() {
    let mut t = Table::new(3);
    t.join(&["a", "b"], T0).expect("two");
    t.change("psess-1", PlayerSessionChange::Accept, T0)
        .expect("accepted");
    let end = T0 + Duration::seconds(5);
    assert_eq!(end_player_sessions(&mut t.detail, &mut t.players, end), 2);
    assert!(t.players.iter().all(
        |p| p.status == Some(PlayerSessionStatus::Completed) && p.termination_time == Some(end)
    ));
    assert_eq!(t.count(), Some(0));
}

#[test]
fn describing_by_each_selector() {
    let mut t = Table::new(10);
    t.join(&["a", "b", "c", "d"], T0).expect("four");
    t.change("psess-1", PlayerSessionChange::Accept, T0)
        .expect("accepted");
    t.change("psess-2", PlayerSessionChange::Remove, T0)
        .expect("left");
    let describe = |input: DescribePlayerSessionsInput| input.select(&t.players, T0, &Limits::AWS);
    let ids =
        |out: &gamelift_session::player_session::DescribePlayerSessionsOutput| -> Vec<String> {
            out.player_sessions
                .iter()
                .flatten()
                .filter_map(|p| p.player_session_id.clone())
                .collect()
        };

    let mut by_game = DescribePlayerSessionsInput::default();
    by_game.game_session_id = Some(ID.into());
    by_game.player_session_status_filter = Some("RESERVED".into());
    assert_eq!(
        ids(&describe(by_game.clone()).expect("a page")),
        ["psess-3", "psess-4"]
    );
    by_game.player_session_status_filter = None;
    by_game.limit = Some(3);
    let page = describe(by_game.clone()).expect("a page");
    assert_eq!(
        (ids(&page), page.next_token.as_deref()),
        (
            vec!["psess-1".into(), "psess-2".into(), "psess-3".into()],
            Some("psess-3")
        )
    );
    by_game.next_token = page.next_token;
    let page = describe(by_game).expect("the last page");
    assert_eq!(
        (ids(&page), page.next_token),
        (vec!["psess-4".into()], None)
    );

    // A player id ignores the filter; a player session id ignores it, the limit and the token.
    let mut by_player = DescribePlayerSessionsInput::default();
    by_player.player_id = Some("b".into());
    by_player.player_session_status_filter = Some("ACTIVE".into());
    assert_eq!(ids(&describe(by_player).expect("a page")), ["psess-2"]);
    let mut by_id = DescribePlayerSessionsInput::default();
    by_id.player_session_id = Some("psess-4".into());
    by_id.player_session_status_filter = Some("ACTIVE".into());
    by_id.next_token = Some("not-a-token".into());
    assert_eq!(ids(&describe(by_id).expect("one")), ["psess-4"]);

    // A reservation that ran out shows TIMEDOUT.
    let mut timed = DescribePlayerSessionsInput::default();
    timed.game_session_id = Some(ID.into());
    timed.player_session_status_filter = Some("TIMEDOUT".into());
    let out = timed
        .select(&t.players, T0 + Duration::seconds(60), &Limits::AWS)
        .expect("a page");
    assert_eq!(ids(&out), ["psess-3", "psess-4"]);
}

#[test]
fn describe_errors() {
    let select = |input: DescribePlayerSessionsInput| {
        input
            .select(&[], T0, &Limits::AWS)
            .expect_err("invalid")
            .to_string()
    };
    assert_eq!(
        select(DescribePlayerSessionsInput::default()),
        "Specify a GameSessionId, a PlayerId or a PlayerSessionId"
    );
    let mut input = DescribePlayerSessionsInput::default();
    input.game_session_id = Some(ID.into());
    input.player_session_status_filter = Some("GONE".into());
    assert_eq!(
        select(input),
        "PlayerSessionStatusFilter 'GONE' is not one of [RESERVED, ACTIVE, COMPLETED, TIMEDOUT]"
    );
    let mut input = DescribePlayerSessionsInput::default();
    input.player_session_id = Some("gs-1".into());
    input.player_id = Some("p".repeat(1025));
    input.limit = Some(0);
    assert_eq!(
        select(input),
        "3 validation errors detected: \
         Value at 'playerId' failed to satisfy constraint: Member must have length less than or equal to 1024; \
         Value 'gs-1' at 'playerSessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^psess-\\S+$; \
         Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
}

#[test]
fn create_validation_in_aws_words_without_sensitive_values() {
    let err = CreatePlayerSessionInput::default()
        .validate()
        .expect_err("empty");
    assert_eq!(
        err.to_string(),
        "2 validation errors detected: \
         Value null at 'gameSessionId' failed to satisfy constraint: Member must not be null; \
         Value null at 'playerId' failed to satisfy constraint: Member must not be null"
    );
    let err = CreatePlayerSessionInput::new(ID, "")
        .player_data("d".repeat(2049))
        .validate()
        .expect_err("bad");
    assert_eq!(
        err.to_string(),
        "2 validation errors detected: \
         Value at 'playerId' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value at 'playerData' failed to satisfy constraint: Member must have length less than or equal to 2048"
    );
    let err = CreatePlayerSessionsInput::new(ID, Vec::<String>::new())
        .validate()
        .expect_err("no players");
    assert_eq!(
        err.to_string(),
        "1 validation error detected: Value at 'playerIds' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
    let many: Vec<String> = (0..26).map(|i| format!("player-{i}")).collect();
    let err = CreatePlayerSessionsInput::new(ID, many)
        .validate()
        .expect_err("26");
    assert_eq!(
        err.to_string(),
        "1 validation error detected: Value at 'playerIds' failed to satisfy constraint: Member must have length less than or equal to 25"
    );
    let mut input = CreatePlayerSessionsInput::new(ID, ["ok", "", "secret-id"]);
    input.player_data_map = Some([("secret-id".to_owned(), String::new())].into());
    let message = input.validate().expect_err("bad").to_string();
    assert_eq!(
        message,
        "2 validation errors detected: \
         Value at 'playerIds.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value at 'playerDataMap.1.member.value' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
    assert!(!message.contains("secret"));
}

#[test]
fn player_data_comes_from_the_map_and_debug_hides_what_is_sensitive() {
    let mut t = Table::new(4);
    let mut input = CreatePlayerSessionsInput::new(ID, ["a", "b"]);
    input.player_data_map = Some(
        [
            ("b".to_owned(), "team=blue".to_owned()),
            ("zz".to_owned(), "ignored".to_owned()),
        ]
        .into(),
    );
    let joins = input.validate().expect("valid");
    let mut n = 0;
    let admitted = joins
        .admit(
            &mut t.detail,
            &mut t.players,
            T0,
            &mut || {
                n += 1;
                format!("psess-x{n}")
            },
            &Limits::AWS,
        )
        .expect("two");
    assert_eq!(admitted[0].player_data, None);
    assert_eq!(admitted[1].player_data.as_deref(), Some("team=blue"));
    let shown = format!("{:?} {input:?}", admitted[1]);
    for secret in ["team=blue", "192.0.2.10", "7777", "\"b\""] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let wire = serde_json::to_value(&admitted[1]).expect("json");
    assert_eq!(wire["PlayerId"], "b");
    assert_eq!(wire["PlayerData"], "team=blue");
    assert_eq!(wire["Status"], "RESERVED");
}
