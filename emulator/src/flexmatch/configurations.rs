//! The configuration operations: `CreateMatchmakingConfiguration`,
//! `DescribeMatchmakingConfigurations`, `UpdateMatchmakingConfiguration`
//! and `DeleteMatchmakingConfiguration`.

use gamelift_session::GameLiftError;
use gamelift_session::flexmatch::{
    DescribeMatchmakingConfigurationsInput, MatchmakingConfigurationInput, MatchmakingNameInput,
    configuration_not_found, rule_set_not_found,
};
use gamelift_session::placement::{queue_name_of, queue_not_found};
use serde_json::json;

use super::{CONFIGURATIONS, FlexMatchWorld};
use crate::context::Context;
use crate::protocol::{Answer, Member, Protocol};
use crate::settings::ACCOUNT_ID;

fn write_configuration<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
    create: bool,
) -> Answer {
    let env = cx.env();
    let input: MatchmakingConfigurationInput = p.parse(body)?;
    input.validate(create, env.limits())?;
    let mut store = cx.lock();
    let (matchmaking, placements, ..) = store.flexmatch();
    let name = input.name.clone().unwrap_or_default();
    let existing = matchmaking.configuration(&name).cloned();
    let rule_set_name = match (&input.rule_set_name, &existing) {
        (Some(r), _) => r.clone(),
        (None, Some(c)) => c.rule_set_name.clone().unwrap_or_default(),
        (None, None) => return Err(configuration_not_found(&name)),
    };
    let rule_set = matchmaking
        .rule_set(&rule_set_name)
        .map(|r| r.resource.clone())
        .ok_or_else(|| rule_set_not_found(&rule_set_name))?;
    for arn in input.game_session_queue_arns.iter().flatten() {
        let queue = queue_name_of(arn);
        if placements.queue(queue).is_none() {
            return Err(queue_not_found(queue));
        }
    }
    let configuration = if create {
        if existing.is_some() {
            return Err(GameLiftError::invalid_request(format!(
                "A matchmaking configuration named {name} already exists"
            )));
        }
        input.create(&rule_set, env.region(), ACCOUNT_ID, env.now())?
    } else {
        let mut c = existing.ok_or_else(|| configuration_not_found(&name))?;
        input.apply(&mut c, &rule_set)?;
        c
    };
    let answer = p.write(&Member("Configuration", &configuration))?;
    let key = configuration.name.clone().unwrap_or_default();
    matchmaking.configurations.insert(&key, configuration);
    matchmaking.changes.record(CONFIGURATIONS, &key);
    Ok(answer)
}

pub(crate) fn create_matchmaking_configuration<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    write_configuration(cx, body, p, true)
}

pub(crate) fn update_matchmaking_configuration<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    write_configuration(cx, body, p, false)
}

pub(crate) fn describe_matchmaking_configurations<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: DescribeMatchmakingConfigurationsInput = p.parse(body)?;
    let mut store = cx.lock();
    let (matchmaking, ..) = store.flexmatch();
    p.write(&input.select(matchmaking.configurations(), cx.env().limits())?)
}

pub(crate) fn delete_matchmaking_configuration<S: FlexMatchWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: MatchmakingNameInput = p.parse(body)?;
    let name = input.validate(true)?.to_owned();
    let mut store = cx.lock();
    let (matchmaking, ..) = store.flexmatch();
    let key = matchmaking
        .configuration(&name)
        .and_then(|c| c.name.clone())
        .ok_or_else(|| configuration_not_found(&name))?;
    if matchmaking.has_live_tickets(&key) {
        return Err(GameLiftError::invalid_request(format!(
            "Matchmaking configuration {name} has tickets that have not ended"
        )));
    }
    matchmaking.configurations.remove(&key);
    matchmaking.changes.record(CONFIGURATIONS, &key);
    p.write(&json!({}))
}
