//! Count reconciliation: the request's `count` against its scenarios' counts.

use super::DEFAULT_SCENARIO;
use crate::error::ServiceError;
use crate::request::{GenerateSpec, ScenarioSpec};

/// Reconciles `count` with the scenarios: the total and the segments (name, count, scenario).
/// A scenario segment before placement: name, count, index of the scenario (`None`: default).
pub(super) type SegmentSpec = (String, u64, Option<usize>);

pub(super) fn reconcile_counts(spec: &GenerateSpec) -> Result<(u64, Vec<SegmentSpec>), ServiceError> {
    if spec.count < 0 {
        return Err(ServiceError::invalid(format!("count is {}; ask for at least 1 record", spec.count)));
    }
    let mut seen = std::collections::HashSet::new();
    let mut segs = Vec::new();
    let mut sum = 0u64;
    for (k, ScenarioSpec { name, count, .. }) in spec.scenarios.iter().enumerate() {
        if name.is_empty() {
            return Err(ServiceError::invalid(format!(
                "scenarios[{k}] has no name; give each scenario a name"
            )));
        }
        if !seen.insert(name.as_str()) {
            return Err(ServiceError::invalid(format!(
                "scenario name `{name}` is used twice; give each scenario its own name"
            )));
        }
        if *count < 0 {
            return Err(ServiceError::invalid(format!(
                "scenario `{name}` has count {count}; give 0 or more"
            )));
        }
        sum += *count as u64;
        segs.push((name.clone(), *count as u64, Some(k)));
    }
    let total = if spec.count == 0 {
        if spec.scenarios.is_empty() {
            return Err(ServiceError::invalid("count is 0; ask for at least 1 record"));
        }
        if sum == 0 {
            return Err(ServiceError::invalid(
                "count is 0 and the scenario counts add up to 0; ask for at least 1 record",
            ));
        }
        sum
    } else {
        let count = spec.count as u64;
        if sum > count {
            return Err(ServiceError::invalid(format!(
                "the scenario counts add up to {sum}, more than count {count}; raise count, lower the scenario \
                 counts, or send count 0 to mean their sum"
            )));
        }
        count
    };
    if total > sum {
        segs.push((DEFAULT_SCENARIO.to_owned(), total - sum, None));
    }
    Ok((total, segs))
}
