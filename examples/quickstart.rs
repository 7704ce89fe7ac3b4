//! Quickstart: derive `TestData`, then ask for records by seed and index.
//!
//! `cargo run --example quickstart`

use chrono::{DateTime, Utc};
use testdata::{Context, TestData};
use uuid::Uuid;

/// No attributes needed for the common case: names and types say enough.
#[derive(TestData, Debug, Clone)]
struct User {
    id: Uuid,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    city: String,
    zip: String,
    /// Attributes read as typed Rust and are checked at compile time.
    #[testdata(range = 18..=90)]
    age: u8,
    #[testdata(one_of = ["free", "pro", "team"], weights = [7, 2, 1])]
    plan: String,
    #[testdata(optional = 0.3)]
    nickname: Option<String>,
    created_at: DateTime<Utc>,
}

fn main() {
    // Record 0 of seed 42: the same on every machine, every run.
    let user = User::nth(42, 0);
    println!("{user:#?}");

    // A batch; element i is `User::nth(seed, i)`, so any record is O(1) to reproduce.
    for u in User::batch("quickstart", 3) {
        println!("{} {} <{}> age {} plan {}", u.first_name, u.last_name, u.email, u.age, u.plan);
    }

    // Every constraint holds, and `validate` says where when one does not.
    user.validate().expect("generated values meet their constraints");
    let mut broken = user.clone();
    broken.age = 7;
    println!("validate: {}", broken.validate().unwrap_err());

    // Builders fix some fields; the others keep their values.
    let admin = User::builder().email("admin@example.com").build(42);
    assert_eq!(admin.first_name, user.first_name);

    // Edge cases: boundary and hostile values that still pass `validate`.
    let ctx = Context::default().with_edge_cases(1.0);
    let edgy = User::nth_with(42, 1, &ctx);
    println!("edge case: {:?} age {}", edgy.city, edgy.age);
    edgy.validate().expect("edge cases stay inside the constraints");

    // The runtime schema of the type generates the same records as JSON.
    let schema = User::schema();
    println!("{}", schema.nth(42, 0).expect("record"));
}
