use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(email, pattern = "[a-z]+@x\\.com")]
    contact: String,
}

fn main() {}
