//! Generation paths. Each is one [`Generator`]; the service's router picks one per request.
//!
//! [`traditional`] is always there; [`rag`] over the embedded pattern store (bundled
//! patterns); `llm` when a provider is configured (or cassettes are replayed); [`hybrid`]
//! when both are. `gate` is the coherence gate of the paths that do not write every record
//! themselves.

pub(crate) mod gate;
pub mod hybrid;
pub(crate) mod llm;
pub mod rag;
pub mod traditional;

use std::future::Future;
use std::ops::Range;
use std::pin::Pin;

use crate::error::ServiceError;
use crate::plan::Plan;
use crate::request::Method;

/// The future of [`Generator::generate_encoded`]: a chunk's records serialised in the plan's
/// format, and the path's report.
pub type EncodedFuture<'a> =
    Pin<Box<dyn Future<Output = Result<(String, Report), ServiceError>> + Send + 'a>>;

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

/// A generation path: one required method, [`Generator::generate_reported`]; streams use
/// [`Generator::generate_encoded`], which a path overrides only when it can skip the score.
pub trait Generator: Send + Sync + 'static {
    /// Which method this path implements (its `generation_path` label).
    fn method(&self) -> Method;

    /// Records `range` of `plan` serialised in the plan's format (with the bookkeeping keys
    /// [`Plan::encode`] adds), scored, and the path's [`Report`]: what `GenerateData` returns.
    fn generate_reported<'a>(
        &'a self,
        plan: &'a Plan,
        inputs: &'a Inputs,
        range: Range<u64>,
    ) -> ReportedFuture<'a>;

    /// Records `range` of `plan` serialised, and the path's [`Report`]: what a stream chunk
    /// sends (its metadata carries the report). The default is
    /// [`Generator::generate_reported`] without the score.
    fn generate_encoded<'a>(
        &'a self,
        plan: &'a Plan,
        inputs: &'a Inputs,
        range: Range<u64>,
    ) -> EncodedFuture<'a> {
        Box::pin(async move {
            let (scored, report) = self.generate_reported(plan, inputs, range).await?;
            Ok((scored.data, report))
        })
    }
}
