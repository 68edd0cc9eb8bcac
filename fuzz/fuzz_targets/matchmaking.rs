//! FlexMatch: the first byte picks what the rest is — a rule set body, a
//! `StartMatchmaking` request (checked and matched against a fixed rule
//! set and waiting tickets), a configuration request, or an `AcceptMatch`.
#![no_main]

mod laws;

use gamelift_session::{
    GameLiftError, Limits,
    flexmatch::{
        AcceptMatchInput, Candidate, MatchmakingConfiguration, MatchmakingConfigurationInput,
        MatchmakingRuleSet, Player, RuleSet, StartMatchmakingInput, find_match, invalid_rule_set,
        is_valid_match, match_pool, strip_comments,
    },
    model::MAX_MESSAGE_BYTES,
};
use libfuzzer_sys::fuzz_target;
use time::OffsetDateTime;

const RULES: &str = r#"{"ruleLanguageVersion": "1.0",
    "playerAttributes": [{"name": "skill", "type": "number", "default": 10},
                         {"name": "mode", "type": "string", "default": "casual"}],
    "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 3},
              {"name": "blue", "minPlayers": 1, "maxPlayers": 3}],
    "rules": [{"name": "close", "type": "distance",
               "measurements": "avg(teams[*].players.attributes[skill])",
               "referenceValue": "avg(flatten(teams[*].players.attributes[skill]))", "maxDistance": 15},
              {"name": "mode", "type": "comparison",
               "measurements": "flatten(teams[*].players.attributes[mode])", "operation": "="}]}"#;

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
    match serde_json::from_slice(body) {
        Ok(input) => Some(input),
        Err(e) => {
            laws::check_parse_error(GameLiftError::serialization(e));
            None
        }
    }
}

fn waiting() -> Vec<Vec<Player>> {
    (0..4)
        .map(|i| {
            vec![Player::new(format!("w{i}")).attribute(
                "skill",
                gamelift_session::flexmatch::AttributeValue::number(f64::from(i) * 7.0),
            )]
        })
        .collect()
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&op, body)) = bytes.split_first() else {
        return;
    };
    let now = OffsetDateTime::UNIX_EPOCH;
    match op % 4 {
        0 => match serde_json::from_str::<RuleSet>(&strip_comments(&String::from_utf8_lossy(body)))
        {
            Ok(rules) => {
                // Whatever the rule set, the matcher ends, and what it
                // proposes is a match of it.
                let parties = waiting();
                let candidates: Vec<Candidate<'_>> =
                    parties.iter().map(|p| Candidate::new(p, now)).collect();
                if let Some(found) = find_match(&rules, &candidates, now) {
                    assert!(is_valid_match(&rules, &candidates, &found, now));
                }
                let pass = match_pool(&rules, &candidates, now);
                for found in &pass.matches {
                    assert!(is_valid_match(&rules, &candidates, found, now));
                }
            }
            Err(e) => {
                let e = invalid_rule_set(e);
                laws::check_error(&e);
                assert!(e.to_string().len() <= MAX_MESSAGE_BYTES + 64);
            }
        },
        1 => {
            let Some(input) = parse::<StartMatchmakingInput>(body) else {
                return;
            };
            let rules: RuleSet = serde_json::from_str(RULES).expect("the fixed rule set");
            let mut c = MatchmakingConfiguration::default();
            c.name = Some("c".to_owned());
            match input
                .validate_with(&Limits::AWS)
                .and_then(|_| input.start(&c, &rules, &mut [], || "t".to_owned(), now))
            {
                Ok(ticket) => {
                    let players = ticket.ticket.players();
                    assert!(!players.is_empty() && players.len() <= 10);
                    let mut parties = waiting();
                    parties.insert(0, players.to_vec());
                    let candidates: Vec<Candidate<'_>> =
                        parties.iter().map(|p| Candidate::new(p, now)).collect();
                    if let Some(found) = find_match(&rules, &candidates, now) {
                        assert_eq!(found.tickets.first(), Some(&0), "built around the oldest");
                        assert!(is_valid_match(&rules, &candidates, &found, now));
                    }
                }
                Err(e) => {
                    laws::check_error(&e);
                    // A player's id is never echoed.
                    for p in input.players.iter().flatten() {
                        if let Some(id) = p.player_id.as_deref().filter(|id| id.len() >= 8) {
                            assert!(!e.to_string().contains(id), "{e}");
                        }
                    }
                }
            }
        }
        2 => {
            let Some(input) = parse::<MatchmakingConfigurationInput>(body) else {
                return;
            };
            let mut rule_set = MatchmakingRuleSet::default();
            rule_set.rule_set_name = Some("r".to_owned());
            let result = input
                .validate(true, &Limits::AWS)
                .and_then(|()| input.create(&rule_set, "us-west-2", "1", now));
            match result {
                Ok(c) => {
                    let timeout = c.request_timeout_seconds.unwrap_or(0);
                    assert!((1..=43_200).contains(&timeout));
                }
                Err(e) => laws::check_error(&e),
            }
        }
        _ => {
            let Some(input) = parse::<AcceptMatchInput>(body) else {
                return;
            };
            if let Err(e) = input.validate_with(&Limits::AWS) {
                laws::check_error(&e);
            }
        }
    }
});
