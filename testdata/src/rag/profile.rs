//! `production_like`: a production profile parameterises the engine, so a million records
//! follow it at engine speed. The profile changes the schema, never the generator:
//!
//! * `frequencies` → the weights of an enum's (or a value list's) values, among non-null
//!   records; values the profile does not name get weight 0 (a profile naming none of the
//!   field's values is ignored). For a boolean, the share of `"true"` is its probability.
//! * `quantiles` → a (non-computed) number's range, narrowed inside the schema's own: the widest range
//!   centred on the median that fits in both `[min, max]`s, so the generated median is the
//!   profile's median (the engine draws uniformly). On a numeric value list the same range
//!   selects the values (equal weights).
//! * `length` → an array's `min_items`/`max_items`, intersected with the schema's.
//! * `null_rate` → the field's `optional` probability (not on `present_if` fields, whose
//!   presence follows their condition).
//!
//! Paths are top-level names or `array.member` (each element's member). Computed fields
//! follow from their inputs; a profile entry naming an unknown field is ignored.

use std::collections::BTreeMap;

use serde_json::Value;

use super::document::{FieldProfile, Quantiles};
use crate::Schema;
use crate::error::SchemaError;
use crate::schema::{FieldDef, FieldType};

/// Scale of weights derived from frequencies.
const WEIGHT_SCALE: f64 = 100_000.0;

/// `schema` with the distributions of `profile` (see the [module docs](self)).
pub fn apply_profile(
    schema: &Schema,
    profile: &BTreeMap<String, FieldProfile>,
) -> Result<Schema, SchemaError> {
    let mut def = schema.def().clone();
    for (path, field_profile) in profile {
        if let Some(field) = field_at(&mut def.fields, path) {
            apply_field(field, field_profile);
        }
    }
    schema.with_def(def)
}

/// The field at `path` (`name` or `array.member`).
fn field_at<'a>(fields: &'a mut [FieldDef], path: &str) -> Option<&'a mut FieldDef> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let field = fields.iter_mut().find(|f| f.name == head)?;
    match rest {
        None => Some(field),
        Some(rest) => {
            let members = match field.items.as_deref_mut() {
                Some(element) => element.fields.as_mut()?,
                None => field.fields.as_mut()?,
            };
            field_at(members, rest)
        }
    }
}

fn apply_field(field: &mut FieldDef, profile: &FieldProfile) {
    if let Some(frequencies) = &profile.frequencies {
        apply_frequencies(field, frequencies);
    }
    if let Some(q) = profile.quantiles {
        apply_quantiles(field, q);
    }
    if let Some(length) = profile.length {
        let lo = length.min.max(field.min_items.unwrap_or(0));
        let hi = field.max_items.map_or(length.max, |m| length.max.min(m));
        if lo <= hi {
            field.min_items = Some(lo);
            field.max_items = Some(hi);
        }
    }
    if let Some(rate) = profile.null_rate
        && field.present_if.is_none()
        && (0.0..=1.0).contains(&rate)
    {
        field.optional = Some(rate);
    }
}

fn value_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn apply_frequencies(field: &mut FieldDef, frequencies: &BTreeMap<String, f64>) {
    if field.effective_type() == FieldType::Boolean {
        if let Some(p) = frequencies.get("true").copied().filter(|p| (0.0..=1.0).contains(p)) {
            field.probability = Some(p);
        }
        return;
    }
    let Some(values) = &field.values else { return };
    let weights: Vec<u32> = values
        .iter()
        .map(|v| frequencies.get(&value_key(v)).map_or(0, |f| (f.max(0.0) * WEIGHT_SCALE).round() as u32))
        .collect();
    if weights.iter().any(|w| *w > 0) {
        field.weights = Some(weights);
    }
}

fn apply_quantiles(field: &mut FieldDef, q: Quantiles) {
    // A computed value follows from its inputs: bounds narrowed onto it would not steer the
    // values, only make records that break them (refused at load or when generated).
    if field.compute.is_some() {
        return;
    }
    let number = |v: &Option<Value>| v.as_ref().and_then(Value::as_f64);
    let lo = number(&field.min).map_or(q.min, |m| q.min.max(m));
    let hi = number(&field.max).map_or(q.max, |m| q.max.min(m));
    let centre = q.p50.clamp(lo.min(hi), hi.max(lo));
    let radius = (centre - lo).min(hi - centre);
    if !(radius >= 0.0 && radius.is_finite()) {
        return;
    }
    let (lo, hi) = (centre - radius, centre + radius);
    if let Some(values) = &field.values {
        let weights: Vec<u32> =
            values.iter().map(|v| u32::from(v.as_f64().is_some_and(|x| (lo..=hi).contains(&x)))).collect();
        if weights.iter().any(|w| *w > 0) {
            field.weights = Some(weights);
        }
        return;
    }
    let ty = field.effective_type();
    let as_value = |x: f64| match ty {
        FieldType::Integer => Value::from(x.round() as i64),
        _ => serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number),
    };
    if matches!(ty, FieldType::Integer | FieldType::Decimal | FieldType::Float) {
        field.min = Some(as_value(lo));
        field.max = Some(as_value(hi));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::apply_profile;
    use crate::Schema;
    use crate::rag::document::{FieldProfile, Quantiles};

    #[test]
    fn quantiles_of_a_computed_field_leave_its_bounds_alone() {
        let schema = Schema::from_json(include_str!("../../schemas/ecommerce/cart.json")).unwrap();
        let quantiles = Some(Quantiles { min: 20.0, p50: 60.0, max: 100.0 });
        let profile =
            BTreeMap::from([("total".to_owned(), FieldProfile { quantiles, ..FieldProfile::default() })]);
        let shaped = apply_profile(&schema, &profile).expect("the profile applies");
        let total = shaped.def().fields.iter().find(|f| f.name == "total").unwrap();
        assert_eq!((total.min.clone(), total.max.clone()), (Some(serde_json::json!(0)), None));
        for i in 0..100 {
            let r = shaped.nth(1u64, i).unwrap();
            shaped.validate(&r).unwrap();
        }
    }
}
