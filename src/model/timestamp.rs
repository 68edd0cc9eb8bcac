//! The wire encoding of timestamps: epoch seconds.
//!
//! AWS JSON 1.1 writes a timestamp as seconds since the Unix epoch with a
//! millisecond fraction (`1469498468.057`); Smithy RPC v2 CBOR writes the
//! same number inside CBOR tag 1 (epoch-based date/time). Reading accepts
//! integers and fractions, tagged or not, and rounds to the nearest
//! millisecond; writing rounds to the nearest millisecond, halves rounding
//! up (`.0565` becomes `.057`). This is the one place that knows the
//! encodings.
//!
//! A serializer that is not human-readable (a binary one, such as
//! ciborium's CBOR) gets the tag through the serde convention ciborium
//! reads: a tuple variant `@@TAGGED@@` of the enum `@@TAG@@` holding the
//! tag number and the value. Other binary formats store that as a plain
//! enum and read it back the same way.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeTupleVariant, Serializer};
use time::OffsetDateTime;

const NANOS_PER_MILLI: i128 = 1_000_000;

/// CBOR's tag for an epoch-based date/time (RFC 8949 section 3.4.2).
const EPOCH_TAG: u64 = 1;

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

/// Epoch seconds as any number: an integer or a fraction. A binary format
/// may wrap it in a tag, which its deserializer skips.
struct Seconds;

impl Visitor<'_> for Seconds {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp in epoch seconds")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
}

/// A timestamp as a binary format carries it: in a tag (ciborium's serde
/// convention, which the serializer below writes) or bare.
#[derive(serde::Deserialize)]
#[serde(rename = "@@TAG@@")]
enum Envelope {
    #[serde(rename = "@@UNTAGGED@@")]
    Untagged(AnySeconds),
    #[serde(rename = "@@TAGGED@@")]
    Tagged(u64, AnySeconds),
}

struct AnySeconds(f64);

impl<'de> serde::Deserialize<'de> for AnySeconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Seconds).map(AnySeconds)
    }
}

struct OptionalSeconds;

impl<'de> Visitor<'de> for OptionalSeconds {
    type Value = Option<f64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp in epoch seconds, or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if d.is_human_readable() {
            return d.deserialize_any(Seconds).map(Some);
        }
        match <Envelope as serde::Deserialize>::deserialize(d)? {
            Envelope::Untagged(AnySeconds(s)) | Envelope::Tagged(EPOCH_TAG, AnySeconds(s)) => {
                Ok(Some(s))
            }
            Envelope::Tagged(tag, _) => Err(de::Error::custom(format_args!(
                "a timestamp has CBOR tag {EPOCH_TAG}, not {tag}"
            ))),
        }
    }
}

/// Serde `with` module for `Option<OffsetDateTime>` members.
pub(crate) mod option {
    use super::{
        Deserializer, EPOCH_TAG, OffsetDateTime, OptionalSeconds, SerializeTupleVariant,
        Serializer, de,
    };

    #[allow(clippy::ref_option)] // serde's `with` passes `&Option<T>`.
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let Some(t) = value else {
            return serializer.serialize_none();
        };
        // `k as f64 / 1000.0` is the double nearest to k/1000, so the
        // shortest round-trip form printed for it has at most three
        // decimals: exactly the millisecond value.
        let seconds = super::to_epoch_millis(*t) as f64 / 1000.0;
        if serializer.is_human_readable() {
            serializer.serialize_f64(seconds)
        } else {
            let mut tagged = serializer.serialize_tuple_variant("@@TAG@@", 1, "@@TAGGED@@", 2)?;
            tagged.serialize_field(&EPOCH_TAG)?;
            tagged.serialize_field(&seconds)?;
            tagged.end()
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        match deserializer.deserialize_option(OptionalSeconds)? {
            None => Ok(None),
            Some(seconds) => super::from_epoch_seconds(seconds).map(Some).ok_or_else(|| {
                de::Error::custom(format_args!(
                    "timestamp {seconds:e} is outside the supported range (years -9999 to 9999)"
                ))
            }),
        }
    }
}
