//! The Traditional path: the seeded engine. Record `i` is `schema.nth(seed, i)` of its
//! scenario's schema, so any range of a request costs O(len) and is byte-identical to
//! in-process generation.

use std::ops::Range;

use super::{EncodedFuture, Generator, Inputs, Report, ReportedFuture};
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

    fn generate_reported<'a>(
        &'a self,
        plan: &'a Plan,
        _: &'a Inputs,
        range: Range<u64>,
    ) -> ReportedFuture<'a> {
        Box::pin(async move { Ok((sized_run(plan, range, Plan::encode_scored).await?, Report::default())) })
    }

    fn generate_encoded<'a>(&'a self, plan: &'a Plan, _: &'a Inputs, range: Range<u64>) -> EncodedFuture<'a> {
        Box::pin(async move { Ok((sized_run(plan, range, Plan::encode_range).await?, Report::default())) })
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
