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

/// Ranges estimated at this many bytes or more are generated on the blocking pool too, however
/// few their records: 50 records of 180 paragraphs each (2 MB) take milliseconds, which on
/// an async worker would hold up every other call on it.
pub const BLOCKING_BYTES: u64 = 256 * 1024;

/// Whether `records` records of `plan` are heavy enough for the blocking pool: by count, or by
/// the bytes the plan's records were sampled at.
pub(crate) fn heavy(plan: &Plan, records: u64) -> bool {
    records >= BLOCKING_THRESHOLD || records.saturating_mul(plan.bytes_per_record) >= BLOCKING_BYTES
}

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

/// Heavy ranges generating at once: two per core. The rest wait their turn (first come,
/// first served) instead of each taking a blocking-pool thread, among which the kernel would
/// share the cores with the connection threads alike: with 100 streams generating, a unary
/// call's thread got a hundredth of a core (p99 50–100 ms; 27–40 ms with this bound). One
/// per core gave unary calls more (p99 12–15 ms) but cost streams 15% of their throughput:
/// a slot freed waits for its next holder's runtime to be polled.
static HEAVY_SLOTS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(2 * std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// Runs `work` on `range` of `plan`: inline for small ranges, on tokio's blocking pool for
/// [`heavy`] ones, at most two per core at a time.
pub(crate) async fn sized_run<T: Send + 'static>(
    plan: &Plan,
    range: Range<u64>,
    work: fn(&Plan, Range<u64>) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    if !heavy(plan, range.end.saturating_sub(range.start)) {
        return work(plan, range);
    }
    let slot = HEAVY_SLOTS
        .acquire()
        .await
        .map_err(|e| ServiceError::Internal(format!("generation slots closed: {e}")))?;
    let plan = plan.clone();
    // The slot goes with the work: given back when the work ends, also when the caller has
    // gone (a cancelled call stops at its next record).
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work(&plan, range)
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("generation task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::plan::{Mode, Planner};
    use crate::registry::Registry;
    use crate::request::{GenerateSpec, SchemaSources};

    /// `count` records of `sources`, sized as a unary call sizes them.
    fn sized_plan(sources: SchemaSources, count: i64) -> Plan {
        let planner = Planner::new(Arc::new(Registry::builtin().unwrap()), 16, 0.0);
        let spec = GenerateSpec { sources, count, seed: Some(3), ..GenerateSpec::default() };
        let mut plan = planner.plan(&spec, Mode::Sync(100_000)).unwrap();
        plan.bytes_per_record = crate::limits::check_answer(&plan, 50 << 20).unwrap();
        plan
    }

    #[test]
    fn a_few_large_records_are_heavy_and_many_small_ones_too() {
        let paragraphs = serde_json::json!({"name": "big", "fields": [{"name": "texts", "type": "array",
            "min_items": 180, "max_items": 180, "items": {"type": "string", "kind": "paragraph"}}]});
        let big =
            sized_plan(SchemaSources { inline_schema: paragraphs.to_string(), ..Default::default() }, 50);
        assert!(big.bytes_per_record > 10_000, "{}", big.bytes_per_record);
        assert!(heavy(&big, 50), "50 records of {} bytes each", big.bytes_per_record);
        assert!(!heavy(&big, 1), "one record of {} bytes", big.bytes_per_record);

        let users = sized_plan(SchemaSources { entity: "user".into(), ..Default::default() }, 50);
        assert!(!heavy(&users, 50), "50 users of {} bytes each", users.bytes_per_record);
        assert!(heavy(&users, BLOCKING_THRESHOLD));
        // A plan never sized (the CLI's) is judged by its record count alone.
        let unsized_plan = Plan { bytes_per_record: 0, ..big };
        assert!(!heavy(&unsized_plan, 50) && heavy(&unsized_plan, BLOCKING_THRESHOLD));
    }
}
