//! The emulator's in-memory resources, keyed by decoded path segments.

use std::collections::BTreeMap;

use serde_json::Value;

/// One tenant's resources by key (`["deviceManagement", "deviceCompliancePolicies", "<id>"]`),
/// in insertion order within a collection.
#[derive(Default, Debug, Clone)]
pub struct Store {
    items: BTreeMap<Vec<String>, (u64, Value)>,
    next_seq: u64,
}

/// A tenant with nothing stored: what a tenant reads before its first write.
pub(crate) static EMPTY: Store = Store::new();

impl Store {
    pub const fn new() -> Self {
        Self {
            items: BTreeMap::new(),
            next_seq: 0,
        }
    }

    pub fn get(&self, key: &[String]) -> Option<&Value> {
        self.items.get(key).map(|(_, v)| v)
    }

    pub fn contains(&self, key: &[String]) -> bool {
        self.items.contains_key(key)
    }

    pub fn put(&mut self, key: Vec<String>, value: Value) {
        match self.items.get_mut(&key) {
            Some(slot) => slot.1 = value,
            None => {
                self.next_seq += 1;
                self.items.insert(key, (self.next_seq, value));
            }
        }
    }

    /// Removes a resource and everything under it; false when it did not exist.
    pub fn remove_tree(&mut self, key: &[String]) -> bool {
        let existed = self.items.remove(key).is_some();
        self.items.retain(|k, _| !k.starts_with(key));
        existed
    }

    /// The direct children of a collection, in insertion order.
    pub fn children(&self, collection: &[String]) -> Vec<(Vec<String>, Value)> {
        let mut children: Vec<(u64, Vec<String>, Value)> = self
            .items
            .range(collection.to_vec()..)
            .take_while(|(k, _)| k.starts_with(collection))
            .filter(|(k, _)| k.len() == collection.len() + 1)
            .map(|(k, (seq, v))| (*seq, k.clone(), v.clone()))
            .collect();
        children.sort_by_key(|(seq, _, _)| *seq);
        children.into_iter().map(|(_, k, v)| (k, v)).collect()
    }

    /// Removes the direct children of a collection (and their subtrees).
    pub fn clear_collection(&mut self, collection: &[String]) {
        self.items
            .retain(|k, _| !(k.starts_with(collection) && k.len() > collection.len()));
    }
}

/// The key of a path, its segments percent-decoded: `/a/b%20c` → `["a", "b c"]`.
pub fn key_of(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}
