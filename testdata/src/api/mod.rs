//! What users touch: the [`TestData`] trait (implemented by `#[derive(TestData)]`), fixtures,
//! datasets with relations, builders and parallel batches.
//!
//! # Streams of a derived type (part of the output contract)
//!
//! * record `i` of seed `s` has the key `Key::root(s, T::KEY, i)`, where `T::KEY` is
//!   [`name_key`](crate::seed::name_key) of the type's name (or of `#[testdata(key = "...")]`);
//! * field `f` draws from `key.field(name_key("f"))` (tuple fields are named `"0"`, `"1"`, …);
//!   a nested `TestData` value in field `f` has the node key `key.child(name_key("f"))`;
//! * element `j` of a collection field `f` has the key `key.child(name_key("f")).child(j)`; the
//!   length is the first draw of the field's stream;
//! * `Option` fields decide `None` from `node.child(name_key("$optional"))` and edge cases
//!   from `node.child(name_key("$edge"))`;
//! * an enum draws its variant from its node's stream (weights from `#[testdata(weight = N)]`)
//!   and the fields of variant `V` from the node `node.child(name_key("V"))`.
//!
//! These are the streams runtime schemas use, which is why
//! `serde_json::to_value(T::nth(s, i))` equals `T::schema().nth(s, i)`.

mod builder;
mod dataset;
mod fixture;
pub(crate) mod values;

use std::fmt;
use std::marker::PhantomData;

pub use builder::{Override, Same};
pub use dataset::{DEFAULT_REFERENCE_SIZE, Dataset, reference};
pub use fixture::{fixture_index, fixture_seed};

use crate::constraint::Violation;
use crate::schema::{FieldDef, FieldType, SchemaDef};
use crate::{Context, Gen, Key, Schema, Seed, Violations};

/// The default context: English, no edge cases, "now" at [`crate::time::DEFAULT_ANCHOR`].
pub static DEFAULT_CONTEXT: Context = Context::new();

/// What a record's generation needs besides its key: the settings, the seed and index of the
/// top-level record (for `unique` fields and `{index}` templates) and the dataset, if any.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Env<'a> {
    /// The run's settings.
    pub ctx: &'a Context,
    /// The seed of the stream.
    pub seed: Seed,
    /// The index of the top-level record.
    pub index: u64,
    /// The stream key of the top-level type.
    pub type_key: u64,
    /// Whether the value being generated is the top-level record (unique fields apply there).
    pub top: bool,
    /// The dataset the record belongs to (sizes of referenced types).
    pub dataset: Option<&'a Dataset>,
}

impl<'a> Env<'a> {
    /// The environment of record `index` of the type keyed `type_key`.
    #[inline]
    pub fn root(ctx: &'a Context, seed: Seed, type_key: u64, index: u64) -> Env<'a> {
        Env { ctx, seed, index, type_key, top: true, dataset: None }
    }

    /// The environment of a value nested in this record.
    #[inline]
    pub fn nested(&self) -> Env<'a> {
        Env { top: false, ..*self }
    }
}

/// The path of a value inside a record, built without allocation and rendered only when a
/// violation is reported: `items[2].price`.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The record itself.
    Root,
    /// A field of the value at the parent path.
    Field(&'a Path<'a>, &'static str),
    /// An element of the collection at the parent path.
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(p, name) => write!(f, "{p}.{name}"),
            Path::Index(p, i) => write!(f, "{p}[{i}]"),
        }
    }
}

/// A type whose values can be generated: seeded, deterministic, index-addressable and within
/// the constraints of its fields. Implement it with `#[derive(TestData)]`.
///
/// ```
/// use testdata::TestData;
///
/// #[derive(TestData, Debug, PartialEq, Clone)]
/// struct User {
///     email: String,
///     #[testdata(range = 18..=30)]
///     age: u8,
/// }
///
/// let u = User::nth(42, 0);
/// assert!((18..=30).contains(&u.age));
/// assert_eq!(u, User::batch(42, 3)[0]);
/// u.validate().unwrap();
/// ```
pub trait TestData: Sized {
    /// The stream key of the type: [`name_key`](crate::seed::name_key) of its name.
    const KEY: u64;
    /// The type's key name (its name, or `#[testdata(key = "...")]`).
    const NAME: &'static str;

    /// Generates the value whose node key is `key`. Use [`TestData::nth`]; this is what nested
    /// values and the other methods call.
    #[doc(hidden)]
    fn generate(key: Key, env: &Env<'_>) -> Self;

    /// The runtime schema description of the type (fields, kinds, bounds).
    fn schema_def() -> SchemaDef;

    /// The description of the type when it is a field of another type.
    fn field_def() -> FieldDef {
        FieldDef {
            ty: Some(FieldType::Object),
            fields: Some(Self::schema_def().fields),
            ..FieldDef::default()
        }
    }

    /// Appends every violation of the type's constraints in `self` (paths under `path`).
    #[doc(hidden)]
    fn check(&self, path: &Path<'_>, ctx: &Context, out: &mut Vec<Violation>);

    /// An edge-case value drawn from `g`, for types that have one (unit enums: the first or
    /// last variant); `None` keeps the normal value.
    #[doc(hidden)]
    fn edge(_g: &mut Gen) -> Option<Self> {
        None
    }

    /// Record `index` of the stream of `seed`, in O(1).
    #[inline]
    fn nth(seed: impl Into<Seed>, index: u64) -> Self {
        Self::nth_with(seed, index, &DEFAULT_CONTEXT)
    }

    /// Record `index` of the stream of `seed` under `ctx` (locale, reference instant,
    /// edge-case rate: `Context::default().with_edge_cases(0.2)`).
    #[inline]
    fn nth_with(seed: impl Into<Seed>, index: u64, ctx: &Context) -> Self {
        let seed = seed.into();
        let env = Env::root(ctx, seed, Self::KEY, index);
        Self::generate(Key::root(seed, Self::KEY, index), &env)
    }

    /// Records `0..n` of the stream of `seed`.
    fn batch(seed: impl Into<Seed>, n: usize) -> Vec<Self> {
        Self::batch_with(seed, n, &DEFAULT_CONTEXT)
    }

    /// Records `0..n` of the stream of `seed` under `ctx`.
    fn batch_with(seed: impl Into<Seed>, n: usize, ctx: &Context) -> Vec<Self> {
        let seed = seed.into();
        (0..n as u64).map(|i| Self::nth_with(seed, i, ctx)).collect()
    }

    /// Records `0..n` generated on rayon's thread pool; identical to [`TestData::batch`].
    #[cfg(feature = "rayon")]
    fn par_batch(seed: impl Into<Seed>, n: usize) -> Vec<Self>
    where
        Self: Send,
    {
        use rayon::prelude::*;
        let seed = seed.into();
        (0..n as u64).into_par_iter().map(|i| Self::nth(seed, i)).collect()
    }

    /// The endless, lazy stream of `seed`.
    fn iter(seed: impl Into<Seed>) -> Iter<Self> {
        Iter { seed: seed.into(), next: 0, _t: PhantomData }
    }

    /// A value for the running test: the seed derives from the test's name
    /// (`TESTDATA_SEED` overrides it), and the `k`-th call for a type in a test gives record
    /// `k`. When the test panics, the seed and a replay command are printed:
    ///
    /// ```text
    /// testdata: test `tests::checkout` used seed 1234 (User ×1); replay with:
    ///     TESTDATA_SEED=1234 cargo test tests::checkout -- --exact
    /// ```
    fn fixture() -> Self {
        let seed = fixture_seed();
        Self::nth(seed, fixture_index(Self::KEY, Self::NAME, seed))
    }

    /// The runtime [`Schema`] of the type: for the same seed and index it produces
    /// `serde_json::to_value(T::nth(s, i))` (for serde-default representations; see the
    /// crate docs for the exceptions).
    fn schema() -> Schema {
        match Schema::from_def(Self::schema_def()) {
            Ok(s) => s,
            // The derive checks every constraint at compile time, so this is a bug.
            Err(e) => panic!("the derived schema of `{}` does not load: {e} (a testdata bug)", Self::NAME),
        }
    }

    /// Every violation of the type's constraints, each with its path (`items[2].price`).
    fn validate(&self) -> Result<(), Violations> {
        let mut out = Vec::new();
        self.check(&Path::Root, &DEFAULT_CONTEXT, &mut out);
        if out.is_empty() { Ok(()) } else { Err(Violations(out)) }
    }
}

/// The endless stream of a type's records (see [`TestData::iter`]).
#[derive(Debug)]
pub struct Iter<T> {
    seed: Seed,
    next: u64,
    _t: PhantomData<fn() -> T>,
}

impl<T: TestData> Iterator for Iter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let v = T::nth(self.seed, self.next);
        self.next += 1;
        Some(v)
    }

    fn nth(&mut self, n: usize) -> Option<T> {
        self.next += n as u64;
        self.next()
    }
}

impl<T: TestData> TestData for Box<T> {
    const KEY: u64 = T::KEY;
    const NAME: &'static str = T::NAME;
    fn generate(key: Key, env: &Env<'_>) -> Self {
        Box::new(T::generate(key, env))
    }
    fn schema_def() -> SchemaDef {
        T::schema_def()
    }
    fn field_def() -> FieldDef {
        T::field_def()
    }
    fn check(&self, path: &Path<'_>, ctx: &Context, out: &mut Vec<Violation>) {
        (**self).check(path, ctx, out)
    }
    fn edge(g: &mut Gen) -> Option<Self> {
        T::edge(g).map(Box::new)
    }
}
