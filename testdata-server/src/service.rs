//! The service core, free of transport types: generate, stream, list schemas, report health.
//! The gRPC service ([`crate::grpc`]) and the HTTP routes (`http`) are thin edges
//! over it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tracing::Instrument;

use crate::cache::{LinkState, RedisStore};
use crate::cancel::Cancel;
use crate::config::Config;
use crate::error::ServiceError;
use crate::metrics::{DomainLabels, EntityLabels, Metrics, PathLabels, RequestLabels};
use crate::paths::{Inputs, Report, Scored};
use crate::plan::{Mode, Plan, Planner};
use crate::registry::Registry;
use crate::request::{GenerateSpec, Method};
pub use crate::router::Router;
use crate::stream_producer::{ByteBudget, StreamJob, StreamOutcome};

pub use crate::stream_producer::ChunkReceiver;

/// What readiness depends on; flipped by the server as it starts.
#[derive(Debug, Default)]
pub struct Readiness {
    /// The schema registry is loaded.
    pub registry_loaded: AtomicBool,
    /// The gRPC listener is bound and serving.
    pub grpc_serving: AtomicBool,
}

impl Readiness {
    /// `None` when ready, else why not.
    pub(crate) fn not_ready_reason(&self) -> Option<&'static str> {
        if !self.registry_loaded.load(Ordering::Acquire) {
            Some("schema registry not loaded")
        } else if !self.grpc_serving.load(Ordering::Acquire) {
            Some("gRPC server not ready")
        } else {
            None
        }
    }
}

/// A successful `GenerateData`.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The resolved plan (seed, schema name, scenario counts, format).
    pub plan: Plan,
    /// The serialised records.
    pub data: String,
    /// How many records `data` holds.
    pub record_count: u64,
    /// The path that produced them.
    pub path: Method,
    /// Why that path.
    pub routing_reason: String,
    /// Whether a fallback produced them.
    pub fallback: bool,
    /// Wall time of the generation.
    pub elapsed: Duration,
    /// The mean coherence score of the records (docs/catalogue.md), if any were produced.
    pub coherence: Option<f64>,
    /// What the path reported (tokens, cache hit, repairs).
    pub report: Report,
}

/// One chunk of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Serialised records (empty on the final chunk).
    pub data: String,
    /// Sequential, starting at `offset / batch_size`.
    pub index: i32,
    /// Index of the first record (the total on the final chunk).
    pub first_record: u64,
    /// Records in this chunk.
    pub record_count: u32,
    /// Whether this is the final, empty chunk.
    pub is_final: bool,
    /// What the unary metadata says about the answer, for this chunk.
    pub meta: ChunkMeta,
}

/// A chunk's path, why it was chosen and what it reported: the fields of `GenerateData`'s
/// metadata that a stream can tell chunk by chunk (a RAG chunk without patterns is a
/// fallback of its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkMeta {
    /// The path that made the chunk.
    pub path: Method,
    /// Why that path, with the path's fallback reason appended (as in `GenerateData`).
    pub routing_reason: String,
    /// Whether a fallback made the chunk (the route's, or the path's own).
    pub fallback: bool,
    /// What the path reported (tokens, cache hit, repairs, provider); empty on the final chunk.
    pub report: Report,
}

impl ChunkMeta {
    /// The metadata of an answer of `route` whose path reported `report`.
    pub(crate) fn of(route: &crate::router::Route, report: Report) -> ChunkMeta {
        let routing_reason = match &report.fallback {
            Some(why) => format!("{}; fallback: {why}", route.reason),
            None => route.reason.clone(),
        };
        ChunkMeta {
            path: route.generator.method(),
            routing_reason,
            fallback: route.fallback || report.fallback.is_some(),
            report,
        }
    }
}

/// A stream in progress: its seed and a bounded receiver of chunks (generated as it is read).
#[derive(Debug)]
pub struct StreamHandle {
    /// The seed of the stream.
    pub seed: u64,
    /// The index of the stream's first record (its `offset`).
    pub first_record: u64,
    /// The entity (or inline schema) name of the stream.
    pub schema_name: String,
    /// The serialisation of its chunks.
    pub format: testdata::export::Format,
    /// The chunks; an `Err` ends the stream.
    pub chunks: ChunkReceiver,
}

/// A registered schema, summarised for `GetSchemas`.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaSummary {
    /// Entity name.
    pub name: String,
    /// Domain.
    pub domain: String,
    /// Description.
    pub description: String,
    /// Top-level fields.
    pub fields: Vec<FieldSummary>,
    /// The whole schema as JSON text.
    pub schema_json: String,
}

/// A top-level field, summarised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSummary {
    /// Name.
    pub name: String,
    /// Schema type name.
    pub ty: String,
    /// Never null.
    pub required: bool,
    /// Description.
    pub description: String,
    /// Its ID template or fixed value, else "".
    pub example: String,
}

/// The service.
#[derive(Debug)]
pub struct Service {
    config: Arc<Config>,
    planner: Arc<Planner>,
    router: Router,
    metrics: Arc<Metrics>,
    readiness: Arc<Readiness>,
    hard_stop: watch::Sender<bool>,
    stream_parallelism: usize,
    redis: Option<Arc<RedisStore>>,
    weaviate: Option<Arc<testdata::rag::weaviate::WeaviateStore>>,
}

impl Service {
    /// A service over a loaded registry.
    pub(crate) fn new(
        config: Arc<Config>,
        registry: Arc<Registry>,
        router: Router,
        metrics: Arc<Metrics>,
    ) -> Service {
        let planner = Arc::new(
            Planner::new(registry, config.schema_cache_capacity, config.defect_rate)
                .with_limits(config.limits.clone()),
        );
        let readiness = Arc::new(Readiness::default());
        readiness.registry_loaded.store(true, Ordering::Release);
        let (hard_stop, _) = watch::channel(false);
        let stream_parallelism = match config.stream_parallelism {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8),
            n => n,
        };
        Service {
            config,
            planner,
            router,
            metrics,
            readiness,
            hard_stop,
            stream_parallelism,
            redis: None,
            weaviate: None,
        }
    }

    /// The service with a Redis layer (already added to the generators' caches), reported in
    /// health and started with the server.
    pub(crate) fn with_redis(mut self, redis: Arc<RedisStore>) -> Service {
        self.redis = Some(redis);
        self
    }

    /// The service with the Weaviate pattern store (checked at start, reported in health).
    pub(crate) fn with_weaviate(mut self, weaviate: Arc<testdata::rag::weaviate::WeaviateStore>) -> Service {
        self.weaviate = Some(weaviate);
        self
    }

    /// The Weaviate pattern store, when `WEAVIATE_URL` is set.
    pub(crate) fn weaviate(&self) -> Option<&Arc<testdata::rag::weaviate::WeaviateStore>> {
        self.weaviate.as_ref()
    }

    /// The Redis layer, when `REDIS_URL` is set.
    pub(crate) fn redis(&self) -> Option<&Arc<RedisStore>> {
        self.redis.as_ref()
    }

    /// Turns `true` when the shutdown grace period is over: streams still running end with
    /// UNAVAILABLE and the offset to resume from.
    pub(crate) fn hard_stop(&self) -> watch::Receiver<bool> {
        self.hard_stop.subscribe()
    }

    /// Ends every stream still running (see [`Service::hard_stop`]).
    pub(crate) fn stop_streams(&self) {
        self.hard_stop.send_replace(true);
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The metrics.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// The readiness flags.
    pub fn readiness(&self) -> &Arc<Readiness> {
        &self.readiness
    }

    /// The registry.
    pub fn registry(&self) -> &Registry {
        self.planner.registry()
    }

    /// The bounded `domain` label of a request.
    pub(crate) fn domain_label(&self, spec: &GenerateSpec) -> String {
        let d = spec.domain.as_str();
        if d.is_empty() {
            let s = &spec.sources;
            let name = if s.predefined.is_empty() { &s.entity } else { &s.predefined };
            match self.registry().get(name).and_then(|s| s.def().domain.clone()) {
                Some(domain) if s.inline_schema.trim().is_empty() && s.custom_schema.trim().is_empty() => {
                    domain
                }
                _ => "none".into(),
            }
        } else if self.registry().has_domain(d) {
            d.into()
        } else {
            "other".into()
        }
    }

    /// The bounded `entity` label of a request.
    pub(crate) fn entity_label(&self, spec: &GenerateSpec) -> String {
        let s = &spec.sources;
        if !s.inline_schema.trim().is_empty() || !s.custom_schema.trim().is_empty() || !s.fields.is_empty() {
            return "custom".into();
        }
        let name = if s.predefined.is_empty() { &s.entity } else { &s.predefined };
        if self.registry().get(name).is_some() { name.clone() } else { "other".into() }
    }

    /// `GenerateData`: up to `MAX_SYNC_RECORDS` records, serialised.
    pub async fn generate(&self, spec: &GenerateSpec) -> Result<Generated, ServiceError> {
        let started = Instant::now();
        // Dropped with this future (the deadline passed, the client went away): the
        // generation stops at its next record, also on the blocking pool.
        let cancel = Cancel::counted(self.metrics.generation_stopped.clone());
        let _stop_when_dropped = cancel.on_drop();
        let result = self.generate_inner(spec, started, cancel).await;
        let (path, status) = match &result {
            Ok(g) => (g.path.label(), "success"),
            Err(_) => (spec.method.label(), "error"),
        };
        let labels = self.request_labels(spec, path, status);
        self.metrics.requests.get_or_create(&labels).inc();
        self.metrics
            .duration
            .get_or_create(&PathLabels { path: path.into() })
            .observe(started.elapsed().as_secs_f64());
        match &result {
            Ok(g) => {
                let RequestLabels { domain, entity, .. } = labels;
                self.metrics.records.get_or_create(&EntityLabels { domain, entity }).inc_by(g.record_count);
            }
            Err(e) => self.metrics.error("generate", e.kind().label()),
        }
        result
    }

    async fn generate_inner(
        &self,
        spec: &GenerateSpec,
        started: Instant,
        cancel: Cancel,
    ) -> Result<Generated, ServiceError> {
        let hits = self.planner.cache_hits();
        let plan = self.plan_unary(spec, cancel).await?;
        self.metrics.schema_cache_hits.inc_by(self.planner.cache_hits().saturating_sub(hits));
        let route = self.router.route(spec)?;
        let inputs = inputs_of(spec);
        let (Scored { data, records, coherence, failing }, report) =
            route.generator.generate_reported(&plan, &inputs, 0..plan.total).await?;
        let meta = ChunkMeta::of(&route, report);
        self.observe_report(meta.path, &meta.report);
        if let Some(score) = coherence {
            self.observe_coherence(self.domain_label(spec), score);
        }
        if failing > 0 {
            let labels = EntityLabels { domain: self.domain_label(spec), entity: self.entity_label(spec) };
            self.metrics.validation_errors.get_or_create(&labels).inc_by(failing);
        }
        Ok(Generated {
            coherence,
            record_count: records,
            data,
            path: meta.path,
            routing_reason: meta.routing_reason,
            fallback: meta.fallback,
            elapsed: started.elapsed(),
            plan,
            report: meta.report,
        })
    }

    /// Plans a unary request and refuses it when its answer would exceed the message limit.
    /// A per-request schema, or constraints with patterns, are planned on the blocking pool:
    /// compiling them and sampling their records must not hold up the connection's thread
    /// (every other call on it would wait). A registered entity plans in microseconds, so it
    /// plans in place: the hop to the pool and back cost a quarter of the unary throughput.
    async fn plan_unary(&self, spec: &GenerateSpec, cancel: Cancel) -> Result<Plan, ServiceError> {
        crate::limits::check_request(spec, &self.config.limits)?;
        let (max_records, max_bytes) = (self.config.max_sync_records, self.config.max_message_bytes);
        if plans_in_microseconds(spec) {
            return plan_sized(&self.planner, spec, max_records, max_bytes, cancel);
        }
        let (planner, spec) = (Arc::clone(&self.planner), spec.clone());
        tokio::task::spawn_blocking(move || plan_sized(&planner, &spec, max_records, max_bytes, cancel))
            .await
            .map_err(|e| ServiceError::Internal(format!("planning task failed: {e}")))?
    }

    /// Counts an answer's cache hit or miss (paths that cache) and its repairs.
    fn observe_report(&self, method: Method, report: &Report) {
        if method == Method::Traditional {
            return;
        }
        let labels = PathLabels { path: method.label().into() };
        if report.cache_hit {
            self.metrics.cache_hits.get_or_create(&labels).inc();
        } else {
            self.metrics.cache_misses.get_or_create(&labels).inc();
        }
        self.metrics.repaired_records.get_or_create(&labels).inc_by(report.records_repaired);
        self.metrics.repaired_fields.get_or_create(&labels).inc_by(report.fields_repaired);
    }

    /// `GenerateDataStream`: validates the request, then generates chunks as the reader takes
    /// them (at most `STREAM_BUFFER_CHUNKS` ahead). Errors before the first chunk are returned
    /// here; later ones end the stream.
    /// A stream with a `deadline` stops generating when it passes.
    pub fn stream(
        self: &Arc<Self>,
        spec: &GenerateSpec,
        deadline: Option<Instant>,
    ) -> Result<StreamHandle, ServiceError> {
        let result = self.start_stream(spec, deadline);
        if let Err(e) = &result {
            self.metrics.error("stream", e.kind().label());
            self.finish_stream_metric(spec, StreamOutcome::Error);
        }
        result
    }

    /// [`stream`](Self::stream), planned on the blocking pool (in `span`) unless planning is
    /// light (as for unary calls): compiling a large per-request schema and sampling its
    /// records must not hold up the connection's thread.
    pub async fn stream_planned(
        self: &Arc<Self>,
        spec: GenerateSpec,
        deadline: Option<Instant>,
        span: tracing::Span,
    ) -> Result<StreamHandle, ServiceError> {
        if plans_in_microseconds(&spec) {
            return span.in_scope(|| self.stream(&spec, deadline));
        }
        let service = Arc::clone(self);
        tokio::task::spawn_blocking(move || span.in_scope(|| service.stream(&spec, deadline)))
            .await
            .map_err(|e| ServiceError::Internal(format!("planning task failed: {e}")))?
    }

    fn start_stream(
        self: &Arc<Self>,
        spec: &GenerateSpec,
        deadline: Option<Instant>,
    ) -> Result<StreamHandle, ServiceError> {
        let batch = match spec.batch_size {
            0 => u64::from(self.config.default_batch_size),
            b if b < 0 => {
                return Err(ServiceError::invalid(format!(
                    "batch_size is {b}; give 1..={} or 0 for the default",
                    self.config.max_batch_size
                )));
            }
            b if b > i64::from(self.config.max_batch_size) => {
                return Err(ServiceError::invalid(format!(
                    "batch_size {b} is above the limit {} (MAX_BATCH_SIZE); ask for smaller chunks",
                    self.config.max_batch_size
                )));
            }
            b => b as u64,
        };
        crate::limits::check_request(spec, &self.config.limits)?;
        let plan = self.planner.plan(spec, Mode::Stream(self.config.max_stream_records))?;
        // Chunks sized by bytes as well as by records: each fits in one message, and in
        // STREAM_CHUNK_BYTES.
        let (batch, per_record) = crate::limits::chunk_records(
            &plan,
            batch,
            self.config.max_message_bytes,
            self.config.limits.stream_chunk_bytes,
        )?;
        let route = self.router.route(spec)?;
        let first_index = i32::try_from(spec.offset / batch)
            .ok()
            .filter(|_| i32::try_from(plan.total / batch + 1).is_ok())
            .ok_or_else(|| {
                ServiceError::invalid(format!(
                    "a stream of {} records in chunks of {batch} has more chunks than chunk_index can count; \
                     raise batch_size",
                    plan.total
                ))
            })?;
        let (tx, rx) = ChunkReceiver::channel(self.config.stream_buffer_chunks);
        let (seed, schema_name, format) = (plan.seed, plan.schema_name.clone(), plan.format);
        let mut plan = plan;
        plan.cancel = Cancel::counted(self.metrics.generation_stopped.clone());
        plan.bytes_per_record = per_record;
        let offset = spec.offset;
        let job = StreamJob {
            records: self.records_counter(&plan),
            plan: Arc::new(plan),
            inputs: Arc::new(inputs_of(spec)),
            route,
            offset,
            batch,
            first_index,
            deadline,
            parallel: self.stream_parallelism,
            metrics: Arc::clone(&self.metrics),
            budget: ByteBudget::new(self.config.limits.stream_buffer_bytes, per_record),
        };
        let (service, spec) = (Arc::clone(self), spec.clone());
        self.metrics.streams_active.inc();
        tokio::spawn(
            async move {
                let outcome = crate::stream_producer::run(job, tx, service.hard_stop()).await;
                service.metrics.streams_active.dec();
                service.finish_stream_metric(&spec, outcome);
            }
            .in_current_span(),
        );
        Ok(StreamHandle { seed, first_record: offset, schema_name, format, chunks: rx })
    }

    /// `testdata_records_generated_total` of a plan's entity.
    fn records_counter(&self, plan: &Plan) -> prometheus_client::metrics::counter::Counter {
        let def = plan.schema().def();
        let domain =
            def.domain.clone().filter(|d| self.registry().has_domain(d)).unwrap_or_else(|| "custom".into());
        let entity = if plan.registered { plan.schema_name.clone() } else { "custom".into() };
        self.metrics.records.get_or_create(&EntityLabels { domain, entity }).clone()
    }

    fn finish_stream_metric(&self, spec: &GenerateSpec, outcome: StreamOutcome) {
        let labels = self.request_labels(spec, spec.method.label(), outcome.label());
        self.metrics.streams.get_or_create(&labels).inc();
    }

    /// The labels of `testdata_requests_total` and `testdata_streams_total` for a request
    /// answered by `path` with `status`.
    fn request_labels(&self, spec: &GenerateSpec, path: &str, status: &str) -> RequestLabels {
        RequestLabels {
            path: path.into(),
            domain: self.domain_label(spec),
            entity: self.entity_label(spec),
            status: status.into(),
        }
    }

    /// The router (which paths are configured).
    pub fn router(&self) -> &Router {
        &self.router
    }

    /// Observes a coherence score (for paths that compute one).
    pub(crate) fn observe_coherence(&self, domain: String, score: f64) {
        self.metrics.coherence.get_or_create(&DomainLabels { domain }).observe(score);
    }

    /// `GetSchemas`: registered schemas, optionally of one domain, sorted by name.
    pub(crate) fn schemas(&self, domain: &str) -> Vec<SchemaSummary> {
        self.registry()
            .schemas()
            .filter(|s| domain.is_empty() || s.def().domain.as_deref() == Some(domain))
            .map(|s| {
                let def = s.def();
                SchemaSummary {
                    name: def.name.clone(),
                    domain: def.domain.clone().unwrap_or_default(),
                    description: def.description.clone().unwrap_or_default(),
                    fields: def
                        .fields
                        .iter()
                        .map(|f| FieldSummary {
                            name: f.name.clone(),
                            ty: serde_json::to_value(crate::plan::effective_type(f))
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_else(|| "string".into()),
                            required: f.required != Some(false) && f.optional.is_none_or(|p| p == 0.0),
                            description: f.description.clone().unwrap_or_default(),
                            example: f
                                .format
                                .clone()
                                .or_else(|| {
                                    f.value
                                        .as_ref()
                                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                                })
                                .unwrap_or_default(),
                        })
                        .collect(),
                    schema_json: serde_json::to_string(def).unwrap_or_default(),
                }
            })
            .collect()
    }

    /// `HealthCheck`: overall status and each component's state.
    pub(crate) fn health(&self) -> (String, BTreeMap<String, String>) {
        let mut components = BTreeMap::new();
        let healthy = |b: bool| if b { "healthy" } else { "unhealthy" }.to_owned();
        components.insert("grpc_server".into(), healthy(self.readiness.grpc_serving.load(Ordering::Acquire)));
        components.insert("config".into(), "healthy".into());
        components.insert(
            "registry".into(),
            healthy(self.readiness.registry_loaded.load(Ordering::Acquire) && !self.registry().is_empty()),
        );
        components.insert("traditional".into(), "healthy".into());
        for (name, m) in [("llm", Method::Llm), ("rag", Method::Rag), ("hybrid", Method::Hybrid)] {
            let state = if self.router.available(m) { "healthy" } else { "not_configured" };
            components.insert(name.into(), state.into());
        }
        if let Some(llm) = self.router.llm() {
            for p in llm.providers() {
                let state = match p.breaker {
                    "closed" => "healthy".to_owned(),
                    other => format!("degraded: circuit breaker {other}"),
                };
                components.insert(format!("llm.{}", p.name), format!("{state} (model {})", p.model));
            }
            components.insert("llm.cache".into(), llm.config().mode.name().into());
        }
        let redis = self.redis.as_ref().map(|r| r.state());
        let redis_degraded = matches!(redis, Some(LinkState::Degraded(_)));
        components.insert("redis".into(), redis.map_or_else(|| "not_configured".into(), |s| s.to_string()));
        let weaviate = self.weaviate.as_ref().map(|w| w.state());
        let weaviate_failing = matches!(weaviate, Some(testdata::rag::weaviate::LinkState::Failing(_)));
        components
            .insert("weaviate".into(), weaviate.map_or_else(|| "not_configured".into(), |s| s.to_string()));
        let status = if self.readiness.not_ready_reason().is_none() && !redis_degraded && !weaviate_failing {
            "healthy"
        } else {
            "degraded"
        };
        (status.into(), components)
    }
}

/// The path inputs of a request.
fn inputs_of(spec: &GenerateSpec) -> Inputs {
    Inputs {
        context: spec.context.clone(),
        hints: spec.hints.clone(),
        use_cache: spec.use_cache,
        edge_cases: spec.defect_triggering,
        scenarios: spec.scenarios.iter().map(|s| (s.name.clone(), s.description.clone())).collect(),
        domain: spec.domain.clone(),
        learn_from_history: spec.learn_from_history,
        production_like: spec.production_like,
    }
}

/// Plans `spec` with its `cancel` flag and sizes its answer (refused above `max_bytes`).
fn plan_sized(
    planner: &Planner,
    spec: &GenerateSpec,
    max_records: u32,
    max_bytes: usize,
    cancel: Cancel,
) -> Result<Plan, ServiceError> {
    let mut plan = planner.plan(spec, Mode::Sync(max_records))?;
    plan.cancel = cancel;
    plan.bytes_per_record = crate::limits::check_answer(&plan, max_bytes)?;
    Ok(plan)
}

/// Whether planning `spec` is light: a registered schema (or a few request fields), and no
/// constraint pattern or template to compile.
fn plans_in_microseconds(spec: &GenerateSpec) -> bool {
    let s = &spec.sources;
    s.inline_schema.trim().is_empty()
        && s.custom_schema.trim().is_empty()
        && s.fields.len() <= 64
        && spec.constraints.values().all(|c| c.regex.is_none() && c.format.is_none())
}
