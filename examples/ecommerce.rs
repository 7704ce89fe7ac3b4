//! E-commerce: a `Cart` whose totals agree (a `finish` hook), and `Order`s that refer to the
//! `User`s of the same dataset without materialising them.
//!
//! `cargo run --example ecommerce`

use chrono::{DateTime, Utc};
use testdata::{Dataset, TestData};
use uuid::Uuid;

#[derive(TestData, Debug, Clone)]
pub struct User {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country: String,
    #[testdata(range = 18..=90)]
    pub age: u8,
    pub created_at: DateTime<Utc>,
}

#[derive(TestData, Debug, Clone)]
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

/// `finish` runs after the fields are drawn and makes them agree: subtotal, 8% tax, total.
#[derive(TestData, Debug, Clone)]
#[testdata(finish = Cart::compute_totals)]
pub struct Cart {
    pub cart_id: Uuid,
    /// A user of the same dataset.
    #[testdata(references = User::id)]
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
    fn compute_totals(&mut self) {
        self.subtotal = self.items.iter().map(|i| i.unit_price * i.quantity as u64).sum();
        self.tax = (self.subtotal * 8 + 50) / 100;
        self.total = self.subtotal + self.tax;
    }
}

fn main() {
    let ds = Dataset::new("shop").with::<User>(20);
    let users: Vec<User> = ds.all();
    for cart in ds.batch::<Cart>(5) {
        let owner = users.iter().find(|u| u.id == cart.user_id).expect("the cart's user is in the dataset");
        assert_eq!(cart.total, cart.subtotal + cart.tax);
        cart.validate().expect("valid cart");
        println!(
            "cart {} of {} {} <{}>: {} items, subtotal {:.2}, tax {:.2}, total {:.2}",
            cart.cart_id,
            owner.first_name,
            owner.last_name,
            owner.email,
            cart.items.len(),
            cart.subtotal as f64 / 100.0,
            cart.tax as f64 / 100.0,
            cart.total as f64 / 100.0
        );
        for item in &cart.items {
            println!("    {} × {} at {:.2}", item.quantity, item.name, item.unit_price as f64 / 100.0);
        }
    }
}
