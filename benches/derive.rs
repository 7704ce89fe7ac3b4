//! `#[derive(TestData)]` on the reference structs of issue #3, against `fake`'s
//! `#[derive(Dummy)]` on the same structs and against `clone()` of a ready value (the floor:
//! producing the same owned strings).
//!
//! `cargo bench --bench derive -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fake::faker::address::en::{CityName, CountryName, StreetName, ZipCode};
use fake::faker::chrono::en::DateTime as FakeDateTime;
use fake::faker::internet::en::SafeEmail;
use fake::faker::name::en::{FirstName, LastName};
use fake::faker::phone_number::en::PhoneNumber;
use fake::uuid::UUIDv4;
use fake::{Dummy, Fake, Faker};
use rand::SeedableRng;
use testdata::TestData;
use testdata_suite::reference::{Cart, User};
use uuid::Uuid;

#[derive(Dummy, Clone, Debug)]
pub struct FakeUser {
    #[dummy(faker = "UUIDv4")]
    pub id: Uuid,
    #[dummy(faker = "FirstName()")]
    pub first_name: String,
    #[dummy(faker = "LastName()")]
    pub last_name: String,
    #[dummy(faker = "SafeEmail()")]
    pub email: String,
    #[dummy(faker = "PhoneNumber()")]
    pub phone: String,
    #[dummy(faker = "StreetName()")]
    pub street: String,
    #[dummy(faker = "CityName()")]
    pub city: String,
    #[dummy(faker = "ZipCode()")]
    pub zip: String,
    #[dummy(faker = "CountryName()")]
    pub country: String,
    #[dummy(faker = "18..=90")]
    pub age: u8,
    #[dummy(faker = "FakeDateTime()")]
    pub created_at: DateTime<Utc>,
    pub is_active: bool,
}

#[derive(Dummy, Clone, Debug)]
pub struct FakeCartItem {
    #[dummy(faker = "UUIDv4")]
    pub product_id: Uuid,
    #[dummy(faker = "fake::faker::lorem::en::Words(2..4)")]
    pub name: Vec<String>,
    #[dummy(faker = "100..=50_000")]
    pub unit_price: u64,
    #[dummy(faker = "1..=5")]
    pub quantity: u32,
}

#[derive(Dummy, Clone, Debug)]
pub struct FakeCart {
    #[dummy(faker = "UUIDv4")]
    pub cart_id: Uuid,
    #[dummy(faker = "UUIDv4")]
    pub user_id: Uuid,
    #[dummy(faker = "(Faker, 1..6)")]
    pub items: Vec<FakeCartItem>,
    #[dummy(default)]
    pub subtotal: u64,
    #[dummy(default)]
    pub tax: u64,
    #[dummy(default)]
    pub total: u64,
    #[dummy(faker = "FakeDateTime()")]
    pub created_at: DateTime<Utc>,
}

fn fake_cart(rng: &mut rand::rngs::StdRng) -> FakeCart {
    let mut c: FakeCart = Faker.fake_with_rng(rng);
    c.subtotal = c.items.iter().map(|i| i.unit_price * i.quantity as u64).sum();
    c.tax = (c.subtotal * 8 + 50) / 100;
    c.total = c.subtotal + c.tax;
    c
}

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
