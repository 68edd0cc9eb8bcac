//! The service's numeric limits, held as data so an embedder can replace them.

/// Every limit of every operation, in one value.
///
/// Each operation's input is validated under a `Limits`
/// (`input.validate_with(&limits)`), and the validated request is then
/// applied; the plain functions (`update_game_session`,
/// `create_game_session`, ...) use [`Limits::AWS`].
///
/// [`Limits::AWS`] (also [`Limits::default`]) holds the values of the AWS
/// service model. An emulator mirroring a raised quota, or a test that
/// wants tiny limits, builds its own:
///
/// ```
/// use gamelift_session::Limits;
///
/// let mut limits = Limits::AWS;
/// limits.max_game_properties = 64;
/// assert_eq!(limits.max_property_key_length, 32);
/// ```
///
/// Lengths are counted in Unicode scalar values, as the model's `length`
/// trait counts them. Every minimum length of the model is 1 and is not
/// configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Limits {
    /// Most characters in the `GameSessionId` of a request (model: 512).
    pub max_game_session_id_length: usize,
    /// Most characters in a game session name (model: 1024).
    pub max_name_length: usize,
    /// Most characters in a `CreatorId` (model: 1024).
    pub max_creator_id_length: usize,
    /// Most characters in a fleet or alias id or ARN in a request (model: 512).
    pub max_fleet_or_alias_length: usize,
    /// Most characters in a fleet location (model: 64).
    pub max_location_length: usize,
    /// Most characters in an `IdempotencyToken`, or a create's custom
    /// `GameSessionId` (model: 48).
    pub max_id_string_length: usize,
    /// Most characters in `GameSessionData` (model: 262,144).
    pub max_game_session_data_length: usize,
    /// Most characters in a describe's `StatusFilter` (model: 1024).
    pub max_status_filter_length: usize,
    /// Most characters in a `NextToken` (model: 1024).
    pub max_next_token_length: usize,
    /// Game sessions in a `DescribeGameSessions` page when the request
    /// sets no `Limit` (**decision**: 100; AWS documents none).
    pub default_describe_page_size: usize,
    /// Most players (RESERVED or ACTIVE player sessions) in one game
    /// session, whatever its `MaximumPlayerSessionCount` (docs: 200, "not
    /// adjustable").
    pub max_players_per_game_session: usize,
    /// How long a RESERVED player session waits for the game server to
    /// accept it before it times out (docs: 60 seconds).
    pub player_reservation_timeout: time::Duration,
    /// Most characters in a `PlayerId` (model: 1024).
    pub max_player_id_length: usize,
    /// Most characters in `PlayerData` (model: 2048).
    pub max_player_data_length: usize,
    /// Most player ids in one `CreatePlayerSessions` (model: 25).
    pub max_player_ids: usize,
    /// Most characters in a `PlayerSessionId` (model: 128).
    pub max_player_session_id_length: usize,
    /// Player sessions in a `DescribePlayerSessions` page when the request
    /// sets no `Limit` (**decision**: 50; AWS documents none).
    pub default_player_sessions_page_size: usize,
    /// Most characters in a search's `FilterExpression` or
    /// `SortExpression` (model: 1024).
    pub max_search_expression_length: usize,
    /// Most game sessions in a `SearchGameSessions` page, whatever its
    /// `Limit` (docs: 20).
    pub max_search_page_size: usize,
    /// Most distinct game property keys the search index holds across
    /// every session (docs: 500 per Region); see
    /// [`SearchIndex`](crate::search::SearchIndex).
    pub max_search_index_keys: usize,
    /// Most game properties in a request and on a session (model: 16).
    pub max_game_properties: usize,
    /// Most characters in a game property key (model: 32).
    pub max_property_key_length: usize,
    /// Most characters in a game property value (model: 96).
    pub max_property_value_length: usize,
}

impl Limits {
    /// The limits of the AWS service model (API version 2015-10-01).
    pub const AWS: Limits = Limits {
        max_game_session_id_length: 512,
        max_name_length: 1024,
        max_creator_id_length: 1024,
        max_fleet_or_alias_length: 512,
        max_location_length: 64,
        max_id_string_length: 48,
        max_game_session_data_length: 262_144,
        max_status_filter_length: 1024,
        max_next_token_length: 1024,
        default_describe_page_size: 100,
        max_players_per_game_session: 200,
        player_reservation_timeout: time::Duration::seconds(60),
        max_player_id_length: 1024,
        max_player_data_length: 2048,
        max_player_ids: 25,
        max_player_session_id_length: 128,
        default_player_sessions_page_size: 50,
        max_search_expression_length: 1024,
        max_search_page_size: 20,
        max_search_index_keys: 500,
        max_game_properties: 16,
        max_property_key_length: 32,
        max_property_value_length: 96,
    };
}

impl Default for Limits {
    /// [`Limits::AWS`].
    fn default() -> Self {
        Limits::AWS
    }
}
