use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(rnage = 1..=3)]
    age: u8,
}

fn main() {}
