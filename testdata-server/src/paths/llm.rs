//! The LLM path: [`testdata::llm::Llm`] behind a [`Generator`]. A request's range becomes one
//! library request (its scenario segments, seed, context, hints), so a `GenerateData` is one
//! cached answer and each stream chunk is its own, sent as soon as it is ready.
//!
//! Every record passes the coherence gate ([`super::gate`], `COHERENCE_THRESHOLD`): a cached
//! answer (a cassette, a shared Redis entry) is not repaired again on the way out, so a record
//! edited or made under another schema is scored and, under the threshold, regenerated.
//!
//! A cached answer is also kept rendered (encoded and scored, keyed by the answer's cache key
//! and the output format), so a repeated `GenerateData` sends the stored bytes without
//! re-encoding a thousand records.

use std::ops::Range;
use std::sync::Arc;

use testdata::cache::Mode;
use testdata::export::Format;
use testdata::llm::{Llm, LlmError, Request, Segment};

use super::{Generator, Inputs, Report, ReportedFuture, Scored, gate};
use crate::error::ServiceError;
use crate::plan::{DEFAULT_SCENARIO, Plan};
use crate::request::Method;

/// Rendered answers kept at most (each holds one encoded response).
const RENDERED_CAPACITY: u64 = 256;

/// The LLM generator of the server.
#[derive(Debug, Clone)]
pub struct LlmPath {
    llm: Arc<Llm>,
    threshold: f64,
    rendered: moka::sync::Cache<(String, Format), Arc<(Scored, Report)>>,
}

impl LlmPath {
    /// The path over a configured generator, gating records at `threshold`
    /// (`COHERENCE_THRESHOLD`).
    pub fn new(llm: Arc<Llm>, threshold: f64) -> LlmPath {
        LlmPath { llm, threshold, rendered: moka::sync::Cache::new(RENDERED_CAPACITY) }
    }

    /// The scored, encoded records of `range` and their report: the rendered copy of a cached
    /// answer when there is one, else the library's answer, encoded (and kept rendered when it
    /// may be cached).
    async fn reported(
        &self,
        plan: &Plan,
        inputs: &Inputs,
        range: Range<u64>,
    ) -> Result<(Scored, Report), ServiceError> {
        let first = range.start;
        let request = request(plan, inputs, range);
        let caching = self.llm.config().mode != Mode::Off;
        let key = (self.llm.key(&request), plan.format);
        if caching
            && inputs.use_cache
            && let Some(rendered) = self.rendered.get(&key)
        {
            return Ok((rendered.0.clone(), rendered.1.clone()));
        }
        let answer = self.llm.run_keyed(&request, key.0.clone()).await.map_err(service_error)?;
        let (scored, regenerated) =
            gate::gated(plan, answer.records, first, self.threshold, gate::Made::Unchecked)?;
        let report = Report {
            fallback: None,
            records_regenerated: regenerated,
            tokens: answer.usage.total(),
            cache_hit: answer.cache_hit,
            cached_in: answer.cached_in.clone(),
            records_repaired: answer.records_repaired + regenerated,
            fields_repaired: answer.fields_repaired,
            provider: answer.provider,
            model: answer.model,
        };
        if caching {
            let hit =
                Report { tokens: 0, cache_hit: true, cached_in: Some("memory".into()), ..report.clone() };
            self.rendered.insert(key, Arc::new((scored.clone(), hit)));
        }
        Ok((scored, report))
    }
}

/// The library request for records `range` of `plan`: its scenario segments, seed, context
/// and hints.
fn request<'a>(plan: &'a Plan, inputs: &'a Inputs, range: Range<u64>) -> Request<'a> {
    let end = range.end.min(plan.total);
    let segments: Vec<Segment<'_>> = plan
        .segments
        .iter()
        .filter(|s| s.range.start < end && s.range.end > range.start)
        .map(|s| Segment {
            name: &s.name,
            schema: &plan.compiled.schemas[s.schema],
            range: s.range.start.max(range.start)..s.range.end.min(end),
            scenario: (s.name != DEFAULT_SCENARIO)
                .then(|| inputs.scenarios.get(&s.name).map_or("", String::as_str)),
        })
        .collect();
    Request {
        seed: plan.seed,
        segments,
        context: &inputs.context,
        hints: &inputs.hints,
        examples: &[],
        edge_cases: inputs.edge_cases,
        use_cache: inputs.use_cache,
    }
}

/// The service error of a library error: UNAVAILABLE when no provider could answer (or none
/// is recorded in replay mode), FAILED_PRECONDITION for a refusal, INVALID_ARGUMENT over budget.
pub fn service_error(e: LlmError) -> ServiceError {
    let text = format!("generation_method=LLM: {e}");
    match e {
        LlmError::NotConfigured | LlmError::Unavailable(_) | LlmError::NotRecorded { .. } => {
            ServiceError::Unavailable(text)
        }
        LlmError::Refused { .. } | LlmError::Generate(_) => ServiceError::FailedPrecondition(text),
        LlmError::OverBudget { .. } | LlmError::Invalid(_) | LlmError::Config { .. } => {
            ServiceError::InvalidArgument(text)
        }
        LlmError::Cassette { .. } => ServiceError::Internal(text),
    }
}

impl Generator for LlmPath {
    fn method(&self) -> Method {
        Method::Llm
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
