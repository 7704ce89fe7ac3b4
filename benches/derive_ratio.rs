//! The performance bar of issue #3 as ratios that hold on a machine whose speed drifts:
//! `testdata` `User::nth` / `Cart::nth` against `fake`'s `Dummy` derive and against `clone()`,
//! timed in short interleaved rounds (each round times every contender back to back), and the
//! median of the per-round ratios reported. Criterion (`--bench derive`) times the contenders
//! one after another, seconds apart, so a drift of the host between them skews its ratios.
//!
//! `cargo bench --bench derive_ratio` (add `-- --rounds N` for more rounds).

use std::hint::black_box;
use std::time::Instant;

mod common;

use common::{FakeUser, fake_cart};
use fake::{Fake, Faker};
use rand::SeedableRng;
use testdata::TestData;
use testdata_suite::reference::{Cart, User};

/// Calls per contender per round.
const BATCH: u64 = 20_000;

/// Nanoseconds per call of `f`, over `BATCH` calls.
fn time(mut f: impl FnMut(u64)) -> f64 {
    let t = Instant::now();
    for i in 0..BATCH {
        f(i);
    }
    t.elapsed().as_nanos() as f64 / BATCH as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Runs `rounds` rounds of (ours, fake, clone) and prints medians and median ratios.
fn report(
    name: &str,
    rounds: usize,
    mut ours: impl FnMut(u64),
    mut fake: impl FnMut(u64),
    mut clone: impl FnMut(u64),
) {
    let (mut o, mut f, mut c, mut of, mut oc) = (vec![], vec![], vec![], vec![], vec![]);
    for r in 0..rounds + 2 {
        let (a, b, d) = (time(&mut ours), time(&mut fake), time(&mut clone));
        if r >= 2 {
            // The first two rounds warm up.
            o.push(a);
            f.push(b);
            c.push(d);
            of.push(b / a);
            oc.push(a / d);
        }
    }
    println!(
        "{name}: testdata {:.0} ns, fake {:.0} ns, clone {:.0} ns (medians of {rounds} rounds); \
         fake/testdata = {:.2}x (bar >= 3), testdata/clone = {:.2}x (bar <= 2.5)",
        median(o),
        median(f),
        median(c),
        median(of),
        median(oc),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(31);
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this as a smoke test.
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let user = User::nth(7, 0);
    let mut n = 0u64;
    report(
        "User",
        rounds,
        |i| {
            black_box(User::nth(black_box(7), i));
        },
        |_| {
            black_box(Faker.fake_with_rng::<FakeUser, _>(&mut rng));
        },
        |_| {
            black_box(black_box(&user).clone());
        },
    );
    let carts: Vec<Cart> = (0..1024).map(|i| Cart::nth(7, i)).collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    report(
        "Cart",
        rounds,
        |i| {
            black_box(Cart::nth(black_box(7), i));
        },
        |_| {
            black_box(fake_cart(&mut rng));
        },
        |_| {
            n += 1;
            // Clones of the carts `nth` produces (the same mix of sizes).
            black_box(black_box(&carts[(n & 1023) as usize]).clone());
        },
    );
}
