//! The coherence gate (`COHERENCE_THRESHOLD`, default 0.85): every record of the LLM, RAG and
//! Hybrid paths is scored ([`crate::coherence::score`]); one under the threshold is replaced
//! by the engine's record for the same seed and index (which scores 1), and the answer's
//! metadata counts it in `records_repaired`.

use serde_json::Value;

use crate::coherence;
use crate::error::ServiceError;
use crate::plan::Plan;

/// The default `COHERENCE_THRESHOLD`.
pub const DEFAULT_THRESHOLD: f64 = 0.85;

/// Replaces the records of `records` (record `first` onwards of `plan`) scoring under
/// `threshold`; returns how many were replaced.
pub fn enforce(plan: &Plan, records: &mut [Value], first: u64, threshold: f64) -> Result<u64, ServiceError> {
    let mut regenerated = 0;
    for (i, record) in (first..).zip(records.iter_mut()) {
        let schema = plan.schema_of(i);
        if coherence::score(schema, record) < threshold {
            *record = schema.nth(plan.seed, i)?;
            regenerated += 1;
        }
    }
    Ok(regenerated)
}
