//! RAG costs after retrieval and of retrieval itself (docs/rag.md, figures in the issue's
//! closing note):
//!
//! * `rag/retrieve_100k`: one embedded BM25 query against 100,000 cart patterns, all in the
//!   one partition a cart query reads (the setup also prints the index's build time and the
//!   p99 of 20,000 queries — the bar is 2 ms);
//! * `rag/vary_cart`: `learn_from_history` variations (repair of a pattern into a record);
//! * `rag/vary_cart_written`: the same variations written as JSON from the patterns compiled
//!   once, each checked as it is written (`Variations::write_nth`, what the RAG path runs);
//! * `rag/production_like_order` vs `rag/traditional_order`: a profile-shaped schema against
//!   the plain one (the bar: ≥ 80% of Traditional's speed).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use testdata::Schema;
use testdata::rag::{Body, Document, DocumentKind, EmbeddedStore, Query, Variations, apply_profile};
use testdata::schema::Catalogue;

const WORDS: &[&str] = &[
    "running", "shoes", "yoga", "mat", "kitchen", "knife", "skillet", "holiday", "gift", "baby", "diapers",
    "office", "blazer", "monitor", "keyboard", "gaming", "headset", "beauty", "lipstick", "serum", "camping",
    "tent", "garden", "hose", "coffee", "grinder", "wedding", "dress", "school", "backpack", "pet", "leash",
    "winter", "jacket",
];

fn synthetic(n: usize) -> Vec<Document> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|i| {
            let words: Vec<&str> = (0..8).map(|_| WORDS[(next() % WORDS.len() as u64) as usize]).collect();
            let doc = json!({
                "kind": "test_data", "id": format!("cart-{i}"), "domain": "ecommerce", "entity": "cart",
                "description": words[..4].join(" "), "scenario": words[4], "quality": (i % 100) as f64 / 100.0,
                "record": {"items": [{"name": words[5..].join(" "), "quantity": 1, "price": 10.0}]}
            });
            serde_json::from_value(doc).unwrap()
        })
        .collect()
}

fn catalogue() -> Catalogue {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata-server/schemas/ecommerce");
    let mut sources: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    sources.sort();
    let mut c = Catalogue::new();
    c.load(sources).unwrap();
    c
}

fn retrieval(c: &mut Criterion) {
    let documents = synthetic(100_000);
    let built = Instant::now();
    let store = EmbeddedStore::new(documents);
    println!(
        "rag/retrieve_100k: index of 100,000 cart patterns built in {:.2} s",
        built.elapsed().as_secs_f64()
    );
    let queries: Vec<Query> = (0..64)
        .map(|i| {
            let text = format!(
                "{} {} {}",
                WORDS[i % WORDS.len()],
                WORDS[(i * 7) % WORDS.len()],
                WORDS[(i * 13) % WORDS.len()]
            );
            Query::new("ecommerce", "cart", DocumentKind::TestData, &text)
        })
        .collect();
    let mut times: Vec<f64> = (0..20_000)
        .map(|k| {
            let t = Instant::now();
            black_box(store.search_now(&queries[k % queries.len()]));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "rag/retrieve_100k: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms over {} queries",
        times[times.len() / 2],
        times[times.len() * 99 / 100],
        times[times.len() - 1],
        times.len()
    );
    let mut k = 0;
    c.bench_function("rag/retrieve_100k", |b| {
        b.iter(|| {
            k = (k + 1) % queries.len();
            black_box(store.search_now(&queries[k]))
        })
    });
}

fn generation(c: &mut Criterion) {
    let catalogue = catalogue();
    let store = EmbeddedStore::bundled();
    let cart: &Schema = catalogue.get("cart").unwrap();
    let patterns = store
        .search_now(&Query::new("ecommerce", "cart", DocumentKind::TestData, "fitness"))
        .iter()
        .filter_map(|h| h.document.record().cloned())
        .collect();
    let variations = Variations::new(cart, patterns);
    let mut group = c.benchmark_group("rag");
    group.throughput(Throughput::Elements(1000));
    group.bench_function("vary_cart", |b| {
        b.iter(|| (0..1000).map(|i| variations.nth(7, i).unwrap().record).for_each(|r| drop(black_box(r))))
    });
    let mut out = Vec::with_capacity(1 << 20);
    group.bench_function("vary_cart_written", |b| {
        b.iter(|| {
            out.clear();
            (0..1000).for_each(|i| drop(black_box(variations.write_nth(7, i, &mut out).unwrap())));
        })
    });
    let order: &Schema = catalogue.get("order").unwrap();
    let profile = &store.search_now(&Query::new("ecommerce", "order", DocumentKind::Profile, ""))[0];
    let Body::Profile { fields } = &profile.document.body else { unreachable!() };
    let shaped = apply_profile(order, fields).unwrap();
    group.bench_function("production_like_order", |b| {
        b.iter(|| (0..1000).map(|i| shaped.nth(7, i).unwrap()).for_each(|r| drop(black_box(r))))
    });
    group.bench_function("traditional_order", |b| {
        b.iter(|| (0..1000).map(|i| order.nth(7, i).unwrap()).for_each(|r| drop(black_box(r))))
    });
    group.finish();
}

criterion_group!(benches, retrieval, generation);
criterion_main!(benches);
