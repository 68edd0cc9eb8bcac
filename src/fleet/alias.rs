//! Aliases: a name for a fleet that game sessions and searches use in
//! place of the fleet's id (`CreateAlias`, `UpdateAlias`, `DescribeAlias`,
//! `ListAliases`, `ResolveAlias`, `DeleteAlias`).
//!
//! The rules, from the GameLift API reference (decisions marked):
//!
//! - An alias has a `RoutingStrategy`: `SIMPLE` resolves to one fleet (its
//!   `FleetId`), `TERMINAL` resolves to none, and every request that names
//!   it fails with `TerminalRoutingStrategyException` carrying the
//!   strategy's `Message`. Alias names need not be unique.
//! - **Decision**: a `SIMPLE` strategy without a `FleetId`, or a `TERMINAL`
//!   one without a `Message`, is `InvalidRequestException` (the docs say
//!   each "must" be specified; the model leaves both optional).
//! - `UpdateAlias` changes the members it names and sets
//!   `LastUpdatedTime`; a new `RoutingStrategy` replaces the old whole.
//! - `ListAliases` lists in creation order (**decision**: GameLift
//!   documents none), filtered by `RoutingStrategyType` and by `Name`
//!   (exact), `Limit` per page, and a `NextToken` that names the page's
//!   last alias, as every describe's does.
//! - An alias is named by its id (`alias-...`) or its ARN
//!   (`arn:aws:gamelift:<region>:<account>:alias/alias-...`).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::model::echo::Cut;
use crate::model::enums::{EnumValue, RoutingStrategyType};
use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::paging;
use crate::model::validate::{FieldPath, Validator};

/// The pattern of `RoutingStrategy.FleetId` (the API reference's, which is
/// anchored at its start only).
pub const ROUTING_FLEET_ID_PATTERN: &str = "^[a-z]*fleet-[a-zA-Z0-9\\-]+";
/// The pattern of an alias's name: at least one character that is not
/// white space.
pub const NON_BLANK_PATTERN: &str = ".*\\S.*";
/// The longest alias name or description (`NonZeroAndMaxString`, 1024).
pub const MAX_ALIAS_TEXT: usize = 1024;
/// The longest `RoutingStrategy.FleetId`.
pub const MAX_ROUTING_FLEET_ID: usize = 128;

/// Where an alias routes (`RoutingStrategy`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct RoutingStrategy {
    /// `SIMPLE` or `TERMINAL`.
    pub r#type: Option<EnumValue<RoutingStrategyType>>,
    /// The fleet a `SIMPLE` alias resolves to: its id, not its ARN.
    pub fleet_id: Option<String>,
    /// What a `TERMINAL` alias answers every request that names it.
    pub message: Option<String>,
}

object_only!(RoutingStrategy, wire::RoutingStrategyDef);

impl RoutingStrategy {
    /// A strategy that resolves to `fleet_id`.
    #[must_use]
    pub fn simple(fleet_id: impl Into<String>) -> Self {
        RoutingStrategy {
            r#type: Some(EnumValue::Known(RoutingStrategyType::Simple)),
            fleet_id: Some(fleet_id.into()),
            message: None,
        }
    }

    /// A strategy that resolves to no fleet and answers `message`.
    #[must_use]
    pub fn terminal(message: impl Into<String>) -> Self {
        RoutingStrategy {
            r#type: Some(EnumValue::Known(RoutingStrategyType::Terminal)),
            fleet_id: None,
            message: Some(message.into()),
        }
    }

    fn validate(&self, v: &mut Validator) {
        let type_path = FieldPath::Member("routingStrategy.type");
        if let Some(t) = &self.r#type {
            v.enum_value(type_path, t);
        }
        if let Some(fleet) = &self.fleet_id {
            let path = FieldPath::Member("routingStrategy.fleetId");
            v.length(path, fleet, 1, MAX_ROUTING_FLEET_ID, false);
            v.pattern(path, fleet, ROUTING_FLEET_ID_PATTERN, is_routing_fleet_id);
        }
    }

    /// The rules the model leaves to the service: a type, a fleet for
    /// `SIMPLE`, a message for `TERMINAL`.
    fn check(&self) -> Result<(), GameLiftError> {
        match self.r#type.as_ref().and_then(EnumValue::known) {
            None => Err(GameLiftError::invalid_request(
                "RoutingStrategy needs a Type: SIMPLE or TERMINAL",
            )),
            Some(RoutingStrategyType::Simple) if self.fleet_id.is_none() => Err(
                GameLiftError::invalid_request("A SIMPLE RoutingStrategy needs a FleetId"),
            ),
            Some(RoutingStrategyType::Terminal) if self.message.is_none() => Err(
                GameLiftError::invalid_request("A TERMINAL RoutingStrategy needs a Message"),
            ),
            Some(_) => Ok(()),
        }
    }
}

/// Whether `s` matches [`ROUTING_FLEET_ID_PATTERN`]: a run of lowercase
/// letters ending in `fleet`, a `-`, then at least one of `[a-zA-Z0-9-]`.
fn is_routing_fleet_id(s: &str) -> bool {
    let run = s.bytes().take_while(u8::is_ascii_lowercase).count();
    s[..run].ends_with("fleet")
        && s[run..]
            .strip_prefix('-')
            .and_then(|rest| rest.bytes().next())
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// An alias (`Alias`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct Alias {
    /// Its id: `alias-...`.
    pub alias_id: Option<String>,
    /// Its name; need not be unique.
    pub name: Option<String>,
    /// Its ARN.
    pub alias_arn: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Where it routes.
    pub routing_strategy: Option<RoutingStrategy>,
    /// When it was created.
    pub creation_time: Option<OffsetDateTime>,
    /// When it was last changed.
    pub last_updated_time: Option<OffsetDateTime>,
}

object_only!(Alias, wire::AliasDef);

impl Alias {
    /// Whether `id_or_arn` names this alias: its id or its ARN.
    #[must_use]
    pub fn is_named_by(&self, id_or_arn: &str) -> bool {
        self.alias_id.as_deref() == Some(id_or_arn) || self.alias_arn.as_deref() == Some(id_or_arn)
    }

    /// The fleet this alias resolves to.
    ///
    /// # Errors
    ///
    /// `TerminalRoutingStrategyException` with the strategy's message for a
    /// `TERMINAL` alias.
    ///
    /// ```
    /// use gamelift_session::fleet::{Alias, RoutingStrategy};
    ///
    /// let mut alias = Alias::default();
    /// alias.routing_strategy = Some(RoutingStrategy::simple("fleet-1a2b"));
    /// assert_eq!(alias.resolve()?, "fleet-1a2b");
    ///
    /// alias.routing_strategy = Some(RoutingStrategy::terminal("Season 3 is over: update the game"));
    /// let err = alias.resolve().unwrap_err();
    /// assert_eq!(err.code(), "TerminalRoutingStrategyException");
    /// assert_eq!(err.to_string(), "Season 3 is over: update the game");
    /// # Ok::<(), gamelift_session::GameLiftError>(())
    /// ```
    pub fn resolve(&self) -> Result<&str, GameLiftError> {
        let strategy = self.routing_strategy.as_ref();
        match strategy.and_then(|s| s.r#type.as_ref()?.known()) {
            Some(RoutingStrategyType::Simple) => strategy
                .and_then(|s| s.fleet_id.as_deref())
                .ok_or_else(|| self.unroutable()),
            Some(RoutingStrategyType::Terminal) => Err(GameLiftError::TerminalRoutingStrategy {
                message: strategy.and_then(|s| s.message.clone()).unwrap_or_default(),
            }),
            None => Err(self.unroutable()),
        }
    }

    fn unroutable(&self) -> GameLiftError {
        GameLiftError::invalid_request(format!(
            "Alias {} has no fleet to route to",
            Cut(self.alias_id.as_deref().unwrap_or_default())
        ))
    }
}

/// Finds the alias `id_or_arn` names among `aliases`.
///
/// # Errors
///
/// `NotFoundException` `Alias X not found`.
pub fn find_alias<'a>(
    aliases: impl IntoIterator<Item = &'a Alias>,
    id_or_arn: &str,
) -> Result<&'a Alias, GameLiftError> {
    aliases
        .into_iter()
        .find(|a| a.is_named_by(id_or_arn))
        .ok_or_else(|| GameLiftError::alias_not_found(id_or_arn))
}

/// The fleet the alias `id_or_arn` resolves to, among `aliases`: what an
/// embedder passes as `alias_fleet` to create, describe and search.
///
/// # Errors
///
/// `NotFoundException` for an unknown alias; `TerminalRoutingStrategyException`
/// for a `TERMINAL` one.
pub fn resolve_alias<'a>(
    aliases: impl IntoIterator<Item = &'a Alias>,
    id_or_arn: &str,
) -> Result<&'a str, GameLiftError> {
    find_alias(aliases, id_or_arn)?.resolve()
}

/// What the caller knows when it creates an alias: the Region and account
/// of its ARN, the clock, and a fresh id (`alias-...`).
#[derive(Debug, Clone, Copy)]
pub struct AliasContext<'a> {
    region: &'a str,
    account_id: &'a str,
    now: OffsetDateTime,
    alias_id: &'a str,
}

impl<'a> AliasContext<'a> {
    /// The context of a new alias.
    #[must_use]
    pub fn new(
        region: &'a str,
        account_id: &'a str,
        now: OffsetDateTime,
        alias_id: &'a str,
    ) -> Self {
        AliasContext {
            region,
            account_id,
            now,
            alias_id,
        }
    }
}

/// A request for a new alias (`CreateAliasInput`). `Tags` are accepted and
/// ignored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct CreateAliasInput {
    /// Its name: required, 1 to 1024 characters, not only white space.
    pub name: Option<String>,
    /// Its description: 1 to 1024 characters.
    pub description: Option<String>,
    /// Where it routes: required.
    pub routing_strategy: Option<RoutingStrategy>,
}

object_only!(CreateAliasInput, wire::CreateAliasInputDef);

fn check_name(v: &mut Validator, path: &'static str, name: &str) {
    let path = FieldPath::Member(path);
    v.length(path, name, 1, MAX_ALIAS_TEXT, false);
    v.pattern(path, name, NON_BLANK_PATTERN, |s| {
        s.chars().any(|c| !c.is_whitespace())
    });
}

/// The required `AliasId` of a request: an alias id or ARN.
fn check_alias_id<'a>(v: &mut Validator, id: Option<&'a str>, limits: &Limits) -> Option<&'a str> {
    let path = FieldPath::Member("aliasId");
    let id = v.required(path, id);
    if let Some(id) = id {
        v.alias_id_or_arn(path, id, limits);
    }
    id
}

fn check_description(v: &mut Validator, description: &str) {
    v.length(
        FieldPath::Member("description"),
        description,
        1,
        MAX_ALIAS_TEXT,
        false,
    );
}

impl CreateAliasInput {
    /// A request for an alias named `name` that routes by `strategy`.
    #[must_use]
    pub fn new(name: impl Into<String>, strategy: RoutingStrategy) -> Self {
        CreateAliasInput {
            name: Some(name.into()),
            description: None,
            routing_strategy: Some(strategy),
        }
    }

    /// Validates the request and builds the alias.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException`: every violation of the model, then the
    /// routing rules.
    ///
    /// ```
    /// use gamelift_session::fleet::{AliasContext, CreateAliasInput, RoutingStrategy};
    /// use time::OffsetDateTime;
    ///
    /// let at = AliasContext::new("us-west-2", "123456789012", OffsetDateTime::UNIX_EPOCH, "alias-1");
    /// let alias = CreateAliasInput::new("live", RoutingStrategy::simple("fleet-1a2b")).create(&at)?;
    /// assert_eq!(alias.alias_arn.as_deref(), Some("arn:aws:gamelift:us-west-2:123456789012:alias/alias-1"));
    ///
    /// let err = CreateAliasInput::new(" ", RoutingStrategy::simple("pool-1")).create(&at).unwrap_err();
    /// assert_eq!(err.to_string(), "2 validation errors detected: \
    ///     Value ' ' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*; \
    ///     Value 'pool-1' at 'routingStrategy.fleetId' failed to satisfy constraint: \
    ///     Member must satisfy regular expression pattern: ^[a-z]*fleet-[a-zA-Z0-9\\-]+");
    /// # Ok::<(), gamelift_session::GameLiftError>(())
    /// ```
    pub fn create(&self, context: &AliasContext<'_>) -> Result<Alias, GameLiftError> {
        let mut v = Validator::default();
        if let Some(name) = v.required(FieldPath::Member("name"), self.name.as_deref()) {
            check_name(&mut v, "name", name);
        }
        if let Some(description) = &self.description {
            check_description(&mut v, description);
        }
        let strategy = v.required(
            FieldPath::Member("routingStrategy"),
            self.routing_strategy.as_ref(),
        );
        if let Some(strategy) = strategy {
            strategy.validate(&mut v);
        }
        v.finish()?;
        if let Some(strategy) = strategy {
            strategy.check()?;
        }
        Ok(Alias {
            alias_id: Some(context.alias_id.to_owned()),
            name: self.name.clone(),
            alias_arn: Some(format!(
                "arn:aws:gamelift:{}:{}:alias/{}",
                context.region, context.account_id, context.alias_id
            )),
            description: self.description.clone(),
            routing_strategy: self.routing_strategy.clone(),
            creation_time: Some(context.now),
            last_updated_time: Some(context.now),
        })
    }
}

/// A request naming one alias: `DescribeAlias`, `ResolveAlias` and
/// `DeleteAlias` (`DescribeAliasInput`, `ResolveAliasInput`,
/// `DeleteAliasInput`: the same one member).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct AliasIdInput {
    /// The alias: its id or ARN, required.
    pub alias_id: Option<String>,
}

object_only!(AliasIdInput, wire::AliasIdInputDef);

impl AliasIdInput {
    /// A request naming `alias_id`.
    #[must_use]
    pub fn new(alias_id: impl Into<String>) -> Self {
        AliasIdInput {
            alias_id: Some(alias_id.into()),
        }
    }

    /// Validates the request: the alias id it names.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for a missing or malformed `AliasId`.
    pub fn validate_with(&self, limits: &Limits) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        let id = check_alias_id(&mut v, self.alias_id.as_deref(), limits);
        v.finish()?;
        Ok(id.unwrap_or_default())
    }
}

/// A request to change an alias (`UpdateAliasInput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct UpdateAliasInput {
    /// The alias: its id or ARN, required.
    pub alias_id: Option<String>,
    /// A new name.
    pub name: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// A new routing strategy, replacing the old whole.
    pub routing_strategy: Option<RoutingStrategy>,
}

object_only!(UpdateAliasInput, wire::UpdateAliasInputDef);

impl UpdateAliasInput {
    /// A request to change `alias_id`; set the members to change.
    #[must_use]
    pub fn new(alias_id: impl Into<String>) -> Self {
        UpdateAliasInput {
            alias_id: Some(alias_id.into()),
            ..UpdateAliasInput::default()
        }
    }

    /// Validates the request: the alias id it names.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException`: every violation of the model, then the
    /// routing rules.
    pub fn validate_with(&self, limits: &Limits) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        let id = check_alias_id(&mut v, self.alias_id.as_deref(), limits);
        if let Some(name) = &self.name {
            check_name(&mut v, "name", name);
        }
        if let Some(description) = &self.description {
            check_description(&mut v, description);
        }
        if let Some(strategy) = &self.routing_strategy {
            strategy.validate(&mut v);
        }
        v.finish()?;
        if let Some(strategy) = &self.routing_strategy {
            strategy.check()?;
        }
        Ok(id.unwrap_or_default())
    }

    /// Applies the validated request to `alias` at `now`.
    pub fn apply(&self, alias: &mut Alias, now: OffsetDateTime) {
        if let Some(name) = &self.name {
            alias.name = Some(name.clone());
        }
        if let Some(description) = &self.description {
            alias.description = Some(description.clone());
        }
        if let Some(strategy) = &self.routing_strategy {
            alias.routing_strategy = Some(strategy.clone());
        }
        alias.last_updated_time = Some(now);
    }
}

/// A request to list aliases (`ListAliasesInput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct ListAliasesInput {
    /// Only aliases of this routing type.
    pub routing_strategy_type: Option<EnumValue<RoutingStrategyType>>,
    /// Only aliases of this exact name.
    pub name: Option<String>,
    /// The page size: at least 1.
    pub limit: Option<i32>,
    /// Where the page starts: the previous page's token.
    pub next_token: Option<String>,
}

object_only!(ListAliasesInput, wire::ListAliasesInputDef);

/// The aliases of a page (`ListAliasesOutput`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListAliasesOutput<'a> {
    /// The page.
    pub aliases: Vec<&'a Alias>,
    /// The token of the next page, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl ListAliasesInput {
    /// Validates the request and lists one page of `aliases` (in creation
    /// order).
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for every violation, or a `NextToken`
    /// naming no alias.
    pub fn select<'a>(
        &self,
        aliases: impl IntoIterator<Item = &'a Alias>,
        limits: &Limits,
    ) -> Result<ListAliasesOutput<'a>, GameLiftError> {
        let mut v = Validator::default();
        if let Some(t) = &self.routing_strategy_type {
            v.enum_value(FieldPath::Member("routingStrategyType"), t);
        }
        if let Some(name) = &self.name {
            v.length(FieldPath::Member("name"), name, 1, MAX_ALIAS_TEXT, false);
        }
        paging::check(&mut v, self.limit, self.next_token.as_deref(), limits);
        v.finish()?;
        let kind = self
            .routing_strategy_type
            .as_ref()
            .and_then(EnumValue::known);
        let items = aliases.into_iter().map(|a| {
            let of_kind = kind.is_none_or(|k| {
                a.routing_strategy
                    .as_ref()
                    .and_then(|s| s.r#type.as_ref()?.known())
                    == Some(k)
            });
            let named = self
                .name
                .as_deref()
                .is_none_or(|n| a.name.as_deref() == Some(n));
            (a.alias_id.as_deref(), (of_kind && named).then_some(a))
        });
        let size = paging::size(self.limit, limits.default_describe_page_size);
        let (aliases, next_token) = paging::page_after(items, self.next_token.as_deref(), size)?;
        Ok(ListAliasesOutput {
            aliases,
            next_token,
        })
    }
}

/// The serde twins of the shapes.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "RoutingStrategy", rename_all = "PascalCase")]
    pub(super) struct RoutingStrategyDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        r#type: Option<EnumValue<RoutingStrategyType>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "Alias", rename_all = "PascalCase")]
    pub(super) struct AliasDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alias_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alias_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        routing_strategy: Option<RoutingStrategy>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        creation_time: Option<OffsetDateTime>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        last_updated_time: Option<OffsetDateTime>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "CreateAliasInput", rename_all = "PascalCase")]
    pub(super) struct CreateAliasInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        routing_strategy: Option<RoutingStrategy>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "AliasIdInput", rename_all = "PascalCase")]
    pub(super) struct AliasIdInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alias_id: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "UpdateAliasInput", rename_all = "PascalCase")]
    pub(super) struct UpdateAliasInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alias_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        routing_strategy: Option<RoutingStrategy>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "ListAliasesInput", rename_all = "PascalCase")]
    pub(super) struct ListAliasesInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        routing_strategy_type: Option<EnumValue<RoutingStrategyType>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }
}
