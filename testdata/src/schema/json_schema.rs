//! JSON Schema (draft 2020-12) export, for LLM structured output and for other tools.

use serde_json::{Map, Value, json};

use super::compile::{Node, NodeGen, ObjectPlan};
use super::decimal;
use super::def::{FieldDef, SchemaDef};
use crate::time;

/// The JSON Schema of a whole record.
pub(crate) fn document(def: &SchemaDef, plan: &ObjectPlan) -> Value {
    let mut root = object(plan, &def.fields);
    if let Value::Object(m) = &mut root {
        let mut head = Map::new();
        head.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
        head.insert("title".into(), json!(def.name));
        if let Some(d) = &def.description {
            head.insert("description".into(), json!(d));
        }
        head.append(m);
        *m = head;
    }
    root
}

fn object(plan: &ObjectPlan, defs: &[FieldDef]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for (node, def) in plan.fields.iter().zip(defs) {
        props.insert(node.name.clone(), field(node, Some(def)));
        required.push(json!(node.name));
    }
    json!({ "type": "object", "properties": props, "required": required, "additionalProperties": false })
}

fn field(node: &Node, def: Option<&FieldDef>) -> Value {
    let mut s = match &node.how {
        NodeGen::Const(v) => json!({ "const": v }),
        NodeGen::Kind { kind, fit, .. } => {
            let mut m = json!({ "type": "string", "x-kind": kind.name(), "description": kind.doc() });
            match kind.name() {
                "email" | "safe_email" => m["format"] = json!("email"),
                "uuid" => m["format"] = json!("uuid"),
                "ipv4" => m["format"] = json!("ipv4"),
                "ipv6" => m["format"] = json!("ipv6"),
                "url" => m["format"] = json!("uri"),
                _ => {}
            }
            if let Some((lo, hi)) = fit {
                m["minLength"] = json!(lo);
                m["maxLength"] = json!(hi);
            }
            m
        }
        NodeGen::Pattern(p) => {
            let (lo, hi) = p.len_range();
            json!({ "type": "string", "pattern": format!("^(?:{})$", p.as_str()), "minLength": lo, "maxLength": hi })
        }
        NodeGen::Template(t) => json!({ "type": "string", "x-format-template": t.as_str() }),
        NodeGen::Text { min, max, .. } => json!({ "type": "string", "minLength": min, "maxLength": max }),
        NodeGen::Int { lo, hi } => json!({ "type": "integer", "minimum": lo, "maximum": hi }),
        NodeGen::Float { lo, hi } => json!({ "type": "number", "minimum": lo, "maximum": hi }),
        NodeGen::Decimal { lo, hi, scale, .. } => json!({
            "type": "number",
            "minimum": decimal::to_value(*lo as i128, *scale as u32),
            "maximum": decimal::to_value(*hi as i128, *scale as u32),
            "multipleOf": decimal::to_value(1, *scale as u32),
        }),
        NodeGen::Bool { .. } => json!({ "type": "boolean" }),
        NodeGen::Date { lo, hi } => json!({
            "type": "string", "format": "date",
            "x-minimum": time::format_date(*lo), "x-maximum": time::format_date(*hi),
        }),
        NodeGen::Datetime { lo, hi } => json!({
            "type": "string", "format": "date-time",
            "x-minimum": time::format_datetime(*lo), "x-maximum": time::format_datetime(*hi),
        }),
        NodeGen::Choice { values, .. } => json!({ "enum": values }),
        NodeGen::Object(p) => {
            let defs: Vec<FieldDef> = match def.and_then(|d| d.fields.clone()) {
                Some(f) => f,
                None => p
                    .fields
                    .iter()
                    .map(|n| FieldDef { name: n.name.clone(), ..FieldDef::default() })
                    .collect(),
            };
            object(p, &defs)
        }
        NodeGen::Array { item, min, max } => {
            let item_def = def.and_then(|d| d.items.as_deref());
            json!({ "type": "array", "items": field(item, item_def), "minItems": min, "maxItems": max })
        }
        NodeGen::Compute { scale, integer, .. } => {
            if *integer {
                json!({ "type": "integer" })
            } else {
                json!({ "type": "number", "multipleOf": decimal::to_value(1, *scale as u32) })
            }
        }
        NodeGen::Json => json!({}),
        NodeGen::Ref { schema, field: f, count } => {
            json!({ "x-ref": { "entity": schema.name(), "field": f, "count": count } })
        }
    };
    if let (Some(d), Value::Object(m)) = (def, &mut s) {
        if let Some(desc) = &d.description {
            m.insert("description".into(), json!(desc));
        }
        if !d.examples.is_empty() {
            m.insert("examples".into(), Value::Array(d.examples.clone()));
        }
        if let Some(c) = &d.compute {
            m.insert("x-compute".into(), serde_json::to_value(c).unwrap_or(Value::Null));
        }
        if let Some(a) = &d.after {
            m.insert("x-after".into(), json!(a));
        }
        if let Some(b) = &d.before {
            m.insert("x-before".into(), json!(b));
        }
        if d.unique {
            m.insert("x-unique".into(), json!(true));
        }
    }
    if node.optional > 0.0 {
        s = json!({ "anyOf": [s, { "type": "null" }] });
    }
    s
}
