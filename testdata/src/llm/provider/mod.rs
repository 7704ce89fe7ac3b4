//! Providers: one trait, one implementation per vendor wire format.
//!
//! * [`anthropic::Anthropic`] — the Messages API (`POST {base}/v1/messages`).
//! * [`openai::OpenAi`] — OpenAI-compatible chat completions (`POST {base}/chat/completions`):
//!   OpenAI, vLLM, llama.cpp's `llama-server`.
//!
//! A provider makes one HTTP call per [`Provider::complete`] and maps the vendor's answer to a
//! [`Reply`]; retries, the circuit breaker and the fallback chain are the caller's
//! ([`crate::llm::chain`]).

pub mod anthropic;
pub mod openai;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde_json::Value;

use super::error::ProviderError;

/// The future of [`Provider::complete`].
pub type CallFuture<'a> = Pin<Box<dyn Future<Output = Result<Reply, ProviderError>> + Send + 'a>>;

/// One request to a model: a system prompt, a user prompt and the JSON Schema of the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// Instructions (the output contract).
    pub system: String,
    /// The request (count, schema, context).
    pub prompt: String,
    /// The JSON Schema of the whole answer (an object with a `records` array).
    pub schema: Value,
    /// The most output tokens the answer may use.
    pub max_tokens: u32,
}

/// Why the model stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// It finished (`end_turn`, `tool_use`, `stop`).
    Complete,
    /// It hit the output limit: the answer is truncated (`max_tokens`, `length`).
    MaxTokens,
    /// It refused (`refusal`, `content_filter`, or a `refusal` message).
    Refusal(String),
    /// Another reason, as the vendor names it.
    Other(String),
}

/// Tokens of one call, as the vendor reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    /// Input tokens not read from or written to the prompt cache.
    pub input: u64,
    /// Output tokens.
    pub output: u64,
    /// Input tokens read from the vendor's prompt cache.
    pub cache_read: u64,
    /// Input tokens written to the vendor's prompt cache.
    pub cache_write: u64,
}

impl Usage {
    /// Every token of the call: input (including cache reads and writes) plus output.
    pub fn total(&self) -> u64 {
        self.input + self.output + self.cache_read + self.cache_write
    }

    /// Adds another call's tokens.
    pub fn add(&mut self, other: Usage) {
        self.input += other.input;
        self.output += other.output;
        self.cache_read += other.cache_read;
        self.cache_write += other.cache_write;
    }
}

/// A model's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The answer's JSON text (a tool call's input is serialised).
    pub text: String,
    /// Why the model stopped.
    pub stop: Stop,
    /// Its tokens.
    pub usage: Usage,
}

/// A language-model API.
pub trait Provider: Send + Sync + std::fmt::Debug {
    /// The provider's name (`anthropic`, `openai`): metrics label, cache key, chain order.
    fn name(&self) -> &str;
    /// The model asked for.
    fn model(&self) -> &str;
    /// The sampling temperature.
    fn temperature(&self) -> f32;
    /// The most output tokens one call may ask for.
    fn max_output_tokens(&self) -> u32;
    /// One call.
    fn complete<'a>(&'a self, request: &'a Completion) -> CallFuture<'a>;
}

/// A `reqwest` client with the settings every provider uses: rustls with the ring provider,
/// the per-call timeout, no proxy from the environment surprises.
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, String> {
    // reqwest's `rustls-no-provider` needs a process-wide crypto provider; a second install
    // (by the server or another client) is not an error.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .tcp_nodelay(true)
        .build()
        .map_err(|e| format!("the HTTP client could not be built: {e}"))
}

/// Sends `body` as JSON and returns the parsed answer, mapping every failure to a
/// [`ProviderError`] with the vendor's error text and retry hints.
pub(crate) async fn post_json(
    provider: &str,
    request: reqwest::RequestBuilder,
    url: &str,
    timeout: Duration,
) -> Result<Value, ProviderError> {
    let response = request.send().await.map_err(|e| transport(provider, url, timeout, &e))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.map_err(|e| transport(provider, url, timeout, &e))?;
    if !(200..300).contains(&status) {
        return Err(status_error(provider, status, &headers, &body));
    }
    serde_json::from_str(&body).map_err(|e| ProviderError::Protocol {
        provider: provider.into(),
        message: format!("the body is not JSON ({e}): {}", clip(&body, 200)),
    })
}

fn transport(provider: &str, url: &str, timeout: Duration, e: &reqwest::Error) -> ProviderError {
    if e.is_timeout() {
        ProviderError::Timeout { provider: provider.into(), seconds: timeout.as_secs().max(1) }
    } else {
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message = format!("{message}: {s}");
            source = s.source();
        }
        ProviderError::Connect { provider: provider.into(), url: url.into(), message }
    }
}

/// The error of a non-2xx answer: the vendor's message, `retry-after` / `retry-after-ms`, and
/// whether to retry — 408, 409, 429 and 5xx (with 529, Anthropic's "overloaded") unless
/// `x-should-retry: false`, plus anything with `x-should-retry: true`; never a 429 that says
/// the quota or spend limit is used up.
fn status_error(
    provider: &str,
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &str,
) -> ProviderError {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let retry_after = header("retry-after-ms")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|ms| Duration::from_secs_f64(ms.max(0.0) / 1000.0))
        .or_else(|| {
            header("retry-after")
                .and_then(|v| v.trim().parse::<f64>().ok())
                .map(|s| Duration::from_secs_f64(s.max(0.0)))
        });
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let error = parsed.as_ref().and_then(|v| v.get("error"));
    let message = error
        .and_then(|e| e.get("message").and_then(Value::as_str).or_else(|| e.as_str()))
        .map(str::to_owned)
        .unwrap_or_else(|| clip(body, 300));
    let code = error
        .map(|e| {
            format!(
                "{} {}",
                e.get("type").and_then(Value::as_str).unwrap_or(""),
                e.get("code").and_then(Value::as_str).unwrap_or("")
            )
        })
        .unwrap_or_default();
    let spend_limit = status == 429 && {
        let text = format!("{code} {message}").to_ascii_lowercase();
        ["insufficient_quota", "billing", "spend limit", "credit balance", "quota exceeded"]
            .iter()
            .any(|w| text.contains(w))
    };
    let by_status = matches!(status, 408 | 409 | 429) || status >= 500;
    let retryable = match header("x-should-retry") {
        Some("true") => true,
        Some("false") => false,
        _ => by_status,
    } && !spend_limit;
    ProviderError::Status { provider: provider.into(), status, message, retry_after, retryable }
}

/// `s` cut to at most `n` characters.
pub(crate) fn clip(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

/// The base URL without a trailing slash.
pub(crate) fn trim_base(base: &str) -> String {
    base.trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue};

    use super::*;

    fn error(status: u16, headers: &[(&'static str, &'static str)], body: &str) -> (bool, Option<Duration>) {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_static(v));
        }
        match status_error("anthropic", status, &map, body) {
            ProviderError::Status { retryable, retry_after, .. } => (retryable, retry_after),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_status_and_x_should_retry_decide_a_retry() {
        assert_eq!(error(429, &[("retry-after", "2")], "{}"), (true, Some(Duration::from_secs(2))));
        assert_eq!(error(529, &[("retry-after-ms", "250")], "{}"), (true, Some(Duration::from_millis(250))));
        assert_eq!(error(500, &[], ""), (true, None));
        assert_eq!(error(400, &[], ""), (false, None));
        // The vendor's header overrides the status class, both ways.
        assert_eq!(error(503, &[("x-should-retry", "false")], ""), (false, None));
        assert_eq!(error(400, &[("x-should-retry", "true")], ""), (true, None));
        // A used-up spend limit is never retried, whatever the header says.
        let body = r#"{"type":"error","error":{"type":"rate_limit_error","message":"Your credit balance is too low"}}"#;
        assert_eq!(error(429, &[("x-should-retry", "true")], body), (false, None));
    }
}
