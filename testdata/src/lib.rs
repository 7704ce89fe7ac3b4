//! Seeded, deterministic, constraint-respecting test data.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod constraint;
pub mod context;
mod dynamic;
mod edge;
pub mod error;
pub mod export;
pub mod kinds;
pub mod rng;
pub mod schema;
pub mod seed;
pub mod time;

#[cfg(feature = "remote")]
pub mod proto;
#[cfg(feature = "remote")]
pub mod remote;

pub use context::{Context, Locale};
pub use edge::HOSTILE_STRINGS;
pub use error::{GenerateError, SchemaError};
pub use rng::Gen;
pub use schema::{Schema, Violations};
pub use seed::{Key, Seed};
