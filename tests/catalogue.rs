//! The built-in ecommerce catalogue (`testdata-server/schemas/ecommerce/*.json`): the 36
//! entities of the replaced service's entity list with their field names, ID templates and enum
//! values, their rules enforced, and references between entities of the same seed. (The
//! coherence score of `docs/catalogue.md` is tested where it is computed, in
//! `testdata-server/src/coherence.rs`.)

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{Value, json};
use testdata::schema::{Catalogue, FieldDef};
use testdata::{Context, Schema};

// ---------------------------------------------------------------------------------------------
// Expected: the data file `tests/data/catalogue_expected.json`.

/// What the catalogue must hold (each table's columns are described in the data file).
#[derive(serde::Deserialize)]
struct Expected<'a> {
    #[serde(borrow)]
    fields: Vec<(&'a str, Vec<(&'a str, bool)>)>,
    #[serde(borrow)]
    enums: Vec<(&'a str, &'a str, Vec<&'a str>)>,
    #[serde(borrow)]
    templates: Vec<(&'a str, &'a str, &'a str)>,
    #[serde(borrow)]
    sizes: Vec<(&'a str, u64)>,
    #[serde(borrow)]
    refs: Vec<(&'a str, &'a str, &'a str, &'a str)>,
    #[serde(borrow)]
    present_if: Vec<(&'a str, &'a str, &'a str, Vec<&'a str>)>,
    #[serde(borrow)]
    after: Vec<(&'a str, &'a str, &'a str)>,
}

fn expected() -> &'static Expected<'static> {
    static E: OnceLock<Expected<'static>> = OnceLock::new();
    E.get_or_init(|| {
        serde_json::from_str(include_str!("data/catalogue_expected.json"))
            .unwrap_or_else(|e| panic!("tests/data/catalogue_expected.json: {e}"))
    })
}

// ---------------------------------------------------------------------------------------------
// Loading and helpers.

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata-server/schemas/ecommerce")
}

fn sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    out.sort();
    out
}

fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| {
        let mut c = Catalogue::new();
        c.load(sources()).unwrap_or_else(|e| panic!("{e}"));
        c
    })
}

fn schema(name: &str) -> &'static Schema {
    catalogue().get(name).unwrap_or_else(|| panic!("no entity {name}"))
}

fn field<'a>(s: &'a Schema, name: &str) -> &'a FieldDef {
    s.def().fields.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("{}.{name}", s.name()))
}

/// Exact cents of a JSON number (its text, at most 2 decimals).
fn cents(v: &Value) -> i64 {
    let s = v.to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    assert!(frac.len() <= 2, "more than 2 decimals: {s}");
    let frac = format!("{frac:0<2}");
    let sign = if int.starts_with('-') { -1 } else { 1 };
    int.parse::<i64>().unwrap() * 100 + sign * frac.parse::<i64>().unwrap()
}

fn ts(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("not a timestamp: {v}"));
    testdata::time::parse_datetime(s).unwrap_or_else(|| panic!("not a timestamp: {s}"))
}

const DAY: i64 = 86_400;

fn anchor() -> i64 {
    Context::default().anchor()
}

/// Whether `s` follows an ID template (`{year}` = the reference year, `{random:N}`
/// and `{random_int:N}` = N digits, `{name}` = the value of sibling `name` of `record`).
fn follows(template: &str, s: &str, record: &Value) -> bool {
    let mut rest = s;
    let mut t = template;
    while !t.is_empty() {
        if let Some(body) = t.strip_prefix('{') {
            let end = body.find('}').unwrap();
            let slot = &body[..end];
            t = &body[end + 1..];
            let (head, n) = match slot.split_once(':') {
                Some((h, n)) => (h, n.parse::<usize>().unwrap()),
                None => (slot, 0),
            };
            match head {
                "year" => match rest.strip_prefix(&Context::default().anchor_year().to_string()) {
                    Some(r) => rest = r,
                    None => return false,
                },
                "random" | "random_int" => {
                    if rest.len() < n || !rest[..n].bytes().all(|b| b.is_ascii_digit()) {
                        return false;
                    }
                    rest = &rest[n..];
                }
                sibling => match record[sibling].as_str().and_then(|v| rest.strip_prefix(v)) {
                    Some(r) => rest = r,
                    None => return false,
                },
            }
        } else {
            let c = t.chars().next().unwrap();
            match rest.strip_prefix(c) {
                Some(r) => rest = r,
                None => return false,
            }
            t = &t[c.len_utf8()..];
        }
    }
    rest.is_empty()
}

// ---------------------------------------------------------------------------------------------
// Shape: entities, fields, required, enums, ID templates.

#[test]
fn the_catalogue_has_the_36_entities_of_entity_list() {
    let c = catalogue();
    let names: Vec<&str> = c.names().collect();
    let mut want: Vec<&str> = expected().fields.iter().map(|(n, _)| *n).collect();
    want.sort();
    assert_eq!(names, want);
    assert_eq!(c.len(), 36);
    for (file, text) in sources() {
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(file, format!("{}.json", v["name"].as_str().unwrap()), "file name = entity name");
        assert_eq!(v["domain"], "ecommerce", "{file}");
        assert!(v["description"].as_str().is_some_and(|d| !d.is_empty()), "{file}");
        assert!(v["rules"].as_array().is_some_and(|r| !r.is_empty()), "{file}");
        // 2-space indent, one field per line, trailing newline.
        assert!(text.starts_with("{\n  \"name\": ") && text.ends_with("}\n"), "{file} formatting");
        assert!(!text.contains('\t'), "{file} has tabs");
    }
}

#[test]
fn fields_are_those_of_entity_list_in_order_with_their_optionality() {
    for (entity, want) in &expected().fields {
        let s = schema(entity);
        let got: Vec<&str> = s.def().fields.iter().map(|f| f.name.as_str()).collect();
        let names: Vec<&str> = want.iter().map(|(n, _)| *n).collect();
        assert_eq!(got, names, "{entity}");
        for (name, required) in want {
            let f = field(s, name);
            let nullable =
                f.optional.is_some_and(|p| p > 0.0) || f.required == Some(false) || f.present_if.is_some();
            assert_eq!(!nullable, *required, "{entity}.{name}: expected required = {required}");
        }
    }
}

#[test]
fn enum_values_are_those_of_entity_list() {
    for (entity, name, values) in &expected().enums {
        let f = field(schema(entity), name);
        let got: Vec<&str> = f.values.as_ref().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(&got, values, "{entity}.{name}");
        if let Some(w) = &f.weights {
            assert_eq!(w.len(), values.len(), "{entity}.{name} weights");
        }
    }
    assert_eq!(expected().enums.len(), 47, "every enumeration of the entity list is covered");
}

#[test]
fn id_templates_are_those_of_entity_list() {
    let mut own = 0;
    for (entity, name, template) in &expected().templates {
        let s = schema(entity);
        let f = field(s, name);
        if let Some(mut r) = f.reference.as_ref() {
            // A reference (maybe through another one, refund.order_id → payment.order_id →
            // order.order_id): the field it ends at carries the same template.
            let mut target = field(schema(&r.entity), &r.field);
            while let Some(next) = target.reference.as_ref() {
                r = next;
                target = field(schema(&r.entity), &r.field);
            }
            assert_eq!(
                target.format.as_deref(),
                Some(*template),
                "{entity}.{name} → {}.{}",
                r.entity,
                r.field
            );
            assert!(target.unique, "{}.{} referenced, so unique", r.entity, r.field);
        } else {
            assert_eq!(f.format.as_deref(), Some(*template), "{entity}.{name}");
        }
        if s.def().fields[0].name == *name {
            own += 1;
            assert!(f.unique, "{entity}.{name} is the entity's own ID");
        }
        for seed in 0..200u64 {
            let r = s.nth(seed, seed * 7).unwrap();
            let v = &r[*name];
            if v.is_null() {
                continue;
            }
            assert!(
                follows(template, v.as_str().unwrap(), &r),
                "{entity}.{name} = {v} does not follow {template}"
            );
        }
    }
    assert_eq!(own, 35, "every entity but product (a UUID) has an ID template");
    // The two exceptions.
    assert_eq!(field(schema("review"), "review_id").format.as_deref(), Some("REV-{random:10}"));
    assert!(field(schema("review"), "review_id").unique);
    let p = field(schema("product"), "product_id");
    assert!(p.unique && p.ty == Some(testdata::schema::FieldType::Uuid));
    assert_eq!(field(schema("product"), "sku").format.as_deref(), Some("{category}-{random_int:6}"));
    // Every entity's first field is its own unique ID, and it follows its template.
    for s in catalogue().iter() {
        assert!(s.def().fields[0].unique, "{}: first field unique", s.name());
    }
}

// ---------------------------------------------------------------------------------------------
// Every record of every entity is valid, and scores 1.0.

#[test]
fn two_thousand_seeds_of_every_entity_validate() {
    for s in catalogue().iter() {
        // Computed enums (buckets) are not checked against `values` by `validate`: check here.
        let buckets: Vec<(&str, Vec<Value>)> = s
            .def()
            .fields
            .iter()
            .filter(|f| f.compute.is_some() && f.values.is_some())
            .map(|f| (f.name.as_str(), f.values.clone().unwrap()))
            .collect();
        for seed in 0..2000u64 {
            let r = s.nth(seed, seed % 5).unwrap();
            if let Err(e) = s.validate(&r) {
                panic!("{} seed {seed}: {e}\n{r:#}", s.name());
            }
            for (name, values) in &buckets {
                assert!(values.contains(&r[*name]), "{}.{name} = {}", s.name(), r[*name]);
            }
        }
    }
}

#[test]
fn batches_of_500_validate_with_unique_ids() {
    for s in catalogue().iter() {
        for seed in [1u64, 2025] {
            let batch = s.batch(seed, 500).unwrap();
            if let Err(e) = s.validate_all(&batch) {
                panic!("{} seed {seed}: {e}", s.name());
            }
            let id = &s.def().fields[0].name;
            let ids: HashSet<String> = batch.iter().map(|r| r[id].to_string()).collect();
            assert_eq!(ids.len(), 500, "{}.{id}", s.name());
        }
        // The referenced datasets can have their documented size.
        if let Some((_, n)) = expected().sizes.iter().find(|(e, _)| *e == s.name()) {
            assert!(s.max_records().is_none_or(|m| m >= *n), "{}", s.name());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rules, rule by rule.

#[test]
fn cart_and_order_arithmetic_is_exact_in_cents() {
    for (name, rate_bp, shipping) in [("cart", 800, false), ("order", 825, true)] {
        let s = schema(name);
        for seed in 0..3000u64 {
            let r = s.nth(seed, 1).unwrap();
            let items = r["items"].as_array().unwrap();
            assert!(!items.is_empty());
            let sub: i64 = items.iter().map(|i| i["quantity"].as_i64().unwrap() * cents(&i["price"])).sum();
            assert_eq!(cents(&r["subtotal"]), sub, "{name} seed {seed}");
            let tax = (sub * rate_bp + 5_000) / 10_000; // half away from zero, non-negative
            assert_eq!(cents(&r["tax"]), tax, "{name} seed {seed}");
            let ship = if shipping { cents(&r["shipping"]) } else { 0 };
            assert_eq!(cents(&r["total"]), sub + tax + ship, "{name} seed {seed}");
        }
    }
    for name in ["cart_item", "order_item"] {
        let s = schema(name);
        for seed in 0..3000u64 {
            let r = s.nth(seed, 2).unwrap();
            let q = r["quantity"].as_i64().unwrap();
            assert!((1..=99).contains(&q));
            assert_eq!(cents(&r["total_price"]), q * cents(&r["unit_price"]), "{name} seed {seed}");
        }
    }
    let s = schema("return");
    for seed in 0..1000u64 {
        let r = s.nth(seed, 0).unwrap();
        let sum: i64 = r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["quantity"].as_i64().unwrap() * cents(&i["unit_price"]))
            .sum();
        assert_eq!(cents(&r["refund_amount"]), sum, "return seed {seed}");
    }
    // A wrong total is reported, and lowers the score.
    let cart = schema("cart");
    let mut bad = cart.nth(1, 0).unwrap();
    bad["total"] = json!(cents(&bad["total"]) as f64 / 100.0 + 0.01);
    let errs = cart.validate(&bad).unwrap_err().0;
    assert!(errs.iter().any(|v| v.path == "total" && v.rule == "computed"), "{errs:?}");
}

#[test]
fn quantity_limits_hold() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (entity, smaller, larger, difference field or "")
        ("inventory", "quantity_reserved", "quantity_on_hand", "quantity_available"),
        ("stock", "reserved", "quantity", ""),
        ("stock_alert", "current_level", "threshold", ""),
        ("gift_card", "current_balance", "initial_value", ""),
        ("coupon", "usage_count", "usage_limit", ""),
        ("loyalty_member", "points_balance", "points_earned_ytd", ""),
    ];
    for (entity, small, large, diff) in cases {
        let s = schema(entity);
        for seed in 0..3000u64 {
            let r = s.nth(seed, 3).unwrap();
            let (a, b) = (cents(&r[*small]), cents(&r[*large]));
            assert!(a >= 0 && a <= b, "{entity} seed {seed}: {small} {a} > {large} {b}");
            if !diff.is_empty() {
                assert_eq!(cents(&r[*diff]), b - a, "{entity} seed {seed}");
            }
        }
        let mut bad = s.nth(9, 0).unwrap();
        bad[*small] = json!(r_num(&bad[*large]) + 1);
        let errs = s.validate(&bad).unwrap_err().0;
        assert!(errs.iter().any(|v| v.path == *small && v.rule == "at_most"), "{entity}: {errs:?}");
    }
    let g = schema("gift_card");
    assert!((0..2000u64).all(|seed| cents(&g.nth(seed, 0).unwrap()["initial_value"]) >= 1000));
}

fn r_num(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| v.as_f64().unwrap().ceil() as i64)
}

#[test]
fn statuses_and_timestamps_agree() {
    for (entity, name, status, values) in &expected().present_if {
        let s = schema(entity);
        let mut seen = BTreeSet::new();
        for seed in 0..1500u64 {
            let r = s.nth(seed, 4).unwrap();
            let st = r[*status].as_str().unwrap();
            seen.insert(st.to_string());
            assert_eq!(
                !r[*name].is_null(),
                values.contains(&st),
                "{entity} seed {seed}: {name} vs {status} {st}\n{r}"
            );
        }
        assert!(values.iter().all(|v| seen.contains(*v)), "{entity}.{status}: every value occurs ({seen:?})");
        assert!(seen.len() > values.len(), "{entity}.{status}: the null case occurs");
    }
    for (entity, later, earlier) in &expected().after {
        let s = schema(entity);
        let mut set = 0;
        for seed in 0..1500u64 {
            let r = s.nth(seed, 0).unwrap();
            if r[*later].is_null() || r[*earlier].is_null() {
                continue;
            }
            set += 1;
            let l = r[*later].as_str().unwrap();
            match testdata::time::parse_date(l) {
                // A date after a timestamp: not before its day.
                Some(d) if l.len() == 10 => {
                    assert!(d >= ts(&r[*earlier]).div_euclid(DAY), "{entity} seed {seed}")
                }
                _ => assert!(
                    ts(&r[*later]) >= ts(&r[*earlier]),
                    "{entity} seed {seed}: {later} before {earlier}"
                ),
            }
        }
        assert!(set > 75, "{entity}.{later} is set often enough to be tested ({set})");
    }
    // Payment: captured ⇒ authorized ⇒ created, in that order.
    let p = schema("payment");
    for seed in 0..2000u64 {
        let r = p.nth(seed, 0).unwrap();
        if !r["captured_at"].is_null() {
            assert!(ts(&r["captured_at"]) >= ts(&r["authorized_at"]));
            assert!(ts(&r["authorized_at"]) >= ts(&r["created_at"]));
        }
    }
    // A pending payment with a capture time is reported.
    let mut bad = p.nth(3, 0).unwrap();
    bad["status"] = json!("pending");
    bad["transaction_id"] = Value::Null;
    bad["authorized_at"] = Value::Null;
    bad["captured_at"] = json!("2024-06-01T00:00:00Z");
    let errs = p.validate(&bad).unwrap_err().0;
    assert!(errs.iter().any(|v| v.path == "captured_at" && v.rule == "present_if"), "{errs:?}");
}

#[test]
fn buckets_derive_tiers_and_decisions() {
    let c = schema("customer");
    let f = schema("fraud_check");
    let i = schema("inventory");
    let l = schema("loyalty_member");
    let mut tiers = BTreeMap::new();
    for seed in 0..3000u64 {
        let r = c.nth(seed, 0).unwrap();
        let v = cents(&r["lifetime_value"]);
        let want = match v {
            0..200_000 => "bronze",
            200_000..325_000 => "silver",
            325_000..425_000 => "gold",
            425_000..475_000 => "platinum",
            _ => "vip",
        };
        assert_eq!(r["loyalty_tier"], want, "customer seed {seed}");
        *tiers.entry(want).or_insert(0) += 1;
        assert_eq!(r["loyalty_points"].as_i64().unwrap(), (v + 50) / 100, "1 point per dollar");
        let r = f.nth(seed, 0).unwrap();
        let want = match cents(&r["risk_score"]) {
            0..7_000 => "approve",
            7_000..9_000 => "review",
            _ => "decline",
        };
        assert_eq!(r["decision"], want, "fraud_check seed {seed}");
        let r = i.nth(seed, 0).unwrap();
        let want = match r["quantity_available"].as_i64().unwrap() {
            0 => "out_of_stock",
            1..=9 => "low_stock",
            _ => "in_stock",
        };
        assert_eq!(r["status"], want, "inventory seed {seed}");
        if want == "low_stock" {
            assert!(r["quantity_available"].as_i64() < r["reorder_point"].as_i64());
        }
        let r = l.nth(seed, 0).unwrap();
        let want = match r["points_earned_ytd"].as_i64().unwrap() {
            0..8000 => "bronze",
            8000..14000 => "silver",
            14000..18000 => "gold",
            _ => "platinum",
        };
        assert_eq!(r["tier"], want, "loyalty_member seed {seed}");
    }
    // bronze, the default, is the most likely tier.
    assert!(tiers.values().all(|&n| n <= tiers["bronze"]), "{tiers:?}");
}

#[test]
fn references_resolve_to_records_of_the_same_seed() {
    for seed in [3u64, 4242] {
        let mut targets: BTreeMap<(&str, &str), Vec<Value>> = BTreeMap::new();
        for (_, _, entity, f) in &expected().refs {
            let n = expected().sizes.iter().find(|(e, _)| e == entity).unwrap().1;
            targets
                .entry((entity, f))
                .or_insert_with(|| (0..n).map(|j| schema(entity).field_value(seed, j, f).unwrap()).collect());
        }
        for (entity, name, target, tf) in &expected().refs {
            let s = schema(entity);
            let r = &field(s, name).reference.as_ref().unwrap_or_else(|| panic!("{entity}.{name} is a ref"));
            assert_eq!((r.entity.as_str(), r.field.as_str()), (*target, *tf));
            let n = expected().sizes.iter().find(|(e, _)| e == target).unwrap().1;
            assert_eq!(r.count, n, "{entity}.{name} count");
            let values = &targets[&(*target, *tf)];
            let mut nulls = 0;
            for i in 0..300u64 {
                let v = s.field_value(seed, i, name).unwrap();
                if v.is_null() {
                    nulls += 1;
                    continue;
                }
                assert!(values.contains(&v), "{entity}.{name} = {v} is no {target}.{tf} of seed {seed}");
            }
            assert!(nulls < 150, "{entity}.{name} mostly set");
        }
        // Several references of a record to one entity point at the same record of it.
        let payments = schema("payment");
        let orders = schema("order");
        let pay_ids = &targets[&("payment", "payment_id")];
        let order_ids = &targets[&("order", "order_id")];
        for i in 0..200u64 {
            let refund = schema("refund").nth(seed, i).unwrap();
            let j = pay_ids.iter().position(|p| *p == refund["payment_id"]).unwrap() as u64;
            let payment = payments.nth(seed, j).unwrap();
            for f in ["order_id", "amount", "currency"] {
                assert_eq!(refund[f], payment[f], "refund {i}.{f}");
            }
            let k = order_ids.iter().position(|o| *o == payment["order_id"]).unwrap() as u64;
            assert_eq!(
                payment["amount"],
                orders.nth(seed, k).unwrap()["total"],
                "payment amount = order total"
            );
            let auth = schema("payment_authorization").nth(seed, i).unwrap();
            let k = order_ids.iter().position(|o| *o == auth["order_id"]).unwrap() as u64;
            assert_eq!(auth["amount"], orders.nth(seed, k).unwrap()["total"]);
            let t = schema("tracking").nth(seed, i).unwrap();
            let ship_ids = &targets[&("shipment", "shipment_id")];
            let k = ship_ids.iter().position(|o| *o == t["shipment_id"]).unwrap() as u64;
            assert_eq!(t["tracking_number"], schema("shipment").nth(seed, k).unwrap()["tracking_number"]);
        }
    }
    // Another seed, other referenced records.
    let a: Vec<Value> =
        (0..20).map(|i| schema("order").field_value(1u64, i, "customer_id").unwrap()).collect();
    let b: Vec<Value> =
        (0..20).map(|i| schema("order").field_value(2u64, i, "customer_id").unwrap()).collect();
    assert_ne!(a, b);
    // A value the referenced field cannot take is a `ref` violation.
    let s = schema("order");
    let mut bad = s.nth(1, 0).unwrap();
    bad["customer_id"] = json!("CUST-2025-0000001");
    let errs = s.validate(&bad).unwrap_err().0;
    assert!(errs.iter().any(|v| v.path == "customer_id" && v.rule == "ref"), "{errs:?}");
}

#[test]
fn product_price_sku_stock_and_dates() {
    let s = schema("product");
    let now = anchor();
    let mut in_stock = 0;
    let n = 5000u64;
    for seed in 0..n {
        let r = s.nth(seed, 0).unwrap();
        let price = cents(&r["price"]);
        assert!((500..=99_999).contains(&price), "price {}", r["price"]);
        let cat = r["category"].as_str().unwrap();
        let sku = r["sku"].as_str().unwrap();
        let digits = sku
            .strip_prefix(cat)
            .and_then(|x| x.strip_prefix('-'))
            .unwrap_or_else(|| panic!("{sku} vs {cat}"));
        assert!(digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()), "{sku}");
        in_stock += usize::from(r["in_stock"] == json!(true));
        let (c, u) = (ts(&r["created_at"]), ts(&r["updated_at"]));
        assert!(c >= now - 365 * DAY && c <= now, "created_at in the year before the reference instant");
        assert!(u >= c && u >= now - 30 * DAY && u <= now, "updated_at in the last month, after created_at");
        let name = r["name"].as_str().unwrap();
        assert!(name.split(' ').count() >= 3, "a product name, not a person's: {name}");
        assert!(r["description"].as_str().is_none_or(|d| d.chars().count() <= 200));
    }
    let p = in_stock as f64 / n as f64;
    assert!((0.83..0.87).contains(&p), "in_stock {p}");
}

/// Days since 1970-01-01 of a civil date.
fn days(y: i64, m: i64, d: i64) -> i64 {
    testdata::time::parse_date(&format!("{y:04}-{m:02}-{d:02}")).unwrap()
}

#[test]
fn date_of_birth_is_18_to_90_years_before_the_reference_instant() {
    let s = schema("customer");
    let now = testdata::time::format_date(anchor().div_euclid(DAY));
    let (y, m, d) = (
        now[..4].parse::<i64>().unwrap(),
        now[5..7].parse::<i64>().unwrap(),
        now[8..].parse::<i64>().unwrap(),
    );
    let (youngest, oldest) = (days(y - 18, m, d), days(y - 90, m, d));
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for seed in 0..20_000u64 {
        let r = s.nth(seed, 0).unwrap();
        let Some(dob) = r["date_of_birth"].as_str() else { continue };
        let b = testdata::time::parse_date(dob).unwrap();
        assert!(b <= youngest && b >= oldest, "seed {seed}: born {dob}, reference {now}");
        lo = lo.min(b);
        hi = hi.max(b);
    }
    // The whole span is used (within a few weeks of both ends).
    assert!(hi > youngest - 60 && lo < oldest + 60, "{lo} {hi}");
}

#[test]
fn free_form_members_have_typed_shapes() {
    // Arrays stay arrays, objects stay objects, with named, typed members instead of `{}`.
    let shapes: &[(&str, &str, bool)] = &[
        ("analytics_event", "metadata", false),
        ("customer_preferences", "preferred_categories", true),
        ("customer_preferences", "communication_channels", true),
        ("exchange", "original_item", false),
        ("exchange", "new_item", false),
        ("fraud_check", "signals", true),
        ("rating", "rating_distribution", false),
        ("return", "items", true),
        ("saved_cart", "items", true),
        ("search_query", "clicked_products", true),
        ("search_query", "filters_applied", false),
        ("shipment", "items", true),
        ("wishlist", "items", true),
    ];
    for (entity, name, array) in shapes {
        let s = schema(entity);
        let f = field(s, name);
        assert_ne!(f.ty, Some(testdata::schema::FieldType::Json), "{entity}.{name}");
        let mut non_empty = 0;
        for seed in 0..500u64 {
            let v = &s.nth(seed, 0).unwrap()[*name];
            match v {
                Value::Null => {}
                Value::Array(a) if *array => non_empty += usize::from(!a.is_empty()),
                Value::Object(o) if !*array => non_empty += usize::from(!o.is_empty()),
                _ => panic!("{entity}.{name} = {v}"),
            }
        }
        assert!(non_empty > 100, "{entity}.{name}");
    }
    let c = schema("customer_preferences");
    assert!(
        (0..1000u64)
            .all(|seed| !c.nth(seed, 0).unwrap()["communication_channels"].as_array().unwrap().is_empty())
    );
}

#[test]
fn write_json_writes_the_bytes_of_nth_for_every_entity_and_they_validate() {
    // Plain, hostile edge cases (quotes, control chars, RTL, emoji) and another locale.
    let contexts = [
        Context::default(),
        Context::default().with_edge_cases(0.5),
        Context::default().with_locale(testdata::Locale::JaJp).with_edge_cases(0.2),
    ];
    for ctx in contexts {
        let mut c = Catalogue::with_context(ctx);
        c.load(sources()).unwrap_or_else(|e| panic!("{e}"));
        for s in c.iter() {
            let mut out = Vec::new();
            for i in 0..300 {
                out.clear();
                s.write_json(99, i, &mut out).unwrap();
                let want = serde_json::to_vec(&s.nth(99, i).unwrap()).unwrap();
                let mut checked = Vec::new();
                let violations = s.write_json_validated(99, i, &mut checked).unwrap();
                assert!(violations.is_empty(), "{} #{i}: {violations:?}", s.name());
                assert_eq!(checked, out);
                assert_eq!(
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&want),
                    "{} #{i} under {:?}",
                    s.name(),
                    c.context()
                );
            }
        }
    }
}
