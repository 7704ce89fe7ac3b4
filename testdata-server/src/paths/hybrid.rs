//! The Hybrid path: the engine writes structure (IDs, numbers, dates, references, computed
//! fields); a language model writes the semantic text fields into pools
//! ([`testdata::rag::Pools`]: per entity, field, context and scenario, through the LLM path's
//! cache layers), with the top retrieved test-data patterns as few-shot examples and the
//! scenario description as guidance. Record `i` takes each text from its pool by index, so
//! after warm-up Hybrid runs at engine speed and a repeated request gives the same bytes.

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;
use testdata::llm::Llm;
use testdata::rag::{DocumentKind, Pools};

use super::llm::service_error;
use super::rag::RagPath;
use super::{Generator, Inputs, Report, ReportedFuture, Scored, gate};
use crate::error::ServiceError;
use crate::plan::{DEFAULT_SCENARIO, Plan};
use crate::request::Method;

/// The Hybrid generator of the server.
#[derive(Debug, Clone)]
pub struct HybridPath {
    llm: Arc<Llm>,
    rag: RagPath,
    threshold: f64,
}

impl HybridPath {
    /// The path over a configured LLM generator and the RAG path's pattern store.
    pub fn new(llm: Arc<Llm>, rag: RagPath, threshold: f64) -> HybridPath {
        HybridPath { llm, rag, threshold }
    }

    /// The pools of every segment of `range` (one set per segment schema), and the report.
    async fn pools(
        &self,
        plan: &Plan,
        inputs: &Inputs,
        range: &Range<u64>,
    ) -> Result<(Vec<Option<Pools>>, Report), ServiceError> {
        let hits = self.rag.retrieve(plan, inputs, DocumentKind::TestData).await?;
        let examples: Vec<Value> = hits.iter().filter_map(|h| h.document.record().cloned()).collect();
        let mut pools: Vec<Option<Pools>> = vec![None; plan.compiled.schemas.len()];
        let mut report = Report { cache_hit: true, ..Report::default() };
        for segment in &plan.segments {
            if segment.range.end <= range.start
                || segment.range.start >= range.end
                || pools[segment.schema].is_some()
            {
                continue;
            }
            let scenario = (segment.name != DEFAULT_SCENARIO)
                .then(|| inputs.scenarios.get(&segment.name).map_or("", String::as_str));
            let schema = &plan.compiled.schemas[segment.schema];
            let loaded =
                Pools::load(&self.llm, schema, &inputs.context, scenario, &examples, inputs.use_cache)
                    .await
                    .map_err(service_error)?;
            report.tokens += loaded.usage.total();
            report.cache_hit &= loaded.cache_hit;
            pools[segment.schema] = Some(loaded);
        }
        if report.cache_hit {
            report.cached_in = Some("pool".into());
        }
        if let Some((provider, model)) =
            self.llm.providers().first().map(|p| (p.name.clone(), p.model.clone()))
        {
            report.provider = provider;
            report.model = model;
        }
        Ok((pools, report))
    }

    /// Records `range`: the engine's, with text fields from the pools; gated, scored and
    /// encoded on the blocking pool.
    async fn reported(
        &self,
        plan: &Plan,
        inputs: &Inputs,
        range: Range<u64>,
    ) -> Result<(Scored, Report), ServiceError> {
        let (pools, mut report) = self.pools(plan, inputs, &range).await?;
        let plan = plan.clone();
        let threshold = self.threshold;
        let work = move || -> Result<(Scored, u64), ServiceError> {
            let end = range.end.min(plan.total);
            let mut records = Vec::with_capacity(end.saturating_sub(range.start) as usize);
            for segment in &plan.segments {
                let schema = &plan.compiled.schemas[segment.schema];
                for i in segment.range.start.max(range.start)..segment.range.end.min(end) {
                    let record = match &pools[segment.schema] {
                        Some(p) => p.nth(schema, plan.seed, i)?,
                        None => schema.nth(plan.seed, i)?,
                    };
                    records.push(record);
                }
            }
            gate::gated(&plan, records, range.start, threshold, gate::Made::Unchecked)
        };
        let (scored, regenerated) = tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| ServiceError::Internal(format!("Hybrid generation task failed: {e}")))??;
        report.records_regenerated = regenerated;
        report.records_repaired = regenerated;
        Ok((scored, report))
    }
}

impl Generator for HybridPath {
    fn method(&self) -> Method {
        Method::Hybrid
    }

    fn generate_reported<'a>(
        &'a self,
        plan: &'a Plan,
        inputs: &'a Inputs,
        range: Range<u64>,
    ) -> ReportedFuture<'a> {
        Box::pin(self.reported(plan, inputs, range))
    }
}
