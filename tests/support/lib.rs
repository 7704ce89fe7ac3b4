//! Shared helpers for the workspace-level tests, examples and benches.

use testdata::Schema;

/// The reference entity schemas used by the engine tests and benches
/// (written like the catalogue in `shared/reference/entities.md`).
pub const SCHEMAS: &[(&str, &str)] = &[
    ("cart", include_str!("../../testdata/schemas/ecommerce/cart.json")),
    ("order", include_str!("../../testdata/schemas/ecommerce/order.json")),
    ("payment", include_str!("../../testdata/schemas/ecommerce/payment.json")),
    ("user", include_str!("../../testdata/schemas/ecommerce/user.json")),
];

/// Loads one of [`SCHEMAS`] by name.
///
/// # Panics
/// When the name is unknown or the schema does not load (a test failure).
pub fn schema(name: &str) -> Schema {
    let (_, text) = SCHEMAS.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no schema {name}"));
    Schema::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The JSON text of one of [`SCHEMAS`].
pub fn schema_text(name: &str) -> &'static str {
    SCHEMAS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap_or_else(|| panic!("no schema {name}"))
}
