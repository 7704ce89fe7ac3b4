//! Answers of the paths that need outside help (LLM, later RAG and Hybrid), stored so that the
//! same request gives the same bytes again — in this process, in checked-in cassette files,
//! and (in the server) in Redis.
//!
//! One trait, [`Store`]; [`MemoryStore`] (moka) and [`CassetteStore`] (a directory of JSONL
//! files, one per entity, meant to be committed); [`Layers`] reads them in order and writes to
//! all. A layer that fails is skipped with a warning: a cache never fails a request. The key
//! ([`key`]) is a SHA-256 of every input of the answer.
//!
//! A store shared by several processes (the server's Redis store) can also hand out short
//! [`Claim`]s on a key, so replicas asked the same question at once make one provider call:
//! the others wait for the answer to appear in the store. A claim that is lost or expires only
//! costs a duplicate call, never a wrong answer.

mod cassette;
mod memory;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use cassette::CassetteStore;
pub use memory::MemoryStore;

use crate::llm::Usage;

/// The future of a store operation.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, CacheError>> + Send + 'a>>;

/// How answers are cached (`TESTDATA_LLM_MODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Serve from the cache; on a miss call the provider and store the answer (the default).
    Record,
    /// Serve from the cache only; a miss is an error naming the request and its key (CI
    /// without network or keys).
    Replay,
    /// No cache: every request calls the provider.
    Off,
}

impl Mode {
    /// Parses `record`, `replay` or `off`.
    pub fn parse(s: &str) -> Option<Mode> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "record" => Mode::Record,
            "replay" => Mode::Replay,
            "off" | "none" => Mode::Off,
            _ => return None,
        })
    }

    /// `record`, `replay` or `off`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Record => "record",
            Mode::Replay => "replay",
            Mode::Off => "off",
        }
    }
}

/// A stored answer: the validated records and what producing them cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The cache key.
    pub key: String,
    /// A readable summary of the request (entity, count, seed, first index, provider, model,
    /// prompt): what a reviewer of a cassette file sees.
    pub request: Value,
    /// The records, validated and repaired, in order.
    pub records: Vec<Value>,
    /// The tokens the answer cost when it was made.
    pub usage: Usage,
    /// How many records needed a repair.
    pub records_repaired: u64,
    /// How many fields were repaired.
    pub fields_repaired: u64,
}

impl Entry {
    /// The entity the entry is for (`request.entity`), for file names and logs.
    pub fn entity(&self) -> &str {
        self.request.get("entity").and_then(Value::as_str).unwrap_or("unknown")
    }
}

/// A store failure (I/O, a corrupt entry, an unreachable server).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cache store {store}: {message}")]
pub struct CacheError {
    /// The store (`memory`, `cassettes`, `redis`).
    pub store: String,
    /// What went wrong.
    pub message: String,
}

/// A place answers are kept.
pub trait Store: Send + Sync + fmt::Debug {
    /// The store's name (`memory`, `cassettes`, `redis`): logs and metrics.
    fn name(&self) -> &str;
    /// The entry under `key`.
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Arc<Entry>>>;
    /// Stores `entry` under its key.
    fn put(&self, entry: Arc<Entry>) -> StoreFuture<'_, ()>;
    /// Whether several processes share this store (so two of them may race to fill a key).
    fn shared(&self) -> bool {
        false
    }
    /// Stores `entry` unless its key already holds one, and returns the entry that stays
    /// there. A shared store keeps the first answer written (e.g. `SET NX`), so replicas that
    /// made the same answer at once converge on one; the default stores `entry`.
    fn put_first(&self, entry: Arc<Entry>) -> StoreFuture<'_, Arc<Entry>> {
        Box::pin(async move {
            self.put(entry.clone()).await?;
            Ok(entry)
        })
    }
    /// Claims `key` for one producer across processes sharing this store. Stores that are not
    /// shared answer [`Claim::Unsupported`] (the default). A claim is a lease: the producer
    /// renews it ([`Store::renew`]) while it works, so it lapses soon after a producer dies.
    fn claim<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Claim> {
        let _ = key;
        Box::pin(async { Ok(Claim::Unsupported) })
    }
    /// Extends a claim won with [`Claim::Won`] (only if it still holds that token).
    fn renew<'a>(&'a self, key: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        let _ = (key, token);
        Box::pin(async { Ok(()) })
    }
    /// Whether some process holds a claim on `key`.
    fn claimed<'a>(&'a self, key: &'a str) -> StoreFuture<'a, bool> {
        let _ = key;
        Box::pin(async { Ok(false) })
    }
    /// Gives back a claim won with [`Claim::Won`] (only if it still holds that token).
    fn release<'a>(&'a self, key: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        let _ = (key, token);
        Box::pin(async { Ok(()) })
    }
}

/// The outcome of [`Store::claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This process produces the answer: renew the claim every `renew_every` while working,
    /// and release it with `token` afterwards.
    Won {
        /// Proves the claim is this process's.
        token: String,
        /// How often to renew it.
        renew_every: Duration,
    },
    /// Another process is producing it: wait for its answer while its claim lasts.
    Held,
    /// The store is not shared (or cannot claim right now): produce the answer.
    Unsupported,
}

/// Stores read in order (the first hit wins and fills the layers before it) and written
/// together. A failing layer is logged and skipped.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    stores: Vec<Arc<dyn Store>>,
}

impl Layers {
    /// Layers over `stores`, fastest first.
    pub fn new(stores: Vec<Arc<dyn Store>>) -> Layers {
        Layers { stores }
    }

    /// Whether there is no store.
    pub fn is_empty(&self) -> bool {
        self.stores.is_empty()
    }

    /// The stores, in order.
    pub fn stores(&self) -> &[Arc<dyn Store>] {
        &self.stores
    }

    /// The entry under `key` and the store that had it.
    pub async fn get(&self, key: &str) -> Option<(Arc<Entry>, String)> {
        for (k, store) in self.stores.iter().enumerate() {
            match store.get(key).await {
                Ok(Some(entry)) => {
                    for before in &self.stores[..k] {
                        if let Err(e) = before.put(entry.clone()).await {
                            warn(&e);
                        }
                    }
                    return Some((entry, store.name().to_owned()));
                }
                Ok(None) => {}
                Err(e) => warn(&e),
            }
        }
        None
    }

    /// Inserts `store` at `position` (clamped to the end).
    pub fn insert(&mut self, position: usize, store: Arc<dyn Store>) {
        let position = position.min(self.stores.len());
        self.stores.insert(position, store);
    }

    /// Claims `key` in the first store that supports claims (see [`Store::claim`]), with the
    /// name of that store. A failing store is skipped.
    pub async fn claim(&self, key: &str) -> (Claim, Option<Arc<dyn Store>>) {
        for store in &self.stores {
            match store.claim(key).await {
                Ok(Claim::Unsupported) => {}
                Ok(claim) => return (claim, Some(store.clone())),
                Err(e) => warn(&e),
            }
        }
        (Claim::Unsupported, None)
    }

    /// Stores a newly made `entry` and returns the answer that stays: the shared stores are
    /// written first, keeping an answer another process stored meanwhile (which then goes to
    /// the other layers instead of `entry`), so every replica serves the same bytes.
    pub async fn settle(&self, entry: Arc<Entry>) -> Arc<Entry> {
        let mut settled = entry;
        for store in self.stores.iter().filter(|s| s.shared()) {
            match store.put_first(settled.clone()).await {
                Ok(kept) => settled = kept,
                Err(e) => warn(&e),
            }
        }
        for store in self.stores.iter().filter(|s| !s.shared()) {
            if let Err(e) = store.put(settled.clone()).await {
                warn(&e);
            }
        }
        settled
    }

    /// Stores `entry` in every layer.
    pub async fn put(&self, entry: Arc<Entry>) {
        for store in &self.stores {
            if let Err(e) = store.put(entry.clone()).await {
                warn(&e);
            }
        }
    }
}

fn warn(e: &CacheError) {
    tracing::warn!(store = %e.store, error = %e.message, "cache layer skipped");
}

/// The cache key of `material` (any JSON naming every input of the answer): `llm:v1:` and the
/// SHA-256 of its compact JSON text, in hex. `serde_json` keeps object keys in insertion
/// order here, so callers build the material in a fixed order.
pub fn key(namespace: &str, material: &Value) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, material.to_string().as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest.as_ref() {
        use std::fmt::Write;
        let _ = write!(hex, "{b:02x}");
    }
    format!("{namespace}:v1:{hex}")
}
