//! Matchmaking rule sets and configurations as resources:
//! `CreateMatchmakingRuleSet`, `ValidateMatchmakingRuleSet`,
//! `DescribeMatchmakingRuleSets`, `DeleteMatchmakingRuleSet`, and
//! `CreateMatchmakingConfiguration` with its describe, update and delete.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::model::echo::Cut;
use crate::model::enums::{BackfillMode, EnumValue, FlexMatchMode};
use crate::model::error::GameLiftError;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::paging;
use crate::model::shapes::GamePropertyInput;
use crate::model::shapes::{GameProperty, redact};
use crate::model::validate::{FieldPath, Validator};

/// The longest rule set or configuration name (`MatchmakingIdStringModel`).
pub const MAX_MATCHMAKING_NAME: usize = 128;
/// The longest rule set or configuration name or ARN.
pub(crate) const MAX_MATCHMAKING_NAME_OR_ARN: usize = 256;
/// The longest `RuleSetBody`.
pub const MAX_RULE_SET_BODY: usize = 65_535;
/// The pattern of a matchmaking name or ticket id.
pub(crate) const MATCHMAKING_ID_PATTERN: &str = "^[a-zA-Z0-9-\\.]*$";
/// The longest `RequestTimeoutSeconds`.
pub const MAX_REQUEST_TIMEOUT_SECONDS: i32 = 43_200;
/// The longest `AcceptanceTimeoutSeconds`.
pub const MAX_ACCEPTANCE_TIMEOUT_SECONDS: i32 = 600;

/// Whether `s` fits `^[a-zA-Z0-9-\.]*$`.
pub(crate) fn is_matchmaking_id(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// The name an ARN of `kind` (`matchmakingruleset`, `matchmakingconfiguration`) names, or the name itself.
pub(crate) fn name_of<'a>(name_or_arn: &'a str, kind: &str) -> &'a str {
    if name_or_arn.starts_with("arn:")
        && let Some((head, name)) = name_or_arn.rsplit_once('/')
        && head.ends_with(kind)
    {
        return name;
    }
    name_or_arn
}

fn check_name(v: &mut Validator, member: &'static str, name: Option<&str>) {
    let path = FieldPath::Member(member);
    if let Some(name) = v.required(path, name) {
        v.length(path, name, 0, MAX_MATCHMAKING_NAME, false);
        v.pattern(path, name, MATCHMAKING_ID_PATTERN, is_matchmaking_id);
    }
}

fn check_name_or_arn(v: &mut Validator, path: FieldPath, name: &str, kind: &str) {
    v.length(path, name, 1, MAX_MATCHMAKING_NAME_OR_ARN, false);
    let pattern: &'static str = if kind == "matchmakingruleset" {
        "^([a-zA-Z0-9-\\.]*|arn:.*:matchmakingruleset\\/[a-zA-Z0-9-\\.]*)$"
    } else {
        "^([a-zA-Z0-9-\\.]*|arn:.*:matchmakingconfiguration\\/[a-zA-Z0-9-\\.]*)$"
    };
    let fits = |s: &str| {
        is_matchmaking_id(name_of(s, kind)) && (is_matchmaking_id(s) || s.starts_with("arn:"))
    };
    if !fits(name) {
        v.pattern(path, name, pattern, |_| false);
    }
}

/// A rule set resource (`MatchmakingRuleSet`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MatchmakingRuleSet {
    /// Its name.
    pub rule_set_name: Option<String>,
    /// Its ARN.
    pub rule_set_arn: Option<String>,
    /// The rule set, as written.
    pub rule_set_body: Option<String>,
    /// When it was made.
    pub creation_time: Option<OffsetDateTime>,
}

object_only!(MatchmakingRuleSet, wire::RuleSetDef);

impl MatchmakingRuleSet {
    /// Whether `name_or_arn` names it.
    #[must_use]
    pub fn is_named_by(&self, name_or_arn: &str) -> bool {
        self.rule_set_name.as_deref() == Some(name_of(name_or_arn, "matchmakingruleset"))
    }
}

/// `NotFoundException` for a rule set no rule set has.
#[must_use]
pub fn rule_set_not_found(name: &str) -> GameLiftError {
    GameLiftError::not_found(format!(
        "Matchmaking rule set {} not found",
        Cut(name_of(name, "matchmakingruleset"))
    ))
}

/// `NotFoundException` for a configuration no configuration has.
#[must_use]
pub fn configuration_not_found(name: &str) -> GameLiftError {
    GameLiftError::not_found(format!(
        "Matchmaking configuration {} not found",
        Cut(name_of(name, "matchmakingconfiguration"))
    ))
}

/// `InvalidRequestException` for a rule set body that cannot be read:
/// `Invalid rule set: <why>`.
#[must_use]
pub fn invalid_rule_set(why: impl fmt::Display) -> GameLiftError {
    GameLiftError::invalid_request(format!("Invalid rule set: {why}"))
}

/// A request for a rule set (`CreateMatchmakingRuleSetInput`), or to
/// validate one (`ValidateMatchmakingRuleSetInput`, without a name).
/// `Tags` are accepted and ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CreateMatchmakingRuleSetInput {
    /// Its name: required for a create, 0 to 128 of `[a-zA-Z0-9-.]`.
    pub name: Option<String>,
    /// The rule set's JSON: required, 1 to 65,535 characters.
    pub rule_set_body: Option<String>,
}

object_only!(CreateMatchmakingRuleSetInput, wire::CreateRuleSetDef);

impl CreateMatchmakingRuleSetInput {
    /// A request for the rule set `name` of `body`.
    #[must_use]
    pub fn new(name: impl Into<String>, body: impl Into<String>) -> Self {
        CreateMatchmakingRuleSetInput {
            name: Some(name.into()),
            rule_set_body: Some(body.into()),
        }
    }

    /// Validates the request's members (`named`: a create, which needs a
    /// name; else a validate) and answers the body, for the caller to read
    /// as a [`RuleSet`](super::RuleSet) (and to report with
    /// [`invalid_rule_set`]).
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate(&self, named: bool) -> Result<&str, GameLiftError> {
        let mut v = Validator::default();
        if named {
            check_name(&mut v, "name", self.name.as_deref());
        }
        let path = FieldPath::Member("ruleSetBody");
        if let Some(body) = v.required(path, self.rule_set_body.as_deref()) {
            v.length(path, body, 1, MAX_RULE_SET_BODY, true);
        }
        v.finish()?;
        Ok(self.rule_set_body.as_deref().unwrap_or_default())
    }

    /// The rule set resource, once the body was read, in `region` of
    /// `account_id` at `now`.
    #[must_use]
    pub fn resource(
        &self,
        region: &str,
        account_id: &str,
        now: OffsetDateTime,
    ) -> MatchmakingRuleSet {
        let name = self.name.clone().unwrap_or_default();
        MatchmakingRuleSet {
            rule_set_arn: Some(format!(
                "arn:aws:gamelift:{region}:{account_id}:matchmakingruleset/{name}"
            )),
            rule_set_name: Some(name),
            rule_set_body: self.rule_set_body.clone(),
            creation_time: Some(now),
        }
    }
}

/// A request naming rule sets (`DescribeMatchmakingRuleSetsInput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DescribeMatchmakingRuleSetsInput {
    /// The rule sets, by name or ARN (1 to 10); all when absent.
    pub names: Option<Vec<String>>,
    /// The page size: 1 to 10.
    pub limit: Option<i32>,
    /// Where the page starts.
    pub next_token: Option<String>,
}

object_only!(DescribeMatchmakingRuleSetsInput, wire::DescribeRuleSetsDef);

/// The answer to `DescribeMatchmakingRuleSets`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribeMatchmakingRuleSetsOutput<'a> {
    /// The rule sets of the page.
    pub rule_sets: Vec<&'a MatchmakingRuleSet>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl DescribeMatchmakingRuleSetsInput {
    /// Validates the request and answers one page of `rule_sets` (every
    /// rule set, in creation order).
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation or for a token
    /// naming no rule set; `NotFoundException` for a name no rule set has
    /// (**decision**: the first such name).
    pub fn select<'a, I>(
        &self,
        rule_sets: I,
        limits: &Limits,
    ) -> Result<DescribeMatchmakingRuleSetsOutput<'a>, GameLiftError>
    where
        I: IntoIterator<Item = &'a MatchmakingRuleSet>,
        I::IntoIter: Clone,
    {
        let rule_sets = rule_sets.into_iter();
        let mut v = Validator::default();
        if let Some(names) = &self.names {
            v.list_length(FieldPath::Member("names"), names.len(), 1, 10);
            for (i, name) in names.iter().enumerate() {
                let path = FieldPath::Element {
                    list: "names",
                    index: i + 1,
                };
                check_name_or_arn(&mut v, path, name, "matchmakingruleset");
            }
        }
        if let Some(limit) = self.limit {
            v.max_value(FieldPath::Member("limit"), i64::from(limit), 10);
        }
        paging::check(&mut v, self.limit, self.next_token.as_deref(), limits);
        v.finish()?;
        if let Some(missing) = self
            .names
            .iter()
            .flatten()
            .find(|n| !rule_sets.clone().any(|r| r.is_named_by(n)))
        {
            return Err(rule_set_not_found(missing));
        }
        let (page, next_token) = paging::page_of(
            rule_sets,
            |r| r.rule_set_name.as_deref(),
            |r| {
                self.names
                    .as_ref()
                    .is_none_or(|names| names.iter().any(|n| r.is_named_by(n)))
            },
            (self.limit, 10),
            self.next_token.as_deref(),
        )?;
        Ok(DescribeMatchmakingRuleSetsOutput {
            rule_sets: page,
            next_token,
        })
    }
}

/// A request naming one rule set or configuration by name or ARN
/// (`DeleteMatchmakingRuleSetInput`, `DeleteMatchmakingConfigurationInput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MatchmakingNameInput {
    /// The name or ARN: required.
    pub name: Option<String>,
}

object_only!(MatchmakingNameInput, wire::NameDef);

impl MatchmakingNameInput {
    /// Validates the request for a rule set (`configuration` false) or a
    /// configuration; answers the name it gives.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate(&self, configuration: bool) -> Result<&str, GameLiftError> {
        let kind = if configuration {
            "matchmakingconfiguration"
        } else {
            "matchmakingruleset"
        };
        let mut v = Validator::default();
        let path = FieldPath::Member("name");
        if let Some(name) = v.required(path, self.name.as_deref()) {
            check_name_or_arn(&mut v, path, name, kind);
        }
        v.finish()?;
        Ok(name_of(self.name.as_deref().unwrap_or_default(), kind))
    }
}

/// A matchmaking configuration (`MatchmakingConfiguration`).
#[derive(Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct MatchmakingConfiguration {
    /// Its name.
    pub name: Option<String>,
    /// Its ARN.
    pub configuration_arn: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// The queues that place its matches (`WITH_QUEUE`).
    pub game_session_queue_arns: Option<Vec<String>>,
    /// How long a ticket may search, in seconds.
    pub request_timeout_seconds: Option<i32>,
    /// How long players have to accept, in seconds.
    pub acceptance_timeout_seconds: Option<i32>,
    /// Whether players must accept a match.
    pub acceptance_required: Option<bool>,
    /// Its rule set's name.
    pub rule_set_name: Option<String>,
    /// Its rule set's ARN.
    pub rule_set_arn: Option<String>,
    /// Where events go: kept, never sent.
    pub notification_target: Option<String>,
    /// Players to leave room for in each game session.
    pub additional_player_count: Option<i32>,
    /// Data for events: kept.
    pub custom_event_data: Option<String>,
    /// When it was made.
    pub creation_time: Option<OffsetDateTime>,
    /// The properties of each game session it makes.
    pub game_properties: Option<Vec<GameProperty>>,
    /// The data of each game session it makes; sensitive.
    pub game_session_data: Option<String>,
    /// `AUTOMATIC` or `MANUAL`.
    pub backfill_mode: Option<BackfillMode>,
    /// `STANDALONE` or `WITH_QUEUE`.
    pub flex_match_mode: Option<FlexMatchMode>,
}

object_only!(MatchmakingConfiguration, wire::ConfigurationDef);

impl fmt::Debug for MatchmakingConfiguration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatchmakingConfiguration")
            .field("name", &self.name)
            .field("rule_set_name", &self.rule_set_name)
            .field("flex_match_mode", &self.flex_match_mode)
            .field("acceptance_required", &self.acceptance_required)
            .field(
                "game_session_data",
                &redact(self.game_session_data.as_ref()),
            )
            .finish_non_exhaustive()
    }
}

impl MatchmakingConfiguration {
    /// Whether `name_or_arn` names it.
    #[must_use]
    pub fn is_named_by(&self, name_or_arn: &str) -> bool {
        self.name.as_deref() == Some(name_of(name_or_arn, "matchmakingconfiguration"))
    }

    /// Whether its matches get a game session through its queue.
    #[must_use]
    pub fn with_queue(&self) -> bool {
        self.flex_match_mode != Some(FlexMatchMode::Standalone)
    }

    /// The name of the queue that places its matches: the first of
    /// `GameSessionQueueArns`.
    #[must_use]
    pub fn queue(&self) -> Option<&str> {
        let arn = self.game_session_queue_arns.as_ref()?.first()?;
        Some(crate::placement::queue::queue_name_of(arn))
    }
}

/// A request for a configuration, or to change one
/// (`CreateMatchmakingConfigurationInput`,
/// `UpdateMatchmakingConfigurationInput`). `Tags` are accepted and ignored.
#[derive(Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct MatchmakingConfigurationInput {
    /// Its name (a create) or its name or ARN (an update): required.
    pub name: Option<String>,
    /// What it is for: 1 to 1024 characters.
    pub description: Option<String>,
    /// Queue ARNs: required with `WITH_QUEUE` (**decision**: one at least).
    pub game_session_queue_arns: Option<Vec<String>>,
    /// 1 to 43,200: required for a create.
    pub request_timeout_seconds: Option<i32>,
    /// 1 to 600: required (**decision**) when acceptance is.
    pub acceptance_timeout_seconds: Option<i32>,
    /// Required for a create.
    pub acceptance_required: Option<bool>,
    /// The rule set, by name or ARN: required for a create.
    pub rule_set_name: Option<String>,
    /// 0 to 300 characters.
    pub notification_target: Option<String>,
    /// At least 0.
    pub additional_player_count: Option<i32>,
    /// 0 to 256 characters.
    pub custom_event_data: Option<String>,
    /// Up to 16 properties.
    pub game_properties: Option<Vec<GamePropertyInput>>,
    /// 1 to 4096 characters; sensitive.
    pub game_session_data: Option<String>,
    /// `AUTOMATIC` or `MANUAL`.
    pub backfill_mode: Option<EnumValue<BackfillMode>>,
    /// `STANDALONE` or `WITH_QUEUE` (the default).
    pub flex_match_mode: Option<EnumValue<FlexMatchMode>>,
}

object_only!(MatchmakingConfigurationInput, wire::ConfigurationInputDef);

impl fmt::Debug for MatchmakingConfigurationInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatchmakingConfigurationInput")
            .field("name", &self.name)
            .field("rule_set_name", &self.rule_set_name)
            .field(
                "game_session_data",
                &redact(self.game_session_data.as_ref()),
            )
            .finish_non_exhaustive()
    }
}

impl MatchmakingConfigurationInput {
    /// A create request for `name` over the rule set `rule_set`, with the
    /// request timeout and no acceptance.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        rule_set: impl Into<String>,
        request_timeout_seconds: i32,
    ) -> Self {
        MatchmakingConfigurationInput {
            name: Some(name.into()),
            rule_set_name: Some(rule_set.into()),
            request_timeout_seconds: Some(request_timeout_seconds),
            acceptance_required: Some(false),
            ..MatchmakingConfigurationInput::default()
        }
    }

    /// Validates the request: a create (`create`) needs its name, timeout,
    /// acceptance and rule set; an update needs only a name or ARN.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation.
    pub fn validate(&self, create: bool, limits: &Limits) -> Result<(), GameLiftError> {
        let mut v = Validator::default();
        if create {
            check_name(&mut v, "name", self.name.as_deref());
        } else {
            let path = FieldPath::Member("name");
            if let Some(name) = v.required(path, self.name.as_deref()) {
                check_name_or_arn(&mut v, path, name, "matchmakingconfiguration");
            }
        }
        if let Some(d) = &self.description {
            v.length(FieldPath::Member("description"), d, 1, 1024, false);
        }
        for (i, arn) in self.game_session_queue_arns.iter().flatten().enumerate() {
            let path = FieldPath::Element {
                list: "gameSessionQueueArns",
                index: i + 1,
            };
            v.arn_string(path, arn, limits);
        }
        let path = FieldPath::Member("requestTimeoutSeconds");
        let timeout = if create {
            v.required(path, self.request_timeout_seconds.as_ref())
        } else {
            self.request_timeout_seconds.as_ref()
        };
        if let Some(&t) = timeout {
            v.min_value(path, i64::from(t), 1);
            v.max_value(path, i64::from(t), i64::from(MAX_REQUEST_TIMEOUT_SECONDS));
        }
        if let Some(t) = self.acceptance_timeout_seconds {
            let path = FieldPath::Member("acceptanceTimeoutSeconds");
            v.min_value(path, i64::from(t), 1);
            v.max_value(
                path,
                i64::from(t),
                i64::from(MAX_ACCEPTANCE_TIMEOUT_SECONDS),
            );
        }
        if create {
            v.required(
                FieldPath::Member("acceptanceRequired"),
                self.acceptance_required.as_ref(),
            );
        }
        let path = FieldPath::Member("ruleSetName");
        let rule_set = if create {
            v.required(path, self.rule_set_name.as_deref())
        } else {
            self.rule_set_name.as_deref()
        };
        if let Some(r) = rule_set {
            check_name_or_arn(&mut v, path, r, "matchmakingruleset");
        }
        if let Some(t) = &self.notification_target {
            v.length(FieldPath::Member("notificationTarget"), t, 0, 300, false);
        }
        if let Some(n) = self.additional_player_count {
            v.min_value(FieldPath::Member("additionalPlayerCount"), i64::from(n), 0);
        }
        if let Some(d) = &self.custom_event_data {
            v.length(FieldPath::Member("customEventData"), d, 0, 256, false);
        }
        if let Some(p) = &self.game_properties {
            v.game_properties("gameProperties", p, limits);
        }
        if let Some(d) = &self.game_session_data {
            v.length(
                FieldPath::Member("gameSessionData"),
                d,
                1,
                limits.max_game_session_data_length,
                true,
            );
        }
        if let Some(m) = &self.backfill_mode {
            v.enum_value(FieldPath::Member("backfillMode"), m);
        }
        if let Some(m) = &self.flex_match_mode {
            v.enum_value(FieldPath::Member("flexMatchMode"), m);
        }
        v.finish()?;
        Ok(())
    }

    /// The configuration a validated create makes, in `region` of
    /// `account_id` at `now`, over the rule set `rule_set`.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` for a `WITH_QUEUE` configuration without
    /// a queue, or acceptance without its timeout (both **decisions**), or
    /// `AUTOMATIC` backfill with `STANDALONE` (the model's docs).
    pub fn create(
        &self,
        rule_set: &MatchmakingRuleSet,
        region: &str,
        account_id: &str,
        now: OffsetDateTime,
    ) -> Result<MatchmakingConfiguration, GameLiftError> {
        let name = self.name.clone().unwrap_or_default();
        let mut c = MatchmakingConfiguration {
            configuration_arn: Some(format!(
                "arn:aws:gamelift:{region}:{account_id}:matchmakingconfiguration/{name}"
            )),
            name: Some(name),
            creation_time: Some(now),
            flex_match_mode: Some(FlexMatchMode::WithQueue),
            backfill_mode: Some(BackfillMode::Manual),
            additional_player_count: Some(0),
            ..MatchmakingConfiguration::default()
        };
        self.apply(&mut c, rule_set)?;
        Ok(c)
    }

    /// Applies a validated update to `c`; `rule_set` is the rule set the
    /// request names, or `c`'s own.
    ///
    /// # Errors
    ///
    /// As [`MatchmakingConfigurationInput::create`]; `c` is unchanged.
    pub fn apply(
        &self,
        c: &mut MatchmakingConfiguration,
        rule_set: &MatchmakingRuleSet,
    ) -> Result<(), GameLiftError> {
        let mut next = c.clone();
        let set = |to: &mut Option<String>, from: &Option<String>| {
            if from.is_some() {
                to.clone_from(from);
            }
        };
        set(&mut next.description, &self.description);
        if self.game_session_queue_arns.is_some() {
            next.game_session_queue_arns
                .clone_from(&self.game_session_queue_arns);
        }
        next.request_timeout_seconds = self
            .request_timeout_seconds
            .or(next.request_timeout_seconds);
        next.acceptance_timeout_seconds = self
            .acceptance_timeout_seconds
            .or(next.acceptance_timeout_seconds);
        next.acceptance_required = self.acceptance_required.or(next.acceptance_required);
        next.rule_set_name.clone_from(&rule_set.rule_set_name);
        next.rule_set_arn.clone_from(&rule_set.rule_set_arn);
        set(&mut next.notification_target, &self.notification_target);
        next.additional_player_count = self
            .additional_player_count
            .or(next.additional_player_count);
        set(&mut next.custom_event_data, &self.custom_event_data);
        if let Some(p) = &self.game_properties {
            next.game_properties = Some(crate::game_session::update::merged_properties(p));
        }
        set(&mut next.game_session_data, &self.game_session_data);
        if let Some(m) = self.backfill_mode.as_ref().and_then(EnumValue::known) {
            next.backfill_mode = Some(m);
        }
        if let Some(m) = self.flex_match_mode.as_ref().and_then(EnumValue::known) {
            next.flex_match_mode = Some(m);
        }
        if next.with_queue()
            && next
                .game_session_queue_arns
                .as_ref()
                .is_none_or(Vec::is_empty)
        {
            return Err(GameLiftError::invalid_request(
                "A WITH_QUEUE matchmaking configuration needs at least one GameSessionQueueArns entry",
            ));
        }
        if !next.with_queue() && next.backfill_mode == Some(BackfillMode::Automatic) {
            // The model's docs: "Automatic backfill is not available when
            // FlexMatchMode is set to STANDALONE."
            return Err(GameLiftError::invalid_request(
                "BackfillMode AUTOMATIC is not available when FlexMatchMode is STANDALONE",
            ));
        }
        if next.acceptance_required == Some(true) && next.acceptance_timeout_seconds.is_none() {
            return Err(GameLiftError::invalid_request(
                "AcceptanceTimeoutSeconds is required when AcceptanceRequired is true",
            ));
        }
        *c = next;
        Ok(())
    }
}

/// A request for configurations (`DescribeMatchmakingConfigurationsInput`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DescribeMatchmakingConfigurationsInput {
    /// The configurations, by name or ARN; all when absent.
    pub names: Option<Vec<String>>,
    /// Only those of this rule set.
    pub rule_set_name: Option<String>,
    /// The page size: at least 1.
    pub limit: Option<i32>,
    /// Where the page starts.
    pub next_token: Option<String>,
}

object_only!(
    DescribeMatchmakingConfigurationsInput,
    wire::DescribeConfigurationsDef
);

/// The answer to `DescribeMatchmakingConfigurations`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DescribeMatchmakingConfigurationsOutput<'a> {
    /// The configurations of the page.
    pub configurations: Vec<&'a MatchmakingConfiguration>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl DescribeMatchmakingConfigurationsInput {
    /// Validates the request and answers one page of `configurations`;
    /// names that no configuration has are left out.
    ///
    /// # Errors
    ///
    /// `InvalidRequestException` with every violation or for a token
    /// naming no configuration.
    pub fn select<'a>(
        &self,
        configurations: impl IntoIterator<Item = &'a MatchmakingConfiguration>,
        limits: &Limits,
    ) -> Result<DescribeMatchmakingConfigurationsOutput<'a>, GameLiftError> {
        let mut v = Validator::default();
        for (i, name) in self.names.iter().flatten().enumerate() {
            let path = FieldPath::Element {
                list: "names",
                index: i + 1,
            };
            check_name_or_arn(&mut v, path, name, "matchmakingconfiguration");
        }
        if let Some(r) = &self.rule_set_name {
            check_name_or_arn(
                &mut v,
                FieldPath::Member("ruleSetName"),
                r,
                "matchmakingruleset",
            );
        }
        paging::check(&mut v, self.limit, self.next_token.as_deref(), limits);
        v.finish()?;
        let rule_set = self
            .rule_set_name
            .as_deref()
            .map(|r| name_of(r, "matchmakingruleset"));
        let (page, next_token) = paging::page_of(
            configurations,
            |c| c.name.as_deref(),
            |c| {
                self.names
                    .as_ref()
                    .is_none_or(|names| names.iter().any(|n| c.is_named_by(n)))
                    && rule_set.is_none_or(|r| c.rule_set_name.as_deref() == Some(r))
            },
            (self.limit, limits.default_describe_page_size),
            self.next_token.as_deref(),
        )?;
        Ok(DescribeMatchmakingConfigurationsOutput {
            configurations: page,
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
    #[serde(remote = "MatchmakingRuleSet", rename_all = "PascalCase")]
    pub(super) struct RuleSetDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule_set_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule_set_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule_set_body: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        creation_time: Option<OffsetDateTime>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "CreateMatchmakingRuleSetInput", rename_all = "PascalCase")]
    pub(super) struct CreateRuleSetDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule_set_body: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "DescribeMatchmakingRuleSetsInput", rename_all = "PascalCase")]
    pub(super) struct DescribeRuleSetsDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        names: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "MatchmakingNameInput", rename_all = "PascalCase")]
    pub(super) struct NameDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "MatchmakingConfiguration", rename_all = "PascalCase")]
    pub(super) struct ConfigurationDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        configuration_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_queue_arns: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_timeout_seconds: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acceptance_timeout_seconds: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acceptance_required: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule_set_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule_set_arn: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notification_target: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional_player_count: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        custom_event_data: Option<String>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::model::timestamp::option"
        )]
        creation_time: Option<OffsetDateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_properties: Option<Vec<GameProperty>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        backfill_mode: Option<BackfillMode>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        flex_match_mode: Option<FlexMatchMode>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "MatchmakingConfigurationInput", rename_all = "PascalCase")]
    pub(super) struct ConfigurationInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_queue_arns: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_timeout_seconds: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acceptance_timeout_seconds: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acceptance_required: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule_set_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notification_target: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional_player_count: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        custom_event_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_properties: Option<Vec<GamePropertyInput>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        backfill_mode: Option<EnumValue<BackfillMode>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        flex_match_mode: Option<EnumValue<FlexMatchMode>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(
        remote = "DescribeMatchmakingConfigurationsInput",
        rename_all = "PascalCase"
    )]
    pub(super) struct DescribeConfigurationsDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        names: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule_set_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_token: Option<String>,
    }
}
