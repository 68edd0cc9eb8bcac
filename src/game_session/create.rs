//! Creating a game session: `CreateGameSessionInput` and the new session.
//!
//! The crate holds no fleets, no clock and no id generator; the caller
//! supplies what a service knows in a [`CreateContext`], and
//! [`create_game_session`] validates the request and builds the session in
//! status `ACTIVATING`, as GameLift does until the game server reports in.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::game_session::update::{Warning, merged_properties, property_warnings};
use crate::model::enums::{GameSessionStatus, PlayerSessionCreationPolicy, ProtectionPolicy};
use crate::model::error::GameLiftError;
use crate::model::ids::fleet_id_of;
use crate::model::limits::Limits;
use crate::model::object::object_only;
use crate::model::shapes::GamePropertyInput;
use crate::model::shapes::{GameSession, GameSessionDetail, REDACTED};
use crate::model::validate::{FieldPath, ValidationErrors, Validator};

/// A request to start a game session (`CreateGameSessionInput`).
///
/// `GameSessionData` is sensitive: `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct CreateGameSessionInput {
    /// The fleet to host the session: a fleet id or ARN.
    pub fleet_id: Option<String>,
    /// An alias that resolves to the fleet, instead of `FleetId`.
    pub alias_id: Option<String>,
    /// The player limit: required, at least 0.
    pub maximum_player_session_count: Option<i32>,
    /// A descriptive label: 1 to 1024 characters.
    pub name: Option<String>,
    /// Initial properties: at most 16.
    pub game_properties: Option<Vec<GamePropertyInput>>,
    /// Who creates the session: 1 to 1024 characters.
    pub creator_id: Option<String>,
    /// Deprecated by the model ("Use `IdempotencyToken` instead"): the same
    /// custom id under its old name, used when `IdempotencyToken` is absent.
    pub game_session_id: Option<String>,
    /// A custom id, the last part of the session's ARN, that makes the
    /// create idempotent: 1 to 48 of `[a-zA-Z0-9-]`. See
    /// [`replay_create_game_session`].
    pub idempotency_token: Option<String>,
    /// Custom data for the game server; sensitive.
    pub game_session_data: Option<String>,
    /// The fleet location to place the session in: 1 to 64 of `[A-Za-z0-9-]`.
    pub location: Option<String>,
}

object_only!(CreateGameSessionInput, wire::CreateGameSessionInputDef);

impl fmt::Debug for CreateGameSessionInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateGameSessionInput")
            .field("fleet_id", &self.fleet_id)
            .field("alias_id", &self.alias_id)
            .field(
                "maximum_player_session_count",
                &self.maximum_player_session_count,
            )
            .field("name", &self.name)
            .field("game_properties", &self.game_properties)
            .field("creator_id", &self.creator_id)
            .field("game_session_id", &self.game_session_id)
            .field("idempotency_token", &self.idempotency_token)
            .field(
                "game_session_data",
                &self.game_session_data.as_ref().map(|_| REDACTED),
            )
            .field("location", &self.location)
            .finish()
    }
}

impl CreateGameSessionInput {
    /// A request for a session of up to `maximum_player_session_count`
    /// players on `fleet_id`.
    #[must_use]
    pub fn new(fleet_id: impl Into<String>, maximum_player_session_count: i32) -> Self {
        CreateGameSessionInput {
            fleet_id: Some(fleet_id.into()),
            maximum_player_session_count: Some(maximum_player_session_count),
            ..CreateGameSessionInput::default()
        }
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the deprecated custom id (`GameSessionId`); prefer
    /// [`idempotency_token`](Self::idempotency_token).
    #[must_use]
    pub fn game_session_id(mut self, id: impl Into<String>) -> Self {
        self.game_session_id = Some(id.into());
        self
    }

    /// Sets the idempotency token, the custom id of the new session.
    #[must_use]
    pub fn idempotency_token(mut self, token: impl Into<String>) -> Self {
        self.idempotency_token = Some(token.into());
        self
    }

    /// Sets the location.
    #[must_use]
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Appends an initial property.
    #[must_use]
    pub fn game_property(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.game_properties
            .get_or_insert_with(Vec::new)
            .push(GamePropertyInput::new(key, value));
        self
    }

    /// Validates this request under AWS's limits.
    ///
    /// # Errors
    ///
    /// As [`CreateGameSessionInput::validate_with`].
    pub fn validate(&self) -> Result<ValidatedCreate<'_>, GameLiftError> {
        self.validate_with(&Limits::AWS)
    }

    /// Validates this request against the model and `limits`: every
    /// violation, in the order of the shape's members.
    ///
    /// # Errors
    ///
    /// [`GameLiftError::Validation`] with every violation, or
    /// [`GameLiftError::InvalidRequest`] when it names neither a fleet nor
    /// an alias, or both.
    ///
    /// # Example
    ///
    /// ```
    /// use gamelift_session::{Limits, game_session::{CreateContext, CreateGameSessionInput}};
    /// use time::OffsetDateTime;
    ///
    /// // An emulator mirroring a raised quota: 32 properties.
    /// let mut limits = Limits::AWS;
    /// limits.max_game_properties = 32;
    /// let mut input = CreateGameSessionInput::new("fleet-1a2b", 8);
    /// for i in 0..20 {
    ///     input = input.game_property(format!("k{i}"), "v");
    /// }
    /// assert!(input.validate().is_err());
    /// let context = CreateContext::new("us-west-2", "111122223333", "fleet-1a2b", OffsetDateTime::UNIX_EPOCH, "gs-1");
    /// let detail = input.validate_with(&limits)?.create(&context);
    /// assert_eq!(detail.game_session.unwrap().game_properties().len(), 20);
    /// # Ok::<(), gamelift_session::GameLiftError>(())
    /// ```
    pub fn validate_with(&self, limits: &Limits) -> Result<ValidatedCreate<'_>, GameLiftError> {
        check_create_input(self, limits)?;
        match (&self.fleet_id, &self.alias_id) {
            (Some(_), None) | (None, Some(_)) => Ok(ValidatedCreate { input: self }),
            (None, None) => Err(GameLiftError::InvalidRequest {
                message: "A game session needs a fleet: specify FleetId or AliasId".to_owned(),
            }),
            (Some(_), Some(_)) => Err(GameLiftError::InvalidRequest {
                message: "Specify FleetId or AliasId, not both".to_owned(),
            }),
        }
    }

    /// The last part of the new session's ARN, if the request names one:
    /// `IdempotencyToken`, else the deprecated `GameSessionId`
    /// (**decision**: when both are sent, `IdempotencyToken` wins).
    #[must_use]
    pub fn requested_id(&self) -> Option<&str> {
        self.idempotency_token
            .as_deref()
            .or(self.game_session_id.as_deref())
    }

    /// Whether `self` asks for the same game session as `original`: the
    /// parameters that shape a new session are equal. They are the fleet
    /// (`FleetId`, compared as the fleet id it names, or `AliasId`),
    /// `MaximumPlayerSessionCount`, `Name`, `GameProperties` (after the
    /// merge of repeated keys), `CreatorId`, `GameSessionData` and
    /// `Location`. The custom id itself is not compared: the caller found
    /// `original` by it.
    #[must_use]
    pub fn is_same_request_as(&self, original: &CreateGameSessionInput) -> bool {
        let properties = |i: &CreateGameSessionInput| {
            merged_properties(i.game_properties.as_deref().unwrap_or_default())
        };
        self.fleet_id.as_deref().map(fleet_id_of) == original.fleet_id.as_deref().map(fleet_id_of)
            && self.alias_id == original.alias_id
            && self.maximum_player_session_count == original.maximum_player_session_count
            && self.name == original.name
            && self.creator_id == original.creator_id
            && self.game_session_data == original.game_session_data
            && self.location == original.location
            && properties(self) == properties(original)
    }
}

fn check_create_input(
    input: &CreateGameSessionInput,
    limits: &Limits,
) -> Result<(), ValidationErrors> {
    let mut v = Validator::default();
    let member = FieldPath::Member;
    if let Some(fleet) = input.fleet_id.as_deref() {
        v.fleet_id_or_arn(member("fleetId"), fleet, limits);
    }
    if let Some(alias) = input.alias_id.as_deref() {
        v.alias_id_or_arn(member("aliasId"), alias, limits);
    }
    let count = member("maximumPlayerSessionCount");
    if let Some(n) = v.required(count, input.maximum_player_session_count.as_ref()) {
        v.min_value(count, i64::from(*n), 0);
    }
    if let Some(name) = input.name.as_deref() {
        v.non_zero_and_max_string(member("name"), name, limits.max_name_length);
    }
    if let Some(properties) = input.game_properties.as_deref() {
        v.game_properties("gameProperties", properties, limits);
    }
    if let Some(creator) = input.creator_id.as_deref() {
        v.non_zero_and_max_string(member("creatorId"), creator, limits.max_creator_id_length);
    }
    if let Some(id) = input.game_session_id.as_deref() {
        v.id_string(member("gameSessionId"), id, limits);
    }
    if let Some(token) = input.idempotency_token.as_deref() {
        v.id_string(member("idempotencyToken"), token, limits);
    }
    if let Some(data) = input.game_session_data.as_deref() {
        // Sensitive: never echoed.
        let path = member("gameSessionData");
        v.length(path, data, 1, limits.max_game_session_data_length, true);
    }
    if let Some(location) = input.location.as_deref() {
        v.location(member("location"), location, limits);
    }
    v.finish()
}

/// What the service knows when it creates a session, and the request does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateContext<'a> {
    /// The fleet's home Region, e.g. `us-west-2`.
    pub region: &'a str,
    /// The account that owns the fleet, for the fleet's ARN.
    pub account_id: &'a str,
    /// The fleet id the request's `FleetId` or `AliasId` resolves to.
    pub fleet_id: &'a str,
    /// The creation time.
    pub now: OffsetDateTime,
    /// An id for the session when the request names none: 1 to 48 of `[a-zA-Z0-9-]`.
    pub fresh_id: &'a str,
    /// The protection policy of new sessions on the fleet.
    pub protection_policy: ProtectionPolicy,
}

impl<'a> CreateContext<'a> {
    /// A context with the fleet's default protection, `NoProtection`.
    #[must_use]
    pub fn new(
        region: &'a str,
        account_id: &'a str,
        fleet_id: &'a str,
        now: OffsetDateTime,
        fresh_id: &'a str,
    ) -> Self {
        CreateContext {
            region,
            account_id,
            fleet_id,
            now,
            fresh_id,
            protection_policy: ProtectionPolicy::NoProtection,
        }
    }
}

/// A game session's ARN: `arn:aws:gamelift:<region>::gamesession/<fleet-id>/<id>`,
/// with `/<location>` before the id for a location other than the home Region.
#[must_use]
pub fn game_session_arn(region: &str, fleet_id: &str, location: Option<&str>, id: &str) -> String {
    match location {
        Some(location) if location != region => {
            format!("arn:aws:gamelift:{region}::gamesession/{fleet_id}/{location}/{id}")
        }
        _ => format!("arn:aws:gamelift:{region}::gamesession/{fleet_id}/{id}"),
    }
}

/// What a create answers when its custom id (`IdempotencyToken`, or the
/// deprecated `GameSessionId`) already made a session in the fleet: that
/// session, or `IdempotentParameterMismatchException`.
///
/// The model: "Subsequent requests with the same string return the
/// original `GameSession` object, with an updated status", and a token used
/// by a request with other parameters is a mismatch. The embedder looks
/// the session up by the ARN [`create_game_session`] would build, and
/// keeps the request that created it (`original`). **Decision**: the
/// session is answered as it is now; which parameters count as the same
/// request is [`CreateGameSessionInput::is_same_request_as`]. The model
/// keeps tokens 30 days after a session ends; forgetting them is the
/// embedder's part.
///
/// # Errors
///
/// `InvalidRequestException` for an invalid `input` (checked first, as
/// every create), `IdempotentParameterMismatchException`
/// ([`GameLiftError::IdempotentParameterMismatch`]) when it differs from
/// `original`.
///
/// # Example
///
/// ```
/// use gamelift_session::game_session::{
///     CreateContext, CreateGameSessionInput, create_game_session, replay_create_game_session,
/// };
/// use time::OffsetDateTime;
///
/// let first = CreateGameSessionInput::new("fleet-1a2b", 8).idempotency_token("match-42");
/// let context = CreateContext::new("us-west-2", "111122223333", "fleet-1a2b", OffsetDateTime::UNIX_EPOCH, "unused");
/// let created = create_game_session(&first, &context)?;
///
/// // The same request again: the same session.
/// let again = first.clone();
/// let replayed = replay_create_game_session(&first, &created, &again)?;
/// assert_eq!(replayed, &created);
///
/// // The same token with another player limit: a mismatch.
/// let other = CreateGameSessionInput::new("fleet-1a2b", 10).idempotency_token("match-42");
/// let err = replay_create_game_session(&first, &created, &other).unwrap_err();
/// assert_eq!(err.code(), "IdempotentParameterMismatchException");
/// assert_eq!(err.to_string(), "A game session with this custom ID string already exists in this fleet");
/// # Ok::<(), gamelift_session::GameLiftError>(())
/// ```
pub fn replay_create_game_session<'s>(
    original: &CreateGameSessionInput,
    session: &'s GameSessionDetail,
    input: &CreateGameSessionInput,
) -> Result<&'s GameSessionDetail, GameLiftError> {
    input.validate()?.replay(original, session)
}

/// Validates `input` and builds the new session, in status `ACTIVATING`.
///
/// The session's id is the ARN of [`game_session_arn`] with the request's
/// id ([`CreateGameSessionInput::requested_id`]: `IdempotencyToken`, else
/// `GameSessionId`) or else `context.fresh_id`. A request whose id already
/// made a session is [`replay_create_game_session`]'s.
/// It accepts all players (`ACCEPT_ALL`), has none yet, and takes the
/// context's protection policy. Properties named twice take their last
/// value, as in an update.
///
/// # Errors
///
/// `InvalidRequestException`: every violation of the model
/// ([`GameLiftError::Validation`]), or no fleet and no alias
/// ([`GameLiftError::InvalidRequest`]).
///
/// # Example
///
/// ```
/// use gamelift_session::{
///     GameSessionStatus,
///     game_session::{CreateContext, CreateGameSessionInput, create_game_session},
/// };
/// use time::OffsetDateTime;
///
/// let input = CreateGameSessionInput::new("fleet-1a2b", 8).name("Friday").game_session_id("gs-1");
/// let context = CreateContext::new("us-west-2", "111122223333", "fleet-1a2b", OffsetDateTime::UNIX_EPOCH, "unused");
/// let detail = create_game_session(&input, &context).unwrap();
/// let session = detail.game_session.as_ref().unwrap();
/// assert_eq!(session.game_session_id.as_deref(), Some("arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b/gs-1"));
/// assert_eq!(session.status, Some(GameSessionStatus::Activating));
///
/// let err = create_game_session(&CreateGameSessionInput::new("fleet-1a2b", -1), &context).unwrap_err();
/// assert_eq!(err.to_string(), "1 validation error detected: Value '-1' at 'maximumPlayerSessionCount' \
///     failed to satisfy constraint: Member must have value greater than or equal to 0");
/// ```
pub fn create_game_session(
    input: &CreateGameSessionInput,
    context: &CreateContext<'_>,
) -> Result<GameSessionDetail, GameLiftError> {
    Ok(input.validate()?.create(context))
}

/// The wire form of each shape, derived on a private twin (`#[serde(remote)]`),
/// so the public types carry no inherent `serialize` or `deserialize` that
/// would bypass the object-only rule. A member missing here does not compile.
// The twins name exactly the types their shapes use.
#[allow(clippy::wildcard_imports)]
mod wire {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(remote = "CreateGameSessionInput", rename_all = "PascalCase")]
    pub(super) struct CreateGameSessionInputDef {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alias_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        maximum_player_session_count: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_properties: Option<Vec<GamePropertyInput>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        creator_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        idempotency_token: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        game_session_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
    }
}

/// A create request that passed validation (under some [`Limits`]), ready
/// to build its session or to be compared with the request its id already
/// made a session for.
#[derive(Debug, Clone, Copy)]
pub struct ValidatedCreate<'a> {
    input: &'a CreateGameSessionInput,
}

impl<'a> ValidatedCreate<'a> {
    /// The request.
    #[must_use]
    pub fn input(&self) -> &'a CreateGameSessionInput {
        self.input
    }

    /// Builds the new session, in status `ACTIVATING`; see
    /// [`create_game_session`].
    #[must_use]
    pub fn create(&self, context: &CreateContext<'_>) -> GameSessionDetail {
        let fleet_id = fleet_id_of(context.fleet_id);
        let id = self.input.requested_id().unwrap_or(context.fresh_id);
        let location = self.input.location.as_deref();
        let properties =
            merged_properties(self.input.game_properties.as_deref().unwrap_or_default());
        let session = GameSession {
            game_session_id: Some(game_session_arn(context.region, fleet_id, location, id)),
            name: self.input.name.clone(),
            fleet_id: Some(fleet_id.to_owned()),
            fleet_arn: Some(format!(
                "arn:aws:gamelift:{}:{}:fleet/{fleet_id}",
                context.region, context.account_id
            )),
            creation_time: Some(context.now),
            current_player_session_count: Some(0),
            maximum_player_session_count: self.input.maximum_player_session_count,
            status: Some(GameSessionStatus::Activating),
            game_properties: Some(properties),
            player_session_creation_policy: Some(PlayerSessionCreationPolicy::AcceptAll),
            creator_id: self.input.creator_id.clone(),
            game_session_data: self.input.game_session_data.clone(),
            location: Some(location.unwrap_or(context.region).to_owned()),
            ..GameSession::default()
        };
        GameSessionDetail::new(session, Some(context.protection_policy))
    }

    /// What the new session's properties warn about, by the update's rules:
    /// a [`Warning::DuplicateKey`] for each key named more than once, then
    /// a [`Warning::UnsearchableKey`] for each key containing a period.
    ///
    /// ```
    /// use gamelift_session::{Warning, game_session::CreateGameSessionInput};
    ///
    /// let input = CreateGameSessionInput::new("fleet-1", 8)
    ///     .game_property("mode", "ranked")
    ///     .game_property("map.name", "harbor");
    /// let warnings = input.validate()?.warnings();
    /// assert_eq!(warnings, [Warning::UnsearchableKey { key: "map.name".into() }]);
    /// # Ok::<(), gamelift_session::GameLiftError>(())
    /// ```
    #[must_use]
    pub fn warnings(&self) -> Vec<Warning> {
        property_warnings(self.input.game_properties.as_deref().unwrap_or_default())
    }

    /// Answers a repeated create; see [`replay_create_game_session`].
    ///
    /// # Errors
    ///
    /// `IdempotentParameterMismatchException` when the request differs
    /// from `original`.
    pub fn replay<'s>(
        &self,
        original: &CreateGameSessionInput,
        session: &'s GameSessionDetail,
    ) -> Result<&'s GameSessionDetail, GameLiftError> {
        if self.input.is_same_request_as(original) {
            Ok(session)
        } else {
            Err(GameLiftError::IdempotentParameterMismatch {
                idempotency_token: self.input.requested_id().unwrap_or_default().to_owned(),
            })
        }
    }
}
