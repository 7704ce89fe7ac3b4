//! Configuration: command-line flags, each with the environment variable of the service it
//! replaces (`GRPC_PORT`, `HTTP_PORT`, `LOG_LEVEL`, `MAX_SYNC_RECORDS`, …). Zero configuration
//! gives a working server on gRPC 9091 and HTTP 8091; no API key is needed.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{ArgAction, Args};

pub use crate::limits::Limits;

/// Everything the server reads at start. Validated by [`Config::validate`].
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address both listeners bind to.
    #[arg(long, env = "HOST", default_value = "0.0.0.0")]
    pub host: IpAddr,
    /// gRPC port (0 picks a free port).
    #[arg(long, env = "GRPC_PORT", default_value_t = 9091)]
    pub grpc_port: u16,
    /// HTTP port for health, metrics and `POST /v1/generate` (0 picks a free port).
    #[arg(long, env = "HTTP_PORT", default_value_t = 8091)]
    pub http_port: u16,
    /// Log filter: a level (`info`, `debug`, …) or a tracing directive list.
    #[arg(long, env = "LOG_LEVEL", default_value = "info")]
    pub log_level: String,
    /// Most records one `GenerateData` call returns; more must stream.
    #[arg(long, env = "MAX_SYNC_RECORDS", default_value_t = 1000)]
    pub max_sync_records: u32,
    /// Records per stream chunk when the request does not set `batch_size`.
    #[arg(long, env = "DEFAULT_BATCH_SIZE", default_value_t = 50)]
    pub default_batch_size: u32,
    /// Largest `batch_size` a request may ask for.
    #[arg(long, env = "MAX_BATCH_SIZE", default_value_t = 10_000)]
    pub max_batch_size: u32,
    /// Most records one stream may have (`count`).
    #[arg(long, env = "MAX_STREAM_RECORDS", default_value_t = 100_000_000)]
    pub max_stream_records: u64,
    /// Chunks a stream may generate ahead of a slow reader (the bound of its buffer).
    #[arg(long, env = "STREAM_BUFFER_CHUNKS", default_value_t = 4)]
    pub stream_buffer_chunks: usize,
    /// Largest gRPC message received or sent, in bytes (default 50 MiB).
    #[arg(long, env = "MAX_MESSAGE_BYTES", default_value_t = 50 * 1024 * 1024)]
    pub max_message_bytes: usize,
    /// Limits on hostile input (schema size, HTTP body size and read timeout).
    #[command(flatten)]
    pub limits: Limits,
    /// A directory of extra schema files (`*.json`, searched recursively), loaded at start.
    /// A file with a built-in schema's name replaces it.
    #[arg(long, env = "SCHEMAS_DIR")]
    pub schemas_dir: Option<PathBuf>,
    /// Compiled per-request schemas kept in memory (inline schemas, constraints, overrides).
    #[arg(long, env = "SCHEMA_CACHE_CAPACITY", default_value_t = 1024)]
    pub schema_cache_capacity: u64,
    /// Probability of an edge-case value when a request sets `defect_triggering`.
    #[arg(long, env = "DEFECT_RATE", default_value_t = 0.25)]
    pub defect_rate: f64,
    /// Redis shared by every replica for LLM, RAG and Hybrid answers
    /// (`redis://[user:password@]host:6379[/db]`, `rediss://` for TLS). Unset: memory only.
    #[arg(long, env = "REDIS_URL")]
    pub redis_url: Option<String>,
    /// PEM file of the CA(s) to trust for `rediss://` instead of the system's roots.
    #[arg(long, env = "REDIS_TLS_CA_FILE")]
    pub redis_tls_ca_file: Option<PathBuf>,
    /// Seconds a cached answer lives in Redis.
    #[arg(long, env = "CACHE_TTL_SECONDS", default_value_t = 86_400)]
    pub cache_ttl_seconds: u64,
    /// First segment of every Redis key (`{prefix}:v1:…`), to share one Redis between services.
    #[arg(long, env = "CACHE_KEY_PREFIX", default_value = "testdata")]
    pub cache_key_prefix: String,
    /// Milliseconds one Redis call may take before the request goes on without Redis.
    #[arg(long, env = "REDIS_TIMEOUT_MS", default_value_t = 250)]
    pub redis_timeout_ms: u64,
    /// Cached answers whose JSON is longer than this are stored LZ4-compressed.
    #[arg(long, env = "CACHE_COMPRESS_ABOVE_BYTES", default_value_t = 8 * 1024)]
    pub cache_compress_above_bytes: usize,
    /// Answers larger than this (after compression) are not stored in Redis (logged).
    #[arg(long, env = "CACHE_MAX_VALUE_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub cache_max_value_bytes: usize,
    /// Lease in milliseconds of a replica's claim on an answer it is making (renewed every
    /// third of it while it works): other replicas asked the same wait for that answer, and
    /// claim it themselves once a claim lapses (its replica died or lost Redis).
    #[arg(long, env = "CACHE_CLAIM_MS", default_value_t = 5_000)]
    pub cache_claim_ms: u64,
    /// Deployment environment, reported by `/health` (`development`, `production`, …).
    #[arg(long, env = "ENVIRONMENT", default_value = "development")]
    pub environment: String,
    /// Service name, reported by `/health` (the old service said `test-data-agent`).
    #[arg(long, env = "SERVICE_NAME", default_value = "testdata-server")]
    pub service_name: String,
    /// Serve `/metrics` (`false`: 404 "Metrics disabled").
    #[arg(long, env = "PROMETHEUS_ENABLED", default_value_t = true, action = ArgAction::Set)]
    pub prometheus_enabled: bool,
    /// Log format on stderr: `json` (one object per line, with `request_id`) or `text`.
    #[arg(long, env = "LOG_FORMAT", default_value = "json")]
    pub log_format: LogFormat,
    /// OTLP/gRPC collector for spans (e.g. `http://otel-collector:4317`); unset: no export.
    #[arg(long, env = "OTEL_EXPORTER_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,
    /// The old service's collector variable; used when `OTEL_EXPORTER_OTLP_ENDPOINT` is unset
    /// and `TRACING_ENABLED` is not `false`.
    #[arg(long = "otlp-endpoint-legacy", env = "OTLP_ENDPOINT", hide = true)]
    pub otlp_endpoint_legacy: Option<String>,
    /// The old service's switch for `OTLP_ENDPOINT` (`false` turns the export off).
    #[arg(long, env = "TRACING_ENABLED", action = ArgAction::Set)]
    pub tracing_enabled: Option<bool>,
    /// API keys accepted in `x-api-key` or `authorization: Bearer` (flag repeated, or
    /// `API_KEYS` comma-separated). None: no authentication.
    #[arg(long = "api-key", env = "API_KEYS", value_delimiter = ',')]
    pub api_keys: Vec<String>,
    /// Requests per second allowed per API key (or per client IP without keys); 0: no limit.
    #[arg(long, env = "RATE_LIMIT_RPS", default_value_t = 0)]
    pub rate_limit_rps: u32,
    /// Requests a key may make at once above the steady rate (0: the same as the rate).
    #[arg(long, env = "RATE_LIMIT_BURST", default_value_t = 0)]
    pub rate_limit_burst: u32,
    /// PEM certificate chain: with `--tls-key`, gRPC is served over TLS (rustls).
    #[arg(long, env = "TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of `--tls-cert`.
    #[arg(long, env = "TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Threads serving gRPC connections, each with its own runtime (0: one per core).
    #[arg(long, env = "GRPC_THREADS", default_value_t = 0)]
    pub grpc_threads: usize,
    /// Chunks of one stream generated at once (0: one per core, at least 2).
    #[arg(long, env = "STREAM_PARALLELISM", default_value_t = 0)]
    pub stream_parallelism: usize,
    /// Seconds in-flight requests and streams may take to finish after SIGTERM/SIGINT.
    #[arg(long, env = "SHUTDOWN_GRACE_SECONDS", default_value_t = 30)]
    pub shutdown_grace_seconds: u64,
    /// A directory of pattern files (`*.jsonl`, docs/rag.md) indexed at start with the bundled
    /// patterns (a pattern with a bundled pattern's id replaces it).
    #[arg(long, env = "PATTERNS_DIR")]
    pub patterns_dir: Option<PathBuf>,
    /// Patterns retrieved per RAG/Hybrid request.
    #[arg(long, env = "RAG_TOP_K", default_value_t = 5)]
    pub rag_top_k: usize,
    /// The Weaviate pattern store (`WEAVIATE_URL`, …; unset: the embedded patterns).
    #[command(flatten)]
    pub weaviate: crate::pattern_store::WeaviateArgs,
    /// LLM, RAG and Hybrid records scoring below this coherence are regenerated by the engine.
    #[arg(long, env = "COHERENCE_THRESHOLD", default_value_t = 0.85)]
    pub coherence_threshold: f64,
    /// The LLM path's settings (`docs/llm.md`); `None` reads them from the environment at
    /// start (`ANTHROPIC_API_KEY`, `USE_LOCAL_LLM`, `VLLM_BASE_URL`, `TESTDATA_LLM_MODE`, …).
    #[arg(skip)]
    pub llm: Option<testdata::llm::LlmConfig>,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable lines.
    Text,
}

impl Config {
    /// The Redis layer's settings, when `REDIS_URL` is set (and not empty).
    pub(crate) fn redis_settings(&self) -> Option<crate::cache::RedisSettings> {
        let url = self.redis_url.as_deref().map(str::trim).filter(|u| !u.is_empty())?;
        Some(crate::cache::RedisSettings {
            url: url.to_owned(),
            prefix: self.cache_key_prefix.trim().to_owned(),
            ttl: std::time::Duration::from_secs(self.cache_ttl_seconds),
            timeout: std::time::Duration::from_millis(self.redis_timeout_ms),
            compress_above: self.cache_compress_above_bytes,
            max_value_bytes: self.cache_max_value_bytes,
            claim_ttl: std::time::Duration::from_millis(self.cache_claim_ms),
            tls_ca_file: self.redis_tls_ca_file.clone(),
        })
    }

    /// The OTLP endpoint in force: `OTEL_EXPORTER_OTLP_ENDPOINT`, else the old
    /// `OTLP_ENDPOINT` unless `TRACING_ENABLED=false`.
    pub fn effective_otlp_endpoint(&self) -> Option<&str> {
        fn nonempty(s: &Option<String>) -> Option<&str> {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        nonempty(&self.otlp_endpoint).or_else(|| {
            if self.tracing_enabled == Some(false) { None } else { nonempty(&self.otlp_endpoint_legacy) }
        })
    }
}

/// A configuration value that cannot work, with the flag and environment variable to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(pub String);

/// The most gRPC serving threads `GRPC_THREADS` may ask for (each has its own runtime).
pub const MAX_GRPC_THREADS: usize = 256;

impl Default for Config {
    fn default() -> Config {
        Config {
            host: IpAddr::from([0, 0, 0, 0]),
            grpc_port: 9091,
            http_port: 8091,
            log_level: "info".into(),
            max_sync_records: 1000,
            default_batch_size: 50,
            max_batch_size: 10_000,
            max_stream_records: 100_000_000,
            stream_buffer_chunks: 4,
            max_message_bytes: 50 * 1024 * 1024,
            limits: Limits::default(),
            schemas_dir: None,
            schema_cache_capacity: 1024,
            defect_rate: 0.25,
            redis_url: None,
            redis_tls_ca_file: None,
            cache_ttl_seconds: 86_400,
            cache_key_prefix: "testdata".into(),
            redis_timeout_ms: 250,
            cache_compress_above_bytes: 8 * 1024,
            cache_max_value_bytes: 16 * 1024 * 1024,
            cache_claim_ms: 5_000,
            environment: "development".into(),
            service_name: "testdata-server".into(),
            prometheus_enabled: true,
            log_format: LogFormat::Json,
            otlp_endpoint: None,
            otlp_endpoint_legacy: None,
            tracing_enabled: None,
            api_keys: Vec::new(),
            rate_limit_rps: 0,
            rate_limit_burst: 0,
            tls_cert: None,
            tls_key: None,
            grpc_threads: 0,
            stream_parallelism: 0,
            shutdown_grace_seconds: 30,
            patterns_dir: None,
            rag_top_k: 5,
            weaviate: crate::pattern_store::WeaviateArgs::default(),
            coherence_threshold: 0.85,
            llm: None,
        }
    }
}

impl Config {
    /// A configuration for tests and embedding: loopback, both ports picked by the OS, no LLM
    /// provider (whatever the environment says).
    pub fn ephemeral() -> Config {
        Config {
            host: IpAddr::from([127, 0, 0, 1]),
            grpc_port: 0,
            http_port: 0,
            llm: Some(testdata::llm::LlmConfig::default()),
            ..Config::default()
        }
    }

    /// Checks the values that parse but cannot work.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_serving()?;
        self.validate_security()?;
        self.validate_cache()?;
        self.validate_rag_and_dirs()
    }

    /// Ports, record and batch sizes, stream buffers, threads, message size and defect rate.
    fn validate_serving(&self) -> Result<(), ConfigError> {
        if self.grpc_port != 0 && self.grpc_port == self.http_port {
            return fail(format!(
                "GRPC_PORT and HTTP_PORT are both {}; give them different ports (--grpc-port, --http-port)",
                self.grpc_port
            ));
        }
        if self.max_sync_records == 0 {
            return fail("MAX_SYNC_RECORDS (--max-sync-records) must be at least 1".into());
        }
        if self.max_batch_size == 0 {
            return fail("MAX_BATCH_SIZE (--max-batch-size) must be at least 1".into());
        }
        if self.default_batch_size == 0 || self.default_batch_size > self.max_batch_size {
            return fail(format!(
                "DEFAULT_BATCH_SIZE (--default-batch-size) is {}; it must be 1..={} (MAX_BATCH_SIZE)",
                self.default_batch_size, self.max_batch_size
            ));
        }
        if self.max_stream_records == 0 {
            return fail("MAX_STREAM_RECORDS (--max-stream-records) must be at least 1".into());
        }
        if self.stream_buffer_chunks == 0 {
            return fail("STREAM_BUFFER_CHUNKS (--stream-buffer-chunks) must be at least 1".into());
        }
        if self.grpc_threads > MAX_GRPC_THREADS {
            return fail(format!(
                "GRPC_THREADS (--grpc-threads) is {}; give 0 (one per core) or 1..={MAX_GRPC_THREADS}",
                self.grpc_threads
            ));
        }
        if self.max_message_bytes < 1024 {
            return fail(format!(
                "MAX_MESSAGE_BYTES (--max-message-bytes) is {}; give at least 1024",
                self.max_message_bytes
            ));
        }
        if !(0.0..=1.0).contains(&self.defect_rate) {
            return fail(format!(
                "DEFECT_RATE (--defect-rate) is {}; give a probability in 0..=1",
                self.defect_rate
            ));
        }
        Ok(())
    }

    /// API keys and the TLS certificate and key.
    fn validate_security(&self) -> Result<(), ConfigError> {
        if self.api_keys.iter().any(|k| k.trim().is_empty()) {
            return fail("API_KEYS (--api-key) holds an empty key; remove it or give a real key".into());
        }
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return fail("TLS needs both TLS_CERT (--tls-cert) and TLS_KEY (--tls-key)".into());
        }
        for (name, path) in
            [("TLS_CERT (--tls-cert)", &self.tls_cert), ("TLS_KEY (--tls-key)", &self.tls_key)]
        {
            if let Some(p) = path
                && !p.is_file()
            {
                return fail(format!("{name} `{}` is not a readable file", p.display()));
            }
        }
        Ok(())
    }

    /// The answer cache: its TTL, Redis timeout, claim time and key prefix.
    fn validate_cache(&self) -> Result<(), ConfigError> {
        if self.cache_ttl_seconds == 0 {
            return fail("CACHE_TTL_SECONDS (--cache-ttl-seconds) must be at least 1".into());
        }
        if self.redis_timeout_ms == 0 {
            return fail("REDIS_TIMEOUT_MS (--redis-timeout-ms) must be at least 1".into());
        }
        if self.cache_claim_ms == 0 {
            return fail("CACHE_CLAIM_MS (--cache-claim-ms) must be at least 1".into());
        }
        let prefix = self.cache_key_prefix.trim();
        if prefix.is_empty() || prefix.contains(char::is_whitespace) {
            return fail(format!(
                "CACHE_KEY_PREFIX (--cache-key-prefix) is `{}`; give a non-empty word without spaces",
                self.cache_key_prefix
            ));
        }
        Ok(())
    }

    /// The RAG settings and the pattern and schema directories.
    fn validate_rag_and_dirs(&self) -> Result<(), ConfigError> {
        if self.rag_top_k == 0 {
            return fail("RAG_TOP_K (--rag-top-k) must be at least 1".into());
        }
        if !(0.0..=1.0).contains(&self.coherence_threshold) {
            return fail(format!(
                "COHERENCE_THRESHOLD (--coherence-threshold) is {}; give a score in 0..=1",
                self.coherence_threshold
            ));
        }
        for (name, dir) in [
            ("PATTERNS_DIR (--patterns-dir)", &self.patterns_dir),
            ("SCHEMAS_DIR (--schemas-dir)", &self.schemas_dir),
        ] {
            if let Some(dir) = dir
                && !dir.is_dir()
            {
                return fail(format!(
                    "{name} `{}` is not a directory; create it or unset the option",
                    dir.display()
                ));
            }
        }
        Ok(())
    }
}

/// A validation failure with message `m`.
fn fail(m: String) -> Result<(), ConfigError> {
    Err(ConfigError(m))
}
