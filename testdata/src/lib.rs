//! Seeded, deterministic, constraint-respecting test data.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod constraint;
pub mod context;
pub mod export;
pub mod kinds;
pub mod rng;
pub mod seed;
pub mod time;

pub use context::{Context, Locale};
pub use rng::Gen;
pub use seed::{Key, Seed};
