//! LLM path costs that are ours, not the model's: validation + repair of a model's record,
//! and the prompt of a batch. (The batch-throughput figure against the fault server at
//! 200 ms per call is `loadgen`-style and measured by `testdata-server`'s `llm_bench` test
//! binary; see docs/llm.md.)

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;
use testdata::Schema;

fn review() -> Schema {
    Schema::from_json(
        r#"{"name": "review", "fields": [
      {"name": "review_id", "type": "string", "format": "REV-{random:10}", "unique": true},
      {"name": "rating", "type": "integer", "min": 1, "max": 5},
      {"name": "title", "type": "string", "min_length": 5, "max_length": 100},
      {"name": "body", "type": "string", "kind": "paragraph", "min_length": 10, "max_length": 5000},
      {"name": "verified_purchase", "type": "boolean"},
      {"name": "created_at", "type": "datetime"}
    ]}"#,
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let schema = review();
    let good: Vec<Value> = (0..64).map(|i| schema.nth(1, i).unwrap()).collect();
    let bad: Vec<Value> = (0..64)
        .map(|i| {
            let mut r = schema.nth(1, i).unwrap();
            r["rating"] = json!(9);
            r["created_at"] = json!("yesterday");
            r.as_object_mut().unwrap().remove("title");
            r
        })
        .collect();
    let mut i = 0usize;
    c.bench_function("llm/repair_valid_review", |b| {
        b.iter(|| {
            i = (i + 1) % 64;
            black_box(schema.repair(1, i as u64, &good[i]).unwrap())
        })
    });
    c.bench_function("llm/repair_broken_review", |b| {
        b.iter(|| {
            i = (i + 1) % 64;
            black_box(schema.repair(1, i as u64, &bad[i]).unwrap())
        })
    });
    let cart = Schema::from_json(include_str!("../testdata/schemas/ecommerce/cart.json")).unwrap();
    let carts: Vec<Value> = (0..64).map(|i| cart.nth(2, i).unwrap()).collect();
    c.bench_function("llm/repair_valid_cart", |b| {
        b.iter(|| {
            i = (i + 1) % 64;
            black_box(cart.repair(2, i as u64, &carts[i]).unwrap())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
