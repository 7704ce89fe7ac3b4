//! Prometheus metrics, with the old service's names plus stream and error metrics.
//!
//! Label values are bounded: `entity` is a registered entity name, `custom` for per-request
//! schemas, or `other`; `domain` is a registered domain, `custom`, `other` or `none`; `path`,
//! `status`, `rpc` and `code` come from fixed sets. No raw user string becomes a label.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// Labels of `testdata_requests_total` and `testdata_streams_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// Generation path (`traditional`, `llm`, `rag`, `hybrid`).
    pub path: String,
    /// Bounded domain label.
    pub domain: String,
    /// Bounded entity label.
    pub entity: String,
    /// `success` or `error`.
    pub status: String,
}

/// Labels of `testdata_generation_duration_seconds`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PathLabels {
    /// Generation path.
    pub path: String,
}

/// Labels of `testdata_records_generated_total` and `testdata_validation_errors_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EntityLabels {
    /// Bounded domain label.
    pub domain: String,
    /// Bounded entity label.
    pub entity: String,
}

/// Labels of `testdata_coherence_score`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DomainLabels {
    /// Bounded domain label.
    pub domain: String,
}

/// Labels of `testdata_errors_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ErrorLabels {
    /// `generate`, `stream`, `http_generate`.
    pub rpc: String,
    /// The error class (`invalid_argument`, `count_limit`, …).
    pub code: String,
}

/// Labels of `testdata_redis_errors_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RedisOpLabels {
    /// `get`, `set`, `claim`, `decode`.
    pub op: String,
}

/// Labels of `testdata_llm_requests_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LlmLabels {
    /// `anthropic` or `openai`.
    pub provider: String,
    /// The configured model (a setting, not user input).
    pub model: String,
    /// `ok` or the error class (`http_429`, `timeout`, …).
    pub status: String,
}

/// Labels of `testdata_llm_tokens_total`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LlmTokenLabels {
    /// `anthropic` or `openai`.
    pub provider: String,
    /// The configured model.
    pub model: String,
    /// `input`, `output`, `cache_read` or `cache_write`.
    pub kind: String,
}

/// Labels of `testdata_llm_call_duration_seconds`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ProviderLabels {
    /// `anthropic` or `openai`.
    pub provider: String,
}

/// Every metric of the server, registered in one registry.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// `testdata_requests_total{path,domain,entity,status}`: `GenerateData` calls.
    pub requests: Family<RequestLabels, Counter>,
    /// `testdata_generation_duration_seconds{path}`.
    pub duration: Family<PathLabels, Histogram>,
    /// `testdata_records_generated_total{domain,entity}` (sync and streamed records).
    pub records: Family<EntityLabels, Counter>,
    /// `testdata_validation_errors_total{domain,entity}`.
    pub validation_errors: Family<EntityLabels, Counter>,
    /// `testdata_cache_hits_total{path}`: answers of the caching paths served from a cache.
    pub cache_hits: Family<PathLabels, Counter>,
    /// `testdata_cache_misses_total{path}`: answers of the caching paths made anew.
    pub cache_misses: Family<PathLabels, Counter>,
    /// `testdata_repaired_records_total{path}`: records of outside sources repaired by the engine.
    pub repaired_records: Family<PathLabels, Counter>,
    /// `testdata_repaired_fields_total{path}`: fields repaired by the engine.
    pub repaired_fields: Family<PathLabels, Counter>,
    /// `testdata_llm_requests_total{provider,model,status}`: provider calls.
    pub llm_requests: Family<LlmLabels, Counter>,
    /// `testdata_llm_tokens_total{provider,model,kind}`: tokens by kind (`input`, `output`,
    /// `cache_read`, `cache_write`).
    pub llm_tokens: Family<LlmTokenLabels, Counter>,
    /// `testdata_llm_call_duration_seconds{provider}`.
    pub llm_duration: Family<ProviderLabels, Histogram>,
    /// `testdata_schema_cache_hits_total`: requests that reused a compiled per-request schema.
    pub schema_cache_hits: Counter,
    /// `testdata_coherence_score{domain}`.
    pub coherence: Family<DomainLabels, Histogram>,
    /// `testdata_streams_total{path,domain,entity,status}`: finished streams.
    pub streams: Family<RequestLabels, Counter>,
    /// `testdata_stream_chunks_total`: data chunks generated for streams.
    pub stream_chunks: Counter,
    /// `testdata_streams_active`: streams in progress.
    pub streams_active: Gauge,
    /// `testdata_errors_total{rpc,code}`: failed requests by class.
    pub errors: Family<ErrorLabels, Counter>,
    /// `testdata_redis_errors_total{op}`: Redis calls that failed or timed out (requests go on
    /// without Redis).
    pub redis_errors: Family<RedisOpLabels, Counter>,
    /// `testdata_redis_up`: 1 while the shared cache is in use, 0 while degraded or unset.
    pub redis_up: Gauge,
    /// `testdata_generation_stopped_total`: generation work stopped before its end because
    /// its call's deadline passed, its client went away or the server shut down.
    pub generation_stopped: Counter,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    /// Creates and registers every metric.
    pub fn new() -> Metrics {
        let mut metrics = Metrics {
            registry: Registry::default(),
            requests: Family::default(),
            duration: Family::new_with_constructor(generation_duration_histogram),
            records: Family::default(),
            validation_errors: Family::default(),
            cache_hits: Family::default(),
            cache_misses: Family::default(),
            repaired_records: Family::default(),
            repaired_fields: Family::default(),
            llm_requests: Family::default(),
            llm_tokens: Family::default(),
            llm_duration: Family::new_with_constructor(llm_duration_histogram),
            schema_cache_hits: Counter::default(),
            coherence: Family::new_with_constructor(coherence_histogram),
            streams: Family::default(),
            stream_chunks: Counter::default(),
            streams_active: Gauge::default(),
            errors: Family::default(),
            redis_errors: Family::default(),
            redis_up: Gauge::default(),
            generation_stopped: Counter::default(),
        };
        // Registered in this order, which is the order `/metrics` lists them in.
        metrics.register_generation();
        metrics.register_caches_and_repairs();
        metrics.register_llm();
        metrics.register_streams_and_errors();
        metrics.register_redis_and_stops();
        metrics
    }

    /// Requests, their duration, the records generated and those that failed validation.
    fn register_generation(&mut self) {
        let r = &mut self.registry;
        r.register(
            "testdata_requests",
            "GenerateData requests by path, domain, entity and status",
            self.requests.clone(),
        );
        r.register(
            "testdata_generation_duration_seconds",
            "Time to generate a response",
            self.duration.clone(),
        );
        r.register(
            "testdata_records_generated",
            "Records generated (sync and streamed)",
            self.records.clone(),
        );
        r.register(
            "testdata_validation_errors",
            "Records that failed validation",
            self.validation_errors.clone(),
        );
    }

    /// The answer caches and the engine's repairs of model or pattern records.
    fn register_caches_and_repairs(&mut self) {
        let r = &mut self.registry;
        r.register("testdata_cache_hits", "Answers served from a cache, by path", self.cache_hits.clone());
        // The caching paths' series exist from the start (dashboards read the counter).
        for path in ["llm", "rag", "hybrid"] {
            let _series = self.cache_hits.get_or_create(&PathLabels { path: path.into() });
        }
        r.register(
            "testdata_cache_misses",
            "Answers made anew (not cached), by path",
            self.cache_misses.clone(),
        );
        r.register(
            "testdata_repaired_records",
            "Records from a model or pattern that the engine repaired",
            self.repaired_records.clone(),
        );
        r.register("testdata_repaired_fields", "Fields the engine repaired", self.repaired_fields.clone());
    }

    /// LLM provider calls, tokens and call durations.
    fn register_llm(&mut self) {
        let r = &mut self.registry;
        r.register(
            "testdata_llm_requests",
            "LLM provider calls by provider, model and status",
            self.llm_requests.clone(),
        );
        r.register("testdata_llm_tokens", "LLM tokens by provider, model and kind", self.llm_tokens.clone());
        r.register(
            "testdata_llm_call_duration_seconds",
            "Duration of LLM provider calls",
            self.llm_duration.clone(),
        );
    }

    /// Schema-cache reuse, coherence scores, streams and failed requests.
    fn register_streams_and_errors(&mut self) {
        let r = &mut self.registry;
        r.register(
            "testdata_schema_cache_hits",
            "Requests that reused a compiled per-request schema",
            self.schema_cache_hits.clone(),
        );
        r.register("testdata_coherence_score", "Coherence score of responses", self.coherence.clone());
        r.register("testdata_streams", "Finished GenerateDataStream calls", self.streams.clone());
        r.register("testdata_stream_chunks", "Data chunks generated for streams", self.stream_chunks.clone());
        r.register("testdata_streams_active", "Streams in progress", self.streams_active.clone());
        r.register("testdata_errors", "Failed requests by RPC and error class", self.errors.clone());
    }

    /// Redis failures and state, and generation stopped before its end.
    fn register_redis_and_stops(&mut self) {
        let r = &mut self.registry;
        r.register(
            "testdata_redis_errors",
            "Redis calls that failed or timed out, by operation (requests go on without Redis)",
            self.redis_errors.clone(),
        );
        for op in ["get", "set", "claim"] {
            let _series = self.redis_errors.get_or_create(&RedisOpLabels { op: op.into() });
        }
        r.register(
            "testdata_redis_up",
            "1 while the Redis cache is in use, 0 otherwise",
            self.redis_up.clone(),
        );
        r.register(
            "testdata_generation_stopped",
            "Generation stopped before its end: deadline passed, client gone or shutdown",
            self.generation_stopped.clone(),
        );
    }

    /// The metrics in the OpenMetrics text format.
    pub(crate) fn encode_openmetrics(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }

    /// The metrics in the classic Prometheus text format 0.0.4 (what `/metrics` serves and
    /// `promtool check metrics` accepts).
    pub fn encode(&self) -> String {
        openmetrics_to_classic(&self.encode_openmetrics())
    }

    /// Counts a failed request.
    pub(crate) fn error(&self, rpc: &str, code: &str) {
        self.errors.get_or_create(&ErrorLabels { rpc: rpc.to_owned(), code: code.to_owned() }).inc();
    }

    /// Counts a failed Redis call.
    pub(crate) fn redis_error(&self, op: &str) {
        self.redis_errors.get_or_create(&RedisOpLabels { op: op.to_owned() }).inc();
    }
}

/// Buckets of `testdata_generation_duration_seconds`.
fn generation_duration_histogram() -> Histogram {
    Histogram::new([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0])
}

/// Buckets of `testdata_llm_call_duration_seconds`.
fn llm_duration_histogram() -> Histogram {
    Histogram::new([0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0])
}

/// Buckets of `testdata_coherence_score`.
fn coherence_histogram() -> Histogram {
    Histogram::new([0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0])
}

/// The content type of [`Metrics::encode`].
pub(crate) const CLASSIC_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Rewrites OpenMetrics text as classic Prometheus text 0.0.4: a counter family `x` (samples
/// `x_total`) is announced as `x_total` in `# HELP`/`# TYPE`, `# UNIT` and `# EOF` lines are
/// dropped, and so are `_created` samples.
pub(crate) fn openmetrics_to_classic(text: &str) -> String {
    let mut counters: Vec<&str> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ")
            && let Some((name, "counter")) = rest.split_once(' ')
        {
            counters.push(name);
        }
    }
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let meta = line
            .strip_prefix("# HELP ")
            .map(|r| ("# HELP ", r))
            .or_else(|| line.strip_prefix("# TYPE ").map(|r| ("# TYPE ", r)));
        if let Some((prefix, rest)) = meta {
            let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
            out.push_str(prefix);
            out.push_str(name);
            if counters.contains(&name) && !name.ends_with("_total") {
                out.push_str("_total");
            }
            out.push(' ');
            out.push_str(tail);
            out.push('\n');
            continue;
        }
        let sample = line.split(['{', ' ']).next().unwrap_or("");
        if sample.ends_with("_created") && counters.iter().any(|c| sample.strip_suffix("_created") == Some(c))
        {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

impl testdata::llm::Observer for Metrics {
    fn call(
        &self,
        provider: &str,
        model: &str,
        status: &str,
        usage: &testdata::llm::Usage,
        elapsed: std::time::Duration,
    ) {
        let (provider, model) = (provider.to_owned(), model.to_owned());
        self.llm_requests
            .get_or_create(&LlmLabels {
                provider: provider.clone(),
                model: model.clone(),
                status: status.to_owned(),
            })
            .inc();
        for (kind, n) in [
            ("input", usage.input),
            ("output", usage.output),
            ("cache_read", usage.cache_read),
            ("cache_write", usage.cache_write),
        ] {
            if n > 0 {
                self.llm_tokens
                    .get_or_create(&LlmTokenLabels {
                        provider: provider.clone(),
                        model: model.clone(),
                        kind: kind.into(),
                    })
                    .inc_by(n);
            }
        }
        self.llm_duration.get_or_create(&ProviderLabels { provider }).observe(elapsed.as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_announced_with_their_total_suffix() {
        let m = Metrics::new();
        m.cache_hits.get_or_create(&PathLabels { path: "llm".into() }).inc();
        m.error("generate", "invalid_argument");
        let text = m.encode();
        assert!(text.contains("# HELP testdata_cache_hits_total Answers"), "{text}");
        assert!(text.contains("# TYPE testdata_cache_hits_total counter"), "{text}");
        assert!(text.contains("testdata_cache_hits_total{path=\"llm\"} 1"), "{text}");
        assert!(text.contains("# TYPE testdata_streams_active gauge"), "{text}");
        assert!(!text.contains("# EOF"), "{text}");
    }

    /// One sample in every family, so that the encoding names every metric and label.
    fn every_family() -> String {
        let m = Metrics::new();
        let request = RequestLabels {
            path: "llm".into(),
            domain: "d".into(),
            entity: "e".into(),
            status: "success".into(),
        };
        let path = PathLabels { path: "llm".into() };
        let entity = EntityLabels { domain: "d".into(), entity: "e".into() };
        m.requests.get_or_create(&request).inc();
        m.streams.get_or_create(&request).inc();
        m.duration.get_or_create(&path).observe(0.1);
        m.records.get_or_create(&entity).inc();
        m.validation_errors.get_or_create(&entity).inc();
        for family in [&m.cache_hits, &m.cache_misses, &m.repaired_records, &m.repaired_fields] {
            family.get_or_create(&path).inc();
        }
        m.llm_requests
            .get_or_create(&LlmLabels { provider: "p".into(), model: "m".into(), status: "ok".into() })
            .inc();
        m.llm_tokens
            .get_or_create(&LlmTokenLabels { provider: "p".into(), model: "m".into(), kind: "input".into() })
            .inc();
        m.llm_duration.get_or_create(&ProviderLabels { provider: "p".into() }).observe(0.1);
        m.coherence.get_or_create(&DomainLabels { domain: "d".into() }).observe(0.9);
        m.schema_cache_hits.inc();
        m.stream_chunks.inc();
        m.streams_active.inc();
        m.error("generate", "invalid_argument");
        m.redis_error("get");
        m.redis_up.set(1);
        m.encode()
    }

    /// The `testdata_*` metric names and the `by (...)` labels of a PromQL expression.
    fn names_and_labels(expr: &str) -> (Vec<&str>, Vec<&str>) {
        let word = |s: &str| s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
        let names = expr.match_indices("testdata_").map(|(i, _)| &expr[i..i + word(&expr[i..])]).collect();
        let labels = expr
            .split("by (")
            .skip(1)
            .filter_map(|rest| rest.split_once(')'))
            .flat_map(|(list, _)| list.split(',').map(str::trim))
            .filter(|l| !["le", "job", "instance"].contains(l)) // le: buckets; job, instance: the scrape's
            .collect();
        (names, labels)
    }

    /// Every query of the Grafana dashboard and of the alert rules names metrics and labels
    /// this registry exports (a renamed metric breaks this test, not the dashboard in silence).
    #[test]
    fn the_dashboard_and_the_alerts_query_exported_metrics_and_labels() {
        let text = every_family();
        let dashboard: serde_json::Value =
            serde_json::from_str(include_str!("../../deploy/grafana/dashboards/testdata-server.json"))
                .unwrap();
        let mut exprs: Vec<String> = dashboard["panels"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["targets"].as_array().cloned().unwrap_or_default())
            .map(|t| t["expr"].as_str().unwrap().to_owned())
            .collect();
        assert!(exprs.len() > 20, "{} dashboard queries", exprs.len());
        // The rules' expression lines (not their comments, summaries and descriptions).
        let alerts = include_str!("../../deploy/prometheus/alerts.yaml");
        exprs.extend(
            alerts
                .lines()
                .map(str::trim)
                .filter(|l| {
                    !l.starts_with('#') && !l.starts_with("summary:") && !l.starts_with("description:")
                })
                .map(str::to_owned),
        );
        let mut checked = 0;
        for expr in &exprs {
            let (names, labels) = names_and_labels(expr);
            for name in &names {
                let sample =
                    |n: &str| text.lines().any(|l| l.starts_with(n) && l[n.len()..].starts_with(['{', ' ']));
                assert!(sample(name), "{name} (in {expr}) is not exported:\n{text}");
                checked += 1;
            }
            for label in labels {
                let used = names
                    .iter()
                    .any(|n| text.lines().any(|l| l.starts_with(n) && l.contains(&format!("{label}=\""))));
                assert!(used, "label {label} (in {expr}) is on none of {names:?}");
            }
        }
        assert!(checked > 30, "{checked} metric names checked");
    }
}
