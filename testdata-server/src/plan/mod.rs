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
//!   group. With `count` = 0 the total is the sum of the scenario counts; otherwise the scenario counts must add up to at most `count` and the rest are
//!   `default` records. Names must be non-empty and distinct; counts ≥ 0.
//! * **Overrides**: `path → text` is converted to the field's type (integer, number, boolean,
//!   one of an enum's values, JSON for objects and arrays, text otherwise) and becomes the
//!   field's fixed `value` in the scenario's schema, so computed fields (subtotals, totals)
//!   are computed from it. Dotted paths reach nested fields and every element of an array.
//! * **Determinism**: record `i` is `schema.nth(seed, i)` of its segment's schema; encoding
//!   appends `_index` = `i` and `_scenario`; a scenario without overrides uses the base schema, so its
//!   records are byte-identical to in-process generation of the entity.
//!
//! # Layout
//!
//! One file per concern: [`planner`] resolves a request's schema source and caches compiled
//! schema sets; `merge` merges request constraints and scenario overrides into a schema;
//! `counts` reconciles `count` with the scenario counts; `columns` derives CSV/SQL columns;
//! `encode` serialises (and scores) records of a plan.

mod columns;
mod counts;
mod encode;
mod merge;
#[cfg(feature = "parquet")]
mod parquet;
mod planner;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;
use testdata::Schema;
use testdata::export::{Column, Dialect, Format};

use crate::error::ServiceError;

pub use merge::effective_type;
pub use planner::Planner;

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
    /// Stops the generation loops of this plan when its call is gone ([`crate::cancel`]).
    pub cancel: crate::cancel::Cancel,
    /// The bytes a record takes as serialised, sampled when the answer's size was checked
    /// (0 until then): with the record count, the work a range costs.
    pub bytes_per_record: u64,
}

impl Compiled {
    /// The compiled set of `schemas` (`[0]` the base) with its CSV/SQL columns.
    fn new(schemas: Vec<Arc<Schema>>, scenario_schema: Vec<usize>) -> Compiled {
        let columns = columns::of_schema(&schemas[0]);
        let csv_header = columns::csv_header(&columns);
        Compiled { schemas, scenario_schema, columns, csv_header }
    }
}

impl Plan {
    /// The base schema (constraints merged, no overrides).
    pub fn schema(&self) -> &Schema {
        &self.compiled.schemas[0]
    }

    /// The same plan over other compiled schemas (one per schema of this plan, same fields:
    /// e.g. reshaped by a production profile).
    pub fn with_schemas(&self, schemas: Vec<Arc<Schema>>) -> Plan {
        let compiled = Compiled::new(schemas, self.compiled.scenario_schema.clone());
        Plan { compiled: Arc::new(compiled), ..self.clone() }
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
        encode::add_bookkeeping(&mut record, index, &self.segment_of(index)?.name);
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
        self.indexes(range)
            .map(|(i, schema, _)| {
                self.cancel.check()?;
                Ok(schema.nth(self.seed, i)?)
            })
            .collect()
    }
}

/// The PostgreSQL dialect of `SQL` output.
pub const SQL_DIALECT: Dialect = Dialect::Postgres;
