//! AWS JSON 1.1 request bytes through parsing, validation and both update forms.
#![no_main]

mod laws;

use gamelift_session::{GameLiftError, UpdateGameSessionInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    match serde_json::from_slice::<UpdateGameSessionInput>(bytes) {
        Ok(input) => laws::check_update(&input),
        Err(e) => laws::check_parse_error(GameLiftError::serialization(e)),
    }
});
