use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(range = 90..=18)]
    age: u8,
}

fn main() {}
