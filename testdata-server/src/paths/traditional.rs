//! The Traditional path: the seeded engine. Record `i` is `schema.nth(seed, i)` of its
//! scenario's schema, so any range of a request costs O(len) and is byte-identical to
//! in-process generation.

use std::ops::Range;

use super::{EncodedFuture, GenFuture, Generator, Inputs, ScoredFuture};
use crate::error::ServiceError;
use crate::plan::Plan;
use crate::request::Method;

/// Ranges of at least this many records are generated on tokio's blocking pool, so a large
/// batch does not hold up the async workers (50 records take microseconds).
pub const BLOCKING_THRESHOLD: u64 = 512;

/// The seeded engine as a [`Generator`].
#[derive(Debug, Default, Clone, Copy)]
pub struct Traditional;

impl Generator for Traditional {
    fn method(&self) -> Method {
        Method::Traditional
    }

    fn generate<'a>(&'a self, plan: &'a Plan, _: &'a Inputs, range: Range<u64>) -> GenFuture<'a> {
        Box::pin(sized_run(plan, range, Plan::records))
    }

    fn generate_scored<'a>(&'a self, plan: &'a Plan, _: &'a Inputs, range: Range<u64>) -> ScoredFuture<'a> {
        Box::pin(sized_run(plan, range, Plan::encode_scored))
    }

    fn generate_encoded<'a>(&'a self, plan: &'a Plan, _: &'a Inputs, range: Range<u64>) -> EncodedFuture<'a> {
        Box::pin(sized_run(plan, range, Plan::encode_range))
    }
}

/// Runs `work` on `range` of `plan`: inline for small ranges, on tokio's blocking pool from
/// [`BLOCKING_THRESHOLD`] records on.
pub(crate) async fn sized_run<T: Send + 'static>(
    plan: &Plan,
    range: Range<u64>,
    work: fn(&Plan, Range<u64>) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    if range.end.saturating_sub(range.start) < BLOCKING_THRESHOLD {
        return work(plan, range);
    }
    let plan = plan.clone();
    tokio::task::spawn_blocking(move || work(&plan, range))
        .await
        .map_err(|e| ServiceError::Internal(format!("generation task failed: {e}")))?
}
