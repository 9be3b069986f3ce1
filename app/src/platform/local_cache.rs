//! An in-process copy in front of the Redis cache, for values that every page view reads and
//! that rarely change (the category tree). Each instance keeps its own copy:
//! `cache::invalidate` publishes the keys it deletes, and every instance's listener drops its
//! copies of them. A copy also expires after `MAX_AGE`, in case a message is lost while the
//! listener reconnects.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The Redis channel (under the key prefix) that carries invalidated keys, one per line.
pub const CHANNEL: &str = "cache:invalidate";
pub const MAX_AGE: Duration = Duration::from_secs(60);

type Entry = (Arc<dyn Any + Send + Sync>, Instant);

#[derive(Clone, Default)]
pub struct LocalCache {
    entries: Arc<RwLock<HashMap<String, Entry>>>,
    /// Bumped by every invalidation, so that a value read from Redis before an invalidation
    /// is not kept after it.
    generation: Arc<AtomicU64>,
}

impl LocalCache {
    pub fn get<T: Send + Sync + 'static>(&self, key: &str) -> Option<Arc<T>> {
        let entries = self.entries.read().ok()?;
        let (value, at) = entries.get(key)?;
        if at.elapsed() > MAX_AGE {
            return None;
        }
        value.clone().downcast::<T>().ok()
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps `value`, unless an invalidation happened since `generation` was read.
    pub fn put<T: Send + Sync + 'static>(&self, key: &str, value: Arc<T>, generation: u64) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if self.generation.load(Ordering::Acquire) == generation {
            entries.insert(key.to_owned(), (value, Instant::now()));
        }
    }

    pub fn remove<K: AsRef<str>>(&self, keys: &[K]) {
        // Under the write lock, so that no `put` falls between the bump and the removal.
        if let Ok(mut entries) = self.entries.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            for k in keys {
                entries.remove(k.as_ref());
            }
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_read_before_an_invalidation_is_not_kept() {
        let cache = LocalCache::default();
        let before = cache.generation();
        cache.remove(&["tree"]);
        cache.put("tree", Arc::new(1u32), before);
        assert!(cache.get::<u32>("tree").is_none());
        cache.put("tree", Arc::new(2u32), cache.generation());
        assert_eq!(cache.get::<u32>("tree").as_deref(), Some(&2));
        assert!(cache.get::<String>("tree").is_none(), "wrong type");
        cache.clear();
        assert!(cache.get::<u32>("tree").is_none());
    }
}
