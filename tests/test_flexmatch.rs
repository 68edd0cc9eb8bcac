//! FlexMatch in the crate: rule sets refused in exact words, rules read
//! as the docs define them (party aggregation, expansions, latency), the
//! ticket lifecycle's edges, and player data kept out of `Debug`.

use gamelift_session::{
    flexmatch::{
        ANCHOR_WORK, AcceptMatchInput, AttributeValue, Candidate, MatchmakingConfiguration, Player,
        RuleSet, StartMatchBackfillInput, StartMatchmakingInput, Ticket, accept_match,
        advance_matchmaking, check_backfill_session, expire_tickets, find_match, match_pool,
        stop_matchmaking,
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

fn one_team(extra: &serde_json::Value) -> serde_json::Value {
    let mut b = json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 1}]});
    if let (Some(b), Some(extra)) = (b.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            b.insert(k.clone(), v.clone());
        }
    }
    b
}

#[test]
fn rule_sets_and_teams_are_refused_in_exact_words() {
    let cases = [
        (
            json!({"teams": [{"name": "a", "maxPlayers": 1}]}),
            "ruleLanguageVersion must be \"1.0\"",
        ),
        (json!([1, 2]), "a rule set must be a JSON object"),
        (
            json!({"ruleLanguageVersion": "1.0"}),
            "teams must declare at least one team",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"maxPlayers": 1}]}),
            "teams[1].name is required",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 1}, {"name": "a", "maxPlayers": 1}]}),
            "teams[2]: the team a is named twice",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 0}]}),
            "teams[1].maxPlayers must be a whole number from 1 to 200, not 0",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "minPlayers": 3, "maxPlayers": 2}]}),
            "teams[1].minPlayers must be a whole number from 0 to 2, not 3",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "minPlayers": -1, "maxPlayers": 2}]}),
            "teams[1].minPlayers must be a whole number from 0 to 2, not -1",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 2, "quantity": 0}]}),
            "teams[1].quantity must be a whole number from 1 to 200, not 0",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a_1", "maxPlayers": 1}, {"name": "a", "maxPlayers": 2, "quantity": 2}]}),
            "teams: the team a_1 is named twice (a quantity names its teams <name>_1, <name>_2, …)",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 150}, {"name": "b", "maxPlayers": 60}]}),
            "teams hold up to 210 players: a match holds at most 200",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "teams": [{"name": "a", "maxPlayers": 30}, {"name": "b", "maxPlayers": 30}]}),
            "algorithm.strategy must be balanced for a large match (teams of more than 40 players)",
        ),
        (
            one_team(&json!({"algorithm": {"strategy": "balanced"}})),
            "algorithm.balancedAttribute is required with the strategy balanced",
        ),
        (
            one_team(&json!({"algorithm": {"strategy": "fastest"}})),
            "algorithm.strategy must be exhaustiveSearch or balanced, not fastest",
        ),
        (
            one_team(&json!({"algorithm": {"batchingPreference": "fastestRegion"}})),
            "algorithm.batchingPreference must be random or sorted with exhaustiveSearch, not fastestRegion",
        ),
        (
            one_team(&json!({"algorithm": {"batchingPreference": "sorted"}})),
            "algorithm.sortByAttributes must name at least one attribute when batchingPreference is sorted",
        ),
        (
            one_team(&json!({"algorithm": {"expansionAgeSelection": "middle"}})),
            "algorithm.expansionAgeSelection must be newest or oldest, not middle",
        ),
        (
            one_team(&json!({"algorithm": {"backfillPriority": "urgent"}})),
            "algorithm.backfillPriority must be normal, high or low, not urgent",
        ),
        (
            one_team(&json!({"algorithm": {"stratgy": "balanced"}})),
            "algorithm.stratgy is not a member the rule set language defines here",
        ),
        (
            one_team(&json!({"playerAttributes": [{"name": "x", "type": "blob"}]})),
            "playerAttributes[1].type must be one of string, number, string_list, string_number_map, not blob",
        ),
        (
            one_team(
                &json!({"playerAttributes": [{"name": "x", "type": "number", "default": "high"}]}),
            ),
            "playerAttributes[1].default must be a number value",
        ),
        (
            one_team(
                &json!({"playerAttributes": [{"name": "x", "type": "number"}, {"name": "x", "type": "string"}]}),
            ),
            "playerAttributes[2]: the player attribute x is declared twice",
        ),
        (
            one_team(&json!({"comment": "not a member"})),
            "comment is not a member the rule set language defines here",
        ),
        (
            one_team(&json!({"teams": [{"name": "a", "maxPlayers": 1, "size": 3}]})),
            "teams[1].size is not a member the rule set language defines here",
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
fn nesting_past_the_bound_is_refused_before_it_is_read() {
    let deep = format!(
        "{{\"ruleLanguageVersion\": \"1.0\", \"name\": {}1{}}}",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let err = serde_json::from_str::<RuleSet>(&deep).expect_err("too deep");
    assert!(
        err.to_string()
            .starts_with("the rule set nests values more than 32 levels deep"),
        "{err}"
    );
}

#[test]
#[allow(clippy::too_many_lines)] // One case per line of the table.
fn rules_and_expansions_are_refused_in_exact_words() {
    let expand = |rules: serde_json::Value, expansions: serde_json::Value| {
        let mut b = two_teams(&rules);
        b["expansions"] = expansions;
        b
    };
    let latency = json!([{"name": "r", "type": "latency", "maxLatency": 50}]);
    let cases = [
        (
            two_teams(&json!([{"name": "r", "type": "magic"}])),
            "rules[1].type must be one of absoluteSort, batchDistance, collection, comparison, compound, distance, distanceSort, latency, not magic",
        ),
        (
            two_teams(&json!([{"type": "distance"}])),
            "rules[1].name is required",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "distance", "measurements": "teams[red].players.attributes[skill]"}]),
            ),
            "rules[1]: a distance rule needs maxDistance or minDistance",
        ),
        (
            two_teams(&json!([{"name": "r", "type": "distance", "maxDistance": 1}])),
            "rules[1].measurements is required for a distance rule",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "distance", "maxDistance": -1, "measurements": "teams[red].players.attributes[skill]"}]),
            ),
            "rules[1].maxDistance must be at least 0, not -1",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "distance", "maxDistance": 1, "measurements": "teams[red].players.attributes[mode]"}]),
            ),
            "rules[1].measurements reads the attribute mode, of type string: a distance measures numbers",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "comparison", "operation": "=", "measurements": "teams[red].players.attributes[perks]"}]),
            ),
            "rules[1].measurements reads the attribute perks, of type string_number_map: a comparison cannot compare maps",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "comparison", "operation": "<", "measurements": "teams[red].players.attributes[skill]"}]),
            ),
            "rules[1].operation: without a referenceValue, the operation must be = or !=",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "comparison", "operation": "~", "measurements": "teams[red].players.attributes[skill]"}]),
            ),
            "rules[1].operation must be one of <, <=, =, !=, >, >=, not ~",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "comparison", "operation": "=", "measurements": "avg(teams[red].players.attributes[skill]"}]),
            ),
            "rules[1].measurements: expected ')' at character 41 of 'avg(teams[red].players.attributes[skill]'",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "comparison", "operation": "=", "measurements": ["teams[red].players.attributes[skill]", "teams[green].players"]}]),
            ),
            "rules[1].measurements[2]: 'teams[green].players' names the team green, which teams does not declare",
        ),
        (
            two_teams(&json!([{"name": "r", "type": "latency"}])),
            "rules[1].maxLatency is required for a latency rule",
        ),
        (
            two_teams(&json!([{"name": "r", "type": "latency", "maxLatency": -5}])),
            "rules[1].maxLatency must be at least 0, not -5",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "latency", "maxLatency": 50, "maxDistance": 10}]),
            ),
            "rules[1]: a latency rule's maxDistance and distanceReference go together",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "latency", "maxLatency": 50, "operation": "<"}]),
            ),
            "rules[1].operation is not a member of a latency rule (it is one of a comparison rule)",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "latency", "maxLatency": 50, "partyAggregation": "union"}]),
            ),
            "rules[1].partyAggregation must be avg, min or max, not union",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "latency", "maxLatency": 50}, {"name": "r", "type": "latency", "maxLatency": 5}]),
            ),
            "rules[2]: the rule r is named twice",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "collection", "operation": "contains", "measurements": "flatten(teams[*].players.attributes[maps])", "maxCount": 1}]),
            ),
            "rules[1].referenceValue is required for the operation contains",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "collection", "operation": "intersection", "measurements": "flatten(teams[*].players.attributes[maps])", "minCount": 1.5}]),
            ),
            "rules[1].minCount must be a whole number from 0, not 1.5",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "collection", "operation": "union", "measurements": "flatten(teams[*].players.attributes[maps])", "minCount": 1}]),
            ),
            "rules[1].operation must be one of intersection, contains, reference_intersection_count, not union",
        ),
        (
            two_teams(&json!([{"name": "r", "type": "batchDistance", "batchAttribute": "maps"}])),
            "rules[1].batchAttribute: a batch is formed on a number or a string, not a string_list",
        ),
        (
            two_teams(
                &json!([{"name": "r", "type": "batchDistance", "batchAttribute": "mode", "maxDistance": 3}]),
            ),
            "rules[1].maxDistance measures numbers: the batchAttribute mode is a string",
        ),
        (
            two_teams(&json!([{"name": "r", "type": "batchDistance", "batchAttribute": "rank"}])),
            "rules[1].batchAttribute names the attribute rank, which playerAttributes does not declare",
        ),
        (
            two_teams(&json!([{"name": "c", "type": "compound", "statement": "and(a, b)"}])),
            "rules[1].statement: names the rule a, which is not defined before it",
        ),
        (
            two_teams(
                &json!([{"name": "b", "type": "batchDistance", "batchAttribute": "skill", "maxDistance": 5}, {"name": "l", "type": "latency", "maxLatency": 5}, {"name": "c", "type": "compound", "statement": "or(b, l)"}]),
            ),
            "rules[3].statement: names the batchDistance rule b: a compound rule cannot use one",
        ),
        (
            two_teams(
                &json!([{"name": "l", "type": "latency", "maxLatency": 5}, {"name": "c", "type": "compound", "statement": "nand(l, l)"}]),
            ),
            "rules[2].statement: the operator must be and, or, not or xor, not nand",
        ),
        (
            two_teams(
                &json!([{"name": "l", "type": "latency", "maxLatency": 5}, {"name": "c", "type": "compound", "statement": "not(l, l)"}]),
            ),
            "rules[2].statement: not takes one argument",
        ),
        (
            two_teams(
                &json!([{"name": "s", "type": "distanceSort", "sortDirection": "up", "sortAttribute": "skill"}]),
            ),
            "rules[1].sortDirection must be ascending or descending, not up",
        ),
        (
            two_teams(
                &json!([{"name": "s", "type": "distanceSort", "sortDirection": "ascending", "sortAttribute": "mode"}]),
            ),
            "rules[1].sortAttribute: a distanceSort rule sorts by a number, or by a string_number_map with a mapKey, not by a string",
        ),
        (
            two_teams(
                &json!([{"name": "s", "type": "absoluteSort", "sortDirection": "ascending", "sortAttribute": "perks"}]),
            ),
            "rules[1].sortAttribute: an absoluteSort rule sorts by a number or a string, or by a string_number_map with a mapKey, not by a string_number_map",
        ),
        (
            expand(
                latency.clone(),
                json!([{"target": "rules[r].maxDistance", "steps": [{"waitTimeSeconds": 5, "value": 1}]}]),
            ),
            "expansions[1].target: a latency rule has no number maxDistance to expand",
        ),
        (
            expand(
                latency.clone(),
                json!([{"target": "rules[r].maxLatency", "steps": [{"waitTimeSeconds": 5, "value": -1}]}]),
            ),
            "expansions[1].steps[1].value must be at least 0, not -1",
        ),
        (
            expand(
                latency.clone(),
                json!([{"target": "rules[r].maxLatency", "steps": [{"waitTimeSeconds": -5, "value": 100}]}]),
            ),
            "expansions[1].steps[1].waitTimeSeconds must be at least 0, not -5",
        ),
        (
            expand(
                latency.clone(),
                json!([{"target": "rules[r].maxLatency", "steps": []}]),
            ),
            "expansions[1].steps must hold at least one step",
        ),
        (
            expand(
                latency.clone(),
                json!([{"target": "rules[q].maxLatency", "steps": [{"waitTimeSeconds": 5, "value": 1}]}]),
            ),
            "expansions[1].target names the rule q, which rules does not declare",
        ),
        (
            expand(
                json!([{"name": "l", "type": "latency", "maxLatency": 5}, {"name": "c", "type": "compound", "statement": "not(l)"}]),
                json!([{"target": "rules[c].maxLatency", "steps": [{"waitTimeSeconds": 5, "value": 1}]}]),
            ),
            "expansions[1].target: the compound rule c cannot be expanded (expand the rules it names)",
        ),
        (
            expand(
                json!([]),
                json!([{"target": "teams[green].minPlayers", "steps": [{"waitTimeSeconds": 5, "value": 1}]}]),
            ),
            "expansions[1].target names the team green, which teams does not declare",
        ),
        (
            expand(
                json!([]),
                json!([{"target": "teams[red].maxPlayers", "steps": [{"waitTimeSeconds": 5, "value": 1e12}]}]),
            ),
            "expansions[1].steps[1].value must be a whole number from 1 to 200, not 1000000000000",
        ),
        (
            expand(
                json!([]),
                json!([{"target": "teams[red].maxPlayers", "steps": [{"waitTimeSeconds": 5, "value": 39}]}]),
            ),
            "expansions: after 5 seconds the teams would hold up to 41 players, more than a small match's 40 (the rule set's teams make small matches)",
        ),
        (
            expand(
                json!([]),
                json!([{"target": "teams[red].minPlayers", "steps": [{"waitTimeSeconds": 5, "value": 3}]}]),
            ),
            "expansions: after 5 seconds the team red would take at least 3 players and at most 2",
        ),
        (
            expand(
                json!([]),
                json!([{"target": "teams[red].minPlayers", "steps": [{"waitTimeSeconds": 5, "value": 1, "note": "x"}]}]),
            ),
            "expansions[1].steps[1].note is not a member the rule set language defines here",
        ),
    ];
    check(&cases);
}

#[test]
fn a_large_match_takes_only_the_rules_the_guide_allows() {
    let large = |rules: serde_json::Value| {
        json!({"ruleLanguageVersion": "1.0",
            "playerAttributes": [{"name": "skill", "type": "number"}],
            "algorithm": {"strategy": "balanced", "balancedAttribute": "skill"},
            "teams": [{"name": "horde", "minPlayers": 30, "maxPlayers": 50}],
            "rules": rules})
    };
    assert!(
        read(&large(
            json!([{"name": "near", "type": "latency", "maxLatency": 150},
        {"name": "close", "type": "batchDistance", "batchAttribute": "skill", "maxDistance": 10}])
        ))
        .is_ok()
    );
    check(&[
        (
            large(
                json!([{"name": "fair", "type": "distance", "measurements": "avg(teams[*].players.attributes[skill])", "maxDistance": 5}]),
            ),
            "rules[1]: a distance rule cannot be used in a large match (teams of more than 40 players): the guide allows latency rules with maxLatency, and batchDistance rules",
        ),
        (
            large(
                json!([{"name": "l", "type": "latency", "maxLatency": 5, "maxDistance": 3, "distanceReference": "min"}]),
            ),
            "rules[1]: a latency rule cannot be used in a large match",
        ),
        (
            json!({"ruleLanguageVersion": "1.0", "algorithm": {"strategy": "exhaustiveSearch"},
                "teams": [{"name": "horde", "maxPlayers": 50}]}),
            "algorithm.strategy must be balanced for a large match (teams of more than 40 players): exhaustiveSearch builds matches of up to 40",
        ),
    ]);
    let rules = read(&large(json!([]))).expect("valid");
    assert!(rules.is_large());
    assert_eq!(rules.max_players(), 50);
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
        .start(&c, &rules, &mut tickets, || "bf".to_owned(), T0)
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
        .start(&c, &rules, &mut tickets, || "bf2".to_owned(), T0)
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

/// A 4v4 rule set of the issue's reproductions: latency, a comparison, a
/// distance.
fn four_v_four() -> RuleSet {
    read(&json!({
        "ruleLanguageVersion": "1.0",
        "playerAttributes": [{"name": "skill", "type": "number", "default": 10},
                             {"name": "mode", "type": "string", "default": "ranked"}],
        "teams": [{"name": "red", "minPlayers": 4, "maxPlayers": 4},
                  {"name": "blue", "minPlayers": 4, "maxPlayers": 4}],
        "rules": [
            {"name": "near", "type": "latency", "maxLatency": 150},
            {"name": "mode", "type": "comparison", "operation": "=",
             "measurements": "flatten(teams[*].players.attributes[mode])"},
            {"name": "close", "type": "distance", "maxDistance": 40,
             "measurements": "flatten(teams[*].players.attributes[skill])"}
        ]
    }))
    .expect("valid")
}

fn pinged(id: &str, ms: i32, skill: f64) -> Vec<Player> {
    vec![
        Player::new(id)
            .latency("us-east-1", ms)
            .attribute("skill", AttributeValue::number(skill)),
    ]
}

#[test]
fn an_unmatchable_ticket_holds_no_one_back() {
    let rules = four_v_four();
    let mut parties = vec![pinged("slow", 300, 10.0)];
    parties.extend((0..40).map(|i| pinged(&format!("p{i}"), 40, 10.0)));
    let tickets: Vec<Candidate> = parties
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Candidate::new(
                p,
                T0 + Duration::milliseconds(i64::try_from(i).expect("small")),
            )
        })
        .collect();
    let pass = match_pool(&rules, &tickets, T0 + Duration::seconds(1));
    assert_eq!(pass.matches.len(), 5, "40 tickets behind it make 5 matches");
    assert!(pass.given_up.is_empty());
    assert!(pass.matches.iter().all(|m| !m.tickets.contains(&0)));
}

#[test]
fn one_percent_unmatchable_leaves_only_the_remainder() {
    let rules = four_v_four();
    let parties: Vec<Vec<Player>> = (0..1000_i32)
        .map(|i| {
            let ms = if i % 100 == 0 { 300 } else { 40 + i % 50 };
            pinged(&format!("p{i}"), ms, f64::from(i % 100))
        })
        .collect();
    let tickets: Vec<Candidate> = parties
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Candidate::new(
                p,
                T0 + Duration::milliseconds(i64::try_from(i).expect("small")),
            )
        })
        .collect();
    let pass = match_pool(&rules, &tickets, T0 + Duration::seconds(2));
    let matched: usize = pass.matches.iter().map(|m| m.tickets.len()).sum();
    // 990 matchable; what is left cannot fill a match.
    assert!(matched >= 990 - 7 && matched.is_multiple_of(8), "{matched}");
    assert!(pass.given_up.is_empty());
}

#[test]
fn a_match_among_the_first_eight_is_made_whatever_follows() {
    // FairTeams is not hereditary: only the whole match can be tested.
    let rules = read(&json!({
        "ruleLanguageVersion": "1.0",
        "playerAttributes": [{"name": "skill", "type": "number"}],
        "teams": [{"name": "red", "minPlayers": 4, "maxPlayers": 4},
                  {"name": "blue", "minPlayers": 4, "maxPlayers": 4}],
        "rules": [{"name": "fair", "type": "distance", "maxDistance": 1,
                   "measurements": "avg(teams[*].players.attributes[skill])",
                   "referenceValue": "avg(flatten(teams[*].players.attributes[skill]))"}]
    }))
    .expect("valid");
    let skills = [10.0, 30.0, 10.0, 30.0, 30.0, 10.0, 30.0, 10.0];
    let mut parties: Vec<Vec<Player>> = skills
        .iter()
        .enumerate()
        .map(|(i, s)| skilled(&format!("m{i}"), &[*s]))
        .collect();
    // Sixteen that no match can balance.
    parties.extend((0..16).map(|i| skilled(&format!("x{i}"), &[500.0 + 37.3 * f64::from(i)])));
    let tickets: Vec<Candidate> = parties.iter().map(|p| Candidate::new(p, T0)).collect();
    let pass = match_pool(&rules, &tickets, T0);
    let mut held = pass.matches[0].tickets.clone();
    held.sort_unstable();
    assert_eq!(held, (0..8).collect::<Vec<_>>());
}

#[test]
fn a_search_that_spends_its_work_is_given_up_and_the_pool_goes_on() {
    // The oldest ticket's skill unbalances every match, which only the
    // whole match shows: its search is cut at ANCHOR_WORK, and the others
    // still match in the same pass.
    let rules = read(&json!({
        "ruleLanguageVersion": "1.0",
        "playerAttributes": [{"name": "skill", "type": "number"}],
        "teams": [{"name": "red", "minPlayers": 4, "maxPlayers": 4},
                  {"name": "blue", "minPlayers": 4, "maxPlayers": 4}],
        "rules": [{"name": "fair", "type": "distance", "maxDistance": 1,
                   "measurements": "avg(teams[*].players.attributes[skill])",
                   "referenceValue": "avg(flatten(teams[*].players.attributes[skill]))"}]
    }))
    .expect("valid");
    let mut parties = vec![skilled("odd", &[1000.0])];
    parties.extend((0..40).map(|i| {
        skilled(
            &format!("p{i}"),
            &[10.0 + f64::from(i % 2) * 0.001 * f64::from(i)],
        )
    }));
    let tickets: Vec<Candidate> = parties.iter().map(|p| Candidate::new(p, T0)).collect();
    let pass = match_pool(&rules, &tickets, T0);
    assert_eq!(pass.given_up, [0]);
    assert!(pass.work > ANCHOR_WORK);
    assert_eq!(pass.matches.len(), 5);
}

#[test]
fn a_match_made_after_an_expansion_is_sized_by_it() {
    let rules = read(&json!({
        "ruleLanguageVersion": "1.0",
        "teams": [{"name": "red", "minPlayers": 2, "maxPlayers": 2},
                  {"name": "blue", "minPlayers": 2, "maxPlayers": 2}],
        "expansions": [{"target": "teams[red].maxPlayers", "steps": [{"waitTimeSeconds": 5, "value": 3}]},
                       {"target": "teams[blue].maxPlayers", "steps": [{"waitTimeSeconds": 5, "value": 3}]}]
    }))
    .expect("valid");
    assert_eq!(rules.max_players(), 4);
    let parties: Vec<Vec<Player>> = (0..6).map(|i| vec![Player::new(format!("p{i}"))]).collect();
    let tickets: Vec<Candidate> = parties.iter().map(|p| Candidate::new(p, T0)).collect();
    let early = match_pool(&rules, &tickets, T0);
    assert_eq!(early.matches[0].max_players, 4);
    assert_eq!(early.matches[0].tickets.len(), 4);
    let late = match_pool(&rules, &tickets, T0 + Duration::seconds(5));
    assert_eq!(late.matches.len(), 1);
    assert_eq!(late.matches[0].max_players, 6);
    assert_eq!(late.matches[0].tickets.len(), 6);
}

#[test]
fn a_players_new_ticket_cancels_the_older_one() {
    use MatchmakingTicketStatus::{Cancelled, Queued, RequiresAcceptance, Searching};
    let rules = read(&two_teams(&json!([]))).expect("valid");
    let c = config(true);
    let mut tickets = Vec::new();
    start(&mut tickets, &rules, &c, "a", T0);
    let again = StartMatchmakingInput::new("c", vec![Player::new("a")])
        .start(&c, &rules, &mut tickets, || "a2".to_owned(), T0)
        .expect("a new ticket");
    assert_eq!(statuses(&tickets), [Cancelled]);
    assert_eq!(
        tickets[0].ticket.status_reason.as_deref(),
        Some("Cancelled")
    );
    assert_eq!(
        tickets[0].ticket.status_message.as_deref(),
        Some("Cancelled due to duplicate player")
    );
    assert!(tickets[0].ticket.end_time.is_some());
    assert_eq!(again.ticket.status, Some(Queued));
    tickets.push(again);
    // One waiting for acceptance: its match is dropped, the other ticket
    // searches again.
    start(&mut tickets, &rules, &c, "b", T0);
    let mut n = 0;
    advance_matchmaking(&mut tickets, &c, &rules, T0, &mut || {
        n += 1;
        format!("m{n}")
    });
    assert_eq!(
        statuses(&tickets),
        [Cancelled, RequiresAcceptance, RequiresAcceptance]
    );
    let b2 = StartMatchmakingInput::new("c", vec![Player::new("b")])
        .start(&c, &rules, &mut tickets, || "b2".to_owned(), T0)
        .expect("a new ticket");
    tickets.push(b2);
    assert_eq!(
        statuses(&tickets),
        [Cancelled, Searching, Cancelled, Queued]
    );
    assert!(tickets[1].match_id.is_none());
}

#[test]
fn tickets_end_with_the_events_reasons() {
    let rules = read(&two_teams(&json!([]))).expect("valid");
    let c = config(false);
    let mut tickets = Vec::new();
    start(&mut tickets, &rules, &c, "a", T0);
    start(&mut tickets, &rules, &c, "lonely", T0);
    stop_matchmaking(&mut tickets, "a", T0).expect("stopped");
    assert_eq!(
        tickets[0].ticket.status_reason.as_deref(),
        Some("Cancelled")
    );
    assert_eq!(
        tickets[0].ticket.status_message.as_deref(),
        Some("Cancelled by request.")
    );
    expire_tickets(&mut tickets, &c, T0 + Duration::seconds(60), Some(7));
    assert_eq!(
        tickets[1].ticket.status,
        Some(MatchmakingTicketStatus::TimedOut)
    );
    assert_eq!(tickets[1].ticket.status_reason.as_deref(), Some("TimedOut"));
    assert_eq!(
        tickets[1].ticket.status_message.as_deref(),
        Some("Removed from matchmaking due to timing out.")
    );
    // A ticket that starts searching is told the recent average wait.
    start(&mut tickets, &rules, &c, "c", T0);
    expire_tickets(&mut tickets, &c, T0 + Duration::seconds(1), Some(7));
    assert_eq!(tickets[2].ticket.estimated_wait_time, Some(7));
}

#[test]
fn a_backfill_needs_an_active_session_flexmatch_made_through_its_configuration() {
    use gamelift_session::{GameSession, GameSessionStatus};
    let mut c = config(false);
    c.configuration_arn =
        Some("arn:aws:gamelift:us-west-2:1:matchmakingconfiguration/c".to_owned());
    let arn = "arn:aws:gamelift:us-west-2::gamesession/fleet-1/gs-1";
    let mut session = GameSession::default();
    session.status = Some(GameSessionStatus::Active);
    let check = |s: Option<&GameSession>, by: Option<&str>| {
        check_backfill_session(arn, s, by, &c).map_err(|e| (e.code(), e.to_string()))
    };
    assert_eq!(
        check(None, None),
        Err((
            "InvalidRequestException",
            format!("Game session {arn} does not exist")
        ))
    );
    assert_eq!(
        check(Some(&session), None),
        Err((
            "InvalidRequestException",
            format!(
                "Game session {arn} was not made by FlexMatch through the matchmaking configuration c"
            )
        ))
    );
    assert_eq!(
        check(
            Some(&session),
            Some("arn:aws:gamelift:us-west-2:1:matchmakingconfiguration/other")
        ),
        check(Some(&session), None)
    );
    assert_eq!(
        check(Some(&session), c.configuration_arn.as_deref()),
        Ok(())
    );
    session.status = Some(GameSessionStatus::Terminated);
    assert_eq!(
        check(Some(&session), c.configuration_arn.as_deref()),
        Err((
            "InvalidRequestException",
            format!(
                "Game session {arn} is TERMINATED: only an ACTIVE game session can be backfilled"
            )
        ))
    );
}

#[test]
fn a_players_attributes_are_bounded() {
    let limits = gamelift_session::Limits::default();
    let mut many = Player::new("p");
    for i in 0..33 {
        many = many.attribute(format!("a{i}"), AttributeValue::number(1.0));
    }
    let err = StartMatchmakingInput::new("c", vec![many])
        .validate_with(&limits)
        .expect_err("too many");
    assert!(err.to_string().contains("playerAttributes"), "{err}");
    let big = Player::new("p")
        .attribute(
            "a",
            AttributeValue::string_list((0..100).map(|i| format!("{i:0>40}"))),
        )
        .attribute(
            "b",
            AttributeValue::string_list((0..100).map(|i| format!("{i:0>40}"))),
        );
    let err = StartMatchmakingInput::new("c", vec![big])
        .validate_with(&limits)
        .expect_err("too large");
    assert_eq!(
        err.to_string(),
        "Players[1].PlayerAttributes hold 8002 characters in all: at most 4096"
    );
    let mut far = Player::new("p");
    for i in 0..65 {
        far = far.latency(format!("r{i}"), 10);
    }
    let err = StartMatchmakingInput::new("c", vec![far])
        .validate_with(&limits)
        .expect_err("too many Regions");
    assert!(err.to_string().contains("latencyInMs"), "{err}");
}
