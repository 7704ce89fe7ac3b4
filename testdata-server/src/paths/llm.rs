//! The LLM path: [`testdata::llm::Llm`] behind a [`Generator`]. A request's range becomes one
//! library request (its scenario segments, seed, context, hints), so a `GenerateData` is one
//! cached answer and each stream chunk is its own, sent as soon as it is ready.

use std::ops::Range;
use std::sync::Arc;

use testdata::llm::{Answer, Llm, LlmError, Request, Segment};

use super::{GenFuture, Generator, Inputs, Report, ReportedFuture, ScoredFuture};
use crate::error::ServiceError;
use crate::plan::{DEFAULT_SCENARIO, Plan};
use crate::request::Method;

/// The LLM generator of the server.
#[derive(Debug, Clone)]
pub struct LlmPath {
    llm: Arc<Llm>,
}

impl LlmPath {
    /// The path over a configured generator.
    pub fn new(llm: Arc<Llm>) -> LlmPath {
        LlmPath { llm }
    }

    /// The generator.
    pub fn llm(&self) -> &Arc<Llm> {
        &self.llm
    }

    async fn answer(&self, plan: &Plan, inputs: &Inputs, range: Range<u64>) -> Result<Answer, ServiceError> {
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
        let request = Request {
            seed: plan.seed,
            segments,
            context: &inputs.context,
            hints: &inputs.hints,
            examples: &[],
            edge_cases: inputs.edge_cases,
            use_cache: inputs.use_cache,
        };
        self.llm.run(&request).await.map_err(service_error)
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

    fn generate<'a>(&'a self, plan: &'a Plan, inputs: &'a Inputs, range: Range<u64>) -> GenFuture<'a> {
        Box::pin(async move { Ok(self.answer(plan, inputs, range).await?.records) })
    }

    fn generate_scored<'a>(
        &'a self,
        plan: &'a Plan,
        inputs: &'a Inputs,
        range: Range<u64>,
    ) -> ScoredFuture<'a> {
        Box::pin(async move { Ok(self.generate_reported(plan, inputs, range).await?.0) })
    }

    fn generate_reported<'a>(
        &'a self,
        plan: &'a Plan,
        inputs: &'a Inputs,
        range: Range<u64>,
    ) -> ReportedFuture<'a> {
        Box::pin(async move {
            let first = range.start;
            let answer = self.answer(plan, inputs, range).await?;
            let scored = plan.score_and_encode(&answer.records, first)?;
            let report = Report {
                tokens: answer.usage.total(),
                cache_hit: answer.cache_hit,
                cached_in: answer.cached_in,
                records_repaired: answer.records_repaired,
                fields_repaired: answer.fields_repaired,
                provider: answer.provider,
                model: answer.model,
            };
            Ok((scored, report))
        })
    }
}
