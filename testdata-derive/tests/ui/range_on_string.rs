use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(range = 1..=5)]
    name: String,
}

fn main() {}
