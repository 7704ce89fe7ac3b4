//! Cross-field rules of runtime schemas: status ↔ timestamps (`present_if`), number limits
//! (`at_most` / `at_least`), buckets, and references between entities of a catalogue.

use serde_json::{Value, json};
use testdata::Schema;
use testdata::schema::{Catalogue, CatalogueError};

fn payment() -> Schema {
    Schema::from_value(json!({
        "name": "payment",
        "fields": [
            {"name": "status", "type": "enum", "values": ["pending", "authorized", "captured"]},
            {"name": "created_at", "type": "datetime"},
            {"name": "authorized_at", "type": "datetime", "after": "created_at", "max_gap": "1h",
             "present_if": {"field": "status", "in": ["authorized", "captured"]}},
            {"name": "captured_at", "type": "datetime", "after": "authorized_at", "max_gap": "2d",
             "present_if": {"field": "status", "in": ["captured"]}}
        ]
    }))
    .unwrap()
}

#[test]
fn present_if_ties_timestamps_to_status() {
    let s = payment();
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..3000 {
        let r = s.nth(3, i).unwrap();
        s.validate(&r).unwrap();
        let status = r["status"].as_str().unwrap();
        seen.insert(status.to_string());
        assert_eq!(r["authorized_at"].is_null(), status == "pending", "{r}");
        assert_eq!(r["captured_at"].is_null(), status != "captured", "{r}");
        if status == "captured" {
            assert!(r["captured_at"].as_str() >= r["authorized_at"].as_str());
        }
    }
    assert_eq!(seen.len(), 3);
    let mut bad = s.nth(3, 0).unwrap();
    bad["status"] = json!("pending");
    bad["authorized_at"] = json!("2024-01-01T00:00:00Z");
    let errs = s.validate(&bad).unwrap_err().0;
    assert!(errs.iter().any(|v| v.path == "authorized_at" && v.rule == "present_if"), "{errs:?}");
}

#[test]
fn at_most_and_difference_keep_inventory_arithmetic() {
    let s = Schema::from_value(json!({
        "name": "inventory",
        "fields": [
            {"name": "quantity_on_hand", "type": "integer", "min": 0, "max": 500},
            {"name": "quantity_reserved", "type": "integer", "min": 0, "max": 500, "at_most": "quantity_on_hand"},
            {"name": "quantity_available", "type": "integer", "min": 0, "compute": {"difference": ["quantity_on_hand", "quantity_reserved"]}},
            {"name": "initial_value", "type": "decimal", "min": 10, "max": 500},
            {"name": "current_balance", "type": "decimal", "min": 0, "max": 500, "at_most": "initial_value"}
        ]
    }))
    .unwrap();
    for i in 0..5000 {
        let r = s.nth(8, i).unwrap();
        s.validate(&r).unwrap();
        let (h, res, a) = (
            r["quantity_on_hand"].as_i64().unwrap(),
            r["quantity_reserved"].as_i64().unwrap(),
            r["quantity_available"].as_i64().unwrap(),
        );
        assert!(res <= h && a == h - res, "{r}");
        assert!(r["current_balance"].as_f64() <= r["initial_value"].as_f64());
    }
    // A limit that can never hold is a load error naming the field.
    let e = Schema::from_value(json!({"name": "x", "fields": [
        {"name": "a", "type": "integer", "min": 0, "max": 5},
        {"name": "b", "type": "integer", "min": 10, "max": 20, "at_most": "a"}
    ]}))
    .unwrap_err()
    .to_string();
    assert!(e.contains("`b`") && e.contains("at_most"), "{e}");
}

#[test]
fn bucket_derives_a_tier_from_a_number() {
    let s = Schema::from_value(json!({
        "name": "customer",
        "fields": [
            {"name": "lifetime_value", "type": "decimal", "min": 0, "max": 20000},
            {"name": "loyalty_tier", "type": "enum", "values": ["bronze", "silver", "gold", "platinum", "vip"],
             "compute": {"bucket": {"of": "lifetime_value", "thresholds": [500, 2000, 5000, 10000],
                                    "values": ["bronze", "silver", "gold", "platinum", "vip"]}}}
        ]
    }))
    .unwrap();
    for i in 0..2000 {
        let r = s.nth(1, i).unwrap();
        s.validate(&r).unwrap();
        let v = r["lifetime_value"].as_f64().unwrap();
        let want = if v < 500.0 {
            "bronze"
        } else if v < 2000.0 {
            "silver"
        } else if v < 5000.0 {
            "gold"
        } else if v < 10000.0 {
            "platinum"
        } else {
            "vip"
        };
        assert_eq!(r["loyalty_tier"], want, "{r}");
    }
    let mut bad = s.nth(1, 0).unwrap();
    bad["loyalty_tier"] = json!(if bad["loyalty_tier"] == "vip" { "bronze" } else { "vip" });
    assert!(s.validate(&bad).is_err());
}

fn catalogue() -> Catalogue {
    let mut c = Catalogue::new();
    c.load([
        (
            "order.json".to_string(),
            json!({"name": "order", "fields": [
                {"name": "order_id", "format": "ORD-{year}-{digits:7}", "unique": true},
                {"name": "customer_id", "ref": {"entity": "user", "field": "user_id", "count": 50}},
                {"name": "email", "ref": {"entity": "user", "field": "email", "count": 50}}
            ]})
            .to_string(),
        ),
        (
            "user.json".to_string(),
            json!({"name": "user", "fields": [
                {"name": "user_id", "format": "USR-{digits:7}", "unique": true},
                {"name": "email", "type": "email"}
            ]})
            .to_string(),
        ),
    ])
    .unwrap();
    c
}

#[test]
fn references_point_at_records_of_the_same_seed() {
    let c = catalogue();
    let (orders, users) = (c.get("order").unwrap(), c.get("user").unwrap());
    for seed in [1u64, 2, 3] {
        let ids: Vec<Value> = (0..50).map(|j| users.nth(seed, j).unwrap()["user_id"].clone()).collect();
        for i in 0..200 {
            let o = orders.nth(seed, i).unwrap();
            orders.validate(&o).unwrap();
            let j = ids
                .iter()
                .position(|id| id == &o["customer_id"])
                .unwrap_or_else(|| panic!("seed {seed} order {i}: {o}"));
            assert_eq!(
                o["email"],
                users.nth(seed, j as u64).unwrap()["email"],
                "same user for both references"
            );
        }
    }
    let mut bad = orders.nth(1, 0).unwrap();
    bad["customer_id"] = json!("nope");
    let errs = orders.validate(&bad).unwrap_err().0;
    assert!(errs.iter().any(|v| v.path == "customer_id" && v.rule == "ref"), "{errs:?}");
}

#[test]
fn catalogue_errors_name_the_source() {
    let mut c = Catalogue::new();
    let e = c
        .load([("a.json".to_string(), json!({"name": "a", "fields": [{"name": "x", "ref": {"entity": "ghost", "field": "id", "count": 3}}]}).to_string())])
        .unwrap_err();
    assert!(matches!(e, CatalogueError::Schema { .. }), "{e}");
    assert!(e.to_string().contains("a.json") && e.to_string().contains("ghost"), "{e}");
    let e = c
        .load([
            (
                "a.json".to_string(),
                json!({"name": "a", "fields": [{"name": "x", "type": "integer"}]}).to_string(),
            ),
            (
                "b.json".to_string(),
                json!({"name": "a", "fields": [{"name": "x", "type": "integer"}]}).to_string(),
            ),
        ])
        .unwrap_err();
    assert!(e.to_string().contains("defined twice"), "{e}");
    let e = c
        .load([
            ("a.json".to_string(), json!({"name": "a", "fields": [{"name": "x", "ref": {"entity": "b", "field": "x", "count": 3}}]}).to_string()),
            ("b.json".to_string(), json!({"name": "b", "fields": [{"name": "x", "ref": {"entity": "a", "field": "x", "count": 3}}]}).to_string()),
        ])
        .unwrap_err();
    assert!(matches!(e, CatalogueError::Unresolved { .. }), "{e}");
    assert!(c.is_empty());
}

#[test]
fn regressions_from_the_catalogue_work() {
    let s = Schema::from_value(json!({"name": "t", "fields": [
        {"name": "limit", "type": "decimal", "min": 0, "max": 10},
        {"name": "n", "type": "integer", "min": 0, "max": 1000, "at_most": "limit"},
        {"name": "date_of_birth", "type": "date"},
        {"name": "email", "type": "email", "unique": true},
        {"name": "code", "format": "{alnum:16}", "unique": true},
        {"name": "q", "type": "integer", "values": [1, 2, 3], "weights": [5, 2, 1]},
        {"name": "t", "type": "decimal", "compute": {"product": ["q", "limit"]}}
    ]}))
    .unwrap();
    let batch = s.batch(4, 2000).unwrap();
    s.validate_all(&batch).unwrap();
    for r in &batch {
        // An integer limited by a decimal is rounded inward.
        assert!(r["n"].as_f64().unwrap() <= r["limit"].as_f64().unwrap(), "{r}");
        // Ages 18..=90 in calendar years on 2025-01-01.
        let dob = r["date_of_birth"].as_str().unwrap();
        assert!(("1934-01-02".."2007-01-02").contains(&dob), "{dob}");
        let email = r["email"].as_str().unwrap();
        let tag = email.split('@').next().unwrap().rsplit('+').next().unwrap();
        assert_eq!(tag.len(), 8, "{email}");
        assert!(!r["code"].as_str().unwrap().starts_with("0000"), "{r}");
    }
    assert_eq!(s.max_records(), Some(100_000_000));
    for (bad, hint) in [
        (json!({"name": "q", "type": "integer", "values": [1, 50], "max": 10}), "not both"),
        (
            json!({"name": "tier", "type": "enum", "values": ["a", "b"],
                   "compute": {"bucket": {"of": "x", "thresholds": [1], "values": ["a", "z"]}}}),
            "\"z\"",
        ),
    ] {
        let e = Schema::from_value(json!({"name": "t", "fields": [{"name": "x", "type": "integer"}, bad]}))
            .unwrap_err()
            .to_string();
        assert!(e.contains(hint), "{e}");
    }
}

#[test]
fn a_schema_locale_applies_to_its_kinds_under_any_context() {
    let fr = r#"{"name": "p", "locale": "fr_FR", "fields": [
        {"name": "first_name", "kind": "first_name"}, {"name": "email", "kind": "email"},
        {"name": "city", "kind": "city"}, {"name": "zip", "kind": "zip"}]}"#;
    let en = fr.replace(r#""locale": "fr_FR", "#, "");
    let under_en = Schema::from_json(fr).unwrap();
    let under_fr = Schema::from_json(&en)
        .unwrap()
        .with_context(testdata::Context::default().with_locale(testdata::Locale::FrFr))
        .unwrap();
    for i in 0..200 {
        assert_eq!(under_en.nth(3, i).unwrap(), under_fr.nth(3, i).unwrap(), "record {i}");
    }
}
