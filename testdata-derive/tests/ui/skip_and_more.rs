use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(skip, range = 1..=3)]
    age: u8,
}

fn main() {}
