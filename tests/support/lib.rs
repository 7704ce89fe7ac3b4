//! Shared helpers for the workspace-level tests, examples and benches.

use testdata::Schema;

/// The reference entity schemas used by the engine tests and benches
/// (written like the entities of the built-in catalogue, `testdata-server/schemas/ecommerce`).
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

/// The reference structs of the derive issue (#3), shared by `benches/derive.rs` and
/// `examples/proptest.rs` so other libraries can be compared on the same shapes.
pub mod reference {
    use chrono::{DateTime, Utc};
    use testdata::TestData;
    use uuid::Uuid;

    #[derive(TestData, Clone, Debug, PartialEq)]
    pub struct User {
        pub id: Uuid,
        pub first_name: String,
        pub last_name: String,
        pub email: String,
        pub phone: String,
        pub street: String,
        pub city: String,
        pub zip: String,
        pub country: String,
        #[testdata(range = 18..=90)]
        pub age: u8,
        pub created_at: DateTime<Utc>,
        pub is_active: bool,
    }

    #[derive(TestData, Clone, Debug)]
    pub struct CartItem {
        pub product_id: Uuid,
        #[testdata(product_name)]
        pub name: String,
        /// Cents.
        #[testdata(range = 100..=50_000)]
        pub unit_price: u64,
        #[testdata(range = 1..=5)]
        pub quantity: u32,
    }

    #[derive(TestData, Clone, Debug)]
    #[testdata(finish = Cart::totals)]
    pub struct Cart {
        pub cart_id: Uuid,
        pub user_id: Uuid,
        #[testdata(len = 1..=5)]
        pub items: Vec<CartItem>,
        #[testdata(skip)]
        pub subtotal: u64,
        #[testdata(skip)]
        pub tax: u64,
        #[testdata(skip)]
        pub total: u64,
        pub created_at: DateTime<Utc>,
    }

    impl Cart {
        /// Makes the totals agree with the items (cents, 8 % tax); the `finish` hook.
        pub fn totals(&mut self) {
            self.subtotal = self.items.iter().map(|i| i.unit_price * i.quantity as u64).sum();
            self.tax = (self.subtotal * 8 + 50) / 100;
            self.total = self.subtotal + self.tax;
        }
    }
}
