//! Constraints (filled in).
