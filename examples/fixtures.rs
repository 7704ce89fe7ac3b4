//! Fixtures in `#[test]`s: `T::fixture()` takes its seed from the test's name, `TESTDATA_SEED`
//! overrides it, and a failing test prints the seed and the command that replays it:
//!
//! ```text
//! testdata: test `tests::discount_never_exceeds_the_total` used seed 7203… (Order ×1); replay with:
//!     TESTDATA_SEED=7203… cargo test tests::discount_never_exceeds_the_total -- --exact
//! ```
//!
//! `cargo test --example fixtures` runs the tests below; `cargo run --example fixtures` prints
//! a fixture.

use testdata::TestData;

#[derive(TestData, Debug, Clone, PartialEq)]
pub struct Order {
    #[testdata(format = "ORD-{year}-{digits:7}")]
    pub id: String,
    pub email: String,
    #[testdata(range = 1..=10)]
    pub quantity: u32,
    /// Cents.
    #[testdata(range = 100..=50_000)]
    pub unit_price: u64,
    #[testdata(range = 0..=30)]
    pub discount_percent: u8,
}

impl Order {
    /// The amount to pay, in cents.
    pub fn total(&self) -> u64 {
        let gross = self.unit_price * self.quantity as u64;
        gross - gross * self.discount_percent as u64 / 100
    }
}

fn main() {
    let o = Order::fixture();
    println!("{o:#?} total {}", o.total());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discount_never_exceeds_the_total() {
        let order = Order::fixture();
        assert!(order.total() <= order.unit_price * order.quantity as u64);
    }

    #[test]
    fn fixtures_of_one_test_differ_and_replay() {
        let (a, b) = (Order::fixture(), Order::fixture());
        assert_ne!(a, b, "the second fixture of a test is the next record");
    }

    #[test]
    fn builder_pins_what_the_test_is_about() {
        let order = Order::builder().quantity(2).unit_price(1_000).discount_percent(50).build(1);
        assert_eq!(order.total(), 1_000);
    }
}
