//! From a request to a generation plan: which schema (registered, inline, custom or typed
//! fields), merged with the request's constraints and scenario overrides, compiled once and
//! cached; how many records, in which scenario segments, with which seed and serialisation.
//!
//! # Rules (documented for callers)
//!
//! * **Schema precedence**: `inline_schema`, then `custom_schema`, then `schema.fields`, then
//!   `schema.predefined_schema`, then `entity`. Per-request schemas are never registered.
//! * **Constraints** (`constraints.field_constraints`): keyed by field path — dotted for
//!   nested fields (`shipping_address.city`; `items.price` reaches each array element; `[]`
//!   may be written: `items[].price`). Each given member replaces the schema's own; `min`/`max`
//!   apply to numbers, `regex`/`format` to strings, `min_length`/`max_length` to strings (or
//!   arrays: element counts), `enum_values` to enums, strings and numbers (converted to the
//!   field's type). An unknown path, a member that does not apply, or a contradiction with
//!   the rest of the field (e.g. `min` > `max`) is an INVALID_ARGUMENT naming the field.
//! * **Scenarios**: records are grouped by scenario in request order, then the `default`
//!   group. With `count` = 0 the total is the sum of the scenario counts (the old service's
//!   behaviour); otherwise the scenario counts must add up to at most `count` and the rest are
//!   `default` records. Names must be non-empty and distinct; counts ≥ 0.
//! * **Overrides**: `path → text` is converted to the field's type (integer, number, boolean,
//!   one of an enum's values, JSON for objects and arrays, text otherwise) and becomes the
//!   field's fixed `value` in the scenario's schema, so computed fields (subtotals, totals)
//!   are computed from it. Dotted paths reach nested fields and every element of an array.
//! * **Determinism**: record `i` is `schema.nth(seed, i)` of its segment's schema; encoding
//!   appends `_index` = `i` and `_scenario`; a scenario without overrides uses the base schema, so its
//!   records are byte-identical to in-process generation of the entity.

use std::collections::BTreeMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Number, Value};
use testdata::export::{Column, CsvWriter, Dialect, ExportOptions, Format, SqlType, SqlWriter};
use testdata::schema::{FieldDef, FieldType, SchemaDef};
use testdata::{Context, Schema};

use crate::error::ServiceError;
use crate::paths::Scored;
use crate::registry::{Registry, parse_schema_text};
use crate::request::{ConstraintSpec, GenerateSpec, ScenarioSpec};

/// The `_scenario` of records outside any scenario.
pub const DEFAULT_SCENARIO: &str = "default";

/// Which RPC the plan is for: decides the count limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `GenerateData`: at most this many records (`MAX_SYNC_RECORDS`).
    Sync(u32),
    /// `GenerateDataStream`: at most this many records (`MAX_STREAM_RECORDS`).
    Stream(u64),
}

/// A request's schemas, compiled: the base schema and one per scenario with overrides.
#[derive(Debug)]
pub struct Compiled {
    /// `[0]` is the base schema (constraints merged); the others carry scenario overrides.
    pub schemas: Vec<Arc<Schema>>,
    /// For each scenario of the request, the index of its schema in `schemas`.
    pub scenario_schema: Vec<usize>,
    /// CSV/SQL columns, from the base schema (plus `_index`, `_scenario`).
    pub columns: Vec<Column>,
    /// The CSV header line (what a CSV writer emits before the first row).
    pub csv_header: String,
}

/// A contiguous run of records of one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The scenario name.
    pub name: String,
    /// The records `start..end`.
    pub range: Range<u64>,
    /// The index of the schema in [`Compiled::schemas`].
    pub schema: usize,
}

/// A resolved request: everything needed to produce any record of it in O(1).
#[derive(Debug, Clone)]
pub struct Plan {
    /// The schema's name (the entity, or the per-request schema's name).
    pub schema_name: String,
    /// Whether the schema is a registered one (else: per-request).
    pub registered: bool,
    /// The compiled schemas.
    pub compiled: Arc<Compiled>,
    /// The scenario segments, covering `0..total`.
    pub segments: Vec<Segment>,
    /// The number of records of the whole request (a stream's full size).
    pub total: u64,
    /// The seed (given or drawn).
    pub seed: u64,
    /// The serialisation.
    pub format: Format,
    /// Records per scenario name.
    pub scenario_counts: BTreeMap<String, u64>,
}

impl Plan {
    /// The base schema (constraints merged, no overrides).
    pub fn schema(&self) -> &Schema {
        &self.compiled.schemas[0]
    }

    /// The schema record `index` is generated from (its scenario's).
    pub fn schema_of(&self, index: u64) -> &Schema {
        let seg = self.segments.iter().find(|s| s.range.contains(&index));
        &self.compiled.schemas[seg.map_or(0, |s| s.schema)]
    }

    /// The segment (scenario run) holding record `index`.
    fn segment_of(&self, index: u64) -> Result<&Segment, ServiceError> {
        self.segments
            .iter()
            .find(|s| s.range.contains(&index))
            .ok_or_else(|| ServiceError::Internal(format!("record {index} is outside the plan")))
    }

    /// `record` (record `index` of the plan) with the bookkeeping keys `_index` and
    /// `_scenario` appended, as callers receive it.
    pub fn with_bookkeeping(&self, mut record: Value, index: u64) -> Result<Value, ServiceError> {
        add_bookkeeping(&mut record, index, &self.segment_of(index)?.name);
        Ok(record)
    }

    /// The indexes of `range` (clamped to the plan), in order, each with its segment's schema
    /// and scenario name.
    fn indexes(&self, range: Range<u64>) -> impl Iterator<Item = (u64, &Schema, &str)> + '_ {
        let end = range.end.min(self.total);
        self.segments.iter().flat_map(move |seg| {
            let schema = &*self.compiled.schemas[seg.schema];
            (seg.range.start.max(range.start)..seg.range.end.min(end))
                .map(move |i| (i, schema, seg.name.as_str()))
        })
    }

    /// Records `range` (clamped to the plan), in order, as in-process generation gives them:
    /// [`Plan::encode`] adds the bookkeeping keys.
    pub fn records(&self, range: Range<u64>) -> Result<Vec<Value>, ServiceError> {
        self.indexes(range).map(|(i, schema, _)| Ok(schema.nth(self.seed, i)?)).collect()
    }

    /// Records `range` (clamped to the plan) serialised as [`Plan::encode`] would serialise
    /// [`Plan::records`] of it, in one pass: JSON and JSONL records are written straight into
    /// the output (no intermediate vector); CSV and SQL go through `records` + `encode`.
    pub fn encode_range(&self, range: Range<u64>) -> Result<String, ServiceError> {
        if !matches!(self.format, Format::Json | Format::Jsonl) {
            let first = range.start;
            return self.encode(&self.records(range)?, first);
        }
        let n = range.end.min(self.total).saturating_sub(range.start);
        let mut out = JsonOut::new(self.format, n as usize);
        for (i, schema, scenario) in self.indexes(range) {
            out.generated(schema, self.seed, i, scenario)?;
        }
        out.finish()
    }

    /// Records `range` (clamped to the plan) serialised and scored in one pass, for the
    /// Traditional path. Without scenario overrides and in JSON or JSONL, each record is
    /// written and validated in the engine's positional form ([`Schema::write_json_validated`]):
    /// a record without violations fails none of its checks, so it scores exactly 1 (its
    /// `unique` values are distinct by construction: a keyed permutation of the index). Any
    /// violation, any override, or CSV/SQL output scores every record in full
    /// ([`Plan::score_and_encode`]).
    pub fn encode_scored(&self, range: Range<u64>) -> Result<Scored, ServiceError> {
        let end = range.end.min(self.total);
        let n = end.saturating_sub(range.start);
        if matches!(self.format, Format::Json | Format::Jsonl) && self.compiled.schemas.len() == 1 {
            let mut out = JsonOut::new(self.format, n as usize);
            let mut clean = true;
            for (i, schema, scenario) in self.indexes(range.clone()) {
                if !out.validated(schema, self.seed, i, scenario)? {
                    clean = false;
                    break;
                }
            }
            if clean {
                return Ok(Scored {
                    data: out.finish()?,
                    records: n,
                    coherence: (n > 0).then_some(1.0),
                    failing: 0,
                });
            }
        }
        let first = range.start;
        self.score_and_encode(&self.records(range)?, first)
    }

    /// Scores every record ([`crate::coherence::score_and_count`]) and encodes them
    /// ([`Plan::encode`]); the first has index `first`.
    pub fn score_and_encode(&self, records: &[Value], first: u64) -> Result<Scored, ServiceError> {
        let score =
            crate::coherence::score_and_count((first..).zip(records).map(|(i, r)| (self.schema_of(i), r)));
        Ok(Scored {
            data: self.encode(records, first)?,
            records: records.len() as u64,
            coherence: score.mean,
            failing: score.failing,
        })
    }

    /// Serialises `records`, the first of which has index `first`, each with `_index` and
    /// `_scenario`: JSON (a compact array), JSONL, CSV (the header only when `first` is 0, so a
    /// stream's chunks concatenate into one CSV file, also across a resume) or SQL INSERTs
    /// into a table named after the schema.
    pub fn encode(&self, records: &[Value], first: u64) -> Result<String, ServiceError> {
        let fail = |e: testdata::export::ExportError| {
            ServiceError::Internal(format!("serialising the records as {} failed: {e}", self.format))
        };
        let indexed = (first..).zip(records);
        let bytes = match self.format {
            Format::Json | Format::Jsonl => {
                let mut out = JsonOut::new(self.format, records.len());
                for (i, r) in indexed {
                    out.record(r, i, &self.segment_of(i)?.name)?;
                }
                return out.finish();
            }
            Format::Csv => {
                let mut w = CsvWriter::new(Vec::new(), Some(self.compiled.columns.clone()));
                for (i, r) in indexed {
                    w.write_record(&self.with_bookkeeping(r.clone(), i)?).map_err(fail)?;
                }
                let mut out = w.finish().map_err(fail)?;
                if first != 0 {
                    out.drain(..self.compiled.csv_header.len().min(out.len()));
                }
                out
            }
            Format::Sql(dialect) => {
                let options = ExportOptions {
                    table: self.schema_name.clone(),
                    columns: Some(self.compiled.columns.clone()),
                    ..ExportOptions::default()
                };
                let mut w = SqlWriter::new(Vec::new(), dialect, options);
                for (i, r) in indexed {
                    w.write_record(&self.with_bookkeeping(r.clone(), i)?).map_err(fail)?;
                }
                w.finish().map_err(fail)?
            }
        };
        String::from_utf8(bytes).map_err(|e| ServiceError::Internal(e.to_string()))
    }
}

/// Appends `_index` and `_scenario` to a record that is an object.
fn add_bookkeeping(record: &mut Value, index: u64, scenario: &str) {
    if let Value::Object(map) = record {
        map.insert("_index".into(), Value::Number(index.into()));
        map.insert("_scenario".into(), Value::String(scenario.to_owned()));
    }
}

/// The service error of a record that could not be written.
fn write_error(e: testdata::export::ExportError, index: u64) -> ServiceError {
    match e {
        testdata::export::ExportError::Generate(g) => ServiceError::from(g),
        e => ServiceError::Internal(format!("serialising record {index} failed: {e}")),
    }
}

/// JSON or JSONL output with the bookkeeping keys appended to each record as text (no map
/// insertions): a JSON array, or one record per line.
struct JsonOut {
    out: Vec<u8>,
    lines: bool,
    empty: bool,
}

impl JsonOut {
    fn new(format: Format, records: usize) -> JsonOut {
        let lines = format == Format::Jsonl;
        let mut out = Vec::with_capacity(records * 320 + 2);
        if !lines {
            out.push(b'[');
        }
        JsonOut { out, lines, empty: true }
    }

    /// Record `index` of `schema`, written without building it.
    fn generated(
        &mut self,
        schema: &Schema,
        seed: u64,
        index: u64,
        scenario: &str,
    ) -> Result<(), ServiceError> {
        self.separate();
        schema.write_json(seed, index, &mut self.out).map_err(|e| write_error(e, index))?;
        self.bookkeeping(index, scenario)
    }

    /// Record `index` of `schema`, written without building it and validated on the way:
    /// whether it has no violations.
    fn validated(
        &mut self,
        schema: &Schema,
        seed: u64,
        index: u64,
        scenario: &str,
    ) -> Result<bool, ServiceError> {
        self.separate();
        let violations =
            schema.write_json_validated(seed, index, &mut self.out).map_err(|e| write_error(e, index))?;
        self.bookkeeping(index, scenario)?;
        Ok(violations.is_empty())
    }

    /// A record generated earlier.
    fn record(&mut self, record: &Value, index: u64, scenario: &str) -> Result<(), ServiceError> {
        let internal =
            |e: serde_json::Error| ServiceError::Internal(format!("serialising a record failed: {e}"));
        self.separate();
        match record {
            Value::Object(map) if !map.contains_key("_index") && !map.contains_key("_scenario") => {
                serde_json::to_writer(&mut self.out, map).map_err(internal)?;
                self.bookkeeping(index, scenario)
            }
            other => {
                let mut other = other.clone();
                add_bookkeeping(&mut other, index, scenario);
                serde_json::to_writer(&mut self.out, &other).map_err(internal)?;
                self.end_record();
                Ok(())
            }
        }
    }

    fn separate(&mut self) {
        if !self.lines && !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
    }

    /// Reopens the object just written and appends `_index` and `_scenario` to it.
    fn bookkeeping(&mut self, index: u64, scenario: &str) -> Result<(), ServiceError> {
        let empty_object = self.out.ends_with(b"{}");
        self.out.pop(); // the closing brace
        if !empty_object {
            self.out.push(b',');
        }
        self.out.extend_from_slice(b"\"_index\":");
        self.out.extend_from_slice(itoa::Buffer::new().format(index).as_bytes());
        self.out.extend_from_slice(b",\"_scenario\":");
        serde_json::to_writer(&mut self.out, scenario)
            .map_err(|e| ServiceError::Internal(format!("serialising a scenario name failed: {e}")))?;
        self.out.push(b'}');
        self.end_record();
        Ok(())
    }

    fn end_record(&mut self) {
        if self.lines {
            self.out.push(b'\n');
        }
    }

    fn finish(mut self) -> Result<String, ServiceError> {
        if !self.lines {
            self.out.push(b']');
        }
        String::from_utf8(self.out).map_err(|e| ServiceError::Internal(e.to_string()))
    }
}

/// Resolves and compiles requests; caches compiled per-request schemas.
pub struct Planner {
    registry: Arc<Registry>,
    cache: moka::sync::Cache<u128, Arc<Compiled>>,
    plain: moka::sync::Cache<String, Arc<Compiled>>,
    defect_rate: f64,
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
            cache_hits: AtomicU64::new(0),
            random: RandomState::new(),
        }
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
        // Counts first: cheap, and the old service checked the sync limit before anything.
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
            let compiled = Arc::new(finish(vec![schema.clone()], vec![0; spec.scenarios.len()]));
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
                // Check the schema alone first, so its own errors are not blamed on constraints.
                self.registry
                    .compile(def.clone())
                    .map_err(|e| ServiceError::invalid(format!("{field}: {e}")))?;
                def
            }
            Source::Fields(fields) => {
                // Checked once merged with the constraints (an ENUM field gets its values there).
                let name = if spec.sources.entity.is_empty() { "custom" } else { &spec.sources.entity };
                SchemaDef {
                    name: name.to_owned(),
                    key: None,
                    domain: (!spec.domain.is_empty()).then(|| spec.domain.clone()),
                    description: None,
                    locale: None,
                    rules: Vec::new(),
                    fields: fields.to_vec(),
                }
            }
        };
        for (path, c) in &spec.constraints {
            let field = field_mut(&mut def.fields, path, "constraint")?;
            apply_constraint(field, c, path)?;
        }
        let ctx = if spec.defect_triggering {
            Context::default().with_edge_cases(self.defect_rate)
        } else {
            Context::default()
        };
        let build = |def: SchemaDef, what: &str| -> Result<Arc<Schema>, ServiceError> {
            let schema =
                self.registry.compile(def).map_err(|e| ServiceError::invalid(format!("{what}: {e}")))?;
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
        let base = build(def.clone(), what)?;
        let mut schemas = vec![base];
        let mut scenario_schema = Vec::with_capacity(spec.scenarios.len());
        for sc in &spec.scenarios {
            if sc.overrides.is_empty() {
                scenario_schema.push(0);
                continue;
            }
            let mut sdef = def.clone();
            for (path, text) in &sc.overrides {
                let what = format!("scenario `{}`", sc.name);
                let field = field_mut(&mut sdef.fields, path, &format!("{what} override"))?;
                let value = typed_value(field, text).map_err(|m| {
                    ServiceError::invalid(format!("{what}: override `{path}` = {text:?}: {m}"))
                })?;
                *field = FieldDef {
                    name: std::mem::take(&mut field.name),
                    ty: Some(effective_type(field)),
                    description: field.description.take(),
                    value: Some(value),
                    ..FieldDef::default()
                };
            }
            scenario_schema.push(schemas.len());
            schemas.push(build(sdef, &format!("scenario `{}` overrides", sc.name))?);
        }
        Ok(finish(schemas, scenario_schema))
    }
}

fn finish(schemas: Vec<Arc<Schema>>, scenario_schema: Vec<usize>) -> Compiled {
    let mut columns = Vec::new();
    columns_of(&schemas[0].def().fields, "", &mut columns);
    columns.push(Column::new("_index", SqlType::Integer));
    columns.push(Column::new("_scenario", SqlType::Text));
    let csv_header = CsvWriter::new(Vec::new(), Some(columns.clone()))
        .finish()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    Compiled { schemas, scenario_schema, columns, csv_header }
}

/// Reconciles `count` with the scenarios: the total and the segments (name, count, scenario).
/// A scenario segment before placement: name, count, index of the scenario (`None`: default).
type SegmentSpec = (String, u64, Option<usize>);

fn reconcile_counts(spec: &GenerateSpec) -> Result<(u64, Vec<SegmentSpec>), ServiceError> {
    if spec.count < 0 {
        return Err(ServiceError::invalid(format!("count is {}; ask for at least 1 record", spec.count)));
    }
    let mut seen = std::collections::HashSet::new();
    let mut segs = Vec::new();
    let mut sum = 0u64;
    for (k, ScenarioSpec { name, count, .. }) in spec.scenarios.iter().enumerate() {
        if name.is_empty() {
            return Err(ServiceError::invalid(format!(
                "scenarios[{k}] has no name; give each scenario a name"
            )));
        }
        if !seen.insert(name.as_str()) {
            return Err(ServiceError::invalid(format!(
                "scenario name `{name}` is used twice; give each scenario its own name"
            )));
        }
        if *count < 0 {
            return Err(ServiceError::invalid(format!(
                "scenario `{name}` has count {count}; give 0 or more"
            )));
        }
        sum += *count as u64;
        segs.push((name.clone(), *count as u64, Some(k)));
    }
    let total = if spec.count == 0 {
        if spec.scenarios.is_empty() {
            return Err(ServiceError::invalid("count is 0; ask for at least 1 record"));
        }
        if sum == 0 {
            return Err(ServiceError::invalid(
                "count is 0 and the scenario counts add up to 0; ask for at least 1 record",
            ));
        }
        sum
    } else {
        let count = spec.count as u64;
        if sum > count {
            return Err(ServiceError::invalid(format!(
                "the scenario counts add up to {sum}, more than count {count}; raise count, lower the scenario \
                 counts, or send count 0 to mean their sum"
            )));
        }
        count
    };
    if total > sum {
        segs.push((DEFAULT_SCENARIO.to_owned(), total - sum, None));
    }
    Ok((total, segs))
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

/// The type of a field as the engine infers it.
pub fn effective_type(d: &FieldDef) -> FieldType {
    d.effective_type()
}

fn type_name(t: FieldType) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{t:?}"))
}

/// The field at a dotted path (`a.b`, `items.price`, `items[].price`).
fn field_mut<'a>(
    fields: &'a mut [FieldDef],
    path: &str,
    what: &str,
) -> Result<&'a mut FieldDef, ServiceError> {
    let parts: Vec<&str> = path.split('.').map(|p| p.trim_end_matches("[]")).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(ServiceError::invalid(format!(
            "{what}: `{path}` is not a field path (use `a.b` for nested fields)"
        )));
    }
    descend(fields, &parts, path, what, "")
}

fn descend<'a>(
    fields: &'a mut [FieldDef],
    parts: &[&str],
    path: &str,
    what: &str,
    at: &str,
) -> Result<&'a mut FieldDef, ServiceError> {
    let Some((first, rest)) = parts.split_first() else {
        return Err(ServiceError::invalid(format!("{what}: empty field path")));
    };
    let Some(pos) = fields.iter().position(|f| f.name == *first) else {
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        let level = if at.is_empty() { "the schema".to_owned() } else { format!("`{at}`") };
        return Err(ServiceError::invalid(format!(
            "{what}: unknown field `{path}`: {level} has no field `{first}`; its fields are: {}",
            names.join(", ")
        )));
    };
    let field = &mut fields[pos];
    if rest.is_empty() {
        return Ok(field);
    }
    let here = if at.is_empty() { field.name.clone() } else { format!("{at}.{}", field.name) };
    let children = match (&mut field.fields, &mut field.items) {
        (Some(children), _) => children,
        (None, Some(item)) if item.fields.is_some() => match &mut item.fields {
            Some(children) => children,
            None => return Err(ServiceError::Internal("unreachable".into())),
        },
        _ => {
            return Err(ServiceError::invalid(format!(
                "{what}: `{path}`: field `{here}` has no nested fields to address"
            )));
        }
    };
    descend(children, rest, path, what, &here)
}

fn is_numeric(t: FieldType) -> bool {
    matches!(t, FieldType::Integer | FieldType::Float | FieldType::Decimal)
}

fn is_stringish(t: FieldType) -> bool {
    matches!(t, FieldType::String | FieldType::Email | FieldType::Phone | FieldType::Uuid)
}

fn apply_constraint(f: &mut FieldDef, c: &ConstraintSpec, path: &str) -> Result<(), ServiceError> {
    let ty = effective_type(f);
    let bad = |member: &str, applies: &str| {
        ServiceError::invalid(format!(
            "constraint `{member}` on field `{path}`: applies to {applies}, but `{path}` is {}",
            type_name(ty)
        ))
    };
    let number = |member: &str, v: f64| -> Result<Value, ServiceError> {
        if !v.is_finite() {
            return Err(ServiceError::invalid(format!(
                "constraint `{member}` on field `{path}`: {v} is not a number"
            )));
        }
        if ty == FieldType::Integer {
            if v.fract() != 0.0 || v.abs() > 9.0e15 {
                return Err(ServiceError::invalid(format!(
                    "constraint `{member}` on field `{path}`: {v} is not a whole number, and `{path}` is an integer"
                )));
            }
            return Ok(Value::Number((v as i64).into()));
        }
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| ServiceError::invalid(format!("{v} is not a number")))
    };
    if let Some(v) = c.min {
        if !is_numeric(ty) {
            return Err(bad("min", "integer, float and decimal fields"));
        }
        f.min = Some(number("min", v)?);
        f.exclusive_min = None;
    }
    if let Some(v) = c.max {
        if !is_numeric(ty) {
            return Err(bad("max", "integer, float and decimal fields"));
        }
        f.max = Some(number("max", v)?);
        f.exclusive_max = None;
    }
    if let (Some(lo), Some(hi)) = (c.min, c.max)
        && lo > hi
    {
        return Err(ServiceError::invalid(format!(
            "constraints on field `{path}` contradict each other: min {lo} is greater than max {hi}"
        )));
    }
    if !c.enum_values.is_empty() {
        if !(is_numeric(ty) || is_stringish(ty) || ty == FieldType::Enum) {
            return Err(bad("enum_values", "enum, string and number fields"));
        }
        let probe = f.clone();
        let mut values = Vec::with_capacity(c.enum_values.len());
        for text in &c.enum_values {
            let v = match ty {
                FieldType::Enum => enum_value_for(&probe, text),
                _ => typed_value(&probe, text),
            }
            .map_err(|m| {
                ServiceError::invalid(format!("constraint `enum_values` on field `{path}`: {text:?}: {m}"))
            })?;
            values.push(v);
        }
        f.values = Some(values);
        f.weights = None;
        f.reference = None;
    }
    if let Some(re) = &c.regex {
        if !is_stringish(ty) {
            return Err(bad("regex", "string fields"));
        }
        f.pattern = Some(re.clone());
        f.reference = None;
        if c.format.is_none() {
            f.format = None;
        }
    }
    if let Some(fmt) = &c.format {
        if !is_stringish(ty) {
            return Err(bad("format", "string fields"));
        }
        f.format = Some(fmt.clone());
        f.reference = None;
        if c.regex.is_none() {
            f.pattern = None;
        }
    }
    for (member, v) in [("min_length", c.min_length), ("max_length", c.max_length)] {
        let Some(v) = v else { continue };
        let n = usize::try_from(v).map_err(|_| {
            ServiceError::invalid(format!(
                "constraint `{member}` on field `{path}`: {v} is negative; give 0 or more"
            ))
        })?;
        match (ty, member) {
            (t, "min_length") if is_stringish(t) => f.min_length = Some(n),
            (t, _) if is_stringish(t) => f.max_length = Some(n),
            (FieldType::Array, "min_length") => f.min_items = Some(n),
            (FieldType::Array, _) => f.max_items = Some(n),
            _ => return Err(bad(member, "string fields (characters) and array fields (elements)")),
        }
    }
    if let (Some(lo), Some(hi)) = (c.min_length, c.max_length)
        && lo > hi
    {
        return Err(ServiceError::invalid(format!(
            "constraints on field `{path}` contradict each other: min_length {lo} is greater than max_length {hi}"
        )));
    }
    Ok(())
}

/// An enum field's value matching `text` (by its text form), or, for a field without values
/// yet, the text itself.
fn enum_value_for(f: &FieldDef, text: &str) -> Result<Value, String> {
    match f.values.as_deref() {
        Some(values) if values.iter().any(|v| !v.is_string()) => {
            // Numeric or boolean enum: parse the text as JSON.
            serde_json::from_str(text)
                .map_err(|_| "is not a number or boolean like the enum's values".to_owned())
        }
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// Converts override text to the field's type.
fn typed_value(f: &FieldDef, text: &str) -> Result<Value, String> {
    let ty = effective_type(f);
    let t = text.trim();
    match ty {
        FieldType::Integer => t
            .parse::<i64>()
            .map(|n| Value::Number(n.into()))
            .map_err(|_| "is not an integer, and the field is an integer".to_owned()),
        FieldType::Float | FieldType::Decimal => {
            let v: f64 =
                t.parse().map_err(|_| format!("is not a number, and the field is {}", type_name(ty)))?;
            if !v.is_finite() {
                return Err("is not a finite number".into());
            }
            if ty == FieldType::Decimal {
                let scale = usize::from(f.scale.unwrap_or(2));
                let decimals = t.split_once('.').map_or(0, |(_, d)| d.len());
                if decimals > scale || t.contains(['e', 'E']) {
                    return Err(format!("has more than {scale} decimals, the field's scale"));
                }
            }
            Number::from_f64(v).map(Value::Number).ok_or_else(|| "is not a finite number".to_owned())
        }
        FieldType::Boolean => match t.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err("is not a boolean (true/false)".into()),
        },
        FieldType::Enum => {
            let values = f.values.as_deref().unwrap_or(&[]);
            values
                .iter()
                .find(|v| {
                    v.as_str() == Some(text)
                        || (!v.is_string() && serde_json::from_str::<Value>(t).ok().as_ref() == Some(*v))
                })
                .cloned()
                .ok_or_else(|| {
                    let list: Vec<String> = values
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect();
                    format!("is not one of the field's values [{}]", list.join(", "))
                })
        }
        FieldType::Object | FieldType::Address | FieldType::Array | FieldType::Json => {
            let v: Value = serde_json::from_str(t).map_err(|e| format!("is not JSON ({e})"))?;
            match (ty, &v) {
                (FieldType::Array, Value::Array(_)) | (FieldType::Json, _) => Ok(v),
                (FieldType::Object | FieldType::Address, Value::Object(_)) => Ok(v),
                (FieldType::Array, _) => Err("the field is an array; give a JSON array such as [1,2]".into()),
                _ => Err("the field is an object; give a JSON object such as {\"a\":1}".into()),
            }
        }
        FieldType::String
        | FieldType::Email
        | FieldType::Phone
        | FieldType::Uuid
        | FieldType::Date
        | FieldType::Datetime => Ok(Value::String(text.to_owned())),
    }
}

/// CSV/SQL columns of a schema's fields: objects flattened with dots, arrays and free-form
/// JSON as one JSON column.
fn columns_of(fields: &[FieldDef], prefix: &str, out: &mut Vec<Column>) {
    for f in fields {
        let name = if prefix.is_empty() { f.name.clone() } else { format!("{prefix}.{}", f.name) };
        let ty = effective_type(f);
        let sql = match ty {
            FieldType::Object => match &f.fields {
                Some(members) if !members.is_empty() && f.value.is_none() => {
                    columns_of(members, &name, out);
                    continue;
                }
                _ => SqlType::Json,
            },
            FieldType::Address if f.value.is_none() => {
                for m in ["street", "city", "state", "zip", "country"] {
                    out.push(Column::new(format!("{name}.{m}"), SqlType::Text));
                }
                continue;
            }
            FieldType::Address | FieldType::Array | FieldType::Json => SqlType::Json,
            FieldType::Integer => SqlType::Integer,
            FieldType::Float => SqlType::Float,
            FieldType::Decimal => {
                SqlType::Decimal { precision: f.precision.unwrap_or(18).max(1), scale: f.scale.unwrap_or(2) }
            }
            FieldType::Boolean => SqlType::Boolean,
            FieldType::Date => SqlType::Date,
            FieldType::Datetime => SqlType::Timestamp,
            FieldType::Enum => match f.values.as_deref() {
                Some(vs) if !vs.is_empty() && vs.iter().all(|v| v.is_i64() || v.is_u64()) => SqlType::Integer,
                Some(vs) if !vs.is_empty() && vs.iter().all(Value::is_number) => SqlType::Float,
                Some(vs) if !vs.is_empty() && vs.iter().all(Value::is_boolean) => SqlType::Boolean,
                _ => SqlType::Text,
            },
            FieldType::String | FieldType::Email | FieldType::Phone | FieldType::Uuid => SqlType::Text,
        };
        out.push(Column::new(name, sql));
    }
}

/// The PostgreSQL dialect of `SQL` output.
pub const SQL_DIALECT: Dialect = Dialect::Postgres;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::SchemaSources;

    fn plan(entity: &str, format: Format, scenarios: Vec<ScenarioSpec>) -> Plan {
        let registry = Arc::new(Registry::builtin().unwrap());
        let planner = Planner::new(registry, 16, 0.0);
        let spec = GenerateSpec {
            sources: SchemaSources { entity: entity.into(), ..SchemaSources::default() },
            format,
            count: 40,
            seed: Some(11),
            scenarios,
            ..GenerateSpec::default()
        };
        planner.plan(&spec, Mode::Sync(1000)).unwrap()
    }

    #[test]
    fn the_one_pass_scored_encoding_equals_scoring_every_record() {
        for entity in ["user", "cart", "order", "payment", "shipment"] {
            for format in [Format::Json, Format::Jsonl] {
                let p = plan(entity, format, vec![]);
                let fast = p.encode_scored(0..p.total).unwrap();
                let full = p.score_and_encode(&p.records(0..p.total).unwrap(), 0).unwrap();
                assert_eq!(fast.data, full.data, "{entity}");
                assert_eq!((fast.records, fast.coherence), (full.records, full.coherence), "{entity}");
                assert_eq!(fast.coherence, Some(1.0));
            }
        }
    }

    #[test]
    fn an_override_that_breaks_a_rule_lowers_the_score() {
        let broken = ScenarioSpec {
            name: "negative".into(),
            count: 5,
            overrides: [("subtotal".to_owned(), "-3".to_owned())].into(),
            description: String::new(),
        };
        let p = plan("cart", Format::Json, vec![broken]);
        let scored = p.encode_scored(0..p.total).unwrap();
        let full = p.score_and_encode(&p.records(0..p.total).unwrap(), 0).unwrap();
        assert_eq!((scored.data, scored.coherence), (full.data, full.coherence));
        assert!(scored.coherence.is_some_and(|s| s < 1.0), "{:?}", scored.coherence);
    }
}
