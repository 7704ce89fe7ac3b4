//! Repair of records from outside the engine (a language model, a retrieved pattern): every
//! value that breaks the schema is replaced by the engine's value for the same seed, index and
//! field, so a repaired record validates and the repair is deterministic.
//!
//! The rules, in order:
//!
//! 1. Fields the engine owns come from the engine, whatever the candidate says: fixed values,
//!    ID templates, UUIDs, `unique` fields and references. (They are not counted as repairs.)
//! 2. A missing field, or one whose value breaks its own rules, gets the engine's value.
//!    Unknown keys are dropped; fields come out in schema order.
//! 3. Computed fields (subtotal, tax, total, copies, buckets) are recomputed from the
//!    record's own values.
//! 4. The whole record is validated; each field named by a violation (a broken date order, a
//!    limit, a presence condition) is replaced, together with the siblings its rule refers
//!    to, and the computed fields are recomputed again.
//! 5. A record that still fails is replaced by the engine's record.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::Schema;
use super::compile::{Node, NodeGen, ObjectPlan};
use super::validate;
use crate::dynamic;
use crate::error::GenerateError;
use crate::kinds::Kind;
use crate::seed::Seed;

/// A repaired record and what the repair changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Repaired {
    /// The record: valid against the schema.
    pub record: Value,
    /// The top-level fields whose candidate value was missing or broke a rule, replaced by
    /// the engine's (in schema order).
    pub fields: Vec<String>,
    /// Whether the whole candidate was replaced by the engine's record (it was not an object,
    /// or no field-level repair made it valid).
    pub replaced: bool,
}

impl Repaired {
    /// Whether anything was repaired.
    pub fn changed(&self) -> bool {
        self.replaced || !self.fields.is_empty()
    }
}

impl Schema {
    /// Repairs `candidate` as record `index` of the stream of `seed` (see the [module
    /// docs](self) for the rules): the result always validates.
    ///
    /// ```
    /// let schema = testdata::Schema::from_json(r#"{"name": "review", "fields": [
    ///   {"name": "id", "type": "string", "format": "REV-{digits:6}"},
    ///   {"name": "rating", "type": "integer", "min": 1, "max": 5},
    ///   {"name": "body", "type": "string", "min_length": 5, "max_length": 200}
    /// ]}"#)?;
    /// let from_model = serde_json::json!({"id": "x", "rating": 9, "body": "Works as described."});
    /// let fixed = schema.repair(7, 0, &from_model)?;
    /// assert_eq!(fixed.fields, ["rating"]);                      // out of range: the engine's value
    /// assert_eq!(fixed.record["body"], "Works as described.");  // kept
    /// assert_eq!(fixed.record["id"], schema.nth(7, 0)?["id"]);   // IDs are the engine's
    /// schema.validate(&fixed.record).unwrap();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn repair(
        &self,
        seed: impl Into<Seed>,
        index: u64,
        candidate: &Value,
    ) -> Result<Repaired, GenerateError> {
        let seed = seed.into();
        match candidate {
            Value::Object(given) => {
                let present = self.present(given);
                self.repair_fields(seed, index, &present, |name| given.get(name).cloned())
            }
            _ => Ok(self.replaced(self.nth(seed, index)?)),
        }
    }

    /// [`Schema::repair`] of a candidate the caller gives away: its values are moved into the
    /// record, not copied (a retrieved pattern's variation is made for this one record).
    pub fn repair_owned(
        &self,
        seed: impl Into<Seed>,
        index: u64,
        candidate: Value,
    ) -> Result<Repaired, GenerateError> {
        let seed = seed.into();
        match candidate {
            Value::Object(mut given) => {
                let present = self.present(&given);
                self.repair_fields(seed, index, &present, |name| given.remove(name))
            }
            _ => Ok(self.replaced(self.nth(seed, index)?)),
        }
    }

    /// Per top-level field, whether the candidate has it.
    fn present(&self, given: &Map<String, Value>) -> Vec<bool> {
        self.plan.fields.iter().map(|n| given.contains_key(&n.name)).collect()
    }

    /// The repair of a candidate object that has the fields `present` marks; `take` gives the
    /// value of a field (once per field).
    fn repair_fields(
        &self,
        seed: Seed,
        index: u64,
        present: &[bool],
        mut take: impl FnMut(&str) -> Option<Value>,
    ) -> Result<Repaired, GenerateError> {
        let plan = &self.plan;
        // The engine's values, generated only for the fields the repair takes from it.
        let wanted: Vec<bool> = plan.fields.iter().zip(present).map(|(n, p)| engine_owned(n) || !p).collect();
        let mut engine = self.members(seed, index, &wanted)?;
        let mut slots: Vec<Value> = Vec::with_capacity(plan.fields.len());
        let mut repaired = vec![false; plan.fields.len()];
        for (k, node) in plan.fields.iter().enumerate() {
            let value = match present[k] {
                _ if engine_owned(node) => engine[k].take().unwrap_or(Value::Null),
                true => take(&node.name).unwrap_or(Value::Null),
                false => {
                    repaired[k] = true;
                    engine[k].take().unwrap_or(Value::Null)
                }
            };
            slots.push(value);
        }
        recompute(plan, &mut slots);
        for _round in 0..2 {
            let broken = self.broken_fields(&slots);
            if broken.is_empty() {
                return Ok(self.finish(slots, &repaired));
            }
            let mut replace = vec![false; plan.fields.len()];
            for k in broken {
                for j in std::iter::once(k).chain(related(&plan.fields[k])) {
                    replace[j] |= !engine_owned(&plan.fields[j]);
                }
            }
            let mut engine = self.members(seed, index, &replace)?;
            for (j, value) in engine.iter_mut().enumerate().filter(|(j, _)| replace[*j]) {
                slots[j] = value.take().unwrap_or(Value::Null);
                repaired[j] = true;
            }
            recompute(plan, &mut slots);
        }
        Ok(self.replaced(self.nth(seed, index)?))
    }

    /// The top-level fields (indexes) named by the violations of the record in slot form.
    fn broken_fields(&self, slots: &[Value]) -> BTreeSet<usize> {
        let members: Vec<Option<&Value>> = slots.iter().map(Some).collect();
        let mut violations = Vec::new();
        let checker = validate::Checker { ctx: &self.ctx, positional: false };
        validate::members_of(&self.plan, &members, &validate::Path::Root, &checker, &mut violations);
        violations
            .iter()
            .map(|v| top_level(&v.path))
            .filter_map(|name| self.plan.fields.iter().position(|n| n.name == name))
            .collect()
    }

    fn finish(&self, slots: Vec<Value>, repaired: &[bool]) -> Repaired {
        let fields = self.plan.fields.iter().zip(repaired).filter(|(_, r)| **r).map(|(n, _)| n.name.clone());
        let record: Map<String, Value> = self.plan.fields.iter().map(|n| n.name.clone()).zip(slots).collect();
        Repaired { record: Value::Object(record), fields: fields.collect(), replaced: false }
    }

    fn replaced(&self, engine: Value) -> Repaired {
        Repaired { record: engine, fields: Vec::new(), replaced: true }
    }

    /// The top-level fields a source outside the engine should write: not fixed, not an ID
    /// template or UUID, not `unique`, not a reference, not computed. These are the fields an
    /// LLM prompt asks for and [`Schema::repair`] keeps when they are valid.
    pub fn free_fields(&self) -> impl Iterator<Item = &str> + '_ {
        self.plan
            .fields
            .iter()
            .filter(|n| !engine_owned(n) && !matches!(n.how, NodeGen::Compute { .. }))
            .map(|n| n.name.as_str())
    }

    /// The free top-level text fields whose values should differ between the records of one
    /// answer (names, emails, phones, free text): not enums, not categorical kinds such as
    /// city or currency. A repeated value in these is the mark of a model's favourite answer.
    pub fn distinct_fields(&self) -> impl Iterator<Item = &str> + '_ {
        self.plan.fields.iter().filter(|n| !engine_owned(n) && distinct(n)).map(|n| n.name.as_str())
    }
}

/// Whether the engine, not an outside source, writes the field.
pub(super) fn engine_owned(node: &Node) -> bool {
    node.unique.is_some()
        || matches!(
            node.how,
            NodeGen::Const(_)
                | NodeGen::Template(_)
                | NodeGen::Ref { .. }
                | NodeGen::Kind { kind: Kind::Uuid, .. }
        )
}

/// Whether a field's values should be distinct across records.
fn distinct(node: &Node) -> bool {
    match &node.how {
        NodeGen::Text { .. } => true,
        NodeGen::Kind { kind, .. } => matches!(
            kind,
            Kind::FullName
                | Kind::Username
                | Kind::Email
                | Kind::SafeEmail
                | Kind::Phone
                | Kind::CellPhone
                | Kind::Street
                | Kind::CreditCard
                | Kind::Iban
                | Kind::ProductName
                | Kind::Sentence
                | Kind::Paragraph
        ),
        _ => false,
    }
}

/// The siblings a field's cross-field rules refer to.
fn related(node: &Node) -> impl Iterator<Item = usize> + '_ {
    node.rel
        .as_ref()
        .map(|r| r.other)
        .into_iter()
        .chain(node.limit.map(|l| l.other))
        .chain(node.present_if.as_ref().map(|p| p.0))
}

/// The top-level member of a violation path (`items[2].price` → `items`).
fn top_level(path: &str) -> &str {
    let end = path.find(['.', '[']).unwrap_or(path.len());
    &path[..end]
}

/// Recomputes the computed fields of an object in slot form, dependencies first; nested
/// objects (and objects in arrays) too.
fn recompute(plan: &ObjectPlan, slots: &mut [Value]) {
    for &k in &plan.order {
        match &plan.fields[k].how {
            NodeGen::Compute { rule, scale, integer, .. } => {
                slots[k] = dynamic::computed(rule, *scale, *integer, slots, plan);
            }
            NodeGen::Object(inner) => recompute_map(inner, &mut slots[k]),
            NodeGen::Array { item, .. } => {
                if let (NodeGen::Object(inner), Value::Array(elements)) = (&item.how, &mut slots[k]) {
                    for e in elements {
                        recompute_map(inner, e);
                    }
                }
            }
            _ => {}
        }
    }
}

/// [`recompute`] for an object in map form.
fn recompute_map(plan: &ObjectPlan, value: &mut Value) {
    if !has_compute(plan) {
        return;
    }
    let Value::Object(map) = value else { return };
    let mut slots: Vec<Value> =
        plan.fields.iter().map(|n| map.get(&n.name).cloned().unwrap_or(Value::Null)).collect();
    recompute(plan, &mut slots);
    for (n, v) in plan.fields.iter().zip(slots) {
        if matches!(n.how, NodeGen::Compute { .. }) || map.contains_key(&n.name) {
            map.insert(n.name.clone(), v);
        }
    }
}

fn has_compute(plan: &ObjectPlan) -> bool {
    plan.fields.iter().any(|n| match &n.how {
        NodeGen::Compute { .. } => true,
        NodeGen::Object(inner) => has_compute(inner),
        NodeGen::Array { item, .. } => matches!(&item.how, NodeGen::Object(inner) if has_compute(inner)),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::Schema;

    fn cart() -> Schema {
        Schema::from_json(include_str!("../../schemas/ecommerce/cart.json")).unwrap()
    }

    #[test]
    fn a_field_alone_is_the_records_field() {
        for source in [
            include_str!("../../schemas/ecommerce/cart.json"),
            include_str!("../../schemas/ecommerce/order.json"),
            include_str!("../../../testdata-server/schemas/ecommerce/product.json"),
            include_str!("../../schemas/ecommerce/payment.json"),
        ] {
            let schema = Schema::from_json(source).unwrap();
            for i in 0..100 {
                let record = schema.nth(4, i).unwrap();
                for field in &schema.def().fields {
                    assert_eq!(
                        schema.field_value(4, i, &field.name).unwrap(),
                        record[&field.name],
                        "{}",
                        field.name
                    );
                }
            }
        }
    }

    #[test]
    fn an_engine_record_needs_no_repair() {
        let schema = cart();
        for i in 0..200 {
            let r = schema.nth(3, i).unwrap();
            let fixed = schema.repair(3, i, &r).unwrap();
            assert!(!fixed.changed(), "{i}: {fixed:?}");
            assert_eq!(fixed.record, r);
        }
    }

    #[test]
    fn garbage_is_replaced_and_always_validates() {
        let schema = cart();
        let candidates = [
            json!(null),
            json!("a cart"),
            json!([1, 2]),
            json!({}),
            json!({"items": "none", "subtotal": -1, "status": 7}),
            json!({"items": [{"quantity": -4, "price": "cheap"}], "created_at": "yesterday"}),
        ];
        for (i, c) in candidates.iter().enumerate() {
            let fixed = schema.repair(9, i as u64, c).unwrap();
            assert!(fixed.changed());
            schema.validate(&fixed.record).unwrap_or_else(|e| panic!("{c}: {e}"));
        }
    }

    #[test]
    fn computed_fields_follow_the_candidates_items() {
        let schema = cart();
        let mut r = schema.nth(5, 0).unwrap();
        let items = r["items"].as_array_mut().unwrap();
        items.truncate(1);
        items[0]["quantity"] = json!(2);
        items[0]["price"] = json!(10.5);
        r["subtotal"] = json!(1);
        r["total"] = json!(1);
        let fixed = schema.repair(5, 0, &r).unwrap();
        schema.validate(&fixed.record).unwrap();
        assert_eq!(fixed.record["subtotal"], json!(21.0));
        assert_eq!(fixed.record["items"], r["items"]);
    }
}
