//! Acceptance tests of `#[derive(TestData)]` (issue #3).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use testdata::{Context, Dataset, Gen, Seed, TestData};
use uuid::Uuid;

#[derive(TestData, Serialize, Debug, Clone, PartialEq)]
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
    pub age: u8,
    pub created_at: DateTime<Utc>,
    pub is_active: bool,
}

#[derive(TestData, Serialize, Debug, Clone, PartialEq)]
pub enum Plan {
    #[testdata(weight = 8)]
    Free,
    #[testdata(weight = 2)]
    Pro,
    Enterprise,
}

#[derive(TestData, Serialize, Debug, Clone, PartialEq)]
pub struct LineItem {
    #[testdata(product_name)]
    pub name: String,
    #[testdata(range = 100..=50_000)]
    pub unit_price: u32,
    #[testdata(range = 1..=5)]
    pub quantity: u32,
}

/// Every attribute of the grammar (except `finish`, `with`, `value`, `skip`, see below).
#[derive(TestData, Serialize, Debug, Clone, PartialEq)]
#[testdata(key = "Everything")]
pub struct Everything {
    #[testdata(email)]
    pub contact: String,
    #[testdata(range = 18..=90)]
    pub age: u8,
    #[testdata(range = -5.0..5.0)]
    pub delta: f64,
    #[testdata(len = 1..=5)]
    pub tags: Vec<String>,
    #[testdata(len = 4..=12)]
    pub note: String,
    #[testdata(pattern = "[A-Z]{3}-[0-9]{4}")]
    pub code: String,
    #[testdata(one_of = ["free", "pro"], weights = [9, 1])]
    pub tier: String,
    #[testdata(one_of = [1, 2, 3])]
    pub level: i32,
    #[testdata(format = "ORD-{year}-{digits:7}", unique)]
    pub order_id: String,
    #[testdata(unique, range = 1..=1_000_000)]
    pub serial: u64,
    #[testdata(optional = 0.25)]
    pub nickname: Option<String>,
    #[testdata(city, locale = "fr_FR")]
    pub ville: String,
    #[testdata(range = "2020-01-01"..="2024-12-31")]
    pub signed_up: NaiveDate,
    #[testdata(range = "-30d"..="now")]
    pub last_seen: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub birth_date: NaiveDate,
    pub plan: Plan,
    #[testdata(len = 1..=3)]
    pub items: Vec<LineItem>,
    pub scores: [u8; 3],
    pub boxed: Box<LineItem>,
    pub ip: std::net::IpAddr,
    pub initial: char,
}

#[derive(TestData, Serialize, Debug, Clone, PartialEq)]
pub struct Hooks {
    #[testdata(with = answer)]
    pub answer: u32,
    #[testdata(value = "fixed")]
    pub fixed: String,
    #[testdata(skip)]
    pub skipped: Vec<u8>,
    pub map: BTreeMap<String, u8>,
    pub pair: (u8, String),
    pub wait: std::time::Duration,
}

fn answer(g: &mut Gen) -> u32 {
    40 + g.below(3) as u32
}

#[test]
fn everything_validates_over_100k_records() {
    for i in 0..100_000u64 {
        let v = Everything::nth(i / 1000, i);
        if let Err(e) = v.validate() {
            panic!("record {i}: {e}\n{v:#?}");
        }
    }
}

#[test]
fn values_are_inside_the_attributes() {
    let all = Everything::batch(3, 2_000);
    let mut orders = std::collections::HashSet::new();
    let mut serials = std::collections::HashSet::new();
    let mut nones = 0;
    for v in &all {
        assert!(v.contact.contains('@'), "{}", v.contact);
        assert!((18..=90).contains(&v.age));
        assert!((-5.0..5.0).contains(&v.delta));
        assert!((1..=5).contains(&v.tags.len()));
        assert!((4..=12).contains(&v.note.chars().count()), "{:?}", v.note);
        assert!(v.tier == "free" || v.tier == "pro");
        assert!([1, 2, 3].contains(&v.level));
        assert!(v.order_id.starts_with("ORD-2025-") && v.order_id.len() == 16, "{}", v.order_id);
        assert!(orders.insert(v.order_id.clone()), "duplicate order id");
        assert!(serials.insert(v.serial), "duplicate serial");
        nones += usize::from(v.nickname.is_none());
        assert!(v.signed_up >= NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
        assert!(v.signed_up <= NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
        let anchor = DateTime::from_timestamp(testdata::time::DEFAULT_ANCHOR, 0).unwrap();
        assert!(v.last_seen <= anchor && v.last_seen >= anchor - chrono::Duration::days(30));
        assert!(v.expires_at >= anchor);
        assert!((1..=3).contains(&v.items.len()));
    }
    let free = all.iter().filter(|v| v.tier == "free").count();
    assert!(free > 1_600 && free < 1_990, "weights 9:1 give ~1800 of 2000, got {free}");
    assert!(nones > 350 && nones < 650, "optional = 0.25 gives ~500 of 2000, got {nones}");
    let fr: Vec<&str> = all.iter().map(|v| v.ville.as_str()).collect();
    assert!(fr.contains(&"Paris") || fr.contains(&"Lyon") || fr.contains(&"Marseille"), "{:?}", &fr[..20]);
}

#[test]
fn validate_reports_paths() {
    let mut v = Everything::nth(1, 1);
    v.age = 5;
    v.items[0].quantity = 99;
    v.code = "nope".into();
    let err = v.validate().unwrap_err();
    let paths: Vec<&str> = err.0.iter().map(|x| x.path.as_str()).collect();
    assert!(paths.contains(&"age"), "{paths:?}");
    assert!(paths.contains(&"items[0].quantity"), "{paths:?}");
    assert!(paths.contains(&"code"), "{paths:?}");
}

#[test]
fn nth_equals_batch_and_iter() {
    let b = User::batch(11, 50);
    for (i, u) in b.iter().enumerate() {
        assert_eq!(&User::nth(11, i as u64), u);
    }
    let it: Vec<User> = User::iter(11).take(50).collect();
    assert_eq!(it, b);
    assert_ne!(User::nth(11, 0), User::nth(12, 0));
}

#[test]
fn parallel_equals_sequential() {
    assert_eq!(User::par_batch(5, 5_000), User::batch(5, 5_000));
    assert_eq!(Everything::par_batch(5, 2_000), Everything::batch(5, 2_000));
}

#[test]
fn the_reference_user_is_coherent() {
    let u = User::nth(42, 7);
    assert!((18..=90).contains(&u.age));
    let local = u.email.split('@').next().unwrap();
    let first = u.first_name.to_lowercase();
    assert!(
        local.contains(&first.chars().filter(|c| c.is_ascii_alphabetic()).collect::<String>()[..1]),
        "{u:?}"
    );
    assert_eq!(u.id.get_version_num(), 4);
    u.validate().unwrap();
}

mod v2 {
    use super::*;
    /// `User` with one more field: the other fields keep their values.
    #[derive(TestData, Serialize, Debug, Clone, PartialEq)]
    #[testdata(key = "User")]
    pub struct User {
        pub id: Uuid,
        pub first_name: String,
        pub last_name: String,
        pub email: String,
        pub nickname: String,
        pub phone: String,
        pub street: String,
        pub city: String,
        pub zip: String,
        pub country: String,
        pub age: u8,
        pub created_at: DateTime<Utc>,
        pub is_active: bool,
    }
}

#[test]
fn adding_a_field_leaves_the_others_unchanged() {
    for i in 0..200 {
        let a = User::nth(9, i);
        let b = v2::User::nth(9, i);
        assert_eq!(
            (a.id, &a.first_name, &a.email, &a.zip, a.age, a.created_at, a.is_active),
            (b.id, &b.first_name, &b.email, &b.zip, b.age, b.created_at, b.is_active)
        );
    }
}

fn same_as_schema<T: TestData + Serialize + std::fmt::Debug>(seeds: u64, ctx: &Context) {
    let schema = T::schema().with_context(ctx.clone()).unwrap();
    for s in 0..seeds {
        for i in [0u64, 1, 17, 1_000] {
            let typed = serde_json::to_value(T::nth_with(s, i, ctx)).unwrap();
            let dynamic = schema.nth(s, i).unwrap();
            assert_eq!(typed, dynamic, "{} seed {s} index {i}", T::NAME);
            schema.validate(&dynamic).unwrap();
        }
    }
}

#[derive(TestData, Serialize, Debug)]
pub struct Profile {
    #[testdata(username)]
    pub handle: String,
    pub bio: String,
    pub title: String,
    #[testdata(range = 0.0..=1.0)]
    pub ratio: f64,
    pub rating: i32,
    pub balance: f64,
    pub plan: Plan,
    #[testdata(optional = 0.5)]
    pub website: Option<String>,
    #[testdata(len = 0..=4)]
    pub emails: Vec<String>,
    pub next_billing: NaiveDate,
    pub wait: std::time::Duration,
    pub user: User,
    pub items: Vec<LineItem>,
}

#[test]
fn derived_equals_schema() {
    let ctx = Context::default();
    same_as_schema::<User>(300, &ctx);
    same_as_schema::<LineItem>(300, &ctx);
    same_as_schema::<Everything>(300, &ctx);
    same_as_schema::<Profile>(300, &ctx);
}

#[test]
fn derived_equals_schema_with_edge_cases_and_another_anchor() {
    let ctx = Context::default().with_edge_cases(0.3).with_anchor(1_600_000_000);
    same_as_schema::<User>(300, &ctx);
    same_as_schema::<Everything>(300, &ctx);
    same_as_schema::<Profile>(300, &ctx);
}

#[test]
fn edge_cases_stay_valid_and_appear() {
    let ctx = Context::default().with_edge_cases(0.5);
    let mut hostile = 0;
    for i in 0..5_000 {
        let v = Everything::nth_with(8, i, &ctx);
        v.validate().unwrap_or_else(|e| panic!("{i}: {e}\n{v:#?}"));
        hostile += usize::from(
            testdata::HOSTILE_STRINGS.iter().any(|h| v.note.contains(h)) || v.age == 18 || v.age == 90,
        );
    }
    assert!(hostile > 1_000, "{hostile}");
}

/// Not `Clone`: deriving on a struct holding it must still work, builder included.
#[derive(TestData, Debug, PartialEq)]
struct Badge {
    code: String,
}

#[derive(TestData, Debug, PartialEq)]
struct Holder {
    #[testdata(first_name)]
    owner: String,
    badge: Badge,
    spares: Vec<Badge>,
}

#[test]
fn builders_work_on_structs_with_fields_that_are_not_clone() {
    let plain = Holder::nth(5, 1);
    let built = Holder::builder().owner("Ada").build_nth(5, 1);
    assert_eq!(built.owner, "Ada");
    assert_eq!((&built.badge, &built.spares), (&plain.badge, &plain.spares));
    let made = Holder::builder().with_badge(|_| Badge { code: "VIP".into() }).build(5);
    assert_eq!(made.badge.code, "VIP");
}

#[test]
fn builders_override_one_field_and_keep_the_others() {
    let plain = User::nth(3, 0);
    let built = User::builder().email("fixed@example.com").age(30).build(3);
    assert_eq!(built.email, "fixed@example.com");
    assert_eq!(built.age, 30);
    assert_eq!(
        (built.id, &built.first_name, built.created_at),
        (plain.id, &plain.first_name, plain.created_at)
    );
    let made = User::builder().with_age(|g| 20 + g.below(5) as u8).batch(3, 100);
    for (i, u) in made.iter().enumerate() {
        assert!((20..25).contains(&u.age));
        assert_eq!(u.email, User::nth(3, i as u64).email);
    }
}

#[derive(TestData, Debug)]
pub struct Order {
    #[testdata(references = User::id)]
    pub user_id: Uuid,
    #[testdata(range = 1..=9)]
    pub quantity: u8,
}

#[test]
fn relations_point_at_users_of_the_dataset() {
    let ds = Dataset::new(77).with::<User>(25);
    let users: Vec<User> = ds.all();
    let orders: Vec<Order> = ds.batch(500);
    let mut hit = std::collections::HashSet::new();
    for o in &orders {
        let j = users.iter().position(|u| u.id == o.user_id).expect("order refers to a user of the dataset");
        hit.insert(j);
    }
    assert!(hit.len() > 20, "references spread over the users: {}", hit.len());
}

#[test]
fn hooks_and_other_shapes() {
    for i in 0..500 {
        let h = Hooks::nth(1, i);
        assert!((40..43).contains(&h.answer));
        assert_eq!(h.fixed, "fixed");
        assert!(h.skipped.is_empty());
        assert!(!h.map.is_empty() && h.map.len() <= 5);
        assert!(h.wait.as_secs() <= 86_400);
    }
}

#[derive(TestData, Debug, PartialEq)]
pub struct Wrapper<T> {
    pub inner: T,
    pub items: Vec<T>,
}

#[derive(TestData, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Event {
    Login {
        user: User,
        #[testdata(ipv4)]
        ip: String,
    },
    Purchase(LineItem, #[testdata(range = 1..=3)] u8),
    #[testdata(weight = 0)]
    Never,
}

#[derive(TestData, Debug, PartialEq)]
pub struct Pair(#[testdata(email)] pub String, #[testdata(range = 1..=2)] pub u8);

#[test]
fn generics_enums_and_tuple_structs() {
    let w = Wrapper::<LineItem>::nth(1, 0);
    w.validate().unwrap();
    assert_eq!(w, Wrapper::<LineItem>::nth(1, 0));
    let mut seen = [0; 3];
    for i in 0..2_000 {
        let e = Event::nth(2, i);
        e.validate().unwrap();
        match e {
            Event::Login { ip, .. } => {
                assert!(ip.parse::<std::net::Ipv4Addr>().is_ok());
                seen[0] += 1
            }
            Event::Purchase(_, n) => {
                assert!((1..=3).contains(&n));
                seen[1] += 1
            }
            Event::Never => seen[2] += 1,
        }
    }
    assert!(seen[0] > 800 && seen[1] > 800 && seen[2] == 0, "{seen:?}");
    let p = Pair::nth(1, 1);
    assert!(p.0.contains('@') && (1..=2).contains(&p.1));
}

#[test]
fn seeds_can_be_strings() {
    assert_eq!(User::nth("checkout", 3), User::nth(Seed::from("checkout"), 3));
}

fn dump() -> String {
    let mut s = serde_json::to_string(&User::batch(1, 300)).unwrap();
    s.push_str(&serde_json::to_string(&Everything::batch(2, 300)).unwrap());
    s.push_str(&serde_json::to_string(&Profile::batch(3, 100)).unwrap());
    s
}

#[test]
#[ignore = "prints values for two_processes_agree_byte_for_byte"]
fn print_values() {
    println!("BEGIN{}END", dump());
}

#[test]
fn two_processes_agree_byte_for_byte() {
    let run = || {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "print_values", "--ignored", "--nocapture", "--test-threads=1"])
            .output()
            .unwrap();
        let s = String::from_utf8(out.stdout).unwrap();
        let a = s.find("BEGIN").unwrap() + 5;
        let b = s.rfind("END").unwrap();
        s[a..b].to_string()
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert_eq!(a, dump());
}

/// Typical field names without attributes: what the derive infers must be what the schema
/// compiler infers from the same names and types (the derive keeps its own copy of the tables).
#[derive(TestData, Serialize, Debug)]
pub struct Inferred {
    pub email: String,
    pub first_name: String,
    pub billing_zip_code: String,
    pub ip_address: String,
    pub website: String,
    pub description: String,
    pub title: String,
    pub notes: String,
    pub nickname: String,
    pub age: i64,
    pub quantity: i64,
    pub rating: i64,
    pub score: f64,
    pub latitude: f64,
    pub lng: f64,
    pub price: f64,
    pub total_amount: f64,
    pub year: i64,
    pub count: i64,
    pub created_at: DateTime<Utc>,
    pub birth_date: NaiveDate,
    pub expires_at: DateTime<Utc>,
    pub next_visit: NaiveDate,
    pub due: DateTime<Utc>,
}

#[test]
fn inference_equals_the_schema_compiler() {
    let mut def = Inferred::schema_def();
    for f in &mut def.fields {
        let ty = f.ty;
        let name = std::mem::take(&mut f.name);
        *f = testdata::schema::FieldDef { name, ty, ..Default::default() };
    }
    let bare = testdata::Schema::from_def(def).unwrap();
    let derived = Inferred::schema();
    for s in 0..200 {
        assert_eq!(bare.nth(s, s).unwrap(), derived.nth(s, s).unwrap());
        assert_eq!(serde_json::to_value(Inferred::nth(s, s)).unwrap(), bare.nth(s, s).unwrap());
    }
    let kinds: Vec<Option<String>> =
        Inferred::schema_def().fields.iter().take(5).map(|f| f.kind.clone()).collect();
    assert_eq!(kinds, ["email", "first_name", "zip", "ipv4", "url"].map(|k| Some(k.to_string())));
}
