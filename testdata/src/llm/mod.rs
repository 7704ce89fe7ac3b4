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

use crate::cache::{self, CassetteStore, Claim, Entry, Layers, MemoryStore, Mode, Store};
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

    /// Adds a cache layer after the others.
    pub fn add_store(&mut self, store: Arc<dyn Store>) {
        let end = self.cache.stores().len();
        self.cache.insert(end, store);
    }

    /// Adds a cache layer shared by several processes (the server's Redis store) right after
    /// the memory layer, before the cassettes: hot answers cost no round trip, and a replica
    /// finds what another one made. With caching off (`TESTDATA_LLM_MODE=off`) it is not used.
    pub fn add_shared_store(&mut self, store: Arc<dyn Store>) {
        if self.config.mode == Mode::Off {
            return;
        }
        let after_memory = usize::from(self.cache.stores().first().is_some_and(|s| s.name() == "memory"));
        self.cache.insert(after_memory, store);
    }

    /// The cache layers, fastest first (memory, the shared store, cassettes): the Hybrid path
    /// keeps its text pools there too, so replicas sharing Redis share them.
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
        // Across processes sharing a store (Redis): one producer per key; the others wait for
        // its answer while its claim lasts, and try again to claim it if the claim lapses.
        if !cached {
            return self.produce(request, &key).await;
        }
        let deadline = tokio::time::Instant::now() + self.config.timeout.saturating_mul(4);
        loop {
            match self.cache.claim(&key).await {
                (Claim::Won { token, renew_every }, Some(store)) => {
                    let produced = self.produce_renewing(request, &key, &store, &token, renew_every).await;
                    if let Err(e) = store.release(&key, &token).await {
                        tracing::warn!(store = %e.store, error = %e.message, "cache claim not released (it lapses)");
                    }
                    return produced;
                }
                (Claim::Held, Some(store)) if tokio::time::Instant::now() < deadline => {
                    if let Some(answer) = self.await_answer(&key, &store, deadline).await {
                        return Ok(answer);
                    }
                }
                _ => return self.produce(request, &key).await,
            }
        }
    }

    /// [`Llm::produce`] while renewing the claim on `key` every `every`.
    async fn produce_renewing(
        &self,
        request: &Request<'_>,
        key: &str,
        store: &Arc<dyn Store>,
        token: &str,
        every: Duration,
    ) -> Result<Answer, LlmError> {
        let renewing = async {
            let every = every.max(Duration::from_millis(1));
            for _ in 0..u64::MAX {
                tokio::time::sleep(every).await;
                if let Err(e) = store.renew(key, token).await {
                    tracing::warn!(store = %e.store, error = %e.message, "cache claim not renewed");
                }
            }
        };
        let producing = self.produce(request, key);
        match futures_util::future::select(std::pin::pin!(producing), std::pin::pin!(renewing)).await {
            futures_util::future::Either::Left((produced, _)) => produced,
            futures_util::future::Either::Right(((), producing)) => producing.await,
        }
    }

    /// Calls the providers for `request`, stores the answer under `key` and returns it.
    async fn produce(&self, request: &Request<'_>, key: &str) -> Result<Answer, LlmError> {
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
        let made = Arc::new(Entry {
            key: key.to_owned(),
            request: summary,
            records: outcome.records,
            usage: outcome.usage,
            records_repaired: outcome.records_repaired,
            fields_repaired: outcome.fields_repaired,
        });
        // Another replica may have stored the same answer meanwhile (a lost claim): its
        // answer stays, and is the one returned, so every replica serves the same bytes.
        let entry =
            if self.config.mode != Mode::Off { self.cache.settle(made.clone()).await } else { made.clone() };
        let adopted = !Arc::ptr_eq(&entry, &made);
        self.flights.invalidate(key).await;
        Ok(Answer {
            records: entry.records.clone(),
            usage: outcome.usage,
            cache_hit: adopted,
            cached_in: adopted.then(|| "shared".to_owned()),
            provider,
            model,
            records_repaired: entry.records_repaired,
            fields_repaired: entry.fields_repaired,
            records_filled: outcome.records_filled,
            calls: outcome.calls,
            key: key.to_owned(),
        })
    }

    /// Polls the cache for `key` until its answer appears (another process claimed it), the
    /// claim lapses (`None`: claim it again) or the deadline passes (`None`).
    async fn await_answer(
        &self,
        key: &str,
        store: &Arc<dyn Store>,
        deadline: tokio::time::Instant,
    ) -> Option<Answer> {
        let mut pause = Duration::from_millis(5);
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(pause).await;
            if let Some(answer) = self.lookup(key).await {
                return Some(answer);
            }
            if !store.claimed(key).await.unwrap_or(false) {
                // The producer finished (read once more: it writes, then releases) or died.
                return self.lookup(key).await;
            }
            pause = (pause * 2).min(Duration::from_millis(200));
        }
        None
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
