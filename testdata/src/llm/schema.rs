//! The JSON Schema of an answer: an object whose `records` array holds exactly the batch's
//! count of records, each with the fields a model writes ([`Schema::free_fields`]), in the
//! dialect each vendor accepts. Vendors enforce only part of JSON Schema (Anthropic drops
//! bounds, lengths and patterns), so the engine's validation stays the guarantee.

use serde_json::{Map, Value, json};

use crate::Schema;

/// The JSON Schema vocabulary of a vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Anthropic structured output / tool input: no numeric bounds, lengths, patterns or
    /// item counts above 1.
    Anthropic,
    /// OpenAI-compatible servers (OpenAI strict mode, vLLM, llama.cpp grammars): bounds,
    /// lengths, patterns and item counts kept; no `multipleOf`.
    OpenAi,
}

/// The JSON Schema of one record as a model writes it: the free fields of `schema`.
pub fn record_schema(schema: &Schema) -> Value {
    let doc = schema.json_schema();
    let free: Vec<&str> = schema.free_fields().collect();
    let mut properties = Map::new();
    if let Some(all) = doc.get("properties").and_then(Value::as_object) {
        for name in &free {
            if let Some(p) = all.get(*name) {
                properties.insert((*name).to_owned(), p.clone());
            }
        }
    }
    json!({"type": "object", "properties": properties, "required": free, "additionalProperties": false})
}

/// The JSON Schema of an answer with exactly `count` records.
pub fn answer_schema(record: &Value, count: usize) -> Value {
    json!({
        "type": "object",
        "properties": {"records": {"type": "array", "items": record, "minItems": count, "maxItems": count}},
        "required": ["records"],
        "additionalProperties": false,
    })
}

/// `schema` with the keywords `dialect` does not accept removed (and our `x-` extensions,
/// titles and examples, which no vendor needs).
pub fn for_dialect(schema: &Value, dialect: Dialect) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                if keep(k, v, dialect) {
                    let v = match k.as_str() {
                        // Maps of names to schemas: every member is a schema.
                        "properties" => match v {
                            Value::Object(props) => Value::Object(
                                props
                                    .iter()
                                    .map(|(name, s)| (name.clone(), for_dialect(s, dialect)))
                                    .collect(),
                            ),
                            other => other.clone(),
                        },
                        "enum" | "const" | "required" => v.clone(),
                        _ => for_dialect(v, dialect),
                    };
                    out.insert(k.clone(), v);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|s| for_dialect(s, dialect)).collect()),
        other => other.clone(),
    }
}

fn keep(key: &str, value: &Value, dialect: Dialect) -> bool {
    if key.starts_with("x-") || matches!(key, "$schema" | "title" | "examples" | "multipleOf") {
        return false;
    }
    match dialect {
        Dialect::OpenAi => {
            key != "format"
                || matches!(value.as_str(), Some("date" | "date-time" | "time" | "uuid" | "email"))
        }
        Dialect::Anthropic => match key {
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "minLength" | "maxLength"
            | "pattern" => false,
            "minItems" => value.as_u64().is_some_and(|n| n <= 1),
            "maxItems" => false,
            "format" => matches!(
                value.as_str(),
                Some("date" | "date-time" | "time" | "email" | "uri" | "uuid" | "ipv4" | "ipv6" | "hostname")
            ),
            _ => true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_schema_has_only_the_free_fields_and_anthropic_gets_no_bounds() {
        let schema = Schema::from_json(include_str!("../../schemas/ecommerce/cart.json")).unwrap();
        let record = record_schema(&schema);
        let props: Vec<&String> = record["properties"].as_object().unwrap().keys().collect();
        assert_eq!(props, ["items", "currency", "created_at", "updated_at"]);
        let anthropic = for_dialect(&answer_schema(&record, 3), Dialect::Anthropic).to_string();
        for word in ["minimum", "maxLength", "maxItems", "x-kind", "multipleOf"] {
            assert!(!anthropic.contains(word), "{word} in {anthropic}");
        }
        let openai = for_dialect(&answer_schema(&record, 3), Dialect::OpenAi);
        assert_eq!(openai["properties"]["records"]["minItems"], 3);
        assert!(openai.to_string().contains("\"maximum\":99"));
    }
}
