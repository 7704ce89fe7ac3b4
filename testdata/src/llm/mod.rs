//! Records from language models, validated and repaired by the engine, and reproducible once
//! cached (feature `llm`).
//!
//! ```no_run
//! use testdata::TestData;
//!
//! #[derive(TestData, serde::Deserialize, Debug)]
//! struct Review {
//!     #[testdata(format = "REV-{digits:6}")]
//!     id: String,
//!     #[testdata(range = 1..=5)]
//!     rating: u8,
//!     #[testdata(len = 20..=400)]
//!     body: String,
//! }
//!
//! # async fn run() -> Result<(), testdata::llm::LlmError> {
//! // ANTHROPIC_API_KEY, or USE_LOCAL_LLM=true + VLLM_BASE_URL; TESTDATA_LLM_CASSETTES=tests/cassettes
//! // records answers to files, and TESTDATA_LLM_MODE=replay serves only from them (CI, offline).
//! let llm = testdata::llm::Llm::from_env()?;
//! let reviews: Vec<Review> = llm.generate::<Review>(7, 20).await?;
//! assert_eq!(reviews.len(), 20); // every one valid: ids from the engine, ratings 1..=5
//! # Ok(()) }
//! ```
//!
//! How a request is served ([`Llm::run`]):
//!
//! 1. **Cache.** The key is a SHA-256 of every input: the segments' schemas and ranges, the
//!    seed, context, hints, examples, the provider chain with models and temperature, and the
//!    prompt version. Memory first, then the cassette directory. `replay` mode stops here.
//! 2. **Batches** sized from the schema's estimated tokens per record and the output limit,
//!    run concurrently (`LLM_CONCURRENCY`, shared by all requests, lowered by 429s).
//! 3. **Calls** through the provider chain ([`chain`]): retries with backoff and jitter that
//!    honour `retry-after`, a circuit breaker per provider, the next provider on failure.
//! 4. **Parsing** ([`parse`]) keeps the complete records of a truncated answer and asks for
//!    the rest; extra records are dropped; a refusal stops the request.
//! 5. **Repair** ([`crate::Schema::repair`]): the engine owns IDs, fixed, unique, reference
//!    and computed fields, and replaces every value that breaks a rule with its own for the
//!    same seed and index. A mostly invalid batch is asked again once with the errors.
//!    Values repeated across the request (names, emails, texts) are replaced too.
//! 6. The records are stored in every cache layer; the same request then gives the same bytes.

pub mod chain;
pub mod config;
pub mod error;
mod job;
pub mod parse;
pub mod prompt;
pub mod provider;
mod request;
pub mod schema;

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub use chain::{NoObserver, Observer};
pub use config::{LlmConfig, ProviderConfig};
pub use error::{LlmError, ProviderError};
pub use provider::{Provider, Usage};
pub use request::{Answer, Request, Segment};

use crate::cache::{self, CassetteStore, Entry, Layers, MemoryStore, Mode, Store};
use crate::{Seed, TestData};
use chain::Chain;
use job::Job;
use provider::anthropic::Anthropic;
use provider::openai::OpenAi;

/// The LLM generator: a provider chain, a cache and the settings of [`LlmConfig`].
#[derive(Debug)]
pub struct Llm {
    config: LlmConfig,
    chain: Chain,
    cache: Layers,
    flights: moka::future::Cache<String, Arc<tokio::sync::Mutex<()>>>,
}

/// The state of one provider, for health reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderState {
    /// `anthropic` or `openai`.
    pub name: String,
    /// The model.
    pub model: String,
    /// The circuit breaker: `closed`, `open` or `half_open`.
    pub breaker: &'static str,
}

impl Llm {
    /// A generator configured from the environment ([`LlmConfig::from_env`]). With no
    /// provider configured it still serves recorded answers in `replay` mode; otherwise every
    /// request is [`LlmError::NotConfigured`].
    pub fn from_env() -> Result<Llm, LlmError> {
        Llm::new(LlmConfig::from_env()?)
    }

    /// A generator with these settings.
    pub fn new(config: LlmConfig) -> Result<Llm, LlmError> {
        Llm::with_observer(config, Arc::new(NoObserver))
    }

    /// A generator whose provider calls are reported to `observer` (metrics).
    pub fn with_observer(config: LlmConfig, observer: Arc<dyn Observer>) -> Result<Llm, LlmError> {
        let client = provider::http_client(config.timeout).map_err(|reason| LlmError::Config {
            name: "LLM_TIMEOUT_SECONDS",
            value: String::new(),
            reason,
        })?;
        let providers: Vec<Arc<dyn Provider>> = config
            .providers
            .iter()
            .map(|p| -> Arc<dyn Provider> {
                match p {
                    ProviderConfig::Anthropic { base_url, api_key, model, output } => {
                        Arc::new(Anthropic::new(
                            client.clone(),
                            base_url,
                            api_key,
                            model,
                            config.max_output_tokens,
                            config.temperature,
                            config.timeout,
                            *output,
                        ))
                    }
                    ProviderConfig::OpenAi { base_url, api_key, model, format } => Arc::new(OpenAi::new(
                        client.clone(),
                        base_url,
                        api_key.as_deref(),
                        model,
                        config.max_output_tokens,
                        config.temperature,
                        config.timeout,
                        *format,
                    )),
                }
            })
            .collect();
        let chain = Chain::new(
            providers,
            config.concurrency,
            config.max_retries,
            Duration::from_millis(250),
            observer,
        );
        let mut stores: Vec<Arc<dyn Store>> = Vec::new();
        if config.mode != Mode::Off {
            stores.push(Arc::new(MemoryStore::new(config.memory_capacity)));
            if let Some(dir) = &config.cassettes {
                let cassettes = CassetteStore::open(dir).map_err(|e| LlmError::Cassette {
                    path: dir.display().to_string(),
                    message: e.message,
                })?;
                stores.push(Arc::new(cassettes));
            }
        }
        Ok(Llm { config, chain, cache: Layers::new(stores), flights: moka::future::Cache::new(10_000) })
    }

    /// Adds a cache layer after the others (the server's Redis store).
    pub fn add_store(&mut self, store: Arc<dyn Store>) {
        let mut stores = self.cache.stores().to_vec();
        stores.push(store);
        self.cache = Layers::new(stores);
    }

    /// The cache layers (memory, cassettes, and whatever [`Llm::add_store`] added): the RAG
    /// path keeps its Hybrid text pools there too.
    pub fn cache(&self) -> &Layers {
        &self.cache
    }

    /// The settings.
    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    /// Whether a request can be served at all: a provider is configured, or replay mode.
    pub fn usable(&self) -> bool {
        !self.chain.links().is_empty() || self.config.mode == Mode::Replay
    }

    /// Each provider's name, model and breaker state, in chain order.
    pub fn providers(&self) -> Vec<ProviderState> {
        self.chain
            .links()
            .iter()
            .map(|l| ProviderState {
                name: l.provider.name().to_owned(),
                model: l.provider.model().to_owned(),
                breaker: l.breaker.state(),
            })
            .collect()
    }

    /// `count` values of a derived type, validated: records `0..count` of `seed`.
    pub async fn generate<T: TestData + DeserializeOwned>(
        &self,
        seed: impl Into<Seed>,
        count: u64,
    ) -> Result<Vec<T>, LlmError> {
        let schema = T::schema();
        let answer = self.run(&Request::new(&schema, seed, count)).await?;
        answer
            .records
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                serde_json::from_value(r).map_err(|e| {
                    LlmError::Invalid(format!(
                        "record {i} does not deserialize as {}: {e}",
                        std::any::type_name::<T>()
                    ))
                })
            })
            .collect()
    }

    /// The cache key of `request` under this generator's providers and prompt version.
    pub fn key(&self, request: &Request<'_>) -> String {
        let chain: Vec<Value> =
            self.chain.links().iter().map(|l| json!([l.provider.name(), l.provider.model()])).collect();
        cache::key(
            "llm",
            &json!({
                "request": request.material(),
                "providers": chain,
                "temperature": self.config.temperature,
                "prompt": prompt::PROMPT_VERSION,
            }),
        )
    }

    /// Serves `request`: from the cache when it can, else from the providers (see the module
    /// docs). Exactly `request.count()` records, each valid against its segment's schema.
    pub async fn run(&self, request: &Request<'_>) -> Result<Answer, LlmError> {
        self.run_keyed(request, self.key(request)).await
    }

    /// [`Llm::run`] with the request's key already computed ([`Llm::key`]), for a caller that
    /// needs the key too (the server keeps answers rendered under it).
    pub async fn run_keyed(&self, request: &Request<'_>, key: String) -> Result<Answer, LlmError> {
        let cached = self.config.mode != Mode::Off && request.use_cache;
        if cached && let Some(answer) = self.lookup(&key).await {
            return Ok(answer);
        }
        if self.config.mode == Mode::Replay {
            return Err(LlmError::NotRecorded { request: summary(request).to_string(), key });
        }
        if self.chain.links().is_empty() {
            return Err(LlmError::NotConfigured);
        }
        self.check_budget(request)?;
        // One provider run per key at a time: a concurrent identical request waits, then
        // reads the cache.
        let flight =
            self.flights.get_with(key.clone(), async { Arc::new(tokio::sync::Mutex::new(())) }).await;
        let _guard = flight.lock().await;
        if cached && let Some(answer) = self.lookup(&key).await {
            return Ok(answer);
        }
        let job = Job {
            chain: &self.chain,
            request,
            max_batch: self.config.max_batch,
            max_output_tokens: self.config.max_output_tokens,
            concurrency: self.config.concurrency,
        };
        let outcome = job.run().await?;
        let (provider, model) = outcome.provider.clone().unwrap_or_default();
        let mut summary = summary(request);
        summary["provider"] = json!(provider);
        summary["model"] = json!(model);
        let entry = Arc::new(Entry {
            key: key.clone(),
            request: summary,
            records: outcome.records,
            usage: outcome.usage,
            records_repaired: outcome.records_repaired,
            fields_repaired: outcome.fields_repaired,
        });
        if self.config.mode != Mode::Off {
            self.cache.put(entry.clone()).await;
        }
        self.flights.invalidate(&key).await;
        Ok(Answer {
            records: entry.records.clone(),
            usage: outcome.usage,
            cache_hit: false,
            cached_in: None,
            provider,
            model,
            records_repaired: outcome.records_repaired,
            fields_repaired: outcome.fields_repaired,
            records_filled: outcome.records_filled,
            calls: outcome.calls,
            key,
        })
    }

    async fn lookup(&self, key: &str) -> Option<Answer> {
        let (entry, store) = self.cache.get(key).await?;
        let provider = entry.request.get("provider").and_then(Value::as_str).unwrap_or_default().to_owned();
        let model = entry.request.get("model").and_then(Value::as_str).unwrap_or_default().to_owned();
        Some(Answer {
            records: entry.records.clone(),
            usage: Usage::default(),
            cache_hit: true,
            cached_in: Some(store),
            provider,
            model,
            records_repaired: entry.records_repaired,
            fields_repaired: entry.fields_repaired,
            records_filled: 0,
            calls: 0,
            key: key.to_owned(),
        })
    }

    /// The request's estimated tokens (prompt per batch plus output per record), refused when
    /// above `LLM_MAX_TOKENS_PER_REQUEST`.
    fn check_budget(&self, request: &Request<'_>) -> Result<(), LlmError> {
        let budget = self.config.max_tokens_per_request;
        if budget == 0 {
            return Ok(());
        }
        let job = Job {
            chain: &self.chain,
            request,
            max_batch: self.config.max_batch,
            max_output_tokens: self.config.max_output_tokens,
            concurrency: 1,
        };
        let batches = job.batches();
        let mut estimate = 0u64;
        for (k, range) in &batches {
            let segment = &request.segments[*k];
            let prompt_tokens = (schema::record_schema(segment.schema).to_string().len() + 1500) / 4;
            let per = job::tokens_per_record(segment, request.seed) as u64;
            estimate += prompt_tokens as u64 + per * (range.end - range.start);
        }
        if estimate > budget {
            return Err(LlmError::OverBudget { estimate, budget });
        }
        Ok(())
    }
}

/// The readable summary of a request stored with its answer.
fn summary(request: &Request<'_>) -> Value {
    json!({
        "entity": request.entity(),
        "count": request.count(),
        "first": request.first(),
        "seed": request.seed,
        "scenarios": request.segments.iter().map(|s| s.name).collect::<Vec<_>>(),
        "context": request.context,
        "prompt": prompt::PROMPT_VERSION,
    })
}
