use testdata::TestData;

#[derive(TestData)]
struct Account {
    #[testdata(one_of = [])]
    plan: String,
}

fn main() {}
