//! [`Changes`]: the rows an operation changed, recorded by the table that
//! changed them, so that no operation can forget its journal record.

use std::collections::{HashMap, HashSet};

/// How many changes are looked up along the list before a set is built.
const SMALL: usize = 16;

/// The keys of the rows of one room's tables that changed since the last
/// record, in the order they first changed. Off (recording nothing, for
/// nothing) without a state file.
#[derive(Debug, Default, Clone)]
pub(crate) struct Changes {
    on: bool,
    order: Vec<(&'static str, String)>,
    seen: HashMap<&'static str, HashSet<String>>,
}

impl Changes {
    /// Starts recording: the emulator keeps a state file.
    pub(crate) fn turn_on(&mut self) {
        self.on = true;
    }

    /// Whether changes are recorded (the emulator keeps a state file).
    pub(crate) fn is_on(&self) -> bool {
        self.on
    }

    /// Records that the row `key` of `table` changed (or was removed).
    pub(crate) fn record(&mut self, table: &'static str, key: &str) {
        if !self.on {
            return;
        }
        // Most operations change a row or two: a look along the list
        // costs less than a set, which only a long list needs.
        if self.order.len() < SMALL {
            if !self.order.iter().any(|(t, k)| *t == table && k == key) {
                self.order.push((table, key.to_owned()));
            }
            return;
        }
        if self.seen.is_empty() {
            for (t, k) in &self.order {
                self.seen.entry(t).or_default().insert(k.clone());
            }
        }
        if self.seen.entry(table).or_default().insert(key.to_owned()) {
            self.order.push((table, key.to_owned()));
        }
    }

    /// The rows changed since the last call, in order; the record is empty
    /// again after.
    pub(crate) fn take(&mut self) -> Vec<(&'static str, String)> {
        if !self.seen.is_empty() {
            self.seen.clear();
        }
        std::mem::take(&mut self.order)
    }

    /// Whether anything changed since the last [`Changes::take`].
    pub(crate) fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}
