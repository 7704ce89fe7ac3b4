//! The provider chain: each call waits for a concurrency permit, is retried with exponential
//! backoff and jitter (honouring the server's `retry-after`), and goes to the next provider
//! when one fails for good or its circuit breaker is open.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use tokio::sync::Semaphore;
use tracing::Instrument;

use super::error::{LlmError, ProviderError};
use super::provider::{Completion, Provider, Reply, Usage};

/// Receives one report per provider call (the server turns them into metrics).
pub trait Observer: Send + Sync + std::fmt::Debug {
    /// A call ended: `status` is `ok` or the error's [`ProviderError::label`].
    fn call(&self, provider: &str, model: &str, status: &str, usage: &Usage, elapsed: Duration);
}

/// An observer that ignores every report.
#[derive(Debug, Default)]
pub struct NoObserver;

impl Observer for NoObserver {
    fn call(&self, _: &str, _: &str, _: &str, _: &Usage, _: Duration) {}
}

/// Failures in a row that open a provider's breaker.
pub const BREAKER_THRESHOLD: u32 = 5;
/// How long an open breaker refuses calls before letting one trial call through.
pub const BREAKER_OPEN: Duration = Duration::from_secs(30);

/// A circuit breaker: open after [`BREAKER_THRESHOLD`] failed calls in a row, half-open after
/// [`BREAKER_OPEN`] (one call decides), closed by a success.
#[derive(Debug, Default)]
pub struct Breaker {
    failures: AtomicU32,
    opened: Mutex<Option<Instant>>,
}

impl Breaker {
    /// `Err(seconds left)` while open.
    fn check(&self) -> Result<(), u64> {
        let mut opened = self.opened.lock().unwrap_or_else(PoisonError::into_inner);
        match *opened {
            Some(at) if at.elapsed() < BREAKER_OPEN => Err((BREAKER_OPEN - at.elapsed()).as_secs().max(1)),
            Some(_) => {
                // Half-open: this call is the trial; others wait for its outcome behind a
                // fresh open period.
                *opened = Some(Instant::now());
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn success(&self) {
        self.failures.store(0, Ordering::Relaxed);
        *self.opened.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn failure(&self) {
        let n = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
        if n >= BREAKER_THRESHOLD {
            *self.opened.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
        }
    }

    /// `closed`, `open` or `half_open`, for health reports.
    pub fn state(&self) -> &'static str {
        match *self.opened.lock().unwrap_or_else(PoisonError::into_inner) {
            None => "closed",
            Some(at) if at.elapsed() < BREAKER_OPEN => "open",
            Some(_) => "half_open",
        }
    }
}

/// Calls in flight across every request: starts at `LLM_CONCURRENCY`, loses a permit on each
/// 429 (down to 1) and wins it back after ten successes in a row.
#[derive(Debug)]
struct Limit {
    permits: Semaphore,
    max: usize,
    current: AtomicUsize,
    successes: AtomicUsize,
}

impl Limit {
    fn new(max: usize) -> Limit {
        Limit {
            permits: Semaphore::new(max),
            max,
            current: AtomicUsize::new(max),
            successes: AtomicUsize::new(0),
        }
    }

    fn throttled(&self) {
        self.successes.store(0, Ordering::Relaxed);
        let shrunk = self
            .current
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |c| (c > 1).then(|| c - 1))
            .is_ok();
        if shrunk {
            // Taken from the pool as soon as one is free.
            self.permits.forget_permits(1);
        }
    }

    fn succeeded(&self) {
        if self.successes.fetch_add(1, Ordering::Relaxed) + 1 >= 10 {
            self.successes.store(0, Ordering::Relaxed);
            let max = self.max;
            if self
                .current
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |c| (c < max).then(|| c + 1))
                .is_ok()
            {
                self.permits.add_permits(1);
            }
        }
    }
}

/// One provider of the chain and its breaker.
#[derive(Debug)]
pub struct Link {
    /// The provider.
    pub provider: Arc<dyn Provider>,
    /// Its breaker.
    pub breaker: Breaker,
}

/// The providers in fallback order, with retries, breakers and the shared concurrency limit.
#[derive(Debug)]
pub struct Chain {
    links: Vec<Link>,
    limit: Limit,
    retries: usize,
    base_delay: Duration,
    observer: Arc<dyn Observer>,
}

impl Chain {
    /// A chain over `providers`, with `concurrency` calls in flight and `retries` retries per
    /// provider, the first after about `base_delay`.
    pub fn new(
        providers: Vec<Arc<dyn Provider>>,
        concurrency: usize,
        retries: usize,
        base_delay: Duration,
        observer: Arc<dyn Observer>,
    ) -> Chain {
        Chain {
            links: providers
                .into_iter()
                .map(|provider| Link { provider, breaker: Breaker::default() })
                .collect(),
            limit: Limit::new(concurrency.max(1)),
            retries,
            base_delay,
            observer,
        }
    }

    /// The links, in order.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// The first provider that answers `request`, with its answer; every failure on the way
    /// is in the error when none does.
    pub async fn complete(&self, request: &Completion) -> Result<(Reply, &dyn Provider), LlmError> {
        if self.links.is_empty() {
            return Err(LlmError::NotConfigured);
        }
        let mut failures = Vec::new();
        for link in &self.links {
            let provider = &*link.provider;
            if let Err(seconds) = link.breaker.check() {
                let e = ProviderError::CircuitOpen {
                    provider: provider.name().into(),
                    seconds,
                    failures: BREAKER_THRESHOLD,
                };
                failures.push(e.to_string());
                continue;
            }
            match self.call_with_retries(provider, request).await {
                Ok(reply) => {
                    link.breaker.success();
                    return Ok((reply, provider));
                }
                Err(e) => {
                    link.breaker.failure();
                    failures.push(format!("{} ({}): {e}", provider.name(), provider.model()));
                }
            }
        }
        Err(LlmError::Unavailable(failures))
    }

    async fn call_with_retries(
        &self,
        provider: &dyn Provider,
        request: &Completion,
    ) -> Result<Reply, ProviderError> {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.base_delay)
            .with_max_delay(Duration::from_secs(20))
            .with_max_times(self.retries)
            .with_jitter();
        (|| self.call_once(provider, request))
            .retry(backoff)
            .when(ProviderError::retryable)
            .adjust(|e, delay| {
                delay.map(|d| e.retry_after().map_or(d, |wait| wait.min(Duration::from_secs(60))))
            })
            .await
    }

    async fn call_once(&self, provider: &dyn Provider, request: &Completion) -> Result<Reply, ProviderError> {
        let span = tracing::info_span!("llm.call", provider = provider.name(), model = provider.model());
        let _permit = self.limit.permits.acquire().await.map_err(|_| ProviderError::Protocol {
            provider: provider.name().into(),
            message: "the concurrency limiter was closed".into(),
        })?;
        let started = Instant::now();
        let result = provider.complete(request).instrument(span).await;
        let elapsed = started.elapsed();
        match &result {
            Ok(reply) => {
                self.limit.succeeded();
                self.observer.call(provider.name(), provider.model(), "ok", &reply.usage, elapsed);
            }
            Err(e) => {
                if e.rate_limited() {
                    self.limit.throttled();
                }
                self.observer.call(provider.name(), provider.model(), &e.label(), &Usage::default(), elapsed);
            }
        }
        result
    }
}
