//! [proptest](https://docs.rs/proptest) strategies for [`TestData`] types and runtime
//! [`Schema`]s whose shrinking keeps every constraint (feature `proptest`).
//!
//! ```
//! use proptest::prelude::*;
//! use testdata::TestData;
//!
//! #[derive(TestData, Debug, Clone)]
//! struct User {
//!     email: String,
//!     #[testdata(range = 18..=90)]
//!     age: u8,
//!     #[testdata(one_of = ["free", "pro"], weights = [9, 1])]
//!     plan: String,
//! }
//!
//! proptest! {
//!     // (in a test module: `#[test] fn users_are_adults…`)
//!     fn users_are_adults(user in testdata::proptest::strategy::<User>()) {
//!         prop_assert!(user.age >= 18);
//!         prop_assert!(user.validate().is_ok());
//!     }
//! }
//! users_are_adults();
//!
//! // A failing property shrinks to the simplest valid value that still fails:
//! use proptest::test_runner::{Config, TestError, TestRunner};
//! let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::default() });
//! let result = runner.run(&testdata::proptest::strategy::<User>(), |u| {
//!     prop_assert!(u.age <= 50);
//!     Ok(())
//! });
//! let Err(TestError::Fail(_, minimal)) = result else { panic!("the property fails") };
//! assert_eq!(minimal.age, 51);      // the smallest failing age…
//! assert_eq!(minimal.plan, "free"); // …and every other field at its simplest
//! minimal.validate().unwrap();
//! ```
//!
//! # How values are drawn and shrunk
//!
//! [`strategy::<T>()`](strategy) draws a seed and an index from proptest's runner RNG and
//! generates `T::nth(seed, index)`, so proptest's seeds, `PROPTEST_RNG_SEED` and failure
//! persistence (`proptest-regressions/`) drive it and a persisted failure replays exactly.
//!
//! Every value is a pure function of the raw 64-bit draws of its field streams, and every draw
//! sequence maps into the constrained domain (constraints are met by construction, never by
//! rejection). Shrinking therefore works on the draws, as Hypothesis does: the
//! [`DrawTree`] records the draws of the failing value and lowers them one by one (to 0 first,
//! then by binary search), re-generating the value from the modified draws each time — so each
//! candidate is a value of the type that passes `validate()`, and `finish` hooks (cart totals,
//! date order) run on each. A smaller draw gives a simpler value: the range minimum, the
//! shortest allowed length, the first `one_of` choice, `None` for an optional field, the fewest
//! collection items. Shrinking is deterministic and ends after at most [`MAX_SHRINK_STEPS`]
//! candidates; proptest's `max_shrink_iters` (default: 4 × `cases`) bounds how many it tests,
//! so raise it if you lower `cases` a lot.
//!
//! Emails, names and other kinds shrink inside their kind: an email shrinks to a shorter valid
//! email, never to an arbitrary string.
//!
//! With a [`Context`] that has edge cases ([`strategy_with`]), a zero draw also selects the
//! edge case, so shrunk values tend towards boundary values (still inside the constraints).

mod shrink;
pub(crate) mod tape;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use ::proptest::strategy::{NewTree, Strategy};
use ::proptest::test_runner::TestRunner;
use rand_core::Rng;

pub use shrink::{DrawTree, MAX_SHRINK_STEPS};

use crate::{Context, Schema, Seed, TestData};

/// The strategy of the values of `T` (see the [module docs](self)).
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
/// use testdata::TestData;
///
/// #[derive(TestData, Debug)]
/// struct Sku(#[testdata(pattern = "[A-Z]{3}-[0-9]{4}")] String);
///
/// let mut runner = TestRunner::deterministic();
/// let tree = testdata::proptest::strategy::<Sku>().new_tree(&mut runner).unwrap();
/// let sku = tree.current();
/// sku.validate().unwrap();
/// assert_eq!(sku.0, Sku::nth(tree.seed(), tree.index()).0);
/// ```
pub fn strategy<T: TestData + fmt::Debug + 'static>() -> TestDataStrategy<T> {
    TestDataStrategy { make: Arc::new(|seed, index| T::nth(seed, index)), _t: PhantomData }
}

/// The strategy of the values of `T` generated under `ctx` (locale, reference instant,
/// edge-case rate), i.e. `T::nth_with(seed, index, &ctx)`.
///
/// ```
/// use proptest::prelude::*;
/// use testdata::{Context, TestData};
///
/// #[derive(TestData, Debug)]
/// struct Item { #[testdata(range = 1..=5)] quantity: u32 }
///
/// let edgy = testdata::proptest::strategy_with::<Item>(Context::default().with_edge_cases(0.5));
/// proptest!(|(item in edgy)| prop_assert!((1..=5).contains(&item.quantity)));
/// ```
pub fn strategy_with<T: TestData + fmt::Debug + 'static>(ctx: Context) -> TestDataStrategy<T> {
    TestDataStrategy { make: Arc::new(move |seed, index| T::nth_with(seed, index, &ctx)), _t: PhantomData }
}

/// The [`Strategy`] of a [`TestData`] type, made by [`strategy`] or [`strategy_with`].
pub struct TestDataStrategy<T> {
    make: shrink::Make<T>,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for TestDataStrategy<T> {
    fn clone(&self) -> Self {
        TestDataStrategy { make: Arc::clone(&self.make), _t: PhantomData }
    }
}

impl<T: TestData> fmt::Debug for TestDataStrategy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TestDataStrategy<{}>", T::NAME)
    }
}

impl<T: TestData + fmt::Debug> Strategy for TestDataStrategy<T> {
    type Tree = DrawTree<T>;
    type Value = T;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let rng = runner.rng();
        let seed = Seed::new(rng.next_u64());
        let index = rng.next_u64();
        Ok(DrawTree::new(Arc::clone(&self.make), seed, index))
    }
}

/// The [`Strategy`] of a runtime schema's records, made by [`Schema::strategy`].
#[derive(Clone)]
pub struct SchemaStrategy {
    schema: Arc<Schema>,
    make: shrink::Make<serde_json::Value>,
}

impl fmt::Debug for SchemaStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SchemaStrategy({})", self.schema.name())
    }
}

impl SchemaStrategy {
    pub(crate) fn new(schema: Schema) -> SchemaStrategy {
        let schema = Arc::new(schema);
        let s = Arc::clone(&schema);
        // `new_tree` only picks indexes a unique field can serve, the only generation error.
        let make = Arc::new(move |seed, index| s.nth(seed, index).unwrap_or(serde_json::Value::Null));
        SchemaStrategy { schema, make }
    }

    /// The schema whose records the strategy produces.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }
}

impl Strategy for SchemaStrategy {
    type Tree = DrawTree<serde_json::Value>;
    type Value = serde_json::Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let rng = runner.rng();
        let seed = Seed::new(rng.next_u64());
        let raw = rng.next_u64();
        let index = match self.schema.max_records() {
            Some(0) => {
                return Err(
                    format!("schema `{}` has a unique field with no values", self.schema.name()).into()
                );
            }
            Some(n) => ((raw as u128 * n as u128) >> 64) as u64,
            None => raw,
        };
        Ok(DrawTree::new(Arc::clone(&self.make), seed, index))
    }
}
