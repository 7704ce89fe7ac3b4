//! The bundled patterns, compiled into the library: `testdata/patterns/*.jsonl`.

use super::document::{Document, parse_jsonl};

/// The bundled files: (name, JSONL text).
pub const FILES: &[(&str, &str)] = &[
    ("cart.jsonl", include_str!("../../patterns/cart.jsonl")),
    ("order.jsonl", include_str!("../../patterns/order.jsonl")),
    ("payment.jsonl", include_str!("../../patterns/payment.jsonl")),
    ("product.jsonl", include_str!("../../patterns/product.jsonl")),
    ("review.jsonl", include_str!("../../patterns/review.jsonl")),
    ("user.jsonl", include_str!("../../patterns/user.jsonl")),
];

/// Every bundled document (the files are checked by this crate's tests, so parsing them
/// cannot fail in a release).
pub fn documents() -> Vec<Document> {
    FILES.iter().flat_map(|(name, text)| parse_jsonl(name, text).unwrap_or_default()).collect()
}
