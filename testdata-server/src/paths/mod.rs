//! Generation paths. Each is one [`Generator`]; the [`crate::router`] picks one per request.
//!
//! [`traditional`] is always there; [`rag`] over the embedded pattern store (bundled
//! patterns); [`llm`] when a provider is configured (or cassettes are replayed); [`hybrid`]
//! when both are. [`gate`] is the coherence gate of the paths that do not write every record
//! themselves.

pub mod gate;
pub mod hybrid;
pub mod llm;
pub mod rag;
pub mod traditional;

use std::future::Future;
use std::ops::Range;
use std::pin::Pin;

use serde_json::Value;

use crate::error::ServiceError;
use crate::plan::Plan;
use crate::request::Method;

/// The future of [`Generator::generate`].
pub type GenFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<Value>, ServiceError>> + Send + 'a>>;

/// The future of [`Generator::generate_encoded`].
pub type EncodedFuture<'a> = Pin<Box<dyn Future<Output = Result<String, ServiceError>> + Send + 'a>>;

/// The future of [`Generator::generate_scored`].
pub type ScoredFuture<'a> = Pin<Box<dyn Future<Output = Result<Scored, ServiceError>> + Send + 'a>>;

/// Records serialised in the plan's format, with their count and coherence score.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The serialised records.
    pub data: String,
    /// How many records.
    pub records: u64,
    /// Their mean coherence score (`None` for no records).
    pub coherence: Option<f64>,
    /// How many of them fail at least one check.
    pub failing: u64,
}

/// The future of [`Generator::generate_reported`].
pub type ReportedFuture<'a> =
    Pin<Box<dyn Future<Output = Result<(Scored, Report), ServiceError>> + Send + 'a>>;

/// What a request gives the paths besides its plan: the inputs of the paths that prompt or
/// retrieve (the Traditional path ignores them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    /// Free-text context.
    pub context: String,
    /// Routing hints.
    pub hints: Vec<String>,
    /// Whether a cached answer may be served.
    pub use_cache: bool,
    /// Edge cases asked for (`defect_triggering`).
    pub edge_cases: bool,
    /// Scenario descriptions by name.
    pub scenarios: std::collections::BTreeMap<String, String>,
    /// The request's business domain (pattern retrieval filters on it; empty: the schema's).
    pub domain: String,
    /// Records like historical patterns (`learn_from_history`).
    pub learn_from_history: bool,
    /// Records following a production profile (`production_like`).
    pub production_like: bool,
}

/// What a path reports about one answer (`GenerationMetadata`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Tokens used (input, cache reads and writes, output).
    pub tokens: u64,
    /// Whether the records came from a cache.
    pub cache_hit: bool,
    /// The store that had them.
    pub cached_in: Option<String>,
    /// Records that needed a repair.
    pub records_repaired: u64,
    /// Fields repaired.
    pub fields_repaired: u64,
    /// The provider that answered (empty for the engine).
    pub provider: String,
    /// Its model.
    pub model: String,
    /// Why the path served the records another way (e.g. the RAG path found no pattern for
    /// the entity and used the engine): `metadata.fallback` and the routing reason say so.
    pub fallback: Option<String>,
    /// Records the coherence gate regenerated (scored under `COHERENCE_THRESHOLD`).
    pub records_regenerated: u64,
}

/// A generation path.
pub trait Generator: Send + Sync + 'static {
    /// Which method this path implements (its `generation_path` label).
    fn method(&self) -> Method;

    /// Records `range` of `plan`, in order, without the bookkeeping keys (which
    /// [`Plan::encode`] adds).
    fn generate<'a>(&'a self, plan: &'a Plan, inputs: &'a Inputs, range: Range<u64>) -> GenFuture<'a>;

    /// Records `range` of `plan` serialised in the plan's format (what streams send). The
    /// default generates, then encodes; a path may do both in one pass.
    fn generate_encoded<'a>(
        &'a self,
        plan: &'a Plan,
        inputs: &'a Inputs,
        range: Range<u64>,
    ) -> EncodedFuture<'a> {
        Box::pin(async move {
            let first = range.start;
            let records = self.generate(plan, inputs, range).await?;
            plan.encode(&records, first)
        })
    }

    /// Records `range` of `plan` serialised and scored (what `GenerateData` returns). The
    /// default generates, then scores and encodes every record ([`Plan::score_and_encode`]);
    /// a path may do it in one pass.
    fn generate_scored<'a>(
        &'a self,
        plan: &'a Plan,
        inputs: &'a Inputs,
        range: Range<u64>,
    ) -> ScoredFuture<'a> {
        Box::pin(async move {
            let first = range.start;
            let records = self.generate(plan, inputs, range).await?;
            plan.score_and_encode(&records, first)
        })
    }

    /// [`Generator::generate_scored`] with the path's [`Report`] (the default reports nothing).
    fn generate_reported<'a>(
        &'a self,
        plan: &'a Plan,
        inputs: &'a Inputs,
        range: Range<u64>,
    ) -> ReportedFuture<'a> {
        Box::pin(async move { Ok((self.generate_scored(plan, inputs, range).await?, Report::default())) })
    }
}
