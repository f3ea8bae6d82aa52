//! A table of what earlier searches of one loaded index worked out, shared by the search
//! threads: the stems of the words highlighting looked at, the chunks returned.
//!
//! Kept values are read under a read lock, new ones kept under a write lock. The table is
//! bounded by a cost the caller gives each value (1 per entry, or its bytes), and is emptied
//! when the next value would not fit: for the vocabularies these tables hold that is rare, and a
//! cleared table refills with what is asked for.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::sync::{RwLock, RwLockReadGuard};

pub(crate) struct SharedTable<K, V, S> {
    inner: RwLock<Entries<K, V, S>>,
    max_cost: usize,
}

struct Entries<K, V, S> {
    map: HashMap<K, (V, usize), S>,
    cost: usize,
}

impl<K: Eq + Hash, V: Clone, S: BuildHasher + Default> SharedTable<K, V, S> {
    /// A table holding values of total cost `max_cost` at most.
    pub(crate) fn new(max_cost: usize) -> SharedTable<K, V, S> {
        SharedTable {
            inner: RwLock::new(Entries {
                map: HashMap::default(),
                cost: 0,
            }),
            max_cost,
        }
    }

    /// A look at the table under its read lock, for a single key on a path that must not
    /// allocate (see [`Reader::get`]).
    pub(crate) fn read(&self) -> Option<Reader<'_, K, V, S>> {
        self.inner.read().ok().map(Reader)
    }

    /// The value of `key`: kept, or made by `make` and kept if `cost` gives it a cost.
    pub(crate) fn get_or_make<Q, E>(
        &self,
        key: &Q,
        make: impl FnOnce() -> Result<V, E>,
        cost: impl Fn(&V) -> Option<usize>,
    ) -> Result<V, E>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if let Some(entries) = self.read()
            && let Some(value) = entries.get(key)
        {
            return Ok(value.clone());
        }
        let value = make()?;
        if let Some(cost) = cost(&value) {
            self.keep(vec![(key.to_owned(), value.clone(), cost)]);
        }
        Ok(value)
    }

    /// Keeps each (key, value, cost); a value costing more than a sixteenth of the table is not
    /// kept.
    pub(crate) fn keep(&self, values: Vec<(K, V, usize)>) {
        if values.is_empty() {
            return;
        }
        let Ok(mut entries) = self.inner.write() else {
            return;
        };
        for (key, value, cost) in values {
            if cost > self.max_cost / 16 {
                continue;
            }
            if entries.cost + cost > self.max_cost {
                entries.map.clear();
                entries.cost = 0;
            }
            if let Some((_, old)) = entries.map.insert(key, (value, cost)) {
                entries.cost -= old;
            }
            entries.cost += cost;
        }
    }

    #[cfg(test)]
    /// Entries kept, and their total cost.
    pub(crate) fn usage(&self) -> (usize, usize) {
        self.inner
            .read()
            .map(|entries| (entries.map.len(), entries.cost))
            .unwrap_or_default()
    }
}

/// The table under its read lock.
pub(crate) struct Reader<'a, K, V, S>(RwLockReadGuard<'a, Entries<K, V, S>>);

impl<K: Eq + Hash, V, S: BuildHasher> Reader<'_, K, V, S> {
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.0.map.get(key).map(|(value, _)| value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::RandomState;

    type Table = SharedTable<String, usize, RandomState>;

    #[test]
    fn values_are_made_once_then_kept_unless_not_worth_it() {
        let table = Table::new(1000);
        let mut made = Vec::new();
        for key in ["a", "bb", "a", "skip", "skip"] {
            let value = table
                .get_or_make(
                    key,
                    || {
                        made.push(key);
                        Ok::<_, ()>(key.len())
                    },
                    |value| (*value != 4).then_some(1),
                )
                .unwrap();
            assert_eq!(value, key.len());
        }
        assert_eq!(made, vec!["a", "bb", "skip", "skip"], "skip is never kept");
        assert_eq!(table.usage(), (2, 2));
        assert_eq!(table.read().unwrap().get("bb"), Some(&2));
    }

    #[test]
    fn the_table_stays_within_its_cost_and_skips_big_values() {
        let table = Table::new(160);
        for n in 0..100 {
            let key = format!("k{n}");
            table
                .get_or_make(key.as_str(), || Ok::<_, ()>(n), |_| Some(10))
                .unwrap();
            assert!(table.usage().1 <= 160);
        }
        assert!(table.usage().0 >= 1);
        table.keep(vec![("big".into(), 1, 11)]);
        assert_eq!(table.read().unwrap().get("big"), None, "over a sixteenth");
    }
}
