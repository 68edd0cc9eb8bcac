//! The wire encoding of timestamps: epoch seconds as a JSON number.
//!
//! AWS JSON 1.1 writes a timestamp as seconds since the Unix epoch with a
//! millisecond fraction (`1469498468.057`). Reading accepts integers and
//! fractions and rounds to the nearest millisecond; writing rounds to the
//! nearest millisecond, halves rounding up (`.0565` becomes `.057`).
//! This is the one place that knows the encoding.

use serde::{Deserialize, Deserializer, Serializer};
use time::OffsetDateTime;

const NANOS_PER_MILLI: i128 = 1_000_000;

/// Milliseconds since the epoch, rounded to the nearest millisecond.
pub(crate) fn to_epoch_millis(t: OffsetDateTime) -> i128 {
    (t.unix_timestamp_nanos() + NANOS_PER_MILLI / 2).div_euclid(NANOS_PER_MILLI)
}

/// The timestamp at `seconds` since the epoch, rounded to the nearest
/// millisecond, or `None` when it is not finite or outside the range
/// `time` can hold (years -9999 to 9999).
pub(crate) fn from_epoch_seconds(seconds: f64) -> Option<OffsetDateTime> {
    // Ten thousand years either side of 1970 is far beyond what `time` holds,
    // and far inside what i128 nanoseconds can express, so the cast is exact
    // enough and `from_unix_timestamp_nanos` makes the final range check.
    if !seconds.is_finite() || seconds.abs() > 4.0e11 {
        return None;
    }
    let millis = (seconds * 1000.0).round() as i128;
    OffsetDateTime::from_unix_timestamp_nanos(millis * NANOS_PER_MILLI).ok()
}

/// Serde `with` module for `Option<OffsetDateTime>` members.
pub(crate) mod option {
    use super::{Deserialize, Deserializer, OffsetDateTime, Serializer};

    #[allow(clippy::ref_option)] // serde's `with` passes `&Option<T>`.
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            // `k as f64 / 1000.0` is the double nearest to k/1000, so the
            // shortest round-trip form printed for it has at most three
            // decimals: exactly the millisecond value.
            Some(t) => serializer.serialize_f64(super::to_epoch_millis(*t) as f64 / 1000.0),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        match Option::<f64>::deserialize(deserializer)? {
            None => Ok(None),
            Some(seconds) => super::from_epoch_seconds(seconds).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format_args!(
                    "timestamp {seconds:e} is outside the supported range (years -9999 to 9999)"
                ))
            }),
        }
    }
}
