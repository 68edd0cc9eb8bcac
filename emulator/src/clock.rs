//! The emulator's clock: the machine's, at the wire's precision, plus what
//! the control API moved it ahead. Time-outs (reservations, placements,
//! tickets) and retention read it, so a test moves time instead of
//! sleeping.

use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;

/// The machine's time moved ahead by an offset that only grows.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    /// How far the control API moved the clock ahead, in milliseconds.
    offset_ms: AtomicI64,
}

impl Clock {
    /// The time now.
    pub(crate) fn now(&self) -> OffsetDateTime {
        wire_now() + time::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock ahead by `by`; answers the new reading.
    pub(crate) fn advance(&self, by: time::Duration) -> OffsetDateTime {
        let ms = i64::try_from(by.whole_milliseconds()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
        self.now()
    }
}

/// The machine's clock at the wire's precision (milliseconds): what the
/// emulator holds is what it answers and what its state file reads back,
/// to the nanosecond.
pub(crate) fn wire_now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_millisecond(t.millisecond()).unwrap_or(t)
}
