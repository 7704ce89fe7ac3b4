//! Security and limits at the edges: optional API keys, per-key (or per-client-IP) rate
//! limits and request deadlines.
//!
//! * **API keys** (`API_KEYS` / `--api-key`): a request presents one in `x-api-key` or as
//!   `authorization: Bearer <key>`. Keys are compared as SHA-256 digests in constant time
//!   (every configured key is compared, whatever matches). A missing or wrong key is
//!   `UNAUTHENTICATED` (HTTP 401) with a sentence saying where the key goes.
//! * **Rate limit** (`RATE_LIMIT_RPS`, `RATE_LIMIT_BURST`): a GCRA limiter (governor) keyed by
//!   the API key, or by the client's IP when no keys are configured. Over the limit is
//!   `RESOURCE_EXHAUSTED` (HTTP 429 with `retry-after`) saying how long to wait.
//! * Both apply to `testdata.v1.TestDataService` and to the HTTP `/v1/*` routes; the gRPC
//!   health and reflection services and HTTP `/health*` and `/metrics` stay open.
//! * **Deadlines**: a gRPC `grpc-timeout` ends a unary call with `DEADLINE_EXCEEDED` when it
//!   passes, and is handed to streams as a [`Deadline`] extension (they end with
//!   `DEADLINE_EXCEEDED` and stop generating).

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};
use http::HeaderMap;
use subtle::ConstantTimeEq;
use tonic::Status;
use tonic::transport::server::{TcpConnectInfo, TlsConnectInfo};

/// The gRPC path prefix that is guarded.
pub const GUARDED_GRPC_PREFIX: &str = "/testdata.v1.TestDataService/";

/// When a gRPC call must be answered by (from its `grpc-timeout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline(pub Instant);

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// No key, or a key that is not configured.
    #[error("{0}")]
    Unauthenticated(String),
    /// Over the rate limit; retry after the duration.
    #[error(
        "rate limit exceeded ({rate} requests/s per {per}); retry after {} ms",
        retry_after.as_millis().max(1)
    )]
    RateLimited {
        /// How long until a request would be admitted.
        retry_after: Duration,
        /// The configured rate.
        rate: u32,
        /// `API key` or `client IP`.
        per: &'static str,
    },
}

impl Denied {
    /// The gRPC status (`UNAUTHENTICATED` or `RESOURCE_EXHAUSTED` with `retry-after` metadata
    /// in whole seconds, rounded up).
    pub fn status(&self) -> Status {
        match self {
            Denied::Unauthenticated(_) => Status::unauthenticated(self.to_string()),
            Denied::RateLimited { retry_after, .. } => {
                let mut s = Status::resource_exhausted(self.to_string());
                let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                if let Ok(v) = secs.max(1).to_string().parse() {
                    s.metadata_mut().insert("retry-after", v);
                }
                s
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum RateKey {
    Key(usize),
    Peer(IpAddr),
    Unknown,
}

type Limiter = RateLimiter<RateKey, HashMapStateStore<RateKey>, DefaultClock>;

/// API keys and the rate limiter, shared by the gRPC and HTTP edges.
pub struct Guard {
    digests: Vec<[u8; 32]>,
    limiter: Option<(Limiter, u32)>,
    checks: AtomicU64,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("api_keys", &self.digests.len())
            .field("rate_limit_rps", &self.limiter.as_ref().map(|l| l.1))
            .finish()
    }
}

fn digest(key: &[u8]) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, key);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

impl Guard {
    /// A guard with these keys (none: no authentication) and `rps` requests per second per
    /// key or client IP (0: no limit), `burst` at once (0: `rps`).
    pub fn new(keys: &[String], rps: u32, burst: u32) -> Guard {
        let limiter = NonZeroU32::new(rps).map(|r| {
            let burst = NonZeroU32::new(burst).unwrap_or(r);
            (RateLimiter::hashmap(Quota::per_second(r).allow_burst(burst)), rps)
        });
        Guard {
            digests: keys.iter().map(|k| digest(k.trim().as_bytes())).collect(),
            limiter,
            checks: AtomicU64::new(0),
        }
    }

    /// Whether any check is active.
    pub fn is_active(&self) -> bool {
        !self.digests.is_empty() || self.limiter.is_some()
    }

    /// The index of the configured key that `presented` equals, compared in constant time.
    fn key_index(&self, presented: &str) -> Option<usize> {
        let d = digest(presented.trim().as_bytes());
        let mut found = None;
        for (i, k) in self.digests.iter().enumerate() {
            if bool::from(k.ct_eq(&d)) {
                found = Some(i);
            }
        }
        found
    }

    /// Admits or refuses a request with these headers from `peer`.
    pub fn check(&self, headers: &HeaderMap, peer: Option<IpAddr>) -> Result<(), Denied> {
        let key = if self.digests.is_empty() {
            peer.map_or(RateKey::Unknown, RateKey::Peer)
        } else {
            let presented = presented_key(headers).ok_or_else(|| {
                Denied::Unauthenticated(
                    "this server requires an API key: send it in the `x-api-key` header \
                     (or `authorization: Bearer <key>`)"
                        .into(),
                )
            })?;
            RateKey::Key(self.key_index(presented).ok_or_else(|| {
                Denied::Unauthenticated(
                    "the API key is not valid: check it against the keys the server was started \
                     with (API_KEYS)"
                        .into(),
                )
            })?)
        };
        if let Some((limiter, rate)) = &self.limiter {
            if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
                limiter.retain_recent();
            }
            if let Err(not_until) = limiter.check_key(&key) {
                let retry_after = not_until.wait_time_from(DefaultClock::default().now());
                let per = if matches!(key, RateKey::Key(_)) { "API key" } else { "client IP" };
                return Err(Denied::RateLimited { retry_after, rate: *rate, per });
            }
        }
        Ok(())
    }
}

/// The key a request presents: `x-api-key`, else `authorization: Bearer <key>`.
fn presented_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(k) = headers.get("x-api-key").and_then(|v| v.to_str().ok()).filter(|k| !k.trim().is_empty()) {
        return Some(k);
    }
    let auth = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, key) = auth.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(key.trim()).filter(|k| !k.is_empty())
}

/// Parses a `grpc-timeout` header (`1..=8` digits and a unit `H M S m u n`).
pub fn grpc_timeout(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get("grpc-timeout")?.to_str().ok()?;
    if v.len() < 2 || v.len() > 9 {
        return None;
    }
    let (digits, unit) = v.split_at(v.len() - 1);
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.saturating_mul(3600)),
        "M" => Duration::from_secs(n.saturating_mul(60)),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

/// The client IP of a tonic request (plain TCP or TLS).
fn grpc_peer<B>(req: &http::Request<B>) -> Option<IpAddr> {
    let ext = req.extensions();
    ext.get::<TcpConnectInfo>()
        .and_then(TcpConnectInfo::remote_addr)
        .or_else(|| ext.get::<TlsConnectInfo<TcpConnectInfo>>().and_then(|t| t.get_ref().remote_addr()))
        .map(|a| a.ip())
}

/// The tower layer of the gRPC server: guard, deadlines.
#[derive(Debug, Clone)]
pub struct GrpcGuardLayer {
    guard: Arc<Guard>,
}

impl GrpcGuardLayer {
    /// The layer over `guard`.
    pub fn new(guard: Arc<Guard>) -> GrpcGuardLayer {
        GrpcGuardLayer { guard }
    }
}

impl<S> tower::Layer<S> for GrpcGuardLayer {
    type Service = GrpcGuard<S>;

    fn layer(&self, inner: S) -> GrpcGuard<S> {
        GrpcGuard { inner, guard: self.guard.clone() }
    }
}

/// The service of [`GrpcGuardLayer`].
#[derive(Debug, Clone)]
pub struct GrpcGuard<S> {
    inner: S,
    guard: Arc<Guard>,
}

type BoxFuture<T> = Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// Margin by which our deadline answer precedes tonic's own timeout (which says CANCELLED).
const DEADLINE_MARGIN: Duration = Duration::from_millis(1);

impl<S, B> tower::Service<http::Request<B>> for GrpcGuard<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: http::Request<B>) -> Self::Future {
        if self.guard.is_active()
            && req.uri().path().starts_with(GUARDED_GRPC_PREFIX)
            && let Err(denied) = self.guard.check(req.headers(), grpc_peer(&req))
        {
            tracing::info!(path = req.uri().path(), reason = %denied, "request refused");
            return Box::pin(std::future::ready(Ok(denied.status().into_http())));
        }
        let timeout = grpc_timeout(req.headers());
        if let Some(t) = timeout {
            req.extensions_mut().insert(Deadline(Instant::now() + t));
        }
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let fut = inner.call(req);
        Box::pin(async move {
            let fut = async move { fut.await.map(decode_error_is_the_callers) };
            match timeout {
                None => fut.await,
                Some(t) => match tokio::time::timeout(t.saturating_sub(DEADLINE_MARGIN), fut).await {
                    Ok(r) => r,
                    Err(_) => Ok(Status::deadline_exceeded(format!(
                        "the call's deadline ({} ms) passed before the answer was ready; give a longer \
                         deadline or ask for fewer records",
                        t.as_millis()
                    ))
                    .into_http()),
                },
            }
        })
    }
}

/// A request that tonic could not decode (e.g. a protobuf nested deeper than prost's limit
/// of 100) is answered `INTERNAL` by tonic; it is the caller's error: `INVALID_ARGUMENT`.
fn decode_error_is_the_callers(resp: http::Response<tonic::body::Body>) -> http::Response<tonic::body::Body> {
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok());
    let message = header("grpc-message").unwrap_or_default();
    if header("grpc-status") != Some("13") || !message.contains("decode") {
        return resp;
    }
    let detail = if message.contains("recursion") {
        "it nests deeper than 100 levels"
    } else {
        "it is not valid protobuf"
    };
    Status::invalid_argument(format!(
        "the request could not be decoded: {detail}; send a valid message of the service's proto"
    ))
    .into_http()
}

/// The axum middleware of the `/v1/*` routes: 401 / 429 with a JSON body when refused.
pub async fn http_middleware(
    axum::extract::State(guard): axum::extract::State<Arc<Guard>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let peer = req.extensions().get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    match guard.check(req.headers(), peer) {
        Ok(()) => next.run(req).await,
        Err(denied) => {
            let (status, code) = match &denied {
                Denied::Unauthenticated(_) => (http::StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
                Denied::RateLimited { .. } => (http::StatusCode::TOO_MANY_REQUESTS, "RESOURCE_EXHAUSTED"),
            };
            let body = axum::Json(serde_json::json!({
                "success": false, "error": denied.to_string(), "error_code": code,
            }));
            let mut resp = (status, body).into_response();
            match &denied {
                Denied::Unauthenticated(_) => {
                    resp.headers_mut()
                        .insert(http::header::WWW_AUTHENTICATE, http::HeaderValue::from_static("Bearer"));
                }
                Denied::RateLimited { retry_after, .. } => {
                    let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                    resp.headers_mut()
                        .insert(http::header::RETRY_AFTER, http::HeaderValue::from(secs.max(1)));
                }
            }
            resp
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn keys_in_either_header_and_refusals_say_what_to_do() {
        let g = Guard::new(&["alpha".into(), "beta".into()], 0, 0);
        assert_eq!(g.check(&headers(&[("x-api-key", "beta")]), None), Ok(()));
        assert_eq!(g.check(&headers(&[("authorization", "Bearer alpha")]), None), Ok(()));
        let e = g.check(&headers(&[]), None).unwrap_err();
        assert!(e.to_string().contains("x-api-key"), "{e}");
        let e = g.check(&headers(&[("x-api-key", "alph")]), None).unwrap_err();
        assert!(e.to_string().contains("not valid"), "{e}");
        assert_eq!(e.status().code(), tonic::Code::Unauthenticated);
    }

    #[test]
    fn rate_limit_is_per_peer_and_says_when_to_retry() {
        let g = Guard::new(&[], 1, 2);
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        let b = Some(IpAddr::from([10, 0, 0, 2]));
        assert!(g.check(&HeaderMap::new(), a).is_ok());
        assert!(g.check(&HeaderMap::new(), a).is_ok());
        let e = g.check(&HeaderMap::new(), a).unwrap_err();
        assert!(e.to_string().contains("retry after"), "{e}");
        assert_eq!(e.status().code(), tonic::Code::ResourceExhausted);
        assert!(g.check(&HeaderMap::new(), b).is_ok());
    }

    #[test]
    fn grpc_timeouts_parse() {
        assert_eq!(grpc_timeout(&headers(&[("grpc-timeout", "250m")])), Some(Duration::from_millis(250)));
        assert_eq!(grpc_timeout(&headers(&[("grpc-timeout", "3S")])), Some(Duration::from_secs(3)));
        assert_eq!(grpc_timeout(&headers(&[("grpc-timeout", "3x")])), None);
    }
}
