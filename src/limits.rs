//! The service's numeric limits, held as data so an embedder can replace them.

/// The limits an update is checked against.
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
