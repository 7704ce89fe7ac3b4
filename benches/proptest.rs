//! Strategy generation throughput (issue #4): `testdata::proptest::strategy::<User>()`
//! (`new_tree` + `current`) against proptest's own regex strategies building the same `User`,
//! and against plain `User::batch`.
//!
//! `cargo bench --bench proptest -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use chrono::DateTime;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use testdata::TestData;
use testdata_suite::reference::User;
use uuid::Uuid;

/// A regex strategy compiled once (a `&str` strategy re-parses its regex on every value,
/// which is about 5× slower still).
fn re(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    match proptest::string::string_regex(pattern) {
        Ok(s) => s,
        Err(e) => panic!("bad regex {pattern}: {e}"),
    }
}

/// The same `User` from proptest's regex string strategies and ranges.
fn regex_user() -> impl Strategy<Value = User> {
    let names = (
        any::<u128>(),
        re("[A-Z][a-z]{2,10}"),
        re("[A-Z][a-z]{2,12}"),
        re("[a-z]{3,10}\\.[a-z]{3,10}@[a-z]{4,8}\\.(com|org|net)"),
        re("\\([0-9]{3}\\) [0-9]{3}-[0-9]{4}"),
        re("[0-9]{2,5} [A-Z][a-z]{3,10} (Street|Avenue|Road)"),
    );
    let rest = (
        re("[A-Z][a-z]{3,12}"),
        re("[0-9]{5}"),
        re("[A-Z][a-z]{3,12}"),
        18u8..=90,
        1_672_531_200i64..1_735_689_600,
        any::<bool>(),
    );
    (names, rest).prop_map(|((id, first_name, last_name, email, phone, street), rest)| {
        let (city, zip, country, age, ts, is_active) = rest;
        User {
            id: Uuid::from_u128(id),
            first_name,
            last_name,
            email,
            phone,
            street,
            city,
            zip,
            country,
            age,
            created_at: DateTime::from_timestamp(ts, 0).unwrap_or_default(),
            is_active,
        }
    })
}

fn strategies(c: &mut Criterion) {
    let mut g = c.benchmark_group("proptest_user");
    g.throughput(Throughput::Elements(1));

    let ours = testdata::proptest::strategy::<User>();
    let mut runner = TestRunner::deterministic();
    g.bench_function("testdata_strategy", |b| {
        b.iter(|| black_box(ours.new_tree(&mut runner).map(|t| t.current()).ok()))
    });

    let theirs = regex_user();
    let mut runner = TestRunner::deterministic();
    g.bench_function("proptest_regex", |b| {
        b.iter(|| black_box(theirs.new_tree(&mut runner).map(|t| t.current()).ok()))
    });

    // Per element, in batches of 1,000 (the batch's Vec included, as in the strategies' case).
    g.throughput(Throughput::Elements(1_000));
    let mut seed = 0u64;
    g.bench_function("testdata_batch_x1000", |b| {
        b.iter(|| {
            seed += 1;
            black_box(User::batch(seed, 1_000))
        })
    });
    g.finish();
}

criterion_group!(benches, strategies);
criterion_main!(benches);
