//! Fresh ids, in the forms GameLift gives them: unique for the life of the
//! process and across restarts (each holds the time it was made).

use std::sync::atomic::{AtomicU64, Ordering};

use time::OffsetDateTime;

/// The source of every id the emulator makes.
#[derive(Debug)]
pub(crate) struct Ids {
    next: AtomicU64,
}

impl Default for Ids {
    fn default() -> Self {
        Ids {
            next: AtomicU64::new(1),
        }
    }
}

impl Ids {
    /// A unique suffix: the time in nanoseconds and a counter, in hex.
    fn suffix(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
        format!("{nanos:x}-{n}")
    }

    /// A game session's id (the last part of its ARN): `gsess-...`.
    pub(crate) fn game_session(&self) -> String {
        format!("gsess-{}", self.suffix())
    }

    /// A player session's id: `psess-...`.
    pub(crate) fn player_session(&self) -> String {
        format!("psess-{}", self.suffix())
    }

    /// A matchmaking ticket's id: `ticket-...`.
    pub(crate) fn ticket(&self) -> String {
        format!("ticket-{}", self.suffix())
    }

    /// A match's id: `match-...`.
    pub(crate) fn match_id(&self) -> String {
        format!("match-{}", self.suffix())
    }

    /// An alias id in AWS's form: `alias-` and a UUID-shaped hex id.
    pub(crate) fn alias(&self) -> String {
        self.uuid_shaped("alias-")
    }

    /// A secret in a UUID's shape, that no one can guess from the ids
    /// before it: 128 bits from hashers keyed at random (the standard
    /// library's `RandomState`, seeded by the system), hashing a counter.
    /// For the tokens game servers connect with, and launched processes' ids.
    pub(crate) fn secret(&self) -> String {
        secret_uuid(self.next.fetch_add(1, Ordering::Relaxed))
    }

    /// `prefix` and a UUID-shaped hex id, unique as the others are.
    pub(crate) fn uuid_shaped(&self, prefix: &str) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let nanos = u128::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos()).unwrap_or(0);
        let hex = format!("{nanos:020x}{n:012x}");
        format!("{prefix}{}", uuid_of(&hex[hex.len() - 32..]))
    }
}

/// A random UUID-shaped string (not guessable: each call hashes `n` with a
/// fresh random key), for event and SNS message ids and tokens.
pub(crate) fn secret_uuid(n: u64) -> String {
    use std::hash::{BuildHasher, Hasher};
    let half = || {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(n);
        h.finish()
    };
    uuid_of(&format!("{:016x}{:016x}", half(), half()))
}

/// 32 hex digits in a UUID's 8-4-4-4-12 shape.
fn uuid_of(hex: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The next number of the order in which ticket and placement changes
/// happened, across rooms, so that their events go out in that order.
pub(crate) fn next_change() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}
