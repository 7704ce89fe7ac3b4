//! Seeded, deterministic, constraint-respecting test data.
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
pub mod sample;
pub mod schema;
pub mod seed;
pub mod time;

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

#[doc(hidden)]
pub mod __private {
    //! Re-exports used by the code `#[derive(TestData)]` emits.
    pub use serde_json::Value;
}
