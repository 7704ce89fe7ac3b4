use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(range = 0..=1000)]
    age: u8,
}

fn main() {}
