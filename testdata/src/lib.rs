//! Seeded, deterministic, constraint-respecting test data.
//!
//! ```
//! use testdata::TestData;
//!
//! #[derive(TestData, Debug, Clone, PartialEq)]
//! struct User {
//!     id: u64,
//!     first_name: String,          // kinds come from names and types…
//!     email: String,
//!     #[testdata(range = 18..=90)] // …or from typed, compile-checked attributes
//!     age: u8,
//!     #[testdata(one_of = ["free", "pro"], weights = [9, 1])]
//!     plan: String,
//!     #[testdata(optional = 0.25)]
//!     nickname: Option<String>,
//! }
//!
//! let user = User::nth(42, 0);              // record 0 of seed 42, O(1), same everywhere
//! assert_eq!(user, User::batch(42, 10)[0]);
//! assert!((18..=90).contains(&user.age));
//! user.validate().unwrap();                 // every constraint, with paths
//! let pinned = User::builder().age(30).build(42);
//! assert_eq!((pinned.age, &pinned.email), (30, &user.email));
//! let as_json = User::schema().nth(42, 0).unwrap(); // the runtime schema agrees
//! assert_eq!(as_json["email"], user.email.as_str());
//! ```
//!
//! # `#[derive(TestData)]`
//!
//! The derive implements [`TestData`](trait@TestData): `nth`, `batch`, `iter`, `fixture`,
//! `schema`, `validate`, `nth_with` (edge cases, locale, reference instant) and, with the
//! `rayon` feature, `par_batch`; on structs with named fields it also generates a builder
//! (`User::builder()`; a fixed-value setter needs its field's type to be `Clone`, and only
//! where it is called). Every attribute is checked at
//! compile time with an error on the attribute at fault.
//!
//! | attribute | on | meaning |
//! |---|---|---|
//! | a kind name: `email`, `product_name`, … ([`kinds::Kind::ALL`]) | `String`, `IpAddr` | the semantic kind (otherwise inferred from the field name) |
//! | `price`, `amount`, `age`, `quantity`, `rating`, `percentage` | numbers | bound presets |
//! | `range = 18..=90` (`..`, `a..`, `..=b`, floats, `"2020-01-01"..="now"`, `"-30d"..`) | numbers, dates | bounds |
//! | `len = 1..=5` | `String`, `Vec`, maps | length in characters / elements (default 1..=5 elements) |
//! | `pattern = "[A-Z]{3}-[0-9]{4}"` | `String` | a regex the value matches (checked against `len`) |
//! | `one_of = ["a", "b"]`, `weights = [9, 1]` | `String`, integers | allowed values |
//! | `format = "ORD-{year}-{digits:7}"` | `String` | an ID template ([`constraint::template`]) |
//! | `unique` | top-level fields | no two records of a stream share the value (wraps past the value space) |
//! | `optional = 0.25` | `Option<T>` | probability of `None` (default 0.1) |
//! | `with = path` | any | a `fn(&mut Gen) -> T` on the field's stream |
//! | `value = expr` | any | a fixed value (`Into<T>`) |
//! | `skip` | any | `Default::default()` |
//! | `locale = "fr_FR"` | kinds; also on the type | the locale of the field's kinds |
//! | `references = User::id` | any | the `id` of a `User` of the same [`Dataset`] |
//! | `finish = path` | type | a `fn(&mut Self)` run after the fields are drawn (totals, date order) |
//! | `key = "User"` | type | the stream key (default: the type's name, not its module path) |
//! | `weight = N` | enum variant | relative weight of the variant (default 1) |
//!
//! Shapes: named and tuple structs; enums with unit, tuple and struct variants; generics whose
//! parameters are `TestData`; `Option`, `Vec`, arrays, `HashMap`/`BTreeMap`, tuples, `Box`,
//! nested `TestData` types; integers, floats, `bool`, `char`, `String`, `IpAddr`, `Duration`,
//! `SystemTime`; `uuid::Uuid`, `chrono::{DateTime<Utc>, NaiveDate, NaiveDateTime}` and
//! `rust_decimal::Decimal` behind the features of the same names. Streams are described in
//! [`api`].
//!
//! **Property tests.** With the `proptest` feature, `testdata::proptest::strategy::<T>()` and
//! `Schema::strategy()` are proptest strategies whose shrinking keeps every constraint.
//!
//! **Derived ≡ schema.** For the same seed and index, `serde_json::to_value(T::nth(s, i))`
//! equals `T::schema().nth(s, i)` (also under `nth_with` and `Schema::with_context` of the
//! same context), for serde-default representations, with these exceptions, whose schema
//! field is free-form `json`: maps, tuples, enums with data, fields with `with`, `skip`,
//! `references` or a non-literal `value`, and fields a `finish` hook rewrites; also
//! `f32` (serialised widened), `rust_decimal::Decimal` (serialised as a string by default) and
//! `NaiveDateTime` (no `Z`).
//!
//! # Guides
//!
//! The repository's `docs/` directory explains the parts in depth: `docs/derive.md` (the
//! derive and its performance), `docs/schema-format.md` (runtime schemas), `docs/proptest.md`,
//! `docs/catalogue.md` (the built-in ecommerce entities), `docs/llm.md`, `docs/rag.md` and
//! `docs/cache.md` (the paths that need outside help) and `docs/decisions.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate self as testdata;

pub mod api;
pub mod constraint;
pub mod context;
mod dynamic;
mod edge;
pub mod error;
pub mod export;
pub mod kinds;
pub mod rng;
mod sample;
pub mod schema;
pub mod seed;
pub mod time;

#[cfg(feature = "llm")]
pub mod cache;
#[cfg(feature = "llm")]
pub mod llm;
#[cfg(feature = "proptest")]
pub mod proptest;
/// The wire types and raw gRPC client of `testdata-server` (package `testdata.v1`): the
/// [`testdata_proto`] crate, re-exported. Most users want [`remote::Client`] instead.
#[cfg(feature = "remote")]
pub use testdata_proto as proto;
#[cfg(feature = "rag")]
pub mod rag;
#[cfg(feature = "remote")]
pub mod remote;

pub use api::{Dataset, TestData};
pub use context::{Context, Locale};
pub use edge::HOSTILE_STRINGS;
pub use error::{GenerateError, SchemaError};
pub use rng::Gen;
pub use schema::{Schema, Violations};
pub use seed::{Key, Seed};

/// `#[derive(TestData)]`: see the [crate docs](crate) and [`TestData`](trait@TestData).
#[cfg(feature = "derive")]
pub use testdata_derive::TestData;

/// What the code `#[derive(TestData)]` emits calls: not part of the API, may change in any
/// release (as `serde`'s and `thiserror`'s `__private`).
#[doc(hidden)]
pub mod __private {
    pub use serde_json::Value;

    pub use crate::api::{DEFAULT_CONTEXT, Env, Override, Path, Same, reference};
    pub use crate::kinds::{Kind, Scope};

    /// Sampling shared by derived types and runtime schemas.
    pub mod sample {
        pub use crate::sample::*;
    }

    /// Conversions between field types and the engine's value classes, and the checks of
    /// `validate`.
    pub mod values {
        pub use crate::api::values::*;
    }

    /// The kind generators, by name.
    pub mod kinds {
        pub use crate::kinds::*;
    }
}
