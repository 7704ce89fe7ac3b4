//! Datasets: records of several types generated from one seed, where a field refers to a
//! record of another type (`#[testdata(references = User::id)]`).
//!
//! A reference in record `i` draws the index `j` of the referenced record from its own field
//! stream (uniform in `0..size`, the referenced type's size in the dataset) and takes the key
//! field of `User::nth(seed, j)`. Only that field is computed (its generator alone runs: a few
//! nanoseconds to ~100 ns), never the whole user, and no user is materialised; a `finish` hook
//! of the referenced type does not run for it, so a key field that `finish` rewrites cannot be
//! referenced.

use crate::api::{DEFAULT_CONTEXT, Env, TestData};
use crate::{Context, Key, Seed};

/// How many records a referenced type has when the referring record is generated outside a
/// [`Dataset`] (plain `Order::nth`): references point into its first 100 records.
pub const DEFAULT_REFERENCE_SIZE: u64 = 100;

/// Records of several types sharing one seed, with the size of each type, so that
/// references (`Order.user_id` → `User.id`) point at records that exist.
///
/// ```
/// use testdata::{Dataset, TestData};
///
/// #[derive(TestData, Debug)]
/// struct User {
///     id: u64,
///     email: String,
/// }
///
/// #[derive(TestData, Debug)]
/// struct Order {
///     #[testdata(references = User::id)]
///     user_id: u64,
///     #[testdata(range = 1..=5)]
///     quantity: u32,
/// }
///
/// let ds = Dataset::new(7).with::<User>(10);
/// let users: Vec<User> = ds.all();
/// for order in ds.batch::<Order>(50) {
///     assert!(users.iter().any(|u| u.id == order.user_id));
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Dataset {
    seed: Seed,
    ctx: Context,
    sizes: Vec<(u64, u64)>,
}

impl Dataset {
    /// An empty dataset of `seed`.
    pub fn new(seed: impl Into<Seed>) -> Dataset {
        Dataset { seed: seed.into(), ctx: DEFAULT_CONTEXT.clone(), sizes: Vec::new() }
    }

    /// The same dataset generated under `ctx`.
    pub fn with_context(mut self, ctx: Context) -> Dataset {
        self.ctx = ctx;
        self
    }

    /// Declares that the dataset holds `n` records of `T` (records `0..n` of its stream).
    pub fn with<T: TestData>(mut self, n: u64) -> Dataset {
        self.sizes.retain(|(k, _)| *k != T::KEY);
        self.sizes.push((T::KEY, n));
        self
    }

    /// The seed.
    pub fn seed(&self) -> Seed {
        self.seed
    }

    /// The number of records of the type keyed `type_key` ([`DEFAULT_REFERENCE_SIZE`] when not
    /// declared).
    pub fn size_of_key(&self, type_key: u64) -> u64 {
        self.sizes.iter().find(|(k, _)| *k == type_key).map(|(_, n)| *n).unwrap_or(DEFAULT_REFERENCE_SIZE)
    }

    /// The number of records of `T`.
    pub fn size<T: TestData>(&self) -> u64 {
        self.size_of_key(T::KEY)
    }

    /// Record `i` of `T` in this dataset.
    pub fn nth<T: TestData>(&self, i: u64) -> T {
        let env = Env { dataset: Some(self), ..Env::root(&self.ctx, self.seed, T::KEY, i) };
        T::generate(Key::root(self.seed, T::KEY, i), &env)
    }

    /// Records `0..n` of `T`.
    pub fn batch<T: TestData>(&self, n: usize) -> Vec<T> {
        (0..n as u64).map(|i| self.nth(i)).collect()
    }

    /// Every record of `T` the dataset declares.
    pub fn all<T: TestData>(&self) -> Vec<T> {
        (0..self.size::<T>()).map(|i| self.nth(i)).collect()
    }
}

/// The node of the record a reference points at: draws `j` in `0..size` from `g` and returns
/// the referenced record's key and environment index.
#[doc(hidden)]
pub fn reference<T: TestData>(g: &mut crate::Gen, env: &Env<'_>) -> (Key, u64) {
    let n = env.dataset.map(|d| d.size_of_key(T::KEY)).unwrap_or(DEFAULT_REFERENCE_SIZE);
    let j = g.below(n.max(1));
    (Key::root(env.seed, T::KEY, j), j)
}
