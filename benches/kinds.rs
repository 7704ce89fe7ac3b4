//! Raw value kinds: the cost of one value of each kind, in the `en` locale and one other.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use testdata::kinds::{Kind, Scope};
use testdata::seed::name_key;
use testdata::{Context, Key, Locale, Seed};

fn kinds(c: &mut Criterion) {
    let mut group = c.benchmark_group("kinds");
    group.throughput(Throughput::Elements(1));
    let type_key = name_key("Bench");
    for (tag, ctx) in [("en", Context::default()), ("de_DE", Context::default().with_locale(Locale::DeDe))] {
        for &kind in Kind::ALL {
            if tag != "en" && !matches!(kind.name(), "full_name" | "email" | "street" | "city" | "phone") {
                continue;
            }
            let field = name_key(kind.name());
            let mut i = 0u64;
            group.bench_function(format!("{tag}/{}", kind.name()), |b| {
                b.iter(|| {
                    i += 1;
                    let key = Key::root(Seed::new(1), type_key, i);
                    let scope = Scope::new(key, &ctx);
                    black_box(kind.generate(&mut key.field(field), &scope))
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, kinds);
criterion_main!(benches);
