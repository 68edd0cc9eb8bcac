//! Every rule set of the FlexMatch guide's examples (`tests/guide/`): each
//! is read as the guide prints it, and a pool built for it makes the match
//! the guide describes.

use std::collections::BTreeMap;

use gamelift_session::{
    flexmatch::{
        AttributeValue, MatchmakingConfiguration, Player, RuleSet, StartMatchmakingInput, Ticket,
        advance_matchmaking, strip_comments,
    },
    model::{FlexMatchMode, MatchmakingTicketStatus},
};
use time::{Duration, OffsetDateTime};

const T0: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

fn example(n: u32) -> RuleSet {
    let path = format!(
        "{}/tests/guide/example-{n}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let body = std::fs::read_to_string(&path).expect("the example is there");
    serde_json::from_str(&strip_comments(&body)).unwrap_or_else(|e| panic!("example {n}: {e}"))
}

fn n(v: f64) -> AttributeValue {
    AttributeValue::number(v)
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::string(v)
}

fn sl(v: &[&str]) -> AttributeValue {
    AttributeValue::string_list(v.iter().copied())
}

/// A pool of one-player tickets for one rule set.
struct Pool {
    rules: RuleSet,
    config: MatchmakingConfiguration,
    tickets: Vec<Ticket>,
    matches: u32,
}

impl Pool {
    fn new(rules: RuleSet) -> Self {
        let mut config = MatchmakingConfiguration::default();
        config.name = Some("example".to_owned());
        config.request_timeout_seconds = Some(600);
        config.flex_match_mode = Some(FlexMatchMode::Standalone);
        Pool {
            rules,
            config,
            tickets: Vec::new(),
            matches: 0,
        }
    }

    /// Adds a ticket for `player`, started `after` seconds after `T0`.
    fn add(&mut self, player: Player, after: i64) {
        let id = player.player_id.clone().expect("an id");
        let input = StartMatchmakingInput::new("example", vec![player]);
        let ticket = input
            .start(
                &self.config,
                &self.rules,
                &mut self.tickets,
                || id,
                T0 + Duration::seconds(after),
            )
            .expect("a valid ticket");
        self.tickets.push(ticket);
    }

    /// Runs a pass `at` seconds after `T0`.
    fn pass(&mut self, at: i64) {
        let mut next = self.matches;
        advance_matchmaking(
            &mut self.tickets,
            &self.config,
            &self.rules,
            T0 + Duration::seconds(at),
            &mut || {
                next += 1;
                format!("m{next}")
            },
        );
        self.matches = next;
    }

    /// Each match made: its players' ids by team name.
    fn made(&self) -> Vec<BTreeMap<String, Vec<String>>> {
        let mut by_match: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for t in &self.tickets {
            if t.ticket.status != Some(MatchmakingTicketStatus::Completed) {
                continue;
            }
            let m = by_match
                .entry(t.match_id.clone().expect("matched"))
                .or_default();
            for p in t.ticket.players() {
                m.entry(p.team.clone().expect("a team"))
                    .or_default()
                    .push(p.player_id.clone().expect("an id"));
            }
        }
        by_match.into_values().collect()
    }

    /// The ids of the tickets still searching.
    fn searching(&self) -> Vec<String> {
        self.tickets
            .iter()
            .filter(|t| t.ticket.status == Some(MatchmakingTicketStatus::Searching))
            .filter_map(|t| t.ticket.ticket_id.clone())
            .collect()
    }
}

fn sizes(m: &BTreeMap<String, Vec<String>>) -> Vec<(String, usize)> {
    m.iter().map(|(t, p)| (t.clone(), p.len())).collect()
}

#[test]
fn every_example_reads_as_the_guide_prints_it() {
    for n in 1..=11 {
        let rules = example(n);
        assert!(rules.max_players() > 0, "example {n}");
    }
    // Example 7 names `target` and `steps` twice in one expansion: the last
    // pair stands, as a JSON reader keeps the last of a member.
    assert!(example(7).is_large());
    assert_eq!(
        example(8).team_names().collect::<Vec<_>>()[..3],
        ["Monsters", "Hunters_1", "Hunters_2"]
    );
}

#[test]
fn example_1_fills_both_teams_to_eight_with_equal_sizes() {
    let mut pool = Pool::new(example(1));
    for i in 0..17 {
        pool.add(
            Player::new(format!("p{i:02}")).attribute("skill", n(20.0 + f64::from(i))),
            0,
        );
    }
    pool.pass(1);
    let made = pool.made();
    assert_eq!(made.len(), 1);
    assert_eq!(
        sizes(&made[0]),
        [("aliens".to_owned(), 8), ("cowboys".to_owned(), 8)]
    );
    assert_eq!(pool.searching(), ["p16"], "the newest waits");
    // Nine players: 4v4, the largest equal teams.
    let mut pool = Pool::new(example(1));
    for i in 0..9 {
        pool.add(Player::new(format!("q{i}")).attribute("skill", n(30.0)), 0);
    }
    pool.pass(1);
    assert_eq!(
        sizes(&pool.made()[0]),
        [("aliens".to_owned(), 4), ("cowboys".to_owned(), 4)]
    );
}

fn hunter(id: &str, desired: f64) -> Player {
    Player::new(id)
        .attribute("skill", n(20.0))
        .attribute("desiredSkillOfMonster", n(desired))
        .attribute("wantsToBeMonster", n(0.0))
}

fn monster(id: &str, skill: f64) -> Player {
    Player::new(id)
        .attribute("skill", n(skill))
        .attribute("wantsToBeMonster", n(1.0))
}

#[test]
fn example_2_picks_a_monster_strong_enough_and_relaxes_the_hunters_after_30_seconds() {
    let mut pool = Pool::new(example(2));
    pool.add(monster("weak", 30.0), 0);
    for (i, desired) in [20.0, 25.0, 40.0, 35.0, 10.0].into_iter().enumerate() {
        pool.add(hunter(&format!("h{i}"), desired), 0);
    }
    pool.add(monster("strong", 45.0), 0);
    pool.pass(1);
    let made = pool.made();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["monster"], ["strong"]);
    assert_eq!(made[0]["players"].len(), 5);
    assert_eq!(
        pool.searching(),
        ["weak"],
        "the weak monster is below a hunter's 40"
    );
    // Four hunters: a match only once they waited 30 seconds.
    let mut pool = Pool::new(example(2));
    for i in 0..4 {
        pool.add(hunter(&format!("h{i}"), 10.0), 0);
    }
    pool.add(monster("m", 50.0), 0);
    pool.pass(29);
    assert!(pool.made().is_empty());
    pool.pass(30);
    assert_eq!(pool.made()[0]["players"].len(), 4);
}

fn fighter(id: &str, character: &str, ms: i32) -> Player {
    Player::new(id)
        .attribute("skill", n(50.0))
        .attribute("character", sl(&[character]))
        .latency("us-east-1", ms)
}

#[test]
fn example_3_makes_three_close_teams_with_five_medics_at_most() {
    let mut pool = Pool::new(example(3));
    for i in 0..7 {
        pool.add(fighter(&format!("medic{i}"), "medic", 40), 0);
    }
    for i in 0..8 {
        pool.add(fighter(&format!("peasant{i}"), "peasant", 40), 0);
    }
    pool.pass(1);
    let made = pool.made();
    assert_eq!(made.len(), 1);
    let m = &made[0];
    assert_eq!(m.keys().collect::<Vec<_>>(), ["trio_1", "trio_2", "trio_3"]);
    let medics = m
        .values()
        .flatten()
        .filter(|p| p.starts_with("medic"))
        .count();
    assert_eq!(medics, 5, "{m:?}");
    let counts: Vec<usize> = m.values().map(Vec::len).collect();
    assert_eq!(counts.iter().sum::<usize>(), 13);
    assert!(counts.iter().max().unwrap() - counts.iter().min().unwrap() <= 1);
    assert_eq!(pool.searching(), ["medic5", "medic6"]);
    // A player at 80 ms joins only once the latency expands, at 10 seconds.
    let mut pool = Pool::new(example(3));
    for i in 0..8 {
        pool.add(fighter(&format!("p{i}"), "peasant", 30), 0);
    }
    pool.add(fighter("slow", "peasant", 80), 0);
    pool.pass(9);
    assert!(pool.made().is_empty(), "eight fast players make no 3x3");
    pool.pass(10);
    assert_eq!(pool.made()[0].values().map(Vec::len).sum::<usize>(), 9);
}

fn mapper(id: &str, experience: f64, harbor: f64) -> Player {
    Player::new(id)
        .attribute("experience", n(experience))
        .attribute("gameMode", sl(&["coop"]))
        .attribute(
            "mapPreference",
            AttributeValue::string_number_map([("harbor", harbor), ("dunes", 50.0)]),
        )
        .attribute("acceptableMaps", sl(&["harbor", "dunes"]))
}

#[test]
fn example_4_prefers_the_anchors_favourite_map_then_close_experience() {
    let mut pool = Pool::new(example(4));
    pool.add(mapper("anchor", 50.0, 100.0), 0);
    // Four who like the harbor less than the dunes, then four who love it.
    for i in 0..4 {
        pool.add(mapper(&format!("dunes{i}"), 50.0, 10.0), 0);
    }
    for (i, exp) in [90.0, 55.0, 10.0, 60.0].into_iter().enumerate() {
        pool.add(mapper(&format!("harbor{i}"), exp, 90.0), 0);
    }
    // One who shares no mode: never in the match.
    pool.add(
        mapper("loner", 50.0, 100.0).attribute("gameMode", sl(&["ranked"])),
        0,
    );
    pool.pass(1);
    let made = pool.made();
    assert_eq!(made.len(), 1);
    let mut players: Vec<String> = made[0].values().flatten().cloned().collect();
    players.sort();
    // The harbor lovers first; the last seat goes to the dunes player
    // closest in experience (all 50: the oldest).
    assert_eq!(
        players,
        [
            "anchor", "dunes0", "harbor0", "harbor1", "harbor2", "harbor3"
        ]
    );
    assert!(pool.searching().contains(&"loner".to_owned()));
}

fn picker(id: &str, mine: &str, opponents: &[&str]) -> Player {
    Player::new(id)
        .attribute("myCharacter", sl(&[mine]))
        .attribute("preferredOpponents", sl(opponents))
}

#[test]
fn example_5_matches_characters_every_player_wants_to_face() {
    let mut pool = Pool::new(example(5));
    let all = ["mage", "knight", "rogue", "archer", "monk"];
    pool.add(picker("a", "mage", &all), 0);
    pool.add(picker("b", "knight", &all), 0);
    pool.add(picker("odd", "bard", &all), 0);
    pool.add(picker("c", "rogue", &all), 0);
    pool.add(picker("d", "archer", &all), 0);
    pool.add(picker("e", "monk", &all), 0);
    pool.pass(1);
    assert_eq!(pool.made().len(), 1);
    assert_eq!(pool.searching(), ["odd"], "nobody wants to face a bard");
    // After 15 seconds, minCount expands to 0: anyone goes.
    let mut pool = Pool::new(example(5));
    for id in ["v", "w", "x", "y"] {
        pool.add(picker(id, "mage", &["mage"]), 0);
    }
    pool.add(picker("bard", "bard", &["mage"]), 0);
    pool.pass(14);
    assert!(pool.made().is_empty());
    pool.pass(15);
    assert_eq!(pool.made().len(), 1);
}

#[test]
fn example_6_matches_the_same_mode_and_map_with_different_characters() {
    let mut pool = Pool::new(example(6));
    let p = |id: &str, map: f64, character: f64| {
        Player::new(id)
            .attribute("gameMode", s("coop"))
            .attribute("gameMap", n(map))
            .attribute("character", n(character))
    };
    pool.add(p("a", 1.0, 7.0), 0);
    pool.add(p("b", 1.0, 7.0), 0);
    pool.add(p("c", 2.0, 9.0), 0);
    pool.add(p("d", 1.0, 9.0), 0);
    pool.pass(1);
    let made = pool.made();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["player_1"], ["a"]);
    assert_eq!(made[0]["player_2"], ["d"]);
    assert_eq!(pool.searching(), ["b", "c"]);
}

#[test]
fn example_7_makes_one_large_match_and_relaxes_its_minimum() {
    let skilled = |i: i32| {
        Player::new(format!("p{i:03}"))
            .attribute("skill", n(f64::from(i % 50)))
            .latency("us-east-1", 100)
    };
    let mut pool = Pool::new(example(7));
    for i in 0..180 {
        pool.add(skilled(i), 0);
    }
    pool.pass(1);
    let made = pool.made();
    assert_eq!(sizes(&made[0]), [("Marauders".to_owned(), 180)]);
    // 120 players: a match once the minimum is 100 (15 seconds).
    let mut pool = Pool::new(example(7));
    for i in 0..120 {
        pool.add(skilled(i), 0);
    }
    pool.pass(10);
    assert!(pool.made().is_empty(), "150 at 10 seconds");
    pool.pass(15);
    assert_eq!(sizes(&pool.made()[0]), [("Marauders".to_owned(), 120)]);
}

#[test]
fn example_8_fills_the_monsters_and_ten_hunter_teams_in_the_guides_order() {
    let hunter = |i: i32| {
        Player::new(format!("p{i:03}"))
            .attribute("monster-kills", n(f64::from(i % 17)))
            .latency("us-east-1", 60)
            .latency("eu-west-1", 120)
    };
    let mut pool = Pool::new(example(8));
    for i in 0..125 {
        pool.add(hunter(i), 0);
    }
    pool.pass(1);
    let made = pool.made();
    assert_eq!(made.len(), 1, "125 players reach every minimum");
    let m = &made[0];
    assert_eq!(m["Monsters"].len(), 5);
    for t in 1..=10 {
        assert_eq!(m[&format!("Hunters_{t}")].len(), 12);
    }
    // The balanced teams' kills are close: each hunter team's total within
    // one player's worth of the others.
    let kills = |team: &[String]| -> f64 {
        team.iter()
            .map(|id| f64::from(id[1..].parse::<i32>().expect("an index") % 17))
            .sum()
    };
    let totals: Vec<f64> = (1..=10)
        .map(|t| kills(&m[&format!("Hunters_{t}")]))
        .collect();
    let spread = totals.iter().copied().fold(f64::MIN, f64::max)
        - totals.iter().copied().fold(f64::MAX, f64::min);
    assert!(spread <= 16.0, "{totals:?}");
    // 124 players fall short until the hunters' minimum relaxes (15 s).
    let mut pool = Pool::new(example(8));
    for i in 0..124 {
        pool.add(hunter(i), 0);
    }
    pool.pass(14);
    assert!(pool.made().is_empty());
    pool.pass(15);
    assert_eq!(pool.made()[0].values().map(Vec::len).sum::<usize>(), 124);
}

#[test]
fn example_9_batches_two_hundred_players_of_one_league_map_and_mode() {
    let mut pool = Pool::new(example(9));
    let player = |id: String, league: f64, skill: f64, map: &str| {
        Player::new(id)
            .attribute("league", n(league))
            .attribute("skill", n(skill))
            .attribute("map", s(map))
            .attribute("mode", s("siege"))
            .latency("us-east-1", 50)
    };
    for i in 0..10 {
        pool.add(player(format!("x{i}"), 4.0, 55.0, "desert"), 0);
    }
    for i in 0..200 {
        pool.add(
            player(
                format!("p{i:03}"),
                f64::from(3 + i % 3),
                f64::from(50 + i % 11),
                "forest",
            ),
            0,
        );
    }
    pool.pass(1);
    let made = pool.made();
    assert_eq!(made.len(), 1);
    assert_eq!(
        sizes(&made[0]),
        [("blue".to_owned(), 100), ("red".to_owned(), 100)]
    );
    assert!(made[0].values().flatten().all(|id| id.starts_with('p')));
    assert_eq!(pool.searching().len(), 10, "the desert players wait");
}

#[test]
fn example_10_matches_on_either_branch_of_its_compound_rule() {
    let player = |id: String, league: f64, skill: f64, map: &str, mode: &str| {
        Player::new(id)
            .attribute("league", n(league))
            .attribute("skill", n(skill))
            .attribute("map", s(map))
            .attribute("mode", s(mode))
    };
    // Same map and mode, skills far apart: the first branch.
    let mut pool = Pool::new(example(10));
    for i in 0..20 {
        pool.add(
            player(
                format!("a{i:02}"),
                f64::from(i % 7),
                f64::from(i * 10),
                "port",
                "ctf",
            ),
            0,
        );
    }
    pool.pass(1);
    assert_eq!(pool.made()[0].values().map(Vec::len).sum::<usize>(), 20);
    // Maps all different, skills and leagues close: the second branch.
    let mut pool = Pool::new(example(10));
    for i in 0..20 {
        pool.add(
            player(
                format!("b{i:02}"),
                5.0,
                f64::from(60 + i % 5),
                &format!("map{i}"),
                "ctf",
            ),
            0,
        );
    }
    pool.pass(1);
    assert_eq!(pool.made()[0].values().map(Vec::len).sum::<usize>(), 20);
    // Neither: maps differ and skills are far apart.
    let mut pool = Pool::new(example(10));
    for i in 0..20 {
        pool.add(
            player(
                format!("c{i:02}"),
                5.0,
                f64::from(i * 10),
                &format!("map{i}"),
                "ctf",
            ),
            0,
        );
    }
    pool.pass(1);
    assert!(pool.made().is_empty());
}

#[test]
fn example_11_keeps_a_blocked_player_out() {
    let mut pool = Pool::new(example(11));
    pool.add(Player::new("p00").attribute("BlockList", sl(&["p03"])), 0);
    for i in 1..11 {
        pool.add(Player::new(format!("p{i:02}")), 0);
    }
    pool.pass(1);
    let made = pool.made();
    assert_eq!(made.len(), 1);
    assert!(!made[0].values().flatten().any(|id| id == "p03"));
    assert_eq!(pool.searching(), ["p03"]);
}
