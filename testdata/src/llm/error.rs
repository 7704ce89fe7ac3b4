//! The errors of the LLM path: each says which provider or request failed, why, and what to do.

use std::time::Duration;

/// One provider call that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The server answered with an error status.
    #[error("{provider} answered HTTP {status}: {message}")]
    Status {
        /// The provider (`anthropic`, `openai`).
        provider: String,
        /// The HTTP status.
        status: u16,
        /// The error text of the body (the vendor's `error.message`), or the body itself.
        message: String,
        /// How long the server asked us to wait (`retry-after`, `retry-after-ms`).
        retry_after: Option<Duration>,
        /// Whether the call may be retried (the status class, `x-should-retry`, and never a
        /// spend-limit 429).
        retryable: bool,
    },
    /// The call did not finish within the per-call timeout.
    #[error("{provider} did not answer within {seconds}s (LLM_TIMEOUT_SECONDS)")]
    Timeout {
        /// The provider.
        provider: String,
        /// The timeout.
        seconds: u64,
    },
    /// The connection failed.
    #[error("{provider} could not be reached at {url}: {message}")]
    Connect {
        /// The provider.
        provider: String,
        /// The endpoint.
        url: String,
        /// The transport's reason.
        message: String,
    },
    /// The answer is not the vendor's format.
    #[error("{provider} sent an answer that is not its documented format: {message}")]
    Protocol {
        /// The provider.
        provider: String,
        /// What is wrong with it.
        message: String,
    },
    /// The circuit breaker is open after repeated failures.
    #[error("{provider} is paused for {seconds}s after {failures} failed calls in a row (circuit breaker)")]
    CircuitOpen {
        /// The provider.
        provider: String,
        /// Seconds until the next trial call.
        seconds: u64,
        /// The failures that opened it.
        failures: u32,
    },
}

impl ProviderError {
    /// Whether another try of the same call may succeed.
    pub fn retryable(&self) -> bool {
        match self {
            ProviderError::Status { retryable, .. } => *retryable,
            ProviderError::Timeout { .. } | ProviderError::Connect { .. } => true,
            ProviderError::Protocol { .. } | ProviderError::CircuitOpen { .. } => false,
        }
    }

    /// The wait the server asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ProviderError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the server said "too many requests" (the concurrency backs off).
    pub fn rate_limited(&self) -> bool {
        matches!(self, ProviderError::Status { status: 429, .. })
    }

    /// A short label for metrics (`ok` is not an error): `http_429`, `timeout`, …
    pub fn label(&self) -> String {
        match self {
            ProviderError::Status { status, .. } => format!("http_{status}"),
            ProviderError::Timeout { .. } => "timeout".into(),
            ProviderError::Connect { .. } => "connect".into(),
            ProviderError::Protocol { .. } => "protocol".into(),
            ProviderError::CircuitOpen { .. } => "circuit_open".into(),
        }
    }
}

/// Why an LLM request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    /// No provider is configured.
    #[error(
        "no LLM provider is configured: set ANTHROPIC_API_KEY (Anthropic), or USE_LOCAL_LLM=true with \
         VLLM_BASE_URL (an OpenAI-compatible server such as vLLM or llama.cpp)"
    )]
    NotConfigured,
    /// A setting has a value that cannot be used.
    #[error("setting {name}={value:?} is invalid: {reason}")]
    Config {
        /// The environment variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// Every provider of the chain failed.
    #[error("no LLM provider could answer: {}", .0.join("; "))]
    Unavailable(Vec<String>),
    /// The model refused the request.
    #[error(
        "{provider} ({model}) refused to generate the records: {reason}; change the context or the schema"
    )]
    Refused {
        /// The provider.
        provider: String,
        /// The model.
        model: String,
        /// The model's stated reason, if any.
        reason: String,
    },
    /// `replay` mode and the request is not in the cassettes or the cache.
    #[error(
        "TESTDATA_LLM_MODE=replay and no recorded answer exists for this request ({request}, key {key}); \
         record it first with TESTDATA_LLM_MODE=record and a provider"
    )]
    NotRecorded {
        /// A summary of the request (entity, count, seed).
        request: String,
        /// The cache key.
        key: String,
    },
    /// The request's estimated token use is above the budget.
    #[error(
        "this request needs about {estimate} tokens, above the budget of {budget} \
         (LLM_MAX_TOKENS_PER_REQUEST); ask for fewer records or raise the budget"
    )]
    OverBudget {
        /// The estimate.
        estimate: u64,
        /// The budget.
        budget: u64,
    },
    /// The request is not one the LLM path can serve.
    #[error("{0}")]
    Invalid(String),
    /// A cassette file could not be read or written.
    #[error("cassette {path}: {message}")]
    Cassette {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The engine could not produce a record (repairs and fills need it).
    #[error(transparent)]
    Generate(#[from] crate::GenerateError),
}
