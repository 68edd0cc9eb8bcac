//! The strings a session table's rows name by number: fleet ids,
//! locations, names and property values, each held once and counted, so
//! that a row compares a `u32` where a session compares a string, and a
//! string no row holds any more is let go.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

/// An id no string has: a row's "no value".
pub(crate) const NONE: u32 = u32::MAX;

/// Counted, interned strings. An id freed when its count reaches zero may
/// be given to another string later: a prepared search resolved its
/// literals against the strings as they were, and reads rows as they were,
/// so it never meets the new meaning.
///
/// Each string is hashed once per call, with a keyed hash (`RandomState`,
/// so no input can be made to collide on purpose); the table of hashes
/// then needs no hashing of its own, and strings whose hashes collide are
/// chained.
#[derive(Clone, Default)]
pub(crate) struct Strings {
    hasher: RandomState,
    /// The first id holding each hash.
    heads: HashMap<u64, u32, BuildHasherDefault<Spread>>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    len: usize,
}

#[derive(Clone)]
struct Slot {
    /// `None` once freed.
    text: Option<Box<str>>,
    /// How many rows hold it.
    count: u32,
    hash: u64,
    /// The next id whose string has the same hash.
    next: u32,
}

/// The hasher of a table keyed by hashes already spread: it passes the key
/// through.
#[derive(Default)]
struct Spread(u64);

impl Hasher for Spread {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl Strings {
    fn slot(&self, id: u32) -> Option<&Slot> {
        self.slots.get(id as usize)
    }

    /// The id holding `s`, whose hash is `hash`.
    fn lookup(&self, s: &str, hash: u64) -> Option<u32> {
        let mut id = *self.heads.get(&hash)?;
        while let Some(slot) = self.slot(id) {
            if slot.text.as_deref() == Some(s) {
                return Some(id);
            }
            id = slot.next;
        }
        None
    }

    /// The id of `s`, if some row holds it.
    pub(crate) fn find(&self, s: &str) -> Option<u32> {
        self.lookup(s, self.hasher.hash_one(s))
    }

    /// The id of `s`, counted once more; interned if new. `NONE` when the
    /// table holds `u32::MAX - 1` distinct strings, which no store that
    /// fits in memory reaches: the row then reads as lacking the value.
    pub(crate) fn acquire(&mut self, s: &str) -> u32 {
        let hash = self.hasher.hash_one(s);
        if let Some(id) = self.lookup(s, hash) {
            if let Some(slot) = self.slots.get_mut(id as usize) {
                slot.count += 1;
            }
            return id;
        }
        let next = self.heads.get(&hash).copied().unwrap_or(NONE);
        let slot = Slot {
            text: Some(s.into()),
            count: 1,
            hash,
            next,
        };
        let id = if let Some(id) = self.free.pop() {
            if let Some(free) = self.slots.get_mut(id as usize) {
                *free = slot;
            }
            id
        } else {
            match u32::try_from(self.slots.len()) {
                Ok(id) if id < NONE => {
                    self.slots.push(slot);
                    id
                }
                _ => return NONE,
            }
        };
        self.heads.insert(hash, id);
        self.len += 1;
        id
    }

    /// As [`Strings::acquire`], trying `hint` (the id `s` had before, say)
    /// first: when it still holds `s`, no hashing is needed.
    pub(crate) fn acquire_as(&mut self, s: &str, hint: u32) -> u32 {
        if let Some(slot) = self.slots.get_mut(hint as usize)
            && slot.text.as_deref() == Some(s)
        {
            slot.count += 1;
            return hint;
        }
        self.acquire(s)
    }

    /// Counts `id` once less, letting its string go at zero.
    pub(crate) fn release(&mut self, id: u32) {
        let Some(slot) = self.slots.get_mut(id as usize) else {
            return;
        };
        if slot.text.is_none() {
            return;
        }
        slot.count = slot.count.saturating_sub(1);
        if slot.count > 0 {
            return;
        }
        slot.text = None;
        let (hash, next) = (slot.hash, slot.next);
        // Unlink it from its chain.
        if self.heads.get(&hash) == Some(&id) {
            if next == NONE {
                self.heads.remove(&hash);
            } else {
                self.heads.insert(hash, next);
            }
        } else {
            let mut at = self.heads.get(&hash).copied().unwrap_or(NONE);
            while let Some(slot) = self.slots.get_mut(at as usize) {
                if slot.next == id {
                    slot.next = next;
                    break;
                }
                at = slot.next;
            }
        }
        self.free.push(id);
        self.len -= 1;
    }

    /// How many distinct strings are held.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_is_held_while_counted_and_its_id_is_reused_after() {
        let mut strings = Strings::default();
        let a = strings.acquire("ranked");
        assert_eq!(strings.acquire("ranked"), a);
        let b = strings.acquire("casual");
        assert_ne!(a, b);
        strings.release(a);
        assert_eq!(strings.find("ranked"), Some(a), "one row still holds it");
        strings.release(a);
        assert_eq!(strings.find("ranked"), None);
        assert_eq!(strings.len(), 1);
        assert_eq!(strings.acquire("coop"), a, "the freed id is given again");
        assert_eq!(strings.find("casual"), Some(b));
    }

    #[test]
    fn strings_whose_hashes_collide_are_told_apart_and_unlinked() {
        let mut strings = Strings::default();
        let ids: Vec<u32> = ["a", "b", "c"].iter().map(|s| strings.acquire(s)).collect();
        // Chain all three under one hash, as a collision would.
        let hash = strings.slots[0].hash;
        for (i, id) in ids.iter().enumerate() {
            strings.heads.remove(&strings.slots[*id as usize].hash);
            strings.slots[*id as usize].hash = hash;
            strings.slots[*id as usize].next = ids.get(i + 1).copied().unwrap_or(NONE);
        }
        strings.heads.insert(hash, ids[0]);
        assert_eq!(strings.lookup("c", hash), Some(ids[2]));
        strings.release(ids[1]);
        assert_eq!(strings.lookup("b", hash), None);
        assert_eq!(
            strings.lookup("c", hash),
            Some(ids[2]),
            "the chain skips the freed id"
        );
        strings.release(ids[0]);
        assert_eq!(strings.heads.get(&hash), Some(&ids[2]));
        strings.release(ids[2]);
        assert!(strings.heads.is_empty());
        assert_eq!(strings.len(), 0);
    }
}
