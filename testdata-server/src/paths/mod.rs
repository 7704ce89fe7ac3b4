//! Generation paths. Each is one [`Generator`]; the [`crate::router`] picks one per request.
//!
//! Only [`traditional`] exists today. The LLM, RAG and Hybrid paths plug in here as further
//! `Generator`s (configured at start); until then a request for them gets a clear
//! UNAVAILABLE error — never a silent fallback.

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
#[derive(Debug)]
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

/// A generation path.
pub trait Generator: Send + Sync + 'static {
    /// Which method this path implements (its `generation_path` label).
    fn method(&self) -> Method;

    /// Records `range` of `plan`, in order, without the bookkeeping keys (which
    /// [`Plan::encode`] adds).
    fn generate<'a>(&'a self, plan: &'a Plan, range: Range<u64>) -> GenFuture<'a>;

    /// Records `range` of `plan` serialised in the plan's format (what streams send). The
    /// default generates, then encodes; a path may do both in one pass.
    fn generate_encoded<'a>(&'a self, plan: &'a Plan, range: Range<u64>) -> EncodedFuture<'a> {
        Box::pin(async move {
            let first = range.start;
            let records = self.generate(plan, range).await?;
            plan.encode(&records, first)
        })
    }

    /// Records `range` of `plan` serialised and scored (what `GenerateData` returns). The
    /// default generates, then scores and encodes every record ([`Plan::score_and_encode`]);
    /// a path may do it in one pass.
    fn generate_scored<'a>(&'a self, plan: &'a Plan, range: Range<u64>) -> ScoredFuture<'a> {
        Box::pin(async move {
            let first = range.start;
            let records = self.generate(plan, range).await?;
            plan.score_and_encode(&records, first)
        })
    }
}
