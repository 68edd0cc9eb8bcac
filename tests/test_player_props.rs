//! Property test: random sequences of joins, accepts, removals, time
//! passing, limit and policy updates and terminations, checked at every
//! step against a plain reference model. `CurrentPlayerSessionCount` always
//! equals the RESERVED + ACTIVE player sessions, and no admission takes it
//! past min(MaximumPlayerSessionCount, 200).

mod util;

use gamelift_session::{
    GameSessionStatus, Limits, UpdateGameSessionInput,
    game_session::update_game_session_in_place,
    model::{PlayerSessionCreationPolicy, PlayerSessionStatus},
    player_session::{
        CreatePlayerSessionsInput, PlayerSession, PlayerSessionChange, change_player_session,
        end_player_sessions,
    },
};
use proptest::prelude::*;
use time::{Duration, OffsetDateTime};
use util::{ID, detail_with, session};

#[derive(Debug, Clone)]
enum Op {
    Join(Vec<u8>),
    Accept(usize),
    Remove(usize),
    Wait(i64),
    Limit(i32),
    Deny(bool),
    Terminate,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => proptest::collection::vec(0u8..12, 1..4).prop_map(Op::Join),
        2 => (0usize..20).prop_map(Op::Accept),
        2 => (0usize..20).prop_map(Op::Remove),
        2 => (0i64..90).prop_map(Op::Wait),
        1 => (0i32..8).prop_map(Op::Limit),
        1 => any::<bool>().prop_map(Op::Deny),
        1 => Just(Op::Terminate),
    ]
}

/// The reference: each player session's player, status and creation second.
#[derive(Debug, Clone, Default)]
struct Model {
    seats: Vec<(u8, PlayerSessionStatus, i64)>,
    maximum: i32,
    deny: bool,
    ended: bool,
}

impl Model {
    fn expire(&mut self, now: i64) {
        for seat in &mut self.seats {
            if seat.1 == PlayerSessionStatus::Reserved && seat.2 + 60 <= now {
                seat.1 = PlayerSessionStatus::Timedout;
            }
        }
    }
    fn seated(&self) -> usize {
        self.seats
            .iter()
            .filter(|s| {
                matches!(
                    s.1,
                    PlayerSessionStatus::Reserved | PlayerSessionStatus::Active
                )
            })
            .count()
    }
}

proptest! {
    #![proptest_config(util::proptest_config(256))]

    #[test]
    fn prop_player_sessions_agree_with_a_plain_model(ops in proptest::collection::vec(op(), 1..40)) {
        let limits = Limits::AWS;
        let mut detail = detail_with(&[]);
        if let Some(s) = detail.game_session.as_mut() {
            s.current_player_session_count = Some(0);
            s.maximum_player_session_count = Some(4);
        }
        let mut players: Vec<PlayerSession> = Vec::new();
        let mut model = Model { maximum: 4, ..Model::default() };
        let mut now = 0i64;
        let mut next = 0usize;
        for op in ops {
            let at = OffsetDateTime::UNIX_EPOCH + Duration::seconds(now);
            match op {
                Op::Join(ids) => {
                    let names: Vec<String> = ids.iter().map(|i| format!("player-{i}")).collect();
                    let input = CreatePlayerSessionsInput::new(ID, names);
                    let result = input.validate().and_then(|j| {
                        j.admit(&mut detail, &mut players, at, &mut || { next += 1; format!("psess-{next}") }, &limits).map(|_| ())
                    });
                    model.expire(now);
                    let mut distinct = ids.clone();
                    distinct.sort_unstable();
                    distinct.dedup();
                    let repeated = distinct.len() < ids.len();
                    let seated_player = ids.iter().any(|i| model.seats.iter().any(|s| s.0 == *i
                        && matches!(s.1, PlayerSessionStatus::Reserved | PlayerSessionStatus::Active)));
                    let capacity = usize::try_from(model.maximum).unwrap_or(0).min(200);
                    let fits = !model.deny && ids.len() <= capacity.saturating_sub(model.seated());
                    let admitted = !model.ended && !repeated && fits && !seated_player;
                    prop_assert_eq!(result.is_ok(), admitted, "{:?} {:?}", result.err(), model);
                    if admitted {
                        for i in ids {
                            model.seats.push((i, PlayerSessionStatus::Reserved, now));
                        }
                        prop_assert!(model.seated() <= capacity);
                    }
                }
                Op::Accept(i) | Op::Remove(i) => {
                    let accept = matches!(op, Op::Accept(_));
                    let id = format!("psess-{}", i + 1);
                    let change = if accept { PlayerSessionChange::Accept } else { PlayerSessionChange::Remove };
                    let result = change_player_session(&mut detail, &mut players, &id, change, at, &limits).map(|_| ());
                    model.expire(now);
                    // Player session ids are numbered in admission order, as the model's seats.
                    let expected = model.seats.get(i).is_some_and(|s| if accept {
                        s.1 == PlayerSessionStatus::Reserved
                    } else {
                        matches!(s.1, PlayerSessionStatus::Reserved | PlayerSessionStatus::Active)
                    });
                    prop_assert_eq!(result.is_ok(), expected);
                    if expected {
                        model.seats[i].1 = if accept { PlayerSessionStatus::Active } else { PlayerSessionStatus::Completed };
                    }
                }
                Op::Wait(seconds) => now += seconds,
                Op::Limit(maximum) => {
                    let input = UpdateGameSessionInput::new(ID).maximum_player_session_count(maximum);
                    let ok = update_game_session_in_place(&mut detail, &input).is_ok();
                    prop_assert_eq!(ok, !model.ended);
                    if ok {
                        model.maximum = maximum;
                    }
                }
                Op::Deny(deny) => {
                    let policy = if deny { PlayerSessionCreationPolicy::DenyAll } else { PlayerSessionCreationPolicy::AcceptAll };
                    let input = UpdateGameSessionInput::new(ID).player_session_creation_policy(policy);
                    if update_game_session_in_place(&mut detail, &input).is_ok() {
                        model.deny = deny;
                    }
                }
                Op::Terminate => {
                    if let Some(s) = detail.game_session.as_mut() {
                        s.status = Some(GameSessionStatus::Terminated);
                    }
                    end_player_sessions(&mut detail, &mut players, at);
                    for seat in &mut model.seats {
                        if matches!(seat.1, PlayerSessionStatus::Reserved | PlayerSessionStatus::Active) {
                            seat.1 = PlayerSessionStatus::Completed;
                        }
                    }
                    model.ended = true;
                }
            }
            // The count always equals the RESERVED + ACTIVE player sessions.
            let seated = players.iter().filter(|p| p.holds_a_slot()).count();
            prop_assert_eq!(session(&detail).current_player_session_count, Some(i32::try_from(seated).unwrap()));
            prop_assert_eq!(players.len(), model.seats.len());
        }
    }
}
