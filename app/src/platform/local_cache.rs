//! An in-process copy in front of the Redis cache, for values that every page view reads and
//! that rarely change (the category tree). Each instance keeps its own copy:
//! `cache::invalidate` publishes the keys it deletes, and every instance's listener drops its
//! copies of them. A copy also expires after `MAX_AGE`, in case a message is lost while the
//! listener reconnects.
//!
//! A short-lived entry (a rendered listing) depends on many keys at once, so every
//! invalidation drops all of them, and each lives at most the age it was stored with.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The Redis channel (under the key prefix) that carries invalidated keys, one per line.
pub const CHANNEL: &str = "cache:invalidate";
pub const MAX_AGE: Duration = Duration::from_secs(60);

struct Entry {
    value: Arc<dyn Any + Send + Sync>,
    at: Instant,
    max_age: Duration,
}

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
        let entry = entries.get(key)?;
        if entry.at.elapsed() > entry.max_age {
            return None;
        }
        entry.value.clone().downcast::<T>().ok()
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps `value`, unless an invalidation happened since `generation` was read.
    pub fn put<T: Send + Sync + 'static>(&self, key: &str, value: Arc<T>, generation: u64) {
        self.put_for(key, value, generation, MAX_AGE);
    }

    /// `put` for at most `max_age`; shorter than `MAX_AGE` makes it short-lived (see above).
    pub fn put_for<T: Send + Sync + 'static>(
        &self,
        key: &str,
        value: Arc<T>,
        generation: u64,
        max_age: Duration,
    ) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if self.generation.load(Ordering::Acquire) == generation {
            let max_age = max_age.min(MAX_AGE);
            let at = Instant::now();
            entries.insert(key.to_owned(), Entry { value, at, max_age });
        }
    }

    pub fn remove<K: AsRef<str>>(&self, keys: &[K]) {
        // Under the write lock, so that no `put` falls between the bump and the removal.
        if let Ok(mut entries) = self.entries.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            for k in keys {
                entries.remove(k.as_ref());
            }
            entries.retain(|_, e| e.max_age >= MAX_AGE);
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

    #[test]
    fn short_lived_entries_expire_and_go_with_any_invalidation() {
        let cache = LocalCache::default();
        let g = cache.generation();
        cache.put_for("listing", Arc::new(1u32), g, Duration::from_millis(30));
        cache.put("tree", Arc::new(2u32), g);
        assert_eq!(cache.get::<u32>("listing").as_deref(), Some(&1));
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.get::<u32>("listing").is_none(), "outlived its age");

        let g = cache.generation();
        cache.put_for("listing", Arc::new(3u32), g, Duration::from_secs(5));
        cache.remove(&["product:other"]);
        assert!(
            cache.get::<u32>("listing").is_none(),
            "kept past an invalidation"
        );
        assert_eq!(
            cache.get::<u32>("tree").as_deref(),
            Some(&2),
            "a long-lived entry stays"
        );
    }
}
