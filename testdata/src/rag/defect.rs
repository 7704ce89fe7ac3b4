//! `defect_triggering`: the triggers of retrieved defect patterns mixed with the engine's
//! edge-case mode, inside every constraint.
//!
//! Record `i` of seed `s`: for even `i`, the trigger of defect `(i / 2) mod n` (retrieval
//! order: most relevant first) repaired into record `i` of `s` — the trigger's values are
//! kept wherever they satisfy the schema (a `+` in an email, "José", "O'Brien"), the engine
//! fills and owns the rest; for odd `i`, the schema's own record `i` (build the schema with
//! [`Context::with_edge_cases`](crate::Context::with_edge_cases) to get boundary and hostile
//! values there).

use serde_json::Value;

use super::vary::Varied;
use crate::Schema;
use crate::error::GenerateError;
use crate::seed::Seed;

/// Defect triggers for one schema.
#[derive(Debug, Clone)]
pub struct Defects<'a> {
    schema: &'a Schema,
    triggers: Vec<Value>,
}

impl<'a> Defects<'a> {
    /// Records of `schema` carrying `triggers` (in retrieval order).
    pub fn new(schema: &'a Schema, triggers: Vec<Value>) -> Defects<'a> {
        Defects { schema, triggers }
    }

    /// Record `index` of `seed` (see the [module docs](self)).
    pub fn nth(&self, seed: impl Into<Seed>, index: u64) -> Result<Varied, GenerateError> {
        let seed = seed.into();
        if self.triggers.is_empty() || index % 2 == 1 {
            return Ok(Varied {
                record: self.schema.nth(seed, index)?,
                pattern: 0,
                repaired: 0,
                replaced: false,
            });
        }
        let pattern = ((index / 2) % self.triggers.len() as u64) as usize;
        let fixed = self.schema.repair(seed, index, &self.triggers[pattern])?;
        let given = self.triggers[pattern].as_object();
        let repaired = fixed.fields.iter().filter(|f| given.is_some_and(|g| g.contains_key(*f))).count();
        Ok(Varied { record: fixed.record, pattern, repaired, replaced: fixed.replaced })
    }
}
