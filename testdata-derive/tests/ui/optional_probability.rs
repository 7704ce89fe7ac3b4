use testdata::TestData;

#[derive(TestData)]
struct User {
    #[testdata(optional = 1.5)]
    nickname: Option<String>,
}

fn main() {}
