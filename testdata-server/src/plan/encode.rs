//! Serialising a plan's records: JSON and JSONL written in one pass with the bookkeeping keys
//! appended as text, CSV and SQL through the export writers, and the Traditional path's
//! serialise-and-score.

use std::ops::Range;

use serde_json::Value;
use testdata::Schema;
use testdata::export::{CsvWriter, ExportOptions, Format, SqlWriter};

use super::Plan;
use crate::error::ServiceError;
use crate::paths::Scored;

impl Plan {
    /// Records `range` (clamped to the plan) serialised as [`Plan::encode`] would serialise
    /// [`Plan::records`] of it, in one pass: JSON and JSONL records are written straight into
    /// the output (no intermediate vector); CSV and SQL go through `records` + `encode`.
    pub fn encode_range(&self, range: Range<u64>) -> Result<String, ServiceError> {
        if !matches!(self.format, Format::Json | Format::Jsonl) {
            let first = range.start;
            return self.encode(&self.records(range)?, first);
        }
        let n = range.end.min(self.total).saturating_sub(range.start);
        let bytes = self.encode_range_into(range, self.buffer_for(n))?;
        String::from_utf8(bytes).map_err(|e| ServiceError::Internal(e.to_string()))
    }

    /// [`Plan::encode_range`] as bytes written into `buffer` (cleared first; its capacity is
    /// reused, so a caller recycling buffers allocates and faults in no new memory).
    pub fn encode_range_into(&self, range: Range<u64>, buffer: Vec<u8>) -> Result<Vec<u8>, ServiceError> {
        if !matches!(self.format, Format::Json | Format::Jsonl) {
            return Ok(self.encode_range(range)?.into_bytes());
        }
        let mut out = JsonOut::with_buffer(self.format, buffer);
        for (i, schema, scenario) in self.indexes(range) {
            self.cancel.check()?;
            out.generated(schema, self.seed, i, scenario)?;
        }
        Ok(out.into_bytes())
    }

    /// Records `range` (clamped to the plan) of a one-schema plan as JSON or JSONL, each
    /// appended by `write(index, out)` as a compact JSON object of the schema's fields and given
    /// the bookkeeping keys as [`Plan::encode`] gives them (the RAG path's variations, written
    /// without a map form). `None` for other formats or several schemas, or when `write`
    /// returns `false` (the caller then encodes the records as values).
    pub fn encode_written(
        &self,
        range: Range<u64>,
        mut write: impl FnMut(u64, &mut Vec<u8>) -> Result<bool, ServiceError>,
    ) -> Result<Option<String>, ServiceError> {
        if !matches!(self.format, Format::Json | Format::Jsonl) || self.compiled.schemas.len() != 1 {
            return Ok(None);
        }
        let n = range.end.min(self.total).saturating_sub(range.start);
        let mut out = JsonOut::with_buffer(self.format, self.buffer_for(n));
        for (i, _, scenario) in self.indexes(range) {
            out.separate();
            if !write(i, &mut out.out)? {
                return Ok(None);
            }
            out.bookkeeping(i, scenario)?;
        }
        out.finish().map(Some)
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
            let mut out = JsonOut::with_buffer(self.format, self.buffer_for(n));
            let mut clean = true;
            for (i, schema, scenario) in self.indexes(range.clone()) {
                self.cancel.check()?;
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
                let mut out = JsonOut::with_buffer(self.format, self.buffer_for(records.len() as u64));
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

    /// An output buffer for `records` records of JSON: sized from the plan's estimated bytes a
    /// record (plus the bookkeeping keys) when it has one, so a chunk is written without
    /// growth copies and holds little more memory than its bytes (a doubling buffer can hold
    /// twice); capped at 64 MiB, past which it grows as it is written.
    fn buffer_for(&self, records: u64) -> Vec<u8> {
        let per_record = match self.bytes_per_record {
            0 => 320,
            n => n.saturating_add(48),
        };
        let bytes = records.saturating_mul(per_record).saturating_add(2).min(64 << 20);
        Vec::with_capacity(bytes as usize)
    }

    /// The JSON bytes of records `range` (clamped to the plan) and how many records that is,
    /// written in the engine's positional form into one scratch buffer: what sizing an answer
    /// costs (no maps are built), byte for byte what [`Plan::records`] would serialise to.
    pub(crate) fn json_bytes(&self, range: Range<u64>) -> Result<(u64, u64), ServiceError> {
        let (mut records, mut bytes) = (0u64, 0u64);
        let mut scratch = Vec::new();
        for (i, schema, _) in self.indexes(range) {
            self.cancel.check()?;
            scratch.clear();
            schema.write_json(self.seed, i, &mut scratch).map_err(|e| write_error(e, i))?;
            records += 1;
            bytes += scratch.len() as u64;
        }
        Ok((records, bytes))
    }
}

/// Appends `_index` and `_scenario` to a record that is an object.
pub(super) fn add_bookkeeping(record: &mut Value, index: u64, scenario: &str) {
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
    /// Output into `out` (cleared first).
    fn with_buffer(format: Format, mut out: Vec<u8>) -> JsonOut {
        let lines = format == Format::Jsonl;
        out.clear();
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

    fn finish(self) -> Result<String, ServiceError> {
        String::from_utf8(self.into_bytes()).map_err(|e| ServiceError::Internal(e.to_string()))
    }

    /// The output (UTF-8: records are written from `str`s and ASCII punctuation).
    fn into_bytes(mut self) -> Vec<u8> {
        if !self.lines {
            self.out.push(b']');
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::plan::{Mode, Planner};
    use crate::registry::Registry;
    use crate::request::{GenerateSpec, ScenarioSpec, SchemaSources};

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
