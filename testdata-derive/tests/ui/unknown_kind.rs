use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(emial)]
    contact: String,
}

fn main() {}
