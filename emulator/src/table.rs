//! [`Table`]: rows found by their key, listed in the order they were
//! first stored. Every resource the emulator keeps (aliases, queues,
//! placements, rule sets, configurations, tickets, declared fleets) is one,
//! with the secondary indexes its operations need beside it.

use std::collections::{BTreeMap, HashMap};

/// Rows by key, in the order each key was first stored: a look-up by key
/// is a hash, a removal a hash and a tree step, a listing a walk in order.
#[derive(Debug, Clone)]
pub(crate) struct Table<V> {
    rows: BTreeMap<u64, (String, V)>,
    places: HashMap<String, u64>,
    next: u64,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table {
            rows: BTreeMap::new(),
            places: HashMap::new(),
            next: 0,
        }
    }
}

impl<V> Table<V> {
    /// The row stored under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        let place = self.places.get(key)?;
        self.rows.get(place).map(|(_, v)| v)
    }

    /// The row stored under `key`, to change.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let place = self.places.get(key)?;
        self.rows.get_mut(place).map(|(_, v)| v)
    }

    /// Whether a row is stored under `key`.
    pub(crate) fn contains(&self, key: &str) -> bool {
        self.places.contains_key(key)
    }

    /// Stores `row` under `key`: a new key goes last, a key stored already
    /// keeps its place. Answers the row it replaced.
    pub(crate) fn insert(&mut self, key: &str, row: V) -> Option<V> {
        if let Some(place) = self.places.get(key)
            && let Some(slot) = self.rows.get_mut(place)
        {
            return Some(std::mem::replace(&mut slot.1, row));
        }
        let place = self.next;
        self.next += 1;
        self.places.insert(key.to_owned(), place);
        self.rows.insert(place, (key.to_owned(), row));
        None
    }

    /// Removes the row stored under `key`, and answers it.
    pub(crate) fn remove(&mut self, key: &str) -> Option<V> {
        let place = self.places.remove(key)?;
        self.rows.remove(&place).map(|(_, v)| v)
    }

    /// The rows, in the order their keys were first stored.
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &V> + Clone {
        self.rows.values().map(|(_, v)| v)
    }

    /// The keys and rows, in order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &V)> + Clone {
        self.rows.values().map(|(k, v)| (k.as_str(), v))
    }

    /// Gives back the memory of an index grown far past what it holds (a
    /// churn of rows since forgotten), so that it does not hold the top of
    /// the heap and keep the memory freed under it from going back.
    pub(crate) fn shrink(&mut self) {
        shrink(&mut self.places);
    }

    /// How many rows there are.
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is none.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Shrinks `map` when it holds under a quarter of its room.
pub(crate) fn shrink<K: Eq + std::hash::Hash, V, S: std::hash::BuildHasher>(
    map: &mut HashMap<K, V, S>,
) {
    if map.capacity() > 64 && map.len() * 4 < map.capacity() {
        map.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_the_place_of_their_first_store() {
        let mut t = Table::default();
        assert_eq!(t.insert("b", 1), None);
        assert_eq!(t.insert("a", 2), None);
        assert_eq!(t.insert("b", 3), Some(1));
        assert_eq!(t.iter().collect::<Vec<_>>(), [("b", &3), ("a", &2)]);
        assert_eq!(t.remove("b"), Some(3));
        assert_eq!(t.remove("b"), None);
        assert_eq!(t.insert("b", 4), None);
        assert_eq!(t.values().copied().collect::<Vec<_>>(), [2, 4]);
        assert_eq!(t.get("a"), Some(&2));
        *t.get_mut("a").expect("stored") = 5;
        assert_eq!(t.get("a"), Some(&5));
        assert_eq!(t.len(), 2);
        assert!(!t.is_empty() && t.contains("b") && !t.contains("c"));
    }
}
