//! The in-process store: a bounded moka cache.

use std::sync::Arc;

use super::{Entry, Store, StoreFuture};

/// Entries in memory, least recently used evicted past the capacity.
#[derive(Debug, Clone)]
pub struct MemoryStore {
    entries: moka::future::Cache<String, Arc<Entry>>,
}

impl MemoryStore {
    /// A store of at most `capacity` entries.
    pub fn new(capacity: u64) -> MemoryStore {
        MemoryStore { entries: moka::future::Cache::new(capacity.max(1)) }
    }
}

impl Store for MemoryStore {
    fn name(&self) -> &str {
        "memory"
    }

    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Arc<Entry>>> {
        Box::pin(async move { Ok(self.entries.get(key).await) })
    }

    fn put(&self, entry: Arc<Entry>) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.entries.insert(entry.key.clone(), entry).await;
            Ok(())
        })
    }
}
