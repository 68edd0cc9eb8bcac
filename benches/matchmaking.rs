//! Benchmarks of the FlexMatch matcher; see `harness` for how cases run.
//! Run with `cargo bench --bench matchmaking` (`-- --quick` for a short
//! run).
//!
//! - `match_4v4_of_24`: one `find_match` over the oldest 24 of 100
//!   waiting one-player tickets, for two teams of 4 with a distance rule
//!   on skill (the docs' "fair teams" rule) and a comparison on mode.
//! - `match_none_of_24`: the same search when no match exists (every
//!   skill too far apart): the search spends its whole budget.
//! - `round_of_100`: a whole matchmaker round over the 100 tickets, as
//!   the emulator runs one after each `StartMatchmaking`.

mod harness;

use std::hint::black_box;

use gamelift_session::{
    flexmatch::{
        AttributeValue, Candidate, MatchmakingConfiguration, Player, RuleSet,
        StartMatchmakingInput, Ticket, advance_matchmaking, find_match,
    },
    model::FlexMatchMode,
};
use harness::Case;
use time::OffsetDateTime;

fn rules(max_distance: f64) -> RuleSet {
    let body = format!(
        r#"{{"ruleLanguageVersion": "1.0",
        "playerAttributes": [{{"name": "skill", "type": "number"}}, {{"name": "mode", "type": "string"}}],
        "teams": [{{"name": "red", "minPlayers": 4, "maxPlayers": 4}},
                  {{"name": "blue", "minPlayers": 4, "maxPlayers": 4}}],
        "rules": [{{"name": "fair", "type": "distance",
                    "measurements": "avg(teams[*].players.attributes[skill])",
                    "referenceValue": "avg(flatten(teams[*].players.attributes[skill]))",
                    "maxDistance": {max_distance}}},
                  {{"name": "mode", "type": "comparison",
                    "measurements": "flatten(teams[*].players.attributes[mode])", "operation": "="}}]}}"#
    );
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}"))
}

fn parties(spread: f64) -> Vec<Vec<Player>> {
    (0..100)
        .map(|i| {
            vec![
                Player::new(format!("p{i}"))
                    .attribute("skill", AttributeValue::number(f64::from(i) * spread))
                    .attribute("mode", AttributeValue::string("ranked")),
            ]
        })
        .collect()
}

fn search_case(name: &'static str, max_distance: f64, spread: f64) -> Case {
    let rules = rules(max_distance);
    let parties = parties(spread);
    let now = OffsetDateTime::UNIX_EPOCH;
    Case::new(name, move || {
        let candidates: Vec<Candidate<'_>> =
            parties.iter().map(|p| Candidate::new(p, now)).collect();
        black_box(find_match(black_box(&rules), &candidates, now).is_some());
    })
}

fn round_case(name: &'static str) -> Case {
    let rules = rules(5.0);
    let mut config = MatchmakingConfiguration::default();
    config.name = Some("c".to_owned());
    config.request_timeout_seconds = Some(600);
    config.flex_match_mode = Some(FlexMatchMode::Standalone);
    let now = OffsetDateTime::UNIX_EPOCH;
    let mut tickets: Vec<Ticket> = Vec::new();
    for (i, party) in parties(1.0).into_iter().enumerate() {
        let input = StartMatchmakingInput::new("c", party);
        if let Ok(t) = input.start(&config, &rules, &tickets, || format!("t{i}"), now) {
            tickets.push(t);
        }
    }
    Case::new(name, move || {
        let mut round = tickets.clone();
        let mut n = 0;
        advance_matchmaking(&mut round, &config, &rules, now, &mut || {
            n += 1;
            format!("m{n}")
        });
        black_box(round.len());
    })
}

fn main() {
    let cases = vec![
        search_case("match_4v4_of_24", 5.0, 1.0),
        search_case("match_none_of_24", 5.0, 100.0),
        round_case("round_of_100"),
    ];
    let cases = harness::run(cases);
    let ns = |name: &str| harness::ns(&cases, name);
    // No targets: what a round costs, and the most a search can cost.
    println!(
        "info round_of_100 per ticket {:.0} ns",
        ns("round_of_100") / 100.0
    );
    println!(
        "info the whole search budget (MAX_STEPS) {:.2} ms",
        ns("match_none_of_24") / 1e6
    );
}
