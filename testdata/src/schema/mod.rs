//! Runtime schemas: entities described as data (JSON), generated and validated with the same
//! engine as derived types. The format is documented in `docs/schema-format.md`.

mod bounds;
mod catalogue;
pub(crate) mod compile;
pub(crate) mod decimal;
pub mod def;
mod json_schema;
mod keys;
#[cfg(feature = "rag")]
mod positional;
pub mod repair;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

pub use catalogue::{Catalogue, CatalogueError};
pub use def::{Compute, Condition, FieldDef, FieldType, Reference, SchemaDef};
pub use repair::Repaired;

use crate::Context;
use crate::constraint::Violation;
use crate::dynamic::{self, RecordEnv};
use crate::error::{GenerateError, SchemaError};
use crate::seed::{Seed, name_key};

/// A loaded, checked runtime schema.
///
/// ```
/// use testdata::Schema;
/// let schema = Schema::from_json(r#"{
///   "name": "order",
///   "fields": [
///     {"name": "order_id", "type": "string", "format": "ORD-{year}-{digits:7}", "unique": true},
///     {"name": "quantity", "type": "integer", "min": 1, "max": 5},
///     {"name": "price", "type": "decimal", "min": 1, "max": 100, "scale": 2},
///     {"name": "total", "type": "decimal", "compute": {"product": ["quantity", "price"]}}
///   ]
/// }"#).unwrap();
/// let order = schema.nth(42, 0).unwrap();
/// assert!(order["order_id"].as_str().unwrap().starts_with("ORD-2025-"));
/// schema.validate(&order).unwrap();
/// assert_eq!(schema.batch(42, 3).unwrap()[0], order);
/// ```
#[derive(Clone)]
pub struct Schema {
    def: SchemaDef,
    plan: compile::ObjectPlan,
    key: u64,
    ctx: Context,
    max_records: Option<u64>,
    refs: BTreeMap<String, Arc<Schema>>,
    /// Fixed values break rules on purpose (scenario overrides): computed fields are not
    /// checked against their bounds (see [`Catalogue::compile_overridden`]).
    rules_may_break: bool,
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("name", &self.def.name)
            .field("fields", &self.def.fields.len())
            .finish()
    }
}

/// Every violation found in a record, each with its path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} violation(s): {}", .0.len(), .0.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("; "))]
pub struct Violations(pub Vec<Violation>);

impl Schema {
    /// Loads a schema from JSON text, with the default [`Context`].
    pub fn from_json(text: &str) -> Result<Schema, SchemaError> {
        Schema::from_def(serde_json::from_str(text)?)
    }

    /// Loads a schema from a JSON value.
    pub fn from_value(value: Value) -> Result<Schema, SchemaError> {
        Schema::from_def(serde_json::from_value(value)?)
    }

    /// Checks and compiles a schema description.
    pub fn from_def(def: SchemaDef) -> Result<Schema, SchemaError> {
        Schema::compile(def, Context::default())
    }

    fn compile(def: SchemaDef, ctx: Context) -> Result<Schema, SchemaError> {
        Schema::compile_with(def, ctx, &|_| None, false)
    }

    /// Compiles `def`; with `rules_may_break`, computed fields are not checked against their
    /// bounds, neither at load nor when generated.
    pub(crate) fn compile_with(
        def: SchemaDef,
        ctx: Context,
        resolve: compile::Resolver<'_>,
        rules_may_break: bool,
    ) -> Result<Schema, SchemaError> {
        // Remember the referenced schemas so `with_context` can compile again on its own.
        let refs = std::cell::RefCell::new(BTreeMap::new());
        let record = |name: &str| {
            let s = resolve(name)?;
            refs.borrow_mut().insert(name.to_string(), s.clone());
            Some(s)
        };
        let plan = compile::compile(&def, &ctx, &record, rules_may_break)?;
        let refs = refs.into_inner();
        let key = name_key(def.key.as_deref().unwrap_or(&def.name));
        let max_records = plan.fields.iter().filter_map(|n| n.unique).min();
        Ok(Schema { def, plan, key, ctx, max_records, refs, rules_may_break })
    }

    /// The same schema with another context (reference instant, locale, edge-case rate).
    /// Relative bounds such as `-30d` are resolved against the new reference instant.
    pub fn with_context(self, ctx: Context) -> Result<Schema, SchemaError> {
        let refs = self.refs;
        Schema::compile_with(self.def, ctx, &|name| refs.get(name).cloned(), self.rules_may_break)
    }

    /// The same schema (context and referenced schemas) with another description: how a
    /// production profile reshapes a registered schema (`rag::apply_profile`).
    #[cfg(feature = "rag")]
    pub(crate) fn with_def(&self, def: SchemaDef) -> Result<Schema, SchemaError> {
        Schema::compile_with(
            def,
            self.ctx.clone(),
            &|name| self.refs.get(name).cloned(),
            self.rules_may_break,
        )
    }

    /// The stream key of the schema's records (`name_key` of `key`, else of `name`).
    pub fn key(&self) -> u64 {
        self.key
    }

    /// The context used for generation and validation.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// The schema description.
    pub fn def(&self) -> &SchemaDef {
        &self.def
    }

    /// The entity name.
    pub fn name(&self) -> &str {
        &self.def.name
    }

    /// The schema as pretty JSON (loads back to an equal schema).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.def).unwrap_or_default()
    }

    /// The schema as a JSON value.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(&self.def).unwrap_or(Value::Null)
    }

    /// The JSON Schema (draft 2020-12) of a record, with `x-` extensions for kinds, templates
    /// and computed fields.
    pub fn json_schema(&self) -> Value {
        json_schema::document(&self.def, &self.plan)
    }

    /// How many records a stream can have before a `unique` field runs out of values
    /// (`None`: unlimited).
    pub fn max_records(&self) -> Option<u64> {
        self.max_records
    }

    /// The value of top-level field `field` of record `index` — computed alone when it depends
    /// on no sibling, else from the whole record. `null` for an unknown field.
    pub fn field_value(
        &self,
        seed: impl Into<Seed>,
        index: u64,
        field: &str,
    ) -> Result<Value, GenerateError> {
        let env = self.env(seed.into(), index);
        dynamic::field_of_record(&self.plan, &env, field)
    }

    /// The top-level fields of record `index` that `wanted` marks (and those they depend on),
    /// as [`Schema::nth`] gives them; `None` for the others.
    pub(crate) fn members(
        &self,
        seed: Seed,
        index: u64,
        wanted: &[bool],
    ) -> Result<Vec<Option<Value>>, GenerateError> {
        dynamic::members(&self.plan, &self.env(seed, index), wanted)
    }

    /// `Some(reason)` when `value` is not a valid value of top-level field `field`.
    pub(crate) fn check_field(&self, field: &str, value: &Value) -> Option<String> {
        validate::single(&self.plan, field, value, &self.ctx)
    }

    /// Record `index` of the stream of `seed`, in O(1).
    pub fn nth(&self, seed: impl Into<Seed>, index: u64) -> Result<Value, GenerateError> {
        let env = self.env(seed.into(), index);
        dynamic::record(&self.plan, &env)
    }

    /// Appends record `index` of the stream of `seed` to `out` as compact JSON: the same bytes
    /// as `serde_json::to_writer(out, &self.nth(seed, index)?)`, without building the record's
    /// maps (the fast path for streaming and export).
    ///
    /// ```
    /// let schema = testdata::Schema::from_json(r#"{"name": "user", "fields": [
    ///     {"name": "email", "type": "email"}, {"name": "age", "type": "integer", "min": 18, "max": 90}
    /// ]}"#)?;
    /// let mut out = Vec::new();
    /// schema.write_json(7, 3, &mut out)?;
    /// assert_eq!(out, serde_json::to_vec(&schema.nth(7, 3)?)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_json(
        &self,
        seed: impl Into<Seed>,
        index: u64,
        out: &mut Vec<u8>,
    ) -> Result<(), crate::export::ExportError> {
        let env = self.env(seed.into(), index);
        let slots = dynamic::record_slots(&self.plan, &env)?;
        dynamic::write_object(&self.plan, &slots, out).map_err(crate::export::ExportError::Json)
    }

    /// [`Schema::write_json`] that also validates the record on the way, still without
    /// building its maps: returns the violations [`Schema::validate`] would report for
    /// `nth(seed, index)` (empty for every record the engine generates: a check of the
    /// engine's health, and of schemas whose fixed values break their own rules).
    ///
    /// ```
    /// let schema = testdata::Schema::from_json(r#"{"name": "item", "fields": [
    ///     {"name": "qty", "type": "integer", "min": 1, "max": 5}
    /// ]}"#)?;
    /// let mut out = Vec::new();
    /// assert!(schema.write_json_validated(7, 0, &mut out)?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_json_validated(
        &self,
        seed: impl Into<Seed>,
        index: u64,
        out: &mut Vec<u8>,
    ) -> Result<Vec<Violation>, crate::export::ExportError> {
        let env = self.env(seed.into(), index);
        let slots = dynamic::record_slots(&self.plan, &env)?;
        let violations = self.check_positional(&slots);
        dynamic::write_object(&self.plan, &slots, out).map_err(crate::export::ExportError::Json)?;
        Ok(violations)
    }

    /// Every violation of a positional record (the checks of [`Schema::validate`]).
    pub(crate) fn check_positional(&self, slots: &[Value]) -> Vec<Violation> {
        let members: Vec<Option<&Value>> = slots.iter().map(Some).collect();
        let mut violations = Vec::new();
        validate::members_of(
            &self.plan,
            &members,
            &validate::Path::Root,
            &self.checker(true),
            &mut violations,
        );
        violations
    }

    /// Record `index` of the stream of `seed` in the engine's positional form (its fields'
    /// values in [`Schema::plan`] order; nested objects as arrays of their members' values),
    /// for writers that read it field by field without building maps (Parquet columns).
    #[cfg(feature = "parquet")]
    pub(crate) fn positional(&self, seed: Seed, index: u64) -> Result<Vec<Value>, GenerateError> {
        dynamic::record_slots(&self.plan, &self.env(seed, index))
    }

    /// The compiled plan of a record's top-level fields (how [`Schema::positional`] reads).
    #[cfg(feature = "parquet")]
    pub(crate) fn plan(&self) -> &compile::ObjectPlan {
        &self.plan
    }

    /// What generating record `index` of `seed` needs besides the plan.
    fn env(&self, seed: Seed, index: u64) -> RecordEnv<'_> {
        RecordEnv { ctx: &self.ctx, seed, type_key: self.key, index }
    }

    fn checker(&self, positional: bool) -> validate::Checker<'_> {
        validate::Checker { ctx: &self.ctx, positional }
    }

    /// Records `0..n` of the stream of `seed`; an error up front if a unique field cannot
    /// supply `n` distinct values.
    pub fn batch(&self, seed: impl Into<Seed>, n: usize) -> Result<Vec<Value>, GenerateError> {
        let seed = seed.into();
        self.check_count(0, n as u64)?;
        (0..n as u64).map(|i| self.nth(seed, i)).collect()
    }

    /// Fails when records `offset..offset + n` cannot all be produced.
    pub fn check_count(&self, offset: u64, n: u64) -> Result<(), GenerateError> {
        for node in &self.plan.fields {
            if let Some(space) = node.unique
                && offset.saturating_add(n) > space
            {
                return Err(GenerateError::UniqueExhausted {
                    path: node.path.clone(),
                    space,
                    index: space.max(offset),
                });
            }
        }
        Ok(())
    }

    /// The endless stream of `seed`, from record `offset` on (resume a broken stream with the
    /// offset of the first record not received).
    pub fn iter(&self, seed: impl Into<Seed>, offset: u64) -> Records<'_> {
        Records { schema: self, seed: seed.into(), next: offset }
    }

    /// A proptest [`Strategy`](::proptest::strategy::Strategy) of the schema's records whose
    /// shrinking keeps every constraint and rule (feature `proptest`; see
    /// [`crate::proptest`]).
    ///
    /// ```
    /// use proptest::prelude::*;
    /// let schema = testdata::Schema::from_json(r#"{"name": "item", "fields": [
    ///   {"name": "sku", "type": "string", "pattern": "[A-Z]{3}-[0-9]{4}"},
    ///   {"name": "quantity", "type": "integer", "min": 1, "max": 5}
    /// ]}"#).unwrap();
    /// let check = schema.clone();
    /// proptest!(|(item in schema.strategy())| prop_assert!(check.validate(&item).is_ok()));
    /// ```
    #[cfg(feature = "proptest")]
    pub fn strategy(&self) -> crate::proptest::SchemaStrategy {
        crate::proptest::SchemaStrategy::new(self.clone())
    }

    /// Every violation of the schema's constraints and rules in `record`.
    pub fn validate(&self, record: &Value) -> Result<(), Violations> {
        let mut out = Vec::new();
        validate::object(&self.plan, record, &validate::Path::Root, &self.checker(false), &mut out);
        if out.is_empty() { Ok(()) } else { Err(Violations(out)) }
    }

    /// Validates each record (paths prefixed with `[i]`) and the `unique` fields across them.
    pub fn validate_all(&self, records: &[Value]) -> Result<(), Violations> {
        let mut out = Vec::new();
        for (i, r) in records.iter().enumerate() {
            let mut v = Vec::new();
            validate::object(&self.plan, r, &validate::Path::Root, &self.checker(false), &mut v);
            out.extend(v.into_iter().map(|x| Violation { path: format!("[{i}].{}", x.path), ..x }));
        }
        for node in self.plan.fields.iter().filter(|n| n.unique.is_some()) {
            let mut seen = std::collections::HashMap::new();
            for (i, r) in records.iter().enumerate() {
                let Some(v) = r.get(&node.name).filter(|v| !v.is_null()) else { continue };
                if let Some(first) = seen.insert(v.to_string(), i) {
                    out.push(Violation::new(
                        format!("[{i}].{}", node.name),
                        "unique",
                        format!("{} repeats the value of record {first}", v),
                    ));
                }
            }
        }
        if out.is_empty() { Ok(()) } else { Err(Violations(out)) }
    }
}

/// The endless stream of a schema's records (see [`Schema::iter`]).
#[derive(Debug)]
pub struct Records<'a> {
    schema: &'a Schema,
    seed: Seed,
    next: u64,
}

impl Iterator for Records<'_> {
    type Item = Result<Value, GenerateError>;

    fn next(&mut self) -> Option<Self::Item> {
        let r = self.schema.nth(self.seed, self.next);
        self.next += 1;
        Some(r)
    }
}
