use testdata::TestData;

#[derive(TestData)]
struct Account {
    #[testdata(one_of = ["free", "pro", "team"], weights = [9, 1])]
    plan: String,
}

fn main() {}
