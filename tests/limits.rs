//! Hostile runtime schemas (issue 16): each refused with a load error that names the field and
//! the rule, or compiled in linear time and without exhausting the stack.

use serde_json::json;
use testdata::Schema;

fn load_error(schema: serde_json::Value) -> String {
    match Schema::from_value(schema) {
        Ok(_) => panic!("the schema loaded; expected a load error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_chain_of_100000_copies_compiles_without_overflowing_the_stack() {
    // Each field copies the one before: the dependency order is 100,000 deep. A recursive
    // walk overflowed the thread's stack (the process aborted).
    let mut fields = vec![json!({"name": "f0", "type": "integer", "min": 1, "max": 9})];
    fields.extend((1..100_000).map(
        |i| json!({"name": format!("f{i}"), "type": "integer", "compute": {"copy": format!("f{}", i - 1)}}),
    ));
    let schema = Schema::from_value(json!({"name": "chain", "fields": fields})).expect("compiles");
    let record = schema.nth(7u64, 0).expect("generates");
    assert_eq!(record["f99999"], record["f0"]);
}

#[test]
fn a_cycle_error_lists_the_fields_of_the_cycle() {
    let e = load_error(json!({"name": "t", "fields": [
        {"name": "a", "type": "integer", "compute": {"copy": "b"}},
        {"name": "b", "type": "integer", "compute": {"copy": "c"}},
        {"name": "c", "type": "integer", "compute": {"copy": "a"}}
    ]}));
    assert!(e.contains("a → b → c → a"), "{e}");
    assert!(!e.contains("fields  "), "{e}");
}

#[test]
fn dates_outside_years_1_to_9999_are_refused_up_front() {
    for (min, max, year) in [
        ("-99999d", "+99999y", "year 10"),
        ("2020-01-01", "+99999y", "year 10"),
        ("-9999999y", "now", "year -"),
    ] {
        let e = load_error(
            json!({"name": "t", "fields": [{"name": "d", "type": "date", "min": min, "max": max}]}),
        );
        assert!(e.contains("0001 to 9999") && e.contains(year), "{min}..{max}: {e}");
    }
    // Bounds whose arithmetic would overflow are refused too (not a panic).
    let e = load_error(
        json!({"name": "t", "fields": [{"name": "d", "type": "datetime", "min": "+9223372036854775807s"}]}),
    );
    assert!(e.contains("d"), "{e}");
    let e = load_error(
        json!({"name": "t", "fields": [{"name": "d", "type": "datetime", "exclusive_min": i64::MAX}]}),
    );
    assert!(e.contains("0001 to 9999"), "{e}");
    // The whole allowed range still works.
    let s = Schema::from_value(
        json!({"name": "t", "fields": [{"name": "d", "type": "date", "min": "0001-01-01", "max": "9999-12-31"}]}),
    );
    assert!(s.is_ok(), "{s:?}");
}

#[test]
fn keys_that_do_not_apply_to_the_type_name_the_key_to_use() {
    let field = |f: serde_json::Value| load_error(json!({"name": "t", "fields": [f]}));
    let e = field(
        json!({"name": "tags", "type": "array", "min_length": 2, "max_length": 3, "items": {"type": "string"}}),
    );
    assert!(e.contains("`min_length` does not apply") && e.contains("use `min_items`"), "{e}");
    let e = field(json!({"name": "code", "type": "string", "max_items": 3}));
    assert!(e.contains("use `max_length`"), "{e}");
    let e = field(json!({"name": "code", "type": "string", "min": 3}));
    assert!(e.contains("`min` does not apply") && e.contains("min_length"), "{e}");
    let e = field(json!({"name": "n", "type": "integer", "after": "m"}));
    assert!(e.contains("`after` does not apply"), "{e}");
    // Unknown keys (typos) are refused, naming the key.
    let e = field(json!({"name": "n", "type": "integer", "maximum": 3}));
    assert!(e.contains("maximum"), "{e}");
}

#[test]
fn an_integer_bound_past_i64_says_out_of_range() {
    let e = load_error(json!({"name": "t", "fields": [{"name": "n", "type": "integer", "max": u64::MAX}]}));
    assert!(e.contains("out of range") && !e.contains("not an integer"), "{e}");
}
