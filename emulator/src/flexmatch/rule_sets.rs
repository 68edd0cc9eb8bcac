//! The rule set operations: `CreateMatchmakingRuleSet`,
//! `ValidateMatchmakingRuleSet`, `DescribeMatchmakingRuleSets` and
//! `DeleteMatchmakingRuleSet`.

use gamelift_session::GameLiftError;
use gamelift_session::flexmatch::{
    CreateMatchmakingRuleSetInput, DescribeMatchmakingRuleSetsInput, MatchmakingNameInput, RuleSet,
    invalid_rule_set, rule_set_not_found, strip_comments,
};
use serde_json::json;

use super::{FlexMatchWorld, RULE_SETS, StoredRuleSet};
use crate::context::Context;
use crate::protocol::{Answer, Member, Protocol};
use crate::settings::ACCOUNT_ID;

/// Reads a rule set body (its comments blanked), refusing it in AWS's
/// error.
fn read_rule_set(body: &str) -> Result<RuleSet, GameLiftError> {
    serde_json::from_str::<RuleSet>(&strip_comments(body)).map_err(invalid_rule_set)
}

pub(crate) fn create_matchmaking_rule_set<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let env = cx.env();
    let input: CreateMatchmakingRuleSetInput = p.parse(body)?;
    let rules = read_rule_set(input.validate(true)?)?;
    let resource = input.resource(env.region(), ACCOUNT_ID, env.now());
    let name = resource.rule_set_name.clone().unwrap_or_default();
    let mut store = cx.lock();
    let (matchmaking, ..) = store.flexmatch();
    if matchmaking.rule_sets.contains(&name) {
        return Err(GameLiftError::invalid_request(format!(
            "A matchmaking rule set named {name} already exists"
        )));
    }
    let answer = p.write(&Member("RuleSet", &resource))?;
    matchmaking.insert_rule_set(
        &name,
        StoredRuleSet {
            resource,
            rules: rules.into(),
        },
    );
    Ok(answer)
}

pub(crate) fn validate_matchmaking_rule_set<S: FlexMatchWorld>(
    _cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: CreateMatchmakingRuleSetInput = p.parse(body)?;
    read_rule_set(input.validate(false)?)?;
    p.write(&json!({ "Valid": true }))
}

pub(crate) fn describe_matchmaking_rule_sets<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: DescribeMatchmakingRuleSetsInput = p.parse(body)?;
    let mut store = cx.lock();
    let (matchmaking, ..) = store.flexmatch();
    let resources = matchmaking.rule_sets().map(|r| &r.resource);
    p.write(&input.select(resources, cx.env().limits())?)
}

pub(crate) fn delete_matchmaking_rule_set<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: MatchmakingNameInput = p.parse(body)?;
    let name = input.validate(false)?.to_owned();
    let mut store = cx.lock();
    let (matchmaking, ..) = store.flexmatch();
    let key = matchmaking
        .rule_set(&name)
        .and_then(|r| r.resource.rule_set_name.clone())
        .ok_or_else(|| rule_set_not_found(&name))?;
    // A rule set in use is named by a configuration: at most a few dozen.
    if let Some(c) = matchmaking
        .configurations()
        .find(|c| c.rule_set_name.as_deref() == Some(key.as_str()))
    {
        return Err(GameLiftError::invalid_request(format!(
            "Matchmaking rule set {name} is used by the matchmaking configuration {}",
            c.name.as_deref().unwrap_or_default()
        )));
    }
    matchmaking.rule_sets.remove(&key);
    matchmaking.changes.record(RULE_SETS, &key);
    p.write(&json!({}))
}
