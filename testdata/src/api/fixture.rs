//! Fixtures: values for the running test, with a seed derived from the test's name and a
//! replay line printed when the test fails.
//!
//! Std's test harness runs each test on a thread named after the test (`module::test_name`);
//! the seed is [`Seed::from`] that name (the type's name outside a test), unless
//! `TESTDATA_SEED` is set (a decimal `u64` or any string, see [`Seed::parse`]).
//!
//! Each fixture registers its seed in a thread-local list; a panic hook, installed once (it
//! chains to the hook that was there before), prints the seeds of the panicking thread and
//! the command that replays the test with them. Output goes through `eprintln!`, so the
//! harness shows it with the failed test's output.

use std::cell::RefCell;
use std::sync::Once;

use crate::Seed;

struct Used {
    test: String,
    seed: Seed,
    /// (type key, type name, fixtures taken so far).
    counts: Vec<(u64, &'static str, u64)>,
}

thread_local! {
    static USED: RefCell<Option<Used>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

fn test_name() -> Option<String> {
    let t = std::thread::current();
    t.name().filter(|n| *n != "main").map(str::to_owned)
}

/// The seed of the running test's fixtures: `TESTDATA_SEED` if set, else the test's name.
pub fn fixture_seed() -> Seed {
    match std::env::var("TESTDATA_SEED") {
        Ok(s) if !s.trim().is_empty() => Seed::parse(&s),
        _ => Seed::from(test_name().unwrap_or_else(|| "testdata".to_owned())),
    }
}

/// Registers a fixture of the type keyed `type_key` taken with `seed` on this thread and
/// returns its index (0 for the first fixture of the type in this test, then 1, …).
pub fn fixture_index(type_key: u64, type_name: &'static str, seed: Seed) -> u64 {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            report();
            previous(info);
        }));
    });
    let test = test_name().unwrap_or_else(|| type_name.to_owned());
    USED.with(|u| {
        let mut u = u.borrow_mut();
        let used = match &mut *u {
            Some(x) if x.test == test && x.seed == seed => x,
            other => other.insert(Used { test, seed, counts: Vec::new() }),
        };
        match used.counts.iter_mut().find(|(k, _, _)| *k == type_key) {
            Some((_, _, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                used.counts.push((type_key, type_name, 1));
                0
            }
        }
    })
}

fn report() {
    let _ = USED.try_with(|u| {
        if let Ok(u) = u.try_borrow()
            && let Some(used) = &*u
        {
            let types: Vec<String> = used.counts.iter().map(|(_, name, n)| format!("{name} ×{n}")).collect();
            eprintln!(
                "testdata: test `{}` used seed {} ({}); replay with:\n    TESTDATA_SEED={} cargo test {} -- --exact",
                used.test,
                used.seed,
                types.join(", "),
                used.seed,
                used.test
            );
        }
    });
}
