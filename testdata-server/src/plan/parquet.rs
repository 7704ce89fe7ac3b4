//! A plan's records straight into Arrow columns (`--format parquet`): each record generated
//! in the engine's positional form and appended to the column builders with its bookkeeping
//! keys, no JSON text in between (`testdata::export::parquet::RecordColumns`).

use std::ops::Range;

use serde_json::Value;
use testdata::export::parquet::{RecordBatch, RecordColumns};

use super::Plan;
use crate::error::ServiceError;

impl Plan {
    /// Records `range` (clamped to the plan) with `_index` and `_scenario`, as one batch of
    /// `columns` (whose schema is the plan's Parquet columns).
    pub fn arrow_range(
        &self,
        range: Range<u64>,
        columns: &mut RecordColumns,
    ) -> Result<RecordBatch, ServiceError> {
        let first = range.start;
        let mut scenario = (None::<&str>, Value::Null);
        for (i, schema, name) in self.indexes(range) {
            if scenario.0 != Some(name) {
                scenario = (Some(name), Value::String(name.to_owned()));
            }
            let index = Value::from(i);
            columns
                .push_generated(schema, self.seed, i, &[("_index", &index), ("_scenario", &scenario.1)])
                .map_err(|e| arrow_error(e, &format!("record {i}")))?;
        }
        columns.finish().map_err(|e| arrow_error(e, &format!("the records from {first}")))
    }
}

/// The service error of a record that could not be put into columns.
fn arrow_error(e: testdata::export::ExportError, what: &str) -> ServiceError {
    match e {
        testdata::export::ExportError::Generate(g) => ServiceError::from(g),
        e => ServiceError::Internal(format!("putting {what} into Parquet columns failed: {e}")),
    }
}
