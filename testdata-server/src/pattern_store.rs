//! Which pattern store serves the RAG and Hybrid paths: the embedded index (bundled patterns
//! plus `PATTERNS_DIR`) by default, or a Weaviate when `WEAVIATE_URL` is set (docs/rag.md).
//!
//! With `WEAVIATE_URL` set the server **refuses to start** while Weaviate is unreachable,
//! unready, refuses the key or holds a collection it cannot use: serving the bundled patterns
//! instead would answer RAG requests from other data than the operator configured, and only a
//! health field would say so. Once started, a failing Weaviate fails RAG requests with
//! UNAVAILABLE (a sentence saying to retry or use TRADITIONAL) and shows in
//! `components.weaviate` of `/health`.

use std::sync::Arc;
use std::time::Duration;

use testdata::rag::weaviate::{WeaviateError, WeaviateSettings, WeaviateStore};
use testdata::rag::{EmbeddedStore, PatternStore};

use crate::config::{Config, ConfigError};

/// The server side of the `weaviate.v1` subset (generated; the messages are
/// `testdata::rag::weaviate::proto`'s). Only the tests' local Weaviate implements it.
#[doc(hidden)]
#[allow(missing_docs, clippy::all)]
pub mod weaviate_server_api {
    tonic::include_proto!("weaviate.v1");
}

/// The Weaviate settings (flags and environment). `Debug` hides the API key.
#[derive(Clone, PartialEq, Eq, clap::Args)]
pub struct WeaviateArgs {
    /// Weaviate's REST URL (`http://weaviate:8080`). Set: the pattern store is this Weaviate
    /// (and the server refuses to start while it is not ready). Unset: the embedded patterns.
    #[arg(long, env = "WEAVIATE_URL")]
    pub weaviate_url: Option<String>,
    /// Weaviate's gRPC URL. Unset: the host of WEAVIATE_URL on port 50051, same scheme.
    #[arg(long, env = "WEAVIATE_GRPC_URL")]
    pub weaviate_grpc_url: Option<String>,
    /// Weaviate API key, sent as `Authorization: Bearer …` (REST and gRPC).
    #[arg(long, env = "WEAVIATE_API_KEY", hide_env_values = true)]
    pub weaviate_api_key: Option<String>,
    /// Weaviate collection of test-data patterns.
    #[arg(long, env = "RAG_COLLECTION_PATTERNS", default_value = testdata::rag::weaviate::settings::DEFAULT_PATTERNS)]
    pub rag_collection_patterns: String,
    /// Weaviate collection of defect patterns.
    #[arg(long, env = "RAG_COLLECTION_DEFECTS", default_value = testdata::rag::weaviate::settings::DEFAULT_DEFECTS)]
    pub rag_collection_defects: String,
    /// Weaviate collection of production profiles.
    #[arg(long, env = "RAG_COLLECTION_PROFILES", default_value = testdata::rag::weaviate::settings::DEFAULT_PROFILES)]
    pub rag_collection_profiles: String,
    /// Milliseconds one Weaviate call may take.
    #[arg(long, env = "WEAVIATE_TIMEOUT_MS", default_value_t = 5_000)]
    pub weaviate_timeout_ms: u64,
}

impl std::fmt::Debug for WeaviateArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.settings() {
            Some(settings) => settings.fmt(f),
            None => f.write_str("WeaviateArgs { weaviate_url: None }"),
        }
    }
}

impl Default for WeaviateArgs {
    fn default() -> WeaviateArgs {
        use testdata::rag::weaviate::settings::{DEFAULT_DEFECTS, DEFAULT_PATTERNS, DEFAULT_PROFILES};
        WeaviateArgs {
            weaviate_url: None,
            weaviate_grpc_url: None,
            weaviate_api_key: None,
            rag_collection_patterns: DEFAULT_PATTERNS.into(),
            rag_collection_defects: DEFAULT_DEFECTS.into(),
            rag_collection_profiles: DEFAULT_PROFILES.into(),
            weaviate_timeout_ms: 5_000,
        }
    }
}

impl WeaviateArgs {
    /// The adapter's settings, when `WEAVIATE_URL` is set (and not empty).
    pub(crate) fn settings(&self) -> Option<WeaviateSettings> {
        let nonempty =
            |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let url = nonempty(&self.weaviate_url)?;
        Some(WeaviateSettings {
            grpc_url: nonempty(&self.weaviate_grpc_url),
            api_key: nonempty(&self.weaviate_api_key),
            patterns: self.rag_collection_patterns.trim().to_owned(),
            defects: self.rag_collection_defects.trim().to_owned(),
            profiles: self.rag_collection_profiles.trim().to_owned(),
            timeout: Duration::from_millis(self.weaviate_timeout_ms),
            ..WeaviateSettings::new(&url)
        })
    }

    /// The Weaviate store (not yet called), when `WEAVIATE_URL` is set.
    pub(crate) fn store(&self) -> Result<Option<WeaviateStore>, ConfigError> {
        self.settings().map(WeaviateStore::new).transpose().map_err(|e| ConfigError(e.to_string()))
    }
}

/// The pattern store of a configuration.
#[derive(Debug, Clone)]
pub(crate) struct Opened {
    /// The store the RAG and Hybrid paths search.
    pub store: Arc<dyn PatternStore>,
    /// The same store when it is a Weaviate (checked at start, reported in health).
    pub weaviate: Option<Arc<WeaviateStore>>,
}

/// The pattern store of a configuration: Weaviate when `WEAVIATE_URL` is set, else embedded.
pub(crate) fn open(config: &Config) -> Result<Opened, ConfigError> {
    if let Some(store) = config.weaviate.store()? {
        if config.patterns_dir.is_some() {
            tracing::warn!(
                "PATTERNS_DIR is ignored while WEAVIATE_URL is set; import the files with `testdata patterns import`"
            );
        }
        let store = Arc::new(store);
        tracing::info!(url = %store.settings().url, "pattern store: Weaviate");
        return Ok(Opened { store: store.clone(), weaviate: Some(store) });
    }
    let extra = match &config.patterns_dir {
        Some(dir) => testdata::rag::read_dir(dir).map_err(|e| ConfigError(format!("PATTERNS_DIR: {e}")))?,
        None => Vec::new(),
    };
    let store = EmbeddedStore::bundled_with(extra);
    tracing::info!(patterns = store.len(), "pattern store indexed");
    Ok(Opened { store: Arc::new(store), weaviate: None })
}

/// Checks Weaviate at start: ready, and the collections created or usable.
pub(crate) async fn prepare(store: &WeaviateStore) -> Result<(), WeaviateError> {
    store.prepare().await?;
    tracing::info!(url = %store.settings().url, "Weaviate ready; pattern collections checked");
    Ok(())
}
