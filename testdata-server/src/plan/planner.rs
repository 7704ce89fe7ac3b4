//! The planner: which schema a request names (registered, inline, custom or typed fields),
//! compiled with its constraints and overrides once and cached, and the plan of a request.

use std::collections::BTreeMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use testdata::schema::{FieldDef, SchemaDef};
use testdata::{Context, Schema};

use super::counts::reconcile_counts;
use super::merge::{apply_constraints, apply_overrides};
use super::{Compiled, Mode, Plan, Segment};
use crate::error::ServiceError;
use crate::registry::{Registry, parse_schema_text};
use crate::request::GenerateSpec;

/// Resolves and compiles requests; caches compiled per-request schemas.
pub struct Planner {
    registry: Arc<Registry>,
    cache: moka::sync::Cache<u128, Arc<Compiled>>,
    plain: moka::sync::Cache<String, Arc<Compiled>>,
    defect_rate: f64,
    limits: crate::limits::Limits,
    cache_hits: AtomicU64,
    random: RandomState,
}

impl std::fmt::Debug for Planner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Planner").field("schemas", &self.registry.len()).finish()
    }
}

enum Source<'a> {
    Registered(&'a str),
    Text { field: &'static str, text: &'a str },
    Fields(&'a [FieldDef]),
}

impl Planner {
    /// A planner over `registry`; `capacity` compiled per-request schema sets are cached;
    /// `defect_rate` is the edge-case probability of `defect_triggering` requests.
    pub fn new(registry: Arc<Registry>, capacity: u64, defect_rate: f64) -> Planner {
        Planner {
            registry,
            cache: moka::sync::Cache::new(capacity.max(1)),
            plain: moka::sync::Cache::new(4096),
            defect_rate,
            limits: crate::limits::Limits::default(),
            cache_hits: AtomicU64::new(0),
            random: RandomState::new(),
        }
    }

    /// The same planner refusing per-request schemas over `limits` (`MAX_SCHEMA_FIELDS`,
    /// the regex limits).
    pub fn with_limits(mut self, limits: crate::limits::Limits) -> Planner {
        self.limits = limits;
        self
    }

    /// The registry.
    pub fn registry(&self) -> &Arc<Registry> {
        &self.registry
    }

    /// How many requests reused a compiled schema set from the cache.
    pub fn cache_hits(&self) -> u64 {
        self.cache_hits.load(Ordering::Relaxed)
    }

    /// A fresh random seed.
    pub fn random_seed(&self) -> u64 {
        let mut h = self.random.build_hasher();
        std::time::SystemTime::now().hash(&mut h);
        std::thread::current().id().hash(&mut h);
        self.cache_hits.load(Ordering::Relaxed).hash(&mut h);
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        COUNTER.fetch_add(1, Ordering::Relaxed).hash(&mut h);
        h.finish()
    }

    /// Resolves `spec` into a plan (see the module docs for the rules).
    pub fn plan(&self, spec: &GenerateSpec, mode: Mode) -> Result<Plan, ServiceError> {
        // Counts first: cheap, and a request over the sync limit gets that error before any other.
        let (total, segments_spec) = reconcile_counts(spec)?;
        match mode {
            Mode::Sync(limit) if total > u64::from(limit) => {
                return Err(ServiceError::CountLimit { count: total as i64, limit });
            }
            Mode::Stream(limit) if total > limit => {
                return Err(ServiceError::InvalidArgument(format!(
                    "count {total} exceeds the stream limit {limit} (MAX_STREAM_RECORDS); split the request \
                     into several streams with offset, or raise the limit"
                )));
            }
            _ => {}
        }
        if matches!(mode, Mode::Sync(_)) && spec.offset != 0 {
            return Err(ServiceError::invalid(
                "offset applies to GenerateDataStream only (resuming a stream); leave it 0 for GenerateData",
            ));
        }
        if spec.offset > total {
            return Err(ServiceError::invalid(format!(
                "offset {} is past the end of the stream of {total} records; resume with offset <= count",
                spec.offset
            )));
        }

        let source = self.source(spec)?;
        let (schema_name, registered) = match &source {
            Source::Registered(name) => ((*name).to_owned(), true),
            _ => (String::new(), false),
        };
        let compiled = self.compiled(spec, &source)?;
        let schema_name = if registered { schema_name } else { compiled.schemas[0].name().to_owned() };

        let mut segments = Vec::new();
        let mut scenario_counts = BTreeMap::new();
        let mut start = 0u64;
        for (name, n, scenario) in segments_spec {
            let schema = scenario.map_or(0, |k| compiled.scenario_schema[k]);
            *scenario_counts.entry(name.clone()).or_insert(0) += n;
            if n > 0 {
                compiled.schemas[schema].check_count(start, n)?;
                segments.push(Segment { name, range: start..start + n, schema });
            }
            start += n;
        }
        let seed = spec.seed.unwrap_or_else(|| self.random_seed());
        Ok(Plan {
            schema_name,
            registered,
            compiled,
            segments,
            total,
            seed,
            format: spec.format,
            scenario_counts,
            cancel: crate::cancel::Cancel::default(),
            bytes_per_record: 0,
        })
    }

    fn source<'a>(&self, spec: &'a GenerateSpec) -> Result<Source<'a>, ServiceError> {
        let s = &spec.sources;
        let source = if !s.inline_schema.trim().is_empty() {
            Source::Text { field: "inline_schema", text: &s.inline_schema }
        } else if !s.custom_schema.trim().is_empty() {
            Source::Text { field: "custom_schema", text: &s.custom_schema }
        } else if !s.fields.is_empty() {
            Source::Fields(&s.fields)
        } else if !s.predefined.is_empty() {
            Source::Registered(&s.predefined)
        } else if !s.entity.is_empty() {
            Source::Registered(&s.entity)
        } else {
            return Err(ServiceError::invalid(format!(
                "no schema: set entity to one of [{}], or give inline_schema / schema.fields",
                self.registry.names().join(", ")
            )));
        };
        if let Source::Registered(name) = source
            && self.registry.get(name).is_none()
        {
            let which = if s.predefined.is_empty() { "entity" } else { "schema.predefined_schema" };
            return Err(ServiceError::NotFound(format!(
                "unknown {which} `{name}`; known entities: {} (or give inline_schema)",
                self.registry.names().join(", ")
            )));
        }
        Ok(source)
    }

    fn compiled(&self, spec: &GenerateSpec, source: &Source<'_>) -> Result<Arc<Compiled>, ServiceError> {
        let overrides = spec.scenarios.iter().any(|s| !s.overrides.is_empty());
        let plain = spec.constraints.is_empty() && !overrides && !spec.defect_triggering;
        if let (true, Source::Registered(name)) = (plain, source) {
            // The common case: a registered schema as it is. Cached by name.
            if let Some(hit) = self.plain.get(*name) {
                return Ok(hit);
            }
            let schema =
                self.registry.get(name).ok_or_else(|| ServiceError::NotFound(format!("unknown `{name}`")))?;
            let compiled = Arc::new(Compiled::new(vec![schema.clone()], vec![0; spec.scenarios.len()]));
            self.plain.insert((*name).to_owned(), compiled.clone());
            return Ok(compiled);
        }
        let key = cache_key(spec, source);
        if let Some(hit) = self.cache.get(&key) {
            self.cache_hits.fetch_add(1, Ordering::Relaxed);
            return Ok(hit);
        }
        let compiled = Arc::new(self.compile(spec, source)?);
        self.cache.insert(key, compiled.clone());
        Ok(compiled)
    }

    fn compile(&self, spec: &GenerateSpec, source: &Source<'_>) -> Result<Compiled, ServiceError> {
        let mut def = match source {
            Source::Registered(name) => self
                .registry
                .get(name)
                .map(|s| s.def().clone())
                .ok_or_else(|| ServiceError::NotFound(format!("unknown entity `{name}`")))?,
            Source::Text { field, text } => {
                let def =
                    parse_schema_text(text).map_err(|m| ServiceError::invalid(format!("{field}: {m}")))?;
                crate::limits::check_schema(&def, &self.limits)
                    .map_err(|e| ServiceError::invalid(format!("{field}: {e}")))?;
                // Check the schema alone first, so its own errors are not blamed on constraints.
                self.registry
                    .compile(def.clone())
                    .map_err(|e| ServiceError::invalid(format!("{field}: {e}")))?;
                def
            }
            Source::Fields(fields) => {
                // Checked once merged with the constraints (an ENUM field gets its values there).
                let name = if spec.sources.entity.is_empty() { "custom" } else { &spec.sources.entity };
                let def = SchemaDef {
                    name: name.to_owned(),
                    key: None,
                    domain: (!spec.domain.is_empty()).then(|| spec.domain.clone()),
                    description: None,
                    locale: None,
                    rules: Vec::new(),
                    fields: fields.to_vec(),
                };
                crate::limits::check_schema(&def, &self.limits)
                    .map_err(|e| ServiceError::invalid(format!("schema.fields: {e}")))?;
                def
            }
        };
        apply_constraints(&mut def.fields, &spec.constraints)?;
        let ctx = if spec.defect_triggering {
            Context::default().with_edge_cases(self.defect_rate)
        } else {
            Context::default()
        };
        // A scenario's overrides break rules on purpose: its schema is compiled without holding
        // computed fields to their bounds.
        let build = |def: SchemaDef, what: &str, overridden: bool| -> Result<Arc<Schema>, ServiceError> {
            let compiled =
                if overridden { self.registry.compile_overridden(def) } else { self.registry.compile(def) };
            let schema = compiled.map_err(|e| ServiceError::invalid(format!("{what}: {e}")))?;
            let schema = if spec.defect_triggering {
                schema.with_context(ctx.clone()).map_err(|e| ServiceError::invalid(format!("{what}: {e}")))?
            } else {
                schema
            };
            Ok(Arc::new(schema))
        };
        let what = match source {
            Source::Fields(_) if spec.constraints.is_empty() => "schema.fields",
            Source::Fields(_) => "schema.fields with constraints",
            _ if spec.constraints.is_empty() => "schema",
            _ => "constraints",
        };
        let base = build(def.clone(), what, false)?;
        let mut schemas = vec![base];
        let mut scenario_schema = Vec::with_capacity(spec.scenarios.len());
        for sc in &spec.scenarios {
            if sc.overrides.is_empty() {
                scenario_schema.push(0);
                continue;
            }
            let mut sdef = def.clone();
            apply_overrides(&mut sdef.fields, sc)?;
            scenario_schema.push(schemas.len());
            schemas.push(build(sdef, &format!("scenario `{}` overrides", sc.name), true)?);
        }
        Ok(Compiled::new(schemas, scenario_schema))
    }
}

fn cache_key(spec: &GenerateSpec, source: &Source<'_>) -> u128 {
    let mut material = String::new();
    use std::fmt::Write;
    let _ = match source {
        Source::Registered(n) => write!(material, "R:{n}"),
        Source::Text { field, text } => write!(material, "T:{field}:{text}"),
        Source::Fields(f) => write!(material, "F:{}:{}:{f:?}", spec.sources.entity, spec.domain),
    };
    let _ = write!(material, "|C:{:?}|D:{}", spec.constraints, spec.defect_triggering);
    for s in &spec.scenarios {
        let _ = write!(material, "|S:{:?}:{:?}", s.name, s.overrides);
    }
    let mut a = DefaultHasher::new();
    material.hash(&mut a);
    let mut b = DefaultHasher::new();
    0xA5u8.hash(&mut b);
    material.hash(&mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}
