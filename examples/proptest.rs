//! Property tests over the reference `User` and `Cart` with `testdata::proptest`: every value
//! proptest generates or shrinks to is valid, and a failing property shrinks to the simplest
//! valid value that still fails.
//!
//! `cargo run --example proptest`

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use testdata::TestData;
use testdata_suite::reference::{Cart, User};

/// A discount rule under test: 10% off carts of 3 items or more.
fn discounted_total(cart: &Cart) -> u64 {
    if cart.items.len() >= 3 { cart.total - cart.total / 10 } else { cart.total }
}

fn config() -> Config {
    Config { cases: 256, failure_persistence: None, ..Config::default() }
}

fn main() {
    // 1. Passing properties, as one writes them with `proptest!`.
    proptest!(config(), |(user in testdata::proptest::strategy::<User>())| {
        prop_assert!((18..=90).contains(&user.age));
        prop_assert!(user.email.contains('@'));
        prop_assert!(user.validate().is_ok());
    });
    proptest!(config(), |(cart in testdata::proptest::strategy::<Cart>())| {
        prop_assert_eq!(cart.total, cart.subtotal + cart.tax);
        prop_assert!(discounted_total(&cart) <= cart.total);
        prop_assert!(cart.validate().is_ok());
    });
    println!("passed: 256 users and 256 carts, all valid, totals consistent");

    // 2. A failing property and what it shrinks to (run through `TestRunner` to print it
    //    instead of panicking): "every cart over 500.00 gets a discount" is wrong for carts
    //    of one or two items.
    let mut runner = TestRunner::new(config());
    let result = runner.run(&testdata::proptest::strategy::<Cart>(), |cart| {
        if cart.total > 50_000 && discounted_total(&cart) == cart.total {
            return Err(TestCaseError::fail("a cart over 500.00 without a discount"));
        }
        Ok(())
    });
    match result {
        Err(TestError::Fail(why, cart)) => {
            println!("failed as expected ({why}); shrunk to a valid cart:");
            println!(
                "  {} items, subtotal {:.2}, tax {:.2}, total {:.2}, valid: {}",
                cart.items.len(),
                cart.subtotal as f64 / 100.0,
                cart.tax as f64 / 100.0,
                cart.total as f64 / 100.0,
                cart.validate().is_ok()
            );
            for item in &cart.items {
                println!("    {} × {} at {:.2}", item.quantity, item.name, item.unit_price as f64 / 100.0);
            }
        }
        Err(e) => println!("unexpected: {e}"),
        Ok(()) => println!("no failing cart was generated this run"),
    }

    // 3. The same for a user: "nobody is over 50" shrinks to exactly 51.
    let result = TestRunner::new(config()).run(&testdata::proptest::strategy::<User>(), |u| {
        prop_assert!(u.age <= 50);
        Ok(())
    });
    if let Err(TestError::Fail(_, user)) = result {
        println!(
            "'age <= 50' fails; minimal user: age {}, {} {} <{}>",
            user.age, user.first_name, user.last_name, user.email
        );
    }
}
