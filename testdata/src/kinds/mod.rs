//! Semantic value generators (filled in by the kinds work).
