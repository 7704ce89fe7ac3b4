use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(email, len = 1..=5)]
    contact: String,
}

fn main() {}
