//! The Redis layer: answers shared by every replica, behind [`testdata::cache::Store`].
//!
//! Redis is never on the critical path of a request's success:
//! - every call has a short timeout (`REDIS_TIMEOUT_MS`);
//! - the first failure marks the link *degraded* (with the reason, for `/health` and
//!   `HealthCheck`) and wakes a supervisor task, which reconnects in the background with
//!   exponential backoff and jitter and checks the new link with `PING`;
//! - while degraded, calls skip Redis at once (the memory layer and the providers serve);
//! - when `PING` answers again the link is used again, without a restart.
//!
//! Keys are `{prefix}:v1:{cache key}` (the `v1` is this module's value format: a format
//! change bumps it, so old entries are never read as new ones); claims (one producer per key
//! across replicas) are `{prefix}:v1:claim:{cache key}`, set with `SET NX PX` and released by
//! a compare-and-delete script.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock, Weak};
use std::time::Duration;

use backon::BackoffBuilder;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use testdata::cache::{CacheError, Claim, Entry, Store, StoreFuture};
use tokio::sync::Notify;

use super::codec::{self, Encoded};
use crate::metrics::Metrics;

/// The version of the value format, part of every key.
pub const FORMAT_VERSION: &str = "v1";

/// Decompressed entries larger than this are refused (a corrupt length must not allocate
/// gigabytes).
const MAX_JSON_BYTES: usize = 512 * 1024 * 1024;

/// The settings of the Redis layer.
#[derive(Debug, Clone, PartialEq)]
pub struct RedisSettings {
    /// `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS).
    pub url: String,
    /// The first segment of every key (`testdata`).
    pub prefix: String,
    /// How long an entry lives.
    pub ttl: Duration,
    /// The most one Redis call (connect, command) may take.
    pub timeout: Duration,
    /// Entries whose JSON is longer are stored LZ4-compressed.
    pub compress_above: usize,
    /// Values longer than this (after compression) are not stored.
    pub max_value_bytes: usize,
    /// A claim's lease: a replica making an answer renews its claim every third of it, so a
    /// replica that dies stops holding the others up after at most this long.
    pub claim_ttl: Duration,
    /// A PEM file of the CA(s) to trust for `rediss://` instead of the system's roots.
    pub tls_ca_file: Option<std::path::PathBuf>,
}

impl RedisSettings {
    /// Settings for `url` with the defaults of the server's configuration.
    pub fn new(url: impl Into<String>) -> RedisSettings {
        RedisSettings {
            url: url.into(),
            prefix: "testdata".into(),
            ttl: Duration::from_secs(86_400),
            timeout: Duration::from_millis(250),
            compress_above: 8 * 1024,
            max_value_bytes: 16 * 1024 * 1024,
            claim_ttl: Duration::from_secs(5),
            tls_ca_file: None,
        }
    }

    /// The key prefix of this format version: `{prefix}:v1:`.
    pub fn versioned_prefix(&self) -> String {
        format!("{}:{FORMAT_VERSION}:", self.prefix)
    }
}

/// Whether Redis can be used right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// Connected; the last call worked.
    Healthy,
    /// Not usable: requests skip Redis until the supervisor reconnects. The reason says why.
    Degraded(String),
}

impl std::fmt::Display for LinkState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkState::Healthy => f.write_str("healthy"),
            LinkState::Degraded(reason) => write!(f, "degraded: {reason}"),
        }
    }
}

/// The Redis store. Cheap to share (`Arc`); its supervisor ends when the last copy is dropped.
#[derive(Debug)]
pub struct RedisStore {
    settings: RedisSettings,
    client: redis::Client,
    link: Arc<Link>,
    metrics: Arc<Metrics>,
}

/// The connection and its state, shared with the supervisor.
#[derive(Default)]
struct Link {
    connection: RwLock<Option<ConnectionManager>>,
    up: AtomicBool,
    reason: Mutex<String>,
    wake: Notify,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link").field("up", &self.up.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}

/// A Redis setting the client cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedisSetupError {
    /// `REDIS_URL` does not parse.
    #[error(
        "REDIS_URL (--redis-url) `{url}` is not a Redis URL ({reason}); give redis://host:6379 or rediss://host:6380"
    )]
    Url {
        /// The URL, with any password hidden.
        url: String,
        /// What the client said.
        reason: String,
    },
    /// `REDIS_TLS_CA_FILE` cannot be read.
    #[error(
        "REDIS_TLS_CA_FILE (--redis-tls-ca-file) `{path}` cannot be read ({reason}); give a PEM file of the CA that signed Redis's certificate"
    )]
    CaFile {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
}

impl RedisStore {
    /// A store for `settings`, not connected yet: call [`RedisStore::start`] inside a Tokio
    /// runtime. Fails only on a URL the client cannot parse.
    pub fn new(settings: RedisSettings, metrics: Arc<Metrics>) -> Result<RedisStore, RedisSetupError> {
        // `rediss://` uses rustls, which needs a process-wide crypto provider (a second
        // install is not an error).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let url_error =
            |e: redis::RedisError| RedisSetupError::Url { url: redact(&settings.url), reason: e.to_string() };
        let client = match &settings.tls_ca_file {
            None => redis::Client::open(settings.url.as_str()).map_err(url_error)?,
            Some(path) => {
                let pem = std::fs::read(path).map_err(|e| RedisSetupError::CaFile {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                let certificates = redis::TlsCertificates { client_tls: None, root_cert: Some(pem) };
                redis::Client::build_with_tls(settings.url.as_str(), certificates).map_err(url_error)?
            }
        };
        let link = Arc::new(Link::default());
        *link.reason.lock().unwrap_or_else(PoisonError::into_inner) = "not connected yet".into();
        metrics.redis_up.set(0);
        Ok(RedisStore { settings, client, link, metrics })
    }

    /// Connects once (bounded by the timeout) and starts the supervisor that reconnects in the
    /// background whenever the link degrades. A first connection that fails is logged and
    /// retried by the supervisor: the server starts without Redis.
    pub async fn start(&self) {
        match connect(&self.client, &self.settings).await {
            Ok(connection) => self.link.restore(connection, &self.metrics),
            Err(reason) => {
                tracing::warn!(url = %redact(&self.settings.url), %reason, "Redis unavailable at start; serving without it and reconnecting in the background");
                self.link.degrade(reason, &self.metrics);
            }
        }
        let supervisor = Supervisor {
            link: Arc::downgrade(&self.link),
            client: self.client.clone(),
            settings: self.settings.clone(),
            metrics: self.metrics.clone(),
        };
        tokio::spawn(supervisor.run());
    }

    /// Whether Redis is in use, or why not.
    pub fn state(&self) -> LinkState {
        if self.link.up.load(Ordering::Acquire) {
            LinkState::Healthy
        } else {
            LinkState::Degraded(self.link.reason())
        }
    }

    /// The Redis key of a cache key.
    pub fn redis_key(&self, key: &str) -> String {
        format!("{}{key}", self.settings.versioned_prefix())
    }

    fn claim_key(&self, key: &str) -> String {
        format!("{}claim:{key}", self.settings.versioned_prefix())
    }

    /// Runs `cmd` within the timeout. `Ok(None)`: skipped, the link is degraded. A connection
    /// failure or a timeout degrades the link; any failure is counted under `op`.
    async fn query<T: redis::FromRedisValue>(
        &self,
        op: &'static str,
        cmd: &redis::Cmd,
    ) -> Result<Option<T>, CacheError> {
        if !self.link.up.load(Ordering::Acquire) {
            return Ok(None);
        }
        let Some(mut connection) = self.link.connection() else { return Ok(None) };
        let outcome =
            tokio::time::timeout(self.settings.timeout, cmd.query_async::<T>(&mut connection)).await;
        let reason = match outcome {
            Ok(Ok(value)) => return Ok(Some(value)),
            Ok(Err(e)) if link_failure(&e) => format!("{op}: {e}"),
            Ok(Err(e)) => {
                self.metrics.redis_error(op);
                return Err(self.error(format!("{op}: {e}")));
            }
            Err(_) => {
                format!("{op}: no answer within {} ms (REDIS_TIMEOUT_MS)", self.settings.timeout.as_millis())
            }
        };
        self.metrics.redis_error(op);
        self.link.degrade(reason.clone(), &self.metrics);
        Err(self.error(reason))
    }

    /// The stored form of `entry`; `None` (logged) when it is above the size limit.
    fn value(&self, entry: &Entry) -> Result<Option<Vec<u8>>, CacheError> {
        match codec::encode(entry, self.settings.compress_above, self.settings.max_value_bytes) {
            Ok(Encoded::Value(v)) => Ok(Some(v)),
            Ok(Encoded::TooLarge(n)) => {
                tracing::warn!(key = %entry.key, bytes = n, limit = self.settings.max_value_bytes, "answer not cached in Redis: above CACHE_MAX_VALUE_BYTES");
                Ok(None)
            }
            Err(reason) => Err(self.error(reason)),
        }
    }

    /// A claim's lease in milliseconds.
    fn lease_ms(&self) -> u64 {
        self.settings.claim_ttl.as_millis().max(1) as u64
    }

    /// Runs a claim script (skipped while degraded; failures counted, never degrading).
    async fn script(
        &self,
        op: &'static str,
        invocation: &redis::ScriptInvocation<'_>,
    ) -> Result<(), CacheError> {
        if !self.link.up.load(Ordering::Acquire) {
            return Ok(());
        }
        let Some(mut connection) = self.link.connection() else { return Ok(()) };
        match tokio::time::timeout(self.settings.timeout, invocation.invoke_async::<i64>(&mut connection))
            .await
        {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => {
                self.metrics.redis_error(op);
                Err(self.error(format!("{op}: {e}")))
            }
            Err(_) => {
                self.metrics.redis_error(op);
                Err(self.error(format!("{op}: no answer within {} ms", self.settings.timeout.as_millis())))
            }
        }
    }

    fn error(&self, message: String) -> CacheError {
        CacheError { store: "redis".into(), message }
    }

    /// Keys under `prefix` (SCAN, never KEYS) with their value sizes and remaining TTLs.
    pub async fn scan(&self, prefix: &str) -> Result<Vec<KeyInfo>, CacheError> {
        let mut connection = self.direct().await?;
        let pattern = format!("{}*", escape_glob(prefix));
        let mut cursor = 0u64;
        let mut keys = Vec::new();
        loop {
            let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut connection)
                .await
                .map_err(|e| self.error(format!("SCAN: {e}")))?;
            if !batch.is_empty() {
                let mut pipe = redis::pipe();
                for key in &batch {
                    pipe.cmd("STRLEN").arg(key).cmd("PTTL").arg(key);
                }
                let sizes: Vec<i64> = pipe
                    .query_async(&mut connection)
                    .await
                    .map_err(|e| self.error(format!("STRLEN/PTTL: {e}")))?;
                for (key, pair) in batch.into_iter().zip(sizes.chunks(2)) {
                    keys.push(KeyInfo { key, bytes: pair[0].max(0) as u64, ttl_ms: pair[1] });
                }
            }
            cursor = next;
            if cursor == 0 {
                return Ok(keys);
            }
        }
    }

    /// Deletes every key under `prefix` (SCAN + UNLINK); the number deleted.
    pub async fn clear(&self, prefix: &str) -> Result<u64, CacheError> {
        let keys = self.scan(prefix).await?;
        let mut connection = self.direct().await?;
        let mut deleted = 0u64;
        for chunk in keys.chunks(500) {
            let mut cmd = redis::cmd("UNLINK");
            for k in chunk {
                cmd.arg(&k.key);
            }
            let n: u64 =
                cmd.query_async(&mut connection).await.map_err(|e| self.error(format!("UNLINK: {e}")))?;
            deleted += n;
        }
        Ok(deleted)
    }

    /// A connection for the CLI: made now, an error if Redis cannot be reached.
    async fn direct(&self) -> Result<ConnectionManager, CacheError> {
        if let Some(c) = self.link.connection()
            && self.link.up.load(Ordering::Acquire)
        {
            return Ok(c);
        }
        connect(&self.client, &self.settings).await.map_err(|reason| self.error(reason))
    }
}

/// A key found by [`RedisStore::scan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// The key.
    pub key: String,
    /// The value's length in bytes.
    pub bytes: u64,
    /// Milliseconds left to live (-1: no TTL).
    pub ttl_ms: i64,
}

impl Store for RedisStore {
    fn name(&self) -> &str {
        "redis"
    }

    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Arc<Entry>>> {
        Box::pin(async move {
            let value: Option<Option<Vec<u8>>> =
                self.query("get", redis::cmd("GET").arg(self.redis_key(key))).await?;
            let Some(Some(bytes)) = value else { return Ok(None) };
            match codec::decode(key, &bytes, MAX_JSON_BYTES) {
                Ok(entry) => Ok(Some(Arc::new(entry))),
                Err(reason) => {
                    self.metrics.redis_error("decode");
                    Err(self.error(format!("{}: {reason}; treated as a miss", self.redis_key(key))))
                }
            }
        })
    }

    fn put(&self, entry: Arc<Entry>) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let Some(value) = self.value(&entry)? else { return Ok(()) };
            let ttl = self.settings.ttl.as_millis().max(1) as u64;
            let mut cmd = redis::cmd("SET");
            cmd.arg(self.redis_key(&entry.key)).arg(value).arg("PX").arg(ttl);
            self.query::<()>("set", &cmd).await.map(drop)
        })
    }

    fn shared(&self) -> bool {
        true
    }

    fn put_first(&self, entry: Arc<Entry>) -> StoreFuture<'_, Arc<Entry>> {
        Box::pin(async move {
            let Some(value) = self.value(&entry)? else { return Ok(entry) };
            let ttl = self.settings.ttl.as_millis().max(1) as u64;
            let mut cmd = redis::cmd("SET");
            cmd.arg(self.redis_key(&entry.key)).arg(value).arg("PX").arg(ttl).arg("NX");
            match self.query::<Option<String>>("set", &cmd).await? {
                Some(None) => {}
                _ => return Ok(entry),
            }
            // The key holds an answer already (another replica raced us): keep that one,
            // unless it is unreadable, in which case ours replaces it.
            match self.get(&entry.key).await {
                Ok(Some(kept)) => Ok(kept),
                _ => {
                    self.put(entry.clone()).await?;
                    Ok(entry)
                }
            }
        })
    }

    fn claim<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Claim> {
        Box::pin(async move {
            let token = claim_token();
            let mut cmd = redis::cmd("SET");
            cmd.arg(self.claim_key(key)).arg(&token).arg("NX").arg("PX").arg(self.lease_ms());
            Ok(match self.query::<Option<String>>("claim", &cmd).await? {
                None => Claim::Unsupported,
                Some(Some(_)) => Claim::Won { token, renew_every: self.settings.claim_ttl / 3 },
                Some(None) => Claim::Held,
            })
        })
    }

    fn renew<'a>(&'a self, key: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let script = redis::Script::new(RENEW);
            let mut cmd = script.prepare_invoke();
            cmd.key(self.claim_key(key)).arg(token).arg(self.lease_ms());
            self.script("claim", &cmd).await
        })
    }

    fn claimed<'a>(&'a self, key: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let held: Option<bool> =
                self.query("claim", redis::cmd("EXISTS").arg(self.claim_key(key))).await?;
            Ok(held.unwrap_or(false))
        })
    }

    fn release<'a>(&'a self, key: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let script = redis::Script::new(RELEASE);
            let mut cmd = script.prepare_invoke();
            cmd.key(self.claim_key(key)).arg(token);
            self.script("claim", &cmd).await
        })
    }
}

/// Extends the claim only if it still holds our token.
const RENEW: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

/// Deletes the claim only if it still holds our token (it may have expired and been taken).
const RELEASE: &str =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

impl Link {
    fn connection(&self) -> Option<ConnectionManager> {
        self.connection.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn reason(&self) -> String {
        self.reason.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn restore(&self, connection: ConnectionManager, metrics: &Metrics) {
        *self.connection.write().unwrap_or_else(PoisonError::into_inner) = Some(connection);
        self.up.store(true, Ordering::Release);
        metrics.redis_up.set(1);
        tracing::info!("Redis connected; the shared cache is in use");
    }

    fn degrade(&self, reason: String, metrics: &Metrics) {
        *self.reason.lock().unwrap_or_else(PoisonError::into_inner) = reason.clone();
        if self.up.swap(false, Ordering::AcqRel) {
            tracing::warn!(%reason, "Redis degraded: requests skip it until it answers again");
        }
        metrics.redis_up.set(0);
        self.wake.notify_one();
    }
}

/// The background task that brings a degraded link back.
struct Supervisor {
    link: Weak<Link>,
    client: redis::Client,
    settings: RedisSettings,
    metrics: Arc<Metrics>,
}

impl Supervisor {
    async fn run(self) {
        loop {
            let Some(link) = self.link.upgrade() else { return };
            if link.up.load(Ordering::Acquire) {
                // Woken by a failure; re-checks now and then, so a dropped store ends its
                // supervisor within a second.
                let _ = tokio::time::timeout(Duration::from_secs(1), link.wake.notified()).await;
                continue;
            }
            drop(link);
            self.reconnect().await;
        }
    }

    /// Tries until the link is back (or the store is gone), waiting with exponential backoff
    /// and jitter between attempts.
    async fn reconnect(&self) {
        let mut delays = backon::ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(50))
            .with_max_delay(Duration::from_secs(5))
            .with_jitter()
            .without_max_times()
            .build();
        loop {
            let outcome = connect(&self.client, &self.settings).await;
            let Some(link) = self.link.upgrade() else { return };
            match outcome {
                Ok(connection) => return link.restore(connection, &self.metrics),
                Err(reason) => {
                    *link.reason.lock().unwrap_or_else(PoisonError::into_inner) = reason;
                }
            }
            drop(link);
            tokio::time::sleep(delays.next().unwrap_or(Duration::from_secs(5))).await;
        }
    }
}

/// A new connection, checked with `PING`, within the timeout.
async fn connect(client: &redis::Client, settings: &RedisSettings) -> Result<ConnectionManager, String> {
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(settings.timeout))
        .set_response_timeout(Some(settings.timeout))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_millis(100));
    let attempt = async {
        let mut connection = ConnectionManager::new_with_config(client.clone(), config).await?;
        redis::cmd("PING").query_async::<String>(&mut connection).await?;
        Ok::<_, redis::RedisError>(connection)
    };
    match tokio::time::timeout(settings.timeout * 2, attempt).await {
        Ok(Ok(connection)) => Ok(connection),
        Ok(Err(e)) => Err(format!("cannot connect to {}: {e}", redact(&settings.url))),
        Err(_) => Err(format!(
            "{} accepted no PING within {} ms (REDIS_TIMEOUT_MS)",
            redact(&settings.url),
            (settings.timeout * 2).as_millis()
        )),
    }
}

/// Whether `e` says the link itself is broken (rather than one command being wrong).
fn link_failure(e: &redis::RedisError) -> bool {
    e.is_io_error()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_timeout()
        || e.is_unrecoverable_error()
}

/// A random claim token (process-unique enough: a clash only costs a duplicate call).
fn claim_token() -> String {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    if ring::rand::SystemRandom::new().fill(&mut bytes).is_err() {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        bytes.copy_from_slice(&nanos.to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `url` with its password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let (auth, host) = match rest.rsplit_once('@') {
        Some(parts) => parts,
        None => return url.to_owned(),
    };
    let user = auth.split_once(':').map_or(auth, |(u, _)| u);
    format!("{scheme}://{user}:***@{host}")
}

/// `prefix` with Redis glob characters escaped, for `SCAN MATCH prefix*`.
fn escape_glob(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len());
    for c in prefix.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(redact("redis://:secret@cache:6379/0"), "redis://:***@cache:6379/0");
        assert_eq!(redact("rediss://app:secret@cache:6380"), "rediss://app:***@cache:6380");
        assert_eq!(redact("redis://cache:6379"), "redis://cache:6379");
    }

    #[test]
    fn scan_patterns_match_the_prefix_literally() {
        assert_eq!(escape_glob("testdata:v1:"), "testdata:v1:");
        assert_eq!(escape_glob("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\");
    }

    #[test]
    fn bad_urls_are_refused_with_the_setting_to_fix() {
        let e = RedisStore::new(RedisSettings::new("http://nope"), Arc::new(Metrics::new())).unwrap_err();
        assert!(e.to_string().contains("REDIS_URL"), "{e}");
    }
}
