//! The coherence gate (`COHERENCE_THRESHOLD`, default 0.85): every record of the LLM, RAG and
//! Hybrid paths is scored ([`crate::coherence::tally`]); one under the threshold is replaced
//! by the engine's record for the same seed and index (which scores 1), and the answer's
//! metadata counts it in `records_repaired`. The scores the gate computes are the answer's
//! coherence score too, so each record is validated once.

use serde_json::Value;

use super::Scored;
use crate::coherence;
use crate::error::ServiceError;
use crate::plan::Plan;

/// How the records reaching the gate were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// Read or written outside the engine (a model's answer, a cache entry, pool text): each
    /// is validated.
    Unchecked,
    /// Repaired by the engine as they were made (`Schema::repair` validates what it returns):
    /// each scores 1 on its own checks, counted without validating it again.
    Validated,
}

/// Gates `records` (record `first` onwards of `plan`) at `threshold`, then scores and encodes
/// them: the answer and how many records the gate regenerated.
pub fn gated(
    plan: &Plan,
    mut records: Vec<Value>,
    first: u64,
    threshold: f64,
    made: Made,
) -> Result<(Scored, u64), ServiceError> {
    let mut tallies = Vec::with_capacity(records.len());
    let mut regenerated = 0;
    for (i, record) in (first..).zip(records.iter_mut()) {
        let schema = plan.schema_of(i);
        let mut tally = match made {
            Made::Unchecked => coherence::tally(schema, record),
            Made::Validated => coherence::tally_valid(schema, record),
        };
        if coherence::ratio(tally) < threshold {
            *record = schema.nth(plan.seed, i)?;
            tally = coherence::tally(schema, record);
            regenerated += 1;
        }
        tallies.push(tally);
    }
    let scored = (first..).zip(&records).zip(tallies).map(|((i, r), t)| (plan.schema_of(i), r, t));
    let score = coherence::score_tallied(scored);
    let data = plan.encode(&records, first)?;
    Ok((
        Scored { data, records: records.len() as u64, coherence: score.mean, failing: score.failing },
        regenerated,
    ))
}
