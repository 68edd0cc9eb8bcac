//! The alias operations the emulator serves: `CreateAlias`, `DescribeAlias`,
//! `ListAliases`, `ResolveAlias`, `UpdateAlias` and `DeleteAlias`. Every
//! rule is the crate's (`gamelift_session::fleet::Alias`); this module keeps the
//! aliases in the store, in creation order, and gives them ids.

use std::sync::atomic::Ordering;

use gamelift_session::{
    GameLiftError,
    fleet::{
        AliasContext, AliasIdInput, CreateAliasInput, ListAliasesInput, UpdateAliasInput,
        find_alias,
    },
};
use serde_json::json;

use crate::protocol::{Member, Protocol};
use crate::service::{ACCOUNT_ID, Answer, Emulator};

impl Emulator {
    /// A fresh alias id in AWS's form: `alias-` and a UUID-shaped hex id.
    fn fresh_alias_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let nanos =
            u128::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos()).unwrap_or(0);
        let hex = format!("{nanos:020x}{n:012x}");
        format!(
            "alias-{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    pub(crate) fn alias_call(&self, operation: &str, body: &[u8], p: Protocol) -> Option<Answer> {
        let limits = &self.settings().limits;
        Some(match operation {
            "CreateAlias" => (|| {
                let input: CreateAliasInput = p.parse(body)?;
                let id = self.fresh_alias_id();
                let region = &self.settings().region;
                let alias =
                    input.create(&AliasContext::new(region, ACCOUNT_ID, self.now(), &id))?;
                let answer = p.write(&Member("Alias", &alias))?;
                self.store().insert_alias(alias);
                Ok(answer)
            })(),
            "DescribeAlias" => (|| {
                let input: AliasIdInput = p.parse(body)?;
                let id = input.validate_with(limits)?;
                let store = self.store();
                p.write(&Member("Alias", &find_alias(&store.aliases, id)?))
            })(),
            "ResolveAlias" => (|| {
                let input: AliasIdInput = p.parse(body)?;
                let id = input.validate_with(limits)?;
                let store = self.store();
                let fleet = find_alias(&store.aliases, id)?.resolve()?;
                let arn = format!(
                    "arn:aws:gamelift:{}:{ACCOUNT_ID}:fleet/{fleet}",
                    self.settings().region
                );
                p.write(&json!({ "FleetId": fleet, "FleetArn": arn }))
            })(),
            "ListAliases" => (|| {
                let input: ListAliasesInput = p.parse(body)?;
                let store = self.store();
                p.write(&input.select(&store.aliases, limits)?)
            })(),
            "UpdateAlias" => (|| {
                let input: UpdateAliasInput = p.parse(body)?;
                let id = input.validate_with(limits)?;
                let mut store = self.store();
                let alias = store.alias_mut(id)?;
                input.apply(alias, self.now());
                p.write(&Member("Alias", &alias))
            })(),
            "DeleteAlias" => (|| {
                let input: AliasIdInput = p.parse(body)?;
                let id = input.validate_with(limits)?;
                self.store().delete_alias(id)?;
                p.write(&json!({}))
            })(),
            _ => return None,
        })
    }

    /// The fleet `alias` resolves to now.
    pub(crate) fn alias_fleet(&self, alias: &str) -> Result<String, GameLiftError> {
        let store = self.store();
        Ok(find_alias(&store.aliases, alias)?.resolve()?.to_owned())
    }
}
