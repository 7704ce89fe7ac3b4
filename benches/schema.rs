//! Schema-driven generation of the reference `user` and `cart` entities (records as
//! `serde_json::Value`), plus validation and JSONL export of the same records.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use testdata::export::{Format, JsonlWriter};
use testdata_suite::schema;

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("schema");
    group.throughput(Throughput::Elements(1));
    for name in ["user", "cart", "order", "payment"] {
        let s = schema(name);
        let mut i = 0u64;
        group.bench_function(format!("nth/{name}"), |b| {
            b.iter(|| {
                i += 1;
                black_box(s.nth(7, i).unwrap())
            })
        });
        let records = s.batch(7, 1000).unwrap();
        let mut j = 0usize;
        group.bench_function(format!("validate/{name}"), |b| {
            b.iter(|| {
                j = (j + 1) % records.len();
                black_box(s.validate(&records[j]).is_ok())
            })
        });
        let mut k = 0usize;
        let mut w = JsonlWriter::new(std::io::sink());
        group.bench_function(format!("jsonl/{name}"), |b| {
            b.iter(|| {
                k = (k + 1) % records.len();
                w.write_record(&records[k]).unwrap();
            })
        });
        let _ = Format::Jsonl;
    }
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
