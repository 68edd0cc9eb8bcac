//! FlexMatch in the crate: rule sets refused in exact words, rules read
//! as the docs define them (party aggregation, expansions, latency), the
//! ticket lifecycle's edges, and player data kept out of `Debug`.

use gamelift_session::{
    flexmatch::{
        AcceptMatchInput, AttributeValue, Candidate, MatchmakingConfiguration, Player, RuleSet,
        StartMatchBackfillInput, StartMatchmakingInput, Ticket, accept_match, advance_matchmaking,
        find_match, stop_matchmaking,
    },
    model::{AcceptanceType, FlexMatchMode, MatchmakingTicketStatus},
};
use serde_json::json;
use time::{Duration, OffsetDateTime};

const T0: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

fn read(body: &serde_json::Value) -> Result<RuleSet, String> {
    serde_json::from_value::<RuleSet>(body.clone()).map_err(|e| e.to_string())
}

fn two_teams(rules: &serde_json::Value) -> serde_json::Value {
    json!({
        "ruleLanguageVersion": "1.0",
        "playerAttributes": [
            {"name": "skill", "type": "number", "default": 10},
            {"name": "mode", "type": "string"},
            {"name": "maps", "type": "string_list"},
            {"name": "perks", "type": "string_number_map"}
        ],
        "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 2},
                  {"name": "blue", "minPlayers": 1, "maxPlayers": 2}],
        "rules": rules,
    })
}

#[test]
fn rule_sets_and_teams_are_refused_in_exact_words() {
    let cases = [
        (
            json!({"teams": [{"name": "a", "maxPlayers": 1}]}),
            "ruleLanguageVersion must be \"1.0\"",
        ),
        (
            json!({"ruleLanguageVersion": "1.0"}),
            "teams must declare at least one team",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"maxPlayers": 1}]}),
            "team 1 has no name",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 1}, {"name": "a", "maxPlayers": 1}]}),
            "team a is named twice",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 0}]}),
            "team a: maxPlayers must be a whole number of at least 1",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "minPlayers": 3, "maxPlayers": 2}]}),
            "team a: minPlayers (3) is more than maxPlayers (2)",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 2, "quantity": 3}]}),
            "team a: a quantity above 1 is not supported by this emulator",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 30}, {"name": "b", "maxPlayers": 30}]}),
            "the teams hold up to 60 players: matches of more than 40 players (large matches) are not supported by this emulator",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "algorithm": {"strategy": "balanced"}, "teams": [{"name": "a", "maxPlayers": 1}]}),
            "algorithm: the strategy balanced is not supported by this emulator (supported: exhaustiveSearch)",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "playerAttributes": [{"name": "x", "type": "blob"}], "teams": [{"name": "a", "maxPlayers": 1}]}),
            "player attribute x: type must be one of string, number, string_list, string_number_map",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "playerAttributes": [{"name": "x", "type": "number", "default": "high"}], "teams": [{"name": "a", "maxPlayers": 1}]}),
            "player attribute x: its default is not a number",
        ),
    ];
    check(&cases);
}

fn check(cases: &[(serde_json::Value, &str)]) {
    for (body, expected) in cases {
        let err = read(body).expect_err(expected);
        assert!(err.starts_with(expected), "{err}\n  expected {expected}");
    }
}

#[test]
fn rules_and_expansions_are_refused_in_exact_words() {
    let cases = [
        (
            two_teams(&json!([{"name": "r", "type": "batchDistance"}])),
            "rule r: the rule type batchDistance is not supported by this emulator (supported: comparison, distance, latency)",
        ),
        (
            two_teams(&json!([{"type": "distance"}])),
            "rule 1 has no name",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "distance", "measurements": "teams[red].players.attributes[skill]"}]),
            ),
            "rule r: maxDistance or minDistance is required",
        ),
        (
            two_teams(&json!([{"name": "r", "type": "distance", "maxDistance": 1}])),
            "rule r: measurements is required",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "distance", "maxDistance": 1, "measurements": "teams[red].players.attributes[mode]"}]),
            ),
            "rule r measures the attribute mode, of type string: a distance needs numbers",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "comparison", "operation": "=", "measurements": "teams[red].players.attributes[perks]"}]),
            ),
            "rule r measures the attribute perks, of type string_number_map: this emulator cannot compare maps",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "comparison", "operation": "<", "measurements": "teams[red].players.attributes[skill]"}]),
            ),
            "rule r: without a referenceValue, operation must be = or !=",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "comparison", "operation": "~", "measurements": "teams[red].players.attributes[skill]"}]),
            ),
            "rule r: operation must be one of <, <=, =, !=, >, >=",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "comparison", "operation": "=", "measurements": "avg(teams[red].players.attributes[skill]"}]),
            ),
            "rule r: measurements: expected ')' at character 41 of 'avg(teams[red].players.attributes[skill]'",
        ),
        (
            two_teams(&json!([{"name": "r", "type": "latency"}])),
            "rule r: maxLatency is required",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "latency", "maxLatency": 50, "maxDistance": 10}]),
            ),
            "rule r: the latency rule's maxDistance is not supported by this emulator (supported: maxLatency)",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "latency", "maxLatency": 50}, {"name": "r", "type": "latency", "maxLatency": 5}]),
            ),
            "rule r is named twice",
        ),
        (
            {
                let mut b = two_teams(&json!([{"name": "r", "type": "latency", "maxLatency": 50}]));
                b["expansions"] = json!([{"target": "rules[r].maxDistance", "steps": [{"waitTimeSeconds": 5, "value": 1}]}]);
                b
            },
            "expansion 1: rules[r].maxDistance cannot be expanded here",
        ),
        (
            {
                let mut b = two_teams(&json!([]));
                b["expansions"] = json!([{"target": "teams[green].minPlayers", "steps": [{"waitTimeSeconds": 5, "value": 1}]}]);
                b
            },
            "expansion 1: the target names the team green, which teams does not declare",
        ),
    ];
    check(&cases);
}

fn skilled(id: &str, skills: &[f64]) -> Vec<Player> {
    skills
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            Player::new(format!("{id}{i}")).attribute("skill", AttributeValue::number(s))
        })
        .collect()
}

#[test]
fn a_party_is_measured_by_its_aggregate() {
    let rules = |party: &str| {
        read(&two_teams(&json!([{"name": "band", "type": "comparison",
            "measurements": "flatten(teams[*].players.attributes[skill])",
            "referenceValue": 20, "operation": "<=", "partyAggregation": party}])))
        .expect("valid")
    };
    // One ticket of skills 10 and 40: avg 25 and max 40 break <= 20, min 10 keeps it.
    let party = skilled("p", &[10.0, 40.0]);
    let other = skilled("o", &[15.0]);
    let tickets = [Candidate::new(&party, T0), Candidate::new(&other, T0)];
    assert!(find_match(&rules("avg"), &tickets, T0).is_none());
    assert!(find_match(&rules("max"), &tickets, T0).is_none());
    let found = find_match(&rules("min"), &tickets, T0).expect("min keeps it");
    assert_eq!(
        found.teams[0].1,
        [(0, 0), (0, 1)],
        "a ticket's players play together"
    );
    assert_eq!(found.teams[1].1, [(1, 0)]);
}

#[test]
fn expansions_relax_a_rule_and_a_team_size_as_tickets_age() {
    let mut body = two_teams(&json!([{"name": "close", "type": "distance",
        "measurements": "flatten(teams[*].players.attributes[skill])", "maxDistance": 5}]));
    body["teams"] = json!([{"name": "red", "minPlayers": 2, "maxPlayers": 2},
                           {"name": "blue", "minPlayers": 1, "maxPlayers": 2}]);
    body["expansions"] = json!([
        {"target": "rules[close].maxDistance", "steps": [{"waitTimeSeconds": 10, "value": 50}]},
        {"target": "teams[red].minPlayers", "steps": [{"waitTimeSeconds": 20, "value": 1}]},
    ]);
    let rules = read(&body).expect("valid");
    let (a, b, c) = (
        skilled("a", &[10.0]),
        skilled("b", &[40.0]),
        skilled("c", &[12.0]),
    );
    let three = [
        Candidate::new(&a, T0),
        Candidate::new(&b, T0),
        Candidate::new(&c, T0),
    ];
    assert!(
        find_match(&rules, &three, T0).is_none(),
        "40 is too far at first"
    );
    let found = find_match(&rules, &three, T0 + Duration::seconds(10)).expect("relaxed");
    assert_eq!(found.tickets, [0, 1, 2]);
    let two = [Candidate::new(&a, T0), Candidate::new(&c, T0)];
    assert!(
        find_match(&rules, &two, T0 + Duration::seconds(19)).is_none(),
        "red needs two"
    );
    assert!(find_match(&rules, &two, T0 + Duration::seconds(20)).is_some());
    // The newest ticket's age decides by default.
    let fresh = [
        Candidate::new(&a, T0),
        Candidate::new(&c, T0 + Duration::seconds(15)),
    ];
    assert!(find_match(&rules, &fresh, T0 + Duration::seconds(25)).is_none());
}

#[test]
fn the_latency_rule_needs_one_region_good_for_all() {
    let rules = read(&two_teams(
        &json!([{"name": "ping", "type": "latency", "maxLatency": 100}]),
    ))
    .expect("valid");
    let a = vec![
        Player::new("a")
            .latency("us-west-2", 40)
            .latency("eu-west-1", 200),
    ];
    let b = vec![
        Player::new("b")
            .latency("us-west-2", 150)
            .latency("eu-west-1", 90),
    ];
    let c = vec![Player::new("c").latency("us-west-2", 90)];
    assert!(
        find_match(
            &rules,
            &[Candidate::new(&a, T0), Candidate::new(&b, T0)],
            T0
        )
        .is_none()
    );
    assert!(
        find_match(
            &rules,
            &[Candidate::new(&a, T0), Candidate::new(&c, T0)],
            T0
        )
        .is_some()
    );
}

fn config(acceptance: bool) -> MatchmakingConfiguration {
    let mut c = MatchmakingConfiguration::default();
    c.name = Some("c".to_owned());
    c.request_timeout_seconds = Some(60);
    c.acceptance_timeout_seconds = Some(10);
    c.acceptance_required = Some(acceptance);
    c.flex_match_mode = Some(FlexMatchMode::WithQueue);
    c
}

fn start(
    tickets: &mut Vec<Ticket>,
    rules: &RuleSet,
    c: &MatchmakingConfiguration,
    id: &str,
    now: OffsetDateTime,
) {
    let t = StartMatchmakingInput::new("c", vec![Player::new(id)])
        .start(c, rules, tickets, || id.to_owned(), now)
        .expect("a ticket");
    tickets.push(t);
}

fn statuses(tickets: &[Ticket]) -> Vec<MatchmakingTicketStatus> {
    tickets.iter().filter_map(|t| t.ticket.status).collect()
}

#[test]
fn acceptance_times_out_and_placing_cannot_be_stopped() {
    use MatchmakingTicketStatus::{Cancelled, Placing, RequiresAcceptance, Searching};
    let rules = read(&two_teams(&json!([]))).expect("valid");
    let c = config(true);
    let mut tickets = Vec::new();
    let mut n = 0;
    let mut id = || {
        n += 1;
        format!("m{n}")
    };
    start(&mut tickets, &rules, &c, "a", T0);
    start(&mut tickets, &rules, &c, "b", T0);
    advance_matchmaking(&mut tickets, &c, &rules, T0, &mut id);
    assert_eq!(statuses(&tickets), [RequiresAcceptance, RequiresAcceptance]);
    accept_match(
        &mut tickets,
        &AcceptMatchInput::new("a", ["a"], AcceptanceType::Accept),
        true,
        T0,
    )
    .expect("accepted");
    advance_matchmaking(
        &mut tickets,
        &c,
        &rules,
        T0 + Duration::seconds(10),
        &mut id,
    );
    assert_eq!(
        statuses(&tickets),
        [Searching, Cancelled],
        "b never answered"
    );
    assert_eq!(
        tickets[1].ticket.status_message.as_deref(),
        Some("A player did not accept the match in time")
    );
    start(&mut tickets, &rules, &c, "d", T0 + Duration::seconds(11));
    advance_matchmaking(
        &mut tickets,
        &c,
        &rules,
        T0 + Duration::seconds(11),
        &mut id,
    );
    for who in ["a", "d"] {
        accept_match(
            &mut tickets,
            &AcceptMatchInput::new(who, [who], AcceptanceType::Accept),
            true,
            T0,
        )
        .expect("accepted");
    }
    assert_eq!(statuses(&tickets), [Placing, Cancelled, Placing]);
    let err = stop_matchmaking(&mut tickets, "a", T0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Matchmaking ticket a is PLACING and can no longer be stopped"
    );
    let err = accept_match(
        &mut tickets,
        &AcceptMatchInput::new("b", ["b"], AcceptanceType::Accept),
        true,
        T0,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Matchmaking ticket b is CANCELLED and has no match to accept"
    );
}

#[test]
fn a_backfill_keeps_its_players_teams_and_needs_new_ones() {
    let rules = read(&two_teams(&json!([]))).expect("valid");
    let c = config(false);
    let mut tickets = Vec::new();
    let mut current = vec![Player::new("old")];
    current[0].team = Some("blue".to_owned());
    let mut input = StartMatchBackfillInput::default();
    input.configuration_name = Some("c".to_owned());
    input.game_session_arn =
        Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1".to_owned());
    input.players = Some(current.clone());
    let bf = input
        .start(&c, &rules, &tickets, || "bf".to_owned(), T0)
        .expect("a backfill");
    tickets.push(bf);
    let mut n = 0;
    let mut id = || {
        n += 1;
        format!("m{n}")
    };
    advance_matchmaking(&mut tickets, &c, &rules, T0, &mut id);
    assert_eq!(
        statuses(&tickets),
        [MatchmakingTicketStatus::Searching],
        "no new players yet"
    );
    start(&mut tickets, &rules, &c, "new", T0);
    advance_matchmaking(&mut tickets, &c, &rules, T0, &mut id);
    assert_eq!(statuses(&tickets), [MatchmakingTicketStatus::Placing; 2]);
    assert_eq!(tickets[0].ticket.players()[0].team.as_deref(), Some("blue"));
    assert_eq!(tickets[1].ticket.players()[0].team.as_deref(), Some("red"));
    current[0].team = Some("green".to_owned());
    input.players = Some(current);
    let err = input
        .start(&c, &rules, &tickets, || "bf2".to_owned(), T0)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Players[1] of a backfill must name a team of the rule set"
    );
}

#[test]
fn player_data_stays_out_of_debug_and_messages() {
    let mut two_forms = AttributeValue::number(3.0);
    two_forms.s = Some("three".to_owned());
    let err = StartMatchmakingInput::new("c", vec![Player::new("p").attribute("skill", two_forms)])
        .validate_with(&gamelift_session::Limits::AWS)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Players[1].PlayerAttributes[skill] must hold exactly one of S, N, SL or SDM, \
         with strings of 1 to 100 characters, at most 100 SL items, at most 10 SDM entries \
         and finite numbers"
    );
    let p =
        Player::new("secret-player-42").attribute("skill", AttributeValue::string("hidden-value"));
    let shown = format!("{p:?}");
    assert!(
        !shown.contains("secret-player-42") && !shown.contains("hidden-value"),
        "{shown}"
    );
    let err = StartMatchmakingInput::new("c", vec![Player::default(), Player::new("")])
        .validate_with(&gamelift_session::Limits::AWS)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "2 validation errors detected: Value null at 'players.1.member.playerId' failed to satisfy constraint: Member must not be null; \
         Value at 'players.2.member.playerId' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
}
