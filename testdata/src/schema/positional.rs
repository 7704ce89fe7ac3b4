//! Records assembled from values outside the engine (a retrieved pattern's variation) in the
//! engine's positional form (a record is its top-level values in plan order; a nested object
//! is a `Value::Array` of its members in its plan's order), so they are checked and written
//! like the engine's own records: no maps, no key copies, no `serde_json` round trip.
//!
//! The conversion is exact or refused: an object converts only when it has exactly its plan's
//! members in plan order, so the positional record's checks and JSON are those of the map
//! form [`Schema::repair`] builds from the same values (test
//! `positional_records_are_checked_and_written_like_their_maps`).

use serde_json::{Map, Value};

use super::Schema;
use super::compile::{Node, NodeGen, ObjectPlan};
use crate::dynamic;
use crate::error::GenerateError;
use crate::seed::Seed;

impl Schema {
    /// How many top-level fields the schema has (the length of a positional record).
    pub(crate) fn field_count(&self) -> usize {
        self.plan.fields.len()
    }

    /// The name of top-level field `k`.
    pub(crate) fn field_name(&self, k: usize) -> &str {
        &self.plan.fields[k].name
    }

    /// The position of top-level field `name`.
    pub(crate) fn field_index(&self, name: &str) -> Option<usize> {
        self.plan.fields.iter().position(|n| n.name == name)
    }

    /// Whether the engine writes top-level field `k` whatever a candidate says (see
    /// [`Schema::repair`], rule 1).
    pub(crate) fn engine_owns(&self, k: usize) -> bool {
        super::repair::engine_owned(&self.plan.fields[k])
    }

    /// The value `v` of top-level field `k` in positional form, `None` when the conversion
    /// would not be exact (an object without exactly its members in order, or an array where
    /// an object is expected).
    pub(crate) fn positional_value(&self, k: usize, v: &Value) -> Option<Value> {
        positional(&self.plan.fields[k], v)
    }

    /// The top-level fields `wanted` marks of record `index` (and those they depend on) in
    /// positional form, as [`Schema::nth`] generates them; `null` for the others.
    pub(crate) fn member_slots(
        &self,
        seed: Seed,
        index: u64,
        wanted: &[bool],
    ) -> Result<Vec<Value>, GenerateError> {
        Ok(dynamic::member_slots(&self.plan, &self.env(seed, index), wanted)?.0)
    }

    /// Recomputes the computed fields of a positional record (nested ones too), dependencies
    /// first, as [`Schema::repair`] recomputes its map form.
    pub(crate) fn recompute_positional(&self, slots: &mut [Value]) {
        recompute(&self.plan, slots);
    }

    /// Appends a positional record as the compact JSON of its map form.
    pub(crate) fn write_positional(
        &self,
        slots: &[Value],
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        dynamic::write_object(&self.plan, slots, out)
    }
}

/// `v`, a value of field `node` in map form, in positional form (see
/// [`Schema::positional_value`]).
fn positional(node: &Node, v: &Value) -> Option<Value> {
    match (&node.how, v) {
        (NodeGen::Object(plan), Value::Object(map)) => positional_members(plan, map).map(Value::Array),
        (NodeGen::Object(_), Value::Array(_)) => None,
        (NodeGen::Array { item, .. }, Value::Array(elements)) if matches!(item.how, NodeGen::Object(_)) => {
            elements.iter().map(|e| positional(item, e)).collect::<Option<Vec<_>>>().map(Value::Array)
        }
        _ => Some(v.clone()),
    }
}

/// The members of an object in plan order, when it has exactly them, in that order.
fn positional_members(plan: &ObjectPlan, map: &Map<String, Value>) -> Option<Vec<Value>> {
    if map.len() != plan.fields.len() {
        return None;
    }
    plan.fields
        .iter()
        .zip(map)
        .map(|(n, (k, v))| if n.name == *k { positional(n, v) } else { None })
        .collect()
}

/// The computed members of a positional object, recomputed from its other members.
fn recompute(plan: &ObjectPlan, slots: &mut [Value]) {
    for &k in &plan.order {
        match &plan.fields[k].how {
            NodeGen::Compute { rule, scale, integer, .. } => {
                slots[k] = dynamic::computed(rule, *scale, *integer, slots, plan);
            }
            NodeGen::Object(inner) => {
                if let Value::Array(members) = &mut slots[k] {
                    recompute(inner, members);
                }
            }
            NodeGen::Array { item, .. } => {
                if let (NodeGen::Object(inner), Value::Array(elements)) = (&item.how, &mut slots[k]) {
                    for e in elements {
                        if let Value::Array(members) = e {
                            recompute(inner, members);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::Schema;

    fn cart() -> Schema {
        Schema::from_json(include_str!("../../schemas/ecommerce/cart.json")).unwrap()
    }

    /// The positional form of a record in map form (every field present and convertible).
    fn slots(schema: &Schema, record: &Value) -> Vec<Value> {
        let map = record.as_object().unwrap();
        (0..schema.field_count())
            .map(|k| schema.positional_value(k, &map[&schema.plan.fields[k].name]).unwrap())
            .collect()
    }

    #[test]
    fn positional_records_are_checked_and_written_like_their_maps() {
        let schema = cart();
        for i in 0..200 {
            let mut record = schema.nth(2, i).unwrap();
            if i % 2 == 1 {
                // Break an item's price and the total in both forms.
                record["items"][0]["price"] = json!(1234.5);
                record["total"] = json!(-1);
            }
            let mut positional = slots(&schema, &record);
            let violations = schema.validate(&record).err().map(|v| v.0).unwrap_or_default();
            assert_eq!(schema.check_positional(&positional), violations, "record {i}");
            let mut written = Vec::new();
            schema.write_positional(&positional, &mut written).unwrap();
            assert_eq!(written, serde_json::to_vec(&record).unwrap(), "record {i}");
            // Recomputed, the totals are the engine's again.
            schema.recompute_positional(&mut positional);
            let fixed = schema.repair(2, i, &record).unwrap();
            if fixed.fields.is_empty() && !fixed.replaced {
                let mut written = Vec::new();
                schema.write_positional(&positional, &mut written).unwrap();
                assert_eq!(written, serde_json::to_vec(&fixed.record).unwrap(), "record {i}");
            }
        }
    }

    #[test]
    fn objects_convert_only_with_exactly_their_members_in_order() {
        let schema = cart();
        let items = schema.field_index("items").unwrap();
        let item = json!({"sku": "A-1", "name": "Mug", "quantity": 1, "price": 2.5, "category": "Home"});
        assert!(schema.positional_value(items, &json!([item])).is_some());
        let reordered = json!({"name": "Mug", "sku": "A-1", "quantity": 1, "price": 2.5, "category": "Home"});
        let missing = json!({"sku": "A-1", "name": "Mug", "quantity": 1, "price": 2.5});
        let extra =
            json!({"sku": "A-1", "name": "Mug", "quantity": 1, "price": 2.5, "category": "Home", "x": 1});
        for element in [reordered, missing, extra, json!(["A-1", "Mug", 1, 2.5, "Home"])] {
            assert_eq!(schema.positional_value(items, &json!([element])), None, "{element}");
        }
        // Scalars stay what they are (the checks report them).
        assert_eq!(schema.positional_value(items, &json!("none")), Some(json!("none")));
    }
}
