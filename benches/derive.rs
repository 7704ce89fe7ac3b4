//! `#[derive(TestData)]` on the reference structs of issue #3, against `fake`'s
//! `#[derive(Dummy)]` on the same structs and against `clone()` of a ready value (the floor:
//! producing the same owned strings).
//!
//! `cargo bench --bench derive -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

mod common;

use common::{FakeUser, fake_cart};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fake::{Fake, Faker};
use rand::SeedableRng;
use testdata::TestData;
use testdata_suite::reference::{Cart, User};

fn user(c: &mut Criterion) {
    let mut g = c.benchmark_group("user");
    g.throughput(Throughput::Elements(1));
    let mut i = 0u64;
    g.bench_function("testdata_nth", |b| {
        b.iter(|| {
            i += 1;
            black_box(User::nth(black_box(7), i))
        })
    });
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    g.bench_function("fake_dummy", |b| b.iter(|| black_box(Faker.fake_with_rng::<FakeUser, _>(&mut rng))));
    let ready = User::nth(7, 0);
    g.bench_function("clone", |b| b.iter(|| black_box(black_box(&ready).clone())));
    g.finish();
}

fn cart(c: &mut Criterion) {
    let mut g = c.benchmark_group("cart");
    g.throughput(Throughput::Elements(1));
    let mut i = 0u64;
    g.bench_function("testdata_nth", |b| {
        b.iter(|| {
            i += 1;
            black_box(Cart::nth(black_box(7), i))
        })
    });
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    g.bench_function("fake_dummy", |b| b.iter(|| black_box(fake_cart(&mut rng))));
    // A cart with the average number of items (3).
    let ready =
        (0..).map(|i| Cart::nth(7, i)).find(|c| c.items.len() == 3).unwrap_or_else(|| Cart::nth(7, 0));
    g.bench_function("clone", |b| b.iter(|| black_box(black_box(&ready).clone())));
    let mut j = 0u64;
    g.bench_function("clone_same_index_mix", |b| {
        // Clones of the very carts `testdata_nth` produces (same size distribution).
        let pool: Vec<Cart> = (0..1024).map(|i| Cart::nth(7, i)).collect();
        b.iter(|| {
            j += 1;
            black_box(black_box(&pool[(j & 1023) as usize]).clone())
        })
    });
    g.finish();
}

criterion_group!(benches, user, cart);
criterion_main!(benches);
