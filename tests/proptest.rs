//! Acceptance tests of `testdata::proptest` (issue #4): shrinking keeps every constraint, ends
//! at the simplest failing value, is deterministic, and proptest's persistence replays it.

use std::cell::RefCell;
use std::sync::Mutex;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{
    Config, FileFailurePersistence, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner,
};
use testdata::{Schema, TestData};
use testdata_suite::reference::User;

/// A struct whose simplest value is known field by field.
#[derive(TestData, Debug, Clone, PartialEq)]
pub struct Profile {
    #[testdata(range = 18..=90)]
    pub age: u8,
    #[testdata(range = 100..=500)]
    pub score: i64,
    #[testdata(range = 2.5..=9.5)]
    pub ratio: f64,
    #[testdata(one_of = ["bronze", "silver", "gold"], weights = [1, 2, 3])]
    pub tier: String,
    #[testdata(optional = 0.3)]
    pub nickname: Option<String>,
    #[testdata(len = 2..=6)]
    pub scores: Vec<u32>,
    #[testdata(len = 3..=20)]
    pub note: String,
    #[testdata(pattern = "[A-Z]{2,6}-[0-9]{1,4}")]
    pub code: String,
    pub is_active: bool,
}

#[derive(TestData, Debug, Clone, PartialEq)]
pub enum Plan {
    #[testdata(weight = 8)]
    Free,
    #[testdata(weight = 2)]
    Pro,
    Enterprise,
}

#[derive(TestData, Debug, Clone, PartialEq)]
pub struct LineItem {
    #[testdata(product_name)]
    pub name: String,
    #[testdata(range = 100..=50_000)]
    pub unit_price: u64,
    #[testdata(range = 1..=5)]
    pub quantity: u64,
}

/// Every constraint kind, nested values, collections and a `finish` hook.
#[derive(TestData, Debug, Clone, PartialEq)]
#[testdata(finish = Order::totals)]
pub struct Order {
    #[testdata(format = "ORD-{year}-{digits:7}", unique)]
    pub order_id: String,
    #[testdata(email)]
    pub contact: String,
    #[testdata(range = 18..=90)]
    pub age: u8,
    #[testdata(range = -5.0..5.0)]
    pub delta: f64,
    #[testdata(len = 4..=12)]
    pub note: String,
    #[testdata(len = 1..=4)]
    pub tags: Vec<String>,
    #[testdata(pattern = "[A-Z]{3}-[0-9]{4}")]
    pub sku: String,
    #[testdata(one_of = ["card", "paypal", "wire"], weights = [6, 3, 1])]
    pub payment: String,
    #[testdata(one_of = [1, 2, 3])]
    pub level: i32,
    #[testdata(optional = 0.25)]
    pub coupon: Option<String>,
    #[testdata(range = "2020-01-01"..="2024-12-31")]
    pub placed_on: NaiveDate,
    pub plan: Plan,
    pub shipping: LineItem,
    #[testdata(len = 1..=5)]
    pub items: Vec<LineItem>,
    #[testdata(skip)]
    pub subtotal: u64,
    #[testdata(skip)]
    pub total: u64,
}

impl Order {
    fn totals(&mut self) {
        self.subtotal = self.items.iter().map(|i| i.unit_price * i.quantity).sum();
        self.total = self.subtotal + self.shipping.unit_price;
    }

    fn coherent(&self) -> bool {
        self.subtotal == self.items.iter().map(|i| i.unit_price * i.quantity).sum::<u64>()
            && self.total == self.subtotal + self.shipping.unit_price
    }
}

fn config() -> Config {
    Config { failure_persistence: None, max_shrink_iters: 100_000, ..Config::default() }
}

fn runner(seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(config(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Runs `property` until it fails and returns the shrunk value.
fn minimal<S: Strategy>(strategy: &S, seed: u64, property: impl Fn(&S::Value) -> bool) -> S::Value {
    let result = runner(seed)
        .run(strategy, |v| if property(&v) { Ok(()) } else { Err(TestCaseError::fail("property failed")) });
    match result {
        Err(TestError::Fail(_, v)) => v,
        other => panic!("the property was expected to fail: {other:?}"),
    }
}

#[test]
fn age_above_50_shrinks_to_51_with_every_other_field_simplest() {
    for seed in 0..20 {
        let p = minimal(&testdata::proptest::strategy::<Profile>(), seed, |p| p.age <= 50);
        p.validate().unwrap();
        assert_eq!(p.age, 51, "{p:?}");
        assert_eq!(p.score, 100, "range minimum: {p:?}");
        assert_eq!(p.ratio, 2.5, "float range minimum: {p:?}");
        assert_eq!(p.tier, "bronze", "first one_of choice: {p:?}");
        assert_eq!(p.nickname, None, "None for optional: {p:?}");
        assert_eq!(p.scores.len(), 2, "fewest items: {p:?}");
        assert_eq!(p.note.chars().count(), 3, "shortest length: {p:?}");
        assert_eq!(p.code.len(), 4, "shortest pattern match: {p:?}");
        assert!(p.is_active, "a bool is `chance(0.5)`: draw 0 is `true`: {p:?}");
    }
}

#[test]
fn reference_user_shrinks_to_age_51() {
    let typical: f64 =
        User::batch(1, 1_000).iter().map(|u| format!("{u:?}").len() as f64).sum::<f64>() / 1_000.0;
    for seed in 7..17 {
        let u = minimal(&testdata::proptest::strategy::<User>(), seed, |u| u.age <= 50);
        u.validate().unwrap();
        assert_eq!(u.age, 51);
        assert!(u.is_active, "draw 0 of a bool");
        // The range minimum of `created_at` (two years before the reference instant).
        assert_eq!(u.created_at.timestamp(), testdata::time::DEFAULT_ANCHOR - 730 * 86_400, "{u:?}");
        // Text fields are shorter than typical.
        assert!((format!("{u:?}").len() as f64) < typical, "{u:?}");
    }
}

#[test]
fn email_with_a_digit_shrinks_to_a_short_valid_email_with_one_digit() {
    let typical: f64 = User::batch(1, 1_000).iter().map(|u| u.email.len() as f64).sum::<f64>() / 1_000.0;
    for seed in 0..20 {
        let u = minimal(&testdata::proptest::strategy::<User>(), seed, |u| {
            !u.email.chars().any(|c| c.is_ascii_digit())
        });
        u.validate().unwrap();
        let digits = u.email.chars().filter(char::is_ascii_digit).count();
        assert_eq!(digits, 1, "{}", u.email);
        assert!((u.email.len() as f64) < typical, "{} vs typical {typical:.1}", u.email);
        if seed == 0 {
            println!("shrunk email: {} (typical length {typical:.1})", u.email);
        }
    }
}

/// Over 1,000 failing runs, every value the property is called with (initial, shrinking
/// candidates, final) passes `validate()` and keeps the `finish` hook's totals.
#[test]
fn every_value_seen_while_shrinking_is_valid() {
    let seen = std::cell::Cell::new(0u64);
    let invalid = RefCell::new(Vec::new());
    let strategy = testdata::proptest::strategy::<Order>();
    for seed in 0..1_000u64 {
        let result = runner(seed).run(&strategy, |o| {
            seen.set(seen.get() + 1);
            if let Err(e) = o.validate() {
                invalid.borrow_mut().push(format!("{e}: {o:?}"));
            }
            if !o.coherent() {
                invalid.borrow_mut().push(format!("totals: {o:?}"));
            }
            // Fails for most values, in ways that depend on several fields.
            let fails = o.items.len() > 1 || o.age > 40 || o.payment != "card" || o.coupon.is_some();
            if fails { Err(TestCaseError::fail("boom")) } else { Ok(()) }
        });
        assert!(matches!(result, Err(TestError::Fail(..))), "run {seed} did not fail");
    }
    let invalid = invalid.into_inner();
    assert!(invalid.is_empty(), "{} invalid of {}: {}", invalid.len(), seen.get(), invalid[0]);
    assert!(seen.get() > 5_000, "shrinking ran: {} values", seen.get());
    println!("{} values seen over 1,000 failing runs, all valid", seen.get());
}

#[test]
fn same_proptest_seed_gives_same_shrunk_value() {
    let strategy = testdata::proptest::strategy::<Order>();
    let shrink = |seed| minimal(&strategy, seed, |o| o.items.len() < 3 && o.sku.as_str() < "M");
    for seed in [1, 2, 3] {
        let a = shrink(seed);
        assert_eq!(a, shrink(seed));
        a.validate().unwrap();
        assert_eq!(a.items.len(), if a.sku.as_str() < "M" { 3 } else { 1 }, "{a:?}");
    }
}

#[test]
fn empty_tape_generates_exactly_nth() {
    let mut r = runner(5);
    for _ in 0..200 {
        let mut tree = testdata::proptest::strategy::<Order>().new_tree(&mut r).unwrap();
        let plain = Order::nth(tree.seed(), tree.index());
        assert_eq!(tree.current(), plain);
        // Recording the draws (first simplify) and undoing an untested candidate returns to the
        // value generated under the recording, empty tape.
        assert!(tree.simplify());
        assert!(!tree.complicate());
        assert_eq!(tree.current(), plain);
        assert!(!tree.draws().is_empty());
    }
}

#[test]
fn shrinking_is_bounded() {
    // A property that always fails: every draw goes to 0, in a bounded number of steps.
    let mut tree = testdata::proptest::strategy::<Order>().new_tree(&mut runner(3)).unwrap();
    let mut tests = 0;
    while {
        let _ = tree.current();
        tests += 1;
        tree.simplify()
    } {}
    assert!(tree.steps() <= testdata::proptest::MAX_SHRINK_STEPS);
    assert!(tests < 200, "{tests}");
    // Single-draw choices and ranges end at draw 0; composite text at a short value.
    assert!(tree.draws().iter().filter(|&&d| d == 0).count() * 2 > tree.draws().len(), "{:?}", tree.draws());
    let simplest = tree.current();
    simplest.validate().unwrap();
    assert_eq!(simplest.items.len(), 1);
    assert_eq!(simplest.coupon, None);
    assert_eq!(simplest.payment, "card");
}

#[test]
fn failure_is_persisted_and_replayed() {
    let dir = std::env::temp_dir().join(format!("testdata-proptest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file: &'static str =
        Box::leak(dir.join("regressions.txt").to_string_lossy().into_owned().into_boxed_str());
    let cfg = || Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        max_shrink_iters: 100_000,
        ..Config::default()
    };
    let first_failing = Mutex::new(None::<User>);
    let first_seen = Mutex::new(None::<User>);
    let run = |record_first: bool| -> Result<(), Box<TestError<User>>> {
        TestRunner::new(cfg())
            .run(&testdata::proptest::strategy::<User>(), |u| {
                let mut seen = first_seen.lock().unwrap();
                if seen.is_none() {
                    *seen = Some(u.clone());
                }
                drop(seen);
                if u.age > 50 {
                    let mut f = first_failing.lock().unwrap();
                    if record_first && f.is_none() {
                        *f = Some(u.clone());
                    }
                    return Err(TestCaseError::fail("too old"));
                }
                Ok(())
            })
            .map_err(Box::new)
    };
    let Err(TestError::Fail(_, shrunk)) = run(true).map_err(|e| *e) else { panic!("fails") };
    assert!(std::fs::read_to_string(file).unwrap().contains("cc "), "a seed was persisted");
    *first_seen.lock().unwrap() = None;
    let Err(TestError::Fail(_, replayed)) = run(false).map_err(|e| *e) else { panic!("fails again") };
    // The persisted case runs first and is the same failing value, shrunk to the same value.
    assert_eq!(first_seen.lock().unwrap().as_ref(), first_failing.lock().unwrap().as_ref());
    assert_eq!(replayed, shrunk);
    assert_eq!(replayed.age, 51);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn failure_message_names_the_shrunk_value() {
    let panic = std::panic::catch_unwind(|| {
        proptest!(config(), |(u in testdata::proptest::strategy::<User>())| {
            prop_assert!(u.age <= 50);
        });
    })
    .expect_err("the property fails");
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert!(message.contains("minimal failing input"), "{message}");
    assert!(message.contains("age: 51"), "{message}");
    assert!(message.contains("User {"), "{message}");
}

proptest! {
    #![proptest_config(Config { failure_persistence: None, ..Config::default() })]

    #[test]
    fn derived_values_are_valid(o in testdata::proptest::strategy::<Order>()) {
        prop_assert!(o.validate().is_ok());
        prop_assert!(o.coherent());
    }

    #[test]
    fn strategies_compose(pair in (testdata::proptest::strategy::<User>(), 0..10u8)) {
        prop_assert!((18..=90).contains(&pair.0.age));
    }
}

#[test]
fn schema_strategy_shrinks_inside_the_schema() {
    let schema: Schema = testdata_suite::schema("user");
    let strategy = schema.strategy();
    let seen = RefCell::new(0);
    for seed in 0..50 {
        let result = runner(seed).run(&strategy, |v| {
            *seen.borrow_mut() += 1;
            if let Err(e) = schema.validate(&v) {
                return Err(TestCaseError::fail(format!("INVALID {e}")));
            }
            let addresses = v["addresses"].as_array().map_or(0, Vec::len);
            if addresses >= 1 && v["loyalty_tier"] != "platinum" {
                Err(TestCaseError::fail("has an address"))
            } else {
                Ok(())
            }
        });
        match result {
            Err(TestError::Fail(why, v)) => {
                assert!(!why.message().contains("INVALID"), "{why}");
                schema.validate(&v).unwrap();
                assert_eq!(v["addresses"].as_array().map(Vec::len), Some(1), "{v}");
                assert_eq!(v["loyalty_tier"], "bronze", "{v}");
            }
            Ok(()) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert!(*seen.borrow() > 100);
}
