use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(optional = 0.3)]
    nickname: String,
}

fn main() {}
