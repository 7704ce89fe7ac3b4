use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(range = 5..5)]
    age: u8,
}

fn main() {}
