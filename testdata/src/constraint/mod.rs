//! Constraints (filled in).

pub mod pattern;
