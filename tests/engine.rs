//! Acceptance tests of the engine's runtime-schema path (issue: engine core).

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use testdata::{Context, Schema, Seed};
use testdata_suite::{SCHEMAS, schema, schema_text};

fn cents(v: &Value) -> i64 {
    // Exact: the JSON text of the number, read as a decimal with at most 2 places.
    let s = v.to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    assert!(frac.len() <= 2, "more than 2 decimals: {s}");
    let frac = format!("{frac:0<2}");
    int.parse::<i64>().unwrap() * 100
        + frac.parse::<i64>().unwrap() * if int.starts_with('-') { -1 } else { 1 }
}

#[test]
fn ten_thousand_seeds_validate_and_rules_hold_exactly() {
    for (name, _) in SCHEMAS {
        let s = schema(name);
        for seed in 0..10_000u64 {
            let r = s.nth(seed, seed % 7).unwrap();
            if let Err(e) = s.validate(&r) {
                panic!("{name} seed {seed}: {e}\n{r:#}");
            }
            match *name {
                "cart" | "order" => {
                    let items = r["items"].as_array().unwrap();
                    let sub: i64 =
                        items.iter().map(|i| i["quantity"].as_i64().unwrap() * cents(&i["price"])).sum();
                    assert_eq!(cents(&r["subtotal"]), sub, "{name} seed {seed} subtotal");
                    let rate_bp = if *name == "cart" { 800 } else { 825 };
                    let tax = (sub * rate_bp + 5_000) / 10_000; // half up, non-negative
                    assert_eq!(cents(&r["tax"]), tax, "{name} seed {seed} tax");
                    let ship = if *name == "order" { cents(&r["shipping"]) } else { 0 };
                    assert_eq!(cents(&r["total"]), sub + tax + ship, "{name} seed {seed} total");
                    if let Some(u) = r["updated_at"].as_str() {
                        assert!(u >= r["created_at"].as_str().unwrap(), "{name} seed {seed} dates");
                    }
                }
                "payment" => {
                    let c = r["created_at"].as_str().unwrap();
                    if let Some(a) = r["authorized_at"].as_str() {
                        assert!(a >= c);
                        if let Some(cap) = r["captured_at"].as_str() {
                            assert!(cap >= a);
                        }
                    }
                }
                "user" => {
                    if let Some(l) = r["last_login"].as_str() {
                        assert!(l >= r["created_at"].as_str().unwrap());
                    }
                }
                _ => unreachable!(),
            }
        }
    }
}

#[test]
fn nth_equals_batch_and_iter() {
    for (name, _) in SCHEMAS {
        let s = schema(name);
        let batch = s.batch(7, 200).unwrap();
        for (i, r) in batch.iter().enumerate() {
            assert_eq!(&s.nth(7, i as u64).unwrap(), r, "{name} {i}");
        }
        let resumed: Vec<Value> = s.iter(7, 150).take(50).map(Result::unwrap).collect();
        assert_eq!(&batch[150..], &resumed[..]);
        s.validate_all(&batch).unwrap();
    }
}

#[test]
fn string_and_numeric_seeds() {
    let s = schema("cart");
    assert_eq!(s.nth("nightly", 3).unwrap(), s.nth(Seed::from("nightly"), 3).unwrap());
    assert_ne!(s.nth("nightly", 3).unwrap(), s.nth("nightly ", 3).unwrap());
    assert_ne!(s.nth(1, 0).unwrap(), s.nth(2, 0).unwrap());
}

#[test]
fn adding_a_field_changes_no_other_value() {
    for (name, text) in SCHEMAS {
        let base = schema(name);
        let mut v: Value = serde_json::from_str(text).unwrap();
        let fields = v["fields"].as_array_mut().unwrap();
        fields.insert(1, json!({"name": "extra_note", "type": "string", "kind": "sentence"}));
        fields.push(json!({"name": "extra_score", "type": "integer", "min": 0, "max": 9}));
        let wider = Schema::from_value(v).unwrap();
        for i in 0..500 {
            let a = base.nth(11, i).unwrap();
            let mut b = wider.nth(11, i).unwrap();
            let obj = b.as_object_mut().unwrap();
            assert!(obj.shift_remove("extra_note").is_some());
            assert!(obj.shift_remove("extra_score").is_some());
            assert_eq!(a, b, "{name} record {i}");
        }
    }
}

#[test]
fn removing_or_reordering_fields_changes_no_other_value() {
    let text = schema_text("payment");
    let base = schema("payment");
    let mut v: Value = serde_json::from_str(text).unwrap();
    let fields = v["fields"].as_array_mut().unwrap();
    fields.reverse();
    fields.retain(|f| f["name"] != "method");
    let other = Schema::from_value(v).unwrap();
    for i in 0..300 {
        let a = base.nth(5, i).unwrap();
        let b = other.nth(5, i).unwrap();
        for (k, val) in b.as_object().unwrap() {
            assert_eq!(&a[k], val, "field {k} of record {i}");
        }
    }
}

fn expect_error(schema: Value, field: &str, rule_hint: &str) {
    let start = Instant::now();
    let err = Schema::from_value(schema).expect_err("the schema must be rejected");
    assert!(start.elapsed() < Duration::from_millis(100), "took {:?}", start.elapsed());
    let msg = err.to_string();
    assert!(msg.contains(field), "error does not name `{field}`: {msg}");
    assert!(msg.contains(rule_hint), "error does not mention `{rule_hint}`: {msg}");
}

#[test]
fn contradictions_are_clear_errors() {
    let one = |f: Value| json!({"name": "t", "fields": [{"name": "ok", "type": "integer"}, f]});
    expect_error(one(json!({"name": "age", "type": "integer", "min": 90, "max": 18})), "age", "greater than");
    expect_error(
        one(json!({"name": "price", "type": "decimal", "min": 10, "max": 1})),
        "price",
        "greater than",
    );
    expect_error(
        one(json!({"name": "ratio", "type": "float", "min": 1.5, "max": 0.5})),
        "ratio",
        "greater than",
    );
    expect_error(
        one(json!({"name": "day", "type": "date", "min": "2025-02-01", "max": "2025-01-01"})),
        "day",
        "after",
    );
    expect_error(
        one(json!({"name": "code", "type": "string", "min_length": 9, "max_length": 3})),
        "code",
        "greater than",
    );
    expect_error(
        one(
            json!({"name": "sku", "type": "string", "pattern": "[A-Z]{3}", "min_length": 5, "max_length": 9}),
        ),
        "sku",
        "pattern",
    );
    expect_error(one(json!({"name": "tier", "type": "enum", "values": []})), "tier", "empty");
    expect_error(
        one(json!({"name": "tier", "type": "enum", "values": ["a", "b"], "weights": [1]})),
        "tier",
        "weights",
    );
    expect_error(one(json!({"name": "id", "type": "string", "format": "X{digits}"})), "id", "count");
    expect_error(one(json!({"name": "mail", "type": "string", "kind": "emial"})), "mail", "unknown kind");
    expect_error(
        json!({"name": "t", "fields": [
            {"name": "a", "type": "decimal", "compute": {"sum": ["b"]}},
            {"name": "b", "type": "decimal", "compute": {"sum": ["a"]}}
        ]}),
        "a → b",
        "cycle",
    );
    expect_error(
        one(json!({"name": "total", "type": "decimal", "compute": {"sum": ["nope"]}})),
        "total",
        "nope",
    );
    // Unique over a space too small for the request: an error up front, naming the field.
    let s = Schema::from_value(one(
        json!({"name": "code", "type": "string", "format": "C-{digits:2}", "unique": true}),
    ))
    .unwrap();
    let e = s.batch(1, 101).unwrap_err().to_string();
    assert!(e.contains("code") && e.contains("100"), "{e}");
    assert_eq!(s.batch(1, 100).unwrap().len(), 100);
    s.validate_all(&s.batch(1, 100).unwrap()).unwrap();
    // Malformed JSON and unknown keys say where.
    let e =
        Schema::from_json(r#"{"name": "t", "fields": [{"name": "a", "typo": 1}]}"#).unwrap_err().to_string();
    assert!(e.contains("typo"), "{e}");
}

#[test]
fn validate_reports_every_violation_with_its_path() {
    let s = schema("cart");
    let mut r = s.nth(3, 0).unwrap();
    r["items"][0]["price"] = json!(0);
    r["items"][0]["quantity"] = json!(500);
    r["total"] = json!(1.005);
    r["currency"] = json!("EUR");
    r.as_object_mut().unwrap().remove("created_at");
    let errs = s.validate(&r).unwrap_err().0;
    let paths: Vec<(&str, &str)> = errs.iter().map(|v| (v.path.as_str(), v.rule)).collect();
    for want in [
        ("items[0].price", "min"),
        ("items[0].quantity", "max"),
        ("subtotal", "computed"),
        ("total", "computed"),
        ("currency", "one_of"),
        ("created_at", "required"),
    ] {
        assert!(paths.contains(&want), "missing {want:?} in {paths:?}");
    }
}

#[test]
fn dates_follow_the_anchor_not_the_wall_clock() {
    let s = schema("order");
    let a = s.batch(9, 50).unwrap();
    // Another reference instant moves the dates; the same one reproduces them exactly.
    let moved = schema("order").with_context(Context::default().with_anchor(1_800_000_000)).unwrap();
    let b = moved.batch(9, 50).unwrap();
    assert_ne!(a, b);
    assert_eq!(a, schema("order").batch(9, 50).unwrap());
    for r in &a {
        assert!(r["created_at"].as_str().unwrap() <= "2025-01-01T00:00:00Z");
        assert!(r["order_id"].as_str().unwrap().starts_with("ORD-2025-"));
    }
    for r in &b {
        assert!(r["order_id"].as_str().unwrap().starts_with("ORD-2027-"));
    }
}

/// Prints records for the two-process test below (only when asked).
#[test]
fn print_records_for_subprocess() {
    if std::env::var("TESTDATA_PRINT_RECORDS").is_err() {
        return;
    }
    for (name, _) in SCHEMAS {
        let s = schema(name);
        println!("\nRECORDS {}", serde_json::to_string(&s.batch(2024, 100).unwrap()).unwrap());
    }
}

#[test]
fn two_processes_produce_identical_bytes() {
    let run = || {
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "print_records_for_subprocess", "--nocapture", "--test-threads=1"])
            .env("TESTDATA_PRINT_RECORDS", "1")
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines().filter_map(|l| l.strip_prefix("RECORDS ")).map(str::to_string).collect::<Vec<_>>()
    };
    let (a, b) = (run(), run());
    assert_eq!(a.len(), SCHEMAS.len());
    assert_eq!(a, b);
    // ... and equal to this process's own output.
    let here: Vec<String> = SCHEMAS
        .iter()
        .map(|(n, _)| serde_json::to_string(&schema(n).batch(2024, 100).unwrap()).unwrap())
        .collect();
    assert_eq!(a, here);
}

#[test]
fn json_schema_export_describes_the_record() {
    let js = schema("cart").json_schema();
    assert_eq!(js["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(js["type"], "object");
    assert_eq!(js["properties"]["items"]["type"], "array");
    assert_eq!(js["properties"]["items"]["items"]["properties"]["quantity"]["maximum"], 99);
    assert_eq!(js["properties"]["currency"]["enum"], json!(["USD", "CAD"]));
    let round = Schema::from_json(&schema("cart").to_json()).unwrap();
    assert_eq!(round.nth(1, 1).unwrap(), schema("cart").nth(1, 1).unwrap());
}
