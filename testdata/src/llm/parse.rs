//! Reading records out of a model's text: the answer object `{"records": [...]}`, a bare
//! array, or one record; inside code fences or prose; and, from a truncated answer, every
//! record that was complete before the cut.

use serde_json::Value;

/// The records found in an answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    /// The complete records, in order (any JSON value; the repair checks them).
    pub records: Vec<Value>,
    /// Whether the answer was whole JSON (else: salvaged from a truncated or broken text).
    pub whole: bool,
}

/// The records of `text`.
pub fn records(text: &str) -> Parsed {
    let body = strip_fences(text);
    if let Some(start) = body.find(['{', '[']) {
        let mut stream = serde_json::Deserializer::from_str(&body[start..]).into_iter::<Value>();
        if let Some(Ok(v)) = stream.next() {
            return Parsed { records: unwrap_answer(v), whole: true };
        }
    }
    Parsed { records: salvage(body), whole: false }
}

/// The records of a whole answer value.
fn unwrap_answer(v: Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("records") {
            Some(Value::Array(items)) => items,
            Some(other) => vec![other],
            None => {
                // Some models name the array after the entity (`{"reviews": [...]}`).
                let arrays: Vec<_> =
                    map.iter().filter(|(_, v)| v.is_array()).map(|(k, _)| k.clone()).collect();
                match arrays.as_slice() {
                    [only] if map.len() == 1 => match map.remove(only) {
                        Some(Value::Array(items)) => items,
                        _ => Vec::new(),
                    },
                    _ => vec![Value::Object(map)],
                }
            }
        },
        other => vec![other],
    }
}

/// The text inside a Markdown code fence, if the answer has one.
fn strip_fences(text: &str) -> &str {
    let t = text.trim();
    let Some(rest) = t.strip_prefix("```") else { return t };
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    rest.rsplit_once("```").map_or(rest, |(inner, _)| inner).trim()
}

/// The complete elements of the first JSON array of a truncated text (`{"records": [{…}, {…}, {…`).
fn salvage(text: &str) -> Vec<Value> {
    let bytes = text.as_bytes();
    let Some(open) = text.find('[') else { return Vec::new() };
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut start = None;
    for (i, &b) in bytes.iter().enumerate().skip(open + 1) {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                if depth == 0 {
                    start = Some(i);
                }
                depth += 1;
            }
            b'}' | b']' if depth > 0 => {
                depth -= 1;
                if depth == 0
                    && let Some(s) = start.take()
                    && let Ok(v) = serde_json::from_str(&text[s..=i])
                {
                    out.push(v);
                }
            }
            b']' => break,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn answers_in_every_shape() {
        let two = vec![json!({"a": 1}), json!({"a": 2})];
        for text in [
            r#"{"records": [{"a": 1}, {"a": 2}]}"#,
            r#"[{"a": 1}, {"a": 2}]"#,
            "```json\n{\"records\": [{\"a\": 1}, {\"a\": 2}]}\n```",
            "Here you go:\n{\"reviews\": [{\"a\": 1}, {\"a\": 2}]}\nEnjoy!",
        ] {
            assert_eq!(records(text), Parsed { records: two.clone(), whole: true }, "{text}");
        }
    }

    #[test]
    fn a_truncated_answer_keeps_its_complete_records() {
        let text = r#"{"records": [{"a": 1, "s": "x}]"}, {"a": [2, {"b": 3}]}, {"a": 3, "s": "unfini"#;
        let parsed = records(text);
        assert!(!parsed.whole);
        assert_eq!(parsed.records, vec![json!({"a": 1, "s": "x}]"}), json!({"a": [2, {"b": 3}]})]);
        assert_eq!(records("no json at all").records, Vec::<Value>::new());
    }
}
