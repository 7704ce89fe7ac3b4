//! Telemetry: `tracing` logs (JSON by default, each line carrying the `request_id` of its
//! request span), request ids, one span per RPC, and — with the `otlp` feature (default) and
//! `OTEL_EXPORTER_OTLP_ENDPOINT` set — OpenTelemetry export over OTLP/gRPC, joining the
//! caller's trace from the W3C `traceparent` header of the request.
//!
//! Span per RPC: `GenerateData`, `GenerateDataStream`, `GetSchemas`, `HealthCheck`, with the
//! attributes `request_id`, `domain`, `entity`, `generation_path`, `record_count`.

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::config::{Config, LogFormat};

/// Why telemetry could not start.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// The OTLP exporter could not be built (bad endpoint).
    #[error(
        "cannot export spans to OTEL_EXPORTER_OTLP_ENDPOINT `{endpoint}`: {message}; \
         give a URL such as http://otel-collector:4317 or unset it"
    )]
    Otlp {
        /// The endpoint.
        endpoint: String,
        /// The exporter's error.
        message: String,
    },
    /// The log filter does not parse.
    #[error("LOG_LEVEL `{0}` is not a level (error, warn, info, debug, trace) or a tracing directive list")]
    Filter(String),
}

/// Keeps the span exporter alive; [`Telemetry::shutdown`] flushes pending spans.
#[derive(Debug, Default)]
pub struct Telemetry {
    #[cfg(feature = "otlp")]
    provider: Option<opentelemetry_sdk::trace::SdkTracerProvider>,
}

impl Telemetry {
    /// Flushes and stops the span exporter (call it from a multi-thread runtime, after the
    /// servers stopped). Without export, does nothing.
    pub fn shutdown(self) {
        #[cfg(feature = "otlp")]
        if let Some(p) = self.provider {
            let _ = p.force_flush();
            let _ = p.shutdown();
        }
    }

    /// Whether spans are exported.
    pub fn exporting(&self) -> bool {
        #[cfg(feature = "otlp")]
        return self.provider.is_some();
        #[cfg(not(feature = "otlp"))]
        false
    }
}

/// Whether spans are exported over OTLP (set by [`init`]).
static EXPORTING: AtomicBool = AtomicBool::new(false);

/// Records a request's outcome fields (`generation_path`, `record_count`) on its span when
/// spans are exported. Without an exporter nothing reads them (no log line follows), and the
/// JSON log layer would re-serialise all of the span's fields on every record.
pub(crate) fn record_outcome(span: &tracing::Span, path: Option<&str>, count: Option<u64>) {
    if !EXPORTING.load(Ordering::Relaxed) {
        return;
    }
    if let Some(p) = path {
        span.record("generation_path", p);
    }
    if let Some(n) = count {
        span.record("record_count", n);
    }
}

/// Installs the global subscriber: `LOG_LEVEL` filter, logs on stdout in `LOG_FORMAT`, and the
/// OpenTelemetry layer when an OTLP endpoint is configured. Must run inside a tokio runtime
/// (the exporter's channel lives there). A second call keeps the first subscriber.
pub fn init(config: &Config) -> Result<Telemetry, TelemetryError> {
    let filter = EnvFilter::try_new(&config.log_level)
        .map_err(|_| TelemetryError::Filter(config.log_level.clone()))?;
    let (json, text) = match config.log_format {
        LogFormat::Json => (
            Some(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_writer(std::io::stdout),
            ),
            None,
        ),
        LogFormat::Text => (None, Some(tracing_subscriber::fmt::layer().with_writer(std::io::stdout))),
    };
    let registry = tracing_subscriber::registry().with(filter).with(json).with(text);
    #[cfg(feature = "otlp")]
    {
        let (layer, provider) = match config.effective_otlp_endpoint() {
            Some(endpoint) => {
                let provider = otlp_provider(endpoint, &config.service_name)?;
                EXPORTING.store(true, Ordering::Relaxed);
                (Some(otlp_layer(&provider)), Some(provider))
            }
            None => (None, None),
        };
        let _ = registry.with(layer).try_init();
        Ok(Telemetry { provider })
    }
    #[cfg(not(feature = "otlp"))]
    {
        if config.effective_otlp_endpoint().is_some() {
            tracing::warn!("OTEL_EXPORTER_OTLP_ENDPOINT is set but this build has no `otlp` feature");
        }
        let _ = registry.try_init();
        Ok(Telemetry::default())
    }
}

/// A tracer provider exporting spans in batches over OTLP/gRPC to `endpoint`, with resource
/// `service.name = service_name`. Must be called inside a tokio runtime.
#[cfg(feature = "otlp")]
pub(crate) fn otlp_provider(
    endpoint: &str,
    service_name: &str,
) -> Result<opentelemetry_sdk::trace::SdkTracerProvider, TelemetryError> {
    use opentelemetry_otlp::WithExportConfig;
    let exporter =
        opentelemetry_otlp::SpanExporter::builder()
            .with_tonic()
            .with_endpoint(endpoint)
            .build()
            .map_err(|e| TelemetryError::Otlp { endpoint: endpoint.to_owned(), message: e.to_string() })?;
    let resource = opentelemetry_sdk::Resource::builder().with_service_name(service_name.to_owned()).build();
    Ok(opentelemetry_sdk::trace::SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}

/// The `tracing` layer that turns spans into OpenTelemetry spans of `provider`.
#[cfg(feature = "otlp")]
pub(crate) fn otlp_layer<S>(
    provider: &opentelemetry_sdk::trace::SdkTracerProvider,
) -> tracing_opentelemetry::OpenTelemetryLayer<S, opentelemetry_sdk::trace::Tracer>
where
    S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
{
    use opentelemetry::trace::TracerProvider as _;
    tracing_opentelemetry::layer().with_tracer(provider.tracer("testdata-server"))
}

/// A fresh request id: 128 random bits formatted as a version-4 UUID.
pub(crate) fn new_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let state = RandomState::new();
    let hi = state.hash_one(n);
    let lo = state.hash_one(hi ^ 0x9e37_79b9_7f4a_7c15);
    let b = (u128::from(hi) << 64 | u128::from(lo)) & !(0xf << 76) & !(0x3 << 62);
    let b = b | (0x4 << 76) | (0x2 << 62);
    let h = format!("{b:032x}");
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// The request's id, or a fresh one when it is empty.
pub(crate) fn request_id_or_new(given: &str) -> String {
    let given = given.trim();
    if given.is_empty() { new_request_id() } else { given.to_owned() }
}

/// The span of one RPC: with the OpenTelemetry fields when spans are exported (`generation_path`
/// and `record_count` are recorded when known), else only what log lines need.
pub(crate) fn rpc_span(rpc: &'static str, request_id: &str, domain: &str, entity: &str) -> tracing::Span {
    if !EXPORTING.load(Ordering::Relaxed) {
        // Only the logs read the span: the fields a log line needs (the JSON log layer formats
        // every field of a span when it opens).
        return tracing::info_span!(
            "rpc",
            rpc.method = rpc,
            request_id = %request_id,
            domain = %domain,
            entity = %entity,
        );
    }
    tracing::info_span!(
        "rpc",
        otel.name = rpc,
        otel.kind = "server",
        rpc.system = "grpc",
        rpc.service = "testdata.v1.TestDataService",
        rpc.method = rpc,
        request_id = %request_id,
        domain = %domain,
        entity = %entity,
        generation_path = tracing::field::Empty,
        record_count = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    )
}

/// Makes `span` a child of the W3C trace context given by `traceparent` (and `tracestate`)
/// request headers, when there is one and spans are exported.
pub(crate) fn set_remote_parent(span: &tracing::Span, traceparent: Option<&str>, tracestate: Option<&str>) {
    #[cfg(feature = "otlp")]
    {
        use opentelemetry::propagation::TextMapPropagator;
        use tracing_opentelemetry::OpenTelemetrySpanExt;
        let Some(traceparent) = traceparent else { return };
        let mut carrier = std::collections::HashMap::new();
        carrier.insert("traceparent".to_owned(), traceparent.to_owned());
        if let Some(ts) = tracestate {
            carrier.insert("tracestate".to_owned(), ts.to_owned());
        }
        let cx = opentelemetry_sdk::propagation::TraceContextPropagator::new().extract(&carrier);
        let _ = span.set_parent(cx);
    }
    #[cfg(not(feature = "otlp"))]
    {
        let _ = (span, traceparent, tracestate);
    }
}

/// [`set_remote_parent`] from gRPC metadata.
pub(crate) fn set_grpc_parent(span: &tracing::Span, metadata: &tonic::metadata::MetadataMap) {
    let get = |k: &str| metadata.get(k).and_then(|v| v.to_str().ok());
    set_remote_parent(span, get("traceparent"), get("tracestate"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_v4_shaped_and_distinct() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4", "{a}");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_eq!(request_id_or_new(" given "), "given");
    }
}
