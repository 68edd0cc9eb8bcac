//! The strings a session table's rows name by number: fleet ids,
//! locations, names and property values, each held once and counted, so
//! that a row compares a `u32` where a session compares a string, and a
//! string no row holds any more is let go.

use std::collections::HashMap;
use std::sync::Arc;

/// An id no string has: a row's "no value".
pub(crate) const NONE: u32 = u32::MAX;

/// Counted, interned strings. An id freed when its count reaches zero may
/// be given to another string later: a prepared search resolved its
/// literals against the strings as they were, and reads rows as they were,
/// so it never meets the new meaning.
#[derive(Clone, Default)]
pub(crate) struct Strings {
    ids: HashMap<Arc<str>, u32>,
    /// Each id's string (`None` once freed) and how many rows hold it.
    slots: Vec<(Option<Arc<str>>, u32)>,
    free: Vec<u32>,
}

impl Strings {
    /// The id of `s`, if some row holds it.
    pub(crate) fn find(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// The id of `s`, counted once more; interned if new. `NONE` when the
    /// table holds `u32::MAX - 1` distinct strings, which no store that
    /// fits in memory reaches: the row then reads as lacking the value.
    pub(crate) fn acquire(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            if let Some(slot) = self.slots.get_mut(id as usize) {
                slot.1 += 1;
            }
            return id;
        }
        let shared: Arc<str> = Arc::from(s);
        let id = if let Some(id) = self.free.pop() {
            if let Some(slot) = self.slots.get_mut(id as usize) {
                *slot = (Some(Arc::clone(&shared)), 1);
            }
            id
        } else {
            match u32::try_from(self.slots.len()) {
                Ok(id) if id < NONE => {
                    self.slots.push((Some(Arc::clone(&shared)), 1));
                    id
                }
                _ => return NONE,
            }
        };
        self.ids.insert(shared, id);
        id
    }

    /// As [`Strings::acquire`], trying `hint` (the id `s` had before, say)
    /// first: when it still holds `s`, no hashing is needed.
    pub(crate) fn acquire_as(&mut self, s: &str, hint: u32) -> u32 {
        if let Some((Some(held), count)) = self.slots.get_mut(hint as usize)
            && **held == *s
        {
            *count += 1;
            return hint;
        }
        self.acquire(s)
    }

    /// Counts `id` once less, letting its string go at zero.
    pub(crate) fn release(&mut self, id: u32) {
        let Some(slot) = self.slots.get_mut(id as usize) else {
            return;
        };
        slot.1 = slot.1.saturating_sub(1);
        if slot.1 == 0
            && let Some(s) = slot.0.take()
        {
            self.ids.remove(&s);
            self.free.push(id);
        }
    }

    /// How many distinct strings are held.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
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
}
