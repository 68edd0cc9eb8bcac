//! Smithy RPC v2 CBOR request bytes through parsing, validation and both update forms.
#![no_main]

mod laws;

use gamelift_session::{GameLiftError, UpdateGameSessionInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    match ciborium::from_reader::<UpdateGameSessionInput, _>(bytes) {
        Ok(input) => {
            laws::check_update(&input);
            // What parses from CBOR writes back and parses to the same request.
            let mut out = Vec::new();
            ciborium::into_writer(&input, &mut out).expect("writes");
            let again: UpdateGameSessionInput =
                ciborium::from_reader(&out[..]).expect("reads back");
            assert_eq!(again, input);
        }
        Err(ciborium::de::Error::Semantic(_, message)) => {
            laws::check_parse_error(GameLiftError::serialization(message));
        }
        Err(_) => {}
    }
});
