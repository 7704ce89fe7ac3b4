//! `testdata cache stats|clear`: what the shared cache holds, and emptying it.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

use testdata::cache::CacheError;

use super::{KeyInfo, RedisSettings, RedisStore};
use crate::metrics::Metrics;

/// Keys of one group (`{prefix}:{version}:{namespace}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Group {
    /// How many keys.
    pub keys: u64,
    /// Their values' bytes.
    pub bytes: u64,
    /// The shortest time to live left, in seconds (`None`: no key with a TTL).
    pub min_ttl_seconds: Option<u64>,
    /// The longest.
    pub max_ttl_seconds: Option<u64>,
}

/// What [`stats`] found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// The key prefix looked under.
    pub prefix: String,
    /// Keys by group.
    pub groups: BTreeMap<String, Group>,
}

fn connect(settings: RedisSettings) -> Result<RedisStore, CacheError> {
    RedisStore::new(settings, Arc::new(Metrics::new()))
        .map_err(|e| CacheError { store: "redis".into(), message: e.to_string() })
}

/// The keys under `prefix`, grouped by their first three segments.
pub async fn stats(settings: RedisSettings, prefix: &str) -> Result<Stats, CacheError> {
    let keys = connect(settings)?.scan(prefix).await?;
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for KeyInfo { key, bytes, ttl_ms } in keys {
        let group_name: String = key.splitn(4, ':').take(3).collect::<Vec<_>>().join(":");
        let group = groups.entry(group_name).or_default();
        group.keys += 1;
        group.bytes += bytes;
        if ttl_ms >= 0 {
            let s = ttl_ms as u64 / 1000;
            group.min_ttl_seconds = Some(group.min_ttl_seconds.map_or(s, |m| m.min(s)));
            group.max_ttl_seconds = Some(group.max_ttl_seconds.map_or(s, |m| m.max(s)));
        }
    }
    Ok(Stats { prefix: prefix.to_owned(), groups })
}

/// Deletes every key under `prefix`; how many.
pub async fn clear(settings: RedisSettings, prefix: &str) -> Result<u64, CacheError> {
    connect(settings)?.clear(prefix).await
}

impl Stats {
    /// A table for people.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let (keys, bytes) = self.groups.values().fold((0, 0), |(k, b), g| (k + g.keys, b + g.bytes));
        let _ = writeln!(out, "{keys} keys, {} under `{}`", human(bytes), self.prefix);
        for (name, g) in &self.groups {
            let ttl = match (g.min_ttl_seconds, g.max_ttl_seconds) {
                (Some(lo), Some(hi)) => format!("ttl {lo}s..{hi}s"),
                _ => "no ttl".into(),
            };
            let _ = writeln!(out, "  {name:<32} {:>8} keys {:>10}  {ttl}", g.keys, human(g.bytes));
        }
        out
    }
}

fn human(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / f64::from(1 << 10)),
        b => format!("{b} B"),
    }
}
