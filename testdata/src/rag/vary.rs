//! `learn_from_history`: records that keep a retrieved pattern's semantics — item names and
//! categories, the shape of the basket, quantities, the text — while the engine regenerates
//! identity and time.
//!
//! Record `i` of seed `s` varies pattern `i mod n` (patterns in retrieval order):
//!
//! 1. The candidate is the pattern's record with its dates and timestamps moved in time
//!    together: the first date field the pattern has is set to the engine's value of that
//!    field for record `i` (drawn from the anchored clock) and every other date of the pattern
//!    is shifted by the same amount, so their order, their gaps and their nulls (an unshipped
//!    order has no `shipped_at`) are the pattern's. Every decimal or float amount (top level, or a member of an array's elements) multiplied by a
//!    factor drawn uniformly from `[0.9, 1.1]` (the stream `Key::root(s, name_key("rag.vary"),
//!    i)`, one draw per amount in document order) and rounded to the field's scale.
//! 2. [`Schema::repair`](crate::Schema::repair) makes it record `i` of `s`: IDs, `unique` and
//!    `ref` fields come from the engine; dates are the engine's (drawn in order from the
//!    anchored clock, or shifted as above); computed fields (subtotal, tax, total) are recomputed; any value that
//!    breaks a rule (a jittered price above the maximum) becomes the engine's.
//!
//! So every record validates, and the same seed and index give the same bytes.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::compiled::{Compiled, seconds};
use crate::Schema;
use crate::constraint::Violation;
use crate::error::GenerateError;
use crate::export::ExportError;
use crate::schema::{FieldDef, FieldType};
use crate::seed::{Key, Seed, name_key};
use crate::time;

/// Relative jitter of amounts.
pub const JITTER: f64 = 0.1;

/// Which fields of a schema a variation redraws or jitters.
#[derive(Debug, Clone, Default)]
pub(super) struct Shape {
    /// Top-level date and timestamp fields, in schema order (`true`: a timestamp).
    pub(super) dates: Vec<(String, bool)>,
    /// Top-level amounts and their scales.
    pub(super) amounts: BTreeMap<String, u8>,
    /// Amounts inside the elements of array fields: array → member → scale.
    pub(super) member_amounts: BTreeMap<String, BTreeMap<String, u8>>,
}

impl Shape {
    fn of(schema: &Schema) -> Shape {
        let mut shape = Shape::default();
        for field in &schema.def().fields {
            match field.effective_type() {
                ty @ (FieldType::Date | FieldType::Datetime) => {
                    shape.dates.push((field.name.clone(), ty == FieldType::Datetime));
                }
                FieldType::Decimal | FieldType::Float if field.compute.is_none() => {
                    shape.amounts.insert(field.name.clone(), scale_of(field));
                }
                FieldType::Array => {
                    let members = field.items.as_deref().and_then(|i| i.fields.as_ref());
                    let amounts: BTreeMap<String, u8> = members
                        .into_iter()
                        .flatten()
                        .filter(|m| {
                            matches!(m.effective_type(), FieldType::Decimal | FieldType::Float)
                                && m.compute.is_none()
                        })
                        .map(|m| (m.name.clone(), scale_of(m)))
                        .collect();
                    if !amounts.is_empty() {
                        shape.member_amounts.insert(field.name.clone(), amounts);
                    }
                }
                _ => {}
            }
        }
        shape
    }
}

fn scale_of(field: &FieldDef) -> u8 {
    field.scale.unwrap_or(2).min(9)
}

/// A record varied from a pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Varied {
    /// The record: valid against the schema.
    pub record: Value,
    /// Which pattern it varies (an index into the patterns given).
    pub pattern: usize,
    /// Fields of the pattern that broke a rule of the schema and were replaced.
    pub repaired: usize,
    /// Whether the pattern could not be used at all (not an object, or no repair made it
    /// valid) and the record is the engine's.
    pub replaced: bool,
}

/// What [`Variations::write_nth`] wrote: [`Varied`] without the record.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// Which pattern it varies (an index into the patterns given).
    pub pattern: usize,
    /// Fields of the pattern that were missing or broke a rule of the schema and were
    /// replaced.
    pub repaired: usize,
    /// Whether the record is the engine's (see [`Varied::replaced`]).
    pub replaced: bool,
    /// The record's violations: empty, except for an engine record (`replaced`) of a schema
    /// whose own values break its rules.
    pub violations: Vec<Violation>,
}

/// Variations of retrieved patterns for one schema.
#[derive(Debug, Clone)]
pub struct Variations<'a> {
    schema: &'a Schema,
    patterns: Vec<Value>,
    shape: Shape,
    /// Per pattern, its positional form (`None`: varied through [`Schema::repair`] only).
    compiled: Vec<Option<Compiled>>,
}

impl<'a> Variations<'a> {
    /// Variations of `patterns` (records, in retrieval order) as records of `schema`.
    pub fn new(schema: &'a Schema, patterns: Vec<Value>) -> Variations<'a> {
        let shape = Shape::of(schema);
        let compiled = patterns.iter().map(|p| Compiled::new(schema, &shape, p)).collect();
        Variations { schema, patterns, shape, compiled }
    }

    /// How many patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether there are no patterns (then [`Variations::nth`] gives engine records).
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Record `index` of `seed` (see the [module docs](self)).
    pub fn nth(&self, seed: impl Into<Seed>, index: u64) -> Result<Varied, GenerateError> {
        let seed = seed.into();
        if self.patterns.is_empty() {
            return Ok(Varied {
                record: self.schema.nth(seed, index)?,
                pattern: 0,
                repaired: 0,
                replaced: true,
            });
        }
        let pattern = (index % self.patterns.len() as u64) as usize;
        let mut candidate = self.candidate(&self.patterns[pattern], seed, index);
        self.move_dates(&mut candidate, seed, index)?;
        let fixed = self.schema.repair_owned(seed, index, candidate)?;
        Ok(Varied { record: fixed.record, pattern, repaired: fixed.fields.len(), replaced: fixed.replaced })
    }

    /// Appends record `index` of `seed` to `out` as compact JSON: the bytes of
    /// `serde_json::to_writer(out, &self.nth(seed, index)?.record)`, and what
    /// [`Variations::nth`] reports about it.
    ///
    /// Each record is checked in full as it is written: the variation is built in the engine's
    /// positional form from the pattern compiled once (its kept values, amounts and dates),
    /// the engine's values for the fields it owns, totals recomputed, and validated against
    /// every rule of the schema. A variation with any violation goes through
    /// [`Variations::nth`] (the repair) instead; so does a pattern that has no exact
    /// positional form (an item with its members in another order, say).
    ///
    /// ```
    /// # let schema = testdata::Schema::from_json(r#"{"name": "cart", "fields": [
    /// #   {"name": "items", "type": "array", "min_items": 1, "max_items": 5, "items": {"type": "object", "fields": [
    /// #     {"name": "name", "type": "string", "kind": "product_name"},
    /// #     {"name": "price", "type": "decimal", "scale": 2, "min": 0.01, "max": 999.99}]}},
    /// #   {"name": "created_at", "type": "datetime"}]}"#)?;
    /// use testdata::rag::Variations;
    /// let pattern = serde_json::json!({"items": [{"name": "Yoga Mat", "price": 25.0}], "created_at": "2024-11-02T10:15:00Z"});
    /// let variations = Variations::new(&schema, vec![pattern]);
    /// let mut out = Vec::new();
    /// let written = variations.write_nth(7, 3, &mut out)?;
    /// assert!(written.violations.is_empty());
    /// assert_eq!(out, serde_json::to_vec(&variations.nth(7, 3)?.record)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_nth(
        &self,
        seed: impl Into<Seed>,
        index: u64,
        out: &mut Vec<u8>,
    ) -> Result<Written, ExportError> {
        let seed = seed.into();
        let pattern = (index % self.patterns.len().max(1) as u64) as usize;
        if let Some(Some(compiled)) = self.compiled.get(pattern) {
            let slots = compiled.vary(self.schema, seed, index)?;
            if self.schema.check_positional(&slots).is_empty() {
                self.schema.write_positional(&slots, out).map_err(ExportError::Json)?;
                return Ok(Written {
                    pattern,
                    repaired: compiled.missing,
                    replaced: false,
                    violations: Vec::new(),
                });
            }
        }
        let varied = self.nth(seed, index)?;
        let violations = match varied.replaced {
            true => self.schema.validate(&varied.record).err().map(|v| v.0).unwrap_or_default(),
            false => Vec::new(),
        };
        serde_json::to_writer(&mut *out, &varied.record).map_err(ExportError::Json)?;
        Ok(Written {
            pattern: varied.pattern,
            repaired: varied.repaired,
            replaced: varied.replaced,
            violations,
        })
    }

    /// Moves the candidate's dates so the first one is the engine's (see the module docs);
    /// a pattern without a parsable date keeps none (the engine draws them all).
    fn move_dates(&self, candidate: &mut Value, seed: Seed, index: u64) -> Result<(), GenerateError> {
        let Value::Object(fields) = candidate else { return Ok(()) };
        let first = self
            .shape
            .dates
            .iter()
            .find_map(|(name, ts)| Some((name, seconds(fields.get(name)?, *ts)?, *ts)));
        let Some((name, at, timestamp)) = first else {
            for (name, _) in &self.shape.dates {
                fields.remove(name);
            }
            return Ok(());
        };
        let Some(anchor) = seconds(&self.schema.field_value(seed, index, name)?, timestamp) else {
            return Ok(());
        };
        let shift = anchor - at;
        for (name, timestamp) in &self.shape.dates {
            let Some(value) = fields.get_mut(name) else { continue };
            match seconds(value, *timestamp) {
                Some(t) if *timestamp => *value = Value::String(time::format_datetime(t + shift)),
                Some(t) => *value = Value::String(time::format_date((t + shift).div_euclid(86_400))),
                None if value.is_null() => {}
                None => *value = Value::Null,
            }
        }
        Ok(())
    }

    /// The pattern with its amounts jittered.
    fn candidate(&self, pattern: &Value, seed: Seed, index: u64) -> Value {
        let Value::Object(fields) = pattern else { return pattern.clone() };
        let mut draws = Key::root(seed, name_key("rag.vary"), index).field(name_key("jitter"));
        let mut jitter = |v: &Value, scale: u8| match v.as_f64() {
            Some(x) => {
                let factor = draws.f64_in(1.0 - JITTER, 1.0 + JITTER);
                round_to(x * factor, scale)
            }
            None => v.clone(),
        };
        let mut out = Map::with_capacity(fields.len());
        for (name, value) in fields {
            let value = if let Some(scale) = self.shape.amounts.get(name) {
                jitter(value, *scale)
            } else if let (Some(members), Value::Array(elements)) =
                (self.shape.member_amounts.get(name), value)
            {
                let varied = elements
                    .iter()
                    .map(|e| match e {
                        Value::Object(m) => Value::Object(
                            m.iter()
                                .map(|(k, v)| {
                                    let v = members.get(k).map_or_else(|| v.clone(), |s| jitter(v, *s));
                                    (k.clone(), v)
                                })
                                .collect(),
                        ),
                        other => other.clone(),
                    })
                    .collect();
                Value::Array(varied)
            } else {
                value.clone()
            };
            out.insert(name.clone(), value);
        }
        Value::Object(out)
    }
}

/// `x` rounded half away from zero to `scale` decimals, as a JSON number.
pub(super) fn round_to(x: f64, scale: u8) -> Value {
    let p = 10f64.powi(i32::from(scale));
    let r = (x * p).round() / p;
    serde_json::Number::from_f64(r).map_or(Value::Null, Value::Number)
}
