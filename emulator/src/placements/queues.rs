//! The queue operations: `CreateGameSessionQueue`,
//! `DescribeGameSessionQueues`, `UpdateGameSessionQueue` and
//! `DeleteGameSessionQueue`. Every rule is the crate's
//! (`gamelift_session::placement::GameSessionQueue`).

use gamelift_session::GameLiftError;
use gamelift_session::placement::{
    CreateGameSessionQueueInput, DeleteGameSessionQueueInput, DescribeGameSessionQueuesInput,
    UpdateGameSessionQueueInput, queue_name_of, queue_not_found,
};
use serde_json::json;

use super::{PlacementsWorld, QUEUES};
use crate::context::Context;
use crate::protocol::{Answer, Member, Protocol};
use crate::settings::ACCOUNT_ID;

pub(crate) fn create_game_session_queue<S: PlacementsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: CreateGameSessionQueueInput = p.parse(body)?;
    let queue = input.create(cx.env().region(), ACCOUNT_ID)?;
    let name = queue.name.clone().unwrap_or_default();
    let mut store = cx.lock();
    let (placements, _, _) = store.placements();
    if placements.queues.contains(&name) {
        return Err(GameLiftError::invalid_request(format!(
            "A game session queue named {name} already exists"
        )));
    }
    let answer = p.write(&Member("GameSessionQueue", &queue))?;
    placements.queues.insert(&name, queue);
    placements.changes.record(QUEUES, &name);
    Ok(answer)
}

pub(crate) fn describe_game_session_queues<S: PlacementsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: DescribeGameSessionQueuesInput = p.parse(body)?;
    let mut store = cx.lock();
    let (placements, _, _) = store.placements();
    p.write(&input.select(placements.queues.values(), cx.env().limits())?)
}

pub(crate) fn update_game_session_queue<S: PlacementsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: UpdateGameSessionQueueInput = p.parse(body)?;
    let name = input.validate_with(cx.env().limits())?;
    let key = queue_name_of(name);
    let mut store = cx.lock();
    let (placements, _, _) = store.placements();
    let queue = placements
        .queues
        .get_mut(key)
        .filter(|q| q.is_named_by(name))
        .ok_or_else(|| queue_not_found(name))?;
    input.apply(queue);
    let answer = p.write(&Member("GameSessionQueue", &queue))?;
    placements.changes.record(QUEUES, key);
    Ok(answer)
}

pub(crate) fn delete_game_session_queue<S: PlacementsWorld>(
    cx: &Context<S>,
    body: &[u8],
    p: Protocol,
) -> Answer {
    let input: DeleteGameSessionQueueInput = p.parse(body)?;
    let name = input.validate_with(cx.env().limits())?;
    let key = queue_name_of(name);
    let mut store = cx.lock();
    let (placements, _, _) = store.placements();
    if placements.queue(name).is_none_or(|q| !q.is_named_by(name)) {
        return Err(queue_not_found(name));
    }
    placements.queues.remove(key);
    placements.changes.record(QUEUES, key);
    p.write(&json!({}))
}
