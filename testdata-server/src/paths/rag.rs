//! The RAG path: records learnt from the pattern store ([`testdata::rag`]), all engine work
//! after one retrieval per request (or stream chunk).
//!
//! * `defect_triggering` → the entity's defect patterns' triggers mixed with the engine's
//!   edge-case mode ([`testdata::rag::Defects`]).
//! * else `production_like` → the best production profile reshapes the schema
//!   ([`testdata::rag::apply_profile`]) and the engine generates at full speed.
//! * else (`learn_from_history`, or the method asked for) → variations of the top test-data
//!   patterns ([`testdata::rag::Variations`]).
//!
//! Retrieval filters on the request's domain (or the schema's) and the schema's name, and
//! ranks by the request's context, hints and scenario descriptions. No pattern of the kind
//! for the entity → the Traditional path's records, reported as a fallback with the reason.

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;
use testdata::Schema;
use testdata::export::ExportError;
use testdata::rag::{Body, Defects, DocumentKind, Hit, PatternStore, Query, Variations, apply_profile};

use super::traditional::sized_run;
use super::{EncodedFuture, Generator, Inputs, Report, ReportedFuture, Scored, gate};
use crate::error::ServiceError;
use crate::plan::Plan;
use crate::request::Method;

/// What a request asks the pattern store for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RagMode {
    /// Variations of test-data patterns.
    LearnFromHistory,
    /// A production profile parameterising the engine.
    ProductionLike,
    /// Defect triggers mixed with edge cases.
    DefectTriggering,
}

impl RagMode {
    /// The mode of a request's inputs (defects first, then profiles, else history).
    pub fn of(inputs: &Inputs) -> RagMode {
        if inputs.edge_cases {
            RagMode::DefectTriggering
        } else if inputs.production_like {
            RagMode::ProductionLike
        } else {
            RagMode::LearnFromHistory
        }
    }

    /// The kind of document it retrieves.
    pub fn kind(self) -> DocumentKind {
        match self {
            RagMode::LearnFromHistory => DocumentKind::TestData,
            RagMode::ProductionLike => DocumentKind::Profile,
            RagMode::DefectTriggering => DocumentKind::Defect,
        }
    }
}

/// How a range is produced once the patterns are known.
#[derive(Debug)]
pub enum Prepared {
    /// By the engine, from this plan (profiled, or the request's own for a fallback).
    Engine {
        /// The plan to generate from.
        plan: Plan,
        /// Why the request's own plan is used (no pattern), if it is a fallback.
        fallback: Option<String>,
    },
    /// From pattern records.
    Patterns {
        /// Variations or defect triggers.
        mode: RagMode,
        /// The records, in retrieval order.
        records: Vec<Value>,
    },
}

/// The RAG generator of the server.
#[derive(Debug, Clone)]
pub struct RagPath {
    store: Arc<dyn PatternStore>,
    top_k: usize,
    threshold: f64,
}

impl RagPath {
    /// The path over `store`, retrieving `top_k` patterns, gating records at `threshold`.
    pub fn new(store: Arc<dyn PatternStore>, top_k: usize, threshold: f64) -> RagPath {
        RagPath { store, top_k: top_k.max(1), threshold }
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn PatternStore> {
        &self.store
    }

    /// The top patterns of `kind` for the request.
    pub async fn retrieve(
        &self,
        plan: &Plan,
        inputs: &Inputs,
        kind: DocumentKind,
    ) -> Result<Vec<Hit>, ServiceError> {
        let domain = if inputs.domain.is_empty() {
            plan.schema().def().domain.clone().unwrap_or_default()
        } else {
            inputs.domain.clone()
        };
        let query = Query {
            domain,
            entity: plan.schema_name.clone(),
            kind,
            text: query_text(inputs),
            top_k: self.top_k,
        };
        self.store.search(&query).await.map_err(|e| {
            ServiceError::Unavailable(format!(
                "generation_method=RAG: {e}; retry, or use TRADITIONAL while the pattern store is down"
            ))
        })
    }

    /// Retrieves the request's patterns and decides how its records are made.
    pub async fn prepare(&self, plan: &Plan, inputs: &Inputs) -> Result<Prepared, ServiceError> {
        let mode = RagMode::of(inputs);
        let hits = self.retrieve(plan, inputs, mode.kind()).await?;
        let Some(best) = hits.first() else {
            let reason = format!(
                "no {} pattern for entity `{}` in the pattern store; the engine generated the records",
                mode.kind().name(),
                plan.schema_name
            );
            return Ok(Prepared::Engine { plan: plan.clone(), fallback: Some(reason) });
        };
        if let Body::Profile { fields } = &best.document.body {
            let schemas = plan
                .compiled
                .schemas
                .iter()
                .map(|s| apply_profile(s, fields).map(Arc::new))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    ServiceError::Internal(format!("production profile `{}`: {e}", best.document.id))
                })?;
            return Ok(Prepared::Engine { plan: plan.with_schemas(schemas), fallback: None });
        }
        let records = hits.iter().filter_map(|h| h.document.record().cloned()).collect();
        Ok(Prepared::Patterns { mode, records })
    }

    /// Records `range` and the report: the engine's through `engine` (scored or not) when
    /// the patterns reshape the schema or there are none, else made from the patterns, gated,
    /// scored and encoded on the blocking pool.
    async fn reported(
        &self,
        plan: &Plan,
        inputs: &Inputs,
        range: Range<u64>,
        engine: fn(&Plan, Range<u64>) -> Result<Scored, ServiceError>,
    ) -> Result<(Scored, Report), ServiceError> {
        let (mode, records) = match self.prepare(plan, inputs).await? {
            Prepared::Engine { plan, fallback } => {
                if let Some(why) = &fallback {
                    tracing::debug!(reason = %why, "RAG records served by the engine (fallback)");
                }
                return Ok((
                    sized_run(&plan, range, engine).await?,
                    Report { fallback, ..Report::default() },
                ));
            }
            Prepared::Patterns { mode, records } => (mode, records),
        };
        let (plan, threshold, first) = (plan.clone(), self.threshold, range.start);
        let work = move || -> Result<(Scored, Report), ServiceError> {
            if mode == RagMode::LearnFromHistory
                && let Some(answer) = written(&plan, &records, range.clone())?
            {
                return Ok(answer);
            }
            let made = from_patterns(&plan, mode, &records, range)?;
            // A repaired record validates; an engine record put in a pattern's place is checked.
            let how = if made.records_replaced > 0 { gate::Made::Unchecked } else { gate::Made::Validated };
            let (scored, regenerated) = gate::gated(&plan, made.records, first, threshold, how)?;
            let report = Report {
                records_repaired: made.records_repaired + regenerated,
                fields_repaired: made.fields_repaired,
                records_regenerated: regenerated,
                ..Report::default()
            };
            Ok((scored, report))
        };
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| ServiceError::Internal(format!("RAG generation task failed: {e}")))?
    }
}

/// The engine's records of `range` serialised without a score (what stream chunks send).
fn encoded_unscored(plan: &Plan, range: Range<u64>) -> Result<Scored, ServiceError> {
    let records = range.end.min(plan.total).saturating_sub(range.start);
    Ok(Scored { data: plan.encode_range(range)?, records, coherence: None, failing: 0 })
}

/// The records of a range made from patterns, and what their repair changed.
#[derive(Debug, Default)]
pub struct Made {
    /// The records, in index order.
    pub records: Vec<Value>,
    /// Records with at least one pattern value replaced.
    pub records_repaired: u64,
    /// Pattern values replaced.
    pub fields_repaired: u64,
    /// Records that are the engine's instead of a pattern's (no repair made one valid).
    pub records_replaced: u64,
}

/// Records `range` of `plan` from pattern `records` (variations or defect triggers), each
/// repaired into its segment's schema.
pub fn from_patterns(
    plan: &Plan,
    mode: RagMode,
    records: &[Value],
    range: Range<u64>,
) -> Result<Made, ServiceError> {
    let end = range.end.min(plan.total);
    let mut made =
        Made { records: Vec::with_capacity(end.saturating_sub(range.start) as usize), ..Made::default() };
    for segment in &plan.segments {
        let span = segment.range.start.max(range.start)..segment.range.end.min(end);
        if span.is_empty() {
            continue;
        }
        let schema: &Schema = &plan.compiled.schemas[segment.schema];
        let variations = Variations::new(schema, records.to_vec());
        let defects = Defects::new(schema, records.to_vec());
        for i in span {
            let varied = match mode {
                RagMode::DefectTriggering => defects.nth(plan.seed, i)?,
                _ => variations.nth(plan.seed, i)?,
            };
            if varied.repaired > 0 || varied.replaced {
                made.records_repaired += 1;
                made.fields_repaired += varied.repaired as u64;
            }
            made.records_replaced += u64::from(varied.replaced);
            made.records.push(varied.record);
        }
    }
    Ok(made)
}

/// Learn-from-history records of `range` written straight into the answer's JSON or JSONL
/// ([`Variations::write_nth`]: each built in the engine's positional form, checked against
/// every rule of the schema as it is written, and repaired when it breaks one), scored and
/// reported. `None` when the records must be values (CSV or SQL, several schemas, a field
/// named like a bookkeeping key) or a written record still breaks a rule (an engine record of
/// a schema whose own values break its rules): the gate then scores every record in full.
///
/// Each record written validates and its `unique` fields are the engine's (distinct by
/// construction: a keyed permutation of the index), so it scores exactly 1 — what the gate
/// computes for it, as for the Traditional path's records ([`Plan::encode_scored`]).
fn written(
    plan: &Plan,
    records: &[Value],
    range: Range<u64>,
) -> Result<Option<(Scored, Report)>, ServiceError> {
    let [schema] = plan.compiled.schemas.as_slice() else { return Ok(None) };
    if schema.def().fields.iter().any(|f| crate::coherence::BOOKKEEPING.contains(&f.name.as_str())) {
        return Ok(None);
    }
    let variations = Variations::new(schema, records.to_vec());
    let mut report = Report::default();
    let data = plan.encode_written(range.clone(), |i, out| {
        let written = variations.write_nth(plan.seed, i, out).map_err(|e| match e {
            ExportError::Generate(g) => ServiceError::from(g),
            e => ServiceError::Internal(format!("writing RAG record {i} failed: {e}")),
        })?;
        if written.repaired > 0 || written.replaced {
            report.records_repaired += 1;
            report.fields_repaired += written.repaired as u64;
        }
        Ok(written.violations.is_empty())
    })?;
    let Some(data) = data else { return Ok(None) };
    let n = range.end.min(plan.total).saturating_sub(range.start);
    Ok(Some((Scored { data, records: n, coherence: (n > 0).then_some(1.0), failing: 0 }, report)))
}

/// The retrieval text of a request: its context, hints and scenario descriptions.
pub fn query_text(inputs: &Inputs) -> String {
    let mut text = inputs.context.clone();
    for part in inputs.hints.iter().chain(inputs.scenarios.values()).chain(inputs.scenarios.keys()) {
        text.push(' ');
        text.push_str(part);
    }
    text
}

impl Generator for RagPath {
    fn method(&self) -> Method {
        Method::Rag
    }

    fn generate_reported<'a>(
        &'a self,
        plan: &'a Plan,
        inputs: &'a Inputs,
        range: Range<u64>,
    ) -> ReportedFuture<'a> {
        Box::pin(self.reported(plan, inputs, range, Plan::encode_scored))
    }

    fn generate_encoded<'a>(
        &'a self,
        plan: &'a Plan,
        inputs: &'a Inputs,
        range: Range<u64>,
    ) -> EncodedFuture<'a> {
        Box::pin(async move {
            let (scored, report) = self.reported(plan, inputs, range, encoded_unscored).await?;
            Ok((scored.data, report))
        })
    }
}
