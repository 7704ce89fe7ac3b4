//! `fake`'s `#[derive(Dummy)]` on the reference structs of issue #3 (`testdata_suite::reference`),
//! shared by the derive benches. Their fields are generated, never read.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use fake::faker::address::en::{CityName, CountryName, StreetName, ZipCode};
use fake::faker::chrono::en::DateTime as FakeDateTime;
use fake::faker::internet::en::SafeEmail;
use fake::faker::name::en::{FirstName, LastName};
use fake::faker::phone_number::en::PhoneNumber;
use fake::uuid::UUIDv4;
use fake::{Dummy, Fake, Faker};
use uuid::Uuid;

#[derive(Dummy, Clone, Debug)]
pub struct FakeUser {
    #[dummy(faker = "UUIDv4")]
    pub id: Uuid,
    #[dummy(faker = "FirstName()")]
    pub first_name: String,
    #[dummy(faker = "LastName()")]
    pub last_name: String,
    #[dummy(faker = "SafeEmail()")]
    pub email: String,
    #[dummy(faker = "PhoneNumber()")]
    pub phone: String,
    #[dummy(faker = "StreetName()")]
    pub street: String,
    #[dummy(faker = "CityName()")]
    pub city: String,
    #[dummy(faker = "ZipCode()")]
    pub zip: String,
    #[dummy(faker = "CountryName()")]
    pub country: String,
    #[dummy(faker = "18..=90")]
    pub age: u8,
    #[dummy(faker = "FakeDateTime()")]
    pub created_at: DateTime<Utc>,
    pub is_active: bool,
}

#[derive(Dummy, Clone, Debug)]
pub struct FakeCartItem {
    #[dummy(faker = "UUIDv4")]
    pub product_id: Uuid,
    #[dummy(faker = "fake::faker::lorem::en::Words(2..4)")]
    pub name: Vec<String>,
    #[dummy(faker = "100..=50_000")]
    pub unit_price: u64,
    #[dummy(faker = "1..=5")]
    pub quantity: u32,
}

#[derive(Dummy, Clone, Debug)]
pub struct FakeCart {
    #[dummy(faker = "UUIDv4")]
    pub cart_id: Uuid,
    #[dummy(faker = "UUIDv4")]
    pub user_id: Uuid,
    #[dummy(faker = "(Faker, 1..6)")]
    pub items: Vec<FakeCartItem>,
    #[dummy(default)]
    pub subtotal: u64,
    #[dummy(default)]
    pub tax: u64,
    #[dummy(default)]
    pub total: u64,
    #[dummy(faker = "FakeDateTime()")]
    pub created_at: DateTime<Utc>,
}

/// A fake cart with its totals made to agree, as `Cart::totals` does.
pub fn fake_cart(rng: &mut rand::rngs::StdRng) -> FakeCart {
    let mut c: FakeCart = Faker.fake_with_rng(rng);
    c.subtotal = c.items.iter().map(|i| i.unit_price * i.quantity as u64).sum();
    c.tax = (c.subtotal * 8 + 50) / 100;
    c.total = c.subtotal + c.tax;
    c
}
