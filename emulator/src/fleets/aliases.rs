//! The alias operations: `CreateAlias`, `DescribeAlias`, `ListAliases`,
//! `ResolveAlias`, `UpdateAlias` and `DeleteAlias`. Every rule is the
//! crate's (`gamelift_session::fleet::Alias`); this room keeps the aliases
//! by id, in creation order, and gives them ids.

use gamelift_session::fleet::{
    AliasContext, AliasIdInput, CreateAliasInput, ListAliasesInput, UpdateAliasInput,
};
use serde_json::json;

use super::{ALIASES, FleetsWorld};
use crate::context::Context;
use crate::protocol::{Answer, Member, Protocol};
use crate::settings::ACCOUNT_ID;

pub(crate) fn create_alias<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let input: CreateAliasInput = p.parse(body)?;
    let env = cx.env();
    let id = env.ids().alias();
    let alias = input.create(&AliasContext::new(env.region(), ACCOUNT_ID, env.now(), &id))?;
    let answer = p.write(&Member("Alias", &alias))?;
    let mut store = cx.lock();
    let fleets = store.fleets();
    fleets.aliases.insert(&id, alias);
    fleets.changes.record(ALIASES, &id);
    Ok(answer)
}

pub(crate) fn describe_alias<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let input: AliasIdInput = p.parse(body)?;
    let id = input.validate_with(cx.env().limits())?;
    let mut store = cx.lock();
    p.write(&Member("Alias", store.fleets().alias(id)?))
}

pub(crate) fn resolve_alias<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let input: AliasIdInput = p.parse(body)?;
    let id = input.validate_with(cx.env().limits())?;
    let fleet = cx.lock().fleets().resolve(id)?;
    let arn = format!(
        "arn:aws:gamelift:{}:{ACCOUNT_ID}:fleet/{fleet}",
        cx.env().region()
    );
    p.write(&json!({ "FleetId": fleet, "FleetArn": arn }))
}

pub(crate) fn list_aliases<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let input: ListAliasesInput = p.parse(body)?;
    let mut store = cx.lock();
    p.write(&input.select(store.fleets().aliases(), cx.env().limits())?)
}

pub(crate) fn update_alias<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let input: UpdateAliasInput = p.parse(body)?;
    let id = input.validate_with(cx.env().limits())?;
    let mut store = cx.lock();
    let alias = store.fleets().alias_mut(id)?;
    input.apply(alias, cx.env().now());
    p.write(&Member("Alias", &alias))
}

pub(crate) fn delete_alias<S: FleetsWorld>(cx: &Context<S>, body: &[u8], p: Protocol) -> Answer {
    let input: AliasIdInput = p.parse(body)?;
    let id = input.validate_with(cx.env().limits())?;
    let mut store = cx.lock();
    let fleets = store.fleets();
    let key = fleets.alias(id)?.alias_id.clone().unwrap_or_default();
    fleets.aliases.remove(&key);
    fleets.changes.record(ALIASES, &key);
    p.write(&json!({}))
}
