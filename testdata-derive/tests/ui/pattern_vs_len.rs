use testdata::TestData;

#[derive(TestData)]
struct Product {
    #[testdata(pattern = "[A-Z]{3}-[0-9]{4}", len = 1..=5)]
    code: String,
}

fn main() {}
