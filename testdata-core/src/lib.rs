//! The rules [`testdata`](https://docs.rs/testdata) and its derive share, in one place: the
//! kind vocabulary and "did you mean" ([`kinds`]), the defaults a field's name implies
//! ([`defaults`]), decimal rounding ([`decimal`]) and the date grammar of bounds ([`time`]), and the locale tags ([`locale`]).
//!
//! The proc-macro crate `testdata-derive` checks attributes at compile time with these rules,
//! and the engine compiles runtime schemas with the same ones, so a derived type and its
//! schema agree by construction. This crate has no dependencies; users do not depend on it
//! directly (the engine re-exports what is public).
//!
//! ```
//! use testdata_core::{defaults, kinds};
//!
//! assert_eq!(kinds::infer("billing_zip_code").map(|k| k.name), Some("zip"));
//! assert_eq!(kinds::closest("emial"), Some("email"));
//! assert_eq!(defaults::number_bounds("age"), (18.0, 90.0));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod decimal;
pub mod defaults;
pub mod kinds;
pub mod locale;
pub mod time;
